//! Claims: figures linked into typed statements (share, total-of-parts, change, ...).
//!
//! Third stage of the pipeline. Patterns from `rules/*.yaml` (see [`pattern`]) are matched
//! over the token stream; each match becomes a [`Claim`] of its family with its figures in
//! named slots. Rules read claims; they never look at the text again.

pub mod dates;
pub mod enumeration;
pub mod facts;
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
            .find(|n| *n == slot)
            .cloned()
            .unwrap_or_else(|| Name::from(slot.to_string()))
    }
}

/// The words counted by a claim's slot figures, in slot order, each `None` when no such
/// word follows the figure.
///
/// Held in one string, the words separated by single spaces (a counted word is letters
/// only: never empty, never holding a space), with trailing `None`s left out: a claim
/// allocates once for its nouns, or not at all when it has none, where a vector of
/// strings cost an allocation for the vector and one for each word.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Nouns(String);

impl Nouns {
    /// The noun of slot `i`, if one was read.
    pub fn get(&self, i: usize) -> Option<&str> {
        self.iter().nth(i).flatten()
    }

    /// Each slot's noun in order, then `None` without end (zip it with the slots).
    pub fn iter(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        let recorded = (!self.0.is_empty()).then(|| self.0.split(' '));
        recorded
            .into_iter()
            .flatten()
            .map(|w| (!w.is_empty()).then_some(w))
            .chain(std::iter::repeat(None))
    }

    /// The nouns after the figures ending at `ends`, one per slot, as [`noun_into`]
    /// reads them. Kept out of line: inlined, it changed how the caller's hot loop over
    /// candidate starts compiled, and cost more there than it saved.
    #[inline(never)]
    fn after<I: IntoIterator<Item = usize>>(text: &str, tokens: &[Token], ends: I) -> Self {
        let mut words = String::new();
        // Separators owed for the slots passed since the last word: written only when
        // another word follows, so a claim with no noun allocates nothing.
        let mut owed = 0;
        for (slot, end) in ends.into_iter().enumerate() {
            owed += usize::from(slot > 0);
            if noun_into(text, tokens, end, owed, &mut words) {
                owed = 0;
            }
        }
        Nouns(words)
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
/// first figure token to its last, as [`tokens::figures_within`] finds them) to `more`,
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

/// Buffers reused across calls of [`extract_into`].
struct Scratch<'i> {
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
}

/// The prefilter's tables, built once from the patterns (see [`PatternIndex`]): every
/// pattern's key words in a hash table, which tells which patterns could match in a
/// sentence once its words are looked up.
#[derive(Debug)]
struct KeyIndex {
    /// Every key word by id, as [`KeyIndex::lookup`] compares them.
    entries: Vec<KeyEntry>,
    /// The key words the table can hold, by folded head and length; `None` only if no
    /// perfect hash was found (never seen: then [`KeyIndex::lookup`] compares every
    /// entry).
    table: Option<KeyTable>,
    /// The id of no key word: `entries.len()`. The per-word records of a scan have one
    /// more record for it, so that a token that is no key word is counted like one,
    /// in a record nobody reads, instead of taking a branch.
    none: u32,
    /// Every pattern as (family, pattern), in priority order: a pattern's place here is
    /// its number in `by_word`, `always`, `checks` and the pattern sets.
    patterns: Vec<(usize, usize)>,
    /// The patterns keyed by each key word id, as a set: `by_word[id * s..][..s]` with
    /// `s` sets of 64 patterns, so that a word lets its patterns in by a few OR
    /// operations. The row of `none` is empty.
    by_word: Vec<u64>,
    /// Per word id, `by_word`'s two sets and then the check groups (of `checks`,
    /// numbered in `group_needs`) that hold the word: the scan ORs a token's row into
    /// four registers, and a pattern's checks are then one test instead of a loop over
    /// its groups and their words (whose exits the processor mispredicted). Empty when
    /// the patterns do not fit in two sets or the groups in 128 (the built-in rules
    /// fit): then the scan ORs `by_word` and the checks loop.
    rows: Vec<[u64; 4]>,
    /// Per pattern, the check groups it needs, as bits (when `rows` is not empty).
    group_needs: Vec<[u64; 2]>,
    /// Patterns with no key word (tried in every sentence), as a bit set.
    always: Vec<u64>,
    /// Each pattern's required word groups (word ids), each of which must occur in the
    /// sentence.
    checks: Vec<Vec<Vec<usize>>>,
    /// `(n, sets)` for each slot type `n` that some pattern needs: `sets[c * s..][..s]`
    /// (`s` sets of 64 patterns) is the set of patterns that need at most `c` figures of
    /// type `n` (counts above [`MAX_COUNTED`] are counted as that), so a sentence's figure
    /// counts rule patterns out by a few AND operations instead of a test per pattern.
    /// A slot type no pattern needs rules nothing out and is left out.
    fits: Vec<(usize, Vec<u64>)>,
    /// Each pattern's landmarks ([`Pattern::landmarks`]) as word ids, by pattern number;
    /// those with a word the table cannot hold are left out.
    landmarks: Vec<Vec<IdLandmark>>,
}

/// A [`pattern::Landmark`] with its words as [`KeyIndex`] ids.
#[derive(Debug)]
struct IdLandmark {
    ids: Vec<u32>,
    lo: usize,
    hi: Option<usize>,
    /// See [`pattern::Landmark::then`].
    then: Option<SlotType>,
}

/// The prefilter's state while one file is checked, over its [`KeyIndex`].
struct KeyWords<'i> {
    index: &'i KeyIndex,
    /// Where each key word (by id) occurs in the scanned sentence, when it does.
    occurs: Vec<Occurrence>,
    round: u32,
    /// Bit set of the patterns let in by the scanned sentence's key words: bits come
    /// out in priority order, already free of duplicates, with no sort.
    marked: Vec<u64>,
    /// The patterns that may match in the scanned sentence, in priority order, as
    /// (family, pattern within it, pattern number).
    enabled: Vec<(usize, usize, usize)>,
    /// The patterns the sentence's figures can fill, as a set. Worked out afresh for
    /// each sentence: a few AND operations per slot type cost less than the cache of
    /// recent count profiles that this once was (most lookups missed it).
    fitting: Vec<u64>,
    /// The id of each token of the scanned sentence ([`KeyIndex::none`] when none).
    ids: Vec<u32>,
    /// The check groups ([`KeyIndex::group_needs`]) that the scanned sentence's words
    /// meet, when the scan gathered them.
    groups: Option<[u64; 2]>,
}

