//! Table claims: totals of parts and shares read from the rows and columns of the tables
//! a format reader recovered ([`Layout::tables`]).
//!
//! Third stage of the pipeline, next to the pattern matcher. The figures stage has already
//! read every cell (figures are found by span); this extractor only works out what the
//! table's structure says about them: which row or column is labelled total, which are
//! its parts, which column holds percentages and of what. Its vocabulary comes from the
//! `params:` of `rules/table.yaml`. It never does arithmetic: the checker
//! (`rules::table`) judges. When the structure is ambiguous (an "of which" breakdown, a
//! total in the middle, a column of rates) it returns nothing for that part of the table.
//!
//! A table is read twice, once down its columns (the total is a row) and once along its
//! rows (the total is a column), by the same code over a `View`: a view has
//! *positions* (the rows, or the columns, that can be a total or a part) and *lines* (the
//! columns, or the rows, each of which gives one sum).

use super::{Claim, Name};
use crate::figures::{Figure, FigureKind};
use crate::source::{Layout, Span, Table};

/// The family name of table claims.
pub const FAMILY: &str = "table";

/// Vocabulary of the table extractor (`params:` in `rules/table.yaml`). Labels are
/// compared word by word, lower-cased, with punctuation dropped ("Sub-total:" reads as
/// "sub total").
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct TableParams {
    /// Labels that open or close a total row or column ("Total", "Both sexes", "Women,
    /// total").
    pub total_labels: Vec<String>,
    /// Labels that start like a total but name a part ("All other").
    pub not_total_labels: Vec<String>,
    /// Labels that open a sub-item, which is not one of the parts ("of which", "incl.").
    pub sub_item_labels: Vec<String>,
    /// Words that make a row or column non-additive ("rate", "average", "per").
    pub non_additive_labels: Vec<String>,
    /// Words that make a row or column hold percentages ("%", "per cent", "share").
    pub percent_labels: Vec<String>,
    /// Words that say a percentage column is the distribution of one whole, so it sums to
    /// 100 even without a total row ("distribution", "structure").
    pub distribution_labels: Vec<String>,
    /// Words that say a column holds counts ("number"), dropped when a percentage column
    /// is matched with the counts it is a share of.
    pub count_labels: Vec<String>,
    /// Words dropped when a percentage column's label is matched with a count column's
    /// ("% of women" and "Women").
    pub filler_words: Vec<String>,
    /// Cells that stand for a missing or nil value ("-", "..", "n/a").
    pub missing_cells: Vec<String>,
    /// Column headers, as written (lower-case, punctuation kept), of columns that number
    /// or code the rows rather than count anything ("No.", "Code").
    pub key_column_labels: Vec<String>,
}

impl Default for TableParams {
    fn default() -> Self {
        let words = |w: &[&str]| w.iter().map(|s| (*s).to_string()).collect();
        TableParams {
            total_labels: words(&[
                "total",
                "totals",
                "grand total",
                "total general",
                "subtotal",
                "sub-total",
                "all",
                "both sexes",
                "overall",
                "sum",
            ]),
            not_total_labels: words(&["all other", "all others", "all remaining"]),
            sub_item_labels: words(&[
                "of which",
                "of whom",
                "of these",
                "of them",
                "including",
                "incl",
                "among them",
                "among whom",
                "thereof",
                "o/w",
                "excluding",
            ]),
            non_additive_labels: words(&[
                "rate",
                "rates",
                "ratio",
                "average",
                "mean",
                "median",
                "index",
                "per",
                "density",
                "coefficient",
                "rank",
                "ranking",
                "change",
                "growth",
                "year",
                "difference",
                "gap",
            ]),
            percent_labels: words(&[
                "%",
                "per cent",
                "percent",
                "percentage",
                "share",
                "proportion",
            ]),
            distribution_labels: words(&["distribution", "structure", "composition"]),
            count_labels: words(&["number", "numbers", "count", "absolute", "abs", "persons"]),
            filler_words: words(&["of", "in", "as", "the", "among", "total", "a", "in %"]),
            missing_cells: words(&[
                "-", "–", "—", "..", "...", "…", "x", "n/a", "na", ":", "*", "nil",
            ]),
            key_column_labels: words(&[
                "no.", "nr.", "n°", "№", "#", "s/n", "code", "id", "grade", "class", "age",
            ]),
        }
    }
}

/// Which way a table sum runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// Down a column: the total is a row.
    Column,
    /// Along a row: the total is a column.
    Row,
}

/// A cell holding one figure, used by a table claim.
#[derive(Debug, Clone, PartialEq)]
pub struct CellRef {
    /// The figure in the cell (index into the figure list).
    pub figure: usize,
    /// 0-based row in the table.
    pub row: usize,
    /// 0-based cell in the row.
    pub col: usize,
    /// The label of the cell's row or column as written ("Almaty", "Women"); empty when
    /// the table does not label it.
    pub name: String,
}

