//! The whole pipeline never panics and keeps every span inside the text, on arbitrary and
//! on number-heavy input.

use numlint::settings::Settings;
use numlint::{Engine, SourceFile};
use proptest::prelude::*;

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
