//! Configuration end to end: discovery, per-path overrides, accepted findings, baselines
//! and errors in configuration, through the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_numlint"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "400")
        .args(args)
        .output()
        .expect("binary runs")
}

fn rules_at(out: &Output) -> Vec<(String, String, u64)> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    v["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    (
                        d["file"].as_str().unwrap_or_default().to_string(),
                        d["rule"].as_str().unwrap_or_default().to_string(),
                        d["start"]["line"].as_u64().unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A scratch repository (a directory with `.git`), removed when dropped.
struct Repo(PathBuf);

impl Repo {
    fn new(name: &str) -> Repo {
        let dir =
            std::env::temp_dir().join(format!("numlint-config-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join(".git")).expect("scratch repo");
        Repo(dir)
    }

    fn write(&self, rel: &str, body: &str) {
        let p = self.0.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("dirs");
        }
        std::fs::write(p, body).expect("write");
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const TRUNCATED: &str =
    "There were 7,723 schools, of which 6,925, or 89.6 per cent, were State schools.\n";
const WRONG: &str = "Women hold 21.02 per cent of the seats (786 out of 3,415).\n";

#[test]
fn the_nearest_config_wins_and_discovery_stops_at_the_repository_root() {
    let r = Repo::new("discovery");
    r.write("numlint.yaml", "ignore: [share-rounding]\n");
    r.write("top.txt", TRUNCATED);
    r.write("sub/.numlint.yaml", "severity:\n  share-rounding: error\n");
    r.write("sub/deeper/x.txt", TRUNCATED);
    let out = run(
        &r.0,
        &["check", "--format", "json", "top.txt", "sub/deeper/x.txt"],
    );
    let found = rules_at(&out);
    assert_eq!(
        found,
        [(
            "sub/deeper/x.txt".to_string(),
            "share-rounding".to_string(),
            1
        )]
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        v["diagnostics"][0]["severity"], "error",
        "the nearer config's severity"
    );
    // A config above the repository root is not used.
    let outer = Repo::new("outer");
    outer.write("numlint.yaml", "ignore: [share]\n");
    outer.write("inner/.git/HEAD", "");
    outer.write("inner/a.txt", WRONG);
    let out = run(
        &outer.0.join("inner"),
        &["check", "--format", "json", "a.txt"],
    );
    assert_eq!(
        rules_at(&out).len(),
        1,
        "the outer config must not apply inside another repository"
    );
}

#[test]
fn per_path_overrides_apply_by_glob() {
    let r = Repo::new("overrides");
    r.write(
        "numlint.yaml",
        "overrides:\n  - paths: [\"annexes/**\"]\n    rounding: truncate\n",
    );
    r.write("main.txt", TRUNCATED);
    r.write("annexes/a/one.txt", TRUNCATED);
    let out = run(
        &r.0,
        &["check", "--format", "json", "main.txt", "annexes/a/one.txt"],
    );
    assert_eq!(
        rules_at(&out),
        [("main.txt".to_string(), "share-rounding".to_string(), 1)]
    );
    let shown = run(&r.0, &["config", "annexes/a/one.txt"]);
    assert!(String::from_utf8_lossy(&shown.stdout).contains("rounding: truncate"));
}

#[test]
fn accepted_findings_in_config_are_silenced() {
    let r = Repo::new("accepted");
    r.write(
        "numlint.yaml",
        "ignore-findings:\n  - rule: share-mismatch\n    text: \"786 out of 3,415\"\n",
    );
    r.write(
        "a.txt",
        &format!("{WRONG}Women hold 20.02 per cent of the posts (686 out of 3,415).\n"),
    );
    let out = run(&r.0, &["check", "--format", "json", "a.txt"]);
    assert_eq!(
        rules_at(&out),
        [("a.txt".to_string(), "share-mismatch".to_string(), 2)]
    );
}

#[test]
fn a_baseline_survives_a_paragraph_inserted_above_the_finding() {
    let r = Repo::new("baseline");
    r.write("a.txt", WRONG);
    let out = run(
        &r.0,
        &[
            "check",
            "--write-baseline",
            "numlint-baseline.json",
            "a.txt",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    r.write(
        "a.txt",
        &format!("A new first paragraph.\n\nAnother one.\n\n{WRONG}"),
    );
    let out = run(
        &r.0,
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "numlint-baseline.json",
            "a.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(
        rules_at(&out).is_empty(),
        "the recorded finding moved but is still known"
    );
    // A new finding is reported.
    r.write(
        "a.txt",
        &format!("{WRONG}Of the 40 deputies, 12 (20 per cent) are women.\n"),
    );
    let out = run(
        &r.0,
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "numlint-baseline.json",
            "a.txt",
        ],
    );
    assert_eq!(
        rules_at(&out),
        [("a.txt".to_string(), "share-mismatch".to_string(), 2)]
    );
    assert_eq!(out.status.code(), Some(1));
    // Written atomically: no temporary file is left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(&r.0)
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn an_invalid_config_is_reported_at_its_line_and_column_and_other_files_are_checked() {
    let r = Repo::new("invalid");
    r.write("good/a.txt", WRONG);
    r.write(
        "bad/numlint.yaml",
        "select: [share]\nseverity:\n  share-rounding: warning\nfail-onn: error\n",
    );
    r.write("bad/b.txt", WRONG);
    let out = run(&r.0, &["check", "good/a.txt", "bad/b.txt"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a file under a broken config is not checked"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown field `fail-onn`"), "{err}");
    assert!(
        err.contains("numlint.yaml:4:1"),
        "points at line 4, column 1: {err}"
    );
    assert!(err.contains("did you mean `fail-on`?"), "{err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("good/a.txt"),
        "the other file is still checked: {stdout}"
    );

    r.write("bad/numlint.yaml", "ignore: [share-mismach]\n");
    let out = run(&r.0, &["check", "bad/b.txt"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown rule or family `share-mismach`"),
        "{err}"
    );
    assert!(err.contains("numlint.yaml:1:10"), "{err}");
    assert!(err.contains("did you mean `share-mismatch`?"), "{err}");
}

#[test]
fn fail_on_comes_from_the_config_unless_given() {
    let r = Repo::new("failon");
    r.write("numlint.yaml", "fail-on: error\n");
    r.write("a.txt", TRUNCATED);
    assert_eq!(run(&r.0, &["check", "a.txt"]).status.code(), Some(0));
    assert_eq!(
        run(&r.0, &["check", "--fail-on", "warning", "a.txt"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run(&r.0, &["check", "--no-config", "a.txt"]).status.code(),
        Some(1)
    );
}

/// The seed rewritten in the French style: "46 546" for 46,546 and "55,4" for 55.4.
fn decimal_comma(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in b.iter().enumerate() {
        let digit = |k: usize| b.get(k).is_some_and(char::is_ascii_digit);
        let before = i > 0 && digit(i - 1);
        if c == ',' && before && digit(i + 1) && digit(i + 2) && digit(i + 3) && !digit(i + 4) {
            out.push(' ');
        } else if c == '.' && before && digit(i + 1) {
            out.push(',');
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn a_decimal_comma_locale_gives_the_same_findings_as_the_english_original() {
    let seed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/000_26c4ac59d5b61832.txt"),
    )
    .expect("seed");
    let r = Repo::new("locale");
    r.write("en.txt", &seed);
    let fr = decimal_comma(&seed);
    assert!(
        fr.contains("(786 \n\nout of 3 415)") || fr.contains("3 415"),
        "the rewrite changed the figures"
    );
    assert!(fr.contains("21,02 per cent"));
    r.write("fr/report.txt", &fr);
    r.write("fr/numlint.yaml", "locale: fr\n");
    let strip = |v: Vec<(String, String, u64)>| {
        v.into_iter()
            .map(|(_, rule, line)| (rule, line))
            .collect::<Vec<_>>()
    };
    let en = strip(rules_at(&run(
        &r.0,
        &["check", "--format", "json", "en.txt"],
    )));
    let fr_found = strip(rules_at(&run(
        &r.0,
        &["check", "--format", "json", "fr/report.txt"],
    )));
    assert!(!en.is_empty());
    assert_eq!(en, fr_found);
}

#[test]
fn vocabulary_teaches_currencies_hedges_pairs_and_furniture() {
    let r = Repo::new("vocabulary");
    r.write(
        "numlint.yaml",
        "vocabulary:\n  currencies: {som: KGS}\n  hedges: {\"in the region of\": more-than}\n  exhaustive-pairs: [[[nationals], [foreigners]]]\n  furniture: [\"Annex 3: *\"]\n",
    );
    // A pair the built-in vocabulary does not know: 60 + 45 is not 100.
    r.write("pairs.txt", "Of the detainees, 300 nationals (60 per cent) and 200 foreigners (45 per cent) were released.\n");
    // "in the region of" read as a hedge: the parts may exceed a "more than" total.
    r.write(
        "hedge.txt",
        "The centres served in the region of 1,000 women (600 in Almaty and 450 in Astana).\n",
    );
    // A running header that would otherwise read as a wrong share.
    r.write("header.txt", "Annex 3: 50 (10 per cent) of the 100 centres\nA total of 900 som (500 som for shelters and 300 som for hotlines) was spent.\n");
    let found = rules_at(&run(
        &r.0,
        &[
            "check",
            "--format",
            "json",
            "pairs.txt",
            "hedge.txt",
            "header.txt",
        ],
    ));
    let rules: Vec<(String, String)> = found.into_iter().map(|(f, rule, _)| (f, rule)).collect();
    assert_eq!(
        rules,
        [
            ("pairs.txt".to_string(), "percent-sum".to_string()),
            ("header.txt".to_string(), "sum-mismatch".to_string()),
        ],
        "hedge.txt stays silent; the header line is masked; 500 + 300 som is not 900"
    );
    let files = [
        "check",
        "--no-config",
        "--format",
        "json",
        "pairs.txt",
        "hedge.txt",
        "header.txt",
    ];
    let without = rules_at(&run(&r.0, &files));
    assert!(
        without
            .iter()
            .any(|(f, rule, _)| f == "hedge.txt" && rule == "sum-mismatch"),
        "{without:?}"
    );
    assert!(
        without
            .iter()
            .any(|(f, rule, _)| f == "header.txt" && rule == "share-mismatch"),
        "{without:?}"
    );
    assert!(
        !without.iter().any(|(f, _, _)| f == "pairs.txt"),
        "{without:?}"
    );
}
