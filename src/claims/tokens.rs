//! Tokens: the text between figures cut into words, punctuation and sentence stops.
//!
//! Claim patterns match over this stream, so line breaks, spacing and masked page
//! furniture never matter: whitespace is not a token at all.

use crate::figures::Figure;
use crate::limits::MAX_SENTENCE_TOKENS;
use crate::source::Span;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A run of letters, digits not parsed as figures, apostrophes inside words.
    Word,
    /// A figure, by index into the figure list.
    Figure(usize),
    /// One punctuation character.
    Punct(char),
    /// The end of a sentence (`.`, `?`, `!` followed by space and a capital, or the end).
    Stop,
}

/// One token with its span in the original file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What the token is.
    pub kind: TokenKind,
    /// Where it is.
    pub span: Span,
}

/// Abbreviations whose period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "no", "nos", "art", "arts", "para", "paras", "mr", "mrs", "ms", "dr", "st", "vs", "e.g", "i.e",
    "etc", "approx", "incl", "fig", "vol", "p", "pp", "op", "cit", "cf", "ch", "sect", "dept",
    "govt", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.n",
];

/// Bytes in the longest of [`ABBREVIATIONS`] ("approx"), and at least the four of one
/// character.
const MAX_ABBREVIATION_LEN: usize = 6;
// One character is up to four bytes.
const _: () = assert!(MAX_ABBREVIATION_LEN >= 4);

fn is_word_char(c: char) -> bool {
    // General Punctuation (curly quotes, dashes, special spaces) holds no letter or digit:
    // the commonest non-ASCII characters of a report are told without the Unicode tables.
    if GENERAL_PUNCTUATION.contains(&c) {
        return false;
    }
    c.is_alphanumeric() || c == '_'
}

/// The General Punctuation block, which holds no alphanumeric character.
const GENERAL_PUNCTUATION: std::ops::RangeInclusive<char> = '\u{2000}'..='\u{206F}';

/// Cut `text` (the masked scan text) into tokens, with `figures` (sorted, non-overlapping)
/// taking the place of the bytes they cover.
pub fn tokenize(text: &str, figures: &[Figure]) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 6);
    let mut lx = Lexer::new(text, figures);
    while let Some(t) = lx.next_token() {
        tokens.push(t);
    }
    tokens
}

/// Call `f` with the tokens of every sentence that contains a figure, in order: from the
/// token after the previous stop up to and including the sentence's own stop (or the last
/// token of the text). The tokens are exactly those [`tokenize`] gives for that stretch.
///
/// Claim patterns never match across a stop, so sentences without figures can hold no
/// claim; they are skipped without being tokenized, and only one sentence's tokens are
/// held at a time. A sentence of more than [`MAX_SENTENCE_TOKENS`] tokens comes in
/// pieces of that many (no claim spans two pieces).
pub fn for_each_figure_sentence(text: &str, figures: &[Figure], mut f: impl FnMut(&[Token])) {
    for_each_figure_sentence_with(text, figures, |tokens, _| f(tokens));
}

/// [`for_each_figure_sentence`], also handing over the figures the tokenizer passed in
/// each sentence: every figure among its tokens, in a slice known without a look at
/// them (with, besides, any figure overlapping an earlier one, which no token holds).
pub(crate) fn for_each_figure_sentence_with<'f>(
    text: &str,
    figures: &'f [Figure],
    mut f: impl FnMut(&[Token], &'f [Figure]),
) {
    let mut lx = Lexer::new(text, figures);
    let mut buf = Vec::new();
    // Invariant at the top: `lx` sits just after a stop (or at the start), which is a
    // restart point, unless the last piece was cut short.
    let mut cut = false;
    while let Some(next_fig) = figures.get(lx.next_fig) {
        let fig_start = next_fig.span().start;
        // After a cut, the sentence goes on from where it was cut: looking back for a
        // stop before the next figure would scan the same long stretch once per piece.
        if !cut && let Some(after_stop) = last_stop_before(&lx, fig_start) {
            lx.restart(after_stop);
        }
        buf.clear();
        let first_fig = lx.next_fig;
        // A run with no stop for thousands of tokens is handed over in pieces, so that
        // memory and matching stay bounded (the next piece goes on from here).
        lx.fill_sentence(&mut buf, MAX_SENTENCE_TOKENS);
        let Some(last) = buf.last() else {
            break;
        };
        cut = last.kind != TokenKind::Stop && buf.len() >= MAX_SENTENCE_TOKENS;
        // The next figure's sentence is read next: its bytes are asked for now, so that
        // the memory loads overlap each other and the matching of this sentence, instead
        // of each stalling the tokenizer in turn (its next position depends on the byte
        // it waits for). On a large file the scanner read these bytes long ago.
        if let Some(next) = figures.get(lx.next_fig) {
            let at = next.span().start;
            touch(
                lx.text.as_bytes(),
                at.saturating_sub(TOUCH_BEFORE),
                at + TOUCH_AFTER,
            );
        }
        f(
            &buf,
            figures.get(first_fig..lx.next_fig).unwrap_or_default(),
        );
    }
}

/// How far before a figure [`for_each_figure_sentence_with`] asks for the text in
/// advance: the stretch that [`last_stop_before`] searches back over, in most sentences.
const TOUCH_BEFORE: usize = 128;

/// How far after a figure's start the text is asked for in advance: the rest of most
/// sentences.
const TOUCH_AFTER: usize = 192;

/// Read one byte of every cache line of `bytes[from..to]`, to no purpose but to have the
/// lines loaded: the loads do not depend on each other, so the processor waits for them
/// together. (Safe Rust has no prefetch instruction; a load whose value is never used
/// would be dropped, hence the `black_box`.)
///
/// The loads still hold up the processor where they are made (about half of what
/// they save elsewhere, in `perf`); asking for 1 or 2 KiB ahead at a time, so that it
/// waits once every few sentences, measured no better.
fn touch(bytes: &[u8], from: usize, to: usize) {
    const LINE: usize = 64;
    let mut seen = 0u8;
    let mut at = from;
    while let Some(&b) = bytes.get(at).filter(|_| at < to) {
        seen ^= b;
        at += LINE;
    }
    std::hint::black_box(seen);
}

/// The figures from the first to the last one among `tokens`: every figure the tokens
/// hold is there (figures come in text order), so a sentence with none of a kind among
/// them holds none. Found from the two ends, without a pass over every token, so that an
/// extractor can tell at once that a sentence cannot hold its shape.
pub(crate) fn figures_within<'f>(tokens: &[Token], figures: &'f [Figure]) -> &'f [Figure] {
    let fig = |t: &Token| match t.kind {
        TokenKind::Figure(fi) => Some(fi),
        _ => None,
    };
    match (
        tokens.iter().find_map(fig),
        tokens.iter().rev().find_map(fig),
    ) {
        (Some(a), Some(b)) => figures.get(a..=b).unwrap_or_default(),
        _ => &[],
    }
}

