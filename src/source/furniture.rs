//! Page furniture: the parts of PDF-extracted text that are not prose.
//!
//! Masked (overwritten with spaces, byte for byte) so later stages never read them as
//! figures, while every offset still points into the original file. What is masked:
//!
//! - a UTF-8 byte-order mark at the start;
//! - lines that hold only a document symbol (`CEDAW/C/KAZ/6`) or a job number and page
//!   (`24-18883 6/50`, `6/50 24-18883`, `24-18883`);
//! - footnote blocks: a rule of underscores and the footnote lines after it, up to the
//!   first line that looks like body text again;
//! - footnote markers glued to the word or punctuation they follow (`2020).1`,
//!   `women.3`, `research,2`, `Code3`).
//!
//! Hyphenation splits left by PDF extraction ("well -trained", "seventy -seventh") are
//! NOT touched here: joining them would need bytes to move, and blanking the hyphen would
//! not help either, so the figure tokenizer deals with them.
//!
//! The scan is a single pass with hand-written byte checks: no regex, since this runs on
//! every file before anything else. It stops only at line feeds and at digits that could
//! start a footnote marker, which a few vector comparisons per 16 bytes find together
//! (the `wide` crate: SSE2 on x86-64, NEON on AArch64, plain code elsewhere). It only
//! finds the ranges; the source file masks them in place (see `super::masked`).

use super::Span;

/// Return a copy of `text` of the same byte length with page furniture replaced by spaces.
///
/// Line breaks (`\n`, and `\r` before it) are kept, so line numbers in the masked copy
/// are line numbers in the original, and every masked character has all of its bytes
/// replaced, so the result is still valid UTF-8.
pub fn mask_furniture(text: &str) -> String {
    let ranges = find_furniture(text, &mut super::LineIndex::default());
    super::masked::MaskedText::new(text.to_owned(), &ranges)
        .scan()
        .to_owned()
}

/// The byte ranges of page furniture in `text`, sorted and disjoint, none holding a line
/// break; also records in `line_starts` the byte after every `\n` (those below 4 GiB):
/// the search walks the lines anyway, so the line index costs no second pass.
///
/// Every range starts and ends at a line end, an ASCII digit or the BOM's end, so on
/// character boundaries: masking it replaces whole characters.
pub(crate) fn find_furniture(text: &str, line_starts: &mut super::LineIndex) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Ranges::default();
    // The BOM is blanked up front and skipped by the first line's checks, which then see
    // what they would see after the blanking: leading spaces.
    let mut start = 0;
    if text.starts_with('\u{FEFF}') {
        out.blank(0, 3);
        start = 3;
    }

    let mut in_footnotes = false;
    // The pass stops only at line feeds and digits (those that may start a marker), found
    // 64 bytes at a time: a line costs its feed and the test of its first bytes, a digit
    // run the marker test, and the prose between them a few vector comparisons per 16
    // bytes. (A `memchr` call per line for its end, and a digit search of its own, each
    // walked the text apart.)
    let mut stops = Stops::new(bytes, start);
    // A local index, handed back at the end, so its line count stays in a register.
    let mut index = std::mem::take(line_starts);
    // `start` is where the current line starts.
    loop {
        // Outside a footnote block, only a line whose first bytes could open furniture
        // is looked at whole; most prose lines, " The report", go no further.
        let look = if in_footnotes {
            start < bytes.len()
        } else {
            may_open_furniture(bytes, start)
        };
        if look {
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
            // A `\r` before the `\n` is line structure too; leave it alone.
            let content_end = if end > start && bytes[end - 1] == b'\r' {
                end - 1
            } else {
                end
            };
            let masked;
            (masked, in_footnotes) = furniture_line(&bytes[start..content_end], in_footnotes);
            if masked {
                out.blank(start, content_end);
                // Its digits are masked with it: the next stop is its line feed.
                stops.skip_to(end);
            }
        }
        // The digit runs up to the line's feed, then the feed.
        let feed = loop {
            let Some(at) = stops.next() else {
                break None;
            };
            if bytes.get(at) == Some(&b'\n') {
                break Some(at);
            }
            let run_end = mask_marker(text, &mut out, at);
            stops.skip_to(run_end);
        };
        let Some(feed) = feed else {
            break;
        };
        stops.pass_first();
        start = feed + 1;
        if let Ok(next) = u32::try_from(start) {
            index.push(next);
        }
    }
    *line_starts = index;
    out.ranges
}

/// Whether the line starting at byte `start` of `bytes` could be page furniture or a
/// footnote rule, from its first bytes: its first non-blank byte is an underscore (a
/// footnote rule), a digit (job and page numbers) or a capital followed by a capital, a
/// digit or a slash (a document symbol).
///
/// Asked of every line. Prose lines start in three ways about equally often and at
/// random (a line feed: an empty line; a small letter; a space, then a capital), so a
/// test that branched on the first byte's class mispredicted about one line in five
/// (62,000 times on 10 MB of varied prose). Here the first three bytes are classed from
/// a table and combined with bit operations: the one branch left (two blanks first, to
/// the loop) is rarely taken, and the answer (no, for 98 lines in 100) predicts well.
#[inline]
fn may_open_furniture(bytes: &[u8], start: usize) -> bool {
    let Some(&[b0, b1, b2]) = bytes.get(start..).and_then(<[u8]>::first_chunk::<3>) else {
        return may_open_furniture_loop(bytes, start);
    };
    let (c0, c1, c2) = (
        LEAD[usize::from(b0)],
        LEAD[usize::from(b1)],
        LEAD[usize::from(b2)],
    );
    if c0 & c1 & BLANK != 0 {
        return may_open_furniture_loop(bytes, start);
    }
    // One blank first: the next two bytes decide, else the first two (a choice the
    // compiler makes with conditional moves, not a branch).
    let (lead, next) = if c0 & BLANK != 0 { (c1, c2) } else { (c0, c1) };
    (lead & OPENS | lead & CAPITAL & next >> 1) != 0
}

