//! Closed/open real intervals: every stated figure is a range of values it may stand for.

/// An interval of reals with optionally open ends; `lo` may be `-inf`, `hi` may be `inf`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
    /// True when `lo` itself is excluded.
    pub lo_open: bool,
    /// True when `hi` itself is excluded.
    pub hi_open: bool,
}

/// Relative slack for floating-point noise when comparing bounds.
const EPS: f64 = 1e-9;

impl Interval {
    /// `[lo, hi]`.
    pub fn closed(lo: f64, hi: f64) -> Self {
        Interval {
            lo,
            hi,
            lo_open: false,
            hi_open: false,
        }
    }

    /// The single value `v`.
    pub fn point(v: f64) -> Self {
        Self::closed(v, v)
    }

    /// `[lo, hi)`.
    pub fn half_open(lo: f64, hi: f64) -> Self {
        Interval {
            lo,
            hi,
            lo_open: false,
            hi_open: true,
        }
    }

    /// True when the interval holds a single value.
    pub fn is_point(&self) -> bool {
        self.lo == self.hi
    }

    /// The midpoint (or the finite end when the other is infinite).
    pub fn mid(&self) -> f64 {
        match (self.lo.is_finite(), self.hi.is_finite()) {
            (true, true) => (self.lo + self.hi) / 2.0,
            (true, false) => self.lo,
            (false, true) => self.hi,
            (false, false) => 0.0,
        }
    }

    /// True when the two intervals share at least one value. Bounds within a relative
    /// 1e-9 of each other count as equal, so float noise never decides a finding.
    pub fn intersects(&self, other: &Interval) -> bool {
        let scale = 1.0
            + self
                .lo
                .abs()
                .max(self.hi.abs())
                .max(other.lo.abs())
                .max(other.hi.abs());
        let tol = if scale.is_finite() { EPS * scale } else { EPS };
        let near = |a: f64, b: f64| (a - b).abs() <= tol || a == b;
        // The larger lower bound and the smaller upper bound, with their openness.
        let (lo, lo_open) = if near(self.lo, other.lo) {
            (self.lo.max(other.lo), self.lo_open || other.lo_open)
        } else if self.lo > other.lo {
            (self.lo, self.lo_open)
        } else {
            (other.lo, other.lo_open)
        };
        let (hi, hi_open) = if near(self.hi, other.hi) {
            (self.hi.min(other.hi), self.hi_open || other.hi_open)
        } else if self.hi < other.hi {
            (self.hi, self.hi_open)
        } else {
            (other.hi, other.hi_open)
        };
        if near(lo, hi) {
            !(lo_open || hi_open)
        } else {
            lo < hi
        }
    }

    /// True when `v` is in the interval (with float slack on closed ends).
    pub fn contains(&self, v: f64) -> bool {
        self.intersects(&Interval::point(v))
    }

    /// Sum of two intervals.
    pub fn add(&self, o: &Interval) -> Interval {
        Interval {
            lo: self.lo + o.lo,
            hi: self.hi + o.hi,
            lo_open: self.lo_open || o.lo_open,
            hi_open: self.hi_open || o.hi_open,
        }
    }

    /// The interval of `-x` for every `x` in it.
    pub fn neg(&self) -> Interval {
        Interval {
            lo: -self.hi,
            hi: -self.lo,
            lo_open: self.hi_open,
            hi_open: self.lo_open,
        }
    }

    /// Difference `self - o`.
    pub fn sub(&self, o: &Interval) -> Interval {
        self.add(&o.neg())
    }

    /// Quotient `self / o` for non-negative intervals, scaled by `factor` (e.g. 100 for
    /// per cent). Returns `None` when the divisor may be zero.
    pub fn div_nonneg(&self, o: &Interval, factor: f64) -> Option<Interval> {
        if o.lo <= 0.0 || self.lo < 0.0 {
            return None;
        }
        Some(Interval {
            lo: self.lo / o.hi * factor,
            hi: if self.hi.is_finite() {
                self.hi / o.lo * factor
            } else {
                f64::INFINITY
            },
            lo_open: self.lo_open || o.hi_open,
            hi_open: self.hi_open || o.lo_open,
        })
    }

