//! Series claims: values by year ("X in 2018; Y in 2019; ..."), reversed year ranges and
//! stated spans of years ("the past three years (2019, 2020, 2021)").
//!
//! Third stage of the pipeline, next to the pattern matcher: these claims are list-shaped,
//! so a Rust extractor finds them in one pass over the tokens, with its vocabulary and
//! limits from the `params:` of `rules/series.yaml`. The checker is `rules::series`.

use super::{Claim, Name, Token, TokenKind};
use crate::figures::{Figure, FigureKind, is_one_of};
use crate::source::Span;

/// Vocabulary and limits of the series extractor (`params:` in `rules/series.yaml`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SeriesParams {
    /// Fewest items a series by year needs before its years are compared.
    pub min_items: usize,
    /// Nouns that make a number a span of years: "three years", "a five-year period".
    pub span_nouns: Vec<String>,
    /// Words allowed between a stated span and the years that spell it out ("period",
    /// "i.e", "namely", "from", "between").
    pub bridge_words: Vec<String>,
    /// Most tokens between a stated span and its years.
    pub max_gap: usize,
    /// Largest span of years read as a span (larger numbers are something else).
    pub max_span: u32,
    /// Words that introduce the year of a series item ("in 2018", "for 2019").
    pub year_prepositions: Vec<String>,
}

impl Default for SeriesParams {
    fn default() -> Self {
        let words = |w: &[&str]| w.iter().map(|s| (*s).to_string()).collect();
        SeriesParams {
            min_items: 3,
            span_nouns: words(&["year", "years"]),
            bridge_words: words(&[
                "period", "from", "between", "i.e", "namely", "that", "is", "covering", "of",
            ]),
            max_gap: 4,
            max_span: 100,
            year_prepositions: words(&["in", "for", "during", "by"]),
        }
    }
}

/// One item of a series by year: its span, its year and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct YearItem {
    /// From the item's first token to its last (separators and a leading "and" excluded).
    pub span: Span,
    /// The item's one Year figure.
    pub year: usize,
    /// Its amounts and percentages, in order.
    pub values: Vec<usize>,
}

/// How the years that spell out a stated span are given.
#[derive(Debug, Clone, PartialEq)]
pub enum Listed {
    /// An explicit list of Year figures: "(2019, 2020, 2021 and 2022)".
    Years(Vec<usize>),
    /// A range: a YearRange figure ("2019–2022"), or two Years joined by "to"/"and" after
    /// "from"/"between" (first, last).
    Range(usize, Option<usize>),
}

/// What a series claim says.
#[derive(Debug, Clone, PartialEq)]
pub enum SeriesShape {
    /// Values by year, one year per item.
    ByYear(Vec<YearItem>),
    /// A year range written backwards ("2023–2020"); the figure parser refuses those, so
    /// the years are plain words here.
    Reversed {
        /// The first year as written.
        start: Span,
        /// The second year as written.
        end: Span,
        /// Its value.
        first: i32,
        /// Its value.
        last: i32,
    },
    /// A number of years and the years that spell it out.
    StatedSpan {
        /// The figure giving the number of years.
        count: usize,
        /// The years given for it.
        listed: Listed,
    },
}

/// A series claim: the generic claim (for `inspect` and ordering) and its shape.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesClaim {
    /// Family `series`; slots name the figures used.
    pub claim: Claim,
    /// What the claim says.
    pub shape: SeriesShape,
}

const FAMILY: &str = "series";

/// Find every series claim in one pass over the tokens.
/// `within` is the sentence's figures (`tokens::figures_within`), worked out
/// once by the caller for all the extractors.
pub fn extract(
    text: &str,
    tokens: &[Token],
    figures: &[Figure],
    within: &[Figure],
    params: &SeriesParams,
) -> Vec<SeriesClaim> {
    Reader::default().extract(text, tokens, figures, within, params)
}

/// The series extractor with its buffers kept from one sentence to the next: a check
/// makes one and hands it every sentence, so reading a series by year allocates nothing
/// but the claims it finds.
#[derive(Debug, Default)]
pub struct Reader {
    lists: Lists,
}

impl Reader {
    /// [`extract`], reusing this reader's buffers.
    pub fn extract(
        &mut self,
        text: &str,
        tokens: &[Token],
        figures: &[Figure],
        within: &[Figure],
        params: &SeriesParams,
    ) -> Vec<SeriesClaim> {
        // Only the years and counted spans among the figures start the two figure-led
        // shapes. A series by year needs `min_items` years, each after a preposition:
        // without them (most sentences), the full pass finds only stated spans, each led
        // by a counted span (found by its figure, not by walking every token), and
        // reversed ranges written as words ("2023–2020"), which one search of the text
        // finds.
        let kinds = FigureSummary::of(within);
        if !kinds.may_hold_by_year(text, tokens, figures, within, params) {
            let mut out = Vec::new();
            if kinds.may_state_span() {
                for f in within.iter().filter(|f| span_count(f, params)) {
                    if let Some((ti, fi)) = token_of(tokens, figures, f) {
                        stated_span(text, tokens, figures, ti, fi, params, &mut out);
                    }
                }
            }
            reversed_ranges(text, tokens, &mut out);
            // The full pass puts reversed ranges in place by the same stable sort.
            if out.len() > 1 {
                out.sort_by_key(|c| (c.claim.span.start, c.claim.span.end));
            }
            return out;
        }
        every_shape(text, tokens, figures, params, &mut self.lists)
    }
}

