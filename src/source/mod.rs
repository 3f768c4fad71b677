//! Source files: the original bytes, a masked copy for scanning, and byte <-> line/column.
//!
//! First stage of the pipeline. Every span in numlint is a byte range of the ORIGINAL
//! file. Page furniture (document symbols, job numbers, footnote blocks, footnote markers)
//! is masked in [`SourceFile::scan_text`] by overwriting it with spaces, never removed, so
//! offsets in the masked copy are offsets in the original.

mod furniture;
mod layout;

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
    if let Some(offset) = memchr::memchr(0, &bytes) {
        return Err(SourceError::Binary {
            name: name.to_owned(),
            offset,
        });
    }
    String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let bytes = err.into_bytes();
        let line = memchr::memchr_iter(b'\n', &bytes[..offset]).count() + 1;
        SourceError::InvalidUtf8 {
            name: name.to_owned(),
            offset,
            line,
        }
    })
}

/// A file to check: its name, original text, masked scan text and line index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: String,
    text: String,
    scan: String,
    line_starts: Vec<usize>,
    layout: Layout,
    /// Characters before each [`CHAR_MARK_BLOCK`]-byte block of the text, built on the
    /// first column asked for on a very long line (see [`SourceFile::line_col`]).
    char_marks: std::sync::OnceLock<Vec<usize>>,
}

/// Bytes per entry of [`SourceFile`]'s character marks.
const CHAR_MARK_BLOCK: usize = 64 * 1024;

/// The number of characters in UTF-8 `bytes` that start at a character boundary and end
/// at one: the bytes that are not continuation bytes.
fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl SourceFile {
    /// Decode `bytes` as UTF-8 (a BOM is allowed) and index it.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Result<Self, SourceError> {
        let name = name.into();
        let limit = crate::limits::MAX_INPUT_BYTES;
        if bytes.len() as u64 > limit {
            return Err(SourceError::InputTooLarge { name, limit });
        }
        let text = decode_text(&name, bytes)?;
        Ok(Self::from_text(name, text))
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
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        let scan = furniture::mask_furniture_indexed(&text, &mut line_starts);
        debug_assert_eq!(scan.len(), text.len());
        SourceFile {
            name: name.into(),
            text,
            scan,
            line_starts,
            layout: Layout::default(),
            char_marks: std::sync::OnceLock::new(),
        }
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
        let mut file = Self::from_text(name, text);
        if !hidden.is_empty() {
            let mut bytes = std::mem::take(&mut file.scan).into_bytes();
            for span in hidden {
                let mut start = span.start.min(file.text.len());
                while !file.text.is_char_boundary(start) {
                    start -= 1;
                }
                let mut end = span.end.min(file.text.len());
                while !file.text.is_char_boundary(end) {
                    end += 1;
                }
                for b in &mut bytes[start..end] {
                    if *b != b'\n' {
                        *b = b' ';
                    }
                }
            }
            // Whole characters were replaced by ASCII spaces, so this stays UTF-8.
            file.scan = String::from_utf8(bytes).unwrap_or_default();
        }
        file.layout = layout;
        file
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
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text with page furniture overwritten by spaces; same length as [`Self::text`].
    pub fn scan_text(&self) -> &str {
        &self.scan
    }

    /// The original text under `span`.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// 1-based line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line_idx];
        let mut cut = offset;
        while !self.text.is_char_boundary(cut) {
            cut -= 1;
        }
        let column = if cut - line_start <= 4 * CHAR_MARK_BLOCK {
            self.text[line_start..cut].chars().count() + 1
        } else {
            // Far into a very long line (a 100 MB line, say): counting from the line's
            // start for every finding would be quadratic; count from the nearest mark.
            self.chars_before(cut) - self.chars_before(line_start) + 1
        };
        LineCol {
            line: line_idx + 1,
            column,
        }
    }

    /// Characters in the text before byte `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        let marks = self.char_marks.get_or_init(|| {
            let mut marks = Vec::with_capacity(bytes.len() / CHAR_MARK_BLOCK + 1);
            let mut seen = 0;
            for block in bytes.chunks(CHAR_MARK_BLOCK) {
                marks.push(seen);
                seen += char_count(block);
            }
            marks.push(seen);
            marks
        });
        let k = offset / CHAR_MARK_BLOCK;
        marks.get(k).copied().unwrap_or(0) + char_count(&bytes[k * CHAR_MARK_BLOCK..offset])
    }

    /// The 0-based line holding byte `offset` (clamped to the text) and the byte where
    /// that line starts.
    pub(crate) fn line_start_of(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let i = self
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        (i, self.line_starts.get(i).copied().unwrap_or(0))
    }

    /// The byte where the line after 0-based line `line` starts, if there is one (just
    /// past the newline that ends `line`).
    pub(crate) fn next_line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line + 1).copied()
    }

    /// The byte where 0-based line `line` starts (the end of the text past the last).
    pub(crate) fn line_start_of_line(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The byte just past the end of 0-based line `line` (its newline included), or the
    /// end of the text.
    pub(crate) fn line_end(&self, line: usize) -> usize {
        self.line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// Number of lines (a trailing newline does not start a new one).
    pub fn line_count(&self) -> usize {
        if self.text.ends_with('\n') {
            self.line_starts.len() - 1
        } else {
            self.line_starts.len()
        }
    }
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

    #[test]
    fn nul_bytes_mean_binary() {
        let err = SourceFile::from_bytes("x.bin", b"PK\x03\x04\x00".to_vec()).unwrap_err();
        assert!(matches!(err, SourceError::Binary { offset: 4, .. }));
    }
}