/// [`may_open_furniture`] one byte at a time, past any number of blanks: for lines that
/// start with two blanks or more, and the text's last bytes.
#[inline(never)]
fn may_open_furniture_loop(bytes: &[u8], start: usize) -> bool {
    let mut k = start;
    loop {
        let Some(&b) = bytes.get(k) else {
            return false;
        };
        let class = LEAD[usize::from(b)];
        if class & BLANK != 0 {
            k += 1;
            continue;
        }
        if class & OPENS != 0 {
            return true;
        }
        let next = bytes.get(k + 1).map_or(0, |&b| LEAD[usize::from(b)]);
        return class & CAPITAL != 0 && next & FOLLOWS_CAPITAL != 0;
    }
}

/// [`LEAD`] bit: an underscore (a footnote rule) or a digit (job and page numbers).
const OPENS: u8 = 1;
/// [`LEAD`] bit: a capital, a document symbol when [`FOLLOWS_CAPITAL`] comes next.
const CAPITAL: u8 = 2;
/// [`LEAD`] bit: a capital, a digit or a slash, which after a capital may be a symbol.
/// (One place above [`CAPITAL`], so that `lead & CAPITAL & next >> 1` tests both.)
const FOLLOWS_CAPITAL: u8 = 4;
/// [`LEAD`] bit: a blank a line can start with: ASCII whitespace but the line feed,
/// which ends the line (a `\r` before it is no lead either). The next byte decides.
const BLANK: u8 = 8;

/// What each byte says at the start of a line, as bits ([`OPENS`], [`CAPITAL`],
/// [`FOLLOWS_CAPITAL`], [`BLANK`]); no bit for the rest (prose, a line feed).
static LEAD: [u8; 256] = {
    let mut table = [0; 256];
    table[b' ' as usize] = BLANK;
    table[b'\t' as usize] = BLANK;
    table[b'\r' as usize] = BLANK;
    table[0x0C] = BLANK;
    table[b'_' as usize] = OPENS;
    table[b'/' as usize] = FOLLOWS_CAPITAL;
    let mut b = b'0';
    while b <= b'9' {
        table[b as usize] = OPENS | FOLLOWS_CAPITAL;
        b += 1;
    }
    let mut b = b'A';
    while b <= b'Z' {
        table[b as usize] = CAPITAL | FOLLOWS_CAPITAL;
        b += 1;
    }
    table
};

/// [`may_open_furniture`] by its definition, a byte at a time with no table: the oracle.
#[cfg(test)]
fn may_open_furniture_reference(bytes: &[u8], start: usize) -> bool {
    let rest = bytes.get(start..).unwrap_or_default();
    let k = rest
        .iter()
        .take_while(|&&b| matches!(b, b' ' | b'\t' | b'\r' | 0x0C))
        .count();
    match rest.get(k) {
        Some(b'_' | b'0'..=b'9') => true,
        Some(b'A'..=b'Z') => matches!(rest.get(k + 1), Some(b'A'..=b'Z' | b'0'..=b'9' | b'/')),
        _ => false,
    }
}

/// The line feeds and the ASCII digits that may start a footnote marker (see
/// [`stops_in_block`]) of a text in order, found 64 bytes at a time.
struct Stops<'a> {
    bytes: &'a [u8],
    /// The start of the 64 bytes that `pending` describes.
    base: usize,
    /// Bit `k` is set when byte `base + k` is a stop not passed yet.
    pending: u64,
    /// The [`Block::carry`] of the 64 bytes at `base`, for the 64 bytes after them.
    carry: u64,
}

impl<'a> Stops<'a> {
    /// The stops of `bytes` at or after `from`.
    fn new(bytes: &'a [u8], from: usize) -> Self {
        let block = stops_in_block(bytes, from, carry_before(bytes, from));
        Stops {
            bytes,
            base: from,
            pending: block.stops,
            carry: block.carry,
        }
    }

    /// The first stop not passed yet, if any.
    ///
    /// Whether the next stop lies in the same 64 bytes goes as the line lengths do: the
    /// loop's test was the pass's most mispredicted branch in simulation (132k on 10 MB
    /// of varied prose). Passing the line feeds before quiet lines (a small letter or
    /// a line feed first, or a capital before one, after any one blank) a block at a
    /// time, from two more byte classes a lane, took the pass's simulated mispredicts
    /// from 195k to 38k for 1.5 M more instructions, but was no faster on the wall
    /// clock (100 MB: 469 -> 471 ms): the real predictor learns most of this branch.
    /// Dropped.
    #[inline]
    fn next(&mut self) -> Option<usize> {
        loop {
            if let Some(pending) = std::num::NonZeroU64::new(self.pending) {
                return Some(self.base + pending.trailing_zeros() as usize);
            }
            self.base += 64;
            if self.base >= self.bytes.len() {
                return None;
            }
            self.set_block(stops_in_block(self.bytes, self.base, self.carry));
        }
    }

