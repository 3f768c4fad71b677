//! Claims: figures linked into typed statements (share, total-of-parts, change, ...).
//!
//! Third stage of the pipeline. Patterns from `rules/*.yaml` (see [`pattern`]) are matched
//! over the token stream; each match becomes a [`Claim`] of its family with its figures in
//! named slots. Rules read claims; they never look at the text again.

pub mod dates;
pub mod enumeration;
pub mod facts;
mod keywords;
pub mod metrics;
pub mod name;
pub mod pattern;
pub mod series;
pub mod statements;
pub mod tables;
#[cfg(test)]
mod testing;
pub mod tokens;

use crate::figures::Figure;
use crate::source::Span;
use keywords::{KeyIndex, KeyWords};
pub use name::Name;
pub use pattern::{Pattern, PatternError, SlotType};
pub use tokens::{Token, TokenKind, for_each_figure_sentence, tokenize};

/// A family's patterns, in priority order (earlier wins when two claim the same figure).
#[derive(Debug, Clone)]
pub struct ClaimPatterns {
    /// Family name, e.g. `share`.
    pub family: String,
    /// Compiled patterns.
    pub patterns: Vec<Pattern>,
    /// Slots that identify a claim: a figure fills a key slot in at most one claim of the
    /// family (a whole may be shared by several shares; a part may not).
    pub key_slots: Vec<String>,
    /// The family name and every slot name of the patterns, once each, shared by the
    /// claims the patterns make (see [`Name`]); the family name comes first.
    names: Vec<Name>,
}

impl ClaimPatterns {
    /// A family's patterns, in priority order, with the slots that identify a claim.
    pub fn new(family: String, patterns: Vec<Pattern>, key_slots: Vec<String>) -> Self {
        let mut names = vec![Name::from(family.clone())];
        for n in patterns.iter().flat_map(|p| p.slot_names()) {
            if !names[1..].iter().any(|m| m == n) {
                names.push(Name::from(n.clone()));
            }
        }
        ClaimPatterns {
            family,
            patterns,
            key_slots,
            names,
        }
    }

    /// The family name, shared.
    fn family_name(&self) -> Name {
        self.names[0].clone()
    }

    /// Slot `slot` of one of the patterns, shared.
    fn slot_name(&self, slot: &str) -> Name {
        self.names[1..]
            .iter()
            .find(|n| same_name(n, slot))
            .cloned()
            .unwrap_or_else(|| Name::from(slot.to_string()))
    }
}

/// Whether two slot names are the same name. Names of one family mostly differ in length
/// or first letter, told apart here before the bytes are compared (a `memcmp` call): a
/// claim's names are looked up a dozen times as it is made.
fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

/// Whether two patterns' anchors ([`Pattern::anchor_ref`]) are the same, and so their
/// candidate starts. Most anchors are one distance, compared as a number: the slices
/// compared as slices went through a `memcmp` call for each pattern tried.
fn same_anchor(a: Option<(SlotType, &[usize])>, b: Option<(SlotType, &[usize])>) -> bool {
    match (a, b) {
        (Some((ta, [da])), Some((tb, [db]))) => ta == tb && da == db,
        _ => a == b,
    }
}

/// The words counted by a claim's slot figures, in slot order, each `None` when no such
/// word follows the figure.
///
/// Held as one text, the words separated by single spaces (a counted word is letters
/// only: never empty, never holding a space), with trailing `None`s left out, and kept
/// in the claim itself when short (nearly always): a claim allocates nothing for its
/// nouns, where a vector of strings cost an allocation for the vector and one for each
/// word, and a string of its own one allocation per claim.
#[derive(Clone, PartialEq, Default)]
pub struct Nouns(NounText);

/// Bytes of nouns kept in the claim itself: what fits beside the length in the room a
/// `String` and its tag take.
const INLINE_NOUNS: usize = 30;

/// The text of [`Nouns`]: in place up to [`INLINE_NOUNS`] bytes, else on the heap. A
/// text is in place exactly when it fits, and the bytes past its length are zero, so
/// that two equal texts compare equal.
#[derive(Clone, PartialEq)]
enum NounText {
    /// The first `len` bytes of `bytes`.
    Inline { len: u8, bytes: [u8; INLINE_NOUNS] },
    /// Longer than [`INLINE_NOUNS`] bytes.
    Heap(String),
}

impl Default for NounText {
    fn default() -> Self {
        NounText::Inline {
            len: 0,
            bytes: [0; INLINE_NOUNS],
        }
    }
}

/// Printed as the one string it stands for: `Nouns("villages women")`.
impl std::fmt::Debug for Nouns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Nouns").field(&self.as_str()).finish()
    }
}

impl Nouns {
    /// Nouns holding `text` (words separated by single spaces), in place when it fits.
    fn from_text(text: &str) -> Self {
        match u8::try_from(text.len()) {
            Ok(len) if text.len() <= INLINE_NOUNS => {
                let mut bytes = [0; INLINE_NOUNS];
                bytes[..text.len()].copy_from_slice(text.as_bytes());
                Nouns(NounText::Inline { len, bytes })
            }
            _ => Nouns(NounText::Heap(text.to_owned())),
        }
    }

    /// The words as one text.
    fn as_str(&self) -> &str {
        match &self.0 {
            // Copied from a `str` at a character boundary (see `from_text`): the check
            // cannot fail.
            NounText::Inline { len, bytes } => {
                std::str::from_utf8(bytes.get(..usize::from(*len)).unwrap_or_default())
                    .unwrap_or_default()
            }
            NounText::Heap(text) => text,
        }
    }

    /// The noun of slot `i`, if one was read.
    pub fn get(&self, i: usize) -> Option<&str> {
        self.iter().nth(i).flatten()
    }

    /// Each slot's noun in order, then `None` without end (zip it with the slots).
    pub fn iter(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        let text = self.as_str();
        let recorded = (!text.is_empty()).then(|| text.split(' '));
        recorded
            .into_iter()
            .flatten()
            .map(|w| (!w.is_empty()).then_some(w))
            .chain(std::iter::repeat(None))
    }

    /// Nouns as read: one word or `None` per slot (for tests of the rules that read
    /// them).
    #[cfg(test)]
    pub(crate) fn from_words(words: &[Option<&str>]) -> Self {
        let kept = words.iter().rposition(Option::is_some).map_or(0, |i| i + 1);
        Nouns::from_text(
            &words[..kept]
                .iter()
                .map(|w| w.unwrap_or(""))
                .collect::<Vec<_>>()
                .join(" "),
        )
    }

    /// The nouns after the figures ending at `ends`, one per slot, as [`noun_into`]
    /// reads them; each end comes with a guess at the token after it (see
    /// [`first_token_from`]), and the words are put together in `words`, a buffer kept
    /// from claim to claim. Kept out of line: inlined, it changed how the caller's hot
    /// loop over candidate starts compiled, and cost more there than it saved.
    #[inline(never)]
    fn after<I: IntoIterator<Item = (usize, Option<usize>)>>(
        text: &str,
        tokens: &[Token],
        ends: I,
        words: &mut String,
    ) -> Self {
        words.clear();
        // Separators owed for the slots passed since the last word: written only when
        // another word follows, so a claim with no noun allocates nothing.
        let mut owed = 0;
        for (slot, (end, guess)) in ends.into_iter().enumerate() {
            owed += usize::from(slot > 0);
            let next = first_token_from(tokens, end, guess);
            if noun_into(text, tokens, next, owed, words) {
                owed = 0;
            }
        }
        Nouns::from_text(words)
    }
}

