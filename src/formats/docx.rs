//! Word `.docx` reader: unzip the package, read `word/document.xml` (and
//! `word/footnotes.xml`) with a streaming XML parser, and give out the text a reader of
//! the document sees, with a [`Layout`] of its paragraphs, table cells and footnotes.
//!
//! Part of the `source` stage (see [`crate::formats`]). The text is one paragraph per
//! line, so a document made from a hard-wrapped text file (LibreOffice's text import
//! makes one paragraph per line) reads back line for line. Table cells are each on a line
//! of their own. Tracked changes are read as accepted: insertions in, deletions out;
//! comments, field instructions and the deleted half of a move are not text. Footnotes
//! follow the body, numbered in the order of `word/footnotes.xml` (the order Word and
//! LibreOffice write them in); separators are left out. Text boxes are read once (not
//! again from their markup-compatibility fallback), as paragraphs of their own.
//! Paragraph numbers count body paragraphs only: paragraphs in table cells are placed by
//! their cell, those in footnotes by their footnote.
//!
//! Not read: headers and footers (page furniture), endnotes, comments, and the main part
//! when a package names it other than `word/document.xml`.
//!
//! Nothing in the file is trusted: a broken archive or malformed XML is
//! [`SourceError::Corrupt`] naming the part and the byte where reading failed, and the
//! parts are never expanded beyond [`MAX_EXPANDED_BYTES`] (whatever their headers
//! declare), so a zip bomb is [`SourceError::TooLarge`], not a full disk or memory.

use std::io::{Cursor, Read};

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use zip::ZipArchive;

use crate::source::{Block, Layout, Location, SourceError, SourceFile, Span, Table};

/// Most bytes numlint expands from one `.docx` (see [`crate::limits`]). Report drafts
/// are a few megabytes of XML; a part past this is refused, not read.
pub use crate::limits::MAX_EXPANDED_BYTES;

/// The main document part (the body).
const DOCUMENT_PART: &str = "word/document.xml";
/// The footnotes part, when the document has footnotes.
const FOOTNOTES_PART: &str = "word/footnotes.xml";

/// WordprocessingML, transitional and strict.
const W_NAMESPACES: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
/// Markup compatibility (`mc:AlternateContent`).
const MC_NAMESPACE: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Read the `.docx` in `bytes`, named `name`, with the default expansion limit.
pub fn load(name: String, bytes: &[u8]) -> Result<SourceFile, SourceError> {
    load_with_limit(name, bytes, MAX_EXPANDED_BYTES)
}

/// Read the `.docx` in `bytes`, expanding at most `limit` bytes of XML.
pub fn load_with_limit(name: String, bytes: &[u8], limit: u64) -> Result<SourceFile, SourceError> {
    let parts = read_parts(&name, bytes, limit)?;
    let mut extractor = Extractor::default();
    extractor
        .read_part(&parts.document, false)
        .map_err(|e| e.into_source_error(&name, DOCUMENT_PART))?;
    if let Some(footnotes) = &parts.footnotes {
        extractor
            .read_part(footnotes, true)
            .map_err(|e| e.into_source_error(&name, FOOTNOTES_PART))?;
    }
    let (text, layout) = extractor.finish();
    Ok(SourceFile::from_extracted(name, text, &[], layout))
}

/// The XML parts numlint reads, decoded.
struct Parts {
    document: String,
    footnotes: Option<String>,
}

fn corrupt(name: &str, message: impl Into<String>) -> SourceError {
    SourceError::Corrupt {
        name: name.to_owned(),
        message: message.into(),
    }
}

fn too_large(name: &str, what: String, limit: u64) -> SourceError {
    SourceError::TooLarge {
        name: name.to_owned(),
        what,
        limit,
    }
}

/// Open the archive and expand the parts numlint reads, within `limit` bytes in all.
fn read_parts(name: &str, bytes: &[u8], limit: u64) -> Result<Parts, SourceError> {
    let mut archive = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| corrupt(name, format!("not a readable .docx (zip) archive: {e}")))?;
    let document = archive.index_for_name(DOCUMENT_PART).ok_or_else(|| {
        corrupt(
            name,
            format!("no {DOCUMENT_PART} in the archive: not a Word document"),
        )
    })?;
    let footnotes = archive.index_for_name(FOOTNOTES_PART);

    // Refuse on the declared sizes first, before anything is expanded.
    let mut declared = 0u64;
    for (index, part) in [(Some(document), DOCUMENT_PART), (footnotes, FOOTNOTES_PART)] {
        let Some(index) = index else { continue };
        let entry = archive
            .by_index(index)
            .map_err(|e| corrupt(name, format!("{part}: {e}")))?;
        declared = declared.saturating_add(entry.size());
    }
    if declared > limit {
        return Err(too_large(
            name,
            format!("the document's text ({declared} bytes uncompressed, as declared)"),
            limit,
        ));
    }

    // The declared sizes may lie: the expansion itself stops at the limit.
    let mut budget = limit;
    let document = read_part(
        name,
        &mut archive,
        document,
        DOCUMENT_PART,
        &mut budget,
        limit,
    )?;
    let footnotes = match footnotes {
        Some(index) => Some(read_part(
            name,
            &mut archive,
            index,
            FOOTNOTES_PART,
            &mut budget,
            limit,
        )?),
        None => None,
    };
    Ok(Parts {
        document,
        footnotes,
    })
}

