//! Configuration: `numlint.yaml` (or `.numlint.yaml`), found from each checked file's
//! directory upward to the repository root, or given with `--config FILE`.
//!
//! One of the two places that read YAML (with `rules::load`). Loading is strict: an
//! unknown key, a bad value or an unknown rule id is an error at the line and column of
//! the YAML, with a suggestion for near misses ("did you mean `fail-on`?").

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};
use serde::{Deserialize, Serialize};

use crate::diagnostic::Severity;
use crate::figures::Rounding;
use crate::rules::format::squash;

/// File names looked for in each directory, in order.
pub const FILE_NAMES: [&str; 2] = ["numlint.yaml", ".numlint.yaml"];

/// Keys a config file may use (for "did you mean" on unknown keys).
const KEYS: &[&str] = &[
    "select",
    "ignore",
    "severity",
    "rounding",
    "hedge-tolerance",
    "min-severity",
    "fail-on",
    "rules-dir",
    "facts",
    "overrides",
    "ignore-findings",
    "paths",
    "locale",
    "vocabulary",
];

/// A configuration file that could not be used, with the place in the YAML.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{file}: {message}")]
#[diagnostic(code(numlint::config::invalid))]
pub struct ConfigError {
    /// File name.
    pub file: String,
    /// What is wrong.
    pub message: String,
    /// The YAML source, for the rendered report.
    #[source_code]
    pub src: NamedSource<String>,
    /// Where in the YAML.
    #[label("here")]
    pub at: Option<SourceSpan>,
    /// A hint for fixing it.
    #[help]
    pub help: Option<String>,
}

/// Settings that can be set for the whole file or per path.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Rule ids or family names to run (all when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<Vec<String>>,
    /// Rule ids or family names not to run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    /// Severity per rule id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub severity: BTreeMap<String, Severity>,
    /// How authors round the last digit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<Rounding>,
    /// Relative widening of "about" and "nearly" figures (0.05 = 5 per cent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hedge_tolerance: Option<f64>,
    /// How the text writes numbers: `en` (46,546.5), or a decimal-comma locale such as
    /// `fr`, `de`, `ru` (46 546,5 / 46.546,5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// Words the figure reader does not know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vocabulary: Option<crate::settings::Vocabulary>,
}

/// Number-writing conventions by language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Locale {
    /// English: decimal point.
    En,
    /// French: decimal comma.
    Fr,
    /// German: decimal comma.
    De,
    /// Russian: decimal comma.
    Ru,
    /// Spanish: decimal comma.
    Es,
    /// Italian: decimal comma.
    It,
    /// Portuguese: decimal comma.
    Pt,
    /// Kazakh: decimal comma.
    Kk,
    /// Any language writing a decimal point.
    DecimalPoint,
    /// Any language writing a decimal comma.
    DecimalComma,
}

impl Locale {
    /// The number format this locale writes.
    pub fn number_format(self) -> crate::figures::NumberFormat {
        match self {
            Locale::En | Locale::DecimalPoint => crate::figures::NumberFormat::DecimalPoint,
            _ => crate::figures::NumberFormat::DecimalComma,
        }
    }
}

/// A per-path section: options for files matching any of `paths` (globs, relative to the
/// config file's directory).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Override {
    /// Globs such as `annexes/**/*.md`.
    pub paths: Vec<String>,
    /// The options that apply there (on top of the file-level ones).
    #[serde(flatten)]
    pub options: Options,
}

/// A finding judged and accepted: silenced wherever `rule` fires on a claim whose text
/// (whitespace collapsed) contains `text`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct IgnoredFinding {
    /// Rule id.
    pub rule: String,
    /// A quote from the claim, as written.
    pub text: String,
}

