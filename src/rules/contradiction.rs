//! `contradiction`: one sentence giving the same subject two different changes.
//!
//! Works across claims: statements (see `claims::statements`) in the same sentence with
//! the same subject, direction and years must have overlapping values.

use super::format::squash;
use super::{Ctx, Finding};
use crate::claims::Claim;
use crate::figures::Rounding;
use crate::source::Span;

/// Every pair of statements that contradict each other, with the span covering both.
pub(crate) fn check_all(claims: &[Claim], cx: &Ctx<'_>) -> Vec<(Finding, Span)> {
    let statements: Vec<&Claim> = claims
        .iter()
        .filter(|c| c.family == "contradiction")
        .collect();
    let next = super::next_alike(&statements, &["sentence", "subject", "direction", "years"]);
    let mut out = Vec::new();
    for (i, a) in statements.iter().enumerate() {
        // The next statement about the same thing, if any; later pairs are found from it.
        let Some(b) = next[i].map(|j| statements[j]) else {
            continue;
        };
        let (Some(va), Some(vb)) = (a.slot("value"), b.slot("value")) else {
            continue;
        };
        let (fa, fb) = (&cx.figures[va], &cx.figures[vb]);
        let tol = cx.settings.hedge_tolerance;
        if fa
            .interval(Rounding::Nearest, tol)
            .intersects(&fb.interval(Rounding::Nearest, tol))
        {
            continue;
        }
        let subject = squash(&cx.file.slice(a.span));
        let other = squash(&cx.file.slice(b.span));
        let finding = Finding {
            rule: "contradiction",
            message: format!(
                "the same change is given as {} and as {}",
                cx.quote(fa),
                cx.quote(fb)
            ),
            labels: vec![cx.label(fa, "first value"), cx.label(fb, "second value")],
            help: format!(
                "\"{subject}\" and \"{other}\" are the same subject, direction and period in one sentence, and the values cannot both hold; one of the values, or one of the subjects, is wrong"
            ),
            computed: None,
        };
        out.push((finding, a.span.cover(b.span)));
    }
    out
}
