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
    for (i, word) in claim_text.split_whitespace().enumerate() {
        if i > 0 {
            hash = fnv1a(hash, b" ");
        }
        hash = fnv1a(hash, word.as_bytes());
    }
    format!("{hash:016x}")
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

    #[test]
    fn value_is_pinned() {
        // Stored by code-scanning tools and baselines: must never change.
        assert_eq!(
            fingerprint("share-mismatch", "21.02 per cent (786 out of\n3,415)"),
            "2e7ed3b42ebbb913"
        );
    }
}
