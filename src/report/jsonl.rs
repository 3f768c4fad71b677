//! JSON lines: one JSON object per diagnostic per line, written as files are checked.
//!
//! Each diagnostic line has exactly the fields of a diagnostic in the JSON format
//! (`file`, `rule`, `severity`, `message`, `help`, `start`, `end`, `labels`, `computed`,
//! and `location` for files with a layout);
//! a file that could not be read is a line `{"file": "...", "error": "..."}`. There is no
//! envelope and no summary line, so the output of many runs can be concatenated, and a
//! pipeline can start on the first finding of a large corpus before the last file is read.

use std::io::{self, Write};

use serde::Serialize;

use super::json::{FLUSH_AT, Layout, Style, error_message, write_diagnostic};
use super::{Reporter, Summary};
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// Writes one JSON object per line to `out`.
pub struct JsonlReporter<W: Write> {
    out: W,
    /// The lines of the file being reported, written to `out` in large pieces.
    buf: Vec<u8>,
    /// How a diagnostic is laid out: compact, on one line.
    layout: Layout,
    summary: Summary,
}

impl<W: Write> JsonlReporter<W> {
    /// A reporter writing its lines to `out`.
    pub fn new(out: W) -> Self {
        JsonlReporter {
            out,
            buf: Vec::new(),
            layout: Layout::new(Style::Compact),
            summary: Summary::default(),
        }
    }

    /// Give back the writer (for tests).
    pub fn into_inner(self) -> W {
        self.out
    }

    fn line(&mut self, value: &impl Serialize) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, value)?;
        self.out.write_all(b"\n")
    }
}

#[derive(Serialize)]
struct FileError<'a> {
    file: &'a str,
    error: String,
}

impl<W: Write> Reporter for JsonlReporter<W> {
    fn file(&mut self, file: &SourceFile, diags: &[Diagnostic]) -> io::Result<()> {
        self.summary.record_file(diags);
        let mut lines = file.line_cursor();
        for d in diags {
            write_diagnostic(&mut self.buf, &self.layout, file, &mut lines, d)?;
            self.buf.push(b'\n');
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
        self.line(&FileError {
            file,
            error: error_message(file, err),
        })
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn summary(&self) -> &Summary {
        &self.summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::{SHARE_TEXT, share_finding};
    use serde_json::{Value, json};

    #[test]
    fn one_object_per_line_with_json_fields_and_error_lines() {
        let file = SourceFile::from_text("a.txt", SHARE_TEXT.to_owned());
        let finding = share_finding(SHARE_TEXT);
        let err = SourceFile::from_bytes("bad.txt", b"ok\n\xff".to_vec()).unwrap_err();
        let mut reporter = JsonlReporter::new(Vec::new());
        reporter.file(&file, &[finding.clone(), finding]).unwrap();
        reporter.error("bad.txt", &err).unwrap();
        reporter.finish().unwrap();
        assert_eq!(reporter.summary().errors, 2);
        let text = String::from_utf8(reporter.into_inner()).unwrap();
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect();
        assert_eq!(lines.len(), 3);
        let keys: Vec<&str> = lines[0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut want = [
            "computed", "end", "file", "help", "labels", "message", "rule", "severity", "start",
        ];
        want.sort_unstable();
        assert_eq!(keys, want);
        assert_eq!(lines[0]["start"]["line"], 3);
        assert_eq!(
            lines[2],
            json!({"file": "bad.txt", "error": "invalid UTF-8 at byte 3 (line 2)"})
        );
    }
}