/// The full pass: every series claim among `tokens`, whatever their figures. [`extract`]
/// comes here only for a sentence whose figures may hold a series by year or a stated
/// span; tests compare the two on every sentence.
// Out of line, so that the entry test before it stays small enough to be inlined
// into its caller and saves no registers for the many sentences it turns away.
#[inline(never)]
fn every_shape(
    text: &str,
    tokens: &[Token],
    figures: &[Figure],
    params: &SeriesParams,
    lists: &mut Lists,
) -> Vec<SeriesClaim> {
    let mut out = Vec::new();
    let mut sentence = 0;
    let mut introduced_years = 0;
    // Two tests a token rather than a `match` on its kind: words and punctuation, which
    // need nothing, are most tokens, and a jump table on the kind mispredicted often.
    for (ti, t) in tokens.iter().enumerate() {
        if let TokenKind::Figure(fi) = t.kind {
            match figures[fi].kind {
                // Each item of a series by year holds one year after a preposition
                // ("in 2018"): a sentence with fewer such years has no series to read.
                FigureKind::Year if after_year_preposition(text, tokens, ti, params) => {
                    introduced_years += 1
                }
                FigureKind::Count => stated_span(text, tokens, figures, ti, fi, params, &mut out),
                _ => {}
            }
        } else if t.kind == TokenKind::Stop {
            if introduced_years >= params.min_items {
                lists.by_year(&tokens[sentence..ti], text, figures, params, &mut out);
            }
            sentence = ti + 1;
            introduced_years = 0;
        }
    }
    if introduced_years >= params.min_items {
        lists.by_year(&tokens[sentence..], text, figures, params, &mut out);
    }
    // Reversed ranges are words, not figures: found apart, and put in place by the sort
    // (no other claim has the same span, since every other one holds a figure).
    reversed_ranges(text, tokens, &mut out);
    out.sort_by_key(|c| (c.claim.span.start, c.claim.span.end));
    out
}

/// Every reversed range among `tokens` ([`reversed`]), in order. A reversed range has a
/// dash token right after its first year, and dashes are rare: rather than walk the
/// tokens (eight instructions a token, however tight the loop), the sentence's text is
/// searched for the bytes a dash token starts with (`-`, or 0xE2, which leads `–`, `—`
/// and `−`), and only a dash with a digit before it is looked up among the tokens.
fn reversed_ranges(text: &str, tokens: &[Token], out: &mut Vec<SeriesClaim>) {
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return;
    };
    let bytes = text.as_bytes();
    let Some(stretch) = bytes.get(first.span.start..last.span.end) else {
        return;
    };
    for at in memchr::memchr2_iter(b'-', 0xE2, stretch).map(|k| first.span.start + k) {
        if !digit_before(bytes, at) {
            continue;
        }
        // Tokens do not overlap, so their starts are sorted and distinct.
        let Ok(ti) = tokens.binary_search_by_key(&at, |t| t.span.start) else {
            continue;
        };
        if ti > 0
            && matches!(tokens[ti].kind, TokenKind::Punct('-'))
            && matches!(tokens[ti - 1].kind, TokenKind::Word)
            && is_four_digit_word(text, &tokens[ti - 1])
        {
            reversed(text, tokens, ti - 1, out);
        }
    }
}

/// Whether an ASCII digit ends the text before byte `at`, once ASCII whitespace and every
/// non-ASCII byte (Unicode spaces among them, which the tokenizer skips too) are stepped
/// over: true for every dash token right after a word that ends in a digit.
fn digit_before(bytes: &[u8], at: usize) -> bool {
    bytes[..at]
        .iter()
        .rev()
        .find(|&&c| !(c.is_ascii_whitespace() || c >= 0x80))
        .is_some_and(u8::is_ascii_digit)
}

/// [`reversed_ranges`] as it was, every four-digit word tried: the oracle it is tested
/// against.
#[cfg(test)]
fn reversed_ranges_reference(text: &str, tokens: &[Token]) -> Vec<SeriesClaim> {
    let mut out = Vec::new();
    for (ti, t) in tokens.iter().enumerate() {
        if t.kind == TokenKind::Word && is_four_digit_word(text, t) {
            reversed(text, tokens, ti, &mut out);
        }
    }
    out.sort_by_key(|c| (c.claim.span.start, c.claim.span.end));
    out
}

/// Cheap test for a word that may be a year written as a word: four bytes, the first a
/// digit (most words are not).
#[inline]
fn is_four_digit_word(text: &str, t: &Token) -> bool {
    t.span.end - t.span.start == 4 && text.as_bytes()[t.span.start].is_ascii_digit()
}

/// How many Year and YearRange figures a sentence's figures (`within`, a superset of
/// those among its tokens) hold: both figure-led shapes need some.
#[derive(Debug, Clone, Copy)]
struct FigureSummary {
    /// Year figures.
    years: usize,
    /// YearRange figures.
    ranges: usize,
}

impl FigureSummary {
    fn of(within: &[Figure]) -> Self {
        let mut kinds = FigureSummary {
            years: 0,
            ranges: 0,
        };
        // Counted without a branch on the kind: figure kinds follow no pattern a
        // predictor can learn, and a `match` here cost (cachegrind) a mispredict every
        // other sentence.
        for f in within {
            kinds.years += usize::from(f.kind == FigureKind::Year);
            kinds.ranges += usize::from(matches!(f.kind, FigureKind::YearRange { .. }));
        }
        kinds
    }

    /// False when no stated span can start here: it needs the Year or YearRange figure
    /// that [`years_after`] or [`range_before`] spells it out with (and a count that
    /// [`span_count`] takes, looked for only then: counts of one to a hundred are
    /// common, years beside them much less so).
    fn may_state_span(self) -> bool {
        self.years + self.ranges > 0
    }

