//! Markdown reader (CommonMark with GitHub tables, via pulldown-cmark).
//!
//! Part of the `source` stage. The checked text is the file itself, so every span points
//! at the original `.md` bytes; what is not prose is hidden from the scanner (overwritten
//! with spaces in the scan text, newlines kept): code blocks and inline code, link and
//! image destinations and titles, image descriptions, autolinks and bare URLs, raw HTML
//! and comments, front matter, struck-through text, footnote references, and the markup
//! punctuation (heading `#`s, emphasis markers, list bullets, the delimiter row of a
//! table). Only what pulldown-cmark reports as text stays visible, and the pipes between
//! table cells.
//!
//! Table cells are kept apart twice over. The layout records each cell, and claims are
//! cut at cell edges (a row such as `| Total | 120 | 45 |` has no full stop, and would
//! otherwise read as one sentence with the next rows). The pipes stay visible, so that
//! the figure scanner does not join figures across cells either: with the pipes blanked,
//! `|120|450|` would read as 120,450 and `| 12 | per cent |` as a percentage.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

use crate::source::{Block, Layout, Location, SourceFile, Span, Table};

/// Read Markdown `text` (already decoded) named `name`.
pub(crate) fn read(name: String, text: String) -> SourceFile {
    let outline = outline(&text);
    SourceFile::from_extracted(name, text, &outline.hidden, outline.layout)
}

/// What the reader found in a Markdown text.
#[derive(Debug, Default)]
pub(crate) struct Outline {
    /// Bytes that are not prose, sorted and disjoint.
    pub(crate) hidden: Vec<Span>,
    /// Paragraphs, cells and tables.
    pub(crate) layout: Layout,
}

/// The extensions read: GitHub tables, strikethrough, task lists, footnotes, and front
/// matter (YAML `---` and TOML `+++`) so that it is recognised and hidden.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

/// Parse `text` and work out what to hide, where cells break, and the layout.
pub(crate) fn outline(text: &str) -> Outline {
    let mut walk = Walk::default();
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        walk.event(text, event, range);
    }
    walk.flush_unit();
    walk.visible.sort_unstable();
    Outline {
        hidden: complement(&walk.visible, text.len()),
        layout: Layout {
            blocks: walk.blocks,
            tables: walk.tables,
        },
    }
}

/// A block container, as far as the layout cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    /// Paragraph, heading, list item or definition-list part: its inline content is a
    /// paragraph block (or a footnote block inside a footnote definition).
    Text,
    /// A footnote definition.
    Footnote,
    /// A table row (the head counts as one).
    Row,
    /// A table cell.
    Cell,
    /// Anything else (block quote, list, table, code block, HTML block, front matter).
    Other,
}

/// One open element.
#[derive(Debug, Clone, Copy)]
struct Frame {
    /// The container, for block elements; `None` for inline ones.
    container: Option<Container>,
    /// Whether everything inside is hidden (code, images, autolinks, struck-out text).
    hides: bool,
}

/// A table row being read: where it is and its cells as pulldown-cmark gave them (with
/// their padding), to find the pipes between them.
#[derive(Debug)]
struct Row {
    span: Span,
    cells: Vec<Span>,
}

/// State carried across the events of one document.
#[derive(Debug, Default)]
struct Walk {
    visible: Vec<Span>,
    blocks: Vec<Block>,
    tables: Vec<Table>,
    /// Open elements, innermost last.
    frames: Vec<Frame>,
    /// Open block containers, innermost last.
    containers: Vec<Container>,
    /// How many of them are footnote definitions (counted, not searched for: containers
    /// can nest thousands deep).
    open_footnotes: usize,
    /// How many open frames hide their contents.
    hiding: usize,
    /// The extent of the inline content of the block being read, and its location.
    unit: Option<(Span, Location)>,
    paragraphs: usize,
    footnotes: usize,
    row: Option<Row>,
}

impl Walk {
    fn event(&mut self, text: &str, event: Event<'_>, range: Range<usize>) {
        let span = Span::new(range.start, range.end);
        match event {
            Event::Start(tag) => self.start(text, &tag, span),
            Event::End(_) => self.end(text),
            Event::Text(_) => {
                self.inline(span);
                if self.hiding == 0 {
                    self.show(text, span);
                }
            }
            // Inline code, inline HTML and comments, math, footnote references, task list
            // boxes and line breaks: part of the paragraph, never shown to the scanner.
            Event::Code(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_)
            | Event::SoftBreak
            | Event::HardBreak => self.inline(span),
            Event::Html(_) | Event::Rule => {}
        }
    }

