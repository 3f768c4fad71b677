//! `cross-passage`: the same metric and year stated with different values in two places.

use super::format::squash;
use super::{Ctx, Finding};
use crate::claims::Claim;
use crate::source::Span;

/// Every pair of metric statements that disagree; the span covers the first of the two
/// (the second is labelled), since the two may be pages apart.
pub(crate) fn check_all(claims: &[Claim], cx: &Ctx<'_>) -> Vec<(Finding, Span)> {
    let s = cx.settings;
    let metrics: Vec<&Claim> = claims
        .iter()
        .filter(|c| c.family == "cross-passage")
        .collect();
    let next = super::next_alike(&metrics, &["subject", "year", "unit"]);
    let mut out = Vec::new();
    for (i, a) in metrics.iter().enumerate() {
        let Some(b) = next[i].map(|j| metrics[j]) else {
            continue;
        };
        let (Some(va), Some(vb)) = (a.slot("value"), b.slot("value")) else {
            continue;
        };
        let (fa, fb) = (&cx.figures[va], &cx.figures[vb]);
        let (ia, ib) = (
            fa.interval(s.rounding, s.hedge_tolerance),
            fb.interval(s.rounding, s.hedge_tolerance),
        );
        if ia.intersects(&ib) {
            continue;
        }
        let (la, lb) = (
            cx.file.line_col(a.span.start).line,
            cx.file.line_col(b.span.start).line,
        );
        let finding = Finding {
            rule: "cross-passage",
            message: format!(
                "{} here, {} on line {lb}, for the same metric and year",
                cx.quote(fa),
                cx.quote(fb)
            ),
            labels: vec![
                cx.label(fa, &format!("line {la}")),
                cx.label(fb, &format!("line {lb}")),
            ],
            help: format!(
                "\"{}\" and \"{}\" count the same thing for the same year; one of the two values is stale or mistyped",
                squash(&cx.file.slice(a.span)),
                squash(&cx.file.slice(b.span))
            ),
            computed: None,
        };
        out.push((finding, a.span));
    }
    out
}