    /// False when the tokens hold fewer than `min_items` Year figures after a preposition
    /// ("in 2018"), the most a series by year of the full pass needs in one stretch
    /// between stops: then [`Lists::by_year`] never runs. The years are looked up by
    /// their figures, so most sentences are not walked.
    fn may_hold_by_year(
        self,
        text: &str,
        tokens: &[Token],
        figures: &[Figure],
        within: &[Figure],
        params: &SeriesParams,
    ) -> bool {
        if self.years < params.min_items {
            return false;
        }
        let introduced = within
            .iter()
            .filter(|f| f.kind == FigureKind::Year)
            .filter_map(|f| token_of(tokens, figures, f))
            .filter(|&(ti, _)| after_year_preposition(text, tokens, ti, params))
            .take(params.min_items)
            .count();
        introduced >= params.min_items
    }
}

/// The token of figure `f` (one of `figures`), and its index among `figures`: `None`
/// when no token holds it (a figure overlapped by the one before it has none). Tokens do
/// not overlap, so their starts are sorted and distinct.
fn token_of(tokens: &[Token], figures: &[Figure], f: &Figure) -> Option<(usize, usize)> {
    let ti = tokens
        .binary_search_by_key(&f.span().start, |t| t.span.start)
        .ok()?;
    match tokens[ti].kind {
        TokenKind::Figure(fi) if figures.get(fi).is_some_and(|g| std::ptr::eq(g, f)) => {
            Some((ti, fi))
        }
        _ => None,
    }
}

/// Whether a word that introduces the year of a series item ("in", "for": "in 2018")
/// comes right before token `ti`.
fn after_year_preposition(text: &str, tokens: &[Token], ti: usize, params: &SeriesParams) -> bool {
    ti > 0 && word(text, &tokens[ti - 1]).is_some_and(|w| is_one_of(w, &params.year_prepositions))
}

fn word<'t>(text: &'t str, t: &Token) -> Option<&'t str> {
    (t.kind == TokenKind::Word).then(|| &text[t.span.start..t.span.end])
}

fn claim(span: Span, slots: Vec<(Name, usize)>) -> Claim {
    Claim::new(FAMILY, span, slots)
}

/// A four-digit year written as a plain word (the figure parser refused it).
fn year_word(w: &str) -> Option<i32> {
    if w.len() != 4 || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    w.parse().ok().filter(|y| (1900..=2100).contains(y))
}

/// "2023–2020": year word, a dash, a smaller year word, and no code around them.
fn reversed(text: &str, tokens: &[Token], ti: usize, out: &mut Vec<SeriesClaim>) {
    let (Some(dash), Some(second)) = (tokens.get(ti + 1), tokens.get(ti + 2)) else {
        return;
    };
    let first = tokens[ti];
    let Some(y0) = word(text, &first).and_then(year_word) else {
        return;
    };
    if dash.kind != TokenKind::Punct('-') {
        return;
    }
    let Some(y1) = word(text, second).and_then(year_word) else {
        return;
    };
    if y1 >= y0 || y0 - y1 > 100 {
        return;
    }
    // A hyphen must touch both years; only an en or em dash may be spaced.
    let raw = &text[dash.span.start..dash.span.end];
    let touching = first.span.end == dash.span.start && dash.span.end == second.span.start;
    if raw == "-" && !touching {
        return;
    }
    // Codes such as "12-2023-2020" or "2023-2020/1" are not ranges.
    let joined = |t: Option<&Token>, at: usize, before: bool| {
        t.is_some_and(|t| {
            matches!(t.kind, TokenKind::Punct('-' | '/'))
                && if before {
                    t.span.end == at
                } else {
                    t.span.start == at
                }
        })
    };
    if (ti > 0 && joined(tokens.get(ti - 1), first.span.start, true))
        || joined(tokens.get(ti + 3), second.span.end, false)
    {
        return;
    }
    out.push(SeriesClaim {
        claim: claim(first.span.cover(second.span), Vec::new()),
        shape: SeriesShape::Reversed {
            start: first.span,
            end: second.span,
            first: y0,
            last: y1,
        },
    });
}

/// A whole number of years usable as a span: exact, unhedged, 1 to `max_span`.
fn span_count(f: &Figure, params: &SeriesParams) -> bool {
    // Whole numbers tested by a round trip through `u32` (exact in this range), not
    // `fract`, which is a call to the maths library on most targets.
    f.kind == FigureKind::Count
        && f.exact
        && f.hedge.is_none()
        && f.value >= 1.0
        && f.value <= f64::from(params.max_span)
        && f64::from(f.value as u32) == f.value
}

/// "three years (2019, 2020, 2021, 2022)", "a five-year period (2018–2022)", and
/// backwards, "the period 2018–2023, i.e. three years".
fn stated_span(
    text: &str,
    tokens: &[Token],
    figures: &[Figure],
    ti: usize,
    fi: usize,
    params: &SeriesParams,
    out: &mut Vec<SeriesClaim>,
) {
    if !span_count(&figures[fi], params) {
        return;
    }
    // The noun, directly or after a hyphen: "three years", "three-year".
    let mut k = ti + 1;
    let hyphened = tokens
        .get(k)
        .is_some_and(|t| t.kind == TokenKind::Punct('-'));
    if hyphened {
        k += 1;
    }
    if !tokens
        .get(k)
        .and_then(|t| word(text, t))
        .is_some_and(|w| is_one_of(w, &params.span_nouns))
    {
        return;
    }
    let noun_end = k;
    // "a three-year programme (2021–2023)": the hyphened form modifies the next noun.
    let after = match tokens.get(k + 1) {
        Some(t) if hyphened && t.kind == TokenKind::Word => k + 2,
        _ => k + 1,
    };
    if let Some((listed, end)) = years_after(text, tokens, figures, after, params) {
        let span = tokens[ti].span.cover(end);
        let mut slots = vec![("count".into(), fi)];
        slots.extend(listed_slots(&listed));
        out.push(SeriesClaim {
            claim: claim(span, slots),
            shape: SeriesShape::StatedSpan { count: fi, listed },
        });
        return;
    }
    if let Some((listed, start)) = range_before(text, tokens, figures, ti, params) {
        let span = start.cover(tokens[noun_end].span);
        let mut slots = listed_slots(&listed);
        slots.push(("count".into(), fi));
        out.push(SeriesClaim {
            claim: claim(span, slots),
            shape: SeriesShape::StatedSpan { count: fi, listed },
        });
    }
}

