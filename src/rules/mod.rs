//! Rules: checkers over claims, configured by the YAML files under `rules/`.
//!
//! Fourth stage of the pipeline. Each claim family (share, ...) has its patterns and rule
//! docs in a YAML file ([`load`]) and its checker in Rust (one file per family). A checker
//! sees claims and figures, never the text (it may quote a figure's span as written).

mod change;
mod contradiction;
mod cross_passage;
mod date;
pub mod docs;
mod enumeration;
mod facts;
pub(crate) mod format;
pub mod load;
mod rank;
mod series;
mod share;
mod sum;
mod table;
mod unit;

pub use load::LoadError;

use crate::claims::{self, Claim, ClaimPatterns};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::figures::{self, Figure};
use crate::settings::Settings;
use crate::source::{SourceFile, Span};
use format::squash_into;

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
    /// The format the examples are written in (Markdown for the table rules).
    pub example_format: crate::formats::Format,
    /// Example lines that must fire.
    pub fires: Vec<String>,
    /// Example lines that must not fire.
    pub passes: Vec<String>,
}

/// A family's parameters from the `params:` map of its YAML file, read into the family's
/// own strict struct (unknown keys are errors).
#[derive(Debug, Clone, PartialEq)]
pub enum FamilyParams {
    /// The family takes no parameters (its vocabulary, if any, is in its patterns).
    None,
    /// Series by year, year ranges and stated spans of years.
    Series(claims::series::SeriesParams),
    /// Announced lists.
    Enumeration(claims::enumeration::EnumerationParams),
    /// Tables: the labels of totals, sub-items, percentages and missing cells.
    Table(claims::tables::TableParams),
    /// Units: the words after a number that do not name a counted thing.
    Unit(unit::UnitParams),
    /// Dates: where a document date is read and how a past event is told from a plan.
    Date(claims::dates::DateParams),
}

impl FamilyParams {
    /// Read `params` for `family`; the error names the problem.
    pub(crate) fn parse<P: ParamsValue>(family: &str, params: Option<P>) -> Result<Self, String> {
        match family {
            "share" | "sum" | "change" | "contradiction" | "cross-passage" | "rank"
            | "suppression" | "facts" => match params {
                None => Ok(FamilyParams::None),
                Some(_) => Err(format!("the {family} family takes no `params`")),
            },
            "series" => strict(params).map(FamilyParams::Series),
            "enumeration" => strict(params).map(FamilyParams::Enumeration),
            "table" => strict(params).map(FamilyParams::Table),
            "unit" => strict(params).map(FamilyParams::Unit),
            "date" => strict(params).map(FamilyParams::Date),
            other => Err(format!(
                "unknown family `{other}` (expected one of: share, sum, change, contradiction, cross-passage, rank, unit, date, series, enumeration, table, suppression, facts)"
            )),
        }
    }
}

/// True when a rule file sets `params:` at the top level.
fn yaml_has_params(yaml: &str) -> bool {
    yaml.lines().any(|l| l.starts_with("params:"))
}

/// A rule file's `params` as read in the first step: a YAML value (a rule pack), or the
/// JSON text of a built-in file's (see build.rs), read straight into the family's strict
/// struct with no value tree between (building one was some 0.4 M instructions of
/// start-up).
pub(crate) trait ParamsValue {
    /// The params read into `T`; the error names the problem.
    fn read<T: serde::de::DeserializeOwned>(self) -> Result<T, String>;
}

impl ParamsValue for serde_yaml::Value {
    fn read<T: serde::de::DeserializeOwned>(self) -> Result<T, String> {
        serde_yaml::from_value(self).map_err(|e| format!("params: {e}"))
    }
}

impl ParamsValue for &serde_json::value::RawValue {
    fn read<T: serde::de::DeserializeOwned>(self) -> Result<T, String> {
        serde_json::from_str(self.get()).map_err(|e| format!("params: {e}"))
    }
}

/// Read a family's `params` into its strict struct; absent params give the defaults.
fn strict<T: serde::de::DeserializeOwned + Default, P: ParamsValue>(
    params: Option<P>,
) -> Result<T, String> {
    match params {
        None => Ok(T::default()),
        Some(v) => v.read(),
    }
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
    pub families: &'a [LoadedFamily],
}