/// Where a sentence stop falls last in `lx.pos..limit` (which holds no figure), as the
/// byte after it; `None` when there is none. Only the few bytes around each `.`, `?` and
/// `!` are tokenized, from the nearest ASCII whitespace before it: the tokenizer keeps no
/// state across whitespace outside figures, so that gives the same tokens as a full run.
fn last_stop_before(lx: &Lexer<'_>, limit: usize) -> Option<usize> {
    /// Past this distance to a restart point, one forward pass is cheaper than probing.
    const MAX_PROBE: usize = 256;
    let bytes = lx.text.as_bytes();
    let lo = lx.pos;
    let mut hi = limit.min(bytes.len());
    while hi > lo {
        let c = lo + memchr::memrchr3(b'.', b'?', b'!', &bytes[lo..hi])?;
        if cannot_end_sentence(bytes, c + 1) {
            hi = c;
            continue;
        }
        // The commonest case, told without tokenizing: the mark ends a word of two or
        // more ASCII letters that starts after ASCII whitespace or at `lo` (then neither
        // a `.` nor the others join it to more, and the word is all `ends_sentence`
        // needs). The word is walked back over byte by byte: it is a few bytes long, and
        // a memrchr3 for the space before it cost more in setting up than in searching.
        let start = c - ascii_letters_ending_at(&bytes[lo..c]);
        let after_space = start == lo || is_probe_space(bytes[start - 1]);
        if after_space && c - start >= 2 {
            if ends_sentence(lx.text, Some(Span::new(start, c)), c, 1) {
                return Some(c + 1);
            }
            hi = c;
            continue;
        }
        // The last ASCII whitespace before the mark (none among the letters just walked).
        let from = if after_space {
            start.checked_sub(1).filter(|&k| k >= lo).unwrap_or(lo)
        } else {
            bytes[lo..start]
                .iter()
                .rposition(|&b| is_probe_space(b))
                .map_or(lo, |k| lo + k)
        };
        if c - from > MAX_PROBE {
            return forward_last_stop(lx, limit);
        }
        let mut probe = lx.clone();
        probe.restart(from);
        while let Some(t) = probe.next_token() {
            if t.span.end > c {
                if t.span.start == c && t.kind == TokenKind::Stop {
                    return Some(t.span.end);
                }
                break;
            }
        }
        hi = c;
    }
    None
}

/// [`last_stop_before`] as it was, with a memrchr3 for the whitespace before each mark
/// and a forward count of the letters after it: the oracle it is tested against.
#[cfg(test)]
fn last_stop_before_reference(lx: &Lexer<'_>, limit: usize) -> Option<usize> {
    const MAX_PROBE: usize = 256;
    let bytes = lx.text.as_bytes();
    let lo = lx.pos;
    let mut hi = limit.min(bytes.len());
    while hi > lo {
        let c = lo + memchr::memrchr3(b'.', b'?', b'!', &bytes[lo..hi])?;
        if cannot_end_sentence(bytes, c + 1) {
            hi = c;
            continue;
        }
        let space = memchr::memrchr3(b' ', b'\n', b'\t', &bytes[lo..c]).map(|k| lo + k);
        let start = space.map_or(lo, |k| k + 1);
        if c - start >= 2 && crate::swar::letters_from(&bytes[..c], start) == c - start {
            if ends_sentence(lx.text, Some(Span::new(start, c)), c, 1) {
                return Some(c + 1);
            }
            hi = c;
            continue;
        }
        let from = space.unwrap_or(lo);
        if c - from > MAX_PROBE {
            return forward_last_stop(lx, limit);
        }
        let mut probe = lx.clone();
        probe.restart(from);
        while let Some(t) = probe.next_token() {
            if t.span.end > c {
                if t.span.start == c && t.kind == TokenKind::Stop {
                    return Some(t.span.end);
                }
                break;
            }
        }
        hi = c;
    }
    None
}

/// How many ASCII letters end `bytes`.
fn ascii_letters_ending_at(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphabetic())
        .count()
}

/// The whitespace [`last_stop_before`] restarts a probe after: the tokenizer keeps no
/// state across it.
fn is_probe_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\t')
}

/// True when what follows a `.`, `?` or `!` ending at `after` shows it cannot be a stop,
/// whatever the tokens before it: the next non-space character (past ASCII whitespace) is
/// a lower-case ASCII letter, `,` or `;` (see [`ends_sentence`]). Either the mark sits
/// inside a word or it is plain punctuation.
fn cannot_end_sentence(bytes: &[u8], after: usize) -> bool {
    let rest = bytes.get(after..).unwrap_or_default();
    first_past_space(rest, ascii_space_lanes, |b| b.is_ascii_whitespace())
        .is_some_and(continues_sentence)
}

/// Whether ASCII byte `b`, first after a `.`, `?` or `!` and the whitespace after it,
/// shows the sentence goes on: a lower-case letter, `,` or `;`.
#[inline(always)]
fn continues_sentence(b: u8) -> bool {
    b.is_ascii_lowercase() || b == b',' || b == b';'
}

/// The first byte of `rest` that is no whitespace, where `space_lanes` marks the
/// whitespace of eight bytes (the high bit of each lane) and `is_space` tells one byte,
/// the same whitespace. The first eight bytes are told at once: a loop over the space
/// and line breaks after a mark ended at a place the processor mispredicted.
#[inline(always)]
fn first_past_space(
    rest: &[u8],
    space_lanes: impl Fn(u64) -> u64,
    is_space: impl Fn(u8) -> bool,
) -> Option<u8> {
    if let Some(eight) = rest.first_chunk::<8>() {
        let other = !space_lanes(u64::from_le_bytes(*eight)) & crate::swar::HIGH;
        if other != 0 {
            return eight.get((other.trailing_zeros() / 8) as usize).copied();
        }
    }
    rest.iter().copied().find(|&b| !is_space(b))
}

/// The high bit of each byte lane of `x` that holds ASCII whitespace as
/// `u8::is_ascii_whitespace` has it: tab, line feed, form feed, carriage return and
/// space (not the vertical tab).
#[inline(always)]
fn ascii_space_lanes(x: u64) -> u64 {
    use crate::swar::ascii_in_range;
    ascii_in_range(x, b'\t', b'\n') | ascii_in_range(x, 0x0C, b'\r') | ascii_in_range(x, b' ', b' ')
}

/// [`last_stop_before`] by tokenizing the whole stretch.
fn forward_last_stop(lx: &Lexer<'_>, limit: usize) -> Option<usize> {
    let mut probe = lx.clone();
    let mut last = None;
    while probe.pos < limit {
        let Some(t) = probe.next_token() else { break };
        if t.span.start >= limit {
            break;
        }
        if t.kind == TokenKind::Stop {
            last = Some(t.span.end);
        }
    }
    last
}

