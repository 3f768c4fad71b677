//! Source files: the text, masked for scanning, and byte <-> line/column.
//!
//! First stage of the pipeline. Every span in numlint is a byte range of the ORIGINAL
//! file. Page furniture (document symbols, job numbers, footnote blocks, footnote markers)
//! and the markup a format reader hides are masked in [`SourceFile::scan_text`] by
//! overwriting them with spaces, never removed, so offsets in the masked text are offsets
//! in the original.
//!
//! Memory: the text is held once. The bytes read from disk become the `String` without a
//! copy and are masked in place; the original bytes of the masked ranges (a small part of
//! a file) are kept aside as patches. [`SourceFile::slice`] and [`SourceFile::find`] serve
//! the original from the masked text and the patches, so checking a file and writing JSON,
//! JSON lines or SARIF never rebuild it; [`SourceFile::text`] rebuilds the whole original
//! on its first call, for the renderers that show text around findings (human, HTML). The
//! line index is sized by counting line feeds first. A check holds the text, the line
//! index, the figures and the claims of one file at a time.

mod furniture;
mod layout;
mod lines;
mod masked;

use std::borrow::Cow;

use lines::{LineIndex, walk};
use masked::MaskedText;

pub use furniture::{mask_furniture, mask_lines};
pub use layout::{Block, Layout, Location, Table};

/// A half-open byte range `[start, end)` into the original file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes).
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A 1-based line and column; columns count Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in Unicode scalar values.
    pub column: usize,
}

