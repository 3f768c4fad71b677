//! Hedge words around a figure: "more than 14,000", "some 200", "50 or more".
//!
//! Prefix hedges are matched backwards from the start of the figure, word by word, with
//! any whitespace (line breaks included) between words, because PDF text breaks lines
//! anywhere. Longer phrases come first so "not more than" wins over "more than".

use super::Hedge;
use super::lex::{is_word_char, prev_char, skip_ws, skip_ws_back};
use crate::swar::{HIGH, ONES, ascii_in_range, ascii_letters, load8};

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
///
/// Inlined where figures are pushed, up to the test of one byte: most figures have no
/// hedge, and the call's own cost was a good part of turning them away.
#[inline]
pub(crate) fn prefix(text: &str, start: usize, min: usize) -> Option<(Hedge, usize)> {
    // Cheap rejection first: most figures have no hedge, and the last word decides.
    let j = skip_ws_back(text, start);
    if j == start || j <= min {
        return None;
    }
    // The byte before the whitespace ends the last word: most words end in a letter no
    // phrase ends in ("and", "is", "with", "from" ...), and one bit test turns them away
    // before the run of letters is counted.
    let last = *text.as_bytes().get(..j)?.last()?;
    if (PHRASE_END_BYTES >> (last & 0x1f)) & 1 == 0 {
        return None;
    }
    prefix_ending_at(text, j, min)
}

/// [`prefix`] past its first tests: the phrase whose last word ends at `j`, a byte that
/// may end one.
#[inline(never)]
fn prefix_ending_at(text: &str, j: usize, min: usize) -> Option<(Hedge, usize)> {
    let b = text.as_bytes().get(..j)?;
    let last = *b.last()?;
    // The run of letters and dots before `j`, looked at no further back than one byte
    // past the longest last word (a longer run is no last word either).
    let last_len = letters_or_dots_before(b);
    // A phrase's last word has this length and this last byte: most other words before
    // a figure ("in", "by", "the", "years") stop here, before they are compared.
    if (PHRASE_END_BYTES_BY_LEN[last_len] >> (last & 0x1f)) & 1 == 0 {
        return None;
    }
    let last_start = j - last_len;
    let word = if last_len <= 8 {
        // The eight bytes ending at `j` (zero bytes before the text's start), the word's
        // in the top lanes: shifted down, with bit 5 set (lower-casing its letters and
        // keeping its dots), they are the word's key.
        let tail = match j {
            8.. => load8(b, j - 8),
            _ => load8(b, 0) << (8 * (8 - j)),
        };
        short_last_word((tail | (ONES * 0x20)) >> (8 * (8 - last_len)))?
    } else {
        last_word(&b[last_start..])?
    };
    // The checks `match_back` makes on a phrase's last word, made once here: it is this
    // word, and may not be used before `min` or stand glued to a word character.
    if last_start < min || prev_char(text, last_start).is_some_and(is_word_char) {
        return None;
    }
    // Only phrases ending in that word can match: a phrase whose last word is a shorter
    // tail of the run has a letter before it (which `match_back` rejects) or a dot, and
    // no phrase's last word equals a run with a dot inside. So only they are walked back
    // (from their word before last), in the order of [`PREFIX`].
    let mut phrases = phrases_ending_in()[word];
    while phrases != 0 {
        let (words, h) = PREFIX[phrases.trailing_zeros() as usize];
        let before_last = &words[..words.len().saturating_sub(1)];
        if let Some(s) = match_back(text, last_start, before_last, min) {
            return Some((h, s));
        }
        phrases &= phrases - 1;
    }
    None
}

/// For each length up to one past [`LONGEST_LAST_WORD`] (what
/// [`letters_or_dots_before`] may count), the last bytes of the phrases' last words of that
/// length: bit `b & 0x1f` for byte `b`. A letter's bit is the same in either case; the
/// dot of "approx." shares its bit with "n", so the filter lets in a few more words than
/// it must, never fewer.
const PHRASE_END_BYTES_BY_LEN: [u32; LONGEST_LAST_WORD + 2] = {
    let mut table = [0u32; LONGEST_LAST_WORD + 2];
    let mut k = 0;
    while k < PREFIX.len() {
        let words = PREFIX[k].0;
        let w = words[words.len() - 1].as_bytes();
        table[w.len()] |= 1 << (w[w.len() - 1] & 0x1f);
        k += 1;
    }
    table
};

/// The last bytes of all the phrases' last words, whatever their length (as in
/// [`PHRASE_END_BYTES_BY_LEN`]).
const PHRASE_END_BYTES: u32 = {
    let mut all = 0;
    let mut n = 0;
    while n < PHRASE_END_BYTES_BY_LEN.len() {
        all |= PHRASE_END_BYTES_BY_LEN[n];
        n += 1;
    }
    all
};

