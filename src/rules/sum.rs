//! Sum rules: `sum-mismatch`, `nested-sum-mismatch`, `percent-sum`.
//!
//! Parts and totals are intervals; the parts' sum is the sum of their intervals, so a
//! breakdown of rounded figures passes whenever some reading of the roundings adds up.

use super::format::{decimals_of, fmt_in_scale_into, fmt_trim, fmt_trim_into};
use super::{Ctx, Finding};
use crate::claims::Claim;
use crate::figures::{Figure, Rounding};
use crate::interval::Interval;

/// Check one sum claim: a breakdown, a nested breakdown, or complementary percentages.
pub(crate) fn check(claim: &Claim, cx: &Ctx<'_>) -> Option<Finding> {
    let tags = cx.tags(claim);
    if tags.iter().any(|t| t == "implied") {
        // Judged across claims by `implied_totals`.
        return None;
    }
    let pcts: Vec<usize> = claim.all("pct").collect();
    if pcts.len() >= 2 {
        // A pair makes up its whole; a breakdown list may leave groups out.
        let exhaustive =
            tags.iter().any(|t| t == "pair") && !tags.iter().any(|t| t == "non-exhaustive");
        return percent_sum(&pcts, exhaustive, cx);
    }
    let non_exhaustive = tags.iter().any(|t| t == "non-exhaustive");
    if let Some(total) = claim.slot("total") {
        let parts: Vec<usize> = claim.all("part").collect();
        if counts_other_things(claim, "total", "part") {
            return None;
        }
        // An earlier figure in the sentence may be the total meant: report only when the
        // breakdown fails for every reading.
        let readings = std::iter::once(total).chain(
            claim
                .alternatives
                .iter()
                .filter(|(n, _)| n == "total")
                .map(|(_, i)| *i),
        );
        // The verdict under every reading first: the finding, from the first reading,
        // is written only when all fail.
        if readings
            .into_iter()
            .all(|t| breakdown_fails(t, &parts, non_exhaustive, cx))
        {
            return breakdown("sum-mismatch", total, &parts, non_exhaustive, cx);
        }
    }
    if let Some(sub) = claim.slot("sub") {
        let parts: Vec<usize> = claim.all("subpart").collect();
        return breakdown("nested-sum-mismatch", sub, &parts, false, cx);
    }
    None
}

/// True when every part counts one kind of thing and the total another ("1.2 million
/// people (475 villages in 2024, 795 villages in 2025 ...)"): not a breakdown of it.
///
/// The nouns are walked in place and compared without their plural `s`, with nothing
/// collected or copied: most sum claims ask this.
fn counts_other_things(claim: &Claim, total: &str, part: &str) -> bool {
    fn stem(w: &str) -> &str {
        w.trim_end_matches('s')
    }
    let nouns_of = |name| {
        claim
            .slots
            .iter()
            .zip(claim.nouns.iter())
            .filter(move |((n, _), _)| n == name)
            .map(|(_, w)| w)
    };
    let mut parts = nouns_of(part);
    let Some(Some(first)) = parts.next() else {
        return false;
    };
    let first = stem(first);
    let mut count = 1;
    for w in parts {
        if w.is_none_or(|w| stem(w) != first) {
            return false;
        }
        count += 1;
    }
    count >= 2
        && nouns_of(total)
            .next()
            .flatten()
            .is_some_and(|t| stem(t) != first)
}

/// Sum of the parts' intervals.
fn sum_of(parts: &[usize], cx: &Ctx<'_>) -> Interval {
    let s = cx.settings;
    parts
        .iter()
        .map(|&i| cx.figures[i].interval(s.rounding, s.hedge_tolerance))
        .fold(Interval::point(0.0), |acc, x| acc.add(&x))
}

/// The parts written out with their sum: "4 + 38 + 16 = 58".
pub(crate) fn addition(parts: &[usize], sum: &Interval, unit_of: &Figure, cx: &Ctx<'_>) -> String {
    let mut out = String::new();
    addition_into(&mut out, parts, sum, unit_of, cx);
    out
}

