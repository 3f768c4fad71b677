//! End-to-end tests of the `numlint` binary: arguments, exit codes, streams and formats.
//!
//! Input handling, exit codes, the JSON envelope, the subcommands, and the rendered
//! report on real findings.

mod common;

use common::*;

use std::io::Read;
use std::process::Stdio;

#[test]
fn version_is_the_cargo_version() {
    let out = run(&["--version"]);
    assert!(out.status.success());
    assert_eq!(
        stdout(&out).trim(),
        format!("numlint {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn clean_file_exits_0() {
    let dir = Scratch::new("clean");
    let path = dir.file("clean.txt", b"The committee met in Geneva.\n");
    let out = run(&["check", &path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "no findings in 1 file\n");
    assert_eq!(stderr(&out), "");
}

#[test]
fn seed_is_checked_without_input_errors() {
    // The seed has errors: exit 1, never 2 or a crash.
    let out = run(&["check", SEED]);
    assert!(
        matches!(out.status.code(), Some(1)),
        "{:?}\n{}",
        out.status,
        stderr(&out)
    );
    assert!(
        stdout(&out).trim_end().ends_with("in 1 file"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn invalid_utf8_exits_2_and_other_files_are_still_checked() {
    let dir = Scratch::new("utf8");
    let bad = dir.file("latin1.txt", b"women account for 21\xa0per cent\n");
    let good = dir.file("good.txt", b"The committee met in Geneva.\n");

    let out = run(&["check", &bad, &good]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(&bad), "{err}");
    assert!(err.contains("invalid UTF-8 at byte 20"), "{err}");
    assert_eq!(
        stdout(&out),
        "no findings in 1 file; 1 file was not checked\n"
    );

    let out = run(&["check", "--format", "json", &bad, &good]);
    assert_eq!(out.status.code(), Some(2));
    let doc = json(&out);
    assert_eq!(doc["summary"]["files"], 1);
    assert_eq!(doc["errors"][0]["file"], bad.as_str());
    assert_eq!(
        doc["errors"][0]["message"],
        "invalid UTF-8 at byte 20 (line 1)"
    );
}

#[test]
fn binary_file_exits_2() {
    let dir = Scratch::new("binary");
    let path = dir.file("report.txt", b"PK\x03\x04\x00\x00rest");
    let out = run(&["check", &path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("binary file (NUL byte at offset 4)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn missing_file_exits_2() {
    let out = run(&["check", "no/such/file.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no/such/file.txt"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn json_has_version_and_summary() {
    let out = run(&["check", "--format", "json", SEED]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["summary"]["files"], 1);
    for key in ["errors", "warnings", "infos"] {
        assert!(doc["summary"][key].is_u64(), "summary.{key}");
    }
    assert!(doc["diagnostics"].is_array());
    assert_eq!(doc["errors"], serde_json::json!([]));
    // Every diagnostic, once there are some, carries the contract's fields.
    for d in doc["diagnostics"].as_array().into_iter().flatten() {
        for key in [
            "file", "rule", "severity", "message", "help", "start", "end", "labels",
        ] {
            assert!(d.get(key).is_some(), "diagnostic lacks {key}: {d}");
        }
        assert!(
            d.get("computed").is_some(),
            "computed must be present (null when none)"
        );
    }
}

#[test]
fn stdin_is_read_with_no_path_or_dash() {
    let text = std::fs::read(SEED).expect("seed exists");
    for args in [
        &["check", "--format", "json"][..],
        &["check", "--format", "json", "-"],
    ] {
        let out = run_with_stdin(args, &text);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        assert_eq!(json(&out)["summary"]["files"], 1);
    }
    let out = run_with_stdin(&["check"], b"The committee met in Geneva.\n");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "no findings in 1 file\n");
}

#[test]
fn invalid_utf8_on_stdin_is_named_stdin() {
    let out = run_with_stdin(&["check", "--format", "json"], b"ok\n\xff");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)["errors"][0]["file"], "<stdin>");
}

#[test]
fn directories_are_walked_for_txt_and_md() {
    let dir = Scratch::new("walk");
    dir.file("a.txt", b"one\n");
    dir.file("sub/b.md", b"two\n");
    // Not .txt/.md: skipped, so its NUL bytes do not count as an input error.
    dir.file("c.pdf", b"%PDF\x00\x01");
    let root = dir.0.display().to_string();
    let out = run(&["check", &root]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "no findings in 2 files\n");
}

#[test]
fn options_accept_their_documented_values() {
    let dir = Scratch::new("options");
    let path = dir.file("a.txt", b"six\n");
    for args in [
        ["--fail-on", "error"],
        ["--fail-on", "info"],
        ["--rounding", "truncate"],
        ["--rounding", "either"],
        ["--color", "always"],
        ["--color", "never"],
    ] {
        let out = run(&["check", args[0], args[1], &path]);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
    let out = run(&["check", "--quiet", &path]);
    assert_eq!(stdout(&out), "no findings in 1 file\n");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["check", "--fail-on", "fatal"][..],
        &["check", "--format", "xml"],
        &["frobnicate"],
        &[],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn explain_unknown_rule_exits_2() {
    let out = run(&["explain", "no-such-rule"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown rule `no-such-rule`"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("numlint rules"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}

#[test]
fn rules_prints_a_table() {
    let out = run(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let header = text.lines().next().unwrap_or_default();
    assert!(header.starts_with("RULE"), "{text}");
    assert!(header.ends_with("SUMMARY"), "{text}");
}

#[test]
fn closed_stdout_does_not_panic() {
    // Enough output to overflow a pipe buffer: one JSON error entry per missing path.
    let missing: Vec<String> = (0..3000).map(|i| format!("missing/{i}.txt")).collect();
    let mut child = numlint()
        .args(["check", "--format", "json"])
        .args(&missing)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut first = [0u8; 16];
    let mut stdout = child.stdout.take().expect("stdout piped");
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let out = child.wait_with_output().expect("binary finishes");
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(out.status.code(), Some(101), "{err}");
}

const WARNING_ONLY: &str =
    "There were 7,723 schools, of which 6,925, or 89.6 per cent, were State schools.\n";
const ERROR: &str = "Women hold 21.02 per cent of the seats (786 out of 3,415).\n";

#[test]
fn fail_on_sets_the_threshold_for_exit_1() {
    let warn = |extra: &[&str]| {
        let mut args = vec!["check"];
        args.extend_from_slice(extra);
        run_with_stdin(&args, WARNING_ONLY.as_bytes()).status.code()
    };
    assert_eq!(warn(&[]), Some(1), "default --fail-on warning");
    assert_eq!(warn(&["--fail-on", "error"]), Some(0));
    assert_eq!(warn(&["--fail-on", "info"]), Some(1));
    assert_eq!(
        warn(&["--rounding", "either"]),
        Some(0),
        "truncation accepted"
    );
    let err = run_with_stdin(&["check", "--fail-on", "error"], ERROR.as_bytes());
    assert_eq!(err.status.code(), Some(1));
}

#[test]
fn input_error_wins_over_findings() {
    let dir = Scratch::new("error-wins");
    let bad = dir.0.join("bad.txt");
    let good = dir.0.join("good.txt");
    std::fs::write(&bad, b"bad \xff").expect("write");
    std::fs::write(&good, ERROR).expect("write");
    let out = run(&[
        "check",
        bad.to_str().unwrap_or_default(),
        good.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("share-mismatch"), "{}", stdout(&out));
}

#[test]
fn human_report_shows_labels_help_and_summary() {
    let out = run_with_stdin(&["check"], ERROR.as_bytes());
    let text = stdout(&out);
    for needle in [
        "share-mismatch",
        "786 out of 3,415 is 23.02 per cent, not 21.02 per cent",
        "part: 786",
        "whole: 3,415",
        "stated: 21.02 per cent",
        "help: 786 / 3,415 = 23.0161 per cent; the text says 21.02 per cent",
        "1 error in 1 file",
    ] {
        assert!(text.contains(needle), "missing `{needle}` in:\n{text}");
    }
}

#[test]
fn quiet_prints_only_the_summary() {
    let out = run_with_stdin(&["check", "--quiet"], ERROR.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out).trim(), "1 error in 1 file");
}

#[test]
fn crlf_and_bom_give_the_same_findings_at_the_same_lines() {
    let lf = "Intro line.\n\n".to_string() + ERROR;
    let crlf = "\u{feff}".to_string() + &lf.replace('\n', "\r\n");
    let a = json(&run_with_stdin(
        &["check", "--format", "json"],
        lf.as_bytes(),
    ));
    let b = json(&run_with_stdin(
        &["check", "--format", "json"],
        crlf.as_bytes(),
    ));
    let pick = |v: &serde_json::Value| -> Vec<(String, u64, u64, String)> {
        v["diagnostics"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|d| {
                        (
                            d["rule"].as_str().unwrap_or_default().to_string(),
                            d["start"]["line"].as_u64().unwrap_or_default(),
                            d["start"]["column"].as_u64().unwrap_or_default(),
                            d["message"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let (pa, pb) = (pick(&a), pick(&b));
    assert!(!pa.is_empty());
    // The BOM is one column on line 1 only; the finding is on line 3 in both.
    assert_eq!(pa, pb);
}

#[test]
fn explain_prints_every_section() {
    let out = run(&["explain", "share-mismatch"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for h in [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Does not fire",
    ] {
        assert!(text.contains(h), "missing {h}:\n{text}");
    }
    let rules = stdout(&run(&["rules"]));
    for id in ["share-mismatch", "share-rounding", "part-exceeds-whole"] {
        assert!(rules.contains(id), "{rules}");
    }
}

#[test]
fn closed_stdout_with_real_findings_does_not_panic() {
    let mut child = numlint()
        .args(["check", SEED, SEED, SEED])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut first = [0u8; 16];
    let mut stdout = child.stdout.take().expect("stdout piped");
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let out = child.wait_with_output().expect("binary finishes");
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

#[test]
fn inline_suppressions_silence_findings_and_unused_ones_are_reported() {
    let text = "<!-- numlint-disable-next-line share-mismatch -->\n\
                Women hold 21.02 per cent of the seats (786 out of 3,415).\n\
                Women hold 21.02 per cent of the posts (786 out of 3,415).\n\
                <!-- numlint-disable-next-line percent-sum -->\n\
                Of the 449 judges, 205 (45.7 per cent) are women.\n";
    let out = run_with_stdin(
        &["check", "--format", "json", "--fail-on", "info"],
        text.as_bytes(),
    );
    let doc = json(&out);
    let rules: Vec<(String, u64)> = doc["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    (
                        d["rule"].as_str().unwrap_or_default().to_string(),
                        d["start"]["line"].as_u64().unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        rules,
        [
            ("share-mismatch".to_string(), 3),
            ("unused-suppression".to_string(), 4)
        ],
        "line 2 is suppressed, line 3 is not, the second comment silences nothing"
    );
}
