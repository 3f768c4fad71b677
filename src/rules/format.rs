//! Number formatting for messages and help lines: thousands separators, trimmed decimals.

/// Decimal places implied by a resolution (0.01 -> 2, 1 -> 0, 100_000 -> 0).
pub fn decimals_of(resolution: f64) -> usize {
    if resolution <= 0.0 || resolution >= 1.0 || !resolution.is_finite() {
        0
    } else {
        (-resolution.log10()).round().clamp(0.0, 12.0) as usize
    }
}

/// `v` rounded to `decimals` places, with comma thousands separators: 3415 -> "3,415".
pub fn fmt_fixed(v: f64, decimals: usize) -> String {
    let mut out = String::new();
    fmt_fixed_into(&mut out, v, decimals);
    out
}

/// [`fmt_fixed`] appended to `out`: a number quoted in a message goes straight into it,
/// without a string of its own to allocate, copy and free.
pub fn fmt_fixed_into(out: &mut String, v: f64, decimals: usize) {
    // Whole numbers (most counts in a message) skip the float formatting machinery, which
    // costs thousands of instructions per call in its exact mode.
    if let Some(whole) = small_whole(v) {
        let negative = v < 0.0 && whole != 0;
        if decimals <= MAX_FAST_DECIMALS {
            return write_number(out, whole, negative, 0, decimals, false);
        }
        write_number(out, whole, negative, 0, 0, false);
        out.push('.');
        out.extend(std::iter::repeat_n('0', decimals));
        return;
    }
    // So do most other values (shares, rates): see `scaled_round`.
    if let Some((scaled, unit)) = scaled_round(v, decimals) {
        let negative = v < 0.0 && scaled != 0;
        return write_number(out, scaled / unit, negative, scaled % unit, decimals, false);
    }
    out.push_str(&fmt_fixed_exact(v, decimals));
}

