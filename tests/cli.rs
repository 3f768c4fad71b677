//! End-to-end tests of the `numlint` binary: arguments, exit codes, streams and formats.
//!
//! The engine is still a stub that finds nothing, so these pin down everything around it:
//! input handling, exit codes 0 and 2, the JSON envelope and the subcommands. Tests that
//! need findings (exit 1, `--fail-on`, rendered snippets) are listed at the end.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const SEED: &str = "seeds/000_26c4ac59d5b61832.txt";

fn numlint() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_numlint"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    // Keep output free of colour and wrapping that depend on the test runner's terminal.
    cmd.env("NO_COLOR", "1").env_remove("COLUMNS");
    cmd
}

fn run(args: &[&str]) -> Output {
    numlint().args(args).output().expect("binary runs")
}

fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = numlint()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    child
        .stdin
        .take()
        .expect("stdin piped")
        .write_all(stdin)
        .expect("write stdin");
    child.wait_with_output().expect("binary finishes")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", stdout(out)))
}

/// A fresh scratch directory for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("numlint-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch(dir)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&path, bytes).expect("write scratch file");
        path.display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

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
    // Exit 1 once the rules find the seed's known mismatches; never 2 or a crash.
    let out = run(&["check", SEED]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
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

// For the integrator, once the engine produces diagnostics:
// - exit 1 on a file with a finding at or above --fail-on, 0 below it (`--fail-on error`
//   with only warnings exits 0); exit 2 still wins over 1 when another file is unreadable;
// - insta snapshots of `numlint check` (human, NO_COLOR) and `--format json` on the seed;
// - `--quiet` prints only the summary line while findings exist;
// - `explain share-mismatch` prints the four headings; `rules` lists every built-in rule;
// - `closed_stdout_does_not_panic` again with real findings on the seed (human format).