/// A whole configuration file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// File-level options.
    #[serde(flatten)]
    pub options: Options,
    /// Lowest severity shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_severity: Option<Severity>,
    /// Lowest severity that fails the run (`--fail-on` wins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<Severity>,
    /// Rule pack directories, relative to the config file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules_dir: Vec<PathBuf>,
    /// Facts files (trusted figures, YAML or CSV), relative to the config file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<PathBuf>,
    /// Per-path options, applied in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
    /// Findings judged and accepted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore_findings: Vec<IgnoredFinding>,
    /// Where the file was read from (not a key).
    #[serde(skip)]
    pub source: Option<PathBuf>,
    /// Each override's globs, compiled once when the file is parsed.
    #[serde(skip)]
    matchers: Vec<globset::GlobSet>,
}

/// What one file is checked with: the config's options merged with every override whose
/// globs match it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Profile {
    /// Merged options.
    #[serde(flatten)]
    pub options: Options,
    /// Rule pack directories (absolute or relative to the working directory).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules_dir: Vec<PathBuf>,
    /// Facts files (absolute or relative to the working directory).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<PathBuf>,
}

impl Config {
    /// Parse a config file; `known_rules` are (id, family) pairs for checking names.
    pub fn parse(
        path: &Path,
        yaml: &str,
        known_rules: &[(String, String)],
    ) -> Result<Config, Box<ConfigError>> {
        let file = path.display().to_string();
        let err = |message: String, at: Option<usize>, help: Option<String>| {
            Box::new(ConfigError {
                file: file.clone(),
                message,
                src: NamedSource::new(&file, yaml.to_string()),
                at: at.map(|o| SourceSpan::new(o.into(), 1)),
                help,
            })
        };
        if yaml.len() as u64 > crate::limits::MAX_YAML_BYTES {
            return Err(Box::new(ConfigError {
                file: file.clone(),
                message: format!(
                    "the configuration is {} bytes; at most {} are read",
                    yaml.len(),
                    crate::limits::MAX_YAML_BYTES
                ),
                src: NamedSource::new(&file, String::new()),
                at: None,
                help: None,
            }));
        }
        if let Some(at) = crate::rules::load::too_deep(yaml) {
            return Err(err(
                format!(
                    "collections nested more than {} levels deep",
                    crate::limits::MAX_YAML_DEPTH
                ),
                Some(at),
                None,
            ));
        }
        let mut config: Config = if yaml.trim().is_empty() {
            Config::default()
        } else {
            serde_yaml::from_str(yaml).map_err(|e| {
                let msg = e.to_string();
                let key = unknown_key(&msg);
                // `flatten` makes serde_yaml report the start of the map: find the key.
                let at = key
                    .and_then(|k| find_key(yaml, k))
                    .or_else(|| e.location().map(|l| l.index()));
                let help = key
                    .and_then(|k| suggest(k, KEYS.iter().copied()))
                    .map(|s| format!("did you mean `{s}`?"));
                err(msg, at, help)
            })?
        };
        let names = |opts: &Options| -> Vec<String> {
            opts.select
                .iter()
                .flatten()
                .chain(&opts.ignore)
                .chain(opts.severity.keys())
                .cloned()
                .collect()
        };
        let mut all = names(&config.options);
        config
            .overrides
            .iter()
            .for_each(|o| all.extend(names(&o.options)));
        all.extend(config.ignore_findings.iter().map(|f| f.rule.clone()));
        for name in all {
            if !known_rules
                .iter()
                .any(|(id, fam)| *id == name || *fam == name)
            {
                let ids = known_rules
                    .iter()
                    .flat_map(|(id, fam)| [id.as_str(), fam.as_str()]);
                let help = suggest(&name, ids).map_or_else(
                    || "`numlint rules` lists the rule ids and families".to_string(),
                    |s| format!("did you mean `{s}`?"),
                );
                return Err(err(
                    format!("unknown rule or family `{name}`"),
                    yaml.find(&name),
                    Some(help),
                ));
            }
        }
        let mut matchers = Vec::with_capacity(config.overrides.len());
        for o in &config.overrides {
            let mut set = globset::GlobSetBuilder::new();
            for g in &o.paths {
                match globset::Glob::new(g) {
                    Ok(glob) => {
                        set.add(glob);
                    }
                    Err(e) => {
                        return Err(err(
                            format!("bad glob `{g}`: {e}"),
                            yaml.find(g.as_str()),
                            None,
                        ));
                    }
                }
            }
            let set = set.build().map_err(|e| {
                err(
                    format!("bad globs `{}`: {e}", o.paths.join(", ")),
                    None,
                    None,
                )
            })?;
            matchers.push(set);
        }
        config.matchers = matchers;
        let base = path.parent().unwrap_or(Path::new("."));
        config.rules_dir = config.rules_dir.iter().map(|d| base.join(d)).collect();
        config.facts = config.facts.iter().map(|f| base.join(f)).collect();
        config.source = Some(path.to_path_buf());
        Ok(config)
    }

