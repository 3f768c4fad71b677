//! Table rules: `table-sum-mismatch`, `table-share-mismatch`, `table-share-rounding`.
//!
//! Claims come from `claims::tables`: a total cell with the cells that make it up, or a
//! percentage cell with its count and base. Sums use the interval arithmetic of the sum
//! rules (a total of rounded figures passes whenever some reading of the roundings adds
//! up; n shares rounded to d decimals may miss 100 by n half-units); shares are judged
//! as the share rules judge them and told in the same words.

use super::format::{decimals_of, fmt_in_scale, fmt_trim};
use super::share::{self, Verdict};
use super::sum::addition;
use super::{Ctx, Finding};
use crate::claims::tables::{Axis, CellRef, TableCheck, TableClaim};
use crate::figures::{Figure, FigureKind};
use crate::interval::Interval;

/// Check one table claim.
pub(crate) fn check(c: &TableClaim, cx: &Ctx<'_>) -> Option<Finding> {
    match &c.check {
        TableCheck::Sum {
            axis,
            line,
            total,
            readings,
            percent,
        } => sum(*axis, line, total.as_ref(), readings, *percent, cx),
        TableCheck::Share { pct, part, whole } => share_cell(pct, part, whole, cx),
    }
}

/// `role (name)`, or `role` when the cell's row or column has no label or is labelled
/// with the role itself ("Total").
fn role(role: &str, name: &str) -> String {
    if name.is_empty() || name.eq_ignore_ascii_case(role) {
        role.to_string()
    } else {
        format!("{role} ({name})")
    }
}

/// True when the cells can be added: counts with counts (a year-like count among them
/// is a count), money in one currency, percentages with percentages.
fn addable(figs: &[&Figure], percent: bool) -> bool {
    let money = figs.iter().find_map(|f| match &f.kind {
        FigureKind::Money(c) => Some(c),
        _ => None,
    });
    figs.iter().all(|f| match &f.kind {
        FigureKind::Count | FigureKind::Year => money.is_none(),
        FigureKind::Money(c) => !percent && Some(c) == money,
        FigureKind::Percent => percent,
        _ => false,
    })
}

