//! Things that look like quantities but are not: reference numbers after keywords
//! ("art. 145", "paras. 12–14", "Resolution No. 725", "resolutions 1325 (2000) and
//! 1820 (2008)"), phone numbers and URLs.
//!
//! Each function returns the end of the region to skip; the scanner emits nothing in it.

use super::lex::{is_ws, next_char, skip_token, skip_ws, word_at};

/// A reference token: starts with a digit, then digits, letters, dots, slashes, hyphens and
/// dashes ("145", "20-1", "382-VI", "45/2012", "5.5.1", "12–14"). Trailing dots and dashes
/// are left for the sentence.
fn ref_token(text: &str, i: usize) -> Option<usize> {
    if !next_char(text, i).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let rest = text.get(i..)?;
    let mut end = i;
    let bytes = rest.as_bytes();
    let mut k = 0;
    // ASCII bytes without decoding; a non-ASCII char is decoded.
    while let Some(&b) = bytes.get(k) {
        let n = if b < 0x80 {
            if !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'-')) {
                break;
            }
            1
        } else {
            match rest[k..].chars().next() {
                Some(c) if c.is_alphanumeric() || matches!(c, '–' | '—') => c.len_utf8(),
                _ => break,
            }
        };
        k += n;
        end = i + k;
    }
    // Give back trailing punctuation so "(art. 57)." does not eat the full stop.
    let tok = text.get(i..end)?;
    let trimmed = tok.trim_end_matches(['.', '-', '–', '—']);
    Some(i + trimmed.len())
}

/// A parenthesised label after a reference: "(c)", "(7)", "(2000)", "(bis)".
fn paren_label(text: &str, i: usize) -> Option<usize> {
    let rest = text.get(i..)?;
    let inner = rest.strip_prefix('(')?;
    let len = inner
        .char_indices()
        .find(|&(_, c)| !c.is_alphanumeric())
        .map_or(inner.len(), |(k, _)| k);
    if len == 0 || len > 4 || !inner[len..].starts_with(')') {
        return None;
    }
    Some(i + 1 + len + 1)
}

/// Consume a reference list starting at `i` (right after the keyword, with its optional
/// dot): "145", "6, 10 and 11", "1 (7)", "12–14", "1325 (2000), 1820 (2008) and 2467
/// (2019)". Returns the end, or `None` when no reference number follows.
///
/// Inlined up to the test for the first digit: most keywords ("the article on", "the
/// rule of law") have none after them.
#[inline]
pub(crate) fn reference_list(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let j = if b.get(i) == Some(&b'.') { i + 1 } else { i };
    let start = skip_ws(text, j);
    if !b.get(start).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    reference_list_from(text, start)
}

/// [`reference_list`] from `start`, where a digit stands.
#[inline(never)]
fn reference_list_from(text: &str, start: usize) -> Option<usize> {
    let mut end = ref_token(text, start)?;
    loop {
        // Labels: "(b)", "(7)", "(2000)".
        loop {
            let k = skip_ws(text, end);
            match paren_label(text, k) {
                Some(e) => end = e,
                None => break,
            }
        }
        // Continuation: ", 10", " and 11", " or 3", " to 14", "–14".
        let mut k = skip_ws(text, end);
        match next_char(text, k) {
            Some(',' | '–' | '—' | '-') => k += next_char(text, k).map_or(1, char::len_utf8),
            Some(c) if c.is_alphabetic() => {
                let (w, e) = word_at(text, k)?;
                // Compared in place: lower-casing into a new string cost an allocation
                // for every word after a reference.
                if !super::lex::is_one_of(w, &["and", "or", "to"]) {
                    return Some(end);
                }
                k = e;
            }
            _ => return Some(end),
        }
        let k = skip_ws(text, k);
        match ref_token(text, k) {
            Some(e) => end = e,
            None => return Some(end),
        }
    }
}

/// After "No"/"Nos" (case-insensitive): an optional dot, optional space, and a token that
/// starts with a digit ("No. 725", "No.361-VI", "Nos. 3 and 4").
pub(crate) fn no_reference(text: &str, i: usize) -> Option<usize> {
    reference_list(text, i)
}

/// A phone number from `i`: digit groups separated by single spaces, hyphens or
/// parentheses ("+7 7172 74 08 56", "8 (7172) 58-00-58"). Returns its end.
pub(crate) fn phone(text: &str, i: usize) -> usize {
    let b = text.as_bytes();
    let mut j = i;
    let mut end = i;
    while j < b.len() {
        let c = b[j];
        if c.is_ascii_digit() || c == b')' {
            j += 1;
            end = j;
        } else if matches!(c, b' ' | b'-' | b'(' | b'+') {
            // A separator only continues the number when a digit or "(" follows it.
            match b.get(j + 1) {
                Some(n) if n.is_ascii_digit() || *n == b'(' => j += 1,
                _ => break,
            }
        } else {
            break;
        }
    }
    end.max(i)
}

/// True when `i` starts "ws ( dddd ) ws digit", the area-code shape of a phone number
/// after a leading trunk digit ("8 (7172) 58-00-58").
pub(crate) fn looks_like_area_code(text: &str, i: usize) -> bool {
    let k = skip_ws(text, i);
    let Some(rest) = text.get(k..) else {
        return false;
    };
    let Some(inner) = rest.strip_prefix('(') else {
        return false;
    };
    let n = inner.bytes().take_while(u8::is_ascii_digit).count();
    if !(3..=5).contains(&n) || !inner[n..].starts_with(')') {
        return false;
    }
    let after = k + 1 + n + 1;
    next_char(text, after).is_some_and(is_ws)
        && next_char(text, skip_ws(text, after)).is_some_and(|c| c.is_ascii_digit())
}

/// End of a URL starting at `i`: the next whitespace.
pub(crate) fn url(text: &str, i: usize) -> usize {
    skip_token(text, i)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// `ref_token` as it was, decoding every char.
    fn ref_token_reference(text: &str, i: usize) -> Option<usize> {
        if !super::next_char(text, i).is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        let rest = text.get(i..)?;
        let mut end = i;
        for (k, c) in rest.char_indices() {
            if c.is_alphanumeric() || matches!(c, '.' | '/' | '-' | '–' | '—') {
                end = i + k + c.len_utf8();
            } else {
                break;
            }
        }
        let tok = text.get(i..end)?;
        let trimmed = tok.trim_end_matches(['.', '-', '–', '—']);
        Some(i + trimmed.len())
    }

    /// `reference_list` before its first test was inlined: the dot and the first token
    /// read by the loop's own steps.
    fn reference_list_reference(text: &str, i: usize) -> Option<usize> {
        let mut j = i;
        if text.get(j..)?.starts_with('.') {
            j += 1;
        }
        let start = super::skip_ws(text, j);
        super::ref_token(text, start)?;
        super::reference_list_from(text, start)
    }

    proptest! {
        /// The inlined first test turns away what the first token did, from every byte
        /// and past the end.
        #[test]
        fn reference_lists_end_where_they_did(text in "[.0-9a ,\n()–é]{0,16}") {
            for i in 0..=text.len() + 1 {
                prop_assert_eq!(super::reference_list(&text, i), reference_list_reference(&text, i), "{:?} at {}", text, i);
            }
        }

        #[test]
        fn reference_tokens_end_where_they_did(text in "[0-9a-zA-Z./\\-–—_ ()é١,]{0,24}") {
            for i in (0..=text.len()).filter(|&k| text.is_char_boundary(k)) {
                prop_assert_eq!(super::ref_token(&text, i), ref_token_reference(&text, i), "{:?} at {}", text, i);
            }
        }
    }
}