/// Where one key word occurs in the scanned sentence: one record per word, so that the
/// scan writes one place per token.
#[derive(Debug, Clone, Copy, Default)]
struct Occurrence {
    /// Equal to [`KeyWords::round`] when the word occurs in the current sentence.
    seen: u32,
    /// The token where it first occurs (when `seen`).
    first: u32,
    /// The token where it last occurs (when `seen`).
    last: u32,
}

impl Occurrence {
    /// Note the word at token `at` of the sentence of `round`, without a branch on
    /// whether it is the first time.
    #[inline(always)]
    fn note(&mut self, at: usize, round: u32) {
        let at = at as u32;
        self.first = std::hint::select_unpredictable(self.seen == round, self.first, at);
        self.last = at;
        self.seen = round;
    }
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

/// `into[s] &= from[s]` for each set of 64 patterns `s` (`from` may be longer).
#[inline]
fn and_sets(into: &mut [u64], from: &[u64]) {
    combine_sets(into, from, |a, b| *a &= b);
}

/// `into[s] |= from[s]` for each set of 64 patterns `s` (`from` may be longer).
#[inline]
fn or_sets(into: &mut [u64], from: &[u64]) {
    combine_sets(into, from, |a, b| *a |= b);
}

/// `op(&mut into[s], from[s])` for each set of 64 patterns `s`: written out for one or two
/// sets (up to 128 patterns: the built-in rules have fewer), where the setup of a loop
/// over two words costs more than the work.
#[inline(always)]
fn combine_sets(into: &mut [u64], from: &[u64], op: impl Fn(&mut u64, u64)) {
    match (into, from) {
        ([a], [b, ..]) => op(a, *b),
        ([a0, a1], [b0, b1, ..]) => {
            op(a0, *b0);
            op(a1, *b1);
        }
        (into, from) => into.iter_mut().zip(from).for_each(|(a, b)| op(a, *b)),
    }
}

/// End of a chain of [`KeyEntry::next`].
const NO_ENTRY: u32 = u32::MAX;

/// One key word in [`KeyIndex`]' table.
#[derive(Debug)]
struct KeyEntry {
    /// The first eight bytes, ASCII-lower-cased and packed ([`fold_head`]).
    head: u64,
    /// Length in bytes.
    len: usize,
    /// The bytes after the first eight, as written (compared ignoring ASCII case).
    tail: Vec<u8>,
    /// The next lower id of a word with the same head and length but another tail
    /// (words of more than eight bytes), or [`NO_ENTRY`]: the table holds the highest.
    next: u32,
}

/// The first eight bytes of `w` (zero-padded) as a little-endian `u64`, with ASCII
/// capitals lower-cased all at once (SWAR): two words with equal heads and lengths are
/// equal ignoring ASCII case up to their eighth byte.
fn fold_head(w: &[u8]) -> u64 {
    fold_word(crate::swar::load8(w, 0))
}

/// [`fold_head`] of eight bytes already packed into `x`.
#[inline]
fn fold_word(x: u64) -> u64 {
    crate::swar::ascii_lowercase(x)
}

/// The low `len` bytes (all eight from eight on) set.
#[inline]
fn head_mask(len: usize) -> u64 {
    if len >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * len)) - 1
    }
}

/// One slot of a [`KeyTable`].
#[derive(Debug, Clone, Copy)]
struct KeySlot {
    /// The word's [`fold_head`] (zero in an empty slot).
    head: u64,
    /// The bits of a token's first eight bytes that must equal those of `head`: all the
    /// bits of the word's bytes but bit 5 (the case bit) of its letters. So a token is
    /// compared ignoring ASCII case without being folded, and without being masked to
    /// its length (the lengths are compared besides).
    care: u64,
    /// The word's length (zero in an empty slot: no token is empty).
    len: u32,
    /// The word's id ([`KeyIndex::none`] in an empty slot), with [`KeySlot::LONG`] set
    /// when the word has more than eight bytes.
    id: u32,
}

