//! Statements of change ("mortality from respiratory diseases fell by 39 per cent"): a
//! subject, a direction and a percentage, extracted in one pass over the tokens so that
//! rules can compare what one passage says twice about the same subject.
//!
//! Elliptical items in a list ("..., from respiratory diseases by 17 per cent, from
//! tuberculosis by 12 per cent") take the verb and the head noun of the item before them.

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
struct Statement {
    words: Vec<String>,
    direction: Option<&'static str>,
    value: usize,
    start: usize,
    end: usize,
    years: Vec<String>,
}

/// Every "<subject> <verb> by <percent>" statement, one claim each (family
/// `contradiction`), with attributes `subject`, `direction`, `sentence` (the byte offset
/// where the sentence starts, so that per-sentence calls agree with a whole-text call)
/// and `years`.
/// `within` is the sentence's figures ([`super::tokens::figures_within`]), worked out
/// once by the caller for all the extractors.
pub fn extract(text: &str, tokens: &[Token], figures: &[Figure], within: &[Figure]) -> Vec<Claim> {
    let mut out = Vec::new();
    // Most sentences hold no unhedged percentage: done without a pass over the tokens.
    if !within
        .iter()
        .any(|f| f.kind == FigureKind::Percent && f.hedge.is_none())
    {
        return out;
    }
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
                let mut subject = st.words.clone();
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
fn statement(
    text: &str,
    tokens: &[Token],
    figures: &[Figure],
    i: usize,
    fi: usize,
) -> Option<Statement> {
    let mut words = Vec::new();
    let mut direction = None;
    let mut start = i;
    let mut j = i.checked_sub(2)?;
    loop {
        let t = &tokens[j];
        let TokenKind::Word = t.kind else { break };
        let w = text[t.span.start..t.span.end].to_lowercase();
        if BOUNDARY_WORDS.contains(&w.as_str()) {
            break;
        }
        if direction.is_none()
            && words.is_empty()
            && (DOWN.contains(&w.as_str()) || UP.contains(&w.as_str()))
        {
            direction = Some(if DOWN.contains(&w.as_str()) {
                "down"
            } else {
                "up"
            });
        } else if !SKIP.contains(&w.as_str()) && w.chars().all(char::is_alphabetic) {
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