    /// Pass the stop [`Self::next`] gave.
    #[inline]
    fn pass_first(&mut self) {
        self.pending &= self.pending.wrapping_sub(1);
    }

    /// Pass every stop before `pos` (at or after the last position passed to).
    #[inline]
    fn skip_to(&mut self, pos: usize) {
        let offset = pos - self.base;
        if offset < 64 {
            self.pending &= u64::MAX << offset;
        } else {
            self.base = pos;
            self.set_block(stops_in_block(
                self.bytes,
                pos,
                carry_before(self.bytes, pos),
            ));
        }
    }

    /// Take `block` as the 64 bytes at `base`.
    #[inline]
    fn set_block(&mut self, block: Block) {
        (self.pending, self.carry) = (block.stops, block.carry);
    }
}

/// What [`stops_in_block`] finds in 64 bytes.
struct Block {
    /// The stops, bit `k` for byte `k`.
    stops: u64,
    /// What the block's last bytes say about a digit after them, as [`carry_before`]
    /// says it.
    carry: u64,
}

/// The stops among the 64 bytes of `bytes` from `at`, bit `k` for byte `at + k` (bytes
/// past the end are none): the line feeds, and the ASCII digits that follow neither a
/// space, a line feed, an opening bracket, another digit, nor a full stop or comma
/// after a digit.
///
/// A digit stop is only there to test a footnote marker, which starts a digit run right
/// after a closing bracket or quote, a comma, full stop or semicolon after a letter or
/// closing quote, or a lower-case letter ([`is_marker_position`]). Most figures in prose
/// follow a space ("from 1 January 2023"), the digits after a run's first follow a digit,
/// and a decimal's or a thousands group's follow a point or comma after a digit ("1.5",
/// "1,019"): a stop at each was a turn of the loop, often a mispredicted one, to learn
/// that it was no marker. (Without the last rule the pass stopped at 32,800 digits on
/// 10 MB of varied prose, 27,000 of them after a point or comma; with it, at 5,500.)
///
/// `carry` describes the bytes before `at` ([`carry_before`]).
#[inline]
fn stops_in_block(bytes: &[u8], at: usize, carry: u64) -> Block {
    let block = match bytes.get(at..).and_then(|rest| rest.first_chunk::<64>()) {
        Some(block) => *block,
        None => {
            let mut padded = [0u8; 64];
            if let Some(tail) = bytes.get(at..) {
                padded[..tail.len()].copy_from_slice(tail);
            }
            padded
        }
    };
    let (lanes, _) = block.as_chunks::<16>();
    let (mut feeds, mut digits, mut breaks, mut points) = (0, 0, 0, 0);
    for (k, lane) in lanes.iter().enumerate() {
        let (f, d, b, p) = classes_in_lane(*lane);
        let shift = 16 * k;
        feeds |= f << shift;
        digits |= d << shift;
        breaks |= b << shift;
        points |= p << shift;
    }
    // Bit `k`: byte `at + k - 1` is a digit.
    let digits_before = digits << 1 | carry >> 1 & 1;
    // Bit `k`: no marker starts after byte `at + k`.
    let no_marker = feeds | breaks | digits | points & digits_before;
    Block {
        stops: feeds | (digits & !(no_marker << 1 | carry & 1)),
        carry: no_marker >> 63 | digits >> 63 << 1,
    }
}

/// What the bytes before byte `at` of `bytes` say about a digit at `at`, for
/// [`stops_in_block`]: bit 0 set when no marker starts after byte `at - 1`, bit 1 when
/// it is a digit (both clear at the text's start). Read from a table for the two bytes
/// before `at`, where a chain of byte tests branched as the text went; a block that
/// follows the one before takes it from that one's [`Block::carry`] instead.
fn carry_before(bytes: &[u8], at: usize) -> u64 {
    let class_at = |k: Option<usize>| {
        k.and_then(|k| bytes.get(k))
            .map_or(0, |&b| u64::from(BEFORE_DIGIT[usize::from(b)]))
    };
    let (before, before2) = (class_at(at.checked_sub(1)), class_at(at.checked_sub(2)));
    let is = |class: u64, bit: u64| u64::from(class & bit != 0);
    let no_marker = is(before, NO_MARKER) | is(before, POINT) & is(before2, DIGIT);
    no_marker | is(before, DIGIT) << 1
}

/// [`BEFORE_DIGIT`] bit: a space, a line feed, an opening bracket or a digit, after which
/// a digit never starts a footnote marker.
const NO_MARKER: u64 = 1;
/// [`BEFORE_DIGIT`] bit: an ASCII digit.
const DIGIT: u64 = 2;
/// [`BEFORE_DIGIT`] bit: a full stop or comma, no place for a marker after a digit.
const POINT: u64 = 4;

