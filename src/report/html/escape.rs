//! HTML escaping for the review page: the checked document, messages, rule docs and file
//! names are untrusted text, and every piece of it goes through [`push_escaped`].
//!
//! One function serves text content and quoted attribute values alike: `&`, `<`, `>`,
//! `"` and `'` all become character references, so the same escaped string is safe
//! between tags, inside `"..."` or `'...'` attributes, and inside `<pre>`. Nothing else
//! is changed (no entity is decoded, no whitespace moved), so byte offsets of the
//! original map to whole escaped pieces.

/// Append `text` to `out` with the five HTML-significant characters escaped.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    let mut rest = 0;
    for (i, b) in text.bytes().enumerate() {
        let replacement = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The five are ASCII, so `i` is a character boundary.
        out.push_str(&text[rest..i]);
        out.push_str(replacement);
        rest = i + 1;
    }
    out.push_str(&text[rest..]);
}

/// `text` escaped, as a new string.
pub(crate) fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_significant_characters_become_references() {
        assert_eq!(
            escaped(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }

    #[test]
    fn other_text_is_kept_byte_for_byte() {
        let text = "Women’s share — 21.02 per cent\n\tçé 3,415 \u{a0}";
        assert_eq!(escaped(text), text);
        assert_eq!(escaped(""), "");
    }

    #[test]
    fn references_in_the_input_are_not_decoded() {
        // "&lt;" in a draft is shown as written, not as "<".
        assert_eq!(escaped("&lt;b&gt; &amp;"), "&amp;lt;b&amp;gt; &amp;amp;");
    }

    #[test]
    fn escaped_text_cannot_close_an_attribute_or_open_a_tag() {
        for hostile in [
            r#"" onmouseover="alert(1)"#,
            "' autofocus onfocus='alert(1)",
            "</pre><img src=x onerror=alert(1)>",
            "<!-- <script>",
        ] {
            let out = escaped(hostile);
            assert!(!out.contains(['<', '>', '"', '\'']), "{out}");
        }
    }
}
