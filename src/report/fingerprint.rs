//! Stable fingerprints of findings, for code-scanning tools and the future `--baseline`.
//!
//! A finding is identified by its rule and the text of its claim, never by its line: a
//! paragraph inserted above it moves the line but keeps the fingerprint, and an edit to a
//! figure in the claim (the fix) changes it. Whitespace is collapsed (line breaks from
//! PDF extraction and re-wrapping do not count); digits are kept. The hash is FNV-1a 64,
//! written here rather than taken from a crate so that it can never change under us: SARIF
//! consumers and baselines store these strings, so this function's output is a contract.
//! The same fingerprint will key the entries of a `--baseline` file.

/// FNV-1a 64 offset basis.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV-1a 64 prime.
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a 64 over `bytes`, continuing from `hash`.
fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

/// The fingerprint of a finding of `rule` on a claim whose text is `claim_text`: 16
/// lower-case hex digits of FNV-1a 64 over `rule`, a NUL, and the claim's words joined by
/// single spaces.
///
/// Two findings of one rule on claims that read the same (a sentence repeated in a report)
/// share a fingerprint; tools that track findings count them.
pub fn fingerprint(rule: &str, claim_text: &str) -> String {
    let mut hash = fnv1a(FNV_OFFSET, rule.as_bytes());
    // The separator keeps ("ab", "c") and ("a", "bc") apart.
    hash = fnv1a(hash, &[0]);
    hash = fnv1a_words(hash, claim_text);
    format!("{hash:016x}")
}

/// FNV-1a 64 over the words of `text` (split at Unicode whitespace, as
/// `str::split_whitespace` splits) joined by single spaces, continuing from `hash`.
///
/// A run of whitespace after a word stands for one space, hashed when the next word
/// starts. The bytes of a word up to the next ASCII whitespace or non-ASCII byte are
/// found eight at a time and hashed as one slice; only a byte of 0x80 or above is
/// decoded, to tell the whitespace beyond ASCII (no-break spaces, say). A claim can run
/// to a megabyte (a contradiction between passages far apart): splitting it into words
/// character by character cost several times the hash.
fn fnv1a_words(mut hash: u64, text: &str) -> u64 {
    let bytes = text.as_bytes();
    let (mut started, mut space) = (false, false);
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        let len = if b < 0x80 {
            if matches!(b, b'\t'..=b'\r' | b' ') {
                space = started;
                at += 1;
                continue;
            }
            plain_run(bytes, at)
        } else {
            match text.get(at..).and_then(|rest| rest.chars().next()) {
                Some(c) if c.is_whitespace() => {
                    space = started;
                    at += c.len_utf8();
                    continue;
                }
                Some(c) => c.len_utf8(),
                // Not at a character's start (not reached: `at` moves a character at a
                // time): hashed as a byte of a word.
                None => 1,
            }
        };
        if space {
            hash = fnv1a(hash, b" ");
            space = false;
        }
        hash = fnv1a(hash, bytes.get(at..at + len).unwrap_or_default());
        started = true;
        at += len;
    }
    hash
}

/// How many bytes from `at` are ASCII and not whitespace (at least one: `bytes[at]` is
/// such a byte), eight at a time.
fn plain_run(bytes: &[u8], at: usize) -> usize {
    use crate::swar::{HIGH, ascii_in_range, load8};
    let rest = bytes.len() - at;
    let mut n = 0;
    while n < rest {
        let x = load8(bytes, at + n);
        let stops = ascii_in_range(x, b'\t', b'\r') | ascii_in_range(x, b' ', b' ') | (x & HIGH);
        let run = (stops.trailing_zeros() / 8) as usize;
        n += run;
        if run < 8 {
            break;
        }
    }
    // Past the end, `load8` reads zeros, which are no stops.
    n.min(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        // From the FNV reference test suite (draft-eastlake-fnv).
        assert_eq!(fnv1a(FNV_OFFSET, b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(FNV_OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(FNV_OFFSET, b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn whitespace_is_collapsed_and_digits_kept() {
        let a = fingerprint("share-mismatch", "21.02 per cent of the deputies (786");
        let b = fingerprint(
            "share-mismatch",
            "  21.02 per\ncent of the \r\n\n deputies\t(786 ",
        );
        assert_eq!(a, b);
        assert_eq!(a.len(), 16);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        let fixed = fingerprint("share-mismatch", "23.02 per cent of the deputies (786");
        assert_ne!(a, fixed, "a changed figure is a different finding");
        assert_ne!(
            a,
            fingerprint("share-rounding", "21.02 per cent of the deputies (786")
        );
    }

    #[test]
    fn rule_and_text_do_not_run_together() {
        assert_ne!(fingerprint("ab", "c"), fingerprint("a", "bc"));
    }

    /// The words of `text` hashed as the fingerprint first did: split at Unicode
    /// whitespace, joined by single spaces.
    fn split_words_hash(mut hash: u64, text: &str) -> u64 {
        for (i, word) in text.split_whitespace().enumerate() {
            if i > 0 {
                hash = fnv1a(hash, b" ");
            }
            hash = fnv1a(hash, word.as_bytes());
        }
        hash
    }

    proptest::proptest! {
        /// The byte-by-byte hash of the words is the hash of the words split at Unicode
        /// whitespace: ASCII spaces and the others (no-break, em, ideographic, line
        /// separators), runs of them and at both ends, next to other characters of two,
        /// three and four bytes and to control characters that are not whitespace.
        #[test]
        fn words_hash_as_split_words(
            text in "([a1 .\t\n\u{b}\u{c}\r\u{1c}\u{85}\u{a0}é\u{1680}\u{2003}\u{2028}\u{202f}\u{3000}€\u{1f600}]| {1,20}){0,40}",
        ) {
            proptest::prop_assert_eq!(
                fnv1a_words(FNV_OFFSET, &text),
                split_words_hash(FNV_OFFSET, &text)
            );
        }
    }

    #[test]
    fn value_is_pinned() {
        // Stored by code-scanning tools and baselines: must never change.
        assert_eq!(
            fingerprint("share-mismatch", "21.02 per cent (786 out of\n3,415)"),
            "2e7ed3b42ebbb913"
        );
    }
}
