//! Unit rules: `unit-mismatch`.
//!
//! Three kinds of unit claim, told apart by their slots (see `rules/unit.yaml`):
//! - `base` and repeated `pct`: a rate per N of a population stated in per cent. A rate
//!   per N is not a percentage unless N is 100, so every such claim with another base is
//!   a finding.
//! - `value`, `reference` and `diff`: two percentages and the stated difference between
//!   them, in per cent or in percentage points. A finding when the figure fits only the
//!   other unit's reading (points given as per cent, or a relative change given as
//!   points).
//! - `from` and `to`: a change between money and a count of something, or between two
//!   currencies. [`incomparable_endpoints`] is also what keeps the change rules from
//!   doing arithmetic on such endpoints.

use super::format::{decimals_of, fmt_trim};
use super::{Ctx, FamilyParams, Finding};
use crate::claims::Claim;
use crate::figures::{Figure, FigureKind, Rounding};
use crate::interval::Interval;

/// Vocabulary of the unit checks (`params:` in `rules/unit.yaml`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct UnitParams {
    /// Words after a number that do not name a counted thing (scales, frequencies,
    /// currencies the figure reader does not know): such a count is never compared with
    /// money.
    pub not_counted: Vec<String>,
}

impl Default for UnitParams {
    fn default() -> Self {
        UnitParams {
            not_counted: [
                "thousand",
                "thousands",
                "million",
                "millions",
                "billion",
                "billions",
                "trillion",
                "mln",
                "mn",
                "bn",
                "bln",
                "thous",
                "k",
                "m",
                "monthly",
                "annually",
                "yearly",
                "daily",
                "weekly",
                "quarterly",
                "respectively",
                "net",
                "gross",
                "nominal",
                "real",
                "each",
                "apiece",
                "only",
                "more",
                "less",
                "higher",
                "lower",
                "kazakh",
                "kazakhstani",
                "national",
                "local",
                "mci",
                "mrp",
                "som",
                "soms",
                "sum",
                "sums",
                "manat",
                "manats",
                "lari",
                "dram",
                "drams",
                "hryvnia",
                "hryvnias",
                "pounds",
                "francs",
                "yen",
                "yuan",
                "rupees",
                "won",
                "lei",
                "lev",
                "leva",
                "tenges",
                "usd",
                "eur",
                "rub",
                "kzt",
            ]
            .iter()
            .map(|s| (*s).to_string())
            .collect(),
        }
    }
}

/// Check one unit claim.
pub(crate) fn check(claim: &Claim, cx: &Ctx<'_>) -> Option<Finding> {
    if claim.slot("base").is_some() {
        rate_in_percent(claim, cx)
    } else if claim.slot("diff").is_some() {
        percent_of_percent(claim, cx)
    } else {
        money_and_count(claim, cx)
    }
}

/// "per 100,000 population was 1.7 per cent".
fn rate_in_percent(claim: &Claim, cx: &Ctx<'_>) -> Option<Finding> {
    let bf = &cx.figures[claim.slot("base")?];
    let pcts: Vec<usize> = claim.all("pct").collect();
    let first = &cx.figures[*pcts.first()?];
    // "per 100 women was 12 per cent" says the same thing twice; only other bases clash.
    if bf.kind != FigureKind::Count || bf.value == 100.0 || bf.value <= 0.0 {
        return None;
    }
    let base = cx.quote(bf);
    let mut labels = vec![cx.label_note(bf, "defined per", "a rate per N")];
    labels.extend(
        pcts.iter()
            .map(|&i| cx.label(&cx.figures[i], "stated in per cent")),
    );
    let stated = cx.quote(first);
    let (as_rate, as_pct) = (
        fmt_trim(first.value * bf.value / 100.0, 6),
        fmt_trim(first.value * 100.0 / bf.value, 6),
    );
    let quoted: Vec<_> = pcts.iter().map(|&i| cx.quote(&cx.figures[i])).collect();
    let values = match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => stated.to_string(),
    };
    Some(Finding {
        rule: "unit-mismatch",
        message: format!("a rate per {base} is stated in per cent: {values}"),
        labels,
        help: format!(
            "per cent means per 100, not per {base}: {stated} is {as_rate} per {base}, and {} per {base} is {as_pct} per cent; state the rate per {base} or the share in per cent",
            fmt_trim(first.value, 6)
        ),
        computed: None,
    })
}

