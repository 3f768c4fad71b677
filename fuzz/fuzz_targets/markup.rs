//! Fuzz target: the Markdown and HTML readers (`numlint::formats::load` with
//! `Format::Markdown` and `Format::Html`), then the whole pipeline on what each read.
//! The same bytes go through both readers: Markdown may hold raw HTML and HTML may hold
//! Markdown-looking text, so one corpus serves both.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use numlint::Engine;
use numlint::formats::{Format, load};
use numlint::settings::Settings;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin(Settings::default()).expect("the built-in rules load"))
}

fuzz_target!(|data: &[u8]| {
    for format in [Format::Markdown, Format::Html] {
        if let Ok(file) = load("fuzz", data.to_vec(), format) {
            // The readers' promises: the checked text and the scan text have one length,
            // and every layout span lies in the text on character boundaries.
            assert_eq!(file.text().len(), file.scan_text().len());
            for block in &file.layout().blocks {
                let span = block.span;
                assert!(span.start <= span.end && span.end <= file.text().len());
                assert!(file.text().is_char_boundary(span.start));
                assert!(file.text().is_char_boundary(span.end));
            }
            let _ = engine().check(&file);
        }
    }
});