/// What each byte says about a digit after it, for the two bytes before a block of
/// [`stops_in_block`]: [`NO_MARKER`], [`DIGIT`], [`POINT`].
static BEFORE_DIGIT: [u8; 256] = {
    let mut table = [0; 256];
    table[b' ' as usize] = NO_MARKER as u8;
    table[b'\n' as usize] = NO_MARKER as u8;
    table[b'(' as usize] = NO_MARKER as u8;
    table[b'.' as usize] = POINT as u8;
    table[b',' as usize] = POINT as u8;
    let mut b = b'0';
    while b <= b'9' {
        table[b as usize] = (NO_MARKER | DIGIT) as u8;
        b += 1;
    }
    table
};

/// The line feeds, the ASCII digits, the spaces and opening brackets, and the full stops
/// and commas of 16 bytes, bit `k` for byte `k`: one vector comparison each (`.` and `,`
/// differ only in bit 1), and one range test for digits
/// ([`crate::swar::lanes_in_range`]).
#[inline]
fn classes_in_lane(lane: [u8; 16]) -> (u64, u64, u64, u64) {
    use wide::u8x16;
    let v = u8x16::new(lane);
    let feeds = u64::from(v.simd_eq(u8x16::splat(b'\n')).to_bitmask());
    let breaks = v.simd_eq(u8x16::splat(b' ')) | v.simd_eq(u8x16::splat(b'('));
    let digits = crate::swar::lanes_in_range(v, b'0', b'9');
    let points = (v | u8x16::splat(b'.' ^ b',')).simd_eq(u8x16::splat(b'.'));
    (
        feeds,
        digits,
        u64::from(breaks.to_bitmask()),
        u64::from(points.to_bitmask()),
    )
}

/// Whether `line` is masked as page furniture or as part of a footnote block, given
/// whether the lines before it left one open; and whether one is open after it.
#[inline(never)]
fn furniture_line(line: &[u8], in_footnotes: bool) -> (bool, bool) {
    if in_footnotes {
        if is_blank(line) || is_footnote_entry(line) || !starts_with_space(line) {
            (true, true)
        } else {
            // Body text resumes: an indented line that is not a footnote entry.
            (is_page_furniture(line), false)
        }
    } else if is_footnote_rule(line) {
        (true, true)
    } else {
        (is_page_furniture(line), false)
    }
}

/// The page-furniture search as it was before the stops (line feeds and digits) were
/// found together: one `memchr` per line for its end, and the digits found apart. Kept
/// to test [`find_furniture`] against.
#[cfg(test)]
fn find_furniture_reference(text: &str, line_starts: &mut Vec<u32>) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Ranges::default();
    // The BOM is blanked up front and skipped by the first line's checks, which then see
    // what they would see after the blanking: leading spaces.
    let mut start = 0;
    if text.starts_with('\u{FEFF}') {
        out.blank(0, 3);
        start = 3;
    }

    let mut in_footnotes = false;
    // The first digit at or after the current line, found once for all lines: most lines
    // hold none, and scanning the text once beats scanning each line's tail.
    let mut next_digit = 0;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        // A `\r` before the `\n` is line structure too; leave it alone.
        let content_end = if end > start && bytes[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        let line = &bytes[start..content_end];

        let mask_line = if in_footnotes {
            if is_blank(line) || is_footnote_entry(line) || !starts_with_space(line) {
                true
            } else {
                // Body text resumes: an indented line that is not a footnote entry.
                in_footnotes = false;
                is_page_furniture(line)
            }
        } else if is_footnote_rule(line) {
            in_footnotes = true;
            true
        } else {
            is_page_furniture(line)
        };

        if mask_line {
            out.blank(start, content_end);
        } else {
            if next_digit < start {
                next_digit = crate::figures::next_digit(bytes, start);
            }
            if next_digit < content_end {
                mask_markers_reference(text, &mut out, next_digit, content_end);
            }
        }
        if end < bytes.len()
            && let Ok(next) = u32::try_from(end + 1)
        {
            line_starts.push(next);
        }
        start = end + 1;
    }
    out.ranges
}

/// The ranges to blank, in order.
#[derive(Default)]
struct Ranges {
    ranges: Vec<Span>,
}

