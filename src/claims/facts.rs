//! Linking stated figures to trusted facts ([`crate::facts`]): in each sentence, which
//! figure states which fact, and which words say so.
//!
//! Part of the claims stage, run only when facts are configured. Matching is
//! conservative and never rests on a metric name alone. A figure states a fact when:
//! - an alias of the fact's metric stands in the figure's own clause (the words back to
//!   the previous amount or percentage, a `)`, `;` or `:`, and forward to the next
//!   comma, conjunction or figure), normalised as metric statements normalise subjects
//!   (`metrics::subject_word`), with no other content word modifying it ("the
//!   working-age population" is not "the population");
//! - the figure's period is the fact's: the year or date attached to it ("4.9 per cent in
//!   2022"), or the one period of its clause or sentence ("At the beginning of 2023" is
//!   1 January 2023); a year after "than", "since", "from", "compared with" is a
//!   comparison, not the figure's period, and no period means no match unless the fact
//!   has none;
//! - the group words of the clause (women, girls, rural ...) are exactly the fact's
//!   scope, and no other proper noun (a region, a city) is there;
//! - the figure is in the fact's unit (a percentage is never compared with a count).
//!
//! A part ("including 10.1 million women") takes its metric from the whole it belongs to
//! (a share claim), and a percentage of a group ("women make up 51.2 per cent of the
//! population") is checked against the share the facts give. An event fact is linked to
//! the year or date written right after its name ("the Olympic Games in Rio de Janeiro
//! in 2016").

use std::collections::HashMap;

use super::{Claim, Name, Token, TokenKind};
use crate::facts::{FactKind, FactSet, Period, Unit};
use crate::figures::{Figure, FigureKind};

/// The family name of the claims this module makes.
pub const FAMILY: &str = "facts";

/// Words that name a group of the population: a fact without a scope is never compared
/// with a figure about one of them.
const GROUP_WORDS: &[&str] = &[
    "women",
    "woman",
    "female",
    "females",
    "men",
    "man",
    "male",
    "males",
    "girls",
    "girl",
    "boys",
    "boy",
    "children",
    "child",
    "rural",
    "urban",
    "youth",
    "adolescents",
    "elderly",
];

/// Synonyms of common scope words.
const SCOPE_SYNONYMS: &[&[&str]] = &[
    &["women", "woman", "female", "females"],
    &["men", "man", "male", "males"],
    &["girls", "girl"],
    &["boys", "boy"],
    &["children", "child"],
    &["rural", "village", "villages"],
    &["urban", "town", "towns", "cities", "city"],
];

/// Words that may stand between a metric's name and its value without changing what is
/// counted ("the labour force amounted to 9.4 million people").
const LINK_WORDS: &[&str] = &[
    "amounted",
    "amount",
    "stood",
    "reached",
    "totalled",
    "totaled",
    "numbered",
    "decreased",
    "increased",
    "rose",
    "grew",
    "fell",
    "declined",
    "dropped",
    "remained",
    "exceeded",
    "made",
    "up",
    "accounted",
    "comprised",
    "included",
    "including",
    "equalled",
    "constituted",
    "represented",
    "came",
    "reported",
    "estimated",
    "registered",
    "recorded",
    "people",
    "persons",
    "person",
    "inhabitants",
    "residents",
    "individuals",
    "beginning",
    "start",
    "end",
    "year",
    "currently",
    "some",
    "approximately",
    "about",
    "around",
    "nearly",
    "almost",
    "over",
    "more",
    "less",
    "fewer",
    "than",
];

/// Words that may stand in a part's clause beside its group ("including 10.1 million
/// women", "of whom 1.6 million were women").
const PART_WORDS: &[&str] = &["including", "whom", "among", "them", "people", "persons"];

/// Words before a year that make it a point of comparison, not the figure's period.
const COMPARATIVE: &[&str] = &[
    "than", "since", "from", "with", "to", "until", "till", "before", "after", "versus", "vs",
    "against", "compared", "by", "between", "and", "over",
];

/// Words of a period phrase, skipped when looking for what comes before it.
const PERIOD_PHRASE: &[&str] = &[
    "in",
    "at",
    "the",
    "of",
    "beginning",
    "start",
    "end",
    "as",
    "on",
];

/// Words before "of YEAR" that make a period vaguer than the year ("the first half of").
const VAGUE: &[&str] = &[
    "early", "mid", "late", "half", "quarter", "first", "second", "third", "fourth", "middle",
];

/// Words that may stand between an event's name and the year it took place.
const EVENT_LINK: &[&str] = &[
    "held", "took", "place", "which", "that", "was", "were", "in", "on", "of", "during",
];

/// A sentence with this word pairs values and subjects by order: never matched.
const RESPECTIVELY: &str = "respectively";

/// Month names, for "in August 2016".
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A word as the linker compares it: lower case, no possessive, the metric-statement
/// normalisation ([`super::metrics::subject_word`]) for words, codes of digits kept
/// ("48/134" in "resolution 48/134"); `None` for function words.
fn norm_word(raw: &str) -> Option<String> {
    let lower = raw.to_lowercase();
    let base = lower
        .strip_suffix("'s")
        .or_else(|| lower.strip_suffix("’s"))
        .unwrap_or(&lower);
    if !base.is_empty() && base.bytes().all(|b| b.is_ascii_digit()) {
        return Some(base.to_owned());
    }
    super::metrics::subject_word(base)
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
}

