//! HTML reader: the visible text of a page, one block per line, tables as rows of cells.
//!
//! Part of the `source` stage. The page is parsed by html5ever (through `scraper`), the
//! WHATWG parser that browsers follow, so unclosed `<p>` and `<td>`, XHTML's `<p/>`,
//! character references and `<script>` contents are read as a browser reads them. The
//! checked text is extracted: spans are offsets into it, and findings name their place
//! through the layout.
//!
//! What is read: text outside `<head>`, `<script>`, `<style>`, `<template>`, form
//! controls, embedded objects and elements with the `hidden` attribute or an inline
//! `display: none`; comments never. Every block element starts on a new line, `<br>` is a
//! line break, an empty paragraph is a blank line (so a plain-text file converted one
//! paragraph per line keeps its lines), and runs of spaces collapse to one, except in
//! `<pre>`. A table row is one line, `| cell | cell |`: the layout records each cell (and
//! claims are cut at cell edges), and the pipes keep the figure scanner from joining
//! figures across cells.
//! Footnote markers (`<sup>3</sup>`, `<a href="#fn3">[3]</a>`) stay in the text but are
//! hidden from the scanner, so that "786<sup>3</sup>" is not read as 7,863.

use ego_tree::iter::Edge;
use scraper::{Html, Node, node::Element};

use crate::source::{Block, Layout, Location, SourceError, SourceFile, Span, Table};

/// How deep elements may nest. The HTML5 tree builder looks through the stack of open
/// elements at every tag, so a page of 80,000 nested `<div>`s takes seconds to parse,
/// and ten times as many minutes; reports nest a few dozen deep (browsers cap the tree
/// at 512).
const MAX_NESTING: usize = 2_000;

/// Read HTML `source` (already decoded) named `name`; a page nested deeper than
/// [`MAX_NESTING`] is refused, not parsed.
pub(crate) fn read(name: String, source: &str) -> Result<SourceFile, SourceError> {
    if let Some(offset) = too_deep(source, MAX_NESTING) {
        return Err(SourceError::Corrupt {
            name,
            message: format!(
                "elements nest more than {MAX_NESTING} deep (at byte {offset}); not checked"
            ),
        });
    }
    let page = extract(source);
    Ok(SourceFile::from_extracted(
        name,
        page.text,
        &page.hidden,
        page.layout,
    ))
}

/// Where the nesting of elements first goes deeper than `limit`, by a quick scan of
/// the tags (no tree is built). Elements whose end tag is optional or implied (`p`,
/// `li`, `td` ...) and void ones are not counted, so sloppy but ordinary pages stay far
/// below the limit; a `/>` does not close an HTML element, as for the parser. Comments,
/// raw text (`<script>`, `<style>`, `<textarea>`, `<title>`) and `<svg>`/`<math>`
/// subtrees are skipped.
fn too_deep(source: &str, limit: usize) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + k;
        let rest = &bytes[at + 1..];
        if rest.starts_with(b"!--") {
            i = memchr::memmem::find(&rest[3..], b"-->").map_or(bytes.len(), |e| at + 4 + e + 3);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = at + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            i = at + 1;
            continue;
        }
        let name = source[name_start..name_start + name_len].to_ascii_lowercase();
        let end = tag_end(bytes, name_start + name_len);
        i = end;
        if closing {
            if counts_for_depth(&name) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        if matches!(
            name.as_str(),
            "script"
                | "style"
                | "textarea"
                | "title"
                | "xmp"
                | "iframe"
                | "noembed"
                | "noframes"
                | "svg"
                | "math"
        ) {
            // Up to the matching end tag (nested svg inside svg is not looked for).
            let close = format!("</{name}");
            i = find_ignoring_case(bytes, end, close.as_bytes()).unwrap_or(bytes.len());
            continue;
        }
        if counts_for_depth(&name) {
            depth += 1;
            if depth > limit {
                return Some(at);
            }
        }
    }
    None
}

/// Just past the `>` ending a tag whose name ends at `from` (quoted attribute values may
/// hold `>`).
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (k, &b) in bytes[from..].iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return from + k + 1,
            _ => {}
        }
    }
    bytes.len()
}

