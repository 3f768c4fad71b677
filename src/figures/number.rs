//! nom parsers for numbers written in digits, and the unit words that follow them.
//!
//! A digit number is an integer part (optionally in comma or space thousands groups) and
//! optional decimals, read by hand over the bytes (it is the hottest parser). Values are computed from the digit string so that "19.8 million" is
//! exactly 19_800_000.0 rather than `19.8 * 1e6` with its rounding noise.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{take_while_m_n, take_while1},
    character::complete::{char, satisfy},
    combinator::{not, opt, peek, recognize},
    sequence::preceded,
};

use super::Resolution;
use super::lex::{is_word_char, next_char, skip_ws};
use crate::swar::{HIGH, ONES, ascii_in_range, load8};

/// A number written in digits, before any scale or unit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DigitNum<'a> {
    /// The integer part as written, thousands separators included ("3,415").
    int_written: &'a str,
    /// How many digits the integer part has.
    pub int_len: usize,
    /// Digits after the decimal point.
    pub frac: &'a str,
    /// True when thousands separators were written ("1,019", "46 546").
    pub grouped: bool,
    /// Byte length of the number as written.
    pub len: usize,
    /// The digits, integer part then decimals, as one integer (wrapped past 18 digits,
    /// where it is not used), worked out while reading them.
    mantissa: u64,
}

impl DigitNum<'_> {
    /// Number of decimal places written.
    pub fn decimals(&self) -> i32 {
        self.frac.len() as i32
    }

    /// True for a plain integer written without separators or decimals.
    pub fn is_bare_int(&self) -> bool {
        !self.grouped && self.frac.is_empty()
    }

    /// The integer value when the number is a bare integer of reasonable size.
    pub fn as_int(&self) -> Option<i64> {
        (self.frac.is_empty() && self.int_len <= 15).then_some(self.mantissa as i64)
    }

    /// The digits of the integer part, separators left out.
    fn int_digits(&self) -> impl Iterator<Item = u8> + '_ {
        self.int_written.bytes().filter(u8::is_ascii_digit)
    }

    /// Value times `10^exp` (exp >= 0 is a scale word: million = 6).
    pub fn scaled(&self, exp: i32) -> f64 {
        let digits = self.int_len + self.frac.len();
        let shift = exp - self.frac.len() as i32;
        if digits <= 18 && shift.abs() <= 22 {
            let m = self.mantissa;
            // Past 2^53 the mantissa itself would be rounded, and the division after it
            // would round again: the float parser below rounds once.
            if m <= 1 << 53 {
                let m = m as f64;
                return if shift >= 0 {
                    m * pow10(shift)
                } else {
                    m / pow10(-shift)
                };
            }
        }
        // Very long digit strings: fall back to the float parser (no panic, approximate).
        let int: String = self.int_digits().map(char::from).collect();
        let frac = if self.frac.is_empty() { "0" } else { self.frac };
        format!("{int}.{frac}e{exp}").parse().unwrap_or(f64::NAN)
    }

    /// Resolution (value of one unit in the last written digit) times `10^exp`.
    pub fn resolution(&self, exp: i32) -> Resolution {
        Resolution::pow10(exp - self.decimals())
    }
}

/// `10^e` as f64, exact for the range we use.
///
/// From a table for `|e| <= 22` (every figure's value and resolution comes here, and
/// `powi` is a call to a multiplying loop); the table holds what `powi` returns there:
/// `10^e` is exact up to `10^22`, and `10^-e` is `1 / 10^e` rounded once.
pub(crate) fn pow10(e: i32) -> f64 {
    match POW10.get((e + 22) as usize) {
        Some(&p) if e.abs() <= 22 => p,
        _ => 10f64.powi(e),
    }
}

/// `10^e` for `e` in `-22..=22`, at index `e + 22` (see [`pow10`]).
const POW10: [f64; 45] = {
    let mut table = [0.0; 45];
    let mut p = 1.0;
    let mut e = 0;
    while e <= 22 {
        table[22 + e] = p;
        table[22 - e] = 1.0 / p;
        p *= 10.0;
        e += 1;
    }
    table
};

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
}

