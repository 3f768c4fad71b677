//! Where the scanner looks: one pass over the bytes, 64 at a time, for the next digit
//! or the next trigger word (a number, scale, ordinal, fraction or multiplier word, a
//! reference keyword, a URL start) standing as a whole word.
//!
//! Prose is mostly letters of ordinary words, and this loop sees every byte of the file.
//! Only word starts (a letter after a byte that is no ASCII letter or digit) are looked
//! at, and [`Vocab::may_start_in`] rejects most of them with one bit test on their first
//! three letters; digits and word starts come out of the same bit masks, one bit a byte,
//! built with vector comparisons sixteen bytes at a time.

use super::words::{Vocab, WordKind};
#[cfg(test)]
pub(crate) use reference::next_candidate_reference;
#[cfg(test)]
pub(crate) use swar::next_candidate_swar;

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

/// Bytes the candidate loop classifies a turn: one bit each in a `u64`.
const BLOCK: usize = 64;

/// Bytes read past a block's end: a word start in its last lane has its first four bytes
/// there, for [`Vocab::may_start_in`].
const WINDOW: usize = BLOCK + 3;

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
    // Bit 0 set when the byte before the block is an ASCII letter or digit: a letter
    // after it starts no word.
    let mut carry: u64 = match i.checked_sub(1).and_then(|k| bytes.get(k)) {
        Some(b) if b.is_ascii_alphanumeric() => 1,
        _ => 0,
    };
    // Whole blocks with three bytes to spare, so that every word start's first four
    // bytes are there to read from a fixed-size array (no bounds check).
    while let Some(window) = bytes.get(i..).and_then(<[u8]>::first_chunk::<WINDOW>) {
        if let Some(c) = first_in_block(text, i, window, &mut carry, vocab) {
            return Some(c);
        }
        i += BLOCK;
    }
    // The last bytes, padded with zero bytes (neither digits nor letters) in a copy:
    // this runs once per text, near its end.
    while let Some(rest) = bytes.get(i..).filter(|r| !r.is_empty()) {
        let mut window = [0u8; WINDOW];
        let n = rest.len().min(WINDOW);
        window[..n].copy_from_slice(&rest[..n]);
        if let Some(c) = first_in_block(text, i, &window, &mut carry, vocab) {
            return Some(c);
        }
        i += BLOCK;
    }
    None
}

/// The first candidate among the [`BLOCK`] bytes at `at`, the start of `window`; `carry`
/// (bit 0) says whether the byte before them is an ASCII letter or digit, and is set for
/// the next block.
///
/// The word starts before the block's first digit are looked at in order, then the digit
/// (which comes before any word after it): most blocks hold no digit, and their loop over
/// word starts asks nothing about digits.
#[inline(always)]
fn first_in_block(
    text: &str,
    at: usize,
    window: &[u8; WINDOW],
    carry: &mut u64,
    vocab: &Vocab,
) -> Option<Candidate> {
    let (digits, letters) = block_classes(window);
    let alnum = digits | letters;
    let starts = letters & !(alnum << 1 | *carry);
    *carry = alnum >> (BLOCK - 1);
    // The lanes below the lowest digit (all of them when there is none).
    let mut look = starts & !digits & digits.wrapping_sub(1);
    while look != 0 {
        let lane = look.trailing_zeros() as usize;
        if vocab.may_start_in(window, lane)
            && let Some((end, kind)) = vocab.word_at(text, at + lane)
        {
            return Some(Candidate::Word {
                start: at + lane,
                end,
                kind,
            });
        }
        look &= look - 1;
    }
    (digits != 0).then(|| Candidate::Digit(at + digits.trailing_zeros() as usize))
}