/// What a table claim says.
#[derive(Debug, Clone, PartialEq)]
pub enum TableCheck {
    /// A total and its parts.
    Sum {
        /// Down a column (total row) or along a row (total column).
        axis: Axis,
        /// The label of the column (or row) summed, as written; may be empty.
        line: String,
        /// The total cell; `None` for the implied 100 of a column labelled as a
        /// distribution.
        total: Option<CellRef>,
        /// Sets of parts that may make up the total, the one to report first: the claim
        /// holds when any of them adds up (a grand total may be read as the sum of the
        /// sub-totals or of every row).
        readings: Vec<Vec<CellRef>>,
        /// True when the cells are percentages (the total is then 100).
        percent: bool,
    },
    /// A percentage cell, the count it is a share of, and the base.
    Share {
        /// The percentage cell.
        pct: CellRef,
        /// The count.
        part: CellRef,
        /// The base (a total row's or total column's cell).
        whole: CellRef,
    },
}

/// A claim read from a table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableClaim {
    /// Family `table`: slots `total` and `part` (sums), `pct`, `part` and `whole`
    /// (shares); attribute `table` is the 1-based table number. Its span is the cell the
    /// claim is about (the total, the percentage), not the cells around it: a finding is
    /// placed at that cell, and labels the others.
    pub claim: Claim,
    /// 0-based index of the table in the layout.
    pub table: usize,
    /// What the claim says.
    pub check: TableCheck,
}

/// Read every table of `layout` and return its claims. Costs nothing when the layout has
/// no tables (plain text).
pub fn extract(
    layout: &Layout,
    text: &str,
    figures: &[Figure],
    params: &TableParams,
) -> Vec<TableClaim> {
    if layout.tables.is_empty() {
        return Vec::new();
    }
    let vocab = Vocab::new(params);
    let mut out = Vec::new();
    for (ti, table) in layout.tables.iter().enumerate() {
        let grid = Grid::read(ti, table, text, figures, &vocab);
        let mut views = Vec::with_capacity(2);
        views.extend(grid.down_columns());
        views.extend(grid.along_rows());
        let mut shares_seen = Vec::new();
        for view in &views {
            view.sums(&mut out);
            view.shares(&mut shares_seen, &mut out);
        }
    }
    out
}

/// Vocabulary lists, normalised once.
struct Vocab {
    total: Vec<Vec<String>>,
    not_total: Vec<Vec<String>>,
    sub_item: Vec<Vec<String>>,
    non_additive: Vec<Vec<String>>,
    percent: Vec<Vec<String>>,
    distribution: Vec<Vec<String>>,
    count: Vec<Vec<String>>,
    filler: Vec<Vec<String>>,
    missing: Vec<String>,
    key_columns: Vec<String>,
}

impl Vocab {
    fn new(p: &TableParams) -> Self {
        let norm = |l: &[String]| -> Vec<Vec<String>> {
            l.iter()
                .map(|s| words(s))
                .filter(|w| !w.is_empty())
                .collect()
        };
        Vocab {
            total: norm(&p.total_labels),
            not_total: norm(&p.not_total_labels),
            sub_item: norm(&p.sub_item_labels),
            non_additive: norm(&p.non_additive_labels),
            percent: norm(&p.percent_labels),
            distribution: norm(&p.distribution_labels),
            count: norm(&p.count_labels),
            filler: norm(&p.filler_words),
            missing: p
                .missing_cells
                .iter()
                .map(|s| s.trim().to_lowercase())
                .collect(),
            key_columns: p
                .key_column_labels
                .iter()
                .map(|s| s.trim().to_lowercase())
                .collect(),
        }
    }

    fn is_total(&self, label: &[String]) -> bool {
        !label.is_empty()
            && !self.not_total.iter().any(|p| label.starts_with(p))
            && self
                .total
                .iter()
                .any(|p| label.starts_with(p) || label.ends_with(p))
            && !self.is_non_additive(label)
            && !self.is_percent(label)
    }

    /// A column header that names a numbering or coding column ("No.").
    fn is_key_column(&self, shown: &str) -> bool {
        self.key_columns.contains(&shown.trim().to_lowercase())
    }

    fn is_sub_item(&self, label: &[String]) -> bool {
        self.sub_item.iter().any(|p| label.starts_with(p))
    }

    fn is_non_additive(&self, label: &[String]) -> bool {
        self.non_additive.iter().any(|p| contains(label, p))
    }

    fn is_percent(&self, label: &[String]) -> bool {
        self.percent.iter().any(|p| contains(label, p))
    }

    fn is_distribution(&self, label: &[String]) -> bool {
        self.distribution.iter().any(|p| contains(label, p))
    }

    /// The words left once percentage, count and filler words are dropped: "% of women"
    /// and "Women, number" both leave "women".
    fn subject(&self, label: &[String]) -> Vec<String> {
        let mut out: Vec<String> = label.to_vec();
        for list in [&self.percent, &self.count, &self.filler] {
            for p in list {
                while let Some(at) = find(&out, p) {
                    out.drain(at..at + p.len());
                }
            }
        }
        out.iter_mut().for_each(|w| {
            if w.len() > 3 && w.ends_with('s') {
                w.pop();
            }
        });
        out
    }
}

/// A label as lower-case words: letters and digits, with `%` a word of its own and `/`
/// kept inside words ("o/w"); everything else separates.
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() || c == '/' {
            cur.extend(c.to_lowercase());
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if c == '%' {
                out.push("%".to_string());
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.retain(|w| w.chars().any(|c| c != '/'));
    out
}

fn find(hay: &[String], needle: &[String]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()] == *needle)
}

