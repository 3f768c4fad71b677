//! Fuzz target: the language server (`numlint::lsp::serve_bytes`) on arbitrary bytes as
//! its standard input: the `Content-Length` framing, JSON-RPC decoding, and every
//! message handler (open, change, save, close, hover, code actions, shutdown, exit).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = numlint::lsp::serve_bytes(data);
});