/// The tokenizer as a cursor, so that callers can tokenize only parts of the text.
#[derive(Clone)]
struct Lexer<'a> {
    text: &'a str,
    figures: &'a [Figure],
    /// Next byte to look at.
    pos: usize,
    /// First figure not yet passed.
    next_fig: usize,
    /// Where the last token given out was, when it was a word: a `.` right after an
    /// abbreviation does not end a sentence. Only this is kept (not the whole token)
    /// because it is written for every token.
    prev_word: Option<Span>,
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str, figures: &'a [Figure]) -> Self {
        Lexer {
            text,
            figures,
            pos: 0,
            next_fig: 0,
            prev_word: None,
        }
    }

    /// Continue at `pos` (at or after the current position), which must be outside every token: ASCII whitespace outside
    /// figures, or just after a figure or a stop. No token before it can affect the ones
    /// after (only a word ending right at a `.` does), so the cursor starts afresh.
    fn restart(&mut self, pos: usize) {
        self.pos = pos;
        self.prev_word = None;
        // Linear, not a binary search: callers only move forward within a stretch that
        // holds no figure, so this loop almost never runs, while a search over all the
        // remaining figures would miss the cache every time.
        while self
            .figures
            .get(self.next_fig)
            .is_some_and(|f| f.span().start < pos)
        {
            self.next_fig += 1;
        }
    }

    fn emit(&mut self, kind: TokenKind, span: Span) -> Option<Token> {
        self.prev_word = (kind == TokenKind::Word).then_some(span);
        Some(Token { kind, span })
    }

    /// The next token, or `None` at the end of the text.
    #[inline(always)]
    fn next_token(&mut self) -> Option<Token> {
        let text = self.text;
        let bytes = text.as_bytes();
        let figures = self.figures;
        while self.pos < bytes.len() {
            let i = self.pos;
            // Figures take the place of their bytes.
            while self.next_fig < figures.len() && figures[self.next_fig].span().start <= i {
                let fi = self.next_fig;
                self.next_fig += 1;
                let span = figures[fi].span();
                if span.end > i {
                    self.pos = span.end;
                    return self.emit(TokenKind::Figure(fi), span);
                }
            }
            let limit = figures
                .get(self.next_fig)
                .map_or(bytes.len(), |f| f.span().start);
            if i >= limit {
                continue;
            }
            let b = bytes[i];
            // ASCII fast path: most report text is ASCII.
            if b < 0x80 {
                if b.is_ascii_whitespace() {
                    // Whole runs of spaces at once: no figure starts before `limit`.
                    let run = bytes[i + 1..limit]
                        .iter()
                        .position(|b| !b.is_ascii_whitespace())
                        .unwrap_or(limit - i - 1);
                    self.pos = i + 1 + run;
                    continue;
                }
                if WORD_BYTE[usize::from(b)] {
                    let end = word_end(text, i, limit);
                    self.pos = end;
                    return self.emit(TokenKind::Word, Span::new(i, end));
                }
                self.pos = i + 1;
                return self.punct(i, b as char);
            }
            let c = text[i..].chars().next()?;
            if c.is_whitespace() {
                self.pos = i + c.len_utf8();
            } else if is_word_char(c) {
                let end = word_end(text, i, limit);
                self.pos = end;
                return self.emit(TokenKind::Word, Span::new(i, end));
            } else {
                self.pos = i + c.len_utf8();
                return self.punct(i, c);
            }
        }
        None
    }

    /// Append to `buf` the tokens [`Lexer::next_token`] would give, up to and including
    /// the next sentence stop, until `buf` holds `max` tokens or the text ends.
    ///
    /// The same tokens as calling `next_token` in a loop, in one tight loop: the next
    /// figure's start is looked up once per figure, not once per token, spaces are
    /// skipped without leaving the loop, and the word before a `.` is read back from
    /// `buf` instead of being recorded at every token.
    ///
    /// Tried on this loop and measured no faster in wall time on varied prose, so
    /// dropped (task-clock, alternating runs on 10 MB, min and median of 40 to 100
    /// each): the whitespace after a word found in the word's own 16-byte vector
    /// (cachegrind mispredicts 5.71 -> 5.52 M, but instructions 521 -> 532 M); spaces
    /// after marks and figures stepped over by one 8-byte load instead of a round
    /// through the dispatch each (a third of all rounds; mispredicts -2.6 %,
    /// instructions +1.2 %); and the words of one 16-byte window ended from one mask
    /// without a load per word, to shorten the chain from one word's end to the next
    /// one's start (the window's end became a branch: mispredicts +4.6 %). The
    /// simulated mispredicts that fell did not show in wall time.
    fn fill_sentence(&mut self, out: &mut Vec<Token>, max: usize) {
        // Filled as a local: pushing through `out` would load and store its length
        // through memory at every token.
        let mut buf = std::mem::take(out);
        self.fill_sentence_into(&mut buf, max);
        *out = buf;
    }

    /// [`Lexer::fill_sentence`] on a local buffer.
    #[inline(always)]
    fn fill_sentence_into(&mut self, buf: &mut Vec<Token>, max: usize) {
        let text = self.text;
        let bytes = text.as_bytes();
        let figures = self.figures;
        let mut pos = self.pos;
        let mut next_fig = self.next_fig;
        // The word before the first token of `buf`, if it ended a previous call.
        let before = self.prev_word;
        let first = buf.len();
        'text: while pos < bytes.len() {
            // Figures take the place of their bytes.
            while let Some(f) = figures.get(next_fig)
                && f.span().start <= pos
            {
                next_fig += 1;
                if f.span().end > pos {
                    pos = f.span().end;
                    buf.push(Token {
                        kind: TokenKind::Figure(next_fig - 1),
                        span: f.span(),
                    });
                    if buf.len() >= max {
                        break 'text;
                    }
                    // Most figures are followed by one space: stepped over here, without
                    // a round through the dispatch below (whose test for a space the
                    // processor mispredicted at many of those rounds).
                    pos += usize::from(bytes.get(pos) == Some(&b' '));
                    continue 'text;
                }
            }
            let limit = figures
                .get(next_fig)
                .map_or(bytes.len(), |f| f.span().start);
            while pos < limit {
                let b = bytes[pos];
                let kind = match BYTE_CLASS[usize::from(b)] {
                    ByteClass::Space => {
                        // A line's end is a run (" \n\n", "\n\n "): stepped over whole,
                        // not one round of this dispatch per byte.
                        pos += space_run(bytes, pos);
                        continue;
                    }
                    ByteClass::Word => {
                        loop {
                            // The byte after the word as a plain number, with the end of
                            // the stretch as 256: an `Option<u8>` kept a flag alive in a
                            // register (or on the stack) through every word.
                            let (end, next) = match short_word(bytes, pos, limit) {
                                Some((end, b)) => (end, u32::from(b)),
                                None => {
                                    let (end, next) = word_end_and_next(text, pos, limit);
                                    (end, next.map_or(NO_BYTE, u32::from))
                                }
                            };
                            buf.push(Token {
                                kind: TokenKind::Word,
                                span: Span::new(pos, end),
                            });
                            // Most words are followed by one space: skipped here, without
                            // a round through the dispatch.
                            let space = next == u32::from(b' ');
                            if buf.len() >= max {
                                pos = end + usize::from(space);
                                break 'text;
                            }
                            if !space {
                                pos = end;
                                break;
                            }
                            pos = end + 1;
                            // And most of those by another word, started here too.
                            if pos >= limit
                                || !bytes.get(pos).is_some_and(|&b| WORD_BYTE[usize::from(b)])
                            {
                                break;
                            }
                        }
                        continue;
                    }
                    ByteClass::Mark if matches!(b, b'.' | b'?' | b'!') => {
                        let prev = if buf.len() > first {
                            word_span(buf.last())
                        } else {
                            before
                        };
                        if ends_sentence(text, prev, pos, 1) {
                            TokenKind::Stop
                        } else {
                            TokenKind::Punct(char::from(b))
                        }
                    }
                    ByteClass::Mark => TokenKind::Punct(char::from(b)),
                    ByteClass::Other => {
                        let Some(c) = text.get(pos..).and_then(|r| r.chars().next()) else {
                            break 'text;
                        };
                        if c.is_whitespace() {
                            pos += c.len_utf8();
                            continue;
                        }
                        if is_word_char(c) {
                            let end = word_end(text, pos, limit);
                            buf.push(Token {
                                kind: TokenKind::Word,
                                span: Span::new(pos, end),
                            });
                            pos = end;
                            if buf.len() >= max {
                                break 'text;
                            }
                            continue;
                        }
                        let prev = if buf.len() > first {
                            word_span(buf.last())
                        } else {
                            before
                        };
                        let kind = punct_kind(text, prev, pos, c);
                        buf.push(Token {
                            kind,
                            span: Span::new(pos, pos + c.len_utf8()),
                        });
                        pos += c.len_utf8();
                        if kind == TokenKind::Stop || buf.len() >= max {
                            break 'text;
                        }
                        continue;
                    }
                };
                buf.push(Token {
                    kind,
                    span: Span::new(pos, pos + 1),
                });
                pos += 1;
                if kind == TokenKind::Stop || buf.len() >= max {
                    break 'text;
                }
                // And so are most marks (", ", ": ", ") "): the same step.
                pos += usize::from((bytes.get(pos) == Some(&b' ')) & (pos < limit));
            }
        }
        self.pos = pos;
        self.next_fig = next_fig;
        if buf.len() > first {
            self.prev_word = word_span(buf.last());
        }
    }

    fn punct(&mut self, i: usize, c: char) -> Option<Token> {
        let span = Span::new(i, i + c.len_utf8());
        let kind = punct_kind(self.text, self.prev_word, i, c);
        self.emit(kind, span)
    }
}