thread_local! {
    /// True while scanning text written with a decimal comma ("55,4", "46 546", "1.019").
    static DECIMAL_COMMA: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Read numbers with a decimal comma (and dot or space thousands) until the guard drops.
pub(crate) fn decimal_comma(on: bool) -> DecimalCommaGuard {
    DecimalCommaGuard(DECIMAL_COMMA.with(|c| c.replace(on)))
}

/// Restores the previous number style when dropped.
pub(crate) struct DecimalCommaGuard(bool);

impl Drop for DecimalCommaGuard {
    fn drop(&mut self) {
        DECIMAL_COMMA.with(|c| c.set(self.0));
    }
}

/// Parse a digit number at the start of `input`, in the number style in force.
///
/// Written out over the bytes rather than with nom combinators: every digit run in the
/// text comes here, and the combinators cost several times more. The grammar is the one
/// `tests::digit_number_nom` spells out with nom (and is tested against): digits; when
/// there are at most three, thousands groups (a separator, exactly three digits, no
/// digit after them), all with the first separator kind that fits; then an optional
/// decimal separator and digits.
pub(crate) fn digit_number(input: &str) -> IResult<&str, DigitNum<'_>> {
    let (group_mark, decimal) = if DECIMAL_COMMA.with(std::cell::Cell::get) {
        (b'.', b',')
    } else {
        (b',', b'.')
    };
    let b = input.as_bytes();
    let (first, first_value) = append_run(b, 0, 0);
    if first == 0 {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Digit,
        )));
    }
    let mut grouped = false;
    let mut int_len = first;
    let mut end = first;
    let mut mantissa = first_value;
    if first <= 3 {
        // The mark first, then (`None`) the space-like separators: the first kind that
        // fits is the only one used.
        for mark in [Some(group_mark), None] {
            loop {
                let sep = match mark {
                    Some(m) => usize::from(b.get(end) == Some(&m)),
                    None => space_sep_len(b, end).unwrap_or(0),
                };
                if sep == 0 || !is_group(b, end + sep) {
                    break;
                }
                grouped = true;
                int_len += 3;
                mantissa = append_digits(mantissa, &b[end + sep..end + sep + 3]);
                end += sep + 3;
            }
            if grouped {
                break;
            }
        }
    }
    let int_written = &input[..end];
    let mut frac = "";
    if b.get(end) == Some(&decimal) {
        let (n, with_frac) = append_run(b, end + 1, mantissa);
        if n > 0 {
            frac = &input[end + 1..end + 1 + n];
            mantissa = with_frac;
            end += 1 + n;
        }
    }
    Ok((
        &input[end..],
        DigitNum {
            int_written,
            int_len,
            frac,
            grouped,
            len: end,
            mantissa,
        },
    ))
}

/// `m` with the ASCII digits `digits` written after it (wrapping on overflow).
#[inline]
fn append_digits(m: u64, digits: &[u8]) -> u64 {
    digits.iter().fold(m, |v, d| {
        v.wrapping_mul(10)
            .wrapping_add(u64::from(d.wrapping_sub(b'0')))
    })
}

/// The run of ASCII digits at `i` of `b` and `m` with them written after it (wrapping, as
/// [`append_digits`]): `(run length, new m)`.
///
/// Runs of up to seven digits (nearly all of them) come from one eight-byte load: the
/// run's end from a bit mask, its value by three multiplications that combine the digits
/// in pairs, fours, eights. The byte-at-a-time loops this replaced mispredicted their
/// exits about once a number.
#[inline(always)]
fn append_run(b: &[u8], i: usize, m: u64) -> (usize, u64) {
    // Zero bytes stand in past the end: no digits, so the run stops there.
    let x = load8(b, i);
    let len = ((!ascii_in_range(x, b'0', b'9') & HIGH).trailing_zeros() / 8) as usize;
    match len {
        0 => (0, m),
        1..=7 => {
            // Digit values in the run's lanes (a borrow from a lane above the run moves
            // up, never down), shifted to the top: the lanes below become leading zeros.
            let digits = x.wrapping_sub(ONES * u64::from(b'0')) << (8 * (8 - len));
            let value = eight_digits_value(digits);
            (len, m.wrapping_mul(POW10_U64[len]).wrapping_add(value))
        }
        _ => {
            let n = digit_run(b, i);
            (n, append_digits(m, b.get(i..i + n).unwrap_or_default()))
        }
    }
}

/// The value of eight digits, one a byte (values 0 to 9, the first digit in the lowest
/// byte): pairs, then fours, then the eight, each step one multiplication.
#[inline]
fn eight_digits_value(d: u64) -> u64 {
    let pairs = d.wrapping_mul(10).wrapping_add(d >> 8);
    let low = (pairs & 0x0000_00ff_0000_00ff).wrapping_mul(100 + (1_000_000 << 32));
    let high = ((pairs >> 16) & 0x0000_00ff_0000_00ff).wrapping_mul(1 + (10_000 << 32));
    low.wrapping_add(high) >> 32
}

