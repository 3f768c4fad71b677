//! Statements of change ("mortality from respiratory diseases fell by 39 per cent"): a
//! subject, a direction and a percentage, extracted in one pass over the tokens so that
//! rules can compare what one passage says twice about the same subject.
//!
//! Elliptical items in a list ("..., from respiratory diseases by 17 per cent, from
//! tuberculosis by 12 per cent") take the verb and the head noun of the item before them.

use std::borrow::Cow;

use super::metrics::lower_case;
use super::{Claim, Token, TokenKind};
use crate::figures::{Figure, FigureKind};

/// Verbs of decrease and increase that introduce "by N per cent" (also read by the
/// facts linker, [`super::facts`]).
pub(crate) const DOWN: &[&str] = &[
    "decreased",
    "declined",
    "fell",
    "dropped",
    "reduced",
    "decreasing",
    "declining",
    "falling",
];
/// Verbs of increase, as [`DOWN`].
pub(crate) const UP: &[&str] = &[
    "increased",
    "rose",
    "grew",
    "increasing",
    "rising",
    "growing",
];

/// Words that never name a subject.
const SKIP: &[&str] = &[
    "from", "of", "the", "in", "a", "an", "for", "to", "with", "has", "have", "had", "been", "was",
    "were", "is", "are", "by", "its", "their", "also", "further",
];

/// Words that end a subject when walking back from the verb.
const BOUNDARY_WORDS: &[&str] = &["and", "while", "whereas", "but", "or", "that", "which"];

/// One statement found, before it becomes a claim.
struct Statement<'t> {
    /// Lower-cased, borrowed from the text unless lower-casing changed them.
    words: Vec<Cow<'t, str>>,
    direction: Option<&'static str>,
    value: usize,
    start: usize,
    end: usize,
    years: Vec<String>,
}

/// Every "`<subject> <verb> by <percent>`" statement, one claim each (family
/// `contradiction`), with attributes `subject`, `direction`, `sentence` (the byte offset
/// where the sentence starts, so that per-sentence calls agree with a whole-text call)
/// and `years`.
/// `within` is the sentence's figures (`tokens::figures_within`), worked out
/// once by the caller for all the extractors.
pub fn extract(text: &str, tokens: &[Token], figures: &[Figure], within: &[Figure]) -> Vec<Claim> {
    // Most sentences hold no unhedged percentage after "by": done without a pass over
    // the tokens.
    if !within.iter().any(|f| {
        f.kind == FigureKind::Percent && f.hedge.is_none() && may_follow_by(text, f.span().start)
    }) {
        return Vec::new();
    }
    every_statement(text, tokens, figures)
}

/// Whether the word "by" (ASCII case ignored) may be the token right before a figure that
/// starts at byte `start`: it ends there once ASCII whitespace and every non-ASCII byte
/// (Unicode spaces among them, which the tokenizer skips too) are stepped over. A test
/// of the text, not of the tokens: a superset of the figures a statement can start from.
fn may_follow_by(text: &str, start: usize) -> bool {
    let b = text.as_bytes();
    let mut k = start;
    while let Some(&c) = k.checked_sub(1).and_then(|j| b.get(j))
        && (c.is_ascii_whitespace() || c >= 0x80)
    {
        k -= 1;
    }
    k.checked_sub(2)
        .and_then(|j| b.get(j..k))
        .is_some_and(|w| w.eq_ignore_ascii_case(b"by"))
}

