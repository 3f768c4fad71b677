//! Facts files as written: YAML (a `facts:` list, shared `sources:` and `place:`) and CSV
//! (one fact per row) -> [`Fact`]s, with every problem located in the file.
//!
//! The third place (with `rules::load` and `config`) that reads YAML. serde_yaml gives
//! no spans for values, so problems are placed by finding each fact's list item and the
//! field's key in the text.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Fact, FactKind, FactProblem, Measure, Period, Source, Unit, problem};
use crate::figures::{FigureKind, Rounding};
use crate::interval::Interval;

/// A facts file in YAML.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct YamlFile {
    /// Words naming the place every fact is about (`Kazakhstan`).
    #[serde(default)]
    place: OneOrMany,
    /// Sources by id, for facts that write `source: ID`.
    #[serde(default)]
    sources: BTreeMap<String, RawSource>,
    facts: Vec<YamlFact>,
}

/// One fact in YAML.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct YamlFact {
    metric: Option<String>,
    event: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    scope: OneOrMany,
    place: Option<OneOrMany>,
    period: Option<Scalar>,
    value: Option<Scalar>,
    min: Option<Scalar>,
    max: Option<Scalar>,
    unit: Option<String>,
    source: Option<SourceRef>,
    /// Free text for the file's readers; not used.
    #[allow(dead_code)]
    note: Option<String>,
}

/// A string or a list of strings.
#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// A value YAML may read as a number: kept as text, so precision comes from how it is
/// written (quote it to keep trailing zeros: `"4.90"`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Int(i64),
    Float(f64),
}

impl Scalar {
    fn text(&self) -> String {
        match self {
            Scalar::Text(s) => s.clone(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
        }
    }
}

/// A source written in place.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSource {
    title: String,
    url: String,
}

/// A fact's source: an id from `sources:` or written in place.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SourceRef {
    Id(String),
    Inline(RawSource),
}

/// A fact as written, whatever the format.
#[derive(Debug, Default)]
struct RawFact {
    metric: Option<String>,
    event: Option<String>,
    aliases: Vec<String>,
    scope: Vec<String>,
    place: Vec<String>,
    period: Option<String>,
    value: Option<String>,
    min: Option<String>,
    max: Option<String>,
    unit: Option<String>,
    source: Option<RawSource>,
    /// An id from `sources:` that does not exist.
    unknown_source: Option<String>,
}

/// A problem in one field, before it is placed.
struct FieldError {
    field: &'static str,
    message: String,
    help: Option<String>,
}

fn field_error(field: &'static str, message: String, help: Option<&str>) -> FieldError {
    FieldError {
        field,
        message,
        help: help.map(str::to_owned),
    }
}

/// Read one file: its facts (each with the byte offset where it is written) and its
/// problems.
pub(super) fn read(name: &str, text: &str) -> (Vec<(Fact, usize)>, Vec<FactProblem>) {
    let is_csv = name.to_ascii_lowercase().ends_with(".csv");
    let raw = if is_csv {
        read_csv(name, text)
    } else {
        read_yaml(name, text)
    };
    let items = match raw {
        Ok(items) => items,
        Err(p) => return (Vec::new(), vec![*p]),
    };
    let mut facts = Vec::with_capacity(items.len());
    let mut problems = Vec::new();
    for (raw, item) in items {
        match build(raw) {
            Ok(mut fact) => {
                let line = text[..item.start.min(text.len())].matches('\n').count() + 1;
                fact.origin = format!("{name}:{line}");
                facts.push((fact, item.start));
            }
            Err(errors) => problems.extend(errors.into_iter().map(|e| {
                let at = (item.field)(e.field).or(Some(item.start));
                problem(name, text, at, e.message, e.help)
            })),
        }
    }
    (facts, problems)
}

/// Finds the byte offset of a fact's field by its key.
type FieldFinder<'a> = Box<dyn Fn(&str) -> Option<usize> + 'a>;

/// Where a fact is written: its start, and a way to find one of its fields.
struct Item<'a> {
    start: usize,
    field: FieldFinder<'a>,
}