impl KeySlot {
    /// Set in [`KeySlot::id`] for a word of more than eight bytes, whose tail is yet to
    /// be compared: so a hit on such a word is told by one test of the id it gives.
    const LONG: u32 = 1 << 31;
}

/// The key words by folded head and length, in a perfect hash table ("hash and
/// displace"): the top bits of a word's hash pick a bucket, and the bucket's
/// displacement, XORed into the next bits, its slot, where no other key word is. A
/// lookup is one multiplication, two loads and one comparison, with no branch on the
/// token: the chained table this replaced ruled most tokens out by a test of their
/// first byte and length, which the processor mispredicted at some 40 % of tokens
/// (key words like `of`, `the` and `,` are a third of a sentence's tokens).
#[derive(Debug)]
struct KeyTable {
    /// `1 << k` slots.
    slots: Vec<KeySlot>,
    /// Per bucket, the displacement XORed into its words' slot numbers.
    displace: Vec<u32>,
    /// The multiplier of [`KeyTable::hash`] that gave a perfect table.
    seed: u64,
    /// `64 - log2(buckets)`: a hash shifted by this is its bucket.
    bucket_shift: u32,
    /// The hash shifted by this, masked to the table, is a slot before displacement.
    slot_shift: u32,
}

/// What a lookup reads of a [`KeyTable`], as plain values that a loop keeps at hand.
#[derive(Clone, Copy)]
struct KeyTableView<'t> {
    slots: &'t [KeySlot],
    displace: &'t [u32],
    seed: u64,
    bucket_shift: u32,
    slot_shift: u32,
    /// `slots.len() - 1`.
    slot_mask: usize,
    /// [`KeyIndex::none`].
    none: u32,
}

impl KeyTableView<'_> {
    /// The slot's id of the key word that `bytes[start..end]` may be: its id (with
    /// [`KeySlot::LONG`] set when its tail is yet to be compared), or `none`.
    #[inline(always)]
    fn find(&self, bytes: &[u8], start: usize, end: usize) -> u32 {
        let len = end.wrapping_sub(start);
        // Eight bytes at once (the word itself is only sliced out for its tail).
        // Sliced from `start` on, not as `start..start + 8`: one comparison less.
        let raw = match bytes.get(start..).and_then(|r| r.first_chunk::<8>()) {
            Some(eight) => u64::from_le_bytes(*eight),
            None => crate::swar::load8(bytes, start),
        };
        let h = KeyTable::hash(self.seed, KeyTable::loose(raw, len), len);
        let bucket = (h >> self.bucket_shift) as usize;
        let displace = self.displace.get(bucket).copied().unwrap_or(0) as usize;
        let at = ((h >> self.slot_shift) as usize ^ displace) & self.slot_mask;
        let Some(slot) = self.slots.get(at) else {
            return self.none;
        };
        // Picked by a select the compiler may not turn into a branch (in a loop it
        // would): no branch on whether the token is a key word.
        let hit = ((raw ^ slot.head) & slot.care == 0) & (slot.len as usize == len);
        std::hint::select_unpredictable(hit, slot.id, self.none)
    }
}