/// The ASCII digits and the ASCII letters among the first [`BLOCK`] bytes of `window`:
/// bit `k` for byte `k`.
///
/// Sixteen bytes to a vector (the `wide` crate: SSE2 on x86-64, NEON on AArch64, plain
/// code elsewhere), two instructions a class: an add moves the class's range to the
/// bottom of the signed bytes, and one signed comparison tests for it. (The SWAR lanes
/// in a `u128` this replaced took some 57 instructions per sixteen bytes.)
#[inline(always)]
fn block_classes(window: &[u8; WINDOW]) -> (u64, u64) {
    use wide::{i8x16, u8x16};
    // True in the lanes of `v` that lie in `lo..=hi`, with `v` moved by `lo` to -128.
    let in_range = |v: u8x16, lo: u8, hi: u8| {
        let moved = (v + u8x16::splat(0x80_u8.wrapping_sub(lo))).cast_signed();
        let below = i8x16::splat(i8::MIN.wrapping_add_unsigned(hi - lo + 1));
        u64::from(moved.simd_lt(below).to_bitmask())
    };
    let (mut digits, mut letters) = (0, 0);
    let (lanes, _) = window.as_chunks::<16>();
    for (k, lane) in lanes.iter().take(BLOCK / 16).enumerate() {
        let v = u8x16::new(*lane);
        digits |= in_range(v, b'0', b'9') << (16 * k);
        // Setting bit 5 maps exactly the capitals onto the small letters (and keeps
        // bytes of 0x80 and above out of range).
        letters |= in_range(v | u8x16::splat(0x20), b'a', b'z') << (16 * k);
    }
    (digits, letters)
}

#[cfg(test)]
mod swar {
    //! The candidate finder before the vector lanes: SWAR lanes worked out in a `u128`,
    //! sixteen bytes a turn. The oracle the vector finder is tested against.
    use super::{Candidate, Vocab};
    use crate::swar::{ascii_in_range, ascii_letters};

    /// [`super::next_candidate`] as it was with SWAR lanes.
    pub(crate) fn next_candidate_swar(text: &str, from: usize, vocab: &Vocab) -> Option<Candidate> {
        let bytes = text.as_bytes();
        let mut i = from;
        // The high bit of lane 0 when the byte before the chunk is an ASCII letter or digit:
        // a letter after it starts no word.
        let mut carry: u64 = match i.checked_sub(1).and_then(|k| bytes.get(k)) {
            Some(b) if b.is_ascii_alphanumeric() => 0x80,
            _ => 0,
        };
        // Whole chunks with four bytes to spare, so that every word start's first four
        // bytes are there to read from a fixed-size array (no bounds check), sixteen bytes
        // a turn: their lanes are worked out in one `u128` (see [`lanes16`]).
        while let Some(window) = bytes.get(i..).and_then(<[u8]>::first_chunk::<20>) {
            let (Some(sixteen), Some(head), Some(second)) = (
                window.first_chunk::<16>(),
                window.first_chunk::<12>(),
                window.last_chunk::<12>(),
            ) else {
                break;
            };
            let (digits, starts) = lanes16(u128::from_le_bytes(*sixteen), &mut carry);
            let (starts0, starts1) = (starts as u64, (starts >> 64) as u64);
            if digits == 0 {
                if let Some(c) = first_word(text, i, head, starts0, vocab) {
                    return Some(c);
                }
                if let Some(c) = first_word(text, i + 8, second, starts1, vocab) {
                    return Some(c);
                }
            } else {
                let (digits0, digits1) = (digits as u64, (digits >> 64) as u64);
                if let Some(c) = first_in_chunk(text, i, head, digits0, starts0, vocab) {
                    return Some(c);
                }
                if let Some(c) = first_in_chunk(text, i + 8, second, digits1, starts1, vocab) {
                    return Some(c);
                }
            }
            i += 16;
        }
        // The last bytes, eight at a time, padded with zero bytes (neither digits nor
        // letters) in a copy: this runs once per text, near its end.
        while let Some(rest) = bytes.get(i..).filter(|r| !r.is_empty()) {
            let mut window = [0u8; 12];
            let n = rest.len().min(window.len());
            window[..n].copy_from_slice(&rest[..n]);
            let Some(head) = window.first_chunk::<8>() else {
                break;
            };
            let (digits, starts) = lanes(u64::from_le_bytes(*head), &mut carry);
            if let Some(c) = first_in_chunk(text, i, &window, digits, starts, vocab) {
                return Some(c);
            }
            i += 8;
        }
        None
    }

    /// The first candidate in the chunk of eight bytes at `at`, the start of `window` (which
    /// has four bytes more, for the word starts' first letters), given its digit and
    /// word-start lanes.
    ///
    /// Most chunks hold no digit: their loop over word starts, the hot one, asks nothing
    /// about digits. A chunk with one looks at its word starts up to the first digit, which
    /// comes before any word after it.
    #[inline(always)]
    fn first_in_chunk(
        text: &str,
        at: usize,
        window: &[u8; 12],
        digits: u64,
        starts: u64,
        vocab: &Vocab,
    ) -> Option<Candidate> {
        if digits == 0 {
            return first_word(text, at, window, starts, vocab);
        }
        // The word starts below the lowest digit lane.
        let before_digit = (digits & digits.wrapping_neg()) - 1;
        if let Some(c) = first_word(text, at, window, starts & before_digit, vocab) {
            return Some(c);
        }
        Some(Candidate::Digit(
            at + (digits.trailing_zeros() / 8) as usize,
        ))
    }

