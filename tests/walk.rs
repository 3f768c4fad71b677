//! End-to-end: `numlint check DIR` walks like ripgrep (ignore files, hidden files,
//! `--include` / `--exclude`), checks files on several threads with output in a fixed
//! order, reports a bad file in place and goes on, and names stdin with
//! `--stdin-filename`.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{SEED, Scratch, json, numlint, run_in, run_with_stdin, stderr, stdout};

/// A share that is wrong (786 / 3,415 is 23.02 per cent): one error.
const ERROR: &str = "Women hold 21.02 per cent of the seats (786 out of 3,415).\n";
const CLEAN: &str = "The committee met in Geneva.\n";

/// The files a `--format summary` run checked, as listed in its FILE table.
fn checked_files(out: &Output) -> Vec<String> {
    let text = stdout(out);
    text.lines()
        .skip_while(|l| !l.starts_with("FILE "))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

#[test]
fn gitignore_ignore_files_and_hidden_files_are_respected() {
    let dir = Scratch::new("walk-ignore");
    // `.gitignore` counts inside a Git repository, as in ripgrep and git itself.
    std::fs::create_dir_all(dir.0.join(".git")).expect("create .git");
    dir.file(".gitignore", "old/\n*.draft.txt\n");
    dir.file(".ignore", "scratch.md\n");
    for name in [
        "a.txt",
        "old/b.txt",
        "c.draft.txt",
        "scratch.md",
        ".hidden.txt",
        ".private/d.txt",
        "sub/e.md",
        "sub/f.pdf",
    ] {
        dir.file(name, CLEAN);
    }
    let out = run_in(&dir.0, &["check", "--format", "summary", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(checked_files(&out), ["./a.txt", "./sub/e.md"]);

    // A file named on the command line is read even when ignored or hidden (the summary
    // lists files sorted by name).
    let out = run_in(
        &dir.0,
        &["check", "--format", "summary", "old/b.txt", ".hidden.txt"],
    );
    assert_eq!(checked_files(&out), [".hidden.txt", "old/b.txt"]);
}

#[test]
fn include_and_exclude_pick_files_relative_to_the_walked_directory() {
    let dir = Scratch::new("walk-globs");
    for name in [
        "intro.txt",
        "drafts/ch1.md",
        "drafts/ch2.txt",
        "drafts/old/ch1.md",
        "annex/tables.md",
    ] {
        dir.file(name, CLEAN);
    }
    let root = dir.0.display().to_string();
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "summary"];
        args.extend_from_slice(extra);
        let out = run_in(&dir.0, &args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        checked_files(&out)
    };
    assert_eq!(
        run(&["--include", "drafts/**", "."]),
        ["./drafts/ch1.md", "./drafts/ch2.txt", "./drafts/old/ch1.md"]
    );
    assert_eq!(
        run(&["--include", "*.md", "--exclude", "old", "."]),
        ["./annex/tables.md", "./drafts/ch1.md"]
    );
    // Globs are relative to the walked directory however it is named.
    assert_eq!(
        run(&["--include", "drafts/*.txt", &root]),
        [format!("{root}/drafts/ch2.txt")]
    );
    // Explicit files are not filtered.
    assert_eq!(run(&["--exclude", "*.txt", "intro.txt"]), ["intro.txt"]);

    let bad = run_in(&dir.0, &["check", "--include", "a[", "."]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--include"), "{}", stderr(&bad));
}

/// A tree of many small reports with findings, plus the seed twice, so threads finish
/// out of order.
fn report_tree(dir: &Scratch) {
    for i in 0..36 {
        let part = 700 + i * 7;
        let whole = 3_000 + i * 31;
        let text = format!(
            "Chapter {i}.\n\n{CLEAN}Women hold 21.02 per cent of the seats ({part} out of {whole}).\n"
        );
        // Created in an order that is not the name order.
        dir.file(&format!("part{}/r{:02}.txt", i % 3, 35 - i), text);
    }
    let seed = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED)).expect("seed");
    dir.file("part1/big.txt", &seed);
    dir.file("part0/zz-big.md", &seed);
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count() {
    let dir = Scratch::new("walk-threads");
    report_tree(&dir);
    dir.file("part2/bad.txt", b"ok\n\xff\n");
    let run = |threads: &[&str], rayon: &str| {
        let mut args = vec!["check", "--format", "json", "."];
        args.extend_from_slice(threads);
        let out = numlint()
            .current_dir(&dir.0)
            .env("RAYON_NUM_THREADS", rayon)
            .args(&args)
            .output()
            .expect("binary runs");
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        out.stdout
    };
    let one = run(&[], "1");
    assert_eq!(one, run(&[], "4"), "RAYON_NUM_THREADS=1 and 4 differ");
    assert_eq!(one, run(&["--threads", "1"], "4"));
    assert_eq!(one, run(&["--threads", "3"], "1"));

    let doc: serde_json::Value = serde_json::from_slice(&one).expect("JSON");
    let files: Vec<&str> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["file"].as_str())
        .collect();
    let mut order = files.clone();
    order.dedup();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "files are reported in path order");
    assert_eq!(order.len(), 38, "{order:?}");
    assert_eq!(doc["summary"]["files"], 38);
    assert_eq!(doc["errors"][0]["file"], "./part2/bad.txt");
}

