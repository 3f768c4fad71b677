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
use crate::diagnostic::Diagnostic;
#[cfg(test)]
use crate::diagnostic::Severity;
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
pub(super) fn write_nested(
    out: &mut impl Write,
    value: &impl Serialize,
    depth: usize,
) -> io::Result<()> {
    let mut indented = Indented { out, depth };
    serde_json::to_writer_pretty(&mut indented, value)?;
    Ok(())
}

/// A writer that indents every line after the first by `depth` levels. JSON strings
/// escape their line breaks, so every line feed in `serde_json`'s output is layout.
struct Indented<'a, W: Write> {
    out: &'a mut W,
    depth: usize,
}

impl<W: Write> Write for Indented<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        const SPACES: &[u8] = b"                                ";
        let mut rest = buf;
        while let Some(i) = memchr::memchr(b'\n', rest) {
            self.out.write_all(&rest[..=i])?;
            for _ in 0..self.depth {
                self.out.write_all(&SPACES[..2])?;
            }
            rest = &rest[i + 1..];
        }
        self.out.write_all(rest)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
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

/// Append diagnostic `d` of `file` to `out` as one JSON object (the JSON contract's
/// diagnostic; one line of JSON lines), with the positions looked up by `lines`, a cursor
/// of `file`.
pub(super) fn write_diagnostic(
    out: &mut Vec<u8>,
    style: Style,
    file: &SourceFile,
    lines: &mut LineCursor<'_>,
    d: &Diagnostic,
) -> io::Result<()> {
    // Room for a typical diagnostic, so that the pushes below rarely grow the buffer.
    out.reserve(2048);
    let mut w = JsonOut::new(out, style);
    w.begin(b'{');
    w.key(br#""file""#);
    w.string(file.name());
    w.key(br#""rule""#);
    w.string(&d.rule);
    w.key(br#""severity""#);
    w.string(d.severity.as_str());
    w.key(br#""message""#);
    w.string(&d.message);
    w.key(br#""help""#);
    w.string(&d.help);
    w.position(br#""start""#, file, lines, d.span.start);
    w.position(br#""end""#, file, lines, d.span.end);
    if let Some(location) = file.layout().location_at(d.span.start) {
        w.key(br#""location""#);
        // Rare (files with a layout only) and of several shapes: `serde` writes it.
        match style {
            Style::Pretty { .. } => write_nested(w.out, &location, w.depth)?,
            Style::Compact => serde_json::to_writer(&mut *w.out, &location)?,
        }
    }
    w.key(br#""labels""#);
    w.begin(b'[');
    for label in &d.labels {
        w.element();
        w.begin(b'{');
        w.position(br#""start""#, file, lines, label.span.start);
        w.position(br#""end""#, file, lines, label.span.end);
        w.key(br#""message""#);
        w.string(&label.message);
        w.end(b'}');
    }
    w.end(b']');
    w.key(br#""computed""#);
    // serde_json writes NaN and infinities as null too; say so explicitly. Finite values
    // go through serde_json, so they are spelled as it spells them.
    match d.computed.filter(|v| v.is_finite()) {
        Some(v) => serde_json::to_writer(&mut *w.out, &v)?,
        None => w.out.extend_from_slice(b"null"),
    }
    w.end(b'}');
    Ok(())
}

/// A JSON writer for objects and arrays of a known shape, laying them out as
/// `serde_json` does: pretty (`"key": value`, two spaces a level, `{}` and `[]` when
/// empty) or compact.
struct JsonOut<'a> {
    out: &'a mut Vec<u8>,
    pretty: bool,
    /// Levels of indentation of the members being written.
    depth: usize,
    /// True until the innermost open object or array has a member.
    first: bool,
}

impl<'a> JsonOut<'a> {
    fn new(out: &'a mut Vec<u8>, style: Style) -> Self {
        let (pretty, depth) = match style {
            Style::Pretty { depth } => (true, depth),
            Style::Compact => (false, 0),
        };
        JsonOut {
            out,
            pretty,
            depth,
            first: true,
        }
    }

    /// A line break and the indentation of the current depth (pretty only).
    fn newline(&mut self) {
        push_newline(self.out, self.pretty, self.depth);
    }

    /// Open an object (`{`) or an array (`[`).
    fn begin(&mut self, open: u8) {
        self.out.push(open);
        self.depth += 1;
        self.first = true;
    }

    /// Close the innermost object or array; its parent now has a member.
    fn end(&mut self, close: u8) {
        self.depth -= 1;
        if !self.first {
            self.newline();
        }
        self.out.push(close);
        self.first = false;
    }

    /// Start the next member of an object: separator, key (quoted, with nothing to
    /// escape), colon.
    /// The key's length is a constant of each call (`N`), so that its copy is a few
    /// moves, not a call to `memcpy`.
    fn key<const N: usize>(&mut self, key: &[u8; N]) {
        self.element();
        self.out.extend_from_slice(key);
        self.out
            .extend_from_slice(if self.pretty { b": " } else { b":" });
    }

    /// Start the next element of an array.
    fn element(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.newline();
        self.first = false;
    }

    /// A string, escaped as `serde_json` escapes it: `"` and `\`, and control
    /// characters (`\n`, `\t`, ... or `\u00XX`); everything else as it is.
    fn string(&mut self, value: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let bytes = value.as_bytes();
        self.out.reserve(bytes.len() + 2);
        self.out.push(b'"');
        // Most strings have nothing to escape: one test per byte, then one copy.
        if !needs_escape(bytes) {
            self.out.extend_from_slice(bytes);
            self.out.push(b'"');
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
            self.out.extend_from_slice(&bytes[plain..i]);
            if short.is_empty() {
                let code = [
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(b >> 4)],
                    HEX[usize::from(b & 0xf)],
                ];
                self.out.extend_from_slice(&code);
            } else {
                self.out.extend_from_slice(short);
            }
            plain = i + 1;
        }
        self.out.extend_from_slice(&bytes[plain..]);
        self.out.push(b'"');
    }

    /// Member `key`: the position `{"line", "column", "offset"}` of byte `offset`
    /// (clamped to the text).
    fn position<const N: usize>(
        &mut self,
        key: &[u8; N],
        file: &SourceFile,
        lines: &mut LineCursor<'_>,
        offset: usize,
    ) {
        let offset = offset.min(file.len());
        let at = lines.line_col(offset);
        self.key(key);
        // A position has a fixed shape: its members are written straight, without the
        // separator bookkeeping of `key`, which cost more than the numbers.
        let (pretty, depth) = (self.pretty, self.depth);
        let out = &mut *self.out;
        if !pretty {
            // Compact output (the usual one, for tools) in fixed pieces: each copy has a
            // length known at compile time, so none is a call to `memcpy`.
            out.extend_from_slice(br#"{"line":"#);
            push_decimal(out, at.line);
            out.extend_from_slice(br#","column":"#);
            push_decimal(out, at.column);
            out.extend_from_slice(br#","offset":"#);
            push_decimal(out, offset);
            out.push(b'}');
            return;
        }
        if let Some([open, column, offset_key, close]) = POSITION_PIECES.get(depth) {
            // The layout between the numbers depends only on the depth: four fixed pieces,
            // each appended whole and cut back (see `push_piece`), where writing the
            // line breaks, indentation and keys one by one cost more than the numbers.
            out.reserve(4 * PIECE + 3 * 20);
            push_piece(out, open);
            push_decimal(out, at.line);
            push_piece(out, column);
            push_decimal(out, at.column);
            push_piece(out, offset_key);
            push_decimal(out, offset);
            push_piece(out, close);
            return;
        }
        out.push(b'{');
        let members: [(&[u8], usize); 3] = [
            (br#""line""#, at.line),
            (br#""column""#, at.column),
            (br#""offset""#, offset),
        ];
        for (i, (name, value)) in members.into_iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_newline(out, pretty, depth + 1);
            out.extend_from_slice(name);
            out.extend_from_slice(if pretty { b": " } else { b":" });
            push_decimal(out, value);
        }
        push_newline(out, pretty, depth);
        out.push(b'}');
    }
}

/// Bytes of room for one piece of a pretty position (see [`POSITION_PIECES`]).
const PIECE: usize = 32;

/// A piece of fixed layout: its bytes, padded to [`PIECE`], and its length.
type Piece = ([u8; PIECE], usize);

/// `lead`, a line break, `levels` levels of two-space indentation and `key`, as a piece.
const fn piece(lead: &[u8], levels: usize, key: &[u8]) -> Piece {
    let mut bytes = [b' '; PIECE];
    let mut len = 0;
    let mut i = 0;
    while i < lead.len() {
        bytes[len] = lead[i];
        len += 1;
        i += 1;
    }
    bytes[len] = b'\n';
    len += 1 + 2 * levels;
    let mut i = 0;
    while i < key.len() {
        bytes[len] = key[i];
        len += 1;
        i += 1;
    }
    (bytes, len)
}

/// The layout of a pretty position whose object sits at depth `d` (its members at
/// `d + 1`), for each `d` below the table's length: from `{` to the line's value, from
/// `,` to the column's value, from `,` to the offset's value, and from the line break to
/// `}`. Positions sit three and five levels deep in the JSON document.
const POSITION_PIECES: [[Piece; 4]; 10] = {
    let mut table = [[([0; PIECE], 0); 4]; 10];
    let mut d = 0;
    while d < table.len() {
        table[d] = [
            piece(b"{", d + 1, br#""line": "#),
            piece(b",", d + 1, br#""column": "#),
            piece(b",", d + 1, br#""offset": "#),
            piece(b"", d, b"}"),
        ];
        d += 1;
    }
    table
};

/// Append `piece`: its first `len` bytes (see [`push_prefix`]).
fn push_piece(out: &mut Vec<u8>, (bytes, len): &Piece) {
    push_prefix(out, bytes, *len);
}

/// Append the first `len` bytes of `bytes` (`len <= N`) by appending all `N`, then
/// cutting back: a copy of a length known at compile time is a few moves, where one of
/// `len` bytes was a call to `memcpy`. Positions, indentation and numbers are written
/// this way.
fn push_prefix<const N: usize>(out: &mut Vec<u8>, bytes: &[u8; N], len: usize) {
    let at = out.len();
    out.extend_from_slice(bytes);
    out.truncate(at + len);
}

/// A line break and `depth` levels of two-space indentation, when `pretty`.
fn push_newline(out: &mut Vec<u8>, pretty: bool, depth: usize) {
    const INDENT: &[u8; 17] = b"\n                ";
    if pretty {
        match INDENT.get(..1 + 2 * depth) {
            Some(indent) => push_prefix(out, INDENT, indent.len()),
            None => {
                out.push(b'\n');
                for _ in 0..depth {
                    out.extend_from_slice(b"  ");
                }
            }
        }
    }
}

/// The two digits of every number below 100, one pair after another.
const DIGIT_PAIRS: [u8; 200] = {
    let mut pairs = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        // `i / 10` and `i % 10` are below 10: the casts keep every value.
        pairs[2 * i] = b'0' + (i / 10) as u8;
        pairs[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    pairs
};

/// Append `n` in decimal to `out`, two digits a division: a diagnostic has a dozen
/// numbers (lines, columns, offsets), and one digit a division was a tenth of the cost
/// of writing it.
fn push_decimal(out: &mut Vec<u8>, mut n: usize) {
    // The digits are laid out backwards, ending at byte `DIGITS` of a buffer with as many
    // bytes after them, so that a window of fixed length starting at the first digit can
    // be appended by `push_prefix`, without counting the digits first (`ilog10` cost a
    // quarter of writing them).
    const DIGITS: usize = 20;
    let mut digits = [0u8; 2 * DIGITS];
    let mut at = DIGITS;
    while n >= 100 {
        let pair = 2 * (n % 100);
        n /= 100;
        at -= 2;
        digits[at..at + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        at -= 2;
        digits[at..at + 2].copy_from_slice(&DIGIT_PAIRS[2 * n..2 * n + 2]);
    } else {
        at -= 1;
        // `n` is below 10: the cast keeps every value.
        digits[at] = b'0' + n as u8;
    }
    if let Some(window) = digits[at..].first_chunk::<DIGITS>() {
        push_prefix(out, window, DIGITS - at);
    }
}

/// Whether `bytes` hold a byte that a JSON string escapes: `"`, `\\` or a control
/// character. Eight bytes at a time: messages run to hundreds of bytes, and testing them
/// a byte at a time was most of the cost of writing them.
fn needs_escape(bytes: &[u8]) -> bool {
    use crate::swar::ascii_in_range;
    let escaped = |b: &u8| *b < 0x20 || *b == b'"' || *b == b'\\';
    let chunks = bytes.chunks_exact(8);
    let tail = chunks.remainder();
    for chunk in chunks {
        let Some(&word) = chunk.first_chunk::<8>() else {
            return chunk.iter().any(escaped);
        };
        let x = u64::from_le_bytes(word);
        if ascii_in_range(x, 0, 0x1f)
            | ascii_in_range(x, b'"', b'"')
            | ascii_in_range(x, b'\\', b'\\')
            != 0
        {
            return true;
        }
    }
    tail.iter().any(escaped)
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
            write_diagnostic(
                &mut self.buf,
                Style::Pretty { depth: 2 },
                file,
                &mut lines,
                d,
            )?;
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
            write_diagnostic(&mut got, Style::Pretty { depth }, &file, &mut file.line_cursor(), &d)
                .unwrap();
            proptest::prop_assert_eq!(String::from_utf8(got), String::from_utf8(want));
            let want = serde_json::to_vec(&oracle).unwrap();
            let mut got = Vec::new();
            write_diagnostic(&mut got, Style::Compact, &file, &mut file.line_cursor(), &d).unwrap();
            proptest::prop_assert_eq!(String::from_utf8(got), String::from_utf8(want));
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
