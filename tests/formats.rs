//! End to end on the format readers: a Markdown report whose code, links, comments and
//! front matter hold figures that must not be read; the seed converted to HTML by
//! LibreOffice (tests/fixtures/formats/make-fixtures.sh), which must give the seed's
//! findings; a hand-written page with scripts and hidden elements; `numlint extract`.

mod common;

use common::{SEED, Scratch, json, run, stderr, stdout};

const REPORT_MD: &str = "tests/fixtures/formats/report.md";
const SEED_HTML: &str = "tests/fixtures/formats/seed.xhtml";
const VISIBLE_HTML: &str = "tests/fixtures/formats/visible.html";

/// One finding as compared across formats: rule, start line, message, help, and the
/// claim's text (whitespace squashed) from `text`, the text the offsets point into.
#[derive(Debug, PartialEq)]
struct Finding {
    rule: String,
    line: u64,
    message: String,
    help: String,
    claim: String,
}

fn findings(json: &serde_json::Value, text: &str) -> Vec<Finding> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| {
            let start = d["start"]["offset"].as_u64().expect("start offset") as usize;
            let end = d["end"]["offset"].as_u64().expect("end offset") as usize;
            Finding {
                rule: d["rule"].as_str().unwrap_or_default().to_owned(),
                line: d["start"]["line"].as_u64().unwrap_or_default(),
                message: d["message"].as_str().unwrap_or_default().to_owned(),
                help: d["help"].as_str().unwrap_or_default().to_owned(),
                claim: text[start..end]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            }
        })
        .collect()
}

fn check_json(path: &str) -> serde_json::Value {
    json(&run(&["check", "--no-config", "--format", "json", path]))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .expect("fixture reads")
}

#[test]
fn markdown_findings_are_the_prose_ones_at_their_place_in_the_file() {
    let out = run(&["check", "--no-config", "--format", "json", REPORT_MD]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json = json(&out);
    let text = read(REPORT_MD);
    let got: Vec<(String, u64, u64, String)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let (s, e) = (
                d["start"]["offset"].as_u64().unwrap_or_default() as usize,
                d["end"]["offset"].as_u64().unwrap_or_default() as usize,
            );
            (
                d["rule"].as_str().unwrap_or_default().to_owned(),
                d["start"]["line"].as_u64().unwrap_or_default(),
                d["start"]["column"].as_u64().unwrap_or_default(),
                text[s..e].to_owned(),
            )
        })
        .collect();
    let expected = [
        (
            "share-mismatch",
            8,
            51,
            "21.02 per cent of the total\nnumber of deputies (786 out of 3,415)",
        ),
        (
            "share-rounding",
            13,
            3,
            "Of the 7,723 schools, 6,925 (89.6 per cent)",
        ),
        (
            "change-mismatch",
            41,
            19,
            "decreased by 14 per cent, from 3,778 to 2,699",
        ),
    ];
    let expected: Vec<(String, u64, u64, String)> = expected
        .iter()
        .map(|(r, l, c, q)| (r.to_string(), *l, *c, q.to_string()))
        .collect();
    assert_eq!(got, expected);
    // Labels point at the figures in the .md file.
    let labels = &json["diagnostics"][0]["labels"];
    let part = labels
        .as_array()
        .expect("labels")
        .iter()
        .find(|l| l["message"] == "part: 786")
        .expect("a part label");
    let at = part["start"]["offset"].as_u64().unwrap_or_default() as usize;
    assert_eq!(&text[at..at + 3], "786");
    assert_eq!(part["start"]["line"], 9);
}

#[test]
fn the_hidden_parts_of_the_markdown_report_would_fire_if_read() {
    // The same bytes read as plain text: the front matter, inline code, code blocks,
    // comment, HTML block and image description each hold a wrong figure.
    let dir = Scratch::new("formats-md-as-text");
    let path = dir.file("report.txt", read(REPORT_MD));
    let json = check_json(&path);
    let lines: Vec<u64> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["start"]["line"].as_u64().unwrap_or_default())
        .collect();
    for line in [3, 23, 28, 31, 33, 36, 39] {
        assert!(
            lines.contains(&line),
            "line {line} fires as text: {lines:?}"
        );
    }
}

