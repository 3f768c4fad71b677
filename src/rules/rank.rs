//! Rank rules: `rank-mismatch`.
//!
//! A rank claim has the places moved (`moved`), the rank reached (`to`) and the earlier
//! rank (`from`); its pattern's tag gives the stated direction (`up` or `down`). Moving
//! up means the rank number gets smaller, so "up N places" holds when from - to = N.

use super::format::fmt_trim;
use super::{Ctx, Finding};
use crate::claims::Claim;
use crate::figures::FigureKind;

/// Check one rank claim.
pub(crate) fn check(claim: &Claim, cx: &Ctx<'_>) -> Option<Finding> {
    let mf = &cx.figures[claim.slot("moved")?];
    let tf = &cx.figures[claim.slot("to")?];
    let ff = &cx.figures[claim.slot("from")?];
    if tf.kind != FigureKind::Ordinal || ff.kind != FigureKind::Ordinal {
        return None;
    }
    let up = match cx.tags(claim) {
        t if t.iter().any(|t| t == "up") => true,
        t if t.iter().any(|t| t == "down") => false,
        _ => return None,
    };
    // Places gained: positive when the rank number got smaller.
    let gained = ff.value - tf.value;
    let stated_dir = if up { "up" } else { "down" };
    let moved = mf.interval(cx.settings.rounding, cx.settings.hedge_tolerance);
    let places = gained.abs();
    let right_way = if up { gained > 0.0 } else { gained < 0.0 };
    if right_way && moved.contains(places) {
        return None;
    }
    let (m, t, f) = (cx.quote(mf), cx.quote(tf), cx.quote(ff));
    let labels = vec![
        cx.label(mf, "places moved"),
        cx.label_note(tf, "rank reached", &fmt_trim(tf.value, 0)),
        cx.label_note(ff, "earlier rank", &fmt_trim(ff.value, 0)),
    ];
    let (hi, lo) = if ff.value >= tf.value {
        (ff.value, tf.value)
    } else {
        (tf.value, ff.value)
    };
    let diff = format!(
        "{} - {} = {}",
        fmt_trim(hi, 0),
        fmt_trim(lo, 0),
        fmt_trim(places, 0)
    );
    let unit = if places == 1.0 { "place" } else { "places" };
    let said = format!(
        "{stated_dir} {m} {}",
        if mf.value == 1.0 { "place" } else { "places" }
    );
    let rule_of_thumb = "moving up means the rank number gets smaller";
    let (message, help) = if gained == 0.0 {
        (
            format!("from {f} to {t} is no move, not {said}"),
            format!("{diff}; {rule_of_thumb}"),
        )
    } else if !right_way {
        let actual = if gained > 0.0 { "up" } else { "down" };
        let count = if moved.contains(places) {
            String::new()
        } else {
            format!(", and by {} {unit}, not {m}", fmt_trim(places, 0))
        };
        (
            format!("the rank went {actual} from {f} to {t}, but the text says {said}"),
            format!("{diff} {unit} {actual}{count}; {rule_of_thumb}"),
        )
    } else {
        (
            format!(
                "from {f} to {t} is {} {unit} {stated_dir}, not {m}",
                fmt_trim(places, 0)
            ),
            format!("{diff} {unit} {stated_dir}; the text says {said}"),
        )
    };
    Some(Finding {
        rule: "rank-mismatch",
        message,
        labels,
        help,
        computed: Some(if up { gained } else { -gained }),
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::RuleSet;
    use crate::settings::Settings;
    use crate::source::SourceFile;

    /// The seed's two rank moves are read as claims (and hold), so their silence is a
    /// check, not a missed match.
    #[test]
    fn seed_rank_moves_are_read_and_hold() {
        let text = "Kazakhstan moved up six places in the Sustainable Development Goals Index \n\nfor 2021, to fifty-ninth place, up from sixty-fifth in 2020.  \n\n In the Global Gender Gap Index, Kazakhstan was ranked 62nd out of 146 \n\ncountries in 2023, up three places from 2022, when it was ranked 65th out of 146.";
        let rules = RuleSet::builtin().unwrap_or_else(|e| panic!("{e:?}"));
        let a = rules.analyse(
            &SourceFile::from_text("seed", text.to_string()),
            &Settings::default(),
        );
        let ranks = a.claims.iter().filter(|c| c.family == "rank").count();
        assert_eq!(ranks, 2, "{:#?}", a.claims);
        assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    }
}