    fn start(&mut self, text: &str, tag: &Tag<'_>, span: Span) {
        let (container, hides) = match tag {
            Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::Item
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => (Container::Text, false),
            Tag::FootnoteDefinition(_) => {
                self.footnotes += 1;
                (Container::Footnote, false)
            }
            Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_) => (Container::Other, true),
            Tag::Table(_) => {
                self.tables.push(Table {
                    span,
                    rows: Vec::new(),
                    header_rows: 0,
                });
                (Container::Other, false)
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(table) = self.tables.last_mut() {
                    table.rows.push(Vec::new());
                    if matches!(tag, Tag::TableHead) {
                        table.header_rows += 1;
                    }
                }
                self.row = Some(Row {
                    span,
                    cells: Vec::new(),
                });
                (Container::Row, false)
            }
            Tag::TableCell => {
                self.cell(text, span);
                (Container::Cell, false)
            }
            Tag::BlockQuote(_) | Tag::List(_) | Tag::DefinitionList => (Container::Other, false),
            // Inline elements: part of the block being read.
            Tag::Image { .. } | Tag::Strikethrough => {
                self.open_inline(span, true);
                return;
            }
            Tag::Link { link_type, .. } => {
                let hides = matches!(link_type, LinkType::Autolink | LinkType::Email);
                self.open_inline(span, hides);
                return;
            }
            Tag::Emphasis | Tag::Strong | Tag::Superscript | Tag::Subscript => {
                self.open_inline(span, false);
                return;
            }
        };
        self.flush_unit();
        self.open_footnotes += usize::from(container == Container::Footnote);
        self.containers.push(container);
        self.push(Frame {
            container: Some(container),
            hides,
        });
    }

    fn open_inline(&mut self, span: Span, hides: bool) {
        self.inline(span);
        self.push(Frame {
            container: None,
            hides,
        });
    }

    fn push(&mut self, frame: Frame) {
        self.hiding += usize::from(frame.hides);
        self.frames.push(frame);
    }

    fn end(&mut self, text: &str) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        self.hiding -= usize::from(frame.hides);
        if frame.container.is_some() {
            self.flush_unit();
            if self.containers.pop() == Some(Container::Footnote) {
                self.open_footnotes -= 1;
            }
        }
        if frame.container == Some(Container::Row)
            && let Some(row) = self.row.take()
        {
            self.show_pipes(text, &row);
        }
    }

    /// Show the pipes of `row` that stand between its cells (not escaped ones inside).
    fn show_pipes(&mut self, text: &str, row: &Row) {
        let bytes = text.as_bytes();
        let end = row.span.end.min(bytes.len());
        // Cells are in order: walk them alongside the pipes.
        let mut cells = row.cells.iter().peekable();
        for p in memchr::memchr_iter(b'|', &bytes[row.span.start..end]) {
            let p = row.span.start + p;
            while cells.next_if(|c| c.end <= p).is_some() {}
            if cells.peek().is_none_or(|c| p < c.start) {
                self.visible.push(Span::new(p, p + 1));
            }
        }
    }

    /// A table cell starts at `span` (its padding included, its pipes not).
    fn cell(&mut self, text: &str, span: Span) {
        let trimmed = trim(text, span);
        if let Some(row) = self.row.as_mut() {
            row.cells.push(span);
        }
        let table = self.tables.len();
        let Some(rows) = self.tables.last_mut().map(|t| &mut t.rows) else {
            return;
        };
        let row = rows.len();
        let Some(cells) = rows.last_mut() else {
            return;
        };
        cells.push(trimmed);
        let cell = cells.len();
        self.blocks.push(Block {
            span: trimmed,
            location: Location::Cell { table, row, cell },
        });
    }

    /// Inline content at `span`: it belongs to the paragraph being read, if any.
    fn inline(&mut self, span: Span) {
        let location = match self.containers.last() {
            Some(Container::Text) => {
                if self.open_footnotes > 0 {
                    Location::Footnote {
                        footnote: self.footnotes,
                    }
                } else {
                    Location::Paragraph {
                        paragraph: self.paragraphs + 1,
                    }
                }
            }
            _ => return,
        };
        match &mut self.unit {
            Some((extent, _)) => *extent = extent.cover(span),
            None => self.unit = Some((span, location)),
        }
    }

    /// End the paragraph being read, if any: it becomes a block.
    fn flush_unit(&mut self) {
        if let Some((span, location)) = self.unit.take() {
            if matches!(location, Location::Paragraph { .. }) {
                self.paragraphs += 1;
            }
            self.blocks.push(Block { span, location });
        }
    }

    /// Text at `span` is prose: show it, except bare URLs in it.
    fn show(&mut self, text: &str, span: Span) {
        let mut from = span.start;
        for url in bare_urls(text, span) {
            if url.start > from {
                self.visible.push(Span::new(from, url.start));
            }
            from = url.end;
        }
        if span.end > from {
            self.visible.push(Span::new(from, span.end));
        }
    }
}