/// A typed statement linking figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Family name, e.g. `share`.
    pub family: Name,
    /// From the first to the last matched token.
    pub span: Span,
    /// Figures by slot name, as indices into the figure list.
    pub slots: Vec<(Name, usize)>,
    /// Index of the pattern (within its family) that matched.
    pub pattern: usize,
    /// Other figures that could fill a slot: (slot name, figure index). A pattern that
    /// opens with `{whole:amount} ...` takes the nearest whole, but an earlier figure in
    /// the same sentence ("104 athletes in 26 sports, including 46 women") may be the one
    /// meant; rules must find the claim wrong under every reading before they report it.
    pub alternatives: Vec<(Name, usize)>,
    /// The word counted by each slot's figure ("villages" in "475 villages"), lower-case,
    /// parallel to `slots`; `None` when a function word or punctuation follows. Empty
    /// when no slot has one read (claims of Rust extractors), which reads the same as
    /// all `None`.
    pub nouns: Nouns,
    /// Named attributes set by Rust extractors: e.g. `subject` (normalised words),
    /// `direction` (`up` / `down`), `sentence` (an index), `years`.
    pub attrs: Vec<(&'static str, String)>,
}

impl Claim {
    /// A claim found by a Rust extractor: no pattern, no alternatives, no counted nouns.
    pub fn new(family: impl Into<Name>, span: Span, slots: Vec<(Name, usize)>) -> Self {
        Claim {
            family: family.into(),
            span,
            slots,
            pattern: 0,
            alternatives: Vec::new(),
            nouns: Nouns::default(),
            attrs: Vec::new(),
        }
    }

    /// Every figure captured in slot `name`, in order (repeated slots capture several).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.slots
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, i)| *i)
    }

    /// The value of attribute `key`, if an extractor set it.
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The figure in slot `name`, if the pattern captured one.
    pub fn slot(&self, name: &str) -> Option<usize> {
        self.slots.iter().find(|(n, _)| n == name).map(|(_, i)| *i)
    }
}

/// Match every family's patterns over the tokens and return the claims, ordered by start.
///
/// Within a family, a figure fills the key slot of at most one claim: matches are taken by
/// pattern priority, then position, so a more specific pattern listed first wins over a
/// looser one that would pair the same figure differently.
pub fn extract(
    text: &str,
    tokens: &[Token],
    figures: &[Figure],
    families: &[ClaimPatterns],
) -> Vec<Claim> {
    let mut claims = Vec::new();
    let index = PatternIndex::new(families);
    let mut scratch = Scratch::new(figures, families, &index);
    let within = tokens::figures_within(tokens, figures);
    extract_into(
        text,
        tokens,
        figures,
        within,
        families,
        &mut scratch,
        &mut claims,
    );
    claims.sort_by_key(|c| (c.span.start, c.span.end));
    claims
}

/// Tokenize `text` and [`extract`] its claims in one pass, with the same result.
///
/// A match never crosses a sentence stop, so claims are found sentence by sentence and
/// only sentences with a figure are tokenized ([`tokens::for_each_figure_sentence`]);
/// the whole token stream is never held in memory. Two claims competing for a figure
/// are always in the same sentence, so priority works as in [`extract`], and the final
/// stable sort by span puts the claims in the same order.
pub fn extract_from_text(text: &str, figures: &[Figure], families: &[ClaimPatterns]) -> Vec<Claim> {
    extract_with(text, figures, families, |_, _, _| {})
}

/// [`extract_from_text`], also handing each sentence's tokens and figures (those from its
/// first figure token to its last, as `tokens::figures_within` finds them) to `more`,
/// which may add claims of its own (the Rust extractors of list-shaped families).
pub fn extract_with(
    text: &str,
    figures: &[Figure],
    families: &[ClaimPatterns],
    more: impl FnMut(&[Token], &[Figure], &mut Vec<Claim>),
) -> Vec<Claim> {
    extract_with_breaks(text, figures, families, &[], more)
}

/// [`extract_with`], with sentences also cut at each of `breaks` (sorted byte offsets
/// that no claim may span, such as the edges of table cells): a cell's figures never
/// run on into the next cell's, though the text puts no stop between them.
pub fn extract_with_breaks(
    text: &str,
    figures: &[Figure],
    families: &[ClaimPatterns],
    breaks: &[usize],
    more: impl FnMut(&[Token], &[Figure], &mut Vec<Claim>),
) -> Vec<Claim> {
    let index = PatternIndex::new(families);
    extract_with_index(text, figures, families, &index, breaks, more)
}

/// [`extract_with_breaks`] with the families' [`PatternIndex`] already built (a rule set
/// builds it once, not once per file); `index` must be `PatternIndex::new(families)`.
pub fn extract_with_index(
    text: &str,
    figures: &[Figure],
    families: &[ClaimPatterns],
    index: &PatternIndex,
    breaks: &[usize],
    mut more: impl FnMut(&[Token], &[Figure], &mut Vec<Claim>),
) -> Vec<Claim> {
    // About one claim for every twelve figures in report prose: reserved up front, the
    // list is not copied as it grows (pages reserved and never written cost nothing).
    let mut claims = Vec::with_capacity(figures.len() / 8);
    let mut scratch = Scratch::new(figures, families, index);
    let by_position = |c: &Claim| (c.span.start, c.span.end);
    tokens::for_each_figure_sentence_with(text, figures, |sentence, within| {
        let mut one = |part: &[Token], within: &[Figure]| {
            let before = claims.len();
            extract_into(
                text,
                part,
                figures,
                within,
                families,
                &mut scratch,
                &mut claims,
            );
            more(part, within, &mut claims);
            // A part's claims lie inside it and parts come in order: sorting each part's
            // few claims (in place) leaves the whole list sorted, with no scratch copy.
            if let Some(added) = claims.get_mut(before..) {
                added.sort_by_key(by_position);
            }
        };
        if breaks.is_empty() {
            one(sentence, within);
        } else {
            for part in split_at_breaks(sentence, breaks) {
                one(part, figures_in(part, within));
            }
        }
    });
    // Only if some extractor reached outside its part.
    if !claims.is_sorted_by_key(by_position) {
        claims.sort_by_key(by_position);
    }
    claims
}

/// The figures of `within` (sorted) that start inside the stretch `part` covers: the
/// part's own figures when `within` holds the whole sentence's.
fn figures_in<'f>(part: &[Token], within: &'f [Figure]) -> &'f [Figure] {
    let (Some(first), Some(last)) = (part.first(), part.last()) else {
        return &[];
    };
    let from = within.partition_point(|f| f.span().start < first.span.start);
    let to = within.partition_point(|f| f.span().start < last.span.end);
    within.get(from..to).unwrap_or_default()
}

/// The runs of `tokens` between consecutive `breaks` (sorted byte offsets): a new run
/// starts at the first token at or after each break.
fn split_at_breaks<'t>(tokens: &'t [Token], breaks: &[usize]) -> Vec<&'t [Token]> {
    let mut parts = Vec::new();
    let mut rest = tokens;
    while let Some(first) = rest.first() {
        // The first break after the run's first token starts.
        let i = breaks.partition_point(|&b| b <= first.span.start);
        let cut = match breaks.get(i) {
            Some(&b) => rest.partition_point(|t| t.span.start < b),
            None => rest.len(),
        };
        let (part, tail) = rest.split_at(cut.max(1));
        parts.push(part);
        rest = tail;
    }
    parts
}

