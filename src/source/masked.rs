//! The checked text, held once: masked in place, with the bytes the masking overwrote
//! kept aside as patches.
//!
//! Part of the `source` stage. The scanners read the masked text (page furniture and
//! hidden markup overwritten by spaces); reports, suppressions and quotes read the
//! original. Both have the same length and the same line breaks, and differ only in the
//! few masked ranges, so the original is the masked text with the patches laid back over
//! it: a slice of the original is borrowed from the masked text unless it touches a
//! patch, and a search of the original looks at the masked text and, around each patch,
//! at a small rebuilt window.

use std::borrow::Cow;

use super::Span;

/// Masked ranges closer than this many bytes share one patch: a patch costs
/// `size_of::<Patch>()` bytes, so storing a short gap of unchanged bytes is cheaper.
const MERGE_GAP: usize = 16;

/// A text masked in place and the original bytes of its masked ranges.
#[derive(Debug, Clone, Default)]
pub(crate) struct MaskedText {
    /// The text with the masked ranges overwritten by spaces (line feeds kept).
    scan: String,
    /// Ranges of the text whose original bytes differ, or may differ, from `scan`:
    /// sorted, disjoint, each starting and ending on a character boundary.
    patches: Vec<Patch>,
    /// The original bytes of every patch, one after another.
    removed: String,
    /// The patches whose original bytes are not all ASCII: the only ones where the
    /// original's character boundaries and counts differ from the masked text's (an
    /// ASCII patch is one character a byte, as its blanks are), so the only ones that
    /// boundary tests and column counts, done for every finding, have to look up.
    wide: Vec<Patch>,
    /// One bit for each block of [`1 << BLOCK_SHIFT`](BLOCK_SHIFT) bytes of the text, set
    /// when a patch holds a byte of the block: most quotes lie in blocks that none
    /// touches, and are told so without searching the patches (a search of a long
    /// list whose steps each wait for memory).
    blocks: Vec<u64>,
}

/// Blocks of 4 KiB: about a page of report text, of which a few hold footnote markers.
const BLOCK_SHIFT: u32 = 12;

/// One patch: the original of `start..end` is `removed[at..at + (end - start)]`.
#[derive(Debug, Clone, Copy)]
struct Patch {
    start: usize,
    end: usize,
    at: usize,
}