    /// The first trigger word among the word starts `starts` (high bits of lanes) of the
    /// chunk at `at`, as in [`first_in_chunk`].
    #[inline(always)]
    fn first_word(
        text: &str,
        at: usize,
        window: &[u8; 12],
        mut starts: u64,
        vocab: &Vocab,
    ) -> Option<Candidate> {
        while starts != 0 {
            let lane = (starts.trailing_zeros() / 8) as usize;
            if vocab.may_start_in(window, lane)
                && let Some((end, kind)) = vocab.word_at(text, at + lane)
            {
                return Some(Candidate::Word {
                    start: at + lane,
                    end,
                    kind,
                });
            }
            starts &= starts - 1;
        }
        None
    }

    /// [`lanes`] for sixteen bytes at once (`carry` the same, for lane 0 and from lane 15).
    ///
    /// Worked out in a `u128`, which is two `u64` to the machine: each constant is the same
    /// eight bytes in both halves, and is built once for the two (the scanner's loop has no
    /// registers to spare to keep them, so each is built again at every use). No sum
    /// carries out of its lane (each stays below 0x100), so none crosses from the low half
    /// into the high one either.
    #[inline]
    fn lanes16(x: u128, carry: &mut u64) -> (u128, u128) {
        const ONES: u128 = u128::from_le_bytes([1; 16]);
        const HIGH: u128 = ONES * 0x80;
        // High bit set in each lane of `v` (bytes below 0x80) that lies in `lo..=hi`.
        let in_range = |v: u128, lo: u8, hi: u8| {
            (v + ONES * u128::from(0x80 - lo)) & !(v + ONES * u128::from(0x7f - hi))
        };
        let low7 = x & !HIGH;
        let ascii = !x & HIGH;
        let digits = in_range(low7, b'0', b'9') & ascii;
        // Setting bit 5 maps exactly the capitals onto the small letters.
        let letters = in_range(low7 | (ONES * 0x20), b'a', b'z') & ascii;
        let alnum = digits | letters;
        let starts = letters & !(alnum << 8 | u128::from(*carry));
        *carry = (alnum >> 120) as u64;
        (digits, starts)
    }

    /// The digits and the word starts among the eight bytes in `x`: the high bit of each lane
    /// that holds an ASCII digit, and of each that holds an ASCII letter after a byte that is
    /// no ASCII letter or digit. `carry` says whether the byte before `x` was one, and is set
    /// for the next eight.
    #[inline]
    pub(super) fn lanes(x: u64, carry: &mut u64) -> (u64, u64) {
        let digits = ascii_in_range(x, b'0', b'9');
        let letters = ascii_letters(x);
        let alnum = digits | letters;
        let starts = letters & !(alnum << 8 | *carry);
        *carry = alnum >> 56;
        (digits, starts)
    }
}

#[cfg(test)]
mod reference {
    //! The candidate finder before the loop over word starts left the digits out of it.
    use super::swar::lanes;
    use super::{Candidate, Vocab};

    /// [`super::next_candidate`] as it was, testing each lane for a digit in the loop over word
    /// starts: the oracle the fused loop is tested against.
    pub(crate) fn next_candidate_reference(
        text: &str,
        from: usize,
        vocab: &Vocab,
    ) -> Option<Candidate> {
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
            if let Some(c) = first_in_chunk_reference(text, i, window, digits, starts, vocab) {
                return Some(c);
            }
            let (digits, starts) = lanes(u64::from_le_bytes(*second), &mut carry);
            if let Some(c) =
                first_in_chunk_reference(text, i + 8, &window[8..], digits, starts, vocab)
            {
                return Some(c);
            }
            i += 16;
        }
        while let Some(window) = bytes.get(i..i + 12) {
            let Some(head) = window.first_chunk::<8>() else {
                break;
            };
            let (digits, starts) = lanes(u64::from_le_bytes(*head), &mut carry);
            if let Some(c) = first_in_chunk_reference(text, i, window, digits, starts, vocab) {
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
    fn first_in_chunk_reference(
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
}