/// A percentage as a plain number in its own precision ("20", "8.7").
fn number(f: &Figure) -> String {
    fmt_trim(f.value, decimals_of(f.resolution()))
}

/// "30 per cent is 10 per cent higher than 20 per cent" (points given as per cent), and
/// "from 20 per cent to 25 per cent, an increase of 25 percentage points" (a relative
/// change given as points).
fn percent_of_percent(claim: &Claim, cx: &Ctx<'_>) -> Option<Finding> {
    let vf = &cx.figures[claim.slot("value")?];
    let rf = &cx.figures[claim.slot("reference")?];
    let df = &cx.figures[claim.slot("diff")?];
    if vf.kind != FigureKind::Percent || rf.kind != FigureKind::Percent {
        return None;
    }
    let tags = cx.tags(claim);
    let higher = if tags.iter().any(|t| t == "higher") {
        true
    } else if tags.iter().any(|t| t == "lower") {
        false
    } else {
        return None;
    };
    let s = cx.settings;
    let v = vf.interval(s.rounding, s.hedge_tolerance);
    let r = rf.interval(s.rounding, s.hedge_tolerance);
    // Words and numbers that disagree on the direction are another problem (and another
    // rule's): only a difference that goes the way the words say is read here.
    if (higher && vf.value <= rf.value) || (!higher && vf.value >= rf.value) {
        return None;
    }
    let points = v.sub(&r);
    let ratio = v.div_nonneg(&r, 1.0)?;
    let relative = Interval {
        lo: (ratio.lo - 1.0) * 100.0,
        hi: (ratio.hi - 1.0) * 100.0,
        ..ratio
    };
    let stated = {
        let i = df.interval(Rounding::Nearest, s.hedge_tolerance);
        if higher { i } else { i.neg() }
    };
    let as_points = points.intersects(&stated);
    let as_relative = relative.intersects(&stated);
    let word = if higher { "higher" } else { "lower" };
    let (vq, rq, dq) = (cx.quote(vf), cx.quote(rf), cx.quote(df));
    let (vn, rn, dn) = (number(vf), number(rf), number(df));
    let pd = decimals_of(vf.resolution().min(rf.resolution()));
    let rd = decimals_of(df.resolution()).max(1);
    let pts = (vf.value - rf.value).abs();
    let rel = ((vf.value / rf.value - 1.0) * 100.0).abs();
    let both = format!(
        "{vn} - {rn} = {} percentage points; ({vn} - {rn}) / {rn} = {} per cent",
        fmt_trim(vf.value - rf.value, pd),
        fmt_trim((vf.value / rf.value - 1.0) * 100.0, rd + 1)
    );
    let labels = vec![
        cx.label(vf, "value"),
        cx.label(rf, "compared with"),
        cx.label(df, "stated difference"),
    ];
    let sign = if higher { 1.0 } else { -1.0 };
    match df.kind {
        FigureKind::Percent if as_points && !as_relative => {
            // "10 per cent higher than 20 per cent" read as written is 10 per cent of 20.
            let read = rf.value * (1.0 + sign * df.value / 100.0);
            Some(Finding {
                rule: "unit-mismatch",
                message: format!(
                    "{dq} is the difference in percentage points: {vq} is {} per cent {word} than {rq}",
                    fmt_trim(rel, rd)
                ),
                labels,
                help: format!(
                    "{both}; read as written, {dq} {word} than {rq} is {rn} {} {dn} per cent of {rn} = {} per cent; say \"{} percentage points {word}\" or \"{} per cent {word}\"",
                    if higher { "+" } else { "-" },
                    fmt_trim(read, pd + 2),
                    fmt_trim(pts, pd),
                    fmt_trim(rel, rd)
                ),
                computed: Some(round_to(rel, rd)),
            })
        }
        FigureKind::PercentagePoints if as_relative && !as_points => {
            let read = rf.value + sign * df.value;
            Some(Finding {
                rule: "unit-mismatch",
                message: format!(
                    "{dq} is the relative difference, not points: {vq} is {} percentage points {word} than {rq}",
                    fmt_trim(pts, pd)
                ),
                labels,
                help: format!(
                    "{both}; {dn} percentage points {word} than {rq} would be {} per cent; say \"{} per cent\" or \"{} percentage points\"",
                    fmt_trim(read, pd),
                    fmt_trim(rel, rd),
                    fmt_trim(pts, pd)
                ),
                computed: Some(round_to(pts, pd)),
            })
        }
        _ => None,
    }
}