impl Ctx<'_> {
    /// The tags of the pattern that produced `claim` (e.g. `non-exhaustive`).
    #[allow(dead_code)]
    pub(crate) fn tags(&self, claim: &Claim) -> &[String] {
        self.families
            .iter()
            .find(|f| claim.family == f.name)
            .and_then(|f| f.tags.get(claim.pattern))
            .map_or(&[], Vec::as_slice)
    }

    /// A figure as written, whitespace squashed. Borrowed from the text when it needs no
    /// squashing (nearly every figure): a quote is mostly copied once more, into a
    /// message, and a copy of its own was an allocation per quote.
    pub(crate) fn quote(&self, f: &Figure) -> std::borrow::Cow<'_, str> {
        format::squashed(self.file.slice(f.span()))
    }

    /// A label on a figure with a note: `role: as written (note)`.
    pub(crate) fn label_note(&self, f: &Figure, role: &str, note: &str) -> Label {
        let mut message = self.label_message(f, role, note.len() + 3);
        message.push_str(" (");
        message.push_str(note);
        message.push(')');
        Label {
            span: f.span(),
            message,
        }
    }

    /// A label on one of several figures of a role: `role n: as written` ("part 2").
    pub(crate) fn label_numbered(&self, f: &Figure, role: &str, n: usize) -> Label {
        let quote = self.file.slice(f.span());
        let mut message = String::with_capacity(role.len() + 24 + quote.len());
        message.push_str(role);
        message.push(' ');
        format::push_decimal(&mut message, n as u64);
        message.push_str(": ");
        squash_into(&mut message, &quote);
        Label {
            span: f.span(),
            message,
        }
    }

    /// A label on a figure: `role: as written`.
    pub(crate) fn label(&self, f: &Figure, role: &str) -> Label {
        Label {
            span: f.span(),
            message: self.label_message(f, role, 0),
        }
    }

    /// `role: as written`, built in place (no `format!`, no quote copied twice) with
    /// room for `more` bytes after it: every finding has labels.
    fn label_message(&self, f: &Figure, role: &str, more: usize) -> String {
        let quote = self.file.slice(f.span());
        let mut message = String::with_capacity(role.len() + 2 + quote.len() + more);
        message.push_str(role);
        message.push_str(": ");
        squash_into(&mut message, &quote);
        message
    }

    /// The parameters of a family.
    #[allow(dead_code)]
    pub(crate) fn params(&self, family: &str) -> Option<&FamilyParams> {
        self.families
            .iter()
            .find(|f| f.name == family)
            .map(|f| &f.params)
    }
}

/// For each claim, the index of the next one (later in `claims`) with the same values of
/// every attribute in `keys`, if any. One pass with a hash map, so that a document with
/// many statements, none repeated, costs linear time rather than a scan of the rest for
/// each.
pub(crate) fn next_alike(claims: &[&Claim], keys: &[&str]) -> Vec<Option<usize>> {
    let mut next = vec![None; claims.len()];
    let mut latest: std::collections::HashMap<Vec<Option<&str>>, usize> =
        std::collections::HashMap::with_capacity(claims.len());
    for (i, c) in claims.iter().enumerate().rev() {
        let key: Vec<Option<&str>> = keys.iter().map(|k| c.attr(k)).collect();
        next[i] = latest.insert(key, i);
    }
    next
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

/// A loaded family's pattern tags (by pattern index) and parameters; its patterns are
/// at the same index in [`RuleSet::patterns`].
#[derive(Debug, Clone)]
pub(crate) struct LoadedFamily {
    /// Family name.
    pub name: String,
    /// Tags of each pattern.
    pub tags: Vec<Vec<String>>,
    /// Parameters.
    pub params: FamilyParams,
}

/// All loaded rules.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    families: Vec<LoadedFamily>,
    patterns: Vec<ClaimPatterns>,
    docs: Vec<RuleDoc>,
    /// Every known rule id with its family, whether enabled or not.
    rule_families: Vec<(String, String)>,
    /// Trusted facts, compiled for linking; `None` until facts are configured, and the
    /// facts rules do nothing without them.
    facts: Option<std::sync::Arc<claims::facts::FactIndex>>,
    /// The patterns' prefilter tables, built at the first check and then shared by every
    /// file (and thread); reset whenever `patterns` changes.
    pattern_index: std::sync::OnceLock<std::sync::Arc<claims::PatternIndex>>,
}

impl RuleSet {
    /// The built-in rules, from the YAML files compiled into the binary.
    pub fn builtin() -> Result<Self, Box<LoadError>> {
        Self::builtin_with(&[])
    }

