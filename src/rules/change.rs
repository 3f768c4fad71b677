//! Change rules: `change-mismatch`, `change-rounding`, `change-direction`,
//! `points-vs-percent`.
//!
//! A change claim has `from` and `to` endpoints and, usually, a stated size: a relative
//! change in per cent (`pct`), a factor (`mult`) or an absolute amount (`abs`). The
//! endpoints are intervals, so the change they imply is an interval too.

use super::format::{decimals_of, fmt_in_scale, fmt_trim, fmt_trim_into};
use super::{Ctx, Finding};
use crate::claims::Claim;
use crate::figures::{Figure, FigureKind, Rounding};
use crate::interval::Interval;

/// Which way the words say the value moved.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Direction {
    Up,
    Down,
    Unsaid,
}

/// Check one change claim.
pub(crate) fn check(claim: &Claim, cx: &Ctx<'_>) -> Option<Finding> {
    let (from, to) = (claim.slot("from")?, claim.slot("to")?);
    // Money against a count of people, or two currencies: no arithmetic on them means
    // anything, and `unit-mismatch` reports the endpoints themselves.
    if super::unit::incomparable_endpoints(claim, cx) {
        return None;
    }
    let (ff, tf) = (&cx.figures[from], &cx.figures[to]);
    let tags = cx.tags(claim);
    let dir = if tags.iter().any(|t| t == "up") {
        Direction::Up
    } else if tags.iter().any(|t| t == "down") {
        Direction::Down
    } else {
        Direction::Unsaid
    };
    let s = cx.settings;
    let f = ff.interval(s.rounding, s.hedge_tolerance);
    let t = tf.interval(s.rounding, s.hedge_tolerance);
    if let Some(found) = direction(dir, ff, tf, &f, &t, cx) {
        return Some(found);
    }
    if let Some(p) = claim.slot("pct") {
        return relative(dir, ff, tf, &cx.figures[p], cx);
    }
    if let Some(m) = claim.slot("mult") {
        let down = tags.iter().any(|t| t == "factor-down");
        return factor(ff, tf, &cx.figures[m], down, cx);
    }
    if let Some(a) = claim.slot("abs") {
        return absolute(dir, ff, tf, &cx.figures[a], cx);
    }
    None
}

fn labels(
    ff: &Figure,
    tf: &Figure,
    stated: Option<&Figure>,
    cx: &Ctx<'_>,
) -> Vec<crate::diagnostic::Label> {
    let mut out = vec![cx.label(ff, "from"), cx.label(tf, "to")];
    if let Some(sf) = stated {
        out.push(cx.label(sf, "stated change"));
    }
    out
}

fn direction(
    dir: Direction,
    ff: &Figure,
    tf: &Figure,
    f: &Interval,
    t: &Interval,
    cx: &Ctx<'_>,
) -> Option<Finding> {
    let (said, actual) = match dir {
        Direction::Up if t.hi < f.lo => ("a rise", "a fall"),
        Direction::Down if t.lo > f.hi => ("a fall", "a rise"),
        _ => return None,
    };
    let (a, b) = (cx.quote(ff), cx.quote(tf));
    Some(Finding {
        rule: "change-direction",
        message: format!("the text describes {said}, but {a} to {b} is {actual}"),
        labels: labels(ff, tf, None, cx),
        help: format!(
            "{b} is {} than {a}; swap the endpoints or the verb",
            if actual == "a fall" {
                "lower"
            } else {
                "higher"
            }
        ),
        computed: None,
    })
}

/// Relative change in per cent implied by the endpoint intervals.
fn relative_interval(f: &Interval, t: &Interval) -> Option<Interval> {
    let ratio = t.div_nonneg(f, 1.0)?;
    Some(Interval {
        lo: (ratio.lo - 1.0) * 100.0,
        hi: (ratio.hi - 1.0) * 100.0,
        ..ratio
    })
}

/// The stated change as a signed interval: "a decrease of 14 per cent" is [-14.5, -13.5].
fn signed(dir: Direction, stated: Interval) -> Interval {
    match dir {
        Direction::Down => stated.neg(),
        _ => stated,
    }
}

/// The change in words, appended to `out`: "an increase of 12.5 per cent".
fn describe_into(out: &mut String, change: f64, decimals: usize) {
    out.push_str(if change < 0.0 {
        "a decrease of "
    } else {
        "an increase of "
    });
    fmt_trim_into(out, change.abs(), decimals);
    out.push_str(" per cent");
}