/// Expand one part, spending at most `budget` bytes, and decode it as UTF-8.
fn read_part(
    name: &str,
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    index: usize,
    part: &str,
    budget: &mut u64,
    limit: u64,
) -> Result<String, SourceError> {
    let entry = archive
        .by_index(index)
        .map_err(|e| corrupt(name, format!("{part}: {e}")))?;
    // The declared size is only a hint for the allocation, never trusted past the budget.
    let hint = entry.size().min(*budget).min(64 * 1024 * 1024);
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    entry
        .take(budget.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| corrupt(name, format!("{part}: cannot be expanded: {e}")))?;
    let read = bytes.len() as u64;
    if read > *budget {
        return Err(too_large(
            name,
            format!("the document's text (expanding {part} went past the limit)"),
            limit,
        ));
    }
    *budget -= read;
    String::from_utf8(bytes).map_err(|e| {
        corrupt(
            name,
            format!(
                "{part}: invalid UTF-8 at byte {}",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Why a part's XML could not be read, and at which byte of the part.
#[derive(Debug)]
struct XmlError {
    position: u64,
    message: String,
}

impl XmlError {
    fn into_source_error(self, name: &str, part: &str) -> SourceError {
        corrupt(
            name,
            format!(
                "{part}: malformed XML at byte {}: {}",
                self.position, self.message
            ),
        )
    }
}

/// The WordprocessingML elements the reader acts on; everything else is walked through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Paragraph,
    ParagraphProps,
    RunProps,
    Run,
    Text,
    Tab,
    Break,
    CarriageReturn,
    NoBreakHyphen,
    Symbol,
    Table,
    Row,
    RowProps,
    Cell,
    Footnote,
    /// Deleted or moved-away content (`w:del`, `w:moveFrom`).
    Deletion,
    /// A table row marked as a header row (`w:tblHeader`).
    HeaderRow,
    /// Subtrees with no text a reader sees (properties, field instructions, deleted
    /// text, markup-compatibility fallbacks).
    Hidden,
    Other,
}

/// A WordprocessingML element's tag, from its namespace and local name.
fn classify(ns: &ResolveResult<'_>, local: &str) -> Tag {
    let ResolveResult::Bound(ns) = ns else {
        return Tag::Other;
    };
    if ns.0 == MC_NAMESPACE {
        return if local == "Fallback" {
            Tag::Hidden
        } else {
            Tag::Other
        };
    }
    if !W_NAMESPACES.contains(&ns.0) {
        return Tag::Other;
    }
    match local {
        "p" => Tag::Paragraph,
        "pPr" => Tag::ParagraphProps,
        "rPr" => Tag::RunProps,
        "r" => Tag::Run,
        "t" => Tag::Text,
        "tab" | "ptab" => Tag::Tab,
        "br" => Tag::Break,
        "cr" => Tag::CarriageReturn,
        "noBreakHyphen" => Tag::NoBreakHyphen,
        "sym" => Tag::Symbol,
        "tbl" => Tag::Table,
        "tr" => Tag::Row,
        "trPr" => Tag::RowProps,
        "tc" => Tag::Cell,
        "footnote" => Tag::Footnote,
        "del" | "moveFrom" => Tag::Deletion,
        "tblHeader" => Tag::HeaderRow,
        "delText" | "instrText" | "delInstrText" | "tblPr" | "tblGrid" | "tcPr" | "sectPr"
        | "sdtPr" | "sdtEndPr" | "tblPrEx" => Tag::Hidden,
        _ => Tag::Other,
    }
}

/// A paragraph being read.
#[derive(Debug)]
struct OpenParagraph {
    text: String,
    location: Location,
    /// The paragraph mark is a tracked deletion: accepted, the paragraph runs on into
    /// the next one.
    mark_deleted: bool,
}

/// A table row being read.
#[derive(Debug, Default)]
struct OpenRow {
    cells: Vec<Span>,
    header: bool,
    deleted: bool,
    /// Where the open cell's text starts.
    cell_start: usize,
}

/// A table being read.
#[derive(Debug)]
struct OpenTable {
    /// 1-based, in document order of the tables' starts.
    number: usize,
    start: usize,
    rows: Vec<Vec<Span>>,
    header_rows: usize,
    row: Option<OpenRow>,
}

/// Walks the XML events of the parts and builds the text and the layout.
#[derive(Debug, Default)]
struct Extractor {
    text: String,
    blocks: Vec<Block>,
    /// Finished tables, by number; nested tables finish before the table around them.
    tables: Vec<Option<Table>>,
    /// Body paragraphs so far (outside tables and footnotes).
    paragraphs: usize,
    /// Normal footnotes so far.
    footnotes: usize,
    /// The footnote being read, if any.
    footnote: Option<usize>,
    /// Open paragraphs, innermost last (a text box's paragraphs sit inside another).
    open_paragraphs: Vec<OpenParagraph>,
    /// A paragraph whose mark was deleted, waiting to run on into the next one.
    carried: Option<OpenParagraph>,
    open_tables: Vec<OpenTable>,
    /// The locations of the open cells, innermost last.
    open_cells: Vec<Location>,
    /// Tags of the open elements, innermost last.
    stack: Vec<Tag>,
    /// While inside a skipped subtree: the stack depth of its root.
    skip_from: Option<usize>,
    /// Open `w:t` elements (not nested in valid documents; counted anyway).
    texts: usize,
}

impl Extractor {
    /// Read one part's XML; `footnotes` says whether it is the footnotes part.
    fn read_part(&mut self, xml: &str, footnotes: bool) -> Result<(), XmlError> {
        let mut reader = NsReader::from_str(xml);
        reader.config_mut().expand_empty_elements = true;
        let base_depth = self.stack.len();
        loop {
            let (ns, event) = match reader.read_resolved_event() {
                Ok(r) => r,
                Err(e) => {
                    return Err(XmlError {
                        position: reader.error_position(),
                        message: e.to_string(),
                    });
                }
            };
            match event {
                Event::Start(start) => {
                    let local = start.local_name();
                    let tag = classify(&ns, local.as_ref());
                    self.start(tag, &start, footnotes);
                }
                Event::End(_) => self.end(),
                Event::Text(t) => {
                    if self.reading_text() {
                        let content = t.xml10_content();
                        self.push_text(&content);
                    }
                }
                Event::CData(t) => {
                    if self.reading_text() {
                        let content = t.xml10_content();
                        self.push_text(&content);
                    }
                }
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => match quick_xml::escape::resolve_predefined_entity(&r) {
                            Some(s) => s.to_owned(),
                            None => {
                                return Err(XmlError {
                                    position: reader.buffer_position(),
                                    message: format!("unknown entity `&{};`", &*r),
                                });
                            }
                        },
                        Err(e) => {
                            return Err(XmlError {
                                position: reader.buffer_position(),
                                message: e.to_string(),
                            });
                        }
                    };
                    if self.reading_text() {
                        self.push_text(&resolved);
                    }
                }
                Event::Eof => break,
                Event::Comment(_)
                | Event::Decl(_)
                | Event::PI(_)
                | Event::DocType(_)
                | Event::Empty(_) => {}
            }
        }
        if self.stack.len() != base_depth {
            return Err(XmlError {
                position: reader.buffer_position(),
                message: "the XML ends inside an element (truncated?)".to_owned(),
            });
        }
        Ok(())
    }

    /// True when text events are words of the document: inside `w:t`, in a paragraph,
    /// outside every skipped subtree.
    fn reading_text(&self) -> bool {
        self.skip_from.is_none() && self.texts > 0 && !self.open_paragraphs.is_empty()
    }

    fn parent(&self, up: usize) -> Option<Tag> {
        self.stack
            .len()
            .checked_sub(up + 1)
            .and_then(|i| self.stack.get(i))
            .copied()
    }

    fn start(&mut self, mut tag: Tag, element: &BytesStart<'_>, footnotes: bool) {
        if self.skip_from.is_some() {
            self.stack.push(tag);
            return;
        }
        // Tabs and breaks are text only as children of a run (`w:tabs/w:tab` in
        // paragraph properties is a tab stop).
        let in_run = self.parent(0) == Some(Tag::Run);
        match tag {
            Tag::Hidden => self.skip_from = Some(self.stack.len()),
            Tag::Deletion => {
                if self.parent(0) == Some(Tag::RunProps)
                    && self.parent(1) == Some(Tag::ParagraphProps)
                {
                    if let Some(p) = self.open_paragraphs.last_mut() {
                        p.mark_deleted = true;
                    }
                } else if self.parent(0) == Some(Tag::RowProps) {
                    if let Some(row) = self.open_row() {
                        row.deleted = true;
                    }
                } else {
                    self.skip_from = Some(self.stack.len());
                }
            }
            Tag::Paragraph => self.open_paragraph(),
            Tag::Text => self.texts += 1,
            Tag::Tab if in_run => self.push_text("\t"),
            Tag::Break if in_run => {
                let kind = attribute(element, "type");
                if matches!(kind.as_deref(), Some("page" | "column")) {
                    // A page break is no break in the text; at the start of a paragraph
                    // it is nothing at all.
                    if self
                        .open_paragraphs
                        .last()
                        .is_some_and(|p| !p.text.is_empty())
                    {
                        self.push_text(" ");
                    }
                } else {
                    self.push_text("\n");
                }
            }
            Tag::CarriageReturn if in_run => self.push_text("\n"),
            Tag::NoBreakHyphen if in_run => self.push_text("-"),
            Tag::Symbol if in_run => {
                let c = symbol(
                    attribute(element, "font").as_deref(),
                    attribute(element, "char").as_deref(),
                );
                self.push_text(c.encode_utf8(&mut [0; 4]));
            }
            Tag::Table => self.open_table(),
            Tag::Row => match self.open_tables.last_mut() {
                Some(table) => table.row = Some(OpenRow::default()),
                // A row outside a table is walked through like any element.
                None => tag = Tag::Other,
            },
            Tag::HeaderRow if self.parent(0) == Some(Tag::RowProps) => {
                let on = attribute(element, "val")
                    .is_none_or(|v| !matches!(v.as_str(), "0" | "false" | "off"));
                if let Some(row) = self.open_row() {
                    row.header = on;
                }
            }
            // Opens the cell; a cell outside a row is walked through like any element.
            Tag::Cell if !self.open_cell() => tag = Tag::Other,
            Tag::Footnote if footnotes => {
                // Separators and continuation notices are not footnotes a reader sees.
                let normal = attribute(element, "type").is_none_or(|t| t == "normal");
                if normal {
                    self.footnotes += 1;
                    self.footnote = Some(self.footnotes);
                } else {
                    self.skip_from = Some(self.stack.len());
                }
            }
            _ => {}
        }
        self.stack.push(tag);
    }

    fn end(&mut self) {
        let Some(tag) = self.stack.pop() else { return };
        if let Some(from) = self.skip_from {
            if self.stack.len() > from {
                return;
            }
            self.skip_from = None;
            // A skipped root is closed without effect, except a deleted row.
            if tag != Tag::Row {
                return;
            }
        }
        match tag {
            Tag::Paragraph => self.close_paragraph(),
            Tag::Text => self.texts = self.texts.saturating_sub(1),
            // A deleted row is left out whole: skip to its end.
            Tag::RowProps if self.open_row().is_some_and(|r| r.deleted) => {
                self.skip_from = Some(self.stack.len().saturating_sub(1));
            }
            Tag::Row => self.close_row(),
            Tag::Cell => self.close_cell(),
            Tag::Table => self.close_table(),
            Tag::Footnote => {
                self.flush_carried();
                self.footnote = None;
            }
            _ => {}
        }
    }

    fn open_row(&mut self) -> Option<&mut OpenRow> {
        self.open_tables.last_mut()?.row.as_mut()
    }

    /// Where a paragraph starting now is: its cell, its footnote, or the next body
    /// paragraph number.
    fn next_location(&mut self) -> Location {
        if let Some(cell) = self.open_cells.last() {
            *cell
        } else if let Some(footnote) = self.footnote {
            Location::Footnote { footnote }
        } else {
            self.paragraphs += 1;
            Location::Paragraph {
                paragraph: self.paragraphs,
            }
        }
    }

    fn open_paragraph(&mut self) {
        let context = self.open_cells.last().copied().or(self
            .footnote
            .map(|footnote| Location::Footnote { footnote }));
        // A paragraph whose mark was deleted runs on into this one, when both sit in
        // the same place.
        if let Some(mut carried) = self.carried.take() {
            let same_place = match context {
                Some(place) => carried.location == place,
                None => matches!(carried.location, Location::Paragraph { .. }),
            };
            if same_place {
                carried.mark_deleted = false;
                self.open_paragraphs.push(carried);
                return;
            }
            self.flush(carried);
        }
        let location = self.next_location();
        self.open_paragraphs.push(OpenParagraph {
            text: String::new(),
            location,
            mark_deleted: false,
        });
    }

    fn close_paragraph(&mut self) {
        let Some(p) = self.open_paragraphs.pop() else {
            return;
        };
        // Only a paragraph that is not inside another (text boxes) can run on.
        if p.mark_deleted && self.open_paragraphs.is_empty() {
            if let Some(previous) = self.carried.replace(p) {
                self.flush(previous);
            }
        } else {
            self.flush(p);
        }
    }

    fn flush_carried(&mut self) {
        if let Some(p) = self.carried.take() {
            self.flush(p);
        }
    }

    /// Write a finished paragraph as one line of the text, and its block.
    fn flush(&mut self, p: OpenParagraph) {
        let start = self.text.len();
        self.text.push_str(&p.text);
        let end = self.text.len();
        self.text.push('\n');
        self.add_block(Span::new(start, end), p.location);
    }

    /// Add a block; a block right after one of the same place (the paragraphs of one
    /// cell or footnote) extends it.
    fn add_block(&mut self, span: Span, location: Location) {
        if let Some(last) = self.blocks.last_mut()
            && last.location == location
            && last.span.end + 1 == span.start
        {
            last.span.end = span.end;
            return;
        }
        self.blocks.push(Block { span, location });
    }

    fn push_text(&mut self, s: &str) {
        let Some(p) = self.open_paragraphs.last_mut() else {
            return;
        };
        // Line breaks inside the XML text are spaces to Word; control characters are not
        // text. Explicit breaks (`w:br`, `w:cr`) come here as "\n" on their own.
        if s == "\n" {
            p.text.push('\n');
            return;
        }
        p.text.extend(s.chars().map(|c| match c {
            '\t' => '\t',
            c if c.is_control() => ' ',
            c => c,
        }));
    }

    fn open_table(&mut self) {
        self.flush_carried();
        self.tables.push(None);
        self.open_tables.push(OpenTable {
            number: self.tables.len(),
            start: self.text.len(),
            rows: Vec::new(),
            header_rows: 0,
            row: None,
        });
    }

    /// Start a cell; false (and nothing done) when there is no open row to hold it.
    fn open_cell(&mut self) -> bool {
        if self.open_row().is_none() {
            return false;
        }
        self.flush_carried();
        let start = self.text.len();
        let Some(table) = self.open_tables.last_mut() else {
            return false;
        };
        let (number, row_number) = (table.number, table.rows.len() + 1);
        let Some(row) = table.row.as_mut() else {
            return false;
        };
        row.cell_start = start;
        self.open_cells.push(Location::Cell {
            table: number,
            row: row_number,
            cell: row.cells.len() + 1,
        });
        true
    }

    fn close_cell(&mut self) {
        self.flush_carried();
        let Some(location) = self.open_cells.pop() else {
            return;
        };
        let Some(start) = self.open_row().map(|r| r.cell_start) else {
            return;
        };
        if self.text.len() == start {
            // A cell without a paragraph still takes its line.
            self.text.push('\n');
            self.add_block(Span::new(start, start), location);
        }
        let end = self.text.len() - 1;
        if let Some(row) = self.open_row() {
            row.cells.push(Span::new(start, end.max(start)));
        }
    }

    fn close_row(&mut self) {
        let Some(table) = self.open_tables.last_mut() else {
            return;
        };
        let Some(row) = table.row.take() else { return };
        if row.deleted {
            return;
        }
        if row.header && table.header_rows == table.rows.len() {
            table.header_rows += 1;
        }
        table.rows.push(row.cells);
    }

    fn close_table(&mut self) {
        let Some(table) = self.open_tables.pop() else {
            return;
        };
        let end = table
            .rows
            .iter()
            .flatten()
            .map(|s| s.end)
            .max()
            .unwrap_or(table.start);
        if let Some(slot) = self.tables.get_mut(table.number - 1) {
            *slot = Some(Table {
                span: Span::new(table.start, end.max(table.start)),
                rows: table.rows,
                header_rows: table.header_rows,
            });
        }
    }

    fn finish(mut self) -> (String, Layout) {
        self.flush_carried();
        let layout = Layout {
            blocks: self.blocks,
            tables: self.tables.into_iter().flatten().collect(),
        };
        (self.text, layout)
    }
}

/// The value of the attribute whose local name is `local` (`w:type`, say).
fn attribute(element: &BytesStart<'_>, local: &str) -> Option<String> {
    element.attributes().flatten().find_map(|a| {
        let key = a.key.0;
        let name = key.rsplit(':').next().unwrap_or(key);
        (name == local).then(|| a.value.trim().to_owned())
    })
}

/// The character a `w:sym` stands for. Symbol-font code points sit in the private use
/// area (`F0B1`): the common mathematical ones are mapped to Unicode; a real Unicode
/// code point is itself; anything else (Wingdings bullets and the like) is a space.
fn symbol(font: Option<&str>, code: Option<&str>) -> char {
    let Some(code) = code.and_then(|c| u32::from_str_radix(c, 16).ok()) else {
        return ' ';
    };
    let low = if (0xF000..=0xF0FF).contains(&code) {
        code - 0xF000
    } else if code < 0x100 {
        code
    } else {
        return char::from_u32(code)
            .filter(|c| !c.is_control() && !('\u{E000}'..='\u{F8FF}').contains(c))
            .unwrap_or(' ');
    };
    let symbol_font = font.is_some_and(|f| f.eq_ignore_ascii_case("symbol"));
    let mapped = match low {
        0x25 => Some('%'),
        0x2B => Some('+'),
        0x2D => Some('−'),
        0x3C => Some('<'),
        0x3D => Some('='),
        0x3E => Some('>'),
        0xA3 => Some('≤'),
        0xB0 => Some('°'),
        0xB1 => Some('±'),
        0xB3 => Some('≥'),
        0xB4 => Some('×'),
        0xB7 => Some('•'),
        0xB8 => Some('÷'),
        0xB9 => Some('≠'),
        0xBB => Some('≈'),
        _ => None,
    };
    match (symbol_font, mapped) {
        (true, Some(c)) => c,
        _ => ' ',
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    /// A `.docx` holding `body` (the children of `w:body`) and, if given, footnotes.
    pub(crate) fn docx(body: &str, footnotes: Option<&str>) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(DOCUMENT_PART, options).unwrap();
        write!(
            zip,
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}" xmlns:mc="{MC_NAMESPACE}"><w:body>{body}</w:body></w:document>"#
        )
        .unwrap();
        if let Some(notes) = footnotes {
            zip.start_file(FOOTNOTES_PART, options).unwrap();
            write!(zip, r#"<w:footnotes xmlns:w="{W}">{notes}</w:footnotes>"#).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn read(body: &str) -> SourceFile {
        load("t.docx".into(), &docx(body, None)).expect("reads")
    }

    fn p(text: &str) -> String {
        format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
    }

    #[test]
    fn paragraphs_are_lines_and_runs_merge_across_formatting() {
        let f = read(&format!(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>786 out </w:t></w:r><w:r><w:t>of 3,415</w:t></w:r></w:p><w:p/>{}"#,
            p("next &amp; last")
        ));
        assert_eq!(f.text(), "786 out of 3,415\n\nnext & last\n");
        let blocks: Vec<_> = f.layout().blocks.iter().map(|b| b.location).collect();
        assert_eq!(
            blocks,
            [1, 2, 3].map(|paragraph| Location::Paragraph { paragraph })
        );
        assert_eq!(f.layout().blocks[2].span, Span::new(18, 29));
    }

    #[test]
    fn tabs_breaks_hyphens_and_symbols() {
        let f = read(
            r#"<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:t>2020</w:t><w:noBreakHyphen/><w:t>2023 </w:t><w:sym w:font="Symbol" w:char="F0B1"/><w:t>5</w:t><w:softHyphen/><w:br w:type="page"/><w:t>end</w:t></w:r></w:p><w:p><w:r><w:br w:type="page"/><w:t>x</w:t></w:r></w:p>"#,
        );
        assert_eq!(f.text(), "a\tb\nc\n2020-2023 ±5 end\nx\n");
    }

    #[test]
    fn tracked_changes_read_as_accepted_and_hidden_text_is_left_out() {
        let f = read(
            r#"<w:p><w:r><w:t>women are </w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>786 out of 3,415, or 21.02 per cent</w:delText></w:r></w:del><w:ins w:id="2" w:author="a"><w:r><w:t>786 out of 3,415, or 23.02 per cent</w:t></w:r></w:ins><w:moveFrom w:id="3"><w:r><w:t>moved away</w:t></w:r></w:moveFrom><w:moveTo w:id="4"><w:r><w:t> (moved here)</w:t></w:r></w:moveTo><w:commentRangeStart w:id="5"/><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>.</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:commentRangeEnd w:id="5"/><w:r><w:commentReference w:id="5"/></w:r></w:p>"#,
        );
        assert_eq!(
            f.text(),
            "women are 786 out of 3,415, or 23.02 per cent (moved here).\n"
        );
    }

    #[test]
    fn a_deleted_paragraph_mark_joins_the_paragraphs() {
        let f = read(&format!(
            r#"<w:p><w:pPr><w:rPr><w:del w:id="1"/></w:rPr></w:pPr><w:r><w:t>first </w:t></w:r></w:p>{}{}"#,
            p("second"),
            p("third")
        ));
        assert_eq!(f.text(), "first second\nthird\n");
        let locations: Vec<_> = f.layout().blocks.iter().map(|b| b.location).collect();
        assert_eq!(
            locations,
            [1, 2].map(|paragraph| Location::Paragraph { paragraph })
        );
    }

    #[test]
    fn markup_compatibility_fallbacks_are_not_read_twice() {
        let f = read(&format!(
            r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>{}</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>{}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>anchor</w:t></w:r></w:p>"#,
            p("in the box"),
            p("in the box")
        ));
        assert_eq!(f.text(), "in the box\nanchor\n");
    }

    fn cell(text: &str) -> String {
        format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"100\"/></w:tcPr>{}</w:tc>",
            p(text)
        )
    }

    fn row(cells: &[&str], header: bool) -> String {
        let props = if header {
            "<w:trPr><w:tblHeader/></w:trPr>"
        } else {
            ""
        };
        let cells: String = cells.iter().map(|c| cell(c)).collect();
        format!("<w:tr>{props}{cells}</w:tr>")
    }

    #[test]
    fn table_cells_are_lines_with_their_places() {
        let total_row = format!("<w:tr>{}<w:tc><w:p/></w:tc></w:tr>", cell("Total"));
        let table = format!(
            "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid>{}{}<w:tr><w:trPr><w:del w:id=\"9\"/></w:trPr>{}</w:tr>{total_row}</w:tbl>",
            row(&["Region", "Women"], true),
            row(&["North", "120"], false),
            cell("deleted row"),
        );
        let f = read(&format!("{}{table}{}", p("Before."), p("After.")));
        assert_eq!(
            f.text(),
            "Before.\nRegion\nWomen\nNorth\n120\nTotal\n\nAfter.\n"
        );
        let tables = &f.layout().tables;
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].header_rows, 1);
        let cells: Vec<Vec<String>> = tables[0]
            .rows
            .iter()
            .map(|r| r.iter().map(|s| f.slice(*s).into_owned()).collect())
            .collect();
        assert_eq!(
            cells,
            [["Region", "Women"], ["North", "120"], ["Total", ""]]
        );
        let at = |needle: &str| f.layout().location_at(f.text().find(needle).unwrap());
        assert_eq!(
            at("120"),
            Some(Location::Cell {
                table: 1,
                row: 2,
                cell: 2
            })
        );
        assert_eq!(at("After"), Some(Location::Paragraph { paragraph: 2 }));
        assert_eq!(
            f.slice(tables[0].span),
            "Region\nWomen\nNorth\n120\nTotal\n"
        );
    }

    #[test]
    fn nested_tables_and_empty_cells() {
        let inner = format!("<w:tbl>{}</w:tbl>", row(&["a", "b"], false));
        let body = format!(
            "<w:tbl><w:tr><w:tc>{}{inner}{}</w:tc><w:tc/></w:tr></w:tbl>",
            p("outer before"),
            p("outer after")
        );
        let f = read(&body);
        assert_eq!(f.text(), "outer before\na\nb\nouter after\n\n");
        let tables = &f.layout().tables;
        assert_eq!(tables.len(), 2);
        assert_eq!(
            f.slice(tables[0].rows[0][0]),
            "outer before\na\nb\nouter after"
        );
        assert_eq!(f.slice(tables[0].rows[0][1]), "");
        assert_eq!(f.slice(tables[1].rows[0][1]), "b");
        let at = |needle: &str| f.layout().location_at(f.text().find(needle).unwrap());
        let outer = Location::Cell {
            table: 1,
            row: 1,
            cell: 1,
        };
        assert_eq!(at("outer after"), Some(outer));
        assert_eq!(
            at("b\n"),
            Some(Location::Cell {
                table: 2,
                row: 1,
                cell: 2
            })
        );
        // Blocks are sorted and do not overlap.
        let blocks = &f.layout().blocks;
        assert!(blocks.windows(2).all(|w| w[0].span.end < w[1].span.start));
    }

    #[test]
    fn footnotes_follow_the_body_without_separators() {
        let notes = format!(
            r#"<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:t>sep</w:t></w:r></w:p></w:footnote><w:footnote w:id="1">{}{}</w:footnote><w:footnote w:id="2">{}</w:footnote>"#,
            p("Source: census."),
            p("Second paragraph."),
            p("Another note.")
        );
        let bytes = docx(
            r#"<w:p><w:r><w:t>Body</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>"#,
            Some(&notes),
        );
        let f = load("n.docx".into(), &bytes).unwrap();
        assert_eq!(
            f.text(),
            "Body\nSource: census.\nSecond paragraph.\nAnother note.\n"
        );
        let at = |needle: &str| f.layout().location_at(f.text().find(needle).unwrap());
        assert_eq!(at("Second"), Some(Location::Footnote { footnote: 1 }));
        assert_eq!(at("Another"), Some(Location::Footnote { footnote: 2 }));
    }

    #[test]
    fn malformed_xml_names_the_part_and_the_byte() {
        let bytes = docx("<w:p><w:r><w:t>open</w:r></w:p>", None);
        let err = load("bad.docx".into(), &bytes).unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, SourceError::Corrupt { .. }), "{message}");
        assert!(
            message.starts_with("bad.docx: word/document.xml: malformed XML at byte "),
            "{message}"
        );
        let bytes = docx("<w:p><w:r><w:t>&nbsp;</w:t></w:r></w:p>", None);
        let message = load("e.docx".into(), &bytes).unwrap_err().to_string();
        assert!(message.contains("unknown entity `&nbsp;`"), "{message}");
    }

    #[test]
    fn a_zip_without_a_document_is_corrupt() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("hello.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"hi").unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        let message = load("x.docx".into(), &bytes).unwrap_err().to_string();
        assert_eq!(
            message,
            "x.docx: no word/document.xml in the archive: not a Word document"
        );
        let message = load("y.docx".into(), b"PK\x03\x04 not really")
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with("y.docx: not a readable .docx (zip) archive"),
            "{message}"
        );
    }

    #[test]
    fn parts_over_the_limit_are_refused() {
        let body = p(&"x".repeat(10_000));
        let bytes = docx(&body, None);
        let err = load_with_limit("big.docx".into(), &bytes, 5_000).unwrap_err();
        assert!(
            matches!(err, SourceError::TooLarge { limit: 5_000, .. }),
            "{err}"
        );
        assert!(load_with_limit("big.docx".into(), &bytes, 20_000).is_ok());
    }

    /// Pieces of WordprocessingML, to build arbitrary (often malformed) documents.
    const PIECES: &[&str] = &[
        "<w:p>",
        "</w:p>",
        "<w:r>",
        "</w:r>",
        "<w:t>",
        "</w:t>",
        "786 ",
        "é\u{2029}\t",
        "&amp;",
        "<w:tab/>",
        "<w:br/>",
        "<w:tbl>",
        "</w:tbl>",
        "<w:tr>",
        "</w:tr>",
        "<w:tc>",
        "</w:tc>",
        "<w:trPr><w:tblHeader/></w:trPr>",
        "<w:trPr><w:del/></w:trPr>",
        "<w:pPr><w:rPr><w:del/></w:rPr></w:pPr>",
        "<w:del>",
        "</w:del>",
        "<w:ins>",
        "</w:ins>",
        "<w:delText>x</w:delText>",
        "<w:txbxContent>",
        "</w:txbxContent>",
        "<mc:Fallback>",
        "</mc:Fallback>",
        "<w:footnote>",
        "</w:footnote>",
    ];

    /// Elements for well-formed arbitrary documents.
    const ELEMENTS: &[&str] = &[
        "w:p",
        "w:r",
        "w:t",
        "w:tbl",
        "w:tr",
        "w:tc",
        "w:trPr",
        "w:pPr",
        "w:rPr",
        "w:del",
        "w:ins",
        "w:moveFrom",
        "w:txbxContent",
        "mc:Fallback",
        "w:footnote",
        "w:sdtPr",
    ];

    /// A well-formed tree of [`ELEMENTS`] around text and empty elements.
    fn tree() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just("786 ".to_owned()),
            Just("é\t".to_owned()),
            Just("&amp;".to_owned()),
            Just("<w:tab/>".to_owned()),
            Just("<w:br/>".to_owned()),
            Just("<w:tblHeader/>".to_owned()),
            Just("<w:del/>".to_owned()),
        ];
        leaf.prop_recursive(8, 96, 6, |inner| {
            (0..ELEMENTS.len(), proptest::collection::vec(inner, 0..6)).prop_map(|(i, kids)| {
                let name = ELEMENTS[i];
                format!("<{name}>{}</{name}>", kids.concat())
            })
        })
    }

    /// Blocks sorted and apart, every span inside the text on character boundaries.
    fn check_layout(file: &SourceFile) -> Result<(), proptest::test_runner::TestCaseError> {
        let text = file.text();
        let layout = file.layout();
        for w in layout.blocks.windows(2) {
            proptest::prop_assert!(w[0].span.end < w[1].span.start);
        }
        let cells = layout
            .tables
            .iter()
            .flat_map(|t| t.rows.iter().flatten().copied());
        for span in layout.blocks.iter().map(|b| b.span).chain(cells) {
            proptest::prop_assert!(span.start <= span.end && span.end <= text.len());
            proptest::prop_assert!(text.is_char_boundary(span.start));
            proptest::prop_assert!(text.is_char_boundary(span.end));
        }
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        #[test]
        fn arbitrary_pieces_never_panic(
            idx in proptest::collection::vec(0..PIECES.len(), 0..80),
            in_footnotes in proptest::bool::ANY,
        ) {
            let body: String = idx.iter().map(|&i| PIECES[i]).collect();
            let bytes = if in_footnotes {
                docx(&p("body"), Some(&format!("<w:footnote>{body}</w:footnote>")))
            } else {
                docx(&body, None)
            };
            match load("p.docx".into(), &bytes) {
                Ok(file) => check_layout(&file)?,
                Err(e) => proptest::prop_assert!(matches!(e, SourceError::Corrupt { .. }), "{e:?}"),
            }
        }

        #[test]
        fn well_formed_documents_always_read(body in tree(), notes in tree()) {
            let bytes = docx(&body, Some(&notes));
            match load("w.docx".into(), &bytes) {
                Ok(file) => check_layout(&file)?,
                Err(e) => proptest::prop_assert!(false, "{e}"),
            }
        }
    }

    #[test]
    fn symbols_map_sensibly() {
        assert_eq!(symbol(Some("Symbol"), Some("F0B3")), '≥');
        assert_eq!(symbol(Some("Wingdings"), Some("F0FC")), ' ');
        assert_eq!(symbol(None, Some("2265")), '≥');
        assert_eq!(symbol(Some("Symbol"), Some("zz")), ' ');
    }
}