/// The full pass of [`extract`], for a sentence whose figures may start a statement;
/// tests compare the two on every sentence.
// Out of line, so that the entry test before it stays small enough to be inlined
// into its caller and saves no registers for the many sentences it turns away.
#[inline(never)]
fn every_statement(text: &str, tokens: &[Token], figures: &[Figure]) -> Vec<Claim> {
    let mut out = Vec::new();
    let mut sentence = tokens.first().map_or(0, |t| t.span.start);
    let mut prev: Option<Statement> = None;
    for (i, t) in tokens.iter().enumerate() {
        match t.kind {
            TokenKind::Stop => {
                sentence = tokens.get(i + 1).map_or(t.span.end, |n| n.span.start);
                prev = None;
            }
            TokenKind::Figure(fi)
                if figures[fi].kind == FigureKind::Percent && figures[fi].hedge.is_none() =>
            {
                let by = i.checked_sub(1).map(|j| &tokens[j]);
                if !by.is_some_and(|b| {
                    b.kind == TokenKind::Word
                        && text[b.span.start..b.span.end].eq_ignore_ascii_case("by")
                }) {
                    continue;
                }
                let Some(mut st) = statement(text, tokens, figures, i, fi) else {
                    continue;
                };
                if st.direction.is_none() {
                    // Ellipsis: take the verb and head noun of the previous item.
                    let Some(p) = &prev else { continue };
                    st.direction = p.direction;
                    if let Some(head) = p.words.first()
                        && !st.words.contains(head)
                    {
                        st.words.insert(0, head.clone());
                    }
                }
                if st.words.is_empty() {
                    continue;
                }
                let mut subject: Vec<&str> = st.words.iter().map(|w| w.as_ref()).collect();
                subject.sort();
                subject.dedup();
                out.push(Claim {
                    attrs: vec![
                        ("subject", subject.join(" ")),
                        ("direction", st.direction.unwrap_or("").to_string()),
                        ("sentence", sentence.to_string()),
                        ("years", st.years.join(" ")),
                    ],
                    ..Claim::new(
                        "contradiction",
                        tokens[st.start].span.cover(tokens[st.end].span),
                        vec![("value".into(), st.value)],
                    )
                });
                prev = Some(st);
            }
            _ => {}
        }
    }
    out
}

/// Walk back from the "by" before figure token `i` over the verb and the subject, and
/// forward to the end of the clause for its years.
fn statement<'t>(
    text: &'t str,
    tokens: &[Token],
    figures: &[Figure],
    i: usize,
    fi: usize,
) -> Option<Statement<'t>> {
    let mut words = Vec::new();
    let mut direction = None;
    let mut start = i;
    let mut j = i.checked_sub(2)?;
    loop {
        let t = &tokens[j];
        let TokenKind::Word = t.kind else { break };
        let w = lower_case(&text[t.span.start..t.span.end]);
        if BOUNDARY_WORDS.contains(&w.as_ref()) {
            break;
        }
        if direction.is_none()
            && words.is_empty()
            && (DOWN.contains(&w.as_ref()) || UP.contains(&w.as_ref()))
        {
            direction = Some(if DOWN.contains(&w.as_ref()) {
                "down"
            } else {
                "up"
            });
        } else if !SKIP.contains(&w.as_ref()) && w.chars().all(char::is_alphabetic) {
            words.push(w);
        }
        start = j;
        if j == 0 || words.len() > 8 {
            break;
        }
        j -= 1;
    }
    words.reverse();
    // Years named in the rest of the clause ("by 17 per cent in 2021") date the statement.
    let mut years = Vec::new();
    for t in tokens.iter().skip(i + 1).take(8) {
        match t.kind {
            TokenKind::Figure(f) if figures[f].kind == FigureKind::Year => {
                years.push(figures[f].value.to_string())
            }
            TokenKind::Word => {}
            _ => break,
        }
    }
    Some(Statement {
        words,
        direction,
        value: fi,
        start,
        end: i,
        years,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::testing::{SEED, for_every_sentence};

    #[test]
    fn entry_check_skips_only_sentences_without_statements() {
        let crafted = "Deaths fell by 39 per cent, from tuberculosis by 12 per cent. \
            Exports rose BY\u{a0}5% in 2021. Imports grew by\n7%. It rose by about 5%. \
            Costs fell 5% by 2020. Output grew by (4%). Sales increased by\u{2009}3 percent.";
        let found = for_every_sentence(&[SEED, crafted], |text, sentence, figs, within| {
            let all = every_statement(text, sentence, figs);
            assert_eq!(extract(text, sentence, figs, within), all);
            all.len()
        });
        assert!(found >= 5, "{found}");
    }
}