impl MaskedText {
    /// Mask `ranges` of `text` in place: every byte in them but a line feed becomes a
    /// space. `ranges` are sorted and disjoint; one that is out of the text or does not
    /// start and end on character boundaries is skipped (the callers cut at line ends,
    /// ASCII digits and character boundaries, so none is).
    pub(crate) fn new(mut text: String, ranges: &[Span]) -> Self {
        let mut patches: Vec<Patch> = Vec::new();
        let mut removed = String::new();
        for range in ranges {
            // An overlap with the range before is already masked.
            let start = range.start.max(patches.last().map_or(0, |p| p.end));
            let end = range.end;
            if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                continue;
            }
            // Earlier ranges were masked, so the bytes from the last patch's end on are
            // still the original ones.
            match patches.last_mut() {
                Some(last) if start - last.end <= MERGE_GAP => {
                    removed.push_str(&text[last.end..end]);
                    last.end = end;
                }
                _ => {
                    patches.push(Patch {
                        start,
                        end,
                        at: removed.len(),
                    });
                    removed.push_str(&text[start..end]);
                }
            }
            blank(&mut text, start, end);
        }
        let wide = patches
            .iter()
            .filter(|p| !removed.as_bytes()[p.at..p.at + (p.end - p.start)].is_ascii())
            .copied()
            .collect();
        // One bit a block, for every block that holds a byte of the text or its end.
        let mut blocks = vec![0u64; (text.len() >> BLOCK_SHIFT) / 64 + 1];
        for p in &patches {
            for block in p.start >> BLOCK_SHIFT..=(p.end - 1) >> BLOCK_SHIFT {
                if let Some(word) = blocks.get_mut(block / 64) {
                    *word |= 1 << (block % 64);
                }
            }
        }
        MaskedText {
            scan: text,
            patches,
            removed,
            wide,
            blocks,
        }
    }

    /// The masked text.
    pub(crate) fn scan(&self) -> &str {
        &self.scan
    }

    /// Length in bytes (of the masked text and the original alike).
    pub(crate) fn len(&self) -> usize {
        self.scan.len()
    }

    /// True when nothing was masked: the masked text is the original.
    pub(crate) fn is_unmasked(&self) -> bool {
        self.patches.is_empty()
    }

    /// The whole original text, rebuilt.
    pub(crate) fn to_original(&self) -> String {
        self.original_bytes(0, self.len()).map_or_else(
            || self.scan.clone(),
            // Patches start and end on character boundaries of the original, so the
            // pieces are whole characters.
            |bytes| String::from_utf8(bytes).unwrap_or_else(|_| self.scan.clone()),
        )
    }

    /// The original text in `span`; empty when the span is out of the text or cuts a
    /// character of the original. Borrowed unless the span touches a masked range.
    pub(crate) fn original(&self, span: Span) -> Cow<'_, str> {
        let (start, end) = (span.start, span.end);
        if start > end || end > self.len() {
            return Cow::Borrowed("");
        }
        // Most quotes touch no patch: then the original's boundaries at both ends are the
        // masked text's, and `get` checks them, with one search of the patches in all.
        let patches = self.overlapping(start, end);
        if patches.is_empty() {
            return Cow::Borrowed(self.scan.get(start..end).unwrap_or(""));
        }
        if !self.is_char_boundary(start) || !self.is_char_boundary(end) {
            return Cow::Borrowed("");
        }
        String::from_utf8(self.patched(start, end, patches)).map_or(Cow::Borrowed(""), Cow::Owned)
    }

    /// Whether byte `offset` of the original text is on a character boundary (the end of
    /// the text is one).
    pub(crate) fn is_char_boundary(&self, offset: usize) -> bool {
        if offset > self.len() {
            return false;
        }
        match self.wide_patch_holding(offset) {
            Some(p) if offset > p.start => {
                let b = self.removed.as_bytes()[p.at + offset - p.start];
                (b as i8) >= -0x40
            }
            _ => self.scan.is_char_boundary(offset),
        }
    }

    /// The bytes of the original text in `start..end` (`start <= end <= len`) that
    /// start a character: its characters, when both ends are character boundaries.
    pub(crate) fn char_count(&self, start: usize, end: usize) -> usize {
        let scan = self.scan.as_bytes();
        let mut count = char_count(&scan[start..end]);
        // Where a patch that is not ASCII lies, count the original's bytes instead of the
        // masked ones.
        for p in overlapping(&self.wide, start, end) {
            let (a, b) = (p.start.max(start), p.end.min(end));
            let original = &self.removed.as_bytes()[p.at + a - p.start..p.at + b - p.start];
            count = count + char_count(original) - char_count(&scan[a..b]);
        }
        count
    }

    /// Whether the original text holds byte `b`, neither a space nor a line feed (the
    /// bytes masking writes): masking writes no other byte, so the masked text holds `b`
    /// only where the original does, and the masked ranges' original bytes are kept
    /// whole.
    pub(crate) fn contains_byte(&self, b: u8) -> bool {
        debug_assert!(b != b' ' && b != b'\n');
        memchr::memchr(b, self.scan.as_bytes()).is_some()
            || memchr::memchr(b, self.removed.as_bytes()).is_some()
    }

    /// The first byte at or after `from` where the original text holds `needle`.
    pub(crate) fn find(&self, needle: &str, from: usize) -> Option<usize> {
        let needle = needle.as_bytes();
        let n = needle.len();
        if from > self.len() || n > self.len() - from {
            return None;
        }
        if n == 0 {
            return Some(from);
        }
        let finder = memchr::memmem::Finder::new(needle);
        // A hit that touches a patch is found in a window of the original around it: each
        // run of patches, widened by `n - 1` bytes on both sides.
        let near_patch = self.find_near_patches(&finder, n, from);
        // Any other hit is a hit in the masked text that touches no patch.
        let limit = near_patch.map_or(self.len(), |at| (at + n - 1).min(self.len()));
        let haystack = &self.scan.as_bytes()[..limit];
        let mut at = from;
        while let Some(k) = haystack.get(at..).and_then(|h| finder.find(h)) {
            let hit = at + k;
            match self.overlapping(hit, hit + n).last() {
                None => return Some(near_patch.map_or(hit, |p| p.min(hit))),
                // Every hit starting before that patch's end touches it too.
                Some(p) => at = p.end.max(hit + 1),
            }
        }
        near_patch
    }

    /// The first hit at or after `from` in the windows of the original around the
    /// patches.
    fn find_near_patches(
        &self,
        finder: &memchr::memmem::Finder<'_>,
        n: usize,
        from: usize,
    ) -> Option<usize> {
        let first = self.patches.partition_point(|p| p.end + n - 1 <= from);
        let mut patches = self.patches[first..].iter().peekable();
        while let Some(p) = patches.next() {
            let start = p.start.saturating_sub(n - 1).max(from);
            let mut end = (p.end + n - 1).min(self.len());
            while let Some(next) = patches.peek() {
                if next.start.saturating_sub(n - 1) > end {
                    break;
                }
                end = (next.end + n - 1).min(self.len());
                patches.next();
            }
            let window = self
                .original_bytes(start, end)
                .unwrap_or_else(|| self.scan.as_bytes()[start..end].to_vec());
            if let Some(k) = finder.find(&window) {
                return Some(start + k);
            }
        }
        None
    }

    /// The original bytes `start..end` (in the text, any byte offsets), or `None` when no
    /// patch touches them, so that they are the masked text's.
    fn original_bytes(&self, start: usize, end: usize) -> Option<Vec<u8>> {
        let patches = self.overlapping(start, end);
        (!patches.is_empty()).then(|| self.patched(start, end, patches))
    }

    /// The masked bytes `start..end` with `patches` (those overlapping them) laid back.
    fn patched(&self, start: usize, end: usize, patches: &[Patch]) -> Vec<u8> {
        let mut bytes = self.scan.as_bytes()[start..end].to_vec();
        for p in patches {
            let (a, b) = (p.start.max(start), p.end.min(end));
            bytes[a - start..b - start]
                .copy_from_slice(&self.removed.as_bytes()[p.at + a - p.start..p.at + b - p.start]);
        }
        bytes
    }

    /// The patches that share a byte with `start..end`.
    fn overlapping(&self, start: usize, end: usize) -> &[Patch] {
        if self.untouched(start, end) {
            return &[];
        }
        overlapping(&self.patches, start, end)
    }

    /// Whether no patch holds a byte of `start..end`, nor byte `start` itself (which a
    /// patch that [`overlapping`] gives for an empty range holds), as the blocks tell; a
    /// range over many blocks is not tested (false).
    fn untouched(&self, start: usize, end: usize) -> bool {
        let (first, last) = (
            start >> BLOCK_SHIFT,
            (end.max(start.saturating_add(1)) - 1) >> BLOCK_SHIFT,
        );
        last - first < 64
            && (first..=last).all(|block| {
                self.blocks
                    .get(block / 64)
                    .is_some_and(|word| word >> (block % 64) & 1 == 0)
            })
    }

    /// The widest stretch `lo..=hi` around byte `offset` in which the original's
    /// character boundaries and counts are the masked text's: from the end of the last
    /// patch that is not ASCII before `offset` to the start of the next; `None` when
    /// `offset` lies inside such a patch. (An ASCII patch is one character a byte in the
    /// original, as its blanks are.)
    pub(crate) fn plain_around(&self, offset: usize) -> Option<(usize, usize)> {
        let i = self.wide.partition_point(|p| p.end <= offset);
        let lo = i
            .checked_sub(1)
            .and_then(|k| self.wide.get(k))
            .map_or(0, |p| p.end);
        match self.wide.get(i) {
            Some(p) if p.start < offset => None,
            Some(p) => Some((lo, p.start)),
            None => Some((lo, self.len())),
        }
    }

    /// The patch that is not ASCII whose range holds byte `offset`, if any.
    fn wide_patch_holding(&self, offset: usize) -> Option<&Patch> {
        let i = self.wide.partition_point(|p| p.end <= offset);
        self.wide
            .get(i)
            .filter(|p| p.start <= offset && offset < p.end)
    }
}

