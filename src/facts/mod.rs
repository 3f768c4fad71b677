//! Facts: trusted figures (a statistics office's tables, a budget law, a census) and the
//! dates of events, read from YAML or CSV files given with `--facts` or `facts:` in
//! `numlint.yaml`, so that the text's figures can be checked against them.
//!
//! Input data beside the rules, not a pipeline stage: the linker in
//! [`crate::claims::facts`] ties stated figures to facts, and the `facts` rules judge
//! them. Loading is strict: every problem (an unreadable value or period, an unknown
//! unit, a fact listed twice or with conflicting values, an alias naming two metrics) is
//! an error at its line and column in the file.

mod period;
mod read;

use std::collections::BTreeMap;
use std::path::Path;

use miette::{NamedSource, SourceSpan};

use crate::figures::{Figure, FigureKind};
use crate::interval::Interval;
pub use period::{Day, Period};

/// Where a trusted figure comes from, cited in every finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Title of the table or publication.
    pub title: String,
    /// Its address.
    pub url: String,
}

/// "Bureau of National Statistics, Demographic Yearbook <https://...>".
impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} <{}>", self.title, self.url)
    }
}

/// What a metric is measured in. A stated figure is compared with a fact only when it is
/// stated in the same unit: a percentage is never compared with a count.
#[derive(Debug, Clone, PartialEq)]
pub enum Unit {
    /// A number of things or people.
    Count,
    /// Per cent.
    Percent,
    /// Money in a currency (ISO 4217 code, as the figure reader names it: `KZT`).
    Money(String),
    /// A rate per `per` of a population ("per 100,000 live births").
    Rate {
        /// The base.
        per: f64,
    },
}

impl Unit {
    /// Read a unit as a facts file writes it: `count`, `percent` (or `per cent`, `%`),
    /// `money KZT` (or the code alone), `rate per 100,000`.
    pub fn parse(text: &str) -> Option<Unit> {
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        match lower.as_str() {
            "count" | "number" => return Some(Unit::Count),
            "percent" | "per cent" | "%" => return Some(Unit::Percent),
            _ => {}
        }
        if let Some(rest) = lower.strip_prefix("rate per ") {
            let per: f64 = rest.replace([',', ' ', '_'], "").parse().ok()?;
            return (per > 0.0).then_some(Unit::Rate { per });
        }
        let code = t.strip_prefix("money ").unwrap_or(t).trim();
        (code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()))
            .then(|| Unit::Money(code.to_owned()))
    }

    /// The unit a figure is stated in, when it is one a fact can have.
    pub fn of_figure(f: &Figure) -> Option<Unit> {
        match &f.kind {
            FigureKind::Count => Some(Unit::Count),
            FigureKind::Percent => Some(Unit::Percent),
            FigureKind::Money(c) => Some(Unit::Money(c.code().to_owned())),
            FigureKind::Rate { per } => Some(Unit::Rate { per: per.get() }),
            _ => None,
        }
    }

    /// True when `f` is stated in this unit.
    pub fn accepts(&self, f: &Figure) -> bool {
        Unit::of_figure(f).is_some_and(|u| u == *self)
    }
}

/// "count", "per cent", "money KZT", "rate per 100000".
impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unit::Count => f.write_str("count"),
            Unit::Percent => f.write_str("per cent"),
            Unit::Money(c) => write!(f, "money {c}"),
            Unit::Rate { per } => write!(f, "rate per {per}"),
        }
    }
}

/// A metric's trusted value.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// What it is measured in.
    pub unit: Unit,
    /// The values it may stand for, from its precision as written ("19.8 million" is
    /// 19.75 to 19.85 million) or from `min` and `max`.
    pub interval: Interval,
    /// The value as the file writes it, for messages ("19.8 million", "19.75 to 19.85
    /// million").
    pub written: String,
}

/// What a fact states.
#[derive(Debug, Clone, PartialEq)]
pub enum FactKind {
    /// A metric: a value for a period.
    Metric(Measure),
    /// An event: it took place in the fact's period.
    Event,
}

