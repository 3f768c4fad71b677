//! Fuzz target: the whole pipeline on a text file (`Engine::check` on
//! `SourceFile::from_bytes`), under three settings chosen by the input's length. Every
//! finding must lie inside the text, on character boundaries, with its labels inside it,
//! and must render as a human report and as JSON.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use numlint::figures::{NumberFormat, Rounding};
use numlint::report::{HumanOptions, HumanReporter, JsonReporter, Reporter};
use numlint::settings::Settings;
use numlint::{Engine, SourceFile};

fn engines() -> &'static [Engine; 3] {
    static ENGINES: OnceLock<[Engine; 3]> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let with = |rounding, number_format| {
            let settings = Settings {
                rounding,
                number_format,
                ..Settings::default()
            };
            Engine::builtin(settings).expect("the built-in rules load")
        };
        [
            with(Rounding::Nearest, NumberFormat::DecimalPoint),
            with(Rounding::Either, NumberFormat::DecimalPoint),
            with(Rounding::Truncate, NumberFormat::DecimalComma),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(file) = SourceFile::from_bytes("fuzz.txt", data.to_vec()) else {
        return;
    };
    let engine = &engines()[data.len() % 3];
    let text = file.text();
    let diagnostics = engine.check(&file);
    for d in &diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= text.len());
        assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
        for l in &d.labels {
            assert!(l.span.start <= l.span.end && l.span.end <= text.len());
            assert!(text.is_char_boundary(l.span.start) && text.is_char_boundary(l.span.end));
        }
        let _ = file.line_col(d.span.start);
        let _ = file.line_col(d.span.end);
    }
    let mut human = HumanReporter::new(Vec::new(), Vec::new(), HumanOptions::default());
    human.file(&file, &diagnostics).expect("write to memory");
    human.finish().expect("write to memory");
    let mut json = JsonReporter::new(Vec::new());
    json.file(&file, &diagnostics).expect("write to memory");
    json.finish().expect("write to memory");
});