fn sum(
    axis: Axis,
    line: &str,
    total: Option<&CellRef>,
    readings: &[Vec<CellRef>],
    percent_label: bool,
    cx: &Ctx<'_>,
) -> Option<Finding> {
    let fig = |c: &CellRef| &cx.figures[c.figure];
    let reported = readings.first()?;
    let used: Vec<&Figure> = readings.iter().flatten().chain(total).map(fig).collect();
    let percent = percent_label || used.iter().any(|f| f.kind == FigureKind::Percent);
    if !addable(&used, percent) || used.iter().any(|f| f.value < 0.0) {
        return None;
    }
    let s = cx.settings;
    // A percentage is rounded even when written as a bare whole number ("48").
    let interval = |f: &Figure| {
        if percent && f.exact {
            let rounded = Figure {
                exact: false,
                ..f.clone()
            };
            rounded.interval(s.rounding, s.hedge_tolerance)
        } else {
            f.interval(s.rounding, s.hedge_tolerance)
        }
    };
    let t = match total.map(fig) {
        None => Interval::point(100.0),
        // A percentage "total" that is not about 100 is an average of rates, not a sum.
        Some(f) if percent && (f.value - 100.0).abs() > 1.0 => return None,
        Some(f) if percent && f.value == 100.0 => Interval::point(100.0),
        Some(f) => interval(f),
    };
    let sum_of = |parts: &[CellRef]| {
        parts
            .iter()
            .fold(Interval::point(0.0), |acc, c| acc.add(&interval(fig(c))))
    };
    if readings.iter().any(|r| sum_of(r).intersects(&t)) {
        return None;
    }
    // A "total" no larger than its largest part is not their sum: an average, a rate,
    // the overall percentage.
    let total_value = total.map_or(100.0, |c| fig(c).value);
    let largest = reported.iter().map(|c| fig(c).value).fold(0.0, f64::max);
    let nonzero = reported.iter().filter(|c| fig(c).value > 0.0).count();
    if nonzero >= 2 && total_value <= largest {
        return None;
    }
    // The first (or last) few parts already make the total: the table lists two
    // breakdowns of one whole (by sex, then by area) without a heading between them.
    let running = |parts: &mut dyn Iterator<Item = &CellRef>| {
        let mut acc = Interval::point(0.0);
        parts
            .map(|c| {
                acc = acc.add(&interval(fig(c)));
                acc
            })
            .collect::<Vec<_>>()
    };
    let n = reported.len();
    let heads = running(&mut reported.iter());
    let tails = running(&mut reported.iter().rev());
    if (1..n.saturating_sub(1)).any(|k| heads[k].intersects(&t) || tails[k].intersects(&t)) {
        return None;
    }
    let sum = sum_of(reported);
    let (line_word, total_word) = match axis {
        Axis::Column => ("column", "total row"),
        Axis::Row => ("row", "total column"),
    };
    let subject = if line.is_empty() {
        format!("a {line_word}")
    } else {
        format!("{line_word} \"{line}\"")
    };
    let parts: Vec<usize> = reported.iter().map(|c| c.figure).collect();
    let mut labels = Vec::with_capacity(parts.len() + 1);
    if let Some(c) = total {
        labels.push(cx.label(fig(c), &role("total", &c.name)));
    }
    labels.extend(
        reported
            .iter()
            .map(|c| cx.label(fig(c), &role("part", &c.name))),
    );
    if percent {
        let exact: f64 = reported.iter().map(|c| fig(c).value).sum();
        let d = reported
            .iter()
            .map(|c| decimals_of(fig(c).resolution()))
            .max()
            .unwrap_or(0);
        let terms: Vec<_> = reported.iter().map(|c| cx.quote(fig(c))).collect();
        let stated = total.map_or_else(
            || "not 100".to_string(),
            |c| format!("but its {total_word} says {}", cx.quote(fig(c))),
        );
        return Some(Finding {
            rule: "table-sum-mismatch",
            message: format!(
                "the percentages in {subject} add up to {}, {stated}",
                fmt_trim(exact, d)
            ),
            labels,
            help: format!(
                "{} = {}; with each share rounded to its last digit the sum can be {} to {}, which leaves out 100",
                terms.join(" + "),
                fmt_trim(exact, d),
                fmt_trim(sum.lo, d + 1),
                fmt_trim(sum.hi, d + 1),
            ),
            computed: Some(exact),
        });
    }
    let tc = total?;
    let tf = fig(tc);
    let first = fig(&reported[0]);
    let shown = if sum.is_point() {
        fmt_trim(sum.lo, 6)
    } else {
        fmt_in_scale(sum.mid(), first.resolution())
    };
    let total_q = cx.quote(tf);
    let named = if tc.name.is_empty() {
        format!("the {total_word}")
    } else {
        format!("the {total_word} (\"{}\")", tc.name)
    };
    Some(Finding {
        rule: "table-sum-mismatch",
        message: format!("{subject} adds up to {shown}, but its {total_word} says {total_q}"),
        labels,
        help: format!(
            "{}; {named} says {total_q}",
            addition(&parts, &sum, first, cx)
        ),
        computed: if sum.is_point() {
            Some(sum.lo)
        } else {
            Some(sum.mid())
        },
    })
}

/// A percentage cell against its count and base: the share rules' verdict and words,
/// with the cells named.
fn share_cell(pct: &CellRef, part: &CellRef, whole: &CellRef, cx: &Ctx<'_>) -> Option<Finding> {
    let (pf, wf) = (&cx.figures[part.figure], &cx.figures[whole.figure]);
    // A percentage written as a bare number ("48") is still rounded.
    let sf = Figure {
        exact: false,
        ..cx.figures[pct.figure].clone()
    };
    if pf.value < 0.0 || wf.value < 0.0 {
        return None;
    }
    let part_role = role("part", &part.name);
    let whole_role = role("whole", &whole.name);
    match share::judge(pf, wf, Some(&sf), cx) {
        Verdict::Holds => None,
        Verdict::Exceeds => Some(Finding {
            rule: "table-share-mismatch",
            message: format!(
                "the part {} is larger than its whole {}",
                cx.quote(pf),
                cx.quote(wf)
            ),
            labels: vec![
                cx.label(pf, &part_role),
                cx.label(wf, &whole_role),
                cx.label(&sf, &role("stated", &pct.name)),
            ],
            help: format!(
                "a part cannot exceed its whole: {} > {}; one of the two cells is probably mistyped",
                cx.quote(pf),
                cx.quote(wf)
            ),
            computed: None,
        }),
        v => {
            let mut f = share::share_finding(v, pf, wf, &sf, cx);
            f.rule = if f.rule == "share-rounding" {
                "table-share-rounding"
            } else {
                "table-share-mismatch"
            };
            // Same labels as a share in prose, with each cell's row and column.
            if let [p, w, s] = &mut f.labels[..] {
                *p = cx.label(pf, &part_role);
                *w = cx.label(wf, &whole_role);
                s.message = s.message.replacen("stated", &role("stated", &pct.name), 1);
            }
            Some(f)
        }
    }
}