    /// Distance from `v` to the nearest point of the interval (0 when inside).
    pub fn distance_to(&self, v: f64) -> f64 {
        if v < self.lo {
            self.lo - v
        } else if v > self.hi {
            v - self.hi
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::Rounding;

    #[test]
    fn closed_intervals_touching_intersect() {
        assert!(Interval::closed(1.0, 2.0).intersects(&Interval::closed(2.0, 3.0)));
    }

    #[test]
    fn half_open_intervals_touching_do_not_intersect() {
        assert!(!Interval::half_open(1.0, 2.0).intersects(&Interval::closed(2.0, 3.0)));
        assert!(Interval::half_open(1.0, 2.0).intersects(&Interval::closed(1.5, 3.0)));
    }

    #[test]
    fn division_widens_by_both_ends() {
        let part = Interval::closed(10.05e6, 10.15e6);
        let whole = Interval::closed(19.75e6, 19.85e6);
        let q = part.div_nonneg(&whole, 100.0).unwrap();
        assert!(q.contains(51.2));
        assert!(!q.contains(52.0));
    }

    proptest::proptest! {
        /// Interval arithmetic never excludes a value its operands allow: the checks
        /// built on it cannot fail on figures that a consistent truth rounds to.
        #[test]
        fn sums_and_quotients_contain_every_point_result(
            a in 0.0f64..1e6, wa in 0.0f64..100.0, ta in 0.0f64..=1.0,
            b in 1.0f64..1e6, wb in 0.0f64..0.5, tb in 0.0f64..=1.0,
        ) {
            let ia = Interval::closed(a, a + wa);
            let ib = Interval::closed(b, b + wb);
            let (pa, pb) = (a + wa * ta, b + wb * tb);
            proptest::prop_assert!(ia.add(&ib).contains(pa + pb));
            proptest::prop_assert!(ia.sub(&ib).contains(pa - pb));
            let q = ia.div_nonneg(&ib, 100.0).expect("positive divisor");
            proptest::prop_assert!(q.contains(pa / pb * 100.0));
        }
    }

    proptest::proptest! {
        /// A sum of up to eight figures' intervals, as each rounding mode makes them,
        /// contains the sum of any values the figures may stand for; and the quotient of
        /// two such sums contains the quotient of the values.
        #[test]
        fn sums_of_rounded_figures_contain_every_sum_of_their_values(
            parts in proptest::collection::vec((0u64..10_000_000, 0i32..4, 0.0f64..1.0), 1..8),
            mode in 0usize..3,
        ) {
            let rounding = [Rounding::Nearest, Rounding::Truncate, Rounding::Either][mode];
            let mut sum = Interval::point(0.0);
            let mut total = 0.0;
            for (digits, decimals, t) in parts {
                let resolution = 10f64.powi(-decimals);
                let value = digits as f64 * resolution;
                let i = match rounding {
                    Rounding::Nearest => Interval::closed(value - resolution / 2.0, value + resolution / 2.0),
                    Rounding::Truncate => Interval::half_open(value, value + resolution),
                    Rounding::Either => Interval::closed(value - resolution / 2.0, value + resolution),
                };
                // A value inside, clear of the open end of a truncated figure by more than
                // the float slack within which bounds count as equal (relative to the
                // bound, so a fixed share of the width is not enough for a figure of
                // seven or more significant digits: 9,998.999 truncated ends at 9,999).
                let slack = 2.0 * EPS * (1.0 + i.hi.abs());
                let point = (i.lo + (i.hi - i.lo) * t).min(i.hi - slack);
                proptest::prop_assert!(i.contains(point));
                sum = sum.add(&i);
                total += point;
            }
            proptest::prop_assert!(sum.contains(total), "{:?} does not hold {}", sum, total);
            let whole = sum.add(&Interval::closed(1.0, 2.0));
            if let Some(q) = sum.div_nonneg(&whole, 100.0) {
                proptest::prop_assert!(q.contains(total / (total + 1.5) * 100.0));
            }
        }
    }

    #[test]
    fn zero_divisor_gives_none() {
        assert!(
            Interval::point(1.0)
                .div_nonneg(&Interval::point(0.0), 1.0)
                .is_none()
        );
    }
}