    /// The built-in rules with more exhaustive pairs for the `$a`/`$b` patterns.
    pub fn builtin_with(extra_pairs: &[[Vec<String>; 2]]) -> Result<Self, Box<LoadError>> {
        let mut set = RuleSet::default();
        for (name, yaml) in load::BUILTIN {
            let fam = load::load_builtin(name, yaml, extra_pairs)?;
            set.families.push(LoadedFamily {
                name: fam.patterns.family.clone(),
                tags: fam.tags,
                params: fam.params,
            });
            set.patterns.push(fam.patterns);
            set.docs.extend(fam.rules);
        }
        set.docs.sort_by(|a, b| a.id.cmp(&b.id));
        set.rule_families = set
            .docs
            .iter()
            .map(|d| (d.id.clone(), d.family.clone()))
            .collect();
        Ok(set)
    }

    /// Add a rule pack file: its patterns join the family it names (after the built-in
    /// ones, so built-in phrasings keep priority), its rules replace the docs and default
    /// severities of rules with the same id, and its `params`, if any, replace the
    /// family's. A pack cannot invent rule ids: rules are code, phrasings are data.
    pub fn add_pack(&mut self, name: &str, yaml: &str) -> Result<(), Box<LoadError>> {
        let fam = load::load_file(name, yaml)?;
        let family = fam.patterns.family.clone();
        let Some(fi) = self.families.iter().position(|f| f.name == family) else {
            return Err(load::error_at(
                name,
                yaml,
                &family,
                format!("unknown family `{family}`"),
                None,
            ));
        };
        for r in fam.rules {
            let Some(doc) = self.docs.iter_mut().find(|d| d.id == r.id) else {
                let known: Vec<&str> = self
                    .docs
                    .iter()
                    .filter(|d| d.family == family)
                    .map(|d| d.id.as_str())
                    .collect();
                let help = format!("the {family} family's rules are: {}", known.join(", "));
                return Err(load::error_at(
                    name,
                    yaml,
                    &r.id,
                    format!("unknown rule `{}` in family `{family}`", r.id),
                    Some(help),
                ));
            };
            if doc.family != family {
                return Err(load::error_at(
                    name,
                    yaml,
                    &r.id,
                    format!(
                        "rule `{}` belongs to the {} family, not {family}",
                        r.id, doc.family
                    ),
                    None,
                ));
            }
            *doc = r;
        }
        if let Some(pi) = self.patterns.iter().position(|p| p.family == family) {
            let target = &mut self.patterns[pi];
            for k in &fam.patterns.key_slots {
                if !target.key_slots.contains(k) {
                    target.key_slots.push(k.clone());
                }
            }
            target.patterns.extend(fam.patterns.patterns);
            self.pattern_index = std::sync::OnceLock::new();
        }
        let loaded = &mut self.families[fi];
        loaded.tags.extend(fam.tags);
        if yaml_has_params(yaml) {
            loaded.params = fam.params;
        }
        Ok(())
    }

