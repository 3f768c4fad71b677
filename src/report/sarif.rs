//! SARIF 2.1.0 output, for code scanning (GitHub's `upload-sarif`, GitLab, IDE viewers).
//!
//! One run: `tool.driver` lists every rule (id, summary, what it does, default level,
//! help URI to the rule's anchor in the generated docs); each finding is a result with
//! its rule, level, message (the help line appended), the claim as the physical location,
//! one related location per labelled figure, and `partialFingerprints` keyed
//! `numlintClaim/v1` with [`fingerprint`](super::fingerprint::fingerprint), which does
//! not change when lines move. Lines and columns are 1-based and columns count Unicode
//! scalar values (`run.columnKind` is `unicodeCodePoints`); `endColumn` is the column just
//! after the claim, as SARIF defines it; `byteOffset`/`byteLength` give the same region
//! in bytes of the checked text. For a file with a layout (Word, HTML, Markdown), the
//! claim's place in the document is also a `logicalLocations` entry of the location
//! (`name` "table 2, row 4, cell 3", `kind` "element") and the `location` property
//! (`{"kind": "cell", "table": 2, "row": 4, "cell": 3}`, as in the JSON output). Artifact URIs are relative to the working directory with
//! `uriBaseId` `%SRCROOT%` (names outside it are absolute `file://` URIs). Files that
//! could not be read are tool notifications in the invocation, which is then not
//! successful. The log is one JSON document, written by [`Reporter::finish`]: its
//! invocation, which comes before the results, is known only at the end. Each result is
//! serialized as it comes, so memory holds the results' text, not a tree of values.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::PathBuf;

use serde::Serialize;
use serde_json::{Value, json};

use super::fingerprint::fingerprint;
use super::json::{error_message, write_nested};
use super::{Reporter, Summary, relative_name};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::RuleDoc;
use crate::source::{LineCursor, SourceFile, Span};

/// Where the generated rule docs live; each rule is an anchor named by its id.
pub const RULE_DOCS_URI: &str = "https://github.com/numlint/numlint/blob/main/docs/rules.md";
/// The project's home page.
pub const INFORMATION_URI: &str = "https://github.com/numlint/numlint";
/// The key of numlint's fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "numlintClaim/v1";
const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

/// Collects results and writes one SARIF log at the end.
pub struct SarifReporter<W: Write> {
    out: W,
    base: Option<PathBuf>,
    rules: Vec<Value>,
    rule_index: HashMap<String, usize>,
    /// The results so far, as they will stand in the log: pretty-printed at their depth,
    /// each after its separator.
    results: Vec<u8>,
    notifications: Vec<Value>,
    summary: Summary,
}

impl<W: Write> SarifReporter<W> {
    /// A reporter describing `rules` in the driver, writing to `out`, with absolute file
    /// names made relative to `base` (the working directory).
    pub fn new(out: W, rules: &[RuleDoc], base: Option<PathBuf>) -> Self {
        SarifReporter {
            out,
            base,
            rules: rules.iter().map(rule_descriptor).collect(),
            rule_index: rules
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id.clone(), i))
                .collect(),
            results: Vec::new(),
            notifications: Vec::new(),
            summary: Summary::default(),
        }
    }

    /// Give back the writer (for tests).
    pub fn into_inner(self) -> W {
        self.out
    }

    fn artifact(&self, name: &str) -> Value {
        let rel = relative_name(name, self.base.as_deref());
        if rel.starts_with('/') {
            json!({ "uri": format!("file://{}", encode_uri_path(&rel)) })
        } else {
            json!({ "uri": encode_uri_path(&rel), "uriBaseId": SRCROOT })
        }
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule_descriptor(doc: &RuleDoc) -> Value {
    let what = doc.what.trim();
    let why = doc.why.trim();
    json!({
        "id": doc.id,
        "name": doc.id,
        "shortDescription": { "text": doc.summary.trim() },
        "fullDescription": { "text": if what.is_empty() { doc.summary.trim() } else { what } },
        "help": { "text": format!("{what}\n\n{why}").trim() },
        "helpUri": format!("{RULE_DOCS_URI}#{}", doc.id),
        "defaultConfiguration": { "level": level(doc.severity) },
        "properties": { "tags": [doc.family] },
    })
}

/// Percent-encode a `/`-separated path for a URI reference: unreserved characters,
/// sub-delimiters, `@` and `/` stay; everything else (`:` too, so a first segment is
/// never read as a scheme) becomes `%XX` of its UTF-8 bytes.
fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&b);
        if keep {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A SARIF result as the log writes it. The fields are in the order of their keys'
/// names, as a `Value` (a sorted map) printed them before, and borrow what they can:
/// building a `Value` per result, with a map and a string for every key, and dropping
/// it, cost more than checking the text.
#[derive(Serialize)]
struct SarifResult<'a> {
    level: &'static str,
    locations: [Place<'a>; 1],
    message: Text<'a>,
    #[serde(rename = "partialFingerprints")]
    partial_fingerprints: Fingerprints,
    properties: Properties<'a>,
    #[serde(rename = "relatedLocations")]
    related_locations: Vec<Related<'a>>,
    #[serde(rename = "ruleId")]
    rule_id: &'a str,
    #[serde(rename = "ruleIndex", skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
}

/// `{"text": ...}`.
#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

/// A result's location: the place in the file, and where it is in the document.
#[derive(Serialize)]
struct Place<'a> {
    #[serde(rename = "logicalLocations", skip_serializing_if = "Option::is_none")]
    logical_locations: Option<[Logical; 1]>,
    #[serde(rename = "physicalLocation")]
    physical_location: Physical<'a>,
}