/// `10^n` for the run lengths [`append_run`] reads from one load.
const POW10_U64: [u64; 8] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

/// How many ASCII digits start at `i`.
///
/// Eight bytes at a time, the run's end found from a bit mask: a number is one to four
/// digits most often, and the byte-at-a-time loop this replaced mispredicted its exit
/// about once a number.
#[inline]
fn digit_run(b: &[u8], i: usize) -> usize {
    let mut n = 0;
    loop {
        // Zero bytes stand in past the end: no digits, so the run stops there.
        let x = load8(b, i + n);
        let run = ((!ascii_in_range(x, b'0', b'9') & HIGH).trailing_zeros() / 8) as usize;
        n += run;
        if run < 8 {
            return n;
        }
    }
}

/// True when exactly three digits start at `i`, with no digit after them.
#[inline]
fn is_group(b: &[u8], i: usize) -> bool {
    matches!(b.get(i..i + 3), Some([x, y, z]) if x.is_ascii_digit() && y.is_ascii_digit() && z.is_ascii_digit())
        && !b.get(i + 3).is_some_and(u8::is_ascii_digit)
}

/// Byte length of a space, no-break space or narrow no-break space at `i` (a thousands
/// separator may be one of these, never a line break).
#[inline]
fn space_sep_len(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i..) {
        Some([b' ', ..]) => Some(1),
        Some([0xc2, 0xa0, ..]) => Some(2),
        Some([0xe2, 0x80, 0xaf, ..]) => Some(3),
        _ => None,
    }
}

/// One or more whitespace chars (any, including line breaks and no-break spaces).
pub(crate) fn ws1(input: &str) -> IResult<&str, &str> {
    take_while1(char::is_whitespace)(input)
}

/// A whole word, ASCII case-insensitive: the word not followed by a letter or digit.
/// (nom's `tag_no_case` lowercases Unicode char by char; this is the hot path, and all
/// our unit words are ASCII.)
pub(crate) fn word<'a>(
    w: &'static str,
) -> impl Parser<&'a str, Output = &'a str, Error = nom::error::Error<&'a str>> {
    move |input: &'a str| -> IResult<&'a str, &'a str> {
        let n = w.len();
        match input.get(..n) {
            Some(head)
                if head.eq_ignore_ascii_case(w)
                    && !input[n..]
                        .chars()
                        .next()
                        .is_some_and(crate::figures::lex::is_word_char) =>
            {
                Ok((&input[n..], head))
            }
            _ => Err(nom::Err::Error(nom::error::Error::new(
                input,
                nom::error::ErrorKind::Tag,
            ))),
        }
    }
}

/// A scale word after a number: returns the power of ten.
pub(crate) fn scale_word(input: &str) -> IResult<&str, i32> {
    first_word_of(input, &SCALE_WORDS)
}

/// The scale words and their powers of ten, in the order they are tried.
const SCALE_WORDS: [(&str, i32); 6] = [
    ("thousand", 3),
    ("million", 6),
    ("mln", 6),
    ("billion", 9),
    ("bn", 9),
    ("trillion", 12),
];

/// The first of `words` that `input` starts with as a whole word (ASCII case ignored), and
/// its value: nom's `alt` of [`word`] parsers.
fn first_word_of<'a, T: Copy>(input: &'a str, words: &[(&str, T)]) -> IResult<&'a str, T> {
    match words_at(input, 0, words) {
        Some((e, v)) => Ok((&input[e..], v)),
        None => Err(not_this(input)),
    }
}

/// The first of `words` at byte `i` of `input` as a whole word (ASCII case ignored): its
/// end and value. Words whose first letter is not the one there are not compared.
fn words_at<T: Copy>(input: &str, i: usize, words: &[(&str, T)]) -> Option<(usize, T)> {
    let first = input.as_bytes().get(i).map(u8::to_ascii_lowercase)?;
    words
        .iter()
        .filter(|(w, _)| w.as_bytes().first().map(u8::to_ascii_lowercase) == Some(first))
        .find_map(|&(w, v)| word_end(input, i, w).map(|e| (e, v)))
}

