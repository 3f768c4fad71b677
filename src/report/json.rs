//! JSON output: the stable machine-readable contract, version 1.
//!
//! ```json
//! {"version": 1,
//!  "diagnostics": [{"file": "...", "rule": "...", "severity": "error", "message": "...",
//!                   "help": "...", "start": {"line": 1, "column": 1, "offset": 0},
//!                   "end": {...}, "labels": [{"start": {...}, "end": {...},
//!                   "message": "..."}], "computed": 23.02}],
//!  "errors": [{"file": "...", "message": "..."}],
//!  "summary": {"files": 1, "errors": 0, "warnings": 0, "infos": 0}}
//! ```
//!
//! Lines and columns are 1-based, columns count Unicode scalar values, offsets are bytes
//! of the checked text (the original file for plain text and Markdown, the extracted
//! text for Word and HTML). For a file with a layout, a diagnostic also carries
//! `location`, the place of its claim in the document (`{"kind": "paragraph",
//! "paragraph": 17}` or `{"kind": "cell", "table": 2, "row": 4, "cell": 3}`); plain text
//! has none and the key is left out. `computed` is `null` when a rule computed nothing.
//!
//! The document is one JSON value, but it is streamed: each file's diagnostics are
//! written as the file is reported (laid out exactly as `serde_json`'s pretty printer lays
//! out the whole document), so memory holds one file's findings, not the run's; the
//! errors and the summary, which come after, are written by [`Reporter::finish`].
//!
//! A diagnostic has a fixed shape, so it is written by [`write_diagnostic`] straight into
//! a byte buffer, laid out byte for byte as `serde_json` lays it out, and the buffer goes
//! to the output in large writes: going through `serde` and an indenting writer cost
//! dozens of small virtual writes per field, more than checking the text did for some
//! files. The `serde` form ([`JsonDiagnostic`], kept for the tests) is the oracle it is
//! tested against.

use std::io::{self, Write};

use serde::Serialize;

use super::{Reporter, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{LineCursor, SourceFile};
#[cfg(test)]
use crate::source::{Location, Span};

/// The version of the JSON contract; bump it on any incompatible change.
pub const JSON_VERSION: u32 = 1;

/// Writes one pretty-printed JSON document: the diagnostics as files come, the file
/// errors and the summary at the end.
pub struct JsonReporter<W: Write> {
    out: W,
    /// The diagnostics of the file being reported, written to `out` in large pieces.
    buf: Vec<u8>,
    /// How a diagnostic is laid out, two levels deep in the document.
    layout: Layout,
    /// How far the document is written.
    state: Written,
    errors: Vec<JsonFileError>,
    summary: Summary,
}

/// How far the document is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    /// Nothing yet.
    Nothing,
    /// The document's start, up to the `[` of the diagnostics.
    Head,
    /// At least one diagnostic.
    Diagnostics,
}

impl<W: Write> JsonReporter<W> {
    /// A reporter writing its document to `out`.
    pub fn new(out: W) -> Self {
        JsonReporter {
            out,
            buf: Vec::new(),
            layout: Layout::new(Style::Pretty { depth: 2 }),
            state: Written::Nothing,
            errors: Vec::new(),
            summary: Summary::default(),
        }
    }

    /// Give back the writer (for tests).
    pub fn into_inner(self) -> W {
        self.out
    }

    /// Write the document's start, once.
    fn head(&mut self) -> io::Result<()> {
        if self.state == Written::Nothing {
            // The document up to the diagnostics array's `[`, as `serde_json` prints it.
            write!(
                self.out,
                "{{\n  \"version\": {JSON_VERSION},\n  \"diagnostics\": ["
            )?;
            self.state = Written::Head;
        }
        Ok(())
    }
}

/// Write `value` pretty-printed as `serde_json` prints it nested `depth` levels deep in a
/// pretty-printed document: every line after the first indented by two spaces a level.
///
/// `serde_json` prints into a buffer first, where its many small writes (a key, a quote,
/// two spaces for each level of indentation) are cheap, and the lines are then copied
/// to `out` each with its indentation in one write: indenting the writes as they came,
/// with a search for line feeds in each, cost more than building and printing the value
/// (a SARIF result is a hundred lines four levels deep).
pub(super) fn write_nested(
    out: &mut impl Write,
    value: &impl Serialize,
    depth: usize,
) -> io::Result<()> {
    let printed = serde_json::to_vec_pretty(value)?;
    // JSON strings escape their line breaks, so every line feed printed is layout.
    let indent = vec![b' '; 2 * depth];
    let mut rest = printed.as_slice();
    while let Some(i) = memchr::memchr(b'\n', rest) {
        out.write_all(&rest[..=i])?;
        out.write_all(&indent)?;
        rest = &rest[i + 1..];
    }
    out.write_all(rest)
}

