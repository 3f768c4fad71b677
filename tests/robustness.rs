//! Robustness: the whole pipeline never panics and keeps every span inside the text, on
//! arbitrary and on number-heavy input; inputs found by fuzzing stay fixed; consistent
//! figures never fail a check; hostile files, rule packs and configurations give a clear
//! error or a normal result in bounded time and memory, and the other files are still
//! checked; numlint never writes a checked file, and writes its own files atomically.
//! The limits involved are in `numlint::limits` and `SECURITY.md`.

mod common;

use std::path::Path;

use common::{Scratch, json, run, run_in, run_with_stdin, stderr, stdout};
use numlint::settings::Settings;
use numlint::{Engine, SourceFile};
use proptest::prelude::*;
use serde_json::json;

fn check_spans(text: String) {
    let engine = Engine::builtin(Settings::default()).expect("rules load");
    let file = SourceFile::from_text("prop", text);
    let len = file.text().len();
    for d in engine.check(&file) {
        assert!(d.span.start <= d.span.end && d.span.end <= len);
        assert!(
            file.text().is_char_boundary(d.span.start) && file.text().is_char_boundary(d.span.end)
        );
        for l in &d.labels {
            assert!(d.span.start <= l.span.start && l.span.end <= d.span.end);
        }
        let _ = file.line_col(d.span.end);
    }
}

/// Words and figures that the share patterns react to, to build dense claim-like text.
const PIECES: &[&str] = &[
    "of",
    "the",
    "whom",
    "which",
    "or",
    "out",
    "including",
    "(",
    ")",
    ",",
    ".",
    "per cent",
    "%",
    "million",
    "786",
    "3,415",
    "21.02",
    "0",
    "-5",
    "100",
    "120",
    "1,019",
    "more than",
    "about",
    "six",
    "one",
    "half",
    "2020–2023",
    "No.",
    "art.",
    "\n\n",
    "CEDAW/C/KAZ/6",
    "é",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        check_spans(text);
    }

    #[test]
    fn claim_like_text_never_panics(idx in proptest::collection::vec(0..PIECES.len(), 0..120)) {
        let text: Vec<&str> = idx.iter().map(|&i| PIECES[i]).collect();
        check_spans(text.join(" "));
    }
}

#[test]
fn a_huge_line_is_checked() {
    let line = "Of the 40 deputies, 8 (20 per cent) are women, ".repeat(20_000);
    let engine = Engine::builtin(Settings::default()).expect("rules load");
    let file = SourceFile::from_text("huge", line);
    assert!(engine.check(&file).is_empty());
}

// ---------------------------------------------------------------------------------------
// Inputs found by fuzzing (fuzz/run.sh): each crashed or broke an invariant once.
// ---------------------------------------------------------------------------------------

/// The figures of `text`, checked for order, overlap and character boundaries.
fn sound_figures(text: &str) -> Vec<numlint::figures::Figure> {
    let figures = numlint::figures::scan(text);
    for w in figures.windows(2) {
        assert!(
            w[0].span().end <= w[1].span().start,
            "{text:?}: figures overlap: {figures:?}"
        );
    }
    for f in &figures {
        assert!(f.span().end <= text.len() && text.is_char_boundary(f.span().start));
        assert!(text.is_char_boundary(f.span().end));
    }
    figures
}

#[test]
fn fuzz_a_currency_code_is_one_figures_unit_or_the_next_ones_prefix_not_both() {
    // fuzz target `figures`: "1 EUR" and "EUR 0" shared the code.
    let text = "1 EUR 0";
    let figures = sound_figures(text);
    let quoted: Vec<&str> = figures
        .iter()
        .map(|f| &text[f.span().start..f.span().end])
        .collect();
    assert_eq!(quoted, ["1 EUR", "0"]);
    // A code between two numbers with room for both still goes to the first.
    let text = "spent 1 EUR 05 and 5 EUR 100 then EUR 5";
    let figures = sound_figures(text);
    assert_eq!(figures.len(), 5);
}