/// The span of `t` when it is a word (the only kind of token a stop looks back at).
fn word_span(t: Option<&Token>) -> Option<Span> {
    t.filter(|t| t.kind == TokenKind::Word).map(|t| t.span)
}

/// The kind of the mark `c` at byte `i`, after the word `prev_word` (if any).
fn punct_kind(text: &str, prev_word: Option<Span>, i: usize, c: char) -> TokenKind {
    if matches!(c, '.' | '?' | '!') && ends_sentence(text, prev_word, i, c.len_utf8()) {
        TokenKind::Stop
    } else {
        TokenKind::Punct(normalise_punct(c))
    }
}

/// No byte: the word ends where the stretch does (see the word loop of
/// [`Lexer::fill_sentence`]).
const NO_BYTE: u32 = 256;

/// What a byte starts, for [`Lexer::fill_sentence`].
#[derive(Clone, Copy)]
enum ByteClass {
    /// ASCII whitespace: skipped.
    Space,
    /// An ASCII word byte (letter, digit, `_`): a word starts.
    Word,
    /// Any other ASCII byte: one punctuation mark.
    Mark,
    /// The first byte of a multi-byte character: decoded.
    Other,
}

/// [`ByteClass`] of every byte.
static BYTE_CLASS: [ByteClass; 256] = {
    let mut t = [ByteClass::Other; 256];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        t[i] = if b.is_ascii_whitespace() {
            ByteClass::Space
        } else if WORD_BYTE[i] {
            ByteClass::Word
        } else {
            ByteClass::Mark
        };
        i += 1;
    }
    t
};

/// How many ASCII whitespace bytes start at `pos`, where one is: up to eight, told from
/// one 8-byte load with no branch on the run's length (1 when fewer than eight bytes
/// are left). Whitespace never starts a figure, so the run ends before the next one.
#[inline(always)]
fn space_run(bytes: &[u8], pos: usize) -> usize {
    use crate::swar::HIGH;
    let Some(eight) = bytes.get(pos..).and_then(|r| r.first_chunk::<8>()) else {
        return 1;
    };
    let space = ascii_space_lanes(u64::from_le_bytes(*eight));
    // The first lane that is no whitespace; none (all eight are) gives 64 / 8.
    ((!space & HIGH).trailing_zeros() / 8) as usize
}

/// End of the word starting at `start`: letters and digits, plus an apostrophe or a dot
/// between letters ("women's", "e.g").
#[inline(always)]
fn word_end(text: &str, start: usize, limit: usize) -> usize {
    let bytes = text.as_bytes();
    let j = word_run_end(bytes, start, limit);
    // Most words end at a space or a mark that cannot join: done without the loop.
    match bytes.get(j) {
        Some(&b) if j < limit && (b >= 0x80 || b == b'\'' || b == b'.') => {
            word_end_from(text, start, j, limit)
        }
        _ => j,
    }
}

/// The end of the word starting at `pos` and the byte there, when the word is one to
/// fifteen ASCII letters followed, before `limit`, by a byte that neither continues nor
/// joins a word: most words of a report, told from one vector of sixteen bytes.
/// `None` leaves the word to [`word_end_and_next`], which gives the same for these.
///
/// Sixteen lanes at once, not eight and then eight more: whether a word had eight
/// letters or more was a branch the processor mispredicted at some 30 % of words.
#[inline(always)]
fn short_word(bytes: &[u8], pos: usize, limit: usize) -> Option<(usize, u8)> {
    use wide::u8x16;
    let sixteen = bytes.get(pos..)?.first_chunk::<16>()?;
    // Setting bit 5 folds capitals onto small letters (and no other byte onto one).
    let v = u8x16::new(*sixteen) | u8x16::splat(0x20);
    let other = !crate::swar::lanes_in_range(v, b'a', b'z') & 0xFFFF;
    // No lane is other than a letter: the word goes on past these.
    if other == 0 {
        return None;
    }
    let lane = other.trailing_zeros() as usize;
    let b = *sixteen.get(lane)?;
    let end = pos + lane;
    (end < limit && !MAY_GO_ON[usize::from(b)]).then_some((end, b))
}

/// Bytes after a run of letters that continue the word or may join it to more: ASCII
/// word bytes, `'`, `.` and every byte of a multi-byte character.
static MAY_GO_ON: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = WORD_BYTE[i] || i >= 0x80 || i == b'\'' as usize || i == b'.' as usize;
        i += 1;
    }
    t
};

/// [`word_end`], with the byte at the end when it comes before `limit`: the word loop
/// has that byte at hand, so the caller need not read it again.
#[inline(always)]
fn word_end_and_next(text: &str, start: usize, limit: usize) -> (usize, Option<u8>) {
    let bytes = text.as_bytes();
    match word_run_end_and_next(bytes, start, limit) {
        (j, Some(b)) if b >= 0x80 || b == b'\'' || b == b'.' => {
            let end = word_end_from(text, start, j, limit);
            (end, bytes.get(end).copied().filter(|_| end < limit))
        }
        done => done,
    }
}