/// Buffered JSON is handed to the output once it holds this many bytes.
pub(super) const FLUSH_AT: usize = 64 * 1024;

/// How [`write_diagnostic`] lays out its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    /// As `serde_json`'s pretty printer lays out a value nested `depth` levels deep.
    Pretty {
        /// Levels of two-space indentation the object sits at.
        depth: usize,
    },
    /// As `serde_json::to_writer` writes it: no whitespace.
    Compact,
}

/// The fixed text of a diagnostic object, between its strings and numbers.
///
/// A diagnostic has a fixed shape, so everything between two of its values (separators,
/// line breaks, indentation, keys) depends only on the style: each stretch is laid out
/// once, when a reporter starts, and appended whole for every diagnostic, where writing
/// the separator, the line break, the indentation and the key of each member one by one
/// cost more than the values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// From the `{` to the file's value.
    Open,
    /// To the rule's value.
    Rule,
    /// The severity `error` (key and value) and the message's key.
    Error,
    /// The same for `warning`.
    Warning,
    /// The same for `info`.
    Info,
    /// To the help's value.
    Help,
    /// To the start position's line.
    Start,
    /// Between a line and its column, in the diagnostic's positions.
    Column,
    /// Between a column and its offset, in the diagnostic's positions.
    Offset,
    /// From the start position's offset to the end position's line.
    End,
    /// The end position's close.
    EndClose,
    /// To the location's value.
    Location,
    /// To the labels' array's first element.
    Labels,
    /// From the array's `[` to the first label's start line.
    FirstLabel,
    /// From a label's message to the next label's start line.
    NextLabel,
    /// Between a line and its column, in a label's positions.
    LabelColumn,
    /// Between a column and its offset, in a label's positions.
    LabelOffset,
    /// From a label's start offset to its end line.
    LabelEnd,
    /// From a label's end offset to its message.
    LabelMessage,
    /// From the last label's message to the computed value.
    LabelsEnd,
    /// From an empty labels array's `[` to the computed value.
    NoLabelsEnd,
    /// The object's close.
    Close,
}

/// Every piece, in the order of [`Piece`]'s values, as a template: `\n` and a digit
/// `k` stand for a line break and the indentation of `k` levels below the object's
/// depth (nothing in compact output), and `": "` loses its space in compact output.
const TEMPLATES: [&str; 22] = [
    "{\n1\"file\": ",
    ",\n1\"rule\": ",
    ",\n1\"severity\": \"error\",\n1\"message\": ",
    ",\n1\"severity\": \"warning\",\n1\"message\": ",
    ",\n1\"severity\": \"info\",\n1\"message\": ",
    ",\n1\"help\": ",
    ",\n1\"start\": {\n2\"line\": ",
    ",\n2\"column\": ",
    ",\n2\"offset\": ",
    "\n1},\n1\"end\": {\n2\"line\": ",
    "\n1}",
    ",\n1\"location\": ",
    ",\n1\"labels\": [",
    "\n2{\n3\"start\": {\n4\"line\": ",
    "\n2},\n2{\n3\"start\": {\n4\"line\": ",
    ",\n4\"column\": ",
    ",\n4\"offset\": ",
    "\n3},\n3\"end\": {\n4\"line\": ",
    "\n3},\n3\"message\": ",
    "\n2}\n1],\n1\"computed\": ",
    "],\n1\"computed\": ",
    "\n0}",
];

/// Bytes appended for a piece of at most this length: the piece and what follows it in
/// [`Layout`]'s buffer, cut back (see [`push_prefix`]). Every piece of the JSON
/// document's diagnostics (two levels deep) fits.
const WINDOW: usize = 64;

/// The most pieces a [`Layout`] holds: those of a JSON diagnostic or a SARIF result.
const MAX_PIECES: usize = 32;