fn listed_slots(listed: &Listed) -> Vec<(Name, usize)> {
    match listed {
        Listed::Years(ys) => ys.iter().map(|&y| ("year".into(), y)).collect(),
        Listed::Range(a, b) => std::iter::once(("from".into(), *a))
            .chain(b.map(|b| ("to".into(), b)))
            .collect(),
    }
}

fn is_bridge_punct(t: &Token) -> bool {
    matches!(t.kind, TokenKind::Punct('(' | ':' | ',' | '.'))
}

/// The years spelling out a span, starting within `max_gap` bridge tokens of `from`.
fn years_after(
    text: &str,
    tokens: &[Token],
    figures: &[Figure],
    from: usize,
    params: &SeriesParams,
) -> Option<(Listed, Span)> {
    let mut k = from;
    let mut intro = false;
    let mut range_word = false;
    while k < tokens.len() && k - from <= params.max_gap {
        let t = &tokens[k];
        if let TokenKind::Figure(_) = t.kind {
            break;
        }
        if let Some(w) = word(text, t) {
            if !is_one_of(w, &params.bridge_words) {
                return None;
            }
            range_word = w.eq_ignore_ascii_case("from") || w.eq_ignore_ascii_case("between");
        } else if is_bridge_punct(t) {
            intro |= matches!(t.kind, TokenKind::Punct('(' | ':'));
            range_word = false;
        } else {
            return None;
        }
        k += 1;
    }
    let TokenKind::Figure(first) = tokens.get(k)?.kind else {
        return None;
    };
    match figures[first].kind {
        FigureKind::YearRange { .. } => Some((Listed::Range(first, None), tokens[k].span)),
        FigureKind::Year if range_word => {
            // "from 2019 to 2022", "between 2019 and 2022".
            let joiner = word(text, tokens.get(k + 1)?)?;
            let TokenKind::Figure(last) = tokens.get(k + 2)?.kind else {
                return None;
            };
            let ok = is_one_of(joiner, &["to", "and"]) && figures[last].kind == FigureKind::Year;
            ok.then(|| (Listed::Range(first, Some(last)), tokens[k + 2].span))
        }
        // A bare list must be introduced by "(" or ":" and name two years or more.
        FigureKind::Year if intro => year_list(text, tokens, figures, k),
        _ => None,
    }
}

/// "2019, 2020, 2021 and 2022": Year figures joined by commas and "and".
fn year_list(
    text: &str,
    tokens: &[Token],
    figures: &[Figure],
    start: usize,
) -> Option<(Listed, Span)> {
    let mut years = Vec::new();
    let mut k = start;
    let mut end;
    loop {
        let TokenKind::Figure(fi) = tokens.get(k)?.kind else {
            return None;
        };
        if figures[fi].kind != FigureKind::Year {
            return None;
        }
        years.push(fi);
        end = tokens[k].span;
        k += 1;
        let sep = tokens.get(k);
        let is_and = sep
            .and_then(|t| word(text, t))
            .is_some_and(|w| w.eq_ignore_ascii_case("and"));
        if sep.is_some_and(|t| t.kind == TokenKind::Punct(',')) || is_and {
            k += 1;
            // Oxford comma: ", and".
            if !is_and
                && tokens
                    .get(k)
                    .and_then(|t| word(text, t))
                    .is_some_and(|w| w.eq_ignore_ascii_case("and"))
            {
                k += 1;
            }
            continue;
        }
        break;
    }
    // The list must close here: another figure or a range after it makes it unclear.
    if tokens
        .get(k)
        .is_some_and(|t| matches!(t.kind, TokenKind::Figure(_) | TokenKind::Punct('-')))
    {
        return None;
    }
    (years.len() >= 2).then_some((Listed::Years(years), end))
}

/// A range restated as a number of years: "2018–2023, i.e. three years". Needs at least
/// one bridge word between them, so "In 2018–2023, three years after ..." stays silent.
fn range_before(
    text: &str,
    tokens: &[Token],
    figures: &[Figure],
    ti: usize,
    params: &SeriesParams,
) -> Option<(Listed, Span)> {
    let mut bridged = false;
    let mut k = ti;
    while k > 0 && ti - k <= params.max_gap {
        k -= 1;
        let t = &tokens[k];
        match t.kind {
            TokenKind::Figure(fi) => {
                let f = &figures[fi];
                return (bridged && matches!(f.kind, FigureKind::YearRange { .. }))
                    .then_some((Listed::Range(fi, None), t.span));
            }
            TokenKind::Word => {
                let w = &text[t.span.start..t.span.end];
                if w.eq_ignore_ascii_case("a") || w.eq_ignore_ascii_case("total") {
                    continue;
                }
                if !is_one_of(w, &params.bridge_words) && !w.eq_ignore_ascii_case("or") {
                    return None;
                }
                bridged = true;
            }
            _ if is_bridge_punct(t) => {}
            _ => return None,
        }
    }
    None
}