/// A set of figures by index, a bit each: every family keeps one over all the figures of
/// a file, so a byte a figure would be a dozen bytes a figure.
struct FigureSet {
    words: Vec<u64>,
    len: usize,
}

impl FigureSet {
    /// No figure, out of `len`.
    fn new(len: usize) -> Self {
        FigureSet {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    /// Whether figure `k` is in the set (never, out of range).
    fn contains(&self, k: usize) -> bool {
        k < self.len
            && self
                .words
                .get(k / 64)
                .is_some_and(|w| w >> (k % 64) & 1 == 1)
    }

    /// Put figure `k` in the set (nothing, out of range).
    fn insert(&mut self, k: usize) {
        if k < self.len
            && let Some(w) = self.words.get_mut(k / 64)
        {
            *w |= 1 << (k % 64);
        }
    }
}

/// Buffers reused across calls of [`extract_into`], over the patterns of `'p`.
struct Scratch<'i, 'p> {
    /// Per family, which figures already fill a key slot. Never reset between sentences:
    /// each figure belongs to one sentence.
    taken: Vec<FigureSet>,
    figure_tokens: Vec<usize>,
    starts: Vec<usize>,
    /// For each landmark of the tried pattern, where it last occurred with the figure
    /// it names after it ([`KeyWords::landmark_pairs_allow`]).
    landmark_pairs: Vec<usize>,
    keys: KeyWords<'i>,
    index: &'i PatternIndex,
    /// The figures a match attempt captured, by slot name: made once, not once per
    /// sentence (its first capture allocated, and the sentence's end freed it).
    caps: Vec<(&'p str, usize)>,
    /// Whether each of `caps` fills a key slot of its family.
    key_caps: Vec<bool>,
    /// The nouns of the claim being made ([`Nouns::after`]).
    nouns: String,
}

/// What [`extract_with_index`] needs of the patterns beyond the patterns themselves,
/// worked out once for a set of families (rule loading keeps one) instead of once per
/// checked file: the key-word prefilter and the figure needs of the patterns.
#[derive(Debug)]
pub struct PatternIndex {
    keys: KeyIndex,
    /// Fewest figures any pattern needs (each slot takes its own figure).
    fewest_slots: usize,
    /// The slot types of the patterns with a single slot: a one-figure sentence can
    /// only match one of those.
    single_slot_types: Vec<SlotType>,
    /// True when some pattern needs more than [`MAX_COUNTED`] figures of one slot type:
    /// only then can the figure-count filter let in a pattern whose slots the sentence
    /// cannot fill, and each enabled pattern's counts need a second look.
    counts_beyond_filter: bool,
}

impl PatternIndex {
    /// Index `families`' patterns.
    pub fn new(families: &[ClaimPatterns]) -> Self {
        let needs =
            |p: &Pattern| -> usize { p.required_slots().iter().map(|&n| usize::from(n)).sum() };
        let all = || families.iter().flat_map(|f| &f.patterns);
        PatternIndex {
            keys: KeyIndex::new(families),
            fewest_slots: all().map(needs).min().unwrap_or(0),
            single_slot_types: all()
                .filter(|p| needs(p) == 1)
                .filter_map(|p| {
                    let i = p.required_slots().iter().position(|&n| n == 1)?;
                    SlotType::ALL.get(i).copied()
                })
                .collect(),
            counts_beyond_filter: all().any(|p| {
                p.required_slots()
                    .iter()
                    .any(|&n| usize::from(n) > MAX_COUNTED)
            }),
        }
    }
}

/// Figure counts per slot type are told apart up to this many.
const MAX_COUNTED: usize = 7;

impl<'i, 'p> Scratch<'i, 'p> {
    fn new(figures: &[Figure], families: &'p [ClaimPatterns], index: &'i PatternIndex) -> Self {
        Scratch {
            taken: families
                .iter()
                .map(|_| FigureSet::new(figures.len()))
                .collect(),
            figure_tokens: Vec::new(),
            starts: Vec::new(),
            landmark_pairs: Vec::new(),
            keys: KeyWords::new(&index.keys),
            index,
            caps: Vec::new(),
            key_caps: Vec::new(),
            nouns: String::new(),
        }
    }
}

/// How many of `figures` each slot type accepts ([`SlotType::accepting`]), saturating
/// at 255.
///
/// Counted eight types to a `u64`, one byte each, with no branch on the figure: a loop
/// over each figure's type bits ended at a place the processor mispredicted.
fn count_accepting(figures: &[Figure]) -> [u8; SlotType::ALL.len()] {
    /// Bit `k` of `bits` as byte `k` (0 or 1).
    fn spread(bits: u8) -> u64 {
        const ONES: u64 = crate::swar::ONES;
        let x = (u64::from(bits) * ONES) & 0x8040_2010_0804_0201;
        ((x + ONES * 0x7F) >> 7) & ONES
    }
    // `accepting` gives sixteen bits: two words of eight bytes hold them all.
    const _: () = assert!(SlotType::ALL.len() <= 16);
    let mut available = [0u8; SlotType::ALL.len()];
    // Up to 255 figures per round, so that no byte overflows into the next.
    for round in figures.chunks(255) {
        let (mut low, mut high) = (0u64, 0u64);
        for f in round {
            let types = SlotType::accepting(f);
            low += spread(types as u8);
            high += spread((types >> 8) as u8);
        }
        let counts = [low.to_le_bytes(), high.to_le_bytes()];
        for (a, c) in available.iter_mut().zip(counts.iter().flatten()) {
            *a = a.saturating_add(*c);
        }
    }
    available
}

/// [`extract`] without the final sort, appending to `claims`. `sentence_figures` holds
/// every figure among `tokens` (and perhaps others, which only make the quick tests
/// below let more through): most sentences are ruled out by their figures before any
/// token is looked at.
fn extract_into<'p>(
    text: &str,
    tokens: &[Token],
    figures: &[Figure],
    sentence_figures: &[Figure],
    families: &'p [ClaimPatterns],
    scratch: &mut Scratch<'_, 'p>,
    claims: &mut Vec<Claim>,
) {
    // Each slot takes a figure of its own: with fewer figures than a pattern has slots
    // it cannot match, and most one-figure sentences (a year, a count) can match none.
    let can_match = match sentence_figures {
        _ if scratch.index.fewest_slots == 0 => true,
        [] => false,
        [f] => scratch
            .index
            .single_slot_types
            .iter()
            .any(|ty| ty.accepts(f)),
        _ => true,
    };
    if !can_match {
        return;
    }
    let available = count_accepting(sentence_figures);
    scratch.keys.scan(text, tokens, &available);
    if scratch.keys.enabled.is_empty() {
        return;
    }
    // Every token's place is written, and the count moves on past figures only: a
    // filter took a branch per token that the processor mispredicted at most figures.
    // The buffer only grows (filling it afresh for each sentence was a `memset`).
    let buffer = &mut scratch.figure_tokens;
    if buffer.len() < tokens.len() {
        buffer.resize(tokens.len(), 0);
    }
    let mut found = 0;
    for (i, t) in tokens.iter().enumerate() {
        if let Some(slot) = buffer.get_mut(found) {
            *slot = i;
        }
        found += usize::from(matches!(t.kind, TokenKind::Figure(_)));
    }
    let figure_tokens = buffer.get(..found).unwrap_or_default();
    let first_figure = figure_tokens
        .first()
        .and_then(|&ti| match tokens.get(ti)?.kind {
            TokenKind::Figure(fi) => Some(fi),
            _ => None,
        });
    let starts = &mut scratch.starts;
    let caps = &mut scratch.caps;
    let key_caps = &mut scratch.key_caps;
    let nouns_buffer = &mut scratch.nouns;
    // Consecutive patterns often share an anchor (`{part:amount} ...`): their candidate
    // starts are the same, so they are worked out once. `None` = nothing computed yet.
    let mut starts_for: Option<Option<(SlotType, &[usize])>> = None;
    // Only the patterns whose key word occurs here, in priority order.
    for &(fi, pi, g) in &scratch.keys.enabled {
        let (fam, taken) = (&families[fi], &mut scratch.taken[fi]);
        let pat = &fam.patterns[pi];
        // All the counts compared, with no early exit: a search that stopped at the first
        // short count ended at a place the processor mispredicted.
        if scratch.index.counts_beyond_filter
            && pat
                .required_slots()
                .iter()
                .zip(&available)
                .fold(false, |short, (n, a)| short | (n > a))
        {
            continue;
        }
        {
            let anchor = pat.anchor_ref();
            if !starts_for.is_some_and(|done| same_anchor(done, anchor)) {
                candidate_starts(pat, tokens, figures, figure_tokens, starts);
                starts_for = Some(anchor);
            }
            let landmarks = scratch
                .keys
                .index
                .landmarks
                .get(g)
                .map_or(&[][..], Vec::as_slice);
            // Landmarks that name the figure after them are looked for only once a start
            // passes every other test.
            let has_pairs = scratch
                .keys
                .index
                .landmark_pairs
                .get(g)
                .copied()
                .unwrap_or(false);
            debug_assert_eq!(has_pairs, landmarks.iter().any(|l| l.then.is_some()));
            let mut pairs_reset = false;
            for &start in starts.iter() {
                if !scratch.keys.landmarks_allow_of(landmarks, start)
                    || pat.cannot_match_at(text, tokens, figures, start)
                {
                    continue;
                }
                if has_pairs {
                    if !pairs_reset {
                        scratch.landmark_pairs.clear();
                        scratch.landmark_pairs.resize(landmarks.len(), usize::MAX);
                        pairs_reset = true;
                    }
                    if !scratch.keys.landmark_pairs_allow(
                        landmarks,
                        tokens,
                        figures,
                        start,
                        &mut scratch.landmark_pairs,
                    ) {
                        continue;
                    }
                }
                let Some(end) = pat.match_into(text, tokens, figures, start, caps) else {
                    continue;
                };
                // Which captures fill a key slot, told once per match: each test compares
                // names, and the tests below asked it two or three times per capture.
                key_caps.clear();
                key_caps.extend(
                    caps.iter()
                        .map(|(n, _)| fam.key_slots.iter().any(|k| same_name(k, n))),
                );
                let mut keys = caps
                    .iter()
                    .zip(key_caps.iter())
                    .filter(|&(_, &key)| key)
                    .map(|(&(_, i), _)| i);
                if key_caps.contains(&true) && keys.all(|k| !taken.contains(k)) {
                    for (&(_, k), &key) in caps.iter().zip(key_caps.iter()) {
                        if key {
                            taken.insert(k);
                        }
                    }
                    let span = tokens[start].span.cover(tokens[end - 1].span);
                    let alternatives = alternatives(fam, pat, tokens, figures, start);
                    // The token after each captured figure's own, guessed from the
                    // figure tokens (the sentence's figures in order, as a rule).
                    let guess = |fi: usize| {
                        let k = fi.checked_sub(first_figure?)?;
                        figure_tokens.get(k).map(|&ti| ti + 1)
                    };
                    let nouns = Nouns::after(
                        text,
                        tokens,
                        caps.iter()
                            .map(|&(_, fi)| (figures[fi].span().end, guess(fi))),
                        nouns_buffer,
                    );
                    claims.push(Claim {
                        family: fam.family_name(),
                        span,
                        slots: caps.iter().map(|&(n, i)| (fam.slot_name(n), i)).collect(),
                        pattern: pi,
                        alternatives,
                        nouns,
                        attrs: Vec::new(),
                    });
                }
            }
        }
    }
}

/// Figures before `first`, in the same sentence and within the pattern's leading gap,
/// that could also fill its leading slot.
fn alternatives(
    fam: &ClaimPatterns,
    pat: &Pattern,
    tokens: &[Token],
    figures: &[Figure],
    first: usize,
) -> Vec<(Name, usize)> {
    let Some((name, ty, gap)) = pat.leading_slot_gap() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut words = 0;
    for t in tokens[..first].iter().rev() {
        match t.kind {
            TokenKind::Stop => break,
            TokenKind::Figure(fi) if ty.accepts(&figures[fi]) => {
                out.push((fam.slot_name(name), fi))
            }
            _ => words += 1,
        }
        if words > gap {
            break;
        }
    }
    out
}

/// Token positions where `pat` can start, ascending: a fixed distance before each figure
/// its first slot accepts, or every position when the pattern has no such anchor.
fn candidate_starts(
    pat: &Pattern,
    tokens: &[Token],
    figures: &[Figure],
    figure_tokens: &[usize],
    out: &mut Vec<usize>,
) {
    out.clear();
    match pat.anchor_ref() {
        // One distance (most patterns open with their slot): the starts follow the
        // figures, already ascending and distinct. Each is written, and kept by moving
        // the count past it when the figure fits: no branch on the figure, whose type
        // the processor mispredicted (`accepting` is a table look-up; `accepts` a jump
        // on the slot type, then a test of the figure's kind).
        Some((ty, &[distance])) => {
            let bit = 1u16 << ty as u16;
            let mut kept = 0;
            for &ti in figure_tokens {
                let TokenKind::Figure(fi) = tokens[ti].kind else {
                    continue;
                };
                let fits = figures
                    .get(fi)
                    .is_some_and(|f| SlotType::accepting(f) & bit != 0);
                out.truncate(kept);
                out.push(ti.wrapping_sub(distance));
                kept += usize::from(fits & (ti >= distance));
            }
            out.truncate(kept);
        }
        Some((ty, lens)) => {
            for &ti in figure_tokens {
                let TokenKind::Figure(fi) = tokens[ti].kind else {
                    continue;
                };
                if ty.accepts(&figures[fi]) {
                    out.extend(lens.iter().filter_map(|&l| ti.checked_sub(l)));
                }
            }
            if lens.len() > 1 {
                out.sort_unstable();
                out.dedup();
            }
        }
        None => out.extend(0..tokens.len()),
    }
}

/// Words that follow a figure without naming what it counts.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "by", "for", "from", "in", "into", "is", "of", "on", "or",
    "per", "the", "to", "was", "were", "with", "who", "which", "that", "had", "have", "has",
    "will", "would", "than", "among", "under", "over",
];

/// Bytes in the longest of [`FUNCTION_WORDS`].
const MAX_FUNCTION_WORD_LEN: usize = 5;

/// [`FUNCTION_WORDS`] as numbers: each word's bytes, little-endian, zero above.
static FUNCTION_WORD_KEYS: [u64; FUNCTION_WORDS.len()] = {
    let mut keys = [0u64; FUNCTION_WORDS.len()];
    let mut i = 0;
    while i < FUNCTION_WORDS.len() {
        let w = FUNCTION_WORDS[i].as_bytes();
        let mut j = 0;
        while j < w.len() {
            keys[i] |= (w[j] as u64) << (8 * j);
            j += 1;
        }
        i += 1;
    }
    keys
};

// Every function word fits a key (and the letters' lower-casing below).
const _: () = {
    let mut i = 0;
    while i < FUNCTION_WORDS.len() {
        assert!(FUNCTION_WORDS[i].len() <= MAX_FUNCTION_WORD_LEN && MAX_FUNCTION_WORD_LEN < 8);
        i += 1;
    }
};

/// Whether the `len` ASCII letters at byte `start` of `bytes` (`len` at most
/// [`MAX_FUNCTION_WORD_LEN`]) spell one of [`FUNCTION_WORDS`], ignoring case: the
/// letters read as one number from one 8-byte load, lower-cased all at once (bit 5 of a
/// letter), and compared with every key, with no early exit. The search of the list
/// word by word (`is_one_of`) took branches on each word's length and bytes that the
/// processor mispredicted several times per call.
fn is_function_word(bytes: &[u8], start: usize, len: usize) -> bool {
    let in_word = (1u64 << (8 * len)) - 1;
    let key = (crate::swar::load8(bytes, start) | (crate::swar::ONES * 0x20)) & in_word;
    FUNCTION_WORD_KEYS
        .iter()
        .fold(false, |found, &k| found | (k == key))
}

/// The first of `tokens` (sorted by start) that starts at or after byte `end`: `guess`
/// when it is that one, else found by a binary search. The token after a captured
/// figure's own is nearly always the one, and two comparisons prove it (the token
/// before it starts before `end`, it does not), where the search took half a dozen
/// steps for each slot of each claim.
fn first_token_from(tokens: &[Token], end: usize, guess: Option<usize>) -> usize {
    if let Some(i) = guess
        && let Some(before) = i.checked_sub(1).and_then(|b| tokens.get(b))
        && before.span.start < end
        && tokens.get(i).is_none_or(|t| t.span.start >= end)
    {
        return i;
    }
    tokens.partition_point(|t| t.span.start < end)
}

/// Append token `i` of `tokens` (the first after a figure), lower-cased, to `out` after
/// `spaces` spaces, if it is a word that names what is counted; true when it did. Room
/// for both is reserved at once: a `char` iterator's length hint is a quarter of its
/// bytes, and growing by it cost a reallocation or two per word.
fn noun_into(text: &str, tokens: &[Token], i: usize, spaces: usize, out: &mut String) -> bool {
    let Some(t) = tokens.get(i) else {
        return false;
    };
    if t.kind != TokenKind::Word {
        return false;
    }
    let w = &text[t.span.start..t.span.end];
    // ASCII words (nearly all) are judged before anything is written; lower-casing
    // cannot make an ASCII word a different function word or add a non-letter.
    if w.is_ascii() {
        // Longer words are no function word: most nouns skip the scan of the list.
        let counted = w.bytes().all(|b| b.is_ascii_alphabetic())
            && (w.len() > MAX_FUNCTION_WORD_LEN
                || !is_function_word(text.as_bytes(), t.span.start, w.len()));
        if counted {
            out.reserve(spaces + w.len());
            out.extend(std::iter::repeat_n(' ', spaces));
            let at = out.len();
            out.push_str(w);
            out[at..].make_ascii_lowercase();
        }
        return counted;
    }
    let w = w.to_lowercase();
    let counted = !FUNCTION_WORDS.contains(&w.as_str()) && w.chars().all(char::is_alphabetic);
    if counted {
        out.reserve(spaces + w.len());
        out.extend(std::iter::repeat_n(' ', spaces));
        out.push_str(&w);
    }
    counted
}

/// The word right after the figure ending at byte `end`, if it names what is counted
/// (the oracle [`noun_into`] replaced in claims: one string per noun).
#[cfg(test)]
fn noun_after(text: &str, tokens: &[Token], end: usize) -> Option<String> {
    let i = tokens.partition_point(|t| t.span.start < end);
    let t = tokens.get(i)?;
    if t.kind != TokenKind::Word {
        return None;
    }
    let w = text[t.span.start..t.span.end].to_lowercase();
    (!FUNCTION_WORDS.contains(&w.as_str()) && w.chars().all(char::is_alphabetic)).then_some(w)
}

#[cfg(test)]
mod tests {
    use super::keywords::*;
    use super::*;