/// Why a file could not be read as text.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum SourceError {
    /// The bytes are not UTF-8.
    #[error("{name}: invalid UTF-8 at byte {offset} (line {line})")]
    #[diagnostic(
        code(numlint::input::invalid_utf8),
        help("numlint reads UTF-8 text; convert the file (e.g. `iconv -f latin1 -t utf-8`)")
    )]
    InvalidUtf8 {
        /// File name as given.
        name: String,
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// 1-based line of that byte.
        line: usize,
    },
    /// The file looks binary (contains NUL bytes).
    #[error("{name}: binary file (NUL byte at offset {offset}), not checked")]
    #[diagnostic(code(numlint::input::binary))]
    Binary {
        /// File name as given.
        name: String,
        /// Byte offset of the first NUL.
        offset: usize,
    },
    /// The file is in a known format but its contents cannot be decoded (a truncated
    /// .docx, say).
    #[error("{name}: {message}")]
    #[diagnostic(code(numlint::input::corrupt))]
    Corrupt {
        /// File name as given.
        name: String,
        /// What is wrong, and where.
        message: String,
    },
    /// Expanding the file would exceed a size limit (a zip bomb, say).
    #[error("{name}: {what} is over the limit of {limit} bytes; not expanded, not checked")]
    #[diagnostic(code(numlint::input::too_large))]
    TooLarge {
        /// File name as given.
        name: String,
        /// What is too large ("the uncompressed document", say).
        what: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The input is larger than numlint reads ([`crate::limits::MAX_INPUT_BYTES`]).
    #[error("{name}: larger than the limit of {limit} bytes, not checked")]
    #[diagnostic(
        code(numlint::input::too_long),
        help("numlint reads files of up to {limit} bytes; split the document")
    )]
    InputTooLarge {
        /// File name as given.
        name: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The file could not be read at all.
    #[error("{name}: {source}")]
    #[diagnostic(code(numlint::input::io))]
    Io {
        /// File name as given.
        name: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// Read at most `limit + 1` bytes of the file at `path`: enough to tell a file over the
/// limit from one at it, without reading a huge file (or a device that never ends) whole.
pub fn read_at_most(path: &std::path::Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    // The size, when the file system knows it, sizes the buffer; a pipe says 0.
    let hint = file.metadata().map_or(0, |m| m.len()).min(limit + 1);
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Decode the bytes of a text file (plain text, Markdown, HTML) named `name`: UTF-8 (a BOM
/// is allowed, and kept), no NUL bytes.
pub fn decode_text(name: &str, bytes: Vec<u8>) -> Result<String, SourceError> {
    decode_noting_angles(name, bytes).map(|(text, _)| text)
}

/// [`decode_text`], and whether the text holds a `<`: found in the same pass over the
/// bytes as the NUL test, where a search of its own afterwards (for the `<!--` that
/// opens every suppression comment) would read a large file from memory once more.
fn decode_noting_angles(name: &str, bytes: Vec<u8>) -> Result<(String, bool), SourceError> {
    let (nul, angle) = match memchr::memchr2(0, b'<', &bytes) {
        None => (None, false),
        Some(at) if bytes[at] == 0 => (Some(at), false),
        // Past the first `<`, only a NUL matters.
        Some(at) => (memchr::memchr(0, &bytes[at..]).map(|k| at + k), true),
    };
    if let Some(offset) = nul {
        return Err(SourceError::Binary {
            name: name.to_owned(),
            offset,
        });
    }
    let text = String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let bytes = err.into_bytes();
        let line = memchr::memchr_iter(b'\n', &bytes[..offset]).count() + 1;
        SourceError::InvalidUtf8 {
            name: name.to_owned(),
            offset,
            line,
        }
    })?;
    Ok((text, angle))
}

/// A file to check: its name, its text (masked for scanning, the original on demand)
/// and line index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: String,
    /// The masked text, and the original bytes of what was masked.
    text: MaskedText,
    /// Whether the original text holds a `<`, when decoding the file's bytes found out;
    /// `None` when it is to be searched for.
    holds_angle: Option<bool>,
    /// The whole original, rebuilt on the first call of [`SourceFile::text`] when some
    /// of it was masked.
    original: std::sync::OnceLock<String>,
    /// Where lines start: every 32nd line's start, kept as `u32` (every input numlint
    /// reads is at most [`crate::limits::MAX_INPUT_BYTES`]). A longer text (from a
    /// caller that skips that limit) is indexed up to 4 GiB, and later lines count as
    /// part of the last one.
    lines: LineIndex,
    layout: Layout,
    /// Characters before each [`CHAR_MARK_BLOCK`]-byte block of the text, built on the
    /// first column asked for on a very long line (see [`SourceFile::line_col`]).
    char_marks: std::sync::OnceLock<Vec<usize>>,
}

/// Bytes per entry of [`SourceFile`]'s character marks.
const CHAR_MARK_BLOCK: usize = 64 * 1024;

impl SourceFile {
    /// Decode `bytes` as UTF-8 (a BOM is allowed) and index it.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Result<Self, SourceError> {
        let name = name.into();
        let limit = crate::limits::MAX_INPUT_BYTES;
        if bytes.len() as u64 > limit {
            return Err(SourceError::InputTooLarge { name, limit });
        }
        let (text, angle) = decode_noting_angles(&name, bytes)?;
        let mut file = Self::from_text(name, text);
        file.holds_angle = Some(angle);
        Ok(file)
    }

    /// Read and decode a file from disk (at most [`crate::limits::MAX_INPUT_BYTES`]).
    pub fn read(path: &std::path::Path) -> Result<Self, SourceError> {
        let name = path.display().to_string();
        let bytes = read_at_most(path, crate::limits::MAX_INPUT_BYTES).map_err(|source| {
            SourceError::Io {
                name: name.clone(),
                source,
            }
        })?;
        Self::from_bytes(name, bytes)
    }

    /// Index already-decoded text.
    pub fn from_text(name: impl Into<String>, text: String) -> Self {
        Self::from_extracted(name, text, &[], Layout::default())
    }

    /// Index text produced by a format reader: `hidden` spans (markup, code, URLs) are
    /// overwritten with spaces in the scan text (newlines kept), and `layout` records the
    /// document's paragraphs and tables.
    pub fn from_extracted(
        name: impl Into<String>,
        text: String,
        hidden: &[Span],
        layout: Layout,
    ) -> Self {
        let mut lines = LineIndex::with_capacity(text.len());
        let furniture = furniture::find_furniture(&text, &mut lines);
        let masked = if hidden.is_empty() {
            MaskedText::new(text, &furniture)
        } else {
            let ranges = union(&text, furniture, hidden);
            MaskedText::new(text, &ranges)
        };
        SourceFile {
            name: name.into(),
            text: masked,
            holds_angle: None,
            original: std::sync::OnceLock::new(),
            lines,
            layout,
            char_marks: std::sync::OnceLock::new(),
        }
    }

    /// The document structure a format reader recovered (empty for plain text).
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The file name as given on the command line (or `-` / `<stdin>`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The original text, exactly as read (BOM included).
    ///
    /// Rebuilt from the masked text on the first call when something was masked, so a
    /// second copy of the text is held from then on: for renderers that show the text
    /// around a finding. A quote of a span is [`Self::slice`], a search [`Self::find`].
    pub fn text(&self) -> &str {
        if self.text.is_unmasked() {
            return self.text.scan();
        }
        self.original.get_or_init(|| self.text.to_original())
    }

    /// Length of the text in bytes (the original and the scan text have the same).
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// True for an empty file.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text with page furniture overwritten by spaces; same length as [`Self::text`].
    pub fn scan_text(&self) -> &str {
        self.text.scan()
    }

    /// The original text under `span`; empty when the span is out of the text or cuts a
    /// character. Borrowed from the scan text unless the span touches a masked part.
    pub fn slice(&self, span: Span) -> Cow<'_, str> {
        self.text.original(span)
    }

    /// Whether the original text holds a `<` (which opens every comment): noted while
    /// decoding a file's bytes, or else one `memchr`, a fraction of the cost of a
    /// substring search.
    pub(crate) fn holds_angle(&self) -> bool {
        self.holds_angle
            .unwrap_or_else(|| self.text.contains_byte(b'<'))
    }

    /// The first byte at or after `from` where the original text holds `needle`.
    pub fn find(&self, needle: &str, from: usize) -> Option<usize> {
        self.text.find(needle, from)
    }

    /// 1-based line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.len());
        let (line_idx, line_start) = self.line_start_of(offset);
        self.column_on(offset, line_idx, line_start)
    }

    /// A [`LineCursor`] at the start of the text: line and column lookups for offsets
    /// that mostly come in increasing order, as the findings of a file do.
    pub fn line_cursor(&self) -> LineCursor<'_> {
        LineCursor {
            file: self,
            line: 0,
            start: 0,
            at: 0,
            column: 1,
            plain: (1, 0),
        }
    }

    /// The line and column of `offset` (at most the length), which is on 0-based line
    /// `line_idx`, starting at byte `line_start`.
    fn column_on(&self, offset: usize, line_idx: usize, line_start: usize) -> LineCol {
        let cut = self.char_boundary_at_or_before(offset);
        LineCol {
            line: line_idx + 1,
            column: self.chars_between(line_start, cut) + 1,
        }
    }

    /// The last character boundary of the original text at or before `offset` (at most
    /// the length).
    fn char_boundary_at_or_before(&self, offset: usize) -> usize {
        let mut cut = offset;
        while !self.text.is_char_boundary(cut) {
            cut -= 1;
        }
        cut
    }

    /// Characters of the original text in `from..to` (character boundaries, `from <= to`).
    fn chars_between(&self, from: usize, to: usize) -> usize {
        if to - from <= 4 * CHAR_MARK_BLOCK {
            self.text.char_count(from, to)
        } else {
            // Far into a very long line (a 100 MB line, say): counting from the line's
            // start for every finding would be quadratic; count from the nearest mark.
            self.chars_before(to) - self.chars_before(from)
        }
    }

    /// Characters in the text before byte `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let len = self.len();
        let marks = self.char_marks.get_or_init(|| {
            let mut marks = Vec::with_capacity(len / CHAR_MARK_BLOCK + 2);
            let mut seen = 0;
            for start in (0..len).step_by(CHAR_MARK_BLOCK) {
                marks.push(seen);
                seen += self
                    .text
                    .char_count(start, (start + CHAR_MARK_BLOCK).min(len));
            }
            marks.push(seen);
            marks
        });
        let k = offset / CHAR_MARK_BLOCK;
        marks.get(k).copied().unwrap_or(0) + self.text.char_count(k * CHAR_MARK_BLOCK, offset)
    }

    /// The 0-based line holding byte `offset` (clamped to the text) and the byte where
    /// that line starts.
    pub(crate) fn line_start_of(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.len());
        self.lines.line_of(self.scan_text().as_bytes(), offset)
    }

    /// The byte where 0-based line `line` starts, if there is such a line.
    fn line_start(&self, line: usize) -> Option<usize> {
        // Masking keeps line feeds: the scan text has the original's lines.
        self.lines.start(self.scan_text().as_bytes(), line)
    }

    /// The byte where the line after 0-based line `line` starts, if there is one (just
    /// past the newline that ends `line`).
    pub(crate) fn next_line_start(&self, line: usize) -> Option<usize> {
        self.line_start(line + 1)
    }

    /// The byte where 0-based line `line` starts (the end of the text past the last).
    pub(crate) fn line_start_of_line(&self, line: usize) -> usize {
        self.line_start(line).unwrap_or(self.len())
    }

    /// [`Self::line_start_of_line`] for line `line - back` (line 0 when `back` is more),
    /// given that 0-based line `line` starts at byte `start`: the line feeds before
    /// `start` counted back, a few lines' reading for a few lines of context, where the
    /// line index counts forward from its mark.
    pub(crate) fn line_start_before(&self, line: usize, start: usize, back: usize) -> usize {
        let text = self.scan_text().as_bytes();
        if back == 0 || self.len() > u32::MAX as usize {
            // (Past 4 GiB the index's rule for which feeds start lines holds.)
            return self.line_start_of_line(line.saturating_sub(back));
        }
        // Line `line - back` starts just past the feed that ends the line before it:
        // the `back + 1`-th feed back from `start`.
        text.get(..start)
            .and_then(|before| memchr::memrchr_iter(b'\n', before).nth(back))
            .map_or(0, |p| p + 1)
    }

    /// [`Self::line_start_of_line`] for line `line + ahead` (the end of the text past the
    /// last line), given that 0-based line `line` starts at byte `start`: the line feeds
    /// from `start` on counted.
    pub(crate) fn line_start_after(&self, line: usize, start: usize, ahead: usize) -> usize {
        let text = self.scan_text().as_bytes();
        if ahead == 0 || self.len() > u32::MAX as usize {
            return self.line_start_of_line(line + ahead);
        }
        text.get(start..)
            .and_then(|rest| memchr::memchr_iter(b'\n', rest).nth(ahead - 1))
            .map_or(self.len(), |p| start + p + 1)
    }

    /// The byte just past the end of 0-based line `line` (its newline included), or the
    /// end of the text.
    #[cfg(test)]
    pub(crate) fn line_end(&self, line: usize) -> usize {
        self.line_start(line + 1).unwrap_or(self.len())
    }

    /// Number of lines (a trailing newline does not start a new one).
    pub fn line_count(&self) -> usize {
        if self.scan_text().ends_with('\n') {
            self.lines.len() - 1
        } else {
            self.lines.len()
        }
    }
}

