//! Summary output: counts per rule and per file instead of the findings, for a quick
//! look at a large corpus or a CI log.
//!
//! ```text
//! RULE            SEVERITY  COUNT
//! share-mismatch  error         2
//! share-rounding  warning      10
//!
//! FILE                            ERRORS  WARNINGS  INFOS
//! seeds/000_26c4ac59d5b61832.txt       5        10      0
//!
//! 5 errors, 10 warnings in 1 file
//! ```
//!
//! Rules are listed by id and files by name (every file checked, findings or not), so
//! the output does not depend on the order of the arguments or of a directory walk.
//! Files that could not be read follow, by name, with the reason.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::json::error_message;
use super::statistics::RuleCounts;
use super::{Reporter, Summary};
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// Collects counts and writes the tables at the end.
pub struct SummaryReporter<W: Write> {
    out: W,
    rules: RuleCounts,
    // Per file: (errors, warnings, infos); a file given twice is counted twice.
    files: BTreeMap<String, Summary>,
    unreadable: BTreeMap<String, String>,
    summary: Summary,
}

impl<W: Write> SummaryReporter<W> {
    /// A reporter writing its tables to `out`.
    pub fn new(out: W) -> Self {
        SummaryReporter {
            out,
            rules: RuleCounts::default(),
            files: BTreeMap::new(),
            unreadable: BTreeMap::new(),
            summary: Summary::default(),
        }
    }

    /// Give back the writer (for tests).
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> Reporter for SummaryReporter<W> {
    fn file(&mut self, file: &SourceFile, diags: &[Diagnostic]) -> io::Result<()> {
        self.summary.record_file(diags);
        self.rules.record(diags);
        self.files
            .entry(file.name().to_owned())
            .or_default()
            .record_file(diags);
        Ok(())
    }

    fn error(&mut self, file: &str, err: &dyn miette::Diagnostic) -> io::Result<()> {
        self.summary.record_unreadable();
        self.unreadable
            .insert(file.to_owned(), error_message(file, err));
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        let out = &mut self.out;
        let rows: Vec<_> = self.rules.by_rule().collect();
        if !rows.is_empty() {
            let rule_w = rows
                .iter()
                .map(|r| r.0.chars().count())
                .chain(["RULE".len()])
                .max()
                .unwrap_or(0);
            writeln!(out, "{:rule_w$}  SEVERITY  COUNT", "RULE")?;
            for (rule, severity, n) in rows {
                writeln!(out, "{rule:rule_w$}  {:8}  {n:>5}", severity.as_str())?;
            }
            writeln!(out)?;
        }
        if !self.files.is_empty() {
            let file_w = self
                .files
                .keys()
                .map(|f| f.chars().count())
                .chain(["FILE".len()])
                .max()
                .unwrap_or(0);
            writeln!(out, "{:file_w$}  ERRORS  WARNINGS  INFOS", "FILE")?;
            for (name, s) in &self.files {
                writeln!(
                    out,
                    "{name:file_w$}  {:>6}  {:>8}  {:>5}",
                    s.errors, s.warnings, s.infos
                )?;
            }
            writeln!(out)?;
        }
        if !self.unreadable.is_empty() {
            writeln!(out, "NOT CHECKED")?;
            for (name, reason) in &self.unreadable {
                writeln!(out, "{name}: {reason}")?;
            }
            writeln!(out)?;
        }
        writeln!(out, "{}", self.summary)?;
        out.flush()
    }

    fn summary(&self) -> &Summary {
        &self.summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::report::tests::{SHARE_TEXT, share_finding};

    fn render(order: &[&str]) -> String {
        let mut reporter = SummaryReporter::new(Vec::new());
        for name in order {
            let file = SourceFile::from_text(*name, SHARE_TEXT.to_owned());
            let diags = if name.starts_with('b') {
                vec![
                    Diagnostic {
                        rule: "share-rounding".into(),
                        severity: Severity::Warning,
                        ..share_finding(SHARE_TEXT)
                    },
                    share_finding(SHARE_TEXT),
                ]
            } else if name.starts_with('a') {
                vec![share_finding(SHARE_TEXT)]
            } else {
                vec![]
            };
            reporter.file(&file, &diags).unwrap();
        }
        let err = SourceFile::from_bytes("z.txt", b"ok\n\xff".to_vec()).unwrap_err();
        reporter.error("z.txt", &err).unwrap();
        reporter.finish().unwrap();
        String::from_utf8(reporter.into_inner()).unwrap()
    }

    #[test]
    fn counts_per_rule_and_file_in_a_fixed_order() {
        let text = render(&["b.txt", "c.txt", "a.txt"]);
        assert_eq!(
            text,
            "RULE            SEVERITY  COUNT\n\
             share-mismatch  error         2\n\
             share-rounding  warning       1\n\
             \n\
             FILE   ERRORS  WARNINGS  INFOS\n\
             a.txt       1         0      0\n\
             b.txt       1         1      0\n\
             c.txt       0         0      0\n\
             \n\
             NOT CHECKED\n\
             z.txt: invalid UTF-8 at byte 3 (line 2)\n\
             \n\
             2 errors, 1 warning in 3 files; 1 file was not checked\n"
        );
        assert_eq!(text, render(&["a.txt", "c.txt", "b.txt"]));
    }
}