/// [`addition`] appended to `out`: each part quoted straight into it, with no list of
/// quotes joined into a string of its own first.
fn addition_into(
    out: &mut String,
    parts: &[usize],
    sum: &Interval,
    unit_of: &Figure,
    cx: &Ctx<'_>,
) {
    for (n, &i) in parts.iter().enumerate() {
        if n > 0 {
            out.push_str(" + ");
        }
        out.push_str(&cx.quote(&cx.figures[i]));
    }
    out.push_str(" = ");
    if sum.is_point() {
        fmt_trim_into(out, sum.lo, 6);
    } else if sum.hi.is_finite() {
        fmt_in_scale_into(out, sum.lo, unit_of.resolution());
        out.push_str(" to ");
        fmt_in_scale_into(out, sum.hi, unit_of.resolution());
    } else {
        out.push_str("more than ");
        fmt_in_scale_into(out, sum.lo, unit_of.resolution());
    }
}

/// Whether the parts, at least two and of the total's kind, do not add up to the total
/// under any reading of their rounding (or, for a partial list, exceed it).
fn breakdown_fails(total: usize, parts: &[usize], non_exhaustive: bool, cx: &Ctx<'_>) -> bool {
    if parts.len() < 2 {
        return false;
    }
    let s = cx.settings;
    let tf = &cx.figures[total];
    // Money parts of a money total, counts of a count: a mix is not one breakdown.
    if parts
        .iter()
        .any(|&i| std::mem::discriminant(&cx.figures[i].kind) != std::mem::discriminant(&tf.kind))
    {
        return false;
    }
    let t = tf.interval(s.rounding, s.hedge_tolerance);
    let sum = sum_of(parts, cx);
    if non_exhaustive {
        sum.lo > t.hi * (1.0 + 1e-12)
    } else {
        !sum.intersects(&t)
    }
}

/// The finding for a breakdown that does not add up, if it does not.
fn breakdown(
    rule: &'static str,
    total: usize,
    parts: &[usize],
    non_exhaustive: bool,
    cx: &Ctx<'_>,
) -> Option<Finding> {
    if !breakdown_fails(total, parts, non_exhaustive, cx) {
        return None;
    }
    let tf = &cx.figures[total];
    let sum = sum_of(parts, cx);
    let (total_q, first) = (cx.quote(tf), &cx.figures[parts[0]]);
    let total_q = total_q.as_ref();
    let mut shown = String::new();
    if sum.is_point() {
        fmt_trim_into(&mut shown, sum.lo, 6);
    } else if sum.hi.is_finite() {
        fmt_in_scale_into(&mut shown, sum.mid(), first.resolution());
    } else {
        shown.push_str("more than ");
        fmt_in_scale_into(&mut shown, sum.lo, first.resolution());
    }
    let nested = rule == "nested-sum-mismatch";
    let mut labels = Vec::with_capacity(1 + parts.len());
    labels.push(cx.label(tf, if nested { "sub-total" } else { "total" }));
    let role = if nested { "sub-count" } else { "part" };
    labels.extend(
        parts
            .iter()
            .enumerate()
            .map(|(n, &i)| cx.label_numbered(&cx.figures[i], role, n + 1)),
    );
    let (message, tail): (_, &[&str]) = if non_exhaustive {
        (
            [
                "the parts add up to ",
                &shown,
                ", more than the total ",
                total_q,
            ]
            .concat(),
            &[
                ", more than ",
                total_q,
                "; even a partial list cannot exceed its total",
            ],
        )
    } else if nested {
        (
            ["the sub-counts add up to ", &shown, ", not ", total_q].concat(),
            &["; the text gives ", total_q, " for the whole"],
        )
    } else {
        (
            ["the parts add up to ", &shown, ", not ", total_q].concat(),
            &["; the text says ", total_q],
        )
    };
    // The help: the addition, then what the text says.
    let mut help = String::with_capacity(64 + 16 * parts.len() + 2 * total_q.len() + 48);
    addition_into(&mut help, parts, &sum, first, cx);
    for t in tail {
        help.push_str(t);
    }
    let computed = sum
        .is_point()
        .then_some(sum.lo)
        .or(Some(sum.mid()).filter(|m| m.is_finite()));
    Some(Finding {
        rule,
        message,
        labels,
        help,
        computed,
    })
}

