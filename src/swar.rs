//! Eight bytes at a time ("SWAR": SIMD within a register): byte-class tests on a `u64`
//! holding eight bytes of text, for the loops that see every byte (digits, word starts
//! and ends, case folding); and the same class test on sixteen bytes in a vector, for the
//! passes that classify whole blocks.

/// Bit `k` set for each of the sixteen bytes of `v` that lies in `lo..=hi` (any byte, not
/// only ASCII; `lo <= hi`, and the range narrower than all 256 values). An add moves the
/// range to the bottom of the signed bytes, and one signed comparison tests for it. Sixteen bytes to a vector: the `wide` crate,
/// SSE2 on x86-64, NEON on AArch64, plain code elsewhere.
#[inline(always)]
pub(crate) fn lanes_in_range(v: wide::u8x16, lo: u8, hi: u8) -> u64 {
    use wide::{i8x16, u8x16};
    let moved = (v + u8x16::splat(0x80_u8.wrapping_sub(lo))).cast_signed();
    let below = i8x16::splat(i8::MIN.wrapping_add_unsigned(hi - lo + 1));
    u64::from(moved.simd_lt(below).to_bitmask())
}

/// The low bit of every byte.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of every byte.
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte lane of `x` that holds an ASCII byte in `lo..=hi`
/// (`hi < 0x80`); bytes of 0x80 and above never match. Exact per lane: the sums stay
/// below 0x100, so no carry crosses into the next lane.
#[inline]
pub(crate) fn ascii_in_range(x: u64, lo: u8, hi: u8) -> u64 {
    let low7 = x & !HIGH;
    // High bit set when the low seven bits are >= lo, and when they are > hi.
    let at_least_lo = low7 + ONES * u64::from(0x80 - lo);
    let above_hi = low7 + ONES * u64::from(0x7f - hi);
    at_least_lo & !above_hi & !x & HIGH
}

/// The high bit of each byte lane of `x` that holds an ASCII letter, either case.
#[inline]
pub(crate) fn ascii_letters(x: u64) -> u64 {
    // Setting bit 5 maps exactly the capitals onto the small letters (and keeps bytes of
    // 0x80 and above out of range).
    ascii_in_range(x | (ONES * 0x20), b'a', b'z')
}

/// Eight bytes of `b` from `at`, little-endian, zero bytes past the end (a zero byte is
/// no digit, letter or space, so runs stop there).
#[inline]
pub(crate) fn load8(b: &[u8], at: usize) -> u64 {
    match b.get(at..at + 8).and_then(|c| c.first_chunk::<8>()) {
        Some(c) => u64::from_le_bytes(*c),
        None => {
            let mut buf = [0u8; 8];
            if let Some(tail) = b.get(at..) {
                buf[..tail.len()].copy_from_slice(tail);
            }
            u64::from_le_bytes(buf)
        }
    }
}

/// How many ASCII letters `x` starts with (little-endian), 0 to 8.
#[inline]
pub(crate) fn letter_run(x: u64) -> usize {
    ((!ascii_letters(x) & HIGH).trailing_zeros() / 8) as usize
}

/// How many ASCII letters `b` holds from `at` on.
#[inline]
pub(crate) fn letters_from(b: &[u8], at: usize) -> usize {
    let mut n = 0;
    loop {
        let run = letter_run(load8(b, at + n));
        n += run;
        if run < 8 {
            return n;
        }
    }
}

/// `x` with its ASCII capitals lower-cased, all eight at once (other bytes unchanged).
#[inline]
pub(crate) fn ascii_lowercase(x: u64) -> u64 {
    x | (ascii_in_range(x, b'A', b'Z') >> 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_agree_with_byte_tests() {
        for b in 0..=255u8 {
            let x = u64::from(b) * ONES;
            let digit = ascii_in_range(x, b'0', b'9');
            assert_eq!(digit == HIGH, b.is_ascii_digit(), "byte {b}");
            assert!(digit == 0 || digit == HIGH);
            let letter = ascii_letters(x);
            assert_eq!(letter == HIGH, b.is_ascii_alphabetic(), "byte {b}");
            assert!(letter == 0 || letter == HIGH);
            assert_eq!(
                ascii_lowercase(x),
                u64::from(b.to_ascii_lowercase()) * ONES,
                "byte {b}"
            );
        }
        // Runs of letters, eight at a time, stop at the end.
        let text = b"Seventh, ninety-nine paragraphs";
        for at in 0..=text.len() + 2 {
            let naive = text.get(at..).map_or(0, |r| {
                r.iter().take_while(|c| c.is_ascii_alphabetic()).count()
            });
            assert_eq!(letters_from(text, at), naive, "{at}");
        }
        // Lanes are independent: a digit next to other bytes.
        let x = u64::from_le_bytes(*b"a9/:0\xff Z");
        assert_eq!(ascii_in_range(x, b'0', b'9'), 0x80 << 8 | 0x80 << 32);
    }

    #[test]
    fn vector_lanes_agree_with_byte_tests() {
        // Every byte in every lane, against ranges at the edges of the byte values.
        let ranges = [
            (b'0', b'9'),
            (b'a', b'z'),
            (0, 0),
            (1, 255),
            (0x7f, 0x80),
            (255, 255),
        ];
        for (lo, hi) in ranges {
            for first in (0..=255u8).step_by(16) {
                let lane: [u8; 16] = std::array::from_fn(|k| first + k as u8);
                let want = (0..16)
                    .filter(|&k| (lo..=hi).contains(&lane[k]))
                    .fold(0u64, |m, k| m | 1 << k);
                assert_eq!(
                    lanes_in_range(wide::u8x16::new(lane), lo, hi),
                    want,
                    "{lo}..={hi} from {first}"
                );
            }
        }
    }
}