    proptest::proptest! {
        /// Nouns kept in place or on the heap read back as the text they were made
        /// from, compare as their texts do, and print as the string did.
        #[test]
        fn nouns_hold_their_text(a in "[a é]{0,40}", b in "[a é]{0,40}") {
            let (na, nb) = (Nouns::from_text(&a), Nouns::from_text(&b));
            proptest::prop_assert_eq!(na.as_str(), a.as_str());
            proptest::prop_assert_eq!(na == nb, a == b);
            proptest::prop_assert!(na == Nouns::from_text(&a.clone()));
            proptest::prop_assert_eq!(format!("{na:?}"), format!("Nouns({a:?})"));
            let words: Vec<Option<&str>> = a.split(' ').map(|w| (!w.is_empty()).then_some(w)).collect();
            let read: Vec<Option<&str>> = na.iter().take(words.len()).collect();
            if !a.is_empty() {
                proptest::prop_assert_eq!(read, words);
            }
        }

        /// Names compare as strings do, among names of equal and unequal lengths and
        /// first letters.
        #[test]
        fn names_compare_as_strings(a in "[a-c]{0,4}", b in "[a-c]{0,4}") {
            proptest::prop_assert_eq!(same_name(&a, &b), a == b);
            proptest::prop_assert!(same_name(&a, &a.clone()));
        }

        /// Anchors compare as the pairs they are, one distance or several or none.
        #[test]
        fn anchors_compare_as_pairs(
            a in proptest::option::of((0usize..3, proptest::collection::vec(0usize..3, 0..3))),
            b in proptest::option::of((0usize..3, proptest::collection::vec(0usize..3, 0..3))),
        ) {
            fn anchor(x: &Option<(usize, Vec<usize>)>) -> Option<(SlotType, &[usize])> {
                x.as_ref().map(|(t, lens)| (SlotType::ALL[*t], lens.as_slice()))
            }
            let (a, b) = (anchor(&a), anchor(&b));
            proptest::prop_assert_eq!(same_anchor(a, b), a == b);
            proptest::prop_assert!(same_anchor(a, a));
        }
    }