/// [`norm_word`] of an ASCII word of at most 32 bytes, written into `buf`, for looking
/// up aliases' first words (function words are not filtered out: none is a first word);
/// `None` for words it cannot handle (the caller falls back to [`norm_word`]).
fn ascii_key<'b>(raw: &str, buf: &'b mut [u8; 32]) -> Option<&'b str> {
    let bytes = raw.as_bytes();
    if bytes.len() > buf.len() || !bytes.is_ascii() {
        return None;
    }
    let lower = &mut buf[..bytes.len()];
    lower.copy_from_slice(bytes);
    lower.make_ascii_lowercase();
    let base = lower.strip_suffix(b"'s").unwrap_or(lower);
    let base = std::str::from_utf8(base).ok()?;
    if !base.is_empty() && base.bytes().all(|b| b.is_ascii_digit()) {
        return Some(base);
    }
    // No function-word test: no alias starts with one, so the lookup rejects them.
    Some(base.trim_end_matches('s')).filter(|w| !w.is_empty())
}

/// The content words of a phrase (an alias, a scope), normalised as in the text.
pub fn phrase_words(phrase: &str) -> Vec<String> {
    super::tokenize(phrase, &[])
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .filter_map(|t| norm_word(&phrase[t.span.start..t.span.end]))
        .collect()
}

/// Facts compiled for linking: aliases by their first word, scopes as word sets.
#[derive(Debug)]
pub struct FactIndex {
    /// The facts, in file order; claims name them by index.
    pub set: FactSet,
    /// Every distinct alias (as normalised words), with the facts it names.
    aliases: Vec<(Vec<String>, Vec<usize>)>,
    /// Aliases by their first word.
    by_first: Vec<(String, Vec<usize>)>,
    /// Per fact, each scope entry as its set of words (with synonyms).
    scopes: Vec<Vec<Vec<String>>>,
    /// Per fact, the words of its place.
    places: Vec<Vec<String>>,
    /// Per fact, its metric or event name, normalised (facts of one metric share it).
    names: Vec<String>,
    /// Group words: the built-in ones and every fact's scope words.
    groups: Vec<String>,
    /// [`LINK_WORDS`] and [`PART_WORDS`], normalised and sorted.
    link_words: Vec<String>,
    part_words: Vec<String>,
}

impl FactIndex {
    /// Compile a fact set.
    pub fn new(set: FactSet) -> Self {
        let mut aliases: Vec<(Vec<String>, Vec<usize>)> = Vec::new();
        let mut scopes = Vec::with_capacity(set.facts.len());
        let mut places = Vec::with_capacity(set.facts.len());
        let mut names = Vec::with_capacity(set.facts.len());
        let mut groups: Vec<String> = GROUP_WORDS.iter().filter_map(|w| norm_word(w)).collect();
        // Facts of one metric share their aliases: a file names them once per metric.
        let metric_of = |f: &crate::facts::Fact| phrase_words(&f.name);
        for (i, fact) in set.facts.iter().enumerate() {
            let name = metric_of(fact);
            let shared = set
                .facts
                .iter()
                .filter(|g| (g.kind == FactKind::Event) == (fact.kind == FactKind::Event))
                .filter(|g| metric_of(g) == name)
                .flat_map(|g| g.aliases.iter());
            for a in shared {
                let words = phrase_words(a);
                if words.is_empty() {
                    continue;
                }
                match aliases.iter_mut().find(|(w, _)| *w == words) {
                    Some((_, ids)) if ids.contains(&i) => {}
                    Some((_, ids)) => ids.push(i),
                    None => aliases.push((words, vec![i])),
                }
            }
            let entries: Vec<Vec<String>> = fact
                .scope
                .iter()
                .map(|s| {
                    let lower = s.trim().to_lowercase();
                    let synonyms = SCOPE_SYNONYMS
                        .iter()
                        .find(|set| set.contains(&lower.as_str()))
                        .map_or_else(
                            || vec![lower.clone()],
                            |set| set.iter().map(|w| (*w).to_owned()).collect(),
                        );
                    let mut words: Vec<String> =
                        synonyms.iter().flat_map(|w| phrase_words(w)).collect();
                    words.sort();
                    words.dedup();
                    words
                })
                .collect();
            for e in &entries {
                groups.extend(e.iter().cloned());
            }
            scopes.push(entries);
            places.push(fact.place.iter().flat_map(|p| phrase_words(p)).collect());
            names.push(phrase_words(&fact.name).join(" "));
        }
        groups.sort();
        groups.dedup();
        let mut by_first: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        for (k, (words, _)) in aliases.iter().enumerate() {
            if let Some(first) = words.first() {
                by_first.entry(first.clone()).or_default().push(k);
            }
        }
        let sorted = |words: &[&str]| {
            let mut v: Vec<String> = words.iter().filter_map(|w| norm_word(w)).collect();
            v.sort();
            v.dedup();
            v
        };
        FactIndex {
            set,
            aliases,
            by_first: by_first.into_iter().collect(),
            scopes,
            places,
            names,
            groups,
            link_words: sorted(LINK_WORDS),
            part_words: sorted(PART_WORDS),
        }
    }

    /// The aliases whose first word is `w` (normalised).
    fn first_word(&self, w: &str) -> Option<&[usize]> {
        let k = self
            .by_first
            .binary_search_by(|(x, _)| x.as_str().cmp(w))
            .ok()?;
        Some(&self.by_first[k].1)
    }

