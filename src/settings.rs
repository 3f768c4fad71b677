//! Settings that change how figures are read and judged (not which rules run).

use std::collections::BTreeMap;

use crate::figures::{Hedge, NumberFormat, Rounding};

/// Words the figure reader does not know, from the configuration's `vocabulary:`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Vocabulary {
    /// Currency words after an amount, with the code they stand for: `som: KGS`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub currencies: BTreeMap<String, String>,
    /// Hedge phrases before a figure, with their meaning: `"in the region of": about`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hedges: BTreeMap<String, Hedge>,
    /// More pairs of categories that make up a whole, for the sum family's `$a`/`$b`
    /// patterns: `[[nationals], [foreigners]]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exhaustive_pairs: Vec<[Vec<String>; 2]>,
    /// Page furniture lines to mask, as globs over the trimmed line: `"GE.23-*"`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub furniture: Vec<String>,
}

/// Judgement settings shared by every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// How authors are assumed to round their last digit.
    pub rounding: Rounding,
    /// Relative widening for hedged figures ("about", "nearly"): 0.05 is 5 per cent.
    pub hedge_tolerance: f64,
    /// Decimal point or decimal comma.
    pub number_format: NumberFormat,
    /// Extra words for reading figures.
    pub vocabulary: Vocabulary,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            rounding: Rounding::Nearest,
            hedge_tolerance: 0.05,
            number_format: NumberFormat::DecimalPoint,
            vocabulary: Vocabulary::default(),
        }
    }
}
