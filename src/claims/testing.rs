//! Test support shared by the extractors' tests.

use super::{Token, TokenKind, tokenize};
use crate::figures::{self, Figure};

/// The seed report, the first fixture.
pub(crate) const SEED: &str = include_str!("../../seeds/000_26c4ac59d5b61832.txt");

/// Call `check` with every sentence of each of `texts` (cut at the tokenizer's stops):
/// the text, the sentence's tokens, every figure of the text and the sentence's figures.
/// Returns the sum of what `check` returns (e.g. how many claims it compared), so a test
/// can make sure it did not compare empty lists only.
pub(crate) fn for_every_sentence(
    texts: &[&str],
    mut check: impl FnMut(&str, &[Token], &[Figure], &[Figure]) -> usize,
) -> usize {
    let mut total = 0;
    for text in texts {
        let figs = figures::scan(text);
        let toks = tokenize(text, &figs);
        for sentence in toks.split_inclusive(|t| t.kind == TokenKind::Stop) {
            let within = super::tokens::figures_within(sentence, &figs);
            total += check(text, sentence, &figs, within);
        }
    }
    total
}
