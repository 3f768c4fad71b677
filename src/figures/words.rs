//! Number words, ordinal words, fraction and multiplier words, and the table that tells
//! whether a word start begins one of them ([`Vocab::may_start_in`], then
//! [`Vocab::word_at`]).
//!
//! The table also carries the keywords that start exclusions (article and paragraph
//! references, "No.", URLs), so the scanner looks at each word start once.

use std::sync::OnceLock;

use super::lex::{is_word_char, next_char, prev_char};
use crate::swar::{ONES, letter_run, load8};

/// What a trigger word (found at a word start by the candidate scan) means.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum WordKind {
    /// A cardinal number word 0..=90.
    Card(u64),
    /// "hundred" (2), "thousand" (3), "million" (6), "billion" (9): power of ten.
    Scale(i32),
    /// An ordinal word: "first" (1) ... "hundredth" (100).
    Ord(u64),
    /// A plural fraction denominator: "thirds" (3), "quarters" (4), "halves" (2).
    FracPlural(u64),
    /// "half".
    Half,
    /// "quarter" (singular; "third" and "fifth" are ordinals that may be fractions).
    Quarter,
    /// A multiplier word and its factor.
    Mult(f64),
    /// "factor", as in "a factor of 2.6".
    Factor,
    /// A keyword that introduces a reference number (article, paragraph, resolution ...).
    Ref,
    /// "No" / "Nos" (with or without the dot): decree and record numbers.
    No,
    /// "http://", "https://", "www.": a URL to skip whole.
    Url,
}

