//! Metric statements ("942 criminal offences in the family and domestic sphere were
//! registered in 2022"): an amount, the words that say what it counts, and the one year
//! it is for, so that rules can compare what two passages say about the same metric.
//!
//! Deliberately narrow: the subject is every content word between the amount and the
//! year, so two statements match only when they are worded alike.

use std::borrow::Cow;

use super::{Claim, Token, TokenKind};
use crate::figures::{Figure, FigureKind};

/// Words that carry no subject.
const FUNCTION: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "at", "by", "for", "to", "from", "with", "and", "or",
    "was", "were", "is", "are", "be", "been", "has", "have", "had", "as", "that", "which", "who",
    "this", "these", "those", "its", "their", "such", "total", "country", "whole",
];

/// A lower-cased word as a subject holds it: `None` for a function word or anything
/// but letters, else the word without a plural `s` ("offences" and "offence" agree). The
/// facts linker ([`super::facts`]) normalises aliases the same way.
pub(crate) fn subject_word(lower: &str) -> Option<&str> {
    (!FUNCTION.contains(&lower) && lower.chars().all(char::is_alphabetic))
        .then(|| lower.trim_end_matches('s'))
}

/// `w` in lower case, as `str::to_lowercase` gives it, borrowed when that changes
/// nothing (most words: ASCII with no capital), so that reading a word allocates only
/// when it has to.
pub(crate) fn lower_case(w: &str) -> Cow<'_, str> {
    if w.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        Cow::Owned(w.to_lowercase())
    } else {
        Cow::Borrowed(w)
    }
}

/// Fewest content words a subject needs before two statements may be compared.
const MIN_WORDS: usize = 3;

/// One claim (family `cross-passage`) per amount followed, within the sentence, by its
/// subject words and exactly one year; attributes `subject` (sorted content words),
/// `year` and `unit`.
/// `within` is the sentence's figures (`tokens::figures_within`), worked out
/// once by the caller for all the extractors.
pub fn extract(text: &str, tokens: &[Token], figures: &[Figure], within: &[Figure]) -> Vec<Claim> {
    // Most sentences hold no year, or no amount a metric could be before one ("In 2020,
    // 500 ..." has none): done without a pass over the tokens. Figures come in text
    // order, so the amount's figure comes before the year's in `within`.
    let last_year = within.iter().rposition(|f| f.kind == FigureKind::Year);
    if !last_year.is_some_and(|y| within[..y].iter().any(may_be_metric)) {
        return Vec::new();
    }
    every_metric(text, tokens, figures)
}

/// Whether a figure is an amount a metric statement may state: unhedged, ten or more.
fn may_be_metric(f: &Figure) -> bool {
    f.hedge.is_none() && f.is_amount() && f.value >= 10.0
}

/// The full pass of [`extract`], for a sentence whose figures may hold a metric
/// statement; tests compare the two on every sentence.
// Out of line, so that the entry test before it stays small enough to be inlined
// into its caller and saves no registers for the many sentences it turns away.
#[inline(never)]
fn every_metric(text: &str, tokens: &[Token], figures: &[Figure]) -> Vec<Claim> {
    let mut out = Vec::new();
    let mut years = tokens.iter().filter_map(|t| match t.kind {
        TokenKind::Figure(f)
            if matches!(
                figures[f].kind,
                FigureKind::Year | FigureKind::YearRange { .. } | FigureKind::Date { .. }
            ) =>
        {
            Some(f)
        }
        _ => None,
    });
    // A sentence that names several periods could pair any amount with any of them.
    let (Some(year), None) = (years.next(), years.next()) else {
        return out;
    };
    if figures[year].kind != FigureKind::Year {
        return out;
    }
    for (i, t) in tokens.iter().enumerate() {
        let TokenKind::Figure(fi) = t.kind else {
            continue;
        };
        let f = &figures[fi];
        if !may_be_metric(f) {
            continue;
        }
        // Only words may come between the amount and the year (another figure or a clause
        // break means the words no longer describe `fi`): find that end before building
        // any word, as most amounts have none.
        let end = tokens[i + 1..]
            .iter()
            .position(|u| u.kind != TokenKind::Word)
            .map(|k| i + 1 + k)
            .filter(|&j| tokens[j].kind == TokenKind::Figure(year));
        let Some(end) = end else { continue };
        // Words are borrowed from the text unless lower-casing changes them.
        let mut words: Vec<Cow<'_, str>> = Vec::new();
        for u in &tokens[i + 1..end] {
            match lower_case(&text[u.span.start..u.span.end]) {
                Cow::Borrowed(w) => words.extend(subject_word(w).map(Cow::Borrowed)),
                Cow::Owned(w) => words.extend(subject_word(&w).map(|s| Cow::Owned(s.to_owned()))),
            }
        }
        if words.len() < MIN_WORDS {
            continue;
        }
        words.sort();
        words.dedup();
        let unit = match &f.kind {
            FigureKind::Money(c) => c.code().to_owned(),
            _ => "count".to_string(),
        };
        out.push(Claim {
            attrs: vec![
                ("subject", words.join(" ")),
                ("year", format!("{}", figures[year].value)),
                ("unit", unit),
            ],
            ..Claim::new(
                "cross-passage",
                t.span.cover(tokens[end].span),
                vec![("value".into(), fi)],
            )
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::testing::{SEED, for_every_sentence};

    proptest::proptest! {
        /// The borrowing lower-casing gives what `to_lowercase` gives.
        #[test]
        fn lower_case_agrees_with_to_lowercase(w in "[a-zA-Z\u{e9}\u{c9}\u{130}\u{212a}\u{3a3}]{0,8}") {
            let want = w.to_lowercase();
            proptest::prop_assert_eq!(lower_case(&w).into_owned(), want);
        }
    }

    #[test]
    fn entry_check_skips_only_sentences_without_metrics() {
        let crafted = "942 criminal offences in the family sphere were registered in 2022. \
            In 2021, 800 criminal offences in the family sphere were registered. \
            About 700 criminal offences in the family sphere were registered in 2020. \
            1,200 new rural health posts were opened in 2019 and 2020.";
        let found = for_every_sentence(&[SEED, crafted], |text, sentence, figs, within| {
            let all = every_metric(text, sentence, figs);
            assert_eq!(extract(text, sentence, figs, within), all);
            all.len()
        });
        assert!(found >= 2, "{found}");
    }
}
