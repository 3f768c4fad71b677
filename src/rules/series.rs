//! Series rules: `duplicate-year` and `year-range`.
//!
//! Claims come from `claims::series`: a series of values by year, a year range written
//! backwards, or a number of years with the years that spell it out. The checker compares
//! years only; it quotes figures and words as written.

use super::format::squash;
use super::{Ctx, Finding};
use crate::claims::series::{Listed, SeriesClaim, SeriesShape, YearItem};
use crate::diagnostic::Label;
use crate::figures::{Figure, FigureKind};
use crate::source::Span;

/// Check one series claim.
pub(crate) fn check(c: &SeriesClaim, cx: &Ctx<'_>) -> Option<Finding> {
    match &c.shape {
        SeriesShape::ByYear(items) => duplicate_year(items, cx),
        SeriesShape::Reversed {
            start,
            end,
            first,
            last,
        } => Some(reversed(*start, *end, *first, *last, cx)),
        SeriesShape::StatedSpan { count, listed } => stated_span(*count, listed, cx),
    }
}

fn year_of(f: &Figure) -> i32 {
    f.value as i32
}

/// Two value figures say the same thing: same kind, value and hedge.
fn same_value(a: &Figure, b: &Figure) -> bool {
    a.kind == b.kind && a.value == b.value && a.hedge == b.hedge
}

fn same_values(a: &YearItem, b: &YearItem, figures: &[Figure]) -> bool {
    a.values.len() == b.values.len()
        && a.values
            .iter()
            .zip(&b.values)
            .all(|(&x, &y)| same_value(&figures[x], &figures[y]))
}

const ORDINALS: [&str; 4] = ["first", "second", "third", "fourth"];

fn ordinal(i: usize) -> String {
    ORDINALS
        .get(i)
        .map_or_else(|| format!("{}th", i + 1), |s| (*s).to_string())
}

/// The first year named twice with different values; the help names the missing year
/// when the series is otherwise consecutive.
fn duplicate_year(items: &[YearItem], cx: &Ctx<'_>) -> Option<Finding> {
    let f = cx.figures;
    let years: Vec<i32> = items.iter().map(|i| year_of(&f[i.year])).collect();
    // Series are short (a handful of items): comparing pairs stays within the claim.
    let (a, b) = (0..items.len()).find_map(|j| {
        (0..j)
            .find(|&i| years[i] == years[j] && !same_values(&items[i], &items[j], f))
            .map(|i| (i, j))
    })?;
    let year = years[a];
    let (ia, ib) = (&items[a], &items[b]);
    let (va, vb) = (&f[*ia.values.first()?], &f[*ib.values.first()?]);
    let (qa, qb) = (cx.quote(va), cx.quote(vb));
    let occurrences: Vec<usize> = (0..items.len()).filter(|&i| years[i] == year).collect();
    let nth = |i: usize| ordinal(occurrences.iter().position(|&o| o == i).unwrap_or(0));
    let mut distinct = years.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let listing = years
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let help = match missing_year(&distinct, years.len()) {
        Some(m) => {
            // Name the occurrence whose replacement by the missing year puts the series
            // in order, when exactly one does.
            let fits: Vec<usize> = occurrences
                .iter()
                .copied()
                .filter(|&o| {
                    let mut ys = years.clone();
                    ys[o] = m;
                    ys.windows(2).all(|w| w[0] < w[1]) || ys.windows(2).all(|w| w[0] > w[1])
                })
                .collect();
            match fits[..] {
                [o] => format!(
                    "the series reads {listing}: {year} appears twice and {m} is missing: the {} {year} is probably {m}",
                    nth(o)
                ),
                _ => format!(
                    "the series reads {listing}: {year} appears twice and {m} is missing; one of the two is probably {m}"
                ),
            }
        }
        None => format!(
            "the series reads {listing}: {year} appears twice with different values ({qa} and {qb}); one of the years is probably wrong"
        ),
    };
    let mut labels = vec![
        cx.label_note(
            &f[ia.year],
            &format!("{} year", nth(a)),
            &format!("with {qa}"),
        ),
        cx.label(va, &format!("value for the {} {year}", nth(a))),
        cx.label_note(
            &f[ib.year],
            &format!("{} year", nth(b)),
            &format!("with {qb}"),
        ),
        cx.label(vb, &format!("value for the {} {year}", nth(b))),
    ];
    labels.sort_by_key(|l| l.span.start);
    Some(Finding {
        rule: "duplicate-year",
        message: format!("{year} appears twice in a series by year, with {qa} and {qb}"),
        labels,
        help,
        computed: None,
    })
}