/// One trusted fact.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// The metric or event name, as written ("population", "summer Olympic Games in Rio
    /// de Janeiro").
    pub name: String,
    /// A metric's value, or the mark of an event.
    pub kind: FactKind,
    /// Phrases that name it in prose; the name comes first.
    pub aliases: Vec<String>,
    /// Words the sentence must hold for the fact to apply (a group or a region:
    /// `women`, `rural`); empty for the whole population the file is about.
    pub scope: Vec<String>,
    /// Words naming the place the whole file is about (`Kazakhstan`): allowed in a
    /// matched sentence, never required.
    pub place: Vec<String>,
    /// The period; `None` for a metric that holds at any time.
    pub period: Option<Period>,
    /// Where the figure comes from.
    pub source: Source,
    /// The file it was read from and the line there, for messages.
    pub origin: String,
}

impl Fact {
    /// The fact's value, for a metric.
    pub fn measure(&self) -> Option<&Measure> {
        match &self.kind {
            FactKind::Metric(m) => Some(m),
            FactKind::Event => None,
        }
    }

    /// "population (women), 1 January 2023".
    pub fn label(&self) -> String {
        let mut out = self.name.clone();
        if !self.scope.is_empty() {
            out.push_str(&format!(" ({})", self.scope.join(", ")));
        }
        if let Some(p) = &self.period {
            out.push_str(&format!(", {p}"));
        }
        out
    }
}

/// Every fact of one or more files, validated together.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FactSet {
    /// The facts, in file order.
    pub facts: Vec<Fact>,
}

/// One problem in a facts file, at its place.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{file}:{line}: {message}")]
#[diagnostic(code(numlint::facts::invalid))]
pub struct FactProblem {
    /// File name.
    pub file: String,
    /// 1-based line of the problem (0 when it has no place).
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// The file's text, for the rendered report.
    #[source_code]
    pub src: NamedSource<String>,
    /// Where in the file.
    #[label("here")]
    pub at: Option<SourceSpan>,
    /// A hint for fixing it.
    #[help]
    pub help: Option<String>,
}

/// Facts files that cannot be used, with every problem found.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{summary}")]
#[diagnostic(
    code(numlint::facts::invalid),
    help("`numlint facts check FILE` lists the problems of a facts file")
)]
pub struct FactsError {
    /// "seeds/facts.yaml: 2 problems in the facts file".
    pub summary: String,
    /// Each problem, at its place.
    #[related]
    pub problems: Vec<FactProblem>,
}

/// A facts file's text, kept while its facts are validated.
struct Loaded {
    name: String,
    text: String,
    /// Each fact with the byte offset where it is written.
    facts: Vec<(Fact, usize)>,
}

impl FactSet {
    /// Read and validate one facts file: CSV when its name ends in `.csv`, else YAML.
    pub fn parse(name: &str, text: &str) -> Result<FactSet, FactsError> {
        Self::parse_all(&[(name.to_owned(), text.to_owned())])
    }

    /// Read and validate several facts files together (a fact in one file conflicting
    /// with a fact in another is a problem too).
    pub fn parse_all(files: &[(String, String)]) -> Result<FactSet, FactsError> {
        let mut loaded = Vec::with_capacity(files.len());
        let mut problems = Vec::new();
        for (name, text) in files {
            let (facts, mut found) = read::read(name, text);
            problems.append(&mut found);
            loaded.push(Loaded {
                name: name.clone(),
                text: text.clone(),
                facts,
            });
        }
        problems.extend(cross_check(&loaded));
        if !problems.is_empty() {
            let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
            let n = problems.len();
            return Err(FactsError {
                summary: format!(
                    "{}: {n} problem{} with the facts",
                    names.join(", "),
                    if n == 1 { "" } else { "s" }
                ),
                problems,
            });
        }
        Ok(FactSet {
            facts: loaded
                .into_iter()
                .flat_map(|l| l.facts.into_iter().map(|(f, _)| f))
                .collect(),
        })
    }

