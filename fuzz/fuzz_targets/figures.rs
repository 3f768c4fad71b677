//! Fuzz target: the figure scanner (`numlint::figures::scan_with`) on arbitrary text, in
//! both number styles. Every figure must lie inside the text, on character boundaries,
//! after the one before it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use numlint::figures::{NumberFormat, scan_with};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for format in [NumberFormat::DecimalPoint, NumberFormat::DecimalComma] {
        let mut end = 0;
        for f in scan_with(&text, format) {
            assert!(end <= f.span().start, "figures overlap or are out of order");
            assert!(f.span().start < f.span().end && f.span().end <= text.len());
            assert!(text.is_char_boundary(f.span().start) && text.is_char_boundary(f.span().end));
            assert!(f.span().start <= f.number.start() && f.number.end() <= f.span().end);
            assert!(text.is_char_boundary(f.number.start()) && text.is_char_boundary(f.number.end()));
            end = f.span().end;
        }
    }
});
