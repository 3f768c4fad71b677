//! Fact-checking end to end, through the binary: `--facts`, `facts:` in numlint.yaml,
//! `numlint facts check`, and the seed's facts file (seeds/facts-kaz.yaml).

mod common;

use common::{SEED, Scratch, json, run, run_in, run_with_stdin, stderr, stdout};

const FACTS: &str = "seeds/facts-kaz.yaml";
const CHANGED: &str = "tests/fixtures/facts/seed-excerpt-changed.txt";

/// The facts findings of a JSON run: (line, rule, message, help).
fn fact_findings(out: &std::process::Output) -> Vec<(u64, String, String, String)> {
    json(out)["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"].as_str().is_some_and(|r| r.starts_with("fact-")))
        .map(|d| {
            (
                d["start"]["line"].as_u64().unwrap_or(0),
                d["rule"].as_str().unwrap_or_default().to_owned(),
                d["message"].as_str().unwrap_or_default().to_owned(),
                d["help"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// The other findings, which facts must leave as they are.
fn other_findings(out: &std::process::Output) -> Vec<serde_json::Value> {
    json(out)["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| !d["rule"].as_str().is_some_and(|r| r.starts_with("fact-")))
        .cloned()
        .collect()
}

#[test]
fn the_seed_agrees_with_its_facts_except_the_year_of_the_rio_games() {
    let with = run(&["check", "--format", "json", "--facts", FACTS, SEED]);
    let without = run(&["check", "--format", "json", SEED]);
    assert_eq!(other_findings(&with), other_findings(&without));
    let found = fact_findings(&with);
    // The report says the Rio de Janeiro Games were held in 2020; they were held in 2016.
    assert_eq!(found.len(), 1, "{found:#?}");
    let (line, rule, message, help) = &found[0];
    assert_eq!((*line, rule.as_str()), (2780, "fact-mismatch"));
    assert_eq!(
        message,
        "the text dates summer Olympic Games in Rio de Janeiro to 2020; it took place from 5 August 2016 to 21 August 2016"
    );
    assert!(
        help.contains("\"summer Olympic Games in Rio de Janeiro\" names")
            && help.contains("International Olympic Committee, Rio 2016 Olympic Games")
            && help.contains("<https://olympics.com/en/olympic-games/rio-2016>"),
        "{help}"
    );
}

#[test]
fn the_seed_statements_that_agree_are_linked_and_confirmed() {
    let out = run(&["inspect", "--claims", "--facts", FACTS, SEED]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let linked: Vec<&str> = text.lines().filter(|l| l.contains("\tfacts#")).collect();
    for (figure, fact) in [
        ("value=19.8 million", "fact=population, 1 January 2023"),
        (
            "value=10.1 million",
            "fact=population (women), 1 January 2023",
        ),
        ("value=9.6 million", "fact=population (men), 1 January 2023"),
        (
            "pct=51.2 per cent",
            "part-fact=population (women), 1 January 2023",
        ),
        (
            "pct=48.8 per cent",
            "part-fact=population (men), 1 January 2023",
        ),
        ("value=9.4 million", "fact=labour force, 2022"),
        ("value=4.9 per cent", "fact=unemployment rate, 2022"),
        (
            "value=4.3 million",
            "fact=employed population (women), 2022",
        ),
        ("pct=47.9 per cent", "whole-fact=employed population, 2022"),
        ("date=2021", "fact=Olympic Games in Tokyo"),
        (
            "date=20 December 1993",
            "fact=General Assembly resolution 48/134",
        ),
    ] {
        assert!(
            linked
                .iter()
                .any(|l| l.contains(figure) && l.contains(fact)),
            "{figure} is not linked to {fact}:\n{}",
            linked.join("\n")
        );
    }
    // Linked and in agreement: no finding on any of them (the previous test).
    assert!(
        linked.iter().all(|l| l.contains("matched=")),
        "every link says which words matched"
    );
}

#[test]
fn changed_figures_are_reported_with_their_source() {
    let out = run(&["check", "--format", "json", "--facts", FACTS, CHANGED]);
    assert_eq!(out.status.code(), Some(1));
    let found = fact_findings(&out);
    let messages: Vec<&str> = found.iter().map(|f| f.2.as_str()).collect();
    assert_eq!(
        messages,
        [
            "19.3 million does not match the trusted figure for population, 1 January 2023: 19.8 million",
            "9.9 million does not match the trusted figure for labour force, 2022: 9.4 million",
            "5.9 per cent does not match the trusted figure for unemployment rate, 2022: 4.9 per cent",
            "the text dates summer Olympic Games in Rio de Janeiro to 2020; it took place from 5 August 2016 to 21 August 2016",
        ]
    );
    for (_, _, _, help) in &found[..3] {
        assert!(
            help.contains("source: Bureau of National Statistics")
                && help.contains("<https://stat.gov.kz/en/industries/"),
            "{help}"
        );
    }
    // As a reviewer sees it: the stated figure labelled, the source in the help line.
    let human = run(&["check", "--facts", FACTS, CHANGED]);
    let text = stdout(&human);
    assert!(
        text.contains("stated: 9.9 million (trusted: 9.4 million)"),
        "{text}"
    );
    assert!(
        text.contains("help: \"labour force\" names labour force, \"2022\" its period (2022)"),
        "{text}"
    );
}

/// Findings of the facts rules on `text`, checked against the seed's facts.
fn check_text(text: &str) -> Vec<(u64, String, String, String)> {
    let out = run_with_stdin(
        &["check", "--format", "json", "--facts", FACTS],
        text.as_bytes(),
    );
    fact_findings(&out)
}

#[test]
fn another_year_group_unit_or_place_is_never_compared() {
    for text in [
        // Another year, and a year given only as a point of comparison.
        "In 2021, the population of Kazakhstan was 19.3 million.",
        "In 2023, the population of Kazakhstan was 19.3 million.",
        "The labour force grew to 9.9 million, from 9.4 million in 2022.",
        "In 2023, the labour force in Kazakhstan amounted to 9.9 million people.",
        // No period at all.
        "The population of Kazakhstan is 19.3 million.",
        // Another group, another place, another metric.
        "At the beginning of 2023, the rural population was 7.7 million.",
        "At the beginning of 2023, there were 3.3 million girls in the population.",
        "At the beginning of 2023, the population of Almaty was 2.2 million.",
        "At the beginning of 2023, the working-age population was 11.5 million.",
        "In 2022, the labour force participation rate was 68.4 per cent.",
        // Another unit: a percentage is not a count, a count not a percentage.
        "At the beginning of 2023, the population grew by 1.2 per cent.",
        "In 2022, the unemployment rate concerned 458,300 people.",
        // Two metrics in one clause, or figures paired with subjects by order.
        "In 2022, the labour force and the working population were 9.9 million and 9.5 million respectively.",
    ] {
        assert_eq!(check_text(text), [], "{text}");
    }
    // The same statements with the fact's own period are compared.
    assert_eq!(
        check_text("At the beginning of 2023, the population of Kazakhstan was 19.3 million.")
            .len(),
        1
    );
    assert_eq!(
        check_text("In 2022, the labour force in Kazakhstan amounted to 9.9 million people.").len(),
        1
    );
}

#[test]
fn facts_check_validates_a_file_at_its_lines() {
    let good = run(&["facts", "check", FACTS]);
    assert_eq!(good.status.code(), Some(0), "{}", stderr(&good));
    assert_eq!(
        stdout(&good),
        "seeds/facts-kaz.yaml: 12 facts (9 metrics, 3 events), no problems\n"
    );
    let dir = Scratch::new("facts-check");
    let bad = dir.file(
        "bad.yaml",
        "sources:\n  bns: {title: Yearbook, url: \"https://stat.gov.kz\"}\nfacts:\n  - metric: population\n    period: 2023-01-01\n    value: 19.8 million\n    source: bns\n  - metric: population\n    period: 2023-01-01\n    value: 19.5 million\n    source: bns\n  - metric: population\n    period: 2023-01-01\n    value: 19.8 million\n    source: bns\n  - metric: labour force\n    period: 2022\n    value: 9.4 million\n    unit: furlongs\n    source: bns\n  - metric: employed\n    period: sometime\n    value: lots\n    source: bns\n",
    );
    let out = common::numlint()
        .env("COLUMNS", "400")
        .args(["facts", "check", "--color", "never", &bad])
        .output()
        .expect("binary runs");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for expected in [
        "5 problems with the facts",
        "bad.yaml:8: conflicting values for population, 1 January 2023: 19.5 million here, 19.8 million at",
        "bad.yaml:12: population, 1 January 2023 is listed twice (first at",
        "bad.yaml:19: unknown unit `furlongs`",
        "bad.yaml:22: cannot read the period `sometime`",
        "bad.yaml:23: cannot read `lots` as one figure",
        "bad.yaml:19:11]",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    // A check with a broken facts file checks nothing under it and exits 2.
    let out = run(&["check", "--facts", &bad, SEED]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("problems with the facts"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn facts_in_the_config_are_found_relative_to_it_and_csv_works() {
    let dir = Scratch::new("facts-config");
    dir.file(
        "trusted/labour.csv",
        "# Trusted figures (test data in the seed's values)\nmetric,aliases,period,value,source_title,source_url\nlabour force,economically active population,2022,9.4 million,Labour force survey 2022,https://stat.gov.kz/en/\nunemployment rate,,2022,4.9 per cent,Labour force survey 2022,https://stat.gov.kz/en/\n",
    );
    dir.file("numlint.yaml", "facts: [trusted/labour.csv]\n");
    dir.file(
        "drafts/ch1.txt",
        "In 2022, the labour force amounted to 9.9 million people. The unemployment rate was 4.9 per cent in 2022.\n",
    );
    let out = run_in(&dir.0, &["check", "--format", "json", "drafts/ch1.txt"]);
    let found = fact_findings(&out);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0]
            .3
            .contains("source: Labour force survey 2022 <https://stat.gov.kz/en/>")
    );
    let config = run_in(&dir.0, &["config", "drafts/ch1.txt"]);
    assert!(
        stdout(&config).contains("trusted/labour.csv"),
        "{}",
        stdout(&config)
    );
}

#[test]
fn without_facts_the_facts_rules_are_silent() {
    let out = run(&["check", "--format", "json", CHANGED]);
    assert_eq!(fact_findings(&out), []);
    let rules = run(&["rules"]);
    assert!(stdout(&rules).contains("fact-mismatch"));
}

/// A facts file over the size limit is refused by name, not read into memory.
#[test]
fn a_facts_file_over_the_limit_is_refused() {
    let dir = Scratch::new("facts-huge");
    let big = dir.0.join("huge.yaml");
    let file = std::fs::File::create(&big).expect("create");
    // Sparse: no disk is used for the zeros.
    file.set_len(numlint::limits::MAX_FACTS_BYTES + 10)
        .expect("set_len");
    let big = big.display().to_string();
    let out = run(&["check", "--facts", &big, SEED]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("larger than the limit"),
        "{}",
        stderr(&out)
    );
}
