//! nom parsers for numbers written in digits, and the unit words that follow them.
//!
//! A digit number is an integer part (optionally in comma or space thousands groups) and
//! optional decimals, read by hand over the bytes (it is the hottest parser). Values are computed from the digit string so that "19.8 million" is
//! exactly 19_800_000.0 rather than `19.8 * 1e6` with its rounding noise.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take_while_m_n, take_while1},
    character::complete::{char, satisfy},
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
    /// [`DigitNum::as_int`], worked out once while reading the digits.
    int_value: Option<i64>,
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
        self.int_value
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
/// [`tests::digit_number_nom`] spells out with nom (and is tested against): digits; when
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
    let first = digit_run(b, 0);
    if first == 0 {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Digit,
        )));
    }
    let mut int = std::borrow::Cow::Borrowed(&input[..first]);
    let mut grouped = false;
    let mut end = first;
    if first <= 3 {
        // The mark first, then a space-like separator: the first kind that fits is the
        // only one used.
        // `Some(mark)`, then `None` for the space-like separators.
        for mark in [Some(group_mark), None] {
            let mut owned: Option<String> = None;
            loop {
                let sep = match mark {
                    Some(m) => usize::from(b.get(end) == Some(&m)),
                    None => space_sep_len(b, end).unwrap_or(0),
                };
                if sep == 0 || !is_group(b, end + sep) {
                    break;
                }
                let g = end + sep;
                owned
                    .get_or_insert_with(|| {
                        let mut o = String::with_capacity(16);
                        o.push_str(&input[..first]);
                        o
                    })
                    .push_str(&input[g..g + 3]);
                end = g + 3;
            }
            if let Some(o) = owned {
                int = std::borrow::Cow::Owned(o);
                grouped = true;
                break;
            }
        }
    }
    let mut frac = "";
    if b.get(end) == Some(&decimal) {
        let n = digit_run(b, end + 1);
        if n > 0 {
            frac = &input[end + 1..end + 1 + n];
            end += 1 + n;
        }
    }
    let int_value = if frac.is_empty() && int.len() <= 15 {
        Some(int.bytes().fold(0i64, |v, d| v * 10 + i64::from(d - b'0')))
    } else {
        None
    };
    Ok((
        &input[end..],
        DigitNum {
            int,
            frac,
            grouped,
            len: end,
            int_value,
        },
    ))
}

/// How many ASCII digits start at `i`.
#[inline]
fn digit_run(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
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
    // Most numbers are followed by some other word: the parsers below run only when a
    // "%" follows the spaces, or a word starting "per" the whitespace.
    let b = input.as_bytes();
    let mut spaces = 0;
    while let Some(n) = space_sep_len(b, spaces) {
        spaces += n;
    }
    if b.get(spaces) != Some(&b'%') && !word_after_ws_starts(input, &[b"per"]) {
        return Err(not_this(input));
    }
    percent_unit_parsers(input)
}

/// The parsers of [`percent_unit`], without its quick rejection.
fn percent_unit_parsers(input: &str) -> IResult<&str, Unit> {
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
    // The parsers below run only when the word after the whitespace starts as one of
    // theirs does.
    if !word_after_ws_starts(
        input,
        &[b"te", b"kz", b"un", b"us", b"do", b"eu", b"ro", b"ru"],
    ) {
        return Err(not_this(input));
    }
    currency_suffix_parsers(input)
}

/// The parsers of [`currency_suffix`], without its quick rejection.
fn currency_suffix_parsers(input: &str) -> IResult<&str, Unit> {
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
    let k = super::lex::skip_ws(input, 0);
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

#[cfg(test)]
pub(crate) mod tests {
    //! The nom grammar of digit numbers that [`digit_number`] writes out by hand, and a
    //! property test that both read the same number from the same text.

    use super::*;
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

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn quick_rejections_reject_only_what_the_parsers_reject(
            text in "(%| |\u{a0}|\u{202f}|\n|-|per|Per|PER|cent|centage|points?|percent|te|tenge|kz|KZT|un|united|states|us|US|dollars?|USD|eu|euros?|EUR|ro|rouble|ru|ruble|RUB|ti|times|fo|fold|x|s|\\.){0,6}",
        ) {
            // Only whether and what they read matters to the scanner, not which error.
            prop_assert_eq!(
                percent_unit(&text).ok(),
                percent_unit_parsers(&text).ok(),
                "{:?}",
                text
            );
            prop_assert_eq!(
                currency_suffix(&text).ok(),
                currency_suffix_parsers(&text).ok(),
                "{:?}",
                text
            );
            prop_assert_eq!(
                multiplier_suffix(&text).ok(),
                multiplier_suffix_parsers(&text).ok(),
                "{:?}",
                text
            );
        }

        #[test]
        fn hand_written_digit_numbers_read_as_the_nom_grammar(
            text in "[0-9]{0,4}([,. \u{a0}\u{202f}\n]{0,2}[0-9]{0,5}){0,4}[a-z%]?",
            comma in any::<bool>(),
        ) {
            let _style = decimal_comma(comma);
            let new = digit_number(&text);
            let old = digit_number_nom(&text, comma);
            match (new, old) {
                (Ok((rest, n)), Ok((old_rest, (int, frac, grouped, len)))) => {
                    prop_assert_eq!(rest, old_rest);
                    prop_assert_eq!(&*n.int, int.as_str());
                    prop_assert_eq!(n.frac, frac);
                    prop_assert_eq!(n.grouped, grouped);
                    prop_assert_eq!(n.len, len);
                    let parsed = (frac.is_empty() && int.len() <= 15)
                        .then(|| int.parse::<i64>().ok())
                        .flatten();
                    prop_assert_eq!(n.as_int(), parsed);
                }
                (Err(_), Err(_)) => {}
                (new, old) => prop_assert!(false, "{:?}: {:?} vs {:?}", text, new, old),
            }
        }
    }
}
