//! Figures: every quantity in the text, with its span, value, unit, scale and precision.
//!
//! Second stage of the pipeline. [`scan`] walks the masked text of a
//! [`crate::source::SourceFile`] and returns figures in order of position. A fast byte
//! scan finds candidates (digits, and number words at word starts); nom parses each.
//! Things that only look like quantities (article and paragraph references, decree and
//! resolution numbers, resolution symbols, phone numbers, URLs, footnote markers, list
//! labels) are not returned. Parsers never judge: a figure says what was written, and
//! the rules decide whether it fits.

use crate::interval::Interval;
use crate::source::Span;

mod candidates;
pub mod cells;
mod exclude;
mod hedge;
mod lex;
mod number;
mod scanner;
pub(crate) use lex::is_one_of;
#[cfg(test)]
pub(crate) use scanner::next_digit;
#[cfg(test)]
mod tests;
pub mod vocabulary;
mod words;

/// How the author rounded a figure to its last stated digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Rounding {
    /// Rounded to nearest: "23.02" is [23.015, 23.025].
    #[default]
    Nearest,
    /// Truncated: "23.02" is [23.02, 23.03).
    Truncate,
    /// Either of the above.
    Either,
}

/// A hedge word in front of (or after) a figure, which widens or opens its interval.
/// In configuration, written kebab-case (`more-than`, `about`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hedge {
    /// "more than", "over", "above", "in excess of", "exceeding": (v, inf).
    MoreThan,
    /// "at least", "not less than", "no fewer than", "or more": [v, inf).
    AtLeast,
    /// "fewer than", "less than", "under", "below": (-inf, v).
    LessThan,
    /// "up to", "at most", "no more than", "not more than", "or less": (-inf, v].
    AtMost,
    /// "about", "approximately", "around", "some", "roughly", "an estimated": v +- tolerance.
    About,
    /// "nearly", "almost", "just under": [v - tolerance, v].
    Nearly,
}

/// A currency named with a money figure, by its code ("KZT", "USD", or one a
/// configuration's vocabulary gives).
///
/// Held as a number standing for the code, not as a `String`: a figure then owns no heap
/// memory, and [`FigureKind`] is small (a 100 MB report has some 800,000 figures, all
/// held while it is checked; see also [`RateBase`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency(u32);

/// The codes the figure scanner names, numbered in this order.
const KNOWN_CODES: [&str; 4] = ["KZT", "USD", "EUR", "RUB"];

/// Codes beyond [`KNOWN_CODES`] met so far (from vocabularies), numbered after them. A
/// code is added once and kept for the life of the process: there are as many as the
/// configurations name, a handful.
static OTHER_CODES: std::sync::RwLock<Vec<&'static str>> = std::sync::RwLock::new(Vec::new());

impl Currency {
    /// The currency of code `code`.
    pub fn new(code: &str) -> Self {
        if let Some(i) = KNOWN_CODES.iter().position(|&k| k == code) {
            return Currency(i as u32);
        }
        let number = |i: usize| Currency((KNOWN_CODES.len() + i) as u32);
        // A poisoned lock still holds a list that is whole: codes are only pushed.
        let read = OTHER_CODES.read().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = read.iter().position(|&k| k == code) {
            return number(i);
        }
        drop(read);
        let mut write = OTHER_CODES.write().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = write.iter().position(|&k| k == code) {
            return number(i);
        }
        write.push(Box::leak(code.to_owned().into_boxed_str()));
        number(write.len() - 1)
    }

    /// The code, as given to [`Currency::new`].
    pub fn code(self) -> &'static str {
        let i = self.0 as usize;
        match KNOWN_CODES.get(i) {
            Some(code) => code,
            None => {
                let other = OTHER_CODES.read().unwrap_or_else(|e| e.into_inner());
                other.get(i - KNOWN_CODES.len()).copied().unwrap_or("")
            }
        }
    }
}

/// As a `Currency(String)` prints: `Currency("KZT")`.
impl std::fmt::Debug for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Currency").field(&self.code()).finish()
    }
}

/// The base of a rate ("per 1,000" is 1000), in seven bytes, so that a [`FigureKind`] is
/// eight (an `f64` would make it sixteen, and every figure of a file is held while it is
/// checked).
///
/// Held as the base's `f64` without the last eight bits of its mantissa. Only bases whose
/// eight bits are zero are held, and so come back exactly as given: every whole number
/// below 2^45 (35 trillion), the powers of ten up to 10^19, any scale word ("per
/// million", "per trillion"). [`RateBase::new`] refuses any other base rather than round
/// it, and the scanner then reads no rate.
#[derive(Clone, Copy)]
pub struct RateBase([u8; 7]);

