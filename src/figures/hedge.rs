//! Hedge words around a figure: "more than 14,000", "some 200", "50 or more".
//!
//! Prefix hedges are matched backwards from the start of the figure, word by word, with
//! any whitespace (line breaks included) between words, because PDF text breaks lines
//! anywhere. Longer phrases come first so "not more than" wins over "more than".

use super::Hedge;
use super::lex::{is_word_char, prev_char, skip_ws, skip_ws_back};

/// Prefix hedge phrases, longest and most specific first.
const PREFIX: &[(&[&str], Hedge)] = &[
    (&["just", "under"], Hedge::Nearly),
    (&["just", "below"], Hedge::Nearly),
    (&["not", "less", "than"], Hedge::AtLeast),
    (&["no", "less", "than"], Hedge::AtLeast),
    (&["no", "fewer", "than"], Hedge::AtLeast),
    (&["not", "fewer", "than"], Hedge::AtLeast),
    (&["no", "more", "than"], Hedge::AtMost),
    (&["not", "more", "than"], Hedge::AtMost),
    (&["not", "exceeding"], Hedge::AtMost),
    (&["in", "excess", "of"], Hedge::MoreThan),
    (&["more", "than"], Hedge::MoreThan),
    (&["over"], Hedge::MoreThan),
    (&["above"], Hedge::MoreThan),
    (&["exceeding"], Hedge::MoreThan),
    (&["at", "least"], Hedge::AtLeast),
    (&["fewer", "than"], Hedge::LessThan),
    (&["less", "than"], Hedge::LessThan),
    (&["under"], Hedge::LessThan),
    (&["below"], Hedge::LessThan),
    (&["up", "to"], Hedge::AtMost),
    (&["at", "most"], Hedge::AtMost),
    (&["an", "estimated"], Hedge::About),
    (&["approximately"], Hedge::About),
    (&["approx."], Hedge::About),
    (&["about"], Hedge::About),
    (&["around"], Hedge::About),
    (&["roughly"], Hedge::About),
    (&["some"], Hedge::About),
    (&["nearly"], Hedge::Nearly),
    (&["almost"], Hedge::Nearly),
];

/// Match `words` backwards so that the last word ends (after whitespace) at `end`.
/// Returns the start of the first word. Nothing before `min` may be used.
fn match_back(text: &str, end: usize, words: &[&str], min: usize) -> Option<usize> {
    let mut i = end;
    for w in words.iter().rev() {
        let j = skip_ws_back(text, i);
        if j == i || j < min + w.len() {
            return None;
        }
        let start = j - w.len();
        let cand = text.get(start..j)?;
        if !cand.eq_ignore_ascii_case(w) {
            return None;
        }
        if prev_char(text, start).is_some_and(is_word_char) {
            return None;
        }
        i = start;
    }
    Some(i)
}

/// A hedge phrase ending right before `start` (whitespace between): `(hedge, phrase start)`.
pub(crate) fn prefix(text: &str, start: usize, min: usize) -> Option<(Hedge, usize)> {
    // Cheap rejection first: most figures have no hedge, and the last word decides.
    let j = skip_ws_back(text, start);
    if j == start || j <= min {
        return None;
    }
    let head = text.get(..j)?;
    let last_len = head
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_alphabetic() || *b == b'.')
        .count();
    let last = &head[j - last_len..];
    if !is_last_word(last.as_bytes()) {
        return None;
    }
    // Only phrases ending in that word can match: a phrase whose last word is a shorter
    // tail of the run has a letter before it (which `match_back` rejects) or a dot, and
    // no phrase's last word equals a run with a dot inside. So only they are walked back.
    PREFIX
        .iter()
        .filter(|(words, _)| words.last().is_some_and(|w| w.eq_ignore_ascii_case(last)))
        .find_map(|&(words, h)| match_back(text, start, words, min).map(|s| (h, s)))
}

/// Whether `w` (ASCII letters and dots) is, ignoring case, the last word of a phrase in
/// [`PREFIX`]: one `match` on a lower-cased copy, where most words before a figure stop
/// instead of being compared with every phrase.
fn is_last_word(w: &[u8]) -> bool {
    let mut buf = [0u8; 13];
    let Some(lower) = buf.get_mut(..w.len()) else {
        return false;
    };
    for (d, s) in lower.iter_mut().zip(w) {
        *d = s.to_ascii_lowercase();
    }
    matches!(
        &*lower,
        b"under"
            | b"below"
            | b"than"
            | b"exceeding"
            | b"of"
            | b"over"
            | b"above"
            | b"least"
            | b"to"
            | b"most"
            | b"estimated"
            | b"approximately"
            | b"approx."
            | b"about"
            | b"around"
            | b"roughly"
            | b"some"
            | b"nearly"
            | b"almost"
    )
}

/// "or more" / "or less" / "or fewer" after `end`: `(hedge, phrase end)`.
pub(crate) fn suffix(text: &str, end: usize) -> Option<(Hedge, usize)> {
    let a = skip_ws(text, end);
    if a == end {
        return None;
    }
    let (or, e) = super::lex::word_at(text, a)?;
    if !or.eq_ignore_ascii_case("or") {
        return None;
    }
    let (_, w, e2) = super::lex::next_word(text, e)?;
    let h = match w.to_ascii_lowercase().as_str() {
        "more" | "above" | "over" => Hedge::AtLeast,
        "less" | "fewer" | "below" => Hedge::AtMost,
        _ => return None,
    };
    // "5 or more" but not "5 or more than 10": "than" after means a new comparison.
    if let Some((_, nw, _)) = super::lex::next_word(text, e2)
        && nw.eq_ignore_ascii_case("than")
    {
        return None;
    }
    Some((h, e2))
}

#[cfg(test)]
mod last_word_tests {
    /// The quick rejection in `prefix` must let in the last word of every phrase.
    #[test]
    fn every_phrase_end_is_a_last_word() {
        for (words, _) in super::PREFIX {
            let last = words.last().copied().unwrap_or_default();
            assert!(super::is_last_word(last.as_bytes()), "{last}");
            assert!(
                super::is_last_word(last.to_uppercase().as_bytes()),
                "{last}"
            );
        }
    }
}
