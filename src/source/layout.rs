//! Document structure recovered by a format reader: where each paragraph and table cell
//! sits in the checked text.
//!
//! Plain text has no layout (every list is empty). Markdown, HTML and Word readers fill
//! it in, so that findings can name "table 2, row 4, cell 3" and the table rules can
//! read rows and columns without re-parsing anything.

use super::Span;

/// Where a piece of the checked text came from, in terms an author can find.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Location {
    /// The n-th paragraph (1-based; headings and list items count as paragraphs).
    Paragraph {
        /// 1-based paragraph number in document order.
        paragraph: usize,
    },
    /// A table cell (all 1-based).
    Cell {
        /// Table number in document order.
        table: usize,
        /// Row within the table.
        row: usize,
        /// Cell within the row.
        cell: usize,
    },
    /// The n-th footnote (1-based).
    Footnote {
        /// 1-based footnote number.
        footnote: usize,
    },
}

/// The place in words, as an author looks for it: `paragraph 17`,
/// `table 2, row 4, cell 3`, `footnote 5`.
impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Paragraph { paragraph } => write!(f, "paragraph {paragraph}"),
            Location::Cell { table, row, cell } => {
                write!(f, "table {table}, row {row}, cell {cell}")
            }
            Location::Footnote { footnote } => write!(f, "footnote {footnote}"),
        }
    }
}

/// A block of text (paragraph, heading, list item, cell or footnote) and its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// The block's bytes in the checked text.
    pub span: Span,
    /// Where the block is in the document.
    pub location: Location,
}

/// A table: its rows of cells, each cell a span of the checked text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// The whole table.
    pub span: Span,
    /// Rows in order; each row's cells in order. Header rows come first.
    pub rows: Vec<Vec<Span>>,
    /// How many of the first rows are header rows (0 when unknown).
    pub header_rows: usize,
}

/// The structure of a document: blocks in text order and its tables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// Blocks sorted by start offset, not overlapping.
    pub blocks: Vec<Block>,
    /// Tables in document order.
    pub tables: Vec<Table>,
}

impl Layout {
    /// True for plain text: no blocks and no tables.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty() && self.tables.is_empty()
    }

    /// The start and end offsets of every table cell, sorted and without repeats: the
    /// places no sentence crosses. Empty (and not allocated) without tables.
    pub fn cell_edges(&self) -> Vec<usize> {
        let mut edges: Vec<usize> = self
            .tables
            .iter()
            .flat_map(|t| t.rows.iter().flatten())
            .flat_map(|cell| [cell.start, cell.end])
            .collect();
        edges.sort_unstable();
        edges.dedup();
        edges
    }

    /// The location of the block containing `offset`, if any.
    pub fn location_at(&self, offset: usize) -> Option<Location> {
        let i = self.blocks.partition_point(|b| b.span.start <= offset);
        let block = self.blocks.get(i.checked_sub(1)?)?;
        (offset < block.span.end.max(block.span.start + 1)).then_some(block.location)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_at_finds_the_enclosing_block() {
        let layout = Layout {
            blocks: vec![
                Block {
                    span: Span::new(0, 10),
                    location: Location::Paragraph { paragraph: 1 },
                },
                Block {
                    span: Span::new(12, 20),
                    location: Location::Cell {
                        table: 1,
                        row: 2,
                        cell: 3,
                    },
                },
            ],
            tables: Vec::new(),
        };
        assert_eq!(
            layout.location_at(3),
            Some(Location::Paragraph { paragraph: 1 })
        );
        assert_eq!(layout.location_at(11), None);
        assert_eq!(
            layout.location_at(19),
            Some(Location::Cell {
                table: 1,
                row: 2,
                cell: 3
            })
        );
        assert_eq!(layout.location_at(25), None);
    }

    #[test]
    fn locations_read_as_words() {
        let cell = Location::Cell {
            table: 2,
            row: 4,
            cell: 3,
        };
        assert_eq!(cell.to_string(), "table 2, row 4, cell 3");
        assert_eq!(
            Location::Paragraph { paragraph: 17 }.to_string(),
            "paragraph 17"
        );
        assert_eq!(Location::Footnote { footnote: 5 }.to_string(), "footnote 5");
    }
}
