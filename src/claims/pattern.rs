//! The claim pattern language: typed slots and literal words matched over tokens.
//!
//! A pattern is a line of YAML such as
//! `{part:amount} ( {pct:percent} ) of [the] {whole:amount}`:
//! - `{name:type}` captures one figure of a type (`_` or an empty name captures nothing);
//! - a bare word matches that word, case-insensitively;
//! - `<a|b c|d>` matches one of several word sequences;
//! - `[ ... ]` is optional; `*[ ... ]` repeats zero or more times (greedy);
//! - `~N` skips up to N words and punctuation marks but no figure at all;
//! - `!word` or `!<a|b>` requires that the next token is NOT that word (zero-width);
//! - `...` or `...N` skips up to 8 (or N) words and punctuation marks, never a sentence
//!   stop and never an amount or percentage (so a gap cannot jump past a closer figure);
//! - any other character (`(`, `)`, `,`, `;`, `:`, `-`) is that punctuation mark.

use super::tokens::{Token, TokenKind};
use crate::figures::{Figure, FigureKind};

/// The kinds of figure a slot accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotType {
    /// A plain count ("3,415", "six", "19.8 million").
    Count,
    /// A count or money.
    Amount,
    /// A percentage.
    Percent,
    /// Percentage points.
    Points,
    /// Money.
    Money,
    /// A rate per N.
    Rate,
    /// A year.
    Year,
    /// A year or a year range.
    Period,
    /// An ordinal.
    Ordinal,
    /// A multiplier ("double", "a factor of 2.6").
    Multiplier,
    /// A value: count, money, percentage, points or rate (not a year, date or ordinal).
    Number,
    /// A calendar date ("5 May 2020").
    Date,
    /// Any figure.
    Any,
}

impl SlotType {
    /// Every slot type, in [`SlotType::index`] order.
    pub const ALL: [SlotType; 13] = [
        SlotType::Count,
        SlotType::Amount,
        SlotType::Percent,
        SlotType::Points,
        SlotType::Money,
        SlotType::Rate,
        SlotType::Year,
        SlotType::Period,
        SlotType::Ordinal,
        SlotType::Multiplier,
        SlotType::Number,
        SlotType::Date,
        SlotType::Any,
    ];

    /// Position in [`SlotType::ALL`].
    pub fn index(self) -> usize {
        SlotType::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    fn parse(s: &str) -> Option<SlotType> {
        Some(match s {
            "count" => SlotType::Count,
            "amount" => SlotType::Amount,
            "percent" => SlotType::Percent,
            "points" => SlotType::Points,
            "money" => SlotType::Money,
            "rate" => SlotType::Rate,
            "year" => SlotType::Year,
            "period" => SlotType::Period,
            "ordinal" => SlotType::Ordinal,
            "multiplier" => SlotType::Multiplier,
            "date" => SlotType::Date,
            "number" => SlotType::Number,
            "any" => SlotType::Any,
            _ => return None,
        })
    }

    /// The slot types that accept `f`, as bits: bit `n` for [`SlotType::ALL`]`[n]`. One
    /// look at the figure's kind instead of a test per type, for the matcher's count of
    /// the figures each type accepts in a sentence; the same answers as
    /// [`SlotType::accepts`].
    pub(crate) fn accepting(f: &Figure) -> u16 {
        const fn bits(types: &[SlotType]) -> u16 {
            let mut m = 0;
            let mut i = 0;
            while i < types.len() {
                m |= 1 << types[i] as u16;
                i += 1;
            }
            m
        }
        use SlotType::*;
        match f.kind {
            FigureKind::Count => const { bits(&[Count, Amount, Number, Any]) },
            FigureKind::Money(_) => const { bits(&[Amount, Money, Number, Any]) },
            FigureKind::Percent => const { bits(&[Percent, Number, Any]) },
            FigureKind::PercentagePoints => const { bits(&[Points, Number, Any]) },
            FigureKind::Rate { .. } => const { bits(&[Rate, Number, Any]) },
            FigureKind::Year => const { bits(&[Year, Period, Any]) },
            FigureKind::YearRange { .. } => const { bits(&[Period, Any]) },
            FigureKind::Date { .. } => const { bits(&[Date, Any]) },
            FigureKind::Ordinal => const { bits(&[Ordinal, Any]) },
            FigureKind::Multiplier => const { bits(&[Multiplier, Any]) },
            FigureKind::Fraction => const { bits(&[Any]) },
        }
    }

    /// True when the figure may fill a slot of this type.
    pub fn accepts(self, f: &Figure) -> bool {
        match self {
            SlotType::Count => f.kind == FigureKind::Count,
            SlotType::Amount => f.is_amount(),
            SlotType::Percent => f.kind == FigureKind::Percent,
            SlotType::Points => f.kind == FigureKind::PercentagePoints,
            SlotType::Money => matches!(f.kind, FigureKind::Money(_)),
            SlotType::Rate => matches!(f.kind, FigureKind::Rate { .. }),
            SlotType::Year => f.kind == FigureKind::Year,
            SlotType::Period => matches!(f.kind, FigureKind::Year | FigureKind::YearRange { .. }),
            SlotType::Ordinal => f.kind == FigureKind::Ordinal,
            SlotType::Multiplier => f.kind == FigureKind::Multiplier,
            SlotType::Number => matches!(
                f.kind,
                FigureKind::Count
                    | FigureKind::Money(_)
                    | FigureKind::Percent
                    | FigureKind::PercentagePoints
                    | FigureKind::Rate { .. }
            ),
            SlotType::Date => matches!(f.kind, FigureKind::Date { .. }),
            SlotType::Any => true,
        }
    }
}

// `SlotType::accepting` uses each type's discriminant as its bit: it must be the type's
// place in `SlotType::ALL`.
const _: () = {
    let mut i = 0;
    while i < SlotType::ALL.len() {
        assert!(SlotType::ALL[i] as usize == i);
        i += 1;
    }
};

/// One element of a compiled pattern.
#[derive(Debug, Clone, PartialEq)]
enum Elem {
    Word(String),
    Punct(char),
    Slot {
        name: Option<String>,
        ty: SlotType,
    },
    Optional(Vec<Elem>),
    /// Zero or more repetitions, greedy (each must consume a token).
    Star(Vec<Elem>),
    /// Branches, and what their first token can be.
    OneOf(Vec<Vec<Elem>>, Starts),
    Gap(usize),
    /// Like `Gap`, but skips no figure at all (`~N`).
    StrictGap(usize),
    /// Zero-width: the next element must NOT match here.
    Not(Box<Elem>),
}

/// What the first token of a choice's match can be, over all its branches: a token
/// that none of this admits starts no branch, which [`Cx::cannot_start`] tells without
/// a look at each branch. It only ever says "maybe" for more tokens than the branches
/// themselves would.
#[derive(Debug, Clone, PartialEq, Default)]
struct Starts {
    /// Bit `n` when a branch starts with a word of `n` bytes (bit 31: 31 or more).
    word_lengths: u32,
    /// The marks a branch starts with.
    marks: Vec<char>,
    /// The slot types a branch starts with, as bits ([`SlotType::accepting`]).
    slots: u16,
    /// A branch starts with something else (a gap, an optional or repeated part, a
    /// negation) or is empty: any token may start it.
    open: bool,
}

impl Starts {
    fn of(alts: &[Vec<Elem>]) -> Starts {
        let mut s = Starts::default();
        for alt in alts {
            match alt.first() {
                Some(Elem::Word(w)) => s.word_lengths |= 1 << w.len().min(31),
                Some(Elem::Punct(c)) => s.marks.push(*c),
                Some(Elem::Slot { ty, .. }) => s.slots |= 1 << ty.index(),
                Some(Elem::OneOf(_, inner)) => {
                    s.word_lengths |= inner.word_lengths;
                    s.marks.extend(&inner.marks);
                    s.slots |= inner.slots;
                    s.open |= inner.open;
                }
                _ => s.open = true,
            }
        }
        s
    }

