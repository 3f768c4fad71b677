//! End-to-end tests of the CI integration: SARIF against the official schema, GitHub
//! workflow commands, JSON lines, the summary, `--statistics`, the pre-commit hook run
//! by the real `pre-commit` tool, and the version in CHANGELOG.md.

mod common;

use common::*;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const WRONG: &str = "Women hold 21.02 per cent of the seats (786 out of 3,415).\n";
const FIXED: &str = "Women hold 23.02 per cent of the seats (786 out of 3,415).\n";

/// The official SARIF 2.1.0 schema: the shared copy beside the repository, else the copy
/// committed under `tests/schemas/`.
fn sarif_schema() -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/schemas/sarif-schema-2.1.0.json");
    let path = if shared.is_file() {
        shared
    } else {
        root.join("tests/schemas/sarif-schema-2.1.0.json")
    };
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("schema is JSON")
}

fn sarif_validator() -> jsonschema::Validator {
    // The schema declares draft-04 in `$schema`; the validator follows it. Formats (uri,
    // date-time) are checked too.
    jsonschema::options()
        .should_validate_formats(true)
        .build(&sarif_schema())
        .expect("the SARIF schema compiles")
}

fn schema_errors(validator: &jsonschema::Validator, log: &Value) -> Vec<String> {
    validator
        .iter_errors(log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn sarif_with_places_in_a_word_document_validates() {
    let out = run(&[
        "check",
        "--format",
        "sarif",
        "tests/fixtures/formats/report.docx",
    ]);
    let log = json(&out);
    let errors = schema_errors(&sarif_validator(), &log);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for r in results {
        assert_eq!(
            r["locations"][0]["logicalLocations"][0]["kind"], "element",
            "{r}"
        );
    }
}

#[test]
fn sarif_of_the_seed_validates_against_the_official_schema() {
    let out = run(&["check", "--format", "sarif", SEED]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let log = json(&out);
    let validator = sarif_validator();
    let errors = schema_errors(&validator, &log);
    assert!(errors.is_empty(), "{}", errors.join("\n"));

    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "numlint");
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.iter().any(|r| r["id"] == "share-mismatch"));
    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for r in results {
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            SEED
        );
        assert!(r["partialFingerprints"]["numlintClaim/v1"].is_string());
    }
    let share = results
        .iter()
        .find(|r| r["ruleId"] == "share-mismatch")
        .expect("the seed's share mismatch");
    assert_eq!(share["level"], "error");
    assert_eq!(
        share["locations"][0]["physicalLocation"]["region"]["startLine"],
        197
    );
    let labels: Vec<&str> = share["relatedLocations"]
        .as_array()
        .expect("related locations")
        .iter()
        .filter_map(|l| l["message"]["text"].as_str())
        .collect();
    assert!(labels.contains(&"part: 786"), "{labels:?}");

    // The validator is not vacuous: a broken log is rejected.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    broken["version"] = "2.0".into();
    assert_eq!(schema_errors(&validator, &broken).len(), 2);
}

