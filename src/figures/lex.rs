//! Low-level text helpers for the figure scanner: whitespace, char neighbours, words.
//!
//! All positions are byte offsets into the scan text; every helper keeps them on char
//! boundaries so callers can slice without panicking.

/// Whitespace as PDF extraction produces it: ASCII, no-break space, narrow no-break space,
/// line breaks. `char::is_whitespace` covers all of these.
pub(crate) fn is_ws(c: char) -> bool {
    c.is_whitespace()
}

/// The char ending at byte `i`, if any (`None` when `i` is inside a char).
#[inline]
pub(crate) fn prev_char(text: &str, i: usize) -> Option<char> {
    match i.checked_sub(1).and_then(|k| text.as_bytes().get(k)) {
        // An ASCII byte ends a char, and no byte after it continues one: `i` is a char
        // boundary.
        Some(&b) if b < 0x80 => Some(char::from(b)),
        _ => text.get(..i)?.chars().next_back(),
    }
}

/// The char starting at byte `i`, if any (`None` when `i` is inside a char).
#[inline]
pub(crate) fn next_char(text: &str, i: usize) -> Option<char> {
    match text.as_bytes().get(i) {
        Some(&b) if b < 0x80 => Some(char::from(b)),
        _ => text.get(i..)?.chars().next(),
    }
}

/// ASCII bytes that `char::is_whitespace` accepts: tab to carriage return, and space.
pub(crate) fn is_ascii_ws(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// True for an ASCII byte that is no whitespace: `b < 0x80 && !is_ascii_ws(b)`, from a
/// table. The whitespace skips' fast paths ask it of one or two bytes at every call,
/// and a load and a test are fewer instructions than the comparisons.
#[inline]
pub(crate) fn is_ascii_mark(b: u8) -> bool {
    ASCII_MARKS[usize::from(b)]
}

/// [`is_ascii_mark`] for every byte.
static ASCII_MARKS: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x80 {
        table[b] = !matches!(b as u8, b'\t'..=b'\r' | b' ');
        b += 1;
    }
    table
};

/// First byte at or after `i` that is not whitespace.
#[inline]
pub(crate) fn skip_ws(text: &str, i: usize) -> usize {
    // Inlined fast path for what most callers meet: no whitespace, or one space, before
    // an ASCII byte that is no whitespace. Anything else takes the loop. (Telling both
    // cases from a two-byte load with one branch was tried: more instructions, and no
    // fewer simulated mispredicts in the scanner.)
    let b = text.as_bytes();
    match (b.get(i), b.get(i + 1)) {
        (Some(&c), _) if is_ascii_mark(c) => i,
        (Some(b' '), Some(&c)) if is_ascii_mark(c) => i + 1,
        _ => skip_ws_loop(text, i),
    }
}

/// [`skip_ws`] one char at a time (ASCII bytes without decoding).
#[inline(never)]
fn skip_ws_loop(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        // ASCII without decoding; a byte >= 0x80 is decoded (and a `i` inside a
        // character gives `None` there, as before).
        match bytes.get(i) {
            Some(&b) if b < 0x80 => {
                if !is_ascii_ws(b) {
                    return i;
                }
                i += 1;
            }
            None => return i,
            Some(_) => match next_char(text, i) {
                Some(c) if is_ws(c) => i += c.len_utf8(),
                _ => return i,
            },
        }
    }
}

/// First byte at or before `i` such that everything in `[result, i)` is whitespace.
#[inline]
pub(crate) fn skip_ws_back(text: &str, i: usize) -> usize {
    // Inlined fast path, as in `skip_ws`: no whitespace, or one space, after an ASCII
    // byte that is no whitespace (an ASCII byte before `i` means `i` is a boundary).
    let b = text.as_bytes();
    let before = |k: usize| i.checked_sub(k).and_then(|k| b.get(k));
    match (before(1), before(2)) {
        (Some(&c), _) if is_ascii_mark(c) => i,
        (Some(b' '), Some(&c)) if is_ascii_mark(c) => i - 1,
        _ => skip_ws_back_loop(text, i),
    }
}

