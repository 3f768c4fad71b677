//! The key-word prefilter of claim extraction: every pattern's key words in a perfect
//! hash table built at rule loading, and the per-sentence scan that looks up each token
//! and tells which patterns can match in the sentence (their key words all occur, and
//! enough figures of the kinds their slots need), before any pattern is tried.

use super::*;
/// The prefilter's tables, built once from the patterns (see [`PatternIndex`]): every
/// pattern's key words in a hash table, which tells which patterns could match in a
/// sentence once its words are looked up.
#[derive(Debug)]
pub(super) struct KeyIndex {
    /// Every key word by id, as [`KeyIndex::lookup`] compares them.
    pub(super) entries: Vec<KeyEntry>,
    /// The key words the table can hold, by folded head and length; `None` only if no
    /// perfect hash was found (never seen: then [`KeyIndex::lookup`] compares every
    /// entry).
    pub(super) table: Option<KeyTable>,
    /// The id of no key word: `entries.len()`. The per-word records of a scan have one
    /// more record for it, so that a token that is no key word is counted like one,
    /// in a record nobody reads, instead of taking a branch.
    pub(super) none: u32,
    /// Every pattern as (family, pattern), in priority order: a pattern's place here is
    /// its number in `by_word`, `always`, `checks` and the pattern sets.
    pub(super) patterns: Vec<(usize, usize)>,
    /// The patterns keyed by each key word id, as a set: `by_word[id * s..][..s]` with
    /// `s` sets of 64 patterns, so that a word lets its patterns in by a few OR
    /// operations. The row of `none` is empty.
    pub(super) by_word: Vec<u64>,
    /// Per word id, `by_word`'s two sets and then the check groups (of `checks`,
    /// numbered in `group_needs`) that hold the word: the scan ORs a token's row into
    /// four registers, and a pattern's checks are then one test instead of a loop over
    /// its groups and their words (whose exits the processor mispredicted). Empty when
    /// the patterns do not fit in two sets or the groups in 128 (the built-in rules
    /// fit): then the scan ORs `by_word` and the checks loop.
    pub(super) rows: Vec<[u64; 4]>,
    /// Per pattern, the check groups it needs, as bits (when `rows` is not empty).
    pub(super) group_needs: Vec<[u64; 2]>,
    /// Patterns with no key word (tried in every sentence), as a bit set.
    pub(super) always: Vec<u64>,
    /// Each pattern's required word groups (word ids), each of which must occur in the
    /// sentence.
    pub(super) checks: Vec<Vec<Vec<usize>>>,
    /// `(n, sets)` for each slot type `n` that some pattern needs: `sets[c * s..][..s]`
    /// (`s` sets of 64 patterns) is the set of patterns that need at most `c` figures of
    /// type `n` (counts above [`MAX_COUNTED`] are counted as that), so a sentence's figure
    /// counts rule patterns out by a few AND operations instead of a test per pattern.
    /// A slot type no pattern needs rules nothing out and is left out.
    pub(super) fits: Vec<(usize, Vec<u64>)>,
    /// Each pattern's landmarks ([`Pattern::landmarks`]) as word ids, by pattern number;
    /// those with a word the table cannot hold are left out.
    pub(super) landmarks: Vec<Vec<IdLandmark>>,
    /// By pattern number: whether one of its [`KeyIndex::landmarks`] names the figure
    /// after it ([`IdLandmark::then`]). Asked for every pattern let in by a sentence's
    /// key words: a search of the landmarks there ended at a place the processor
    /// mispredicted.
    pub(super) landmark_pairs: Vec<bool>,
}

/// A [`pattern::Landmark`] with its words as [`KeyIndex`] ids.
#[derive(Debug)]
pub(super) struct IdLandmark {
    pub(super) ids: Vec<u32>,
    pub(super) lo: usize,
    pub(super) hi: Option<usize>,
    /// See [`pattern::Landmark::then`].
    pub(super) then: Option<SlotType>,
}

/// The prefilter's state while one file is checked, over its [`KeyIndex`].
pub(super) struct KeyWords<'i> {
    pub(super) index: &'i KeyIndex,
    /// Where each key word (by id) occurs in the scanned sentence, when it does; noted
    /// only when [`KeyWords::enabled`] is not empty (nothing else reads it).
    pub(super) occurs: Vec<Occurrence>,
    pub(super) round: u32,
    /// Bit set of the patterns let in by the scanned sentence's key words: bits come
    /// out in priority order, already free of duplicates, with no sort.
    pub(super) marked: Vec<u64>,
    /// The patterns that may match in the scanned sentence, in priority order, as
    /// (family, pattern within it, pattern number).
    pub(super) enabled: Vec<(usize, usize, usize)>,
    /// The patterns the sentence's figures can fill, as a set. Worked out afresh for
    /// each sentence: a few AND operations per slot type cost less than the cache of
    /// recent count profiles that this once was (most lookups missed it).
    pub(super) fitting: Vec<u64>,
    /// The id of each token of the scanned sentence ([`KeyIndex::none`] when none).
    pub(super) ids: Vec<u32>,
    /// The check groups ([`KeyIndex::group_needs`]) that the scanned sentence's words
    /// meet, when the scan gathered them.
    pub(super) groups: Option<[u64; 2]>,
}

