//! Figures in table cells: a hedge is never read across a cell boundary.
//!
//! The scanner reads the text as prose, so "65 and over | 100" (a label cell, then a
//! value cell) gives "over 100", a hedged figure starting in the label cell. Runs after
//! the scan, only for documents with tables: a figure whose number starts a cell but
//! whose span starts in an earlier one loses the hedge and starts at its number.

use super::Figure;
use crate::source::Layout;

/// Keep the hedges of `figures` inside the table cells of `layout`.
pub fn keep_hedges_in_cells(figures: &mut [Figure], layout: &Layout) {
    if layout.tables.is_empty() {
        return;
    }
    for cell in layout.tables.iter().flat_map(|t| t.rows.iter().flatten()) {
        let first = figures.partition_point(|f| f.number.start() < cell.start);
        let Some(f) = figures.get_mut(first) else {
            continue;
        };
        if f.number.start() < cell.end && f.span().start < cell.start {
            f.whole.set_start(f.number.start());
            f.hedge = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Span, Table};

    #[test]
    fn a_hedge_from_the_cell_before_is_dropped() {
        let text = "65 and over   100";
        let mut figures = crate::figures::scan(text);
        let before = figures.iter().find(|f| f.value == 100.0).cloned();
        assert!(before.is_some_and(|f| f.hedge.is_some()));
        let layout = Layout {
            blocks: Vec::new(),
            tables: vec![Table {
                span: Span::new(0, text.len()),
                rows: vec![vec![Span::new(0, 11), Span::new(14, 17)]],
                header_rows: 0,
            }],
        };
        keep_hedges_in_cells(&mut figures, &layout);
        let after = figures.iter().find(|f| f.value == 100.0);
        assert!(after.is_some_and(|f| f.hedge.is_none() && f.span() == Span::new(14, 17)));
    }
}