    /// Read and parse a config file.
    pub fn read(path: &Path, known_rules: &[(String, String)]) -> Result<Config, Box<ConfigError>> {
        let fail = |message: String| {
            Box::new(ConfigError {
                file: path.display().to_string(),
                message,
                src: NamedSource::new(path.display().to_string(), String::new()),
                at: None,
                help: None,
            })
        };
        let bytes = crate::source::read_at_most(path, crate::limits::MAX_YAML_BYTES)
            .map_err(|e| fail(format!("cannot read the configuration: {e}")))?;
        let yaml = String::from_utf8(bytes).map_err(|e| {
            fail(format!(
                "cannot read the configuration: not UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        Config::parse(path, &yaml, known_rules)
    }

    /// The options for one checked file: file-level options, then each matching override.
    pub fn profile(&self, file: &Path) -> Profile {
        let mut options = self.options.clone();
        let base = self
            .source
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(Path::new("."));
        let rel = file.strip_prefix(base).unwrap_or(file);
        for (n, o) in self.overrides.iter().enumerate() {
            let hit = match self.matchers.get(n) {
                Some(set) => set.is_match(rel) || set.is_match(file),
                // A config built in code rather than parsed: compile its globs now.
                None => o.paths.iter().any(|g| {
                    globset::Glob::new(g).is_ok_and(|g| {
                        let m = g.compile_matcher();
                        m.is_match(rel) || m.is_match(file)
                    })
                }),
            };
            if hit {
                merge(&mut options, &o.options);
            }
        }
        Profile {
            options,
            rules_dir: self.rules_dir.clone(),
            facts: self.facts.clone(),
        }
    }
}

impl Config {
    /// Drop the findings this config has judged and accepted (`ignore-findings`).
    pub fn drop_ignored(
        &self,
        file: &crate::source::SourceFile,
        diagnostics: &mut Vec<crate::Diagnostic>,
    ) {
        if self.ignore_findings.is_empty() {
            return;
        }
        diagnostics.retain(|d| {
            let text = squash(&file.slice(d.span));
            !self
                .ignore_findings
                .iter()
                .any(|i| i.rule == d.rule && text.contains(&squash(&i.text)))
        });
    }
}

/// A configuration (or anything serializable) as YAML, for `numlint config`.
pub fn to_yaml<T: Serialize>(value: &T) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}

/// Lay `over` on top of `base`: lists and maps extend, single values replace.
fn merge(base: &mut Options, over: &Options) {
    if over.select.is_some() {
        base.select = over.select.clone();
    }
    base.ignore.extend(over.ignore.iter().cloned());
    base.severity
        .extend(over.severity.iter().map(|(k, v)| (k.clone(), *v)));
    if over.rounding.is_some() {
        base.rounding = over.rounding;
    }
    if over.hedge_tolerance.is_some() {
        base.hedge_tolerance = over.hedge_tolerance;
    }
    if over.locale.is_some() {
        base.locale = over.locale;
    }
    if let Some(v) = &over.vocabulary {
        let b = base.vocabulary.get_or_insert_with(Default::default);
        b.currencies.extend(v.currencies.clone());
        b.hedges.extend(v.hedges.clone());
        b.exhaustive_pairs
            .extend(v.exhaustive_pairs.iter().cloned());
        b.furniture.extend(v.furniture.iter().cloned());
    }
}

/// The config file for a checked file: the nearest `numlint.yaml` or `.numlint.yaml` in
/// its directory or above, stopping at the repository root (a directory with `.git`).
pub fn discover(file: &Path) -> Option<PathBuf> {
    let start = if file.is_dir() {
        Some(file)
    } else {
        file.parent()
    };
    let mut dir = start
        .map(|d| {
            if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            }
        })?
        .to_path_buf();
    if let Ok(abs) = dir.canonicalize() {
        dir = abs;
    }
    loop {
        for name in FILE_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if dir.join(".git").exists() || !dir.pop() {
            return None;
        }
    }
}

/// Byte offset of `key:` at the start of a line (after indentation or a list dash).
fn find_key(yaml: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '-']);
        if body
            .strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with(':'))
        {
            return Some(offset + line.len() - body.len());
        }
        offset += line.len();
    }
    None
}