/// What follows a number (after its scale word, if any).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Unit {
    /// "per cent", "percent", "%".
    Percent,
    /// "percentage point(s)".
    Points,
    /// A currency word, normalised code.
    Money(&'static str),
}

/// "%" glued or spaced, "per cent" (any whitespace between), "percent", "percentage
/// points". The input starts right after the number (or scale word).
pub(crate) fn percent_unit(input: &str) -> IResult<&str, Unit> {
    // By hand: most numbers are followed by some other word, and every percentage comes
    // here. The grammar is `tests::percent_unit_nom`'s, and is tested against it.
    let b = input.as_bytes();
    // " per cent" after the number (one space each side, any case) is how most reports
    // write a percentage: told from one eight-byte load and two bytes, where the walk
    // below compares "per" and "cent" as words (some two hundred instructions).
    if (load8(b, 0) ^ SPACE_PER_CEN) & !SPACE_PER_CEN_CASE == 0
        && b.get(8).map(|c| c | 0x20) == Some(b't')
        && b.get(9)
            .is_none_or(|&c| c < 0x80 && !(c.is_ascii_alphanumeric() || c == b'_'))
    {
        return Ok((&input[9..], Unit::Percent));
    }
    let mut spaces = 0;
    while let Some(n) = space_sep_len(b, spaces) {
        spaces += n;
    }
    if b.get(spaces) == Some(&b'%') {
        return Ok((&input[spaces + 1..], Unit::Percent));
    }
    let k = skip_ws(input, 0);
    // Every word here starts "per".
    if k == 0 || !word_end_or_more(input, k, "per") {
        return Err(not_this(input));
    }
    // The word after `e` and whitespace, one of `words`.
    let then = |e: usize, words: &[&str]| {
        let k2 = skip_ws(input, e);
        (k2 > e)
            .then(|| words.iter().find_map(|w| word_end(input, k2, w)))
            .flatten()
    };
    // The byte after "per" tells the words apart: a "c" (any case) goes on to "percent"
    // or "percentage", anything else ends "per" or no word here. Each is read only where
    // it may stand, instead of all three in turn.
    if b.get(k + 3).map(|c| c | 0x20) == Some(b'c') {
        if let Some(e) =
            word_end(input, k, "percentage").and_then(|e| then(e, &["points", "point"]))
        {
            return Ok((&input[e..], Unit::Points));
        }
        if let Some(e) = word_end(input, k, "percent") {
            return Ok((&input[e..], Unit::Percent));
        }
    } else if let Some(e) = word_end(input, k, "per").and_then(|e| then(e, &["cent"])) {
        return Ok((&input[e..], Unit::Percent));
    }
    Err(not_this(input))
}

/// " per cen" as a little-endian load, for [`percent_unit`]'s fast path.
const SPACE_PER_CEN: u64 = u64::from_le_bytes(*b" per cen");

/// The bits of [`SPACE_PER_CEN`] that may differ: bit 5 (the case) of its letters' lanes.
const SPACE_PER_CEN_CASE: u64 = u64::from_le_bytes([0, 0x20, 0x20, 0x20, 0, 0x20, 0x20, 0x20]);

/// True when `input` has `w` at byte `i`, ASCII case ignored, whatever follows.
fn word_end_or_more(input: &str, i: usize, w: &str) -> bool {
    input
        .as_bytes()
        .get(i..i + w.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(w.as_bytes()))
}

/// The end of `w` at byte `i` of `input`, ASCII case ignored, as a whole word (no letter,
/// digit or `_` after it): what [`word`] reads. `w` is ASCII letters.
fn word_end(input: &str, i: usize, w: &str) -> Option<usize> {
    debug_assert!(w.bytes().all(|c| c.is_ascii_alphabetic()), "{w}");
    let b = input.as_bytes();
    let e = i + w.len();
    // Setting bit 5 folds the case of a letter, and makes no other byte equal to one.
    // (Comparing every byte with no early exit, OR-ing the differences, was tried: its
    // loop ran as long as the word, and mispredicted more, 58k -> 106k on 10 MB. So was
    // comparing in two eight-byte loads with no loop and no branch: this loop's 48k
    // mispredicts fell to 14k, but the whole run's did not fall (+1.9k, the loads'
    // bounds tests and the scanner around the inlined copies) and it cost 2.9 M more
    // instructions on 10 MB of varied prose: dropped.)
    if !b
        .get(i..e)?
        .iter()
        .zip(w.as_bytes())
        .all(|(h, c)| h | 0x20 == c | 0x20)
    {
        return None;
    }
    match b.get(e) {
        Some(&c) if c < 0x80 && (c.is_ascii_alphanumeric() || c == b'_') => None,
        Some(&c) if c >= 0x80 && next_char(input, e).is_some_and(is_word_char) => None,
        _ => Some(e),
    }
}

