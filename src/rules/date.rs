//! Date rules: `invalid-date`, `weekday-mismatch`.
//!
//! Every date figure is a claim with one slot, `date` (see [`crate::claims::dates`]); a
//! claim from a YAML pattern also carries the weekday written before it as a tag. Leap
//! years and weekdays follow the proleptic Gregorian calendar.
//!
//! Event claims (slots `event` and `document`) are the years and dates after the
//! document's own date that a sentence tells as past; [`check_document`] makes one
//! finding of them all, at the first, since they usually share one cause (a wrong
//! document date, or a draft brought up to date without its cover).

use super::format::{fmt_fixed, fmt_trim};
use super::{Ctx, Finding};
use crate::claims::Claim;
use crate::figures::{Figure, FigureKind, MONTH_NAMES};

/// Weekdays from Monday, as tags and as written in messages.
const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Gregorian leap year: every fourth year, except centuries not divisible by 400.
fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in a month (1-12) of a year.
fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a valid civil date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Weekday of a valid civil date, 0 = Monday.
fn weekday(year: i32, month: u8, day: u8) -> usize {
    // 1970-01-01 was a Thursday (3).
    (days_from_civil(year, month, day) + 3).rem_euclid(7) as usize
}

fn capitalised(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Check one date claim.
pub(crate) fn check(claim: &Claim, cx: &Ctx<'_>) -> Option<Finding> {
    // Event claims are judged all together, by `check_document`.
    let f = &cx.figures[claim.slot("date")?];
    if let Some(found) = check_day(f, cx) {
        return Some(found);
    }
    let FigureKind::Date { year, month, day } = f.kind else {
        return None;
    };
    // As `check_day` reads them: no weekday to check for a month that does not exist.
    MONTH_NAMES.get(usize::from(month).checked_sub(1)?)?;
    let named = cx
        .tags(claim)
        .iter()
        .find_map(|t| WEEKDAYS.iter().position(|w| w == t))?;
    let actual = weekday(year, month, day);
    if named == actual {
        return None;
    }
    let (said, was) = (capitalised(WEEKDAYS[named]), capitalised(WEEKDAYS[actual]));
    let written = cx.quote(f);
    Some(Finding {
        rule: "weekday-mismatch",
        message: format!("{written} was a {was}, not a {said}"),
        labels: vec![cx.label_note(f, "date", &format!("a {was}"))],
        help: {
            let n = days_from_civil(year, month, day);
            format!(
                "{written} is {} days after Thursday 1 January 1970; {} = 7 × {} + {}, and {} days after a Thursday is a {was}",
                fmt_fixed(n as f64, 0),
                fmt_fixed(n as f64, 0),
                fmt_fixed(n.div_euclid(7) as f64, 0),
                n.rem_euclid(7),
                n.rem_euclid(7),
            )
        },
        computed: None,
    })
}

/// The `invalid-date` finding for a date figure whose day does not exist in its month
/// ("31 June", "29 February 2023", "0 May"); `None` for a real day, or a figure that is
/// not a date. It is all of [`check`] for a date that no pattern named a weekday for:
/// a check reads the date figures outside any date claim with it, without a claim each.
pub(crate) fn check_day(f: &Figure, cx: &Ctx<'_>) -> Option<Finding> {
    let FigureKind::Date { year, month, day } = f.kind else {
        return None;
    };
    let month_name = MONTH_NAMES.get(usize::from(month).checked_sub(1)?)?;
    let last = days_in_month(year, month);
    // Most dates are valid: the date as written is quoted only once a finding is made.
    if day == 0 || day > last {
        let written = cx.quote(f);
        let help = if day == 0 {
            "days of the month are numbered from 1".to_string()
        } else if month == 2 && day == 29 {
            format!(
                "{year} is not a leap year ({}), so February {year} has 28 days",
                if year % 100 == 0 {
                    format!(
                        "a century year is a leap year only if divisible by 400; {year} / 400 = {}",
                        fmt_trim(f64::from(year) / 400.0, 2)
                    )
                } else {
                    format!("{year} / 4 = {}", fmt_trim(f64::from(year) / 4.0, 2))
                }
            )
        } else {
            format!("{month_name} {year} has {last} days, so day {day} does not exist")
        };
        return Some(Finding {
            rule: "invalid-date",
            message: if day == 0 {
                format!("{written} is not a date: there is no day 0")
            } else {
                format!("{written} is not a date: {month_name} {year} has {last} days")
            },
            labels: vec![cx.label_note(f, "date", &format!("day {day} of {last}"))],
            help,
            computed: None,
        });
    }
    None
}

/// Most events labelled in one finding (the help line counts the rest).
const MAX_EVENT_LABELS: usize = 4;

/// Most lines of further events listed in the help line.
const MAX_LISTED_LINES: usize = 8;

/// One `invalid-date` finding for a document that reports, as past, events after its
/// own date, placed at the first of them; `None` when there are none. `events` are the
/// event claims in text order.
pub(crate) fn check_document(events: &[Claim], cx: &Ctx<'_>) -> Option<(Finding, crate::Span)> {
    let first = events.first()?;
    let doc = &cx.figures[first.slot("document")?];
    let ev = &cx.figures[first.slot("event")?];
    let (doc_q, ev_q) = (cx.quote(doc), cx.quote(ev));
    let line = |f: &crate::figures::Figure| cx.file.line_col(f.span().start).line;
    let mut labels = vec![cx.label_note(doc, "document date", &format!("line {}", line(doc)))];
    labels.extend(
        events
            .iter()
            .filter_map(|c| c.slot("event"))
            .take(MAX_EVENT_LABELS)
            .map(|fi| {
                cx.label_note(
                    &cx.figures[fi],
                    "reported as past",
                    "after the document date",
                )
            }),
    );
    let what = match ev.kind {
        FigureKind::Year => format!("an event in {ev_q}"),
        _ => format!("an event on {ev_q}"),
    };
    let more = match events.len() - 1 {
        0 => String::new(),
        n => {
            let mut lines: Vec<String> = events[1..]
                .iter()
                .filter_map(|c| c.slot("event"))
                .take(MAX_LISTED_LINES)
                .map(|fi| line(&cx.figures[fi]).to_string())
                .collect();
            if n > MAX_LISTED_LINES {
                lines.push("...".to_string());
            }
            format!(
                "; {n} more {} later events as past (line{} {})",
                if n == 1 {
                    "sentence reports"
                } else {
                    "sentences report"
                },
                if n == 1 { "" } else { "s" },
                lines.join(", ")
            )
        }
    };
    Some((
        Finding {
            rule: "invalid-date",
            message: format!("the document is dated {doc_q} but reports {what} in the past tense"),
            labels,
            help: format!(
                "{doc_q} (line {}) is the document's date and {ev_q} is after it, yet the sentence is in the past tense: the year may be mistyped, the document date may be out of date, or the sentence may describe a plan (then say so: \"is planned for\"){more}",
                line(doc)
            ),
            computed: None,
        },
        first.span,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(is_leap(2000) && is_leap(2024) && is_leap(1600));
        assert!(!is_leap(1900) && !is_leap(2022) && !is_leap(2100));
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2023, 6), 30);
    }

    #[test]
    fn weekdays_are_right() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(WEEKDAYS[weekday(2021, 10, 12)], "tuesday");
        assert_eq!(WEEKDAYS[weekday(2000, 2, 29)], "tuesday");
        assert_eq!(WEEKDAYS[weekday(1900, 1, 1)], "monday");
        assert_eq!(WEEKDAYS[weekday(2024, 3, 1)], "friday");
    }
}
