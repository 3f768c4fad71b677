//! Format readers: turn the bytes of a .txt, .md, .html or .docx file into a
//! [`SourceFile`] (the text numlint checks, with hidden markup and a [`Layout`]).
//!
//! Part of the `source` stage: readers only extract text and structure; they never look
//! at figures. Plain text and Markdown keep the original bytes as the checked text, so
//! spans are offsets into the file; HTML and Word produce extracted text, and findings
//! name their place through the layout's locations.
//!
//! [`Layout`]: crate::source::Layout

use std::path::Path;

pub mod docx;
mod html;
mod markdown;

use crate::source::{SourceError, SourceFile, decode_text};

/// The formats numlint reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain UTF-8 text (`.txt` and anything unrecognised).
    Text,
    /// CommonMark / GitHub-flavoured Markdown (`.md`, `.markdown`).
    Markdown,
    /// HTML (`.html`, `.htm`).
    Html,
    /// Word Open XML (`.docx`).
    Docx,
}

impl Format {
    /// Every format, in the order `numlint` lists them.
    pub const ALL: [Format; 4] = [Format::Text, Format::Markdown, Format::Html, Format::Docx];

    /// The format a file name's extension stands for (case-insensitive); `None` when the
    /// extension is not one numlint reads.
    pub fn from_extension(ext: &str) -> Option<Format> {
        let ext = ext.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" | "xhtml" => Format::Html,
            "docx" => Format::Docx,
            _ => return None,
        })
    }

    /// The format of `path` by its extension, plain text when unrecognised.
    pub fn of_path(path: &Path) -> Format {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Format::from_extension)
            .unwrap_or(Format::Text)
    }

    /// Lower-case name, as used in `--format`-like options and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Docx => "docx",
        }
    }
}

/// Decode `bytes` named `name` as `format`; more than
/// [`crate::limits::MAX_INPUT_BYTES`] is an error, whatever the format.
pub fn load(
    name: impl Into<String>,
    bytes: Vec<u8>,
    format: Format,
) -> Result<SourceFile, SourceError> {
    let name = name.into();
    let limit = crate::limits::MAX_INPUT_BYTES;
    if bytes.len() as u64 > limit {
        return Err(SourceError::InputTooLarge { name, limit });
    }
    match format {
        Format::Text => SourceFile::from_bytes(name, bytes),
        Format::Markdown => {
            let text = decode_text(&name, bytes)?;
            Ok(markdown::read(name, text))
        }
        Format::Html => {
            let text = decode_text(&name, bytes)?;
            html::read(name, &text)
        }
        Format::Docx => docx::load(name, &bytes),
    }
}

/// Read text already decoded, as an editor holds it, named `name` and in `format`:
/// Markdown through its reader, anything else as plain text (the extracted text of HTML
/// or Word has positions an editor does not know).
pub fn read_in_place(name: impl Into<String>, text: String, format: Format) -> SourceFile {
    match format {
        Format::Markdown => markdown::read(name.into(), text),
        Format::Text | Format::Html | Format::Docx => SourceFile::from_text(name, text),
    }
}

/// Read the file at `path` (no more than [`crate::limits::MAX_INPUT_BYTES`] and a byte)
/// and decode it by its extension.
pub fn read_path(path: &Path) -> Result<SourceFile, SourceError> {
    let name = path.display().to_string();
    let bytes =
        crate::source::read_at_most(path, crate::limits::MAX_INPUT_BYTES).map_err(|source| {
            SourceError::Io {
                name: name.clone(),
                source,
            }
        })?;
    load(name, bytes, Format::of_path(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_pick_formats_case_insensitively() {
        assert_eq!(Format::of_path(Path::new("a/b.MD")), Format::Markdown);
        assert_eq!(Format::of_path(Path::new("r.docx")), Format::Docx);
        assert_eq!(Format::of_path(Path::new("r.htm")), Format::Html);
        assert_eq!(Format::of_path(Path::new("notes")), Format::Text);
        assert_eq!(Format::from_extension("pdf"), None);
    }
}
