//! `fact-mismatch`, `fact-rounding`, `fact-derived`: stated figures checked against the
//! trusted facts they were linked to ([`crate::claims::facts`]).
//!
//! Every finding labels the stated figure, says which words linked it to the fact, and
//! cites the fact's source in its help line.

use super::format::{fmt_in_scale, fmt_trim};
use super::{Ctx, Finding};
use crate::claims::Claim;
use crate::claims::facts::{FAMILY, FactIndex};
use crate::facts::{Fact, FactKind, Period};
use crate::figures::Figure;
use crate::interval::Interval;
use crate::source::Span;

/// Every finding on the facts claims.
pub(crate) fn check_all(claims: &[Claim], cx: &Ctx<'_>, index: &FactIndex) -> Vec<(Finding, Span)> {
    claims
        .iter()
        .filter(|c| c.family == FAMILY)
        .filter_map(|c| {
            let finding = match c.attr("kind")? {
                "value" => value(c, cx, index),
                "share" => share(c, cx, index),
                "event" => event(c, cx, index),
                "change" => change(c, cx, index),
                _ => None,
            }?;
            Some((finding, c.span))
        })
        .collect()
}

/// The fact named by attribute `key`.
fn fact<'a>(claim: &Claim, key: &str, index: &'a FactIndex) -> Option<&'a Fact> {
    let id: usize = claim.attr(key)?.parse().ok()?;
    index.set.facts.get(id)
}

/// "source: Title <url>".
fn cite(fact: &Fact) -> String {
    format!("source: {}", fact.source)
}

/// The period figure's label, when the claim has one.
fn period_label(claim: &Claim, cx: &Ctx<'_>) -> Option<crate::Label> {
    claim
        .slot("period")
        .map(|p| cx.label(&cx.figures[p], "period"))
}

/// A stated value against its fact.
fn value(claim: &Claim, cx: &Ctx<'_>, index: &FactIndex) -> Option<Finding> {
    let f = &cx.figures[claim.slot("value")?];
    let fact = fact(claim, "fact", index)?;
    let m = fact.measure()?;
    let s = cx.settings;
    if f.interval(s.rounding, s.hedge_tolerance)
        .intersects(&m.interval)
    {
        return None;
    }
    // "126,500" written in full is read as rounded to its trailing zeros.
    if f.hedge.is_none()
        && rounded_readings(f)
            .iter()
            .any(|c| c.intersects(&m.interval))
    {
        return None;
    }
    let stated = cx.quote(f);
    let coarse = f.hedge.is_none()
        && !f.exact
        && Interval::closed(f.value - f.resolution(), f.value + f.resolution())
            .intersects(&m.interval);
    let (rule, message) = if coarse {
        (
            "fact-rounding",
            format!(
                "{stated} agrees with the trusted figure for {} ({}) only at a coarser precision than stated",
                fact.label(),
                m.written
            ),
        )
    } else {
        (
            "fact-mismatch",
            format!(
                "{stated} does not match the trusted figure for {}: {}",
                fact.label(),
                m.written
            ),
        )
    };
    let mut labels = vec![cx.label_note(f, "stated", &format!("trusted: {}", m.written))];
    labels.extend(period_label(claim, cx));
    Some(Finding {
        rule,
        message,
        labels,
        help: format!(
            "{}; trusted: {} = {} ({}), {}",
            claim.attr("matched").unwrap_or_default(),
            fact.label(),
            m.written,
            range(&m.interval, m.unit == crate::facts::Unit::Percent),
            cite(fact)
        ),
        computed: finite_mid(&m.interval),
    })
}

/// A count written in full with trailing zeros ("458,300") as rounded to each of them.
fn rounded_readings(f: &Figure) -> Vec<Interval> {
    let mut out = Vec::new();
    if !f.exact {
        return out;
    }
    let mut step = 10.0;
    while step <= f.value.abs() && (f.value / step).fract() == 0.0 {
        out.push(Interval::closed(f.value - step / 2.0, f.value + step / 2.0));
        step *= 10.0;
    }
    out
}

/// A share of a whole where the whole (and maybe the part) is a trusted fact.
fn share(claim: &Claim, cx: &Ctx<'_>, index: &FactIndex) -> Option<Finding> {
    let s = cx.settings;
    let pct_fig = &cx.figures[claim.slot("pct")?];
    let whole = fact(claim, "whole-fact", index)?;
    let part_fact = fact(claim, "part-fact", index);
    let whole_m = whole.measure()?;
    let stated_part = claim.slot("part").map(|p| &cx.figures[p]);
    let stated_whole = claim.slot("whole").map(|w| &cx.figures[w]);
    let interval = |f: &Figure| f.interval(s.rounding, s.hedge_tolerance);
    let pct = interval(pct_fig);
    // When the text's own part and whole do not give its percentage, the share rules
    // report it; here only what the facts add.
    if let (Some(p), Some(w)) = (stated_part, stated_whole)
        && interval(p)
            .div_nonneg(&interval(w), 100.0)
            .is_some_and(|q| !q.intersects(&pct))
    {
        return None;
    }
    // A stated whole that contradicts its fact is reported as a mismatch already.
    if stated_whole.is_some_and(|w| !interval(w).intersects(&whole_m.interval)) {
        return None;
    }
    let (part_interval, part_desc) = match part_fact.and_then(|f| f.measure().map(|m| (f, m))) {
        Some((f, m)) => (m.interval, format!("{} ({})", m.written, f.label())),
        None => {
            let p = stated_part?;
            (interval(p), format!("{} (stated)", cx.quote(p)))
        }
    };
    let computed = part_interval.div_nonneg(&whole_m.interval, 100.0)?;
    // Off by no more than one unit in its last digit: left to the share rules' taste.
    let lenient = Interval::closed(
        pct.lo - pct_fig.resolution() / 2.0,
        pct.hi + pct_fig.resolution() / 2.0,
    );
    if lenient.intersects(&computed) {
        return None;
    }
    let stated = cx.quote(pct_fig);
    let mut labels = vec![cx.label_note(
        pct_fig,
        "stated",
        &format!("from the trusted figures: {}", range(&computed, true)),
    )];
    if let Some(p) = stated_part {
        labels.push(cx.label(p, "part"));
    }
    if let Some(w) = stated_whole {
        labels.push(cx.label(w, "whole"));
    }
    labels.extend(period_label(claim, cx));
    let mut cited = vec![cite(whole)];
    if let Some(p) = part_fact
        && p.source != whole.source
    {
        cited.push(cite(p));
    }
    Some(Finding {
        rule: "fact-derived",
        message: format!(
            "{stated} does not follow from the trusted figures: {part_desc} of {} ({}) is {} per cent",
            whole_m.written,
            whole.label(),
            range(&computed, true)
        ),
        labels,
        help: format!(
            "{}; {part_desc} / {} = {} per cent; {}",
            claim.attr("matched").unwrap_or_default(),
            whole_m.written,
            range(&computed, true),
            cited.join("; ")
        ),
        computed: finite_mid(&computed),
    })
}

