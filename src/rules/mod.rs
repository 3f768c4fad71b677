//! Rules: checkers over claims, configured by the YAML files under `rules/`.
//!
//! Fourth stage of the pipeline. Each claim family (share, ...) has its patterns and rule
//! docs in a YAML file ([`load`]) and its checker in Rust (one file per family). A checker
//! sees claims and figures, never the text (it may quote a figure's span as written).

mod format;
pub mod load;
mod share;

pub use load::LoadError;

use crate::claims::{self, Claim, ClaimPatterns};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::figures::{self, Figure};
use crate::settings::Settings;
use crate::source::SourceFile;

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

/// What a checker found, before severity and rule selection are applied.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finding {
    pub rule: &'static str,
    pub message: String,
    pub labels: Vec<Label>,
    pub help: String,
    pub computed: Option<f64>,
}

/// What a checker may look at.
pub(crate) struct Ctx<'a> {
    pub file: &'a SourceFile,
    pub figures: &'a [Figure],
    pub settings: &'a Settings,
}

/// Everything a run found in one file, with the intermediate stages for tools that want
/// them (the LSP hover, `numlint debug`).
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Every figure, in order.
    pub figures: Vec<Figure>,
    /// Every claim, in order.
    pub claims: Vec<Claim>,
    /// The findings, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

/// All loaded rules.
#[derive(Debug, Default)]
pub struct RuleSet {
    families: Vec<ClaimPatterns>,
    docs: Vec<RuleDoc>,
}

impl RuleSet {
    /// The built-in rules, from the YAML files compiled into the binary.
    pub fn builtin() -> Result<Self, Box<LoadError>> {
        let mut set = RuleSet::default();
        for (name, yaml) in load::BUILTIN {
            let fam = load::load_file(name, yaml)?;
            set.families.push(fam.patterns);
            set.docs.extend(fam.rules);
        }
        set.docs.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(set)
    }

    /// Keep only the rules whose ids are listed (others never report).
    pub fn retain(&mut self, ids: &[&str]) {
        self.docs.retain(|d| ids.contains(&d.id.as_str()));
    }

    /// Every rule's doc, in id order.
    pub fn docs(&self) -> &[RuleDoc] {
        &self.docs
    }

    /// The doc of one rule.
    pub fn doc(&self, id: &str) -> Option<&RuleDoc> {
        self.docs.iter().find(|d| d.id == id)
    }

    /// Run every rule over one file and keep the stages.
    pub fn analyse(&self, file: &SourceFile, settings: &Settings) -> Analysis {
        let text = file.scan_text();
        let figures = figures::scan(text);
        let claims = claims::extract_from_text(text, &figures, &self.families);
        let cx = Ctx {
            file,
            figures: &figures,
            settings,
        };
        let mut diagnostics = Vec::new();
        for claim in &claims {
            let finding = match claim.family.as_str() {
                "share" => share::check(claim, &cx),
                _ => None,
            };
            let Some(f) = finding else { continue };
            let Some(doc) = self.doc(f.rule) else {
                continue;
            };
            // A rule may have used another reading of a slot (an earlier whole): the
            // finding covers every figure it labels.
            let span = f.labels.iter().fold(claim.span, |s, l| s.cover(l.span));
            diagnostics.push(Diagnostic {
                rule: f.rule.to_string(),
                severity: doc.severity,
                message: f.message,
                span,
                labels: f.labels,
                help: f.help,
                computed: f.computed,
            });
        }
        diagnostics.sort_by(|a, b| (a.span.start, &a.rule).cmp(&(b.span.start, &b.rule)));
        Analysis {
            figures,
            claims,
            diagnostics,
        }
    }

    /// Run every rule over one file.
    pub fn check(&self, file: &SourceFile, settings: &Settings) -> Vec<Diagnostic> {
        self.analyse(file, settings).diagnostics
    }
}