    proptest::proptest! {
        /// The key comparison answers as the search of the list (`is_one_of`), for every
        /// function word in any case and for other short words of ASCII letters, at the
        /// end of the text or before more.
        #[test]
        fn function_words_are_told_as_the_list_says(
            w in "([a-zA-Z]{1,5}|[aA][nN][dD]?|[tT][hH][eE]|[pP][eE][rR]|[wW][hH][oO]|[oO][vV][eE][rR]|[uU][nN][dD][eE][rR])",
            tail in "( [a-z]{0,9})?",
        ) {
            let text = format!("{w}{tail}");
            proptest::prop_assert_eq!(
                is_function_word(text.as_bytes(), 0, w.len()),
                crate::figures::is_one_of(&w, FUNCTION_WORDS),
                "{:?}", w
            );
        }
    }

    /// Every function word, in small letters, capitals and mixed, is one; and the word
    /// one letter shorter or longer is not, unless it is in the list too.
    #[test]
    fn every_function_word_is_found_in_any_case() {
        for w in FUNCTION_WORDS {
            for v in [w.to_string(), w.to_ascii_uppercase(), {
                let mut m = w.to_string();
                m[..1].make_ascii_uppercase();
                m
            }] {
                let text = format!("{v} next");
                assert!(is_function_word(text.as_bytes(), 0, v.len()), "{v}");
                let shorter = &v[..v.len() - 1];
                assert_eq!(
                    is_function_word(text.as_bytes(), 0, shorter.len()),
                    !shorter.is_empty() && crate::figures::is_one_of(shorter, FUNCTION_WORDS),
                    "{shorter}"
                );
            }
        }
    }

