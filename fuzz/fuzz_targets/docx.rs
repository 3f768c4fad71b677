//! Fuzz target: the .docx reader (`numlint::formats::load` with `Format::Docx`), then the
//! whole pipeline on what it read. Input that starts like a zip archive (`PK`) is read as
//! the file itself; anything else is packed as `word/document.xml` (and, after a NUL
//! byte, `word/footnotes.xml`) into a fresh archive, so the XML reader is fuzzed past the
//! archive's checksums.
#![no_main]

use std::io::{Cursor, Write};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use numlint::Engine;
use numlint::formats::{Format, load};
use numlint::settings::Settings;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin(Settings::default()).expect("the built-in rules load"))
}

/// A stored (uncompressed) archive holding the given parts.
fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in parts {
        zip.start_file(*name, options).expect("write to memory");
        zip.write_all(bytes).expect("write to memory");
    }
    zip.finish().expect("write to memory").into_inner()
}

fuzz_target!(|data: &[u8]| {
    let bytes = if data.starts_with(b"PK") {
        data.to_vec()
    } else {
        match data.iter().position(|&b| b == 0) {
            Some(nul) => package(&[
                ("word/document.xml", &data[..nul]),
                ("word/footnotes.xml", &data[nul + 1..]),
            ]),
            None => package(&[("word/document.xml", data)]),
        }
    };
    let Ok(file) = load("fuzz.docx", bytes, Format::Docx) else {
        return;
    };
    let text = file.text();
    assert_eq!(file.scan_text().len(), text.len());
    let layout = file.layout();
    for w in layout.blocks.windows(2) {
        assert!(w[0].span.start <= w[1].span.start, "blocks out of order");
    }
    for block in &layout.blocks {
        assert!(block.span.start <= block.span.end && block.span.end <= text.len());
    }
    for cell in layout.tables.iter().flat_map(|t| t.rows.iter().flatten()) {
        assert!(cell.start <= cell.end && cell.end <= text.len());
    }
    for d in engine().check(&file) {
        assert!(d.span.start <= d.span.end && d.span.end <= text.len());
        assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
        let _ = file.layout().location_at(d.span.start);
    }
});
