//! Enumeration claims: a number announced for a list and the items that follow it ("three
//! constitutional laws: the Act on A; the Act on B; and the Act on C").
//!
//! Third stage of the pipeline, next to the pattern matcher: a Rust extractor reads lists
//! in one pass over the tokens, with its vocabulary and limits from the `params:` of
//! `rules/enumeration.yaml`. It returns a claim only when the split into items is clear;
//! the checker (`rules::enumeration`) compares the count.

use super::{Claim, Token, TokenKind};
use crate::figures::{Figure, FigureKind, is_one_of};
use crate::source::Span;

/// Vocabulary and limits of the enumeration extractor (`params:` in
/// `rules/enumeration.yaml`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct EnumerationParams {
    /// Smallest announced number read as a list length.
    pub min_count: u32,
    /// Largest announced number read as a list length.
    pub max_count: u32,
    /// Most words between the number and the colon ("three constitutional laws:").
    pub max_gap: usize,
    /// Words between the number and the colon that make it count something else ("two of
    /// the following areas:").
    pub blockers: Vec<String>,
    /// Plural nouns that do not end in "s".
    pub irregular_plurals: Vec<String>,
    /// Words and phrases that mark a list as open ("including", "such as", "inter alia").
    pub non_exhaustive: Vec<String>,
    /// Words that join the last item ("and", "or").
    pub conjunctions: Vec<String>,
    /// Longest comma-separated item, in tokens; longer ones may hold a clause whose
    /// commas are not separators.
    pub max_comma_item: usize,
}

impl Default for EnumerationParams {
    fn default() -> Self {
        let words = |w: &[&str]| w.iter().map(|s| (*s).to_string()).collect();
        EnumerationParams {
            min_count: 2,
            max_count: 20,
            max_gap: 4,
            blockers: words(&["of", "per", "out", "each", "every", "than"]),
            irregular_plurals: words(&["children", "women", "men", "people", "criteria", "media"]),
            non_exhaustive: words(&[
                "including",
                "include",
                "includes",
                "such as",
                "among others",
                "among them",
                "inter alia",
                "e.g",
                "for example",
                "for instance",
                "etc",
                "notably",
                "in particular",
            ]),
            conjunctions: words(&["and", "or"]),
            max_comma_item: 10,
        }
    }
}

/// How the list's items are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    /// Semicolons.
    Semicolon,
    /// Commas.
    Comma,
}

/// An announced list and its items.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumerationClaim {
    /// Family `enumeration`; the slot `count` is the announced number.
    pub claim: Claim,
    /// The announced number.
    pub count: usize,
    /// From the number to the colon: "three constitutional laws".
    pub announced: Span,
    /// Each item, from its first token to its last (a joining "and" excluded).
    pub items: Vec<Span>,
    /// How the items are separated.
    pub separator: Separator,
    /// The word joining the last item ("and", "or").
    pub conjunction: Span,
}

const FAMILY: &str = "enumeration";

/// Find every announced list whose items can be told apart, in one pass over the tokens.
/// `within` is the sentence's figures (`tokens::figures_within`), worked out
/// once by the caller for all the extractors.
pub fn extract(
    text: &str,
    tokens: &[Token],
    figures: &[Figure],
    within: &[Figure],
    params: &EnumerationParams,
) -> Vec<EnumerationClaim> {
    extract_with(text, tokens, figures, within, params, None)
}

/// The words of each phrase that marks a list as open (`non_exhaustive`), split once for
/// every sentence of a check: split for each sentence that announces a list, they were
/// a vector per phrase each time.
#[derive(Debug, Clone)]
pub struct OpenPhrases<'p>(Vec<Vec<&'p str>>);

impl<'p> OpenPhrases<'p> {
    /// The phrases of `params`, each split into its words.
    pub fn new(params: &'p EnumerationParams) -> Self {
        OpenPhrases(split_phrases(params))
    }
}

/// Each of `params.non_exhaustive` split into its words.
fn split_phrases(params: &EnumerationParams) -> Vec<Vec<&str>> {
    params
        .non_exhaustive
        .iter()
        .map(|p| p.split_whitespace().collect())
        .collect()
}

/// [`extract`] with `params`' phrases already split (`OpenPhrases::new(params)`).
pub fn extract_with_phrases(
    text: &str,
    tokens: &[Token],
    figures: &[Figure],
    within: &[Figure],
    params: &EnumerationParams,
    phrases: &OpenPhrases<'_>,
) -> Vec<EnumerationClaim> {
    extract_with(text, tokens, figures, within, params, Some(&phrases.0))
}