/// [`word_end`] of the word starting at `start`, from `j` inside it on.
#[inline(never)]
fn word_end_from(text: &str, start: usize, mut j: usize, limit: usize) -> usize {
    let bytes = text.as_bytes();
    while j < limit {
        // The run of ASCII word bytes, eight at a time: one branch per eight bytes
        // instead of one per byte, whose exit the processor would mispredict at the end
        // of nearly every word.
        j = word_run_end(bytes, j, limit);
        let Some(&b) = bytes.get(j).filter(|_| j < limit) else {
            break;
        };
        // Most words end at a space or a mark that cannot join: done.
        if b < 0x80 && b != b'\'' && b != b'.' {
            break;
        }
        // ASCII needs no decoding; `j` is always on a character boundary.
        let d = if b < 0x80 {
            char::from(b)
        } else {
            let Some(d) = text.get(j..).and_then(|r| r.chars().next()) else {
                break;
            };
            if is_word_char(d) {
                j += d.len_utf8();
                continue;
            }
            d
        };
        let joiner = d == '\'' || d == '’' || (d == '.' && j - start == 1);
        let after = j + d.len_utf8();
        if joiner && after < limit && starts_alphabetic(text, after) {
            j = after;
            continue;
        }
        break;
    }
    j
}

/// The first byte at or after `j` (and before `limit`) that is not an ASCII word byte
/// (letter, digit, `_`), or `limit`.
#[inline]
fn word_run_end(bytes: &[u8], mut j: usize, limit: usize) -> usize {
    while j < limit {
        let Some(eight) = bytes.get(j..j + 8).and_then(|b| b.first_chunk::<8>()) else {
            // The last few bytes of the text: one at a time.
            return j + bytes[j..limit]
                .iter()
                .position(|&b| !WORD_BYTE[usize::from(b)])
                .unwrap_or(limit - j);
        };
        let x = u64::from_le_bytes(*eight);
        // Letters first (one range test, not three): the first byte that is not one
        // ends the word unless it is a digit or `_`, which only then costs the full test.
        let mut other = !letter_lanes(x) & crate::swar::HIGH;
        if other != 0 && WORD_BYTE[usize::from(eight[(other.trailing_zeros() / 8) as usize])] {
            other = non_word_lanes(x);
        }
        if other != 0 {
            return (j + (other.trailing_zeros() / 8) as usize).min(limit);
        }
        j += 8;
    }
    limit
}

/// [`word_run_end`], with the byte there when it comes before `limit`.
#[inline]
fn word_run_end_and_next(bytes: &[u8], mut j: usize, limit: usize) -> (usize, Option<u8>) {
    while j < limit {
        let Some(eight) = bytes.get(j..j + 8).and_then(|b| b.first_chunk::<8>()) else {
            // The last few bytes of the text: one at a time.
            let end = j + bytes[j..limit]
                .iter()
                .position(|&b| !WORD_BYTE[usize::from(b)])
                .unwrap_or(limit - j);
            return (end, bytes.get(end).copied().filter(|_| end < limit));
        };
        let x = u64::from_le_bytes(*eight);
        // As in `word_run_end`: letters first, the full test only past a digit or `_`.
        let mut other = !letter_lanes(x) & crate::swar::HIGH;
        if other != 0 && WORD_BYTE[usize::from(eight[(other.trailing_zeros() / 8) as usize])] {
            other = non_word_lanes(x);
        }
        if other != 0 {
            let lane = (other.trailing_zeros() / 8) as usize;
            let end = j + lane;
            return if end < limit {
                (end, eight.get(lane).copied())
            } else {
                (limit, None)
            };
        }
        j += 8;
    }
    (limit, None)
}

/// The high bit of each byte lane of `x` that does not hold an ASCII word byte. Out of
/// line and cold: only a word with a digit or `_` in it needs the full test, and inlined
/// the compiler would work it out for every word, without a branch.
#[cold]
#[inline(never)]
fn non_word_lanes(x: u64) -> u64 {
    !word_lanes(x) & crate::swar::HIGH
}

/// The high bit of each byte lane of `x` that holds an ASCII letter.
#[inline]
fn letter_lanes(x: u64) -> u64 {
    use crate::swar::{ONES, ascii_in_range};
    // Setting bit 5 folds capitals onto small letters (and no other byte onto a letter).
    ascii_in_range(x | (ONES * 0x20), b'a', b'z')
}

/// The high bit of each byte lane of `x` that holds an ASCII word byte: a letter, a digit
/// or `_`.
#[inline]
fn word_lanes(x: u64) -> u64 {
    use crate::swar::{ONES, ascii_in_range};
    // Setting bit 5 folds capitals onto small letters (and no other byte onto a letter);
    // it leaves bit 7, the ASCII test, alone.
    ascii_in_range(x | (ONES * 0x20), b'a', b'z')
        | ascii_in_range(x, b'0', b'9')
        | ascii_in_range(x, b'_', b'_')
}

/// True when the character at byte `at` is alphabetic.
fn starts_alphabetic(text: &str, at: usize) -> bool {
    match text.as_bytes().get(at) {
        Some(&b) if b < 0x80 => b.is_ascii_alphabetic(),
        _ => text
            .get(at..)
            .and_then(|r| r.chars().next())
            .is_some_and(char::is_alphabetic),
    }
}

/// ASCII bytes that are word characters (letters, digits, `_`), as a table: the word loop
/// is the tokenizer's hottest.
static WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || b == b'_';
        i += 1;
    }
    t
};

/// Curly quotes and dashes compare as their plain forms in patterns.
fn normalise_punct(c: char) -> char {
    match c {
        '“' | '”' | '«' | '»' => '"',
        '‘' | '’' => '\'',
        '–' | '—' | '−' => '-',
        c => c,
    }
}

/// [`ABBREVIATIONS`] packed as [`is_abbreviation_at`] packs a word, sorted: a word is looked
/// up by one binary search over numbers, not a comparison with each string (every `.`
/// after a short word asks).
static ABBREVIATION_KEYS: [u64; ABBREVIATIONS.len()] = {
    let mut keys = [0u64; ABBREVIATIONS.len()];
    let mut i = 0;
    while i < keys.len() {
        let a = ABBREVIATIONS[i].as_bytes();
        let mut key = 0u64;
        let mut j = 0;
        while j < a.len() {
            key |= (a[j] as u64) << (8 * j);
            j += 1;
        }
        keys[i] = key;
        i += 1;
    }
    // Insertion sort: a few dozen keys, once, at compile time.
    let mut i = 1;
    while i < keys.len() {
        let mut j = i;
        while j > 0 && keys[j - 1] > keys[j] {
            let t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
            j -= 1;
        }
        i += 1;
    }
    keys
};

/// True when `w` is one of [`ABBREVIATIONS`], ignoring ASCII case.
fn is_abbreviation(w: &[u8]) -> bool {
    is_abbreviation_at(w, 0, w.len())
}