/// The numbers of a relative change that does not plainly hold, worked out before any
/// words: most relative changes hold, and quoting their figures and writing out the
/// arithmetic for them was work thrown away.
struct RelativeVerdict {
    /// The from and to figures' intervals.
    f: Interval,
    t: Interval,
    /// The relative change that any reading of the endpoints gives, in per cent.
    r: Interval,
    /// The stated change, signed by its direction.
    stated: Interval,
    /// Decimals to show (at least one).
    d: usize,
    /// The change computed from the printed figures, in per cent.
    printed: f64,
    /// `None` when no reading makes the change hold (a mismatch); else the endpoints the
    /// stated change needs, which only some rounding of the printed ones allows.
    needed: Option<(f64, f64)>,
}

/// The verdict on a relative change: `None` when it holds (or cannot be computed).
fn relative_verdict(
    dir: Direction,
    ff: &Figure,
    tf: &Figure,
    sf: &Figure,
    cx: &Ctx<'_>,
) -> Option<RelativeVerdict> {
    let s = cx.settings;
    let f = ff.interval(s.rounding, s.hedge_tolerance);
    let t = tf.interval(s.rounding, s.hedge_tolerance);
    let r = relative_interval(&f, &t)?;
    let stated = signed(dir, sf.interval(Rounding::Nearest, s.hedge_tolerance));
    let d = decimals_of(sf.resolution()).max(1);
    let printed = (tf.value / ff.value - 1.0) * 100.0;
    let needed = if !r.intersects(&stated) {
        None
    } else if stated.contains(printed) {
        return None;
    } else {
        // Holds only for some rounding of the endpoints: say which.
        Some(needed_endpoints(ff, tf, &f, &t, &stated)?)
    };
    Some(RelativeVerdict {
        f,
        t,
        r,
        stated,
        d,
        printed,
        needed,
    })
}

fn relative(
    dir: Direction,
    ff: &Figure,
    tf: &Figure,
    sf: &Figure,
    cx: &Ctx<'_>,
) -> Option<Finding> {
    let RelativeVerdict {
        f,
        t,
        r,
        stated,
        d,
        printed,
        needed,
    } = relative_verdict(dir, ff, tf, sf, cx)?;
    let st = cx.quote(sf);
    let st = st.as_ref();
    let (fv, tv) = (value(ff), value(tf));
    // The help opens with the arithmetic, written in place: "(tv - fv) / fv = x per cent".
    let mut help = String::with_capacity(160 + 2 * st.len() + 3 * fv.len());
    let arithmetic = |help: &mut String| {
        help.push('(');
        help.push_str(&tv);
        help.push_str(" - ");
        help.push_str(&fv);
        help.push_str(") / ");
        help.push_str(&fv);
        help.push_str(" = ");
        fmt_trim_into(help, printed, d + 1);
        help.push_str(" per cent");
    };
    let mut message = String::with_capacity(96 + 2 * st.len());
    let Some((nf, nt)) = needed else {
        // Between two percentages, "5 per cent" may be meant as points.
        let percents = [ff, tf].iter().any(|x| x.kind == FigureKind::Percent)
            && sf.kind == FigureKind::Percent;
        let points = t.sub(&f);
        let (a, b) = (cx.quote(ff), cx.quote(tf));
        if percents && points.intersects(&stated) {
            message.push_str(st);
            message.push_str(" matches the change in percentage points; relative to ");
            message.push_str(&a);
            message.push_str(" the change is ");
            describe_into(&mut message, printed, d);
            help.push_str(&tv);
            help.push_str(" - ");
            help.push_str(&fv);
            help.push_str(" = ");
            fmt_trim_into(&mut help, tf.value - ff.value, d);
            help.push_str(" percentage points; ");
            arithmetic(&mut help);
            help.push_str("; say \"percentage points\" or give the relative change");
            return Some(Finding {
                rule: "points-vs-percent",
                message,
                labels: labels(ff, tf, Some(sf), cx),
                help,
                computed: Some(round_to(printed, d)),
            });
        }
        message.push_str(&a);
        message.push_str(" to ");
        message.push_str(&b);
        message.push_str(" is ");
        describe_into(&mut message, printed, d);
        message.push_str(", not ");
        message.push_str(st);
        arithmetic(&mut help);
        if !r.is_point() {
            help.push_str("; any reading of the rounded endpoints gives ");
            fmt_trim_into(&mut help, r.lo, d);
            help.push_str(" to ");
            fmt_trim_into(&mut help, r.hi, d);
            help.push_str(" per cent");
        }
        help.push_str("; the text says ");
        describe_into(
            &mut help,
            signed_value(dir, sf.value),
            decimals_of(sf.resolution()),
        );
        return Some(Finding {
            rule: "change-mismatch",
            message,
            labels: labels(ff, tf, Some(sf), cx),
            help,
            computed: Some(round_to(printed, d)),
        });
    };
    message.push_str("the printed figures give ");
    describe_into(&mut message, printed, d);
    message.push_str(", not ");
    message.push_str(st);
    arithmetic(&mut help);
    help.push_str("; ");
    help.push_str(st);
    help.push_str(" needs about ");
    fmt_trim_into(&mut help, nf, decimals_of(ff.resolution()) + 1);
    help.push_str(if nt < nf {
        " falling to "
    } else {
        " rising to "
    });
    fmt_trim_into(&mut help, nt, decimals_of(tf.resolution()) + 1);
    help.push_str(", which the rounding of the printed figures only just allows");
    Some(Finding {
        rule: "change-rounding",
        message,
        labels: labels(ff, tf, Some(sf), cx),
        help,
        computed: Some(round_to(printed, d)),
    })
}