/// Line and column lookups that start from the line of the last lookup: findings are
/// written in order of position and their labels lie near them, so the next offset is
/// usually on the same line or a few lines on, and is found by counting the line feeds
/// from there rather than from the line index's nearest mark.
#[derive(Debug, Clone)]
pub struct LineCursor<'a> {
    file: &'a SourceFile,
    /// The 0-based line of the last lookup.
    line: usize,
    /// The byte where that line starts.
    start: usize,
    /// The character boundary of the last lookup, on that line (`start` at first).
    at: usize,
    /// The 1-based column of `at`.
    column: usize,
    /// A stretch `lo..=hi` of the text where the original's characters are the masked
    /// text's (see `MaskedText::plain_around`; empty at first), so that lookups inside it
    /// read the masked text alone.
    plain: (usize, usize),
}

/// How far a lookup walks the text from the cursor's last one, byte by byte (sixteen at a
/// time), before it asks the line index instead: the positions of a finding lie within a
/// sentence or two, the next finding often pages on.
const NEAR: usize = 512;

impl LineCursor<'_> {
    /// 1-based line and column of a byte offset (clamped to the text): the same as
    /// [`SourceFile::line_col`].
    pub fn line_col(&mut self, offset: usize) -> LineCol {
        let offset = offset.min(self.file.len());
        match self.walk_to(offset) {
            Some(at) => at,
            None => self.line_col_searched(offset),
        }
    }

    /// The line and column of `offset` (at most the length), found in one pass over the
    /// bytes between it and a known place (the last lookup, or the start of its line or
    /// of a line the index or a short search back finds), which counts the line feeds
    /// and the characters together. `None`, leaving the cursor as it was, where that does
    /// not apply: a lookup near a masked part whose original is not ASCII (whose
    /// characters the masked text does not show), far along a very long line, or past
    /// 4 GiB.
    fn walk_to(&mut self, offset: usize) -> Option<LineCol> {
        let file = self.file;
        let text = file.scan_text().as_bytes();
        if offset >= u32::MAX as usize {
            return None;
        }
        // The line of `offset` is known to be `line`, starting at `start`, and to hold
        // byte `from` (a character boundary at or before `offset`) at column `column`,
        // or a later line: the walk from `from` finds which.
        let (line, start, from, column) = if offset >= self.at {
            if offset - self.at <= NEAR {
                (self.line, self.start, self.at, self.column)
            } else {
                let (line, start) = file
                    .lines
                    .line_from(text, self.line, self.start, self.at, offset);
                if line == self.line {
                    (line, start, self.at, self.column)
                } else {
                    (line, start, start, 1)
                }
            }
        } else if offset >= self.start {
            // On the cursor's line, before the last lookup: count back from it when that
            // is nearer than the line's start.
            if self.at - offset < offset - self.start {
                return self.walk_back(offset);
            }
            (self.line, self.start, self.start, 1)
        } else if self.start - offset <= NEAR {
            // A line or a few before the cursor's: the feeds between give the line, and
            // its start is the last feed before `offset`, after the nearest mark of the
            // index at or before it.
            let line = self.line - walk(text, offset, self.start).feeds;
            let mark = file.lines.mark_before(line);
            let start = text
                .get(mark..offset)
                .and_then(|before| memchr::memrchr(b'\n', before))
                .map_or(mark, |k| mark + k + 1);
            (line, start, start, 1)
        } else {
            let (line, start) = file.lines.line_of(text, offset);
            (line, start, start, 1)
        };
        if offset - from > 4 * CHAR_MARK_BLOCK || !self.plain_over(from, offset) {
            return None;
        }
        let walked = walk(text, from, offset);
        let (line, start, mut column) = match walked.line_start {
            Some(next) => (line + walked.feeds, next, 1 + walked.chars),
            None => (line, start, column + walked.chars),
        };
        // An offset inside a character stands for the character's start, which the walk
        // counted.
        let mut cut = offset;
        while !file.scan_text().is_char_boundary(cut) {
            cut -= 1;
        }
        if cut < offset {
            column -= 1;
        }
        (self.line, self.start, self.at, self.column) = (line, start, cut, column);
        Some(LineCol {
            line: line + 1,
            column,
        })
    }

    /// [`Self::walk_to`] for an offset on the cursor's line before its last lookup, and
    /// nearer to it than to the line's start: the column counted back.
    fn walk_back(&mut self, offset: usize) -> Option<LineCol> {
        let scan = self.file.scan_text();
        if !self.plain_over(offset, self.at) {
            return None;
        }
        let mut cut = offset;
        while !scan.is_char_boundary(cut) {
            cut -= 1;
        }
        // The characters from `cut` to the last lookup: those starting at `offset` or
        // later, and the one `offset` is inside of, if it is.
        let between = walk(scan.as_bytes(), offset, self.at).chars + usize::from(cut < offset);
        self.column -= between;
        self.at = cut;
        Some(LineCol {
            line: self.line + 1,
            column: self.column,
        })
    }

    /// Whether the original's characters in `lo..=hi` are the masked text's (see
    /// `MaskedText::plain_around`), looking the stretch up again when the cursor's does
    /// not cover it.
    fn plain_over(&mut self, lo: usize, hi: usize) -> bool {
        if self.plain.0 <= lo && hi <= self.plain.1 {
            return true;
        }
        match self.file.text.plain_around(hi) {
            Some(plain) => {
                self.plain = plain;
                plain.0 <= lo
            }
            None => false,
        }
    }

    /// [`Self::line_col`] through the line index and the masked text's own boundary
    /// tests and counts, which see the originals of masked parts: for the lookups
    /// [`Self::walk_to`] leaves.
    fn line_col_searched(&mut self, offset: usize) -> LineCol {
        let file = self.file;
        let text = file.scan_text().as_bytes();
        // The cursor's last lookup `at` is on its line, so the line feeds before a later
        // offset are counted from `at`, not from the line's start (a paragraph is one long
        // line, and rescanning it from its start for each position was most of the cost
        // of finding the line).
        let (line, start) = if self.start <= offset {
            let seen = self.at.min(offset);
            file.lines
                .line_from(text, self.line, self.start, seen, offset)
        } else {
            file.lines.line_of(text, offset)
        };
        if (line, start) != (self.line, self.start) {
            (self.line, self.start, self.at, self.column) = (line, start, start, 1);
        }
        // The column counts the characters from the nearest known column on the line: a
        // finding's end, its labels and the next finding are often on the same long line
        // (a paragraph), and counting from the line's start for each was most of the cost
        // of writing a position.
        let cut = file.char_boundary_at_or_before(offset);
        self.column = if cut >= self.at {
            self.column + file.chars_between(self.at, cut)
        } else if self.at - cut < cut - start {
            self.column - file.chars_between(cut, self.at)
        } else {
            1 + file.chars_between(start, cut)
        };
        self.at = cut;
        LineCol {
            line: line + 1,
            column: self.column,
        }
    }
}

