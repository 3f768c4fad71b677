//! `numlint extract FILE`: print the text numlint checks in a file of any format, and
//! with `--layout` the paragraphs, cells and tables its reader found. For debugging a
//! format reader, or seeing why a figure was or was not read.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{CliError, Outcome};
use crate::formats::{self, Format};
use crate::rules::format::squash;
use crate::source::{Location, SourceFile, Span};

/// Arguments of `numlint extract`.
#[derive(Debug, Args)]
pub(crate) struct ExtractArgs {
    /// The file to read (.txt, .md, .html, .docx; picked by extension).
    path: PathBuf,
    /// After the text, list every block (paragraph, cell, footnote) and table with its
    /// place: line:column range and byte range in the printed text.
    #[arg(long)]
    layout: bool,
}

/// Run `numlint extract`.
pub(crate) fn run(args: &ExtractArgs) -> Result<Outcome, CliError> {
    let file = match formats::read_path(&args.path) {
        Ok(f) => f,
        Err(err) => {
            super::print_error(&err, super::ColorChoice::Auto.stderr());
            return Ok(Outcome::InputError);
        }
    };
    let mut out = super::stdout();
    // Plain text and Markdown are checked in place: show what the scanner sees, with
    // hidden markup blanked. Other formats are checked as extracted text.
    let text = match Format::of_path(&args.path) {
        Format::Text | Format::Markdown => file.scan_text(),
        Format::Html | Format::Docx => file.text(),
    };
    out.write_all(text.as_bytes())?;
    if args.layout {
        if !text.is_empty() && !text.ends_with('\n') {
            writeln!(out)?;
        }
        write_layout(&mut out, &file)?;
    }
    out.flush()?;
    Ok(Outcome::Clean)
}

/// The layout, one line per block, then one per table.
fn write_layout(out: &mut impl Write, file: &SourceFile) -> std::io::Result<()> {
    let layout = file.layout();
    writeln!(
        out,
        "# layout: {} blocks, {} tables",
        layout.blocks.len(),
        layout.tables.len()
    )?;
    for block in &layout.blocks {
        let place = match block.location {
            Location::Paragraph { paragraph } => format!("paragraph {paragraph}"),
            Location::Cell { table, row, cell } => {
                format!("table {table} row {row} cell {cell}")
            }
            Location::Footnote { footnote } => format!("footnote {footnote}"),
        };
        writeln!(
            out,
            "{place}\t{}\t{}",
            range(file, block.span),
            preview(&file.slice(block.span))
        )?;
    }
    for (i, table) in layout.tables.iter().enumerate() {
        let columns = table.rows.iter().map(Vec::len).max().unwrap_or(0);
        writeln!(
            out,
            "table {}\t{}\t{} rows ({} header), {columns} columns",
            i + 1,
            range(file, table.span),
            table.rows.len(),
            table.header_rows,
        )?;
    }
    Ok(())
}

/// `line:col-line:col bytes a..b` for a span.
fn range(file: &SourceFile, span: Span) -> String {
    let (a, b) = (file.line_col(span.start), file.line_col(span.end));
    format!(
        "{}:{}-{}:{}\tbytes {}..{}",
        a.line, a.column, b.line, b.column, span.start, span.end
    )
}

/// A block's text on one line, cut at 60 characters.
fn preview(text: &str) -> String {
    let flat = squash(text);
    match flat.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}
