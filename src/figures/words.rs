//! Number words, ordinal words, fraction and multiplier words, and the one aho-corasick
//! automaton that finds every word-triggered candidate in a single pass.
//!
//! The automaton also carries the keywords that start exclusions (article and paragraph
//! references, "No.", URLs), so the scanner needs only one pass over the letters.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// What a word found by the automaton means.
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

/// The automaton and the kind of each of its patterns (same index).
pub(crate) struct Vocab {
    /// Case-insensitive, leftmost-longest automaton over all trigger words.
    pub ac: AhoCorasick,
    /// Kind of pattern `i`.
    pub kinds: Vec<WordKind>,
}

/// The shared vocabulary, built once.
pub(crate) fn vocab() -> &'static Vocab {
    static V: OnceLock<Vocab> = OnceLock::new();
    V.get_or_init(|| {
        let mut pats: Vec<&'static str> = Vec::new();
        let mut kinds = Vec::new();
        let mut add = |p: &'static str, k: WordKind| {
            pats.push(p);
            kinds.push(k);
        };
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
        add("http://", WordKind::Url);
        add("https://", WordKind::Url);
        add("www.", WordKind::Url);
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            // A full DFA: the letters of every line pass through it, so one table lookup
            // per byte matters; the prefilter only thrashes on such common words.
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(&pats)
            .expect("figure vocabulary automaton builds from constant patterns");
        Vocab { ac, kinds }
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
pub(crate) fn frac_den(w: &str, numerator: u64) -> Option<u64> {
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