impl KeyTable {
    /// The table as a lookup reads it, with `none` for a token that is no key word.
    #[inline(always)]
    fn view(&self, none: u32) -> KeyTableView<'_> {
        KeyTableView {
            slots: &self.slots,
            displace: &self.displace,
            seed: self.seed,
            bucket_shift: self.bucket_shift,
            slot_shift: self.slot_shift,
            slot_mask: self.slots.len().wrapping_sub(1),
            none,
        }
    }

    /// Seeds tried for each table size before the table is made larger.
    const SEEDS_PER_SIZE: u64 = 32;
    /// Never more than `1 << MAX_SLOT_BITS` slots.
    const MAX_SLOT_BITS: u32 = 20;

    /// A word's hash: the length is added after the multiplication, so that words of
    /// eight or more bytes with equal heads still spread.
    #[inline]
    fn hash(seed: u64, head: u64, len: usize) -> u64 {
        head.wrapping_mul(seed)
            .wrapping_add((len as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93))
    }

    /// What a word is hashed by: its first eight bytes with the case bit of every byte
    /// set (so equal for words equal ignoring ASCII case: one operation, where the
    /// exact fold takes a dozen), shifted up so that the bytes past its length fall
    /// out (one shift, where a mask took a comparison and a select). An empty word
    /// keeps every byte: no token is empty, and the lengths are compared besides.
    #[inline]
    fn loose(x: u64, len: usize) -> u64 {
        let kept = len.min(8) as u32;
        (x | (crate::swar::ONES * 0x20)).wrapping_shl(64u32.wrapping_sub(8 * kept))
    }

    /// The slot where a word of `loose` head ([`KeyTable::loose`]) and `len` is, if it
    /// is in the table (as [`KeyTableView::find`] finds it).
    #[cfg(test)]
    fn slot(&self, loose: u64, len: usize) -> usize {
        let h = Self::hash(self.seed, loose, len);
        let bucket = (h >> self.bucket_shift) as usize;
        let displace = self.displace.get(bucket).copied().unwrap_or(0) as usize;
        ((h >> self.slot_shift) as usize ^ displace) & (self.slots.len() - 1)
    }

    /// A perfect table of `words` (head, length, id), all with distinct heads and
    /// lengths; `none` fills the empty slots. `None` when no seed up to the largest
    /// size gives one (which would take words with equal hashes under every seed), or
    /// when the ids do not leave [`KeySlot::LONG`] free.
    fn build(words: &[(u64, usize, u32)], none: u32) -> Option<Self> {
        if none >= KeySlot::LONG || words.iter().any(|&(_, _, id)| id >= KeySlot::LONG) {
            return None;
        }
        // At least twice as many slots as words, and as many buckets as words: most
        // buckets hold one word or none, and each finds a displacement at once. At
        // least two buckets, so that the bucket shift stays below 64.
        let mut slot_bits = (2 * words.len())
            .next_power_of_two()
            .max(4)
            .trailing_zeros();
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        while slot_bits <= Self::MAX_SLOT_BITS {
            for _ in 0..Self::SEEDS_PER_SIZE {
                if let Some(table) = Self::try_build(words, none, slot_bits, seed) {
                    return Some(table);
                }
                // The next odd multiplier of a Weyl sequence.
                seed = seed.wrapping_add(0x6A09_E667_F3BC_C909 << 1) | 1;
            }
            slot_bits += 1;
        }
        None
    }

    /// [`KeyTable::build`] with `1 << slot_bits` slots and one seed.
    fn try_build(
        words: &[(u64, usize, u32)],
        none: u32,
        slot_bits: u32,
        seed: u64,
    ) -> Option<Self> {
        let bucket_bits = slot_bits - 1;
        let size = 1usize << slot_bits;
        let empty = KeySlot {
            head: 0,
            care: 0,
            len: 0,
            id: none,
        };
        let mut table = KeyTable {
            slots: vec![empty; size],
            displace: vec![0; 1 << bucket_bits],
            seed,
            bucket_shift: 64 - bucket_bits,
            slot_shift: 64 - bucket_bits - slot_bits,
        };
        // Each word's bucket and slot before displacement, grouped by bucket, the
        // fullest buckets first (they are the hardest to place).
        let mut placed: Vec<(usize, usize, usize)> = words
            .iter()
            .enumerate()
            .map(|(w, &(head, len, _))| {
                let h = Self::hash(seed, Self::loose(head, len), len);
                let bucket = (h >> table.bucket_shift) as usize;
                (bucket, (h >> table.slot_shift) as usize & (size - 1), w)
            })
            .collect();
        let mut fill = vec![0usize; table.displace.len()];
        for &(b, _, _) in &placed {
            fill[b] += 1;
        }
        placed.sort_unstable_by_key(|&(b, base, _)| (std::cmp::Reverse(fill[b]), b, base));
        // Two words of one bucket at one slot move together: no displacement parts them.
        if placed
            .windows(2)
            .any(|p| p[0].0 == p[1].0 && p[0].1 == p[1].1)
        {
            return None;
        }
        let mut taken = vec![false; size];
        for group in placed.chunk_by(|a, b| a.0 == b.0) {
            let displace =
                (0..size).find(|&d| group.iter().all(|&(_, base, _)| !taken[base ^ d]))?;
            table.displace[group[0].0] = displace as u32;
            for &(_, base, w) in group {
                let (head, len, id) = words[w];
                taken[base ^ displace] = true;
                let long = if len > 8 { KeySlot::LONG } else { 0 };
                let letters = crate::swar::ascii_letters(head) >> 2;
                table.slots[base ^ displace] = KeySlot {
                    head,
                    care: !letters & head_mask(len),
                    len: len as u32,
                    id: id | long,
                };
            }
        }
        Some(table)
    }
}

