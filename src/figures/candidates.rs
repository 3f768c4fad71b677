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
use crate::swar::lanes_in_range;

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
    // after it starts no word. Worked out with no branch on the byte: a `match` on
    // `is_ascii_alphanumeric` branched on its classes, and the byte before a candidate's
    // end is a letter, digit or other at random (30k mispredicts on 10 MB of prose).
    let mut carry = i
        .checked_sub(1)
        .and_then(|k| bytes.get(k))
        .map_or(0, |&b| u64::from(is_ascii_alphanumeric(b)));
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

/// Whether `b` is an ASCII letter or digit, as [`u8::is_ascii_alphanumeric`] answers,
/// by two range tests joined with no branch.
#[inline(always)]
fn is_ascii_alphanumeric(b: u8) -> bool {
    ((b | 0x20).wrapping_sub(b'a') < 26) | (b.wrapping_sub(b'0') < 10)
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
    // This loop's exit is mispredicted about once a block (the number of word starts
    // varies at random). Blocks of 128 bytes in `u128` masks would halve the exits but
    // cost some seven instructions more a word start (a `u128`'s lowest bit cleared and
    // counted) and twice the classifying at every re-entry after a candidate: estimated
    // a loss, not built.
    //
    // Also measured and dropped: every start's first filter test (`thirds`) OR-ed into a
    // mask with no branch per start, then a second loop over the passing starts. On 10 MB
    // of varied prose: +6.3 M instructions for -14.5k simulated mispredicts, since this
    // loop's exit then came in every block (179k -> 238k) and the new `passing != 0`
    // test took 91k of the 119k the filter's branch had. Keeping the masks of the last
    // block across calls (a `LastBlock` in the scanner's loop), to spare the classifying
    // at a re-entry that lands in it, was measured too: with the search loop inlined
    // twice (kept block, then new ones) -2.0 M instructions and +160k mispredicts; with
    // one loop, -0.4 M and +127k. A re-entry then looks at the rest of the kept block
    // and then the next, where it looked at 64 bytes from its start: more block visits,
    // each with this loop's exit (179k -> 220k) and the digit test. Dropped.
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
/// Sixteen bytes to a vector, two instructions a class ([`lanes_in_range`]). (The SWAR
/// lanes in a `u128` this replaced took some 57 instructions per sixteen bytes.)
#[inline(always)]
fn block_classes(window: &[u8; WINDOW]) -> (u64, u64) {
    use wide::u8x16;
    let (mut digits, mut letters) = (0, 0);
    let (lanes, _) = window.as_chunks::<16>();
    for (k, lane) in lanes.iter().take(BLOCK / 16).enumerate() {
        let v = u8x16::new(*lane);
        digits |= lanes_in_range(v, b'0', b'9') << (16 * k);
        // Setting bit 5 maps exactly the capitals onto the small letters (and keeps
        // bytes of 0x80 and above out of range).
        letters |= lanes_in_range(v | u8x16::splat(0x20), b'a', b'z') << (16 * k);
    }
    (digits, letters)
}

/// The candidate finder in its plainest form, a byte at a time: the first ASCII digit, or
/// the first word start (an ASCII letter after a byte that is no ASCII letter or digit)
/// that [`Vocab::trigger_at`] takes. The oracle the block finder is tested against.
#[cfg(test)]
pub(crate) fn next_candidate_reference(
    text: &str,
    from: usize,
    vocab: &Vocab,
) -> Option<Candidate> {
    let bytes = text.as_bytes();
    for (p, &b) in bytes.iter().enumerate().skip(from) {
        if b.is_ascii_digit() {
            return Some(Candidate::Digit(p));
        }
        let after_alnum = p
            .checked_sub(1)
            .is_some_and(|k| bytes[k].is_ascii_alphanumeric());
        if b.is_ascii_alphabetic()
            && !after_alnum
            && let Some((end, kind)) = vocab.trigger_at(text, p)
        {
            return Some(Candidate::Word {
                start: p,
                end,
                kind,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    /// The branch-free letter-or-digit test answers as the standard one for every byte.
    #[test]
    fn alphanumeric_test_answers_as_the_standard_one() {
        for b in 0..=u8::MAX {
            assert_eq!(
                super::is_ascii_alphanumeric(b),
                b.is_ascii_alphanumeric(),
                "{b:#04x}"
            );
        }
    }
}