/// A place in a document (`paragraph 17`), as an element.
#[derive(Serialize)]
struct Logical {
    kind: &'static str,
    name: String,
}

/// A region of a file.
#[derive(Serialize)]
struct Physical<'a> {
    #[serde(rename = "artifactLocation")]
    artifact_location: &'a Value,
    region: Region,
}

/// Lines, columns and bytes of a span.
#[derive(Serialize)]
struct Region {
    #[serde(rename = "byteLength")]
    byte_length: usize,
    #[serde(rename = "byteOffset")]
    byte_offset: usize,
    #[serde(rename = "endColumn")]
    end_column: usize,
    #[serde(rename = "endLine")]
    end_line: usize,
    #[serde(rename = "startColumn")]
    start_column: usize,
    #[serde(rename = "startLine")]
    start_line: usize,
}

/// numlint's fingerprint of a result, under [`FINGERPRINT_KEY`].
struct Fingerprints {
    claim: String,
}

impl Serialize for Fingerprints {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(FINGERPRINT_KEY, &self.claim)?;
        map.end()
    }
}

/// What SARIF has no field for: the help, the computed value, the place in the document.
#[derive(Serialize)]
struct Properties<'a> {
    computed: Option<f64>,
    help: &'a str,
    /// A `Value`, so that its keys are sorted as the log has always written them.
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Value>,
}

/// A label's place, as a related location.
#[derive(Serialize)]
struct Related<'a> {
    id: usize,
    message: Text<'a>,
    #[serde(rename = "physicalLocation")]
    physical_location: Physical<'a>,
}

/// The SARIF region of `span` in `file`, with lines and columns from `lines`, a cursor of
/// `file` (a finding's spans and the next finding's lie close together).
fn region(file: &SourceFile, lines: &mut LineCursor<'_>, span: Span) -> Region {
    let len = file.len();
    let (start, end) = (span.start.min(len), span.end.min(len));
    let (s, e) = (lines.line_col(start), lines.line_col(end.max(start)));
    Region {
        byte_length: end.saturating_sub(start),
        byte_offset: start,
        end_column: e.column,
        end_line: e.line,
        start_column: s.column,
        start_line: s.line,
    }
}

/// The message of a result: the finding's, and its help on a line of its own.
fn result_text(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    if !d.help.is_empty() {
        text.push_str("\nhelp: ");
        text.push_str(&d.help);
    }
    text
}

