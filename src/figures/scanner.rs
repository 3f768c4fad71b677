//! The scanner: one pass over the text that finds candidates (digits and trigger words,
//! by [`next_candidate`]) in position order, and runs the nom parsers only there.
//!
//! `pos` is the end of the last region consumed (a figure or an exclusion); nothing before
//! it is looked at again, which keeps spans ordered and non-overlapping by construction.

use super::candidates::{Candidate, next_candidate};
use super::exclude;
use super::hedge;
use super::lex::{
    at_line_start, is_ascii_ws, is_word_char, is_ws, next_char, next_word, prev_char, prev_word,
    skip_token, skip_ws, word_at,
};
use super::number::{
    DigitNum, Unit, currency_suffix, digit_number, is_year, month, multiplier_suffix, percent_unit,
    pow10, scale_word, ws1, year4,
};
use super::words::{WordKind, card_value, frac_den, ord_value, vocab};
use super::{Currency, Figure, FigureKind, RateBase, Resolution};
use crate::source::Span;
use crate::swar::{HIGH, ascii_in_range, ascii_letters, load8};
use nom::Parser;

/// Scan state: the text, the output, and the consumed frontier.
struct Scanner<'a> {
    text: &'a str,
    out: Vec<Figure>,
    pos: usize,
}

/// Run the scanner over `text`.
pub(crate) fn scan(text: &str) -> Vec<Figure> {
    let mut s = Scanner {
        text,
        // Report prose has about one figure in 130 bytes: room for most texts' figures
        // at once, instead of a copy at every doubling.
        out: Vec::with_capacity(text.len() / 128),
        pos: 0,
    };
    let v = vocab();
    // Where to look from: past the last figure or exclusion, and past a trigger word
    // that made none.
    let mut from = 0usize;
    while let Some(c) = next_candidate(text, from.max(s.pos), v) {
        match c {
            Candidate::Digit(d) => {
                let end = s.digits(d);
                s.pos = end.max(d + 1);
            }
            Candidate::Word { start, end, kind } => {
                if let Some(e) = s.word(start, end, kind) {
                    s.pos = e.max(end);
                }
                from = end;
            }
        }
    }
    s.out
}

/// The scanner as it was before [`next_candidate`]: digits by [`next_digit`], words by
/// the aho-corasick automaton over the whole text. Kept to test the fused scan against.
#[cfg(test)]
pub(crate) fn scan_reference(text: &str) -> Vec<Figure> {
    let mut s = Scanner {
        text,
        out: Vec::new(),
        pos: 0,
    };
    let (ac, kinds) = super::words::reference_automaton();
    let bytes = text.as_bytes();
    let mut matches = ac.find_iter(text).peekable();
    let mut d = 0usize;
    loop {
        if d < s.pos {
            d = s.pos;
        }
        d = next_digit(bytes, d);
        let m = loop {
            match matches.peek() {
                Some(m) if m.start() < s.pos => {
                    matches.next();
                }
                Some(m) => break Some(*m),
                None => break None,
            }
        };
        match m {
            Some(m) if d >= bytes.len() || m.start() < d => {
                matches.next();
                let kind = kinds[m.pattern().as_usize()];
                if let Some(end) = s.word(m.start(), m.end(), kind) {
                    s.pos = end.max(m.end());
                }
            }
            _ => {
                if d >= bytes.len() {
                    break;
                }
                let end = s.digits(d);
                s.pos = end.max(d + 1);
            }
        }
    }
    s.out
}