/// The furniture ranges and the `hidden` spans (moved out to character boundaries of
/// `text`), sorted and merged: what to mask.
fn union(text: &str, mut ranges: Vec<Span>, hidden: &[Span]) -> Vec<Span> {
    ranges.extend(hidden.iter().map(|span| {
        let mut start = span.start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = span.end.min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        Span::new(start, end)
    }));
    ranges.sort_unstable();
    let mut merged: Vec<Span> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_scalar_values() {
        let f = SourceFile::from_text("t", "ab\nçé 12\n".to_string());
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // "çé " is 5 bytes, 3 chars: "12" starts at column 4.
        assert_eq!(f.line_col(8), LineCol { line: 2, column: 4 });
    }

    #[test]
    fn invalid_utf8_names_offset_and_line() {
        let err = SourceFile::from_bytes("x.txt", b"ok\nbad \xff here".to_vec()).unwrap_err();
        match err {
            SourceError::InvalidUtf8 { offset, line, .. } => {
                assert_eq!(offset, 7);
                assert_eq!(line, 2);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn extracted_text_hides_markup_but_keeps_offsets_and_lines() {
        let text = "Total `12 of 3` is 4.\nnext ç 5".to_string();
        let f = SourceFile::from_extracted(
            "a.md",
            text.clone(),
            &[Span::new(6, 15), Span::new(20, 29)],
            Layout::default(),
        );
        assert_eq!(f.scan_text().len(), text.len());
        assert_eq!(f.scan_text(), "Total           is 4 \n        5");
        assert_eq!(f.text(), text);
    }

    proptest::proptest! {
        /// Decoding notes a `<` in the same pass as the NUL test: the file answers
        /// whether it holds one as a search of its text does, and a NUL before or after
        /// a `<` is found at the same offset as by a search for it alone.
        #[test]
        fn the_angle_noted_while_decoding_agrees_with_a_search(
            bytes in proptest::collection::vec(proptest::sample::select(vec![b'a', b'<', b'\n', b' ', 0u8]), 0..40),
        ) {
            let nul = bytes.iter().position(|&b| b == 0);
            match SourceFile::from_bytes("t.txt", bytes.clone()) {
                Ok(file) => {
                    proptest::prop_assert!(nul.is_none());
                    proptest::prop_assert_eq!(file.holds_angle(), bytes.contains(&b'<'));
                    let fresh = SourceFile::from_text("t.txt", file.text().to_owned());
                    proptest::prop_assert_eq!(fresh.holds_angle(), bytes.contains(&b'<'));
                }
                Err(SourceError::Binary { offset, .. }) => {
                    proptest::prop_assert_eq!(Some(offset), nul);
                }
                Err(other) => proptest::prop_assert!(false, "{other}"),
            }
        }
    }

    #[test]
    fn nul_bytes_mean_binary() {
        let err = SourceFile::from_bytes("x.bin", b"PK\x03\x04\x00".to_vec()).unwrap_err();
        assert!(matches!(err, SourceError::Binary { offset: 4, .. }));
    }

    #[test]
    fn the_seed_is_held_once_and_given_back_whole() {
        let seed = include_str!("../../seeds/000_26c4ac59d5b61832.txt");
        let f = SourceFile::from_text("seed.txt", seed.to_owned());
        assert_eq!(f.scan_text(), mask_furniture(seed));
        assert_ne!(f.scan_text(), seed, "the seed has page furniture");
        // Checking reads only the scan text and slices: the original is not rebuilt.
        assert!(f.original.get().is_none());
        let marker = seed.find("2020).1").expect("a footnote marker");
        assert_eq!(f.slice(Span::new(marker, marker + 7)), "2020).1");
        assert_eq!(f.find("CEDAW/C/KAZ/6", 0), seed.find("CEDAW/C/KAZ/6"));
        assert!(f.original.get().is_none());
        assert_eq!(f.text(), seed);
    }

    #[test]
    fn text_without_furniture_is_not_copied() {
        let f = SourceFile::from_text("t.txt", "Plain 12 text.\n".to_owned());
        assert!(std::ptr::eq(f.text(), f.scan_text()));
    }

    /// The line and column of `offset` counted in `text` directly.
    fn line_col_in(text: &str, offset: usize) -> LineCol {
        let mut cut = offset.min(text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let line_start = text[..cut].rfind('\n').map_or(0, |i| i + 1);
        LineCol {
            line: text[..cut].matches('\n').count() + 1,
            column: text[line_start..cut].chars().count() + 1,
        }
    }

    proptest::proptest! {
        /// A cursor gives the lines and columns that `line_col` gives, whatever the order
        /// of the offsets asked for.
        #[test]
        fn the_line_cursor_agrees_with_line_col(
            text in "[ab\né\r]{0,80}",
            offsets in proptest::collection::vec(0usize..90, 0..30),
            sorted in proptest::bool::ANY,
        ) {
            let f = SourceFile::from_text("t.txt", text);
            let mut offsets = offsets;
            if sorted {
                offsets.sort_unstable();
            }
            let mut cursor = f.line_cursor();
            for a in offsets {
                proptest::prop_assert_eq!(cursor.line_col(a), f.line_col(a), "offset {}", a);
            }
        }

        /// Long texts (short lines and long ones, characters of two and three bytes,
        /// masked parts whose original is not ASCII), and lookups near the last one and
        /// far from it, forward and back: a cursor gives the lines and columns counted in
        /// the original directly, whichever way it finds them.
        #[test]
        fn the_line_cursor_walks_near_and_far(
            lines in proptest::collection::vec(proptest::prop_oneof![
                "[a é€\r]{0,30}",
                "[ab]{0,700}",
                proptest::strategy::Just(" 2 Kazakhstan Institute, “é”".to_owned()),
                proptest::strategy::Just("CEDAW/C/KAZ/6".to_owned()),
            ], 0..60),
            hidden in proptest::collection::vec((0usize..4000, 0usize..40), 0..6),
            steps in proptest::collection::vec((proptest::bool::ANY, 0usize..5000), 0..40),
        ) {
            let text = lines.join("\n");
            let hidden: Vec<Span> = hidden.iter().map(|&(a, n)| Span::new(a, a + n)).collect();
            let f = SourceFile::from_extracted("t.md", text.clone(), &hidden, Layout::default());
            let mut cursor = f.line_cursor();
            let mut at = 0usize;
            for (far, n) in steps {
                // Far: anywhere in the text; near: up to 600 bytes either way.
                at = if far {
                    n % (text.len() + 1)
                } else if n % 2 == 0 {
                    at + n % 600
                } else {
                    at.saturating_sub(n % 600)
                };
                proptest::prop_assert_eq!(cursor.line_col(at), line_col_in(&text, at), "offset {}", at);
            }
        }

        /// Whatever is masked (furniture lines, footnote blocks and markers, a BOM,
        /// hidden spans), the original comes back exactly: whole, in slices, in
        /// searches, and in line and column numbers.
        #[test]
        fn the_original_survives_masking(
            lines in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just("CEDAW/C/KAZ/6".to_owned()),
                proptest::strategy::Just("24-18883 6/50".to_owned()),
                proptest::strategy::Just("__________________".to_owned()),
                proptest::strategy::Just(" 2 Kazakhstan Institute, “é”".to_owned()),
                proptest::strategy::Just("women.3 and 2020).1 <!-- x -->".to_owned()),
                "[ a-zé0-9.,<!>-]{0,20}",
            ], 0..12),
            bom in proptest::bool::ANY,
            crlf in proptest::bool::ANY,
            hidden in proptest::collection::vec((0usize..200, 0usize..12), 0..4),
            needle in proptest::prop_oneof![
                proptest::strategy::Just("<!--".to_owned()),
                proptest::strategy::Just("é".to_owned()),
                "[ a.0-9]{1,3}",
            ],
        ) {
            let mut text = if bom { "\u{FEFF}".to_owned() } else { String::new() };
            text.push_str(&lines.join(if crlf { "\r\n" } else { "\n" }));
            let hidden: Vec<Span> = hidden.iter().map(|&(a, n)| Span::new(a, a + n)).collect();
            let f = SourceFile::from_extracted("t.md", text.clone(), &hidden, Layout::default());
            proptest::prop_assert_eq!(f.scan_text().len(), text.len());
            proptest::prop_assert_eq!(f.len(), text.len());
            // Cursors going forward and backward, across masked parts of a line.
            let (mut forward, mut backward) = (f.line_cursor(), f.line_cursor());
            for a in (0..=text.len()).rev() {
                proptest::prop_assert_eq!(backward.line_col(a), line_col_in(&text, a));
            }
            for a in 0..=text.len() {
                proptest::prop_assert_eq!(f.line_col(a), line_col_in(&text, a));
                proptest::prop_assert_eq!(forward.line_col(a), line_col_in(&text, a));
                let want = text.as_bytes()[a..]
                    .windows(needle.len())
                    .position(|w| w == needle.as_bytes())
                    .map(|k| a + k);
                proptest::prop_assert_eq!(f.find(&needle, a), want);
                for b in a..=text.len() {
                    let got = f.slice(Span::new(a, b));
                    proptest::prop_assert_eq!(got.as_ref(), text.get(a..b).unwrap_or(""));
                }
            }
            proptest::prop_assert_eq!(f.text(), text.as_str());
        }
    }
}