impl<W: Write> Reporter for SarifReporter<W> {
    fn file(&mut self, file: &SourceFile, diags: &[Diagnostic]) -> io::Result<()> {
        self.summary.record_file(diags);
        let artifact = self.artifact(file.name());
        let mut lines = file.line_cursor();
        for d in diags {
            let text = result_text(d);
            let related = d
                .labels
                .iter()
                .enumerate()
                .map(|(i, l)| Related {
                    id: i,
                    message: Text { text: &l.message },
                    physical_location: Physical {
                        artifact_location: &artifact,
                        region: region(file, &mut lines, l.span),
                    },
                })
                .collect();
            let place = file.layout().location_at(d.span.start);
            let result = SarifResult {
                level: level(d.severity),
                locations: [Place {
                    logical_locations: place.map(|p| {
                        [Logical {
                            kind: "element",
                            name: p.to_string(),
                        }]
                    }),
                    physical_location: Physical {
                        artifact_location: &artifact,
                        region: region(file, &mut lines, d.span),
                    },
                }],
                message: Text { text: &text },
                partial_fingerprints: Fingerprints {
                    claim: fingerprint(&d.rule, &file.slice(d.span)),
                },
                properties: Properties {
                    computed: d.computed.filter(|v| v.is_finite()),
                    help: &d.help,
                    location: place.map(|p| json!(p)),
                },
                related_locations: related,
                rule_id: &d.rule,
                rule_index: self.rule_index.get(&d.rule).copied(),
            };
            // As `serde_json` separates the elements of an array four levels deep.
            let sep: &[u8] = if self.results.is_empty() {
                b"\n        "
            } else {
                b",\n        "
            };
            self.results.extend_from_slice(sep);
            write_nested(&mut self.results, &result, 4)?;
        }
        Ok(())
    }

    fn error(&mut self, file: &str, err: &dyn miette::Diagnostic) -> io::Result<()> {
        self.summary.record_unreadable();
        self.notifications.push(json!({
            "level": "error",
            "message": { "text": format!("file not checked: {}", error_message(file, err)) },
            "locations": [{ "physicalLocation": { "artifactLocation": self.artifact(file) } }],
        }));
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        let version = env!("CARGO_PKG_VERSION");
        let invocations = json!([{
            "executionSuccessful": self.summary.unreadable == 0,
            "toolExecutionNotifications": self.notifications,
        }]);
        let tool = json!({
            "driver": {
                "name": "numlint",
                "version": version,
                "semanticVersion": version,
                "informationUri": INFORMATION_URI,
                "rules": self.rules,
            },
        });
        // The log as `serde_json` pretty-prints it, keys in order, with the results
        // written so far laid in.
        let out = &mut self.out;
        out.write_all(b"{\n  \"$schema\": ")?;
        write_nested(out, &SCHEMA_URI, 1)?;
        out.write_all(b",\n  \"runs\": [\n    {\n      \"columnKind\": ")?;
        write_nested(out, &"unicodeCodePoints", 3)?;
        out.write_all(b",\n      \"invocations\": ")?;
        write_nested(out, &invocations, 3)?;
        out.write_all(b",\n      \"results\": [")?;
        if !self.results.is_empty() {
            out.write_all(&self.results)?;
            out.write_all(b"\n      ")?;
        }
        out.write_all(b"],\n      \"tool\": ")?;
        write_nested(out, &tool, 3)?;
        out.write_all(b"\n    }\n  ],\n  \"version\": ")?;
        write_nested(out, &"2.1.0", 1)?;
        out.write_all(b"\n}\n")?;
        out.flush()
    }