/// Where an item puts its year: after its values ("80 million in 2018") or before them
/// ("in 2018, 80 million"). Items of one series put it on the same side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Last,
    First,
}

/// An item being read: its extent and the figures in it. Its values are not copied: they
/// are the level's values from `first_value` on (a level's items follow each other, and
/// every value of the level falls in its current items).
#[derive(Debug, Default, Clone, Copy)]
struct Acc {
    span: Option<Span>,
    years: usize,
    year: usize,
    /// The year follows a preposition ("in 2018").
    introduced: bool,
    /// Values before the year (the rest come after it).
    before_year: usize,
    other_dates: bool,
    /// Where the item's values start in [`Level::values`].
    first_value: usize,
}

/// A finished item of a series by year: [`YearItem`] with its values as a range of
/// [`Level::values`], so that reading a sentence allocates nothing per item.
#[derive(Debug, Clone, Copy)]
struct Item {
    side: Side,
    span: Span,
    year: usize,
    values: (usize, usize),
}

impl Acc {
    fn touch(&mut self, s: Span) {
        self.span = Some(self.span.map_or(s, |a| a.cover(s)));
    }

    /// The item read so far, if it is one, with its values ending at `values_end`; the
    /// next item starts there.
    fn take(&mut self, values_end: usize) -> Option<Item> {
        let acc = std::mem::replace(
            self,
            Acc {
                first_value: values_end,
                ..Acc::default()
            },
        );
        let span = acc.span?;
        let count = values_end - acc.first_value;
        if acc.years != 1 || !acc.introduced || acc.other_dates || count == 0 {
            return None;
        }
        let side = match acc.before_year {
            0 => Side::First,
            n if n == count => Side::Last,
            _ => return None,
        };
        Some(Item {
            side,
            span,
            year: acc.year,
            values: (acc.first_value, values_end),
        })
    }
}

/// One parenthesis level of a sentence: its items split two ways (at `;`, and at `,` and
/// "and"/"or"), since which split holds is known only at the end.
#[derive(Debug, Default)]
struct Level {
    semis: bool,
    /// Every value figure met at this level, in order: the items' values are ranges of it.
    values: Vec<usize>,
    coarse: Vec<Option<Item>>,
    fine: Vec<Option<Item>>,
    cur_coarse: Acc,
    cur_fine: Acc,
}

impl Level {
    /// Ready for a new parenthesis, keeping the buffers.
    fn reset(&mut self) {
        self.semis = false;
        self.values.clear();
        self.coarse.clear();
        self.fine.clear();
        self.cur_coarse = Acc::default();
        self.cur_fine = Acc::default();
    }

    fn touch(&mut self, s: Span) {
        self.cur_coarse.touch(s);
        self.cur_fine.touch(s);
    }

    fn end_fine(&mut self) {
        let item = self.cur_fine.take(self.values.len());
        self.fine.push(item);
    }

    fn end_coarse(&mut self) {
        let item = self.cur_coarse.take(self.values.len());
        self.coarse.push(item);
    }

    /// Close the level: take the split that holds and emit each run of `min_items` valid
    /// items with the year on the same side.
    fn finish(&mut self, params: &SeriesParams, out: &mut Vec<SeriesClaim>) {
        self.end_coarse();
        self.end_fine();
        let items = if self.semis { &self.coarse } else { &self.fine };
        let mut run_start = 0;
        let mut run_side = None;
        for (k, item) in items.iter().chain(std::iter::once(&None)).enumerate() {
            let side = item.map(|i| i.side);
            if side.is_none() || side != run_side {
                if k - run_start >= params.min_items {
                    out.push(by_year_claim(&items[run_start..k], &self.values));
                }
                run_start = if side.is_some() { k } else { k + 1 };
                run_side = side;
            }
        }
    }
}

/// Reused buffers for the series-by-year reading of a sentence: `levels[..depth]` are the
/// open parentheses (the sentence itself first); deeper ones are kept for their buffers.
#[derive(Debug, Default)]
struct Lists {
    levels: Vec<Level>,
    depth: usize,
}

impl Lists {
    /// Open a level (the sentence, or a parenthesis).
    fn open(&mut self) {
        if self.depth == self.levels.len() {
            self.levels.push(Level::default());
        } else {
            self.levels[self.depth].reset();
        }
        self.depth += 1;
    }

    fn by_year(
        &mut self,
        toks: &[Token],
        text: &str,
        figures: &[Figure],
        params: &SeriesParams,
        out: &mut Vec<SeriesClaim>,
    ) {
        self.depth = 0;
        self.open();
        for (k, t) in toks.iter().enumerate() {
            let nested = self.depth > 1;
            let top = &mut self.levels[self.depth - 1];
            // Words, most tokens, are told by one test before the `match`: as one of its
            // arms they went through a jump table that mispredicted often.
            if t.kind == TokenKind::Word {
                let w = &text[t.span.start..t.span.end];
                if w.eq_ignore_ascii_case("and") || w.eq_ignore_ascii_case("or") {
                    // "and" joins items; it starts no item's span.
                    if top.cur_fine.span.is_some() {
                        top.end_fine();
                    }
                } else {
                    top.touch(t.span);
                }
                continue;
            }
            match t.kind {
                TokenKind::Punct('(') => {
                    top.touch(t.span);
                    self.open();
                }
                TokenKind::Punct(')') if nested => {
                    top.finish(params, out);
                    self.depth -= 1;
                    self.levels[self.depth - 1].touch(t.span);
                }
                TokenKind::Punct(';') => {
                    top.semis = true;
                    top.end_coarse();
                    top.end_fine();
                }
                TokenKind::Punct(',') => top.end_fine(),
                TokenKind::Figure(fi) => {
                    let introduced = figures[fi].kind == FigureKind::Year
                        && after_year_preposition(text, toks, k, params);
                    top.touch(t.span);
                    match figures[fi].kind {
                        FigureKind::Year => {
                            let seen = top.values.len();
                            for acc in [&mut top.cur_coarse, &mut top.cur_fine] {
                                acc.years += 1;
                                acc.year = fi;
                                acc.introduced = introduced;
                                acc.before_year = seen - acc.first_value;
                            }
                        }
                        FigureKind::YearRange { .. } | FigureKind::Date { .. } => {
                            top.cur_coarse.other_dates = true;
                            top.cur_fine.other_dates = true;
                        }
                        FigureKind::Count
                        | FigureKind::Money(_)
                        | FigureKind::Percent
                        | FigureKind::PercentagePoints
                        | FigureKind::Rate { .. } => top.values.push(fi),
                        _ => {}
                    }
                }
                _ => top.touch(t.span),
            }
        }
        while self.depth > 0 {
            self.levels[self.depth - 1].finish(params, out);
            self.depth -= 1;
        }
    }
}