fn contains(hay: &[String], needle: &[String]) -> bool {
    find(hay, needle).is_some()
}

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Content {
    /// Nothing.
    Empty,
    /// A placeholder for a missing or nil value ("-", "..").
    Missing,
    /// Exactly one figure and nothing else but markup or a footnote sign.
    Number(usize),
    /// Words, no figure.
    Text,
    /// Anything else ("15-24", "12 (3%)", "65+").
    Mixed,
}

/// One cell, read.
#[derive(Debug, Clone)]
struct Cell {
    content: Content,
    /// Label words.
    words: Vec<String>,
    /// As written, whitespace squashed and markup dropped, for messages.
    shown: String,
    /// Starts with a dash or bullet: an indented sub-item in many reports.
    bulleted: bool,
}

/// Characters around a figure that leave it a plain number cell: emphasis markup and
/// footnote signs.
fn is_decoration(c: char) -> bool {
    c.is_whitespace() || matches!(c, '*' | '_' | '`' | '†' | '‡' | '§' | '\u{a0}')
}

impl Cell {
    fn read(span: Span, text: &str, figures: &[Figure], vocab: &Vocab) -> Cell {
        let raw = text.get(span.start..span.end).unwrap_or("");
        let shown = raw
            .split(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '`'))
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let bulleted = shown.starts_with(['-', '–', '—', '•', '·']) && shown.chars().count() > 1;
        let first = figures.partition_point(|f| f.span().end <= span.start);
        let inside: Vec<usize> = (first..figures.len())
            .take_while(|&i| figures[i].span().start < span.end)
            .collect();
        let content = if shown.is_empty() {
            Content::Empty
        } else if inside.is_empty() && vocab.missing.contains(&shown.to_lowercase()) {
            Content::Missing
        } else if let [i] = inside[..] {
            let f = &figures[i].span();
            let outside = raw
                .get(..f.start.saturating_sub(span.start))
                .into_iter()
                .chain(raw.get(f.end.saturating_sub(span.start)..));
            let within = f.start >= span.start && f.end <= span.end;
            if within && outside.flat_map(str::chars).all(is_decoration) {
                Content::Number(i)
            } else {
                Content::Mixed
            }
        } else if inside.is_empty() && shown.chars().any(char::is_alphabetic) {
            Content::Text
        } else {
            Content::Mixed
        };
        Cell {
            content,
            words: words(&shown),
            shown,
            bulleted,
        }
    }

    fn number(&self) -> Option<usize> {
        match self.content {
            Content::Number(i) => Some(i),
            _ => None,
        }
    }
}

/// True when the figures, in order, are 1, 2, 3, ... (at least three): row numbers down a
/// "No." column, or column numbers in a row under the header.
fn is_numbering(figs: &[&Figure]) -> bool {
    figs.len() >= 3
        && figs
            .iter()
            .enumerate()
            .all(|(k, f)| f.exact && f.kind == FigureKind::Count && f.value == (k + 1) as f64)
}

/// A table's cells, read, with its header rows and label columns worked out.
struct Grid<'a> {
    /// 0-based table number in the layout.
    table: usize,
    figures: &'a [Figure],
    vocab: &'a Vocab,
    rows: Vec<Vec<Cell>>,
    /// Number of header rows.
    header: usize,
    /// The usual row length; rows of another length are not aligned with the columns.
    width: usize,
    /// Columns that label rows rather than hold data (no figure but years).
    label_cols: Vec<bool>,
    /// Rows that number the columns (1, 2, 3, ... under the header): neither header nor
    /// data.
    numbering: Vec<bool>,
}

/// True for a figure that can be a data value in a sum or a share (not a year).
fn is_data(f: &Figure) -> bool {
    !matches!(f.kind, FigureKind::Year)
}

