//! Settings that change how figures are read and judged (not which rules run).

use crate::figures::{NumberFormat, Rounding};

/// Judgement settings shared by every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// How authors are assumed to round their last digit.
    pub rounding: Rounding,
    /// Relative widening for hedged figures ("about", "nearly"): 0.05 is 5 per cent.
    pub hedge_tolerance: f64,
    /// Decimal point or decimal comma.
    pub number_format: NumberFormat,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            rounding: Rounding::Nearest,
            hedge_tolerance: 0.05,
            number_format: NumberFormat::DecimalPoint,
        }
    }
}