impl Ranges {
    /// Blank `start..end` (at or after everything blanked so far); a range touching the
    /// one before extends it.
    fn blank(&mut self, start: usize, end: usize) {
        if end <= start {
            return;
        }
        match self.ranges.last_mut() {
            Some(last) if start < last.end => {}
            Some(last) if start == last.end => last.end = end,
            _ => self.ranges.push(Span::new(start, end)),
        }
    }
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

fn starts_with_space(line: &[u8]) -> bool {
    matches!(line.first(), Some(b' ' | b'\t'))
}

/// `__________________`: five or more underscores, alone on the line.
fn is_footnote_rule(line: &[u8]) -> bool {
    // Most lines are prose: reject on the first non-blank byte before trimming the end.
    if line.trim_ascii_start().first() != Some(&b'_') {
        return false;
    }
    let t = line.trim_ascii();
    t.len() >= 5 && t.iter().all(|&b| b == b'_')
}

/// ` 2 Kazakhstan Institute ...`: optional indent, a footnote number, then a space.
fn is_footnote_entry(line: &[u8]) -> bool {
    let rest = line.trim_ascii_start();
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && matches!(rest.get(digits), None | Some(b' ' | b'\t'))
}

/// A line holding only a document symbol, or only job numbers and page numbers.
fn is_page_furniture(line: &[u8]) -> bool {
    let t = line.trim_ascii_start();
    // Symbols start with a capital, job and page numbers with a digit: most prose lines
    // are rejected here, before the end is trimmed.
    if !t
        .first()
        .is_some_and(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return false;
    }
    let t = t.trim_ascii_end();
    if is_document_symbol(t) {
        return true;
    }
    // Job numbers and page numbers start with a digit, and so must the first token.
    if !t[0].is_ascii_digit() {
        return false;
    }
    let mut saw_job = false;
    for token in t
        .split(|b| b.is_ascii_whitespace())
        .filter(|t| !t.is_empty())
    {
        if is_job_number(token) {
            saw_job = true;
        } else if !is_page_number(token) {
            return false;
        }
    }
    // A bare "6/50" could be prose; a job number next to it makes it a page footer.
    saw_job
}

/// `CEDAW/C/KAZ/6`, `A/78/38`: uppercase letters and digits in three or more parts,
/// the first starting with a letter.
fn is_document_symbol(t: &[u8]) -> bool {
    if !t.first().is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    // One pass that stops at the first byte a symbol cannot hold: a prose line that
    // starts with a capital is rejected at its second or third byte, not after a search
    // of the whole line for a slash.
    let (mut parts, mut part_len) = (1, 0);
    for &b in t {
        if b == b'/' {
            if part_len == 0 {
                return false;
            }
            parts += 1;
            part_len = 0;
        } else if b.is_ascii_uppercase() || b.is_ascii_digit() {
            part_len += 1;
        } else {
            return false;
        }
    }
    part_len > 0 && parts >= 3
}

/// `24-18883`: two digits, a hyphen, five digits.
fn is_job_number(token: &[u8]) -> bool {
    token.len() == 8
        && token[2] == b'-'
        && token[..2].iter().all(u8::is_ascii_digit)
        && token[3..].iter().all(u8::is_ascii_digit)
}

/// `6/50`: page N of M.
fn is_page_number(token: &[u8]) -> bool {
    let Some(slash) = token.iter().position(|&b| b == b'/') else {
        return false;
    };
    let (n, m) = (&token[..slash], &token[slash + 1..]);
    !n.is_empty()
        && !m.is_empty()
        && n.len() <= 4
        && m.len() <= 4
        && n.iter().all(u8::is_ascii_digit)
        && m.iter().all(u8::is_ascii_digit)
}

/// Blank the digit run at `i` of `text` if it is a footnote marker; returns the run's
/// end. The run stops at the line's end, a byte that is no digit.
fn mask_marker(text: &str, out: &mut Ranges, i: usize) -> usize {
    let bytes = text.as_bytes();
    let run_end = i + digits_from(bytes, i);
    // Markers end the token: "2020).1" at the end of a line, "research,2 89.6".
    let ends_token = run_end == bytes.len() || bytes[run_end].is_ascii_whitespace();
    if run_end - i <= 3 && ends_token && is_marker_position(&text[..i]) {
        out.blank(i, run_end);
    }
    run_end
}

/// How many ASCII digits `bytes` holds from `at` on, eight bytes at a time: the pass
/// meets a digit run at every figure, and a byte loop over a year cost five steps.
fn digits_from(bytes: &[u8], at: usize) -> usize {
    use crate::swar::{HIGH, ascii_in_range, load8};
    let mut n = 0;
    loop {
        let digits = ascii_in_range(load8(bytes, at + n), b'0', b'9');
        let run = ((!digits & HIGH).trailing_zeros() / 8) as usize;
        n += run;
        if run < 8 {
            return n;
        }
    }
}

/// The footnote markers of one line, as [`find_furniture`] found them before its digit
/// search went on from line to line: the oracle of [`find_furniture_reference`].
#[cfg(test)]
fn mask_markers_reference(text: &str, out: &mut Ranges, start: usize, end: usize) {
    let bytes = text.as_bytes();
    let mut i = start;
    loop {
        i = crate::figures::next_digit(&bytes[..end], i);
        if i >= end {
            break;
        }
        let run_end = i + bytes[i..end]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let ends_token = run_end == bytes.len() || bytes[run_end].is_ascii_whitespace();
        if run_end - i <= 3 && ends_token && is_marker_position(&text[..i]) {
            out.blank(i, run_end);
        }
        i = run_end;
    }
}

/// Whether digits starting right after `before` sit where a footnote marker goes.
fn is_marker_position(before: &str) -> bool {
    let mut rev = before.chars().rev();
    let Some(c) = rev.next() else {
        return false;
    };
    match c {
        // A closing bracket or quote never takes a figure straight after it.
        ')' | '”' | '"' | '’' => true,
        // "women.3", "research,2", "2020).1"; but "3.5" and "1,019" have a digit first.
        '.' | ',' | ';' => rev
            .next()
            .is_some_and(|b| b.is_alphabetic() || matches!(b, ')' | '”' | '"' | '’')),
        c if c.is_lowercase() => is_marker_after_word(before),
        _ => false,
    }
}

/// "Code3 ", "tonnes2 ": digits glued to a word. Units ("km2", "m3"), codes ("G20",
/// "CO2") and hyphenated names ("COVID-19", "Covid-19") are not markers.
fn is_marker_after_word(before: &str) -> bool {
    let mut lower_tail = 0;
    let mut counting_tail = true;
    let mut uppercase = 0;
    let mut preceding = None;
    for c in before.chars().rev() {
        if !c.is_alphabetic() {
            preceding = Some(c);
            break;
        }
        if c.is_lowercase() && counting_tail {
            lower_tail += 1;
        } else {
            counting_tail = false;
        }
        if c.is_uppercase() {
            uppercase += 1;
        }
    }
    lower_tail >= 3 && uppercase < 2 && !matches!(preceding, Some('-') | Some('‑'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::LineIndex;

    /// Mask and check the length invariant every caller depends on.
    fn mask(text: &str) -> String {
        let masked = mask_furniture(text);
        assert_eq!(masked.len(), text.len());
        masked
    }

    /// The one-pass symbol test agrees with the definition: split at slashes, three or
    /// more parts, each non-empty and all capitals or digits, the first opening with a
    /// capital.
    #[test]
    fn document_symbol_test_matches_its_definition() {
        fn by_definition(t: &[u8]) -> bool {
            t.first().is_some_and(u8::is_ascii_uppercase)
                && t.split(|&b| b == b'/').count() >= 3
                && t.split(|&b| b == b'/').all(|p| {
                    !p.is_empty()
                        && p.iter()
                            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                })
        }
        let alphabet = [b'A', b'C', b'K', b'7', b'0', b'/', b'a', b' ', b'-'];
        // Every string of up to six symbols from the alphabet.
        let mut strings: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..6 {
            let longer: Vec<Vec<u8>> = strings
                .iter()
                .filter(|s| s.len() == strings.last().map_or(0, Vec::len))
                .flat_map(|s| {
                    alphabet.iter().map(move |&b| {
                        let mut t = s.clone();
                        t.push(b);
                        t
                    })
                })
                .collect();
            strings.extend(longer);
        }
        for t in &strings {
            assert_eq!(
                is_document_symbol(t),
                by_definition(t),
                "{:?}",
                String::from_utf8_lossy(t)
            );
        }
    }

    /// Every line start `index` records for `text`, as the reference search lists them.
    fn every_start(index: &LineIndex, text: &str) -> Vec<u32> {
        (0..index.len())
            .map(|line| {
                let start = index.start(text.as_bytes(), line).expect("a recorded line");
                u32::try_from(start).expect("a test text under 4 GiB")
            })
            .collect()
    }

    proptest::proptest! {
        /// The fused pass finds the ranges and line starts the per-line search found,
        /// whatever the mix of furniture, footnote blocks, markers and line lengths
        /// (lines of every length put line feeds and digits in every lane of a chunk).
        #[test]
        fn fused_pass_agrees_with_per_line_search(
            lines in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just("CEDAW/C/KAZ/6 ".to_owned()),
                proptest::strategy::Just("24-18883 6/50".to_owned()),
                proptest::strategy::Just(" 6/50 24-18883".to_owned()),
                proptest::strategy::Just("__________________ ".to_owned()),
                proptest::strategy::Just(" 2 Kazakhstan Institute, “é”".to_owned()),
                proptest::strategy::Just("women.3 and 2020).1 the Code3 x".to_owned()),
                proptest::strategy::Just("a 1234567890123 women.12 b”4".to_owned()),
                proptest::strategy::Just("1.5 and 1,019; x;2 É9 é7 “a”3 ’1 \"q\"2 (4 A.5".to_owned()),
                "[ _a-zA-Z0-9.,;)/”’\"é\r-]{0,40}",
                "[ a-z0-9.,)]{0,24}",
                // Longer than a block of stops: feeds and digits in every block position.
                "[ a-zA-Z0-9.,)_/\t]{40,150}",
            ], 0..16),
            bom in proptest::bool::ANY,
            crlf in proptest::bool::ANY,
            final_feed in proptest::bool::ANY,
        ) {
            let mut text = if bom { "\u{FEFF}".to_owned() } else { String::new() };
            text.push_str(&lines.join(if crlf { "\r\n" } else { "\n" }));
            if final_feed {
                text.push('\n');
            }
            let (mut fused_starts, mut reference_starts) = (LineIndex::default(), vec![0]);
            let fused = find_furniture(&text, &mut fused_starts);
            let reference = find_furniture_reference(&text, &mut reference_starts);
            proptest::prop_assert_eq!(fused, reference);
            proptest::prop_assert_eq!(every_start(&fused_starts, &text), reference_starts);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// The three-byte line-start test answers as the definition, from every byte of
        /// texts of leads, blanks, capitals, digits, slashes and other bytes, near their
        /// end or not.
        #[test]
        fn line_start_test_answers_as_its_definition(
            bytes in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just(b' '),
                proptest::strategy::Just(b'\t'),
                proptest::strategy::Just(b'\r'),
                proptest::strategy::Just(b'\n'),
                proptest::strategy::Just(0x0C),
                proptest::strategy::Just(b'_'),
                proptest::strategy::Just(b'/'),
                proptest::strategy::Just(b'7'),
                proptest::strategy::Just(b'C'),
                proptest::strategy::Just(b'Z'),
                proptest::strategy::Just(b'a'),
                proptest::num::u8::ANY,
            ], 0..10),
        ) {
            for start in 0..=bytes.len() + 1 {
                proptest::prop_assert_eq!(
                    may_open_furniture(&bytes, start),
                    may_open_furniture_reference(&bytes, start),
                    "{:?} at {}", bytes, start
                );
            }
        }
    }