fn read_yaml<'a>(name: &str, text: &'a str) -> Result<Vec<(RawFact, Item<'a>)>, Box<FactProblem>> {
    let file: YamlFile = serde_yaml::from_str(text).map_err(|e| {
        let at = e.location().map(|l| l.index());
        Box::new(problem(
            name,
            text,
            at,
            e.to_string(),
            Some("a facts file is a `facts:` list; each fact has `metric` or `event`, `period`, `value` (or `min`/`max`), `unit` and `source`".to_owned()),
        ))
    })?;
    let starts = item_starts(text);
    let facts_key = find_key(text, 0, text.len(), "facts").unwrap_or(0);
    let place = file.place.into_vec();
    let count = file.facts.len();
    let mut out = Vec::with_capacity(count);
    for (i, f) in file.facts.into_iter().enumerate() {
        // Block-style lists are located item by item; anything else at `facts:`.
        let (start, end) = if starts.len() == count {
            (starts[i], starts.get(i + 1).copied().unwrap_or(text.len()))
        } else {
            (facts_key, facts_key)
        };
        let (source, unknown_source) = match f.source {
            None => (None, None),
            Some(SourceRef::Inline(s)) => (Some(s), None),
            Some(SourceRef::Id(id)) => match file.sources.get(&id) {
                Some(s) => (Some(s.clone()), None),
                None => (None, Some(id)),
            },
        };
        let raw = RawFact {
            metric: f.metric,
            event: f.event,
            aliases: f.aliases,
            scope: f.scope.into_vec(),
            place: f.place.map_or_else(|| place.clone(), OneOrMany::into_vec),
            period: f.period.map(|p| p.text()),
            value: f.value.map(|v| v.text()),
            min: f.min.map(|v| v.text()),
            max: f.max.map(|v| v.text()),
            unit: f.unit,
            source,
            unknown_source,
        };
        let item = Item {
            start,
            field: Box::new(move |key| find_key(text, start, end, key)),
        };
        out.push((raw, item));
    }
    Ok(out)
}

/// The CSV columns, in any order; `aliases`, `scope` and `place` separate items with `;`.
const CSV_COLUMNS: &[&str] = &[
    "metric",
    "event",
    "aliases",
    "scope",
    "place",
    "period",
    "value",
    "min",
    "max",
    "unit",
    "source-title",
    "source-url",
];

fn read_csv<'a>(name: &str, text: &'a str) -> Result<Vec<(RawFact, Item<'a>)>, Box<FactProblem>> {
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| {
            Box::new(problem(
                name,
                text,
                Some(0),
                format!("cannot read the header: {e}"),
                None,
            ))
        })?
        .clone();
    let header_at = text
        .lines()
        .take_while(|l| l.trim_start().starts_with('#') || l.trim().is_empty())
        .map(|l| l.len() + 1)
        .sum::<usize>();
    let mut columns = Vec::with_capacity(header.len());
    for h in &header {
        let key = h.replace('_', "-").to_ascii_lowercase();
        match CSV_COLUMNS.iter().find(|c| **c == key) {
            Some(c) => columns.push(*c),
            None => {
                let help = crate::config::suggest(&key, CSV_COLUMNS.iter().copied()).map_or_else(
                    || format!("the columns are: {}", CSV_COLUMNS.join(", ")),
                    |s| format!("did you mean `{s}`?"),
                );
                let at = text[header_at..].find(h).map(|o| header_at + o);
                return Err(Box::new(problem(
                    name,
                    text,
                    at,
                    format!("unknown column `{h}`"),
                    Some(help),
                )));
            }
        }
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let at = e.position().map(|p| p.byte() as usize);
            Box::new(problem(
                name,
                text,
                at,
                format!("cannot read the row: {e}"),
                None,
            ))
        })?;
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let end = text[start.min(text.len())..]
            .find('\n')
            .map_or(text.len(), |o| start + o);
        let mut raw = RawFact::default();
        let (mut title, mut url) = (None, None);
        let list = |s: &str| -> Vec<String> {
            s.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        for (column, value) in columns.iter().zip(record.iter()) {
            if value.is_empty() {
                continue;
            }
            let v = Some(value.to_owned());
            match *column {
                "metric" => raw.metric = v,
                "event" => raw.event = v,
                "aliases" => raw.aliases = list(value),
                "scope" => raw.scope = list(value),
                "place" => raw.place = list(value),
                "period" => raw.period = v,
                "value" => raw.value = v,
                "min" => raw.min = v,
                "max" => raw.max = v,
                "unit" => raw.unit = v,
                "source-title" => title = v,
                _ => url = v,
            }
        }
        if title.is_some() || url.is_some() {
            raw.source = Some(RawSource {
                title: title.unwrap_or_default(),
                url: url.unwrap_or_default(),
            });
        }
        // A field is found by its text in the row.
        let cells: Vec<(&'static str, String)> = columns
            .iter()
            .zip(record.iter())
            .map(|(c, v)| (*c, v.to_owned()))
            .collect();
        let item = Item {
            start,
            field: Box::new(move |key| {
                let key = match key {
                    "source" => "source-title",
                    k => k,
                };
                let (_, value) = cells.iter().find(|(c, v)| *c == key && !v.is_empty())?;
                text.get(start..end)?
                    .find(value.as_str())
                    .map(|o| start + o)
            }),
        };
        out.push((raw, item));
    }
    Ok(out)
}