/// [`is_abbreviation`] of the `len` bytes at `start` of `bytes`, read with one load from
/// the text: the word alone is shorter than a load, and padding it took a copy. Its key
/// is the word as a little-endian number, zero-padded, with ASCII capitals lower-cased:
/// equal keys are equal words ignoring ASCII case (no word holds a zero byte).
fn is_abbreviation_at(bytes: &[u8], start: usize, len: usize) -> bool {
    let word = crate::swar::load8(bytes, start) & (u64::MAX >> (64 - 8 * len.clamp(1, 8)));
    let key = crate::swar::ascii_lowercase(word);
    // Most words before a `.` share no length and first letter with any abbreviation:
    // told by one table bit, without the binary search.
    let first = (key as u8).wrapping_sub(b'a');
    len <= MAX_ABBREVIATION_LEN
        && first < 26
        && ABBREVIATION_FIRST_LETTERS[len] >> first & 1 != 0
        && ABBREVIATION_KEYS.binary_search(&key).is_ok()
}

/// For each length of word, bit `k` set when an abbreviation of that length starts with
/// the `k`-th small letter.
static ABBREVIATION_FIRST_LETTERS: [u32; MAX_ABBREVIATION_LEN + 1] = {
    let mut t = [0u32; MAX_ABBREVIATION_LEN + 1];
    let mut i = 0;
    while i < ABBREVIATIONS.len() {
        let a = ABBREVIATIONS[i].as_bytes();
        t[a.len()] |= 1 << (a[0] - b'a');
        i += 1;
    }
    t
};

/// A `.` ends a sentence unless it follows an abbreviation or is followed by a lower-case
/// word or a digit (as in "No. 5" or an ellipsis continuing the sentence).
///
/// The same answer as [`ends_sentence_by_chars`], without decoding characters where the
/// text is ASCII: every `.`, `?` and `!` of the text asks, and the general path (string
/// slicing, Unicode `trim_start`, a character count) cost some 160 instructions a call.
fn ends_sentence(text: &str, prev_word: Option<Span>, at: usize, clen: usize) -> bool {
    let bytes = text.as_bytes();
    if bytes.get(at) == Some(&b'.')
        && let Some(prev) = prev_word
        && prev.end == at
    {
        let Some(w) = bytes.get(prev.start..prev.end) else {
            return ends_sentence_by_chars(text, prev_word, at, clen);
        };
        if w.len() <= MAX_ABBREVIATION_LEN {
            // ASCII or not, told from one 8-byte load: `is_ascii` looped over the word's
            // bytes, and ended at a place the processor mispredicted.
            let in_word = (1u64 << (8 * w.len())) - 1;
            if crate::swar::load8(bytes, prev.start) & crate::swar::HIGH & in_word != 0 {
                return ends_sentence_by_chars(text, prev_word, at, clen);
            }
            if is_abbreviation_at(bytes, prev.start, w.len())
                || (w.len() == 1 && w[0].is_ascii_uppercase())
            {
                return false;
            }
        }
    }
    // The first byte past ASCII whitespace decides, when it is ASCII; other whitespace
    // (a no-break space) or a non-ASCII character takes the general path. ASCII
    // whitespace as `char::is_whitespace` has it: with the vertical tab, which
    // `u8::is_ascii_whitespace` leaves out.
    match first_after_space(bytes.get(at + clen..).unwrap_or_default()) {
        None => true,
        Some(b) if b < 0x80 => !continues_sentence(b),
        Some(_) => ends_sentence_by_chars(text, prev_word, at, clen),
    }
}

/// The first byte of `rest` that is not ASCII whitespace (with the vertical tab, as
/// `char::is_whitespace` has it), by [`first_past_space`].
#[inline]
fn first_after_space(rest: &[u8]) -> Option<u8> {
    use crate::swar::ascii_in_range;
    first_past_space(
        rest,
        |x| ascii_in_range(x, b'\t', b'\r') | ascii_in_range(x, b' ', b' '),
        |b| matches!(b, b'\t'..=b'\r' | b' '),
    )
}

