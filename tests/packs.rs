//! Rule packs and the generated rule reference, end to end through the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn numlint(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_numlint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "400")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    if let Some(mut i) = child.stdin.take() {
        let _ = i.write_all(stdin.as_bytes());
    }
    child.wait_with_output().expect("binary finishes")
}

fn pack(test: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("numlint-pack-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (name, body) in files {
        std::fs::write(dir.join(name), body).expect("write pack file");
    }
    dir
}

const REPRESENTING: &str = r#"
family: share
key-slots: [part, pct]
patterns:
  # "1,200 persons, representing 45 per cent of the 2,000 members"
  - "{part:amount} ~3 , representing {pct:percent} of the {whole:amount}"
"#;

const TEXT: &str =
    "In 2022, 1,200 persons, representing 45 per cent of the 2,000 members, took part.\n";

#[test]
fn a_pack_teaches_a_phrase_and_finds_a_mismatch_written_in_it() {
    let without = numlint(&["check", "--format", "json"], TEXT);
    assert_eq!(
        without.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&without.stdout)
    );
    let dir = pack("phrase", &[("representing.yaml", REPRESENTING)]);
    let with = numlint(
        &[
            "check",
            "--format",
            "json",
            "--rules",
            dir.to_str().unwrap_or_default(),
        ],
        TEXT,
    );
    let out = String::from_utf8_lossy(&with.stdout);
    assert_eq!(with.status.code(), Some(1), "{out}");
    assert!(
        out.contains("1,200 out of 2,000 is 60 per cent, not 45 per cent"),
        "{out}"
    );
}

#[test]
fn a_pack_can_change_a_rule_severity() {
    let doc = r#"
family: share
rules:
  - id: share-rounding
    severity: info
    summary: a percentage holds only if truncated, or is off by one in its last digit
    what: Our statistics office truncates; we keep these as notes.
    why: Truncation is the house style here.
    fires: ["There were 7,723 schools, of which 6,925, or 89.6 per cent, were State schools."]
    passes: ["There were 7,723 schools, of which 6,925, or 89.7 per cent, were State schools."]
"#;
    let dir = pack("severity", &[("share.yaml", doc)]);
    let text = "There were 7,723 schools, of which 6,925, or 89.6 per cent, were State schools.\n";
    let out = numlint(
        &[
            "check",
            "--format",
            "json",
            "--rules",
            dir.to_str().unwrap_or_default(),
        ],
        text,
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["diagnostics"][0]["severity"], "info");
    assert_eq!(
        out.status.code(),
        Some(0),
        "info is below the default --fail-on warning"
    );
}

#[test]
fn rules_check_reports_a_bad_pack_at_its_place() {
    let bad = "family: share\nkey-slots: [part, pct]\npatterns:\n  - \"{part:amount} , or {pct:percnt}\"\n";
    let dir = pack("bad", &[("bad.yaml", bad)]);
    let out = numlint(&["rules", "--check", dir.to_str().unwrap_or_default()], "");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown slot type `percnt`"), "{err}");
    assert!(
        err.contains("bad.yaml:4:"),
        "the error points at line 4: {err}"
    );

    let unknown = "family: share\nrules:\n  - id: share-mismach\n    severity: error\n    summary: s\n    what: w\n    why: y\n    fires: []\n    passes: []\n";
    let dir = pack("unknown", &[("x.yaml", unknown)]);
    let out = numlint(&["rules", "--check", dir.to_str().unwrap_or_default()], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown rule `share-mismach`"));

    let good = pack("good", &[("representing.yaml", REPRESENTING)]);
    let out = numlint(&["rules", "--check", good.to_str().unwrap_or_default()], "");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn generated_rule_reference_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let fresh = numlint(&["rules", "--markdown"], "");
    let fresh = String::from_utf8_lossy(&fresh.stdout).into_owned();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        numlint::cli::atomic::write(&path, fresh.as_bytes()).expect("write docs/rules.md");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "docs/rules.md is stale: run `UPDATE_DOCS=1 cargo test --test packs`"
    );
}