/// Where one key word occurs in the scanned sentence: one record per word, so that the
/// scan writes one place per token.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Occurrence {
    /// Equal to [`KeyWords::round`] when the word occurs in the current sentence.
    pub(super) seen: u32,
    /// The token where it first occurs (when `seen`).
    pub(super) first: u32,
    /// The token where it last occurs (when `seen`).
    pub(super) last: u32,
}

impl Occurrence {
    /// Note the word at token `at` of the sentence of `round`, without a branch on
    /// whether it is the first time.
    #[inline(always)]
    pub(super) fn note(&mut self, at: usize, round: u32) {
        let at = at as u32;
        self.first = std::hint::select_unpredictable(self.seen == round, self.first, at);
        self.last = at;
        self.seen = round;
    }
}

/// `into[s] &= from[s]` for each set of 64 patterns `s` (`from` may be longer).
#[inline]
pub(super) fn and_sets(into: &mut [u64], from: &[u64]) {
    combine_sets(into, from, |a, b| *a &= b);
}

/// `into[s] |= from[s]` for each set of 64 patterns `s` (`from` may be longer).
#[inline]
pub(super) fn or_sets(into: &mut [u64], from: &[u64]) {
    combine_sets(into, from, |a, b| *a |= b);
}

/// `op(&mut into[s], from[s])` for each set of 64 patterns `s`: written out for one or two
/// sets (up to 128 patterns: the built-in rules have fewer), where the setup of a loop
/// over two words costs more than the work.
#[inline(always)]
pub(super) fn combine_sets(into: &mut [u64], from: &[u64], op: impl Fn(&mut u64, u64)) {
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
pub(super) const NO_ENTRY: u32 = u32::MAX;

/// One key word in [`KeyIndex`]' table.
#[derive(Debug)]
pub(super) struct KeyEntry {
    /// The first eight bytes, ASCII-lower-cased and packed ([`fold_head`]).
    pub(super) head: u64,
    /// Length in bytes.
    pub(super) len: usize,
    /// The bytes after the first eight, as written (compared ignoring ASCII case).
    pub(super) tail: Vec<u8>,
    /// The next lower id of a word with the same head and length but another tail
    /// (words of more than eight bytes), or [`NO_ENTRY`]: the table holds the highest.
    pub(super) next: u32,
}

/// The first eight bytes of `w` (zero-padded) as a little-endian `u64`, with ASCII
/// capitals lower-cased all at once (SWAR): two words with equal heads and lengths are
/// equal ignoring ASCII case up to their eighth byte.
pub(super) fn fold_head(w: &[u8]) -> u64 {
    fold_word(crate::swar::load8(w, 0))
}

/// [`fold_head`] of eight bytes already packed into `x`.
#[inline]
pub(super) fn fold_word(x: u64) -> u64 {
    crate::swar::ascii_lowercase(x)
}

/// The low `len` bytes (all eight from eight on) set.
#[inline]
pub(super) fn head_mask(len: usize) -> u64 {
    if len >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * len)) - 1
    }
}

/// One slot of a [`KeyTable`].
#[derive(Debug, Clone, Copy)]
pub(super) struct KeySlot {
    /// The word's [`fold_head`] (zero in an empty slot).
    pub(super) head: u64,
    /// The bits of a token's first eight bytes that must equal those of `head`: all the
    /// bits of the word's bytes but bit 5 (the case bit) of its letters. So a token is
    /// compared ignoring ASCII case without being folded, and without being masked to
    /// its length (the lengths are compared besides).
    pub(super) care: u64,
    /// The word's length (zero in an empty slot: no token is empty).
    pub(super) len: u32,
    /// The word's id ([`KeyIndex::none`] in an empty slot), with [`KeySlot::LONG`] set
    /// when the word has more than eight bytes.
    pub(super) id: u32,
}

impl KeySlot {
    /// Set in [`KeySlot::id`] for a word of more than eight bytes, whose tail is yet to
    /// be compared: so a hit on such a word is told by one test of the id it gives.
    pub(super) const LONG: u32 = 1 << 31;
}