/// How many ASCII letters and dots end `b`, counted no further back than
/// `LONGEST_LAST_WORD + 1`. Eight bytes at a time: this runs before every figure, and
/// the byte-by-byte walk back was a good part of the cost of `prefix`.
fn letters_or_dots_before(b: &[u8]) -> usize {
    let mut n = 0;
    while n <= LONGEST_LAST_WORD {
        let end = b.len() - n;
        // The eight bytes ending at `end`, the last one in the top lane; zero bytes (no
        // letter, no dot) stand in for those before the start of `b`.
        let x = match end {
            0 => break,
            8.. => load8(b, end - 8),
            _ => load8(b, 0) << (8 * (8 - end)),
        };
        let wanted = ascii_letters(x) | ascii_in_range(x, b'.', b'.');
        let run = ((!wanted & HIGH).leading_zeros() / 8) as usize;
        n += run;
        if run < 8 {
            break;
        }
    }
    n.min(LONGEST_LAST_WORD + 1)
}

/// For each last word ([`last_word`]), the phrases of [`PREFIX`] that end in it: bit `k`
/// for `PREFIX[k]`.
fn phrases_ending_in() -> &'static [u32; LAST_WORDS] {
    static MASKS: std::sync::OnceLock<[u32; LAST_WORDS]> = std::sync::OnceLock::new();
    MASKS.get_or_init(|| {
        let mut masks = [0u32; LAST_WORDS];
        for (k, (words, _)) in PREFIX.iter().enumerate() {
            if let Some(w) = words.last().and_then(|w| last_word(w.as_bytes())) {
                masks[w] |= 1 << k;
            }
        }
        masks
    })
}

/// How many different words end the phrases in [`PREFIX`].
const LAST_WORDS: usize = 19;

/// Bytes in the longest of them ("approximately").
const LONGEST_LAST_WORD: usize = 13;

/// Which last word of a phrase in [`PREFIX`] `w` (ASCII letters and dots) is, ignoring
/// case, as an index below [`LAST_WORDS`]: one `match` on a lower-cased copy, where most
/// words before a figure stop instead of being compared with every phrase.
fn last_word(w: &[u8]) -> Option<usize> {
    let mut buf = [0u8; LONGEST_LAST_WORD];
    let lower = buf.get_mut(..w.len())?;
    for (d, s) in lower.iter_mut().zip(w) {
        *d = s.to_ascii_lowercase();
    }
    Some(match &*lower {
        b"under" => 0,
        b"below" => 1,
        b"than" => 2,
        b"exceeding" => 3,
        b"of" => 4,
        b"over" => 5,
        b"above" => 6,
        b"least" => 7,
        b"to" => 8,
        b"most" => 9,
        b"estimated" => 10,
        b"approximately" => 11,
        b"approx." => 12,
        b"about" => 13,
        b"around" => 14,
        b"roughly" => 15,
        b"some" => 16,
        b"nearly" => 17,
        b"almost" => 18,
        _ => return None,
    })
}

/// A last word of at most eight bytes packed as [`key`] packs it (lower case, little
/// endian, zero bytes after it) into one `u64`: `last_word` by one comparison of
/// integers per word instead of a lower-cased copy compared byte by byte. Longer words
/// have no key and come to `last_word`.
fn short_last_word(word_key: u64) -> Option<usize> {
    const UNDER: u64 = key(b"under");
    const BELOW: u64 = key(b"below");
    const THAN: u64 = key(b"than");
    const OF: u64 = key(b"of");
    const OVER: u64 = key(b"over");
    const ABOVE: u64 = key(b"above");
    const LEAST: u64 = key(b"least");
    const TO: u64 = key(b"to");
    const MOST: u64 = key(b"most");
    const APPROX: u64 = key(b"approx.");
    const ABOUT: u64 = key(b"about");
    const AROUND: u64 = key(b"around");
    const ROUGHLY: u64 = key(b"roughly");
    const SOME: u64 = key(b"some");
    const NEARLY: u64 = key(b"nearly");
    const ALMOST: u64 = key(b"almost");
    Some(match word_key {
        UNDER => 0,
        BELOW => 1,
        THAN => 2,
        OF => 4,
        OVER => 5,
        ABOVE => 6,
        LEAST => 7,
        TO => 8,
        MOST => 9,
        APPROX => 12,
        ABOUT => 13,
        AROUND => 14,
        ROUGHLY => 15,
        SOME => 16,
        NEARLY => 17,
        ALMOST => 18,
        _ => return None,
    })
}

/// Up to eight bytes as one little-endian `u64`, zero bytes after them.
const fn key(w: &[u8]) -> u64 {
    let mut k = 0u64;
    let mut n = w.len();
    while n > 0 {
        n -= 1;
        k = (k << 8) | w[n] as u64;
    }
    k
}

/// "or more" / "or less" / "or fewer" after `end`: `(hedge, phrase end)`.
///
/// Inlined up to the test of two bytes, as [`prefix`] is.
#[inline]
pub(crate) fn suffix(text: &str, end: usize) -> Option<(Hedge, usize)> {
    let a = skip_ws(text, end);
    if a == end {
        return None;
    }
    // Most figures are followed by some other word: look at two bytes before reading it.
    if !text
        .as_bytes()
        .get(a..a + 2)
        .is_some_and(|w| w.eq_ignore_ascii_case(b"or"))
    {
        return None;
    }
    suffix_from(text, a)
}

