//! Enumeration rule: `enumeration-count`.
//!
//! Claims come from `claims::enumeration`: a number announced for a list and the list's
//! items, split only when the split is clear. The checker compares the two counts.

use super::{Ctx, Finding};
use crate::claims::enumeration::{EnumerationClaim, Separator};

/// Check one announced list.
pub(crate) fn check(c: &EnumerationClaim, cx: &Ctx<'_>) -> Option<Finding> {
    let cf = &cx.figures[c.count];
    let n = cf.value as usize;
    let m = c.items.len();
    if n == m {
        return None;
    }
    let announced = cx.text(c.announced);
    let mut labels = vec![cx.label_note(cf, "announced", &format!("{n} items"))];
    for (i, &s) in c.items.iter().enumerate() {
        labels.push(cx.label_span(s, &format!("item {} of {m}", i + 1)));
    }
    let sep = match c.separator {
        Separator::Semicolon => "semicolons",
        Separator::Comma => "commas",
    };
    Some(Finding {
        rule: "enumeration-count",
        message: format!("the list has {m} items but is announced as {announced}"),
        labels,
        help: format!(
            "counted {m} items after the colon ({sep} between them, the last joined by \"{}\"); {} means {n}: either the number or the list is wrong",
            cx.text(c.conjunction),
            cx.quote(cf)
        ),
        computed: Some(m as f64),
    })
}
