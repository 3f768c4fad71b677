//! Rule files: YAML under `rules/` -> compiled claim patterns and rule specs.
//!
//! The only place (with config, later) that reads YAML, so a swap away from serde_yaml
//! stays cheap. Loading is strict: unknown keys, bad severities and bad patterns are
//! errors that point at the line and column of the YAML.

use miette::{NamedSource, SourceSpan};
use serde::Deserialize;

use crate::claims::{ClaimPatterns, Pattern};
use crate::diagnostic::Severity;
use crate::formats::Format;
use crate::limits::{MAX_PATTERNS_PER_FILE, MAX_YAML_BYTES, MAX_YAML_DEPTH};
use crate::rules::{FamilyParams, ParamsValue, RuleDoc};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// The built-in rule files, compiled into the binary.
pub const BUILTIN: &[(&str, &str)] = &[
    ("rules/share.yaml", include_str!("../../rules/share.yaml")),
    ("rules/sum.yaml", include_str!("../../rules/sum.yaml")),
    ("rules/change.yaml", include_str!("../../rules/change.yaml")),
    (
        "rules/contradiction.yaml",
        include_str!("../../rules/contradiction.yaml"),
    ),
    ("rules/rank.yaml", include_str!("../../rules/rank.yaml")),
    ("rules/unit.yaml", include_str!("../../rules/unit.yaml")),
    ("rules/date.yaml", include_str!("../../rules/date.yaml")),
    (
        "rules/suppression.yaml",
        include_str!("../../rules/suppression.yaml"),
    ),
    (
        "rules/cross-passage.yaml",
        include_str!("../../rules/cross-passage.yaml"),
    ),
    ("rules/series.yaml", include_str!("../../rules/series.yaml")),
    (
        "rules/enumeration.yaml",
        include_str!("../../rules/enumeration.yaml"),
    ),
    ("rules/table.yaml", include_str!("../../rules/table.yaml")),
    ("rules/facts.yaml", include_str!("../../rules/facts.yaml")),
];

/// A rule file that could not be loaded, with the place in the YAML.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{file}: {message}")]
#[diagnostic(code(numlint::rules::invalid))]
pub struct LoadError {
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

/// One rule file as written; `P` is how its `params` are held until they are read into
/// the family's strict struct ([`ParamsValue`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleFile<P = serde_yaml::Value, E = PatternEntry> {
    family: String,
    /// Slots whose figures may belong to at most one claim of the family.
    #[serde(default)]
    key_slots: Vec<String>,
    #[serde(default = "Vec::new")]
    patterns: Vec<E>,
    /// Pairs of categories that together make up a whole (women/men, urban/rural): a
    /// pattern that says `$a` and `$b` is expanded once per pair, in both orders, with
    /// each side's words as a choice.
    #[serde(default)]
    exhaustive_pairs: Vec<[Vec<String>; 2]>,
    /// The family's own parameters, read in a second step into its strict struct.
    #[serde(default = "Option::default")]
    params: Option<P>,
    /// Rules the file defines (built-in files) or overrides by id (rule packs).
    #[serde(default)]
    rules: Vec<RuleEntry>,
}

/// A pattern, bare or with tags that its claims carry (e.g. `non-exhaustive`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum PatternEntry {
    Bare(String),
    Tagged(TaggedPattern),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct TaggedPattern {
    pattern: String,
    #[serde(default)]
    tags: Vec<String>,
}

/// A pattern entry as read: its pattern and tags. The built-in files' JSON forms hold
/// only tagged entries (build.rs tags the bare ones), read as [`TaggedPattern`] with no
/// untagged enum, whose every entry serde buffers before it tries each shape.
trait PatternParts {
    /// The pattern as written and its tags.
    fn parts(&self) -> (&str, &[String]);
}

impl PatternParts for PatternEntry {
    fn parts(&self) -> (&str, &[String]) {
        match self {
            PatternEntry::Bare(p) => (p, &[]),
            PatternEntry::Tagged(t) => t.parts(),
        }
    }
}