/// With one year repeated, the year that would make the distinct years consecutive.
fn missing_year(distinct: &[i32], n: usize) -> Option<i32> {
    let (&lo, &hi) = (distinct.first()?, distinct.last()?);
    if n != distinct.len() + 1 || (hi - lo) as usize != distinct.len() {
        return None;
    }
    distinct
        .windows(2)
        .find(|w| w[1] - w[0] == 2)
        .map(|w| w[0] + 1)
}

fn reversed(start: Span, end: Span, first: i32, last: i32, cx: &Ctx<'_>) -> Finding {
    let (a, b) = (cx.text(start), cx.text(end));
    let written = squash(&cx.file.slice(start.cover(end)));
    Finding {
        rule: "year-range",
        message: format!("the year range {written} ends before it starts"),
        labels: vec![cx.label_span(start, "start"), cx.label_span(end, "end")],
        help: format!(
            "{b} is {} years before {a}; if the period runs from {last} to {first}, write {b}–{a}",
            first - last
        ),
        computed: None,
    }
}

fn stated_span(count: usize, listed: &Listed, cx: &Ctx<'_>) -> Option<Finding> {
    let f = cx.figures;
    let cf = &f[count];
    let n = cf.value as i64;
    let stated = cx.quote(cf);
    let mut labels = vec![cx.label(cf, "stated span")];
    let (message, help) = match listed {
        Listed::Years(ys) => {
            let mut distinct: Vec<i32> = ys.iter().map(|&y| year_of(&f[y])).collect();
            distinct.sort_unstable();
            distinct.dedup();
            let m = distinct.len() as i64;
            if m == n {
                return None;
            }
            for (i, &y) in ys.iter().enumerate() {
                labels.push(cx.label(&f[y], &format!("year {} of {}", i + 1, ys.len())));
            }
            (
                format!("the text says {stated} years but lists {m}"),
                format!(
                    "the years listed ({}) are {m} distinct years, not {stated} ({n})",
                    ys.iter()
                        .map(|&y| cx.quote(&f[y]))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        }
        Listed::Range(a, b) => {
            let first = year_of(&f[*a]);
            let last = match (b, &f[*a].kind) {
                (Some(b), _) => year_of(&f[*b]),
                (None, FigureKind::YearRange { end }) => *end,
                _ => return None,
            };
            let steps = i64::from(last - first);
            let calendar = steps + 1;
            if n == steps || n == calendar {
                return None;
            }
            labels.push(cx.label(&f[*a], "from"));
            if let Some(b) = b {
                labels.push(cx.label(&f[*b], "to"));
            }
            let range = match b {
                Some(b) => format!("{} to {}", cx.quote(&f[*a]), cx.quote(&f[*b])),
                None => cx.quote(&f[*a]).into_owned(),
            };
            (
                format!("{range} is {calendar} calendar years, not {stated}"),
                format!(
                    "{last} − {first} + 1 = {calendar} calendar years, or {steps} years counted from start to end; neither is {stated} ({n})"
                ),
            )
        }
    };
    labels.sort_by_key(|l| l.span.start);
    Some(Finding {
        rule: "year-range",
        message,
        labels,
        help,
        computed: None,
    })
}

impl Ctx<'_> {
    /// Words as written, whitespace squashed.
    pub(crate) fn text(&self, span: Span) -> String {
        squash(&self.file.slice(span))
    }

    /// A label on words (not a figure): `role: as written`.
    pub(crate) fn label_span(&self, span: Span, role: &str) -> Label {
        Label {
            span,
            message: format!("{role}: {}", self.text(span)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::missing_year;

    #[test]
    fn missing_year_needs_one_gap_and_one_repeat() {
        assert_eq!(missing_year(&[2018, 2020, 2021, 2022], 5), Some(2019));
        assert_eq!(missing_year(&[2018, 2020, 2021], 5), None);
        assert_eq!(missing_year(&[2018, 2019, 2020], 4), None);
        assert_eq!(missing_year(&[2016, 2020], 3), None);
    }
}