impl<'a> Grid<'a> {
    fn read(
        index: usize,
        table: &Table,
        text: &str,
        figures: &'a [Figure],
        vocab: &'a Vocab,
    ) -> Self {
        let rows: Vec<Vec<Cell>> = table
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|&s| Cell::read(s, text, figures, vocab))
                    .collect()
            })
            .collect();
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        // Leading rows with no data figure are headers (years are column labels there).
        let has_data = |r: &[Cell]| {
            r.iter()
                .any(|c| c.number().is_some_and(|i| is_data(&figures[i])))
        };
        let inferred = rows
            .iter()
            .take(3.min(rows.len().saturating_sub(1)))
            .take_while(|r| !has_data(r))
            .count();
        let header = table.header_rows.max(inferred).min(rows.len());
        let numbering: Vec<bool> = rows
            .iter()
            .map(|r| {
                let figs: Vec<&Figure> = r
                    .iter()
                    .filter_map(|c| c.number().map(|i| &figures[i]))
                    .collect();
                let rest_is_short = r.iter().all(|c| {
                    c.number().is_some()
                        || c.content == Content::Empty
                        || (c.content == Content::Text && c.shown.chars().count() <= 2)
                });
                rest_is_short && is_numbering(&figs)
            })
            .collect();
        let label_cols = (0..width)
            .map(|j| {
                let mut any = false;
                let data = rows[header..]
                    .iter()
                    .zip(&numbering[header..])
                    .filter(|(r, n)| r.len() == width && !**n);
                for (r, _) in data {
                    match r[j].content {
                        Content::Number(i) if is_data(&figures[i]) => return false,
                        Content::Number(_) | Content::Text | Content::Mixed => any = true,
                        Content::Empty | Content::Missing => {}
                    }
                }
                any
            })
            .collect();
        Grid {
            table: index,
            figures,
            vocab,
            rows,
            header,
            width,
            label_cols,
            numbering,
        }
    }

    /// The label columns that label rows: the leading run of label columns ("Region",
    /// "Area"), or the first label column when the table opens with data ("Rank |
    /// Country | Score"). A label column after the data (remarks) labels nothing.
    fn stub(&self) -> Vec<usize> {
        let leading: Vec<usize> = (0..self.width)
            .take_while(|&j| self.label_cols[j])
            .collect();
        if leading.is_empty() {
            (0..self.width)
                .find(|&j| self.label_cols[j])
                .into_iter()
                .collect()
        } else {
            leading
        }
    }

    /// The first label column (0 when there is none).
    fn first_label_col(&self) -> usize {
        self.label_cols.iter().position(|&l| l).unwrap_or(0)
    }

    fn aligned(&self, r: usize) -> bool {
        self.rows[r].len() == self.width
    }

    fn data_cols(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.width).filter(|&j| !self.label_cols[j])
    }

    /// A data row's group (its first label cell, carried down from the rows above when
    /// empty, when there are two or more label columns) and its own label (the last
    /// non-empty label cell).
    fn row_labels(&self) -> Vec<(usize, Vec<String>, Option<usize>)> {
        let label_cols = self.stub();
        let mut group: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for r in (self.header..self.rows.len()).filter(|&r| !self.numbering[r]) {
            let row = &self.rows[r];
            if label_cols.len() >= 2 && self.aligned(r) {
                let first = &row[label_cols[0]];
                if !first.words.is_empty() {
                    group = first.words.clone();
                }
            }
            // An unaligned row (a note or a section heading across the table) is read by
            // its first cell.
            let own = if self.aligned(r) {
                label_cols
                    .iter()
                    .rev()
                    .copied()
                    .find(|&j| !row[j].shown.is_empty())
            } else {
                (!row.is_empty()).then_some(0)
            };
            out.push((r, group.clone(), own));
        }
        out
    }

    /// The header rows that have a cell for every column.
    fn aligned_headers(&self) -> Vec<usize> {
        (0..self.header)
            .filter(|&r| self.aligned(r) && !self.numbering[r])
            .collect()
    }

    /// The data columns as positions: each one's group (the upper header rows, carried
    /// right over empty cells) and its own label (the lowest non-empty header cell).
    fn column_positions(&self) -> Vec<Position> {
        let heads = self.aligned_headers();
        let uppers = heads.split_last().map_or(&[][..], |(_, u)| u);
        let mut carried: Vec<Vec<String>> = vec![Vec::new(); uppers.len()];
        let mut out = Vec::new();
        for j in self.data_cols() {
            let mut group = Vec::new();
            for (k, &r) in uppers.iter().enumerate() {
                let c = &self.rows[r][j];
                if !c.words.is_empty() {
                    carried[k] = c.words.clone();
                }
                group.extend(carried[k].iter().cloned());
            }
            let label = heads
                .iter()
                .rev()
                .copied()
                .find(|&r| !self.rows[r][j].shown.is_empty())
                .map(|r| (r, j));
            out.push(Position {
                index: j,
                group,
                label,
                aligned: true,
            });
        }
        out
    }

    /// The view down the columns: positions are data rows, lines are data columns.
    fn down_columns(&self) -> Option<View<'_>> {
        let labels = self.row_labels();
        let mut positions = Vec::new();
        for (r, group, own) in labels {
            let row = &self.rows[r];
            if !self.aligned(r) {
                // A row across the table with a figure leaves columns unclear.
                if row.iter().any(|c| c.number().is_some()) {
                    return None;
                }
                positions.push(Position {
                    index: r,
                    group,
                    label: own.map(|j| (r, j)),
                    aligned: false,
                });
                continue;
            }
            positions.push(Position {
                index: r,
                group,
                label: own.map(|j| (r, j)),
                aligned: true,
            });
        }
        let heads = self.aligned_headers();
        let lines = self
            .data_cols()
            .map(|j| Line {
                index: j,
                label: heads
                    .iter()
                    .flat_map(|&r| self.rows[r][j].words.iter().cloned())
                    .collect(),
                shown: heads
                    .iter()
                    .map(|&r| self.rows[r][j].shown.as_str())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
            })
            .collect();
        Some(View::new(self, Axis::Column, positions, lines))
    }

    /// The view along the rows: positions are data columns, lines are aligned data rows.
    fn along_rows(&self) -> Option<View<'_>> {
        let positions = self.column_positions();
        if positions.iter().all(|p| p.label.is_none()) {
            return None;
        }
        let labels = self.row_labels();
        let lines = labels
            .into_iter()
            .filter(|&(r, _, _)| self.aligned(r))
            .map(|(r, group, own)| {
                let mut label = group.clone();
                let own_cell = own.and_then(|j| self.rows[r].get(j));
                if let Some(c) = own_cell.filter(|c| c.words != group) {
                    label.extend(c.words.iter().cloned());
                }
                Line {
                    index: r,
                    label,
                    shown: own_cell.map(|c| c.shown.clone()).unwrap_or_default(),
                }
            })
            .collect();
        Some(View::new(self, Axis::Row, positions, lines))
    }
}

