//! House conventions, enforced: rule ids, message style, doc sections, fixtures.

mod common;

use numlint::Engine;
use numlint::formats::Format;
use numlint::settings::Settings;
use std::path::Path;

fn engine() -> Engine {
    Engine::builtin(Settings::default()).expect("built-in rules load")
}

#[test]
fn rule_ids_are_kebab_case_and_name_a_family() {
    for d in engine().rule_docs() {
        assert!(
            d.id.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                && !d.id.starts_with('-')
                && !d.id.ends_with('-'),
            "rule id `{}` is not kebab-case",
            d.id
        );
        assert!(!d.family.is_empty(), "rule `{}` has no family", d.id);
    }
}

#[test]
fn docs_have_every_section() {
    for d in engine().rule_docs() {
        for (name, text) in [("summary", &d.summary), ("what", &d.what), ("why", &d.why)] {
            assert!(
                text.trim().len() > 10,
                "rule `{}`: section `{name}` is empty",
                d.id
            );
        }
        assert!(
            d.summary.chars().next().is_some_and(|c| c.is_lowercase()),
            "rule `{}`: summary starts lower-case",
            d.id
        );
        assert!(
            !d.summary.ends_with('.'),
            "rule `{}`: summary has no trailing period",
            d.id
        );
    }
}

#[test]
fn messages_start_lower_case_and_have_no_trailing_period() {
    for d in engine().rule_docs() {
        // The facts rules fire only against the facts of their fixtures.
        let e = match common::fixture_facts(&d.id) {
            Some(facts) => engine().with_facts(facts),
            None => engine(),
        };
        for ex in &d.fires {
            let file = if d.example_format == Format::Text {
                numlint::SourceFile::from_text("example", ex.clone())
            } else {
                common::tables::load_example(ex, d.example_format)
            };
            for diag in e.check(&file) {
                let first = diag.message.chars().next().unwrap_or('a');
                assert!(
                    !first.is_uppercase(),
                    "message starts upper-case: {}",
                    diag.message
                );
                assert!(
                    !diag.message.ends_with('.'),
                    "message ends with a period: {}",
                    diag.message
                );
                assert!(
                    !diag.help.is_empty(),
                    "finding without help: {}",
                    diag.message
                );
                assert!(
                    !diag.labels.is_empty(),
                    "finding without labels: {}",
                    diag.message
                );
            }
        }
    }
}

#[test]
fn every_snapshot_has_a_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let Ok(entries) = std::fs::read_dir(root.join("snapshots")) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".snap") else {
            continue;
        };
        // Rule fixture snapshots are `fixture__<rule>__<fixture>.snap`.
        let Some(rest) = stem.strip_prefix("fixture__") else {
            continue;
        };
        let Some((rule, fixture)) = rest.split_once("__") else {
            panic!("snapshot {name} does not name its rule and fixture")
        };
        // `fires.snap` is `fires.txt`; `fires.md.snap` is `fires.md`.
        let dir = root.join("fixtures").join(rule);
        let path = if dir.join(fixture).extension().is_some() {
            dir.join(fixture)
        } else {
            dir.join(format!("{fixture}.txt"))
        };
        assert!(
            path.exists(),
            "snapshot {name} has no fixture {}",
            path.display()
        );
    }
}

#[test]
fn readme_rule_table_lists_every_rule() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README reads");
    for d in engine().rule_docs() {
        assert!(
            readme.contains(&format!("| `{}` | {} |", d.id, d.family)),
            "README rule table misses `{}`",
            d.id
        );
    }
}
