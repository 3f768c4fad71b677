//! Tables for tests, until the format readers land: Markdown pipe tables read into a
//! [`Layout`] the way the Markdown reader will read them, and a builder that lays a grid
//! of cells out one cell per line (the shape of text extracted from Word or HTML).

use numlint::SourceFile;
use numlint::formats::{self, Format};
use numlint::source::{Block, Layout, Location, Span, Table};

/// Load a fixture by its extension through `numlint::formats::load`. A Markdown file
/// whose tables the reader did not return (while the Markdown reader is not on main) has
/// its pipe tables read by [`with_pipe_tables`]; once the reader fills `layout.tables`,
/// that fallback is never taken.
pub fn load(name: &str, bytes: Vec<u8>) -> SourceFile {
    let format = Format::of_path(std::path::Path::new(name));
    let file =
        formats::load(name, bytes, format).unwrap_or_else(|e| panic!("{name} does not load: {e}"));
    if format == Format::Markdown && file.layout().tables.is_empty() {
        with_pipe_tables(name, file.text().to_string())
    } else {
        file
    }
}

/// Load an example written in `format` (a rule's `example-format`).
pub fn load_example(example: &str, format: Format) -> SourceFile {
    let name = match format {
        Format::Markdown => "example.md",
        Format::Html => "example.html",
        Format::Docx => "example.docx",
        Format::Text => "example",
    };
    load(name, example.as_bytes().to_vec())
}

/// The text as it is, with its GitHub-style pipe tables in the layout: each cell's span
/// is its trimmed content, the pipes and the delimiter row are hidden, the row above the
/// delimiter is the header.
pub fn with_pipe_tables(name: &str, text: String) -> SourceFile {
    let mut lines = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        lines.push((at, content));
        at += line.len();
    }
    let is_row = |l: &str| l.trim_start().starts_with('|');
    let is_delimiter = |l: &str| {
        is_row(l) && l.contains('-') && l.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
    };
    let (mut tables, mut hidden, mut blocks) = (Vec::new(), Vec::new(), Vec::new());
    let mut i = 0;
    while i < lines.len() {
        if !(is_row(lines[i].1) && lines.get(i + 1).is_some_and(|l| is_delimiter(l.1))) {
            i += 1;
            continue;
        }
        let (delim_at, delim) = lines[i + 1];
        hidden.push(Span::new(delim_at, delim_at + delim.len()));
        let mut rows = vec![cells(lines[i], &mut hidden)];
        let mut j = i + 2;
        while j < lines.len() && is_row(lines[j].1) {
            rows.push(cells(lines[j], &mut hidden));
            j += 1;
        }
        let (first, last) = (lines[i], lines[j - 1]);
        let table = tables.len() + 1;
        for (r, row) in rows.iter().enumerate() {
            for (c, &span) in row.iter().enumerate() {
                blocks.push(Block {
                    span,
                    location: Location::Cell {
                        table,
                        row: r + 1,
                        cell: c + 1,
                    },
                });
            }
        }
        tables.push(Table {
            span: Span::new(first.0, last.0 + last.1.len()),
            rows,
            header_rows: 1,
        });
        i = j;
    }
    SourceFile::from_extracted(name, text, &hidden, Layout { blocks, tables })
}

/// The trimmed cells of one pipe-table line; its pipes are added to `hidden`.
fn cells((at, line): (usize, &str), hidden: &mut Vec<Span>) -> Vec<Span> {
    let bytes = line.as_bytes();
    let pipes: Vec<usize> = (0..bytes.len())
        .filter(|&k| bytes[k] == b'|' && (k == 0 || bytes[k - 1] != b'\\'))
        .collect();
    hidden.extend(pipes.iter().map(|&k| Span::new(at + k, at + k + 1)));
    let mut out = Vec::new();
    for pair in pipes.windows(2) {
        let (mut s, mut e) = (pair[0] + 1, pair[1]);
        while s < e && bytes[s].is_ascii_whitespace() {
            s += 1;
        }
        while e > s && bytes[e - 1].is_ascii_whitespace() {
            e -= 1;
        }
        out.push(Span::new(at + s, at + e));
    }
    // A row without a closing pipe still has a last cell.
    if let Some(&last) = pipes.last() {
        let rest = line[last + 1..].trim();
        if !rest.is_empty() {
            let s = last + 1 + line[last + 1..].find(rest).unwrap_or(0);
            out.push(Span::new(at + s, at + s + rest.len()));
        }
    }
    out
}

/// The rows of every pipe table in `markdown`, as cell strings.
pub fn pipe_grid(markdown: &str) -> Vec<Vec<Vec<String>>> {
    let file = with_pipe_tables("grid.md", markdown.to_string());
    file.layout()
        .tables
        .iter()
        .map(|t| {
            t.rows
                .iter()
                .map(|r| r.iter().map(|&s| file.slice(s).to_string()).collect())
                .collect()
        })
        .collect()
}

/// A document holding one table laid out one cell per line, rows separated by a blank
/// line, as text extracted from Word or HTML reads; `header_rows` as a reader would
/// report it (0 when unknown).
pub fn one_cell_per_line(rows: &[Vec<String>], header_rows: usize) -> SourceFile {
    let mut text = String::new();
    let mut spans = Vec::new();
    let mut blocks = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut cells = Vec::new();
        for (c, cell) in row.iter().enumerate() {
            let start = text.len();
            text.push_str(cell);
            let span = Span::new(start, text.len());
            text.push('\n');
            cells.push(span);
            blocks.push(Block {
                span,
                location: Location::Cell {
                    table: 1,
                    row: r + 1,
                    cell: c + 1,
                },
            });
        }
        text.push('\n');
        spans.push(cells);
    }
    let table = Table {
        span: Span::new(0, text.len()),
        rows: spans,
        header_rows,
    };
    let layout = Layout {
        blocks,
        tables: vec![table],
    };
    SourceFile::from_extracted("grid.docx", text, &[], layout)
}