/// A row (or column) that can be a total or a part.
#[derive(Debug, Clone)]
struct Position {
    /// Row (or column) index in the table.
    index: usize,
    /// The label of the group of rows (columns) it belongs to; sums stay within a group.
    group: Vec<String>,
    /// The cell that labels it, as (row, column).
    label: Option<(usize, usize)>,
    /// False for a row whose cells do not line up with the columns.
    aligned: bool,
}

/// A column (or row) along which one sum runs.
#[derive(Debug, Clone)]
struct Line {
    /// Column (or row) index in the table.
    index: usize,
    /// Its label words (header text, or row label).
    label: Vec<String>,
    /// Its label as written.
    shown: String,
}

/// What a position is, for sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Normal,
    Total,
    /// "of which ...": not one of the parts.
    SubItem,
    /// A label with no figures: starts a section.
    Heading,
    /// Rates, averages, percentages, years: neither total nor part.
    Excluded,
}

/// A table read one way round.
struct View<'a> {
    grid: &'a Grid<'a>,
    axis: Axis,
    positions: Vec<Position>,
    lines: Vec<Line>,
    /// What each position is, for sums.
    kinds: Vec<Kind>,
}

impl<'a> View<'a> {
    fn new(grid: &'a Grid<'a>, axis: Axis, positions: Vec<Position>, lines: Vec<Line>) -> Self {
        let mut view = View {
            grid,
            axis,
            positions,
            lines,
            kinds: Vec::new(),
        };
        view.kinds = view.positions.iter().map(|p| view.kind(p)).collect();
        view
    }