/// Byte offsets of the items of the top-level `facts:` block list.
fn item_starts(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut inside = false;
    let mut indent = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end();
        let trimmed = body.trim_start();
        let col = body.len() - trimmed.len();
        if col == 0 && !trimmed.is_empty() && !trimmed.starts_with('#') && !trimmed.starts_with('-')
        {
            inside = trimmed.starts_with("facts:");
        } else if inside && (trimmed.starts_with("- ") || trimmed == "-") {
            let first = *indent.get_or_insert(col);
            if col == first {
                out.push(offset + col);
            }
        }
        offset += line.len();
    }
    out
}

/// The byte offset of `key:`'s value in `text[start..end]` (a key at the start of a line,
/// after indentation or a list dash), or of the key when the value is on later lines.
fn find_key(text: &str, start: usize, end: usize, key: &str) -> Option<usize> {
    let mut offset = start;
    for line in text.get(start..end.max(start))?.split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '-']);
        if let Some(rest) = body.strip_prefix(key)
            && let Some(value) = rest.trim_start().strip_prefix(':')
        {
            let key_at = offset + line.len() - body.len();
            let lead = value.len() - value.trim_start().len();
            return Some(if value.trim().is_empty() {
                key_at
            } else {
                key_at + key.len() + (rest.len() - rest.trim_start().len()) + 1 + lead
            });
        }
        offset += line.len();
    }
    None
}

const PERIOD_HELP: &str = "write a year (2022), an academic year (2022/23), a date (2023-01-01 or 1 January 2023), a range (2020-2022, 2016-08-05/2016-08-21) or `beginning of 2023`";
const UNIT_HELP: &str = "units are `count`, `percent`, `money CODE` (e.g. `money KZT`) and `rate per N` (e.g. `rate per 100,000`)";

/// A written fact -> a fact, or every problem with it.
fn build(mut raw: RawFact) -> Result<Fact, Vec<FieldError>> {
    let mut errors = Vec::new();
    let (name, is_event) = match (&raw.metric, &raw.event) {
        (Some(m), None) if !m.trim().is_empty() => (m.trim().to_owned(), false),
        (None, Some(e)) if !e.trim().is_empty() => (e.trim().to_owned(), true),
        (Some(_), Some(_)) => {
            errors.push(field_error(
                "event",
                "a fact is a `metric` or an `event`, not both".to_owned(),
                None,
            ));
            (String::new(), false)
        }
        _ => {
            errors.push(field_error(
                "metric",
                "a fact needs a `metric` (a figure) or an `event` (a date) name".to_owned(),
                None,
            ));
            (String::new(), false)
        }
    };
    let mut aliases = vec![name.clone()];
    for a in std::mem::take(&mut raw.aliases) {
        let a = a.trim().to_owned();
        if !aliases.contains(&a) {
            aliases.push(a);
        }
    }
    for a in &aliases {
        if !a.is_empty() && crate::claims::facts::phrase_words(a).is_empty() {
            errors.push(field_error(
                "aliases",
                format!("the alias `{a}` has no word that could name a metric"),
                Some("an alias needs at least one content word (not `the`, `of`, `total`)"),
            ));
        }
    }
    let period = match raw.period.as_deref() {
        None => None,
        Some(p) => match Period::parse(p) {
            Some(p) => Some(p),
            None => {
                errors.push(field_error(
                    "period",
                    format!("cannot read the period `{p}`"),
                    Some(PERIOD_HELP),
                ));
                None
            }
        },
    };
    let kind = if is_event {
        if period.is_none() && raw.period.is_none() {
            errors.push(field_error(
                "event",
                format!("the event `{name}` needs a `period` (when it took place)"),
                Some(PERIOD_HELP),
            ));
        }
        for (field, v) in [
            ("value", &raw.value),
            ("min", &raw.min),
            ("max", &raw.max),
            ("unit", &raw.unit),
        ] {
            if v.is_some() {
                errors.push(field_error(
                    field,
                    format!("an event has a period, not a `{field}`"),
                    None,
                ));
            }
        }
        Some(FactKind::Event)
    } else {
        match measure(&raw) {
            Ok(m) => Some(FactKind::Metric(m)),
            Err(e) => {
                errors.push(e);
                None
            }
        }
    };
    let source = match (raw.source, raw.unknown_source) {
        (_, Some(id)) => {
            errors.push(field_error(
                "source",
                format!("no source `{id}` under `sources:`"),
                None,
            ));
            None
        }
        (None, None) => {
            errors.push(field_error(
                "metric",
                "a fact needs a `source` (title and url) to cite".to_owned(),
                Some("source: {title: Demographic yearbook 2023, url: \"https://...\"}"),
            ));
            None
        }
        (Some(s), None) => {
            if s.title.trim().is_empty() {
                errors.push(field_error(
                    "source",
                    "the source has no title".to_owned(),
                    None,
                ));
            }
            let url = s.url.trim();
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                errors.push(field_error(
                    "source",
                    format!("the source URL `{url}` does not start with http:// or https://"),
                    None,
                ));
            }
            Some(Source {
                title: s.title.trim().to_owned(),
                url: url.to_owned(),
            })
        }
    };
    match (kind, source) {
        (Some(kind), Some(source)) if errors.is_empty() => Ok(Fact {
            name,
            kind,
            aliases,
            scope: raw.scope,
            place: raw.place,
            period,
            source,
            origin: String::new(),
        }),
        _ => Err(errors),
    }
}