/// [`ends_sentence`] by characters: the general path, and the reference the fast one is
/// tested against.
#[inline(never)]
fn ends_sentence_by_chars(text: &str, prev_word: Option<Span>, at: usize, clen: usize) -> bool {
    if text.as_bytes()[at] == b'.'
        && let Some(prev) = prev_word
        && prev.end == at
    {
        let w = &text[prev.start..prev.end];
        // Longer words are neither an abbreviation nor one letter: most periods follow
        // such a word, and skip the scan of the list.
        if w.len() <= MAX_ABBREVIATION_LEN
            && (is_abbreviation(w.as_bytes())
                || (w.chars().count() == 1 && w.chars().all(|c| c.is_uppercase())))
        {
            return false;
        }
    }
    let rest = text[at + clen..].trim_start();
    match rest.chars().next() {
        None => true,
        Some(c) => !(c.is_lowercase() || c == ',' || c == ';'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_runs_end_where_the_byte_table_says() {
        let text = "ab_9Z x-y@[`{/: \u{e9}t 0123456789abcdefXYZ_ end";
        let bytes = text.as_bytes();
        for start in 0..bytes.len() {
            for limit in start..=bytes.len() {
                let naive = bytes[start..limit]
                    .iter()
                    .position(|&b| !WORD_BYTE[usize::from(b)])
                    .map_or(limit, |k| start + k);
                assert_eq!(word_run_end(bytes, start, limit), naive, "{start}..{limit}");
            }
        }
        for b in 0..=255u8 {
            let lanes = word_lanes(u64::from(b) * 0x0101_0101_0101_0101);
            assert_eq!(
                lanes == crate::swar::HIGH,
                WORD_BYTE[usize::from(b)],
                "byte {b}"
            );
            assert!(lanes == 0 || lanes == crate::swar::HIGH);
        }
    }

    /// The end and next byte of a word are [`word_end`] and the byte there, for every
    /// start and limit.
    #[test]
    fn word_ends_come_with_the_next_byte() {
        let text = "ab_9Z x-y@[`{/: \u{e9}t women's e.g. a.b 0123456789abcdefXYZ_ it’s end";
        let bytes = text.as_bytes();
        for start in (0..bytes.len()).filter(|&i| text.is_char_boundary(i)) {
            for limit in (start..=bytes.len()).filter(|&i| text.is_char_boundary(i)) {
                let end = word_end(text, start, limit);
                let next = bytes.get(end).copied().filter(|_| end < limit);
                assert_eq!(
                    word_end_and_next(text, start, limit),
                    (end, next),
                    "{start}..{limit}"
                );
            }
        }
    }

    /// [`cannot_end_sentence`] answers as the byte loop it replaced, after every byte of
    /// text with runs of every kind of whitespace (the vertical tab among them, which is
    /// no whitespace here), short and long, before letters, marks and the end.
    #[test]
    fn cannot_end_sentence_answers_as_the_byte_loop() {
        let reference = |bytes: &[u8], after: usize| {
            bytes
                .get(after..)
                .unwrap_or_default()
                .iter()
                .find(|b| !b.is_ascii_whitespace())
                .is_some_and(|&b| b.is_ascii_lowercase() || b == b',' || b == b';')
        };
        let text = "a. b.\n\n c.\t\r\n\u{c} D. e.\u{b}f. g.         h. I.          , j.;\n\n\n\n\n\n\n\n\né. x.  ";
        let bytes = text.as_bytes();
        for after in 0..=bytes.len() + 1 {
            assert_eq!(
                cannot_end_sentence(bytes, after),
                reference(bytes, after),
                "after {after}"
            );
        }
    }

    /// [`space_run`] counts the ASCII whitespace bytes from every place that holds one,
    /// up to eight, as a byte-by-byte count does (one when fewer than eight bytes are left).
    #[test]
    fn space_runs_count_as_bytes_do() {
        let text = "a \t\n\r\u{b}\u{c}  b\n\n c \u{a0} d          e,  \n\n\u{c}\r\u{b} \t\n\n\n ";
        let bytes = text.as_bytes();
        for pos in (0..bytes.len()).filter(|&i| bytes[i].is_ascii_whitespace()) {
            let want = if pos + 8 <= bytes.len() {
                bytes[pos..pos + 8]
                    .iter()
                    .take_while(|&&b| matches!(BYTE_CLASS[usize::from(b)], ByteClass::Space))
                    .count()
            } else {
                1
            };
            assert_eq!(space_run(bytes, pos), want, "at {pos}");
        }
    }

    /// Where [`short_word`] answers, it answers as [`word_end_and_next`] does.
    #[test]
    fn short_words_end_as_words_do() {
        let text = "ab_9Z x-y@[`{/: \u{e9}t women's e.g. a.b abcdefg abcdefgh Ab, it’s \
                    abcdefghijklmno abcdefghijklmnop abcdefghijk' abcdefghi9 end";
        let bytes = text.as_bytes();
        let mut answered = 0;
        for start in (0..bytes.len()).filter(|&i| WORD_BYTE[usize::from(bytes[i])]) {
            for limit in (start..=bytes.len()).filter(|&i| text.is_char_boundary(i)) {
                if let Some((end, b)) = short_word(bytes, start, limit) {
                    answered += 1;
                    assert_eq!(
                        word_end_and_next(text, start, limit),
                        (end, Some(b)),
                        "{start}..{limit}"
                    );
                }
            }
        }
        assert!(answered > 100, "{answered}");
    }

    /// The ASCII fast path of [`ends_sentence`] answers as the general one, at every mark
    /// after every possible previous word.
    #[test]
    fn sentence_ends_match_the_general_path() {
        let text = "No. 5. A. b. É. é. Mr.\u{a0}x. ok.\u{2003}Y. it.\tz q.\u{b}a r.\u{b}B e.g., x. ;. 9.é.Ü. \
                    approx. Approx.\n\nThe end? yes! No! abcdefg. ";
        let bytes = text.as_bytes();
        let boundaries: Vec<usize> = (0..=bytes.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let mut checked = 0;
        for at in (0..bytes.len()).filter(|&i| matches!(bytes[i], b'.' | b'?' | b'!')) {
            let mut prevs = vec![None];
            prevs.extend(
                boundaries
                    .iter()
                    .filter(|&&s| s < at && at - s <= 8)
                    .map(|&s| Some(Span::new(s, at))),
            );
            for prev in prevs {
                checked += 1;
                assert_eq!(
                    ends_sentence(text, prev, at, 1),
                    ends_sentence_by_chars(text, prev, at, 1),
                    "{at} {prev:?}"
                );
            }
        }
        assert!(checked > 100, "{checked}");
    }

    /// `first_after_space` finds what a search byte by byte finds, at every start of a
    /// text with runs of every kind of whitespace, short and longer than eight.
    #[test]
    fn first_after_space_matches_a_byte_search() {
        let text = b"a. \n\n B.\t\x0b\x0c\r x.         y.\xc2\xa0z .,;        \n\n\n";
        for start in 0..=text.len() {
            let rest = &text[start..];
            let naive = rest
                .iter()
                .copied()
                .find(|b| !matches!(b, b'\t'..=b'\r' | b' '));
            assert_eq!(first_after_space(rest), naive, "{start}");
        }
    }

    #[test]
    fn general_punctuation_holds_no_word_character() {
        let mut block = GENERAL_PUNCTUATION;
        assert!(block.all(|c| !c.is_alphanumeric()));
        assert!(!is_word_char('’') && !is_word_char('—') && !is_word_char('\u{2009}'));
        assert!(is_word_char('é') && is_word_char('_') && is_word_char('\u{2071}'));
    }

    #[test]
    fn abbreviations_fit_the_length_guard() {
        assert!(
            ABBREVIATIONS
                .iter()
                .all(|a| a.len() <= MAX_ABBREVIATION_LEN)
        );
    }

    /// The packed lookup says what a comparison with each abbreviation says.
    #[test]
    fn abbreviations_are_found_as_the_list_says() {
        let mut words: Vec<String> = Vec::new();
        for a in ABBREVIATIONS {
            words.push(a.to_string());
            words.push(a.to_uppercase());
            words.push(format!("{a}s"));
            words.push(a[1..].to_string());
            words.push(a[..a.len() - 1].to_string());
        }
        words.extend(
            [
                "No", "NOS", "e.G", "é", "Mé", "appro", "approxx", "", "x", "A",
            ]
            .map(String::from),
        );
        for w in &words {
            let listed = ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(w));
            assert_eq!(is_abbreviation(w.as_bytes()), listed, "{w:?}");
            // Read from inside a text, with other bytes after it, or at its very end.
            if !w.is_empty() {
                for text in [format!("x {w}. Next"), format!("x {w}")] {
                    assert_eq!(
                        is_abbreviation_at(text.as_bytes(), 2, w.len()),
                        listed,
                        "{text:?}"
                    );
                }
            }
        }
    }

    fn kinds(text: &str) -> Vec<String> {
        tokenize(text, &[])
            .iter()
            .map(|t| match t.kind {
                TokenKind::Word => text[t.span.start..t.span.end].to_string(),
                TokenKind::Punct(c) => format!("'{c}'"),
                TokenKind::Stop => "STOP".to_string(),
                TokenKind::Figure(i) => format!("#{i}"),
            })
            .collect()
    }

    #[test]
    fn words_punct_and_stops() {
        assert_eq!(
            kinds("Of the judges, most (all) are women. Then"),
            [
                "Of", "the", "judges", "','", "most", "'('", "all", "')'", "are", "women", "STOP",
                "Then"
            ]
        );
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            kinds("Resolution No. Five"),
            ["Resolution", "No", "'.'", "Five"]
        );
        assert_eq!(kinds("the women’s sector"), ["the", "women’s", "sector"]);
    }

    #[test]
    fn line_breaks_are_just_space() {
        assert_eq!(kinds("of \n\nwhom"), ["of", "whom"]);
    }

    /// The sentences given out are exactly the figure-holding sentences of a full run.
    fn check_sentences(text: &str) {
        let figures = crate::figures::scan(text);
        let all = tokenize(text, &figures);
        let mut expected = Vec::new();
        for s in all.split_inclusive(|t| t.kind == TokenKind::Stop) {
            if s.iter().any(|t| matches!(t.kind, TokenKind::Figure(_))) {
                expected.push(s.to_vec());
            }
        }
        let mut got = Vec::new();
        for_each_figure_sentence(text, &figures, |s| got.push(s.to_vec()));
        assert_eq!(got, expected, "{text:?}");
        // The figures handed over are those among the tokens (the scanner's figures do
        // not overlap).
        for_each_figure_sentence_with(text, &figures, |s, within| {
            assert_eq!(within, figures_within(s, &figures), "{text:?}");
        });
    }

    #[test]
    fn sentences_skip_only_figureless_ones() {
        check_sentences("No. 5 of 12. e.g. 3 cats! 4 dogs? Mr. A. 7 (7%) of 100");
        check_sentences("a.b.c 1.2.3. 40 of 50.\n\n18 per cent. The end.");
        // Marks after plain words, read without tokenizing: abbreviations, capitals and
        // small letters after them, `?` and `!`.
        check_sentences(
            "From the dept. Of 40 women. Approx. 7 of 9 Mr. Smith saw. 5 or 6? Yes! 12 \
             more.\nThe report. 9 of 10 etc. and 3 cats. 4 dogs.  Ab. 2",
        );
    }

    /// `fill_sentence` pieces, end to end, are the tokens of `next_token`, cut after each
    /// stop and at `max` tokens.
    fn check_fill(text: &str, max: usize) {
        let figures = crate::figures::scan(text);
        let mut expected = Vec::new();
        let mut piece = Vec::new();
        for t in tokenize(text, &figures) {
            piece.push(t);
            if t.kind == TokenKind::Stop || piece.len() >= max {
                expected.push(std::mem::take(&mut piece));
            }
        }
        if !piece.is_empty() {
            expected.push(piece);
        }
        let mut lx = Lexer::new(text, &figures);
        let mut got = Vec::new();
        loop {
            let mut buf = Vec::new();
            lx.fill_sentence(&mut buf, max);
            if buf.is_empty() {
                break;
            }
            got.push(buf);
        }
        assert_eq!(got, expected, "{text:?} max {max}");
    }

    #[test]
    fn filled_sentences_match_single_tokens() {
        check_fill("Mr. A. 7 (7%) of 100 e.g. 3 cats! 4 dogs? No. 5.", 100);
        check_fill("Mr. A. 7 (7%) of 100 e.g. 3 cats! 4 dogs? No. 5.", 2);
        // A piece that ends with an abbreviation: the next one starts with its period.
        check_fill("See No. 5", 2);
        check_fill("x\u{a0}é’s “50 per cent” — 1.2. Étés. ab_9 \t\r\n\u{b}!", 3);
    }

    /// Words, space runs, joiners and figures at every offset of the eight- and 64-byte
    /// loads the word loop makes (or has tried), and across their edges.
    #[test]
    fn filled_sentences_match_at_every_block_offset() {
        let body = "In 2019 the survey found 40 per cent of women's posts, e.g. judges \
                    and  clerks\n\n(see No. 5) held  by   women: 12 of 30 Étés — x’y \
                    approximately_twenty words\tlong 7%. Next abc123 ends";
        for shift in 0..=128 {
            for lead in ["", "w", "ab ", "."] {
                let text = format!("{lead}{}{body} {body}", " ".repeat(shift));
                check_fill(&text, usize::MAX);
                check_fill(&text, 7);
            }
        }
    }

    /// `last_stop_before` agrees with the oracle from every restart point of `text` (its
    /// start and every byte after ASCII whitespace) to every figure-free limit after it.
    fn check_last_stop(text: &str) {
        let figures = crate::figures::scan(text);
        let bytes = text.as_bytes();
        let starts =
            std::iter::once(0).chain((1..=bytes.len()).filter(|&k| is_probe_space(bytes[k - 1])));
        for from in starts {
            let mut lx = Lexer::new(text, &figures);
            lx.restart(from);
            // The stretch searched holds no figure: up to the next one.
            let end = figures
                .get(lx.next_fig)
                .map_or(bytes.len(), |f| f.span().start);
            if figures
                .iter()
                .any(|f| f.span().start < from && f.span().end > from)
            {
                continue;
            }
            for limit in (from..=end).filter(|&l| text.is_char_boundary(l)) {
                assert_eq!(
                    last_stop_before(&lx, limit),
                    last_stop_before_reference(&lx, limit),
                    "{text:?} from {from} to {limit}"
                );
            }
        }
    }

    #[test]
    fn last_stops_match_the_reference() {
        check_last_stop("No. 5 of 12. e.g. 3 cats! 4 dogs? Mr. A. 7 (7%) of 100");
        check_last_stop(
            "From the dept. Of 40 women. Approx. 7 of 9 Mr. Smith saw. 5 or 6? Yes! 12 \
             more.\nThe report. 9 of 10 etc. and 3 cats. 4 dogs.  Ab. 2 x.y. (a). “B.” É. \
             ab1. a_b. ’s. \t.\n?",
        );
        let long = format!("{}. Then {}x. More 5.", "y".repeat(300), "(".repeat(300));
        check_last_stop(&long);
    }

    proptest::proptest! {
        #[test]
        fn filling_matches_single_tokens(
            text in "([a-zA-Z]{1,4}|[0-9]{1,4}|No|Mr|e\\.g|é|ß|’|“|—|\u{a0}|\u{2003}|per cent|%|[.?!,;:()'_ ]|\t|\n| ){0,50}",
            max in 1usize..6,
        ) {
            check_fill(&text, max);
            check_fill(&text, usize::MAX);
        }

        /// Longer runs of words, with digits and `_` inside words and every kind of
        /// whitespace, cut into pieces of every size.
        #[test]
        fn word_runs_match_single_tokens(
            text in "([a-zA-Z]{1,12}|[a-z]{1,3}[0-9_][a-z]{0,2}|No|e\\.g|é|’|“|[.?!,;:()'\"-]|\t|\u{b}|\r|\n| |  ){0,80}",
            max in 1usize..40,
        ) {
            check_fill(&text, max);
            check_fill(&text, usize::MAX);
        }

        /// Texts of a few hundred bytes: long words and space runs, words with digits or
        /// joiners, non-ASCII characters and figures, at every offset of a load.
        #[test]
        fn long_texts_match_single_tokens(
            text in "([a-zA-Z]{1,20}|[a-z]{0,3}[0-9_][a-z]{0,2}|[0-9]{1,3}( per cent|%)?|No|e\\.g|é|’|“|\u{a0}|[.?!,;:()'\"-]|\t|\u{b}|\r|\n| {1,70}){0,200}",
            max in 1usize..60,
        ) {
            check_fill(&text, max);
            check_fill(&text, usize::MAX);
        }

        #[test]
        fn last_stops_match_the_reference_on_generated_text(
            text in "([a-zA-Z]{1,4}|[0-9]{1,3}|No|Mr|e\\.g|é|’|“|\u{a0}|per cent|%|[.?!,;:()'_ ]|\t|\n| ){0,40}"
        ) {
            check_last_stop(&text);
        }

        #[test]
        fn sentences_match_a_full_run(
            text in "([a-zA-Z]{1,4}|[0-9]{1,3}|No|e|g|per cent|%|[.?!,;()'’ ]|\n| ){0,60}"
        ) {
            check_sentences(&text);
        }
    }
}