impl KeyIndex {
    fn new(families: &[ClaimPatterns]) -> Self {
        let mut words: Vec<String> = Vec::new();
        let mut by_text: std::collections::HashMap<String, usize> = Default::default();
        // Most words recur across patterns: looked up by reference, cloned only when new.
        let mut intern = |w: &String| {
            if let Some(&id) = by_text.get(w) {
                return id;
            }
            words.push(w.clone());
            by_text.insert(w.clone(), words.len() - 1);
            words.len() - 1
        };
        let ids: Vec<Vec<Option<Vec<usize>>>> = families
            .iter()
            .map(|fam| {
                fam.patterns
                    .iter()
                    .map(|p| p.key_words().map(|ws| ws.iter().map(&mut intern).collect()))
                    .collect()
            })
            .collect();
        // The other required groups, checked once a key word has let the pattern in. A
        // group with a word the table cannot hold (see `bucket`) is never checked.
        let checks: Vec<Vec<Vec<Vec<usize>>>> = families
            .iter()
            .map(|fam| {
                fam.patterns
                    .iter()
                    .map(|p| {
                        let mut groups: Vec<&Vec<String>> = p
                            .word_groups()
                            .iter()
                            // The key group let the pattern in: it is there.
                            .filter(|g| Some(g.as_slice()) != p.key_words())
                            .filter(|g| g.iter().all(|w| Self::holds(w.as_bytes())))
                            .collect();
                        // Rarest (longest shortest word) first: a missing group is found
                        // sooner, and common words ("and", "of") are looked at last.
                        groups.sort_by_key(|g| {
                            std::cmp::Reverse(g.iter().map(String::len).min().unwrap_or(0))
                        });
                        groups
                            .into_iter()
                            .map(|g| g.iter().map(&mut intern).collect())
                            .collect()
                    })
                    .collect()
            })
            .collect();
        // Landmark words join the table (they let no pattern in; they only give the
        // sentence's tokens ids to look for).
        let landmarks: Vec<Vec<IdLandmark>> = families
            .iter()
            .flat_map(|fam| &fam.patterns)
            .map(|p| {
                p.landmarks()
                    .iter()
                    .filter(|l| l.words.iter().all(|w| Self::holds(w.as_bytes())))
                    .map(|l| IdLandmark {
                        ids: l
                            .words
                            .iter()
                            .map(|w| u32::try_from(intern(w)).unwrap_or(NO_ENTRY))
                            .collect(),
                        lo: l.lo,
                        hi: l.hi,
                        then: l.then,
                    })
                    .collect()
            })
            .collect();
        // Words equal ignoring ASCII case share a head and a length: the table holds
        // the highest id of them (as the chained table did), and longer words with the
        // same head and length but other tails are chained below it.
        let mut entries: Vec<KeyEntry> = words
            .iter()
            .map(|w| KeyEntry {
                head: fold_head(w.as_bytes()),
                len: w.len(),
                tail: w.as_bytes().get(8..).unwrap_or_default().to_vec(),
                next: NO_ENTRY,
            })
            .collect();
        let none = u32::try_from(entries.len()).unwrap_or(NO_ENTRY);
        // Sorted, equal heads and lengths come together, by rising id (no hash map:
        // loading rules is timed too).
        let mut all: Vec<(u64, usize, u32)> = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| (1..32).contains(&e.len))
            .map(|(i, e)| (e.head, e.len, u32::try_from(i).unwrap_or(NO_ENTRY)))
            .collect();
        all.sort_unstable();
        let mut held = Vec::with_capacity(all.len());
        for same in all.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
            for pair in same.windows(2) {
                if let Some(e) = entries.get_mut(pair[1].2 as usize) {
                    e.next = pair[0].2;
                }
            }
            held.extend(same.last());
        }
        let table = KeyTable::build(&held, none);
        let patterns: Vec<(usize, usize)> = ids
            .iter()
            .enumerate()
            .flat_map(|(f, fam)| (0..fam.len()).map(move |p| (f, p)))
            .collect();
        let sets = patterns.len().div_ceil(64);
        // One more row, for `none`.
        let mut by_word = vec![0u64; (words.len() + 1) * sets];
        let mut always = vec![0u64; sets];
        for (g, &(f, p)) in patterns.iter().enumerate() {
            match &ids[f][p] {
                Some(keys) => keys
                    .iter()
                    .for_each(|&k| by_word[k * sets + g / 64] |= 1 << (g % 64)),
                None => always[g / 64] |= 1 << (g % 64),
            }
        }
        let mut fits = Vec::new();
        for n in 0..SlotType::ALL.len() {
            let want = |g: usize| {
                let (f, p) = patterns[g];
                let need = families[f].patterns[p].required_slots();
                usize::from(need.get(n).copied().unwrap_or(0)).min(MAX_COUNTED)
            };
            if (0..patterns.len()).all(|g| want(g) == 0) {
                continue;
            }
            let mut per_count = vec![0u64; (MAX_COUNTED + 1) * sets];
            for g in 0..patterns.len() {
                for c in want(g)..=MAX_COUNTED {
                    per_count[c * sets + g / 64] |= 1 << (g % 64);
                }
            }
            fits.push((n, per_count));
        }
        let checks: Vec<Vec<Vec<usize>>> = checks.into_iter().flatten().collect();
        let (rows, group_needs) = Self::rows(&by_word, sets, &checks, words.len() + 1);
        KeyIndex {
            landmarks,
            fits,
            entries,
            table,
            none,
            rows,
            group_needs,
            by_word,
            always,
            checks,
            patterns,
        }
    }

    /// [`KeyIndex::rows`] and [`KeyIndex::group_needs`] for `ids` word ids (`none`
    /// included), or two empty lists when the patterns or the groups do not fit.
    fn rows(
        by_word: &[u64],
        sets: usize,
        checks: &[Vec<Vec<usize>>],
        ids: usize,
    ) -> (Vec<[u64; 4]>, Vec<[u64; 2]>) {
        // Groups written alike (the same words in the same order) share a bit, found
        // through a small open-addressing table (a sort or a search of the list cost
        // rule loading some 0.1 M instructions). Groups of the same words in another
        // order take a bit each, which only costs a bit.
        let count: usize = checks.iter().map(Vec::len).sum();
        let size = (2 * count).next_power_of_two().max(16);
        let mut seen = vec![u32::MAX; size];
        let mut groups: Vec<&[usize]> = Vec::new();
        let mut group_needs = vec![[0u64; 2]; checks.len()];
        for (needs, pattern_checks) in group_needs.iter_mut().zip(checks) {
            for group in pattern_checks {
                let h = group.iter().fold(group.len() as u64, |h, &w| {
                    (h ^ w as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                });
                let mut at = (h >> 32) as usize & (size - 1);
                let k = loop {
                    match seen.get(at).copied() {
                        Some(u32::MAX) | None => {
                            if let Some(s) = seen.get_mut(at) {
                                *s = u32::try_from(groups.len()).unwrap_or(u32::MAX);
                            }
                            groups.push(group);
                            break groups.len() - 1;
                        }
                        Some(k) if groups.get(k as usize) == Some(&group.as_slice()) => {
                            break k as usize;
                        }
                        Some(_) => at = (at + 1) & (size - 1),
                    }
                };
                if let Some(need) = needs.get_mut(k / 64) {
                    *need |= 1 << (k % 64);
                }
            }
        }
        if sets > 2 || groups.len() > 128 {
            return (Vec::new(), Vec::new());
        }
        let mut rows = vec![[0u64; 4]; ids];
        for (id, row) in rows.iter_mut().enumerate() {
            for (set, keyed) in row.iter_mut().zip(
                by_word
                    .get(id * sets..)
                    .unwrap_or_default()
                    .iter()
                    .take(sets),
            ) {
                *set = *keyed;
            }
        }
        for (k, group) in groups.iter().enumerate() {
            for &id in *group {
                if let Some(row) = rows.get_mut(id) {
                    row[2 + k / 64] |= 1 << (k % 64);
                }
            }
        }
        (rows, group_needs)
    }

    /// True when the table can hold `w`: a word of 1 to 31 bytes (no pattern word is
    /// longer; a group holding one that is not is simply never checked).
    fn holds(w: &[u8]) -> bool {
        (1..32).contains(&w.len())
    }

    /// The id of the key word equal to `bytes[start..end]` ignoring ASCII case, or
    /// [`KeyIndex::none`]: a plain number, which the scan uses as an index into its
    /// per-word records as it is, whatever the token.
    #[inline]
    fn lookup(&self, bytes: &[u8], start: usize, end: usize) -> u32 {
        match &self.table {
            Some(table) => self.lookup_in(table, bytes, start, end),
            None => self.lookup_by_comparison(bytes, start, end),
        }
    }

    /// [`KeyIndex::lookup`] in `table`, this index's table.
    #[inline(always)]
    fn lookup_in(&self, table: &KeyTable, bytes: &[u8], start: usize, end: usize) -> u32 {
        let id = table.view(self.none).find(bytes, start, end);
        // Only a key word of more than eight bytes has a tail to compare: rare.
        if id & KeySlot::LONG != 0 {
            return self.lookup_tail(bytes, start, end, id & !KeySlot::LONG);
        }
        id
    }

    /// [`KeyIndex::lookup`] of a word of more than eight bytes whose head and length
    /// are those of key word `id`: the first of its chain whose tail is the word's.
    #[cold]
    #[inline(never)]
    fn lookup_tail(&self, bytes: &[u8], start: usize, end: usize, mut id: u32) -> u32 {
        let rest = bytes.get(start + 8..end).unwrap_or_default();
        while let Some(e) = self.entries.get(id as usize) {
            if rest.eq_ignore_ascii_case(&e.tail) {
                return id;
            }
            id = e.next;
        }
        self.none
    }

    /// [`KeyIndex::lookup`] without a table: the highest id of a held word equal to
    /// the token ignoring ASCII case.
    #[cold]
    #[inline(never)]
    fn lookup_by_comparison(&self, bytes: &[u8], start: usize, end: usize) -> u32 {
        let Some(w) = bytes.get(start..end) else {
            return self.none;
        };
        let found = self.entries.iter().rposition(|e| {
            Self::holds(w)
                && e.len == w.len()
                && e.head == fold_head(w)
                && w.get(8..).unwrap_or_default().eq_ignore_ascii_case(&e.tail)
        });
        found.map_or(self.none, |id| u32::try_from(id).unwrap_or(self.none))
    }
}