    /// The cell at a position and line.
    fn cell(&self, pos: &Position, line: &Line) -> Option<&'a Cell> {
        let (r, c) = match self.axis {
            Axis::Column => (pos.index, line.index),
            Axis::Row => (line.index, pos.index),
        };
        self.grid.rows.get(r)?.get(c)
    }

    fn label(&self, pos: &Position) -> Option<&'a Cell> {
        pos.label.and_then(|(r, c)| self.grid.rows.get(r)?.get(c))
    }

    fn label_words(&self, pos: &Position) -> &'a [String] {
        self.label(pos).map_or(&[], |c| c.words.as_slice())
    }

    fn kind(&self, pos: &Position) -> Kind {
        let (grid, figures, vocab) = (self.grid, self.grid.figures, self.grid.vocab);
        let cell = self.label(pos);
        let words = cell.map_or(&[][..], |c| c.words.as_slice());
        let cells: Vec<&Cell> = if pos.aligned {
            self.lines
                .iter()
                .filter_map(|l| self.cell(pos, l))
                .collect()
        } else {
            Vec::new()
        };
        let numbers: Vec<usize> = cells.iter().filter_map(|c| c.number()).collect();
        // "-" and ".." stand for values: a line of them is a part whose value is unknown.
        let missing = cells.iter().any(|c| c.content == Content::Missing);
        let key_column =
            self.axis == Axis::Row && cell.is_some_and(|c| vocab.is_key_column(&c.shown));
        let figs: Vec<&Figure> = numbers.iter().map(|&i| &figures[i]).collect();
        if vocab.is_non_additive(words) || vocab.is_percent(words) || key_column {
            Kind::Excluded
        } else if self.axis == Axis::Row
            && pos.index <= grid.first_label_col()
            && is_numbering(&figs)
        {
            // Row numbers down a first "No." column.
            Kind::Excluded
        } else if vocab.is_total(words) {
            Kind::Total
        } else if vocab.is_sub_item(words) || cell.is_some_and(|c| c.bulleted) {
            Kind::SubItem
        } else if numbers.is_empty() && !missing {
            if words.is_empty() {
                Kind::Excluded
            } else {
                Kind::Heading
            }
        } else if !numbers.is_empty() && numbers.iter().all(|&i| !is_data(&figures[i])) {
            Kind::Excluded
        } else {
            Kind::Normal
        }
    }

    fn cell_ref(&self, pos: &Position, line: &Line, figure: usize) -> Option<CellRef> {
        let (row, col) = match self.axis {
            Axis::Column => (pos.index, line.index),
            Axis::Row => (line.index, pos.index),
        };
        Some(CellRef {
            figure,
            row,
            col,
            name: self.label(pos).map(|c| c.shown.clone())?,
        })
    }

    /// The groups of consecutive positions with the same group label.
    fn groups(&self) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..=self.positions.len() {
            if i == self.positions.len() || self.positions[i].group != self.positions[start].group {
                out.push(start..i);
                start = i;
            }
        }
        out
    }

    /// Total-of-parts claims, one per line and total position.
    fn sums(&self, out: &mut Vec<TableClaim>) {
        let (vocab, kinds) = (self.grid.vocab, &self.kinds);
        for range in self.groups() {
            let group = &self.positions[range.start].group;
            if vocab.is_total(group) || vocab.is_non_additive(group) {
                continue;
            }
            // "of which:" on a line of its own: the rows under it are sub-items, but
            // nothing marks where they end.
            if range
                .clone()
                .any(|i| kinds[i] == Kind::SubItem && !self.has_numbers(&self.positions[i]))
            {
                continue;
            }
            let mut seq: Vec<usize> = range.filter(|&i| kinds[i] != Kind::Excluded).collect();
            // A unit line above the rows, a source note below them: not part of the sums.
            while seq.last().is_some_and(|&i| kinds[i] == Kind::Heading) {
                seq.pop();
            }
            let lead = seq
                .iter()
                .take_while(|&&i| kinds[i] == Kind::Heading)
                .count();
            seq.drain(..lead);
            let plans = plan_totals(&seq, kinds);
            let implied = plans.is_empty() && !seq.iter().any(|&i| kinds[i] == Kind::Total);
            for line in &self.lines {
                if vocab.is_non_additive(&line.label)
                    || (self.axis == Axis::Column && vocab.is_key_column(&line.shown))
                {
                    continue;
                }
                let percent = vocab.is_percent(&line.label) || vocab.is_percent(group);
                for plan in &plans {
                    self.sum_claim(line, plan, percent, out);
                }
                if implied
                    && percent
                    && (vocab.is_distribution(&line.label) || vocab.is_distribution(group))
                {
                    let parts: Vec<usize> = seq
                        .iter()
                        .copied()
                        .filter(|&i| kinds[i] == Kind::Normal)
                        .collect();
                    if heading_between_parts(&seq, kinds) {
                        continue;
                    }
                    let plan = Plan {
                        total: None,
                        readings: vec![parts],
                    };
                    self.sum_claim(line, &plan, true, out);
                }
            }
        }
    }

    fn has_numbers(&self, pos: &Position) -> bool {
        pos.aligned
            && self
                .lines
                .iter()
                .any(|l| self.cell(pos, l).is_some_and(|c| c.number().is_some()))
    }

    fn sum_claim(&self, line: &Line, plan: &Plan, percent: bool, out: &mut Vec<TableClaim>) {
        let (table, figures) = (self.grid.table, self.grid.figures);
        let number_at = |i: usize| -> Option<CellRef> {
            let pos = &self.positions[i];
            let n = self.cell(pos, line)?.number()?;
            self.cell_ref(pos, line, n)
        };
        let total = match plan.total {
            Some(t) => match number_at(t) {
                Some(c) => Some(c),
                None => return,
            },
            None => None,
        };
        let Some(reported) = plan.readings.first() else {
            return;
        };
        if reported.len() < 2 {
            return;
        }
        // Every part of the reported reading must be a figure: an empty, "-" or ".."
        // cell leaves the sum unknown.
        let Some(first) = reported
            .iter()
            .map(|&i| number_at(i))
            .collect::<Option<Vec<_>>>()
        else {
            return;
        };
        let mut readings = vec![first];
        readings.extend(
            plan.readings[1..]
                .iter()
                .filter_map(|r| r.iter().map(|&i| number_at(i)).collect()),
        );
        // The claim is where the total is; an implied 100 is the whole column.
        let span = match &total {
            Some(t) => figures[t.figure].span(),
            None => readings[0]
                .iter()
                .map(|c| figures[c.figure].span())
                .reduce(Span::cover)
                .unwrap_or_default(),
        };
        let mut slots: Vec<(Name, usize)> =
            total.iter().map(|c| ("total".into(), c.figure)).collect();
        slots.extend(readings[0].iter().map(|c| ("part".into(), c.figure)));
        let mut claim = Claim::new(FAMILY, span, slots);
        claim.attrs.push(("table", (table + 1).to_string()));
        claim.attrs.push((
            "axis",
            match self.axis {
                Axis::Column => "column",
                Axis::Row => "row",
            }
            .to_string(),
        ));
        out.push(TableClaim {
            claim,
            table,
            check: TableCheck::Sum {
                axis: self.axis,
                line: line.shown.clone(),
                total,
                readings,
                percent,
            },
        });
    }

    /// Share claims: a percentage position labelled after a count position ("% women"
    /// beside "Women", the total as base), and a percentage line after a count line
    /// ("Number" then "%", the total row as base).
    fn shares(&self, seen: &mut Vec<usize>, out: &mut Vec<TableClaim>) {
        let (figures, vocab, kinds) = (self.grid.figures, self.grid.vocab, &self.kinds);
        for range in self.groups() {
            let totals: Vec<usize> = range.clone().filter(|&i| kinds[i] == Kind::Total).collect();
            let [t] = totals[..] else { continue };
            // "% women" beside "Women": the same subject once percentage words go.
            for p in range.clone() {
                let words = self.label_words(&self.positions[p]);
                if !vocab.is_percent(words) || vocab.is_non_additive(words) {
                    continue;
                }
                let subject = vocab.subject(words);
                if subject.is_empty() {
                    continue;
                }
                let matches: Vec<usize> = range
                    .clone()
                    .filter(|&q| matches!(kinds[q], Kind::Normal | Kind::SubItem))
                    .filter(|&q| vocab.subject(self.label_words(&self.positions[q])) == subject)
                    .collect();
                let [q] = matches[..] else { continue };
                if self.is_distribution(&self.positions[p]) {
                    continue;
                }
                for line in self
                    .lines
                    .iter()
                    .filter(|l| !vocab.is_non_additive(&l.label))
                {
                    self.share_claim(line, line, [p, q, t], seen, out);
                }
            }
            // "Number" then "%": a distribution of the count line over the positions.
            for pair in self.lines.windows(2) {
                let (counts, pcts) = (&pair[0], &pair[1]);
                if !vocab.is_percent(&pcts.label)
                    || vocab.is_percent(&counts.label)
                    || vocab.is_non_additive(&counts.label)
                    || vocab.is_non_additive(&pcts.label)
                {
                    continue;
                }
                let subject = vocab.subject(&pcts.label);
                if !subject.is_empty() && subject != vocab.subject(&counts.label) {
                    continue;
                }
                let base = self.cell(&self.positions[t], pcts);
                let of_whole = base
                    .and_then(Cell::number)
                    .is_some_and(|i| (figures[i].value - 100.0).abs() <= 1.0);
                let says_whole = (contains(&pcts.label, &["total".to_string()])
                    || vocab.is_distribution(&pcts.label))
                    && base.is_none_or(|c| matches!(c.content, Content::Empty | Content::Missing));
                if !(of_whole || says_whole) {
                    continue;
                }
                for p in range.clone() {
                    if matches!(kinds[p], Kind::Normal | Kind::SubItem) {
                        self.share_claim(counts, pcts, [p, p, t], seen, out);
                    }
                }
            }
        }
    }

    /// True when the percentages at `pos` look like one whole's distribution over the
    /// lines rather than a share within each line: its total line says 100, or, with no
    /// total line, its values add up to 100 within rounding.
    fn is_distribution(&self, pos: &Position) -> bool {
        let (figures, vocab) = (self.grid.figures, self.grid.vocab);
        let value = |l: &Line| {
            self.cell(pos, l)
                .and_then(Cell::number)
                .map(|i| &figures[i])
        };
        let (totals, parts): (Vec<&Line>, Vec<&Line>) =
            self.lines.iter().partition(|l| vocab.is_total(&l.label));
        if !totals.is_empty() {
            return totals
                .iter()
                .filter_map(|l| value(l))
                .any(|f| (f.value - 100.0).abs() <= 1.0);
        }
        let figs: Vec<&Figure> = parts.iter().filter_map(|l| value(l)).collect();
        let sum: f64 = figs.iter().map(|f| f.value).sum();
        let slack: f64 = figs.iter().map(|f| f.resolution() / 2.0).sum();
        figs.len() >= 2 && (sum - 100.0).abs() <= slack + 1e-9
    }

    /// One share claim: the percentage at (`at[0]`, `pct_line`), the part at (`at[1]`,
    /// `count_line`), the whole at (`at[2]`, `count_line`).
    fn share_claim(
        &self,
        count_line: &Line,
        pct_line: &Line,
        at: [usize; 3],
        seen: &mut Vec<usize>,
        out: &mut Vec<TableClaim>,
    ) {
        let (table, figures) = (self.grid.table, self.grid.figures);
        let get = |i: usize, line: &Line| -> Option<CellRef> {
            let pos = &self.positions[i];
            let n = self.cell(pos, line)?.number()?;
            let mut c = self.cell_ref(pos, line, n)?;
            // Name the cell by its row, then its column.
            let (row, col) = match self.axis {
                Axis::Column => (c.name.clone(), line.shown.clone()),
                Axis::Row => (line.shown.clone(), c.name.clone()),
            };
            c.name = [row, col]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            Some(c)
        };
        let (Some(pct), Some(part), Some(whole)) = (
            get(at[0], pct_line),
            get(at[1], count_line),
            get(at[2], count_line),
        ) else {
            return;
        };
        let ok = |f: &Figure, percent: bool| match f.kind {
            FigureKind::Percent => percent,
            FigureKind::Count | FigureKind::Money(_) => true,
            _ => false,
        };
        if !ok(&figures[pct.figure], true)
            || !ok(&figures[part.figure], false)
            || !ok(&figures[whole.figure], false)
            || seen.contains(&pct.figure)
        {
            return;
        }
        seen.push(pct.figure);
        // The claim is the percentage cell; its count and base are labelled elsewhere.
        let span = figures[pct.figure].span();
        let mut claim = Claim::new(
            FAMILY,
            span,
            vec![
                ("part".into(), part.figure),
                ("whole".into(), whole.figure),
                ("pct".into(), pct.figure),
            ],
        );
        claim.attrs.push(("table", (table + 1).to_string()));
        out.push(TableClaim {
            claim,
            table,
            check: TableCheck::Share { pct, part, whole },
        });
    }
}