/// Where `needle` (lower-case ASCII) next occurs in `bytes` at or after `from`, in any case.
fn find_ignoring_case(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = needle.first()?;
    let mut i = from;
    while let Some(k) = memchr::memchr(*first, bytes.get(i..)?) {
        let at = i + k;
        if bytes
            .get(at..at + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// Elements that nest until their end tag: not void, and not closed by a sibling or an
/// ancestor's end without their own end tag.
fn counts_for_depth(name: &str) -> bool {
    !matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "param"
            | "keygen"
            | "frame"
            | "basefont"
            | "bgsound"
            | "image"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "rt"
            | "rp"
            | "rb"
            | "rtc"
            | "optgroup"
            | "option"
            | "colgroup"
            | "caption"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "html"
            | "head"
            | "body"
            | "a"
            | "button"
            | "form"
            | "nobr"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
    )
}

/// The text and structure read from a page.
#[derive(Debug, Default)]
pub(crate) struct Page {
    /// The visible text.
    pub(crate) text: String,
    /// Footnote markers, hidden from the scanner.
    pub(crate) hidden: Vec<Span>,
    /// Paragraphs, cells and tables.
    pub(crate) layout: Layout,
}

/// Parse `source` and extract its visible text and layout.
pub(crate) fn extract(source: &str) -> Page {
    let document = Html::parse_document(source);
    let mut out = Writer::default();
    // Depth inside an element whose content is not read (0: reading).
    let mut skipping = 0usize;
    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping > 0 {
                    skipping += 1;
                    continue;
                }
                match node.value() {
                    Node::Text(text) => out.text(text),
                    Node::Element(el) if is_invisible(el) => skipping = 1,
                    Node::Element(el) => out.open(el),
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skipping > 0 {
                    skipping -= 1;
                    continue;
                }
                if let Node::Element(el) = node.value() {
                    out.close(el);
                }
            }
        }
    }
    out.finish()
}

/// Elements whose content a reader never sees.
fn is_invisible(el: &Element) -> bool {
    let hidden_by_style = el.attr("style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        style.contains("display:none") || style.contains("visibility:hidden")
    });
    hidden_by_style
        || el.attr("hidden").is_some()
        || matches!(
            el.name(),
            "head"
                | "title"
                | "script"
                | "style"
                | "template"
                | "noscript"
                | "meta"
                | "link"
                | "base"
                | "iframe"
                | "object"
                | "embed"
                | "svg"
                | "math"
                | "canvas"
                | "audio"
                | "video"
                | "select"
                | "datalist"
                | "textarea"
                | "input"
                | "button"
                | "map"
        )
}

/// Elements that start on a line of their own.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "plaintext"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "tfoot"
            | "thead"
            | "tr"
            | "ul"
            | "xmp"
    )
}

/// Elements whose whitespace is kept as written.
fn is_preformatted(name: &str) -> bool {
    matches!(name, "pre" | "listing" | "xmp" | "plaintext")
}