fn round_to(v: f64, decimals: usize) -> f64 {
    let m = 10f64.powi(decimals as i32);
    (v * m).round() / m
}

/// How two endpoints of a change fail to share a unit.
#[derive(Debug, Clone, PartialEq)]
enum Mismatch {
    /// Money in two currencies (their codes).
    Currencies(String, String),
    /// Money at one end, a count of the named noun at the other.
    MoneyAndCount(String),
}

/// The noun counted by the figure in `slot`, as the claim recorded it.
fn noun_of<'c>(claim: &'c Claim, slot: &str) -> Option<&'c str> {
    let i = claim.slots.iter().position(|(n, _)| n == slot)?;
    claim.nouns.get(i)
}

/// Why the endpoints `a` and `b` (with the nouns after them) cannot be compared, if
/// they cannot: two currencies, or money and a count whose noun names what it counts.
fn mismatch(
    a: &Figure,
    a_noun: Option<&str>,
    b: &Figure,
    b_noun: Option<&str>,
    params: &UnitParams,
) -> Option<Mismatch> {
    let counted = |n: Option<&str>| {
        n.filter(|w| !crate::figures::is_one_of(w, &params.not_counted))
            .map(str::to_string)
    };
    match (&a.kind, &b.kind) {
        (FigureKind::Money(x), FigureKind::Money(y)) if x != y => Some(Mismatch::Currencies(
            x.code().to_owned(),
            y.code().to_owned(),
        )),
        (FigureKind::Money(_), FigureKind::Count) => counted(b_noun).map(Mismatch::MoneyAndCount),
        (FigureKind::Count, FigureKind::Money(_)) => counted(a_noun).map(Mismatch::MoneyAndCount),
        _ => None,
    }
}

fn params<'a>(cx: &'a Ctx<'_>) -> std::borrow::Cow<'a, UnitParams> {
    match cx.params("unit") {
        Some(FamilyParams::Unit(p)) => std::borrow::Cow::Borrowed(p),
        _ => std::borrow::Cow::Owned(UnitParams::default()),
    }
}

/// True when a claim's `from` and `to` are money and a counted noun, or two currencies:
/// no change between them can be computed (`unit-mismatch` reports them).
pub(crate) fn incomparable_endpoints(claim: &Claim, cx: &Ctx<'_>) -> bool {
    let (Some(a), Some(b)) = (claim.slot("from"), claim.slot("to")) else {
        return false;
    };
    let (fa, fb) = (&cx.figures[a], &cx.figures[b]);
    // Most changes are between two counts or two percentages: no lookup needed.
    if !matches!(fa.kind, FigureKind::Money(_)) && !matches!(fb.kind, FigureKind::Money(_)) {
        return false;
    }
    mismatch(
        fa,
        noun_of(claim, "from"),
        fb,
        noun_of(claim, "to"),
        &params(cx),
    )
    .is_some()
}