/// One total and the sets of positions that may be its parts.
#[derive(Debug, Clone, PartialEq)]
struct Plan {
    /// The total position; `None` for an implied 100.
    total: Option<usize>,
    /// Readings of the parts, the one to report first.
    readings: Vec<Vec<usize>>,
}

/// True when a heading (a label with no figures) comes after one part and before
/// another.
fn heading_between_parts(seq: &[usize], kinds: &[Kind]) -> bool {
    let parts = |i: &usize| kinds[*i] == Kind::Normal;
    let (Some(first), Some(last)) = (seq.iter().position(parts), seq.iter().rposition(parts))
    else {
        return false;
    };
    seq[first..last].iter().any(|&i| kinds[i] == Kind::Heading)
}

/// Work out which positions each total adds up, from where the totals sit among the
/// positions of one group (`seq`, in order, excluded positions left out).
///
/// Totals close the block above them (a total last) or open the block below them (a
/// total first); a total with an empty block is a grand total over the sub-totals on
/// its side. A total in the middle, or totals at both ends, leave the direction unclear:
/// nothing is planned.
fn plan_totals(seq: &[usize], kinds: &[Kind]) -> Vec<Plan> {
    let is_total = |i: &usize| kinds[*i] == Kind::Total;
    let (Some(first), Some(last)) = (seq.first(), seq.last()) else {
        return Vec::new();
    };
    let (top, bottom) = (is_total(first), is_total(last));
    if top == bottom {
        return Vec::new();
    }
    // Read a total-first table backwards, so both cases are "totals close blocks".
    let order: Vec<usize> = if bottom {
        seq.to_vec()
    } else {
        seq.iter().rev().copied().collect()
    };
    let restore = |mut v: Vec<usize>| {
        v.sort_unstable();
        v
    };
    let mut plans = Vec::new();
    let mut block: Vec<usize> = Vec::new();
    let mut earlier_totals: Vec<usize> = Vec::new();
    let mut all_before: Vec<usize> = Vec::new();
    // The block in document order, headings and sub-items included.
    let mut block_seq: Vec<usize> = Vec::new();
    for &i in &order {
        if kinds[i] == Kind::Total {
            let mut readings = Vec::new();
            if block.is_empty() {
                if earlier_totals.len() >= 2 {
                    readings.push(restore(earlier_totals.clone()));
                    readings.push(restore(all_before.clone()));
                }
            } else {
                readings.push(restore(block.clone()));
                if !earlier_totals.is_empty() {
                    let mut with_subtotals = earlier_totals.clone();
                    with_subtotals.extend(&block);
                    readings.push(restore(with_subtotals));
                    readings.push(restore(all_before.clone()));
                }
            }
            // Report the broadest reading when the block is a lone remainder.
            if readings.len() > 1 && readings[0].len() < 2 {
                readings.rotate_left(1);
            }
            // A label-only row between parts is a section heading, or a part whose
            // value is left blank: either way the sum is unclear.
            if !readings.is_empty() && !heading_between_parts(&block_seq, kinds) {
                plans.push(Plan {
                    total: Some(i),
                    readings,
                });
            }
            earlier_totals.push(i);
            block.clear();
            block_seq.clear();
        } else {
            block_seq.push(i);
            if kinds[i] == Kind::Normal {
                block.push(i);
                all_before.push(i);
            }
        }
    }
    plans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        words(s)
    }

    #[test]
    fn labels_are_read_word_by_word() {
        assert_eq!(w("Sub-total:"), ["sub", "total"]);
        assert_eq!(w("Women (%)"), ["women", "%"]);
        assert_eq!(w("o/w rural"), ["o/w", "rural"]);
        let v = Vocab::new(&TableParams::default());
        assert!(v.is_total(&w("Total")));
        assert!(v.is_total(&w("Grand total")));
        assert!(v.is_total(&w("Women, total")));
        assert!(v.is_total(&w("Both sexes")));
        assert!(v.is_total(&w("All ages")));
        assert!(!v.is_total(&w("All other regions")));
        assert!(!v.is_total(&w("Allowances")));
        assert!(!v.is_total(&w("Total fertility rate")));
        assert!(!v.is_total(&w("Total, %")));
        assert!(v.is_sub_item(&w("of which: women")));
        assert!(v.is_sub_item(&w("incl. rural")));
        assert_eq!(v.subject(&w("% of women")), ["women"]);
        assert_eq!(v.subject(&w("Women, number")), ["women"]);
        assert!(v.subject(&w("% of total")).is_empty());
    }

    #[test]
    fn totals_last_close_blocks_and_a_grand_total_sums_the_subtotals() {
        use Kind::*;
        // A B Sub1 C D Sub2 Total
        let kinds = [Normal, Normal, Total, Normal, Normal, Total, Total];
        let seq: Vec<usize> = (0..kinds.len()).collect();
        let plans = plan_totals(&seq, &kinds);
        assert_eq!(plans.len(), 3);
        assert_eq!(plans[0].readings, [vec![0, 1]]);
        assert_eq!(plans[1].readings[0], [3, 4]);
        assert_eq!(plans[2].readings, [vec![2, 5], vec![0, 1, 3, 4]]);
    }

    #[test]
    fn a_total_first_opens_the_block_below_it() {
        use Kind::*;
        let kinds = [Total, Normal, SubItem, Normal];
        let plans = plan_totals(&[0, 1, 2, 3], &kinds);
        assert_eq!(plans.len(), 1);
        assert_eq!(plans[0].readings, [vec![1, 3]]);
    }

    #[test]
    fn a_total_in_the_middle_or_at_both_ends_is_not_planned() {
        use Kind::*;
        assert!(plan_totals(&[0, 1, 2], &[Normal, Total, Normal]).is_empty());
        assert!(plan_totals(&[0, 1, 2], &[Total, Normal, Total]).is_empty());
    }

    #[test]
    fn no_tables_no_work() {
        let figures = crate::figures::scan("12 of 30");
        let claims = extract(
            &Layout::default(),
            "12 of 30",
            &figures,
            &TableParams::default(),
        );
        assert!(claims.is_empty());
    }
}
