//! Rules: checkers over claims, configured by the YAML files under `rules/`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::settings::Settings;
use crate::source::SourceFile;

/// Why the rule files could not be loaded.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LoadError {
    /// Placeholder until loading lands.
    #[error("rule file {file}: {message}")]
    Invalid {
        /// File name.
        file: String,
        /// What is wrong.
        message: String,
    },
}

/// A rule's documentation, as printed by `numlint explain` and listed by `numlint rules`.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleDoc {
    /// Kebab-case id.
    pub id: String,
    /// Claim family, e.g. `share`.
    pub family: String,
    /// Default severity.
    pub severity: Severity,
    /// One-line summary.
    pub summary: String,
    /// "What it does" section.
    pub what: String,
    /// "Why is this bad?" section.
    pub why: String,
    /// Example lines that must fire.
    pub fires: Vec<String>,
    /// Example lines that must not fire.
    pub passes: Vec<String>,
}

/// All loaded rules.
#[derive(Debug, Default)]
pub struct RuleSet {
    docs: Vec<RuleDoc>,
}

impl RuleSet {
    /// The built-in rules.
    pub fn builtin() -> Result<Self, LoadError> {
        Ok(RuleSet::default())
    }

    /// Every rule's doc.
    pub fn docs(&self) -> &[RuleDoc] {
        &self.docs
    }

    /// Run every rule over one file.
    pub fn check(&self, file: &SourceFile, settings: &Settings) -> Vec<Diagnostic> {
        let _ = (file, settings);
        Vec::new()
    }
}