    proptest::proptest! {
        /// The bit set holds what a `Vec<bool>` would, across word edges.
        #[test]
        fn figure_set_holds_what_a_bool_per_figure_holds(
            len in 0usize..300,
            inserted in proptest::collection::vec(0usize..320, 0..40),
        ) {
            let mut set = FigureSet::new(len);
            let mut want = vec![false; len];
            for &k in &inserted {
                set.insert(k);
                if let Some(b) = want.get_mut(k) {
                    *b = true;
                }
            }
            for k in 0..320 {
                proptest::prop_assert_eq!(set.contains(k), want.get(k).copied().unwrap_or(false));
            }
        }
    }

    #[test]
    fn function_words_fit_the_length_guard() {
        assert!(
            FUNCTION_WORDS
                .iter()
                .all(|w| w.len() <= MAX_FUNCTION_WORD_LEN)
        );
        assert!(
            FUNCTION_WORDS
                .iter()
                .any(|w| w.len() == MAX_FUNCTION_WORD_LEN)
        );
    }

    #[test]
    fn nouns_after_figures_skip_function_words() {
        let text = "12 villages, 3 Which, 4 among, 5 Écoles, 6 under-18s, 7 REGIONS and 8";
        let figures = crate::figures::scan(text);
        let tokens = tokenize(text, &figures);
        let nouns: Vec<Option<String>> = figures
            .iter()
            .map(|f| noun_after(text, &tokens, f.span().end))
            .collect();
        let want = |w: &str| Some(w.to_string());
        assert_eq!(
            nouns,
            [
                want("villages"),
                None,
                None,
                want("écoles"),
                None,
                want("regions"),
                None
            ]
        );
    }

    /// The nouns of every run of figures in the seed and a mixed line, read through
    /// `Nouns` (one string), are those `noun_after` reads one by one.
    #[test]
    fn nouns_match_the_one_by_one_reading() {
        let seed = include_str!("../../seeds/000_26c4ac59d5b61832.txt");
        let mixed = "12 villages, 3 Which, 4 among, 5 Écoles, 6 under-18s, 7 REGIONS and 8";
        let mut compared = 0;
        for text in [seed, mixed] {
            let figures = crate::figures::scan(text);
            let tokens = tokenize(text, &figures);
            let ends: Vec<usize> = figures.iter().map(|f| f.span().end).collect();
            let mut buffer = String::new();
            for width in 1..=4 {
                for (first, run) in ends.windows(width).enumerate() {
                    // Right guesses of the token after each figure, wrong ones, none.
                    let guess = |k: usize| {
                        let fi = first + k;
                        let right = tokens
                            .iter()
                            .position(|t| t.kind == TokenKind::Figure(fi))
                            .map(|ti| ti + 1);
                        match (fi + width) % 4 {
                            0 => right,
                            1 => right.map(|i| i + 1),
                            2 => Some(fi % 3),
                            _ => None,
                        }
                    };
                    let nouns = Nouns::after(
                        text,
                        &tokens,
                        run.iter().enumerate().map(|(k, &e)| (e, guess(k))),
                        &mut buffer,
                    );
                    let want: Vec<Option<String>> =
                        run.iter().map(|&e| noun_after(text, &tokens, e)).collect();
                    let got: Vec<Option<String>> = nouns
                        .iter()
                        .take(width + 2)
                        .map(|w| w.map(str::to_string))
                        .collect();
                    let mut padded = want.clone();
                    padded.extend([None, None]);
                    assert_eq!(got, padded, "{run:?}");
                    for (i, w) in want.iter().enumerate() {
                        assert_eq!(nouns.get(i), w.as_deref());
                    }
                    compared += 1;
                }
            }
        }
        assert!(compared > 100);
        assert_eq!(Nouns::default().get(0), None);
    }

    /// A part's figures, taken from its sentence's, are those among its tokens.
    #[test]
    fn parts_get_their_own_figures() {
        let seed = include_str!("../../seeds/000_26c4ac59d5b61832.txt");
        let text = crate::source::mask_furniture(seed);
        let figures = crate::figures::scan(&text);
        let breaks: Vec<usize> = (0..text.len()).step_by(37).collect();
        let mut parts = 0;
        tokens::for_each_figure_sentence_with(&text, &figures, |sentence, within| {
            for part in split_at_breaks(sentence, &breaks) {
                assert_eq!(
                    figures_in(part, within),
                    tokens::figures_within(part, &figures)
                );
                parts += 1;
            }
        });
        assert!(parts > 1000, "{parts}");
    }

    #[test]
    fn sentences_are_cut_at_breaks() {
        let text = "Of the 62 judges, 30 (58.4 per cent) are women.";
        let tokens = tokenize(text, &[]);
        let words = |part: &[Token]| -> String {
            part.iter()
                .map(|t| &text[t.span.start..t.span.end])
                .collect::<Vec<_>>()
                .join(" ")
        };
        // A break inside the space after the comma, and one past the end.
        let parts = split_at_breaks(&tokens, &[17, 18, 200]);
        let parts: Vec<String> = parts.iter().map(|p| words(p)).collect();
        assert_eq!(
            parts,
            ["Of the 62 judges ,", "30 ( 58 . 4 per cent ) are women ."]
        );
        assert_eq!(split_at_breaks(&tokens, &[0]).len(), 1);
        assert_eq!(split_at_breaks(&tokens, &[]).len(), 1);
        assert!(split_at_breaks(&[], &[3]).is_empty());
    }
    use crate::rules::load;

    fn families() -> Vec<ClaimPatterns> {
        load::BUILTIN
            .iter()
            .map(|(name, yaml)| load::load_file(name, yaml).map(|f| f.patterns))
            .collect::<Result<_, _>>()
            .expect("built-in rules load")
    }

    /// Sentence-by-sentence extraction must find exactly what the whole-text pass finds.
    fn same_claims(text: &str) {
        let masked = crate::source::mask_furniture(text);
        let figures = crate::figures::scan(&masked);
        let fams = families();
        let whole = extract(&masked, &tokenize(&masked, &figures), &figures, &fams);
        let by_sentence = extract_from_text(&masked, &figures, &fams);
        assert_eq!(whole, by_sentence);
    }

