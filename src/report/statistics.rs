//! `--statistics`: a table of findings per rule, written after any format.
//!
//! [`StatisticsReporter`] wraps the format's reporter and writes the table to a writer
//! of its own once the inner reporter has finished. The CLI gives it standard output
//! for the formats people read (human, summary) and standard error for the machine
//! formats (json, jsonl, sarif, github), so their standard output stays parseable.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{Reporter, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;

/// Findings counted per rule, with the most severe level each rule reported at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleCounts {
    rules: BTreeMap<String, (Severity, usize)>,
}

impl RuleCounts {
    /// Count `diags`.
    pub fn record(&mut self, diags: &[Diagnostic]) {
        for d in diags {
            let entry = self.rules.entry(d.rule.clone()).or_insert((d.severity, 0));
            entry.0 = entry.0.max(d.severity);
            entry.1 += 1;
        }
    }

    /// `(rule, severity, count)`, most findings first, then by rule id.
    pub fn by_count(&self) -> Vec<(&str, Severity, usize)> {
        let mut rows: Vec<_> = self
            .rules
            .iter()
            .map(|(rule, &(severity, n))| (rule.as_str(), severity, n))
            .collect();
        rows.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(b.0)));
        rows
    }

    /// `(rule, severity, count)` in rule-id order.
    pub fn by_rule(&self) -> impl Iterator<Item = (&str, Severity, usize)> {
        self.rules
            .iter()
            .map(|(rule, &(severity, n))| (rule.as_str(), severity, n))
    }

    /// Write the table: a header, one row per rule (most findings first), and a total
    /// row; `no findings` when there are none.
    pub fn write_table(&self, out: &mut impl Write) -> io::Result<()> {
        let rows = self.by_count();
        if rows.is_empty() {
            return writeln!(out, "no findings");
        }
        let total: usize = rows.iter().map(|r| r.2).sum();
        let count_w = total.to_string().len().max("COUNT".len());
        let rule_w = rows
            .iter()
            .map(|r| r.0.chars().count())
            .chain(["RULE".len(), "total".len()])
            .max()
            .unwrap_or(0);
        writeln!(out, "{:>count_w$}  {:rule_w$}  SEVERITY", "COUNT", "RULE")?;
        for (rule, severity, n) in rows {
            writeln!(out, "{n:>count_w$}  {rule:rule_w$}  {severity}")?;
        }
        writeln!(out, "{total:>count_w$}  total")
    }
}

/// Passes everything to an inner reporter and, after it finishes, writes the findings
/// per rule to `out`.
pub struct StatisticsReporter<R, W: Write> {
    inner: R,
    out: W,
    blank_line: bool,
    counts: RuleCounts,
}

impl<R: Reporter, W: Write> StatisticsReporter<R, W> {
    /// Wrap `inner`; the table goes to `out`.
    pub fn new(inner: R, out: W) -> Self {
        StatisticsReporter {
            inner,
            out,
            blank_line: false,
            counts: RuleCounts::default(),
        }
    }

    /// Write an empty line before the table (when it shares a stream with the output).
    pub fn with_blank_line(mut self) -> Self {
        self.blank_line = true;
        self
    }

    /// Give back the inner reporter and the table's writer (for tests).
    pub fn into_inner(self) -> (R, W) {
        (self.inner, self.out)
    }
}

impl<R: Reporter, W: Write> Reporter for StatisticsReporter<R, W> {
    fn file(&mut self, file: &SourceFile, diags: &[Diagnostic]) -> io::Result<()> {
        self.counts.record(diags);
        self.inner.file(file, diags)
    }

    fn error(&mut self, file: &str, err: &dyn miette::Diagnostic) -> io::Result<()> {
        self.inner.error(file, err)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.inner.finish()?;
        if self.blank_line {
            writeln!(self.out)?;
        }
        self.counts.write_table(&mut self.out)?;
        self.out.flush()
    }

    fn summary(&self) -> &Summary {
        self.inner.summary()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::JsonlReporter;
    use crate::report::tests::{SHARE_TEXT, share_finding};

    #[test]
    fn table_is_sorted_by_count_then_rule_with_a_total() {
        let file = SourceFile::from_text("a.txt", SHARE_TEXT.to_owned());
        let rounding = |severity| Diagnostic {
            rule: "share-rounding".into(),
            severity,
            ..share_finding(SHARE_TEXT)
        };
        let mut reporter = StatisticsReporter::new(JsonlReporter::new(Vec::new()), Vec::new());
        reporter
            .file(
                &file,
                &[
                    share_finding(SHARE_TEXT),
                    rounding(Severity::Warning),
                    rounding(Severity::Warning),
                ],
            )
            .unwrap();
        reporter.finish().unwrap();
        assert_eq!(reporter.summary().errors, 1);
        let (inner, table) = reporter.into_inner();
        assert_eq!(
            String::from_utf8(inner.into_inner())
                .unwrap()
                .lines()
                .count(),
            3
        );
        assert_eq!(
            String::from_utf8(table).unwrap(),
            "COUNT  RULE            SEVERITY\n\
             \x20   2  share-rounding  warning\n\
             \x20   1  share-mismatch  error\n\
             \x20   3  total\n"
        );
    }

    #[test]
    fn no_findings_says_so() {
        let mut out = Vec::new();
        RuleCounts::default().write_table(&mut out).unwrap();
        assert_eq!(out, b"no findings\n");
    }
}