/// [`extract`], with the phrases split if they are given, else split when needed.
fn extract_with(
    text: &str,
    tokens: &[Token],
    figures: &[Figure],
    within: &[Figure],
    params: &EnumerationParams,
    phrases: Option<&[Vec<&str>]>,
) -> Vec<EnumerationClaim> {
    // An announced list needs a number that can announce one, and a colon after it:
    // most sentences lack one or the other, and are done here. Only the tokens from the
    // first such number on are searched for the colon (`within` is in text order, and
    // every number a list may start from is among them).
    let Some(first) = within.iter().find(|f| announces(f, params)) else {
        return Vec::new();
    };
    if !has_colon_from(text, tokens, first.span().start) {
        return Vec::new();
    }
    every_list(text, tokens, figures, params, phrases)
}

/// The full pass of [`extract`], for a sentence whose figures and colon may hold an
/// announced list; tests compare the two on every sentence.
// Out of line, so that the entry test before it stays small enough to be inlined
// into its caller and saves no registers for the many sentences it turns away.
#[inline(never)]
fn every_list(
    text: &str,
    tokens: &[Token],
    figures: &[Figure],
    params: &EnumerationParams,
    given: Option<&[Vec<&str>]>,
) -> Vec<EnumerationClaim> {
    // Unless given, split once per sentence, and only for one that announces a list.
    let mut phrases: Option<Vec<Vec<&str>>> = None;
    let mut out = Vec::new();
    let mut ti = 0;
    while ti < tokens.len() {
        let next = match tokens[ti].kind {
            TokenKind::Figure(fi) if announces(&figures[fi], params) => {
                match colon_after(text, tokens, ti, params) {
                    Some(colon) => {
                        let phrases = match given {
                            Some(given) => given,
                            None => phrases.get_or_insert_with(|| split_phrases(params)),
                        };
                        let (claim, end) = list(text, tokens, fi, ti, colon, params, phrases);
                        out.extend(claim);
                        end
                    }
                    None => ti + 1,
                }
            }
            _ => ti + 1,
        };
        ti = next.max(ti + 1);
    }
    out
}

/// Whether a `:` token is among `tokens` (the exact answer [`has_colon_from`] gives
/// from the first token on).
#[cfg(test)]
fn has_colon(text: &str, tokens: &[Token]) -> bool {
    has_colon_from(text, tokens, 0)
}

/// Whether a `:` token may be among `tokens` at or after byte `from`. A colon token is a
/// `:` byte of the text, so one memchr over the tokens' bytes from `from` on turns most
/// sentences away without a look at each token; a `:` it finds may be inside a word or
/// figure, so the tokens confirm it (all of them: a superset, enough for a refusal).
fn has_colon_from(text: &str, tokens: &[Token], from: usize) -> bool {
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return false;
    };
    let start = first.span.start.max(from);
    let bytes = text
        .as_bytes()
        .get(start..last.span.end.max(start))
        .unwrap_or_default();
    memchr::memchr(b':', bytes).is_some() && tokens.iter().any(|t| t.kind == TokenKind::Punct(':'))
}

fn word<'t>(text: &'t str, t: &Token) -> Option<&'t str> {
    (t.kind == TokenKind::Word).then(|| &text[t.span.start..t.span.end])
}

/// An exact, unhedged whole number in range ("at least three" is open-ended).
fn announces(f: &Figure, params: &EnumerationParams) -> bool {
    // Whole numbers are told by a round trip through `u32` (exact in the range, tested
    // after it), not by `fract`, a call to the maths library on most targets.
    f.kind == FigureKind::Count
        && f.exact
        && f.hedge.is_none()
        && f.value >= f64::from(params.min_count)
        && f.value <= f64::from(params.max_count)
        && f64::from(f.value as u32) == f.value
}

fn plural(w: &str, params: &EnumerationParams) -> bool {
    // The last two bytes in lower case are all the ending test needs: no lower-cased
    // copy of the word.
    let ending = match w.as_bytes() {
        [.., a, b] if w.len() > 2 => Some((a.to_ascii_lowercase(), b.to_ascii_lowercase())),
        _ => None,
    };
    is_one_of(w, &params.irregular_plurals)
        || ending.is_some_and(|(a, b)| b == b's' && !matches!(a, b's' | b'u' | b'i'))
}

