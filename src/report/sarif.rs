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

use serde_json::{Value, json};

use super::fingerprint::fingerprint;
use super::json::{Layout, Style, error_message, push_decimal, push_string, write_nested};
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
    /// The fixed text of a result (see [`piece`]).
    layout: Layout,
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
            layout: Layout::from_templates(
                &result_templates(),
                Style::Pretty {
                    depth: RESULT_DEPTH,
                },
            ),
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

/// The pieces of a SARIF result, four levels deep in the log, in the order they are
/// written, as templates (see `json::Layout`): a result has a fixed shape, so it is
/// written as its values with these pieces between them, laid out once per reporter.
/// Keys are in sorted order, as the `serde_json::Value` that results were built as
/// (kept in the tests as the oracle) printed them.
mod piece {
    pub const ERROR: usize = 0;
    pub const WARNING: usize = 1;
    pub const NOTE: usize = 2;
    pub const LOGICAL: usize = 3;
    pub const LOGICAL_END: usize = 4;
    pub const PHYSICAL: usize = 5;
    pub const REGION: usize = 6;
    pub const BYTE_OFFSET: usize = 7;
    pub const END_COLUMN: usize = 8;
    pub const END_LINE: usize = 9;
    pub const START_COLUMN: usize = 10;
    pub const START_LINE: usize = 11;
    pub const MESSAGE: usize = 12;
    pub const FINGERPRINT: usize = 13;
    pub const COMPUTED: usize = 14;
    pub const HELP: usize = 15;
    pub const LOCATION: usize = 16;
    pub const RELATED: usize = 17;
    pub const FIRST_LABEL: usize = 18;
    pub const NEXT_LABEL: usize = 19;
    pub const LABEL_MESSAGE: usize = 20;
    pub const LABEL_PHYSICAL: usize = 21;
    pub const LABELS_END: usize = 22;
    pub const NO_LABELS_END: usize = 23;
    pub const RULE_INDEX: usize = 24;
    pub const CLOSE: usize = 25;
}

/// The templates of [`piece`], by index.
fn result_templates() -> Vec<String> {
    let level = |level: &str| format!("{{\n1\"level\": \"{level}\",\n1\"locations\": [\n2{{");
    vec![
        level("error"),
        level("warning"),
        level("note"),
        "\n3\"logicalLocations\": [\n4{\n5\"kind\": \"element\",\n5\"name\": ".into(),
        "\n4}\n3],".into(),
        "\n3\"physicalLocation\": {\n4\"artifactLocation\": ".into(),
        ",\n4\"region\": {\n5\"byteLength\": ".into(),
        ",\n5\"byteOffset\": ".into(),
        ",\n5\"endColumn\": ".into(),
        ",\n5\"endLine\": ".into(),
        ",\n5\"startColumn\": ".into(),
        ",\n5\"startLine\": ".into(),
        "\n4}\n3}\n2}\n1],\n1\"message\": {\n2\"text\": ".into(),
        format!("\n1}},\n1\"partialFingerprints\": {{\n2\"{FINGERPRINT_KEY}\": "),
        "\n1},\n1\"properties\": {\n2\"computed\": ".into(),
        ",\n2\"help\": ".into(),
        ",\n2\"location\": ".into(),
        "\n1},\n1\"relatedLocations\": [".into(),
        "\n2{\n3\"id\": ".into(),
        "\n4}\n3}\n2},\n2{\n3\"id\": ".into(),
        ",\n3\"message\": {\n4\"text\": ".into(),
        "\n3},\n3\"physicalLocation\": {\n4\"artifactLocation\": ".into(),
        "\n4}\n3}\n2}\n1],\n1\"ruleId\": ".into(),
        "],\n1\"ruleId\": ".into(),
        ",\n1\"ruleIndex\": ".into(),
        "\n0}".into(),
    ]
}

/// Depth of a result in the log: in `runs[0].results`.
const RESULT_DEPTH: usize = 4;

/// Lines, columns and bytes of a span.
struct Region {
    byte_length: usize,
    byte_offset: usize,
    end_column: usize,
    end_line: usize,
    start_column: usize,
    start_line: usize,
}