/// `span` without the whitespace at either end (empty at its start when all blank).
fn trim(text: &str, span: Span) -> Span {
    let s = text.get(span.start..span.end).unwrap_or("");
    let lead = s.len() - s.trim_start().len();
    let body = s.trim();
    Span::new(span.start + lead, span.start + lead + body.len())
}

/// The bare URLs (`http://`, `https://`, `www.`) in the text at `span`, each up to the
/// next whitespace, without trailing punctuation (a full stop after a URL still ends the
/// sentence).
fn bare_urls(text: &str, span: Span) -> Vec<Span> {
    let s = text.get(span.start..span.end).unwrap_or("");
    let mut urls = Vec::new();
    let mut i = 0;
    while let Some(k) = next_url_start(s, i) {
        let rest = &s[k..];
        let len = rest
            .find(|c: char| c.is_whitespace() || c == '<')
            .unwrap_or(rest.len());
        let url = rest[..len].trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '"', ')']);
        urls.push(Span::new(span.start + k, span.start + k + url.len()));
        i = k + len.max(1);
    }
    urls
}

/// Where the next bare URL starts in `s` at or after `from`: `http://`, `https://` or
/// `www.` at the start of a word.
fn next_url_start(s: &str, from: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = from;
    while let Some(k) = s.get(i..)?.find(['h', 'w']) {
        let at = i + k;
        let rest = &s[at..];
        let starts_word = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        if starts_word
            && (rest.starts_with("http://")
                || rest.starts_with("https://")
                || rest.starts_with("www."))
        {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// The bytes of `[0, len)` not covered by `visible` (sorted).
fn complement(visible: &[Span], len: usize) -> Vec<Span> {
    let mut hidden = Vec::with_capacity(visible.len() + 1);
    let mut at = 0;
    for span in visible {
        if span.start > at {
            hidden.push(Span::new(at, span.start));
        }
        at = at.max(span.end);
    }
    if len > at {
        hidden.push(Span::new(at, len));
    }
    hidden
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::figures::FigureKind;
    use crate::settings::Settings;
    use proptest::strategy::Strategy;

    fn scan(md: &str) -> String {
        read("t.md".into(), md.to_owned()).scan_text().to_owned()
    }

    /// The rule ids that fire on `file` with every built-in rule.
    fn rules_fired(file: &SourceFile) -> Vec<String> {
        let engine = Engine::builtin(Settings::default()).expect("built-in rules load");
        engine.check(file).into_iter().map(|d| d.rule).collect()
    }

    #[test]
    fn code_links_html_and_front_matter_are_hidden() {
        let md = "---\ntitle: 12 of 40\n---\n\
                  # Heading 2019\n\n\
                  Text `code 12` and [a link](http://x.org/12 \"title 5\") end.\n\n\
                  ```\nfenced 7\n```\n\n    indented 8\n\n\
                  <!-- comment 9 -->\n\n<div>\nblock 10\n</div>\n\n\
                  See <http://a.org/5>, www.b.org/6 and ![alt 11](i.png) ~~old 13~~ now.\n";
        let s = scan(md);
        assert_eq!(s.len(), md.len());
        assert_eq!(s.lines().count(), md.lines().count());
        for hidden in [
            "12 of 40",
            "#",
            "code 12",
            "x.org",
            "title 5",
            "fenced 7",
            "indented 8",
            "comment 9",
            "block 10",
            "a.org",
            "b.org",
            "alt 11",
            "old 13",
            "[",
            "(",
        ] {
            assert!(!s.contains(hidden), "{hidden:?} should be hidden in {s:?}");
        }
        for kept in [
            "Heading 2019",
            "Text ",
            " and ",
            "a link",
            " end.",
            "See ",
            " now.",
        ] {
            assert!(s.contains(kept), "{kept:?} should be kept in {s:?}");
        }
        // Hidden bytes keep their place: the prose sits where it is in the file.
        let at = md.find("a link").expect("in the input");
        assert_eq!(&s[at..at + 6], "a link");
    }

    #[test]
    fn bare_urls_keep_the_full_stop_after_them() {
        let url = "https://stat.gov.kz/2023/21.02";
        let s = scan(&format!("Data at {url}. Next 5.\n"));
        assert_eq!(s, format!("Data at {}. Next 5.\n", " ".repeat(url.len())));
    }

    #[test]
    fn paragraphs_items_and_footnotes_are_numbered_blocks() {
        let md = "# Title\n\nFirst *para*.\n\n- item 1\n- item 2\n  - nested 3\n\n\
                  1. loose\n\n   second 4\n\nNote[^n].\n\n[^n]: The note 5.\n";
        let file = read("t.md".into(), md.to_owned());
        let got: Vec<(String, Location)> = file
            .layout()
            .blocks
            .iter()
            .map(|b| (file.slice(b.span).into_owned(), b.location))
            .collect();
        let para = |n| Location::Paragraph { paragraph: n };
        assert_eq!(
            got,
            vec![
                ("Title".to_owned(), para(1)),
                ("First *para*.".to_owned(), para(2)),
                ("item 1".to_owned(), para(3)),
                ("item 2".to_owned(), para(4)),
                ("nested 3".to_owned(), para(5)),
                ("loose".to_owned(), para(6)),
                ("second 4".to_owned(), para(7)),
                ("Note[^n].".to_owned(), para(8)),
                ("The note 5.".to_owned(), Location::Footnote { footnote: 1 }),
            ]
        );
    }

    #[test]
    fn tables_record_rows_cells_and_header() {
        let md = "Intro.\n\n| Indicator | 2019 |  2020 |\n|---|--:|--|\n\
                  | Women | 120 | |\nTotal | 3,415|786\n\nAfter.\n";
        let file = read("t.md".into(), md.to_owned());
        let layout = file.layout();
        assert_eq!(layout.tables.len(), 1);
        let table = &layout.tables[0];
        assert_eq!(table.header_rows, 1);
        let cells: Vec<Vec<String>> = table
            .rows
            .iter()
            .map(|r| r.iter().map(|c| file.slice(*c).into_owned()).collect())
            .collect();
        assert_eq!(
            cells,
            vec![
                vec!["Indicator", "2019", "2020"],
                vec!["Women", "120", ""],
                vec!["Total", "3,415", "786"],
            ]
        );
        assert!(file.slice(table.span).starts_with("| Indicator"));
        assert!(file.slice(table.span).trim_end().ends_with("|786"));
        let at = md.find("3,415").expect("in the input");
        assert_eq!(
            layout.location_at(at),
            Some(Location::Cell {
                table: 1,
                row: 3,
                cell: 2
            })
        );
        let after = md.find("After").expect("in the input");
        assert_eq!(
            layout.location_at(after),
            Some(Location::Paragraph { paragraph: 2 })
        );
    }

    #[test]
    fn figures_never_join_across_cells() {
        let md = "| Region | Count | Note |\n|---|---|---|\n|North|120|450|\n| South | 12 | per cent |\n";
        let file = read("t.md".into(), md.to_owned());
        let figures: Vec<(String, FigureKind)> = crate::figures::scan(file.scan_text())
            .into_iter()
            .map(|f| (file.slice(f.span()).into_owned(), f.kind))
            .collect();
        assert_eq!(
            figures
                .iter()
                .map(|(s, k)| (s.as_str(), k.clone()))
                .collect::<Vec<_>>(),
            vec![
                ("120", FigureKind::Count),
                ("450", FigureKind::Count),
                ("12", FigureKind::Count),
            ]
        );
        // Blank the pipes too, and the scanner reads across the cells.
        let blanked = without_pipes(md);
        let joined: Vec<String> = crate::figures::scan(blanked.scan_text())
            .into_iter()
            .map(|f| blanked.slice(f.span()).into_owned())
            .collect();
        assert_eq!(joined, vec!["120|450", "12 | per cent"]);
    }

    /// `md` read with its table pipes blanked as well, and no layout.
    fn without_pipes(md: &str) -> SourceFile {
        let mut hidden = outline(md).hidden;
        hidden.extend(memchr::memchr_iter(b'|', md.as_bytes()).map(|p| Span::new(p, p + 1)));
        hidden.sort_unstable();
        SourceFile::from_extracted("t.md", md.to_owned(), &hidden, Layout::default())
    }

    #[test]
    fn claims_never_span_table_cells() {
        let md = "| Indicator | Value |\n|---|---|\n\
                  | Deputies: 786 out of 3,415, or 21.02 per cent | of whom 20 per cent rural |\n\
                  | 6,925 of 7,723 schools | 89.6 per cent |\n";
        let file = read("t.md".into(), md.to_owned());
        let engine = Engine::builtin(Settings::default()).expect("built-in rules load");
        let analysis = engine.analyse(&file);
        assert!(!analysis.claims.is_empty());
        let cells: Vec<Span> = file.layout().tables[0]
            .rows
            .iter()
            .flatten()
            .copied()
            .collect();
        for claim in &analysis.claims {
            assert!(
                cells
                    .iter()
                    .any(|c| c.start <= claim.span.start && claim.span.end <= c.end),
                "claim {:?} crosses a cell edge",
                file.slice(claim.span)
            );
        }
    }

    #[test]
    fn cells_running_together_would_raise_a_false_alarm() {
        // Two causes of death, each fell by its own share: read row after row as one
        // sentence (pipes blanked, no cells in the layout), this is "the same change
        // given as 17 and as 39 per cent".
        let md = "| Cause of death | Change |\n|---|---:|\n\
                  | Respiratory diseases: mortality fell by | 17 per cent |\n\
                  | Tuberculosis: mortality fell by | 39 per cent |\n";
        let file = read("t.md".into(), md.to_owned());
        assert_eq!(rules_fired(&file), Vec::<String>::new());
        assert_eq!(
            rules_fired(&without_pipes(md)),
            vec!["contradiction".to_owned()]
        );
    }

    #[test]
    fn prose_claims_still_fire_in_markdown() {
        let md = "# Deputies\n\nWomen hold **21.02 per cent** of the seats\n(786 out of 3,415).\n\n\
                  | Note | 786 out of 3,415 (21.02 per cent) |\n|---|---|\n";
        let file = read("t.md".into(), md.to_owned());
        assert_eq!(rules_fired(&file), vec!["share-mismatch", "share-mismatch"]);
    }

    proptest::proptest! {
        #[test]
        fn any_markdown_reads_without_panic_and_keeps_offsets(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(vec![
                        "|", " | ", "\n", "\n\n", "---\n", "# ", "- ", "1. ", "> ", "`", "```\n",
                        "    ", "*", "**", "_", "~~", "[", "](", ")", "<", ">", "<!--", "-->",
                        "http://a.b/1", "![", "[^1]", "[^1]: ", "\\", "&amp;", "é", "—", "\t",
                        "|---|", ":--", "12", "3,415", "per cent", "+++\n", "<div>", "</div>",
                    ]).prop_map(str::to_owned),
                    "\\PC{0,8}",
                ],
                0..60,
            )
        ) {
            let md: String = pieces.concat();
            let file = read("p.md".into(), md.clone());
            proptest::prop_assert_eq!(file.scan_text().len(), md.len());
            proptest::prop_assert_eq!(file.text(), md.as_str());
            let layout = file.layout();
            let spans = layout
                .blocks
                .iter()
                .map(|b| b.span)
                .chain(layout.tables.iter().flat_map(|t| {
                    std::iter::once(t.span).chain(t.rows.iter().flatten().copied())
                }));
            for span in spans {
                proptest::prop_assert!(span.start <= span.end && span.end <= md.len());
                proptest::prop_assert!(md.is_char_boundary(span.start));
                proptest::prop_assert!(md.is_char_boundary(span.end));
            }
            for pair in layout.blocks.windows(2) {
                proptest::prop_assert!(pair[0].span.end <= pair[1].span.start);
            }
        }
    }
}
