//! Date claims: one claim of family `date` per date figure that no pattern claimed, and
//! the events a document reports after its own date.
//!
//! Part of the claims stage. A date is a single figure ("31 June 2023"), so it needs no
//! pattern to become a claim; the `date` family's patterns only add context (a weekday
//! written in front). [`add_claims`] gives every remaining date figure a bare claim with
//! the slot `date`, so the date checker sees each date exactly once. Linear in the
//! figures.
//!
//! [`document_date`] reads the date a document bears in its opening lines ("Distr.:
//! General" over "6 February 2024", "[Date received: 5 December 2023]", "Date: 5 March
//! 2021"), looking only at the date figures in the first `header-bytes` of the file.
//! When there is one, [`events`] looks in each sentence for a year or date after it that
//! the sentence tells as past ("In 2023, 500 shelters were opened"); without one it is
//! never called, so a file with no dated cover costs nothing more.

use super::{Claim, Token, TokenKind};
use crate::figures::{Figure, FigureKind};

/// Family name of date claims.
pub const FAMILY: &str = "date";

/// Vocabulary of the document-date check (`params:` in `rules/date.yaml`). Every phrase
/// is one or more words, compared ignoring ASCII case.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct DateParams {
    /// How far into the file (in bytes) a document date may stand: the cover, not the
    /// body.
    pub header_bytes: usize,
    /// What may stand before a date on its line, or alone on the line above a date that
    /// is alone on its own, for the date to be the document's ("date received",
    /// "distr.: general"); compared after lower-casing, squashing spaces and dropping an
    /// opening bracket and a closing colon.
    pub document_labels: Vec<String>,
    /// Words right before a year or date that make it the time of what the sentence
    /// reports ("in 2023", "on 5 May 2023", "as at 1 January 2024").
    pub event_prepositions: Vec<String>,
    /// Words that tell what happened: "was", "were", "opened". A sentence needs one.
    pub past_markers: Vec<String>,
    /// Words that, right before a past marker, make it a present or future passive ("is
    /// opened", "to be held").
    pub present_auxiliaries: Vec<String>,
    /// Words and phrases that make a sentence a plan, a target, a forecast or a
    /// condition ("will", "planned", "is to"): such a sentence is never read.
    pub not_past: Vec<String>,
    /// Words that start another clause ("and", "which"): a past marker must be in the
    /// event's own clause. `;`, `:`, `(` and `)` always end one.
    pub clause_breaks: Vec<String>,
    /// Present-tense words ("is", "enters") that, in the event's clause, make it a
    /// statement about the present or the future.
    pub present_markers: Vec<String>,
}

impl Default for DateParams {
    fn default() -> Self {
        let words = |w: &[&str]| w.iter().map(|s| (*s).to_string()).collect();
        DateParams {
            header_bytes: 2000,
            document_labels: words(&[
                "date",
                "dated",
                "date received",
                "date of receipt",
                "date of submission",
                "date of issue",
                "distr.: general",
                "distr.: limited",
                "distr.: restricted",
                "as at",
                "as of",
                "status as at",
                "status as of",
                "information as at",
                "information as of",
                "updated",
                "last updated",
                "updated on",
                "revised",
                "revised on",
                "date of revision",
                "date of update",
            ]),
            event_prepositions: words(&["in", "on", "during", "as at", "as of"]),
            past_markers: words(&[
                "was",
                "were",
                "had",
                "has been",
                "have been",
                "opened",
                "adopted",
                "signed",
                "registered",
                "recorded",
                "amounted",
                "totalled",
                "totaled",
                "reached",
                "rose",
                "fell",
                "grew",
                "increased",
                "decreased",
                "declined",
                "dropped",
                "received",
                "established",
                "created",
                "launched",
                "held",
                "conducted",
                "approved",
                "entered",
                "introduced",
                "completed",
                "took",
                "became",
                "began",
            ]),
            present_auxiliaries: words(&["is", "are", "am", "be", "being", "to", "get", "gets"]),
            not_past: words(&[
                "will",
                "shall",
                "would",
                "should",
                "must",
                "may",
                "might",
                "can",
                "could",
                "plan",
                "plans",
                "planned",
                "planning",
                "expected",
                "expects",
                "projected",
                "projection",
                "projections",
                "forecast",
                "forecasts",
                "target",
                "targets",
                "targeted",
                "aim",
                "aims",
                "aimed",
                "intend",
                "intends",
                "intended",
                "scheduled",
                "envisaged",
                "envisages",
                "envisage",
                "proposed",
                "anticipated",
                "estimated",
                "estimate",
                "estimates",
                "goal",
                "goals",
                "future",
                "next",
                "upcoming",
                "forthcoming",
                "if",
                "unless",
                "due in",
                "due by",
                "is due",
                "are due",
                "was due",
                "were due",
                "is to",
                "are to",
                "was to",
                "were to",
                "to be",
                "going to",
            ]),
            clause_breaks: words(&["and", "but", "while", "whereas", "which", "who"]),
            present_markers: words(&[
                "is", "are", "am", "enters", "enter", "remains", "provides", "becomes", "comes",
            ]),
        }
    }
}

