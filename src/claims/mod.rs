//! Claims: figures linked into typed statements (share, total-of-parts, change, ...).
//!
//! Third stage of the pipeline. Patterns from `rules/*.yaml` (see [`pattern`]) are matched
//! over the token stream; each match becomes a [`Claim`] of its family with its figures in
//! named slots. Rules read claims; they never look at the text again.

pub mod enumeration;
pub mod pattern;
pub mod series;
pub mod tokens;

use crate::figures::Figure;
use crate::source::Span;
pub use pattern::{Pattern, PatternError, SlotType};
pub use tokens::{Token, TokenKind, tokenize};

/// A family's patterns, in priority order (earlier wins when two claim the same figure).
#[derive(Debug, Clone)]
pub struct ClaimPatterns {
    /// Family name, e.g. `share`.
    pub family: String,
    /// Compiled patterns.
    pub patterns: Vec<Pattern>,
    /// Slots that identify a claim: a figure fills a key slot in at most one claim of the
    /// family (a whole may be shared by several shares; a part may not).
    pub key_slots: Vec<String>,
}

/// A typed statement linking figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Family name, e.g. `share`.
    pub family: String,
    /// From the first to the last matched token.
    pub span: Span,
    /// Figures by slot name, as indices into the figure list.
    pub slots: Vec<(String, usize)>,
    /// Index of the pattern (within its family) that matched.
    pub pattern: usize,
    /// Other figures that could fill a slot: (slot name, figure index). A pattern that
    /// opens with `{whole:amount} ...` takes the nearest whole, but an earlier figure in
    /// the same sentence ("104 athletes in 26 sports, including 46 women") may be the one
    /// meant; rules must find the claim wrong under every reading before they report it.
    pub alternatives: Vec<(String, usize)>,
}

impl Claim {
    /// The figure in slot `name`, if the pattern captured one.
    pub fn slot(&self, name: &str) -> Option<usize> {
        self.slots.iter().find(|(n, _)| n == name).map(|(_, i)| *i)
    }
}

/// Match every family's patterns over the tokens and return the claims, ordered by start.
///
/// Within a family, a figure fills the key slot of at most one claim: matches are taken by
/// pattern priority, then position, so a more specific pattern listed first wins over a
/// looser one that would pair the same figure differently.
pub fn extract(
    text: &str,
    tokens: &[Token],
    figures: &[Figure],
    families: &[ClaimPatterns],
) -> Vec<Claim> {
    let mut claims = Vec::new();
    let figure_tokens: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t.kind, TokenKind::Figure(_)))
        .map(|(i, _)| i)
        .collect();
    let mut starts = Vec::new();
    for fam in families {
        let mut taken = vec![false; figures.len()];
        for (pi, pat) in fam.patterns.iter().enumerate() {
            candidate_starts(pat, tokens, figures, &figure_tokens, &mut starts);
            for &start in &starts {
                let Some(m) = pat.match_at(text, tokens, figures, start) else {
                    continue;
                };
                let keys: Vec<usize> = m
                    .captures
                    .iter()
                    .filter(|(n, _)| fam.key_slots.contains(n))
                    .map(|(_, i)| *i)
                    .collect();
                if !keys.is_empty() && keys.iter().all(|&k| !taken[k]) {
                    keys.iter().for_each(|&k| taken[k] = true);
                    let span = tokens[m.first].span.cover(tokens[m.end - 1].span);
                    let alternatives = alternatives(pat, tokens, figures, m.first);
                    claims.push(Claim {
                        family: fam.family.clone(),
                        span,
                        slots: m.captures,
                        pattern: pi,
                        alternatives,
                    });
                }
            }
        }
    }
    claims.sort_by_key(|c| (c.span.start, c.span.end));
    claims
}

/// Figures before `first`, in the same sentence and within the pattern's leading gap,
/// that could also fill its leading slot.
fn alternatives(
    pat: &Pattern,
    tokens: &[Token],
    figures: &[Figure],
    first: usize,
) -> Vec<(String, usize)> {
    let Some((name, ty, gap)) = pat.leading_slot_gap() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut words = 0;
    for t in tokens[..first].iter().rev() {
        match t.kind {
            TokenKind::Stop => break,
            TokenKind::Figure(fi) if ty.accepts(&figures[fi]) => out.push((name.to_string(), fi)),
            _ => words += 1,
        }
        if words > gap {
            break;
        }
    }
    out
}

/// Token positions where `pat` can start, ascending: a fixed distance before each figure
/// its first slot accepts, or every position when the pattern has no such anchor.
fn candidate_starts(
    pat: &Pattern,
    tokens: &[Token],
    figures: &[Figure],
    figure_tokens: &[usize],
    out: &mut Vec<usize>,
) {
    out.clear();
    match pat.anchor() {
        Some((ty, lens)) => {
            for &ti in figure_tokens {
                let TokenKind::Figure(fi) = tokens[ti].kind else {
                    continue;
                };
                if ty.accepts(&figures[fi]) {
                    out.extend(lens.iter().filter_map(|&l| ti.checked_sub(l)));
                }
            }
            out.sort_unstable();
            out.dedup();
        }
        None => out.extend(0..tokens.len()),
    }
}