    /// False when no branch can start at `t`.
    #[inline]
    fn admit(&self, t: &Token, figures: &[Figure]) -> bool {
        self.open
            || match t.kind {
                TokenKind::Word => {
                    self.word_lengths >> t.span.end.wrapping_sub(t.span.start).min(31) & 1 != 0
                }
                TokenKind::Punct(c) => self.marks.contains(&c),
                TokenKind::Figure(fi) => figures
                    .get(fi)
                    .is_none_or(|f| SlotType::accepting(f) & self.slots != 0),
                TokenKind::Stop => false,
            }
    }
}

/// A pattern that failed to compile, with the byte offset in the pattern text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message} (at column {})", offset + 1)]
pub struct PatternError {
    /// What is wrong.
    pub message: String,
    /// Byte offset into the pattern source.
    pub offset: usize,
}

/// A compiled claim pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    source: String,
    elems: Vec<Elem>,
    slots: Vec<String>,
    /// [`Pattern::anchor`], worked out once at compile time (the matcher asks per sentence).
    anchor: Option<(SlotType, Vec<usize>)>,
    /// Which of `word_groups` holds the words (lower-case) one of which every match
    /// contains; see [`Pattern::key_words`]. A place, not a copy of the group.
    key_group: Option<usize>,
    /// Every required word group; see [`Pattern::word_groups`].
    word_groups: Vec<Vec<String>>,
    /// How many figures of each slot type (by [`SlotType::index`]) every match fills.
    required: [u8; SlotType::ALL.len()],
    /// See [`Pattern::landmarks`].
    landmarks: Vec<Landmark>,
}

/// A literal that every match holds within a known distance of its first token: one of
/// `words` (lower-case; a word, or a punctuation mark as written) at a token between
/// `lo` and `hi` (inclusive; `None` = anywhere after) tokens after the start. A start
/// with no such token in the window cannot match, which is cheap to tell from the
/// sentence's word ids and spares the backtracking call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Landmark {
    /// The literal's spellings (several for the first words of a choice).
    pub words: Vec<String>,
    /// Fewest tokens between the match's start and the literal.
    pub lo: usize,
    /// Most tokens between them, if bounded.
    pub hi: Option<usize>,
    /// When the pattern puts a slot right after the literal (`( {part:amount}`, `and
    /// {part:amount}`), its type: the token after the literal must be a figure of that
    /// type, which few of the literal's occurrences are (most brackets hold a
    /// percentage, most `and`s join words).
    pub then: Option<SlotType>,
}

/// Default reach of a bare `...`.
const DEFAULT_GAP: usize = 8;

/// One successful match: the token range and the captured figures by slot name.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// Index of the first matched token.
    pub first: usize,
    /// Index one past the last matched token.
    pub end: usize,
    /// Captured figures: (slot name, figure index).
    pub captures: Vec<(String, usize)>,
}

impl Pattern {
    /// Compile a pattern; slot names and types are checked here.
    pub fn compile(source: &str) -> Result<Pattern, PatternError> {
        let lexemes = lex(source)?;
        let mut pos = 0;
        let mut stack = Vec::with_capacity(lexemes.len());
        let elems = parse_seq(&lexemes, &mut pos, None, 0, &mut stack)?;
        if pos < lexemes.len() {
            return Err(PatternError {
                message: format!("unexpected `{}`", lexemes[pos].1),
                offset: lexemes[pos].0,
            });
        }
        if elems.is_empty() {
            return Err(PatternError {
                message: "empty pattern".into(),
                offset: 0,
            });
        }
        if matches!(elems.first(), Some(Elem::Gap(_) | Elem::Optional(_))) {
            return Err(PatternError {
                message: "a pattern cannot start with `...` or `[`".into(),
                offset: 0,
            });
        }
        let mut slots = Vec::new();
        collect_slots(&elems, &mut slots);
        let anchor = compute_anchor(&elems);
        let word_groups = required_groups(&elems);
        let key_group = rarest_group(&word_groups);
        let landmarks = compute_landmarks(&elems);
        let mut required = [0u8; SlotType::ALL.len()];
        for e in &elems {
            if let Elem::Slot { ty, .. } = e {
                required[ty.index()] = required[ty.index()].saturating_add(1);
            }
        }
        Ok(Pattern {
            source: source.to_string(),
            elems,
            slots,
            anchor,
            key_group,
            word_groups,
            required,
            landmarks,
        })
    }

    /// The literals every match holds at a bounded (or any) distance after its start, in
    /// pattern order; see [`Landmark`].
    pub(crate) fn landmarks(&self) -> &[Landmark] {
        &self.landmarks
    }

    /// Words one of which must occur in any match, lower-case: the pattern's rarest
    /// required literal (a word outside optional, repeated and negated groups, or the
    /// first words of a required choice). `None` when it has no required word. Lets the
    /// matcher skip sentences that cannot match without trying them.
    pub fn key_words(&self) -> Option<&[String]> {
        self.key_group
            .and_then(|g| self.word_groups.get(g))
            .map(Vec::as_slice)
    }

    /// Every group of words (lower-case) of which each match holds at least one: the
    /// required words, brackets, semicolons and colons outside optional, repeated and
    /// negated groups, and required choices (as in [`Pattern::key_words`], which is the
    /// rarest of them). A sentence that lacks any group cannot match.
    pub fn word_groups(&self) -> &[Vec<String>] {
        &self.word_groups
    }

    /// How many figures of each slot type (indexed by [`SlotType::index`]) a match must
    /// fill outside optional, repeated and alternative groups: a sentence with fewer
    /// such figures cannot match.
    pub fn required_slots(&self) -> &[u8; SlotType::ALL.len()] {
        &self.required
    }

    /// The pattern as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// When the pattern opens with a named slot followed by a gap (`{whole:amount} ...6`),
    /// the slot's name, type and the gap's reach. Figures before the match that the gap
    /// could have reached are other readings of that slot.
    pub fn leading_slot_gap(&self) -> Option<(&str, SlotType, usize)> {
        let mut it = self
            .elems
            .iter()
            .filter(|e| !matches!(e, Elem::Optional(_)));
        match (it.next(), it.next()) {
            (Some(Elem::Slot { name: Some(n), ty }), Some(Elem::Gap(g))) => {
                Some((n.as_str(), *ty, *g))
            }
            _ => None,
        }
    }

    /// Where matches can start relative to the first slot: the slot's type and every
    /// possible number of tokens before it. `None` when the prefix has a gap (then every
    /// position must be tried). Lets the matcher start only at figures.
    pub fn anchor(&self) -> Option<(SlotType, Vec<usize>)> {
        self.anchor.clone()
    }

    /// [`Pattern::anchor`] without the copy.
    pub(crate) fn anchor_ref(&self) -> Option<(SlotType, &[usize])> {
        self.anchor
            .as_ref()
            .map(|(ty, lens)| (*ty, lens.as_slice()))
    }

    /// Names of the capturing slots, in order.
    pub fn slot_names(&self) -> &[String] {
        &self.slots
    }

    /// Try to match starting exactly at token `start`.
    pub fn match_at(
        &self,
        text: &str,
        tokens: &[Token],
        figures: &[Figure],
        start: usize,
    ) -> Option<Match> {
        let mut caps = Vec::new();
        let end = self.match_into(text, tokens, figures, start, &mut caps)?;
        Some(Match {
            first: start,
            end,
            captures: caps.into_iter().map(|(n, i)| (n.to_string(), i)).collect(),
        })
    }

    /// True when a match at `start` is impossible on a look at one or two tokens: the
    /// first element (a word, mark, slot or choice of them) cannot start there, or a
    /// one-token first element is followed by one that cannot start at the next token. Most anchored starts fail this way; the check spares
    /// the full backtracking call.
    pub(crate) fn cannot_match_at(
        &self,
        text: &str,
        tokens: &[Token],
        figures: &[Figure],
        start: usize,
    ) -> bool {
        let cx = Cx {
            text,
            tokens,
            figures,
            steps: std::cell::Cell::new(STEP_BUDGET),
        };
        cx.cannot_start(&self.elems, 0, start)
            || (matches!(
                self.elems.first(),
                Some(Elem::Word(_) | Elem::Punct(_) | Elem::Slot { .. })
            ) && cx.cannot_start(&self.elems, 1, start + 1))
    }

    /// [`Pattern::match_at`] into a reused capture buffer (cleared first), returning the
    /// end of the match. Most attempts fail, so nothing is allocated until one succeeds.
    pub(crate) fn match_into<'p>(
        &'p self,
        text: &str,
        tokens: &[Token],
        figures: &[Figure],
        start: usize,
        caps: &mut Vec<(&'p str, usize)>,
    ) -> Option<usize> {
        let cx = Cx {
            text,
            tokens,
            figures,
            steps: std::cell::Cell::new(STEP_BUDGET),
        };
        caps.clear();
        cx.seq(&self.elems, 0, start, caps, &mut |_, pos| Some(pos))
    }
}