    /// Whether byte `k` of `bytes` is a stop of the furniture pass, byte by byte: a line
    /// feed, or an ASCII digit that follows no space, line feed, opening bracket or digit,
    /// nor a full stop or comma after a digit. The oracle of both stop tests below.
    fn is_stop_by_definition(bytes: &[u8], k: usize) -> bool {
        let byte = |back: usize| k.checked_sub(back).map(|j| bytes[j]);
        let point_after_digit =
            matches!(byte(1), Some(b'.' | b',')) && byte(2).is_some_and(|b| b.is_ascii_digit());
        bytes[k] == b'\n'
            || (bytes[k].is_ascii_digit()
                && !matches!(byte(1), Some(b' ' | b'\n' | b'(' | b'0'..=b'9'))
                && !point_after_digit)
    }

    /// Every block of stops, from every start of a text that puts each triple of a
    /// digit's bytes before it (points, digits, breaks, letters) in every lane and across
    /// the block's start, is what the stop rule says byte by byte; and what it hands the
    /// next block is what the table says of the bytes before that one.
    #[test]
    fn every_block_of_stops_follows_the_rule() {
        let alphabet = [b'.', b',', b'1', b' ', b'(', b'\n', b'a', b')', b';', 0x99];
        let mut text = Vec::new();
        for &first in &alphabet {
            for &second in &alphabet {
                for &third in &alphabet {
                    text.extend_from_slice(&[first, second, third, b'7']);
                }
            }
        }
        let mut stops_seen = 0;
        for at in 0..text.len() {
            let expected = (0..64)
                .filter(|&k| at + k < text.len() && is_stop_by_definition(&text, at + k))
                .fold(0u64, |mask, k| mask | 1 << k);
            let block = stops_in_block(&text, at, carry_before(&text, at));
            assert_eq!(block.stops, expected, "block at {at}");
            // The block hands the next one what the table says of the bytes before it.
            if at + 64 <= text.len() {
                assert_eq!(block.carry, carry_before(&text, at + 64), "carry at {at}");
            }
            stops_seen += expected.count_ones();
        }
        assert!(stops_seen > 1000, "{stops_seen}");
    }

