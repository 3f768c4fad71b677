//! Configured vocabulary laid over the scanned figures: currency words after a count
//! make it money, hedge phrases before a figure hedge it. Runs after the scan, so the
//! scanner's built-in automata stay fixed and fast.

use super::{Currency, Figure, FigureKind};
use crate::settings::Vocabulary;

/// Apply `vocabulary` to `figures` (found in `text`); spans grow to cover the words.
pub fn apply(text: &str, figures: &mut [Figure], vocabulary: &Vocabulary) {
    if vocabulary.currencies.is_empty() && vocabulary.hedges.is_empty() {
        return;
    }
    let mut prev_end = 0;
    for i in 0..figures.len() {
        let next_start = figures.get(i + 1).map_or(text.len(), |f| f.span().start);
        let f = &mut figures[i];
        if f.kind == FigureKind::Count
            && let Some((end, code)) =
                word_after(text, f.span().end, next_start, &vocabulary.currencies)
        {
            f.kind = FigureKind::Money(Currency::new(code));
            f.whole.set_end(end);
        }
        let hedgeable = matches!(
            f.kind,
            FigureKind::Count
                | FigureKind::Money(_)
                | FigureKind::Percent
                | FigureKind::Rate { .. }
                | FigureKind::Multiplier
        );
        if f.hedge.is_none() && hedgeable {
            for (phrase, meaning) in &vocabulary.hedges {
                if let Some(start) = phrase_before(text, f.span().start, prev_end, phrase) {
                    f.hedge = Some(*meaning);
                    f.whole.set_start(start);
                    break;
                }
            }
        }
        prev_end = f.span().end;
    }
}

/// The end of a configured word right after `at` (past spaces), and its value.
fn word_after<'v>(
    text: &str,
    at: usize,
    limit: usize,
    words: &'v std::collections::BTreeMap<String, String>,
) -> Option<(usize, &'v str)> {
    let rest = text.get(at..limit)?;
    let skipped = rest.len() - rest.trim_start().len();
    let rest = &rest[skipped..];
    let word_len = rest
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(rest.len());
    let word = &rest[..word_len];
    if word.is_empty() {
        return None;
    }
    words
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(word))
        .map(|(_, code)| (at + skipped + word_len, code.as_str()))
}

/// Where `phrase` starts when its words end right before `at`, after `floor`; words
/// compare case-insensitively and any whitespace (line breaks too) may separate them.
fn phrase_before(text: &str, at: usize, floor: usize, phrase: &str) -> Option<usize> {
    let before = text.get(floor..at)?;
    let want: Vec<String> = phrase.split_whitespace().map(str::to_lowercase).collect();
    let mut end = before.trim_end().len();
    let mut start = end;
    for w in want.iter().rev() {
        let head = before[..end].trim_end();
        let word_start = head.rfind(char::is_whitespace).map_or(0, |i| {
            i + head[i..].chars().next().map_or(1, char::len_utf8)
        });
        if head[word_start..].to_lowercase() != *w {
            return None;
        }
        start = word_start;
        end = word_start;
    }
    (!want.is_empty()).then_some(floor + start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::{Hedge, scan};

    #[test]
    fn currencies_and_hedges_from_configuration() {
        let text = "spent 500 som on shelters, in the region of 40 per cent of it";
        let mut f = scan(text);
        let mut v = Vocabulary::default();
        v.currencies.insert("som".into(), "KGS".into());
        v.hedges.insert("in the region of".into(), Hedge::About);
        apply(text, &mut f, &v);
        assert_eq!(f[0].kind, FigureKind::Money(Currency::new("KGS")));
        assert_eq!(&text[f[0].span().start..f[0].span().end], "500 som");
        assert_eq!(f[1].hedge, Some(Hedge::About));
        assert_eq!(
            &text[f[1].span().start..f[1].span().end],
            "in the region of 40 per cent"
        );
    }

    #[test]
    fn a_phrase_needs_a_word_boundary() {
        let text = "xin the region of 40 per cent";
        let mut f = scan(text);
        let mut v = Vocabulary::default();
        v.hedges.insert("in the region of".into(), Hedge::About);
        apply(text, &mut f, &v);
        assert_eq!(f[0].hedge, None);
    }
}