/// See [`Pattern::key_words`]: of the required word groups, the one whose shortest word
/// is longest (long words are rarer), then the one with fewest choices; the last of
/// equally rare ones (as `Iterator::max_by_key` picks).
///
/// A required choice contributes the union of its branches' own key groups: every match
/// goes through one branch, so holds one of them. Taking each branch's rarest word, not
/// its first ("whom" or "which" for `of <whom|which>`, not "of"), keeps choices that
/// start with common words from letting through nearly every sentence.
fn compute_key_words(elems: &[Elem]) -> Option<Written<'_>> {
    let mut best: Option<Written<'_>> = None;
    let mut group = Vec::new();
    for e in elems {
        group.clear();
        if required_group(e, &mut group)
            && best
                .as_ref()
                .is_none_or(|b| group_order(&group) >= group_order(b))
        {
            best = Some(std::mem::take(&mut group));
        }
    }
    best
}

/// Literals as written in the pattern: words (equal when equal ignoring ASCII case, and
/// lower-cased only once kept) and marks. Groups of literals are worked out on the
/// pattern's own text, so that loading the rules makes no string for a group it drops
/// (one string per word at every level of the choices was a sixth of rule loading).
type Written<'p> = Vec<&'p str>;

/// A group of written literals, lower-cased.
fn lowered(group: &[&str]) -> Vec<String> {
    group.iter().map(|w| w.to_ascii_lowercase()).collect()
}

/// Add `w` to `group` unless a literal equal to it ignoring ASCII case is there.
fn push_new<'p>(group: &mut Written<'p>, w: &'p str) {
    if !group.iter().any(|u| u.eq_ignore_ascii_case(w)) {
        group.push(w);
    }
}

/// One-byte strings of the ASCII characters: a mark as a `&'static str`, with no
/// allocation ([`ascii_text`]).
static ASCII: [u8; 128] = {
    let mut bytes = [0u8; 128];
    let mut i = 0;
    while i < bytes.len() {
        bytes[i] = i as u8;
        i += 1;
    }
    bytes
};

/// `c` as a string, when it is ASCII.
fn ascii_text(c: char) -> Option<&'static str> {
    let i = c as usize;
    ASCII
        .get(i..i + 1)
        .and_then(|b| std::str::from_utf8(b).ok())
}

/// The place in `groups` of the group whose commonest word is rarest (longest, or a rare
/// mark), the smaller of two equally rare ones.
fn rarest_group(groups: &[Vec<String>]) -> Option<usize> {
    groups
        .iter()
        .enumerate()
        .max_by_key(|(_, g)| group_order(g))
        .map(|(place, _)| place)
}

/// How [`rarest_group`] ranks a group: by rarity, then the fewer words.
fn group_order<S: AsRef<str>>(g: &[S]) -> (usize, usize) {
    (group_rarity(g), usize::MAX - g.len())
}

/// How rare a word (or mark) is guessed to be in prose: its length, with brackets,
/// semicolons and colons counted as rarer than most short words.
fn rarity(w: &str) -> usize {
    match w {
        "(" | ")" => 5,
        ";" | ":" => 6,
        _ => w.len(),
    }
}

/// The rarity of a group of words, one of which is to be found: that of its commonest.
fn group_rarity<S: AsRef<str>>(g: &[S]) -> usize {
    g.iter().map(|w| rarity(w.as_ref())).min().unwrap_or(0)
}

/// See [`Pattern::word_groups`], in pattern order.
fn required_groups(elems: &[Elem]) -> Vec<Vec<String>> {
    let mut group = Vec::new();
    elems
        .iter()
        .filter_map(|e| {
            group.clear();
            required_group(e, &mut group).then(|| lowered(&group))
        })
        .collect()
}

/// The required group `e` makes ([`Pattern::word_groups`]), as written, added to the
/// empty `group`; false when it makes none (then `group` holds nothing of use).
fn required_group<'p>(e: &'p Elem, group: &mut Written<'p>) -> bool {
    match e {
        Elem::Word(w) => {
            group.push(w);
            true
        }
        // Brackets, semicolons and colons are rarer than most short words.
        Elem::Punct(c @ ('(' | ')' | ';' | ':')) => {
            group.extend(ascii_text(*c));
            true
        }
        Elem::OneOf(alts, _) => {
            for alt in alts {
                let Some(key) = compute_key_words(alt) else {
                    return false;
                };
                for w in key {
                    push_new(group, w);
                }
            }
            true
        }
        _ => false,
    }
}

/// The spelling a token must have to match `e`, as written, when `e` is a word or a
/// punctuation mark that stands for itself: the marks that tokens normalise to (`"`,
/// `'`, `-`) also match other spellings, so they are never landmarks.
fn literal_text(e: &Elem) -> Option<&str> {
    match e {
        Elem::Word(w) => Some(w),
        Elem::Punct(c) if !matches!(c, '"' | '\'' | '-') => ascii_text(*c),
        _ => None,
    }
}

/// Fewest and most tokens a sequence of elements can match (`None`: no bound).
fn seq_len_range(elems: &[Elem]) -> (usize, Option<usize>) {
    elems.iter().fold((0, Some(0)), |(lo, hi), e| {
        let (a, b) = len_range(e);
        (lo + a, hi.zip(b).map(|(h, b)| h + b))
    })
}

/// Fewest and most tokens one element can match (`None`: no bound).
fn len_range(e: &Elem) -> (usize, Option<usize>) {
    match e {
        Elem::Word(_) | Elem::Punct(_) | Elem::Slot { .. } => (1, Some(1)),
        Elem::Optional(inner) => (0, seq_len_range(inner).1),
        Elem::Star(_) => (0, None),
        // In one pass over the branches, with no list of their ranges.
        Elem::OneOf(alts, _) => {
            let (mut lo, mut hi) = (None::<usize>, Some(0usize));
            for alt in alts {
                let (a, b) = seq_len_range(alt);
                lo = Some(lo.map_or(a, |l| l.min(a)));
                hi = hi.zip(b).map(|(h, b)| h.max(b));
            }
            (lo.unwrap_or(0), hi)
        }
        Elem::Gap(n) | Elem::StrictGap(n) => (0, Some(*n)),
        Elem::Not(_) => (0, Some(0)),
    }
}

/// See [`Pattern::landmarks`]: every top-level word or mark, and every choice each of
/// whose branches holds one at a bounded distance ([`choice_landmark`]), with the
/// distance from the start at which it can fall.
fn compute_landmarks(elems: &[Elem]) -> Vec<Landmark> {
    let mut out = Vec::new();
    let (mut lo, mut hi) = (0usize, Some(0usize));
    for (i, e) in elems.iter().enumerate() {
        let (found, then) = match e {
            Elem::OneOf(alts, _) => (choice_landmark(alts), None),
            e => (
                literal_text(e).map(|w| (vec![w], 0, 0)),
                match elems.get(i + 1) {
                    Some(Elem::Slot { ty, .. }) => Some(*ty),
                    _ => None,
                },
            ),
        };
        if let Some((words, near, far)) = found {
            out.push(Landmark {
                words: lowered(&words),
                lo: lo + near,
                hi: hi.map(|h| h + far),
                then,
            });
        }
        let (a, b) = len_range(e);
        lo += a;
        hi = hi.zip(b).map(|(h, b)| h + b);
    }
    out
}

/// A literal every match of a choice holds: for each branch its rarest word or mark at a
/// bounded distance from the branch's start ([`branch_landmark`]), all of them, with the
/// fewest and most tokens from the choice's start to it; `None` when a branch has none.
///
/// The rarest, not the first: `<including|of <whom|which>>` is told by `whom` or `which`
/// one token on, where `of`, found in nearly every sentence, would let every start by.
fn choice_landmark(alts: &[Vec<Elem>]) -> Option<(Written<'_>, usize, usize)> {
    let (mut words, mut near, mut far) = (Vec::new(), usize::MAX, 0);
    for alt in alts {
        let (ws, a, b) = branch_landmark(alt)?;
        for w in ws {
            push_new(&mut words, w);
        }
        near = near.min(a);
        far = far.max(b);
    }
    Some((words, near, far))
}