/// The pieces of a diagnostic object in one style (see [`Piece`]).
#[derive(Debug, Clone)]
pub(super) struct Layout {
    /// The pieces one after another, each followed by [`WINDOW`] bytes of padding, so
    /// that a window of that length from any piece's start lies in the buffer.
    bytes: Vec<u8>,
    /// Where each piece starts in `bytes`, and its length (of the first [`MAX_PIECES`]
    /// templates; the rest are empty). An array, so that a piece named by a constant is
    /// looked up without a bounds test.
    pieces: [(usize, usize); MAX_PIECES],
    /// The style: for the location, which `serde` writes.
    style: Style,
}

impl Layout {
    /// The pieces of a diagnostic object written in `style`.
    pub(super) fn new(style: Style) -> Self {
        Self::from_templates(&TEMPLATES, style)
    }

    /// The pieces of `templates` (written as [`TEMPLATES`] are) laid out in `style`, for
    /// [`Self::put_at`] by their index.
    pub(super) fn from_templates(templates: &[impl AsRef<str>], style: Style) -> Self {
        let (pretty, depth) = match style {
            Style::Pretty { depth } => (true, depth),
            Style::Compact => (false, 0),
        };
        let mut bytes = Vec::new();
        debug_assert!(templates.len() <= MAX_PIECES);
        let mut pieces = [(0, 0); MAX_PIECES];
        for (piece, template) in pieces.iter_mut().zip(templates) {
            let start = bytes.len();
            let mut chars = template.as_ref().bytes().peekable();
            while let Some(b) = chars.next() {
                match b {
                    b'\n' => {
                        let levels = chars.next().map_or(0, |k| usize::from(k - b'0'));
                        if pretty {
                            bytes.push(b'\n');
                            bytes.resize(bytes.len() + 2 * (depth + levels), b' ');
                        }
                    }
                    b':' => {
                        bytes.push(b':');
                        if chars.next_if_eq(&b' ').is_some() && pretty {
                            bytes.push(b' ');
                        }
                    }
                    _ => bytes.push(b),
                }
            }
            *piece = (start, bytes.len() - start);
            bytes.resize(bytes.len() + WINDOW, 0);
        }
        Layout {
            bytes,
            pieces,
            style,
        }
    }

    /// Append `piece`.
    #[inline]
    fn put(&self, out: &mut Vec<u8>, piece: Piece) {
        self.put_at(out, piece as usize);
    }

    /// Append the piece of index `i` (nothing when there is none).
    #[inline]
    pub(super) fn put_at(&self, out: &mut Vec<u8>, i: usize) {
        let (start, len) = self.pieces.get(i).copied().unwrap_or_default();
        match self
            .bytes
            .get(start..)
            .and_then(<[u8]>::first_chunk::<WINDOW>)
        {
            Some(window) if len <= WINDOW => push_prefix(out, window, len),
            _ => out.extend_from_slice(self.bytes.get(start..start + len).unwrap_or_default()),
        }
    }
}

