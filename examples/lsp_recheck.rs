//! Re-check latency of `numlint lsp`: one incremental edit to the seed, then what the
//! server does before publishing (apply the change, check, convert to LSP diagnostics in
//! UTF-16). Prints the median and 95th percentile over 200 edits.
//!
//! `cargo run --release --example lsp_recheck`

use std::time::Instant;

use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Uri};
use numlint::Engine;
use numlint::config::Config;
use numlint::lsp::document::Document;
use numlint::lsp::features::{check_text, to_lsp};
use numlint::lsp::position::{Encoding, LineIndex};
use numlint::settings::Settings;

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/000_26c4ac59d5b61832.txt"
    );
    let text = std::fs::read_to_string(path).expect("seed");
    let engine = Engine::builtin(Settings::default()).expect("rules load");
    let config = Config::default();
    let uri: Uri = format!("file://{path}").parse().expect("uri");
    let mut doc = Document::new(uri.clone(), "plaintext".into(), 1, text);

    // The seed's "21.02 per cent": flip its second digit back and forth.
    let at = doc.text.find("21.02 per cent").expect("figure in seed") + 1;
    let pos = LineIndex::new(&doc.text).position(&doc.text, at, Encoding::Utf16);
    let range = Range::new(pos, Position::new(pos.line, pos.character + 1));

    let mut times = Vec::new();
    let mut findings = 0;
    for i in 0..std::env::var("N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200)
    {
        let digit = if i % 2 == 0 { "3" } else { "1" };
        let start = Instant::now();
        doc.apply(
            i + 2,
            vec![TextDocumentContentChangeEvent {
                range: Some(range),
                range_length: None,
                text: digit.into(),
            }],
            Encoding::Utf16,
        );
        let diags = check_text(&engine, &config, path, &doc.text);
        let index = LineIndex::new(&doc.text);
        let lsp = to_lsp(&uri, &doc.text, &index, &diags, Encoding::Utf16);
        times.push(start.elapsed());
        findings = findings.max(lsp.len());
    }
    times.sort();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!(
        "re-check after one edit, seed ({} KB, up to {findings} findings): median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        doc.text.len() / 1000,
        ms(times[times.len() / 2]),
        ms(times[times.len() * 95 / 100]),
        ms(times[times.len() - 1]),
    );
}