/// [`skip_ws_back`] one char at a time (ASCII bytes without decoding).
#[inline(never)]
fn skip_ws_back_loop(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        // An ASCII byte before `i` ends a character only when `i` is a boundary, since
        // a byte after a character's start is never ASCII; others are decoded.
        match i.checked_sub(1).and_then(|k| bytes.get(k)) {
            Some(&b) if b < 0x80 => {
                if !is_ascii_ws(b) {
                    return i;
                }
                i -= 1;
            }
            None => return i,
            Some(_) => match prev_char(text, i) {
                Some(c) if is_ws(c) => i -= c.len_utf8(),
                _ => return i,
            },
        }
    }
}

/// First whitespace byte at or after `i` (or the end): the end of a glued token.
pub(crate) fn skip_token(text: &str, i: usize) -> usize {
    let Some(rest) = text.get(i..) else {
        return text.len();
    };
    match rest.char_indices().find(|&(_, c)| is_ws(c)) {
        Some((k, _)) => i + k,
        None => text.len(),
    }
}

/// True for chars that make a number part of a word ("G20", "5G", "Covid19").
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    // ASCII from a table: asked of the chars around every figure and trigger word, and
    // `is_alphanumeric` makes two tests before it knows an ASCII char.
    match ASCII_WORD_CHARS.get(c as usize) {
        Some(&word) => word,
        // General Punctuation (curly quotes, dashes, no-break and thin spaces: the
        // non-ASCII chars report prose has most next to figures and number words) holds
        // no letter or digit; told by one range test, where `is_alphanumeric` searched
        // two Unicode tables.
        None if is_general_punctuation(c) => false,
        None => c.is_alphanumeric(),
    }
}

/// [`is_word_char`] for the ASCII chars: letters, digits and `_`.
static ASCII_WORD_CHARS: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    table
};

/// The alphabetic word that ends exactly at `i` (no whitespace skipped): `(start, word)`.
pub(crate) fn word_ending_at(text: &str, i: usize) -> Option<(usize, &str)> {
    let head = text.get(..i)?;
    // ASCII letters without decoding; at a non-ASCII byte the characters are decoded
    // from there back, as `char::is_alphabetic` decides.
    let ascii = head
        .bytes()
        .rev()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    let mut start = i - ascii;
    if head.as_bytes()[..start].last().is_some_and(|&b| b >= 0x80) {
        start = head[..start]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_letter(c))
            .last()
            .map_or(start, |(k, _)| k);
    }
    if start == i {
        return None;
    }
    Some((start, &head[start..]))
}

/// The previous word before `i`, skipping whitespace (at least one whitespace char must
/// separate it from `i` unless `i` is a word end already): `(start, word)`.
pub(crate) fn prev_word(text: &str, i: usize) -> Option<(usize, &str)> {
    let j = skip_ws_back(text, i);
    if j == i {
        return None;
    }
    word_ending_at(text, j)
}

/// The alphabetic word starting at `i`: `(word, end)`.
#[inline]
pub(crate) fn word_at(text: &str, i: usize) -> Option<(&str, usize)> {
    let rest = text.get(i..)?;
    // ASCII letters without decoding, eight at a time; from a non-ASCII byte on,
    // characters are decoded (out of line: prose is mostly ASCII).
    let ascii = crate::swar::letters_from(rest.as_bytes(), 0);
    let len = if rest.as_bytes().get(ascii).is_some_and(|&b| b >= 0x80) {
        ascii + alphabetic_len(&rest[ascii..])
    } else {
        ascii
    };
    if len == 0 {
        None
    } else {
        Some((&rest[..len], i + len))
    }
}

/// Byte length of the alphabetic chars that `s` starts with.
#[cold]
fn alphabetic_len(s: &str) -> usize {
    s.char_indices()
        .find(|&(_, c)| !is_letter(c))
        .map_or(s.len(), |(k, _)| k)
}

/// `char::is_alphabetic`, with General Punctuation told apart first, as in
/// [`is_word_char`]: a word that runs into a non-ASCII byte mostly meets a curly
/// quote or a dash there ("women’s").
#[inline]
fn is_letter(c: char) -> bool {
    !is_general_punctuation(c) && c.is_alphabetic()
}