/// A figure's value as a number in its own scale ("120 million", "3,778", "8.7").
fn value(f: &Figure) -> String {
    if f.resolution() >= 1000.0 {
        fmt_in_scale(f.value, f.resolution())
    } else {
        fmt_trim(f.value, decimals_of(f.resolution()))
    }
}

fn signed_value(dir: Direction, v: f64) -> f64 {
    if dir == Direction::Down { -v } else { v }
}

fn round_to(v: f64, decimals: usize) -> f64 {
    let m = 10f64.powi(decimals as i32);
    (v * m).round() / m
}

/// The endpoints nearest the printed ones (moving both by the same share of their
/// rounding) whose change falls inside `stated`.
fn needed_endpoints(
    ff: &Figure,
    tf: &Figure,
    f: &Interval,
    t: &Interval,
    stated: &Interval,
) -> Option<(f64, f64)> {
    let printed = (tf.value / ff.value - 1.0) * 100.0;
    // Move towards each other to shrink the change, apart to grow it.
    let shrink = stated.mid().abs() < printed.abs();
    let towards = |s: f64| {
        let (fv, tv) = (ff.value, tf.value);
        let (f_end, t_end) = if (tv < fv) == shrink {
            (f.lo, t.hi)
        } else {
            (f.hi, t.lo)
        };
        (fv + (f_end - fv) * s, tv + (t_end - tv) * s)
    };
    let change = |s: f64| {
        let (a, b) = towards(s);
        (b / a - 1.0) * 100.0
    };
    // The bound of the stated change nearest the printed one; `change` is monotonic in s.
    let target = if printed < stated.lo {
        stated.lo
    } else {
        stated.hi
    };
    let (c0, c1) = (change(0.0), change(1.0));
    if (c0 - target) * (c1 - target) > 0.0 {
        return None;
    }
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..50 {
        let mid = (lo + hi) / 2.0;
        if (change(mid) - target) * (c0 - target) > 0.0 {
            lo = mid
        } else {
            hi = mid
        }
    }
    Some(towards(hi))
}

fn factor(ff: &Figure, tf: &Figure, mf: &Figure, down: bool, cx: &Ctx<'_>) -> Option<Finding> {
    let s = cx.settings;
    let f = ff.interval(s.rounding, s.hedge_tolerance);
    let t = tf.interval(s.rounding, s.hedge_tolerance);
    let ratio = if down {
        f.div_nonneg(&t, 1.0)?
    } else {
        t.div_nonneg(&f, 1.0)?
    };
    // "doubled", "halved", "sevenfold" name an exact factor, so only the hedge tolerance
    // applies; "a factor of 2.6" is read to its stated precision.
    let in_words = !cx.quote(mf).chars().any(|c| c.is_ascii_digit());
    let m = if in_words {
        let slack = mf.value * s.hedge_tolerance;
        Interval::closed(mf.value - slack, mf.value + slack)
    } else {
        mf.interval(Rounding::Nearest, s.hedge_tolerance)
    };
    if ratio.intersects(&m) {
        return None;
    }
    let (a, b, st) = (cx.quote(ff), cx.quote(tf), cx.quote(mf));
    let printed = if down {
        ff.value / tf.value
    } else {
        tf.value / ff.value
    };
    let expr = if down {
        format!("{} / {}", value(ff), value(tf))
    } else {
        format!("{} / {}", value(tf), value(ff))
    };
    Some(Finding {
        rule: "change-mismatch",
        message: format!(
            "{a} to {b} is a factor of {}, not {st}",
            fmt_trim(printed, 2)
        ),
        labels: labels(ff, tf, Some(mf), cx),
        help: format!(
            "{expr} = {}; {st} means a factor of {} to {} as written",
            fmt_trim(printed, 3),
            fmt_trim(m.lo, 3),
            fmt_trim(m.hi, 3)
        ),
        computed: Some(round_to(printed, 2)),
    })
}