/// A metric's value and unit from `value` (or `min`/`max`) and `unit`.
fn measure(raw: &RawFact) -> Result<Measure, FieldError> {
    let unit =
        match raw.unit.as_deref() {
            None => None,
            Some(u) => Some(Unit::parse(u).ok_or_else(|| {
                field_error("unit", format!("unknown unit `{u}`"), Some(UNIT_HELP))
            })?),
        };
    let read = |field: &'static str,
                text: &str|
     -> Result<(Interval, Option<Unit>, f64), FieldError> {
        let (interval, stated, value) = figure(text).ok_or_else(|| {
            field_error(
                field,
                format!("cannot read `{text}` as one figure"),
                Some("write a number as the text would (`19.8 million`, `458,300`, `4.9 per cent`, `246.5 million tenge`); its precision is how it is written"),
            )
        })?;
        Ok((interval, stated, value))
    };
    let (interval, stated, written) = match (&raw.value, &raw.min, &raw.max) {
        (Some(v), None, None) => {
            let (i, u, _) = read("value", v)?;
            (i, u, v.trim().to_owned())
        }
        (None, lo, hi) if lo.is_some() || hi.is_some() => {
            let lo = lo.as_deref().map(|t| read("min", t)).transpose()?;
            let hi = hi.as_deref().map(|t| read("max", t)).transpose()?;
            if let (Some(a), Some(b)) = (&lo, &hi)
                && a.2 > b.2
            {
                return Err(field_error("min", "`min` is above `max`".to_owned(), None));
            }
            if let (Some(a), Some(b)) = (&lo, &hi)
                && a.1 != b.1
            {
                return Err(field_error(
                    "max",
                    "`min` and `max` are in different units".to_owned(),
                    None,
                ));
            }
            let written = match (&raw.min, &raw.max) {
                (Some(a), Some(b)) => format!("{} to {}", a.trim(), b.trim()),
                (Some(a), None) => format!("at least {}", a.trim()),
                (None, Some(b)) => format!("at most {}", b.trim()),
                (None, None) => String::new(),
            };
            let unit = lo.as_ref().or(hi.as_ref()).and_then(|x| x.1.clone());
            let interval = Interval::closed(
                lo.map_or(f64::NEG_INFINITY, |x| x.2),
                hi.map_or(f64::INFINITY, |x| x.2),
            );
            (interval, unit, written)
        }
        (Some(_), _, _) => {
            return Err(field_error(
                "value",
                "give a `value` or `min`/`max`, not both".to_owned(),
                None,
            ));
        }
        _ => {
            return Err(field_error(
                "metric",
                "a metric needs a `value` (or `min` and `max`)".to_owned(),
                None,
            ));
        }
    };
    let unit = match (unit, stated) {
        (Some(u), None) => u,
        (None, Some(s)) => s,
        (None, None) => Unit::Count,
        (Some(u), Some(s)) if u == s => u,
        // A bare number given a unit: "4.9" with `unit: percent`.
        (Some(u), Some(Unit::Count)) => u,
        (Some(u), Some(s)) => {
            return Err(field_error(
                "unit",
                format!("the value is written in {s} but the unit is {u}"),
                None,
            ));
        }
    };
    Ok(Measure {
        unit,
        interval,
        written,
    })
}