    /// Landmarks only rule out starts where a pattern cannot match: on the seed, every
    /// start of every built-in pattern that matches passes the landmark test.
    #[test]
    fn landmarks_never_rule_out_a_match() {
        let seed = include_str!("../../seeds/000_26c4ac59d5b61832.txt");
        let text = crate::source::mask_furniture(seed);
        let figures = crate::figures::scan(&text);
        let fams = families();
        let index = PatternIndex::new(&fams);
        let mut keys = KeyWords::new(&index.keys);
        let (mut matches, mut ruled_out) = (0, 0);
        for_each_figure_sentence(&text, &figures, |tokens| {
            keys.scan(&text, tokens, &[u8::MAX; SlotType::ALL.len()]);
            for (g, &(f, p)) in index.keys.patterns.iter().enumerate() {
                let pat = &fams[f].patterns[p];
                for start in 0..tokens.len() {
                    let allowed = keys.landmarks_allow_of(&index.keys.landmarks[g], start);
                    if pat.match_at(&text, tokens, &figures, start).is_some() {
                        assert!(allowed, "{} at {start}", pat.source());
                        matches += 1;
                    } else if !allowed {
                        ruled_out += 1;
                    }
                }
            }
        });
        // The test sees real matches, and landmarks do rule starts out.
        assert!(matches > 100 && ruled_out > 1000, "{matches} {ruled_out}");
    }

    /// Tries every start of every built-in pattern in each sentence of `texts` with the
    /// matcher alone and behind the landmark tests (word landmarks, then those that name
    /// the figure after them, with the cache of their last place kept across a pattern's
    /// starts as `extract_into` keeps it): the same starts match. Returns (matches, starts
    /// that only the figure-naming landmarks rule out).
    fn pruning_agrees_with_the_plain_matcher(texts: &[&str]) -> (usize, usize) {
        let fams = families();
        let index = PatternIndex::new(&fams);
        let mut keys = KeyWords::new(&index.keys);
        let mut pair_ruled_out = 0;
        let mut found = Vec::new();
        let matches = testing::for_every_sentence(texts, |text, tokens, figures, _| {
            keys.scan(text, tokens, &[u8::MAX; SlotType::ALL.len()]);
            let mut matches = 0;
            for (g, &(f, p)) in index.keys.patterns.iter().enumerate() {
                let pat = &fams[f].patterns[p];
                let landmarks = &index.keys.landmarks[g];
                found.clear();
                found.resize(landmarks.len(), usize::MAX);
                for start in 0..tokens.len() {
                    let plain = pat.match_at(text, tokens, figures, start);
                    let words_allow = keys.landmarks_allow_of(landmarks, start)
                        && !pat.cannot_match_at(text, tokens, figures, start);
                    let allowed = words_allow
                        && keys.landmark_pairs_allow(landmarks, tokens, figures, start, &mut found);
                    let pruned = if allowed {
                        pat.match_at(text, tokens, figures, start)
                    } else {
                        None
                    };
                    assert_eq!(plain, pruned, "{} at {start}", pat.source());
                    matches += usize::from(plain.is_some());
                    pair_ruled_out += usize::from(words_allow && !allowed);
                }
            }
            matches
        });
        (matches, pair_ruled_out)
    }

    /// On the seed, the landmark tests let through every start where a pattern matches,
    /// and the figure-naming landmarks rule out starts the word landmarks let through.
    #[test]
    fn pruning_agrees_with_the_plain_matcher_on_the_seed() {
        let (matches, pair_ruled_out) = pruning_agrees_with_the_plain_matcher(&[testing::SEED]);
        assert!(
            matches > 100 && pair_ruled_out > 100,
            "{matches} {pair_ruled_out}"
        );
    }

    proptest::proptest! {
        /// Sentences built from the pieces of lists and breakdowns (totals, brackets,
        /// parts, `and`, choice words, percentages) are matched alike with and without
        /// the landmark tests.
        #[test]
        fn pruning_agrees_with_the_plain_matcher_on_generated_sentences(
            pieces in proptest::collection::vec(0usize..20, 0..40),
        ) {
            const PIECES: [&str; 20] = [
                "a total of 54 victims", "(", ")", "4 men", ",", "and", "34", "16 children",
                "(45 per cent)", "of whom", "including", "such as", "among them", "or",
                "12%", "in 2020", "comprising", "women", "rural", "of the 40",
            ];
            let text: String = pieces.iter().map(|&p| PIECES[p]).collect::<Vec<_>>().join(" ");
            pruning_agrees_with_the_plain_matcher(&[&text]);
        }
    }

    /// [`KeyIndex::lookup`] (perfect hash table) finds what a comparison with every key
    /// word finds: the last-interned key word equal to the token ignoring ASCII case, for
    /// the key words themselves, their case and one-bit variants (which a loose fold
    /// would confuse), long words that differ only after their eighth byte, and tokens at
    /// the very end of the text; and so does the lookup without a table.
    #[test]
    fn key_word_lookup_matches_a_full_comparison() {
        let mut fams = families();
        // Key words that are not all letters, and long ones with equal heads and
        // lengths.
        let odd = [
            "e.g {a:count} of {b:count}",
            "women's {a:count} x2 {b:count}",
            "ab_c {a:count} of {b:count}",
            "abcdefghij {a:count} abcdefghik {b:count}",
            "abcdefghijk {a:count} of {b:count}",
        ];
        fams.push(ClaimPatterns::new(
            "odd".to_string(),
            odd.iter()
                .map(|p| Pattern::compile(p).expect("test pattern compiles"))
                .collect(),
            vec!["a".to_string()],
        ));
        let mut index = PatternIndex::new(&fams).keys;
        assert!(index.table.is_some());
        let by_comparison = |index: &KeyIndex, w: &[u8]| {
            (0..index.entries.len()).rev().find(|&id| {
                let e = &index.entries[id];
                KeyIndex::holds(w)
                    && e.len == w.len()
                    && e.head == fold_head(w)
                    && w.get(8..).is_none_or(|t| t.eq_ignore_ascii_case(&e.tail))
            })
        };
        let mut words: Vec<Vec<u8>> = Vec::new();
        for p in fams.iter().flat_map(|f| &f.patterns) {
            for w in p.word_groups().iter().flatten() {
                let w = w.as_bytes().to_vec();
                words.push(w.to_ascii_uppercase());
                for i in 0..w.len().min(9) {
                    // Bit 5 flipped in one byte: capitals, and the pairs the loose fold
                    // takes for equal (`-` and `\r`, `.` and `\x0e`, digits and marks).
                    let mut v = w.clone();
                    v[i] ^= 0x20;
                    words.push(v);
                }
                words.push(w);
            }
        }
        words.extend(
            [
                "of",
                "Of",
                "OF",
                "oF",
                "o\x0f",
                "per-cent",
                "per\rcent",
                "é",
                "",
                "x",
                ",",
                "abcdefghil",
                "ABCDEFGHIK",
                "abcdefgh",
                "abcdefghijkl",
            ]
            .map(|w| w.as_bytes().to_vec()),
        );
        for with_table in [true, false] {
            if !with_table {
                index.table = None;
            }
            let mut found = 0;
            for w in &words {
                let expected = by_comparison(&index, w);
                found += usize::from(expected.is_some());
                // Followed by more text, and as the last bytes of the text.
                let mut text = w.clone();
                text.extend_from_slice(b" and more text");
                let expected = expected.map_or(index.none, |id| id as u32);
                assert_eq!(index.lookup(&text, 0, w.len()), expected, "{w:?}");
                assert_eq!(index.lookup(w, 0, w.len()), expected, "{w:?} at the end");
            }
            assert!(
                found > 100 && found < words.len(),
                "{found} of {}",
                words.len()
            );
        }
    }