/// The key words by folded head and length, in a perfect hash table ("hash and
/// displace"): the top bits of a word's hash pick a bucket, and the bucket's
/// displacement, XORed into the next bits, its slot, where no other key word is. A
/// lookup is one multiplication, two loads and one comparison, with no branch on the
/// token: the chained table this replaced ruled most tokens out by a test of their
/// first byte and length, which the processor mispredicted at some 40 % of tokens
/// (key words like `of`, `the` and `,` are a third of a sentence's tokens).
#[derive(Debug)]
pub(super) struct KeyTable {
    /// `1 << k` slots.
    pub(super) slots: Vec<KeySlot>,
    /// Per bucket, the displacement XORed into its words' slot numbers.
    pub(super) displace: Vec<u32>,
    /// The multiplier of [`KeyTable::hash`] that gave a perfect table.
    pub(super) seed: u64,
    /// `64 - log2(buckets)`: a hash shifted by this is its bucket.
    pub(super) bucket_shift: u32,
    /// The hash shifted by this, masked to the table, is a slot before displacement.
    pub(super) slot_shift: u32,
}

/// What a lookup reads of a [`KeyTable`], as plain values that a loop keeps at hand.
#[derive(Clone, Copy)]
pub(super) struct KeyTableView<'t> {
    pub(super) slots: &'t [KeySlot],
    pub(super) displace: &'t [u32],
    pub(super) seed: u64,
    pub(super) bucket_shift: u32,
    pub(super) slot_shift: u32,
    /// `slots.len() - 1`.
    pub(super) slot_mask: usize,
    /// [`KeyIndex::none`].
    pub(super) none: u32,
}

impl KeyTableView<'_> {
    /// The slot's id of the key word that `bytes[start..end]` may be: its id (with
    /// [`KeySlot::LONG`] set when its tail is yet to be compared), or `none`.
    #[inline(always)]
    pub(super) fn find(&self, bytes: &[u8], start: usize, end: usize) -> u32 {
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
    pub(super) fn view(&self, none: u32) -> KeyTableView<'_> {
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
    pub(super) const SEEDS_PER_SIZE: u64 = 32;
    /// Never more than `1 << MAX_SLOT_BITS` slots.
    pub(super) const MAX_SLOT_BITS: u32 = 20;

    /// A word's hash: the length is added after the multiplication, so that words of
    /// eight or more bytes with equal heads still spread.
    #[inline]
    pub(super) fn hash(seed: u64, head: u64, len: usize) -> u64 {
        head.wrapping_mul(seed)
            .wrapping_add((len as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93))
    }

    /// What a word is hashed by: its first eight bytes with the case bit of every byte
    /// set (so equal for words equal ignoring ASCII case: one operation, where the
    /// exact fold takes a dozen), shifted up so that the bytes past its length fall
    /// out (one shift, where a mask took a comparison and a select). An empty word
    /// keeps every byte: no token is empty, and the lengths are compared besides.
    #[inline]
    pub(super) fn loose(x: u64, len: usize) -> u64 {
        let kept = len.min(8) as u32;
        (x | (crate::swar::ONES * 0x20)).wrapping_shl(64u32.wrapping_sub(8 * kept))
    }

    /// The slot where a word of `loose` head ([`KeyTable::loose`]) and `len` is, if it
    /// is in the table (as [`KeyTableView::find`] finds it).
    #[cfg(test)]
    pub(super) fn slot(&self, loose: u64, len: usize) -> usize {
        let h = Self::hash(self.seed, loose, len);
        let bucket = (h >> self.bucket_shift) as usize;
        let displace = self.displace.get(bucket).copied().unwrap_or(0) as usize;
        ((h >> self.slot_shift) as usize ^ displace) & (self.slots.len() - 1)
    }

    /// A perfect table of `words` (head, length, id), all with distinct heads and
    /// lengths; `none` fills the empty slots. `None` when no seed up to the largest
    /// size gives one (which would take words with equal hashes under every seed), or
    /// when the ids do not leave [`KeySlot::LONG`] free.
    pub(super) fn build(words: &[(u64, usize, u32)], none: u32) -> Option<Self> {
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
    pub(super) fn try_build(
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

/// The hash of [`KeyIndex::new`]'s map of key words: the bytes eight at a time, each
/// chunk mixed in by a multiplication. The words are the rule files' own (no input
/// reaches this map), so a hash that an adversary could flood is no concern.
#[derive(Default)]
pub(super) struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut eight = [0u8; 8];
            eight[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(23) ^ u64::from_le_bytes(eight))
                .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.write(&[byte]);
    }

    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }
}

