//! Periods: what time a fact is for (a year, an academic year, a date, a range of dates),
//! and what time a stated figure is for, so that the two can be compared.
//!
//! Part of the facts model. Statistics are matched on EQUAL periods ("the population at
//! 1 January 2023" is not "the population in 2023"); events are matched on OVERLAPPING
//! ones (a stated "2016" agrees with Games held from 5 to 21 August 2016).

use crate::figures::{Figure, FigureKind, MONTH_NAMES};

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    /// Year.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31.
    pub day: u8,
}

impl Day {
    /// A day from its parts, when it exists in the calendar.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Day> {
        let exists = (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month)
            && (1000..=9999).contains(&year);
        exists.then_some(Day { year, month, day })
    }

    /// 1 January of `year`.
    fn first_of(year: i32) -> Day {
        Day {
            year,
            month: 1,
            day: 1,
        }
    }

    /// 31 December of `year`.
    fn last_of(year: i32) -> Day {
        Day {
            year,
            month: 12,
            day: 31,
        }
    }
}

/// "1 January 2023".
impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let month = MONTH_NAMES
            .get(usize::from(self.month).saturating_sub(1))
            .copied()
            .unwrap_or("?");
        write!(f, "{} {month} {}", self.day, self.year)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// The time a fact or a stated figure is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// A calendar year: "2022".
    Year(i32),
    /// A span of years, or an academic or fiscal year: "2022/23", "2020–2022".
    Years {
        /// First year.
        from: i32,
        /// Last year.
        to: i32,
    },
    /// One day: "1 January 2023", "at the beginning of 2023".
    Date(Day),
    /// A span of days, for events: "2016-08-05/2016-08-21".
    Dates {
        /// First day.
        from: Day,
        /// Last day.
        to: Day,
    },
}

