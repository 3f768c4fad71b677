//! The line index of a source file: where its lines start, kept sparse.
//!
//! Part of the `source` stage. The index holds the start of every [`STRIDE`]-th line; a
//! lookup starts from the nearest one and counts the line feeds after it (one vectorised
//! pass over at most [`STRIDE`] lines). A full index is 4 bytes a line, 11 MB for a
//! 100 MB file of short lines, all of it resident while the file is checked; this one is
//! 1/32 of that, and lookups are few (the findings' positions, suppressions).
//!
//! Lines are those of the text as the furniture scan reports them: a line starts after
//! every line feed (a last one too, at the end of the text), and none starts past 4 GiB
//! (later lines count as part of the one before).

/// Every `STRIDE`-th line start is kept.
pub(crate) const STRIDE: usize = 32;

/// The start of every [`STRIDE`]-th line of a text, and the number of lines.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    /// Line `k * STRIDE` (0-based) starts at byte `marks[k]`; `marks[0]` is 0.
    marks: Vec<u32>,
    /// Lines started so far, the first included.
    lines: usize,
}

impl Default for LineIndex {
    fn default() -> Self {
        LineIndex::with_capacity(0)
    }
}

impl LineIndex {
    /// An index holding only the first line, with room for a text of `len` bytes of
    /// typical lines.
    pub(crate) fn with_capacity(len: usize) -> Self {
        let mut marks = Vec::with_capacity(len / (STRIDE * 32) + 1);
        marks.push(0);
        LineIndex { marks, lines: 1 }
    }

    /// Record that the next line starts at byte `start` (after the last one recorded).
    pub(crate) fn push(&mut self, start: u32) {
        if self.lines.is_multiple_of(STRIDE) {
            self.marks.push(start);
        }
        self.lines += 1;
    }

    /// The number of line starts recorded, the first included.
    pub(crate) fn len(&self) -> usize {
        self.lines
    }

    /// The 0-based line holding byte `offset` (at most `text.len()`) of `text`, the
    /// text indexed, and the byte where that line starts.
    pub(crate) fn line_of(&self, text: &[u8], offset: usize) -> (usize, usize) {
        let k = self
            .marks
            .partition_point(|&m| m as usize <= offset)
            .saturating_sub(1);
        let mark = self.marks.get(k).map_or(0, |&m| m as usize);
        Self::forward(text, k * STRIDE, mark, mark, offset)
    }

    /// [`Self::line_of`], knowing that 0-based line `line` starts at `start` and holds
    /// byte `seen` (`start <= seen <= offset`): counts the line feeds from `seen` when
    /// `offset` lies before the next mark. A cursor passes the last offset it looked up,
    /// so that a long line is not counted again from its start for every lookup on it.
    pub(crate) fn line_from(
        &self,
        text: &[u8],
        line: usize,
        start: usize,
        seen: usize,
        offset: usize,
    ) -> (usize, usize) {
        match self.marks.get(line / STRIDE + 1) {
            Some(&next) if next as usize <= offset => self.line_of(text, offset),
            _ => Self::forward(text, line, start, seen, offset),
        }
    }

    /// The line holding `offset` and its start, counting line feeds from byte `from` of
    /// line `line`, which starts at `start` (`start <= from`; `from` at or before
    /// `offset`).
    fn forward(
        text: &[u8],
        line: usize,
        start: usize,
        from: usize,
        offset: usize,
    ) -> (usize, usize) {
        // A line feed at `p` starts a line at `p + 1`, when that is at most 4 GiB - 1: the
        // lines starting at or before `offset`.
        let limit = offset.min(text.len()).min(u32::MAX as usize);
        let Some(between) = text.get(from..limit) else {
            return (line, start);
        };
        match memchr::memrchr(b'\n', between) {
            None => (line, start),
            Some(last) => {
                let feeds = memchr::memchr_iter(b'\n', between).count();
                (line + feeds, from + last + 1)
            }
        }
    }