#[test]
fn a_bad_file_in_the_middle_is_reported_in_place_and_the_rest_are_checked() {
    let dir = Scratch::new("walk-bad");
    dir.file("a.txt", ERROR);
    dir.file("b.txt", b"women account for 21\xa0per cent\n");
    dir.file("c.md", b"PK\x03\x04\x00\x00rest");
    dir.file("d.txt", ERROR);
    for threads in ["1", "2"] {
        let out = run_in(
            &dir.0,
            &["check", "--format", "jsonl", "--threads", threads, "."],
        );
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let lines: Vec<serde_json::Value> = stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON line"))
            .collect();
        let shown: Vec<(String, bool)> = lines
            .iter()
            .map(|l| {
                (
                    l["file"].as_str().unwrap_or_default().to_owned(),
                    l.get("error").is_some(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("./a.txt".to_owned(), false),
                ("./b.txt".to_owned(), true),
                ("./c.md".to_owned(), true),
                ("./d.txt".to_owned(), false),
            ]
        );
        assert!(
            lines[1]["error"]
                .as_str()
                .unwrap_or_default()
                .contains("invalid UTF-8")
        );
        assert!(
            lines[2]["error"]
                .as_str()
                .unwrap_or_default()
                .contains("binary")
        );
    }
}

#[test]
fn an_unreadable_directory_is_an_error_and_its_siblings_are_checked() {
    let dir = Scratch::new("walk-locked");
    dir.file("a.txt", ERROR);
    dir.file("locked/b.txt", ERROR);
    dir.file("z.txt", ERROR);
    let locked = dir.0.join("locked");
    set_mode(&locked, 0o000);
    // Root reads the directory anyway: run as nobody when possible, else skip.
    let out = if std::fs::read_dir(&locked).is_err() {
        run_in(&dir.0, &["check", "--format", "jsonl", "."])
    } else if Path::new("/usr/bin/setpriv").exists() {
        Command::new("/usr/bin/setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_numlint"))
            .args(["check", "--format", "jsonl", "."])
            .current_dir(&dir.0)
            .output()
            .expect("setpriv runs")
    } else {
        set_mode(&locked, 0o755);
        eprintln!("skipped: permissions are not enforced for this user and no setpriv");
        return;
    };
    set_mode(&locked, 0o755);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let files: Vec<String> = stdout(&out)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON line");
            format!(
                "{} {}",
                v["file"].as_str().unwrap_or_default(),
                v.get("error").is_some()
            )
        })
        .collect();
    assert_eq!(files, ["./a.txt false", "./locked true", "./z.txt false"]);
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[test]
fn stdin_filename_names_stdin_and_picks_its_configuration() {
    let dir = Scratch::new("walk-stdin");
    std::fs::create_dir_all(dir.0.join(".git")).expect("create .git");
    dir.file(
        "numlint.yaml",
        "overrides:\n  - paths: [\"annexes/**\"]\n    ignore: [share]\n",
    );
    let run = |name: &str| {
        let out = common::numlint()
            .current_dir(&dir.0)
            .args(["check", "--format", "json", "--stdin-filename", name])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child
                    .stdin
                    .take()
                    .expect("stdin piped")
                    .write_all(ERROR.as_bytes())?;
                child.wait_with_output()
            })
            .expect("binary runs");
        (out.status.code(), json(&out))
    };
    let (code, body) = run("chapters/one.txt");
    assert_eq!(code, Some(1));
    assert_eq!(body["diagnostics"][0]["file"], "chapters/one.txt");
    assert_eq!(body["diagnostics"][0]["rule"], "share-mismatch");

    // The config's override for annexes applies to stdin named as an annex.
    let (code, body) = run("annexes/table.txt");
    assert_eq!(code, Some(0), "{body}");
    assert_eq!(body["summary"]["files"], 1);
    assert_eq!(body["diagnostics"].as_array().map(Vec::len), Some(0));

    // The name's extension picks the format: plain text is not a Word document.
    let out = run_with_stdin(
        &[
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "report.docx",
        ],
        ERROR.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)["errors"][0]["file"], "report.docx");
}

#[test]
fn an_explicit_file_with_an_unknown_extension_is_read_as_text() {
    let dir = Scratch::new("walk-explicit");
    let log = dir.file("minutes.log", ERROR);
    let out = common::run(&["check", "--format", "json", &log]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let body = json(&out);
    assert_eq!(body["diagnostics"][0]["rule"], "share-mismatch");
    assert_eq!(body["diagnostics"][0]["file"], log.as_str());

    // The same file is not picked when its directory is walked.
    let out = common::run(&["check", "--format", "json", &dir.0.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["summary"]["files"], 0);
}
