//! The engine: figures -> claims -> rules for one source file. Pure: no I/O, no printing.

use crate::diagnostic::Diagnostic;
use crate::rules::{Analysis, RuleDoc, RuleSet};
use crate::settings::Settings;
use crate::source::SourceFile;

/// The compiled rules and the settings they run with.
#[derive(Debug)]
pub struct Engine {
    rules: RuleSet,
    settings: Settings,
}

impl Engine {
    /// The built-in rules (from `rules/*.yaml`, compiled in) with the given settings.
    pub fn builtin(settings: Settings) -> Result<Self, Box<crate::rules::LoadError>> {
        Ok(Engine {
            rules: RuleSet::builtin()?,
            settings,
        })
    }

    /// The built-in rules plus the rule packs in `dirs` (see [`RuleSet::add_pack`]).
    pub fn with_packs(
        settings: Settings,
        dirs: &[std::path::PathBuf],
    ) -> Result<Self, Box<crate::rules::LoadError>> {
        let mut rules = RuleSet::builtin()?;
        for d in dirs {
            rules.add_pack_dir(d)?;
        }
        Ok(Engine { rules, settings })
    }

    /// The rules and settings a configuration profile asks for: built-in rules, its rule
    /// packs, its selection and severities; `base` settings with its rounding and
    /// tolerance laid over them.
    pub fn from_profile(
        base: Settings,
        profile: &crate::config::Profile,
    ) -> Result<Self, Box<crate::rules::LoadError>> {
        let vocabulary = profile.options.vocabulary.clone().unwrap_or_default();
        let mut rules = RuleSet::builtin_with(&vocabulary.exhaustive_pairs)?;
        for d in &profile.rules_dir {
            rules.add_pack_dir(d)?;
        }
        let mut engine = Engine {
            rules,
            settings: Settings { vocabulary, ..base },
        };
        engine.rules.configure(&profile.options);
        if let Some(r) = profile.options.rounding {
            engine.settings.rounding = r;
        }
        if let Some(t) = profile.options.hedge_tolerance {
            engine.settings.hedge_tolerance = t;
        }
        if let Some(l) = profile.options.locale {
            engine.settings.number_format = l.number_format();
        }
        Ok(engine)
    }

    /// Check figures against trusted facts too (the `facts` rules; without facts they
    /// do nothing).
    pub fn with_facts(mut self, facts: crate::facts::FactSet) -> Self {
        self.rules
            .set_facts(std::sync::Arc::new(crate::claims::facts::FactIndex::new(
                facts,
            )));
        self
    }

    /// The trusted facts the engine checks against, if any.
    pub fn facts(&self) -> Option<&crate::facts::FactSet> {
        self.rules.facts()
    }

    /// Every known rule id with its family (enabled or not), for checking config names.
    pub fn known_rules(&self) -> &[(String, String)] {
        self.rules.rule_families()
    }

    /// Run only the listed rules (used by per-rule fixtures and `--select`, later).
    pub fn only(mut self, ids: &[&str]) -> Self {
        self.rules.retain(ids);
        self
    }

    /// Docs of every known rule, in id order.
    pub fn rule_docs(&self) -> &[RuleDoc] {
        self.rules.docs()
    }

    /// The doc of one rule, by id.
    pub fn rule_doc(&self, id: &str) -> Option<&RuleDoc> {
        self.rules.doc(id)
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Check one file; diagnostics come back sorted by position, then rule id.
    pub fn check(&self, file: &SourceFile) -> Vec<Diagnostic> {
        self.rules.check(file, &self.settings)
    }

    /// Check one file and keep the figures and claims too.
    pub fn analyse(&self, file: &SourceFile) -> Analysis {
        self.rules.analyse(file, &self.settings)
    }

    /// Check one file and keep the figures and the claims a reader of the findings
    /// needs ([`RuleSet::analyse_for_findings`]): the findings of [`Engine::analyse`],
    /// found with less work.
    pub fn analyse_for_findings(&self, file: &SourceFile) -> Analysis {
        self.rules.analyse_for_findings(file, &self.settings)
    }
}
