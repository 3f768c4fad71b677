//! Byte offsets <-> LSP positions, at the editor edge only.
//!
//! numlint's spans are byte ranges of the original text; a client counts columns in
//! UTF-16 code units (the protocol's default) or UTF-8 bytes (when both sides agree).
//! [`LineIndex`] converts both ways over one document text; out-of-range positions are
//! clamped and reported as such, never a panic.

use lsp_types::{Position, PositionEncodingKind, Range};

/// How the client counts columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-16 code units: the protocol's default.
    #[default]
    Utf16,
    /// UTF-8 code units (bytes).
    Utf8,
}

impl Encoding {
    /// UTF-8 when the client offers it, else UTF-16 (which every client must support).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    /// The protocol's name for it.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf8 => PositionEncodingKind::UTF8,
        }
    }

    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf8 => c.len_utf8(),
        }
    }
}

/// Where each line of a text starts, for converting offsets of that text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
}

/// A byte offset found for a position, and whether the position had to be clamped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offset {
    /// Byte offset into the text, on a character boundary.
    pub byte: usize,
    /// True when the position lay beyond its line or beyond the text.
    pub clamped: bool,
}

impl LineIndex {
    /// Index `text` (lines end at `\n`; a `\r` before it belongs to the line).
    pub fn new(text: &str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            line_starts,
            len: text.len(),
        }
    }

    /// The position of byte `offset` of `text` (clamped to the text and rounded down to a
    /// character boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(self.len).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let slice = &text[start..offset];
        let character = if enc == Encoding::Utf8 || slice.is_ascii() {
            slice.len()
        } else {
            slice.chars().map(|c| enc.units(c)).sum()
        };
        Position::new(to_u32(line), to_u32(character))
    }

    /// The range of bytes `start..end` of `text`.
    pub fn range(&self, text: &str, start: usize, end: usize, enc: Encoding) -> Range {
        Range::new(
            self.position(text, start, enc),
            self.position(text, end, enc),
        )
    }

    /// The byte offset of `pos` in `text`. A line past the end clamps to the end of the
    /// text; a character past the end of its line clamps to the line's end (before its
    /// newline), as the protocol asks; a position inside a UTF-16 surrogate pair or a
    /// UTF-8 sequence rounds down to the character's start.
    pub fn offset(&self, text: &str, pos: Position, enc: Encoding) -> Offset {
        let line = pos.line as usize;
        let Some(&start) = self.line_starts.get(line) else {
            return Offset {
                byte: text.len(),
                clamped: true,
            };
        };
        let line_end = match self.line_starts.get(line + 1) {
            Some(&next) => next - 1,
            None => text.len(),
        };
        let line_text = &text[start..line_end];
        let want = pos.character as usize;
        let mut units = 0;
        for (i, c) in line_text.char_indices() {
            if units >= want {
                return Offset {
                    byte: start + i,
                    clamped: false,
                };
            }
            let next = units + enc.units(c);
            if next > want {
                // Inside one character: its start.
                return Offset {
                    byte: start + i,
                    clamped: false,
                };
            }
            units = next;
        }
        Offset {
            byte: line_end,
            clamped: units < want,
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = "Kazakhstan’s 21,02 — ç\nWomen’s share — 21.02 per cent\n";

    fn round_trip(text: &str, enc: Encoding) {
        let idx = LineIndex::new(text);
        for (b, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let p = idx.position(text, b, enc);
            let back = idx.offset(text, p, enc);
            assert_eq!(back.byte, b, "offset {b} -> {p:?}");
            assert!(!back.clamped);
        }
    }

    #[test]
    fn utf16_counts_code_units_on_non_ascii_lines() {
        let idx = LineIndex::new(LINE);
        let at = LINE.find("21,02").unwrap();
        // "Kazakhstan’s " is 13 UTF-16 units (’ is one), 15 bytes.
        assert_eq!(
            idx.position(LINE, at, Encoding::Utf16),
            Position::new(0, 13)
        );
        assert_eq!(idx.position(LINE, at, Encoding::Utf8), Position::new(0, 15));
        let c = LINE.find('ç').unwrap();
        assert_eq!(idx.position(LINE, c, Encoding::Utf16), Position::new(0, 21));
        let second = LINE.find("21.02").unwrap();
        // "Women’s share — " is 16 UTF-16 units.
        assert_eq!(
            idx.position(LINE, second, Encoding::Utf16),
            Position::new(1, 16)
        );
    }

    #[test]
    fn astral_characters_take_two_utf16_units() {
        let text = "a😀b 12";
        let idx = LineIndex::new(text);
        let b = text.find('b').unwrap();
        assert_eq!(idx.position(text, b, Encoding::Utf16), Position::new(0, 3));
        // Position 2 is inside the surrogate pair: rounds down to the emoji.
        let inside = idx.offset(text, Position::new(0, 2), Encoding::Utf16);
        assert_eq!(inside.byte, 1);
    }

    #[test]
    fn round_trips_in_both_encodings() {
        round_trip(LINE, Encoding::Utf16);
        round_trip(LINE, Encoding::Utf8);
        round_trip("a😀b\r\nçé 12", Encoding::Utf16);
        round_trip("", Encoding::Utf16);
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let idx = LineIndex::new(LINE);
        let eol = idx.offset(LINE, Position::new(0, 500), Encoding::Utf16);
        assert_eq!(eol.byte, LINE.find('\n').unwrap());
        assert!(eol.clamped);
        let past = idx.offset(LINE, Position::new(99, 0), Encoding::Utf16);
        assert_eq!(past.byte, LINE.len());
        assert!(past.clamped);
        // Offsets past the text or inside a character do not panic.
        assert_eq!(
            idx.position(LINE, 10_000, Encoding::Utf16),
            Position::new(2, 0)
        );
        let mid = LINE.find('’').unwrap() + 1;
        assert_eq!(
            idx.position(LINE, mid, Encoding::Utf16),
            Position::new(0, 10)
        );
    }

    #[test]
    fn negotiation_prefers_utf8_only_when_offered() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        let offered = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf8);
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])),
            Encoding::Utf16
        );
    }
}