fn percent_sum(pcts: &[usize], pair: bool, cx: &Ctx<'_>) -> Option<Finding> {
    let tol = cx.settings.hedge_tolerance;
    let sum = pcts
        .iter()
        .map(|&i| cx.figures[i].interval(Rounding::Nearest, tol))
        .fold(Interval::point(0.0), |acc, x| acc.add(&x));
    let hundred = Interval::point(100.0);
    let fails = if pair {
        !sum.intersects(&hundred)
    } else {
        sum.lo > 100.0 + 1e-9
    };
    if !fails {
        return None;
    }
    let terms: Vec<_> = pcts.iter().map(|&i| cx.quote(&cx.figures[i])).collect();
    let d = pcts
        .iter()
        .map(|&i| decimals_of(cx.figures[i].resolution()))
        .max()
        .unwrap_or(0);
    let exact: f64 = pcts.iter().map(|&i| cx.figures[i].value).sum();
    let labels = pcts
        .iter()
        .enumerate()
        .map(|(n, &i)| cx.label(&cx.figures[i], &format!("share {}", n + 1)))
        .collect();
    let message = if pair {
        format!(
            "shares that make up one whole sum to {} per cent, not 100",
            fmt_trim(exact, d)
        )
    } else {
        format!(
            "shares of one whole sum to {} per cent, more than the whole",
            fmt_trim(exact, d)
        )
    };
    Some(Finding {
        rule: "percent-sum",
        message,
        labels,
        help: format!(
            "{} = {} per cent; with each share rounded to its last digit the sum can be {} to {}, which {}",
            terms.join(" + "),
            fmt_trim(exact, d),
            fmt_trim(sum.lo, d + 1),
            fmt_trim(sum.hi, d + 1),
            if pair {
                "leaves out 100"
            } else {
                "is more than the whole"
            }
        ),
        computed: Some(exact),
    })
}

/// Bytes within which two shares of "the total" count as shares of the same total.
const IMPLIED_WINDOW: usize = 800;

