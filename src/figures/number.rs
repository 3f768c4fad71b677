//! nom parsers for numbers written in digits, and the unit words that follow them.
//!
//! A digit number is an integer part (optionally in comma or space thousands groups) and
//! optional decimals. Values are computed from the digit string so that "19.8 million" is
//! exactly 19_800_000.0 rather than `19.8 * 1e6` with its rounding noise.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take_while_m_n, take_while1},
    character::complete::{char, digit1, satisfy},
    combinator::{not, opt, peek, recognize},
    sequence::preceded,
};

/// A number written in digits, before any scale or unit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DigitNum<'a> {
    /// Digits of the integer part, separators removed (borrowed unless it was grouped:
    /// most numbers cost no allocation).
    pub int: std::borrow::Cow<'a, str>,
    /// Digits after the decimal point.
    pub frac: &'a str,
    /// True when thousands separators were written ("1,019", "46 546").
    pub grouped: bool,
    /// Byte length of the number as written.
    pub len: usize,
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
        if !self.frac.is_empty() || self.int.len() > 15 {
            return None;
        }
        self.int.parse().ok()
    }

    /// Value times `10^exp` (exp >= 0 is a scale word: million = 6).
    pub fn scaled(&self, exp: i32) -> f64 {
        scaled_value(&self.int, self.frac, exp)
    }

    /// Resolution (value of one unit in the last written digit) times `10^exp`.
    pub fn resolution(&self, exp: i32) -> f64 {
        pow10(exp - self.decimals())
    }
}

/// `10^e` as f64, exact for the range we use.
pub(crate) fn pow10(e: i32) -> f64 {
    10f64.powi(e)
}

/// Value of `int.frac * 10^exp`, computed through an integer mantissa when it is exact
/// as a float (up to 2^53) so that the result is the correctly rounded decimal (one
/// multiplication or division of exact operands).
fn scaled_value(int: &str, frac: &str, exp: i32) -> f64 {
    let digits = int.len() + frac.len();
    let shift = exp - frac.len() as i32;
    if digits <= 18 && shift.abs() <= 22 {
        let mut m: u64 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            m = m * 10 + u64::from(b - b'0');
        }
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
    let s = format!("{int}.{}e{exp}", if frac.is_empty() { "0" } else { frac });
    s.parse().unwrap_or(f64::NAN)
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
}

/// One thousands group after a separator: exactly three digits, not followed by a digit.
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

/// Only a single space-like char may separate thousands groups ("46 546"); a line break
/// never does.
fn is_space_sep(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
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

fn is_dot(c: char) -> bool {
    c == '.'
}

/// Parse a digit number at the start of `input`, in the number style in force.
pub(crate) fn digit_number(input: &str) -> IResult<&str, DigitNum<'_>> {
    if DECIMAL_COMMA.with(std::cell::Cell::get) {
        digit_number_styled(input, &[is_dot, is_space_sep], ',')
    } else {
        digit_number_styled(input, &[is_comma, is_space_sep], '.')
    }
}

/// A digit number whose thousands groups use one of `separators` (the first that fits)
/// and whose decimals follow `decimal`.
fn digit_number_styled<'a>(
    input: &'a str,
    separators: &[fn(char) -> bool],
    decimal: char,
) -> IResult<&'a str, DigitNum<'a>> {
    let (mut rest, first) = digit1(input)?;
    let mut int = std::borrow::Cow::Borrowed(first);
    let mut grouped = false;
    if first.len() <= 3 {
        for &sep in separators {
            // `many1` by hand: the groups go straight into one string sized for the
            // usual number, with no vector of them in between.
            if let Ok((mut r, g)) = group(sep).parse(rest) {
                let mut owned = String::with_capacity(16);
                owned.push_str(first);
                owned.push_str(g);
                while let Ok((r2, g)) = group(sep).parse(r) {
                    owned.push_str(g);
                    r = r2;
                }
                int = std::borrow::Cow::Owned(owned);
                grouped = true;
                rest = r;
                break;
            }
        }
    }
    let (rest, frac) = opt(preceded(char(decimal), digit1)).parse(rest)?;
    let frac = frac.unwrap_or("");
    let len = input.len() - rest.len();
    Ok((
        rest,
        DigitNum {
            int,
            frac,
            grouped,
            len,
        },
    ))
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

/// A currency named after the number: "tenge", "US dollars", "euros".
pub(crate) fn currency_suffix(input: &str) -> IResult<&str, Unit> {
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
            (word("US"), ws1, alt((word("dollars"), word("dollar")))).map(|_| Unit::Money("USD")),
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

/// "times" or "-fold"/"fold" after a number: a multiplier.
pub(crate) fn multiplier_suffix(input: &str) -> IResult<&str, ()> {
    alt((
        preceded(ws1, word("times")).map(|_| ()),
        preceded(opt(char('-')), word("fold")).map(|_| ()),
    ))
    .parse(input)
}

/// Month name to number.
pub(crate) fn month(input: &str) -> IResult<&str, u8> {
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
