//! Share rules: `share-mismatch`, `share-rounding`, `part-exceeds-whole`.
//!
//! A share claim has a part, usually a whole, and usually a stated percentage. Each figure
//! is an interval; the computed share is the interval part / whole. The claim holds when
//! that interval meets the stated percentage's interval under the configured rounding.

use super::format::{decimals_of, fmt_fixed_into, fmt_in_scale_into, fmt_trim_into};
use super::{Ctx, Finding};
use crate::claims::Claim;
use crate::diagnostic::Label;
use crate::figures::{Figure, Rounding};
use crate::interval::Interval;

/// How a part/whole/percentage triple fares; ordered from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub(crate) enum Verdict {
    Holds,
    /// Holds only under the other rounding convention.
    OtherRounding,
    /// Off by one unit in the last stated digit.
    LastDigit,
    Mismatch,
    Exceeds,
}

/// Check one share claim.
pub(crate) fn check(claim: &Claim, cx: &Ctx<'_>) -> Option<Finding> {
    let part = claim.slot("part")?;
    let pct = claim.slot("pct");
    let pf = &cx.figures[part];

    if let Some(neg) = [Some(part), claim.slot("whole")]
        .into_iter()
        .flatten()
        .find(|&i| cx.figures[i].value < 0.0)
    {
        let f = &cx.figures[neg];
        return Some(Finding {
            rule: "part-exceeds-whole",
            message: format!("a count in a share is negative: {}", cx.quote(f)),
            labels: vec![cx.label(f, "negative count")],
            help: "a count of people or things cannot be below zero; check the sign".into(),
            computed: None,
        });
    }
    if let Some(p) = pct {
        let sf = &cx.figures[p];
        let stated = sf.interval(Rounding::Nearest, cx.settings.hedge_tolerance);
        if stated.lo > 100.0 + 1e-9 {
            let mut labels = vec![cx.label(pf, "part"), cx.label(sf, "stated share")];
            if let Some(w) = claim.slot("whole") {
                labels.insert(1, cx.label(&cx.figures[w], "whole"));
            }
            return Some(Finding {
                rule: "part-exceeds-whole",
                message: format!("a part cannot be {} of its whole", cx.quote(sf)),
                labels,
                help: "a share of a whole is at most 100 per cent; a rise or a ratio to another quantity needs different wording".into(),
                computed: None,
            });
        }
    }

    // Walked in place, not collected: a share claim is checked once.
    let wholes = claim.slot("whole").into_iter().chain(
        claim
            .alternatives
            .iter()
            .filter(|(n, _)| n == "whole")
            .map(|(_, i)| *i),
    );
    // The most favourable reading wins: report only what fails under every whole.
    let (verdict, whole) = wholes
        .map(|w| {
            (
                judge(pf, &cx.figures[w], pct.map(|p| &cx.figures[p]), cx),
                w,
            )
        })
        .min_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal))?;
    let wf = &cx.figures[whole];
    match verdict {
        Verdict::Holds => None,
        Verdict::Exceeds => Some(Finding {
            rule: "part-exceeds-whole",
            message: format!(
                "the part {} is larger than its whole {}",
                cx.quote(pf),
                cx.quote(wf)
            ),
            labels: vec![cx.label(pf, "part"), cx.label(wf, "whole")],
            help: format!(
                "a part cannot exceed its whole: {} > {}; one of the two figures is probably mistyped",
                cx.quote(pf),
                cx.quote(wf)
            ),
            computed: None,
        }),
        v => pct.map(|p| share_finding(v, pf, wf, &cx.figures[p], cx)),
    }
}