impl<'i> KeyWords<'i> {
    /// Fresh state over `index`.
    fn new(index: &'i KeyIndex) -> Self {
        let sets = index.always.len();
        // One more record, for `none`.
        let occurs = vec![Occurrence::default(); index.entries.len() + 1];
        KeyWords {
            index,
            occurs,
            round: 0,
            marked: vec![0; sets],
            enabled: Vec::new(),
            fitting: vec![0; sets],
            ids: Vec::new(),
            groups: None,
        }
    }

    /// False when pattern `g` cannot match from token `start` of the scanned sentence:
    /// one of its landmarks cannot fall in its window. A narrow window is searched; for
    /// a wide one it is enough to know that the word occurs in the sentence at or after
    /// the window's start, and at or before its end.
    ///
    /// Takes the pattern's landmarks (`KeyIndex::landmarks[g]`), looked up once by the
    /// caller, which tries many starts of one pattern: looked up here, the list was
    /// fetched and bounds-checked again at every start.
    #[inline]
    fn landmarks_allow_of(&self, landmarks: &[IdLandmark], start: usize) -> bool {
        /// Windows of up to this many tokens are searched token by token.
        const SEARCHED: usize = 3;
        let n = self.ids.len();
        landmarks.iter().all(|l| {
            let from = start + l.lo;
            if from >= n {
                return false;
            }
            let to = l.hi.map_or(n - 1, |hi| (start + hi).min(n - 1));
            if to - from < SEARCHED {
                return self.ids[from..=to].iter().any(|id| l.ids.contains(id));
            }
            l.ids.iter().any(|&id| {
                let id = id as usize;
                self.occurs.get(id).is_some_and(|o| {
                    o.seen == self.round && o.last as usize >= from && o.first as usize <= to
                })
            })
        })
    }

