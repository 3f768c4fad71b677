//! End to end on the seed report: run the real binary with `--format json` and check the
//! findings against a reviewed snapshot, plus the specific findings the issue names.

use std::process::Command;

fn run_json(args: &[&str]) -> (i32, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_numlint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("numlint runs");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

const SEED: &str = "seeds/000_26c4ac59d5b61832.txt";

fn findings(json: &serde_json::Value) -> Vec<(String, u64, String)> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_string(),
                d["start"]["line"].as_u64().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn seed_findings_match_the_reviewed_list() {
    let (code, json) = run_json(&["check", "--format", "json", SEED]);
    assert_eq!(code, 1, "the seed has errors, so the exit code is 1");
    assert_eq!(json["version"], 1);
    let listing: String = findings(&json)
        .iter()
        .map(|(rule, line, msg)| format!("{line:>5} {rule:<20} {msg}\n"))
        .collect();
    insta::assert_snapshot!("seed_findings", listing);
}

#[test]
fn seed_names_the_known_problems() {
    let (_, json) = run_json(&["check", "--format", "json", SEED]);
    let f = findings(&json);
    let has = |rule: &str, needle: &str| f.iter().any(|(r, _, m)| r == rule && m.contains(needle));
    assert!(
        has("share-mismatch", "21.02 per cent"),
        "786 of 3,415 called 21.02 per cent: {f:#?}"
    );
    assert!(
        has("part-exceeds-whole", "39,836"),
        "39,836 of 6,700: {f:#?}"
    );
    assert!(
        has("share-rounding", "89.6 per cent"),
        "6,925 of 7,723 called 89.6: {f:#?}"
    );
    // Consistent shares stay silent.
    for ok in [
        "48.4 per cent",
        "45.7 per cent",
        "51.2 per cent",
        "48.8 per cent",
    ] {
        assert!(
            !f.iter().any(|(_, _, m)| m.contains(ok)),
            "false alarm on {ok}: {f:#?}"
        );
    }
}

#[test]
fn seed_json_spans_are_consistent() {
    let (_, json) = run_json(&["check", "--format", "json", SEED]);
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/000_26c4ac59d5b61832.txt"
    ))
    .expect("seed reads");
    for d in json["diagnostics"].as_array().expect("array") {
        let s = d["start"]["offset"].as_u64().expect("offset") as usize;
        let e = d["end"]["offset"].as_u64().expect("offset") as usize;
        assert!(s < e && e <= text.len());
        for l in d["labels"].as_array().expect("labels") {
            let ls = l["start"]["offset"].as_u64().expect("offset") as usize;
            let le = l["end"]["offset"].as_u64().expect("offset") as usize;
            assert!(s <= ls && le <= e, "label outside the claim: {d}");
            // Each label quotes the figure it points at.
            let quoted = &text[ls..le];
            let msg = l["message"].as_str().unwrap_or_default();
            let squashed: String = quoted.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                msg.contains(&format!(": {squashed}")),
                "label `{msg}` does not quote `{quoted}`"
            );
        }
        let line = d["start"]["line"].as_u64().expect("line") as usize;
        let line_start = text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum::<usize>();
        let col = d["start"]["column"].as_u64().expect("column") as usize;
        assert_eq!(text[line_start..s].chars().count() + 1, col);
    }
}

#[test]
fn truncation_setting_turns_rounding_warnings_off() {
    let (_, json) = run_json(&["check", "--format", "json", "--rounding", "either", SEED]);
    let f = findings(&json);
    assert!(
        !f.iter().any(|(_, _, m)| m.contains("only if truncated")),
        "{f:#?}"
    );
    assert!(f.iter().any(|(r, _, _)| r == "share-mismatch"));
}

#[test]
fn seed_rank_unit_and_date_findings() {
    let (_, json) = run_json(&["check", "--format", "json", SEED]);
    let f = findings(&json);
    // "per 100,000 population was 1.7 per cent in 2020, 1 per cent ... and 0.9 per cent"
    let units: Vec<_> = f.iter().filter(|(r, _, _)| r == "unit-mismatch").collect();
    assert_eq!(units.len(), 1, "{f:#?}");
    assert!(units[0].2.contains("per 100,000") && units[0].2.contains("0.9 per cent"));
    // Both rank moves in the seed are consistent, and every date in it exists.
    for rule in ["rank-mismatch", "invalid-date", "weekday-mismatch"] {
        assert!(!f.iter().any(|(r, _, _)| r == rule), "{rule}: {f:#?}");
    }
}
