//! Diagnostics: what a rule found, with every figure it used labelled at its span.
//!
//! Plain data with byte spans; no miette or LSP types here (those live in `report`).

use crate::source::Span;

/// How serious a finding is; ordered so that `Error > Warning > Info`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; never fails a run unless `--fail-on info`.
    Info,
    /// Probably wrong, or wrong under one reading of the stated precision.
    Warning,
    /// No reading of the stated figures makes the claim hold.
    Error,
}

impl Severity {
    /// The lower-case name used in JSON, YAML and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary span with a short note, one per figure a finding used.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// Bytes of the figure in the original file.
    pub span: Span,
    /// What the figure is in the computation, e.g. `part: 786`.
    pub message: String,
}

/// One finding: the rule that fired, where, and the arithmetic behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Kebab-case rule id, e.g. `share-mismatch`.
    pub rule: String,
    /// Severity after configuration.
    pub severity: Severity,
    /// One line, lower-case start, no trailing period.
    pub message: String,
    /// The whole claim in the original file.
    pub span: Span,
    /// Each figure used, labelled.
    pub labels: Vec<Label>,
    /// The computation and the expected value.
    pub help: String,
    /// The value the rule computed, where there is one (e.g. the true percentage).
    pub computed: Option<f64>,
}