/// The date a document bears in its opening lines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DocumentDate {
    /// Index of the date figure.
    pub figure: usize,
    /// Year, month and day.
    pub ymd: (i32, u8, u8),
    /// The byte after the last labelled date of the cover: the body starts after it
    /// (the cover's own words, "due in 2020", belong to no event).
    pub header_end: usize,
}

/// `s` lower-cased, runs of whitespace squashed to one space, opening brackets and
/// Markdown marks and a closing colon dropped: "[Date received:" -> "date received",
/// "**Date:**" -> "date".
fn normalise_label(s: &str) -> String {
    let squashed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    squashed
        .trim_start_matches(['[', '(', '*', '_', '#', '>', '|', ' '])
        .trim_end_matches([':', '*', '_', '|', ' '])
        .to_lowercase()
}

/// True when the date figure at `span` carries a document label: on its line before it
/// (nothing but closing marks after it), or alone on its line under a line that is only
/// a label ("Distr.: General" over "6 February 2024").
fn is_labelled(text: &str, start: usize, end: usize, labels: &[String]) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |k| k + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |k| end + k);
    let after_ok = text[end..line_end]
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, ']' | ')' | '*' | '_' | '|' | '.' | ';'));
    if !after_ok {
        return false;
    }
    let is_label = |s: &str| {
        let n = normalise_label(s);
        !n.is_empty() && labels.iter().any(|l| normalise_label(l) == n)
    };
    let before = &text[line_start..start];
    if !before.trim().is_empty() {
        return is_label(before);
    }
    // Alone on its line: the label is the nearest line above that is not blank.
    text[..line_start]
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .is_some_and(is_label)
}

/// The document's own date: the latest labelled date among the date figures in the
/// first `header-bytes` of `text` (the latest, so that of a date received and a date of
/// issue, the one that leaves the document the most time is taken).
pub fn document_date(text: &str, figures: &[Figure], params: &DateParams) -> Option<DocumentDate> {
    let mut best: Option<DocumentDate> = None;
    let mut header_end = 0;
    for (i, f) in figures.iter().enumerate() {
        if f.span().start >= params.header_bytes {
            break;
        }
        let FigureKind::Date { year, month, day } = f.kind else {
            continue;
        };
        // An impossible date is `invalid-date`'s own finding, not a reference point.
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            continue;
        }
        if !is_labelled(text, f.span().start, f.span().end, &params.document_labels) {
            continue;
        }
        header_end = f.span().end;
        let ymd = (year, month, day);
        if best.is_none_or(|b| ymd > b.ymd) {
            best = Some(DocumentDate {
                figure: i,
                ymd,
                header_end,
            });
        }
    }
    best.map(|b| DocumentDate { header_end, ..b })
}

/// Words that may follow a year that is the time of an event ("in 2023, ...", "in 2023
/// the ..."); any other lower-case word may make the number a count ("in 2023 cases").
const AFTER_YEAR: &[&str] = &[
    "the", "a", "an", "and", "or", "but", "in", "on", "at", "by", "for", "from", "to", "of",
    "with", "was", "were", "had", "as", "when", "while", "there", "it", "its", "this", "that",
    "which", "than", "compared", "alone", "only", "also", "both",
];

/// The word of token `t`.
fn word<'t>(text: &'t str, t: &Token) -> Option<&'t str> {
    (t.kind == TokenKind::Word).then(|| &text[t.span.start..t.span.end])
}

/// True when the words of `phrase` stand in `tokens` from index `at` on.
fn phrase_at(text: &str, tokens: &[Token], at: usize, phrase: &str) -> bool {
    let mut i = at;
    for w in phrase.split_whitespace() {
        match tokens.get(i).and_then(|t| word(text, t)) {
            Some(x) if x.eq_ignore_ascii_case(w) => i += 1,
            _ => return false,
        }
    }
    i > at
}

/// The phrase of `list` that ends right before token `at`, as the index of its first
/// token.
fn phrase_before(text: &str, tokens: &[Token], at: usize, list: &[String]) -> Option<usize> {
    list.iter().find_map(|p| {
        let n = p.split_whitespace().count();
        let start = at.checked_sub(n)?;
        phrase_at(text, tokens, start, p).then_some(start)
    })
}

