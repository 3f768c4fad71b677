//! Open documents as the client last sent them, with incremental edits applied.

use std::path::PathBuf;

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use super::position::{Encoding, LineIndex};

/// One open document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The client's URI for it.
    pub uri: Uri,
    /// The path on disk, for `file://` URIs (config discovery and the file name).
    pub path: Option<PathBuf>,
    /// The client's language id (`markdown`, `plaintext`, ...).
    pub language: String,
    /// The latest version the client sent.
    pub version: i32,
    /// The latest text.
    pub text: String,
    /// True while the text has changed since diagnostics were last published.
    pub dirty: bool,
}

/// A change event that did not fit the document and was clamped to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clamped {
    /// What was wrong, for the log.
    pub reason: String,
}

impl Document {
    /// A newly opened document.
    pub fn new(uri: Uri, language: String, version: i32, text: String) -> Self {
        let path = file_path(&uri);
        Document {
            uri,
            path,
            language,
            version,
            text,
            dirty: true,
        }
    }

    /// True for Markdown documents (by language id or extension): they have comments, so
    /// they can take inline suppressions.
    pub fn is_markdown(&self) -> bool {
        self.language == "markdown"
            || self
                .path
                .as_ref()
                .and_then(|p| p.extension())
                .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
            || self.uri.as_str().ends_with(".md")
    }

    /// The name diagnostics and config discovery use: the path, else the URI.
    pub fn name(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => self.uri.as_str().to_string(),
        }
    }

    /// Apply the client's changes in order; ranges are in `enc`. A range outside the text
    /// is clamped to it (and reported); a reversed range is put in order.
    pub fn apply(
        &mut self,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        enc: Encoding,
    ) -> Vec<Clamped> {
        let mut clamped = Vec::new();
        for change in changes {
            match change.range {
                None => self.text = change.text,
                Some(range) => {
                    let index = LineIndex::new(&self.text);
                    let a = index.offset(&self.text, range.start, enc);
                    let b = index.offset(&self.text, range.end, enc);
                    if a.clamped || b.clamped {
                        clamped.push(Clamped {
                            reason: format!(
                                "change range {}:{}-{}:{} is outside the document (version {version}); clamped",
                                range.start.line,
                                range.start.character,
                                range.end.line,
                                range.end.character
                            ),
                        });
                    }
                    let (start, end) = (a.byte.min(b.byte), a.byte.max(b.byte));
                    self.text.replace_range(start..end, &change.text);
                }
            }
        }
        self.version = version;
        self.dirty = true;
        clamped
    }
}

/// The path of a `file://` URI (percent-decoded), or `None` for other schemes.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://host/path` and `file:///path`: the path starts at the first slash.
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(h) = bytes.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(std::str::from_utf8(h).ok()?, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    Some(PathBuf::from(String::from_utf8(out).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    fn change(l0: u32, c0: u32, l1: u32, c1: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l0, c0), Position::new(l1, c1))),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn file_uris_decode_to_paths() {
        assert_eq!(
            file_path(&uri("file:///tmp/a%20b/r%C3%A9sum%C3%A9.md")),
            Some(PathBuf::from("/tmp/a b/résumé.md"))
        );
        assert_eq!(file_path(&uri("untitled:Untitled-1")), None);
    }

    #[test]
    fn incremental_changes_use_utf16_columns() {
        let mut d = Document::new(
            uri("file:///x.txt"),
            "plaintext".into(),
            1,
            "Women’s share — 21.02 per cent\n".into(),
        );
        // "21" starts at UTF-16 column 16.
        let c = d.apply(2, vec![change(0, 16, 0, 18, "23")], Encoding::Utf16);
        assert!(c.is_empty());
        assert_eq!(d.text, "Women’s share — 23.02 per cent\n");
        assert_eq!(d.version, 2);
    }

    #[test]
    fn out_of_range_changes_clamp() {
        let mut d = Document::new(uri("file:///x.md"), "markdown".into(), 1, "ab\ncd".into());
        let c = d.apply(2, vec![change(5, 0, 9, 9, "!")], Encoding::Utf16);
        assert_eq!(c.len(), 1);
        assert_eq!(d.text, "ab\ncd!");
        let c = d.apply(3, vec![change(0, 1, 0, 0, "")], Encoding::Utf16);
        assert!(c.is_empty());
        assert_eq!(d.text, "b\ncd!");
        assert!(d.is_markdown());
    }
}
