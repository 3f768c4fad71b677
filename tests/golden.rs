//! Golden output: the JSON that `numlint check` prints for the seed, every fixture and a
//! generated corpus must stay byte-identical through performance work. The files under
//! `tests/golden/` were written by the pipeline before the optimisations of the
//! performance issue; a change that alters a finding, a span or a message fails here.
//!
//! After a deliberate change to the findings, review the difference and rewrite the files
//! with `NUMLINT_BLESS_GOLDEN=1 cargo test --test golden`.

#[path = "../benches/support/corpus.rs"]
#[allow(dead_code)]
mod corpus;

mod common;

use std::path::PathBuf;

/// Run `numlint check --format json ARGS` from the crate root, with `stdin` as input when
/// given, and return standard output.
fn check_json(args: &[&str], stdin: Option<&[u8]>) -> Vec<u8> {
    let mut all = vec!["check", "--format", "json", "--threads", "2"];
    all.extend_from_slice(args);
    let out = common::run_with_stdin(&all, stdin.unwrap_or_default());
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "numlint failed: {}",
        common::stderr(&out)
    );
    out.stdout
}

/// Compare `actual` with `tests/golden/NAME`, or write it there when blessing.
fn assert_golden(name: &str, actual: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("NUMLINT_BLESS_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("golden file written");
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if expected == actual {
        return;
    }
    let (exp, act) = (
        String::from_utf8_lossy(&expected),
        String::from_utf8_lossy(actual),
    );
    let line = exp
        .lines()
        .zip(act.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| exp.lines().count().min(act.lines().count()));
    let keep = std::env::temp_dir().join(format!("numlint-golden-{name}"));
    let _ = std::fs::write(&keep, actual);
    panic!(
        "{name}: output differs from tests/golden/{name} at line {}:\n  expected: {}\n  actual:   {}\n\
         (whole output kept in {})",
        line + 1,
        exp.lines().nth(line).unwrap_or("<end>"),
        act.lines().nth(line).unwrap_or("<end>"),
        keep.display()
    );
}

#[test]
fn seed_json_is_unchanged() {
    assert_golden(
        "seed.json",
        &check_json(&["seeds/000_26c4ac59d5b61832.txt"], None),
    );
}

#[test]
fn seed_with_facts_json_is_unchanged() {
    assert_golden(
        "seed-facts.json",
        &check_json(
            &[
                "--facts",
                "seeds/facts-kaz.yaml",
                "seeds/000_26c4ac59d5b61832.txt",
            ],
            None,
        ),
    );
}

#[test]
fn fixtures_json_is_unchanged() {
    // Every fixture in every format, walked as a directory: one JSON document.
    assert_golden("fixtures.json", &check_json(&["tests/fixtures"], None));
}

#[test]
fn generated_corpus_json_is_unchanged() {
    let seed = corpus::seed_text();
    let text = corpus::varied(&seed, 2_000_000, 1);
    let out = check_json(
        &["--stdin-filename", "generated.txt", "-"],
        Some(text.as_bytes()),
    );
    assert_golden("generated.json", &out);
}

#[test]
fn repeated_seed_json_is_unchanged() {
    // Three copies: document-wide rules (contradictions, cross-passage) see repeats.
    let text = corpus::repeated(&corpus::seed_text(), 500_000);
    let out = check_json(
        &["--stdin-filename", "repeated.txt", "-"],
        Some(text.as_bytes()),
    );
    assert_golden("repeated.json", &out);
}