/// Judge part / whole against the stated share (if any) under the configured rounding.
pub(crate) fn judge(part: &Figure, whole: &Figure, pct: Option<&Figure>, cx: &Ctx<'_>) -> Verdict {
    let s = cx.settings;
    let p = part.interval(s.rounding, s.hedge_tolerance);
    let w = whole.interval(s.rounding, s.hedge_tolerance);
    if p.lo > w.hi * (1.0 + 1e-12) && !(p.lo_open && w.hi_open && p.lo == w.hi) {
        return Verdict::Exceeds;
    }
    let Some(pct) = pct else {
        return Verdict::Holds;
    };
    let Some(r) = p.div_nonneg(&w, 100.0) else {
        return Verdict::Holds;
    };
    let near = pct.interval(Rounding::Nearest, s.hedge_tolerance);
    let trunc = pct.interval(Rounding::Truncate, s.hedge_tolerance);
    let (accepted, other) = match s.rounding {
        Rounding::Nearest => (r.intersects(&near), r.intersects(&trunc)),
        Rounding::Truncate => (r.intersects(&trunc), r.intersects(&near)),
        Rounding::Either => (r.intersects(&near) || r.intersects(&trunc), false),
    };
    if accepted {
        return Verdict::Holds;
    }
    if other {
        return Verdict::OtherRounding;
    }
    let u = pct.resolution();
    let window = Interval::closed(near.lo - u, near.hi + u);
    if r.intersects(&window) {
        Verdict::LastDigit
    } else {
        Verdict::Mismatch
    }
}

/// How a figure's interval is read, in the figure's scale, appended to `out`: "exactly
/// 1,500", "1.15 million to 1.25 million", "more than 1.45 million".
fn reading_into(out: &mut String, i: &Interval, f: &Figure) {
    match (i.lo.is_finite(), i.hi.is_finite()) {
        _ if i.is_point() => {
            out.push_str("exactly ");
            fmt_trim_into(out, i.lo, 6);
        }
        (true, true) => {
            fmt_in_scale_into(out, i.lo, f.resolution());
            out.push_str(" to ");
            fmt_in_scale_into(out, i.hi, f.resolution());
        }
        (true, false) => {
            out.push_str("more than ");
            fmt_in_scale_into(out, i.lo, f.resolution());
        }
        (false, true) => {
            out.push_str("less than ");
            fmt_in_scale_into(out, i.hi, f.resolution());
        }
        (false, false) => out.push_str("any value"),
    }
}

/// The numbers a share finding shows: the part's and the whole's intervals, the decimals
/// of the stated share, whether both figures are exact, the computed share and its
/// interval (per cent).
struct ComputedShare {
    p: Interval,
    w: Interval,
    decimals: usize,
    exact: bool,
    value: f64,
    r: Interval,
}

/// The share of `pf` in `wf`, computed as [`ComputedShare`] says, to the stated share
/// `sf`'s decimals.
fn computed_share(pf: &Figure, wf: &Figure, sf: &Figure, cx: &Ctx<'_>) -> ComputedShare {
    let s = cx.settings;
    let p = pf.interval(s.rounding, s.hedge_tolerance);
    let w = wf.interval(s.rounding, s.hedge_tolerance);
    let decimals = decimals_of(sf.resolution());
    let exact = p.is_point() && w.is_point();
    let value = if exact {
        p.lo / w.lo * 100.0
    } else {
        p.div_nonneg(&w, 100.0).map_or(0.0, |r| r.mid())
    };
    let r = p.div_nonneg(&w, 100.0).unwrap_or(Interval::point(value));
    ComputedShare {
        p,
        w,
        decimals,
        exact,
        value,
        r,
    }
}