/// "rose from 1.2 billion tenge to 1,500 people"; "from 2 million euros to 3 million US
/// dollars".
fn money_and_count(claim: &Claim, cx: &Ctx<'_>) -> Option<Finding> {
    let (ff, tf) = (
        &cx.figures[claim.slot("from")?],
        &cx.figures[claim.slot("to")?],
    );
    let found = mismatch(
        ff,
        noun_of(claim, "from"),
        tf,
        noun_of(claim, "to"),
        &params(cx),
    )?;
    let (a, b) = (cx.quote(ff), cx.quote(tf));
    let (message, labels, help) = match found {
        Mismatch::Currencies(x, y) => (
            format!("a change from {a} to {b} compares two currencies, {x} and {y}"),
            vec![cx.label_note(ff, "from", &x), cx.label_note(tf, "to", &y)],
            format!(
                "{a} is in {x} and {b} in {y}: whether this is a rise or a fall, and by how much, depends on the exchange rate; give both endpoints in one currency"
            ),
        ),
        Mismatch::MoneyAndCount(noun) => {
            // The count is quoted with its noun: "1,500 people".
            let (money, count, a, b) = if matches!(ff.kind, FigureKind::Money(_)) {
                (a.clone(), b.clone(), a, format!("{b} {noun}").into())
            } else {
                (b.clone(), a.clone(), format!("{a} {noun}").into(), b)
            };
            let note = |f: &Figure| {
                if matches!(f.kind, FigureKind::Money(_)) {
                    "money".to_string()
                } else {
                    format!("a count of {noun}")
                }
            };
            (
                format!("a change from {a} to {b} compares money with a count"),
                vec![
                    cx.label_note(ff, "from", &note(ff)),
                    cx.label_note(tf, "to", &note(tf)),
                ],
                format!(
                    "{money} is money and {count} counts {noun}: one endpoint is probably from another statement, or has lost its unit; give both endpoints in the same unit"
                ),
            )
        }
    };
    Some(Finding {
        rule: "unit-mismatch",
        message,
        labels,
        help,
        computed: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::Currency;
    use crate::source::Span;

    fn figure(kind: FigureKind, value: f64) -> Figure {
        Figure {
            whole: Span::new(0, 1).into(),
            number: Span::new(0, 1).into(),
            value,
            last_digit: crate::figures::Resolution::ONE,
            exact: true,
            kind,
            hedge: None,
        }
    }

    #[test]
    fn money_and_counted_nouns_do_not_compare() {
        let p = UnitParams::default();
        let tenge = figure(FigureKind::Money(Currency::new("KZT")), 1.2e9);
        let euros = figure(FigureKind::Money(Currency::new("EUR")), 2e6);
        let count = figure(FigureKind::Count, 1500.0);
        assert_eq!(
            mismatch(&tenge, None, &count, Some("people"), &p),
            Some(Mismatch::MoneyAndCount("people".into()))
        );
        assert_eq!(
            mismatch(&count, Some("recipients"), &tenge, None, &p),
            Some(Mismatch::MoneyAndCount("recipients".into()))
        );
        assert_eq!(
            mismatch(&euros, None, &tenge, None, &p),
            Some(Mismatch::Currencies("EUR".into(), "KZT".into()))
        );
        // A currency left out, a scale word, a frequency: not a count of things.
        assert_eq!(mismatch(&tenge, None, &count, None, &p), None);
        assert_eq!(mismatch(&tenge, None, &count, Some("million"), &p), None);
        assert_eq!(mismatch(&tenge, None, &count, Some("Monthly"), &p), None);
        assert_eq!(mismatch(&tenge, None, &tenge, None, &p), None);
        assert_eq!(mismatch(&count, Some("women"), &count, None, &p), None);
    }
}