fn by_year_claim(run: &[Option<Item>], values: &[usize]) -> SeriesClaim {
    // Sized up front: a claim is built once, but `collect` over a chain of iterators
    // grows its vectors step by step.
    let mut items = Vec::with_capacity(run.len());
    let mut slots = Vec::with_capacity(
        run.iter()
            .flatten()
            .map(|i| 1 + i.values.1 - i.values.0)
            .sum(),
    );
    let mut span: Option<Span> = None;
    for i in run.iter().flatten() {
        let vals = &values[i.values.0..i.values.1];
        span = Some(span.map_or(i.span, |s| s.cover(i.span)));
        slots.push(("year".into(), i.year));
        slots.extend(vals.iter().map(|&v| ("value".into(), v)));
        items.push(YearItem {
            span: i.span,
            year: i.year,
            values: vals.to_vec(),
        });
    }
    SeriesClaim {
        claim: claim(span.unwrap_or_default(), slots),
        shape: SeriesShape::ByYear(items),
    }
}

/// The reading of series by year as it was, one `Vec` of values per item and a fresh
/// level per parenthesis: the oracle [`Lists::by_year`] is tested against.
#[cfg(test)]
mod reference {
    use super::*;

    /// An item being read: its extent and the figures in it.
    #[derive(Debug, Default)]
    struct Acc {
        span: Option<Span>,
        years: usize,
        year: usize,
        /// The year follows a preposition ("in 2018").
        introduced: bool,
        /// Values before the year (the rest come after it).
        before_year: usize,
        other_dates: bool,
        values: Vec<usize>,
    }

    impl Acc {
        fn touch(&mut self, s: Span) {
            self.span = Some(self.span.map_or(s, |a| a.cover(s)));
        }

        fn take(&mut self) -> Option<(Side, YearItem)> {
            let acc = std::mem::take(self);
            let span = acc.span?;
            if acc.years != 1 || !acc.introduced || acc.other_dates || acc.values.is_empty() {
                return None;
            }
            let side = match acc.before_year {
                0 => Side::First,
                n if n == acc.values.len() => Side::Last,
                _ => return None,
            };
            Some((
                side,
                YearItem {
                    span,
                    year: acc.year,
                    values: acc.values,
                },
            ))
        }
    }

    /// One parenthesis level of a sentence: its items split two ways (at `;`, and at `,` and
    /// "and"/"or"), since which split holds is known only at the end.
    #[derive(Debug, Default)]
    struct Level {
        semis: bool,
        coarse: Vec<Option<(Side, YearItem)>>,
        fine: Vec<Option<(Side, YearItem)>>,
        cur_coarse: Acc,
        cur_fine: Acc,
    }

    /// Reused buffers for the series-by-year reading of a sentence.
    #[derive(Debug, Default)]
    pub(super) struct Lists {
        stack: Vec<Level>,
    }

    impl Lists {
        pub(super) fn by_year(
            &mut self,
            toks: &[Token],
            text: &str,
            figures: &[Figure],
            params: &SeriesParams,
            out: &mut Vec<SeriesClaim>,
        ) {
            self.stack.clear();
            self.stack.push(Level::default());
            for (k, t) in toks.iter().enumerate() {
                let nested = self.stack.len() > 1;
                let Some(top) = self.stack.last_mut() else {
                    return;
                };
                match t.kind {
                    TokenKind::Punct('(') => {
                        top.cur_coarse.touch(t.span);
                        top.cur_fine.touch(t.span);
                        self.stack.push(Level::default());
                    }
                    TokenKind::Punct(')') if nested => {
                        if let Some(level) = self.stack.pop() {
                            finish(level, params, out);
                        }
                        if let Some(top) = self.stack.last_mut() {
                            top.cur_coarse.touch(t.span);
                            top.cur_fine.touch(t.span);
                        }
                    }
                    TokenKind::Punct(';') => {
                        top.semis = true;
                        let c = top.cur_coarse.take();
                        top.coarse.push(c);
                        let f = top.cur_fine.take();
                        top.fine.push(f);
                    }
                    TokenKind::Punct(',') => {
                        let f = top.cur_fine.take();
                        top.fine.push(f);
                    }
                    TokenKind::Word => {
                        let w = &text[t.span.start..t.span.end];
                        if w.eq_ignore_ascii_case("and") || w.eq_ignore_ascii_case("or") {
                            // "and" joins items; it starts no item's span.
                            if top.cur_fine.span.is_some() {
                                let f = top.cur_fine.take();
                                top.fine.push(f);
                            }
                        } else {
                            top.cur_coarse.touch(t.span);
                            top.cur_fine.touch(t.span);
                        }
                    }
                    TokenKind::Figure(fi) => {
                        let introduced = figures[fi].kind == FigureKind::Year
                            && k > 0
                            && word(text, &toks[k - 1])
                                .is_some_and(|w| is_one_of(w, &params.year_prepositions));
                        for acc in [&mut top.cur_coarse, &mut top.cur_fine] {
                            acc.touch(t.span);
                            match figures[fi].kind {
                                FigureKind::Year => {
                                    acc.years += 1;
                                    acc.year = fi;
                                    acc.introduced = introduced;
                                    acc.before_year = acc.values.len();
                                }
                                FigureKind::YearRange { .. } | FigureKind::Date { .. } => {
                                    acc.other_dates = true;
                                }
                                FigureKind::Count
                                | FigureKind::Money(_)
                                | FigureKind::Percent
                                | FigureKind::PercentagePoints
                                | FigureKind::Rate { .. } => acc.values.push(fi),
                                _ => {}
                            }
                        }
                    }
                    _ => {
                        top.cur_coarse.touch(t.span);
                        top.cur_fine.touch(t.span);
                    }
                }
            }
            while let Some(level) = self.stack.pop() {
                finish(level, params, out);
            }
        }
    }