/// HTML's collapsible whitespace (not the no-break space).
fn is_collapsible(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// A table being read.
#[derive(Debug, Default)]
struct TableBuild {
    table: Table,
    /// Whether each row is a header row (in `<thead>`, or only `<th>` cells).
    header: Vec<bool>,
    /// Where the first row starts and the last one ends.
    extent: Option<Span>,
}

/// The cell being read.
#[derive(Debug)]
struct CellBuild {
    /// Where its content starts.
    start: usize,
    /// The extent of what was written in it, if anything.
    extent: Option<Span>,
}

/// Builds the extracted text, one element at a time.
#[derive(Debug, Default)]
struct Writer {
    text: String,
    hidden: Vec<Span>,
    blocks: Vec<Block>,
    tables: Vec<Table>,
    /// Whitespace was seen and not yet written (it is written as one space before the
    /// next visible character on the same line).
    pending_space: bool,
    /// Nothing visible written since the last line break or cell start.
    fresh: bool,
    /// Depth inside preformatted elements.
    pre: usize,
    /// The paragraph being read: its extent so far.
    unit: Option<Span>,
    paragraphs: usize,
    /// Open `<p>` elements: where the text was when each opened.
    paragraph_starts: Vec<usize>,
    /// The table being read (outermost table only: nested tables read as text).
    table: Option<TableBuild>,
    /// Depth of nested tables inside the one being read.
    nested_tables: usize,
    in_thead: bool,
    /// Whether the current row has only `<th>` cells so far; `None` outside rows.
    row_all_th: Option<bool>,
    cell: Option<CellBuild>,
    /// Open footnote-marker candidates (`<sup>`, `<a href="#...">`): where each began.
    markers: Vec<usize>,
}

impl Writer {
    fn open(&mut self, el: &Element) {
        let name = el.name();
        if self.cell.is_some() || self.nested_tables > 0 {
            // Inside a cell everything is inline: blocks only separate words.
            if name == "table" {
                self.nested_tables += 1;
            }
            if is_block(name) || name == "br" || name == "td" || name == "th" {
                self.pending_space = true;
            }
            self.open_inline(el);
            return;
        }
        match name {
            "table" => {
                if self.table.is_none() {
                    self.end_line();
                    self.table = Some(TableBuild::default());
                }
            }
            "thead" => self.in_thead = true,
            "tr" if self.table.is_some() => {
                self.end_line();
                self.row_all_th = Some(true);
                if let Some(build) = self.table.as_mut() {
                    build.table.rows.push(Vec::new());
                    build.header.push(false);
                }
            }
            "td" | "th" if self.row_all_th.is_some() => self.open_cell(name == "th"),
            "br" => self.newline(),
            _ if is_block(name) => {
                self.end_line();
                if name == "p" {
                    self.paragraph_starts.push(self.text.len());
                }
                if is_preformatted(name) {
                    self.pre += 1;
                }
            }
            _ => self.open_inline(el),
        }
    }

    fn open_inline(&mut self, el: &Element) {
        let marker = el.name() == "sup"
            || (el.name() == "a" && el.attr("href").is_some_and(|h| h.starts_with('#')));
        if marker {
            self.markers.push(self.text.len());
        }
    }

    fn close(&mut self, el: &Element) {
        let name = el.name();
        if self.nested_tables > 0 {
            if name == "table" {
                self.nested_tables -= 1;
            }
            if is_block(name) || name == "td" || name == "th" {
                self.pending_space = true;
            }
            self.close_inline(el);
            return;
        }
        if self.cell.is_some() && !matches!(name, "td" | "th" | "tr" | "table") {
            if is_block(name) {
                self.pending_space = true;
            }
            self.close_inline(el);
            return;
        }
        match name {
            "td" | "th" => self.close_cell(),
            "tr" if self.row_all_th.is_some() => self.close_row(),
            "thead" => self.in_thead = false,
            "table" => {
                self.close_cell();
                self.close_row();
                self.close_table();
            }
            _ if is_block(name) => {
                self.end_line();
                if is_preformatted(name) {
                    self.pre = self.pre.saturating_sub(1);
                }
                if name == "p"
                    && let Some(start) = self.paragraph_starts.pop()
                    && start == self.text.len()
                {
                    // An empty paragraph is a blank line.
                    self.text.push('\n');
                }
            }
            _ => self.close_inline(el),
        }
    }

    fn close_inline(&mut self, el: &Element) {
        let marker = el.name() == "sup"
            || (el.name() == "a" && el.attr("href").is_some_and(|h| h.starts_with('#')));
        if !marker {
            return;
        }
        let Some(start) = self.markers.pop() else {
            return;
        };
        let written = &self.text[start..];
        if is_footnote_marker(written) {
            self.hidden.push(Span::new(start, self.text.len()));
        }
    }

    /// Write the text of a text node.
    fn text(&mut self, s: &str) {
        for c in s.chars() {
            if self.pre > 0 && self.cell.is_none() && self.nested_tables == 0 {
                if c == '\n' {
                    self.newline();
                } else {
                    self.pending_space = false;
                    self.put(c);
                }
            } else if is_collapsible(c) {
                self.pending_space = true;
            } else if c == '\u{a0}' {
                // A no-break space never collapses; it is written as a plain space, which
                // is how it reads (LibreOffice keeps a plain-text line's indent, or a line
                // of one space, as `&nbsp;`).
                if self.pending_space && !self.fresh {
                    self.text.push(' ');
                }
                self.pending_space = false;
                self.put(' ');
            } else {
                if self.pending_space && !self.fresh {
                    self.text.push(' ');
                }
                self.pending_space = false;
                self.put(c);
            }
        }
    }

    /// Write one character (not a line break), extending the block being read.
    fn put(&mut self, c: char) {
        let at = self.text.len();
        self.text.push(c);
        self.fresh = false;
        if c.is_whitespace() {
            return;
        }
        let span = Span::new(at, self.text.len());
        if let Some(cell) = self.cell.as_mut() {
            cell.extent = Some(cell.extent.map_or(span, |e| e.cover(span)));
        } else {
            self.unit = Some(self.unit.map_or(span, |e| e.cover(span)));
        }
    }

    /// A line break inside a block (`<br>`, a newline in `<pre>`).
    fn newline(&mut self) {
        self.text.push('\n');
        self.pending_space = false;
        self.fresh = true;
    }

    /// A block boundary: end the paragraph being read and start a new line.
    fn end_line(&mut self) {
        self.flush_unit();
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
        self.pending_space = false;
        self.fresh = true;
    }

    /// End the paragraph being read.
    fn flush_unit(&mut self) {
        if let Some(span) = self.unit.take() {
            self.paragraphs += 1;
            self.blocks.push(Block {
                span,
                location: Location::Paragraph {
                    paragraph: self.paragraphs,
                },
            });
        }
    }

    fn open_cell(&mut self, is_th: bool) {
        self.close_cell();
        if let Some(all_th) = self.row_all_th.as_mut() {
            *all_th &= is_th;
        }
        // "| " before the first cell, " | " between cells.
        if self.text.ends_with('\n') || self.text.is_empty() {
            self.text.push_str("| ");
        } else {
            self.text.push_str(" | ");
        }
        self.pending_space = false;
        self.fresh = true;
        self.cell = Some(CellBuild {
            start: self.text.len(),
            extent: None,
        });
    }

    fn close_cell(&mut self) {
        let Some(cell) = self.cell.take() else {
            return;
        };
        let span = cell
            .extent
            .unwrap_or_else(|| Span::new(cell.start, cell.start));
        let Some(build) = self.table.as_mut() else {
            return;
        };
        let table = self.tables.len() + 1;
        let row = build.table.rows.len();
        if let Some(cells) = build.table.rows.last_mut() {
            cells.push(span);
            self.blocks.push(Block {
                span,
                location: Location::Cell {
                    table,
                    row,
                    cell: cells.len(),
                },
            });
        }
        self.pending_space = false;
    }

    fn close_row(&mut self) {
        self.close_cell();
        let Some(all_th) = self.row_all_th.take() else {
            return;
        };
        let Some(build) = self.table.as_mut() else {
            return;
        };
        let has_cells = build.table.rows.last().is_some_and(|r| !r.is_empty());
        if has_cells {
            let at = self.text.len();
            self.text.push_str(" |");
            let start = self.text[..at].rfind('\n').map_or(0, |k| k + 1);
            let row = Span::new(start, self.text.len());
            build.extent = Some(build.extent.map_or(row, |e| e.cover(row)));
            if let Some(header) = build.header.last_mut() {
                *header = self.in_thead || all_th;
            }
        } else {
            build.table.rows.pop();
            build.header.pop();
        }
        self.end_line();
    }

    fn close_table(&mut self) {
        let Some(mut build) = self.table.take() else {
            return;
        };
        self.end_line();
        self.in_thead = false;
        if build.table.rows.is_empty() {
            return;
        }
        build.table.header_rows = build.header.iter().take_while(|h| **h).count();
        build.table.span = build.extent.unwrap_or_default();
        self.tables.push(build.table);
    }

    fn finish(mut self) -> Page {
        self.close_table();
        self.end_line();
        self.blocks.sort_by_key(|b| b.span.start);
        Page {
            text: self.text,
            hidden: self.hidden,
            layout: Layout {
                blocks: self.blocks,
                tables: self.tables,
            },
        }
    }
}

/// A footnote marker: one to three digits or note symbols, maybe in brackets.
fn is_footnote_marker(s: &str) -> bool {
    let s = s.trim();
    let s = s
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .or_else(|| s.strip_prefix('(').and_then(|r| r.strip_suffix(')')))
        .unwrap_or(s);
    let n = s.chars().count();
    (1..=3).contains(&n)
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '*' | '†' | '‡' | '§'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::settings::Settings;
    use proptest::strategy::Strategy;

    fn text(html: &str) -> String {
        extract(html).text
    }

    #[test]
    fn only_visible_text_is_read() {
        let html = r#"<!DOCTYPE html><html><head><title>Report 12</title>
            <meta name="x" content="13"><style>p { margin: 14px }</style>
            <script>var share = "786 out of 3,415 (21.02 per cent)";</script></head>
            <body><!-- 786 out of 3,415 (21.02 per cent) -->
            <p>Women: 5 &amp; men&nbsp;6 &lt;7&gt;.</p>
            <template><p>hidden 15</p></template>
            <p hidden>hidden 16</p><div style="display: none">hidden 17</div>
            <noscript>hidden 18</noscript><p>End.</p></body></html>"#;
        assert_eq!(text(html), "Women: 5 & men 6 <7>.\nEnd.\n");
    }

    #[test]
    fn blocks_start_lines_and_inline_whitespace_collapses() {
        let html = "<h1>Title</h1><p>one\n   two <b>three</b>\t four<br>five</p>\
                    <ul><li>a</li><li><p>b</p></li></ul><div>c<div>d</div>e</div>\
                    <pre>  x\n    y</pre>";
        assert_eq!(
            text(html),
            "Title\none two three four\nfive\na\nb\nc\nd\ne\n  x\n    y\n"
        );
    }

    #[test]
    fn empty_paragraphs_are_blank_lines() {
        // As LibreOffice writes a plain-text file: one paragraph per line; XHTML's `<p/>`
        // is an empty paragraph to an HTML5 parser.
        let html = "<body><p>first</p><p/><p>second</p><p></p><p>&nbsp;</p><p><br></p><p>third</p>";
        assert_eq!(text(html), "first\n\nsecond\n\n \n\nthird\n");
    }

    #[test]
    fn paragraphs_are_numbered_blocks() {
        let page =
            extract("<h2>Head</h2><p>One<br>two</p><p></p><blockquote><p>Three</p></blockquote>");
        let got: Vec<(&str, Location)> = page
            .layout
            .blocks
            .iter()
            .map(|b| (&page.text[b.span.start..b.span.end], b.location))
            .collect();
        let para = |n| Location::Paragraph { paragraph: n };
        assert_eq!(
            got,
            vec![("Head", para(1)), ("One\ntwo", para(2)), ("Three", para(3))]
        );
    }

    #[test]
    fn tables_are_rows_of_cells() {
        let html = "<p>Before</p><table><caption>Table 1</caption>\
                    <thead><tr><th>Indicator<th>2019</thead>\
                    <tr><td>Women <p>in parliament</p><td> 120 \
                    <tr><td>Total<td></table><p>After</p>";
        let page = extract(html);
        assert_eq!(
            page.text,
            "Before\nTable 1\n| Indicator | 2019 |\n| Women in parliament | 120 |\n| Total |  |\nAfter\n"
        );
        let table = &page.layout.tables[0];
        assert_eq!(table.header_rows, 1);
        let cells: Vec<Vec<&str>> = table
            .rows
            .iter()
            .map(|r| r.iter().map(|c| &page.text[c.start..c.end]).collect())
            .collect();
        assert_eq!(
            cells,
            vec![
                vec!["Indicator", "2019"],
                vec!["Women in parliament", "120"],
                vec!["Total", ""]
            ]
        );
        assert!(page.text[table.span.start..table.span.end].starts_with("| Indicator"));
        assert!(page.text[table.span.start..table.span.end].ends_with("|  |"));
        let at = page.text.find("120").expect("in the text");
        assert_eq!(
            page.layout.location_at(at),
            Some(Location::Cell {
                table: 1,
                row: 2,
                cell: 2
            })
        );
        let after = page.text.find("After").expect("in the text");
        assert_eq!(
            page.layout.location_at(after),
            Some(Location::Paragraph { paragraph: 3 })
        );
    }

    #[test]
    fn cells_do_not_run_together() {
        // Read row after row as one sentence, this would be "the same change given as
        // 17 and as 39 per cent".
        let html = "<table><tr><th>Cause of death<th>Change\
                    <tr><td>Respiratory diseases: mortality fell by<td>17 per cent\
                    <tr><td>Tuberculosis: mortality fell by<td>39 per cent</table>";
        let file = read("t.html".into(), html).expect("reads");
        let engine = Engine::builtin(Settings::default()).expect("built-in rules load");
        assert!(engine.check(&file).is_empty(), "{:?}", engine.check(&file));
        // Each cell on a line of its own is not enough: a line break is only a space.
        let lines = extract(html)
            .text
            .replace(" | ", "\n")
            .replace("| ", "")
            .replace(" |", "");
        let merged = SourceFile::from_text("t.txt", lines);
        let rules: Vec<String> = engine.check(&merged).into_iter().map(|d| d.rule).collect();
        assert_eq!(rules, vec!["contradiction"]);
    }

    #[test]
    fn footnote_markers_are_hidden_from_the_scanner() {
        let html = r##"<p>Deputies: 786<sup>3</sup> of 3,415<a href="#fn4">[4]</a>, m<sup>2</sup> and 10<sup>th</sup>.</p>"##;
        let file = read("t.html".into(), html).expect("reads");
        assert_eq!(file.text(), "Deputies: 7863 of 3,415[4], m2 and 10th.\n");
        assert_eq!(
            file.scan_text(),
            "Deputies: 786  of 3,415   , m  and 10th.\n"
        );
    }

    #[test]
    fn nested_tables_read_as_text_of_their_cell() {
        let page = extract("<table><tr><td>a<table><tr><td>b<td>c</table><td>d</table>");
        assert_eq!(page.text, "| a b c | d |\n");
        assert_eq!(page.layout.tables.len(), 1);
        assert_eq!(page.layout.tables[0].rows.len(), 1);
    }

    #[test]
    fn pages_nested_too_deep_are_refused_before_parsing() {
        let deep = format!("{}x{}", "<div>".repeat(2_001), "</div>".repeat(2_001));
        let err = read("deep.html".into(), &deep).expect_err("too deep");
        assert!(
            err.to_string()
                .starts_with("deep.html: elements nest more than 2000 deep (at byte 10000)"),
            "{err}"
        );
        // `/>` opens an HTML element all the same.
        assert!(too_deep(&"<span/>".repeat(2_001), 2_000).is_some());
        // Closed again, they never get deep; unclosed `<p>`, `<li>` and `<td>` close
        // themselves; raw text and comments hold no tags.
        let wide = "<div><b>x</b></div>".repeat(5_000);
        let sloppy = "<p>a<li>b<td>c<br><img src=x>".repeat(5_000);
        let script = format!("<script>{}</script>", "'<div>'+".repeat(5_000));
        let comment = format!("<!--{}-->", "<div>".repeat(5_000));
        for page in [wide, sloppy, script, comment] {
            assert_eq!(too_deep(&page, 2_000), None);
        }
        assert_eq!(too_deep(&"<div>".repeat(3), 2), Some(10));
    }

    proptest::proptest! {
        #[test]
        fn any_html_reads_without_panic_and_spans_fit(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(vec![
                        "<p>", "</p>", "<p/>", "<br>", "<table>", "</table>", "<tr>", "<td>",
                        "<th>", "</td>", "<thead>", "<pre>", "</pre>", "<sup>", "</sup>",
                        "<script>", "</script>", "<!--", "-->", "<div hidden>", "</div>",
                        "&nbsp;", "&amp;", " ", "\n", "12", "é", "<a href=\"#n\">", "</a>",
                    ]).prop_map(str::to_owned),
                    "\\PC{0,8}",
                ],
                0..60,
            )
        ) {
            let page = extract(&pieces.concat());
            let file = SourceFile::from_extracted(
                "p.html", page.text.clone(), &page.hidden, page.layout.clone());
            proptest::prop_assert_eq!(file.scan_text().len(), page.text.len());
            let spans = page.layout.blocks.iter().map(|b| b.span).chain(
                page.layout.tables.iter().flat_map(|t| {
                    std::iter::once(t.span).chain(t.rows.iter().flatten().copied())
                }),
            );
            for span in spans {
                proptest::prop_assert!(span.start <= span.end && span.end <= page.text.len());
                proptest::prop_assert!(page.text.is_char_boundary(span.start));
                proptest::prop_assert!(page.text.is_char_boundary(span.end));
            }
            for pair in page.layout.blocks.windows(2) {
                proptest::prop_assert!(pair[0].span.end <= pair[1].span.start);
            }
        }
    }
}