impl PatternParts for TaggedPattern {
    fn parts(&self) -> (&str, &[String]) {
        (&self.pattern, &self.tags)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleEntry {
    id: String,
    severity: Severity,
    summary: String,
    what: String,
    why: String,
    /// The format the examples are written in (`text` unless given).
    #[serde(default)]
    example_format: Option<String>,
    fires: Vec<String>,
    passes: Vec<String>,
}

/// A loaded family: its patterns and the docs (with default severities) of its rules.
#[derive(Debug, Clone)]
pub struct Family {
    /// Compiled patterns.
    pub patterns: ClaimPatterns,
    /// Tags of each pattern, by pattern index (claims know their pattern index).
    pub tags: Vec<Vec<String>>,
    /// The family's parameters.
    pub params: FamilyParams,
    /// The rules it defines.
    pub rules: Vec<RuleDoc>,
}

/// An error about a rule file as a whole (unreadable, or a problem not tied to a place).
pub fn file_error(file: &str, message: String, help: Option<String>) -> Box<LoadError> {
    Box::new(LoadError {
        file: file.to_string(),
        message,
        src: NamedSource::new(file, String::new()),
        at: None,
        help,
    })
}

/// An error at the first occurrence of `needle` in a rule file.
pub fn error_at(
    file: &str,
    yaml: &str,
    needle: &str,
    message: String,
    help: Option<String>,
) -> Box<LoadError> {
    let at = yaml.find(needle).map(|o| (o, needle.len().max(1)));
    located_error(file, yaml, message, at, help)
}

/// An error at byte `at` of a rule file's YAML (or about the file as a whole).
fn error_at_offset(
    file: &str,
    yaml: &str,
    message: String,
    at: Option<usize>,
    help: Option<String>,
) -> Box<LoadError> {
    located_error(file, yaml, message, at.map(|o| (o, 1)), help)
}

/// An error labelled at `(offset, length)` of a rule file's YAML, if given.
fn located_error(
    file: &str,
    yaml: &str,
    message: String,
    at: Option<(usize, usize)>,
    help: Option<String>,
) -> Box<LoadError> {
    Box::new(LoadError {
        file: file.to_string(),
        message,
        src: NamedSource::new(file, yaml.to_string()),
        at: at.map(|(o, len)| SourceSpan::new(o.into(), len)),
        help,
    })
}

/// Parse and compile one rule file.
pub fn load_file(file: &str, yaml: &str) -> Result<Family, Box<LoadError>> {
    load_file_with(file, yaml, &[])
}

/// [`load_file`] with more exhaustive pairs for `$a`/`$b` patterns (from configuration).
pub fn load_file_with(
    file: &str,
    yaml: &str,
    extra_pairs: &[[Vec<String>; 2]],
) -> Result<Family, Box<LoadError>> {
    let err = |message, at, help| error_at_offset(file, yaml, message, at, help);
    if yaml.len() as u64 > MAX_YAML_BYTES {
        return Err(file_error(
            file,
            format!(
                "the rule file is {} bytes; at most {MAX_YAML_BYTES} are read",
                yaml.len()
            ),
            None,
        ));
    }
    if let Some(at) = too_deep(yaml) {
        return Err(err(
            format!("collections nested more than {MAX_YAML_DEPTH} levels deep"),
            Some(at),
            None,
        ));
    }
    let parsed: RuleFile = serde_yaml::from_str(yaml).map_err(|e| {
        let at = e.location().map(|l| l.index());
        let line = e
            .location()
            .map(|l| format!(" (line {}, column {})", l.line(), l.column()));
        err(format!("{e}{}", line.unwrap_or_default()), at, None)
    })?;
    build_family(file, yaml, parsed, extra_pairs)
}

/// A built-in rule file: `json` is its JSON form made by the build script from `yaml`
/// (the same document; see build.rs), read without the YAML parser. `yaml` serves the
/// positions in error messages, as for any rule file.
pub fn load_builtin(
    file: &str,
    yaml: &str,
    extra_pairs: &[[Vec<String>; 2]],
) -> Result<Family, Box<LoadError>> {
    let Some(json) = BUILTIN_JSON
        .iter()
        .find_map(|(name, json)| (*name == file).then_some(*json))
    else {
        return load_file_with(file, yaml, extra_pairs);
    };
    let parsed: RuleFile<&serde_json::value::RawValue, TaggedPattern> = serde_json::from_str(json)
        .map_err(|e| {
            file_error(
                file,
                format!("the built-in rule file's JSON form does not load: {e}"),
                None,
            )
        })?;
    build_family(file, yaml, parsed, extra_pairs)
}

/// The rules of a parsed rule file, checked: params, patterns (expanded and compiled) and
/// rule docs.
fn build_family<P: ParamsValue, E: PatternParts>(
    file: &str,
    yaml: &str,
    mut parsed: RuleFile<P, E>,
    extra_pairs: &[[Vec<String>; 2]],
) -> Result<Family, Box<LoadError>> {
    let err = |message, at, help| error_at_offset(file, yaml, message, at, help);
    // Taken, not cloned: nothing else reads the params (a clone of the YAML value was
    // 0.27 M instructions of start-up).
    let params = FamilyParams::parse(&parsed.family, parsed.params.take()).map_err(|m| {
        let at = yaml.find("params:").or_else(|| yaml.find("family:"));
        err(m, at, None)
    })?;
    let pairs: Vec<[Vec<String>; 2]> = parsed
        .exhaustive_pairs
        .iter()
        .chain(extra_pairs)
        .cloned()
        .collect();
    // Counted before anything is expanded: pairs times patterns can be large.
    let count = parsed.patterns.iter().fold(0usize, |n, entry| {
        let p = entry.parts().0;
        let copies = if names_a_pair(p) {
            pairs.len().saturating_mul(2)
        } else {
            1
        };
        n.saturating_add(copies)
    });
    if count > MAX_PATTERNS_PER_FILE {
        return Err(err(
            format!(
                "{count} patterns once the exhaustive pairs are expanded; at most {MAX_PATTERNS_PER_FILE} are allowed"
            ),
            yaml.find("patterns:"),
            Some(
                "split the patterns over several rule files, or use fewer exhaustive pairs".into(),
            ),
        ));
    }
    let mut patterns = Vec::with_capacity(count);
    let mut tags = Vec::with_capacity(count);
    let expanded: Vec<(String, Vec<String>, &str)> = parsed
        .patterns
        .iter()
        .flat_map(|entry| {
            let (p, t) = entry.parts();
            expand_pairs(p, &pairs).into_iter().map(move |(q, pair)| {
                let mut tags = t.to_vec();
                if pair {
                    tags.push("pair".to_string());
                }
                (q, tags, p)
            })
        })
        .collect();
    for (p, t, written) in expanded {
        let p = p.as_str();
        tags.push(t);
        // Where the pattern is written, looked up only for an error message.
        let at = || yaml.find(written);
        let pat = Pattern::compile(p).map_err(|e| {
            err(
                format!("pattern `{p}`: {e}"),
                at().map(|a| a + e.offset),
                None,
            )
        })?;
        if !parsed
            .key_slots
            .iter()
            .any(|k| pat.slot_names().contains(k))
        {
            return Err(err(
                format!("pattern `{p}` fills none of the key slots {:?}", parsed.key_slots),
                at(),
                Some("every pattern must capture at least one key slot so its claims can be told apart".into()),
            ));
        }
        patterns.push(pat);
    }
    let mut rules = Vec::new();
    for r in parsed.rules {
        if !is_kebab(&r.id) {
            let at = yaml.find(&r.id);
            return Err(err(
                format!("rule id `{}` is not kebab-case", r.id),
                at,
                None,
            ));
        }
        let example_format = match r.example_format.as_deref() {
            None => Format::Text,
            Some(name) => Format::ALL
                .into_iter()
                .find(|f| f.name() == name)
                .ok_or_else(|| {
                    let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                    err(
                        format!("unknown example format `{name}`"),
                        yaml.find(&format!("example-format: {name}")),
                        Some(format!("expected one of: {}", names.join(", "))),
                    )
                })?,
        };
        rules.push(RuleDoc {
            id: r.id,
            family: parsed.family.clone(),
            severity: r.severity,
            summary: r.summary,
            what: trimmed_end(r.what),
            why: trimmed_end(r.why),
            example_format,
            fires: r.fires,
            passes: r.passes,
        });
    }
    Ok(Family {
        patterns: ClaimPatterns::new(parsed.family, patterns, parsed.key_slots),
        tags,
        params,
        rules,
    })
}

/// True when a pattern says `$a` or `$b`. Most say neither and have no `$`: a search for
/// the byte first, before the two substring searches.
fn names_a_pair(pattern: &str) -> bool {
    pattern.contains('$') && (pattern.contains("$a") || pattern.contains("$b"))
}

/// `$a`/`$b` in a pattern, once per exhaustive pair and order; other patterns as they are.
/// The flag says whether the pattern came from a pair.
fn expand_pairs(pattern: &str, pairs: &[[Vec<String>; 2]]) -> Vec<(String, bool)> {
    if !names_a_pair(pattern) {
        return vec![(pattern.to_string(), false)];
    }
    // The text around each `$a`, and within it around each `$b`, split once and joined
    // per pair and order (two `replace` calls per expansion searched the whole text
    // twice and built it twice). The same text: a choice starts with `<` and ends with
    // `>`, so no `$b` spans a choice's edge; a `$b` inside the first choice's words is
    // replaced too, as the second `replace` did.
    let pieces: Vec<Vec<&str>> = pattern
        .split("$a")
        .map(|piece| piece.split("$b").collect())
        .collect();
    let choice = |words: &[String]| format!("<{}>", words.join("|"));
    let mut out = Vec::with_capacity(pairs.len() * 2);
    for [a, b] in pairs {
        let (a, b) = (choice(a), choice(b));
        for (x, y) in [(&a, &b), (&b, &a)] {
            let x = if x.contains("$b") {
                std::borrow::Cow::Owned(x.replace("$b", y))
            } else {
                std::borrow::Cow::Borrowed(x.as_str())
            };
            let mut text = String::with_capacity(pattern.len() + 4 * x.len().max(y.len()));
            for (i, piece) in pieces.iter().enumerate() {
                if i > 0 {
                    text.push_str(&x);
                }
                for (j, part) in piece.iter().enumerate() {
                    if j > 0 {
                        text.push_str(y);
                    }
                    text.push_str(part);
                }
            }
            out.push((text, true));
        }
    }
    out
}

/// The byte where YAML flow collections (`[`, `{`) first nest deeper than
/// [`MAX_YAML_DEPTH`], if they do. Quoted scalars and comments are skipped; brackets in
/// plain scalars are counted, which can only make the estimate deeper, and real files
/// come nowhere near the limit.
pub(crate) fn too_deep(yaml: &str) -> Option<usize> {
    let bytes = yaml.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_YAML_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            // A single quote opens a quoted scalar only at the start of one; inside a
            // word it is an apostrophe.
            b'\''
                if i == 0
                    || matches!(
                        bytes[i - 1],
                        b' ' | b'\t' | b'\n' | b'[' | b'{' | b',' | b':'
                    ) =>
            {
                i += 1;
                while i < bytes.len() && bytes[i] != b'\'' {
                    i += 1;
                }
            }
            b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `text` without trailing whitespace, in place (no copy).
fn trimmed_end(mut text: String) -> String {
    text.truncate(text.trim_end().len());
    text
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_files_load() {
        for (name, yaml) in BUILTIN {
            let fam = load_file(name, yaml).unwrap_or_else(|e| panic!("{e:?}"));
            assert!(!fam.rules.is_empty());
        }
    }

    /// The JSON forms the build script makes load into exactly the rules the YAML gives,
    /// and every built-in file has one.
    #[test]
    fn builtin_json_loads_the_same_rules_as_the_yaml() {
        assert_eq!(BUILTIN_JSON.len(), BUILTIN.len());
        let pairs = [[vec!["girls".to_string()], vec!["boys".to_string()]]];
        for (name, yaml) in BUILTIN {
            assert!(BUILTIN_JSON.iter().any(|(n, _)| n == name), "{name}");
            for extra in [&pairs[..0], &pairs[..]] {
                let from_yaml =
                    load_file_with(name, yaml, extra).unwrap_or_else(|e| panic!("{e:?}"));
                let from_json = load_builtin(name, yaml, extra).unwrap_or_else(|e| panic!("{e:?}"));
                assert_eq!(format!("{from_yaml:?}"), format!("{from_json:?}"), "{name}");
            }
        }
    }

    #[test]
    fn unknown_key_points_at_its_line() {
        let yaml = "family: share\nkey-slots: [pct]\npatterns: []\nrules: []\nseverty: error\n";
        let e = load_file("x.yaml", yaml).unwrap_err();
        assert!(
            e.message.contains("unknown field `severty`"),
            "{}",
            e.message
        );
        assert!(e.message.contains("line 5"), "{}", e.message);
    }

    #[test]
    fn bad_pattern_is_reported_with_the_pattern() {
        let yaml =
            "family: share\nkey-slots: [pct]\npatterns:\n  - \"{pct:percnt} of\"\nrules: []\n";
        let e = load_file("x.yaml", yaml).unwrap_err();
        assert!(
            e.message.contains("unknown slot type `percnt`"),
            "{}",
            e.message
        );
        assert_eq!(e.at.map(|s| s.offset()), Some(yaml.find("{pct").unwrap()));
    }

    /// The expansion is the two `replace` calls it replaced, on patterns with several
    /// `$a` and `$b`, `$` next to them, and pair words that hold `$a` or `$b`.
    #[test]
    fn pair_expansion_is_the_old_one() {
        let old = |pattern: &str, pairs: &[[Vec<String>; 2]]| -> Vec<(String, bool)> {
            if !pattern.contains("$a") && !pattern.contains("$b") {
                return vec![(pattern.to_string(), false)];
            }
            let choice = |words: &[String]| format!("<{}>", words.join("|"));
            let mut out = Vec::new();
            for [a, b] in pairs {
                for (x, y) in [(a, b), (b, a)] {
                    out.push((
                        pattern.replace("$a", &choice(x)).replace("$b", &choice(y)),
                        true,
                    ));
                }
            }
            out
        };
        let words = |ws: &[&str]| ws.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        let pairs = [
            [words(&["women", "woman"]), words(&["men"])],
            [words(&["x$b", "$a"]), words(&["y $b$a", "$"])],
            [words(&["$"]), words(&["b"])],
        ];
        for pattern in [
            "{a:count} $a and {b:count} $b",
            "$a$b$a $b$b {a:count}",
            "$$ab $$a$b $ab$ $b$a$",
            "$b only {a:count}",
            "$a",
            "no pair {a:count}",
            "$ c $",
        ] {
            for n in 0..=pairs.len() {
                assert_eq!(
                    expand_pairs(pattern, &pairs[..n]),
                    old(pattern, &pairs[..n]),
                    "{pattern}"
                );
            }
        }
    }

    #[test]
    fn pair_patterns_expand_in_both_orders() {
        let pairs = [[
            vec!["women".to_string(), "woman".to_string()],
            vec!["men".to_string()],
        ]];
        let out = expand_pairs("{a:count} $a and {b:count} $b", &pairs);
        assert_eq!(
            out,
            [
                (
                    "{a:count} <women|woman> and {b:count} <men>".to_string(),
                    true
                ),
                (
                    "{a:count} <men> and {b:count} <women|woman>".to_string(),
                    true
                )
            ]
        );
        assert_eq!(
            expand_pairs("{a:count} x", &pairs),
            [("{a:count} x".to_string(), false)]
        );
    }

    #[test]
    fn bad_severity_is_an_error() {
        let yaml = "family: share\nkey-slots: [pct]\npatterns: []\nrules:\n  - id: a\n    severity: fatal\n    summary: s\n    what: w\n    why: y\n    fires: []\n    passes: []\n";
        assert!(load_file("x.yaml", yaml).is_err());
    }

    /// The defaults of the unit and date params are what a rule pack that sets only some
    /// keys falls back on: they must be the built-in files' values.
    #[test]
    fn unit_and_date_defaults_are_the_builtin_params() {
        for (name, yaml) in BUILTIN {
            let fam = load_file(name, yaml).unwrap_or_else(|e| panic!("{e:?}"));
            match fam.params {
                FamilyParams::Unit(p) => {
                    assert_eq!(p, crate::rules::unit::UnitParams::default(), "{name}")
                }
                FamilyParams::Date(p) => {
                    assert_eq!(p, crate::claims::dates::DateParams::default(), "{name}")
                }
                _ => {}
            }
        }
    }
}
