//! Baselines: `--write-baseline FILE` records the current findings by fingerprint (rule
//! and claim text, not line numbers, so they survive edits elsewhere in the document);
//! `--baseline FILE` reports only findings not in it.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::report::fingerprint::fingerprint;
use crate::source::SourceFile;

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Entry {
    /// File name as checked.
    pub file: String,
    /// Rule id.
    pub rule: String,
    /// `report::fingerprint` of the rule and the claim text.
    pub fingerprint: String,
    /// The message when recorded, for people reading the file.
    pub message: String,
}

/// A baseline file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Baseline {
    /// Format version.
    pub version: u32,
    /// Recorded findings.
    pub findings: Vec<Entry>,
}

/// Why a baseline could not be read or written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub(crate) enum BaselineError {
    /// Reading or parsing failed.
    #[error("{file}: cannot read the baseline: {message}")]
    #[diagnostic(
        code(numlint::baseline::read),
        help("write one with `numlint check --write-baseline FILE`")
    )]
    Read {
        /// Baseline path.
        file: String,
        /// What went wrong.
        message: String,
    },
    /// Writing failed; the old file, if any, is untouched.
    #[error("{file}: cannot write the baseline: {message}")]
    #[diagnostic(code(numlint::baseline::write))]
    Write {
        /// Baseline path.
        file: String,
        /// What went wrong.
        message: String,
    },
}

/// The fingerprint of a finding in `file`.
pub(crate) fn finding_print(file: &SourceFile, d: &Diagnostic) -> String {
    fingerprint(&d.rule, &file.slice(d.span))
}

impl Baseline {
    /// Read a baseline file.
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let err = |message: String| BaselineError::Read {
            file: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| err(e.to_string()))?;
        if b.version != 1 {
            return Err(err(format!("unknown version {}", b.version)));
        }
        Ok(b)
    }

    /// How many times each (file, fingerprint) was recorded.
    pub fn counts(&self) -> HashMap<(String, String), usize> {
        let mut m = HashMap::new();
        for e in &self.findings {
            *m.entry((e.file.clone(), e.fingerprint.clone()))
                .or_insert(0) += 1;
        }
        m
    }

    /// Write atomically (see [`super::atomic`]): a failed write leaves the old baseline
    /// intact.
    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        let err = |message: String| BaselineError::Write {
            file: path.display().to_string(),
            message,
        };
        let mut json = serde_json::to_string_pretty(self).map_err(|e| err(e.to_string()))?;
        json.push('\n');
        super::atomic::write(path, json.as_bytes()).map_err(|e| err(e.to_string()))
    }
}

/// Drop the findings the baseline records, each recorded finding absorbing one.
pub(crate) fn filter(
    counts: &mut HashMap<(String, String), usize>,
    file: &SourceFile,
    diags: &mut Vec<Diagnostic>,
) {
    diags.retain(|d| {
        let key = (file.name().to_string(), finding_print(file, d));
        match counts.get_mut(&key) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        }
    });
}