/// Append diagnostic `d` of `file` to `out` as one JSON object (the JSON contract's
/// diagnostic; one line of JSON lines) laid out by `layout`, with the positions looked
/// up by `lines`, a cursor of `file`.
pub(super) fn write_diagnostic(
    out: &mut Vec<u8>,
    layout: &Layout,
    file: &SourceFile,
    lines: &mut LineCursor<'_>,
    d: &Diagnostic,
) -> io::Result<()> {
    // Room for a typical diagnostic, so that the pushes below rarely grow the buffer.
    out.reserve(2048);
    let position = |out: &mut Vec<u8>, lines: &mut LineCursor<'_>, offset: usize, label: bool| {
        let offset = offset.min(file.len());
        let at = lines.line_col(offset);
        push_decimal(out, at.line);
        layout.put(
            out,
            if label {
                Piece::LabelColumn
            } else {
                Piece::Column
            },
        );
        push_decimal(out, at.column);
        layout.put(
            out,
            if label {
                Piece::LabelOffset
            } else {
                Piece::Offset
            },
        );
        push_decimal(out, offset);
    };
    layout.put(out, Piece::Open);
    push_string(out, file.name());
    layout.put(out, Piece::Rule);
    push_string(out, &d.rule);
    layout.put(
        out,
        match d.severity {
            Severity::Error => Piece::Error,
            Severity::Warning => Piece::Warning,
            Severity::Info => Piece::Info,
        },
    );
    push_string(out, &d.message);
    layout.put(out, Piece::Help);
    push_string(out, &d.help);
    layout.put(out, Piece::Start);
    position(out, lines, d.span.start, false);
    layout.put(out, Piece::End);
    position(out, lines, d.span.end, false);
    layout.put(out, Piece::EndClose);
    if let Some(location) = file.layout().location_at(d.span.start) {
        layout.put(out, Piece::Location);
        // Rare (files with a layout only) and of several shapes: `serde` writes it.
        match layout.style {
            Style::Pretty { depth } => write_nested(out, &location, depth + 1)?,
            Style::Compact => serde_json::to_writer(&mut *out, &location)?,
        }
    }
    layout.put(out, Piece::Labels);
    for (i, label) in d.labels.iter().enumerate() {
        layout.put(
            out,
            if i == 0 {
                Piece::FirstLabel
            } else {
                Piece::NextLabel
            },
        );
        position(out, lines, label.span.start, true);
        layout.put(out, Piece::LabelEnd);
        position(out, lines, label.span.end, true);
        layout.put(out, Piece::LabelMessage);
        push_string(out, &label.message);
    }
    layout.put(
        out,
        if d.labels.is_empty() {
            Piece::NoLabelsEnd
        } else {
            Piece::LabelsEnd
        },
    );
    // serde_json writes NaN and infinities as null too; say so explicitly. Finite values
    // go through serde_json, so they are spelled as it spells them.
    match d.computed.filter(|v| v.is_finite()) {
        Some(v) => serde_json::to_writer(&mut *out, &v)?,
        None => out.extend_from_slice(b"null"),
    }
    layout.put(out, Piece::Close);
    Ok(())
}

/// Append `value` as a JSON string, escaped as `serde_json` escapes it: `"` and `\`, and
/// control characters (`\n`, `\t`, ... or `\u00XX`); everything else as it is.
pub(super) fn push_string(out: &mut Vec<u8>, value: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = value.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // Most strings have nothing to escape: one test per sixteen bytes, then one copy.
    if !needs_escape(bytes) {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut plain = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[plain..i]);
        if short.is_empty() {
            let code = [
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ];
            out.extend_from_slice(&code);
        } else {
            out.extend_from_slice(short);
        }
        plain = i + 1;
    }
    out.extend_from_slice(&bytes[plain..]);
    out.push(b'"');
}

/// Append the first `len` bytes of `bytes` (`len <= N`) by appending all `N`, then
/// cutting back: a copy of a length known at compile time is a few moves, where one of
/// `len` bytes was a call to `memcpy`. Pieces of layout and numbers are written this way.
fn push_prefix<const N: usize>(out: &mut Vec<u8>, bytes: &[u8; N], len: usize) {
    let at = out.len();
    out.extend_from_slice(bytes);
    out.truncate(at + len);
}

/// The eight decimal digits of `n` (below 10^8, leading zeros included), one a byte,
/// the most significant first in memory (little-endian): each half of four digits is
/// split into pairs and each pair into digits in all lanes of a `u64` at once, by
/// multiplications that divide exactly in the range each lane holds.
fn eight_digits(n: u32) -> u64 {
    debug_assert!(n < 100_000_000);
    // Lane of 32 bits each: the high four digits in the low lane, the low four above.
    let halves = u64::from(n / 10_000) | (u64::from(n % 10_000) << 32);
    // x / 100 for x below 10^4 is (x * 10486) >> 20.
    let hundreds = ((halves * 10_486) >> 20) & 0x0000_007f_0000_007f;
    let pairs = ((halves - 100 * hundreds) << 16) | hundreds;
    // x / 10 for x below 100 is (x * 103) >> 10, in lanes of 16 bits.
    let tens = ((pairs * 103) >> 10) & 0x000f_000f_000f_000f;
    ((pairs - 10 * tens) << 8) | tens
}

/// Append `n` in decimal to `out`. A diagnostic has two dozen numbers (lines, columns,
/// offsets): all eight digits of a number below 10^8 are made at once (see
/// [`eight_digits`]) and appended as one fixed eight-byte window from the first that is
/// not a leading zero, where a division a pair of digits cost more than the rest of a
/// position.
#[inline]
pub(super) fn push_decimal(out: &mut Vec<u8>, n: usize) {
    match u32::try_from(n) {
        Ok(small) if small < 100_000_000 => {
            let digits = eight_digits(small);
            // The leading zeros are the low bytes that are zero: all but the last for 0.
            let skip = (digits.trailing_zeros() / 8).min(7);
            push_digits(out, digits >> (8 * skip), 8 - skip as usize);
        }
        _ => push_large_decimal(out, n),
    }
}