impl Period {
    /// Read a period as a facts file writes it: `2022`, `2022/23`, `2022/2023`,
    /// `2020-2022`, `2023-01-01`, `2016-08-05/2016-08-21`, `1 January 2023`,
    /// `beginning of 2023` (also `start of`), `end of 2022`.
    pub fn parse(text: &str) -> Option<Period> {
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        for (prefix, at_end) in [
            ("beginning of ", false),
            ("start of ", false),
            ("end of ", true),
        ] {
            if let Some(rest) = lower.strip_prefix(prefix) {
                let year = year(rest.trim())?;
                return Some(Period::Date(if at_end {
                    Day::last_of(year)
                } else {
                    Day::first_of(year)
                }));
            }
        }
        if let Some(y) = year(t) {
            return Some(Period::Year(y));
        }
        if let Some(d) = iso_day(t) {
            return Some(Period::Date(d));
        }
        if let Some((a, b)) = t.split_once('/').or_else(|| t.split_once(['-', '–'])) {
            let (a, b) = (a.trim(), b.trim());
            if let (Some(from), Some(to)) = (iso_day(a), iso_day(b)) {
                return (from <= to).then_some(Period::Dates { from, to });
            }
            let from = year(a)?;
            // "2022/23": the second year written with two digits.
            let to = match b.len() {
                2 => {
                    let short: i32 = b.parse().ok()?;
                    let century = from - from % 100;
                    let to = century + short;
                    if to < from { to + 100 } else { to }
                }
                _ => year(b)?,
            };
            // "2022/21" is a typing slip, not the 99 years to 2121.
            let ok = from < to && (b.len() == 4 || to - from <= 10);
            return ok.then_some(Period::Years { from, to });
        }
        // "1 January 2023", read by the figure reader.
        let figures = crate::figures::scan(t);
        match figures.as_slice() {
            [f] if f.span().start == 0 && f.span().end == t.len() => match f.kind {
                FigureKind::Date { year, month, day } => {
                    Day::new(year, month, day).map(Period::Date)
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// The period a stated period figure names: a year, a span of years or a date.
    pub fn of_figure(f: &Figure) -> Option<Period> {
        match f.kind {
            FigureKind::Year => Some(Period::Year(f.value as i32)),
            FigureKind::YearRange { end } => Some(Period::Years {
                from: f.value as i32,
                to: end,
            }),
            FigureKind::Date { year, month, day } => Day::new(year, month, day).map(Period::Date),
            _ => None,
        }
    }

    /// "At the beginning of 2023" is 1 January 2023; "at the end of 2022", 31 December.
    pub fn start_of_year(year: i32) -> Period {
        Period::Date(Day::first_of(year))
    }

    /// 31 December of `year`.
    pub fn end_of_year(year: i32) -> Period {
        Period::Date(Day::last_of(year))
    }

    /// True when a statistic stated for `self` is the statistic for `other`: the same
    /// period, where the end of one year is the start of the next (a stock at 31 December
    /// 2022 is the stock at 1 January 2023, as statistics offices publish them).
    pub fn same_as(&self, other: &Period) -> bool {
        self.canonical() == other.canonical()
    }

    fn canonical(self) -> Period {
        match self {
            Period::Date(Day {
                year,
                month: 12,
                day: 31,
            }) => Period::Date(Day::first_of(year + 1)),
            Period::Dates { from, to } if from == to => Period::Date(from).canonical(),
            Period::Years { from, to } if from == to => Period::Year(from),
            other => other,
        }
    }

    /// The first and last day the period covers.
    pub fn days(&self) -> (Day, Day) {
        match *self {
            Period::Year(y) => (Day::first_of(y), Day::last_of(y)),
            Period::Years { from, to } => (Day::first_of(from), Day::last_of(to)),
            Period::Date(d) => (d, d),
            Period::Dates { from, to } => (from, to),
        }
    }

    /// True when the two periods share at least one day (for events: a stated year
    /// agrees with an event held within it).
    pub fn overlaps(&self, other: &Period) -> bool {
        let (a0, a1) = self.days();
        let (b0, b1) = other.days();
        a0 <= b1 && b0 <= a1
    }
}

/// "2022", "2022/23", "1 January 2023", "5 August 2016 to 21 August 2016".
impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Years { from, to } => write!(f, "{from}/{to}"),
            Period::Date(d) => write!(f, "{d}"),
            Period::Dates { from, to } => write!(f, "{from} to {to}"),
        }
    }
}

/// A four-digit year.
fn year(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `YYYY-MM-DD`.
fn iso_day(s: &str) -> Option<Day> {
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || m.len() != 2 || d.len() != 2 {
        return None;
    }
    Day::new(year(y)?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u8, d: u8) -> Day {
        Day::new(y, m, d).expect("valid day")
    }

    #[test]
    fn periods_parse_as_facts_files_write_them() {
        assert_eq!(Period::parse("2022"), Some(Period::Year(2022)));
        assert_eq!(
            Period::parse("2022/23"),
            Some(Period::Years {
                from: 2022,
                to: 2023
            })
        );
        assert_eq!(
            Period::parse("1999/00"),
            Some(Period::Years {
                from: 1999,
                to: 2000
            })
        );
        assert_eq!(
            Period::parse("2020-2022"),
            Some(Period::Years {
                from: 2020,
                to: 2022
            })
        );
        assert_eq!(
            Period::parse("2023-01-01"),
            Some(Period::Date(day(2023, 1, 1)))
        );
        assert_eq!(
            Period::parse("2016-08-05/2016-08-21"),
            Some(Period::Dates {
                from: day(2016, 8, 5),
                to: day(2016, 8, 21)
            })
        );
        assert_eq!(
            Period::parse("1 January 2023"),
            Some(Period::Date(day(2023, 1, 1)))
        );
        assert_eq!(
            Period::parse("Beginning of 2023"),
            Some(Period::Date(day(2023, 1, 1)))
        );
        for bad in [
            "",
            "2023-02-30",
            "2022/21",
            "soon",
            "20223",
            "2016-08-21/2016-08-05",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_end_of_a_year_is_the_start_of_the_next() {
        let end = Period::end_of_year(2022);
        assert!(end.same_as(&Period::start_of_year(2023)));
        assert!(!Period::Year(2023).same_as(&Period::start_of_year(2023)));
        assert!(Period::Year(2023).overlaps(&Period::start_of_year(2023)));
    }

    #[test]
    fn events_overlap_the_years_they_fall_in() {
        let rio = Period::parse("2016-08-05/2016-08-21").expect("period");
        assert!(Period::Year(2016).overlaps(&rio));
        assert!(!Period::Year(2020).overlaps(&rio));
        assert!(
            Period::Years {
                from: 2015,
                to: 2017
            }
            .overlaps(&rio)
        );
    }
}