    /// The start of the last marked line at or before 0-based line `line` (a line
    /// that exists): a place to search back to for the start of `line`.
    pub(crate) fn mark_before(&self, line: usize) -> usize {
        self.marks.get(line / STRIDE).map_or(0, |&m| m as usize)
    }

    /// The byte where 0-based line `line` of `text` starts, if there is such a line.
    pub(crate) fn start(&self, text: &[u8], line: usize) -> Option<usize> {
        if line >= self.lines {
            return None;
        }
        let mark = *self.marks.get(line / STRIDE)? as usize;
        match line % STRIDE {
            0 => Some(mark),
            skip => memchr::memchr_iter(b'\n', text.get(mark..)?)
                .nth(skip - 1)
                .map(|p| mark + p + 1),
        }
    }
}

/// What a stretch of text holds, for a line and column lookup that moves from a known
/// place: its line feeds, where the line after the last one starts, and the characters
/// after that (from the stretch's start when it holds no line feed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Walk {
    /// Line feeds in the stretch.
    pub(crate) feeds: usize,
    /// The byte just past the last line feed, when there is one.
    pub(crate) line_start: Option<usize>,
    /// Bytes after the last line feed (or from the start) that are not UTF-8
    /// continuation bytes: the characters there, when the stretch ends on a character
    /// boundary.
    pub(crate) chars: usize,
}

/// The bits set in `x`, counted one by one: few are.
#[inline]
fn ones(mut x: u32) -> usize {
    let mut n = 0;
    while x != 0 {
        x &= x - 1;
        n += 1;
    }
    n
}

/// [`Walk`] over `text[from..to]` (`from <= to <= text.len()`), sixteen bytes at a time:
/// one pass that finds the line feeds and counts the characters, where a vectorised
/// search for each (a count of feeds, a search for the last, a count of characters)
/// cost more in calls and setting up than in reading the few dozen bytes that
/// separate one position of a finding from the next.
pub(crate) fn walk(text: &[u8], from: usize, to: usize) -> Walk {
    let mut walk = Walk {
        feeds: 0,
        line_start: None,
        chars: 0,
    };
    let mut at = from;
    while let Some(lane) = text.get(at..to).and_then(<[u8]>::first_chunk::<16>) {
        let (feeds, cont) = feeds_and_continuations(lane);
        walk.take(at, 16, feeds, cont);
        at += 16;
    }
    if at < to {
        let n = to - at;
        match text
            .get(to.wrapping_sub(16)..to)
            .and_then(<[u8]>::first_chunk::<16>)
        {
            // The sixteen bytes that end where the stretch does: its last `n` are the
            // stretch's rest, the bits above the first `16 - n`.
            Some(lane) => {
                let (feeds, cont) = feeds_and_continuations(lane);
                walk.take(at, n, feeds >> (16 - n), cont >> (16 - n));
            }
            // A text of fewer than sixteen bytes up to `to`: the rest, then zeros (neither
            // a feed nor a continuation byte).
            None => {
                let mut lane = [0u8; 16];
                if let Some(rest) = text.get(at..to) {
                    lane[..n].copy_from_slice(rest);
                }
                let (feeds, cont) = feeds_and_continuations(&lane);
                walk.take(at, n, feeds, cont);
            }
        }
    }
    walk
}

/// The line feeds and the UTF-8 continuation bytes (0x80 to 0xbf) among sixteen bytes,
/// bit `k` for byte `k`.
#[inline]
fn feeds_and_continuations(lane: &[u8; 16]) -> (u32, u32) {
    use wide::u8x16;
    let v = u8x16::new(*lane);
    let feeds = v.simd_eq(u8x16::splat(b'\n')).to_bitmask();
    // Sixteen lanes: the mask fits sixteen bits.
    let cont = u32::try_from(crate::swar::lanes_in_range(v, 0x80, 0xbf)).unwrap_or(0);
    (feeds, cont)
}