/// A stated change between two periods against the change the facts give.
fn change(claim: &Claim, cx: &Ctx<'_>, index: &FactIndex) -> Option<Finding> {
    let pct_fig = &cx.figures[claim.slot("pct")?];
    let (from, to) = (
        fact(claim, "from-fact", index)?,
        fact(claim, "to-fact", index)?,
    );
    let (a, b) = (from.measure()?, to.measure()?);
    let down = claim.attr("direction") == Some("down");
    let s = cx.settings;
    let stated = pct_fig.interval(s.rounding, s.hedge_tolerance);
    let half = pct_fig.resolution() / 2.0;
    let lenient = Interval::closed(stated.lo - half, stated.hi + half);
    let signed = if down { lenient.neg() } else { lenient };
    let ratio = b.interval.div_nonneg(&a.interval, 100.0)?;
    let computed = ratio.sub(&Interval::point(100.0));
    if signed.intersects(&computed) {
        return None;
    }
    let verb = if down { "a fall" } else { "a rise" };
    let mut labels = vec![cx.label_note(
        pct_fig,
        "stated",
        &format!(
            "from the trusted figures: {} per cent",
            range(&computed, true)
        ),
    )];
    for slot in ["from", "to"] {
        if let Some(p) = claim.slot(slot) {
            labels.push(cx.label(&cx.figures[p], slot));
        }
    }
    let mut cited = vec![cite(from)];
    if to.source != from.source {
        cited.push(cite(to));
    }
    Some(Finding {
        rule: "fact-derived",
        message: format!(
            "{verb} of {} does not follow from the trusted figures: {} to {} is a change of {} per cent",
            cx.quote(pct_fig),
            a.written,
            b.written,
            range(&computed, true)
        ),
        labels,
        help: format!(
            "{}; {} / {} - 1 = {} per cent; trusted: {} = {}, {} = {}; {}",
            claim.attr("matched").unwrap_or_default(),
            b.written,
            a.written,
            range(&computed, true),
            from.label(),
            a.written,
            to.label(),
            b.written,
            cited.join("; ")
        ),
        computed: finite_mid(&computed),
    })
}

/// The year or date stated for an event against when it took place.
fn event(claim: &Claim, cx: &Ctx<'_>, index: &FactIndex) -> Option<Finding> {
    let f = &cx.figures[claim.slot("date")?];
    let fact = fact(claim, "fact", index)?;
    if fact.kind != FactKind::Event {
        return None;
    }
    let when = fact.period?;
    let stated = claim
        .attr("stated")
        .and_then(Period::parse)
        .or_else(|| Period::of_figure(f))?;
    if stated.overlaps(&when) {
        return None;
    }
    Some(Finding {
        rule: "fact-mismatch",
        message: format!(
            "the text dates {} to {}; it took place {}",
            fact.name,
            cx.quote(f),
            in_period(&when)
        ),
        labels: vec![cx.label_note(f, "stated", &format!("trusted: {}", in_period(&when)))],
        help: format!(
            "{}; trusted: {} took place {}, {}",
            claim.attr("matched").unwrap_or_default(),
            fact.name,
            in_period(&when),
            cite(fact)
        ),
        computed: None,
    })
}

/// "in 2016", "on 20 December 1993", "from 5 August 2016 to 21 August 2016".
fn in_period(p: &Period) -> String {
    match p {
        Period::Date(d) => format!("on {d}"),
        Period::Dates { .. } => format!("from {p}"),
        _ => format!("in {p}"),
    }
}

/// "19.75 million to 19.85 million", or the value when the interval is a point;
/// percentages to two decimals.
fn range(i: &Interval, percent: bool) -> String {
    let width = i.hi - i.lo;
    let resolution = if width.is_finite() && width > 0.0 {
        width / 10.0
    } else {
        1.0
    };
    let num = |v: f64| {
        if percent {
            fmt_trim(v, 2)
        } else {
            fmt_in_scale(v, resolution)
        }
    };
    if i.is_point() {
        return num(i.lo);
    }
    match (i.lo.is_finite(), i.hi.is_finite()) {
        (true, true) => format!("{} to {}", num(i.lo), num(i.hi)),
        (true, false) => format!("at least {}", num(i.lo)),
        (false, true) => format!("at most {}", num(i.hi)),
        (false, false) => "any value".to_owned(),
    }
}

fn finite_mid(i: &Interval) -> Option<f64> {
    let m = i.mid();
    m.is_finite().then_some(m)
}