/// The colon closing "three constitutional laws:": only words in between, one plural.
fn colon_after(
    text: &str,
    tokens: &[Token],
    ti: usize,
    params: &EnumerationParams,
) -> Option<usize> {
    let mut has_plural = false;
    for (k, t) in tokens
        .iter()
        .enumerate()
        .take(ti + 2 + params.max_gap)
        .skip(ti + 1)
    {
        match t.kind {
            TokenKind::Punct(':') => return has_plural.then_some(k),
            TokenKind::Word => {
                let w = word(text, t)?;
                if is_one_of(w, &params.blockers) {
                    return None;
                }
                has_plural |= plural(w, params);
            }
            // "four priority areas", "two-tier courts": a hyphen inside the noun phrase.
            TokenKind::Punct('-') => {}
            _ => return None,
        }
    }
    None
}

/// Read the list after `colon` up to the sentence end. Returns the claim when the items
/// can be told apart, and where to resume.
#[allow(clippy::too_many_arguments)]
fn list(
    text: &str,
    tokens: &[Token],
    fi: usize,
    ti: usize,
    colon: usize,
    params: &EnumerationParams,
    phrases: &[Vec<&str>],
) -> (Option<EnumerationClaim>, usize) {
    let mut depth = 0usize;
    let mut semis = Vec::new();
    let mut commas = Vec::new();
    let mut conjs = Vec::new();
    let mut ambiguous = false;
    let mut k = colon + 1;
    while k < tokens.len() {
        let t = &tokens[k];
        match t.kind {
            TokenKind::Stop => break,
            TokenKind::Punct('(' | '[') => depth += 1,
            TokenKind::Punct(')' | ']') => depth = depth.saturating_sub(1),
            // A second colon: a nested list or a list of lists.
            TokenKind::Punct(':') => ambiguous = true,
            TokenKind::Punct(';') if depth == 0 => semis.push(k),
            TokenKind::Punct(',') if depth == 0 => commas.push(k),
            TokenKind::Word => {
                let w = &text[t.span.start..t.span.end];
                if depth == 0 && is_one_of(w, &params.conjunctions) {
                    conjs.push(k);
                }
                if starts_phrase(text, tokens, k, phrases) {
                    ambiguous = true;
                }
            }
            _ => {}
        }
        k += 1;
    }
    let end = k;
    if ambiguous || depth != 0 || end <= colon + 1 {
        return (None, end);
    }
    let seps = if semis.is_empty() { &commas } else { &semis };
    if seps.is_empty() {
        return (None, end);
    }
    // Segments between separators, as token ranges [a, b).
    let mut bounds = Vec::with_capacity(seps.len() + 2);
    bounds.push(colon);
    bounds.extend_from_slice(seps);
    bounds.push(end);
    let segments: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0] + 1, w[1])).collect();
    if segments.iter().any(|&(a, b)| a >= b) {
        return (None, end);
    }
    let Some(&(last_a, last_b)) = segments.last() else {
        return (None, end);
    };
    let (separator, conj, mut items) = if semis.is_empty() {
        // Commas: the one conjunction must sit in the last segment, and items must be
        // short enough that their commas are separators.
        let [c] = conjs[..] else {
            return (None, end);
        };
        if c < last_a || segments.iter().any(|&(a, b)| b - a > params.max_comma_item) {
            return (None, end);
        }
        let mut items = segments[..segments.len() - 1].to_vec();
        if c == last_a {
            items.push((c + 1, last_b));
        } else {
            items.push((last_a, c));
            items.push((c + 1, last_b));
        }
        (Separator::Comma, c, items)
    } else {
        // Semicolons: the last item opens with the conjunction.
        if !conjs.contains(&last_a) {
            return (None, end);
        }
        let items = segments.clone();
        (Separator::Semicolon, last_a, items)
    };
    // An item that opens with the conjunction keeps it out of its span.
    for it in &mut items {
        if it.0 == conj {
            it.0 += 1;
        }
    }
    if items.iter().any(|&(a, b)| a >= b) {
        return (None, end);
    }
    let spans: Vec<Span> = items
        .iter()
        .map(|&(a, b)| tokens[a].span.cover(tokens[b - 1].span))
        .collect();
    let span = tokens[ti].span.cover(tokens[end - 1].span);
    let claim = EnumerationClaim {
        claim: Claim::new(FAMILY, span, vec![("count".into(), fi)]),
        count: fi,
        announced: tokens[ti].span.cover(tokens[colon - 1].span),
        items: spans,
        separator,
        conjunction: tokens[conj].span,
    };
    (Some(claim), end)
}