    /// Add every `*.yaml` file of a rule pack directory, in name order.
    pub fn add_pack_dir(&mut self, dir: &std::path::Path) -> Result<usize, Box<LoadError>> {
        let shown = dir.display().to_string();
        let entries = std::fs::read_dir(dir).map_err(|e| {
            load::file_error(
                &shown,
                format!("cannot read the rule pack directory: {e}"),
                None,
            )
        })?;
        let mut files: Vec<std::path::PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect();
        files.sort();
        for path in &files {
            let name = path.display().to_string();
            let bytes =
                crate::source::read_at_most(path, crate::limits::MAX_YAML_BYTES).map_err(|e| {
                    load::file_error(&name, format!("cannot read the rule file: {e}"), None)
                })?;
            let yaml = String::from_utf8(bytes).map_err(|e| {
                load::file_error(
                    &name,
                    format!(
                        "the rule file is not UTF-8 (invalid byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ),
                    None,
                )
            })?;
            self.add_pack(&name, &yaml)?;
        }
        Ok(files.len())
    }

    /// Apply a configuration's rule selection and severities: `select` (ids or family
    /// names; all when `None`), then `ignore`, then per-rule severities.
    pub fn configure(&mut self, options: &crate::config::Options) {
        let named =
            |list: &[String], d: &RuleDoc| list.iter().any(|n| *n == d.id || *n == d.family);
        self.docs.retain(|d| {
            options.select.as_deref().is_none_or(|s| named(s, d)) && !named(&options.ignore, d)
        });
        for d in &mut self.docs {
            if let Some(sev) = options.severity.get(&d.id) {
                d.severity = *sev;
            }
        }
    }

    /// Check figures against these trusted facts (the `facts` family's rules).
    pub fn set_facts(&mut self, facts: std::sync::Arc<claims::facts::FactIndex>) {
        self.facts = Some(facts);
    }

    /// The trusted facts, if any are configured.
    pub fn facts(&self) -> Option<&crate::facts::FactSet> {
        self.facts.as_deref().map(|f| &f.set)
    }

    /// Every known rule id with its family, whether enabled or not.
    pub fn rule_families(&self) -> &[(String, String)] {
        &self.rule_families
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
        self.analyse_keeping(file, settings, DateClaims::Made)
    }

    /// [`RuleSet::analyse`] for a check, which reads only the findings: the same
    /// findings, but the claims leave out those that would stand for a single date
    /// figure each (the date figures no pattern put in a claim, a third of all claims in
    /// report prose); the date rule reads those figures directly.
    pub fn analyse_for_findings(&self, file: &SourceFile, settings: &Settings) -> Analysis {
        self.analyse_keeping(file, settings, DateClaims::Skipped)
    }

    /// [`RuleSet::analyse`], with a claim made for each date figure outside a date
    /// claim or not.
    fn analyse_keeping(
        &self,
        file: &SourceFile,
        settings: &Settings,
        date_claims: DateClaims,
    ) -> Analysis {
        let vocabulary = &settings.vocabulary;
        let masked;
        let text = if vocabulary.furniture.is_empty() {
            file.scan_text()
        } else {
            masked = crate::source::mask_lines(file.scan_text(), &vocabulary.furniture);
            &masked
        };
        let mut figures = figures::scan_with(text, settings.number_format);
        figures::vocabulary::apply(text, &mut figures, vocabulary);
        figures::cells::keep_hedges_in_cells(&mut figures, file.layout());
        // Rust extractors run on each sentence that holds a figure, beside the patterns,
        // and only for families with a rule enabled.
        let enabled = |name: &str| self.docs.iter().any(|d| d.family == name);
        let statements = enabled("contradiction");
        let metrics = enabled("cross-passage");
        let series = self.families.iter().find_map(|f| match &f.params {
            FamilyParams::Series(p) if enabled(&f.name) => Some(p),
            _ => None,
        });
        let lists = self.families.iter().find_map(|f| match &f.params {
            FamilyParams::Enumeration(p) if enabled(&f.name) => Some(p),
            _ => None,
        });
        // Facts are linked only when some are configured and a facts rule is on: without
        // them this costs one test per sentence.
        let facts = self
            .facts
            .as_deref()
            .filter(|f| !f.set.is_empty() && enabled(claims::facts::FAMILY));
        // A document date is read from the cover; only when there is one are sentences
        // searched for events after it.
        let dated = self.families.iter().find_map(|f| match &f.params {
            FamilyParams::Date(p) if self.doc("invalid-date").is_some() => {
                claims::dates::document_date(text, &figures, p).map(|d| (d, p))
            }
            _ => None,
        });
        let (mut series_claims, mut list_claims) = (Vec::new(), Vec::new());
        // The phrases that mark a list as open, split once for the whole file.
        let open_phrases = lists.map(claims::enumeration::OpenPhrases::new);
        let mut series_reader = claims::series::Reader::default();
        let mut event_claims = Vec::new();
        // No claim runs from one table cell into the next.
        let breaks = file.layout().cell_edges();
        let index = self
            .pattern_index
            .get_or_init(|| std::sync::Arc::new(claims::PatternIndex::new(&self.patterns)));
        let mut claims = claims::extract_with_index(
            text,
            &figures,
            &self.patterns,
            index,
            &breaks,
            // The sentence's figures come with it, for the extractors that rule
            // sentences out by them.
            |sentence, within, out| {
                // Most sentences yield nothing: an empty list is dropped without being
                // appended (`extend` reserves, copies and frees even for none). One
                // never allocated (nearly all) owns no memory, and is let go without its
                // drop: a call per sentence and extractor, into drop code that walks
                // the (no) claims before it finds nothing to free.
                #[inline(always)]
                fn append<T>(to: &mut Vec<T>, found: Vec<T>) {
                    if !found.is_empty() {
                        to.extend(found);
                    } else if found.capacity() == 0 {
                        std::mem::forget(found);
                    }
                }
                if statements {
                    append(
                        out,
                        claims::statements::extract(text, sentence, &figures, within),
                    );
                }
                if metrics {
                    append(
                        out,
                        claims::metrics::extract(text, sentence, &figures, within),
                    );
                }
                if let Some(p) = series {
                    append(
                        &mut series_claims,
                        series_reader.extract(text, sentence, &figures, within, p),
                    );
                }
                if let (Some(p), Some(phrases)) = (lists, &open_phrases) {
                    append(
                        &mut list_claims,
                        claims::enumeration::extract_with_phrases(
                            text, sentence, &figures, within, p, phrases,
                        ),
                    );
                }
                if let Some(index) = facts {
                    // The pattern claims of this sentence are the last ones added.
                    let start = sentence.first().map_or(0, |t| t.span.start);
                    let mine = out.len()
                        - out
                            .iter()
                            .rev()
                            .take_while(|c| c.span.start >= start)
                            .count();
                    let linked =
                        claims::facts::extract(text, sentence, &figures, index, &out[mine..]);
                    out.extend(linked);
                }
                if let Some((doc, p)) = &dated {
                    event_claims.extend(claims::dates::events(text, sentence, &figures, doc, p));
                }
            },
        );
        // Tables are read from the layout, not from sentences: plain text has none, and
        // costs nothing here.
        let table_claims = match self.families.iter().find_map(|f| match &f.params {
            FamilyParams::Table(p) if enabled(&f.name) => Some(p),
            _ => None,
        }) {
            Some(p) if !file.layout().tables.is_empty() => {
                claims::tables::extract(file.layout(), text, &figures, p)
            }
            _ => Vec::new(),
        };
        // The date figures outside a date claim: a claim each (checked with the others
        // below), or, when the claims are not kept, checked from the figures after the
        // other claims, in the same order, with the same findings.
        let mut lone_dates = Vec::new();
        if let Some(p) = self
            .patterns
            .iter()
            .find(|p| p.family == claims::dates::FAMILY)
        {
            match date_claims {
                DateClaims::Made => {
                    // The series, list, table and event claims join `claims` below.
                    let more = series_claims.len()
                        + list_claims.len()
                        + table_claims.len()
                        + event_claims.len();
                    claims::dates::add_claims(&figures, p.patterns.len(), &mut claims, more);
                }
                DateClaims::Skipped => lone_dates = claims::dates::unclaimed(&figures, &claims),
            }
        }
        let cx = Ctx {
            file,
            figures: &figures,
            settings,
            families: &self.families,
        };
        let mut found: Vec<(Finding, Span)> = Vec::new();
        for claim in &claims {
            let finding = match claim.family.as_str() {
                "share" => share::check(claim, &cx),
                "sum" => sum::check(claim, &cx),
                "change" => change::check(claim, &cx),
                "rank" => rank::check(claim, &cx),
                "unit" => unit::check(claim, &cx),
                "date" => date::check(claim, &cx),
                _ => None,
            };
            found.extend(finding.map(|f| (f, claim.span)));
        }
        for f in lone_dates.iter().map(|&fi| &figures[fi]) {
            found.extend(date::check_day(f, &cx).map(|found| (found, f.span())));
        }
        for c in series_claims {
            found.extend(series::check(&c, &cx).map(|f| (f, c.claim.span)));
            claims.push(c.claim);
        }
        for c in list_claims {
            found.extend(enumeration::check(&c, &cx).map(|f| (f, c.claim.span)));
            claims.push(c.claim);
        }
        // A table finding is placed at its claim's cell (the total, the percentage), not
        // across every cell it labels: the parts may be a whole column away.
        let mut placed: Vec<(Finding, Span)> = Vec::new();
        for c in table_claims {
            placed.extend(table::check(&c, &cx).map(|f| (f, c.claim.span)));
            claims.push(c.claim);
        }
        // Events after the document date make one finding, at the first of them: its
        // label on the document date may be pages away.
        placed.extend(date::check_document(&event_claims, &cx));
        claims.extend(event_claims);
        // Extractor claims arrive after the pattern claims: keep one order by position.
        sort_by_position(&mut claims);
        found.extend(sum::implied_totals(&claims, &cx));
        found.extend(contradiction::check_all(&claims, &cx));
        found.extend(cross_passage::check_all(&claims, &cx));
        if let Some(index) = facts {
            found.extend(facts::check_all(&claims, &cx, index));
        }
        let diagnostic = |f: Finding, span: Span| Diagnostic {
            rule: f.rule.to_string(),
            severity: self.doc(f.rule).map_or(Severity::Info, |d| d.severity),
            message: f.message,
            span,
            labels: f.labels,
            help: f.help,
            computed: f.computed,
        };
        let mut diagnostics: Vec<Diagnostic> = found
            .into_iter()
            .map(|(f, claim_span)| {
                // A rule may have used another reading of a slot (an earlier whole): the
                // finding covers every figure it labels.
                let span = f.labels.iter().fold(claim_span, |s, l| s.cover(l.span));
                diagnostic(f, span)
            })
            .collect();
        diagnostics.extend(placed.into_iter().map(|(f, span)| diagnostic(f, span)));
        // Suppressions see every finding, so that one naming a rule that is switched off
        // here still counts as used; then only the enabled rules are kept.
        let suppressions = crate::suppress::parse(file);
        if !suppressions.is_empty() {
            let family_of = |rule: &str| {
                self.rule_families
                    .iter()
                    .find(|(r, _)| r == rule)
                    .map_or_else(String::new, |(_, f)| f.clone())
            };
            let unused = self.doc("unused-suppression").map(|d| d.severity);
            diagnostics = crate::suppress::apply(&suppressions, diagnostics, family_of, unused);
        }
        diagnostics.retain(|d| self.doc(&d.rule).is_some());
        diagnostics.sort_by(|a, b| (a.span.start, &a.rule).cmp(&(b.span.start, &b.rule)));
        Analysis {
            figures,
            claims,
            diagnostics,
        }
    }

    /// Run every rule over one file.
    pub fn check(&self, file: &SourceFile, settings: &Settings) -> Vec<Diagnostic> {
        self.analyse_for_findings(file, settings).diagnostics
    }
}

/// Whether [`RuleSet::analyse`] makes a claim of each date figure that no pattern put in
/// a date claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateClaims {
    /// Made, checked and kept with the other claims.
    Made,
    /// Not made: the figures are checked directly.
    Skipped,
}