/// The finding for a share that does not hold (`v` is not [`Verdict::Holds`] or
/// [`Verdict::Exceeds`]): the computed share, the arithmetic, and the rounding tier.
///
/// Every share finding makes one: its strings are put together piece by piece, each
/// allocated once at about its final size, the numbers written straight into them, and
/// each figure quoted once for the message, the help and its label.
pub(crate) fn share_finding(
    v: Verdict,
    pf: &Figure,
    wf: &Figure,
    sf: &Figure,
    cx: &Ctx<'_>,
) -> Finding {
    let s = cx.settings;
    let ComputedShare {
        p,
        w,
        decimals,
        exact,
        value,
        r,
    } = computed_share(pf, wf, sf, cx);
    // An open-ended share ("more than 1.5 million" of 3 million) is "more than" its bound.
    let open = !r.hi.is_finite();
    let (part, whole, stated) = (cx.quote(pf), cx.quote(wf), cx.quote(sf));
    let (part, whole, stated) = (part.as_ref(), whole.as_ref(), stated.as_ref());
    // The computed share is written once, into the stated share's label ("stated: 21.02
    // per cent (computed: 23.02)"), and read from there by the message and the help.
    let mut stated_label = String::with_capacity(32 + stated.len());
    stated_label.push_str("stated: ");
    stated_label.push_str(stated);
    stated_label.push_str(" (computed: ");
    let at = stated_label.len();
    fmt_fixed_into(&mut stated_label, if open { r.lo } else { value }, decimals);
    let end = stated_label.len();
    stated_label.push(')');
    let computed = stated_label.get(at..end).unwrap_or_default();
    let (rule, tail): (_, &[&str]) = match v {
        Verdict::OtherRounding if s.rounding == Rounding::Truncate => (
            "share-rounding",
            &[
                "; truncated, that is not ",
                stated,
                "; rounded to nearest it is (use `--rounding either` to accept both)",
            ],
        ),
        Verdict::OtherRounding => (
            "share-rounding",
            &[
                ", which rounds to ",
                computed,
                "; ",
                stated,
                " is the truncated value (use `--rounding truncate` or `either` if the report truncates)",
            ],
        ),
        Verdict::LastDigit => (
            "share-rounding",
            &[
                "; the text says ",
                stated,
                ", off by one unit in the last digit",
            ],
        ),
        _ => ("share-mismatch", &["; the text says ", stated]),
    };
    // The help: the arithmetic, then what the text says.
    let tail_len: usize = tail.iter().map(|t| t.len()).sum();
    let mut help = String::with_capacity(
        96 + tail_len
            + if exact {
                0
            } else {
                part.len() + whole.len() + 64
            },
    );
    if exact {
        fmt_trim_into(&mut help, p.lo, 6);
        help.push_str(" / ");
        fmt_trim_into(&mut help, w.lo, 6);
        help.push_str(" = ");
        fmt_trim_into(&mut help, value, decimals + 2);
    } else {
        help.push_str("reading ");
        help.push_str(part);
        help.push_str(" as ");
        reading_into(&mut help, &p, pf);
        help.push_str(" and ");
        help.push_str(whole);
        help.push_str(" as ");
        reading_into(&mut help, &w, wf);
        help.push_str(", the share is ");
        if open {
            help.push_str("more than ");
            fmt_trim_into(&mut help, r.lo, decimals + 2);
        } else {
            fmt_trim_into(&mut help, r.lo, decimals + 2);
            help.push_str(" to ");
            fmt_trim_into(&mut help, r.hi, decimals + 2);
        }
    }
    help.push_str(" per cent");
    for t in tail {
        help.push_str(t);
    }
    let message = match v {
        Verdict::OtherRounding if s.rounding == Rounding::Truncate => [
            stated,
            " holds for ",
            part,
            " out of ",
            whole,
            " only if rounded to nearest",
        ]
        .concat(),
        Verdict::OtherRounding => [
            stated,
            " holds for ",
            part,
            " out of ",
            whole,
            " only if truncated; rounded, it is ",
            computed,
        ]
        .concat(),
        Verdict::LastDigit => [
            part,
            " out of ",
            whole,
            " is ",
            computed,
            " per cent, one unit off the stated ",
            stated,
        ]
        .concat(),
        _ => [
            part,
            " out of ",
            whole,
            " is ",
            if open { "more than " } else { "" },
            computed,
            " per cent, not ",
            stated,
        ]
        .concat(),
    };
    let mut labels = Vec::with_capacity(3);
    labels.extend([
        Label {
            span: pf.span(),
            message: ["part: ", part].concat(),
        },
        Label {
            span: wf.span(),
            message: ["whole: ", whole].concat(),
        },
    ]);
    // Commas (thousands) are dropped before parsing; without any, no copy is made.
    let computed = if computed.contains(',') {
        computed.replace(',', "").parse().ok()
    } else {
        computed.parse().ok()
    };
    labels.push(Label {
        span: sf.span(),
        message: stated_label,
    });
    Finding {
        rule,
        message,
        labels,
        help,
        computed,
    }
}

