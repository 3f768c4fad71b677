//! Where the scanner looks: one pass over the bytes, eight at a time, for the next digit
//! or the next trigger word (a number, scale, ordinal, fraction or multiplier word, a
//! reference keyword, a URL start) standing as a whole word.
//!
//! Prose is mostly letters of ordinary words, and this loop sees every byte of the file.
//! Only word starts (a letter after a byte that is no ASCII letter or digit) are looked
//! at, and [`Vocab::trigger_at`] rejects most of them with one bit test on their first
//! three letters; digits and word starts come out of the same lane masks.

use super::words::{Vocab, WordKind};
use crate::swar::{ascii_in_range, ascii_letters};

/// What the scanner should look at next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Candidate {
    /// An ASCII digit at this byte.
    Digit(usize),
    /// A trigger word `start..end` and what it means.
    Word {
        /// First byte of the word.
        start: usize,
        /// End of the word (for a URL start, of the matched prefix).
        end: usize,
        /// What the word means.
        kind: WordKind,
    },
}

/// The first digit or trigger word at or after byte `from` of `text`, whichever comes
/// first.
///
/// Inlined into the scanner's loop, which calls it once per figure or trigger word: the
/// call's own cost (saving and restoring registers, the result through memory) is a fair
/// part of the work between two candidates.
#[inline]
pub(crate) fn next_candidate(text: &str, from: usize, vocab: &Vocab) -> Option<Candidate> {
    let bytes = text.as_bytes();
    let mut i = from;
    // The high bit of lane 0 when the byte before the chunk is an ASCII letter or digit:
    // a letter after it starts no word.
    let mut carry: u64 = match i.checked_sub(1).and_then(|k| bytes.get(k)) {
        Some(b) if b.is_ascii_alphanumeric() => 0x80,
        _ => 0,
    };
    // Whole chunks with four bytes to spare, so that every word start's first four
    // bytes are there to load without another bounds check; two a turn while there are
    // enough, which shares the loop's own work (and its constants) by sixteen bytes.
    while let Some(window) = bytes.get(i..i + 20) {
        let (Some(head), Some(second)) = (
            window.first_chunk::<8>(),
            window.get(8..).and_then(|w| w.first_chunk::<8>()),
        ) else {
            break;
        };
        let (digits, starts) = lanes(u64::from_le_bytes(*head), &mut carry);
        if let Some(c) = first_in_chunk(text, i, window, digits, starts, vocab) {
            return Some(c);
        }
        let (digits, starts) = lanes(u64::from_le_bytes(*second), &mut carry);
        if let Some(c) = first_in_chunk(text, i + 8, &window[8..], digits, starts, vocab) {
            return Some(c);
        }
        i += 16;
    }
    while let Some(window) = bytes.get(i..i + 12) {
        let Some(head) = window.first_chunk::<8>() else {
            break;
        };
        let (digits, starts) = lanes(u64::from_le_bytes(*head), &mut carry);
        if let Some(c) = first_in_chunk(text, i, window, digits, starts, vocab) {
            return Some(c);
        }
        i += 8;
    }
    // The last few bytes, padded with zero bytes (neither digits nor letters).
    while let Some(tail) = bytes.get(i..).filter(|t| !t.is_empty()) {
        let (digits, starts) = lanes(crate::swar::load8(tail, 0), &mut carry);
        let mut look = digits | starts;
        while look != 0 {
            let bit = look.trailing_zeros();
            let p = i + (bit / 8) as usize;
            if digits >> bit & 1 != 0 {
                return Some(Candidate::Digit(p));
            }
            if let Some((end, kind)) = vocab.trigger_at(text, p) {
                return Some(Candidate::Word {
                    start: p,
                    end,
                    kind,
                });
            }
            look &= look - 1;
        }
        i += 8;
    }
    None
}

/// The first candidate in the chunk of eight bytes at `at` (the start of `window`, which
/// has four bytes more), given its digit and word-start lanes.
#[inline(always)]
fn first_in_chunk(
    text: &str,
    at: usize,
    window: &[u8],
    digits: u64,
    starts: u64,
    vocab: &Vocab,
) -> Option<Candidate> {
    let mut look = digits | starts;
    while look != 0 {
        let bit = look.trailing_zeros();
        let lane = (bit / 8) as usize;
        let p = at + lane;
        if digits >> bit & 1 != 0 {
            return Some(Candidate::Digit(p));
        }
        if let Some(first4) = window
            .get(lane..lane + 4)
            .and_then(|c| c.first_chunk::<4>())
            && vocab.may_start(u32::from_le_bytes(*first4))
            && let Some((end, kind)) = vocab.word_at(text, p)
        {
            return Some(Candidate::Word {
                start: p,
                end,
                kind,
            });
        }
        look &= look - 1;
    }
    None
}

/// The digits and the word starts among the eight bytes in `x`: the high bit of each lane
/// that holds an ASCII digit, and of each that holds an ASCII letter after a byte that is
/// no ASCII letter or digit. `carry` says whether the byte before `x` was one, and is set
/// for the next eight.
#[inline]
fn lanes(x: u64, carry: &mut u64) -> (u64, u64) {
    let digits = ascii_in_range(x, b'0', b'9');
    let letters = ascii_letters(x);
    let alnum = digits | letters;
    let starts = letters & !(alnum << 8 | *carry);
    *carry = alnum >> 56;
    (digits, starts)
}