const CARDS: &[(&str, u64)] = &[
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

const ORDS: &[(&str, u64)] = &[
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
    ("eleventh", 11),
    ("twelfth", 12),
    ("thirteenth", 13),
    ("fourteenth", 14),
    ("fifteenth", 15),
    ("sixteenth", 16),
    ("seventeenth", 17),
    ("eighteenth", 18),
    ("nineteenth", 19),
    ("twentieth", 20),
    ("thirtieth", 30),
    ("fortieth", 40),
    ("fiftieth", 50),
    ("sixtieth", 60),
    ("seventieth", 70),
    ("eightieth", 80),
    ("ninetieth", 90),
    ("hundredth", 100),
];

const MULTS: &[(&str, f64)] = &[
    ("double", 2.0),
    ("doubled", 2.0),
    ("twice", 2.0),
    ("twofold", 2.0),
    ("triple", 3.0),
    ("tripled", 3.0),
    ("treble", 3.0),
    ("trebled", 3.0),
    ("threefold", 3.0),
    ("quadruple", 4.0),
    ("quadrupled", 4.0),
    ("fourfold", 4.0),
    ("fivefold", 5.0),
    ("sixfold", 6.0),
    ("sevenfold", 7.0),
    ("eightfold", 8.0),
    ("ninefold", 9.0),
    ("tenfold", 10.0),
    ("hundredfold", 100.0),
    ("halved", 0.5),
];

const REFS: &[&str] = &[
    "art",
    "arts",
    "article",
    "articles",
    "para",
    "paras",
    "paragraph",
    "paragraphs",
    "subparagraph",
    "subparagraphs",
    "section",
    "sections",
    "chapter",
    "chapters",
    "annex",
    "annexes",
    "appendix",
    "footnote",
    "footnotes",
    "rule",
    "rules",
    "clause",
    "clauses",
    "item",
    "items",
    "point",
    "points",
    "part",
    "parts",
    "goal",
    "goals",
    "sdg",
    "sdgs",
    "target",
    "targets",
    "indicator",
    "indicators",
    "recommendation",
    "recommendations",
    "resolution",
    "resolutions",
    "table",
    "tables",
    "figure",
    "fig",
    "box",
    "page",
    "pages",
    "pp",
    "question",
    "questions",
];

/// Every trigger word with its kind, lower case, in a fixed order.
fn patterns() -> Vec<(&'static str, WordKind)> {
    let mut pats = Vec::new();
    let mut add = |p: &'static str, k: WordKind| pats.push((p, k));
    for &(w, v) in CARDS {
        add(w, WordKind::Card(v));
    }
    add("hundred", WordKind::Scale(2));
    add("thousand", WordKind::Scale(3));
    add("million", WordKind::Scale(6));
    add("billion", WordKind::Scale(9));
    for &(w, v) in ORDS {
        add(w, WordKind::Ord(v));
    }
    add("thirds", WordKind::FracPlural(3));
    add("quarters", WordKind::FracPlural(4));
    add("halves", WordKind::FracPlural(2));
    add("fifths", WordKind::FracPlural(5));
    add("half", WordKind::Half);
    add("quarter", WordKind::Quarter);
    for &(w, v) in MULTS {
        add(w, WordKind::Mult(v));
    }
    add("factor", WordKind::Factor);
    for &w in REFS {
        add(w, WordKind::Ref);
    }
    add("no", WordKind::No);
    add("nos", WordKind::No);
    for &w in URL_STARTS {
        add(w, WordKind::Url);
    }
    pats
}

/// The starts of a URL, matched as written (ASCII case ignored) wherever a word may start.
const URL_STARTS: &[&str] = &["http://", "https://", "www."];

/// Where a word start's first two bytes find their [`Vocab::thirds`] entry: the low five
/// bits of each (for a letter, its place in the alphabet, either case). Other bytes give
/// some index too, so the filter lets a few words through that the lookup then rejects.
#[inline]
fn pair_index(first4: u32) -> usize {
    (first4 & 0x1f1f) as usize
}

/// Where a word start's first three bytes find their [`Vocab::fourths`] entry: the low
/// five bits of each, hashed to eleven bits (words that share an entry share their set).
#[inline]
fn triple_index(first4: u32) -> usize {
    let k = first4 & 0x001f_1f1f;
    ((k | (k >> 11)).wrapping_mul(0x9e37_79b1) >> 21) as usize
}

/// Entries of [`Vocab::fourths`].
const FOURTHS: usize = 1 << 11;

/// Slots of the hash table of letter trigger words (a power of two, under half full).
const SLOTS: usize = 256;

/// The trigger words, for looking up the words that start where the scanner looks.
pub(crate) struct Vocab {
    /// For each first two bytes ([`pair_index`]), bit `k` set when a trigger word goes on
    /// with a third byte whose low five bits are `k` (all 32 for a word of two letters).
    /// A word whose bit is clear (nine in ten in prose) is rejected by this one test.
    thirds: Box<[u32; 0x1f20]>,
    /// For each first three bytes ([`triple_index`]), bit `k` set when a trigger word
    /// goes on with a fourth byte whose low five bits are `k` (all 32 for a word of three
    /// letters or fewer). Asked only of the words that pass [`Vocab::thirds`]: it turns
    /// away "for" (not "forty") and the like before the lookup.
    fourths: Box<[u32; FOURTHS]>,
    /// The letter trigger words, lower case, as two little-endian words of eight bytes
    /// ([`word_key`]), in a table with open addressing (empty slots are `None`).
    slots: Box<[Option<(u64, u64, WordKind)>; SLOTS]>,
}

/// The first `n` bytes of `x` (ASCII letters), lower-cased; the others zero.
#[inline]
fn fold(x: u64, n: usize) -> u64 {
    let keep = if n == 0 { 0 } else { u64::MAX >> (64 - 8 * n) };
    (x | (ONES * 0x20)) & keep
}

/// The ASCII letters starting at byte `p` of `b`, lower-cased: `(length, key)`, where the
/// key holds the first sixteen bytes in two words; `None` when there are more than
/// fifteen (longer than any trigger word).
#[inline(always)]
fn word_key(b: &[u8], p: usize) -> Option<(usize, (u64, u64))> {
    let lo = load8(b, p);
    let n = letter_run(lo);
    if n < 8 {
        return Some((n, (fold(lo, n), 0)));
    }
    let hi = load8(b, p + 8);
    let m = letter_run(hi);
    if m == 8 {
        return None;
    }
    Some((8 + m, (lo | (ONES * 0x20), fold(hi, m))))
}

/// The first slot to try for a key.
#[inline]
fn slot_of((lo, hi): (u64, u64)) -> usize {
    ((lo ^ hi.rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as usize % SLOTS
}

impl Vocab {
    /// The trigger word starting at byte `p` of `text`, where `p` holds an ASCII letter
    /// and the byte before is no ASCII letter or digit: `(end, kind)`. A trigger word is
    /// one of the words whole (not followed by a letter, digit or `_`; a letter,
    /// digit or `_` before it makes it part of a longer word), or a URL start.
    ///
    /// The candidate finder asks [`Vocab::may_start_in`] and [`Vocab::word_at`] itself;
    /// this is what its reference implementation asks.
    #[cfg(test)]
    pub(crate) fn trigger_at(&self, text: &str, p: usize) -> Option<(usize, WordKind)> {
        let b = text.as_bytes();
        let first4 = match b.get(p..p + 4).and_then(|c| c.first_chunk::<4>()) {
            Some(c) => u32::from_le_bytes(*c),
            None => load8(b, p) as u32,
        };
        if !self.may_start(first4) {
            return None;
        }
        self.word_at(text, p)
    }

    /// The filter: whether a trigger word may start with these four bytes (what
    /// [`Vocab::may_start_in`] answers, from a four-byte word).
    #[cfg(test)]
    pub(crate) fn may_start(&self, first4: u32) -> bool {
        self.thirds[pair_index(first4)].wrapping_shr(first4 >> 16) & 1 != 0
            && self.fourths[triple_index(first4)].wrapping_shr(first4 >> 24) & 1 != 0
    }

    /// The filter: whether a trigger word may start with the four bytes at `window[k]`
    /// (`k + 4 <= N`, else no). The first test reads the first two bytes and the third as
    /// they are, with no four-byte word to take apart: it runs at every word start of the
    /// text, and rejects nine in ten.
    ///
    /// Both tests made at every word start, combined with `&` into one branch, took the
    /// simulated mispredicts of the scan from 814k to 658k on 10 MB of varied prose but
    /// cost 20 M more instructions (the second test's hash at every start): rejected.
    #[inline(always)]
    pub(crate) fn may_start_in<const N: usize>(&self, window: &[u8; N], k: usize) -> bool {
        let Some(&[a, b, c, d]) = window.get(k..k + 4) else {
            return false;
        };
        let pair = usize::from(u16::from_le_bytes([a, b]) & 0x1f1f);
        self.thirds[pair].wrapping_shr(u32::from(c)) & 1 != 0
            && self.fourths[triple_index(u32::from_le_bytes([a, b, c, 0]))]
                .wrapping_shr(u32::from(d))
                & 1
                != 0
    }

    /// The trigger word at `p` (as `trigger_at` says) after the filter
    /// ([`Vocab::may_start_in`]): the whole-word lookup (or a URL start),
    /// then the checks that no word character stands before or after it.
    #[inline]
    pub(crate) fn word_at(&self, text: &str, p: usize) -> Option<(usize, WordKind)> {
        let b = text.as_bytes();
        let (len, key) = word_key(b, p)?;
        let e = p + len;
        let found = match self.lookup(key) {
            Some(kind) => {
                // A digit or `_` after the letters makes them part of a longer word.
                match b.get(e) {
                    Some(&c) if c.is_ascii_digit() || c == b'_' => return None,
                    Some(&c) if c >= 0x80 && next_char(text, e).is_some_and(is_word_char) => {
                        return None;
                    }
                    _ => {}
                }
                (e, kind)
            }
            // "http", "https" and "www" are no trigger words: the URL starts are looked
            // for only after the lookup fails, and only from an "h" or a "w".
            None if matches!(b.get(p).map(|c| c | 0x20), Some(b'h' | b'w')) => {
                let u = URL_STARTS.iter().find(|u| {
                    b.get(p..p + u.len())
                        .is_some_and(|h| h.eq_ignore_ascii_case(u.as_bytes()))
                })?;
                (p + u.len(), WordKind::Url)
            }
            None => return None,
        };
        // A `_` or a non-ASCII letter or digit before it makes it part of a longer word
        // (an ASCII letter or digit was ruled out by the caller).
        match p.checked_sub(1).and_then(|k| b.get(k)) {
            Some(b'_') => None,
            Some(&pb) if pb >= 0x80 && prev_char(text, p).is_some_and(is_word_char) => None,
            _ => Some(found),
        }
    }

    /// The kind of the letter trigger word with this key.
    #[inline]
    fn lookup(&self, key: (u64, u64)) -> Option<WordKind> {
        let mut s = slot_of(key);
        for _ in 0..SLOTS {
            let (lo, hi, kind) = self.slots[s]?;
            if (lo, hi) == key {
                return Some(kind);
            }
            s = (s + 1) % SLOTS;
        }
        None
    }
}

/// The shared vocabulary, built once.
pub(crate) fn vocab() -> &'static Vocab {
    static V: OnceLock<Vocab> = OnceLock::new();
    V.get_or_init(|| {
        let mut thirds = Box::new([0u32; 0x1f20]);
        let mut fourths = Box::new([0u32; FOURTHS]);
        let mut slots = Box::new([None; SLOTS]);
        for (w, kind) in patterns() {
            let b = w.as_bytes();
            let first4 = load8(b, 0) as u32;
            // A word of two letters ("no", "pp") may have any byte after it.
            thirds[pair_index(first4)] |= if b.len() == 2 {
                u32::MAX
            } else {
                1u32.wrapping_shl(first4 >> 16)
            };
            // A word of two letters may have any third byte, and one of three any fourth.
            let thirds_of_word: Vec<u32> = if b.len() == 2 {
                (0..32).collect()
            } else {
                vec![first4 >> 16 & 0xff]
            };
            for third in thirds_of_word {
                let key = first4 & 0xffff | third << 16;
                fourths[triple_index(key)] |= if b.len() <= 3 {
                    u32::MAX
                } else {
                    1u32.wrapping_shl(first4 >> 24)
                };
            }
            if kind == WordKind::Url {
                continue;
            }
            let (len, key) = word_key(b, 0).expect("trigger words are short");
            assert_eq!(len, b.len(), "trigger words are ASCII letters: {w}");
            let mut s = slot_of(key);
            while slots[s].is_some() {
                s = (s + 1) % SLOTS;
            }
            slots[s] = Some((key.0, key.1, kind));
        }
        Vocab {
            thirds,
            fourths,
            slots,
        }
    })
}

/// The old automaton over every trigger word, kept to test [`Vocab::trigger_at`]
/// against: the scanner's word finder before the fused scan, with each pattern's kind.
#[cfg(test)]
pub(crate) fn reference_automaton() -> &'static (aho_corasick::AhoCorasick, Vec<WordKind>) {
    use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind, MatchKind};
    static A: OnceLock<(aho_corasick::AhoCorasick, Vec<WordKind>)> = OnceLock::new();
    A.get_or_init(|| {
        let (pats, kinds): (Vec<&str>, Vec<WordKind>) = patterns().into_iter().unzip();
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(&pats)
            .expect("figure vocabulary automaton builds from constant patterns");
        (ac, kinds)
    })
}