    /// The scan's loop with the table and the gathered rows (pattern sets and check
    /// groups as bits) enables exactly the patterns that the general loop enables (a
    /// lookup per token without the rows, then a walk over each pattern's check groups
    /// and their words), and gives the tokens the same ids; with and without a table,
    /// on the seed and on sentences with their figure counts cut down.
    #[test]
    fn gathered_rows_enable_what_the_general_scan_enables() {
        let fams = families();
        let fast = PatternIndex::new(&fams);
        assert!(fast.keys.table.is_some() && !fast.keys.rows.is_empty());
        let mut general = PatternIndex::new(&fams);
        general.keys.rows.clear();
        general.keys.group_needs.clear();
        let mut no_table = PatternIndex::new(&fams);
        no_table.keys.table = None;
        let mut a = KeyWords::new(&fast.keys);
        let mut b = KeyWords::new(&general.keys);
        let mut c = KeyWords::new(&no_table.keys);
        let mut checks = 0;
        let enabled = testing::for_every_sentence(&[testing::SEED], |text, tokens, _, within| {
            let mut enabled = 0;
            for available in [[u8::MAX; SlotType::ALL.len()], count_accepting(within)] {
                a.scan(text, tokens, &available);
                b.scan(text, tokens, &available);
                c.scan(text, tokens, &available);
                assert_eq!(a.enabled, b.enabled);
                assert_eq!(a.enabled, c.enabled);
                if !a.enabled.is_empty() {
                    assert_eq!(a.ids, b.ids);
                    assert_eq!(a.ids, c.ids);
                }
                checks += a
                    .enabled
                    .iter()
                    .filter(|e| !fast.keys.checks[e.2].is_empty())
                    .count();
                enabled += a.enabled.len();
            }
            enabled
        });
        assert!(enabled > 1000 && checks > 100, "{enabled} {checks}");
    }

    /// `candidate_starts` gives what a filter of the figure tokens by `accepts` gives,
    /// for every built-in pattern in every sentence of the seed.
    #[test]
    fn candidate_starts_match_a_filter_by_accepts() {
        let fams = families();
        let (mut got, mut starts) = (Vec::new(), 0);
        testing::for_every_sentence(&[testing::SEED], |_, tokens, figures, _| {
            let figure_tokens: Vec<usize> = (0..tokens.len())
                .filter(|&i| matches!(tokens[i].kind, TokenKind::Figure(_)))
                .collect();
            for pat in fams.iter().flat_map(|f| &f.patterns) {
                candidate_starts(pat, tokens, figures, &figure_tokens, &mut got);
                let mut want: Vec<usize> = match pat.anchor_ref() {
                    Some((ty, lens)) => figure_tokens
                        .iter()
                        .filter(|&&ti| {
                            matches!(tokens[ti].kind, TokenKind::Figure(fi) if ty.accepts(&figures[fi]))
                        })
                        .flat_map(|&ti| lens.iter().filter_map(move |&l| ti.checked_sub(l)))
                        .collect(),
                    None => (0..tokens.len()).collect(),
                };
                want.sort_unstable();
                want.dedup();
                assert_eq!(got, want, "{}", pat.source());
                starts += got.len();
            }
            0
        });
        assert!(starts > 1000, "{starts}");
    }

    /// `count_accepting` counts what a loop over each figure's accepted types counts,
    /// up to and past 255 figures of a type.
    #[test]
    fn accepting_counts_match_a_loop_over_types() {
        let by_loop = |figures: &[Figure]| {
            let mut available = [0u8; SlotType::ALL.len()];
            for f in figures {
                for (n, ty) in SlotType::ALL.iter().enumerate() {
                    if ty.accepts(f) {
                        available[n] = available[n].saturating_add(1);
                    }
                }
            }
            available
        };
        let text = "In 2020, 3,415 people (45.7 per cent, up 2 percentage points) and \
                    $100 million, 7.9 per 1,000 births, 2020–2023, 12 October 2021, the \
                    62nd place, doubled, a third, six and 19.8 million tenge.";
        let figures = crate::figures::scan(text);
        assert!(figures.len() > 10);
        for n in 0..=figures.len() {
            assert_eq!(
                count_accepting(&figures[..n]),
                by_loop(&figures[..n]),
                "{n}"
            );
        }
        let many: Vec<Figure> = figures.iter().cycle().take(700).cloned().collect();
        for n in [254, 255, 256, 300, 510, 511, 700] {
            assert_eq!(count_accepting(&many[..n]), by_loop(&many[..n]), "{n}");
        }
        assert!(count_accepting(&many).contains(&255));
    }

    /// The figure-count filter lets in exactly the patterns whose required slots the
    /// counts can fill, as a test of each pattern's counts finds them (counts above
    /// [`MAX_COUNTED`] are told apart no further, on either side).
    #[test]
    fn count_filters_match_a_test_per_pattern() {
        let fams = families();
        let index = PatternIndex::new(&fams);
        let mut keys = KeyWords::new(&index.keys);
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let (mut fitting, mut ruled_out) = (0, 0);
        for round in 0..3000 {
            let mut available = [0u8; SlotType::ALL.len()];
            for a in &mut available {
                // Mostly small counts, now and then a large one.
                *a = match next() % 16 {
                    0..=8 => 0,
                    9..=13 => (next() % 3) as u8,
                    _ => (next() % 12) as u8,
                };
            }
            keys.fit(&available);
            for (g, &(f, p)) in index.keys.patterns.iter().enumerate() {
                let need = fams[f].patterns[p].required_slots();
                let fits = need.iter().zip(&available).all(|(&n, &a)| {
                    usize::from(n).min(MAX_COUNTED) <= usize::from(a).min(MAX_COUNTED)
                });
                let set = keys.fitting[g / 64] >> (g % 64) & 1 != 0;
                assert_eq!(set, fits, "round {round}: pattern {g}, {available:?}");
                fitting += usize::from(fits);
                ruled_out += usize::from(!fits);
            }
        }
        assert!(fitting > 1000 && ruled_out > 1000, "{fitting} {ruled_out}");
    }

    #[test]
    fn sentence_extraction_matches_whole_text_on_the_seed() {
        let seed = include_str!("../../seeds/000_26c4ac59d5b61832.txt");
        same_claims(seed);
    }

    #[test]
    fn sentence_extraction_matches_whole_text_on_edge_cases() {
        for text in [
            "",
            "12 of the 40 regions",
            "Of the 98 deputies. 18 (18.37 per cent) are women.",
            "Resolution No. 5 says 205 (45.7 per cent) of the 449 judges.",
            "e.g. 205 (45.7%) of the 449 judges! Then 3 of the 4. A. 5 out of 6",
            "x.y.z.w 14 of the 20 regions, or 70 per cent... and 1.2.3 then 7 of 9",
            "There were 7,723 schools, of which 6,925, or 89.6 per cent, were State schools. 4",
            "aaaa.bbbb?cccc!dddd.eeee 33 of the 132 candidates.",
        ] {
            same_claims(text);
        }
        let long = format!("{}. 12 of the 40 regions.", "a.b".repeat(200));
        same_claims(&long);
    }
}