#[test]
fn seed_as_html_gives_the_seed_findings() {
    let txt = check_json(SEED);
    let html_out = run(&["check", "--no-config", "--format", "json", SEED_HTML]);
    assert_eq!(html_out.status.code(), Some(1), "{}", stderr(&html_out));
    let html = json(&html_out);
    let extracted = stdout(&run(&["extract", SEED_HTML]));
    let from_txt = findings(&txt, &read(SEED));
    let from_html = findings(&html, &extracted);
    assert_eq!(from_txt.len(), 20, "{from_txt:#?}");
    // Same rules, messages and claims in the same order; LibreOffice kept one paragraph
    // per line, so even the line numbers agree.
    assert_eq!(from_html, from_txt);

    // And the reviewed list of the seed's findings (tests/seed.rs) as it is recorded.
    let snapshot = read("tests/snapshots/seed__seed_findings.snap");
    let reviewed: Vec<&str> = snapshot
        .splitn(3, "---\n")
        .nth(2)
        .expect("snapshot body")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    let listed: Vec<String> = from_html
        .iter()
        .map(|f| format!("{:>5} {:<20} {}", f.line, f.rule, f.message))
        .collect();
    assert_eq!(listed, reviewed);
}

#[test]
fn html_scripts_styles_comments_and_hidden_elements_are_not_read() {
    let json = check_json(VISIBLE_HTML);
    let extracted = stdout(&run(&["extract", VISIBLE_HTML]));
    let got: Vec<(String, u64, String)> = findings(&json, &extracted)
        .into_iter()
        .map(|f| (f.rule, f.line, f.claim))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "share-mismatch".to_owned(),
                2,
                "21.02 per cent of the total number of deputies (786 out of 3,415)".to_owned()
            ),
            (
                "change-mismatch".to_owned(),
                6,
                "decreased by 14 per cent, from 3,778 to 2,699".to_owned()
            ),
        ]
    );
    assert!(!extracted.contains("89.6"), "{extracted}");
    assert_eq!(extracted.matches("3,415").count(), 1, "{extracted}");
}

#[test]
fn extract_prints_the_markdown_scan_text_in_place() {
    let out = run(&["extract", REPORT_MD]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = read(REPORT_MD);
    let scan = stdout(&out);
    assert_eq!(scan.len(), text.len());
    assert_eq!(scan.lines().count(), text.lines().count());
    let line = |n: usize| {
        scan.lines()
            .nth(n - 1)
            .unwrap_or_default()
            .trim_end()
            .to_owned()
    };
    assert_eq!(line(3), "");
    assert_eq!(line(6), "  Women in public life");
    assert_eq!(
        line(13),
        "  Of the 7,723 schools, 6,925 (89.6 per cent) teach in two languages."
    );
    assert_eq!(line(23), format!("The query was {}, as in", " ".repeat(35)));
    assert_eq!(line(28), "");
    assert_eq!(line(36), "");
    // Table pipes stay, the delimiter row goes.
    assert_eq!(
        line(19),
        "| Respiratory diseases: mortality fell by | 17 per cent |"
    );
    assert_eq!(line(18), "");
}

#[test]
fn extract_layout_lists_blocks_and_tables() {
    let out = run(&["extract", "--layout", REPORT_MD]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = stdout(&out);
    let layout = printed
        .split_once("# layout: ")
        .map(|(_, l)| l)
        .expect("a layout section");
    insta::assert_snapshot!("report_md_layout", layout);
}

#[test]
fn extract_prints_html_as_extracted_text() {
    let out = run(&["extract", VISIBLE_HTML]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "Women in public life\n\
         In local representative bodies, women account for 21.02 per cent of the total number of deputies (786 out of 3,415).\n\
         | Cause of death | Change |\n\
         | Respiratory diseases: mortality fell by | 17 per cent |\n\
         | Tuberculosis: mortality fell by | 39 per cent |\n\
         Adolescent births decreased by 14 per cent,\n\
         from 3,778 to 2,699.\n"
    );
}

#[test]
fn html_nested_too_deep_is_refused_and_other_files_still_checked() {
    let dir = Scratch::new("formats-deep-html");
    let deep = dir.file(
        "deep.html",
        format!("{}x{}", "<div>".repeat(100_000), "</div>".repeat(100_000)),
    );
    let out = run(&["check", "--no-config", &deep, REPORT_MD]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("elements nest more than 2000 deep"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("share-mismatch"), "{}", stdout(&out));
}

#[test]
fn extract_reports_unreadable_files_with_exit_2() {
    let out = run(&["extract", "tests/fixtures/formats/no-such-file.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no-such-file.md"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());

    let dir = Scratch::new("formats-extract-bad");
    let path = dir.file("bad.html", b"<p>ok</p>\n<p>\xff</p>");
    let out = run(&["extract", &path]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("bad.html") && err.contains("invalid UTF-8 at byte 13 (line 2)"),
        "{err}"
    );
}

/// `inspect` reads a Word file through its reader (as `check` does), not as bytes.
#[test]
fn inspect_reads_docx_through_the_reader() {
    let out = common::run(&["inspect", "tests/fixtures/formats/report.docx"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let text = common::stdout(&out);
    assert!(text.contains("58.4 per cent"), "{text}");
}