/// One figure making up all of `text`: its interval (nearest rounding, default hedge
/// tolerance), its unit (`None` for a bare number) and its value.
fn figure(text: &str) -> Option<(Interval, Option<Unit>, f64)> {
    let t = text.trim();
    let figures = crate::figures::scan(t);
    if let [f] = figures.as_slice()
        && f.span().start == 0
        && f.span().end == t.len()
    {
        let unit = match &f.kind {
            FigureKind::Count => Some(Unit::Count),
            FigureKind::Percent | FigureKind::Money(_) | FigureKind::Rate { .. } => {
                Unit::of_figure(f)
            }
            _ => return None,
        };
        return Some((f.interval(Rounding::Nearest, 0.05), unit, f.value));
    }
    // A plain number the figure reader leaves alone (a long run of digits): its
    // precision is its decimals.
    let value: f64 = t.parse().ok().filter(|v: &f64| v.is_finite())?;
    if !t
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return None;
    }
    let interval = match t.split_once('.') {
        None => Interval::point(value),
        Some((_, decimals)) => {
            let half = 0.5 * 10f64.powi(-(decimals.len() as i32));
            Interval::closed(value - half, value + half)
        }
    };
    Some((interval, Some(Unit::Count), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(name: &str, text: &str) -> Vec<FactProblem> {
        read(name, text).1
    }

    #[test]
    fn values_keep_the_precision_they_are_written_with() {
        let (i, u, _) = figure("458.3 thousand").expect("figure");
        assert_eq!(u, Some(Unit::Count));
        assert!(i.contains(458_250.0) && !i.contains(458_400.0));
        let (i, u, _) = figure("4.9 per cent").expect("figure");
        assert_eq!(u, Some(Unit::Percent));
        assert!(i.contains(4.85) && !i.contains(4.96));
        let (i, _, _) = figure("19766807").expect("figure");
        assert!(i.is_point());
        assert_eq!(figure("2016"), None);
        assert_eq!(figure("lots"), None);
    }

    #[test]
    fn problems_point_at_their_field() {
        let text = "sources:\n  bns: {title: T, url: \"https://stat.gov.kz\"}\nfacts:\n  - metric: population\n    period: 2023-01-01\n    value: 19.8 million\n    source: bns\n  - metric: labour force\n    period: sometime\n    value: 9.4 million\n    unit: furlongs\n    source: bns\n";
        let p = problems("f.yaml", text);
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[0].message, "cannot read the period `sometime`");
        assert_eq!(p[0].line, 9);
        assert_eq!(p[0].at.map(|a| a.offset()), text.find("sometime"));
        assert_eq!(p[1].message, "unknown unit `furlongs`");
        assert_eq!(p[1].line, 11);
    }

    #[test]
    fn unknown_keys_are_yaml_errors_at_their_line() {
        let text = "facts:\n  - metric: population\n    peroid: 2023\n";
        let p = problems("f.yaml", text);
        assert_eq!(p.len(), 1);
        assert!(
            p[0].message.contains("unknown field `peroid`"),
            "{}",
            p[0].message
        );
        assert_eq!(p[0].line, 3);
    }

    #[test]
    fn csv_rows_are_facts_and_problems_point_at_the_cell() {
        let text = "# trusted figures\nmetric,aliases,period,value,unit,source_title,source_url\npopulation,number of inhabitants;residents,2023-01-01,19.8 million,,Yearbook,https://stat.gov.kz\nlabour force,,2022,lots,,Yearbook,https://stat.gov.kz\n";
        let (facts, p) = read("f.csv", text);
        assert_eq!(facts.len(), 1);
        assert_eq!(
            facts[0].0.aliases,
            ["population", "number of inhabitants", "residents"]
        );
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].message, "cannot read `lots` as one figure");
        assert_eq!(p[0].at.map(|a| a.offset()), text.find("lots"));
        let bad = "metric,valu\npopulation,1\n";
        let p = problems("f.csv", bad);
        assert_eq!(p[0].message, "unknown column `valu`");
        assert_eq!(p[0].help.as_deref(), Some("did you mean `value`?"));
    }
}