impl Region {
    /// Append the region from its `"region"` key to its last value, after the artifact.
    fn write(&self, out: &mut Vec<u8>, layout: &Layout) {
        let members = [
            (piece::REGION, self.byte_length),
            (piece::BYTE_OFFSET, self.byte_offset),
            (piece::END_COLUMN, self.end_column),
            (piece::END_LINE, self.end_line),
            (piece::START_COLUMN, self.start_column),
            (piece::START_LINE, self.start_line),
        ];
        for (key, value) in members {
            layout.put_at(out, key);
            push_decimal(out, value);
        }
    }
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

/// Append the result of diagnostic `d` of `file` (whose artifact location, printed at
/// the depth it stands at, is `artifact`) to `out`, its index in the driver's rules
/// `rule_index`, with positions from `lines`.
fn write_result(
    out: &mut Vec<u8>,
    layout: &Layout,
    artifact: &[u8],
    file: &SourceFile,
    lines: &mut LineCursor<'_>,
    d: &Diagnostic,
    rule_index: Option<usize>,
) -> io::Result<()> {
    out.reserve(4096);
    // The labels' regions are looked up first, as the related locations always were.
    let related: Vec<Region> = d
        .labels
        .iter()
        .map(|l| region(file, lines, l.span))
        .collect();
    let primary = region(file, lines, d.span);
    layout.put_at(
        out,
        match d.severity {
            Severity::Error => piece::ERROR,
            Severity::Warning => piece::WARNING,
            Severity::Info => piece::NOTE,
        },
    );
    let place = file.layout().location_at(d.span.start);
    if let Some(place) = place {
        layout.put_at(out, piece::LOGICAL);
        push_string(out, &place.to_string());
        layout.put_at(out, piece::LOGICAL_END);
    }
    layout.put_at(out, piece::PHYSICAL);
    out.extend_from_slice(artifact);
    primary.write(out, layout);
    layout.put_at(out, piece::MESSAGE);
    push_string(out, &result_text(d));
    layout.put_at(out, piece::FINGERPRINT);
    push_string(out, &fingerprint(&d.rule, &file.slice(d.span)));
    layout.put_at(out, piece::COMPUTED);
    // As `serde_json` writes an `Option<f64>`: null for none, NaN and infinities.
    match d.computed.filter(|v| v.is_finite()) {
        Some(v) => serde_json::to_writer(&mut *out, &v)?,
        None => out.extend_from_slice(b"null"),
    }
    layout.put_at(out, piece::HELP);
    push_string(out, &d.help);
    if let Some(place) = place {
        layout.put_at(out, piece::LOCATION);
        // A `Value`, so that its keys are sorted as the log has always written them.
        write_nested(out, &json!(place), RESULT_DEPTH + 2)?;
    }
    layout.put_at(out, piece::RELATED);
    for (i, (label, region)) in d.labels.iter().zip(&related).enumerate() {
        layout.put_at(
            out,
            if i == 0 {
                piece::FIRST_LABEL
            } else {
                piece::NEXT_LABEL
            },
        );
        push_decimal(out, i);
        layout.put_at(out, piece::LABEL_MESSAGE);
        push_string(out, &label.message);
        layout.put_at(out, piece::LABEL_PHYSICAL);
        out.extend_from_slice(artifact);
        region.write(out, layout);
    }
    layout.put_at(
        out,
        if d.labels.is_empty() {
            piece::NO_LABELS_END
        } else {
            piece::LABELS_END
        },
    );
    push_string(out, &d.rule);
    if let Some(i) = rule_index {
        layout.put_at(out, piece::RULE_INDEX);
        push_decimal(out, i);
    }
    layout.put_at(out, piece::CLOSE);
    Ok(())
}

impl<W: Write> Reporter for SarifReporter<W> {
    fn file(&mut self, file: &SourceFile, diags: &[Diagnostic]) -> io::Result<()> {
        self.summary.record_file(diags);
        // The artifact location as it stands in every location of this file's results.
        let mut artifact = Vec::new();
        write_nested(&mut artifact, &self.artifact(file.name()), RESULT_DEPTH + 4)?;
        let mut lines = file.line_cursor();
        for d in diags {
            // As `serde_json` separates the elements of an array four levels deep.
            let sep: &[u8] = if self.results.is_empty() {
                b"\n        "
            } else {
                b",\n        "
            };
            self.results.extend_from_slice(sep);
            write_result(
                &mut self.results,
                &self.layout,
                &artifact,
                file,
                &mut lines,
                d,
                self.rule_index.get(&d.rule).copied(),
            )?;
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