/// A currency named after the number: "tenge", "US dollars", "euros".
pub(crate) fn currency_suffix(input: &str) -> IResult<&str, Unit> {
    // By hand, as `tests::currency_suffix_nom` reads it (and is tested against): nom's
    // `alt` tried every word after every number.
    let k = skip_ws(input, 0);
    if k == 0 {
        return Err(not_this(input));
    }
    // Whitespace at `e`, then one of `words` as a whole word: its end.
    let then = |e: usize, words: &[(&str, ())]| {
        let k2 = skip_ws(input, e);
        (k2 > e)
            .then(|| words_at(input, k2, words).map(|(end, ())| end))
            .flatten()
    };
    const DOLLARS: [(&str, ()); 2] = [("dollars", ()), ("dollar", ())];
    let end = words_at(input, k, &[("tenge", "KZT"), ("KZT", "KZT")])
        .or_else(|| {
            let e = word_end(input, k, "united")?;
            let e = then(e, &[("states", ())])?;
            Some((then(e, &DOLLARS)?, "USD"))
        })
        .or_else(|| Some((then(word_end(input, k, "US")?, &DOLLARS)?, "USD")))
        .or_else(|| {
            words_at(
                input,
                k,
                &[
                    ("dollars", "USD"),
                    ("dollar", "USD"),
                    ("USD", "USD"),
                    ("euros", "EUR"),
                    ("euro", "EUR"),
                    ("EUR", "EUR"),
                    ("roubles", "RUB"),
                    ("rubles", "RUB"),
                    ("rouble", "RUB"),
                    ("ruble", "RUB"),
                    ("RUB", "RUB"),
                ],
            )
        });
    match end {
        Some((e, code)) => Ok((&input[e..], Unit::Money(code))),
        None => Err(not_this(input)),
    }
}

/// "times" or "-fold"/"fold" after a number: a multiplier.
pub(crate) fn multiplier_suffix(input: &str) -> IResult<&str, ()> {
    // The parsers below run only for a word starting "ti" after whitespace, or "fo"
    // right after the number or a hyphen.
    let fold_at = usize::from(input.starts_with('-'));
    let fold = input
        .as_bytes()
        .get(fold_at..fold_at + 2)
        .is_some_and(|w| w.eq_ignore_ascii_case(b"fo"));
    if !fold && !word_after_ws_starts(input, &[b"ti"]) {
        return Err(not_this(input));
    }
    multiplier_suffix_parsers(input)
}

/// The parsers of [`multiplier_suffix`], without its quick rejection.
fn multiplier_suffix_parsers(input: &str) -> IResult<&str, ()> {
    alt((
        preceded(ws1, word("times")).map(|_| ()),
        preceded(opt(char('-')), word("fold")).map(|_| ()),
    ))
    .parse(input)
}

/// The error of a parser that does not match here.
fn not_this(input: &str) -> nom::Err<nom::error::Error<&str>> {
    nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Tag))
}

/// True when `input` starts with whitespace and then, ignoring ASCII case, one of
/// `heads`: what a unit parser that begins with [`ws1`] needs to have a chance.
fn word_after_ws_starts(input: &str, heads: &[&[u8]]) -> bool {
    let k = skip_ws(input, 0);
    k > 0
        && heads.iter().any(|h| {
            input
                .as_bytes()
                .get(k..k + h.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(h))
        })
}

/// Month name to number.
pub(crate) fn month(input: &str) -> IResult<&str, u8> {
    first_word_of(input, &MONTHS)
}

/// The months' names in lower case and their numbers.
const MONTHS: [(&str, u8); 12] = [
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
];

/// A four-digit year, not followed by another digit.
pub(crate) fn year4(input: &str) -> IResult<&str, i32> {
    let (rest, y) =
        recognize((take_while_m_n(4, 4, is_digit), not(peek(satisfy(is_digit))))).parse(input)?;
    let v: i32 = y.parse().unwrap_or(0);
    Ok((rest, v))
}

/// True for a plausible calendar year.
pub(crate) fn is_year(v: i64) -> bool {
    (1900..=2100).contains(&v)
}