#[cfg(test)]
mod oracle {
    use super::*;
    use crate::rules::format::{fmt_fixed, fmt_in_scale, fmt_trim};

    /// (Oracle) How a figure's interval is read, in the figure's scale: "exactly 1,500",
    /// "1.15 million to 1.25 million", "more than 1.45 million".
    fn reading_by_format(i: &Interval, f: &Figure) -> String {
        match (i.lo.is_finite(), i.hi.is_finite()) {
            _ if i.is_point() => format!("exactly {}", fmt_trim(i.lo, 6)),
            (true, true) => format!(
                "{} to {}",
                fmt_in_scale(i.lo, f.resolution()),
                fmt_in_scale(i.hi, f.resolution())
            ),
            (true, false) => format!("more than {}", fmt_in_scale(i.lo, f.resolution())),
            (false, true) => format!("less than {}", fmt_in_scale(i.hi, f.resolution())),
            (false, false) => "any value".into(),
        }
    }

    /// The finding for a share that does not hold (`v` is not [`Verdict::Holds`] or
    /// [`Verdict::Exceeds`]): the computed share, the arithmetic, and the rounding tier.
    fn share_finding_by_format(
        v: Verdict,
        pf: &Figure,
        wf: &Figure,
        sf: &Figure,
        cx: &Ctx<'_>,
    ) -> Finding {
        let s = cx.settings;
        let ComputedShare {
            p,
            w,
            decimals,
            exact,
            value,
            r,
        } = computed_share(pf, wf, sf, cx);
        // An open-ended share ("more than 1.5 million" of 3 million) is "more than" its bound.
        // The computed text borrows the computed share unless it needs words before it.
        let computed = fmt_fixed(if r.hi.is_finite() { value } else { r.lo }, decimals);
        let computed_text = if r.hi.is_finite() {
            std::borrow::Cow::Borrowed(computed.as_str())
        } else {
            std::borrow::Cow::Owned(format!("more than {computed}"))
        };
        let (part, whole, stated) = (cx.quote(pf), cx.quote(wf), cx.quote(sf));
        let arithmetic = if exact {
            format!(
                "{} / {} = {} per cent",
                fmt_trim(p.lo, 6),
                fmt_trim(w.lo, 6),
                fmt_trim(value, decimals + 2)
            )
        } else {
            let share = if r.hi.is_finite() {
                format!(
                    "{} to {}",
                    fmt_trim(r.lo, decimals + 2),
                    fmt_trim(r.hi, decimals + 2)
                )
            } else {
                format!("more than {}", fmt_trim(r.lo, decimals + 2))
            };
            format!(
                "reading {part} as {} and {whole} as {}, the share is {share} per cent",
                reading_by_format(&p, pf),
                reading_by_format(&w, wf)
            )
        };
        let labels = vec![
            cx.label(pf, "part"),
            cx.label(wf, "whole"),
            cx.label_note(sf, "stated", &format!("computed: {computed}")),
        ];
        let (rule, message, help) = match v {
            Verdict::OtherRounding if s.rounding == Rounding::Truncate => (
                "share-rounding",
                format!("{stated} holds for {part} out of {whole} only if rounded to nearest"),
                format!(
                    "{arithmetic}; truncated, that is not {stated}; rounded to nearest it is (use `--rounding either` to accept both)"
                ),
            ),
            Verdict::OtherRounding => (
                "share-rounding",
                format!(
                    "{stated} holds for {part} out of {whole} only if truncated; rounded, it is {computed}"
                ),
                format!(
                    "{arithmetic}, which rounds to {computed}; {stated} is the truncated value (use `--rounding truncate` or `either` if the report truncates)"
                ),
            ),
            Verdict::LastDigit => (
                "share-rounding",
                format!(
                    "{part} out of {whole} is {computed} per cent, one unit off the stated {stated}"
                ),
                format!("{arithmetic}; the text says {stated}, off by one unit in the last digit"),
            ),
            _ => (
                "share-mismatch",
                format!("{part} out of {whole} is {computed_text} per cent, not {stated}"),
                format!("{arithmetic}; the text says {stated}"),
            ),
        };
        Finding {
            rule,
            message,
            labels,
            help,
            // Commas (thousands) are dropped before parsing; without any, no copy is made.
            computed: if computed.contains(',') {
                computed.replace(',', "").parse().ok()
            } else {
                computed.parse().ok()
            },
        }
    }