/// The rarest literal group ([`group_rarity`]) among a branch's top-level words and marks
/// and its choices' own landmarks, up to the first element of unbounded length, with the
/// fewest and most tokens from the branch's start to it (the first of equally rare ones).
fn branch_landmark(alt: &[Elem]) -> Option<(Written<'_>, usize, usize)> {
    let mut best: Option<(Written<'_>, usize, usize)> = None;
    let mut lo = 0;
    let mut hi = Some(0);
    for e in alt {
        let Some(h) = hi else { break };
        let found = match e {
            Elem::OneOf(alts, _) => choice_landmark(alts).map(|(ws, a, b)| (ws, lo + a, h + b)),
            e => literal_text(e).map(|w| (vec![w], lo, h)),
        };
        if let Some(f) = found
            && best
                .as_ref()
                .is_none_or(|b| group_rarity(&f.0) > group_rarity(&b.0))
        {
            best = Some(f);
        }
        let (a, b) = len_range(e);
        lo += a;
        hi = hi.zip(b).map(|(h, b)| h + b);
    }
    best
}

/// See [`Pattern::anchor`].
fn compute_anchor(elems: &[Elem]) -> Option<(SlotType, Vec<usize>)> {
    let mut lens = vec![0usize];
    for e in elems {
        match e {
            Elem::Slot { ty, .. } => {
                lens.sort_unstable();
                lens.dedup();
                return Some((*ty, lens));
            }
            _ => lens = prefix_lengths(e, &lens)?,
        }
    }
    None
}

/// Token counts after matching `e` from each of `lens`; `None` if `e` has no fixed
/// set of lengths (a gap, or a slot inside a group).
fn prefix_lengths(e: &Elem, lens: &[usize]) -> Option<Vec<usize>> {
    let seq_lens = |seq: &[Elem]| -> Option<Vec<usize>> {
        let mut l = vec![0usize];
        for x in seq {
            l = prefix_lengths(x, &l)?;
        }
        Some(l)
    };
    // Deduplicated as it goes: a run of optional words would otherwise double the list
    // at each one.
    let add = |extra: &[usize]| {
        let mut sums: Vec<usize> = lens
            .iter()
            .flat_map(|a| extra.iter().map(move |b| a + b))
            .collect();
        sums.sort_unstable();
        sums.dedup();
        sums
    };
    match e {
        Elem::Word(_) | Elem::Punct(_) => Some(lens.iter().map(|l| l + 1).collect()),
        Elem::Slot { .. } | Elem::Gap(_) | Elem::StrictGap(_) | Elem::Star(_) => None,
        Elem::Not(_) => Some(lens.to_vec()),
        Elem::Optional(inner) => {
            let mut extra = seq_lens(inner)?;
            extra.push(0);
            Some(add(&extra))
        }
        Elem::OneOf(alts, _) => {
            let mut extra = Vec::new();
            for a in alts {
                extra.extend(seq_lens(a)?);
            }
            Some(add(&extra))
        }
    }
}

fn collect_slots(elems: &[Elem], out: &mut Vec<String>) {
    for e in elems {
        match e {
            Elem::Slot { name: Some(n), .. } if !out.contains(n) => out.push(n.clone()),
            Elem::Optional(inner) | Elem::Star(inner) => collect_slots(inner, out),
            Elem::OneOf(alts, _) => alts.iter().for_each(|a| collect_slots(a, out)),
            _ => {}
        }
    }
}

struct Cx<'a> {
    text: &'a str,
    tokens: &'a [Token],
    figures: &'a [Figure],
    /// Matching steps left for this attempt: a rule pack's pattern (repeats of gaps)
    /// could otherwise backtrack exponentially; past the budget the attempt fails.
    steps: std::cell::Cell<u32>,
}

/// Steps one match attempt may take (see [`crate::limits`]).
const STEP_BUDGET: u32 = crate::limits::MAX_MATCH_STEPS;

/// Largest gap a pattern may ask for (`...N`, `~N`).
pub use crate::limits::MAX_GAP;