impl RateBase {
    /// `per`, when it is held exactly (see the type's documentation).
    pub fn new(per: f64) -> Option<Self> {
        let [b0, b1, b2, b3, b4, b5, b6, _] = (per.to_bits() >> 8).to_le_bytes();
        let base = RateBase([b0, b1, b2, b3, b4, b5, b6]);
        (base.get().to_bits() == per.to_bits()).then_some(base)
    }

    /// The base, exactly as given to [`RateBase::new`].
    pub fn get(self) -> f64 {
        let [b0, b1, b2, b3, b4, b5, b6] = self.0;
        f64::from_bits(u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, 0]) << 8)
    }
}

/// Equal when the bases are, as `f64` (the way `per` compared when it was one).
impl PartialEq for RateBase {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

/// Printed as the `f64` it holds, so debug output (`numlint inspect`) reads the same.
impl std::fmt::Debug for RateBase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.get(), f)
    }
}

/// What a figure measures.
#[derive(Debug, Clone, PartialEq)]
pub enum FigureKind {
    /// A plain quantity: "3,415", "19.8 million", "six".
    Count,
    /// A percentage: "21.02 per cent", "45%", "percent".
    Percent,
    /// "percentage points".
    PercentagePoints,
    /// Money: "246.5 million tenge", "$100 million", "US$ 5".
    Money(Currency),
    /// A rate per base: "7.9 per 1,000 live births" has `per = 1000`.
    Rate {
        /// The base of the rate.
        per: RateBase,
    },
    /// A calendar year written alone: "2023".
    Year,
    /// A span of years: "2020–2023", "2022/23"; `value` is the first year.
    YearRange {
        /// Last year of the range, expanded ("2022/23" ends 2023).
        end: i32,
    },
    /// A full date: "12 October 2021"; `value` is the year.
    Date {
        /// Year.
        year: i32,
        /// Month 1-12.
        month: u8,
        /// Day of month as written (may be impossible, e.g. 31 June: rules judge that).
        day: u8,
    },
    /// An ordinal: "62nd", "fifty-ninth"; `value` is the rank.
    Ordinal,
    /// A multiplier: "double" (2), "sevenfold" (7), "a factor of 2.6", "tripled" (3),
    /// "halved" (0.5), "3 times".
    Multiplier,
    /// A fraction in words: "a third" (1/3), "half" (1/2), "a quarter" (1/4).
    Fraction,
}

/// One quantity as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Bytes of the whole figure: hedge, number, scale word and unit ("more than 14,000",
    /// "21.02 per cent", "$100 million"). Read it as a [`Span`] with [`Figure::span`].
    pub whole: CompactSpan,
    /// Bytes of the number itself ("21.02", "six").
    pub number: CompactSpan,
    /// Value with the scale applied: "19.8 million" is 19_800_000.0; "21.02 per cent" is
    /// 21.02 (percentages are in per cent, not fractions).
    pub value: f64,
    /// Value of one unit in the last stated digit, scale applied: "19.8 million" is
    /// 100_000.0, "21.02" is 0.01, "3,415" is 1.0, "six" is 1.0. Read it as an `f64`
    /// with [`Figure::resolution`].
    pub last_digit: Resolution,
    /// True when the written value is exact (a count written in full, "3,415", or a number
    /// word, "six"): its interval is the point itself. False for anything rounded: decimals,
    /// scale words ("9 million"), percentages.
    pub exact: bool,
    /// What the figure measures.
    pub kind: FigureKind,
    /// Hedge that applies, if any.
    pub hedge: Option<Hedge>,
}

// Every figure of a file is held while it is checked: keep them small (see `Currency` and
// `CompactSpan`, `RateBase` and `Resolution`).
const _: () = assert!(std::mem::size_of::<FigureKind>() <= 8);
const _: () = assert!(std::mem::size_of::<Figure>() <= 40);

/// Where a figure, or its number, is: a [`Span`] in half the bytes, since every figure of
/// a file is held while it is checked. Every text numlint reads is far under 4 GiB (inputs
/// are limited to [`crate::limits::MAX_INPUT_BYTES`]), so two `u32` offsets hold it.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct CompactSpan {
    start: u32,
    end: u32,
}

impl CompactSpan {
    /// The bytes as a [`Span`].
    pub fn span(self) -> Span {
        Span::new(self.start as usize, self.end as usize)
    }

    /// First byte.
    pub fn start(self) -> usize {
        self.start as usize
    }

    /// One past the last byte.
    pub fn end(self) -> usize {
        self.end as usize
    }

    /// Move the first byte to `start`.
    pub fn set_start(&mut self, start: usize) {
        self.start = offset(start);
    }

    /// Move the end (one past the last byte) to `end`.
    pub fn set_end(&mut self, end: usize) {
        self.end = offset(end);
    }
}