/// Cardinal value of a number word (lowercase compare, ASCII).
pub(crate) fn card_value(w: &str) -> Option<u64> {
    CARDS
        .iter()
        .find(|(p, _)| p.eq_ignore_ascii_case(w))
        .map(|&(_, v)| v)
}

/// Ordinal rank of an ordinal word.
pub(crate) fn ord_value(w: &str) -> Option<u64> {
    ORDS.iter()
        .find(|(p, _)| p.eq_ignore_ascii_case(w))
        .map(|&(_, v)| v)
}

/// Denominator of a fraction word written after a numerator ("two thirds", "one half",
/// "a quarter", "three fifths").
/// Compared in place: lower-casing the word into a new string cost an allocation for
/// every word after a number word.
pub(crate) fn frac_den(w: &str, numerator: u64) -> Option<u64> {
    const DENOMINATORS: &[(&str, &str, u64)] = &[
        ("half", "halves", 2),
        ("third", "thirds", 3),
        ("quarter", "quarters", 4),
        ("fifth", "fifths", 5),
        ("tenth", "tenths", 10),
    ];
    let plural = numerator > 1;
    DENOMINATORS.iter().find_map(|&(one, many, den)| {
        w.eq_ignore_ascii_case(if plural { many } else { one })
            .then_some(den)
    })
}