/// [`push_decimal`] for a number of nine digits or more (an offset past 100 MB).
#[cold]
fn push_large_decimal(out: &mut Vec<u8>, n: usize) {
    push_decimal(out, n / 100_000_000);
    // The remainder is below 10^8, and all its eight digits are shown.
    let low = u32::try_from(n % 100_000_000).unwrap_or(0);
    push_digits(out, eight_digits(low), 8);
}

/// Append the first `len` digits of `digits` (one a byte, as [`eight_digits`] lays
/// them out) as ASCII.
#[inline]
fn push_digits(out: &mut Vec<u8>, digits: u64, len: usize) {
    const ZEROS: u64 = u64::from_le_bytes([b'0'; 8]);
    push_prefix(out, &(digits | ZEROS).to_le_bytes(), len);
}

/// Whether `bytes` hold a byte that a JSON string escapes: `"`, `\\` or a control
/// character. Sixteen bytes at a time (the last sixteen may overlap the ones before),
/// or two overlapping eight-byte words for a short string: messages run to hundreds of
/// bytes, and testing them a byte at a time was most of the cost of writing them.
fn needs_escape(bytes: &[u8]) -> bool {
    use crate::swar::ascii_in_range;
    use wide::u8x16;
    let escaped16 = |lane: &[u8; 16]| {
        let v = u8x16::new(*lane);
        (v.min(u8x16::splat(0x1f)).simd_eq(v)
            | v.simd_eq(u8x16::splat(b'"'))
            | v.simd_eq(u8x16::splat(b'\\')))
        .any()
    };
    let escaped8 = |word: &[u8; 8]| {
        let x = u64::from_le_bytes(*word);
        ascii_in_range(x, 0, 0x1f) | ascii_in_range(x, b'"', b'"') | ascii_in_range(x, b'\\', b'\\')
            != 0
    };
    if let Some(last) = bytes.last_chunk::<16>() {
        let (lanes, _) = bytes.as_chunks::<16>();
        return lanes.iter().any(escaped16) || escaped16(last);
    }
    if let (Some(first), Some(last)) = (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
        return escaped8(first) || escaped8(last);
    }
    bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

/// One diagnostic as the JSON contract writes it, through `serde`: the oracle the tests
/// hold [`write_diagnostic`] to.
#[cfg(test)]
#[derive(Serialize)]
pub(super) struct JsonDiagnostic<'a> {
    file: &'a str,
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    help: &'a str,
    start: Position,
    end: Position,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Location>,
    labels: Vec<JsonLabel<'a>>,
    computed: Option<f64>,
}

#[cfg(test)]
impl<'a> JsonDiagnostic<'a> {
    /// A diagnostic of `file` with its positions resolved.
    pub(super) fn new(file: &'a SourceFile, d: &'a Diagnostic) -> Self {
        let (start, end) = Position::span(file, d.span);
        JsonDiagnostic {
            file: file.name(),
            rule: &d.rule,
            severity: d.severity,
            message: &d.message,
            help: &d.help,
            start,
            end,
            location: file.layout().location_at(d.span.start),
            labels: d
                .labels
                .iter()
                .map(|l| {
                    let (start, end) = Position::span(file, l.span);
                    JsonLabel {
                        start,
                        end,
                        message: &l.message,
                    }
                })
                .collect(),
            // serde_json writes NaN and infinities as null too; say so explicitly.
            computed: d.computed.filter(|v| v.is_finite()),
        }
    }
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonLabel<'a> {
    start: Position,
    end: Position,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonFileError {
    file: String,
    message: String,
}

/// The reason a file could not be read, without the file name that source errors lead
/// with (machine formats give the name a field of its own).
pub(super) fn error_message(file: &str, err: &dyn miette::Diagnostic) -> String {
    let message = err.to_string();
    message
        .strip_prefix(file)
        .and_then(|m| m.strip_prefix(": "))
        .map_or_else(|| message.clone(), str::to_owned)
}

#[cfg(test)]
#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
    offset: usize,
}

#[cfg(test)]
impl Position {
    fn at(file: &SourceFile, offset: usize) -> Self {
        let offset = offset.min(file.len());
        let lc = file.line_col(offset);
        Position {
            line: lc.line,
            column: lc.column,
            offset,
        }
    }

