//! Reports: render diagnostics for people (miette, summary, an HTML review page) and
//! machines (JSON, JSON lines, SARIF, GitHub workflow commands).
//!
//! Last stage of the pipeline. A [`Reporter`] is a streaming sink, as in typos: the CLI
//! hands it each checked file with its diagnostics, and each file that could not be read,
//! then calls [`Reporter::finish`]. Human, JSON-lines and GitHub output are written as
//! they come; JSON, SARIF, the summary and the HTML page are one document each, so they are written at
//! the end. Reporters only write to the writers they are given; they never touch stdout
//! or stderr themselves.

pub mod fingerprint;
mod github;
mod html;
mod human;
mod json;
mod jsonl;
mod sarif;
mod statistics;
mod summary;

use std::io;
use std::path::Path;

pub use fingerprint::fingerprint;
pub use github::GithubReporter;
pub use html::HtmlReporter;
pub use human::{HumanOptions, HumanReporter};
pub use json::JsonReporter;
pub use jsonl::JsonlReporter;
pub use sarif::SarifReporter;
pub use statistics::{RuleCounts, StatisticsReporter};
pub use summary::SummaryReporter;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;

/// A sink for the results of one run.
pub trait Reporter {
    /// Report one checked file and its diagnostics (possibly none).
    fn file(&mut self, file: &SourceFile, diags: &[Diagnostic]) -> io::Result<()>;

    /// Report a file that could not be checked (unreadable, not UTF-8, binary).
    ///
    /// `file` is the name as given; `err` is the reason.
    fn error(&mut self, file: &str, err: &dyn miette::Diagnostic) -> io::Result<()>;

    /// Write whatever is buffered and the summary; call once, after the last file.
    fn finish(&mut self) -> io::Result<()>;

    /// Counts so far.
    fn summary(&self) -> &Summary;
}

impl<R: Reporter + ?Sized> Reporter for Box<R> {
    fn file(&mut self, file: &SourceFile, diags: &[Diagnostic]) -> io::Result<()> {
        (**self).file(file, diags)
    }

    fn error(&mut self, file: &str, err: &dyn miette::Diagnostic) -> io::Result<()> {
        (**self).error(file, err)
    }

    fn finish(&mut self) -> io::Result<()> {
        (**self).finish()
    }

    fn summary(&self) -> &Summary {
        (**self).summary()
    }
}

/// Counts over a run: files checked, findings by severity, files that could not be read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Files read and checked.
    pub files: usize,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub infos: usize,
    /// Files that could not be read or decoded (not part of the JSON `summary` object:
    /// they are listed in its `errors` array instead).
    #[serde(skip)]
    pub unreadable: usize,
}

impl Summary {
    /// Count one checked file and its diagnostics.
    pub fn record_file(&mut self, diags: &[Diagnostic]) {
        self.files += 1;
        for diag in diags {
            match diag.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }

    /// Count one file that could not be checked.
    pub fn record_unreadable(&mut self) {
        self.unreadable += 1;
    }

    /// Total findings of every severity.
    pub fn findings(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    /// True when some finding is at `threshold` or more severe.
    pub fn has_at_least(&self, threshold: Severity) -> bool {
        match threshold {
            Severity::Error => self.errors > 0,
            Severity::Warning => self.errors + self.warnings > 0,
            Severity::Info => self.findings() > 0,
        }
    }
}

/// `3 errors, 5 warnings in 1 file`, or `no findings in 2 files`; unreadable files are
/// added after a semicolon.
impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fn count(n: usize, one: &str, many: &str) -> String {
            format!("{n} {}", if n == 1 { one } else { many })
        }
        let parts: Vec<String> = [
            (self.errors, "error", "errors"),
            (self.warnings, "warning", "warnings"),
            (self.infos, "info", "infos"),
        ]
        .into_iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many)| count(n, one, many))
        .collect();
        if parts.is_empty() {
            f.write_str("no findings")?;
        } else {
            f.write_str(&parts.join(", "))?;
        }
        write!(f, " in {}", count(self.files, "file", "files"))?;
        if self.unreadable > 0 {
            let verb = if self.unreadable == 1 { "was" } else { "were" };
            write!(
                f,
                "; {} {verb} not checked",
                count(self.unreadable, "file", "files")
            )?;
        }
        Ok(())
    }
}