/// Sort claims by position (start, then end), keeping the order of claims at the same
/// place, as a stable sort does, without its scratch copy of the claims: the order is
/// found for their indices, then applied by swaps.
fn sort_by_position(claims: &mut [Claim]) {
    let key = |c: &Claim| (c.span.start, c.span.end);
    if claims.is_sorted_by_key(key) {
        return;
    }
    // `order[k]` is the index of the claim that goes to place `k`.
    let mut order: Vec<usize> = (0..claims.len()).collect();
    order.sort_by_key(|&i| key(&claims[i]));
    // Follow each cycle of the permutation; a place done is marked `order[k] == k`.
    for first in 0..order.len() {
        let mut at = first;
        while order[at] != at {
            let from = order[at];
            order[at] = at;
            if from == first {
                break;
            }
            claims.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod index_tests {
    use super::*;

    proptest::proptest! {
        /// The claims end up in the order a stable sort by position gives.
        #[test]
        fn claims_sort_as_a_stable_sort_would(
            spans in proptest::collection::vec((0usize..6, 0usize..3), 0..40),
        ) {
            let claims: Vec<Claim> = spans
                .iter()
                .enumerate()
                .map(|(i, &(start, len))| {
                    Claim::new(i.to_string(), Span::new(start, start + len), Vec::new())
                })
                .collect();
            let mut want = claims.clone();
            want.sort_by_key(|c| (c.span.start, c.span.end));
            let mut got = claims;
            sort_by_position(&mut got);
            proptest::prop_assert_eq!(got, want);
        }
    }

    /// A check, which leaves out the claims of lone date figures and reads those figures
    /// directly, finds exactly what a full analysis finds (invalid days and weekdays
    /// among them), on the seed, every fixture and crafted dates; the full analysis has
    /// the date claims besides.
    #[test]
    fn findings_without_lone_date_claims_are_the_same() {
        let crafted = "The meeting on Monday, 3 June 2024 and on 31 June 2023, on 29 February \
            2023 and 0 May 2022; also 7 February 2022, Friday 12 January 2024 and 30 April \
            2021.\n";
        let mut texts = vec![
            (
                "seed.txt".to_owned(),
                include_str!("../../seeds/000_26c4ac59d5b61832.txt").to_owned(),
            ),
            ("crafted.txt".to_owned(), crafted.to_owned()),
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for dir in std::fs::read_dir(&root).expect("fixtures").flatten() {
            for file in std::fs::read_dir(dir.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let path = file.path();
                if path.extension().is_some_and(|e| e == "txt")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    texts.push((path.display().to_string(), text));
                }
            }
        }
        let rules = RuleSet::builtin().expect("built-in rules load");
        let settings = Settings::default();
        let (mut dated, mut date_findings) = (0, 0);
        for (name, text) in texts {
            let file = SourceFile::from_text(name.clone(), text);
            let full = rules.analyse(&file, &settings);
            let lean = rules.analyse_for_findings(&file, &settings);
            assert_eq!(full.diagnostics, lean.diagnostics, "{name}");
            let dates = |a: &Analysis| a.claims.iter().filter(|c| c.family == "date").count();
            assert!(dates(&lean) <= dates(&full), "{name}");
            dated += dates(&full) - dates(&lean);
            date_findings += lean
                .diagnostics
                .iter()
                .filter(|d| d.rule == "invalid-date" || d.rule == "weekday-mismatch")
                .count();
        }
        // Lone date claims were left out, and dates were found wrong, so the comparison
        // is not between empty lists.
        assert!(dated >= 10, "{dated}");
        assert!(date_findings >= 4, "{date_findings}");
    }

    /// With some rules switched off, a check finds exactly the findings of the others
    /// that a check with every rule finds, in the same order, with suppressions in the
    /// text or without (a suppression naming a rule that is off still counts as used).
    #[test]
    fn rules_switched_off_leave_the_others_findings() {
        let seed = include_str!("../../seeds/000_26c4ac59d5b61832.txt");
        let suppressed = format!(
            "{seed}\n<!-- numlint-disable-next-line share-mismatch -->\n\
             Of 3,415 members, 786 or 21.02 per cent were women.\n\
             <!-- numlint-disable-next-line change-mismatch -->\n\
             It rose from 10 to 12, an increase of 50 per cent.\n\
             <!-- numlint-disable-next-line sum-mismatch -->\nNothing to see here.\n"
        );
        let settings = Settings::default();
        let all = RuleSet::builtin().expect("built-in rules load");
        let ids: Vec<String> = all.docs().iter().map(|d| d.id.clone()).collect();
        let mut compared = 0;
        for text in [seed.to_owned(), suppressed] {
            let file = SourceFile::from_text("t.txt", text);
            let every = all.check(&file, &settings);
            for kept in [
                vec!["share-mismatch", "unused-suppression"],
                vec!["change-mismatch", "sum-mismatch"],
                ids.iter()
                    .map(String::as_str)
                    .filter(|id| id.starts_with('s'))
                    .collect(),
            ] {
                let mut some = all.clone();
                some.retain(&kept);
                let want: Vec<Diagnostic> = every
                    .iter()
                    .filter(|d| kept.contains(&d.rule.as_str()))
                    .cloned()
                    .collect();
                compared += want.len();
                assert_eq!(some.check(&file, &settings), want, "{kept:?}");
            }
        }
        assert!(compared > 10, "{compared}");
    }

    /// The patterns' index is built at the first check; a pack added afterwards must
    /// still be matched (the index is rebuilt, not reused stale).
    #[test]
    fn a_pack_added_after_a_check_is_matched() {
        let text = "In 2022, 1,200 persons, representing 45 per cent of the 2,000 members, \
                    took part.\n";
        let file = SourceFile::from_text("t.txt", text.to_owned());
        let settings = Settings::default();
        let mut rules = RuleSet::builtin().expect("built-in rules load");
        let before = rules.analyse(&file, &settings).diagnostics.len();
        rules
            .add_pack(
                "representing.yaml",
                "family: share\nkey-slots: [part, pct]\npatterns:\n  \
                 - \"{part:amount} ~3 , representing {pct:percent} of the {whole:amount}\"\n",
            )
            .expect("pack loads");
        let after = rules.analyse(&file, &settings).diagnostics;
        assert_eq!(before, 0);
        assert!(
            after.iter().any(|d| d.rule == "share-mismatch"),
            "{after:?}"
        );
    }
}