    proptest::proptest! {
        /// The stops are every line feed and every ASCII digit that follows no space,
        /// line feed, opening bracket or digit, nor a full stop or comma after a digit,
        /// in order, from any start and across any skips.
        #[test]
        fn stops_are_the_feeds_and_the_digits_that_may_open_markers(
            bytes in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just(b'\n'),
                proptest::strategy::Just(b'0'),
                proptest::strategy::Just(b'9'),
                proptest::strategy::Just(b'/'),
                proptest::strategy::Just(b':'),
                proptest::strategy::Just(b' '),
                proptest::strategy::Just(b'('),
                proptest::strategy::Just(b'.'),
                proptest::strategy::Just(b','),
                proptest::strategy::Just(b';'),
                proptest::strategy::Just(b'a'),
                proptest::strategy::Just(b')'),
                proptest::strategy::Just(b'"'),
                proptest::strategy::Just(0x99),
                proptest::num::u8::ANY,
            ], 0..300),
            from in 0usize..310,
            skips in proptest::collection::vec(0usize..90, 0..8),
        ) {
            let from = from.min(bytes.len());
            let naive = |at: usize| {
                (at..bytes.len()).find(|&k| is_stop_by_definition(&bytes, k))
            };
            let mut stops = Stops::new(&bytes, from);
            let mut at = from;
            for skip in skips {
                let got = stops.next();
                proptest::prop_assert_eq!(got, naive(at));
                let Some(stop) = got else { break };
                at = stop + 1 + skip;
                stops.skip_to(at);
            }
        }
    }

    #[test]
    fn digit_runs_are_counted_whole() {
        let text = b"a 1 22 333 4444 123456789012345678 7x 9";
        for at in 0..=text.len() + 2 {
            let naive = text.get(at..).map_or(0, |rest| {
                rest.iter().take_while(|b| b.is_ascii_digit()).count()
            });
            assert_eq!(digits_from(text, at), naive, "{at}");
        }
    }

    #[test]
    fn fused_pass_agrees_on_the_seed() {
        let text = include_str!("../../seeds/000_26c4ac59d5b61832.txt");
        let (mut fused_starts, mut reference_starts) = (LineIndex::default(), vec![0]);
        assert_eq!(
            find_furniture(text, &mut fused_starts),
            find_furniture_reference(text, &mut reference_starts)
        );
        assert_eq!(every_start(&fused_starts, text), reference_starts);
    }

    #[test]
    fn bom_is_blanked_in_place() {
        assert_eq!(mask("\u{FEFF} Introduction \n"), "    Introduction \n");
    }

    #[test]
    fn symbol_and_job_lines_are_blanked() {
        let text = "teams.  \n\nCEDAW/C/KAZ/6 \n \n24-18883 6/50 \n6/50 24-18883\n24-18883\n";
        let want = "teams.  \n\n              \n \n              \n             \n        \n";
        assert_eq!(mask(text), want);
    }

    #[test]
    fn figures_on_their_own_line_are_not_furniture() {
        for line in [
            "6/50",
            "2020/2021/2022",
            "786 out of 3,415",
            "A/78",
            "24-1888",
        ] {
            assert_eq!(mask(line), line, "{line}");
        }
    }

    #[test]
    fn footnote_block_is_blanked_until_body_resumes() {
        let text = concat!(
            "New York, Kazakhstan presented its second voluntary national review report on \n",
            "\n",
            "__________________ \n",
            "\n",
            " 1 https://economy.kz/ru/Novosti_instituta/id=5766. \n",
            "\n",
            "https://economy.kz/ru/Novosti_instituta/id=5766\n",
            " progress towards the achievement of the Sustainable Development Goals, including \n",
        );
        let masked = mask(text);
        let lines: Vec<&str> = masked.split('\n').collect();
        assert!(lines[0].starts_with("New York, Kazakhstan presented"));
        for line in &lines[2..7] {
            assert!(line.trim().is_empty(), "{line:?}");
        }
        assert!(lines[7].starts_with(" progress towards the achievement"));
    }

    #[test]
    fn footnote_continuations_are_part_of_the_block() {
        let text = concat!(
            "__________________ \n",
            "\n",
            " 2 Kazakhstan Institute for Social Development, “Family and demographic policy”, \n",
            "\n",
            "research paper, 2021. \n",
            "\n",
            " 3 National report entitled “Kazakhstan families – 2022”. \n",
            " socioeconomic status, gender and, in the case of foreign students, language of \n",
        );
        let masked = mask(text);
        let (block, body) = masked.split_at(masked.find(" socioeconomic").unwrap());
        assert!(block.trim().is_empty(), "{block:?}");
        assert!(body.starts_with(" socioeconomic status"));
    }

    #[test]
    fn glued_markers_are_blanked() {
        let cases = [
            (
                "72nd out of 153 countries in 2020).1 \n",
                "72nd out of 153 countries in 2020).  \n",
            ),
            ("research,2 89.6", "research,  89.6"),
            ("empowerment of women.3", "empowerment of women. "),
            ("the Code3 provides", "the Code  provides"),
            ("“Kazakhstan families”12 and", "“Kazakhstan families”   and"),
            ("(51.2 per cent)4 of", "(51.2 per cent)  of"),
        ];
        for (text, want) in cases {
            assert_eq!(mask(text), want, "{text}");
        }
    }

    #[test]
    fn figures_that_look_glued_are_kept() {
        for text in [
            "gender parity score of 72.1 per cent",
            "district courts, 1,019 (54.7 per cent)",
            "was ranked 80th out of 156 countries and 72nd",
            "during the COVID-19 pandemic",
            "the Covid-19 pandemic",
            "the G20 summit",
            "emissions of CO2 fell",
            "an area of 12 km2 in",
            "in 2020.1234 per",
            "women1234 here",
            "a total of 2020.1 million",
        ] {
            assert_eq!(mask(text), text, "{text}");
        }
    }

    #[test]
    fn crlf_line_endings_are_kept() {
        assert_eq!(
            mask("a\r\nCEDAW/C/KAZ/6\r\nb\r\n"),
            "a\r\n             \r\nb\r\n"
        );
    }

    #[test]
    fn seed_furniture_is_masked_and_body_kept() {
        let text = include_str!("../../seeds/000_26c4ac59d5b61832.txt");
        let masked = mask(text);

        for furniture in ["CEDAW/C/KAZ/6", "24-18883 6/50", "https://economy.kz"] {
            assert!(text.contains(furniture));
            assert!(!masked.contains(furniture), "{furniture} still present");
        }
        assert!(!masked.contains("__________"));
        assert!(!masked.contains("sociological \n\nresearch paper, 2021."));

        for body in [
            "teams.  \n",
            " With the aim of preventing psychological trauma among minors, a pilot project",
            " progress towards the achievement of the Sustainable Development Goals, including",
            " socioeconomic status, gender and, in the case of foreign students, language of",
            "women account for 21.02 per cent of the total number of deputies (786",
            "72nd out of 153 countries in 2020). ",
        ] {
            assert!(masked.contains(body), "{body:?} lost");
        }
        // Same line structure: every `\n` where it was.
        let newlines = |s: &str| s.match_indices('\n').map(|(i, _)| i).collect::<Vec<_>>();
        assert_eq!(newlines(text), newlines(&masked));
    }
}

/// A copy of `text` (same length) with every line whose trimmed content matches one of
/// `globs` (`*` any run of characters, `?` one) blanked: configured page furniture such
/// as running headers. Newlines are kept.
pub fn mask_lines(text: &str, globs: &[String]) -> String {
    let matchers: Vec<globset::GlobMatcher> = globs
        .iter()
        .filter_map(|g| {
            globset::GlobBuilder::new(g)
                .literal_separator(false)
                .build()
                .ok()
        })
        .map(|g| g.compile_matcher())
        .collect();
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if !body.trim().is_empty() && matchers.iter().any(|m| m.is_match(body.trim())) {
            out.extend(std::iter::repeat_n(' ', body.len()));
            out.push_str(&line[body.len()..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod mask_lines_tests {
    use super::mask_lines;

    #[test]
    fn configured_lines_are_blanked_in_place() {
        let text = "Body 12 text.\nGE.23-18883 page 4\nMore 5.\r\n";
        let out = mask_lines(text, &["GE.23-*".to_string()]);
        assert_eq!(out.len(), text.len());
        assert_eq!(out.lines().nth(1).map(str::trim), Some(""));
        assert!(out.starts_with("Body 12 text.\n") && out.ends_with("More 5.\r\n"));
    }
}
