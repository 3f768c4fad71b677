//! Date claims: one claim of family `date` per date figure that no pattern claimed.
//!
//! Part of the claims stage. A date is a single figure ("31 June 2023"), so it needs no
//! pattern to become a claim; the `date` family's patterns only add context (a weekday
//! written in front). This pass gives every remaining date figure a bare claim with the
//! slot `date`, so the date checker sees each date exactly once. Linear in the figures.

use super::Claim;
use crate::figures::{Figure, FigureKind};

/// Family name of date claims.
pub const FAMILY: &str = "date";

/// Add a claim with slot `date` for each date figure that is not yet in a `date` claim;
/// the caller re-sorts `claims` by start. `pattern` is the index these claims carry: one past
/// the family's YAML patterns, so they have no pattern tags.
pub fn add_claims(figures: &[Figure], pattern: usize, claims: &mut Vec<Claim>) {
    let mut claimed = vec![false; figures.len()];
    for c in claims.iter().filter(|c| c.family == FAMILY) {
        for (_, fi) in &c.slots {
            if let Some(b) = claimed.get_mut(*fi) {
                *b = true;
            }
        }
    }
    claims.extend(
        figures
            .iter()
            .enumerate()
            .filter(|(i, f)| !claimed[*i] && matches!(f.kind, FigureKind::Date { .. }))
            .map(|(i, f)| Claim {
                pattern,
                ..Claim::new(FAMILY, f.span, vec![("date".to_string(), i)])
            }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::scan;

    #[test]
    fn every_date_gets_one_claim() {
        let text = "On 31 June 2023 and 7 February 2022, 45 people met in 2021.";
        let figures = scan(text);
        let mut claims = Vec::new();
        add_claims(&figures, 0, &mut claims);
        assert_eq!(claims.len(), 2);
        assert!(
            claims
                .iter()
                .all(|c| c.family == FAMILY && c.slot("date").is_some())
        );
        // A second pass adds nothing: each date is claimed once.
        add_claims(&figures, 0, &mut claims);
        assert_eq!(claims.len(), 2);
    }
}