/// The unknown key named in a serde error message ("unknown field `failon`, expected ...").
fn unknown_key(message: &str) -> Option<&str> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.split("unknown field `").nth(1))?;
    rest.split('`').next()
}

/// The candidate closest to `name` by edit distance, when it is close (at most a third
/// of the name's length, and at least one edit allowed).
pub fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<(String, String)> {
        [
            ("share-mismatch", "share"),
            ("share-rounding", "share"),
            ("sum-mismatch", "sum"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
    }

    #[test]
    fn unknown_keys_are_located_and_suggested() {
        let yaml = "select: [share]\nfailon: error\n";
        let e = Config::parse(Path::new("numlint.yaml"), yaml, &known()).unwrap_err();
        assert!(
            e.message.contains("unknown field `failon`"),
            "{}",
            e.message
        );
        assert_eq!(e.help.as_deref(), Some("did you mean `fail-on`?"));
        assert_eq!(e.at.map(|a| a.offset()), Some(yaml.find("failon").unwrap()));
    }

    #[test]
    fn unknown_rules_are_errors_with_a_suggestion() {
        let yaml = "ignore:\n  - share-rounding\n  - sum-mismach\n";
        let e = Config::parse(Path::new("numlint.yaml"), yaml, &known()).unwrap_err();
        assert_eq!(e.message, "unknown rule or family `sum-mismach`");
        assert_eq!(e.help.as_deref(), Some("did you mean `sum-mismatch`?"));
    }

    #[test]
    fn bad_severity_is_an_error() {
        assert!(
            Config::parse(
                Path::new("n.yaml"),
                "severity:\n  share-mismatch: fatal\n",
                &known()
            )
            .is_err()
        );
    }

    #[test]
    fn overrides_apply_by_glob_relative_to_the_config() {
        let yaml = "rounding: nearest\nignore: [sum]\noverrides:\n  - paths: [\"annex/*.txt\"]\n    rounding: truncate\n    ignore: [share-rounding]\n";
        let c = Config::parse(Path::new("/r/numlint.yaml"), yaml, &known()).unwrap();
        let p = c.profile(Path::new("/r/annex/a.txt"));
        assert_eq!(p.options.rounding, Some(Rounding::Truncate));
        assert_eq!(p.options.ignore, ["sum", "share-rounding"]);
        let q = c.profile(Path::new("/r/main.txt"));
        assert_eq!(q.options.rounding, Some(Rounding::Nearest));
    }

    #[test]
    fn suggestions_need_to_be_close() {
        assert_eq!(suggest("fail-on", KEYS.iter().copied()), Some("fail-on"));
        assert_eq!(suggest("colour", KEYS.iter().copied()), None);
    }
}