/// The patches of `patches` (sorted, disjoint) that share a byte with `start..end`.
fn overlapping(patches: &[Patch], start: usize, end: usize) -> &[Patch] {
    let first = patches.partition_point(|p| p.end <= start);
    // The patches after `first` that start before `end` are few (a span is short next to
    // the text): walk them rather than search the rest of the list again.
    let last = first
        + patches[first..]
            .iter()
            .take_while(|p| p.start < end)
            .count();
    &patches[first..last]
}

/// Overwrite `start..end` of `text` (character boundaries) with spaces, line feeds kept.
fn blank(text: &mut String, start: usize, end: usize) {
    const SPACES: &str = "                                                                ";
    let mut at = start;
    while at < end {
        let line_end = memchr::memchr(b'\n', &text.as_bytes()[at..end]).map_or(end, |k| at + k);
        while at < line_end {
            // Whole characters only: a cut inside one would panic in `replace_range`.
            let mut cut = (at + SPACES.len()).min(line_end);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            // Same length in and out, so nothing after the range moves.
            text.replace_range(at..cut, &SPACES[..cut - at]);
            at = cut;
        }
        at = line_end + 1;
    }
}

/// The number of characters in UTF-8 `bytes` that start at a character boundary and end
/// at one: the bytes that are not continuation bytes.
pub(super) fn char_count(bytes: &[u8]) -> usize {
    // Most text between a line start and a finding is ASCII, one character a byte, and
    // `is_ascii` tests a word at a time.
    if bytes.is_ascii() {
        return bytes.len();
    }
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str, ranges: &[(usize, usize)]) -> MaskedText {
        let ranges: Vec<Span> = ranges.iter().map(|&(a, b)| Span::new(a, b)).collect();
        MaskedText::new(text.to_owned(), &ranges)
    }

    #[test]
    fn masking_keeps_line_feeds_and_length() {
        let m = masked("ab çé\r\ncd\nef", &[(1, 9), (10, 11)]);
        assert_eq!(m.scan(), "a       \nc \nef");
        assert_eq!(m.to_original(), "ab çé\r\ncd\nef");
    }

    #[test]
    fn slices_of_the_original_borrow_unless_they_touch_a_patch() {
        let text = "one 2 three, and then a long run of words, 4 five";
        let (two, four) = (text.find('2').unwrap(), text.find('4').unwrap());
        let m = masked(text, &[(two, two + 1), (four, four + 1)]);
        assert_eq!(m.scan(), text.replace(['2', '4'], " "));
        assert!(matches!(
            m.original(Span::new(6, 11)),
            Cow::Borrowed("three")
        ));
        assert!(matches!(m.original(Span::new(0, 7)), Cow::Owned(_)));
        assert_eq!(m.original(Span::new(0, 7)), "one 2 t");
        assert_eq!(m.original(Span::new(two, four + 1)), &text[two..four + 1]);
        assert_eq!(m.original(Span::new(9, 400)), "");
    }

    #[test]
    fn boundaries_and_columns_are_the_original_ones() {
        // "é" is masked: two spaces in the scan text, one character in the original.
        let m = masked("aé b", &[(1, 3)]);
        assert!(m.scan().is_char_boundary(2));
        assert!(!m.is_char_boundary(2));
        assert_eq!(m.original(Span::new(0, 2)), "");
        assert_eq!(m.char_count(0, 5), 4);
        assert_eq!(m.char_count(0, 3), 2);
    }

    #[test]
    fn search_finds_the_original_across_patch_edges() {
        // A comment half in a masked range, one wholly in it, one outside.
        let text = "x <!-- a --> y <!-- b --> z <!-- c -->";
        let m = masked(text, &[(4, 9), (15, 25)]);
        let hits: Vec<usize> =
            std::iter::successors(m.find("<!--", 0), |&at| m.find("<!--", at + 1)).collect();
        assert_eq!(hits, vec![2, 15, 28]);
        assert_eq!(m.find("-->", 13), Some(22));
        // Spaces in the needle never match the blanks of the masked text.
        assert_eq!(m.find("x  ", 0), None);
        assert_eq!(m.find("", 38), Some(38));
        assert_eq!(m.find("c", 39), None);
    }

    #[test]
    fn near_ranges_share_a_patch() {
        let m = masked("1 2 3 4 5 6", &[(0, 1), (2, 3), (4, 5)]);
        assert_eq!(m.patches.len(), 1);
        assert_eq!(m.scan(), "      4 5 6");
        assert_eq!(m.original(Span::new(1, 2)), " ");
        assert_eq!(m.to_original(), "1 2 3 4 5 6");
    }

    proptest::proptest! {
        /// Over a text of many blocks, with patches in some of them only, every quote
        /// is the original's: those in blocks that no patch touches and those that
        /// reach one, at block edges included.
        #[test]
        fn quotes_across_blocks_are_the_originals(
            pieces in proptest::collection::vec("[a-c é\n]{0,400}", 1..60),
            ranges in proptest::collection::vec((0usize..20_000, 1usize..30), 0..12),
            spans in proptest::collection::vec((0usize..20_000, 0usize..300), 1..60),
        ) {
            let text = pieces.concat();
            let mut ranges: Vec<Span> = ranges
                .into_iter()
                .map(|(a, n)| {
                    // Across a block edge half the time.
                    let a = if a % 2 == 0 { (a >> BLOCK_SHIFT << BLOCK_SHIFT).saturating_sub(n / 2) } else { a };
                    let mut a = a.min(text.len());
                    while !text.is_char_boundary(a) { a -= 1; }
                    let mut b = (a + n).min(text.len());
                    while !text.is_char_boundary(b) { b -= 1; }
                    Span::new(a, b)
                })
                .collect();
            ranges.sort_unstable();
            let m = MaskedText::new(text.clone(), &ranges);
            for (a, n) in spans {
                // Near block edges half the time.
                let a = if n % 2 == 0 { (a >> BLOCK_SHIFT << BLOCK_SHIFT).saturating_sub(n % 7) } else { a };
                let b = a + n;
                let want = text.get(a..b).unwrap_or("");
                let got = m.original(Span::new(a, b));
                proptest::prop_assert_eq!(got.as_ref(), want, "{}..{}", a, b);
            }
        }

        #[test]
        fn the_original_comes_back_whole_and_in_pieces(
            text in "[a-c é\n<!->]{0,60}",
            cuts in proptest::collection::vec(0usize..80, 0..10),
            needle in "[a-c <!->]{1,4}",
        ) {
            // Ranges from the cuts, moved to character boundaries, sorted, disjoint.
            let mut cuts: Vec<usize> = cuts
                .into_iter()
                .map(|c| {
                    let mut c = c.min(text.len());
                    while !text.is_char_boundary(c) { c -= 1; }
                    c
                })
                .collect();
            cuts.sort_unstable();
            let ranges: Vec<Span> = cuts.chunks(2).filter(|c| c.len() == 2)
                .map(|c| Span::new(c[0], c[1])).collect();
            let m = MaskedText::new(text.clone(), &ranges);
            proptest::prop_assert_eq!(m.scan().len(), text.len());
            proptest::prop_assert_eq!(&m.to_original(), &text);
            for b in [b'<', b'!', b'a'] {
                proptest::prop_assert_eq!(m.contains_byte(b), text.as_bytes().contains(&b));
            }
            for a in 0..=text.len() {
                proptest::prop_assert_eq!(m.is_char_boundary(a), text.is_char_boundary(a));
                for b in a..=text.len() {
                    let want = text.get(a..b).unwrap_or("");
                    let got = m.original(Span::new(a, b));
                    proptest::prop_assert_eq!(got.as_ref(), want);
                    if text.is_char_boundary(a) && text.is_char_boundary(b) {
                        proptest::prop_assert_eq!(m.char_count(a, b), want.chars().count());
                    }
                }
                let want = text.as_bytes()[a..].windows(needle.len())
                    .position(|w| w == needle.as_bytes()).map(|k| a + k);
                proptest::prop_assert_eq!(m.find(&needle, a), want);
            }
        }
    }
}