    fn span(file: &SourceFile, span: Span) -> (Self, Self) {
        (Self::at(file, span.start), Self::at(file, span.end))
    }
}

impl<W: Write> Reporter for JsonReporter<W> {
    fn file(&mut self, file: &SourceFile, diags: &[Diagnostic]) -> io::Result<()> {
        self.summary.record_file(diags);
        self.head()?;
        let mut lines = file.line_cursor();
        for d in diags {
            // As `serde_json` separates the elements of an array two levels deep.
            let sep: &[u8] = match self.state {
                Written::Diagnostics => b",\n    ",
                _ => b"\n    ",
            };
            self.buf.extend_from_slice(sep);
            write_diagnostic(&mut self.buf, &self.layout, file, &mut lines, d)?;
            self.state = Written::Diagnostics;
            if self.buf.len() >= FLUSH_AT {
                self.out.write_all(&self.buf)?;
                self.buf.clear();
            }
        }
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    fn error(&mut self, file: &str, err: &dyn miette::Diagnostic) -> io::Result<()> {
        self.summary.record_unreadable();
        self.errors.push(JsonFileError {
            file: file.to_owned(),
            message: error_message(file, err),
        });
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.head()?;
        let close: &[u8] = match self.state {
            Written::Diagnostics => b"\n  ],\n  \"errors\": ",
            _ => b"],\n  \"errors\": ",
        };
        self.out.write_all(close)?;
        write_nested(&mut self.out, &self.errors, 1)?;
        self.out.write_all(b",\n  \"summary\": ")?;
        write_nested(&mut self.out, &self.summary, 1)?;
        self.out.write_all(b"\n}\n")?;
        self.out.flush()
    }

    fn summary(&self) -> &Summary {
        &self.summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::{SHARE_TEXT, share_file_at, share_finding};
    use serde_json::{Value, json};

    fn document(reporter: JsonReporter<Vec<u8>>) -> Value {
        let bytes = reporter.into_inner();
        serde_json::from_slice(&bytes).expect("valid JSON")
    }

    #[test]
    fn finding_has_positions_labels_and_computed() {
        let file = SourceFile::from_text("seeds/kaz.txt", SHARE_TEXT.to_owned());
        let mut reporter = JsonReporter::new(Vec::new());
        reporter
            .file(&file, &[share_finding(SHARE_TEXT)])
            .expect("in-memory write");
        reporter.finish().expect("in-memory write");
        let doc = document(reporter);

        assert_eq!(doc["version"], 1);
        assert_eq!(
            doc["summary"],
            json!({"files": 1, "errors": 1, "warnings": 0, "infos": 0})
        );
        assert_eq!(doc["errors"], json!([]));
        let d = &doc["diagnostics"][0];
        assert_eq!(d["file"], "seeds/kaz.txt");
        assert_eq!(d["rule"], "share-mismatch");
        assert_eq!(d["severity"], "error");
        assert_eq!(d["help"], "786 / 3,415 = 23.02 per cent");
        let percent = SHARE_TEXT.find("21.02").unwrap();
        assert_eq!(
            d["start"],
            json!({"line": 3, "column": 31, "offset": percent})
        );
        let whole_end = SHARE_TEXT.find("3,415").unwrap() + 5;
        assert_eq!(
            d["end"],
            json!({"line": 5, "column": 13, "offset": whole_end})
        );
        assert_eq!(d["labels"].as_array().map(Vec::len), Some(3));
        assert_eq!(d["labels"][1]["message"], "part: 786");
        assert_eq!(d["labels"][1]["start"]["line"], 3);
        assert!((d["computed"].as_f64().unwrap() - 23.016).abs() < 1e-3);
    }

    #[test]
    fn columns_count_characters_and_offsets_bytes() {
        let text = "«Égalité» 45%\n";
        let file = SourceFile::from_text("fr.txt", text.to_owned());
        let start = text.find("45%").unwrap();
        let diag = Diagnostic {
            span: Span::new(start, start + 3),
            labels: vec![],
            computed: None,
            ..share_finding(SHARE_TEXT)
        };
        let mut reporter = JsonReporter::new(Vec::new());
        reporter.file(&file, &[diag]).unwrap();
        reporter.finish().unwrap();
        let doc = document(reporter);
        let d = &doc["diagnostics"][0];
        assert_eq!(
            d["start"],
            json!({"line": 1, "column": 11, "offset": start})
        );
        assert_eq!(d["computed"], Value::Null);
    }

    #[test]
    fn file_errors_are_listed_without_repeating_the_name() {
        let err = SourceFile::from_bytes("bad.txt", b"ok\n\xff".to_vec()).unwrap_err();
        let mut reporter = JsonReporter::new(Vec::new());
        reporter.error("bad.txt", &err).unwrap();
        reporter.finish().unwrap();
        let doc = document(reporter);
        assert_eq!(
            doc["errors"],
            json!([{"file": "bad.txt", "message": "invalid UTF-8 at byte 3 (line 2)"}])
        );
        assert_eq!(doc["summary"]["files"], 0);
    }

    #[test]
    fn files_with_a_layout_give_the_claims_location() {
        let file = share_file_at(Location::Cell {
            table: 2,
            row: 4,
            cell: 3,
        });
        let mut reporter = JsonReporter::new(Vec::new());
        reporter.file(&file, &[share_finding(SHARE_TEXT)]).unwrap();
        reporter.finish().unwrap();
        let doc = document(reporter);
        let d = &doc["diagnostics"][0];
        assert_eq!(
            d["location"],
            json!({"kind": "cell", "table": 2, "row": 4, "cell": 3})
        );
        assert_eq!(d["start"]["line"], 3, "positions stay those of the text");
    }

    #[test]
    fn plain_text_has_no_location_key() {
        let file = SourceFile::from_text("a.txt", SHARE_TEXT.to_owned());
        let mut reporter = JsonReporter::new(Vec::new());
        reporter.file(&file, &[share_finding(SHARE_TEXT)]).unwrap();
        reporter.finish().unwrap();
        let doc = document(reporter);
        assert!(doc["diagnostics"][0].get("location").is_none());
    }

    /// The whole document as `serde_json` pretty-prints it in one go.
    #[derive(Serialize)]
    struct Document<'a> {
        version: u32,
        diagnostics: Vec<JsonDiagnostic<'a>>,
        errors: Vec<JsonFileError>,
        summary: Summary,
    }

    #[test]
    fn the_streamed_document_is_the_pretty_printed_one() {
        let file = SourceFile::from_text("a.txt", SHARE_TEXT.to_owned());
        let other = SourceFile::from_text("b\n\"c\".txt", SHARE_TEXT.to_owned());
        let finding = share_finding(SHARE_TEXT);
        let err = SourceFile::from_bytes("bad.txt", b"ok\n\xff".to_vec()).unwrap_err();
        // (files with their findings, unreadable files)
        let runs: [(&[(&SourceFile, usize)], usize); 5] = [
            (&[], 0),
            (&[(&file, 0)], 0),
            (&[(&file, 0)], 2),
            (&[(&file, 1)], 0),
            (&[(&file, 2), (&other, 0), (&other, 1)], 1),
        ];
        for (run, (files, errors)) in runs.into_iter().enumerate() {
            let mut reporter = JsonReporter::new(Vec::new());
            let mut whole = Document {
                version: JSON_VERSION,
                diagnostics: Vec::new(),
                errors: Vec::new(),
                summary: Summary::default(),
            };
            let findings = vec![finding.clone(); 2];
            for &(f, n) in files {
                reporter.file(f, &findings[..n]).unwrap();
                whole.summary.record_file(&findings[..n]);
                whole
                    .diagnostics
                    .extend(findings[..n].iter().map(|d| JsonDiagnostic::new(f, d)));
            }
            for _ in 0..errors {
                reporter.error("bad.txt", &err).unwrap();
                whole.summary.record_unreadable();
                whole.errors.push(JsonFileError {
                    file: "bad.txt".into(),
                    message: error_message("bad.txt", &err),
                });
            }
            reporter.finish().unwrap();
            let mut want = serde_json::to_vec_pretty(&whole).unwrap();
            want.push(b'\n');
            assert_eq!(
                String::from_utf8(reporter.into_inner()).unwrap(),
                String::from_utf8(want).unwrap(),
                "run {run}"
            );
        }
    }

    proptest::proptest! {
        /// The hand-written diagnostic is the one `serde_json` writes, pretty at any depth
        /// and compact: escapes, positions (any order, clamped), labels, locations,
        /// computed values that are not finite.
        #[test]
        fn diagnostics_are_written_as_serde_json_writes_them(
            text in "[a é\n\r]{0,40}",
            name in "[a\"\\\\/é\u{1}\u{1f}\u{7f}\n\t]{0,6}",
            message in "[a\"\\\\é\u{0}\u{8}\u{c}\u{1b}\r\n\t€]{0,12}",
            spans in proptest::collection::vec((0usize..50, 0usize..50), 1..5),
            computed in proptest::option::of(proptest::num::f64::ANY),
            located in proptest::bool::ANY,
            depth in 0usize..12,
        ) {
            let layout = if located {
                crate::source::Layout {
                    blocks: vec![crate::source::Block {
                        span: Span::new(0, text.len()),
                        location: Location::Paragraph { paragraph: 3 },
                    }],
                    tables: Vec::new(),
                }
            } else {
                crate::source::Layout::default()
            };
            let file = SourceFile::from_extracted(name, text, &[], layout);
            let span = |&(a, b): &(usize, usize)| Span::new(a.min(b), a.max(b));
            let d = Diagnostic {
                rule: "share-mismatch".into(),
                severity: Severity::Warning,
                message: message.clone(),
                span: span(&spans[0]),
                labels: spans[1..]
                    .iter()
                    .map(|s| crate::diagnostic::Label { span: span(s), message: message.clone() })
                    .collect(),
                help: format!("{message}{message}"),
                computed,
            };
            let oracle = JsonDiagnostic::new(&file, &d);
            let mut want = Vec::new();
            write_nested(&mut want, &oracle, depth).unwrap();
            let mut got = Vec::new();
            write_diagnostic(&mut got, &Layout::new(Style::Pretty { depth }), &file, &mut file.line_cursor(), &d)
                .unwrap();
            proptest::prop_assert_eq!(String::from_utf8(got), String::from_utf8(want));
            let want = serde_json::to_vec(&oracle).unwrap();
            let mut got = Vec::new();
            write_diagnostic(&mut got, &Layout::new(Style::Compact), &file, &mut file.line_cursor(), &d).unwrap();
            proptest::prop_assert_eq!(String::from_utf8(got), String::from_utf8(want));
        }
    }

    #[test]
    fn numbers_at_the_edges_of_the_eight_digit_path() {
        for n in [
            0,
            9,
            10,
            99,
            100,
            10_000,
            99_999_999,
            100_000_000,
            100_000_001,
            u32::MAX as usize,
            usize::MAX,
        ] {
            let mut out = Vec::new();
            push_decimal(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }

    proptest::proptest! {
        /// Numbers are written as `to_string` writes them, at every length.
        #[test]
        fn numbers_are_written_in_decimal(n in proptest::num::usize::ANY, digits in 0u32..20) {
            let n = n % 10usize.saturating_pow(digits).max(1);
            let mut out = Vec::new();
            push_decimal(&mut out, n);
            proptest::prop_assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }

    proptest::proptest! {
        /// The eight-bytes-at-a-time test finds what a byte-by-byte one finds, at any
        /// place in a long string (bytes next to the escaped ones included: `!`, `#`,
        /// `[`, `]`, DEL, 0x80 and above).
        #[test]
        fn escapes_are_found_wherever_they_are(
            plain in proptest::collection::vec(proptest::sample::select(
                vec![b'a', b' ', b'!', b'#', b'[', b']', 0x7f, 0x80, 0xc3, 0xff]), 0..40),
            special in proptest::option::of((0usize..40, proptest::sample::select(
                vec![b'"', b'\\', 0u8, 0x1f, b'\n']))),
        ) {
            let mut bytes = plain;
            if let Some((at, b)) = special {
                bytes.insert(at.min(bytes.len()), b);
            }
            let want = bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
            proptest::prop_assert_eq!(needs_escape(&bytes), want);
        }
    }

    #[test]
    fn output_is_deterministic() {
        let render = || {
            let file = SourceFile::from_text("a.txt", SHARE_TEXT.to_owned());
            let mut reporter = JsonReporter::new(Vec::new());
            reporter.file(&file, &[share_finding(SHARE_TEXT)]).unwrap();
            reporter.finish().unwrap();
            reporter.into_inner()
        };
        let first = render();
        assert_eq!(first, render());
        insta::assert_snapshot!(String::from_utf8(first).unwrap());
    }
}
