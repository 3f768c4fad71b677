//! Rule fixtures: every rule's `tests/fixtures/<rule>/fires*` must fire and `passes*`
//! must not, checked with only that rule enabled; the full output of each fixture is an
//! insta snapshot. Fixtures are read by their extension through `numlint::formats`
//! (`.txt`, `.md`, `.html`, `.docx`). Also runs the examples every rule carries in its
//! YAML, in the rule's `example-format`. A rule whose fixture folder holds a
//! `facts.yaml` (the facts rules) is checked against those trusted facts.

mod common;

use numlint::formats::Format;
use numlint::settings::Settings;
use numlint::{Diagnostic, Engine, SourceFile};
use std::path::Path;

fn render(file: &SourceFile, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let (s, e) = (file.line_col(d.span.start), file.line_col(d.span.end));
        out.push_str(&format!(
            "{}:{}-{}:{} {}[{}] {}\n  = help: {}\n",
            s.line, s.column, e.line, e.column, d.severity, d.rule, d.message, d.help
        ));
        for l in &d.labels {
            let p = file.line_col(l.span.start);
            out.push_str(&format!("  - {}:{} {}\n", p.line, p.column, l.message));
        }
        if let Some(c) = d.computed {
            out.push_str(&format!("  computed: {c}\n"));
        }
    }
    if out.is_empty() {
        out.push_str("(no findings)\n");
    }
    out
}

/// A rule's YAML example, read in the rule's example format.
fn example(text: &str, format: Format) -> SourceFile {
    if format == Format::Text {
        SourceFile::from_text("example", text.to_string())
    } else {
        common::tables::load_example(text, format)
    }
}

/// Only `rule`, with the facts of its fixture folder when it has some (the facts rules).
fn engine_for(rule: &str) -> Engine {
    let engine = Engine::builtin(Settings::default())
        .expect("built-in rules load")
        .only(&[rule]);
    match common::fixture_facts(rule) {
        Some(facts) => engine.with_facts(facts),
        None => engine,
    }
}

#[test]
fn fixtures_fire_and_pass_as_named() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let all = Engine::builtin(Settings::default()).expect("built-in rules load");
    let mut seen = 0;
    for doc in all.rule_docs() {
        let dir = root.join(&doc.id);
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| {
                panic!(
                    "rule {} has no fixture folder {}: {e}",
                    doc.id,
                    dir.display()
                )
            })
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| Format::from_extension(x).is_some())
            })
            .collect();
        entries.sort();
        let names: Vec<String> = entries
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        assert!(
            names.iter().any(|n| n.starts_with("fires")),
            "rule {} has no fires* fixture",
            doc.id
        );
        assert!(
            names.iter().any(|n| n.starts_with("passes")),
            "rule {} has no passes* fixture",
            doc.id
        );
        let engine = engine_for(&doc.id);
        for path in &entries {
            let bytes = std::fs::read(path).expect("fixture reads");
            let file = common::tables::load(&path.display().to_string(), bytes);
            let diags = engine.check(&file);
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.starts_with("fires") {
                assert!(
                    !diags.is_empty(),
                    "{} should fire {}",
                    path.display(),
                    doc.id
                );
            } else {
                assert!(
                    diags.is_empty(),
                    "{} should not fire {}:\n{}",
                    path.display(),
                    doc.id,
                    render(&file, &diags)
                );
            }
            // `fires.txt` is snapshot `fires`; other formats keep their extension.
            let snap = format!("fixture__{}__{}", doc.id, name.trim_end_matches(".txt"));
            insta::with_settings!({snapshot_path => "snapshots", prepend_module_to_snapshot => false}, {
                insta::assert_snapshot!(snap, render(&file, &diags));
            });
            seen += 1;
        }
    }
    assert!(seen >= 6, "expected fixtures for every rule, saw {seen}");
}

#[test]
fn yaml_examples_fire_and_pass() {
    let all = Engine::builtin(Settings::default()).expect("built-in rules load");
    for doc in all.rule_docs() {
        assert!(
            !doc.fires.is_empty() && !doc.passes.is_empty(),
            "rule {} needs examples",
            doc.id
        );
        let engine = engine_for(&doc.id);
        for ex in &doc.fires {
            let file = example(ex, doc.example_format);
            assert!(
                !engine.check(&file).is_empty(),
                "rule {}: example should fire: {ex}",
                doc.id
            );
        }
        for ex in &doc.passes {
            let file = example(ex, doc.example_format);
            let d = engine.check(&file);
            assert!(
                d.is_empty(),
                "rule {}: example should pass: {ex}\n{}",
                doc.id,
                render(&file, &d)
            );
        }
    }
}