    /// Close a level: take the split that holds and emit each run of `min_items` valid items.
    fn finish(mut level: Level, params: &SeriesParams, out: &mut Vec<SeriesClaim>) {
        let last = level.cur_coarse.take();
        level.coarse.push(last);
        let last = level.cur_fine.take();
        level.fine.push(last);
        let items = if level.semis {
            level.coarse
        } else {
            level.fine
        };
        let mut run: Vec<YearItem> = Vec::new();
        let mut run_side = None;
        for item in items.into_iter().chain(std::iter::once(None)) {
            let side = item.as_ref().map(|(s, _)| *s);
            if side.is_none() || side != run_side {
                if run.len() >= params.min_items {
                    out.push(by_year_claim(std::mem::take(&mut run)));
                }
                run.clear();
                run_side = side;
            }
            if let Some((_, i)) = item {
                run.push(i);
            }
        }
    }

    fn by_year_claim(items: Vec<YearItem>) -> SeriesClaim {
        let span = items
            .iter()
            .map(|i| i.span)
            .reduce(|a, b| a.cover(b))
            .unwrap_or_default();
        let slots = items
            .iter()
            .flat_map(|i| {
                std::iter::once(("year".into(), i.year))
                    .chain(i.values.iter().map(|&v| ("value".into(), v)))
            })
            .collect();
        SeriesClaim {
            claim: claim(span, slots),
            shape: SeriesShape::ByYear(items),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::testing::{SEED, for_every_sentence};
    use crate::claims::tokenize;
    use crate::figures;

    fn shapes(text: &str) -> Vec<SeriesShape> {
        let figs = figures::scan(text);
        let toks = tokenize(text, &figs);
        extract(
            text,
            &toks,
            &figs,
            crate::claims::tokens::figures_within(&toks, &figs),
            &SeriesParams::default(),
        )
        .into_iter()
        .map(|c| c.shape)
        .collect()
    }

    #[test]
    fn series_by_semicolons_and_by_commas() {
        let s = shapes(
            "It was 80 million tenge, or 1 per cent, in 2018; 90 million tenge in 2019; and 95 million tenge in 2020.",
        );
        assert!(matches!(&s[..], [SeriesShape::ByYear(items)] if items.len() == 3));
        let s = shapes("Trained (407 in 2020, 437 in 2021 and 427 in 2022).");
        assert!(matches!(&s[..], [SeriesShape::ByYear(items)] if items.len() == 3));
        assert!(shapes("In 2018 it was 5, compared with 2018 levels.").is_empty());
    }

    #[test]
    fn reversed_range_is_read_from_words() {
        let s = shapes("Over the period 2023–2020, it grew. Code 12-2023-2020 and 2020–2023.");
        assert_eq!(s.len(), 1, "{s:?}");
        assert!(matches!(
            s[0],
            SeriesShape::Reversed {
                first: 2023,
                last: 2020,
                ..
            }
        ));
    }

    #[test]
    fn reversed_ranges_agree_with_the_reference() {
        let seed = include_str!("../../seeds/000_26c4ac59d5b61832.txt");
        let crafted = [
            "Over the period 2023–2020, it grew. Code 12-2023-2020 and 2020–2023.",
            "2023-2020 and 2023 - 2020, 2023—2019/1, 2050–1999 (2023–2022-2021) 2023–",
            "-2023–2020- 1999-1901 2100-2000 2023-abcd abcd-2020 2023--2020 2023",
            "2023\u{2009}–\u{2009}2020, 2023\u{a0}— 2019, 2023 − 2022, 2023 ’– 2020, 2023\n-\n2020",
            "In 2019–2021 and 2023–2020, a-b, x – 1, 1–2, “2023”–2020, 2023 “–” 2020.",
        ];
        for text in std::iter::once(seed).chain(crafted) {
            let figs = figures::scan(text);
            let toks = tokenize(text, &figs);
            let mut fast = Vec::new();
            reversed_ranges(text, &toks, &mut fast);
            let reference = reversed_ranges_reference(text, &toks);
            assert_eq!(fast, reference, "{text:.60}");
        }
        // The crafted lines do hold ranges (the spaced hyphen, the code and the nested
        // range do not), so the comparison is not between empty lists.
        let text = crafted[1];
        let figs = figures::scan(text);
        let found = reversed_ranges_reference(text, &tokenize(text, &figs));
        let years: Vec<_> = found
            .iter()
            .map(|c| match c.shape {
                SeriesShape::Reversed { first, last, .. } => (first, last),
                _ => (0, 0),
            })
            .collect();
        assert_eq!(years, [(2023, 2020), (2050, 1999)]);
    }

    #[test]
    fn entry_check_skips_only_sentences_without_series() {
        let crafted = "In the past three years (2019, 2020, 2021) it grew. \
            Over the period 2018–2023, i.e. three years, it grew. Five people came in 2020. \
            A three-year programme (2021–2023) ran. It took 3 years from 2019 to 2022. \
            It was 5 in 2018; 6 in 2019; and 7 in 2020. Over 2023–2020 and 4 years. \
            In 2018, 2019 and 2020 it took three years (2018, 2019, 2020). \
            It was 5 in 2018, 6 for 2019 and 7 during 2020 over three years (2018, 2019, 2020). \
            Over three years, 2018–2020, i.e. three years, 5 rose to 7 in 2020 and 2023–2021.";
        let params = SeriesParams::default();
        let found = for_every_sentence(&[SEED, crafted], |text, sentence, figs, within| {
            let all = every_shape(text, sentence, figs, &params, &mut Lists::default());
            assert_eq!(extract(text, sentence, figs, within, &params), all);
            all.len()
        });
        // Both paths find claims, so the comparison is not between empty lists.
        assert!(found >= 6, "{found}");
    }

    /// Series by year read with reused levels and value ranges agree with the reading
    /// that built a `Vec` per item, on every sentence of `texts` (the new lists reused
    /// from one sentence to the next, as in a check); returns how many claims were found.
    fn by_year_agrees_with_the_reference(texts: &[&str]) -> usize {
        let params = SeriesParams::default();
        let mut lists = Lists::default();
        for_every_sentence(texts, |text, sentence, figs, _| {
            let mut fast = Vec::new();
            lists.by_year(sentence, text, figs, &params, &mut fast);
            let mut reference = Vec::new();
            reference::Lists::default().by_year(sentence, text, figs, &params, &mut reference);
            assert_eq!(fast, reference, "{text:.80}");
            fast.len()
        })
    }

    #[test]
    fn by_year_agrees_with_the_reference_on_the_seed_and_crafted_lines() {
        let crafted = "It was 80 million tenge, or 1 per cent, in 2018; 90 million tenge in 2019; \
            and 95 million tenge in 2020. Trained (407 in 2020, 437 in 2021 and 427 in 2022). \
            In 2018, 5 per cent; in 2019, 6 per cent; in 2020, 7 per cent (in 2021, 8; in \
            2022, 9; in 2023, 10) and 11 in 2024. 4 in 2018, 5 in 2019, in 2020 6, 7 in 2021, \
            8 in 2022 and 9 in 2023 or 10 in 2024. (3 in 2001, 4 in 2002, 5 in 2003)) 6 in \
            2004; 7 in 2005 (8 in 2006; 9 in 2007; 10 in 2008 (11 in 2009, 12 in 2010, 13 in \
            2011)), 14 in 2012.";
        let found = by_year_agrees_with_the_reference(&[SEED, crafted]);
        assert!(found >= 8, "{found}");
    }

    proptest::proptest! {
        /// Sentences built from the pieces of series (items, separators, parentheses,
        /// other dates) are read alike by both versions.
        #[test]
        fn by_year_agrees_with_the_reference_on_generated_lists(
            pieces in proptest::collection::vec(0usize..14, 0..40),
        ) {
            const PIECES: [&str; 14] = [
                "5 in 2018", "in 2019 6 per cent", "7", "in 2020", ";", ",", "and", "or",
                "(", ")", "2019–2021", "on 3 May 2020", "people", "$4 million in 2021",
            ];
            let text: String = pieces.iter().map(|&p| PIECES[p]).collect::<Vec<_>>().join(" ");
            by_year_agrees_with_the_reference(&[&text]);
        }
    }

    /// A reader that keeps its buffers from one sentence to the next finds what a fresh
    /// one finds.
    #[test]
    fn a_reused_reader_agrees_with_fresh_ones() {
        let crafted = "It was 5 in 2018; 6 in 2019; and 7 in 2020 (8 in 2021, 9 in 2022 and \
            10 in 2023 (11 in 2024; 12 in 2025; 13 in 2026)). Over 2023–2020 it grew. It \
            was 5 in 2018, 6 in 2019, 7 in 2020. In the past three years (2019, 2020, 2021) \
            it grew.";
        let params = SeriesParams::default();
        let mut reader = Reader::default();
        let found = for_every_sentence(&[SEED, crafted], |text, sentence, figs, within| {
            let fresh = extract(text, sentence, figs, within, &params);
            assert_eq!(reader.extract(text, sentence, figs, within, &params), fresh);
            fresh.len()
        });
        assert!(found >= 15, "{found}");
    }

    #[test]
    fn stated_spans() {
        let s = shapes("In the past three years (2019, 2020, 2021 and 2022) it grew.");
        assert!(
            matches!(&s[..], [SeriesShape::StatedSpan { listed: Listed::Years(y), .. }] if y.len() == 4)
        );
        let s = shapes("Over the period 2018–2023, i.e. three years, it grew.");
        assert!(matches!(
            &s[..],
            [SeriesShape::StatedSpan {
                listed: Listed::Range(_, None),
                ..
            }]
        ));
        assert!(shapes("In 2018–2023, three years after the reform, it grew.").is_empty());
        assert!(shapes("In the past three years, more than 1,200 civil servants have been trained (407 in 2020, 437 in 2021 and 427 in 2022).").iter().all(|s| matches!(s, SeriesShape::ByYear(_))));
    }
}