/// True when token `t` ends a clause: `;`, `:`, a bracket, a sentence stop, or one of
/// `breaks`.
fn breaks_clause(text: &str, t: &Token, breaks: &[String]) -> bool {
    match t.kind {
        TokenKind::Stop | TokenKind::Punct(';' | ':' | '(' | ')') => true,
        TokenKind::Word => {
            let w = &text[t.span.start..t.span.end];
            crate::figures::is_one_of(w, breaks)
        }
        _ => false,
    }
}

/// True when a phrase of `list` starts somewhere in `range` of `tokens`.
fn any_phrase(
    text: &str,
    tokens: &[Token],
    range: std::ops::Range<usize>,
    list: &[String],
) -> bool {
    range
        .into_iter()
        .any(|i| list.iter().any(|p| phrase_at(text, tokens, i, p)))
}

/// One claim (family `date`, slots `event` and `document`) for each year or date in
/// this sentence that is later than the document date and that the sentence reports as
/// past: a time preposition right before it ("in 2023", "on 5 May 2023", "as at 31 July
/// 2023"); no word of a plan, target, forecast, condition or modal anywhere in the
/// sentence ("will", "planned"; "by 2030" has no event preposition); and in the event's
/// own clause (up to `;`, `:`, a bracket, "and", "which" ...) a past marker ("was",
/// "opened", not "is opened") and no present-tense word ("is", "enters"). `tokens` is
/// one sentence; the part of it on the cover is left out.
pub fn events(
    text: &str,
    tokens: &[Token],
    figures: &[Figure],
    doc: &DocumentDate,
    params: &DateParams,
) -> Vec<Claim> {
    let later = |fi: usize| match figures[fi].kind {
        FigureKind::Year => figures[fi].value > f64::from(doc.ymd.0),
        FigureKind::Date { year, month, day } => {
            (1..=12).contains(&month) && (1..=31).contains(&day) && (year, month, day) > doc.ymd
        }
        _ => false,
    };
    // The body part of the sentence: a sentence that runs on from the cover (whose
    // lines have no stops) starts after the last labelled date.
    let body = tokens.partition_point(|t| t.span.start < doc.header_end);
    let tokens = &tokens[body..];
    // Most sentences name nothing after the document date: one look at their figures.
    let candidates: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t.kind, TokenKind::Figure(fi) if later(fi)))
        .map(|(i, _)| i)
        .collect();
    if candidates.is_empty() || any_phrase(text, tokens, 0..tokens.len(), &params.not_past) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for ti in candidates {
        let TokenKind::Figure(fi) = tokens[ti].kind else {
            continue;
        };
        let Some(first) = phrase_before(text, tokens, ti, &params.event_prepositions) else {
            continue;
        };
        if figures[fi].kind == FigureKind::Year {
            let counted = tokens
                .get(ti + 1)
                .and_then(|t| word(text, t))
                .is_some_and(|w| {
                    w.starts_with(|c: char| c.is_lowercase())
                        && !crate::figures::is_one_of(w, AFTER_YEAR)
                });
            if counted {
                continue;
            }
        }
        let clause_start = tokens[..first]
            .iter()
            .rposition(|t| breaks_clause(text, t, &params.clause_breaks))
            .map_or(0, |k| k + 1);
        let clause_end = tokens[ti + 1..]
            .iter()
            .position(|t| breaks_clause(text, t, &params.clause_breaks))
            .map_or(tokens.len(), |k| ti + 1 + k);
        let clause = clause_start..clause_end;
        let past = clause.clone().any(|i| {
            params
                .past_markers
                .iter()
                .any(|p| phrase_at(text, tokens, i, p))
                && phrase_before(text, tokens, i, &params.present_auxiliaries).is_none()
        });
        if !past || any_phrase(text, tokens, clause, &params.present_markers) {
            continue;
        }
        out.push(Claim::new(
            FAMILY,
            tokens[first].span.cover(tokens[ti].span),
            vec![("event".into(), fi), ("document".into(), doc.figure)],
        ));
    }
    out
}

/// The date figures (indices into `figures`) that no `date` claim of `claims` holds, in
/// text order: those [`add_claims`] makes a claim of each.
pub fn unclaimed(figures: &[Figure], claims: &[Claim]) -> Vec<usize> {
    // The figures already in a date claim, sorted: a few, so they are looked up rather
    // than marked in a flag per figure, and the figures are read in one pass, not two
    // (on a large file the list is tens of megabytes that no cache holds).
    let mut claimed: Vec<usize> = claims
        .iter()
        .filter(|c| c.family == FAMILY)
        .flat_map(|c| c.all("date"))
        .collect();
    claimed.sort_unstable();
    figures
        .iter()
        .enumerate()
        .filter(|(i, f)| {
            matches!(f.kind, FigureKind::Date { .. }) && claimed.binary_search(i).is_err()
        })
        .map(|(i, _)| i)
        .collect()
}