    /// Read and validate the facts files at `paths`.
    pub fn read_all(paths: &[impl AsRef<Path>]) -> Result<FactSet, FactsError> {
        let mut files = Vec::with_capacity(paths.len());
        for path in paths {
            let name = path.as_ref().display().to_string();
            let limit = crate::limits::MAX_FACTS_BYTES;
            let fail = |summary: String| FactsError {
                summary,
                problems: Vec::new(),
            };
            let bytes = crate::source::read_at_most(path.as_ref(), limit)
                .map_err(|e| fail(format!("{name}: cannot read the facts file: {e}")))?;
            if bytes.len() as u64 > limit {
                return Err(fail(format!(
                    "{name}: the facts file is larger than the limit of {limit} bytes; not read"
                )));
            }
            match String::from_utf8(bytes) {
                Ok(text) => files.push((name, text)),
                Err(e) => {
                    return Err(fail(format!(
                        "{name}: the facts file is not UTF-8 (invalid byte at offset {})",
                        e.utf8_error().valid_up_to()
                    )));
                }
            }
        }
        Self::parse_all(&files)
    }

    /// Number of facts.
    pub fn len(&self) -> usize {
        self.facts.len()
    }

    /// True when there are no facts.
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }
}

/// A problem at byte `offset` of `text` (or nowhere).
pub(crate) fn problem(
    file: &str,
    text: &str,
    offset: Option<usize>,
    message: String,
    help: Option<String>,
) -> FactProblem {
    let offset = offset.map(|o| o.min(text.len()));
    let line = offset.map_or(0, |o| text[..o].matches('\n').count() + 1);
    // Underline the rest of the line's value, at least one character.
    let len = offset.map_or(0, |o| {
        text[o..]
            .find('\n')
            .unwrap_or(text.len() - o)
            .clamp(1, 80)
            .min(text.len().saturating_sub(o))
    });
    FactProblem {
        file: file.to_owned(),
        line,
        message,
        src: NamedSource::new(file, text.to_owned()),
        at: offset.map(|o| SourceSpan::new(o.into(), len)),
        help,
    }
}

/// What identifies a fact: its name, scope and period (events: the name alone).
fn identity(fact: &Fact) -> (String, Vec<String>, Option<Period>) {
    let words = |s: &str| crate::claims::facts::phrase_words(s).join(" ");
    let mut scope: Vec<String> = fact.scope.iter().map(|s| words(s)).collect();
    scope.sort();
    let period = match fact.kind {
        FactKind::Event => None,
        FactKind::Metric(_) => fact.period.map(canonical),
    };
    (words(&fact.name), scope, period)
}

fn canonical(p: Period) -> Period {
    // `same_as` equates the end of a year with the start of the next: compare by it.
    match p {
        Period::Date(Day {
            year,
            month: 12,
            day: 31,
        }) => Period::start_of_year(year + 1),
        other => other,
    }
}