/// A byte offset as a [`CompactSpan`] holds it. Offsets past 4 GiB cannot occur (see the
/// type's documentation); they would be clamped rather than wrap.
fn offset(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

impl From<Span> for CompactSpan {
    fn from(span: Span) -> Self {
        CompactSpan {
            start: offset(span.start),
            end: offset(span.end),
        }
    }
}

/// Printed as the [`Span`] it stands for, so debug output (`numlint inspect`) reads the same.
impl std::fmt::Debug for CompactSpan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.span(), f)
    }
}

/// Value of one unit in a figure's last stated digit ("21.02" is 0.01, "19.8 million" is
/// 100,000): a power of ten, held as its exponent in four bytes instead of an `f64`'s
/// eight (every figure of a file is held while it is checked), or none (0) for a fraction
/// in words ("a third"), which is exact.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Resolution(i32);

impl Resolution {
    /// None (0): a fraction in words.
    pub const NONE: Resolution = Resolution(i32::MIN);
    /// One: the last digit is the units digit.
    pub const ONE: Resolution = Resolution(0);

    /// `10^exp`.
    pub fn pow10(exp: i32) -> Self {
        // `i32::MIN` stands for none; `10^exp` is 0 that far down all the same.
        Resolution(exp.max(i32::MIN + 1))
    }

    /// The value: `10^exp` computed as the scanner computed it before resolutions were
    /// held as exponents (so bit for bit the same), or 0.
    #[inline]
    pub fn get(self) -> f64 {
        if self == Self::NONE {
            0.0
        } else {
            number::pow10(self.0)
        }
    }
}

/// Printed as the `f64` it stands for, so debug output reads the same.
impl std::fmt::Debug for Resolution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.get(), f)
    }
}

impl Figure {
    /// Bytes of the whole figure (see [`Figure::whole`]).
    #[inline]
    pub fn span(&self) -> Span {
        self.whole.span()
    }

    /// Value of one unit in the last stated digit (see [`Figure::last_digit`]).
    #[inline]
    pub fn resolution(&self) -> f64 {
        self.last_digit.get()
    }

    /// The values this figure can stand for under a rounding mode, before any hedge.
    pub fn precision_interval(&self, rounding: Rounding) -> Interval {
        if self.exact {
            return Interval::point(self.value);
        }
        let r = self.resolution();
        match rounding {
            Rounding::Nearest => Interval::closed(self.value - r / 2.0, self.value + r / 2.0),
            Rounding::Truncate => Interval::half_open(self.value, self.value + r),
            Rounding::Either => Interval::closed(self.value - r / 2.0, self.value + r),
        }
    }

    /// The values this figure can stand for: precision, then the hedge. `tolerance` is the
    /// relative widening for "about" and "nearly" (0.05 = 5 per cent).
    pub fn interval(&self, rounding: Rounding, tolerance: f64) -> Interval {
        let p = self.precision_interval(rounding);
        let slack = self.value.abs() * tolerance;
        match self.hedge {
            None => p,
            Some(Hedge::MoreThan) => Interval {
                lo: p.lo,
                hi: f64::INFINITY,
                lo_open: true,
                hi_open: true,
            },
            Some(Hedge::AtLeast) => Interval {
                lo: p.lo,
                hi: f64::INFINITY,
                lo_open: false,
                hi_open: true,
            },
            Some(Hedge::LessThan) => Interval {
                lo: f64::NEG_INFINITY,
                hi: p.hi,
                lo_open: true,
                hi_open: true,
            },
            Some(Hedge::AtMost) => Interval {
                lo: f64::NEG_INFINITY,
                hi: p.hi,
                lo_open: true,
                hi_open: false,
            },
            Some(Hedge::About) => Interval::closed(p.lo - slack, p.hi + slack),
            Some(Hedge::Nearly) => Interval::closed(p.lo - slack, p.hi),
        }
    }

    /// True for figures that measure an amount of something (counts and money).
    pub fn is_amount(&self) -> bool {
        matches!(self.kind, FigureKind::Count | FigureKind::Money(_))
    }
}

/// The months' names as dates are written in messages, January first: the name of month
/// `m` of a [`FigureKind::Date`] is `MONTH_NAMES[m - 1]`.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Scan the (masked) text and return every figure, ordered by `span.start`, with no two
/// spans overlapping.
pub fn scan(text: &str) -> Vec<Figure> {
    scanner::scan(text)
}

/// How a text writes its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NumberFormat {
    /// "46,546.5" or "46 546.5" (English).
    #[default]
    DecimalPoint,
    /// "46 546,5" or "46.546,5" (French, German, Russian, Spanish ...).
    DecimalComma,
}

/// [`scan`] for text written in `format`.
pub fn scan_with(text: &str, format: NumberFormat) -> Vec<Figure> {
    let _style = number::decimal_comma(format == NumberFormat::DecimalComma);
    scanner::scan(text)
}