    /// A figure as an author might write it: a count, a decimal, a scaled amount, with
    /// or without a hedge or a bound, spread over a line break or not.
    fn written() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let number = prop_oneof![
            (0u64..5_000_000).prop_map(|n| n.to_string()),
            (1u64..100_000, 0u32..4).prop_map(|(n, d)| {
                let d = d as usize;
                let s = format!("{:0>w$}", n, w = d + 1);
                if d == 0 {
                    s
                } else {
                    format!("{}.{}", &s[..s.len() - d], &s[s.len() - d..])
                }
            }),
            (1u64..10_000).prop_map(|n| {
                let s = n.to_string();
                if s.len() > 3 {
                    format!("{},{}", &s[..s.len() - 3], &s[s.len() - 3..])
                } else {
                    s
                }
            }),
        ];
        let scale = prop_oneof![
            Just(""),
            Just(" million"),
            Just(" thousand"),
            Just(" billion")
        ];
        let hedge = prop_oneof![
            Just(""),
            Just("about "),
            Just("more than "),
            Just("nearly "),
            Just("less than ")
        ];
        let space = prop_oneof![Just(" "), Just(" \n ")];
        (hedge, number, scale, space)
            .prop_map(|(h, n, s, sp)| format!("{h}{n}{}", s.replace(' ', sp)))
    }

    proptest::proptest! {
        /// Share findings built piece by piece read word for word as the ones built with
        /// `format!`, for every verdict, rounding convention and kind of figure.
        #[test]
        fn share_findings_match_the_formatted_ones(
            part in written(),
            whole in written(),
            pct in written(),
            rounding in proptest::sample::select(vec![Rounding::Nearest, Rounding::Truncate, Rounding::Either]),
        ) {
            let text = format!("Of {whole}, {part} or {pct} per cent took part.\n");
            let file = crate::source::SourceFile::from_text("t.txt", text.clone());
            let figures = crate::figures::scan(&text);
            let settings = crate::settings::Settings { rounding, ..Default::default() };
            let cx = Ctx { file: &file, figures: &figures, settings: &settings, families: &[] };
            for (a, b, c) in [(0, 1, 2), (1, 0, 2), (2, 1, 0), (0, 2, 1)] {
                let (Some(pf), Some(wf), Some(sf)) = (figures.get(a), figures.get(b), figures.get(c)) else {
                    continue;
                };
                for v in [Verdict::OtherRounding, Verdict::LastDigit, Verdict::Mismatch] {
                    proptest::prop_assert_eq!(
                        share_finding(v, pf, wf, sf, &cx),
                        share_finding_by_format(v, pf, wf, sf, &cx),
                        "{}", text
                    );
                }
            }
        }
    }
}