/// What to match after an element; captures borrow slot names from the pattern so that
/// backtracking never allocates.
type Cont<'c, 'p> = dyn FnMut(&mut Vec<(&'p str, usize)>, usize) -> Option<usize> + 'c;

/// Most repetitions a `*[...]` group takes, so no input can make matching deep.
use crate::limits::MAX_REPEAT;

impl Cx<'_> {
    /// A gap of up to `max` tokens before `elems[i + 1..]`, lazily: the shortest skip is
    /// tried first. A gap never skips a sentence stop; a plain gap never skips an amount
    /// or a percentage, a strict one (`~N`) no figure at all.
    #[allow(clippy::too_many_arguments)]
    fn gap<'p>(
        &self,
        max: usize,
        strict: bool,
        elems: &'p [Elem],
        i: usize,
        pos: usize,
        caps: &mut Vec<(&'p str, usize)>,
        k: &mut Cont<'_, 'p>,
    ) -> Option<usize> {
        for p in pos..=pos + max {
            if !self.step() {
                return None;
            }
            // Most skips end where the next element cannot match: say so without the
            // recursive call.
            if !self.cannot_start(elems, i + 1, p)
                && let Some(r) = self.seq(elems, i + 1, p, caps, k)
            {
                return Some(r);
            }
            let skippable = match self.tokens.get(p)?.kind {
                TokenKind::Stop => false,
                TokenKind::Figure(_) if strict => false,
                TokenKind::Figure(fi) => {
                    let f = &self.figures[fi];
                    !(f.is_amount() || f.kind == FigureKind::Percent)
                }
                _ => true,
            };
            if !skippable {
                return None;
            }
        }
        None
    }

    /// Match `branch`, then `elems[i + 1..]`; on failure, drop what the branch captured
    /// (the choices and optional parts try their branches this way).
    fn branch<'p>(
        &self,
        branch: &'p [Elem],
        elems: &'p [Elem],
        i: usize,
        pos: usize,
        caps: &mut Vec<(&'p str, usize)>,
        k: &mut Cont<'_, 'p>,
    ) -> Option<usize> {
        // Optional parts and choices multiply the ways to match as gaps do: each try
        // spends a step.
        if !self.step() {
            return None;
        }
        let saved = caps.len();
        let r = self.seq(branch, 0, pos, caps, &mut |caps, p| {
            self.seq(elems, i + 1, p, caps, k)
        });
        if r.is_none() {
            caps.truncate(saved);
        }
        r
    }

    /// Spend one step of the budget; false when it is used up. Gaps, repeats, optional
    /// parts and choices spend steps: they are where backtracking can multiply.
    fn step(&self) -> bool {
        let left = self.steps.get();
        self.steps.set(left.saturating_sub(1));
        left > 0
    }

    /// Greedy repetition: one more round of `inner` if it consumes a token, else go on.
    #[allow(clippy::too_many_arguments)]
    fn star<'p>(
        &self,
        inner: &'p [Elem],
        elems: &'p [Elem],
        i: usize,
        pos: usize,
        caps: &mut Vec<(&'p str, usize)>,
        k: &mut Cont<'_, 'p>,
        round: usize,
    ) -> Option<usize> {
        if round < MAX_REPEAT && self.step() {
            let saved = caps.len();
            let r = self.seq(inner, 0, pos, caps, &mut |caps, p| {
                if p > pos {
                    self.star(inner, elems, i, p, caps, k, round + 1)
                } else {
                    None
                }
            });
            if r.is_some() {
                return r;
            }
            caps.truncate(saved);
        }
        self.seq(elems, i + 1, pos, caps, k)
    }

    /// True when `elems[i..]` cannot match at token `pos`: it starts with a word, mark or
    /// slot that the token is not, or with a choice (or optional or repeated part followed
    /// by such an element) none of whose branches can start there. A pure test that only spares
    /// backtracking calls bound to fail; `false` means "try it".
    ///
    /// Inlined at each caller: each then jumps on the element's kind from a place of its
    /// own (a gap asks about the same element at every token it skips), where one shared
    /// jump, reached from every caller in turn, went to a different place than last
    /// time at most calls.
    #[inline(always)]
    fn cannot_start(&self, elems: &[Elem], i: usize, pos: usize) -> bool {
        match elems.get(i) {
            Some(Elem::Word(w)) => !self.tokens.get(pos).is_some_and(|t| self.is_word(t, w)),
            Some(Elem::Punct(c)) => !self
                .tokens
                .get(pos)
                .is_some_and(|t| t.kind == TokenKind::Punct(*c)),
            Some(Elem::Slot { ty, .. }) => !self.tokens.get(pos).is_some_and(|t| {
                matches!(t.kind, TokenKind::Figure(fi)
                    if self.figures.get(fi).is_some_and(|f| ty.accepts(f)))
            }),
            Some(e @ (Elem::OneOf(..) | Elem::Optional(_) | Elem::Star(_))) => {
                self.cannot_start_group(e, elems, i, pos)
            }
            _ => false,
        }
    }

    /// [`Cx::cannot_start`] for a choice or an optional part (kept out of line: rarer).
    #[inline(never)]
    fn cannot_start_group(&self, e: &Elem, elems: &[Elem], i: usize, pos: usize) -> bool {
        match e {
            Elem::OneOf(alts, starts) => {
                // Most tokens are none of the words or marks a branch starts with: told
                // without a look at each branch.
                !self
                    .tokens
                    .get(pos)
                    .is_some_and(|t| starts.admit(t, self.figures))
                    || alts.iter().all(|a| self.cannot_start(a, 0, pos))
            }
            // A repeat may also be taken no times: as an optional part. A gap before a
            // list (`~10 *[ , {part:amount} ~10 ] [,] and`) thus moves on to the next
            // `,` or `and` without a call into the repeat at every token.
            Elem::Optional(inner) | Elem::Star(inner) => {
                self.cannot_start(inner, 0, pos) && self.cannot_start(elems, i + 1, pos)
            }
            _ => false,
        }
    }

    /// True when `t` is the word `w`, ignoring ASCII case.
    fn is_word(&self, t: &Token, w: &str) -> bool {
        // Bytes, not `str` slicing: the same comparison without boundary checks. The
        // length test first: most tokens differ in length from the word.
        t.kind == TokenKind::Word
            && t.span.end.wrapping_sub(t.span.start) == w.len()
            && self
                .text
                .as_bytes()
                .get(t.span.start..t.span.end)
                .is_some_and(|b| b.eq_ignore_ascii_case(w.as_bytes()))
    }

    /// Match `elems[i..]` at token `pos`, then call `k` with the position after; backtracks.
    fn seq<'p>(
        &self,
        elems: &'p [Elem],
        i: usize,
        pos: usize,
        caps: &mut Vec<(&'p str, usize)>,
        k: &mut Cont<'_, 'p>,
    ) -> Option<usize> {
        let Some(e) = elems.get(i) else {
            return k(caps, pos);
        };
        match e {
            Elem::Word(w) => {
                let t = self.tokens.get(pos)?;
                if self.is_word(t, w) {
                    self.seq(elems, i + 1, pos + 1, caps, k)
                } else {
                    None
                }
            }
            Elem::Punct(c) => {
                let t = self.tokens.get(pos)?;
                if t.kind == TokenKind::Punct(*c) {
                    self.seq(elems, i + 1, pos + 1, caps, k)
                } else {
                    None
                }
            }
            Elem::Slot { name, ty } => {
                let t = self.tokens.get(pos)?;
                let TokenKind::Figure(fi) = t.kind else {
                    return None;
                };
                if !ty.accepts(&self.figures[fi]) {
                    return None;
                }
                if let Some(n) = name {
                    caps.push((n.as_str(), fi));
                }
                let r = self.seq(elems, i + 1, pos + 1, caps, k);
                if r.is_none() && name.is_some() {
                    caps.pop();
                }
                r
            }
            Elem::Star(inner) => self.star(inner, elems, i, pos, caps, k, 0),
            Elem::StrictGap(max) => self.gap(*max, true, elems, i, pos, caps, k),
            Elem::Optional(inner) => self
                .branch(inner, elems, i, pos, caps, k)
                .or_else(|| self.seq(elems, i + 1, pos, caps, k)),
            Elem::OneOf(alts, _) => alts
                .iter()
                .find_map(|alt| self.branch(alt, elems, i, pos, caps, k)),
            Elem::Not(inner) => {
                // The look-ahead captures into `caps` past its current end, and whatever
                // it captured is dropped: no buffer of its own to set up and free.
                let saved = caps.len();
                let hit = self.seq(
                    std::slice::from_ref(inner.as_ref()),
                    0,
                    pos,
                    caps,
                    &mut |_, p| Some(p),
                );
                caps.truncate(saved);
                if hit.is_some() {
                    None
                } else {
                    self.seq(elems, i + 1, pos, caps, k)
                }
            }
            Elem::Gap(max) => self.gap(*max, false, elems, i, pos, caps, k),
        }
    }
}

/// Split a pattern into lexemes with their byte offsets, as slices of the pattern (a
/// pattern has dozens of lexemes: one allocation each was a fifth of rule loading).
fn lex(src: &str) -> Result<Vec<(usize, &str)>, PatternError> {
    // At most one lexeme per byte: one allocation, for a moment.
    let mut out = Vec::with_capacity(src.len());
    let mut it = src.char_indices().peekable();
    while let Some(&(i, c)) = it.peek() {
        if c.is_whitespace() {
            it.next();
        } else if c == '{' {
            let close = src[i..].find('}').ok_or(PatternError {
                message: "unclosed `{`".into(),
                offset: i,
            })?;
            out.push((i, &src[i..=i + close]));
            while it.peek().is_some_and(|&(j, _)| j <= i + close) {
                it.next();
            }
        } else if c == '~' {
            let mut j = i + 1;
            while src[j..].starts_with(|d: char| d.is_ascii_digit()) {
                j += 1;
            }
            out.push((i, &src[i..j]));
            while it.peek().is_some_and(|&(k, _)| k < j) {
                it.next();
            }
        } else if c == '.' && src[i..].starts_with("...") {
            let mut j = i + 3;
            while src[j..].starts_with(|d: char| d.is_ascii_digit()) {
                j += 1;
            }
            out.push((i, &src[i..j]));
            while it.peek().is_some_and(|&(k, _)| k < j) {
                it.next();
            }
        } else if c.is_alphanumeric() || c == '\'' || c == '’' {
            let mut j = i;
            while let Some(&(k, d)) = it.peek() {
                if d.is_alphanumeric() || d == '\'' || d == '’' {
                    j = k + d.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            out.push((i, &src[i..j]));
        } else {
            out.push((i, &src[i..i + c.len_utf8()]));
            it.next();
        }
    }
    Ok(out)
}

/// Parse lexemes into elements until `close` (`]`, `>` or `|`) or the end; `depth` is
/// how many groups enclose them (at most [`crate::limits::MAX_PATTERN_DEPTH`], so that
/// neither compiling nor matching recurses without bound).
///
/// The elements are pushed on `stack` (shared by the groups of one pattern) and drained
/// off it at the end: each sequence is allocated once at its size, where a vector of its
/// own per group grew by doubling.
fn parse_seq(
    lx: &[(usize, &str)],
    pos: &mut usize,
    close: Option<&[&str]>,
    depth: usize,
    stack: &mut Vec<Elem>,
) -> Result<Vec<Elem>, PatternError> {
    use crate::limits::MAX_PATTERN_DEPTH;
    let start = stack.len();
    while let Some((off, s)) = lx.get(*pos) {
        if close.is_some_and(|c| c.contains(s)) {
            return Ok(stack.drain(start..).collect());
        }
        *pos += 1;
        let err = |m: String| PatternError {
            message: m,
            offset: *off,
        };
        if matches!(*s, "[" | "*" | "<" | "!") && depth >= MAX_PATTERN_DEPTH {
            return Err(err(format!(
                "groups nested too deep (at most {MAX_PATTERN_DEPTH} levels)"
            )));
        }
        let elem = match *s {
            "[" => {
                let inner = parse_seq(lx, pos, Some(&["]"]), depth + 1, stack)?;
                expect(lx, pos, "]", *off)?;
                Elem::Optional(inner)
            }
            "*" => {
                expect(lx, pos, "[", *off)?;
                let inner = parse_seq(lx, pos, Some(&["]"]), depth + 1, stack)?;
                expect(lx, pos, "]", *off)?;
                if inner.is_empty() {
                    return Err(err("`*[ ]` needs something to repeat".into()));
                }
                Elem::Star(inner)
            }
            s if s.starts_with('~') => {
                let n: usize = s[1..]
                    .parse()
                    .map_err(|_| err(format!("bad gap `{s}`: write `~N`, as in `~6`")))?;
                if n > MAX_GAP {
                    return Err(err(format!("gap `{s}` is too wide (at most {MAX_GAP})")));
                }
                Elem::StrictGap(n)
            }
            "<" => {
                let mut alts = Vec::new();
                loop {
                    alts.push(parse_seq(lx, pos, Some(&["|", ">"]), depth + 1, stack)?);
                    match lx.get(*pos).map(|l| l.1) {
                        Some("|") => *pos += 1,
                        Some(">") => {
                            *pos += 1;
                            break;
                        }
                        _ => return Err(err("unclosed `<`".into())),
                    }
                }
                let starts = Starts::of(&alts);
                Elem::OneOf(alts, starts)
            }
            "]" | ">" | "|" => return Err(err(format!("unexpected `{s}`"))),
            "!" => {
                // One element: a word, a mark, or a whole `<a|b>` group.
                let end = if lx.get(*pos).is_some_and(|l| l.1 == "<") {
                    lx[*pos..]
                        .iter()
                        .position(|l| l.1 == ">")
                        .map_or(lx.len(), |k| *pos + k + 1)
                } else {
                    (*pos + 1).min(lx.len())
                };
                let inner = parse_seq(&lx[..end], pos, None, depth + 1, stack)?;
                match inner.into_iter().next() {
                    Some(e @ (Elem::Word(_) | Elem::Punct(_) | Elem::OneOf(..))) => {
                        Elem::Not(Box::new(e))
                    }
                    _ => {
                        return Err(err(
                            "`!` must be followed by a word, a punctuation mark or `<a|b>`".into(),
                        ));
                    }
                }
            }
            s if s.starts_with('{') => {
                let body = &s[1..s.len() - 1];
                let (name, ty) = body.split_once(':').ok_or_else(|| {
                    err(format!("slot `{s}` needs a type, as in `{{part:count}}`"))
                })?;
                let ty = SlotType::parse(ty.trim()).ok_or_else(|| {
                    err(format!(
                        "unknown slot type `{}` (expected count, amount, number, percent, points, money, rate, year, period, ordinal, multiplier, date or any)",
                        ty.trim()
                    ))
                })?;
                let name = name.trim();
                if !name.is_empty()
                    && name != "_"
                    && !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    return Err(err(format!("bad slot name `{name}`")));
                }
                Elem::Slot {
                    name: (!name.is_empty() && name != "_").then(|| name.to_string()),
                    ty,
                }
            }
            s if s.starts_with("...") => {
                let n: usize = if s.len() > 3 {
                    s[3..].parse().map_err(|_| err(format!("bad gap `{s}`")))?
                } else {
                    DEFAULT_GAP
                };
                if n > MAX_GAP {
                    return Err(err(format!("gap `{s}` is too wide (at most {MAX_GAP})")));
                }
                Elem::Gap(n)
            }
            s if s.chars().next().is_some_and(|c| c.is_alphanumeric()) => Elem::Word(s.to_string()),
            s => {
                let c = s.chars().next().unwrap_or(' ');
                Elem::Punct(normalise(c))
            }
        };
        stack.push(elem);
    }
    Ok(stack.drain(start..).collect())
}

fn normalise(c: char) -> char {
    match c {
        '“' | '”' => '"',
        '–' | '—' => '-',
        c => c,
    }
}

fn expect(
    lx: &[(usize, &str)],
    pos: &mut usize,
    what: &str,
    open: usize,
) -> Result<(), PatternError> {
    match lx.get(*pos) {
        Some((_, s)) if *s == what => {
            *pos += 1;
            Ok(())
        }
        _ => Err(PatternError {
            message: format!("unclosed group, expected `{what}`"),
            offset: open,
        }),
    }
}

/// The analysis of a compiled pattern's literals as it was before it worked on the
/// pattern's own text (one string per word and group at every level): the oracle that
/// [`Pattern::compile`]'s key words, word groups and landmarks are checked against.
#[cfg(test)]
mod old_analysis {
    use super::{Elem, Landmark};

    /// Fewest and most tokens a sequence of elements can match (`None`: no bound).
    fn old_seq_len_range(elems: &[Elem]) -> (usize, Option<usize>) {
        elems.iter().fold((0, Some(0)), |(lo, hi), e| {
            let (a, b) = old_len_range(e);
            (lo + a, hi.zip(b).map(|(h, b)| h + b))
        })
    }

    /// Fewest and most tokens one element can match (`None`: no bound).
    fn old_len_range(e: &Elem) -> (usize, Option<usize>) {
        match e {
            Elem::Word(_) | Elem::Punct(_) | Elem::Slot { .. } => (1, Some(1)),
            Elem::Optional(inner) => (0, old_seq_len_range(inner).1),
            Elem::Star(_) => (0, None),
            Elem::OneOf(alts, _) => {
                let ranges: Vec<_> = alts.iter().map(|a| old_seq_len_range(a)).collect();
                let lo = ranges.iter().map(|r| r.0).min().unwrap_or(0);
                let hi = ranges.iter().try_fold(0, |m, r| r.1.map(|h| m.max(h)));
                (lo, hi)
            }
            Elem::Gap(n) | Elem::StrictGap(n) => (0, Some(*n)),
            Elem::Not(_) => (0, Some(0)),
        }
    }

    /// See [`Pattern::key_words`]: of the required word groups, the one whose shortest word
    /// is longest (long words are rarer), then the one with fewest choices.
    ///
    /// A required choice contributes the union of its branches' own key groups: every match
    /// goes through one branch, so holds one of them. Taking each branch's rarest word, not
    /// its first ("whom" or "which" for `of <whom|which>`, not "of"), keeps choices that
    /// start with common words from letting through nearly every sentence.
    fn old_compute_key_words(elems: &[Elem]) -> Option<Vec<String>> {
        old_rarest_group(&old_required_groups(elems))
    }

    /// The group of `groups` whose commonest word is rarest (longest, or a rare mark), the
    /// smaller of two equally rare ones.
    fn old_rarest_group(groups: &[Vec<String>]) -> Option<Vec<String>> {
        groups
            .iter()
            .max_by_key(|g| (old_group_rarity(g), usize::MAX - g.len()))
            .cloned()
    }

    /// How rare a word (or mark) is guessed to be in prose: its length, with brackets,
    /// semicolons and colons counted as rarer than most short words.
    fn old_rarity(w: &str) -> usize {
        match w {
            "(" | ")" => 5,
            ";" | ":" => 6,
            _ => w.len(),
        }
    }

    /// The old_rarity of a group of words, one of which is to be found: that of its commonest.
    fn old_group_rarity(g: &[String]) -> usize {
        g.iter().map(|w| old_rarity(w)).min().unwrap_or(0)
    }

    /// See [`Pattern::word_groups`], in pattern order.
    fn old_required_groups(elems: &[Elem]) -> Vec<Vec<String>> {
        elems
            .iter()
            .filter_map(|e| match e {
                Elem::Word(w) => Some(vec![w.to_ascii_lowercase()]),
                // Brackets, semicolons and colons are rarer than most short words.
                Elem::Punct(c @ ('(' | ')' | ';' | ':')) => Some(vec![c.to_string()]),
                Elem::OneOf(alts, _) => {
                    let mut union = Vec::new();
                    for alt in alts {
                        for w in old_compute_key_words(alt)? {
                            if !union.contains(&w) {
                                union.push(w);
                            }
                        }
                    }
                    Some(union)
                }
                _ => None,
            })
            .collect()
    }

    /// The spelling a token must have to match `e`, when `e` is a word or a punctuation mark
    /// that stands for itself: the marks that tokens normalise to (`"`, `'`, `-`) also match
    /// other spellings, so they are never landmarks.
    fn old_literal_text(e: &Elem) -> Option<String> {
        match e {
            Elem::Word(w) => Some(w.to_ascii_lowercase()),
            Elem::Punct(c) if c.is_ascii() && !matches!(c, '"' | '\'' | '-') => Some(c.to_string()),
            _ => None,
        }
    }

    /// See [`Pattern::landmarks`]: every top-level word or mark, and every choice each of
    /// whose branches holds one at a bounded distance ([`choice_landmark`]), with the
    /// distance from the start at which it can fall.
    fn old_compute_landmarks(elems: &[Elem]) -> Vec<Landmark> {
        let mut out = Vec::new();
        let (mut lo, mut hi) = (0usize, Some(0usize));
        for (i, e) in elems.iter().enumerate() {
            let (found, then) = match e {
                Elem::OneOf(alts, _) => (old_choice_landmark(alts), None),
                e => (
                    old_literal_text(e).map(|w| (vec![w], 0, 0)),
                    match elems.get(i + 1) {
                        Some(Elem::Slot { ty, .. }) => Some(*ty),
                        _ => None,
                    },
                ),
            };
            if let Some((words, near, far)) = found {
                out.push(Landmark {
                    words,
                    lo: lo + near,
                    hi: hi.map(|h| h + far),
                    then,
                });
            }
            let (a, b) = old_len_range(e);
            lo += a;
            hi = hi.zip(b).map(|(h, b)| h + b);
        }
        out
    }

    /// A literal every match of a choice holds: for each branch its rarest word or mark at a
    /// bounded distance from the branch's start ([`branch_landmark`]), all of them, with the
    /// fewest and most tokens from the choice's start to it; `None` when a branch has none.
    ///
    /// The rarest, not the first: `<including|of <whom|which>>` is told by `whom` or `which`
    /// one token on, where `of`, found in nearly every sentence, would let every start by.
    fn old_choice_landmark(alts: &[Vec<Elem>]) -> Option<(Vec<String>, usize, usize)> {
        let (mut words, mut near, mut far) = (Vec::new(), usize::MAX, 0);
        for alt in alts {
            let (ws, a, b) = old_branch_landmark(alt)?;
            for w in ws {
                if !words.contains(&w) {
                    words.push(w);
                }
            }
            near = near.min(a);
            far = far.max(b);
        }
        Some((words, near, far))
    }

    /// The rarest literal group ([`group_rarity`]) among a branch's top-level words and marks
    /// and its choices' own landmarks, up to the first element of unbounded length, with the
    /// fewest and most tokens from the branch's start to it (the first of equally rare ones).
    fn old_branch_landmark(alt: &[Elem]) -> Option<(Vec<String>, usize, usize)> {
        let mut best: Option<(Vec<String>, usize, usize)> = None;
        let mut lo = 0;
        let mut hi = Some(0);
        for e in alt {
            let Some(h) = hi else { break };
            let found = match e {
                Elem::OneOf(alts, _) => {
                    old_choice_landmark(alts).map(|(ws, a, b)| (ws, lo + a, h + b))
                }
                e => old_literal_text(e).map(|w| (vec![w], lo, h)),
            };
            if let Some(f) = found
                && best
                    .as_ref()
                    .is_none_or(|b| old_group_rarity(&f.0) > old_group_rarity(&b.0))
            {
                best = Some(f);
            }
            let (a, b) = old_len_range(e);
            lo += a;
            hi = hi.zip(b).map(|(h, b)| h + b);
        }
        best
    }

    /// The key words, word groups and landmarks the old analysis gives.
    pub(super) fn analyse(
        elems: &[Elem],
    ) -> (Option<Vec<String>>, Vec<Vec<String>>, Vec<Landmark>) {
        let groups = old_required_groups(elems);
        (
            old_rarest_group(&groups),
            groups,
            old_compute_landmarks(elems),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::tokens::tokenize;

    /// Key words, word groups and landmarks of a compiled pattern, as the old analysis
    /// ([`old_analysis`]) gives them.
    fn assert_same_analysis(source: &str) {
        let Ok(p) = Pattern::compile(source) else {
            return;
        };
        let (key_words, word_groups, landmarks) = old_analysis::analyse(&p.elems);
        assert_eq!(
            p.key_words(),
            key_words.as_deref(),
            "key words of `{source}`"
        );
        assert_eq!(p.word_groups, word_groups, "word groups of `{source}`");
        assert_eq!(p.landmarks, landmarks, "landmarks of `{source}`");
    }

    /// Every built-in pattern (with the exhaustive pairs expanded, one pair more from
    /// configuration too), and patterns where case, repeats and marks decide the groups.
    #[test]
    fn literal_analysis_is_the_old_one_on_every_builtin_pattern() {
        let extra = [[vec!["Girls".to_string()], vec!["boys".to_string()]]];
        let mut seen = 0;
        for (name, yaml) in crate::rules::load::BUILTIN {
            for pairs in [&extra[..0], &extra[..]] {
                let fam = crate::rules::load::load_file_with(name, yaml, pairs)
                    .unwrap_or_else(|e| panic!("{e:?}"));
                for p in &fam.patterns.patterns {
                    assert_same_analysis(p.source());
                    seen += 1;
                }
            }
        }
        assert!(seen > 200, "{seen} patterns");
        for source in [
            "Of {a:amount} <of|OF|Of the> ( {b:percent} )",
            "{a:amount} <whom ; x|Whom ; y|: z> <which|WHICH <x|Y|y>>",
            "{a:amount} <of <Whom|which>|including> [the] , {b:count} ;",
            "{a:amount} <x ...|y> <( {b:percent}|) z> \" - ' which",
            "{a:amount} !<of|the> *[ , {b:count} ] and <Caf\u{e9}|CAF\u{c9}|caf\u{e9}>",
        ] {
            assert_same_analysis(source);
        }
    }

    /// A pattern of words that differ only in case, marks, slots, gaps, optional and
    /// repeated parts and nested choices (most compile; those that do not are skipped).
    fn pattern_source() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let leaf = prop::sample::select(vec![
            "of",
            "Of",
            "OF",
            "the",
            "whom",
            "Whom",
            "which",
            "a",
            "(",
            ")",
            ";",
            ":",
            ",",
            "-",
            "\"",
            "'",
            "...",
            "~3",
            "{a:amount}",
            "{b:percent}",
            "{_:count}",
            "caf\u{e9}",
            "Caf\u{c9}",
        ])
        .prop_map(str::to_string);
        leaf.prop_recursive(4, 48, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..5).prop_map(|v| v.join(" ")),
                prop::collection::vec(inner.clone(), 1..4)
                    .prop_map(|v| format!("<{}>", v.join("|"))),
                inner.clone().prop_map(|v| format!("[ {v} ]")),
                inner.clone().prop_map(|v| format!("*[ {v} ]")),
                inner.prop_map(|v| format!("!{v}")),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn literal_analysis_is_the_old_one_on_made_up_patterns(
            body in pattern_source(),
            tail in pattern_source(),
        ) {
            assert_same_analysis(&format!("{{a:amount}} {body} {tail}"));
        }
    }

    fn find(pat: &str, text: &str) -> Option<Vec<(String, f64)>> {
        let p = Pattern::compile(pat).unwrap();
        let f = crate::figures::scan(text);
        let t = tokenize(text, &f);
        (0..t.len())
            .find_map(|s| p.match_at(text, &t, &f, s))
            .map(|m| {
                m.captures
                    .iter()
                    .map(|(n, i)| (n.clone(), f[*i].value))
                    .collect()
            })
    }

    #[test]
    fn slots_words_and_punct() {
        let caps = find(
            "{part:count} ( {pct:percent} ) of [the] {whole:count}",
            "In courts, 205 (45.7%) of the 449 judges",
        );
        assert_eq!(
            caps,
            Some(vec![
                ("part".into(), 205.0),
                ("pct".into(), 45.7),
                ("whole".into(), 449.0)
            ])
        );
    }

    #[test]
    fn optional_may_be_absent() {
        assert!(
            find(
                "{part:count} ( {pct:percent} ) of [the] {whole:count}",
                "8 (20%) of 40"
            )
            .is_some()
        );
    }

    #[test]
    fn alternatives_and_gaps() {
        let p = "{whole:count} ... , of <whom|which> {part:count} , or {pct:percent}";
        let caps = find(
            p,
            "there were 7,723 schools in the country, of which 6,925, or 89.6%, were",
        );
        assert_eq!(caps.map(|c| c.len()), Some(3));
    }

    #[test]
    fn gaps_do_not_cross_sentences_or_amounts() {
        let p = "{whole:count} ... , of whom {part:count}";
        assert!(find(p, "We saw 12 cats. Then, of whom 3").is_none());
        // The gap may not jump over "26": the match starts at 26 instead.
        let caps = find(p, "104 athletes in 26 sports, of whom 46").unwrap();
        assert_eq!(caps[0].1, 26.0);
    }

    /// `accepting` gives, for figures of every kind, what `accepts` gives type by type.
    #[test]
    fn accepting_bits_agree_with_accepts() {
        let text = "In 2020, 3,415 people (45.7 per cent, up 2 percentage points) and \
                    $100 million, 7.9 per 1,000 births, 2020–2023, 12 October 2021, the \
                    62nd place, doubled, a third, six and 19.8 million tenge.";
        let figures = crate::figures::scan(text);
        let mut kinds = std::collections::HashSet::new();
        for f in &figures {
            let want = SlotType::ALL
                .iter()
                .enumerate()
                .filter(|(_, ty)| ty.accepts(f))
                .fold(0u16, |m, (n, _)| m | 1 << n);
            assert_eq!(SlotType::accepting(f), want, "{:?}", f.kind);
            kinds.insert(std::mem::discriminant(&f.kind));
        }
        assert!(kinds.len() >= 9, "{kinds:?}");
    }

    /// A choice's `Starts` turns away only tokens at which every branch says it cannot
    /// start.
    #[test]
    fn choice_starts_turn_away_only_what_every_branch_does() {
        let text = "Of the 40 deputies, 18 (45 per cent) of whom, including 3; such as \
                    the 7th, among them 12 women. Among whom y z x";
        let figures = crate::figures::scan(text);
        let tokens = tokenize(text, &figures);
        let (mut turned_away, mut admitted) = (0, 0);
        for src in [
            "<of <whom|which>|including|such as> {a:count}",
            "<( {a:percent}|{b:ordinal}|;|[x] y> z",
            "<among them|among whom|, of|{c:year}> {a:any}",
        ] {
            let p = Pattern::compile(src).unwrap();
            let cx = Cx {
                text,
                tokens: &tokens,
                figures: &figures,
                steps: std::cell::Cell::new(STEP_BUDGET),
            };
            for e in &p.elems {
                let Elem::OneOf(alts, starts) = e else {
                    continue;
                };
                for pos in 0..=tokens.len() {
                    let admit = tokens.get(pos).is_some_and(|t| starts.admit(t, &figures));
                    if !admit {
                        turned_away += 1;
                        assert!(
                            alts.iter().all(|a| cx.cannot_start(a, 0, pos)),
                            "{src} {pos}"
                        );
                    } else {
                        admitted += 1;
                    }
                }
            }
        }
        assert!(
            turned_away > 20 && admitted > 20,
            "{turned_away} {admitted}"
        );
    }

    #[test]
    fn anchors_count_the_tokens_before_the_first_slot() {
        let p = Pattern::compile("of <the|those of> [all] {w:count} x").unwrap();
        assert_eq!(p.anchor(), Some((SlotType::Count, vec![2, 3, 4])));
        assert_eq!(
            Pattern::compile("{w:count} x").unwrap().anchor(),
            Some((SlotType::Count, vec![0]))
        );
    }

    #[test]
    fn star_repeats_and_strict_gap_skips_no_figure() {
        let p = "{total:count} ~4 ( {part:count} ~10 *[ , {part:count} ~10 ] [,] and {part:count}";
        let caps = find(p, "54 victims (4 men, 34 women and 16 children)").unwrap();
        let parts: Vec<f64> = caps
            .iter()
            .filter(|(n, _)| n == "part")
            .map(|c| c.1)
            .collect();
        assert_eq!(parts, [4.0, 34.0, 16.0]);
        // Items may hold commas and "and" as long as no figure is skipped.
        let caps = find(
            p,
            "137 items (42 booklets, 90 exhibitions, booths and boards and 5 other)",
        )
        .unwrap();
        let parts: Vec<f64> = caps
            .iter()
            .filter(|(n, _)| n == "part")
            .map(|c| c.1)
            .collect();
        assert_eq!(parts, [42.0, 90.0, 5.0]);
        // `~4` may not skip the year between the total and the bracket.
        assert!(
            find(
                "{total:count} ~4 ( {part:count}",
                "30 persons in 2022 (34 persons"
            )
            .is_none()
        );
        assert!(Pattern::compile("*[ ]").is_err());
        assert!(Pattern::compile("{a:count} ~x").is_err());
    }

    #[test]
    fn key_words_are_the_rarest_required_literal() {
        let p = Pattern::compile(
            "{whole:count} ~3 , comprising {part:count} [of them] and {part:count}",
        )
        .unwrap();
        assert_eq!(p.key_words(), Some(&["comprising".to_string()][..]));
        let q = Pattern::compile("<decreased|fell> by {pct:percent} [, the lowest]").unwrap();
        assert_eq!(
            q.key_words(),
            Some(&["decreased".to_string(), "fell".to_string()][..])
        );
        // Brackets count as key words: rarer than "of" or "and".
        let r = Pattern::compile("{a:count} ( {b:percent} ) of").unwrap();
        assert!(matches!(r.key_words(), Some([k]) if k == "(" || k == ")"));
        assert_eq!(
            Pattern::compile("{a:count} , {b:percent}")
                .unwrap()
                .key_words(),
            None
        );
    }

    /// A pattern's landmarks as (words, nearest, farthest) for comparison.
    fn landmark_words(p: &Pattern) -> Vec<(Vec<&str>, usize, Option<usize>)> {
        p.landmarks()
            .iter()
            .map(|l| (l.words.iter().map(String::as_str).collect(), l.lo, l.hi))
            .collect()
    }

    #[test]
    fn landmarks_know_how_far_each_literal_can_be() {
        let p = Pattern::compile(
            "{t:amount} [, or {_:percent} ,] ~6 ( {p:amount} *[ , {p:amount} ] <and|or> - \"",
        )
        .unwrap();
        let marks = landmark_words(&p);
        // `,` and `or` are inside an optional part; `-` and `"` also match other marks.
        assert_eq!(
            marks,
            [(vec!["("], 1, Some(11)), (vec!["and", "or"], 3, None)]
        );
        // `(` names the figure after it; the choice does not.
        let then: Vec<Option<SlotType>> = p.landmarks().iter().map(|l| l.then).collect();
        assert_eq!(then, [Some(SlotType::Amount), None]);
        let q = Pattern::compile("{t:amount} ...6 and {p:percent} )").unwrap();
        let then: Vec<Option<SlotType>> = q.landmarks().iter().map(|l| l.then).collect();
        assert_eq!(then, [Some(SlotType::Percent), None]);
    }

    /// A choice's landmark takes each branch's rarest literal, at its distance into the
    /// branch: `whom` or `which` one token after `of`, not `of` itself.
    #[test]
    fn choice_landmarks_take_each_branch_s_rarest_literal() {
        let p = Pattern::compile(
            "{t:amount} ...10 [,] <including|among them|such as|of <whom|which>> {p:amount}",
        )
        .unwrap();
        let marks = landmark_words(&p);
        assert_eq!(
            marks,
            [(
                vec!["including", "among", "such", "whom", "which"],
                1,
                Some(13)
            )]
        );
        // A gap inside a branch widens the window; a literal past a repeat is not
        // taken (its distance has no bound), and a branch without a literal leaves the
        // choice without a landmark.
        let compile = |src: &str| Pattern::compile(src).unwrap();
        let gap = compile("{t:amount} <of ...3 whom|including> {p:amount}");
        assert_eq!(
            landmark_words(&gap),
            [(vec!["whom", "including"], 1, Some(5))]
        );
        let repeat = compile("{t:amount} <of *[x] whom|including> {p:amount}");
        assert_eq!(
            landmark_words(&repeat),
            [(vec!["of", "including"], 1, Some(1))]
        );
        let bare = compile("{t:amount} <{_:percent}|including> {p:amount}");
        assert!(landmark_words(&bare).is_empty());
    }

    #[test]
    fn a_pathological_pattern_is_cut_off_not_slow() {
        // Nested repeats of wide gaps would backtrack exponentially on a failing text.
        let p = Pattern::compile("{a:count} *[ ...40 *[ ...40 , ] ] {b:percent} zzz").unwrap();
        let text = format!("1 {} 5%", ", word".repeat(60));
        let f = crate::figures::scan(&text);
        let t = crate::claims::tokenize(&text, &f);
        // Without the step budget this would not finish; with it, every start fails.
        assert!((0..t.len()).all(|s| p.match_at(&text, &t, &f, s).is_none()));
        assert!(Pattern::compile("{a:count} ...500 x").is_err());
        assert!(Pattern::compile("{a:count} ~41 x").is_err());
    }

    #[test]
    fn negation_is_zero_width() {
        let p = "{whole:count} people , of whom {part:count} , or {pct:percent} !of";
        assert!(find(p, "1,200 people, of whom 300, or 25%, were women").is_some());
        assert!(find(p, "1,200 people, of whom 300, or 25% of the regional total").is_none());
        assert!(find(p, "1,200 people, of whom 300, or 25%").is_some());
        assert!(Pattern::compile("{a:count} !").is_err());
        let q = "{whole:count} people , of whom {part:count} , or {pct:percent} !<of|among>";
        assert!(find(q, "1,200 people, of whom 300, or 25% among them").is_none());
        assert!(find(q, "1,200 people, of whom 300, or 25%, were women").is_some());
    }

    #[test]
    fn compile_errors_point_at_the_problem() {
        let e = Pattern::compile("{part:cnt} of").unwrap_err();
        assert_eq!(e.offset, 0);
        assert!(e.message.contains("unknown slot type `cnt`"));
        assert!(Pattern::compile("of [the").is_err());
        assert!(Pattern::compile("... of").is_err());
    }
}