#[test]
fn sarif_with_an_unreadable_file_validates_and_is_not_successful() {
    let out = run(&["check", "--format", "sarif", "no/such/file.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let log = json(&out);
    let errors = schema_errors(&sarif_validator(), &log);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let inv = &log["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert_eq!(
        inv["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"],
        "no/such/file.txt"
    );
}

#[test]
fn sarif_fingerprints_survive_an_inserted_paragraph() {
    let dir = Scratch::new("fingerprint");
    let before = format!("Intro.\n\n{WRONG}");
    let after = format!(
        "Intro.\n\nA new paragraph,\nover two lines.\n\n{}",
        // Re-wrapped as well: line breaks inside the claim do not count.
        WRONG.replace("per cent", "per\ncent")
    );
    let sarif = |text: &str| {
        let path = dir.file("draft.txt", text);
        let log = json(&run(&["check", "--format", "sarif", &path]));
        let r = log["runs"][0]["results"][0].clone();
        (
            r["partialFingerprints"]["numlintClaim/v1"].clone(),
            r["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
        )
    };
    let (fp1, line1) = sarif(&before);
    let (fp2, line2) = sarif(&after);
    assert!(fp1.is_string(), "{fp1}");
    assert_eq!(fp1, fp2, "same claim, same fingerprint");
    assert_eq!(line1, 3);
    assert_eq!(line2, 6);
    let (edited, _) = sarif(&before.replace("786", "787"));
    assert!(edited.is_string(), "{edited}");
    assert_ne!(edited, fp1, "an edited figure makes another finding");
}

#[test]
fn github_annotations_on_a_fixture() {
    let dir = Scratch::new("github");
    let text = format!("Intro.\n{WRONG}");
    dir.file("drafts/q1, 50%: draft.txt", &text);
    let out = run_in(&dir.0, &["check", "--format", "github", "drafts"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "::error file=drafts/q1%2C 50%25%3A draft.txt,line=2,col=12,endLine=2,endColumn=58,\
         title=share-mismatch::786 out of 3,415 is 23.02 per cent, not 21.02 per cent\
         %0Ahelp: 786 / 3,415 = 23.0161 per cent; the text says 21.02 per cent\n"
    );
    // Absolute paths under the working directory are annotated relative to it.
    let abs = dir.0.join("drafts").display().to_string();
    let out = run_in(&dir.0, &["check", "--format", "github", &abs]);
    assert!(
        stdout(&out).starts_with("::error file=drafts/q1%2C 50%25%3A draft.txt,line=2,"),
        "{}",
        stdout(&out)
    );
    // Warnings are ::warning, unreadable files are ::error with the reason.
    let warn = run_with_stdin(
        &["check", "--format", "github"],
        b"There were 7,723 schools, of which 6,925, or 89.6 per cent, were State schools.\n",
    );
    assert!(
        stdout(&warn).starts_with("::warning file=<stdin>,line=1,"),
        "{}",
        stdout(&warn)
    );
    let missing = run(&["check", "--format", "github", "no/such,file.txt"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stdout(&missing)
            .starts_with("::error file=no/such%2Cfile.txt,title=numlint::file not checked: "),
        "{}",
        stdout(&missing)
    );
}

#[test]
fn jsonl_lines_each_parse_and_match_the_json_format() {
    let out = run(&["check", "--format", "jsonl", SEED, "no/such/file.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let doc = json(&run(&["check", "--format", "json", SEED]));
    let diagnostics = doc["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(lines.len(), diagnostics.len() + 1);
    assert_eq!(&lines[..diagnostics.len()], &diagnostics[..]);
    let last = lines.last().expect("error line");
    assert_eq!(last["file"], "no/such/file.txt");
    assert!(last["error"].is_string(), "{last}");
}

#[test]
fn summary_is_deterministic() {
    let dir = Scratch::new("summary");
    let a = dir.file("a.txt", WRONG);
    let b = dir.file("b.txt", FIXED);
    let one = run(&["check", "--format", "summary", &b, &a]);
    let two = run(&["check", "--format", "summary", &a, &b]);
    assert_eq!(one.status.code(), Some(1));
    assert_eq!(stdout(&one), stdout(&two));
    let text = stdout(&one);
    assert!(
        text.starts_with("RULE            SEVERITY  COUNT\nshare-mismatch  error         1\n"),
        "{text}"
    );
    assert!(text.ends_with("\n1 error in 2 files\n"), "{text}");
    let a_row = text.find("a.txt").expect("a listed");
    let b_row = text.find("b.txt").expect("b listed");
    assert!(a_row < b_row, "{text}");
}

#[test]
fn statistics_go_to_stderr_for_machine_formats_and_stdout_for_people() {
    const TABLE: &str =
        "COUNT  RULE            SEVERITY\n    1  share-mismatch  error\n    1  total\n";
    for format in ["json", "jsonl", "sarif", "github"] {
        let out = run_with_stdin(
            &["check", "--statistics", "--format", format],
            WRONG.as_bytes(),
        );
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(stderr(&out), TABLE, "{format}");
        assert!(!stdout(&out).contains("COUNT"), "{format}");
    }
    let out = run_with_stdin(&["check", "--statistics", "--quiet"], WRONG.as_bytes());
    assert_eq!(stdout(&out), format!("1 error in 1 file\n\n{TABLE}"));
    assert_eq!(stderr(&out), "");
    let out = run_with_stdin(
        &["check", "--statistics", "--format", "summary"],
        b"Nothing.\n",
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).ends_with("no findings in 1 file\n\nno findings\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn changelog_and_version_match_cargo_toml() {
    let version = env!("CARGO_PKG_VERSION");
    let out = run(&["--version"]);
    assert_eq!(stdout(&out).trim(), format!("numlint {version}"));
    let changelog =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("CHANGELOG.md"))
            .expect("CHANGELOG.md");
    let released = changelog
        .lines()
        .filter_map(|l| l.strip_prefix("## ["))
        .find(|l| !l.starts_with("Unreleased"))
        .expect("a released version in CHANGELOG.md");
    assert!(
        released.starts_with(&format!("{version}]")),
        "latest CHANGELOG.md release `{released}` is not Cargo.toml's {version}"
    );
}

/// How to run pre-commit: the `pre-commit` script on PATH, else the module under
/// `python3`; `None` (the test skips) when neither is installed.
fn pre_commit() -> Option<Vec<String>> {
    let works = |cmd: &[&str]| {
        Command::new(cmd[0])
            .args(&cmd[1..])
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if works(&["pre-commit"]) {
        Some(vec!["pre-commit".into()])
    } else if works(&["python3", "-m", "pre_commit"]) {
        Some(vec!["python3".into(), "-m".into(), "pre_commit".into()])
    } else {
        None
    }
}

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        // A commit must not pick up the developer's or CI's hooks path or templates.
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs")
}

#[test]
fn pre_commit_refuses_a_wrong_share_and_commits_the_fix() {
    let Some(pre_commit) = pre_commit() else {
        println!(
            "SKIPPED pre_commit_refuses_a_wrong_share_and_commits_the_fix: `pre-commit` is not \
             installed (neither on PATH nor as `python3 -m pre_commit`); `.ci/run` installs it"
        );
        return;
    };
    let dir = Scratch::new("pre-commit");
    let repo = dir.0.join("repo");
    std::fs::create_dir_all(&repo).expect("repo dir");
    let ok = |out: Output| {
        assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    };
    ok(git(&repo, &["init", "--quiet"]));
    ok(git(&repo, &["config", "user.email", "ci@numlint.invalid"]));
    ok(git(&repo, &["config", "user.name", "numlint CI"]));
    ok(git(&repo, &["config", "commit.gpgsign", "false"]));
    // The published hook (`language: rust`) builds numlint from its repository; here the
    // same hook runs the binary under test as a local, system hook.
    let bin = env!("CARGO_BIN_EXE_numlint");
    let config = format!(
        "repos:\n\
         - repo: local\n\
         \x20 hooks:\n\
         \x20 - id: numlint\n\
         \x20   name: numlint\n\
         \x20   entry: \"'{bin}' check\"\n\
         \x20   language: system\n\
         \x20   types: [text]\n\
         \x20   files: '\\.(txt|md)$'\n"
    );
    std::fs::write(repo.join(".pre-commit-config.yaml"), config).expect("config");
    let home = dir.0.join("pre-commit-home");
    let pc = |args: &[&str]| {
        Command::new(&pre_commit[0])
            .args(&pre_commit[1..])
            .args(args)
            .current_dir(&repo)
            .env("PRE_COMMIT_HOME", &home)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1")
            .output()
            .expect("pre-commit runs")
    };
    ok(pc(&["install"]));
    ok(git(&repo, &["add", ".pre-commit-config.yaml"]));
    // The config alone: no .txt or .md file, the hook is skipped.
    ok(git(
        &repo,
        &["commit", "--quiet", "-m", "pre-commit config"],
    ));

    std::fs::write(repo.join("draft.txt"), WRONG).expect("draft");
    ok(git(&repo, &["add", "draft.txt"]));
    let refused = git(&repo, &["commit", "-m", "wrong share"]);
    assert!(
        !refused.status.success(),
        "the commit of a wrong share went through:\n{}\n{}",
        stdout(&refused),
        stderr(&refused)
    );
    let said = format!("{}{}", stdout(&refused), stderr(&refused));
    assert!(said.contains("share-mismatch"), "{said}");
    assert!(
        said.contains("786 out of 3,415 is 23.02 per cent"),
        "{said}"
    );
    let log = git(&repo, &["log", "--oneline"]);
    assert_eq!(stdout(&log).lines().count(), 1, "{}", stdout(&log));

    std::fs::write(repo.join("draft.txt"), FIXED).expect("fixed draft");
    ok(git(&repo, &["add", "draft.txt"]));
    ok(git(&repo, &["commit", "--quiet", "-m", "fixed share"]));
    let log = git(&repo, &["log", "--oneline"]);
    assert_eq!(stdout(&log).lines().count(), 2, "{}", stdout(&log));
}