/// `implied-total`: shares of one unstated total, near each other and counting the same
/// thing, must imply overlapping totals. Returns each finding with the span it covers.
pub(crate) fn implied_totals(
    claims: &[Claim],
    cx: &Ctx<'_>,
) -> Vec<(Finding, crate::source::Span)> {
    let s = cx.settings;
    let implied: Vec<(&Claim, usize, usize, String)> = claims
        .iter()
        .filter(|c| c.family == "sum" && cx.tags(c).iter().any(|t| t == "implied"))
        .filter_map(|c| {
            let part = c.slot("part")?;
            let pct = c.slot("pct")?;
            let noun = c
                .slots
                .iter()
                .zip(c.nouns.iter())
                .find(|((n, _), _)| n == "part")
                .and_then(|(_, w)| w)?;
            Some((c, part, pct, noun.trim_end_matches('s').to_string()))
        })
        .collect();
    let implied_total = |part: usize, pct: usize| {
        let p = cx.figures[part].interval(s.rounding, s.hedge_tolerance);
        let q = cx.figures[pct].interval(Rounding::Nearest, s.hedge_tolerance);
        p.div_nonneg(&q, 100.0)
    };
    let mut out = Vec::new();
    for (i, (a, ap, aq, an)) in implied.iter().enumerate() {
        // Claims are in text order: past the window, no later one is near enough.
        let Some((b, bp, bq, _)) = implied[i + 1..]
            .iter()
            .take_while(|(b, ..)| b.span.start.saturating_sub(a.span.end) <= IMPLIED_WINDOW)
            .find(|(_, _, _, bn)| bn == an)
        else {
            continue;
        };
        let (Some(ta), Some(tb)) = (implied_total(*ap, *aq), implied_total(*bp, *bq)) else {
            continue;
        };
        if ta.intersects(&tb) || !ta.hi.is_finite() || !tb.hi.is_finite() {
            continue;
        }
        let q = |f: usize| cx.quote(&cx.figures[f]);
        let range = |t: &Interval| format!("{} to {}", fmt_trim(t.lo, 0), fmt_trim(t.hi, 0));
        let finding = Finding {
            rule: "implied-total",
            message: format!(
                "shares of one total imply different totals: {} at {}, {} at {}",
                q(*ap),
                q(*aq),
                q(*bp),
                q(*bq)
            ),
            labels: vec![
                cx.label(&cx.figures[*ap], "part"),
                cx.label(&cx.figures[*aq], "share"),
                cx.label(&cx.figures[*bp], "part"),
                cx.label(&cx.figures[*bq], "share"),
            ],
            help: format!(
                "{} / {} puts the total at {}; {} / {} puts it at {}; one total cannot be both",
                q(*ap),
                q(*aq),
                range(&ta),
                q(*bp),
                q(*bq),
                range(&tb)
            ),
            computed: Some(ta.mid().round()),
        };
        out.push((finding, a.span.cover(b.span)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::Nouns;
    use crate::rules::format::fmt_in_scale;
    use crate::source::Span;

    /// (Oracle, as it was) True when every part counts one kind of thing and the total another ("1.2 million
    /// people (475 villages in 2024, 795 villages in 2025 ...)"): not a breakdown of it.
    fn counts_other_things_by_collecting(claim: &Claim, total: &str, part: &str) -> bool {
        let noun = |name: &str| -> Vec<Option<&str>> {
            claim
                .slots
                .iter()
                .zip(claim.nouns.iter())
                .filter(|((n, _), _)| n == name)
                .map(|(_, w)| w)
                .collect()
        };
        let stem = |w: &str| w.trim_end_matches('s').to_string();
        let parts = noun(part);
        let Some(Some(first)) = parts.first().copied() else {
            return false;
        };
        let same = parts
            .iter()
            .all(|w| w.is_some_and(|w| stem(w) == stem(first)));
        let total_noun = noun(total).first().copied().flatten();
        same && parts.len() >= 2 && total_noun.is_some_and(|t| stem(t) != stem(first))
    }

    /// (Oracle, as it was) The parts written out with their sum: "4 + 38 + 16 = 58".
    fn addition_by_format(
        parts: &[usize],
        sum: &Interval,
        unit_of: &Figure,
        cx: &Ctx<'_>,
    ) -> String {
        let terms: Vec<_> = parts.iter().map(|&i| cx.quote(&cx.figures[i])).collect();
        let total = if sum.is_point() {
            fmt_trim(sum.lo, 6)
        } else if sum.hi.is_finite() {
            format!(
                "{} to {}",
                fmt_in_scale(sum.lo, unit_of.resolution()),
                fmt_in_scale(sum.hi, unit_of.resolution())
            )
        } else {
            format!("more than {}", fmt_in_scale(sum.lo, unit_of.resolution()))
        };
        format!("{} = {total}", terms.join(" + "))
    }

    /// (Oracle, as it was) The finding for a breakdown that does not add up, if it does not.
    fn breakdown_by_format(
        rule: &'static str,
        total: usize,
        parts: &[usize],
        non_exhaustive: bool,
        cx: &Ctx<'_>,
    ) -> Option<Finding> {
        if !breakdown_fails(total, parts, non_exhaustive, cx) {
            return None;
        }
        let tf = &cx.figures[total];
        let sum = sum_of(parts, cx);
        let (total_q, first) = (cx.quote(tf), &cx.figures[parts[0]]);
        let shown = if sum.is_point() {
            fmt_trim(sum.lo, 6)
        } else if sum.hi.is_finite() {
            fmt_in_scale(sum.mid(), first.resolution())
        } else {
            format!("more than {}", fmt_in_scale(sum.lo, first.resolution()))
        };
        let mut labels = vec![cx.label(
            tf,
            if rule == "sum-mismatch" {
                "total"
            } else {
                "sub-total"
            },
        )];
        let role = if rule == "sum-mismatch" {
            "part"
        } else {
            "sub-count"
        };
        labels.extend(
            parts
                .iter()
                .enumerate()
                .map(|(n, &i)| cx.label(&cx.figures[i], &format!("{role} {}", n + 1))),
        );
        let arithmetic = addition_by_format(parts, &sum, first, cx);
        let (message, help) = if non_exhaustive {
            (
                format!("the parts add up to {shown}, more than the total {total_q}"),
                format!(
                    "{arithmetic}, more than {total_q}; even a partial list cannot exceed its total"
                ),
            )
        } else if rule == "nested-sum-mismatch" {
            (
                format!("the sub-counts add up to {shown}, not {total_q}"),
                format!("{arithmetic}; the text gives {total_q} for the whole"),
            )
        } else {
            (
                format!("the parts add up to {shown}, not {total_q}"),
                format!("{arithmetic}; the text says {total_q}"),
            )
        };
        let computed = sum
            .is_point()
            .then_some(sum.lo)
            .or(Some(sum.mid()).filter(|m| m.is_finite()));
        Some(Finding {
            rule,
            message,
            labels,
            help,
            computed,
        })
    }

    /// A count as an author might write it: plain, with separators, with decimals or a
    /// scale, hedged or bounded.
    fn written() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let number = prop_oneof![
            (0u64..3_000).prop_map(|n| n.to_string()),
            (1u64..100_000).prop_map(|n| {
                let s = n.to_string();
                if s.len() > 3 {
                    format!("{},{}", &s[..s.len() - 3], &s[s.len() - 3..])
                } else {
                    s
                }
            }),
            (1u64..1000, 1usize..3).prop_map(|(n, d)| {
                let s = format!("{:0>w$}", n, w = d + 1);
                format!("{}.{}", &s[..s.len() - d], &s[s.len() - d..])
            }),
        ];
        let scale = prop_oneof![Just(""), Just(""), Just(" million"), Just(" thousand")];
        let hedge = prop_oneof![
            Just(""),
            Just(""),
            Just("about "),
            Just("more than "),
            Just("nearly ")
        ];
        (hedge, number, scale).prop_map(|(h, n, s)| format!("{h}{n}{s}"))
    }

    proptest::proptest! {
        /// Breakdown findings put together in place read as the ones built with
        /// `format!`, for both rules, partial lists or not, and any figures.
        #[test]
        fn breakdowns_match_the_formatted_ones(
            total in written(),
            parts in proptest::collection::vec(written(), 2..5),
            rounding in proptest::sample::select(vec![Rounding::Nearest, Rounding::Truncate]),
        ) {
            let text = format!("Of the {total} members, {} took part.\n", parts.join(" and "));
            let file = crate::source::SourceFile::from_text("t.txt", text.clone());
            let figures = crate::figures::scan(&text);
            let settings = crate::settings::Settings { rounding, ..Default::default() };
            let cx = Ctx { file: &file, figures: &figures, settings: &settings, families: &[] };
            let all: Vec<usize> = (1..figures.len()).collect();
            for rule in ["sum-mismatch", "nested-sum-mismatch"] {
                for non_exhaustive in [false, true] {
                    proptest::prop_assert_eq!(
                        breakdown(rule, 0, &all, non_exhaustive, &cx),
                        breakdown_by_format(rule, 0, &all, non_exhaustive, &cx),
                        "{}", text
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        /// The nouns walked in place tell a breakdown of other things as the collected
        /// ones did, for any slots and nouns, plural or not.
        #[test]
        fn other_things_are_told_as_when_collected(
            slots in proptest::collection::vec(
                (
                    proptest::sample::select(vec!["total", "part", "part", "sub"]),
                    proptest::option::weighted(
                        0.8,
                        proptest::sample::select(vec!["villages", "village", "people", "s", "ss"]),
                    ),
                ),
                0..6,
            ),
        ) {
            let words: Vec<Option<&str>> = slots.iter().map(|&(_, w)| w).collect();
            let mut claim = Claim::new(
                "sum",
                Span::new(0, 1),
                slots.iter().enumerate().map(|(i, &(n, _))| (n.into(), i)).collect(),
            );
            claim.nouns = Nouns::from_words(&words);
            proptest::prop_assert_eq!(
                counts_other_things(&claim, "total", "part"),
                counts_other_things_by_collecting(&claim, "total", "part"),
                "{:?}", slots
            );
        }
    }
}