impl KeyIndex {
    pub(super) fn new<'f>(families: &'f [ClaimPatterns]) -> Self {
        // Words borrowed from the patterns, in a map with a hash of a few operations per
        // eight bytes (the default SipHash and a copy of each new word cost rule loading
        // some 0.3 M instructions: most words recur across patterns).
        let mut words: Vec<&str> = Vec::new();
        let mut by_text: std::collections::HashMap<
            &str,
            usize,
            std::hash::BuildHasherDefault<WordHasher>,
        > = Default::default();
        let mut intern = |w: &'f String| {
            *by_text.entry(w.as_str()).or_insert_with(|| {
                words.push(w.as_str());
                words.len() - 1
            })
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
        let landmark_pairs = landmarks
            .iter()
            .map(|ls| ls.iter().any(|l| l.then.is_some()))
            .collect();
        KeyIndex {
            landmarks,
            landmark_pairs,
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
    pub(super) fn rows(
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
    pub(super) fn holds(w: &[u8]) -> bool {
        (1..32).contains(&w.len())
    }

    /// The id of the key word equal to `bytes[start..end]` ignoring ASCII case, or
    /// [`KeyIndex::none`]: a plain number, which the scan uses as an index into its
    /// per-word records as it is, whatever the token.
    #[inline]
    pub(super) fn lookup(&self, bytes: &[u8], start: usize, end: usize) -> u32 {
        match &self.table {
            Some(table) => self.lookup_in(table, bytes, start, end),
            None => self.lookup_by_comparison(bytes, start, end),
        }
    }

    /// [`KeyIndex::lookup`] in `table`, this index's table.
    #[inline(always)]
    pub(super) fn lookup_in(
        &self,
        table: &KeyTable,
        bytes: &[u8],
        start: usize,
        end: usize,
    ) -> u32 {
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
    pub(super) fn lookup_tail(&self, bytes: &[u8], start: usize, end: usize, mut id: u32) -> u32 {
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
    pub(super) fn lookup_by_comparison(&self, bytes: &[u8], start: usize, end: usize) -> u32 {
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
    pub(super) fn new(index: &'i KeyIndex) -> Self {
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
    ///
    /// Tried and measured worse: a set of places per word (bit `min(at, 127)` of a
    /// `u128`, noted with the occurrences), which made every window one AND, exact up to
    /// the 128th token. It took about 90 K mispredicted branches off these tests on 10 MB
    /// of varied prose, but noting the places (a clearing pass, then two halves ORed per
    /// token: one `u128` compiled to a branch) cost 11 M more instructions than it saved.
    #[inline]
    pub(super) fn landmarks_allow_of(&self, landmarks: &[IdLandmark], start: usize) -> bool {
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
                // The three tests combined with `&`, not `&&`: one branch, not a
                // mispredicted one per test.
                self.occurs.get(id).is_some_and(|o| {
                    (o.seen == self.round) & (o.last as usize >= from) & (o.first as usize <= to)
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
    pub(super) fn landmark_pairs_allow(
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
    pub(super) fn fit(&mut self, available: &[u8; SlotType::ALL.len()]) {
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
    ///
    /// Kept out of line (one call per sentence): inlined into `extract_into`, the two
    /// together ran 1.6 M more instructions on 10 MB of varied prose.
    #[inline(never)]
    pub(super) fn scan(
        &mut self,
        text: &str,
        tokens: &[Token],
        available: &[u8; SlotType::ALL.len()],
    ) {
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
                let mut keyed = [0u64; 4];
                ids.resize(tokens.len(), 0);
                for (t, slot) in tokens.iter().zip(ids.iter_mut()) {
                    let mut id = view.find(bytes, t.span.start, t.span.end);
                    if id & KeySlot::LONG != 0 {
                        id =
                            index.lookup_tail(bytes, t.span.start, t.span.end, id & !KeySlot::LONG);
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
                // Written whether or not it is kept, and kept by its length: a branch on
                // `checked` was mispredicted at about a third of the patterns.
                let (f, p) = self.index.patterns[g];
                self.enabled.push((f, p, g));
                let kept = self.enabled.len() - usize::from(!checked);
                self.enabled.truncate(kept);
            }
        }
        // The table's loop leaves the occurrences to here, and to the sentences where a
        // pattern is to be tried (the landmark tests read them): noted in that loop, each
        // token's record was read and written after its id's chain of loads, a store the
        // next token's read of the same record (most tokens share `none`'s) waited on.
        if self.groups.is_some() && !self.enabled.is_empty() {
            let round = self.round;
            for (at, &id) in self.ids.iter().enumerate() {
                if let Some(o) = self.occurs.get_mut(id as usize) {
                    o.note(at, round);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
