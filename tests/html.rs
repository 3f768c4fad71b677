//! `--format html` end to end: the review page for a hostile draft (snapshot), `-o`
//! written atomically for every format, Word places and many files, and the page from
//! the seed driven in a real browser (Debian's Chromium, headless).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use base64::Engine as _;
use common::{SEED, Scratch, run, stderr, stdout};
use sha2::{Digest, Sha256};

/// A draft with markup, quotes and ampersands next to figures that findings use.
const HOSTILE: &str = "tests/fixtures/review/hostile.txt";

/// The text of `path` under the repository root.
fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The page with its static style and script (reviewed as files under
/// `src/report/html/`) and their hashes left out, so the snapshot shows what is
/// generated.
fn without_static_parts(page: &str) -> String {
    let mut out = page.to_owned();
    for (open, close, what) in [
        ("<style>", "</style>", "style.css"),
        ("<script>", "</script>", "review.js"),
    ] {
        let start = out.find(open).expect("tag") + open.len();
        let end = start + out[start..].find(close).expect("closing tag");
        out.replace_range(start..end, &format!("/* {what} */"));
    }
    let start = out.find("style-src 'sha256-").expect("style hash");
    let end = start + out[start..].find(';').expect("end of directive");
    out.replace_range(start..end, "style-src 'sha256-…'");
    let start = out.find("script-src 'sha256-").expect("script hash");
    let end = start + out[start..].find(';').expect("end of directive");
    out.replace_range(start..end, "script-src 'sha256-…'");
    out
}

#[test]
fn the_review_page_of_a_hostile_draft() {
    let out = run(&["check", "--format", "html", HOSTILE]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let page = stdout(&out);
    // Nothing from the draft is markup: one script element (the page's), and the
    // draft's tags and quotes appear escaped.
    assert_eq!(page.matches("<script").count(), 1);
    assert!(!page.contains("<img") && !page.contains("<svg") && !page.contains("<b>bold"));
    assert!(page.contains(
        "&lt;script&gt;window.__pwned = 1; document.title = &quot;pwned&quot;;&lt;/script&gt;"
    ));
    assert!(page.contains("3,415</mark><mark class=\"s-error c\" data-c=\"f0-0\">)</mark> &amp; &quot;others&quot; &lt;b&gt;bold&lt;/b&gt;."));
    insta::assert_snapshot!("review_page", without_static_parts(&page));
}

#[test]
fn output_file_holds_the_report_and_stdout_stays_empty() {
    let dir = Scratch::new("html-output");
    for format in ["html", "json", "sarif", "human"] {
        let target = dir.0.join(format!("report.{format}"));
        let target = target.display().to_string();
        std::fs::write(&target, "old").expect("write");
        let out = run(&["check", "--format", format, "-o", &target, HOSTILE]);
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{format}: nothing on stdout");
        let written = std::fs::read_to_string(&target).expect("report written");
        let direct = stdout(&run(&["check", "--format", format, HOSTILE]));
        assert_eq!(
            written, direct,
            "{format}: the file holds what stdout would"
        );
    }
    // Only the reports: no temporary file is left beside them.
    let mut names: Vec<String> = std::fs::read_dir(&dir.0)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["report.html", "report.human", "report.json", "report.sarif"]
    );
}

#[test]
fn output_file_with_statistics_puts_the_table_on_stdout() {
    let dir = Scratch::new("html-output-stats");
    let target = dir.0.join("review.html").display().to_string();
    let out = run(&[
        "check",
        "--format",
        "html",
        "-o",
        &target,
        "--statistics",
        HOSTILE,
    ]);
    assert!(stdout(&out).contains("share-rounding"), "{}", stdout(&out));
    let page = std::fs::read_to_string(&target).expect("page written");
    assert!(page.ends_with("</html>\n"));
}

#[test]
fn an_unwritable_output_is_an_error_naming_the_file() {
    let out = run(&[
        "check",
        "--format",
        "html",
        "-o",
        "/nonexistent-numlint-dir/review.html",
        HOSTILE,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/nonexistent-numlint-dir/review.html: cannot write the report"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn word_places_and_a_file_list_with_the_unreadable_files() {
    let dir = Scratch::new("html-many");
    let bad = dir.file("latin1.txt", b"caf\xe9 12 per cent\n");
    let out = run(&[
        "check",
        "--format",
        "html",
        "tests/fixtures/formats/report.docx",
        HOSTILE,
        &bad,
    ]);
    assert_eq!(out.status.code(), Some(2), "an unreadable file wins");
    let page = stdout(&out);
    assert!(page.contains("<title>numlint review: 3 files</title>"));
    assert!(page.contains("<nav class=\"file-list\">"));
    assert!(page.contains(
        "<a href=\"#f0\">tests/fixtures/formats/report.docx</a> <span class=\"counts\">5 errors</span>"
    ));
    assert!(page.contains(&format!(
        "<a href=\"#f2\">{bad}</a> <span class=\"error-text\">not checked: invalid UTF-8 at byte 3 (line 1)</span>"
    )));
    // The wrong total row of the Word report, at its cell.
    assert!(
        page.contains("line 34 · table 2, row 4, cell 3</span>"),
        "Word places are shown"
    );
    assert!(page.contains("· footnote 1</span>"));
    // With many files, each card names its file.
    assert!(page.contains("<span class=\"where\">tests/fixtures/formats/report.docx · line"));
}

/// Chromium's name on Debian, or `NUMLINT_CHROMIUM`.
fn chromium() -> String {
    std::env::var("NUMLINT_CHROMIUM").unwrap_or_else(|_| "chromium".to_owned())
}

/// The policy's script hash for `source`.
fn script_hash(source: &str) -> String {
    let digest = Sha256::digest(source.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// `page` with the self-test script added after the page's own script, and allowed by
/// the page's Content-Security-Policy (which otherwise blocks it like any other).
fn with_self_test(page: &str) -> String {
    let test = read("tests/browser/selftest.js");
    let page = page.replacen(
        "script-src ",
        &format!("script-src {} ", script_hash(&test)),
        1,
    );
    page.replacen("</body>", &format!("<script>{test}</script>\n</body>"), 1)
}

/// Run Chromium headless on `page` and return the DOM it dumps after the scripts ran.
fn dump_dom(chromium: &str, dir: &Scratch, page: &str) -> String {
    let path = dir.0.join("review.html");
    std::fs::write(&path, page).expect("write page");
    let dom_path = dir.0.join("dom.html");
    let dom = std::fs::File::create(&dom_path).expect("create dump");
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            // Root in CI containers cannot use the sandbox; the page is our own.
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--window-size=1400,900",
            &format!("--user-data-dir={}", dir.0.join("profile").display()),
            "--dump-dom",
            &format!("file://{}", path.display()),
        ])
        .stdin(Stdio::null())
        .stdout(dom)
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    common::wait_or_kill(&mut child, "chromium", Duration::from_secs(90));
    std::fs::read_to_string(&dom_path).expect("dump read")
}

/// The self-test's JSON from the dumped DOM (a text node: `<`, `>`, `&` escaped).
fn self_test_result(dom: &str) -> serde_json::Value {
    // The result is a JSON object; the script's own source names the element too.
    let open = "<pre id=\"numlint-selftest\">";
    let start = dom.find(&format!("{open}{{")).unwrap_or_else(|| {
        panic!(
            "the self-test wrote no result; DOM starts:\n{}",
            &dom[..dom.len().min(2000)]
        )
    }) + open.len();
    let end = start + dom[start..].find("</pre>").expect("end of result");
    let json = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("self-test result is not JSON ({e}): {json}"))
}

/// The seed and the hostile draft in one page, opened in headless Chromium: every
/// finding is listed and painted, selecting one lights exactly its figures, keys and
/// filters work, and nothing the drafts hold ran or became markup.
#[test]
fn chromium_shows_the_seed_findings_and_runs_nothing_from_the_drafts() {
    let chromium = chromium();
    let version = Command::new(&chromium).arg("--version").output().ok();
    let Some(version) = version.filter(|v| v.status.success()) else {
        assert!(
            std::env::var_os("NUMLINT_REQUIRE_BROWSER").is_none(),
            "NUMLINT_REQUIRE_BROWSER is set (by .ci/run) but `{chromium}` does not run"
        );
        println!("SKIPPED: {chromium} is not installed (.ci/run installs Debian's chromium)");
        return;
    };
    println!("{}", String::from_utf8_lossy(&version.stdout).trim());

    let json = common::json(&run(&["check", "--format", "json", SEED, HOSTILE]));
    let out = run(&["check", "--format", "html", SEED, HOSTILE]);
    let page = stdout(&out);
    let dir = Scratch::new("html-chromium");
    let result = self_test_result(&dump_dom(&chromium, &dir, &with_self_test(&page)));
    println!("{result:#}");
    assert_eq!(
        result["errors"],
        serde_json::json!([]),
        "the self-test threw"
    );

    // Nothing from the drafts ran or became an element.
    assert_eq!(
        result["pwned"],
        serde_json::Value::Null,
        "a draft's script ran"
    );
    assert_eq!(result["title"], "numlint review: 2 files");
    assert_eq!(
        result["scripts"], 2,
        "the page's script and the self-test only"
    );
    assert_eq!(result["draftElements"], 0);
    assert!(
        result["hostileText"][1].as_str().is_some_and(|t| t
            .contains("I. Draft <script>window.__pwned = 1; document.title = \"pwned\";</script>")),
        "the draft's markup is shown as text"
    );

    // Every finding of `--format json`, in the same order per file, listed once per
    // grouping, with its figures marked and painted.
    let diags = json["diagnostics"].as_array().expect("diagnostics");
    let seed_count = diags.iter().filter(|d| d["file"] == SEED).count();
    assert_eq!(seed_count, 20, "the seed's reviewed findings");
    let findings = result["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), diags.len());
    for (file, name) in [SEED, HOSTILE].into_iter().enumerate() {
        let expected: Vec<&serde_json::Value> =
            diags.iter().filter(|d| d["file"] == name).collect();
        for (n, d) in expected.iter().enumerate() {
            let id = format!("f{file}-{n}");
            let f = findings
                .iter()
                .find(|f| f["id"] == id.as_str())
                .unwrap_or_else(|| panic!("{id} ({}) is not on the page", d["message"]));
            assert_eq!(f["rule"], d["rule"], "{id}");
            assert_eq!(f["severity"], d["severity"], "{id}");
            let labels = d["labels"].as_array().map_or(0, Vec::len);
            assert!(
                f["figures"].as_u64().unwrap_or(0) >= labels as u64 && labels > 0,
                "{id}: every labelled figure is marked: {f}"
            );
            assert!(
                f["claims"].as_u64().unwrap_or(0) >= 1,
                "{id}: its claim is marked"
            );
            assert_eq!(f["painted"], true, "{id}: its figures are coloured");
            assert_eq!(f["sectionCards"], 1, "{id}: listed by section too");
        }
    }

    // Selecting the seed's share-mismatch lights its three figures and only those.
    let select = &result["select"];
    assert_eq!(select["id"], "f0-0");
    assert_eq!(select["current"], "f0-0");
    assert_eq!(
        select["selectedFigures"],
        serde_json::json!(["21.02 per cent", "786", "3,415"])
    );
    assert_eq!(select["allFiguresSelected"], true);
    assert_eq!(select["onlyItsFigures"], true);
    assert_eq!(select["claimSelected"], true);
    assert_eq!(select["outline"], "solid");
    assert_eq!(select["bodySelecting"], true);

    // j and k step through the list; Escape clears.
    let keys = &result["keys"];
    assert_eq!(keys["afterJ"], keys["expectedNext"]);
    assert_eq!(keys["afterK"], "f0-0");
    assert_eq!(keys["nextFiguresLit"], true);
    assert_eq!(result["afterEscape"]["current"], serde_json::Value::Null);
    assert_eq!(result["afterEscape"]["lit"], 0);
    assert_eq!(
        result["markClick"]["current"],
        result["markClick"]["wanted"]
    );

    // Hiding warnings leaves the errors, and the warnings' marks are dimmed.
    let errors = diags.iter().filter(|d| d["severity"] == "error").count();
    let visible = result["filter"]["visible"].as_array().expect("visible");
    assert_eq!(visible.len(), errors);
    assert!(visible.iter().all(|s| s == "error"));
    assert_eq!(result["filter"]["warningMarksOff"], true);

    // Grouped by section: the seed's articles, the hostile draft's numbered headings.
    let group = &result["group"];
    assert_eq!(group["byRuleHidden"], true);
    assert_eq!(group["bySectionHidden"], false);
    let sections: Vec<&str> = group["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert!(
        sections.contains(&"Article 7. Political and public life"),
        "{sections:?}"
    );
    assert!(
        sections.contains(
            &"II. Quotes \"and\" ampersands &amp; </pre><svg onload=\"window.__pwned = 3\">"
        ),
        "{sections:?}"
    );
}