/// Append `int` with comma thousands separators, after a `-` when `negative`, then, when
/// `decimals` (at most [`MAX_FAST_DECIMALS`]) is not zero, a point and the last
/// `decimals` digits of `frac` (leading zeros included; when `trim`, trailing zeros left
/// out, and the point with them when no digit is left).
///
/// Written backwards into a buffer on the stack and appended in one copy: pushed a
/// character at a time, with a test for a separator at each digit, a number cost two
/// hundred instructions.
fn write_number(
    out: &mut String,
    int: u64,
    negative: bool,
    frac: u64,
    decimals: usize,
    trim: bool,
) {
    // 20 digits and 6 separators of a `u64`, a sign, a point and the fraction's digits.
    let mut buf = [0u8; 28 + MAX_FAST_DECIMALS];
    let mut at = buf.len();
    let (mut frac, mut places) = (frac, decimals.min(MAX_FAST_DECIMALS));
    if trim {
        while places > 0 && frac % 10 == 0 {
            frac /= 10;
            places -= 1;
        }
    }
    if places > 0 {
        for _ in 0..places {
            at -= 1;
            // `frac % 10` is below 10: the cast keeps every value.
            buf[at] = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        at -= 1;
        buf[at] = b'.';
    }
    let mut rest = int;
    let mut written = 0;
    loop {
        if written == 3 {
            at -= 1;
            buf[at] = b',';
            written = 0;
        }
        at -= 1;
        // `rest % 10` is below 10: the cast keeps every value.
        buf[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        written += 1;
        if rest == 0 {
            break;
        }
    }
    if negative {
        at -= 1;
        buf[at] = b'-';
    }
    // ASCII digits and marks only: always UTF-8.
    out.push_str(std::str::from_utf8(&buf[at..]).unwrap_or_default());
}

/// `fmt_fixed` through the exact float formatting: the reference, and the way for values
/// that `scaled_round` cannot round with certainty.
fn fmt_fixed_exact(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return if v > 0.0 {
            "infinity".into()
        } else {
            "-infinity".into()
        };
    }
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(a, b)| (a, Some(b)));
    let negative = v < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    let mut out = String::new();
    group_digits_into(
        &mut out,
        int.as_bytes(),
        negative,
        frac.map_or(0, |f| f.len() + 1),
    );
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// The most decimal places [`scaled_round`] (and so [`write_number`]) writes.
const MAX_FAST_DECIMALS: usize = 9;

/// Append `n` in plain decimal digits, as `{}` formats it: "12", "1000".
pub fn push_decimal(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut rest = n;
    loop {
        at -= 1;
        // `rest % 10` is below 10: the cast keeps every value.
        buf[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    // ASCII digits only: always UTF-8.
    out.push_str(std::str::from_utf8(&buf[at..]).unwrap_or_default());
}

/// `|v|` times `10^decimals` rounded to a whole number, with `10^decimals`, when the
/// rounding is certain: the product is below 2^40, so it is within 2^-13 of the exact
/// one (`10^decimals` is exact, the product rounds once), and its fraction is not
/// within 2^-10 of one half, so the exact product rounds the same way. Otherwise `None`
/// (and near ties, whose rounding the exact formatting decides).
fn scaled_round(v: f64, decimals: usize) -> Option<(u64, u64)> {
    const POWERS: [u64; 10] = [
        1,
        10,
        100,
        1_000,
        10_000,
        100_000,
        1_000_000,
        10_000_000,
        100_000_000,
        1_000_000_000,
    ];
    let unit = *POWERS.get(decimals)?;
    const _: () = assert!(POWERS.len() == MAX_FAST_DECIMALS + 1);
    // `unit` is at most 10^9, which `f64` holds exactly.
    let product = v.abs() * unit as f64;
    // NaN and infinities are left to the exact formatting.
    if product.is_nan() || product >= (1u64 << 40) as f64 {
        return None;
    }
    let floor = product.floor();
    if (product - floor - 0.5).abs() < 1.0 / 1024.0 {
        return None;
    }
    // Below 2^40 and not negative: the cast keeps the value.
    Some((product.round() as u64, unit))
}

/// The magnitude of `v` when it is a whole number that `u64` and `f64` both hold exactly.
fn small_whole(v: f64) -> Option<u64> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    let a = v.abs();
    (a < EXACT && a.fract() == 0.0).then_some(a as u64)
}

/// The ASCII decimal `digits` with comma thousands separators, after a `-` when
/// `negative`, appended to `out` with room for `more` bytes after them (a fraction
/// appended by the caller grew the string, a second allocation, when the room was not
/// there).
fn group_digits_into(out: &mut String, digits: &[u8], negative: bool, more: usize) {
    out.reserve(digits.len() + digits.len() / 3 + 1 + more);
    if negative {
        out.push('-');
    }
    for (i, &d) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(char::from(d));
    }
}

/// `v` with up to `max_decimals` places, trailing zeros trimmed: 23.0160 -> "23.016".
pub fn fmt_trim(v: f64, max_decimals: usize) -> String {
    let mut out = String::new();
    fmt_trim_into(&mut out, v, max_decimals);
    out
}

/// [`fmt_trim`] appended to `out`.
pub fn fmt_trim_into(out: &mut String, v: f64, max_decimals: usize) {
    if let Some(whole) = small_whole(v) {
        return write_number(out, whole, v < 0.0 && whole != 0, 0, 0, false);
    }
    if let Some((scaled, unit)) = scaled_round(v, max_decimals) {
        let negative = v < 0.0 && scaled != 0;
        return write_number(
            out,
            scaled / unit,
            negative,
            scaled % unit,
            max_decimals,
            true,
        );
    }
    let start = out.len();
    out.push_str(&fmt_fixed_exact(v, max_decimals));
    let written = &out[start..];
    if written.contains('.') {
        let kept = written.trim_end_matches('0').trim_end_matches('.').len();
        out.truncate(start + kept);
    }
}

/// An interval bound of a figure in the figure's own scale: a bound of "10.1 million"
/// prints as "10.05 million", not "10,050,000".
pub fn fmt_in_scale(v: f64, resolution: f64) -> String {
    let mut out = String::new();
    fmt_in_scale_into(&mut out, v, resolution);
    out
}

/// [`fmt_in_scale`] appended to `out`.
pub fn fmt_in_scale_into(out: &mut String, v: f64, resolution: f64) {
    const SCALES: [(f64, &str); 4] = [
        (1e12, "trillion"),
        (1e9, "billion"),
        (1e6, "million"),
        (1e3, "thousand"),
    ];
    for (scale, word) in SCALES {
        if resolution >= scale / 1000.0 && resolution < scale * 1000.0 && v.abs() >= scale {
            let places = decimals_of(resolution / scale) + 1;
            fmt_trim_into(out, v / scale, places);
            out.push(' ');
            out.push_str(word);
            return;
        }
    }
    fmt_trim_into(out, v, decimals_of(resolution) + 1)
}

/// Collapse runs of whitespace (line breaks in PDF text) to one space.
pub fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    squash_into(&mut out, s);
    out
}