#[test]
fn fuzz_a_comment_closed_by_its_own_opening_dashes_is_no_panic() {
    // fuzz target `check`: in `<!-->` the `-->` overlaps the `<!--`.
    let engine = Engine::builtin(Settings::default()).expect("rules load");
    for text in [
        "<!-->",
        "<!--->",
        "Of the 40 deputies, 8 (25 per cent) are women.\n<!-->\n<!-- numlint-disable -->\n",
    ] {
        let file = SourceFile::from_text("fuzz", text.to_string());
        let _ = engine.check(&file);
    }
    // Comments still work around it.
    let text = "<!-->\n<!-- numlint-disable-next-line share-mismatch -->\nOf the 40 deputies, 8 (25 per cent) are women.\n";
    let file = SourceFile::from_text("fuzz", text.to_string());
    assert!(engine.check(&file).is_empty());
}

// ---------------------------------------------------------------------------------------
// Properties: a consistent truth, rounded as the rules allow, never fails a check; spans
// stay inside any input, on character boundaries.
// ---------------------------------------------------------------------------------------

/// One engine for every case: loading the rules costs more than a check.
fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin(Settings::default()).expect("rules load"))
}

/// `n` with comma thousands separators.
fn commas(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (k, c) in s.chars().enumerate() {
        if k > 0 && (s.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn findings(text: &str) -> Vec<String> {
    let file = SourceFile::from_text("prop", text.to_string());
    engine()
        .check(&file)
        .iter()
        .map(|d| format!("{}: {}", d.rule, d.message))
        .collect()
}

#[test]
fn the_generated_sentences_are_read_as_claims() {
    // The property below means something only if the same sentences, wrong, are flagged.
    assert_eq!(
        findings("There were 3,415 people, including 786 women and 2,600 men.").len(),
        1
    );
    assert_eq!(
        findings("Women were 786 out of 3,415 (21.02 per cent).").len(),
        1
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A whole split into two parts, each written in full: the sum holds.
    #[test]
    fn a_whole_and_its_parts_from_one_truth_never_fail(
        whole in 2u64..5_000_000,
        split in 0.0f64..=1.0,
    ) {
        let women = ((whole as f64) * split).round() as u64;
        let men = whole - women;
        let text = format!(
            "There were {} people, including {} women and {} men.",
            commas(whole),
            commas(women),
            commas(men)
        );
        let found = findings(&text);
        prop_assert!(found.is_empty(), "{text}\n{found:?}");
    }

    /// A part of a whole with its share rounded to nearest at 0 to 2 decimals.
    #[test]
    fn a_share_rounded_to_nearest_never_fails(
        whole in 1u64..5_000_000,
        split in 0.0f64..=1.0,
        decimals in 0usize..=2,
    ) {
        let part = ((whole as f64) * split).round() as u64;
        let pct = part as f64 * 100.0 / whole as f64;
        let text = format!(
            "Women were {} out of {} ({:.*} per cent).",
            commas(part),
            commas(whole),
            decimals,
            pct
        );
        let found = findings(&text);
        prop_assert!(found.is_empty(), "{text}\n{found:?}");
    }

    /// Arbitrary bytes through the same door as a file: either a typed error, or every
    /// finding inside the text on character boundaries.
    #[test]
    fn arbitrary_bytes_give_an_error_or_sound_spans(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
    ) {
        if let Ok(file) = SourceFile::from_bytes("prop", bytes) {
            check_spans(file.text().to_string());
        }
    }

    /// Figures and prose with every kind of line ending, a BOM, combining marks and
    /// characters of two to four bytes between them.
    #[test]
    fn mixed_line_endings_and_wide_characters_keep_spans_sound(
        idx in proptest::collection::vec(0..ODD_PIECES.len(), 0..80),
    ) {
        let text: String = idx.iter().map(|&i| ODD_PIECES[i]).collect();
        check_spans(text);
    }
}

/// Pieces that stress byte offsets: line endings of three kinds, a BOM, multi-byte
/// characters, combining marks, and figures and claim words among them.
const ODD_PIECES: &[&str] = &[
    "\r\n",
    "\n",
    "\r",
    "\u{feff}",
    "é",
    "e\u{301}",
    "€",
    "𝟙",
    "👩‍👩‍👧",
    " ",
    "\u{a0}",
    "786",
    "3,415",
    "21.02",
    " per cent",
    "%",
    " out of ",
    "(",
    ")",
    "Of the ",
    " women",
    ".",
    ", including ",
    " and ",
];

// ---------------------------------------------------------------------------------------
// Hostile input, in the library: each gives a normal result in bounded time and memory.
// ---------------------------------------------------------------------------------------

#[test]
fn a_number_with_a_million_digits_is_read_without_trouble() {
    let digits = "7".repeat(1_000_000);
    let text = format!(
        "Of the {digits} deputies, 5 are women. Of the 40 deputies, 8 (25 per cent) are women."
    );
    let figures = sound_figures(&text);
    assert_eq!(figures[0].span().len(), digits.len());
    // The claims after it are still read.
    let found = findings(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("share-mismatch"), "{found:?}");
    // Grouped: a million digits in thousands groups.
    let grouped = format!("A total of 1{} people.", ",000".repeat(333_333));
    let figures = sound_figures(&grouped);
    assert_eq!(figures.len(), 1);
}

#[test]
fn a_thousand_nested_parentheses_change_nothing() {
    let wrong = "Of the 40 deputies, 8 (25 per cent) are women.";
    let text = format!("{}{wrong}{}", "(".repeat(1000), ")".repeat(1000));
    let found = findings(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    let text = format!("{}{}", "((((1 ".repeat(1000), "))))".repeat(1000));
    check_spans(text);
}

#[test]
fn a_sentence_of_a_hundred_thousand_figures_is_read_in_pieces() {
    // No sentence stop for 100,000 figures: matched in pieces of bounded size.
    let numbers: Vec<String> = (0..100_000).map(|i| (i % 997).to_string()).collect();
    let text = format!("The values were {} and 5", numbers.join(", "));
    check_spans(text);
    let words = "one two three four five six seven eight nine ten ".repeat(20_000);
    check_spans(words);
}

#[test]
fn many_distinct_statements_cost_linear_time() {
    // Each statement is about a different subject: the contradiction check once scanned
    // the rest of the file for each. The pair at the end still contradicts.
    let mut text: String = (0..3000)
        .map(|i| {
            format!(
                "In 2022, mortality from disease{i} fell by {} per cent. ",
                i % 90 + 1
            )
        })
        .collect();
    text.push_str("In 2022, mortality from respiratory diseases decreased by 17 per cent, and mortality from respiratory diseases fell by 39 per cent.");
    let found = findings(&text);
    assert!(
        found.iter().any(|f| f.starts_with("contradiction")),
        "{found:?}"
    );
}

/// `head` followed by a billion laughs: `l0` to `l9` at two spaces of indentation, each
/// a list of ten aliases of the one before (10^9 strings if expanded).
fn billion_laughs(head: &str) -> String {
    let mut yaml = format!("{head}  l0: &a0 [\"lol\"]\n");
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        yaml.push_str(&format!("  l{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
    }
    yaml
}

/// A rule pack of one file over the built-in rules, or its load error.
fn with_pack(yaml: &str) -> Result<numlint::rules::RuleSet, String> {
    let mut rules = numlint::rules::RuleSet::builtin().expect("rules load");
    rules
        .add_pack("pack.yaml", yaml)
        .map(|()| rules)
        .map_err(|e| e.message.clone())
}

#[test]
fn a_pattern_that_backtracks_exponentially_stops_at_the_step_budget() {
    // Forty optional words, each of which the text offers: 2^40 ways to match the
    // prefix in a backtracking matcher, before the slot fails to match.
    let pattern = format!(
        "x {} {{pct:percent}} of the {{whole:amount}}",
        "[a] [a a] ".repeat(20)
    );
    let yaml = format!("family: share\nkey-slots: [pct]\npatterns:\n  - \"{pattern}\"\n");
    let rules = with_pack(&yaml).expect("the pack loads");
    let text = format!("x {} 45 per cent of the total. ", "a ".repeat(60)).repeat(20);
    let file = SourceFile::from_text("pack", text);
    let _ = rules.check(&file, &Settings::default());
    // Choices multiply the same way.
    let pattern = format!("x {} {{pct:percent}}", "<a|a a|a a a> ".repeat(30));
    let yaml = format!("family: share\nkey-slots: [pct]\npatterns:\n  - \"{pattern}\"\n");
    let rules = with_pack(&yaml).expect("the pack loads");
    let file = SourceFile::from_text("pack", format!("x {} y", "a ".repeat(90)));
    let _ = rules.check(&file, &Settings::default());
}

#[test]
fn deep_or_huge_rule_files_are_load_errors() {
    // Groups nested past the limit.
    let deep = format!(
        "{}{{pct:percent}}{}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let yaml = format!("family: share\nkey-slots: [pct]\npatterns:\n  - \"x {deep}\"\n");
    let message = with_pack(&yaml).expect_err("too deep");
    assert!(message.contains("nested too deep"), "{message}");
    // YAML nested past the reader's own limit.
    let yaml = format!(
        "family: share\nparams: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let message = with_pack(&yaml).expect_err("too deep");
    assert!(message.contains("nested more than 128 levels"), "{message}");
    // Billion laughs: nine levels of aliases, each ten times the one before, where the
    // reader takes any YAML (a family's parameters).
    let message = with_pack(&billion_laughs(
        "family: share\nkey-slots: [pct]\nparams:\n",
    ))
    .expect_err("laughs");
    assert!(message.contains("repetition limit"), "{message}");
    // A pack of more than a megabyte.
    let yaml = format!(
        "family: share\nkey-slots: [pct]\n# {}\n",
        "x".repeat(2 << 20)
    );
    let message = with_pack(&yaml).expect_err("huge");
    assert!(message.contains("at most 1048576"), "{message}");
    // Exhaustive pairs that would expand to millions of patterns.
    let pairs: Vec<String> = (0..2000).map(|i| format!("[[w{i}], [m{i}]]")).collect();
    let yaml = format!(
        "family: sum\nkey-slots: [a]\nexhaustive-pairs: [{}]\npatterns:\n{}",
        pairs.join(", "),
        "  - \"{a:count} $a and {b:count} $b\"\n".repeat(50)
    );
    let message = with_pack(&yaml).expect_err("too many");
    assert!(
        message.contains("patterns once the exhaustive pairs"),
        "{message}"
    );
}

// ---------------------------------------------------------------------------------------
// Hostile files through the binary: a clear error or a normal result, and the other
// files in the run are still checked.
// ---------------------------------------------------------------------------------------

/// A wrong share (8 of 40 is 20 per cent): one `share-mismatch`.
const WRONG: &str = "Of the 40 deputies, 8 (25 per cent) are women.";

/// The `(file, rule, line, column)` of each finding in a JSON report.
fn placed(doc: &serde_json::Value) -> Vec<(String, String, u64, u64)> {
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default().to_string(),
                d["rule"].as_str().unwrap_or_default().to_string(),
                d["start"]["line"].as_u64().unwrap_or(0),
                d["start"]["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// The `(file, message)` of each file error in a JSON report.
fn errors(doc: &serde_json::Value) -> Vec<(String, String)> {
    doc["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap_or_default().to_string(),
                e["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn bad_bytes_bom_line_endings_and_a_symlink_loop_in_one_run() {
    let dir = Scratch::new("robust-mixed");
    let mut invalid = format!("{WRONG}\n").into_bytes();
    invalid.extend_from_slice(b"then \xff\xfe in the middle\n");
    invalid.extend_from_slice(WRONG.as_bytes());
    dir.file("a-invalid-utf8.txt", &invalid);
    dir.file("b-nul.txt", format!("{WRONG}\n\0\n{WRONG}\n"));
    dir.file("c-bom.txt", format!("\u{feff}{WRONG}\n"));
    dir.file(
        "d-mixed.txt",
        format!("one\r\n{WRONG}\ntwo\r\n\r\n{WRONG}\r\nend\n"),
    );
    // A directory loop and a link to itself: the walk follows no link.
    std::os::unix::fs::symlink(".", dir.0.join("e-loop")).expect("symlink");
    std::os::unix::fs::symlink("f-self.txt", dir.0.join("f-self.txt")).expect("symlink");
    dir.file("g-good.txt", format!("{WRONG}\n"));
    let self_link = dir.0.join("f-self.txt").display().to_string();
    let out = run_in(&dir.0, &["check", "--format", "json", ".", &self_link]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let doc = json(&out);
    let errors = errors(&doc);
    let named = |name: &str| {
        errors
            .iter()
            .find(|(f, _)| f.ends_with(name))
            .map(|(_, m)| m.as_str())
    };
    let invalid_message = named("a-invalid-utf8.txt").expect("invalid UTF-8 is an error");
    assert!(
        invalid_message.contains("invalid UTF-8 at byte 52 (line 2)"),
        "{invalid_message}"
    );
    let nul_message = named("b-nul.txt").expect("NUL is an error");
    assert!(
        nul_message.contains("binary file (NUL byte at offset 47)"),
        "{nul_message}"
    );
    let loop_message = named("f-self.txt").expect("a link to itself is an error");
    assert!(
        loop_message.to_lowercase().contains("symbolic links"),
        "{loop_message}"
    );
    assert_eq!(errors.len(), 3, "{errors:?}");
    let mut found = placed(&doc);
    found
        .iter_mut()
        .for_each(|f| f.0 = f.0.rsplit('/').next().unwrap_or_default().to_string());
    let column = found.last().map_or(0, |f| f.3);
    let share =
        |file: &str, line, column| (file.to_string(), "share-mismatch".to_string(), line, column);
    // Lines count `\n` (a `\r\n` is one line end); columns count characters, the BOM one.
    assert_eq!(
        found,
        [
            share("c-bom.txt", 1, column + 1),
            share("d-mixed.txt", 2, column),
            share("d-mixed.txt", 5, column),
            share("g-good.txt", 1, column),
        ]
    );
}

#[test]
fn hostile_rule_packs_and_configurations_are_errors_and_the_rest_is_checked() {
    // A rule pack of a billion laughs: the run stops before any file, with the reason.
    let dir = Scratch::new("robust-yaml");
    dir.file(
        "pack/laughs.yaml",
        billion_laughs("family: share\nkey-slots: [pct]\nparams:\n"),
    );
    let good = dir.file("good.txt", format!("{WRONG}\n"));
    let pack = dir.0.join("pack").display().to_string();
    let out = run(&["check", "--rules", &pack, &good]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("repetition limit"),
        "{}",
        stderr(&out)
    );

    // A catastrophic pattern in a pack: a normal result in bounded time.
    let pattern = format!(
        "x {} {{pct:percent}} of the {{whole:amount}}",
        "[a] [a a] ".repeat(20)
    );
    dir.file(
        "slow/slow.yaml",
        format!("family: share\nkey-slots: [pct]\npatterns:\n  - \"{pattern}\"\n"),
    );
    let slow_text = dir.file(
        "slow.txt",
        format!("x {} 45 per cent of the total.\n{WRONG}\n", "a ".repeat(60)),
    );
    let slow = dir.0.join("slow").display().to_string();
    let out = run(&["check", "--format", "json", "--rules", &slow, &slow_text]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(placed(&json(&out)).len(), 1);

    // Broken configurations (deep nesting, aliases, a huge file): the files under each
    // are not checked, the others are.
    let deep = format!("select: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    dir.file("deep/numlint.yaml", deep);
    dir.file("deep/a.txt", format!("{WRONG}\n"));
    dir.file(
        "laughs/numlint.yaml",
        billion_laughs("vocabulary:\n  currencies:\n"),
    );
    dir.file("laughs/a.txt", format!("{WRONG}\n"));
    dir.file("huge/numlint.yaml", format!("# {}\n", "x".repeat(2 << 20)));
    dir.file("huge/a.txt", format!("{WRONG}\n"));
    std::fs::create_dir_all(dir.0.join(".git")).expect(".git");
    let out = run_in(
        &dir.0,
        &[
            "check", "--format", "json", "deep", "laughs", "huge", "good.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let doc = json(&out);
    let errors = errors(&doc);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].1.contains("nested more than 128 levels"),
        "{errors:?}"
    );
    assert!(errors[2].1.contains("at most 1048576"), "{errors:?}");
    assert_eq!(placed(&doc).len(), 1, "good.txt is checked");
}

/// A deflate stream (fixed Huffman codes) that expands to `len` bytes of `0`: one literal
/// and then copies of 258 bytes at distance 1, 13 bits each.
fn deflate_bomb(len: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        /// `count` bits of `value`, least significant first.
        fn put(&mut self, value: u64, count: u32) {
            self.acc |= value << self.n;
            self.n += count;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// A Huffman code: most significant bit first.
        fn code(&mut self, code: u64, count: u32) {
            let reversed = (0..count).fold(0, |r, i| r | ((code >> i) & 1) << (count - 1 - i));
            self.put(reversed, count);
        }
    }
    let mut bits = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    bits.put(1, 1); // last block
    bits.put(1, 2); // fixed Huffman codes
    bits.code(0x30 + u64::from(b'0'), 8); // the literal '0'
    for _ in 0..(len - 1) / 258 {
        bits.code(0xC0 + 5, 8); // length 258 (symbol 285)
        bits.code(0, 5); // distance 1
    }
    bits.code(0, 7); // end of block
    bits.put(0, 7);
    bits.out
}

/// CRC-32 (IEEE), bit by bit: only for small stored entries.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zip archive by hand: each entry's data as given, with the method (0 stored, 8
/// deflated) and the uncompressed size it declares; deflated entries get no checksum,
/// as the reader stops long before it would check one.
fn zip_raw(entries: &[(&str, u16, u32, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, method, size, data) in entries {
        let offset = out.len() as u32;
        // The bomb's checksum does not matter: it is never expanded far enough.
        let crc = if *method == 0 { crc32(data) } else { 0 };
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central {
                h.extend(20u16.to_le_bytes());
            }
            h.extend(20u16.to_le_bytes());
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(method.to_le_bytes());
            h.extend(0u32.to_le_bytes()); // time, date
            h.extend(crc.to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend(size.to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central {
                h.extend([0u8; 6]); // comment, disk, internal attributes
                h.extend(0u32.to_le_bytes()); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend_from_slice(data);
        central.extend(header(0x0201_4b50, true));
    }
    let at = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(at.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// `word/document.xml` with one paragraph of `text`.
fn document_xml(text: &str) -> Vec<u8> {
    format!(r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"#).into_bytes()
}

#[test]
fn a_zip_bomb_and_a_path_traversal_entry_in_docx_files() {
    let dir = Scratch::new("robust-docx");
    // 300 MiB of zeros in about 2 MB, declared honestly, and declared as 1 KiB.
    let size = 300 << 20;
    let bomb = deflate_bomb(size);
    assert!(bomb.len() < 2_000_000, "{} bytes", bomb.len());
    let honest = dir.file(
        "a-bomb.docx",
        zip_raw(&[("word/document.xml", 8, size as u32, &bomb)]),
    );
    let liar = dir.file(
        "b-liar.docx",
        zip_raw(&[("word/document.xml", 8, 1024, &bomb)]),
    );
    // Entries named to escape the directory: never written anywhere, only read past.
    let doc = document_xml(WRONG);
    let escape = format!("../../numlint-evil-{}", std::process::id());
    let traversal = dir.file(
        "c-traversal.docx",
        zip_raw(&[
            (escape.as_str(), 0, 5, b"pwned"),
            ("/tmp/numlint-evil-absolute", 0, 5, b"pwned"),
            ("word/document.xml", 0, doc.len() as u32, &doc),
        ]),
    );
    let good = dir.file("d-good.txt", format!("{WRONG}\n"));
    let out = run(&[
        "check", "--format", "json", &honest, &liar, &traversal, &good,
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let doc = json(&out);
    let errors = errors(&doc);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].1.contains("over the limit of 268435456 bytes"),
        "{errors:?}"
    );
    assert!(!errors[1].1.is_empty());
    let files: Vec<String> = placed(&doc).into_iter().map(|f| f.0).collect();
    assert_eq!(files, [traversal.clone(), good.clone()]);
    assert!(!dir.0.join(&escape).exists() && !Path::new(&escape).exists());
    assert!(!Path::new("/tmp/numlint-evil-absolute").exists());
}

#[test]
fn a_hundred_megabyte_line_is_checked() {
    // One line of 100 MB: prose with a wrong share at its start, middle and end. Peak
    // memory for this case is measured by `cargo run --release --example huge_line`.
    let dir = Scratch::new("robust-line");
    let filler =
        "The committee notes the efforts made by the State party and the progress in the area, ";
    let mut line = String::with_capacity(100 << 20);
    line.push_str(WRONG);
    line.push(' ');
    while line.len() < 50 << 20 {
        line.push_str(filler);
    }
    let middle = line.chars().count();
    line.push_str(WRONG);
    line.push(' ');
    while line.len() < (100 << 20) - WRONG.len() {
        line.push_str(filler);
    }
    let end = line.chars().count();
    line.push_str(WRONG);
    let path = dir.file("line.txt", &line);
    drop(line);
    let out = run(&["check", "--format", "json", &path]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let columns: Vec<u64> = placed(&json(&out)).iter().map(|f| f.3).collect();
    // Each finding starts at the same place in its sentence, far along the one line.
    assert_eq!(columns.len(), 3, "{columns:?}");
    let first = columns[0];
    assert_eq!(columns, [first, middle as u64 + first, end as u64 + first]);
}

#[test]
fn a_finding_on_a_very_long_line_shows_a_short_snippet() {
    let dir = Scratch::new("robust-snippet");
    let line = format!(
        "{}{WRONG}{}",
        "word ".repeat(400_000),
        " word".repeat(400_000)
    );
    let path = dir.file("long.txt", &line);
    let out = run(&["check", &path]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.len() < 8_000, "{} bytes of output", text.len());
    assert!(text.contains("part: 8"), "{text}");
    // The header still names the true column, two million characters in.
    let column: u64 = text
        .split("long.txt:1:")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    assert!((2_000_001..2_000_050).contains(&column), "{text}");
}

// ---------------------------------------------------------------------------------------
// Nothing lost, nothing written.
// ---------------------------------------------------------------------------------------

/// Every file under `dir` (links not followed) with its bytes and modification time.
fn tree(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("list") {
            let path = entry.expect("entry").path();
            let meta = std::fs::symlink_metadata(&path).expect("metadata");
            if meta.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                out.push((path, bytes, meta.modified().expect("mtime")));
            }
        }
    }
    out.sort();
    out
}

/// `messages` framed as a client writes them to the server's stdin.
fn framed(messages: &[serde_json::Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in messages {
        let body = m.to_string();
        out.extend(format!("Content-Length: {}\r\n\r\n{body}", body.len()).bytes());
    }
    out
}

#[test]
fn checks_baselines_and_editor_sessions_never_touch_the_checked_files() {
    let dir = Scratch::new("robust-untouched");
    let drafts = dir.0.join("drafts");
    let a = dir.file("drafts/a.txt", format!("{WRONG}\n"));
    dir.file("drafts/b.md", format!("# Title\n\n{WRONG}\n"));
    let docx = std::fs::read("tests/fixtures/formats/report.docx").expect("fixture");
    dir.file("drafts/c.docx", docx);
    dir.file("drafts/numlint.yaml", "rounding: either\n");
    std::fs::create_dir_all(dir.0.join("out")).expect("out dir");
    let baseline = dir.0.join("out/baseline.json").display().to_string();
    let drafts_arg = drafts.display().to_string();
    let before = tree(&drafts);

    let out = run(&["check", "--format", "json", &drafts_arg]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = run(&["check", "--write-baseline", &baseline, &drafts_arg]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run(&["check", "--baseline", &baseline, &drafts_arg]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // An editor opens, edits and saves a.txt: the server never writes it back.
    let uri = format!("file://{a}");
    let session = framed(&[
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
        json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": format!("{WRONG}\n")}}}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "Changed in the editor only.\n"}]}}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction", "params": {"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 5}}, "context": {"diagnostics": []}}}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didSave", "params": {"textDocument": {"uri": uri}, "text": "Saved text.\n"}}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}}),
        json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}),
        json!({"jsonrpc": "2.0", "method": "exit"}),
    ]);
    let out = run_with_stdin(&["lsp"], &session);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    assert_eq!(
        tree(&drafts),
        before,
        "a checked file was modified, added or removed"
    );
    // The baseline is the only file written, and no temporary file is left beside it.
    let written: Vec<_> = tree(&dir.0.join("out")).into_iter().map(|f| f.0).collect();
    assert_eq!(written, [Path::new(&baseline).to_path_buf()]);
}

#[test]
fn a_failed_baseline_write_leaves_the_old_baseline_intact() {
    let dir = Scratch::new("robust-baseline");
    let draft = dir.file("a.txt", format!("{WRONG}\n"));
    // A path whose parent is a file.
    dir.file("plain", "not a directory\n");
    let under_file = dir.0.join("plain/baseline.json").display().to_string();
    let out = run(&["check", "--write-baseline", &under_file, &draft]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot write the baseline"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(dir.0.join("plain")).ok().as_deref(),
        Some("not a directory\n")
    );

    // A directory the user may not write to: the old baseline stays as it was.
    std::fs::create_dir_all(dir.0.join("locked")).expect("mkdir");
    let old = "{\"version\": 1, \"findings\": []}\n";
    let baseline = dir.file("locked/baseline.json", old);
    let locked_before = tree(&dir.0.join("locked"));
    set_mode(&dir.0.join("locked"), 0o555);
    let probe = dir.0.join("locked/.probe");
    let out = if std::fs::write(&probe, "").is_err() {
        run(&["check", "--write-baseline", &baseline, &draft])
    } else if Path::new("/usr/bin/setpriv").exists() {
        let _ = std::fs::remove_file(&probe);
        std::process::Command::new("/usr/bin/setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_numlint"))
            .args(["check", "--write-baseline", &baseline, &draft])
            .output()
            .expect("setpriv runs")
    } else {
        let _ = std::fs::remove_file(&probe);
        set_mode(&dir.0.join("locked"), 0o755);
        eprintln!("skipped: permissions are not enforced for this user and no setpriv");
        return;
    };
    set_mode(&dir.0.join("locked"), 0o755);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot write the baseline"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&dir.0.join("locked")), locked_before);
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

// ---------------------------------------------------------------------------------------
// The limits are documented where users look for them.
// ---------------------------------------------------------------------------------------

#[test]
fn security_md_states_every_limit_with_its_value() {
    use numlint::limits::*;
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/SECURITY.md"))
        .expect("SECURITY.md");
    let limits: [(&str, u64); 14] = [
        ("MAX_INPUT_BYTES", MAX_INPUT_BYTES),
        ("MAX_EXPANDED_BYTES", MAX_EXPANDED_BYTES),
        ("MAX_SENTENCE_TOKENS", MAX_SENTENCE_TOKENS as u64),
        ("MAX_MATCH_STEPS", u64::from(MAX_MATCH_STEPS)),
        ("MAX_GAP", MAX_GAP as u64),
        ("MAX_REPEAT", MAX_REPEAT as u64),
        ("MAX_PATTERN_DEPTH", MAX_PATTERN_DEPTH as u64),
        ("MAX_PATTERNS_PER_FILE", MAX_PATTERNS_PER_FILE as u64),
        ("MAX_YAML_BYTES", MAX_YAML_BYTES),
        ("MAX_FACTS_BYTES", MAX_FACTS_BYTES),
        ("MAX_YAML_DEPTH", MAX_YAML_DEPTH as u64),
        ("MAX_MESSAGE_BYTES", MAX_MESSAGE_BYTES),
        ("MAX_SNIPPET_LINE_BYTES", MAX_SNIPPET_LINE_BYTES as u64),
        ("SNIPPET_MARGIN", SNIPPET_MARGIN as u64),
    ];
    for (name, value) in limits {
        let line = doc
            .lines()
            .find(|l| l.contains(&format!("`{name}`")))
            .unwrap_or_else(|| panic!("SECURITY.md does not name `{name}`"));
        let digits: String = line.chars().filter(char::is_ascii_digit).collect();
        assert!(
            digits.contains(&value.to_string()),
            "SECURITY.md gives `{name}` a value other than {value}: {line}"
        );
    }
}

#[test]
fn figures_far_apart_on_one_long_line_render_without_panicking() {
    // The same metric given twice, a megabyte apart on one line of tabs and words: the
    // snippet renderer cannot draw a mark that far along a line, so only the start of
    // the finding is shown.
    let dir = Scratch::new("robust-far");
    let first =
        "In all, 942 criminal offences in the family and domestic sphere were registered in 2022. ";
    let second = "Elsewhere 958 criminal offences in the family and domestic sphere were registered in 2022. ";
    let line = format!("{first}{}{second}\n", "\tword".repeat(200_000));
    let path = dir.file("far.txt", &line);
    let out = run(&["check", &path]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("cross-passage"), "{text}");
    assert!(text.len() < 8_000, "{} bytes of output", text.len());
}