/// `name` (a file name as given) relative to `base` when it lies under it, with `/` as
/// the separator; names outside `base`, and `<stdin>`, are returned as given (with `/`).
///
/// CI systems want paths relative to the checkout: `numlint check $PWD/docs` and
/// `numlint check docs` must annotate the same file.
pub fn relative_name(name: &str, base: Option<&Path>) -> String {
    let path = Path::new(name);
    let rel = base
        .filter(|_| path.is_absolute())
        .and_then(|b| path.strip_prefix(b).ok())
        .unwrap_or(path);
    let mut out = String::with_capacity(name.len());
    for (i, part) in rel.components().enumerate() {
        use std::path::Component;
        match part {
            Component::CurDir => continue,
            Component::RootDir => {
                out.push('/');
                continue;
            }
            _ => {}
        }
        if i > 0 && !out.is_empty() && !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(&part.as_os_str().to_string_lossy());
    }
    if out.is_empty() { name.to_owned() } else { out }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::diagnostic::Label;
    use crate::source::Span;

    /// A share claim from the seed, as the share rule will report it, with the spans
    /// found by searching `text`.
    pub(crate) fn share_finding(text: &str) -> Diagnostic {
        let find = |needle: &str| {
            let start = text.find(needle).expect("fixture text holds the figure");
            Span::new(start, start + needle.len())
        };
        let percent = find("21.02 per cent");
        let part = find("786");
        let whole = find("3,415");
        Diagnostic {
            rule: "share-mismatch".into(),
            severity: Severity::Error,
            message: "“21.02 per cent” does not match 786 out of 3,415".into(),
            span: percent.cover(whole),
            labels: vec![
                Label {
                    span: percent,
                    message: "stated share: 21.02 per cent".into(),
                },
                Label {
                    span: part,
                    message: "part: 786".into(),
                },
                Label {
                    span: whole,
                    message: "whole: 3,415".into(),
                },
            ],
            help: "786 / 3,415 = 23.02 per cent".into(),
            computed: Some(23.016_105_417_276_72),
        }
    }

    /// [`SHARE_TEXT`] as a `.docx` would give it: one block, at `location`.
    pub(crate) fn share_file_at(location: crate::source::Location) -> SourceFile {
        use crate::source::{Block, Layout};
        let layout = Layout {
            blocks: vec![Block {
                span: Span::new(0, SHARE_TEXT.len()),
                location,
            }],
            tables: Vec::new(),
        };
        SourceFile::from_extracted("r.docx", SHARE_TEXT.to_owned(), &[], layout)
    }

    pub(crate) const SHARE_TEXT: &str = concat!(
        " In local representative bodies (maslikhats) in \n",
        "\n",
        "Kazakhstan, women account for 21.02 per cent of the total number of deputies (786 \n",
        "\n",
        "out of 3,415). \n",
    );

    fn diag(severity: Severity) -> Diagnostic {
        Diagnostic {
            severity,
            ..share_finding(SHARE_TEXT)
        }
    }

    #[test]
    fn summary_line_counts_and_plurals() {
        let mut s = Summary::default();
        s.record_file(&[]);
        assert_eq!(s.to_string(), "no findings in 1 file");
        s.record_file(&[diag(Severity::Error), diag(Severity::Warning)]);
        s.record_file(&[diag(Severity::Warning), diag(Severity::Error)]);
        s.record_file(&[diag(Severity::Error), diag(Severity::Info)]);
        assert_eq!(s.to_string(), "3 errors, 2 warnings, 1 info in 4 files");
        s.record_unreadable();
        assert_eq!(
            s.to_string(),
            "3 errors, 2 warnings, 1 info in 4 files; 1 file was not checked"
        );
    }

    #[test]
    fn names_are_made_relative_to_the_base() {
        let base = Path::new("/work/repo");
        assert_eq!(
            relative_name("/work/repo/docs/a.txt", Some(base)),
            "docs/a.txt"
        );
        assert_eq!(relative_name("./docs/a.txt", Some(base)), "docs/a.txt");
        assert_eq!(relative_name("docs/a.txt", None), "docs/a.txt");
        assert_eq!(
            relative_name("/elsewhere/a.txt", Some(base)),
            "/elsewhere/a.txt"
        );
        assert_eq!(relative_name("<stdin>", Some(base)), "<stdin>");
    }

    #[test]
    fn threshold_is_inclusive_of_more_severe() {
        let mut s = Summary::default();
        s.record_file(&[diag(Severity::Warning)]);
        assert!(!s.has_at_least(Severity::Error));
        assert!(s.has_at_least(Severity::Warning));
        assert!(s.has_at_least(Severity::Info));
        assert!(!Summary::default().has_at_least(Severity::Info));
    }
}