/// [`frac_den`] as it was, lower-casing into a new string: the oracle it is tested against.
#[cfg(test)]
fn frac_den_reference(w: &str, numerator: u64) -> Option<u64> {
    let w = w.to_ascii_lowercase();
    let plural = numerator > 1;
    match (w.as_str(), plural) {
        ("half", false) | ("halves", true) => Some(2),
        ("third", false) | ("thirds", true) => Some(3),
        ("quarter", false) | ("quarters", true) => Some(4),
        ("fifth", false) | ("fifths", true) => Some(5),
        ("tenth", false) | ("tenths", true) => Some(10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frac_den_agrees_with_the_reference() {
        let words = [
            "half",
            "Half",
            "HALVES",
            "halves",
            "halve",
            "third",
            "Thirds",
            "quarter",
            "Quarters",
            "quarterly",
            "fifth",
            "fifths",
            "tenth",
            "TENTHS",
            "twelfth",
            "",
            "thirdss",
            "halfs",
            "Ωhalf",
        ];
        let mut found = 0;
        for w in words {
            for numerator in 0..4 {
                let den = frac_den(w, numerator);
                assert_eq!(den, frac_den_reference(w, numerator), "{w} {numerator}");
                found += usize::from(den.is_some());
            }
        }
        assert!(found >= 20, "{found}");
    }
}