    /// False when pattern `g` cannot match from `start` because one of its landmarks
    /// that names the figure after it ([`IdLandmark::then`]) occurs nowhere in its window
    /// followed by such a figure. Asked only of starts that passed every other test (few),
    /// the window is searched between the first and last occurrence of the landmark's
    /// words; `found[k]` keeps the last such place of landmark `k` (reset for each
    /// pattern), which often answers for the next start too.
    fn landmark_pairs_allow(
        &self,
        landmarks: &[IdLandmark],
        tokens: &[Token],
        figures: &[Figure],
        start: usize,
        found: &mut [usize],
    ) -> bool {
        let n = self.ids.len().min(tokens.len());
        landmarks.iter().zip(found).all(|(l, found)| {
            let Some(ty) = l.then else { return true };
            let from = start + l.lo;
            let to = l.hi.map_or(n, |hi| start + hi);
            if (from..=to).contains(found) {
                return true;
            }
            // The span of the sentence where the landmark's words occur.
            let (mut first, mut last) = (usize::MAX, 0);
            for &id in &l.ids {
                if let Some(o) = self.occurs.get(id as usize)
                    && o.seen == self.round
                {
                    first = first.min(o.first as usize);
                    last = last.max(o.last as usize);
                }
            }
            let end = to.min(last).min(n.saturating_sub(2));
            let hit = (from.max(first)..=end).find(|&at| {
                l.ids.contains(&self.ids[at])
                    && matches!(tokens[at + 1].kind, TokenKind::Figure(fi)
                        if figures.get(fi).is_some_and(|f| ty.accepts(f)))
            });
            if let Some(at) = hit {
                *found = at;
            }
            hit.is_some()
        })
    }

    /// Set `fitting` to the patterns whose slots the sentence's figure counts can fill.
    fn fit(&mut self, available: &[u8; SlotType::ALL.len()]) {
        let sets = self.fitting.len();
        self.fitting.fill(u64::MAX);
        for (n, per_count) in &self.index.fits {
            let c = available
                .get(*n)
                .map_or(0, |&a| usize::from(a).min(MAX_COUNTED));
            let allowed = per_count.get(c * sets..).unwrap_or_default();
            and_sets(&mut self.fitting, allowed);
        }
    }

    /// Note which key words are among the sentence's word tokens (patterns compare whole
    /// tokens, so a whole-token lookup lets through everything that can match).
    fn scan(&mut self, text: &str, tokens: &[Token], available: &[u8; SlotType::ALL.len()]) {
        self.round = self.round.wrapping_add(1).max(1);
        self.enabled.clear();
        self.fit(available);
        // No pattern can fill its slots from the sentence's figures (a year and a
        // percentage, say): nothing can match, and the words need no look.
        if self.fitting.iter().all(|&f| f == 0) {
            return;
        }
        let bytes = text.as_bytes();
        // Every token is looked up, whatever its kind: a figure or a mark that happens to
        // spell a key word only lets a pattern in that then fails to match, and a test
        // of the kind would be a branch the processor mispredicts at every other token.
        // For the same reason nothing below branches on the token: a token that is no
        // key word has the id `none`, whose record is written and never read and whose
        // patterns are none, and every token ORs its word's patterns in (a repeat ORs
        // nothing new) instead of only a key word's first occurrence.
        // The ids are written by `extend` over the tokens (its length known up front: no
        // capacity test per token).
        let KeyWords {
            index,
            occurs,
            marked,
            ids,
            round,
            groups,
            ..
        } = self;
        let (index, round, sets) = (*index, *round, marked.len());
        ids.clear();
        let rows = &index.rows;
        *groups = None;
        match &index.table {
            // The loop that runs: the table's lookup, and the patterns (up to 128) and
            // check groups (up to 128) of the words gathered in registers.
            // Written as a plain loop over locals: as a closure over `self`'s fields,
            // the compiler reloaded every table field and vector through memory at each
            // token.
            Some(table) if !rows.is_empty() => {
                let view = table.view(index.none);
                let occurs = occurs.as_mut_slice();
                let mut keyed = [0u64; 4];
                ids.resize(tokens.len(), 0);
                for ((at, t), slot) in tokens.iter().enumerate().zip(ids.iter_mut()) {
                    let mut id = view.find(bytes, t.span.start, t.span.end);
                    if id & KeySlot::LONG != 0 {
                        id =
                            index.lookup_tail(bytes, t.span.start, t.span.end, id & !KeySlot::LONG);
                    }
                    if let Some(o) = occurs.get_mut(id as usize) {
                        o.note(at, round);
                    }
                    if let Some(row) = rows.get(id as usize) {
                        for (k, r) in keyed.iter_mut().zip(row) {
                            *k |= r;
                        }
                    }
                    *slot = id;
                }
                or_sets(marked, &keyed[..2]);
                *groups = Some([keyed[2], keyed[3]]);
            }
            _ => ids.extend(tokens.iter().enumerate().map(|(at, t)| {
                let id = index.lookup(bytes, t.span.start, t.span.end);
                if let Some(o) = occurs.get_mut(id as usize) {
                    o.note(at, round);
                }
                let keyed = index.by_word.get(id as usize * sets..).unwrap_or_default();
                or_sets(marked, keyed);
                id
            })),
        }
        // Priority is (family, pattern) order, which is bit order; a pattern keyed by
        // several words that all occur is one bit. A pattern let in by its rarest group
        // also needs all the others.
        for (set, ((marked, always), fitting)) in self
            .marked
            .iter_mut()
            .zip(&self.index.always)
            .zip(&self.fitting)
            .enumerate()
        {
            let mut bits = (std::mem::take(marked) | always) & fitting;
            while bits != 0 {
                let g = set * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let checked = match (self.groups, self.index.group_needs.get(g)) {
                    (Some(hit), Some(need)) => (need[0] & !hit[0]) | (need[1] & !hit[1]) == 0,
                    _ => self.index.checks[g].iter().all(|grp| {
                        grp.iter()
                            .any(|&i| self.occurs.get(i).is_some_and(|o| o.seen == self.round))
                    }),
                };
                if checked {
                    let (f, p) = self.index.patterns[g];
                    self.enabled.push((f, p, g));
                }
            }
        }
    }
}