/// Append `s` to `out` with its runs of whitespace collapsed to one space, as [`squash`].
pub fn squash_into(out: &mut String, s: &str) {
    // Most quotes (a figure as written) are ASCII with single spaces between words, and
    // go in with one copy.
    if is_squashed_ascii(s.as_bytes()) {
        out.push_str(s);
        return;
    }
    let mut first = true;
    for word in s.split_whitespace() {
        if !first {
            out.push(' ');
        }
        first = false;
        out.push_str(word);
    }
}

/// `s` with its runs of whitespace collapsed, as [`squash`], but handed back as it is
/// (no copy: a borrowed `s` stays borrowed) when there is nothing to collapse, as for
/// nearly every figure quoted in a message.
pub fn squashed(s: std::borrow::Cow<'_, str>) -> std::borrow::Cow<'_, str> {
    if is_squashed_ascii(s.as_bytes()) {
        s
    } else {
        std::borrow::Cow::Owned(squash(&s))
    }
}

/// Whether ASCII `bytes` are already squashed: no whitespace but single spaces between
/// other bytes. False for any non-ASCII byte (which may be whitespace).
fn is_squashed_ascii(bytes: &[u8]) -> bool {
    let mut after_space = true;
    for &b in bytes {
        if !b.is_ascii() || (b.is_ascii_whitespace() || b == 0x0b) && (b != b' ' || after_space) {
            return false;
        }
        after_space = b == b' ';
    }
    !after_space || bytes.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The fast paths format as the exact float formatting does, near ties, at
        /// powers of ten and far from them.
        #[test]
        fn fixed_formatting_matches_the_exact_one(
            n in -2_000_000_000i64..2_000_000_000,
            shift in 0u32..10,
            nudge in proptest::sample::select(vec![0.0, 0.5, -0.5, 0.4999, 0.5001, 1e-9]),
            any in proptest::num::f64::ANY,
            decimals in 0usize..12,
        ) {
            let v = (n as f64 + nudge) / 10f64.powi(shift as i32);
            proptest::prop_assert_eq!(fmt_fixed(v, decimals), fmt_fixed_exact(v, decimals), "{}", v);
            proptest::prop_assert_eq!(fmt_fixed(any, decimals), fmt_fixed_exact(any, decimals), "{}", any);
        }
    }

    proptest::proptest! {
        /// The one-copy path squashes as splitting on whitespace does.
        #[test]
        fn squash_joins_the_words(s in "[a1 \t\n\r\u{b}\u{c}\u{a0}\u{2009}é.]{0,16}") {
            let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(squash(&s), want.clone());
            let mut out = "x".to_owned();
            squash_into(&mut out, &s);
            proptest::prop_assert_eq!(out, format!("x{want}"));
        }
    }

    #[test]
    fn formats() {
        assert_eq!(fmt_fixed(3415.0, 0), "3,415");
        assert_eq!(fmt_fixed(23.0161, 2), "23.02");
        assert_eq!(fmt_fixed(1_234_567.891, 1), "1,234,567.9");
        assert_eq!(fmt_fixed(-0.001, 2), "0.00");
        assert_eq!(fmt_trim(23.016, 4), "23.016");
        assert_eq!(fmt_trim(50.0, 3), "50");
        assert_eq!(decimals_of(0.01), 2);
        assert_eq!(decimals_of(100_000.0), 0);
        assert_eq!(fmt_in_scale(10_050_000.0, 100_000.0), "10.05 million");
        assert_eq!(fmt_in_scale(8_500_000.0, 1_000_000.0), "8.5 million");
        assert_eq!(fmt_in_scale(245.5, 1.0), "245.5");
        assert_eq!(squash("21.02 per \\n\\n cent"), "21.02 per \\n\\n cent");
        assert_eq!(squash("21.02 per \n\n cent"), "21.02 per cent");
        assert_eq!(squash("  a \t b  "), "a b");
        let borrowed = squashed(std::borrow::Cow::Borrowed("21.02 per cent"));
        assert!(matches!(
            borrowed,
            std::borrow::Cow::Borrowed("21.02 per cent")
        ));
        assert_eq!(squashed("21.02 per \n\n cent".into()), "21.02 per cent");
    }

    #[test]
    fn whole_numbers_format_as_float_formatting_does() {
        for v in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            999.0,
            1000.0,
            -1000.0,
            3415.0,
            123_456_789.0,
            9_007_199_254_740_991.0,
            9_007_199_254_740_992.0,
            1e20,
            -1e20,
        ] {
            for d in [0, 1, 2, 6] {
                assert_eq!(fmt_fixed(v, d), fmt_fixed_exact(v, d), "{v} {d}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn fixed_formatting_matches_the_float_formatter(n in -10_000_000_000i64..10_000_000_000, scale in 0u32..4, d in 0usize..8) {
            let v = n as f64 / 10f64.powi(scale as i32);
            let old = fmt_fixed_exact(v, d);
            proptest::prop_assert_eq!(fmt_fixed(v, d), old.clone());
            let trimmed = if old.contains('.') {
                old.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                old
            };
            proptest::prop_assert_eq!(fmt_trim(v, d), trimmed.clone());
            // Appended to a message under way, the same text follows what was there.
            let mut message = "is ".to_owned();
            fmt_fixed_into(&mut message, v, d);
            message.push_str(" or ");
            fmt_trim_into(&mut message, v, d);
            proptest::prop_assert_eq!(message, format!("is {} or {trimmed}", fmt_fixed_exact(v, d)));
        }

        /// Plain decimals read as `{}` formats them.
        #[test]
        fn plain_decimals_append_as_formatted(n in proptest::prelude::any::<u64>()) {
            let mut message = "part ".to_owned();
            push_decimal(&mut message, n);
            proptest::prop_assert_eq!(message, format!("part {n}"));
            let mut small = String::new();
            push_decimal(&mut small, n % 1000);
            proptest::prop_assert_eq!(small, (n % 1000).to_string());
        }

        /// A bound in its scale, appended to a message, reads as the whole number
        /// formatted first and then scaled by hand.
        #[test]
        fn scaled_bounds_append_as_formatted(n in 0i64..10_000_000_000_000, digits in 0u32..14) {
            let v = n as f64 / 1000.0;
            let resolution = 10f64.powi(digits as i32 - 2);
            let mut message = "to ".to_owned();
            fmt_in_scale_into(&mut message, v, resolution);
            let scales = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand")];
            let want = scales
                .iter()
                .find(|&&(scale, _)| resolution >= scale / 1000.0 && resolution < scale * 1000.0 && v.abs() >= scale)
                .map_or_else(
                    || fmt_trim(v, decimals_of(resolution) + 1),
                    |&(scale, word)| format!("{} {word}", fmt_trim(v / scale, decimals_of(resolution / scale) + 1)),
                );
            proptest::prop_assert_eq!(message, format!("to {want}"));
        }
    }

    /// The one figure the scanner reads in `written`, set in a sentence, with the part of
    /// `written` that is its number; `None` unless it reads exactly one figure there.
    fn read_back(written: &str) -> Option<(crate::figures::Figure, String)> {
        let text = format!("The value was {written} in all.");
        let figures = crate::figures::scan(&text);
        let [f] = figures.as_slice() else {
            return None;
        };
        let number = text[f.number.start()..f.number.end()].to_string();
        Some((f.clone(), number))
    }

    /// Decimal places written in a number.
    fn places(number: &str) -> i32 {
        number.split_once('.').map_or(0, |(_, f)| f.len() as i32)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1e-300)
    }

    proptest::proptest! {
        /// Every number `fmt_fixed` writes reads back as one figure of the same value, to
        /// the same last digit.
        #[test]
        fn fixed_numbers_read_back_with_their_value_and_precision(
            v in -1e12f64..1e12,
            decimals in 0usize..=6,
        ) {
            let written = fmt_fixed(v, decimals);
            let (f, number) = read_back(&written)
                .ok_or_else(|| proptest::test_runner::TestCaseError::fail(format!("{written:?} read as no single figure")))?;
            let expected: f64 = written.replace(',', "").parse().expect("a number");
            proptest::prop_assert_eq!(f.value, expected, "{}", written);
            proptest::prop_assert!(close(f.resolution(), 10f64.powi(-(decimals as i32))), "{} resolution {}", written, f.resolution());
            proptest::prop_assert_eq!(number.trim_start_matches('-'), written.trim_start_matches('-'));
        }

        /// `fmt_trim` drops trailing zeros: the figure keeps the value, with the
        /// precision of the digits left.
        #[test]
        fn trimmed_numbers_read_back_with_their_value_and_written_precision(
            v in -1e9f64..1e9,
            decimals in 0usize..=6,
        ) {
            let written = fmt_trim(v, decimals);
            let (f, _) = read_back(&written)
                .ok_or_else(|| proptest::test_runner::TestCaseError::fail(format!("{written:?} read as no single figure")))?;
            let expected: f64 = written.replace(',', "").parse().expect("a number");
            proptest::prop_assert_eq!(f.value, expected, "{}", written);
            proptest::prop_assert!(close(f.resolution(), 10f64.powi(-places(&written))), "{}", written);
        }

        /// Bounds in a figure's own scale ("10.05 million") read back as that value, to
        /// the digit written in that scale.
        #[test]
        fn scaled_numbers_read_back_with_their_value_and_precision(
            mantissa in 1.0f64..999.0,
            scale in 0usize..4,
            step in -3i32..=1,
        ) {
            let power = [3, 6, 9, 12][scale];
            let v = mantissa * 10f64.powi(power);
            let resolution = 10f64.powi(power + step);
            let written = fmt_in_scale(v, resolution);
            let (f, number) = read_back(&written)
                .ok_or_else(|| proptest::test_runner::TestCaseError::fail(format!("{written:?} read as no single figure")))?;
            let stated: f64 = number.replace(',', "").parse().expect("a number");
            let factor = if written.contains(' ') { 10f64.powi(power) } else { 1.0 };
            proptest::prop_assert!(close(f.value, stated * factor), "{} read as {}", written, f.value);
            proptest::prop_assert!(close(f.resolution(), 10f64.powi(-places(&number)) * factor), "{} resolution {}", written, f.resolution());
        }
    }
}