#[cfg(test)]
pub(crate) mod tests {
    //! The nom grammar of digit numbers that [`digit_number`] writes out by hand, and a
    //! property test that both read the same number from the same text.

    use super::*;
    use nom::bytes::complete::tag;
    use nom::character::complete::digit1;
    use proptest::prelude::*;

    fn is_digit(c: char) -> bool {
        c.is_ascii_digit()
    }

    /// One thousands group after a separator: exactly three digits, not followed by a
    /// digit.
    fn group<'a>(
        sep: fn(char) -> bool,
    ) -> impl Parser<&'a str, Output = &'a str, Error = nom::error::Error<&'a str>> {
        preceded(
            satisfy(sep),
            recognize((take_while_m_n(3, 3, is_digit), not(peek(satisfy(is_digit))))),
        )
    }

    fn is_comma(c: char) -> bool {
        c == ','
    }

    fn is_dot(c: char) -> bool {
        c == '.'
    }

    /// Only a single space-like char may separate thousands groups ("46 546"); a line
    /// break never does.
    fn is_space_sep(c: char) -> bool {
        matches!(c, ' ' | '\u{a0}' | '\u{202f}')
    }

    /// The value of `int.frac * 10^exp` as it was computed from the digit strings.
    fn scaled_value(int: &str, frac: &str, exp: i32) -> f64 {
        let digits = int.len() + frac.len();
        let shift = exp - frac.len() as i32;
        if digits <= 18 && shift.abs() <= 22 {
            let mut m: u64 = 0;
            for b in int.bytes().chain(frac.bytes()) {
                m = m * 10 + u64::from(b - b'0');
            }
            if m <= 1 << 53 {
                let m = m as f64;
                return if shift >= 0 {
                    m * pow10(shift)
                } else {
                    m / pow10(-shift)
                };
            }
        }
        let s = format!("{int}.{}e{exp}", if frac.is_empty() { "0" } else { frac });
        s.parse().unwrap_or(f64::NAN)
    }

    /// The digit number grammar in nom: `(int, frac, grouped, len)`.
    pub(crate) fn digit_number_nom(
        input: &str,
        comma_decimal: bool,
    ) -> IResult<&str, (String, &str, bool, usize)> {
        type Separators = &'static [fn(char) -> bool];
        let (separators, decimal): (Separators, char) = if comma_decimal {
            (&[is_dot, is_space_sep], ',')
        } else {
            (&[is_comma, is_space_sep], '.')
        };
        let (mut rest, first) = digit1(input)?;
        let mut int = first.to_owned();
        let mut grouped = false;
        if first.len() <= 3 {
            for &sep in separators {
                if let Ok((mut r, g)) = group(sep).parse(rest) {
                    int.push_str(g);
                    while let Ok((r2, g)) = group(sep).parse(r) {
                        int.push_str(g);
                        r = r2;
                    }
                    grouped = true;
                    rest = r;
                    break;
                }
            }
        }
        let (rest, frac) = opt(preceded(char(decimal), digit1)).parse(rest)?;
        let frac = frac.unwrap_or("");
        let len = input.len() - rest.len();
        Ok((rest, (int, frac, grouped, len)))
    }

    /// [`scale_word`] as nom's `alt` of words.
    fn scale_word_nom(input: &str) -> IResult<&str, i32> {
        alt((
            word("thousand").map(|_| 3),
            word("million").map(|_| 6),
            word("mln").map(|_| 6),
            word("billion").map(|_| 9),
            word("bn").map(|_| 9),
            word("trillion").map(|_| 12),
        ))
        .parse(input)
    }

    /// [`month`] as nom's `alt` of words.
    fn month_nom(input: &str) -> IResult<&str, u8> {
        alt((
            alt((
                word("january").map(|_| 1),
                word("february").map(|_| 2),
                word("march").map(|_| 3),
                word("april").map(|_| 4),
                word("may").map(|_| 5),
                word("june").map(|_| 6),
            )),
            alt((
                word("july").map(|_| 7),
                word("august").map(|_| 8),
                word("september").map(|_| 9),
                word("october").map(|_| 10),
                word("november").map(|_| 11),
                word("december").map(|_| 12),
            )),
        ))
        .parse(input)
    }

    /// The grammar of [`currency_suffix`] in nom.
    fn currency_suffix_nom(input: &str) -> IResult<&str, Unit> {
        preceded(
            ws1,
            alt((
                alt((word("tenge"), word("KZT"))).map(|_| Unit::Money("KZT")),
                (
                    word("united"),
                    ws1,
                    word("states"),
                    ws1,
                    alt((word("dollars"), word("dollar"))),
                )
                    .map(|_| Unit::Money("USD")),
                (word("US"), ws1, alt((word("dollars"), word("dollar"))))
                    .map(|_| Unit::Money("USD")),
                alt((word("dollars"), word("dollar"), word("USD"))).map(|_| Unit::Money("USD")),
                alt((word("euros"), word("euro"), word("EUR"))).map(|_| Unit::Money("EUR")),
                alt((
                    word("roubles"),
                    word("rubles"),
                    word("rouble"),
                    word("ruble"),
                    word("RUB"),
                ))
                .map(|_| Unit::Money("RUB")),
            )),
        )
        .parse(input)
    }

    /// The grammar of [`percent_unit`] in nom.
    pub(crate) fn percent_unit_nom(input: &str) -> IResult<&str, Unit> {
        alt((
            preceded(
                opt(take_while1(|c| {
                    c == ' ' || c == '\u{a0}' || c == '\u{202f}'
                })),
                tag("%"),
            )
            .map(|_| Unit::Percent),
            preceded(
                ws1,
                alt((
                    (
                        word("percentage"),
                        ws1,
                        alt((word("points"), word("point"))),
                    )
                        .map(|_| Unit::Points),
                    (word("per"), ws1, word("cent")).map(|_| Unit::Percent),
                    word("percent").map(|_| Unit::Percent),
                )),
            ),
        ))
        .parse(input)
    }

    proptest! {
        /// The " per cent" fast path answers as the nom grammar: the phrase in any case,
        /// or one byte off, before any byte (a word char, a mark, a non-ASCII letter) or
        /// the end.
        #[test]
        fn per_cent_fast_path_reads_as_the_nom_grammar(
            head in prop::sample::select(&[" per cent", " PER CENT", " Per Cent", " per cen", " per  cent", " pEr cEnt", " per\u{a0}cent", "\u{a0}per cent", " per cent"][..]),
            flip in 0usize..12,
            tail in "[ a-zA-Z0-9_.,%é\u{a0}\u{0}@`]{0,3}",
        ) {
            let mut text = format!("{head}{tail}").into_bytes();
            // Sometimes one byte of the phrase is changed to its other-case twin or to a
            // byte that folds onto a space.
            if let Some(b) = text.get_mut(flip).filter(|b| b.is_ascii()) {
                *b = if flip % 2 == 0 { *b ^ 0x20 } else { 0 };
            }
            let text = String::from_utf8_lossy(&text).into_owned();
            prop_assert_eq!(percent_unit(&text).ok(), percent_unit_nom(&text).ok(), "{:?}", text);
        }
    }

    /// The phrases of more than one word, which random pieces rarely put together: every
    /// sequence of up to three words from the unit phrases, with each separator.
    #[test]
    fn unit_phrases_read_as_the_nom_grammar() {
        let words = [
            "united",
            "States",
            "dollars",
            "dollar",
            "US",
            "per",
            "cent",
            "percentage",
            "points",
            "point",
            "percent",
            "tenge",
            "x",
        ];
        let seps = [" ", "", "-", "\n\u{a0}"];
        for a in words {
            for b in words {
                for c in words {
                    for k in 0..seps.len().pow(3) {
                        let (s1, s2, s3) = (seps[k % 4], seps[k / 4 % 4], seps[k / 16]);
                        let text = format!("{s1}{a}{s2}{b}{s3}{c}");
                        assert_eq!(
                            currency_suffix(&text).ok(),
                            currency_suffix_nom(&text).ok(),
                            "{text:?}"
                        );
                        assert_eq!(
                            percent_unit(&text).ok(),
                            percent_unit_nom(&text).ok(),
                            "{text:?}"
                        );
                    }
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn unit_readers_read_as_the_nom_grammar(
            text in prop::collection::vec(
                (
                    prop::sample::select(&[" ", "", "\u{a0}", "\n ", "-", "  ", "\u{202f}"][..]),
                    prop::sample::select(&[
                        "%", "per", "Per", "PER", "cent", "percentage", "Percentage", "points",
                        "point", "pointed", "percent", "percents", "tenge", "KZT", "united",
                        "states", "US", "us", "dollars", "dollar", "USD", "euros", "euro", "EUR",
                        "roubles", "rubles", "rouble", "ruble", "RUB", "times", "fold", "folds",
                        "x", "1", ".", "é", "thousand", "Million", "mln", "MLN", "billion", "bn",
                        "trillion", "millions", "the", "January", "may", "Mayor", "june", "MARCH",
                        "dec", "December", "october", "Sept",
                    ][..]),
                ),
                0..4,
            )
            .prop_map(|v| v.into_iter().flat_map(|(s, w)| [s, w]).collect::<String>()),
        ) {
            // Only whether and what they read matters to the scanner, not which error.
            prop_assert_eq!(
                percent_unit(&text).ok(),
                percent_unit_nom(&text).ok(),
                "{:?}",
                text
            );
            prop_assert_eq!(
                currency_suffix(&text).ok(),
                currency_suffix_nom(&text).ok(),
                "{:?}",
                text
            );
            let word = text.trim_start();
            prop_assert_eq!(scale_word(word).ok(), scale_word_nom(word).ok(), "{:?}", word);
            prop_assert_eq!(month(word).ok(), month_nom(word).ok(), "{:?}", word);
            prop_assert_eq!(
                multiplier_suffix(&text).ok(),
                multiplier_suffix_parsers(&text).ok(),
                "{:?}",
                text
            );
        }

        /// Reading a run of digits from one load gives the run and the value that the
        /// byte-at-a-time walk and `append_digits` give, for short and long runs, from
        /// every byte and past the end, after any mantissa.
        #[test]
        fn digit_runs_append_as_digit_by_digit(
            text in "[0-9]{0,20}[ a.,é/:]?[0-9]{0,9}",
            m in any::<u64>(),
        ) {
            let b = text.as_bytes();
            for i in 0..=b.len() + 1 {
                let walked = b.get(i..).map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count());
                let want = append_digits(m, b.get(i..i + walked).unwrap_or_default());
                prop_assert_eq!(append_run(b, i, m), (walked, want), "{:?} at {}", text, i);
            }
        }

        /// The eight-at-a-time digit run counts what a byte-at-a-time walk counts, from
        /// every byte and past the end.
        #[test]
        fn digit_runs_end_where_a_walk_ends(text in "[0-9]{0,20}[ a.,é]?[0-9]{0,9}") {
            let b = text.as_bytes();
            for i in 0..=b.len() + 1 {
                let walked = b.get(i..).map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count());
                prop_assert_eq!(digit_run(b, i), walked, "{:?} at {}", text, i);
            }
        }

        #[test]
        fn hand_written_digit_numbers_read_as_the_nom_grammar(
            text in "[0-9]{0,4}([,. \u{a0}\u{202f}\n]{0,2}[0-9]{0,5}){0,4}[a-z%]?|[0-9]{10,25}([.,][0-9]{0,6})?",
            comma in any::<bool>(),
        ) {
            let _style = decimal_comma(comma);
            let new = digit_number(&text);
            let old = digit_number_nom(&text, comma);
            match (new, old) {
                (Ok((rest, n)), Ok((old_rest, (int, frac, grouped, len)))) => {
                    prop_assert_eq!(rest, old_rest);
                    prop_assert_eq!(n.int_digits().map(char::from).collect::<String>(), int.clone());
                    prop_assert_eq!(n.int_len, int.len());
                    prop_assert_eq!(n.frac, frac);
                    prop_assert_eq!(n.grouped, grouped);
                    prop_assert_eq!(n.len, len);
                    let parsed = (frac.is_empty() && int.len() <= 15)
                        .then(|| int.parse::<i64>().ok())
                        .flatten();
                    prop_assert_eq!(n.as_int(), parsed);
                    for exp in [0, 3, 6, 9] {
                        let want = scaled_value(&int, frac, exp);
                        prop_assert!(
                            n.scaled(exp).to_bits() == want.to_bits(),
                            "{:?} e{}: {} vs {}", text, exp, n.scaled(exp), want
                        );
                    }
                }
                (Err(_), Err(_)) => {}
                (new, old) => prop_assert!(false, "{:?}: {:?} vs {:?}", text, new, old),
            }
        }
    }

    /// The table of powers of ten holds what `powi` computes, bit for bit, and powers
    /// outside it still come from `powi`.
    #[test]
    fn pow10_table_agrees_with_powi() {
        for e in -40..=40 {
            assert_eq!(pow10(e).to_bits(), 10f64.powi(e).to_bits(), "{e}");
        }
    }
}