/// First ASCII digit at or after `i` (or `bytes.len()`). Thirty-two bytes at a time, then
/// eight. Only the reference scanner and page furniture's reference search use it now:
/// the scanner finds digits with [`next_candidate`], page furniture with its own stops.
#[cfg(test)]
pub(crate) fn next_digit(bytes: &[u8], mut i: usize) -> usize {
    // Long stretches without a digit: four words tested together, one branch for all.
    while let Some(block) = bytes.get(i..i + 32) {
        let any = block
            .chunks_exact(8)
            .filter_map(|c| c.first_chunk::<8>())
            .fold(0u64, |acc, c| acc | digit_lanes(u64::from_le_bytes(*c)));
        if any != 0 {
            break;
        }
        i += 32;
    }
    while let Some(chunk) = bytes.get(i..i + 8).and_then(|c| c.first_chunk::<8>()) {
        let t = digit_lanes(u64::from_le_bytes(*chunk));
        if t != 0 {
            return i + (t.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && !bytes[i].is_ascii_digit() {
        i += 1;
    }
    i
}

/// The high bit of each byte lane of `x` that holds an ASCII digit.
#[cfg(test)]
#[inline]
fn digit_lanes(x: u64) -> u64 {
    crate::swar::ascii_in_range(x, b'0', b'9')
}

/// Kinds a hedge may attach to.
fn hedgeable(k: &FigureKind) -> bool {
    matches!(
        k,
        FigureKind::Count
            | FigureKind::Money(_)
            | FigureKind::Percent
            | FigureKind::PercentagePoints
            | FigureKind::Rate { .. }
            | FigureKind::Multiplier
    )
}

/// The unit part of a digit figure, decided by what follows the number.
struct Shape {
    kind: FigureKind,
    exp: i32,
    exact: bool,
    end: usize,
}

impl<'a> Scanner<'a> {
    /// Push a figure, attaching prefix and suffix hedges when the kind allows.
    ///
    /// Inlined where figures are made: a call with eight arguments saved and restored
    /// more registers than the push and the hedges' first byte tests cost themselves
    /// (the hedges' longer parts stay out of line).
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn emit(
        &mut self,
        start: usize,
        end: usize,
        number: Span,
        value: f64,
        resolution: Resolution,
        exact: bool,
        kind: FigureKind,
    ) -> usize {
        let mut span = Span::new(start, end);
        let mut h = None;
        if hedgeable(&kind) {
            if let Some((hd, s)) = hedge::prefix(self.text, start, self.pos) {
                h = Some(hd);
                span.start = s;
            } else if let Some((hd, e)) = hedge::suffix(self.text, end) {
                h = Some(hd);
                span.end = e;
            }
        }
        self.out.push(Figure {
            whole: span.into(),
            number: number.into(),
            value,
            last_digit: resolution,
            exact,
            kind,
            hedge: h,
        });
        span.end
    }

    /// A digit run starting at `i`. Returns the end of what was consumed.
    fn digits(&mut self, i: usize) -> usize {
        let t = self.text;
        let mut start = i;
        let mut negative = false;
        match prev_char(t, i) {
            Some(c) if c.is_ascii_digit() => return skip_token(t, i),
            // Glued to a word ("G20", "Covid19") or a footnote marker after punctuation
            // ("research,2", "2020).1", "women.3"), or part of a symbol ("A/RES/48/134").
            Some(c) if is_word_char(c) => return skip_token(t, i),
            Some(
                '.' | ',' | ')' | ']' | ':' | ';' | '’' | '”' | '/' | '\\' | '#' | '@' | '&' | '=',
            ) => return skip_token(t, i),
            Some('+') => return exclude::phone(t, i - 1),
            Some(c @ ('-' | '−' | '–' | '—')) => {
                let s = i - c.len_utf8();
                match prev_char(t, s) {
                    Some(p) if is_word_char(p) => return skip_token(t, i),
                    None | Some('(') => {
                        if matches!(c, '-' | '−') {
                            negative = true;
                            start = s;
                        }
                    }
                    Some(p) if is_ws(p) => {
                        if matches!(c, '-' | '−') {
                            negative = true;
                            start = s;
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        let Ok((_, n)) = digit_number(&t[i..]) else {
            return skip_token(t, i);
        };
        let num_end = i + n.len;
        let num = Span::new(i, num_end);
        let nx = next_char(t, num_end);

        // Ordinals written with digits: "62nd", "1st", "80th".
        if n.is_bare_int()
            && let Some(e) = ordinal_suffix(t, num_end)
        {
            let v = n.as_int().unwrap_or(0) as f64;
            return self.emit(i, e, num, v, Resolution::ONE, true, FigureKind::Ordinal);
        }
        match nx {
            Some(c) if is_word_char(c) || c == '@' => return skip_token(t, i),
            Some('(') => return skip_token(t, i),
            Some('.') if next_char(t, num_end + 1).is_some_and(|c| c.is_ascii_digit()) => {
                return skip_token(t, i);
            }
            Some(',') if next_char(t, num_end + 1).is_some_and(|c| c.is_ascii_digit()) => {
                return skip_token(t, i);
            }
            _ => {}
        }
        let int = n.as_int();

        // Year ranges "2020–2023", "2022/23", and "24/7"-like symbols.
        if let Some(r) = self.year_range(&n, num_end) {
            return r;
        }
        if nx == Some('/') {
            return skip_token(t, i);
        }
        // Ranges and hyphenated codes: "27–28 per cent", "24-18883", "8-800-080-7777".
        if let Some(r) = self.range(i, start, negative, &n, num_end) {
            return r;
        }

        if n.is_bare_int() && !negative {
            let digits = n.int_len;
            // List labels: "1. Country and population" at the start of a line.
            if digits <= 2 && at_line_start(t, i) && matches!(nx, Some('.' | ')')) {
                let k = num_end + 1;
                let k2 = skip_ws(t, k);
                if k2 > k && next_char(t, k2).is_some_and(char::is_uppercase) {
                    return k;
                }
            }
            // Footnote lines left unmasked: "1 https://economy.kz/...".
            if digits <= 3 && at_line_start(t, i) {
                let k = skip_ws(t, num_end);
                let rest = &t[k..];
                if k > num_end && (rest.starts_with("http") || rest.starts_with("www.")) {
                    return k;
                }
            }
            // Enumerators "(7) the right to ...".
            if digits <= 2 && prev_char(t, i) == Some('(') && nx == Some(')') {
                let k = num_end + 1;
                let k2 = skip_ws(t, k);
                if k2 > k && next_char(t, k2).is_some_and(char::is_alphabetic) {
                    return k;
                }
            }
            // The next two shapes need "(" after the number, past whitespace: one byte
            // tells, before either is asked (most numbers are followed by a word).
            let paren_next = t.as_bytes().get(skip_ws(t, num_end)) == Some(&b'(');
            // Phone with area code: "8 (7172) 58-00-58".
            if paren_next && digits <= 2 && exclude::looks_like_area_code(t, num_end) {
                return exclude::phone(t, i);
            }
            // Resolution numbers: "1325 (2000)".
            if paren_next && let Some(e) = paren_year(t, num_end) {
                return e;
            }
            // Dates: "12 October 2021".
            if digits <= 2
                && may_start_month(t.as_bytes(), num_end)
                && let Ok((rest, (_, m, _, y))) = (ws1, month, ws1, year4).parse(&t[num_end..])
            {
                let e = t.len() - rest.len();
                let day = int.unwrap_or(0) as u8;
                return self.emit(
                    i,
                    e,
                    num,
                    f64::from(y),
                    Resolution::ONE,
                    true,
                    FigureKind::Date {
                        year: y,
                        month: m,
                        day,
                    },
                );
            }
        }

        // A currency code already read as the previous figure's unit ("1 EUR 0") is not
        // also this one's prefix: figures never overlap.
        let prefix = if negative {
            None
        } else {
            currency_prefix(t, i).filter(|&(_, s)| s >= self.pos)
        };
        if let Some((_, s)) = prefix {
            start = s;
        }
        let shape = self.shape(&n, num_end, prefix.map(|p| p.0));
        if n.is_bare_int()
            && !negative
            && n.int_len == 4
            && shape.kind == FigureKind::Count
            && shape.end == num_end
            && int.is_some_and(is_year)
        {
            let y = int.unwrap_or(0) as f64;
            return self.emit(i, num_end, num, y, Resolution::ONE, true, FigureKind::Year);
        }
        let mut value = n.scaled(shape.exp);
        if negative {
            value = -value;
        }
        let res = n.resolution(shape.exp);
        self.emit(start, shape.end, num, value, res, shape.exact, shape.kind)
    }

    /// Decide the unit of a digit number from what follows it.
    fn shape(&self, n: &DigitNum, num_end: usize, prefix: Option<&'static str>) -> Shape {
        let t = self.text;
        let mut end = num_end;
        let mut exp = 0;
        // Each unit parser needs a given first letter or mark after the whitespace: look
        // once, and skip the parsers that cannot match (most numbers are followed by
        // some other word).
        let (mut next, mut spaced) = first_after_ws(t, end);
        if spaced
            && matches!(next, Some('t' | 'm' | 'b'))
            && let Ok((rest, (_, e))) = (ws1, scale_word).parse(&t[end..])
        {
            exp = e;
            end = t.len() - rest.len();
            (next, spaced) = first_after_ws(t, end);
        }
        let whole = n.frac.is_empty() && exp == 0;
        if exp == 0
            && matches!(next, Some('%' | 'p'))
            && let Ok((rest, u)) = percent_unit(&t[end..])
        {
            let kind = if u == Unit::Points {
                FigureKind::PercentagePoints
            } else {
                FigureKind::Percent
            };
            return Shape {
                kind,
                exp,
                exact: false,
                end: t.len() - rest.len(),
            };
        }
        if spaced
            && matches!(next, Some('t' | 'k' | 'u' | 'd' | 'e' | 'r'))
            && let Ok((rest, Unit::Money(code))) = currency_suffix(&t[end..])
        {
            return Shape {
                kind: FigureKind::Money(Currency::new(prefix.unwrap_or(code))),
                exp,
                exact: whole,
                end: t.len() - rest.len(),
            };
        }
        if let Some(code) = prefix {
            return Shape {
                kind: FigureKind::Money(Currency::new(code)),
                exp,
                exact: whole,
                end,
            };
        }
        if exp == 0
            && ((spaced && next == Some('t'))
                || matches!(t.as_bytes().get(end), Some(b'-' | b'f' | b'F')))
            && let Ok((rest, ())) = multiplier_suffix(&t[end..])
        {
            return Shape {
                kind: FigureKind::Multiplier,
                exp,
                exact: false,
                end: t.len() - rest.len(),
            };
        }
        // `rate` starts with `next_word`: whitespace, then a letter. Figures followed by
        // anything else (a full stop, a comma, a bracket) skip the call.
        if spaced
            && next.is_some_and(char::is_alphabetic)
            && let Some((per, e)) = rate(t, end)
        {
            return Shape {
                kind: FigureKind::Rate { per },
                exp,
                exact: whole,
                end: e,
            };
        }
        Shape {
            kind: FigureKind::Count,
            exp,
            exact: whole,
            end,
        }
    }

    /// "2020–2023", "2009-2021", "2022/23", "2021/2022", "2020 – 2023".
    fn year_range(&mut self, n: &DigitNum, num_end: usize) -> Option<usize> {
        let t = self.text;
        let y0 = n
            .as_int()
            .filter(|&y| n.is_bare_int() && n.int_len == 4 && is_year(y))?;
        let mut k = num_end;
        let c = next_char(t, k)?;
        let spaced_ok = matches!(c, '–' | '—' | ' ');
        if c == ' ' {
            // Only a dash may be spaced: "2020 – 2023".
            let k2 = skip_ws(t, k);
            if !matches!(next_char(t, k2), Some('–' | '—')) {
                return None;
            }
            k = k2;
        }
        let c = next_char(t, k)?;
        if !matches!(c, '–' | '—' | '-' | '/') {
            return None;
        }
        k += c.len_utf8();
        if spaced_ok {
            k = skip_ws(t, k);
        }
        let rest = t.get(k..)?;
        let nd = rest.bytes().take_while(u8::is_ascii_digit).count();
        if nd != 2 && nd != 4 {
            return None;
        }
        // "2021/2022/2023" or "2020-21-3" are codes, not ranges.
        if matches!(rest.as_bytes().get(nd), Some(b'/' | b'-'))
            || rest[nd..].starts_with(|c: char| is_word_char(c))
        {
            return None;
        }
        let v: i64 = rest[..nd].parse().ok()?;
        let y1 = if nd == 2 {
            let cand = y0 - y0 % 100 + v;
            if cand > y0 { cand } else { cand + 100 }
        } else {
            v
        };
        if y1 < y0 || y1 - y0 > 100 {
            return None;
        }
        let e = k + nd;
        Some(self.emit(
            num_end - n.len,
            e,
            Span::new(num_end - n.len, num_end),
            y0 as f64,
            Resolution::ONE,
            true,
            FigureKind::YearRange { end: y1 as i32 },
        ))
    }

    /// A numeric range or hyphenated code after a number. `None` when no dash follows.
    fn range(
        &mut self,
        i: usize,
        start: usize,
        negative: bool,
        n: &DigitNum,
        num_end: usize,
    ) -> Option<usize> {
        let t = self.text;
        let c = next_char(t, num_end)?;
        let mut k = num_end;
        let dash = if matches!(c, '–' | '—' | '-') {
            k += c.len_utf8();
            c
        } else if c == ' ' {
            let k2 = skip_ws(t, k);
            let c2 = next_char(t, k2)?;
            if !matches!(c2, '–' | '—') || !next_char(t, k2 + c2.len_utf8()).is_some_and(is_ws)
            {
                return None;
            }
            k = skip_ws(t, k2 + c2.len_utf8());
            if !next_char(t, k).is_some_and(|c| c.is_ascii_digit()) {
                return None;
            }
            c2
        } else {
            return None;
        };
        if !next_char(t, k).is_some_and(|c| c.is_ascii_digit()) {
            // "24-hour", "10-day": a number in a compound adjective; keep it as a count.
            return None;
        }
        let Ok((_, m)) = digit_number(&t[k..]) else {
            return Some(skip_token(t, i));
        };
        let m_end = k + m.len;
        // Three or more hyphenated groups: a phone or code ("8-800-080-7777", "58-00-58").
        if matches!(next_char(t, m_end), Some('-' | '–' | '/')) {
            return Some(skip_token(t, i));
        }
        if next_char(t, m_end).is_some_and(is_word_char) {
            return Some(skip_token(t, i));
        }
        let lv = n.scaled(0);
        let rv = m.scaled(0);
        let len_gap = m.int_len.abs_diff(n.int_len);
        let plausible = rv >= lv && (dash != '-' || len_gap <= 1) && !negative;
        if !plausible {
            // "24-18883" (a job number) and the like.
            return Some(skip_token(t, i));
        }
        // The right end decides the unit for both: "27–28 per cent".
        let shape = self.shape(&m, m_end, None);
        let kind = shape.kind.clone();
        let lexact = shape.exact && n.frac.is_empty();
        self.emit(
            start,
            num_end,
            Span::new(i, num_end),
            n.scaled(shape.exp),
            n.resolution(shape.exp),
            lexact,
            kind,
        );
        let rstart = k;
        self.pos = num_end;
        let value = m.scaled(shape.exp);
        let res = m.resolution(shape.exp);
        // The right end takes no prefix hedge (the dash is between); push it directly.
        self.out.push(Figure {
            whole: Span::new(rstart, shape.end).into(),
            number: Span::new(rstart, m_end).into(),
            value,
            last_digit: res,
            exact: shape.exact,
            kind: shape.kind,
            hedge: None,
        });
        Some(shape.end)
    }

    /// A trigger word found by the candidate scan. Returns the end of what was consumed,
    /// or `None` to let the scan move on.
    fn word(&mut self, s: usize, e: usize, kind: WordKind) -> Option<usize> {
        let t = self.text;
        if prev_char(t, s).is_some_and(is_word_char) {
            return None;
        }
        if kind != WordKind::Url && next_char(t, e).is_some_and(is_word_char) {
            return None;
        }
        match kind {
            WordKind::Url => Some(exclude::url(t, s)),
            WordKind::Ref => exclude::reference_list(t, e),
            WordKind::No => exclude::no_reference(t, e),
            WordKind::Card(_) => self.card(s),
            WordKind::Scale(x) => {
                // "a hundred", "a thousand", "a million tenge".
                let (ps, w) = prev_word(t, s)?;
                if !(w.eq_ignore_ascii_case("a") || w.eq_ignore_ascii_case("an")) || ps < self.pos {
                    return None;
                }
                let v = pow10(x);
                let (kind, exact, end) = match currency_suffix(&t[e..]) {
                    Ok((rest, Unit::Money(c))) => (
                        FigureKind::Money(Currency::new(c)),
                        x < 3,
                        t.len() - rest.len(),
                    ),
                    _ => (FigureKind::Count, x < 3, e),
                };
                let res = Resolution::pow10(if exact { 0 } else { x });
                Some(self.emit(ps, end, Span::new(ps, e), v, res, exact, kind))
            }
            WordKind::Ord(v) => {
                // "a third of", "a fifth of": fractions; otherwise ordinals.
                if let Some((ps, w)) = prev_word(t, s)
                    && ps >= self.pos
                    && (w.eq_ignore_ascii_case("a") || w.eq_ignore_ascii_case("one"))
                    && frac_den(&t[s..e], 1).is_some()
                    && next_word(t, e).is_some_and(|(_, nw, _)| nw.eq_ignore_ascii_case("of"))
                {
                    let den = v as f64;
                    return Some(self.emit(
                        ps,
                        e,
                        Span::new(ps, e),
                        1.0 / den,
                        Resolution::NONE,
                        true,
                        FigureKind::Fraction,
                    ));
                }
                Some(self.emit(
                    s,
                    e,
                    Span::new(s, e),
                    v as f64,
                    Resolution::ONE,
                    true,
                    FigureKind::Ordinal,
                ))
            }
            WordKind::FracPlural(_) => None,
            WordKind::Half | WordKind::Quarter => {
                if next_char(t, e) == Some('-') {
                    return None;
                }
                let pw = prev_word(t, s).filter(|&(ps, _)| ps >= self.pos);
                let is_a = pw.is_some_and(|(_, w)| {
                    w.eq_ignore_ascii_case("a") || w.eq_ignore_ascii_case("one")
                });
                let start = if is_a { pw.map_or(s, |p| p.0) } else { s };
                let v = if kind == WordKind::Half { 0.5 } else { 0.25 };
                if kind == WordKind::Quarter && !is_a {
                    return None;
                }
                if kind == WordKind::Half
                    && pw.is_some_and(|(_, w)| {
                        super::lex::is_one_of(w, &["first", "second", "other", "latter", "former"])
                    })
                {
                    return None;
                }
                Some(self.emit(
                    start,
                    e,
                    Span::new(start, e),
                    v,
                    Resolution::NONE,
                    true,
                    FigureKind::Fraction,
                ))
            }
            WordKind::Mult(v) => {
                if next_char(t, e) == Some('-') {
                    return None;
                }
                let res = Resolution::pow10(if v < 1.0 { -1 } else { 0 });
                Some(self.emit(s, e, Span::new(s, e), v, res, false, FigureKind::Multiplier))
            }
            WordKind::Factor => self.factor(s, e),
        }
    }

    /// "a factor of 2.6", "by a factor of two".
    fn factor(&mut self, s: usize, e: usize) -> Option<usize> {
        let t = self.text;
        let (k, w, ke) = next_word(t, e)?;
        let _ = k;
        if !w.eq_ignore_ascii_case("of") {
            return None;
        }
        let ns = skip_ws(t, ke);
        if ns == ke {
            return None;
        }
        let start = match prev_word(t, s) {
            Some((ps, w)) if ps >= self.pos && w.eq_ignore_ascii_case("a") => ps,
            _ => s,
        };
        if let Ok((_, n)) = digit_number(&t[ns..]) {
            let ne = ns + n.len;
            if next_char(t, ne).is_some_and(is_word_char) {
                return None;
            }
            let v = n.scaled(0);
            let res = n.resolution(0);
            return Some(self.emit(
                start,
                ne,
                Span::new(ns, ne),
                v,
                res,
                false,
                FigureKind::Multiplier,
            ));
        }
        let wn = word_number(t, ns)?;
        if wn.ordinal {
            return None;
        }
        Some(self.emit(
            start,
            wn.end,
            Span::new(ns, wn.end),
            wn.value as f64,
            Resolution::ONE,
            false,
            FigureKind::Multiplier,
        ))
    }

    /// A cardinal number word at `s`: "six", "twenty-one", "two hundred and five",
    /// "three million", "fifty-ninth", "two thirds", "three times".
    fn card(&mut self, s: usize) -> Option<usize> {
        let t = self.text;
        let wn = word_number(t, s)?;
        let num = Span::new(s, wn.end);
        if wn.ordinal {
            return Some(self.emit(
                s,
                wn.end,
                num,
                wn.value as f64,
                Resolution::ONE,
                true,
                FigureKind::Ordinal,
            ));
        }
        let single = wn.words == 1;
        if single && wn.value == 1 {
            // "one" as a pronoun: "no one", "one another", "the one", "one's own".
            if let Some((_, w)) = prev_word(t, s)
                && super::lex::is_one_of(
                    w,
                    &["no", "any", "each", "the", "this", "that", "every", "which"],
                )
            {
                return None;
            }
            let rest = &t[wn.end..];
            if rest.starts_with("’s") || rest.starts_with("'s") || rest.starts_with('-') {
                return None;
            }
            if next_word(t, wn.end).is_some_and(|(_, w, _)| w.eq_ignore_ascii_case("another")) {
                return None;
            }
        }
        // Fractions: "two thirds", "one third", "three quarters", "two-thirds".
        if (1..=10).contains(&wn.value) && wn.exp == 0 {
            let k = if t[wn.end..].starts_with('-') {
                wn.end + 1
            } else {
                skip_ws(t, wn.end)
            };
            if k > wn.end
                && let Some((w, fe)) = word_at(t, k)
                && let Some(den) = frac_den(w, wn.value)
                && next_char(t, fe).is_none_or(|c| c != '-')
            {
                let v = wn.value as f64 / den as f64;
                return Some(self.emit(
                    s,
                    fe,
                    Span::new(s, fe),
                    v,
                    Resolution::NONE,
                    true,
                    FigureKind::Fraction,
                ));
            }
        }
        let v = wn.value as f64;
        let exact = wn.exp == 0;
        let res = Resolution::pow10(wn.exp);
        if let Ok((rest, ())) = multiplier_suffix(&t[wn.end..]) {
            let e = t.len() - rest.len();
            return Some(self.emit(s, e, num, v, Resolution::ONE, false, FigureKind::Multiplier));
        }
        if wn.exp == 0
            && let Ok((rest, Unit::Percent)) = percent_unit(&t[wn.end..])
        {
            let e = t.len() - rest.len();
            return Some(self.emit(s, e, num, v, Resolution::ONE, false, FigureKind::Percent));
        }
        if let Ok((rest, Unit::Money(c))) = currency_suffix(&t[wn.end..]) {
            let e = t.len() - rest.len();
            let kind = FigureKind::Money(Currency::new(c));
            return Some(self.emit(s, e, num, v, res, exact, kind));
        }
        Some(self.emit(s, wn.end, num, v, res, exact, FigureKind::Count))
    }
}

/// Ordinal suffix right after a digit run: "st", "nd", "rd", "th", then no word char.
fn ordinal_suffix(t: &str, i: usize) -> Option<usize> {
    let suf = t.get(i..i + 2)?;
    let ok = super::lex::is_one_of(suf, &["st", "nd", "rd", "th"]);
    if !ok || next_char(t, i + 2).is_some_and(is_word_char) {
        return None;
    }
    Some(i + 2)
}

/// " (2000)" after a number: a Security Council resolution. Returns the end of ")".
fn paren_year(t: &str, i: usize) -> Option<usize> {
    let k = skip_ws(t, i);
    // Most numbers are followed by a word or a mark: one byte decides.
    if t.as_bytes().get(k) != Some(&b'(') {
        return None;
    }
    let rest = t.get(k..)?.strip_prefix('(')?;
    let (r, y) = year4(rest).ok()?;
    if !is_year(i64::from(y)) || !r.starts_with(')') {
        return None;
    }
    Some(k + 1 + 4 + 1)
}

/// A currency sign or code before the number: "$100", "US$ 5", "€20", "USD 5".
///
/// Asked before every number, and most have none: the two bytes before the number,
/// classed from a table and combined with no branch, tell almost all of those at once
/// ([`PREFIX_CLASS`]). The walk back over the spaces before it ([`currency_prefix_walk`])
/// ran zero or one turns as the text went, and its exit was mispredicted at one number in
/// four or so (26k on 10 MB of varied prose).
#[inline]
fn currency_prefix(t: &str, i: usize) -> Option<(&'static str, usize)> {
    let b = t.as_bytes();
    let class = |back: usize| {
        i.checked_sub(back)
            .and_then(|k| b.get(k))
            .map_or(0, |&c| PREFIX_CLASS[usize::from(c)])
    };
    let (last, before) = (class(1), class(2));
    // A sign or a non-breaking space right before, or a space after a sign, a space or
    // the last letter of a code.
    let maybe = (last | last >> 1 & (before | before >> 1 | before >> 2)) & 1;
    if maybe == 0 {
        return None;
    }
    currency_prefix_walk(t, i)
}

/// [`PREFIX_CLASS`] bit: `$`, or a byte of a character of two bytes or more (`€`, `£`,
/// `₸`, a non-breaking space).
const SIGN: u8 = 1;
/// [`PREFIX_CLASS`] bit: an ASCII space.
const SPACE: u8 = 2;
/// [`PREFIX_CLASS`] bit: the last letter of one of [`PREFIX_CODES`].
const CODE_END: u8 = 4;

/// The currency codes read as a prefix written before a number ("USD 100").
const PREFIX_CODES: [&str; 4] = ["USD", "EUR", "KZT", "RUB"];

/// What each byte before a number may say about a currency prefix, for
/// [`currency_prefix`]: [`SIGN`], [`SPACE`], [`CODE_END`].
static PREFIX_CLASS: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0x80;
    while b < 256 {
        table[b] = SIGN;
        b += 1;
    }
    table[b'$' as usize] = SIGN;
    table[b' ' as usize] = SPACE;
    let mut k = 0;
    while k < PREFIX_CODES.len() {
        let code = PREFIX_CODES[k].as_bytes();
        table[code[code.len() - 1] as usize] = CODE_END;
        k += 1;
    }
    table
};

/// [`currency_prefix`] by walking back over the spaces before the number; also the
/// oracle its byte test is checked against.
fn currency_prefix_walk(t: &str, i: usize) -> Option<(&'static str, usize)> {
    let j = {
        // Only spaces (not line breaks) between a sign and its number.
        let mut j = i;
        while let Some(c) = prev_char(t, j) {
            if c == ' ' || c == '\u{a0}' || c == '\u{202f}' {
                j -= c.len_utf8();
            } else {
                break;
            }
        }
        j
    };
    let c = prev_char(t, j)?;
    let s = j - c.len_utf8();
    match c {
        '$' => {
            if t[..s].ends_with("US") && !prev_char(t, s - 2).is_some_and(is_word_char) {
                Some(("USD", s - 2))
            } else {
                Some(("USD", s))
            }
        }
        '€' => Some(("EUR", s)),
        '£' => Some(("GBP", s)),
        '₸' => Some(("KZT", s)),
        _ if j < i => {
            // Only the codes of `PREFIX_CODES` count: their three letters first, then
            // the whole word.
            let last3 = t.as_bytes().get(j.checked_sub(3)?..j)?;
            let code = PREFIX_CODES.iter().find(|c| c.as_bytes() == last3)?;
            let (ws, w) = super::lex::word_ending_at(t, j)?;
            (w == *code).then_some((*code, ws))
        }
        _ => None,
    }
}

/// False when no whitespace and month name can start at byte `i` (what a date after a
/// day number needs: `ws1` then [`month`]), told from the two bytes there by one table
/// and no branch. Asked after every number of one or two digits: the nom parser's
/// whitespace loop, run there first, ended at a place the processor mispredicted (36 K
/// mispredicted branches on 10 MB of varied prose, simulated).
#[inline(always)]
fn may_start_month(b: &[u8], i: usize) -> bool {
    let first = b.get(i).map_or(0, |&c| MONTH_GATE[usize::from(c)]);
    let second = b.get(i + 1).map_or(0, |&c| MONTH_GATE[usize::from(c)]);
    first & (second >> 1) & 1 != 0
}

/// Bit 0: a byte whitespace can start with (ASCII whitespace, or any byte of a multi-byte
/// char, which may be a Unicode space). Bit 1: a byte that can follow whitespace's first
/// byte on the way to a month name (a month's initial in either case, more whitespace,
/// or a byte of a multi-byte char).
static MONTH_GATE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let wide = c >= 0x80;
        let ws = matches!(c, b'\t'..=b'\r' | b' ');
        let initial = matches!(
            c.to_ascii_lowercase(),
            b'j' | b'f' | b'm' | b'a' | b's' | b'o' | b'n' | b'd'
        );
        t[b] = ((ws || wide) as u8) | (((ws || wide || initial) as u8) << 1);
        b += 1;
    }
    t
};

/// The first char at or after `i` past whitespace (ASCII-lowercased), and whether any
/// whitespace came first: what [`Scanner::shape`]'s unit parsers (`ws1` then a word, or
/// a mark) need to see to have a chance. Inlined into [`Scanner::shape`], its one
/// caller, which asks it after every number.
#[inline(always)]
fn first_after_ws(t: &str, i: usize) -> (Option<char>, bool) {
    // `skip_ws` has the fast path for what follows most numbers (no whitespace, or one
    // space); an ASCII byte there is read as it is, without decoding.
    let j = skip_ws(t, i);
    let c = match t.as_bytes().get(j) {
        Some(&b) if b < 0x80 => Some(char::from(b)),
        _ => next_char(t, j),
    };
    (c.map(|c| c.to_ascii_lowercase()), j > i)
}

/// "per 1,000 live births", "cases per 100,000": returns `(per, end)` where `end` is the
/// end of the base number. Up to two lowercase words may sit between the number and "per".
/// A base a figure cannot hold exactly (see [`RateBase`]: some past 35 trillion) is no rate.
fn rate(t: &str, end: usize) -> Option<(RateBase, usize)> {
    let b = t.as_bytes();
    let mut k = end;
    // The words passed on the way to "per", as byte ranges. Whether one is a number word
    // is asked only once "per" is found: most figures have none after them, and the
    // lookup is a scan of every number word.
    let mut passed = [(0usize, 0usize); 2];
    for n in 0..3 {
        let ws = skip_ws(t, k);
        if ws == k {
            return None;
        }
        // Most words after a figure are a few ASCII letters before an ASCII byte: told
        // from one eight-byte load (is it "per", is it lower case) without slicing the
        // text. Others are read as `next_word` and `all_lowercase` read them. This walk
        // runs after most figures, two or three words each.
        let x = load8(b, ws);
        let len = ((!ascii_letters(x) & HIGH).trailing_zeros() / 8) as usize;
        let we = if len < 8 && b.get(ws + len).is_none_or(|&c| c < 0x80) {
            if len == 0 {
                return None;
            }
            if len == 3 && (x | 0x20_2020) & 0xff_ffff == PER {
                return rate_base(t, ws + 3, &passed[..n]);
            }
            // The high bits of the word's lanes, the first `len`.
            let lanes = HIGH >> (8 * (8 - len));
            if ascii_in_range(x, b'a', b'z') & lanes != lanes {
                return None;
            }
            if b.get(ws + len).is_some_and(|&c| !is_ascii_ws(c)) {
                return None;
            }
            ws + len
        } else {
            let (w, we) = word_at(t, ws)?;
            if w.eq_ignore_ascii_case("per") {
                return rate_base(t, we, &passed[..n]);
            }
            if !all_lowercase(t, ws, w) {
                return None;
            }
            if next_char(t, we).is_some_and(|c| !is_ws(c)) {
                return None;
            }
            we
        };
        if let Some(slot) = passed.get_mut(n) {
            *slot = (ws, we);
        }
        k = we;
    }
    None
}

/// "per" as the three low bytes of a little-endian load.
const PER: u64 = u32::from_le_bytes(*b"per\0") as u64;

/// The base after "per" (which ends at `we`), having passed the words at `passed` on
/// the way: "per 1,000", "per million". `(per, end)` as [`rate`] returns it.
fn rate_base(t: &str, we: usize, passed: &[(usize, usize)]) -> Option<(RateBase, usize)> {
    if passed
        .iter()
        .any(|&(s, e)| t.get(s..e).and_then(card_value).is_some())
    {
        return None;
    }
    let ns = skip_ws(t, we);
    if ns == we {
        return None;
    }
    if let Ok((_, n)) = digit_number(&t[ns..]) {
        if !n.frac.is_empty() || next_char(t, ns + n.len).is_some_and(is_word_char) {
            return None;
        }
        return RateBase::new(n.scaled(0)).map(|per| (per, ns + n.len));
    }
    if let Ok((rest, x)) = scale_word(&t[ns..]) {
        return RateBase::new(pow10(x)).map(|per| (per, t.len() - rest.len()));
    }
    None
}

/// [`rate`] as it was before its one-load words: every word read by `next_word`. The oracle
/// the fast walk is tested against.
#[cfg(test)]
fn rate_reference(t: &str, end: usize) -> Option<(RateBase, usize)> {
    let mut k = end;
    // The words passed on the way to "per". Whether one is a number word is asked only
    // once "per" is found: most figures have none after them, and the lookup is a scan
    // of every number word.
    let mut passed: [&str; 2] = ["", ""];
    for n in 0..3 {
        let (ws, w, we) = next_word(t, k)?;
        if w.eq_ignore_ascii_case("per") {
            if passed[..n].iter().any(|w| card_value(w).is_some()) {
                return None;
            }
            let ns = skip_ws(t, we);
            if ns == we {
                return None;
            }
            if let Ok((_, n)) = digit_number(&t[ns..]) {
                if !n.frac.is_empty() || next_char(t, ns + n.len).is_some_and(is_word_char) {
                    return None;
                }
                return RateBase::new(n.scaled(0)).map(|per| (per, ns + n.len));
            }
            if let Ok((rest, x)) = scale_word(&t[ns..]) {
                return RateBase::new(pow10(x)).map(|per| (per, t.len() - rest.len()));
            }
            return None;
        }
        if !all_lowercase(t, ws, w) {
            return None;
        }
        if next_char(t, we).is_some_and(|c| !is_ws(c)) {
            return None;
        }
        if let Some(slot) = passed.get_mut(n) {
            *slot = w;
        }
        k = we;
    }
    None
}

/// Whether every char of `w`, the word at byte `at` of `t`, is lower case. A word of at
/// most eight ASCII bytes (most words after a figure) is read as one eight-byte word
/// from the text, not char by char.
#[inline]
fn all_lowercase(t: &str, at: usize, w: &str) -> bool {
    let n = w.len();
    if (1..=8).contains(&n)
        && let Some(chunk) = t
            .as_bytes()
            .get(at..at + 8)
            .and_then(|c| c.first_chunk::<8>())
    {
        let x = u64::from_le_bytes(*chunk);
        // The high bits of the word's lanes, the first `n`.
        let lanes = HIGH >> (8 * (8 - n));
        if x & lanes == 0 {
            return ascii_in_range(x, b'a', b'z') & lanes == lanes;
        }
    }
    w.chars().all(char::is_lowercase)
}

/// A number written in words.
struct WordNum {
    value: u64,
    end: usize,
    ordinal: bool,
    /// Power of ten of a trailing scale word with nothing after it ("three million" = 6).
    exp: i32,
    words: usize,
}

/// Below one hundred: "six", "twenty-one", "twenty one", "fifty-ninth", "twenty- first".
fn below_hundred(t: &str, i: usize) -> Option<(u64, usize, bool)> {
    let (w, e) = word_at(t, i)?;
    if let Some(v) = card_value(w) {
        if v >= 20 {
            let k = if t[e..].starts_with('-') {
                Some(skip_ws(t, e + 1))
            } else {
                let k = skip_ws(t, e);
                (k > e).then_some(k)
            };
            if let Some(k) = k
                && let Some((w2, e2)) = word_at(t, k)
            {
                if let Some(u) = card_value(w2).filter(|u| (1..=9).contains(u)) {
                    return Some((v + u, e2, false));
                }
                if let Some(u) = ord_value(w2).filter(|u| (1..=9).contains(u)) {
                    return Some((v + u, e2, true));
                }
            }
        }
        return Some((v, e, false));
    }
    ord_value(w).map(|v| (v, e, true))
}

/// " and five", " five" after "hundred"/"thousand".
fn remainder(t: &str, e: usize) -> Option<(u64, usize, bool)> {
    let (k, w, we) = next_word(t, e)?;
    if w.eq_ignore_ascii_case("and") {
        let (k2, _, _) = next_word(t, we)?;
        return below_hundred(t, k2);
    }
    below_hundred(t, k)
}

/// A full number in words from `i`.
fn word_number(t: &str, i: usize) -> Option<WordNum> {
    let (mut v, mut e, ord) = below_hundred(t, i)?;
    let mut words = 1;
    if ord {
        return Some(WordNum {
            value: v,
            end: e,
            ordinal: true,
            exp: 0,
            words,
        });
    }
    let mut exp = 0;
    if (1..=9).contains(&v)
        && let Some((_, w, we)) = next_word(t, e)
    {
        if w.eq_ignore_ascii_case("hundred") {
            v *= 100;
            e = we;
            words += 1;
            if let Some((r, re, rord)) = remainder(t, e) {
                v += r;
                e = re;
                words += 1;
                if rord {
                    return Some(WordNum {
                        value: v,
                        end: e,
                        ordinal: true,
                        exp: 0,
                        words,
                    });
                }
            }
        } else if w.eq_ignore_ascii_case("hundredth") {
            return Some(WordNum {
                value: v * 100,
                end: we,
                ordinal: true,
                exp: 0,
                words: 2,
            });
        }
    }
    if (1..=999).contains(&v)
        && let Some((_, w, we)) = next_word(t, e)
    {
        // Compared in place: lower-casing the word into a new string cost an allocation
        // for every number word.
        let x = [("thousand", 3), ("million", 6), ("billion", 9)]
            .into_iter()
            .find_map(|(scale, x)| w.eq_ignore_ascii_case(scale).then_some(x))
            .unwrap_or(0);
        if x > 0 {
            v *= 10u64.pow(x as u32);
            e = we;
            words += 1;
            exp = x;
            if x == 3
                && let Some((r, re, false)) = remainder(t, e)
            {
                v += r;
                e = re;
                exp = 0;
            }
        }
    }
    Some(WordNum {
        value: v,
        end: e,
        ordinal: false,
        exp,
        words,
    })
}

#[cfg(test)]
mod all_lowercase_tests {
    use proptest::prelude::*;

    proptest! {
        /// The eight-byte test answers as asking every char, for words of ASCII and
        /// other letters, short and long, at the end of the text or not.
        #[test]
        fn all_lowercase_answers_as_every_char(
            head in "[ a]{0,3}",
            w in "[a-zA-Zéÿ]{1,12}",
            tail in "[ ,a-z]{0,10}",
        ) {
            let t = format!("{head}{w}{tail}");
            prop_assert_eq!(
                super::all_lowercase(&t, head.len(), &w),
                w.chars().all(char::is_lowercase),
                "{:?}", t
            );
        }
    }
}

#[cfg(test)]
mod rate_tests {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// The walk that reads short ASCII words from one load finds what the walk by
        /// `next_word` found, from every byte: long words, capitals, other letters, marks
        /// and line breaks between them, and the text's end.
        #[test]
        fn rate_walk_answers_as_before(
            parts in prop::collection::vec(
                (
                    prop::sample::select(&[" ", "", "\n", "  ", "\u{a0}", ",", "-"][..]),
                    prop::sample::select(&[
                        "per", "Per", "PER", "pers", "live", "births", "cases", "women",
                        "inhabitants", "ninety", "two", "thousand", "million", "1,000", "100",
                        "2.5", "5x", "é", "café", "naïve", "Live", "abcdefgh", "abcdefg",
                        "x", "(", "per\u{e9}",
                    ][..]),
                ),
                0..6,
            ),
        ) {
            let text: String = parts.iter().flat_map(|(s, w)| [*s, *w]).collect();
            for k in (0..=text.len()).filter(|&k| text.is_char_boundary(k)) {
                prop_assert_eq!(
                    super::rate(&text, k),
                    super::rate_reference(&text, k),
                    "{:?} at {}", text, k
                );
            }
        }
    }
}

#[cfg(test)]
mod first_after_ws_tests {
    use proptest::prelude::*;

    /// `first_after_ws` before its fast path.
    fn first_after_ws_reference(t: &str, i: usize) -> (Option<char>, bool) {
        let j = super::skip_ws(t, i);
        (
            super::next_char(t, j).map(|c| c.to_ascii_lowercase()),
            j > i,
        )
    }

    proptest! {
        /// The fast path answers as skipping whitespace and decoding do, at every byte
        /// (char boundary or not) and past the end.
        #[test]
        fn first_after_ws_answers_as_before(text in "[ \t\n\u{b}\u{a0}\u{202f}aZ%9é₸]{0,8}") {
            for i in 0..=text.len() + 1 {
                prop_assert_eq!(super::first_after_ws(&text, i), first_after_ws_reference(&text, i), "{:?} at {}", text, i);
            }
        }
    }
}

#[cfg(test)]
mod currency_prefix_tests {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The byte test in front of the walk turns away no number the walk gives a
        /// prefix, at every char boundary of texts of signs, codes, spaces of each kind
        /// and other bytes.
        #[test]
        fn currency_prefix_answers_as_the_walk(
            parts in prop::collection::vec(
                prop::sample::select(&[
                    " ", "  ", "\u{a0}", "\u{202f}", "$", "US$", "US", "€", "£", "₸", "USD",
                    "EUR", "KZT", "RUB", "XUSD", "usd", "D", "B", "5", "1,000", "a", "é", "\n",
                    "(", "—",
                ][..]),
                0..7,
            ),
        ) {
            let text: String = parts.concat();
            for k in (0..=text.len()).filter(|&k| text.is_char_boundary(k)) {
                prop_assert_eq!(
                    super::currency_prefix(&text, k),
                    super::currency_prefix_walk(&text, k),
                    "{:?} at {}", text, k
                );
            }
        }
    }
}

#[cfg(test)]
mod may_start_month_tests {
    use super::{month, ws1, year4};
    use nom::Parser;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Wherever the date grammar after a day number (`ws1`, a month, `ws1`, a year)
        /// matches, the two-byte gate lets it through: from every byte of text made of
        /// Unicode spaces, month names and their near misses, digits and marks.
        #[test]
        fn month_gate_lets_every_date_through(
            parts in prop::collection::vec(
                prop::sample::select(&[
                    " ", "  ", "\n", "\t", "\u{a0}", "\u{202f}", "\u{2003}", "\u{3000}",
                    "October", "october", "OCT", "May", "mays", "June", "Dec", "December",
                    "January", "feb", "Sept", "2021", "1999", "12", "x", ",", ".", "é", "Ω",
                ][..]),
                0..7,
            ),
        ) {
            let text: String = parts.concat();
            for k in (0..=text.len()).filter(|&k| text.is_char_boundary(k)) {
                let parsed = (ws1, month, ws1, year4).parse(&text[k..]).is_ok();
                if parsed {
                    prop_assert!(super::may_start_month(text.as_bytes(), k), "{:?} at {}", text, k);
                }
            }
        }
    }

    /// The gate is not always open: a number followed by a mark, a letter that starts no
    /// month, or nothing is turned away, and a real date is let through.
    #[test]
    fn month_gate_turns_away_what_cannot_be_a_date() {
        for (t, open) in [
            ("12 October 2021", true),
            ("12\u{a0}May 2020", true),
            ("12  june 2020", true),
            ("12, and", false),
            ("12 people", false),
            ("12%", false),
            ("12", false),
            ("12 ", false),
        ] {
            assert_eq!(super::may_start_month(t.as_bytes(), 2), open, "{t:?}");
        }
    }
}