    /// True when `w` (normalised) may stand between a metric's name and its value.
    fn is_link_word(&self, w: &str) -> bool {
        self.link_words
            .binary_search_by(|x| x.as_str().cmp(w))
            .is_ok()
    }

    /// True when `g` is a group word.
    fn is_group(&self, g: &str) -> bool {
        self.groups.binary_search_by(|x| x.as_str().cmp(g)).is_ok()
    }

    /// True when the group words `found` are exactly the scope of fact `id`: each scope
    /// entry named, and nothing else.
    fn scope_fits(&self, id: usize, found: &[String]) -> bool {
        let entries = &self.scopes[id];
        entries.iter().all(|e| found.iter().any(|g| e.contains(g)))
            && found.iter().all(|g| entries.iter().any(|e| e.contains(g)))
    }
}

/// A word token of the sentence with its normalised form.
struct Word {
    norm: Option<String>,
    /// Starts with a capital, is not a function word and is not the sentence's first
    /// token: probably a proper noun.
    proper: bool,
}

/// One alias found in the sentence.
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    alias: usize,
    /// First and last token.
    first: usize,
    last: usize,
}

/// A period written in the sentence.
struct Stated {
    token: usize,
    figure: usize,
    /// The period, or `None` when vaguer than the figure (a month of a year for a
    /// statistic, "the first half of 2023").
    period: Option<Period>,
    /// For events: what it covers at most (a month of a year).
    span: Option<Period>,
    /// After "than", "since", "from" ...: a point of comparison.
    comparative: bool,
    /// The value figure's token it directly follows ("4.9 per cent in 2022").
    attached: Option<usize>,
    /// The words to quote ("beginning of 2023").
    from_token: usize,
}

/// Everything the sentence holds that linking needs.
struct Sentence<'a> {
    text: &'a str,
    tokens: &'a [Token],
    figures: &'a [Figure],
    words: Vec<Option<Word>>,
    occurrences: Vec<Occurrence>,
    periods: Vec<Stated>,
}

/// What one value figure's clause holds.
struct Clause {
    /// Token range of the clause (the figure excluded).
    left: usize,
    right: usize,
    /// Group words in it (outside aliases).
    groups: Vec<String>,
    /// Content words other than groups, places, aliases and link words.
    others: Vec<String>,
    /// Proper nouns that are not places of the fact set (checked per fact).
    proper: Vec<String>,
}

/// A figure linked to a fact, with the words that linked it.
struct Link {
    fact: usize,
    occurrence: Occurrence,
    period: Option<usize>,
    groups: Vec<String>,
}

