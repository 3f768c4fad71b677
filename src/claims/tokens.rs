//! Tokens: the text between figures cut into words, punctuation and sentence stops.
//!
//! Claim patterns match over this stream, so line breaks, spacing and masked page
//! furniture never matter: whitespace is not a token at all.

use crate::figures::Figure;
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

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Cut `text` (the masked scan text) into tokens, with `figures` (sorted, non-overlapping)
/// taking the place of the bytes they cover.
pub fn tokenize(text: &str, figures: &[Figure]) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 6);
    let bytes = text.as_bytes();
    let mut next_fig = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Figures take the place of their bytes.
        while next_fig < figures.len() && figures[next_fig].span.start <= i {
            let f = &figures[next_fig];
            if f.span.end > i {
                tokens.push(Token {
                    kind: TokenKind::Figure(next_fig),
                    span: f.span,
                });
                i = f.span.end;
            }
            next_fig += 1;
        }
        let limit = figures.get(next_fig).map_or(bytes.len(), |f| f.span.start);
        if i >= limit {
            continue;
        }
        let b = bytes[i];
        // ASCII fast path: most report text is ASCII.
        if b < 0x80 {
            if b.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            if b.is_ascii_alphanumeric() || b == b'_' {
                let end = word_end(text, i, limit);
                tokens.push(Token {
                    kind: TokenKind::Word,
                    span: Span::new(i, end),
                });
                i = end;
                continue;
            }
            let c = b as char;
            push_punct(text, &mut tokens, i, c);
            i += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if c.is_whitespace() {
            i += c.len_utf8();
        } else if is_word_char(c) {
            let end = word_end(text, i, limit);
            tokens.push(Token {
                kind: TokenKind::Word,
                span: Span::new(i, end),
            });
            i = end;
        } else {
            push_punct(text, &mut tokens, i, c);
            i += c.len_utf8();
        }
    }
    tokens
}

fn push_punct(text: &str, tokens: &mut Vec<Token>, i: usize, c: char) {
    let span = Span::new(i, i + c.len_utf8());
    let kind = if matches!(c, '.' | '?' | '!') && ends_sentence(text, tokens, i, c.len_utf8()) {
        TokenKind::Stop
    } else {
        TokenKind::Punct(normalise_punct(c))
    };
    tokens.push(Token { kind, span });
}

/// End of the word starting at `start`: letters and digits, plus an apostrophe or a dot
/// between letters ("women's", "e.g").
fn word_end(text: &str, start: usize, limit: usize) -> usize {
    let bytes = text.as_bytes();
    let mut j = start;
    while j < limit {
        let b = bytes[j];
        if b.is_ascii_alphanumeric() || b == b'_' {
            j += 1;
            continue;
        }
        let Some(d) = text[j..].chars().next() else {
            break;
        };
        if b >= 0x80 && is_word_char(d) {
            j += d.len_utf8();
            continue;
        }
        let joiner = d == '\'' || d == '’' || (d == '.' && j - start == 1);
        let after = j + d.len_utf8();
        if joiner
            && after < limit
            && text[after..]
                .chars()
                .next()
                .is_some_and(char::is_alphabetic)
        {
            j = after;
            continue;
        }
        break;
    }
    j
}

/// Curly quotes and dashes compare as their plain forms in patterns.
fn normalise_punct(c: char) -> char {
    match c {
        '“' | '”' | '«' | '»' => '"',
        '‘' | '’' => '\'',
        '–' | '—' | '−' => '-',
        c => c,
    }
}

/// A `.` ends a sentence unless it follows an abbreviation or is followed by a lower-case
/// word or a digit (as in "No. 5" or an ellipsis continuing the sentence).
fn ends_sentence(text: &str, tokens: &[Token], at: usize, clen: usize) -> bool {
    if text.as_bytes()[at] == b'.'
        && let Some(prev) = tokens.last()
        && prev.kind == TokenKind::Word
        && prev.span.end == at
    {
        let w = &text[prev.span.start..prev.span.end];
        if ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(w))
            || (w.chars().count() == 1 && w.chars().all(|c| c.is_uppercase()))
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
}