fn absolute(
    dir: Direction,
    ff: &Figure,
    tf: &Figure,
    af: &Figure,
    cx: &Ctx<'_>,
) -> Option<Finding> {
    let s = cx.settings;
    let f = ff.interval(s.rounding, s.hedge_tolerance);
    let t = tf.interval(s.rounding, s.hedge_tolerance);
    let diff = t.sub(&f);
    let stated = signed(dir, af.interval(s.rounding, s.hedge_tolerance));
    if diff.intersects(&stated) {
        return None;
    }
    // "rose by 25 percentage points, from 20 per cent to 25 per cent": the points are
    // the relative change, a wrong unit rather than a wrong size; `unit-mismatch` says so.
    let percents = ff.kind == FigureKind::Percent && tf.kind == FigureKind::Percent;
    if percents
        && af.kind == FigureKind::PercentagePoints
        && relative_interval(&f, &t).is_some_and(|r| r.intersects(&stated))
    {
        return None;
    }
    let (a, b, st) = (cx.quote(ff), cx.quote(tf), cx.quote(af));
    let printed = tf.value - ff.value;
    let d = decimals_of(af.resolution().min(ff.resolution()).min(tf.resolution()));
    Some(Finding {
        rule: "change-mismatch",
        message: format!(
            "{a} to {b} is a change of {}, not {st}",
            fmt_trim(printed, d)
        ),
        labels: labels(ff, tf, Some(af), cx),
        help: format!(
            "{} - {} = {}; the text says {st}",
            value(tf),
            value(ff),
            fmt_in_scale(printed, af.resolution())
        ),
        computed: Some(printed),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (Oracle, as it was) The change in words.
    fn describe_by_format(change: f64, decimals: usize) -> String {
        let word = if change < 0.0 {
            "a decrease"
        } else {
            "an increase"
        };
        format!("{word} of {} per cent", fmt_trim(change.abs(), decimals))
    }

    fn relative_by_format(
        dir: Direction,
        ff: &Figure,
        tf: &Figure,
        sf: &Figure,
        cx: &Ctx<'_>,
    ) -> Option<Finding> {
        // The verdict is the code's own; only the words were written with format!.
        let RelativeVerdict {
            f,
            t,
            r,
            stated,
            d,
            printed,
            needed,
        } = relative_verdict(dir, ff, tf, sf, cx)?;
        let (a, b, st) = (cx.quote(ff), cx.quote(tf), cx.quote(sf));
        let (fv, tv) = (value(ff), value(tf));
        let arithmetic = format!(
            "({tv} - {fv}) / {fv} = {} per cent",
            fmt_trim(printed, d + 1)
        );
        let Some((nf, nt)) = needed else {
            // Between two percentages, "5 per cent" may be meant as points.
            let percents = [ff, tf].iter().any(|x| x.kind == FigureKind::Percent)
                && sf.kind == FigureKind::Percent;
            let points = t.sub(&f);
            if percents && points.intersects(&stated) {
                return Some(Finding {
                    rule: "points-vs-percent",
                    message: format!(
                        "{st} matches the change in percentage points; relative to {a} the change is {}",
                        describe_by_format(printed, d)
                    ),
                    labels: labels(ff, tf, Some(sf), cx),
                    help: format!(
                        "{tv} - {fv} = {} percentage points; {arithmetic}; say \"percentage points\" or give the relative change",
                        fmt_trim(tf.value - ff.value, d)
                    ),
                    computed: Some(round_to(printed, d)),
                });
            }
            let shown = if r.is_point() {
                arithmetic.clone()
            } else {
                format!(
                    "{arithmetic}; any reading of the rounded endpoints gives {} to {} per cent",
                    fmt_trim(r.lo, d),
                    fmt_trim(r.hi, d)
                )
            };
            return Some(Finding {
                rule: "change-mismatch",
                message: format!("{a} to {b} is {}, not {st}", describe_by_format(printed, d)),
                labels: labels(ff, tf, Some(sf), cx),
                help: format!(
                    "{shown}; the text says {}",
                    describe_by_format(signed_value(dir, sf.value), decimals_of(sf.resolution()))
                ),
                computed: Some(round_to(printed, d)),
            });
        };
        Some(Finding {
            rule: "change-rounding",
            message: format!(
                "the printed figures give {}, not {st}",
                describe_by_format(printed, d)
            ),
            labels: labels(ff, tf, Some(sf), cx),
            help: format!(
                "{arithmetic}; {st} needs about {} {} to {}, which the rounding of the printed figures only just allows",
                fmt_trim(nf, decimals_of(ff.resolution()) + 1),
                if nt < nf { "falling" } else { "rising" },
                fmt_trim(nt, decimals_of(tf.resolution()) + 1)
            ),
            computed: Some(round_to(printed, d)),
        })
    }

    /// A figure as an author might write it, a percentage or a count.
    fn written() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let number = prop_oneof![
            (1u64..5_000).prop_map(|n| n.to_string()),
            (1u64..1000, 1usize..3).prop_map(|(n, d)| {
                let s = format!("{:0>w$}", n, w = d + 1);
                format!("{}.{}", &s[..s.len() - d], &s[s.len() - d..])
            }),
        ];
        let unit = prop_oneof![
            Just(" per cent"),
            Just(" per cent"),
            Just(""),
            Just(" million")
        ];
        let hedge = prop_oneof![Just(""), Just(""), Just("about ")];
        (hedge, number, unit).prop_map(|(h, n, u)| format!("{h}{n}{u}"))
    }

    /// Crafted changes reach every finding: points given as per cent, a mismatch with a
    /// point change and with a range, and one that holds only for some rounding.
    #[test]
    fn crafted_relative_changes_match_the_formatted_ones() {
        let mut found = std::collections::BTreeSet::new();
        for (from, to, pct) in [
            ("20 per cent", "25 per cent", "5 per cent"),
            ("30.5 per cent", "27.5 per cent", "3 per cent"),
            ("1,200", "1,500", "20 per cent"),
            ("about 1.2 million", "1.5 million", "40 per cent"),
            ("11", "14", "25 per cent"),
            ("1.5", "1.75", "17 per cent"),
        ] {
            let text = format!("It went from {from} to {to}, by {pct}.\n");
            let file = crate::source::SourceFile::from_text("t.txt", text.clone());
            let figures = crate::figures::scan(&text);
            for rounding in [Rounding::Nearest, Rounding::Truncate] {
                let settings = crate::settings::Settings {
                    rounding,
                    ..Default::default()
                };
                let cx = Ctx {
                    file: &file,
                    figures: &figures,
                    settings: &settings,
                    families: &[],
                };
                let [ff, tf, sf] = figures.as_slice() else {
                    panic!("three figures in {text}");
                };
                for dir in [Direction::Up, Direction::Down, Direction::Unsaid] {
                    let got = relative(dir, ff, tf, sf, &cx);
                    assert_eq!(got, relative_by_format(dir, ff, tf, sf, &cx), "{text}");
                    found.extend(got.map(|f| f.rule));
                }
            }
        }
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            ["change-mismatch", "change-rounding", "points-vs-percent"]
        );
    }

    proptest::proptest! {
        /// Relative-change findings written in place read as the ones built with
        /// `format!`, in every direction and rounding.
        #[test]
        fn relative_changes_match_the_formatted_ones(
            from in written(),
            to in written(),
            pct in written(),
            rounding in proptest::sample::select(vec![Rounding::Nearest, Rounding::Truncate, Rounding::Either]),
        ) {
            let text = format!("It went from {from} to {to}, by {pct}.\n");
            let file = crate::source::SourceFile::from_text("t.txt", text.clone());
            let figures = crate::figures::scan(&text);
            let settings = crate::settings::Settings { rounding, ..Default::default() };
            let cx = Ctx { file: &file, figures: &figures, settings: &settings, families: &[] };
            let [ff, tf, sf] = figures.as_slice() else {
                return Ok(());
            };
            for dir in [Direction::Up, Direction::Down, Direction::Unsaid] {
                proptest::prop_assert_eq!(
                    relative(dir, ff, tf, sf, &cx),
                    relative_by_format(dir, ff, tf, sf, &cx),
                    "{}", text
                );
            }
        }
    }
}