/// Facts claims for one sentence: one per stated figure linked to a fact (attributes
/// `kind` = `value`, `share` or `event`; `fact` / `part-fact` / `whole-fact`, fact
/// indices; `matched`, the words that linked it). `claims` are the pattern claims of the
/// same sentence (shares tell parts from wholes).
pub fn extract(
    text: &str,
    tokens: &[Token],
    figures: &[Figure],
    index: &FactIndex,
    claims: &[Claim],
) -> Vec<Claim> {
    let mut out = Vec::new();
    // Most sentences name no fact: look each word up (without allocating, for ASCII
    // words) before anything else.
    let mut buf = [0u8; 32];
    let any = tokens.iter().any(|t| {
        t.kind == TokenKind::Word && {
            let raw = &text[t.span.start..t.span.end];
            match ascii_key(raw, &mut buf) {
                Some(key) => index.first_word(key).is_some(),
                None => norm_word(raw).is_some_and(|n| index.first_word(&n).is_some()),
            }
        }
    });
    if !any {
        return out;
    }
    let first_word = tokens.iter().position(|t| t.kind == TokenKind::Word);
    let mut words: Vec<Option<Word>> = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        if t.kind != TokenKind::Word {
            words.push(None);
            continue;
        }
        let raw = &text[t.span.start..t.span.end];
        if raw.eq_ignore_ascii_case(RESPECTIVELY) {
            return out;
        }
        let norm = norm_word(raw);
        let proper = Some(i) != first_word
            && norm.is_some()
            && raw.chars().next().is_some_and(char::is_uppercase)
            && !MONTHS.contains(&raw.to_lowercase().as_str());
        words.push(Some(Word { norm, proper }));
    }
    let mut s = Sentence {
        text,
        tokens,
        figures,
        words,
        occurrences: Vec::new(),
        periods: Vec::new(),
    };
    s.find_aliases(index);
    if s.occurrences.is_empty() {
        return out;
    }
    s.find_periods();
    events(&s, index, &mut out);
    // Direct links, by token of the value figure.
    let mut links: HashMap<usize, Link> = HashMap::new();
    let values: Vec<usize> = (0..tokens.len())
        .filter(|&i| s.value_figure(i).is_some())
        .collect();
    for &i in &values {
        let Some(fi) = s.value_figure(i) else {
            continue;
        };
        let clause = s.clause(i, index);
        let f = &figures[fi];
        if let Some(link) = s.link(i, &clause, index, |id| {
            index.set.facts[id]
                .measure()
                .is_some_and(|m| m.unit.accepts(f))
        }) {
            links.insert(i, link);
        }
    }
    let token_of = |fi: usize| tokens.iter().position(|t| t.kind == TokenKind::Figure(fi));
    let mut ordered: Vec<(&usize, &Link)> = links.iter().collect();
    ordered.sort_by_key(|(i, _)| **i);
    for (&i, link) in ordered {
        if let Some(fi) = s.value_figure(i) {
            out.push(s.claim(
                "value",
                vec![("value", fi)],
                link,
                &[("fact", link.fact)],
                index,
            ));
        }
    }
    // Parts of shares whose whole is linked; and their percentages.
    let mut shared_pcts = Vec::new();
    let mut part_links: Vec<(usize, Link)> = Vec::new();
    // (whole, part, percentage) from the sentence's shares and breakdowns.
    let mut pairs: Vec<(usize, usize, Option<usize>)> = Vec::new();
    for c in claims {
        match c.family.as_str() {
            "share" => {
                if let (Some(w), Some(p)) = (c.slot("whole"), c.slot("part")) {
                    let pct = c
                        .slot("pct")
                        .filter(|&k| figures[k].kind == FigureKind::Percent);
                    pairs.push((w, p, pct));
                }
            }
            "sum" => {
                if let Some(w) = c.slot("total") {
                    pairs.extend(c.all("part").map(|p| (w, p, None)));
                }
            }
            _ => {}
        }
    }
    for (w, p, pct) in pairs {
        let (Some(wt), Some(pt)) = (token_of(w), token_of(p)) else {
            continue;
        };
        let Some(whole) = links.get(&wt) else {
            continue;
        };
        let part_fact = match links.get(&pt) {
            Some(l) => Some(l.fact),
            None => match part_links.iter().find(|(t, _)| *t == pt) {
                Some((_, l)) => Some(l.fact),
                None => part_fact(&s, index, whole, pt).map(|(id, groups)| {
                    let link = Link {
                        fact: id,
                        occurrence: whole.occurrence,
                        period: whole.period,
                        groups,
                    };
                    out.push(s.claim("value", vec![("value", p)], &link, &[("fact", id)], index));
                    part_links.push((pt, link));
                    id
                }),
            },
        };
        let Some(k) = pct.filter(|k| !shared_pcts.contains(k)) else {
            continue;
        };
        shared_pcts.push(k);
        let mut facts = vec![("whole-fact", whole.fact)];
        facts.extend(part_fact.map(|id| ("part-fact", id)));
        let groups = part_links
            .iter()
            .find(|(t, _)| *t == pt)
            .map_or_else(|| whole.groups.clone(), |(_, l)| l.groups.clone());
        let link = Link {
            fact: whole.fact,
            occurrence: whole.occurrence,
            period: whole.period,
            groups,
        };
        out.push(s.claim(
            "share",
            vec![("pct", k), ("whole", w), ("part", p)],
            &link,
            &facts,
            index,
        ));
    }
    // "4.3 million women (47.9 per cent)": a group's count and its share of the whole.
    let mut linked: Vec<(usize, &Link)> = links.iter().map(|(i, l)| (*i, l)).collect();
    linked.extend(part_links.iter().map(|(i, l)| (*i, l)));
    linked.sort_by_key(|(i, _)| *i);
    for (i, link) in linked {
        let Some(k) = s.bracketed_percent(i) else {
            continue;
        };
        if shared_pcts.contains(&k) || index.scopes[link.fact].is_empty() {
            continue;
        }
        let Some(whole) = whole_fact(index, link.fact) else {
            continue;
        };
        shared_pcts.push(k);
        out.push(s.claim(
            "share",
            vec![("pct", k)],
            link,
            &[("part-fact", link.fact), ("whole-fact", whole)],
            index,
        ));
    }
    // A change between two periods the facts give: "the population grew by 3.1 per
    // cent from 2022 to 2023".
    for &i in &values {
        let Some(fi) = s.value_figure(i) else {
            continue;
        };
        if figures[fi].kind != FigureKind::Percent || !s.word_is(i.wrapping_sub(1), &["by"]) {
            continue;
        }
        if let Some(claim) = s.change(i, fi, index) {
            shared_pcts.push(fi);
            out.push(claim);
        }
    }
    // A percentage of a group: "women made up 51.5 per cent of the population".
    for &i in &values {
        let Some(fi) = s.value_figure(i) else {
            continue;
        };
        if figures[fi].kind != FigureKind::Percent
            || shared_pcts.contains(&fi)
            || s.word_is(i.wrapping_sub(1), &["by"])
        {
            continue;
        }
        let clause = s.clause(i, index);
        if clause.groups.is_empty() {
            continue;
        }
        let Some(part) = s.link(i, &clause, index, |id| {
            index.set.facts[id]
                .measure()
                .is_some_and(|m| m.unit == Unit::Count)
        }) else {
            continue;
        };
        let Some(whole) = whole_fact(index, part.fact) else {
            continue;
        };
        out.push(s.claim(
            "share",
            vec![("pct", fi)],
            &part,
            &[("part-fact", part.fact), ("whole-fact", whole)],
            index,
        ));
    }
    out
}

