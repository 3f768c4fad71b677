//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per
//! finding, which the runner turns into an annotation on the file and lines.
//!
//! ```text
//! ::error file=docs/report.md,line=3,col=31,endLine=5,endColumn=13,title=share-mismatch::786 out of 3,415 is 23.02 per cent, not 21.02 per cent%0Ahelp: ...
//! ```
//!
//! Escaping follows GitHub's toolkit (`@actions/core`, `command.ts`): in the message
//! (the data after `::`) `%`, `\r` and `\n` become `%25`, `%0D` and `%0A`; property values
//! additionally escape `:` and `,` as `%3A` and `%2C`. File paths are relative to the
//! working directory (the checkout, in a workflow) with `/` separators. Columns count
//! Unicode scalar values, 1-based; `endColumn` is the column just after the claim.

use std::io::{self, Write};
use std::path::PathBuf;

use super::json::error_message;
use super::{Reporter, Summary, relative_name};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;

/// Escape the data (message) of a workflow command.
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escape a property value of a workflow command (`file=`, `title=`, ...): the data
/// escapes, and `:` and `,`, which separate properties (the data escapes never make one).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The workflow command for a severity: info findings are notices.
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Writes one workflow command per finding and per unreadable file to `out`.
pub struct GithubReporter<W: Write> {
    out: W,
    base: Option<PathBuf>,
    summary: Summary,
}

impl<W: Write> GithubReporter<W> {
    /// A reporter writing to `out`, with absolute file names made relative to `base`.
    pub fn new(out: W, base: Option<PathBuf>) -> Self {
        GithubReporter {
            out,
            base,
            summary: Summary::default(),
        }
    }

    /// Give back the writer (for tests).
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> Reporter for GithubReporter<W> {
    fn file(&mut self, file: &SourceFile, diags: &[Diagnostic]) -> io::Result<()> {
        self.summary.record_file(diags);
        let name = escape_property(&relative_name(file.name(), self.base.as_deref()));
        let mut lines = file.line_cursor();
        for d in diags {
            let start = lines.line_col(d.span.start);
            let end = lines.line_col(d.span.end);
            let mut message = d.message.clone();
            if !d.help.is_empty() {
                message.push_str("\nhelp: ");
                message.push_str(&d.help);
            }
            writeln!(
                self.out,
                "::{} file={name},line={},col={},endLine={},endColumn={},title={}::{}",
                command(d.severity),
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(&d.rule),
                escape_data(&message),
            )?;
        }
        Ok(())
    }

    fn error(&mut self, file: &str, err: &dyn miette::Diagnostic) -> io::Result<()> {
        self.summary.record_unreadable();
        let name = escape_property(&relative_name(file, self.base.as_deref()));
        writeln!(
            self.out,
            "::error file={name},title=numlint::{}",
            escape_data(&format!("file not checked: {}", error_message(file, err)))
        )
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

    #[test]
    fn data_escapes_percent_cr_lf_only() {
        assert_eq!(escape_data("50% a:b,c"), "50%25 a:b,c");
        assert_eq!(escape_data("one\r\ntwo\nthree"), "one%0D%0Atwo%0Athree");
        // `%` first: an existing escape is not decoded by the runner.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("C:\\a,b.txt"), "C%3A\\a%2Cb.txt");
        assert_eq!(escape_property("100%\r\n"), "100%25%0D%0A");
        assert_eq!(escape_property("a::b,,c"), "a%3A%3Ab%2C%2Cc");
        assert_eq!(escape_property("%3A"), "%253A");
    }

    #[test]
    fn finding_becomes_an_error_command_with_positions() {
        let file = SourceFile::from_text("docs/a, b: draft.txt", SHARE_TEXT.to_owned());
        let mut warn = share_finding(SHARE_TEXT);
        warn.severity = Severity::Warning;
        warn.message = "50% off\nnext".into();
        let mut info = share_finding(SHARE_TEXT);
        info.severity = Severity::Info;
        let mut reporter = GithubReporter::new(Vec::new(), None);
        reporter
            .file(&file, &[share_finding(SHARE_TEXT), warn, info])
            .unwrap();
        let err = SourceFile::from_bytes("bad,1.txt", b"ok\n\xff".to_vec()).unwrap_err();
        reporter.error("bad,1.txt", &err).unwrap();
        reporter.finish().unwrap();
        let out = String::from_utf8(reporter.into_inner()).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines,
            [
                "::error file=docs/a%2C b%3A draft.txt,line=3,col=31,endLine=5,endColumn=13,\
                 title=share-mismatch::“21.02 per cent” does not match 786 out of 3,415\
                 %0Ahelp: 786 / 3,415 = 23.02 per cent",
                "::warning file=docs/a%2C b%3A draft.txt,line=3,col=31,endLine=5,endColumn=13,\
                 title=share-mismatch::50%25 off%0Anext%0Ahelp: 786 / 3,415 = 23.02 per cent",
                "::notice file=docs/a%2C b%3A draft.txt,line=3,col=31,endLine=5,endColumn=13,\
                 title=share-mismatch::“21.02 per cent” does not match 786 out of 3,415\
                 %0Ahelp: 786 / 3,415 = 23.02 per cent",
                "::error file=bad%2C1.txt,title=numlint::file not checked: \
                 invalid UTF-8 at byte 3 (line 2)",
            ]
        );
    }
}