    fn summary(&self) -> &Summary {
        &self.summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::{SHARE_TEXT, share_file_at, share_finding};

    fn doc(id: &str, severity: Severity) -> RuleDoc {
        RuleDoc {
            id: id.into(),
            family: "share".into(),
            severity,
            summary: "a summary".into(),
            what: "What it does.".into(),
            why: "Why.".into(),
            example_format: crate::formats::Format::Text,
            fires: vec![],
            passes: vec![],
        }
    }

    fn log(name: &str, base: Option<PathBuf>) -> Value {
        let rules = [
            doc("part-exceeds-whole", Severity::Error),
            doc("share-mismatch", Severity::Error),
        ];
        let file = SourceFile::from_text(name, SHARE_TEXT.to_owned());
        let mut reporter = SarifReporter::new(Vec::new(), &rules, base);
        reporter.file(&file, &[share_finding(SHARE_TEXT)]).unwrap();
        reporter.finish().unwrap();
        serde_json::from_slice(&reporter.into_inner()).unwrap()
    }

    #[test]
    fn result_has_rule_index_region_related_locations_and_fingerprint() {
        let log = log("/work/repo/docs/a b.txt", Some(PathBuf::from("/work/repo")));
        let run = &log["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
        let rule = &run["tool"]["driver"]["rules"][1];
        assert_eq!(rule["id"], "share-mismatch");
        assert_eq!(
            rule["helpUri"],
            format!("{RULE_DOCS_URI}#share-mismatch").as_str()
        );
        assert_eq!(rule["defaultConfiguration"]["level"], "error");
        let r = &run["results"][0];
        assert_eq!(r["ruleId"], "share-mismatch");
        assert_eq!(r["ruleIndex"], 1);
        assert_eq!(r["level"], "error");
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(
            loc["artifactLocation"],
            json!({"uri": "docs/a%20b.txt", "uriBaseId": "%SRCROOT%"})
        );
        let start = SHARE_TEXT.find("21.02").unwrap();
        let end = SHARE_TEXT.find("3,415").unwrap() + 5;
        assert_eq!(
            loc["region"],
            json!({"startLine": 3, "startColumn": 31, "endLine": 5, "endColumn": 13,
                   "byteOffset": start, "byteLength": end - start})
        );
        assert_eq!(r["relatedLocations"][1]["message"]["text"], "part: 786");
        assert_eq!(r["relatedLocations"][1]["id"], 1);
        let text = r["message"]["text"].as_str().unwrap();
        assert!(
            text.ends_with("\nhelp: 786 / 3,415 = 23.02 per cent"),
            "{text}"
        );
        assert_eq!(
            r["partialFingerprints"][FINGERPRINT_KEY],
            fingerprint("share-mismatch", &SHARE_TEXT[start..end]).as_str()
        );
    }

    #[test]
    fn places_in_a_document_are_logical_locations() {
        let file = share_file_at(crate::source::Location::Paragraph { paragraph: 17 });
        let mut reporter = SarifReporter::new(Vec::new(), &[], None);
        reporter.file(&file, &[share_finding(SHARE_TEXT)]).unwrap();
        reporter.finish().unwrap();
        let sarif: Value = serde_json::from_slice(&reporter.into_inner()).unwrap();
        let r = &sarif["runs"][0]["results"][0];
        assert_eq!(
            r["locations"][0]["logicalLocations"],
            json!([{"name": "paragraph 17", "kind": "element"}])
        );
        assert_eq!(
            r["properties"]["location"],
            json!({"kind": "paragraph", "paragraph": 17})
        );
        // Plain text has neither.
        let plain = log("a.txt", None);
        let r = &plain["runs"][0]["results"][0];
        assert!(r["locations"][0].get("logicalLocations").is_none());
        assert!(r["properties"].get("location").is_none());
    }

    #[test]
    fn names_outside_the_base_are_file_uris() {
        let log = log("/elsewhere/x.txt", Some(PathBuf::from("/work/repo")));
        let loc = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
        assert_eq!(
            loc["artifactLocation"],
            json!({"uri": "file:///elsewhere/x.txt"})
        );
    }

    #[test]
    fn the_log_is_laid_out_as_serde_json_prints_it() {
        let rules = [doc("share-mismatch", Severity::Error)];
        let file = SourceFile::from_text("a.txt", SHARE_TEXT.to_owned());
        let err = SourceFile::from_bytes("bad.txt", b"ok\n\xff".to_vec()).unwrap_err();
        for (findings, errors) in [(0, 0), (1, 0), (0, 1), (3, 2)] {
            let mut reporter = SarifReporter::new(Vec::new(), &rules, None);
            reporter
                .file(&file, &vec![share_finding(SHARE_TEXT); findings])
                .unwrap();
            for _ in 0..errors {
                reporter.error("bad.txt", &err).unwrap();
            }
            reporter.finish().unwrap();
            let bytes = reporter.into_inner();
            // A `Value` keeps its keys sorted, as the log writes them: printed again, it
            // gives the same bytes only if the log is laid out as `serde_json` does.
            let value: Value = serde_json::from_slice(&bytes).unwrap();
            let mut again = serde_json::to_vec_pretty(&value).unwrap();
            again.push(b'\n');
            assert_eq!(
                String::from_utf8(bytes).unwrap(),
                String::from_utf8(again).unwrap()
            );
            let run = &value["runs"][0];
            assert_eq!(run["results"].as_array().map(Vec::len), Some(findings));
            assert_eq!(run["invocations"][0]["executionSuccessful"], errors == 0);
        }
    }

    /// A result as the log built it before, as a `Value` (keys sorted): the oracle of
    /// the typed result.
    fn result_value(
        reporter: &SarifReporter<Vec<u8>>,
        file: &SourceFile,
        lines: &mut LineCursor<'_>,
        d: &Diagnostic,
    ) -> Value {
        let region = |lines: &mut LineCursor<'_>, span: Span| {
            let r = region(file, lines, span);
            json!({
                "startLine": r.start_line,
                "startColumn": r.start_column,
                "endLine": r.end_line,
                "endColumn": r.end_column,
                "byteOffset": r.byte_offset,
                "byteLength": r.byte_length,
            })
        };
        let artifact = reporter.artifact(file.name());
        let related: Vec<Value> = d
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                json!({
                    "id": i,
                    "message": { "text": l.message },
                    "physicalLocation": {
                        "artifactLocation": artifact,
                        "region": region(lines, l.span),
                    },
                })
            })
            .collect();
        let mut result = json!({
            "ruleId": d.rule,
            "level": level(d.severity),
            "message": { "text": result_text(d) },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": artifact,
                    "region": region(lines, d.span),
                },
            }],
            "relatedLocations": related,
            "partialFingerprints": {
                FINGERPRINT_KEY: fingerprint(&d.rule, &file.slice(d.span)),
            },
            "properties": {
                "help": d.help,
                "computed": d.computed.filter(|v| v.is_finite()),
            },
        });
        if let (Some(&i), Some(obj)) = (reporter.rule_index.get(&d.rule), result.as_object_mut()) {
            obj.insert("ruleIndex".into(), json!(i));
        }
        if let Some(place) = file.layout().location_at(d.span.start) {
            result["locations"][0]["logicalLocations"] =
                json!([{ "name": place.to_string(), "kind": "element" }]);
            result["properties"]["location"] = json!(place);
        }
        result
    }

    #[test]
    fn results_are_written_as_the_value_they_were_built_as() {
        let rules = [doc("share-mismatch", Severity::Error)];
        let plain = SourceFile::from_text("d/a b.txt", SHARE_TEXT.to_owned());
        let located = share_file_at(crate::source::Location::Cell {
            table: 2,
            row: 4,
            cell: 3,
        });
        let finding = share_finding(SHARE_TEXT);
        let variants = [
            finding.clone(),
            Diagnostic {
                rule: "not-a-known-rule".into(),
                severity: Severity::Info,
                help: String::new(),
                computed: None,
                labels: vec![],
                ..finding.clone()
            },
            Diagnostic {
                severity: Severity::Warning,
                message: "a \"quoted\"\tmessage\u{1}".into(),
                computed: Some(f64::NAN),
                ..finding.clone()
            },
            Diagnostic {
                computed: Some(1e-7),
                ..finding
            },
        ];
        for file in [&plain, &located] {
            let mut reporter = SarifReporter::new(Vec::new(), &rules, None);
            reporter.file(file, &variants).unwrap();
            let mut want = Vec::new();
            let mut lines = file.line_cursor();
            for (i, d) in variants.iter().enumerate() {
                want.extend_from_slice(if i == 0 {
                    b"\n        "
                } else {
                    b",\n        "
                });
                write_nested(&mut want, &result_value(&reporter, file, &mut lines, d), 4).unwrap();
            }
            assert_eq!(
                String::from_utf8(reporter.results.clone()).unwrap(),
                String::from_utf8(want).unwrap()
            );
        }
    }

    #[test]
    fn uri_paths_are_percent_encoded() {
        assert_eq!(encode_uri_path("a b/ü:1.txt"), "a%20b/%C3%BC%3A1.txt");
        assert_eq!(encode_uri_path("<stdin>"), "%3Cstdin%3E");
    }
}
