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

use std::io::{self, Write};

use serde::Serialize;

use super::{Reporter, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Location, SourceFile, Span};

/// The version of the JSON contract; bump it on any incompatible change.
pub const JSON_VERSION: u32 = 1;

/// Writes one pretty-printed JSON document: the diagnostics as files come, the file
/// errors and the summary at the end.
pub struct JsonReporter<W: Write> {
    out: W,
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

/// One diagnostic as the JSON contract writes it (also one line of JSON lines).
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

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
    offset: usize,
}

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
        for d in diags {
            // As `serde_json` separates the elements of an array two levels deep.
            let sep: &[u8] = match self.state {
                Written::Diagnostics => b",\n    ",
                _ => b"\n    ",
            };
            self.out.write_all(sep)?;
            write_nested(&mut self.out, &JsonDiagnostic::new(file, d), 2)?;
            self.state = Written::Diagnostics;
        }
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