/// Whether `c` is in Unicode's General Punctuation block (U+2000 to U+206F), which holds
/// no letter or digit: one range test turns away the chars report prose has most beside
/// its words that are not ASCII.
#[inline]
fn is_general_punctuation(c: char) -> bool {
    ('\u{2000}'..='\u{206f}').contains(&c)
}

/// Whether `w` is one of `words` ignoring ASCII case: for words from a list (of the
/// code or of a rule's YAML), without a lower-cased copy of `w`.
#[inline]
pub(crate) fn is_one_of<S: AsRef<str>>(w: &str, words: &[S]) -> bool {
    words.iter().any(|x| w.eq_ignore_ascii_case(x.as_ref()))
}

/// The next word after `i`, skipping whitespace (at least one whitespace char required).
#[inline]
pub(crate) fn next_word(text: &str, i: usize) -> Option<(usize, &str, usize)> {
    let j = skip_ws(text, i);
    if j == i {
        return None;
    }
    word_at(text, j).map(|(w, e)| (j, w, e))
}

/// True when `i` starts a line: only spaces or tabs between `i` and the previous `\n`
/// (or the start of the text).
pub(crate) fn at_line_start(text: &str, i: usize) -> bool {
    let Some(head) = text.get(..i) else {
        return false;
    };
    for c in head.chars().rev() {
        match c {
            '\n' | '\r' => return true,
            ' ' | '\t' | '\u{a0}' => {}
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The inlined fast paths of the whitespace skips stop where their loops do, from
        /// every byte (char boundary or not) and past the end.
        #[test]
        fn whitespace_fast_paths_stop_where_the_loops_do(
            text in "[ \t\n\u{b}\u{a0}\u{202f}aZ%9é₸]{0,8}"
        ) {
            for i in 0..=text.len() + 1 {
                prop_assert_eq!(super::skip_ws(&text, i), super::skip_ws_loop(&text, i), "{:?} at {}", text, i);
                prop_assert_eq!(super::skip_ws_back(&text, i), super::skip_ws_back_loop(&text, i), "{:?} at {}", text, i);
            }
        }
    }

    /// The ASCII table of word chars agrees with the definition, for ASCII and beyond.
    #[test]
    fn word_chars_are_alphanumeric_or_underscore() {
        for c in ('\0'..='\u{3000}').chain(['\u{10ffff}', '𝟘', 'ß']) {
            assert_eq!(
                super::is_word_char(c),
                c.is_alphanumeric() || c == '_',
                "{c:?}"
            );
        }
    }

    /// The letter test with its General Punctuation shortcut agrees with
    /// `is_alphabetic`.
    #[test]
    fn letters_are_alphabetic() {
        for c in ('\0'..='\u{3000}').chain(['\u{10ffff}', '𝟘', 'ß']) {
            assert_eq!(super::is_letter(c), c.is_alphabetic(), "{c:?}");
        }
    }

    /// The table of ASCII marks agrees with its definition at every byte.
    #[test]
    fn ascii_marks_are_the_ascii_bytes_that_are_no_whitespace() {
        for b in 0..=255u8 {
            assert_eq!(
                super::is_ascii_mark(b),
                b < 0x80 && !super::is_ascii_ws(b),
                "{b}"
            );
            assert_eq!(
                super::is_ascii_ws(b),
                b < 0x80 && char::from(b).is_whitespace()
            );
        }
    }

    /// The ASCII shortcuts of `prev_char` and `next_char` answer as decoding does, at
    /// every byte, char boundary or not.
    #[test]
    fn neighbours_agree_with_decoding() {
        let text = "a é–b\u{a0}9 ₸x";
        for i in 0..=text.len() + 1 {
            assert_eq!(
                super::prev_char(text, i),
                text.get(..i).and_then(|h| h.chars().next_back()),
                "{i}"
            );
            assert_eq!(
                super::next_char(text, i),
                text.get(i..).and_then(|t| t.chars().next()),
                "{i}"
            );
        }
    }
}
