//! Unit rules: `unit-mismatch`.
//!
//! A unit claim has the base of a rate ("per 100,000 population": `base`) and the values
//! given for that rate in per cent (repeated `pct`). A rate per N is not a percentage
//! unless N is 100, so every such claim with another base is a finding.

use super::format::fmt_trim;
use super::{Ctx, Finding};
use crate::claims::Claim;
use crate::figures::FigureKind;

/// Check one unit claim.
pub(crate) fn check(claim: &Claim, cx: &Ctx<'_>) -> Option<Finding> {
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
    let quoted: Vec<String> = pcts.iter().map(|&i| cx.quote(&cx.figures[i])).collect();
    let values = match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => stated.clone(),
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