/// The fact for the whole of `part`'s metric: same name and period, no scope.
fn whole_fact(index: &FactIndex, part: usize) -> Option<usize> {
    let p = &index.set.facts[part];
    let mut found = (0..index.set.facts.len()).filter(|&id| {
        id != part
            && index.names[id] == index.names[part]
            && index.scopes[id].is_empty()
            && index.set.facts[id].period == p.period
            && index.set.facts[id]
                .measure()
                .is_some_and(|m| m.unit == Unit::Count)
    });
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// The fact a share's part states, when its clause adds only a group to its whole's
/// ("including 10.1 million women"): the whole's metric and period, the whole's scope
/// and the part's group.
fn part_fact(
    s: &Sentence<'_>,
    index: &FactIndex,
    whole: &Link,
    part_token: usize,
) -> Option<(usize, Vec<String>)> {
    let clause = s.clause(part_token, index);
    if clause.groups.is_empty() || !clause.proper.is_empty() {
        return None;
    }
    if clause
        .others
        .iter()
        .any(|w| index.part_words.binary_search(w).is_err())
    {
        return None;
    }
    let mut groups = whole.groups.clone();
    groups.extend(clause.groups.iter().cloned());
    groups.sort();
    groups.dedup();
    let fi = s.value_figure(part_token)?;
    let f = &s.figures[fi];
    let w = &index.set.facts[whole.fact];
    let mut found = (0..index.set.facts.len()).filter(|&id| {
        let fact = &index.set.facts[id];
        id != whole.fact
            && index.names[id] == index.names[whole.fact]
            && fact.period == w.period
            && fact.measure().is_some_and(|m| m.unit.accepts(f))
            && index.scope_fits(id, &groups)
    });
    let first = found.next()?;
    found.next().is_none().then_some((first, groups))
}

/// Event facts: the year or date written right after an event's name.
fn events(s: &Sentence<'_>, index: &FactIndex, out: &mut Vec<Claim>) {
    for occ in &s.occurrences {
        let ids: Vec<usize> = index.aliases[occ.alias]
            .1
            .iter()
            .copied()
            .filter(|&id| index.set.facts[id].kind == FactKind::Event)
            .collect();
        let [id] = ids[..] else { continue };
        // Up to four linking tokens, then the period.
        let mut j = occ.last + 1;
        let mut steps = 0;
        let stated = loop {
            let Some(t) = s.tokens.get(j) else { break None };
            match t.kind {
                TokenKind::Figure(_) => break s.periods.iter().find(|p| p.token == j),
                TokenKind::Punct(',' | '(') => {}
                TokenKind::Word if s.word_is(j, EVENT_LINK) || s.is_month(j) => {}
                _ => break None,
            }
            j += 1;
            steps += 1;
            if steps > 4 {
                break None;
            }
        };
        let Some(stated) = stated else { continue };
        if stated.span.is_none() {
            continue;
        }
        let link = Link {
            fact: id,
            occurrence: *occ,
            period: Some(
                s.periods
                    .iter()
                    .position(|p| p.token == stated.token)
                    .unwrap_or(0),
            ),
            groups: Vec::new(),
        };
        out.push(s.claim(
            "event",
            vec![("date", stated.figure)],
            &link,
            &[("fact", id)],
            index,
        ));
    }
}

impl Sentence<'_> {
    /// The figure at token `i` when it is a value (an amount, a percentage, a rate).
    fn value_figure(&self, i: usize) -> Option<usize> {
        match self.tokens.get(i)?.kind {
            TokenKind::Figure(fi) if Unit::of_figure(&self.figures[fi]).is_some() => Some(fi),
            _ => None,
        }
    }

    /// A stated change "<metric> <rose|fell ...> by <pct>" between the sentence's two
    /// periods, when the facts give the metric (a count, money or a rate) for both.
    fn change(&self, i: usize, fi: usize, index: &FactIndex) -> Option<Claim> {
        let clause = self.clause(i, index);
        let verb = (clause.left..i).rev().find_map(|k| {
            if self.word_is(k, super::statements::UP) {
                Some("up")
            } else if self.word_is(k, super::statements::DOWN) {
                Some("down")
            } else {
                None
            }
        })?;
        // Exactly two periods in the sentence, comparisons included: from and to.
        let mut periods: Vec<usize> = (0..self.periods.len())
            .filter(|&k| self.periods[k].period.is_some())
            .collect();
        periods.dedup_by_key(|k| self.periods[*k].period);
        let [a, b] = periods[..] else { return None };
        let (pa, pb) = (self.periods[a].period?, self.periods[b].period?);
        if pa.same_as(&pb) || self.periods.iter().any(|p| p.period.is_none()) {
            return None;
        }
        let (from, to) = if pa.days().0 < pb.days().0 {
            (a, b)
        } else {
            (b, a)
        };
        let fact_for = |occ: &Occurrence, k: usize| -> Option<usize> {
            let p = self.periods[k].period?;
            let mut ids = index.aliases[occ.alias].1.iter().copied().filter(|&id| {
                let fact = &index.set.facts[id];
                fact.measure().is_some_and(|m| m.unit != Unit::Percent)
                    && fact.period.is_some_and(|fp| fp.same_as(&p))
                    && index.scope_fits(id, &clause.groups)
                    && clause.proper.iter().all(|w| index.places[id].contains(w))
            });
            let first = ids.next()?;
            ids.next().is_none().then_some(first)
        };
        let mut found = self
            .occurrences
            .iter()
            .filter(|o| clause.left <= o.first && o.last < i)
            .filter(|o| self.alias_stands_alone(o, i, &clause, index))
            .filter_map(|o| Some((*o, fact_for(o, from)?, fact_for(o, to)?)));
        let (occ, from_fact, to_fact) = found.next()?;
        if found.next().is_some() || index.names[from_fact] != index.names[to_fact] {
            return None;
        }
        let link = Link {
            fact: to_fact,
            occurrence: occ,
            period: None,
            groups: clause.groups.clone(),
        };
        let mut claim = self.claim(
            "change",
            vec![
                ("pct", fi),
                ("from", self.periods[from].figure),
                ("to", self.periods[to].figure),
            ],
            &link,
            &[("from-fact", from_fact), ("to-fact", to_fact)],
            index,
        );
        let quote = |k: usize| {
            let f = &self.figures[self.periods[k].figure];
            squash(&self.text[f.span().start..f.span().end])
        };
        let periods = format!(", \"{}\" and \"{}\" its periods", quote(from), quote(to));
        if let Some((_, m)) = claim.attrs.iter_mut().find(|(k, _)| *k == "matched") {
            m.push_str(&periods);
        }
        claim.attrs.push(("direction", verb.to_owned()));
        Some(claim)
    }

    /// The percentage in brackets after the value figure at token `i`, at most two
    /// words on ("10.1 million women (51.2 per cent)").
    fn bracketed_percent(&self, i: usize) -> Option<usize> {
        let open = (i + 1..i + 4).find(|&k| {
            self.tokens
                .get(k)
                .is_some_and(|t| t.kind == TokenKind::Punct('('))
        })?;
        if (i + 1..open).any(|k| self.tokens[k].kind != TokenKind::Word) {
            return None;
        }
        let fi = match self.tokens.get(open + 1)?.kind {
            TokenKind::Figure(fi) if self.figures[fi].kind == FigureKind::Percent => fi,
            _ => return None,
        };
        (self.tokens.get(open + 2)?.kind == TokenKind::Punct(')')).then_some(fi)
    }

    /// True when token `i` is a word among `list` (compared lower-case).
    fn word_is(&self, i: usize, list: &[&str]) -> bool {
        self.tokens.get(i).is_some_and(|t| {
            t.kind == TokenKind::Word && {
                let w = self.text[t.span.start..t.span.end].to_lowercase();
                list.contains(&w.as_str())
            }
        })
    }

    fn is_month(&self, i: usize) -> bool {
        self.word_is(i, &MONTHS)
    }

    /// Every alias of the index in the sentence (content words in order; function words,
    /// `-` and `/` may stand between them).
    fn find_aliases(&mut self, index: &FactIndex) {
        for start in 0..self.tokens.len() {
            let Some(Some(Word { norm: Some(n), .. })) = self.words.get(start) else {
                continue;
            };
            let Some(candidates) = index.first_word(n) else {
                continue;
            };
            for &a in candidates {
                let words = &index.aliases[a].0;
                if let Some(last) = self.match_alias(start, words) {
                    self.occurrences.push(Occurrence {
                        alias: a,
                        first: start,
                        last,
                    });
                }
            }
        }
        // Where one alias is part of a longer one at the same place, keep the longer.
        let all = self.occurrences.clone();
        self.occurrences.retain(|o| {
            !all.iter().any(|x| {
                (x.first, x.last) != (o.first, o.last) && x.first <= o.first && x.last >= o.last
            })
        });
    }

    /// The last token of `words` matched from token `start`, if they match.
    fn match_alias(&self, start: usize, words: &[String]) -> Option<usize> {
        let mut k = 0;
        let mut i = start;
        let mut skipped = 0;
        let mut last = start;
        while k < words.len() {
            let t = self.tokens.get(i)?;
            match (&t.kind, self.words.get(i)?) {
                (TokenKind::Word, Some(w)) => match &w.norm {
                    Some(n) if *n == words[k] => {
                        k += 1;
                        last = i;
                        skipped = 0;
                    }
                    Some(_) => return None,
                    None => skipped += 1,
                },
                (TokenKind::Punct('-' | '/'), _) => skipped += 1,
                _ => return None,
            }
            if skipped > 3 {
                return None;
            }
            i += 1;
        }
        Some(last)
    }

    /// The periods written in the sentence, with their roles.
    fn find_periods(&mut self) {
        let mut prev_value: Option<usize> = None;
        let mut between = 0;
        for (i, t) in self.tokens.iter().enumerate() {
            match t.kind {
                TokenKind::Figure(fi) => {
                    let f = &self.figures[fi];
                    let Some(period) = Period::of_figure(f) else {
                        if Unit::of_figure(f).is_some() {
                            prev_value = Some(i);
                            between = 0;
                        }
                        continue;
                    };
                    let mut from_token = i;
                    let mut stated = Some(period);
                    let mut span = Some(period);
                    // The word before, skipping "in", "the": a comparison, a month, or
                    // "the beginning of".
                    let mut j = i;
                    let mut before = Vec::new();
                    while j > 0 && before.len() < 6 {
                        j -= 1;
                        if self.tokens[j].kind != TokenKind::Word {
                            break;
                        }
                        before.push(j);
                    }
                    let word = |k: usize| {
                        before
                            .get(k)
                            .map(|&j| {
                                let t = self.tokens[j];
                                self.text[t.span.start..t.span.end].to_lowercase()
                            })
                            .unwrap_or_default()
                    };
                    // The first word before the period phrase ("than at the beginning
                    // of 2023", "compared with 2011") says whether it is a comparison.
                    let comparative = (0..before.len())
                        .map(word)
                        .find(|w| !PERIOD_PHRASE.contains(&w.as_str()))
                        .is_some_and(|w| COMPARATIVE.contains(&w.as_str()));
                    if let (Period::Year(y), Some(m)) =
                        (period, MONTHS.iter().position(|m| *m == word(0)))
                    {
                        // "in August 2016": a month, not the year.
                        stated = None;
                        span = month_span(y, m);
                        from_token = before[0];
                    } else if let Period::Year(y) = period
                        && word(0) == "of"
                    {
                        match word(1).as_str() {
                            "beginning" | "start" => {
                                stated = Some(Period::start_of_year(y));
                                span = stated;
                                from_token = before[1];
                            }
                            "end" => {
                                stated = Some(Period::end_of_year(y));
                                span = stated;
                                from_token = before[1];
                            }
                            w if VAGUE.contains(&w) => stated = None,
                            _ => {}
                        }
                    } else if VAGUE.contains(&word(0).as_str()) {
                        stated = None;
                    }
                    let connector = matches!(word(0).as_str(), "in" | "for" | "during" | "at")
                        && before.len() == 1
                        || before.is_empty();
                    let attached = prev_value.filter(|_| between <= 1 && connector);
                    self.periods.push(Stated {
                        token: i,
                        figure: fi,
                        period: stated,
                        span,
                        comparative,
                        attached,
                        from_token,
                    });
                }
                TokenKind::Stop => {}
                _ => between += 1,
            }
        }
    }

    /// The clause of the value figure at token `i`.
    fn clause(&self, i: usize, index: &FactIndex) -> Clause {
        let mut left = i;
        while left > 0 {
            let t = &self.tokens[left - 1];
            let stop = match t.kind {
                TokenKind::Figure(_) => self.value_figure(left - 1).is_some(),
                TokenKind::Punct(';' | ':' | ')') | TokenKind::Stop => true,
                _ => false,
            };
            if stop {
                break;
            }
            left -= 1;
        }
        let mut right = i + 1;
        while let Some(t) = self.tokens.get(right) {
            // A percentage in brackets right after the figure belongs to it.
            if right == i + 1 && t.kind == TokenKind::Punct('(') {
                let close = (right + 1..self.tokens.len().min(right + 6))
                    .find(|&k| self.tokens[k].kind == TokenKind::Punct(')'));
                if let Some(c) = close {
                    right = c + 1;
                    continue;
                }
            }
            let stop = match t.kind {
                TokenKind::Figure(_) => self.value_figure(right).is_some(),
                TokenKind::Punct(',' | ';' | ':' | '(' | ')') | TokenKind::Stop => true,
                TokenKind::Word => self.word_is(
                    right,
                    &[
                        "and", "while", "whereas", "but", "or", "which", "who", "whom", "compared",
                        "than",
                    ],
                ),
                TokenKind::Punct(_) => false,
            };
            if stop {
                break;
            }
            right += 1;
        }
        let in_alias = |k: usize| self.occurrences.iter().any(|o| o.first <= k && k <= o.last);
        let mut groups = Vec::new();
        let mut others = Vec::new();
        let mut proper = Vec::new();
        for k in (left..right).filter(|&k| k != i && !in_alias(k)) {
            let Some(Some(w)) = self.words.get(k) else {
                continue;
            };
            let Some(n) = &w.norm else { continue };
            if index.is_group(n) {
                groups.push(n.clone());
            } else if w.proper {
                proper.push(n.clone());
            } else if !self.is_period_word(k) && !index.is_link_word(n) {
                others.push(n.clone());
            }
        }
        groups.sort();
        groups.dedup();
        Clause {
            left,
            right,
            groups,
            others,
            proper,
        }
    }

    /// True when token `k` is a word of a period phrase ("beginning of", a month).
    fn is_period_word(&self, k: usize) -> bool {
        self.periods
            .iter()
            .any(|p| p.from_token <= k && k < p.token)
    }

    /// The fact the value figure at token `i` states directly, if exactly one fits.
    fn link(
        &self,
        i: usize,
        clause: &Clause,
        index: &FactIndex,
        unit_fits: impl Fn(usize) -> bool,
    ) -> Option<Link> {
        let period = self.period_of(i, clause);
        let mut found: Vec<Link> = Vec::new();
        for occ in self
            .occurrences
            .iter()
            .filter(|o| clause.left <= o.first && o.last < clause.right)
        {
            if !self.alias_stands_alone(occ, i, clause, index) {
                continue;
            }
            for &id in &index.aliases[occ.alias].1 {
                let fact = &index.set.facts[id];
                if !matches!(fact.kind, FactKind::Metric(_)) || !unit_fits(id) {
                    continue;
                }
                let period_fits = match (&fact.period, period) {
                    (None, _) => true,
                    (Some(p), Some(k)) => self.periods[k].period.is_some_and(|s| s.same_as(p)),
                    (Some(_), None) => false,
                };
                let places = &index.places[id];
                if period_fits
                    && index.scope_fits(id, &clause.groups)
                    && clause.proper.iter().all(|w| places.contains(w))
                    && !found.iter().any(|l| l.fact == id)
                {
                    found.push(Link {
                        fact: id,
                        occurrence: *occ,
                        period,
                        groups: clause.groups.clone(),
                    });
                }
            }
        }
        // Two facts that fit (two metrics named in one clause) leave it undecided.
        match found.len() {
            1 => found.pop(),
            _ => None,
        }
    }

    /// True when nothing between the alias and the figure, and no word right before the
    /// alias, changes what it names ("the working-age population").
    fn alias_stands_alone(
        &self,
        occ: &Occurrence,
        i: usize,
        clause: &Clause,
        index: &FactIndex,
    ) -> bool {
        let places: Vec<&String> = index.aliases[occ.alias]
            .1
            .iter()
            .flat_map(|&id| &index.places[id])
            .collect();
        let allowed = |k: usize| -> bool {
            let Some(Some(w)) = self.words.get(k) else {
                return true;
            };
            let Some(n) = &w.norm else { return true };
            index.is_group(n)
                || places.contains(&n)
                || self.is_period_word(k)
                || index.is_link_word(n)
        };
        let (from, to) = if occ.last < i {
            (occ.last + 1, i)
        } else {
            (i + 1, occ.first)
        };
        let between_ok = (from..to).all(|k| {
            matches!(
                self.tokens[k].kind,
                TokenKind::Word | TokenKind::Punct('(' | ')' | '-')
            ) && allowed(k)
                || matches!(self.tokens[k].kind, TokenKind::Figure(_))
                    && self.value_figure(k).is_none()
                || (self.tokens[k].kind == TokenKind::Punct(',') && occ.last < i)
        });
        // The word right before the alias, and right after it when the figure comes
        // first ("9.4 million people in the labour force survey").
        let before_ok = occ.first == 0 || occ.first <= clause.left || allowed(occ.first - 1);
        let after_ok = occ.last < i || allowed(occ.last + 1);
        between_ok && before_ok && after_ok
    }

    /// The period (index into `periods`) of the value figure at token `i`: the one
    /// attached to it, else the one period of its clause, else the sentence's one
    /// period not attached to another figure; comparisons never count.
    fn period_of(&self, i: usize, clause: &Clause) -> Option<usize> {
        if let Some(k) = self.periods.iter().position(|p| p.attached == Some(i)) {
            return Some(k);
        }
        let one = |keep: &dyn Fn(&Stated) -> bool| -> Option<usize> {
            let ks: Vec<usize> = (0..self.periods.len())
                .filter(|&k| !self.periods[k].comparative && keep(&self.periods[k]))
                .collect();
            let first = *ks.first()?;
            ks.iter()
                .all(|&k| {
                    self.periods[k].period == self.periods[first].period
                        && self.periods[k].period.is_some()
                })
                .then_some(first)
        };
        one(&|p| clause.left <= p.token && p.token < clause.right)
            .or_else(|| one(&|p| p.attached.is_none()))
    }

    /// A facts claim: `slots` labelled, `facts` as attributes, `matched` saying which
    /// words linked it.
    fn claim(
        &self,
        kind: &str,
        slots: Vec<(&'static str, usize)>,
        link: &Link,
        facts: &[(&'static str, usize)],
        index: &FactIndex,
    ) -> Claim {
        let occ = link.occurrence;
        let alias_span = self.tokens[occ.first]
            .span
            .cover(self.tokens[occ.last].span);
        let alias_text = squash(&self.text[alias_span.start..alias_span.end]);
        let fact = &index.set.facts[link.fact];
        let mut matched = format!("\"{alias_text}\" names {}", fact.name);
        if !link.groups.is_empty() {
            matched.push_str(&format!(", \"{}\" its scope", link.groups.join(" ")));
        }
        let mut span = slots
            .iter()
            .map(|&(_, fi)| self.figures[fi].span())
            .fold(alias_span, |a, b| a.cover(b));
        let mut extra: Vec<(&'static str, String)> = Vec::new();
        let mut all_slots: Vec<(Name, usize)> =
            slots.iter().map(|&(n, fi)| (Name::from(n), fi)).collect();
        if let Some(p) = link.period.and_then(|k| self.periods.get(k)) {
            let from = self.tokens[p.from_token].span;
            let phrase = squash(&self.text[from.start..self.figures[p.figure].span().end]);
            match (kind, p.period.or(p.span)) {
                ("event", span) => {
                    matched.push_str(&format!(", \"{phrase}\" the date stated"));
                    if let Some(span) = span {
                        let (a, b) = span.days();
                        extra.push((
                            "stated",
                            format!(
                                "{:04}-{:02}-{:02}/{:04}-{:02}-{:02}",
                                a.year, a.month, a.day, b.year, b.month, b.day
                            ),
                        ));
                    }
                }
                (_, Some(period)) => {
                    matched.push_str(&format!(", \"{phrase}\" its period ({period})"))
                }
                _ => {}
            }
            if !all_slots.iter().any(|(_, fi)| *fi == p.figure) {
                all_slots.push(("period".into(), p.figure));
            }
            span = span.cover(self.figures[p.figure].span());
        }
        let mut attrs: Vec<(&'static str, String)> =
            vec![("kind", kind.to_owned()), ("matched", matched)];
        attrs.extend(facts.iter().map(|&(k, id)| (k, id.to_string())));
        attrs.extend(extra);
        Claim {
            attrs,
            ..Claim::new(FAMILY, span, all_slots)
        }
    }
}

/// The days of month `m` (0-based) of `year`.
fn month_span(year: i32, m: usize) -> Option<Period> {
    let month = u8::try_from(m + 1).ok()?;
    let from = crate::facts::Day::new(year, month, 1)?;
    let to = (28..=31)
        .rev()
        .find_map(|d| crate::facts::Day::new(year, month, d))?;
    Some(Period::Dates { from, to })
}

/// Whitespace collapsed to single spaces.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