/// [`suffix`] past its first tests: the phrase from `a`, where "or" (any case) stands.
#[inline(never)]
fn suffix_from(text: &str, a: usize) -> Option<(Hedge, usize)> {
    let (or, e) = super::lex::word_at(text, a)?;
    if !or.eq_ignore_ascii_case("or") {
        return None;
    }
    let (_, w, e2) = super::lex::next_word(text, e)?;
    let h = if super::lex::is_one_of(w, &["more", "above", "over"]) {
        Hedge::AtLeast
    } else if super::lex::is_one_of(w, &["less", "fewer", "below"]) {
        Hedge::AtMost
    } else {
        return None;
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
    use proptest::prelude::*;

    proptest! {
        /// The packed words name the word `last_word` names, for every phrase end in
        /// either case and for other runs of letters and dots of up to eight bytes.
        #[test]
        fn short_last_words_are_last_words(w in "([a-zA-Z.]{1,8}|under|Below|THAN|of|over|above|least|to|most|approx.|about|around|roughly|some|nearly|almost)") {
            let k = u64::from_le_bytes(std::array::from_fn(|n| w.as_bytes().get(n).map_or(0, |b| b | 0x20)));
            prop_assert_eq!(super::short_last_word(k), super::last_word(w.as_bytes()), "{:?}", w);
        }
    }

    /// The quick rejection in `prefix` must let in the last word of every phrase, and
    /// each phrase is walked back for its own last word.
    #[test]
    fn every_phrase_end_is_a_last_word() {
        assert!(super::PREFIX.len() <= 32, "phrase sets are u32 masks");
        for (k, (words, _)) in super::PREFIX.iter().enumerate() {
            let last = words.last().copied().unwrap_or_default();
            let w = super::last_word(last.as_bytes());
            assert!(w.is_some(), "{last}");
            assert_eq!(
                super::last_word(last.to_uppercase().as_bytes()),
                w,
                "{last}"
            );
            let phrases = w.map_or(0, |w| super::phrases_ending_in()[w]);
            assert!(phrases & 1 << k != 0, "{last}");
            for other in 0..super::PREFIX.len() {
                let same = super::PREFIX[other].0.last() == words.last();
                assert_eq!(phrases & 1 << other != 0, same, "{last}");
            }
        }
    }
}

#[cfg(test)]
mod prefix_tests {
    //! `prefix` against the version before its lookup table: the run of letters and dots
    //! before the figure read whole, then every phrase of `PREFIX` ending in it, in order,
    //! walked back by `match_back`.

    use super::{Hedge, PREFIX, last_word, match_back, prefix, skip_ws_back};
    use proptest::prelude::*;

    fn prefix_reference(text: &str, start: usize, min: usize) -> Option<(Hedge, usize)> {
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
        last_word(last.as_bytes())?;
        PREFIX
            .iter()
            .filter(|(words, _)| words.last().is_some_and(|w| w.eq_ignore_ascii_case(last)))
            .find_map(|&(words, h)| match_back(text, start, words, min).map(|s| (h, s)))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// The eight-at-a-time count of letters and dots agrees with a walk back one byte
        /// at a time, at every end, for runs shorter and longer than the limit.
        #[test]
        fn letters_and_dots_counted_as_one_byte_at_a_time(
            text in "([a-zA-Z.]{0,20}|[ 0-9_,é\u{0}]{0,3}){0,5}"
        ) {
            let b = text.as_bytes();
            for j in 0..=b.len() {
                let walked = b[..j]
                    .iter()
                    .rev()
                    .take(super::LONGEST_LAST_WORD + 1)
                    .take_while(|b| b.is_ascii_alphabetic() || **b == b'.')
                    .count();
                prop_assert_eq!(super::letters_or_dots_before(&b[..j]), walked, "{:?} to {}", text, j);
            }
        }

        #[test]
        fn prefix_finds_what_the_phrase_list_says(
            parts in prop::collection::vec(
                (
                    prop::sample::select(&[
                        "more", "than", "not", "no", "less", "fewer", "in", "excess", "of",
                        "up", "to", "at", "least", "most", "an", "estimated", "approx.",
                        "approximately", "about", "some", "nearly", "almost", "just", "under",
                        "below", "over", "above", "exceeding", "around", "roughly", "Over",
                        "MORE", "x", "someone", "ofs", "é", "e.g.", "2", "_of", ".",
                    ][..]),
                    prop::sample::select(&[" ", "  ", "\n", "", "\u{a0}", ","][..]),
                ),
                0..6,
            ),
            min_back in 0usize..12,
        ) {
            let text: String = parts.iter().flat_map(|(w, s)| [*w, *s]).collect::<String>() + "5";
            let start = text.len() - 1;
            let min = start.saturating_sub(min_back * 4);
            let min = (0..=min).rev().find(|&k| text.is_char_boundary(k)).unwrap_or(0);
            prop_assert_eq!(
                prefix(&text, start, min),
                prefix_reference(&text, start, min),
                "{:?} from {}", text, min
            );
        }
    }
}