/// Add a claim with slot `date` for each date figure that is not yet in a `date` claim
/// ([`unclaimed`]); the caller re-sorts `claims` by start. `pattern` is the index these
/// claims carry: one past the family's YAML patterns, so they have no pattern tags.
/// `more` is how many claims the caller adds afterwards: `claims` grows once, to its
/// final length, rather than doubling (on a large file the claims take a tenth of the
/// text's size, and doubling them here copied them all and held twice that near the end
/// of a check).
pub fn add_claims(figures: &[Figure], pattern: usize, claims: &mut Vec<Claim>, more: usize) {
    let dates = unclaimed(figures, claims);
    claims.reserve_exact(dates.len() + more);
    claims.extend(dates.into_iter().map(|i| Claim {
        pattern,
        ..Claim::new(FAMILY, figures[i].span(), vec![("date".into(), i)])
    }));
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
        add_claims(&figures, 0, &mut claims, 0);
        assert_eq!(claims.len(), 2);
        assert!(
            claims
                .iter()
                .all(|c| c.family == FAMILY && c.slot("date").is_some())
        );
        // A second pass adds nothing: each date is claimed once.
        add_claims(&figures, 0, &mut claims, 0);
        assert_eq!(claims.len(), 2);
    }

    /// The document date of `text`, and the years or dates the extractor reads as past
    /// events, as written.
    fn read(text: &str) -> (Option<String>, Vec<String>) {
        let figures = scan(text);
        let params = DateParams::default();
        let Some(doc) = document_date(text, &figures, &params) else {
            return (None, Vec::new());
        };
        let mut found = Vec::new();
        super::super::for_each_figure_sentence(text, &figures, |sentence| {
            for c in events(text, sentence, &figures, &doc, &params) {
                if let Some(fi) = c.slot("event") {
                    let sp = figures[fi].span();
                    found.push(text[sp.start..sp.end].to_string());
                }
            }
        });
        let sp = figures[doc.figure].span();
        (Some(text[sp.start..sp.end].to_string()), found)
    }

    #[test]
    fn the_document_date_is_read_from_labelled_cover_lines_only() {
        let date = |t: &str| read(t).0;
        assert_eq!(
            date("**Date:** 5 March 2021\n"),
            Some("5 March 2021".into())
        );
        assert_eq!(
            date("Date: 5 March 2021\nLast updated: 10 June 2023\n"),
            Some("10 June 2023".into())
        );
        assert_eq!(
            date("Date: 5 March 2021\n\nText."),
            Some("5 March 2021".into())
        );
        assert_eq!(
            date(" Distr.: General \n\n 6 February 2024 \n\nOriginal: Russian"),
            Some("6 February 2024".into())
        );
        assert_eq!(
            date("Distr.: General 12 May 2023\n[Date received: 5 December 2023]\n"),
            Some("5 December 2023".into()),
            "the latest labelled date"
        );
        // A date in a sentence, or with words after it, is a reference date for data.
        assert_eq!(
            date("As at 1 January 2023, 55.4 per cent were women."),
            None
        );
        assert_eq!(date("Date: 5 March 2021 (draft for comments)"), None);
        assert_eq!(
            date("Date: 5 March 2021\nLast updated: 10 June 2023\n"),
            Some("10 June 2023".into())
        );
        assert_eq!(date("The Act dated 8 December 2009 on guarantees."), None);
        // Past the cover.
        let late = format!("{}\nDate: 5 March 2021\n", "Text. ".repeat(400));
        assert_eq!(date(&late), None);
    }

    #[test]
    fn events_are_past_tense_and_after_the_document_date() {
        let events = |body: &str| read(&format!("Date: 5 March 2021\n\n{body}")).1;
        assert_eq!(events("In 2023, 500 shelters were opened."), ["2023"]);
        assert_eq!(
            events("As at 31 July 2021, 46 centres were operating."),
            ["31 July 2021"]
        );
        assert_eq!(
            events("The law entered into force on 1 June 2022."),
            ["1 June 2022"]
        );
        for silent in [
            "In 2021, 40 shelters were opened.",
            "In 2023, 500 shelters will be opened.",
            "The plan was to open 500 shelters in 2023.",
            "By 2025, 600 shelters were to be operating.",
            "In 2023, 500 shelters are opened every year.",
            "The law was signed on 1 March 2021 and enters into force on 1 January 2022.",
            "In 2024 cases were heard.",
            "The strategy for 2022 was adopted in 2020.",
            "It was decided that 500 shelters would open in 2023.",
        ] {
            assert!(events(silent).is_empty(), "{silent}");
        }
    }

    #[test]
    fn without_a_dated_cover_nothing_is_an_event() {
        assert_eq!(
            read("In 2023, 500 shelters were opened."),
            (None, Vec::new())
        );
    }
}