impl<'i> Scratch<'i> {
    fn new(figures: &[Figure], families: &[ClaimPatterns], index: &'i PatternIndex) -> Self {
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
fn extract_into(
    text: &str,
    tokens: &[Token],
    figures: &[Figure],
    sentence_figures: &[Figure],
    families: &[ClaimPatterns],
    scratch: &mut Scratch,
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
    let starts = &mut scratch.starts;
    let mut caps = Vec::new();
    // Consecutive patterns often share an anchor (`{part:amount} ...`): their candidate
    // starts are the same, so they are worked out once. `None` = nothing computed yet.
    let mut starts_for: Option<Option<(SlotType, &[usize])>> = None;
    // Only the patterns whose key word occurs here, in priority order.
    for &(fi, pi, g) in &scratch.keys.enabled {
        let (fam, taken) = (&families[fi], &mut scratch.taken[fi]);
        let pat = &fam.patterns[pi];
        if scratch.index.counts_beyond_filter
            && pat
                .required_slots()
                .iter()
                .zip(&available)
                .any(|(n, a)| n > a)
        {
            continue;
        }
        {
            let anchor = pat.anchor_ref();
            if starts_for != Some(anchor) {
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
            let has_pairs = landmarks.iter().any(|l| l.then.is_some());
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
                let Some(end) = pat.match_into(text, tokens, figures, start, &mut caps) else {
                    continue;
                };
                let is_key = |n: &str| fam.key_slots.iter().any(|k| k == n);
                let mut keys = caps.iter().filter(|(n, _)| is_key(n)).map(|&(_, i)| i);
                if keys.clone().next().is_some() && keys.all(|k| !taken.contains(k)) {
                    for &(n, k) in &caps {
                        if is_key(n) {
                            taken.insert(k);
                        }
                    }
                    let span = tokens[start].span.cover(tokens[end - 1].span);
                    let alternatives = alternatives(fam, pat, tokens, figures, start);
                    let nouns = Nouns::after(
                        text,
                        tokens,
                        caps.iter().map(|&(_, fi)| figures[fi].span().end),
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

/// Append the word right after the figure ending at byte `end`, lower-cased, to `out`
/// after `spaces` spaces, if it names what is counted; true when it did. Room for both
/// is reserved at once: a `char` iterator's length hint is a quarter of its bytes, and
/// growing by it cost a reallocation or two per word.
fn noun_into(text: &str, tokens: &[Token], end: usize, spaces: usize, out: &mut String) -> bool {
    let i = tokens.partition_point(|t| t.span.start < end);
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
            && (w.len() > MAX_FUNCTION_WORD_LEN || !crate::figures::is_one_of(w, FUNCTION_WORDS));
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
    use super::*;

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
            for width in 1..=4 {
                for run in ends.windows(width) {
                    let nouns = Nouns::after(text, &tokens, run.iter().copied());
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

    /// A perfect table is found for word sets of many sizes, and finds each word at its
    /// slot (and no other word there).
    #[test]
    fn key_tables_are_perfect() {
        for n in [0, 1, 2, 3, 50, 121, 600, 5000] {
            let words: Vec<(u64, usize, u32)> = (0..n)
                .map(|i| {
                    let w = format!("w{i}");
                    (fold_head(w.as_bytes()), w.len(), i as u32)
                })
                .collect();
            let table = KeyTable::build(&words, n as u32).expect("a perfect table");
            assert!(table.slots.len() >= 2 * words.len());
            for &(head, len, id) in &words {
                let slot = table.slots[table.slot(KeyTable::loose(head, len), len)];
                assert_eq!((slot.head, slot.len as usize, slot.id), (head, len, id));
                assert_eq!(slot.id & KeySlot::LONG, 0);
            }
            let empty = table.slots.iter().filter(|s| s.id == n as u32).count();
            assert_eq!(empty, table.slots.len() - n, "{n}");
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