/// Does a non-exhaustive phrase start at token `k`?
fn starts_phrase(text: &str, tokens: &[Token], k: usize, phrases: &[Vec<&str>]) -> bool {
    phrases.iter().any(|p| {
        !p.is_empty()
            && p.iter().enumerate().all(|(j, pw)| {
                tokens
                    .get(k + j)
                    .and_then(|t| word(text, t))
                    .is_some_and(|w| w.eq_ignore_ascii_case(pw))
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::tokenize;
    use crate::figures;

    proptest::proptest! {
        /// The plural test on the last two bytes answers as the lower-cased copy of the
        /// word did, for ASCII words in any case and words with other letters.
        #[test]
        fn plural_answers_as_the_lower_cased_word(w in "[a-zA-Z\u{e9}\u{df}]{0,8}[sSuUiI]{0,2}") {
            let l = w.to_ascii_lowercase();
            let params = EnumerationParams::default();
            let want = is_one_of(&w, &params.irregular_plurals)
                || (l.len() > 2
                    && l.ends_with('s')
                    && !l.ends_with("ss")
                    && !l.ends_with("us")
                    && !l.ends_with("is"));
            proptest::prop_assert_eq!(plural(&w, &params), want, "{:?}", w);
        }
    }

    fn items(text: &str) -> Vec<usize> {
        let figs = figures::scan(text);
        let toks = tokenize(text, &figs);
        extract(
            text,
            &toks,
            &figs,
            crate::claims::tokens::figures_within(&toks, &figs),
            &EnumerationParams::default(),
        )
        .iter()
        .map(|c| c.items.len())
        .collect()
    }

    #[test]
    fn colon_test_agrees_with_a_look_at_each_token() {
        let seed = include_str!("../../seeds/000_26c4ac59d5b61832.txt");
        let crafted = "Three goals: a, b and c. At 10:30 the http://x.org/a:b site. Two: x; y. :";
        let mut colons = 0;
        for text in [seed, crafted] {
            let figs = figures::scan(text);
            let toks = tokenize(text, &figs);
            // Token runs of every length up to forty, from every seventh token.
            for start in (0..toks.len()).step_by(7) {
                for end in start..toks.len().min(start + 40) {
                    let run = &toks[start..end];
                    let each = run.iter().any(|t| t.kind == TokenKind::Punct(':'));
                    assert_eq!(has_colon(text, run), each, "{:?}", run.first());
                    colons += usize::from(each);
                }
            }
        }
        assert!(colons > 100, "{colons}");
    }

    #[test]
    fn entry_check_skips_only_sentences_without_lists() {
        let crafted = "There are three constitutional laws: the Act on A; the Act on B; and the \
            Act on C. At 10:30, three areas: health, education and work. Note: the two \
            groups are women and men. It covers the following four areas: health, \
            education, work and housing. Two: x; y. Of 5 areas: a, b and c; 3 more. \
            It covers three areas: health, education and work including housing.";
        let params = EnumerationParams::default();
        let found = crate::claims::testing::for_every_sentence(
            &[crate::claims::testing::SEED, crafted],
            |text, sentence, figs, within| {
                let all = every_list(text, sentence, figs, &params, None);
                assert_eq!(extract(text, sentence, figs, within, &params), all);
                let phrases = OpenPhrases::new(&params);
                let with = extract_with_phrases(text, sentence, figs, within, &params, &phrases);
                assert_eq!(with, all);
                all.len()
            },
        );
        assert!(found >= 3, "{found}");
    }

    #[test]
    fn semicolon_and_comma_lists() {
        assert_eq!(
            items(
                "There are three constitutional laws: the Act on A; the Act on B; and the Act on C."
            ),
            [3]
        );
        assert_eq!(
            items("It covers the following four areas: health, education, work and housing."),
            [4]
        );
        assert_eq!(
            items("It covers three areas: health, education, and work."),
            [3]
        );
    }

    #[test]
    fn unclear_lists_are_not_claims() {
        for t in [
            "It covers four areas: health, education and science, work and housing.",
            "It covers four areas, including: health, education, work and housing.",
            "It covers four areas: inter alia health, education, work and housing.",
            "It covers at least three areas: health, education and work.",
            "It covers two of the following areas: health, education and work.",
            "It covers three areas: health; education; work.",
            "It covers two groups: women and men.",
        ] {
            assert!(items(t).is_empty(), "{t}");
        }
    }
}