/// Problems between facts: the same fact twice, conflicting values, an alias naming two
/// different metrics.
fn cross_check(files: &[Loaded]) -> Vec<FactProblem> {
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut aliases: BTreeMap<String, (String, usize, usize)> = BTreeMap::new();
    let place = |fi: usize, at: usize| {
        let f = &files[fi];
        let line = f.text[..at.min(f.text.len())].matches('\n').count() + 1;
        format!("{}:{line}", f.name)
    };
    for (fi, file) in files.iter().enumerate() {
        for (k, (fact, at)) in file.facts.iter().enumerate() {
            let key = format!("{:?}", identity(fact));
            if let Some(&(pf, pk)) = seen.get(&key) {
                let (first, first_at) = &files[pf].facts[pk];
                let (message, help) = match (first.measure(), fact.measure()) {
                    (Some(a), Some(b)) if !a.interval.intersects(&b.interval) => (
                        format!(
                            "conflicting values for {}: {} here, {} at {}",
                            fact.label(),
                            b.written,
                            a.written,
                            place(pf, *first_at)
                        ),
                        "one fact per metric, scope and period: keep the value the source gives",
                    ),
                    _ => (
                        format!(
                            "{} is listed twice (first at {})",
                            fact.label(),
                            place(pf, *first_at)
                        ),
                        "remove one of the two entries",
                    ),
                };
                problems.push(problem(
                    &file.name,
                    &file.text,
                    Some(*at),
                    message,
                    Some(help.to_owned()),
                ));
                continue;
            }
            seen.insert(key, (fi, k));
            let scope = identity(fact).1.join(" ");
            let name = identity(fact).0;
            for alias in &fact.aliases {
                let words = crate::claims::facts::phrase_words(alias).join(" ");
                let alias_key = format!("{words}|{scope}");
                match aliases.get(&alias_key) {
                    Some((other, pf, pk)) if *other != name => {
                        let (first, first_at) = &files[*pf].facts[*pk];
                        problems.push(problem(
                            &file.name,
                            &file.text,
                            Some(*at),
                            format!(
                                "the alias `{alias}` names both `{}` and `{}` (at {})",
                                fact.name,
                                first.name,
                                place(*pf, *first_at)
                            ),
                            Some("an alias must name one metric or event, or numlint cannot tell which fact a sentence states".to_owned()),
                        ));
                    }
                    Some(_) => {}
                    None => {
                        aliases.insert(alias_key, (name.clone(), fi, k));
                    }
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "source: {title: Demographic yearbook, url: \"https://stat.gov.kz/\"}";

    fn yaml(body: &str) -> String {
        format!("facts:\n{body}")
    }

    #[test]
    fn a_metric_reads_its_precision_from_how_it_is_written() {
        let text = yaml(&format!(
            "  - metric: population\n    aliases: [number of inhabitants]\n    period: 2023-01-01\n    value: 19.8 million\n    {SOURCE}\n"
        ));
        let set = FactSet::parse("f.yaml", &text).expect("valid");
        let fact = &set.facts[0];
        let m = fact.measure().expect("a metric");
        assert_eq!(m.unit, Unit::Count);
        assert!(m.interval.contains(19.75e6) && m.interval.contains(19.85e6));
        assert!(!m.interval.contains(19.7e6));
        assert_eq!(fact.aliases, ["population", "number of inhabitants"]);
        assert_eq!(fact.label(), "population, 1 January 2023");
    }

    #[test]
    fn duplicates_and_conflicts_are_located() {
        let one = format!(
            "  - metric: labour force\n    period: 2022\n    value: 9.4 million\n    {SOURCE}\n"
        );
        let other = format!(
            "  - metric: labour force\n    period: 2022\n    value: 9.9 million\n    {SOURCE}\n"
        );
        let e = FactSet::parse("f.yaml", &yaml(&format!("{one}{one}"))).expect_err("duplicate");
        assert_eq!(e.problems.len(), 1);
        assert!(
            e.problems[0]
                .message
                .contains("listed twice (first at f.yaml:2)")
        );
        assert_eq!(e.problems[0].line, 6);
        let e = FactSet::parse("f.yaml", &yaml(&format!("{one}{other}"))).expect_err("conflict");
        assert!(
            e.problems[0].message.starts_with(
                "conflicting values for labour force, 2022: 9.9 million here, 9.4 million"
            ),
            "{}",
            e.problems[0].message
        );
    }

    #[test]
    fn units_parse_and_accept_figures_of_their_kind() {
        assert_eq!(Unit::parse("per cent"), Some(Unit::Percent));
        assert_eq!(Unit::parse("money KZT"), Some(Unit::Money("KZT".into())));
        assert_eq!(
            Unit::parse("rate per 100,000"),
            Some(Unit::Rate { per: 100_000.0 })
        );
        assert_eq!(Unit::parse("furlongs"), None);
        let f = crate::figures::scan("12.5 per cent");
        assert!(Unit::Percent.accepts(&f[0]));
        assert!(!Unit::Count.accepts(&f[0]));
    }
}