impl Walk {
    /// Count the `n` bytes from `at` (`1 <= n <= 16`), whose feeds and continuation
    /// bytes are the low `n` bits of `feeds` and `cont` (the bits above are clear).
    #[inline]
    fn take(&mut self, at: usize, n: usize, feeds: u32, cont: u32) {
        // Bits are counted only where some are set: report prose is mostly ASCII with a
        // line feed every few dozen bytes, and without the processor's population count
        // (not in the baseline x86-64 that releases are built for) a count is a dozen
        // instructions.
        if feeds == 0 {
            self.chars += n - ones(cont);
        } else {
            self.feeds += ones(feeds);
            let last = feeds.ilog2() as usize;
            self.line_start = Some(at + last + 1);
            // The bytes after the last feed, less the continuation bytes among them.
            self.chars = n - 1 - last - ones(cont >> last);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index the furniture scan builds for `text`.
    fn index(text: &str) -> LineIndex {
        let mut index = LineIndex::default();
        for p in memchr::memchr_iter(b'\n', text.as_bytes()) {
            index.push(u32::try_from(p + 1).unwrap());
        }
        index
    }

    /// Every line start, the first included, as a full index holds them.
    fn full(text: &str) -> Vec<usize> {
        std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|p| p + 1))
            .collect()
    }

    proptest::proptest! {
        /// A walk finds the feeds and counts the characters as a byte-by-byte reading
        /// does, from any byte to any later one (the text's end and block edges
        /// included).
        #[test]
        fn a_walk_counts_as_bytes_are_read(
            text in "[ab\n é€\r]{0,80}",
            from in 0usize..200,
            len in 0usize..200,
        ) {
            let bytes = text.as_bytes();
            let from = from.min(bytes.len());
            let to = (from + len).min(bytes.len());
            let stretch = &bytes[from..to];
            let last = stretch.iter().rposition(|&b| b == b'\n');
            let after = &stretch[last.map_or(0, |k| k + 1)..];
            let want = Walk {
                feeds: stretch.iter().filter(|&&b| b == b'\n').count(),
                line_start: last.map(|k| from + k + 1),
                chars: after.iter().filter(|&&b| !(0x80..0xc0).contains(&b)).count(),
            };
            proptest::prop_assert_eq!(walk(bytes, from, to), want);
        }

        /// Lookups agree with a full index of line starts, from any starting line.
        #[test]
        fn the_sparse_index_answers_as_a_full_one(
            lines in proptest::collection::vec("[ab\r]{0,3}", 0..120),
            trailing in proptest::bool::ANY,
            from in 0usize..200,
            seen in 0usize..6,
        ) {
            let mut text = lines.join("\n");
            if trailing {
                text.push('\n');
            }
            let starts = full(&text);
            let idx = index(&text);
            let bytes = text.as_bytes();
            proptest::prop_assert_eq!(idx.len(), starts.len());
            for line in 0..starts.len() + 2 {
                proptest::prop_assert_eq!(idx.start(bytes, line), starts.get(line).copied());
            }
            for offset in 0..=text.len() {
                let line = starts.partition_point(|&s| s <= offset) - 1;
                let want = (line, starts[line]);
                proptest::prop_assert_eq!(idx.line_of(bytes, offset), want);
                // From any line at or before the answer.
                let from = from.min(line);
                proptest::prop_assert_eq!(
                    idx.line_from(bytes, from, starts[from], starts[from], offset),
                    want
                );
                // And from any byte of that line known to be on it, up to `offset`.
                let line_end = starts.get(from + 1).map_or(text.len(), |&s| s - 1);
                let seen = (starts[from] + seen).min(line_end).min(offset);
                proptest::prop_assert_eq!(
                    idx.line_from(bytes, from, starts[from], seen, offset),
                    want
                );
            }
        }
    }
}
