//! Table rules on tables that fire and tables that must not: totals of rows and columns,
//! percentage columns, share cells.
//!
//! Each case is a Markdown pipe table, checked twice and required to agree: as a `.md`
//! document (through `numlint::formats`, with the pipe-table fallback of
//! `common::tables` until the Markdown reader is on main) and laid out one cell per line
//! with no header information, the shape of text extracted from Word or HTML.

mod common;

use common::tables::{load, one_cell_per_line, pipe_grid};
use numlint::Engine;
use numlint::report::{HumanOptions, HumanReporter, Reporter};
use numlint::settings::Settings;

const RULES: [&str; 3] = [
    "table-sum-mismatch",
    "table-share-mismatch",
    "table-share-rounding",
];

fn engine() -> Engine {
    Engine::builtin(Settings::default())
        .expect("built-in rules load")
        .only(&RULES)
}

/// "rule: message" for each finding in a document holding `markdown`, after checking
/// that the one-cell-per-line reading gives the same findings.
fn findings(markdown: &str) -> Vec<String> {
    let engine = engine();
    let show = |file: &numlint::SourceFile| -> Vec<String> {
        engine
            .check(file)
            .iter()
            .map(|d| format!("{}: {}", d.rule, d.message))
            .collect()
    };
    let as_markdown = show(&load("case.md", markdown.as_bytes().to_vec()));
    let grids = pipe_grid(markdown);
    assert_eq!(grids.len(), 1, "one table per case:\n{markdown}");
    let one_per_line = show(&one_cell_per_line(&grids[0], 0));
    assert_eq!(
        as_markdown, one_per_line,
        "Markdown and one-cell-per-line readings differ:\n{markdown}"
    );
    as_markdown
}

fn silent(markdown: &str) {
    let f = findings(markdown);
    assert!(f.is_empty(), "should not fire:\n{markdown}\n{f:#?}");
}

// ---- tables that fire -------------------------------------------------------------

#[test]
fn wrong_total_row() {
    let f = findings(
        "| Region | Cases |\n| --- | --- |\n| North | 12 |\n| South | 30 |\n| East | 45 |\n| Total | 88 |\n",
    );
    assert_eq!(
        f,
        ["table-sum-mismatch: column \"Cases\" adds up to 87, but its total row says 88"]
    );
}

#[test]
fn wrong_total_column() {
    let f = findings(
        "| Region | Women | Men | Total |\n| --- | --- | --- | --- |\n| North | 12 | 30 | 43 |\n| South | 30 | 45 | 75 |\n",
    );
    assert_eq!(
        f,
        ["table-sum-mismatch: row \"North\" adds up to 42, but its total column says 43"]
    );
}

#[test]
fn total_row_first_opens_the_block_below() {
    let f = findings(
        "| | Persons |\n| --- | --- |\n| Total | 1,000 |\n| Urban | 600 |\n| Rural | 390 |\n",
    );
    assert_eq!(
        f,
        ["table-sum-mismatch: column \"Persons\" adds up to 990, but its total row says 1,000"]
    );
}

#[test]
fn percentage_column_summing_to_103() {
    let f = findings(
        "| Age group | % |\n| --- | --- |\n| Children | 40 |\n| Adults | 33 |\n| Older persons | 30 |\n| Total | 100 |\n",
    );
    assert_eq!(
        f,
        [
            "table-sum-mismatch: the percentages in column \"%\" add up to 103, but its total row says 100"
        ]
    );
}

#[test]
fn distribution_column_without_total_row() {
    let f = findings(
        "| Age group | Distribution, % |\n| --- | --- |\n| Children | 40.2 |\n| Adults | 33.1 |\n| Older persons | 30.0 |\n",
    );
    assert_eq!(
        f,
        [
            "table-sum-mismatch: the percentages in column \"Distribution, %\" add up to 103.3, not 100"
        ]
    );
}

#[test]
fn wrong_share_cell_beside_its_count_and_total() {
    let f = findings(
        "| Region | Women | Total | % women |\n| --- | --- | --- | --- |\n| North | 12 | 30 | 45 |\n| South | 30 | 60 | 50 |\n",
    );
    assert_eq!(
        f,
        ["table-share-mismatch: 12 out of 30 is 40 per cent, not 45"]
    );
}

#[test]
fn wrong_share_of_the_total_row() {
    let f = findings(
        "| Schools | Number | % |\n| --- | --- | --- |\n| State | 6,925 | 79.7 |\n| Private | 798 | 10.3 |\n| Total | 7,723 | 100.0 |\n",
    );
    // The column of shares no longer adds up either.
    assert_eq!(
        f,
        [
            "table-share-mismatch: 6,925 out of 7,723 is 89.7 per cent, not 79.7",
            "table-sum-mismatch: the percentages in column \"%\" add up to 90, but its total row says 100.0",
        ]
    );
}

#[test]
fn truncated_share_is_the_milder_rule() {
    let f = findings(
        "| Schools | Number | % |\n| --- | --- | --- |\n| State | 6,925 | 89.6 |\n| Private | 798 | 10.3 |\n| Total | 7,723 | 100.0 |\n",
    );
    assert_eq!(
        f,
        [
            "table-share-rounding: 89.6 holds for 6,925 out of 7,723 only if truncated; rounded, it is 89.7"
        ]
    );
}

#[test]
fn share_rows_under_a_total_column() {
    let f = findings(
        "| | Women | Men | Total |\n| --- | --- | --- | --- |\n| Number | 40 | 60 | 100 |\n| % | 45.0 | 60.0 | 100.0 |\n",
    );
    assert!(
        f.contains(&"table-share-mismatch: 40 out of 100 is 40.0 per cent, not 45.0".to_string()),
        "{f:#?}"
    );
}

#[test]
fn grand_total_of_sub_totals() {
    let f = findings(
        "| Area | Schools |\n| --- | --- |\n| North | 10 |\n| South | 20 |\n| Total urban | 30 |\n| East | 5 |\n| West | 7 |\n| Total rural | 12 |\n| Total | 43 |\n",
    );
    assert_eq!(
        f,
        ["table-sum-mismatch: column \"Schools\" adds up to 42, but its total row says 43"]
    );
}

#[test]
fn wrong_sub_total() {
    let f = findings(
        "| Area | Schools |\n| --- | --- |\n| North | 10 |\n| South | 20 |\n| Subtotal | 31 |\n| East | 5 |\n| West | 7 |\n| Subtotal | 12 |\n| Total | 42 |\n",
    );
    assert_eq!(
        f,
        ["table-sum-mismatch: column \"Schools\" adds up to 30, but its total row says 31"]
    );
}

#[test]
fn rounded_parts_that_miss_by_more_than_rounding() {
    let f = findings(
        "| Region | Thousand persons |\n| --- | --- |\n| North | 12.4 |\n| South | 30.3 |\n| Total | 42.9 |\n",
    );
    assert_eq!(
        f,
        [
            "table-sum-mismatch: column \"Thousand persons\" adds up to 42.7, but its total row says 42.9"
        ]
    );
}

#[test]
fn money_columns_add_up_like_counts() {
    let f = findings(
        "| Programme | Budget |\n| --- | --- |\n| Shelters | $1.2 million |\n| Hotlines | $0.5 million |\n| Total | $2.7 million |\n",
    );
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].starts_with("table-sum-mismatch: column \"Budget\" adds up to"));
}

#[test]
fn grouped_total_columns() {
    let f = findings(
        "| Region | Women 2019 | Men 2019 | Total 2019 | Women 2020 | Men 2020 | Total 2020 |\n| --- | --- | --- | --- | --- | --- | --- |\n| North | 10 | 12 | 22 | 11 | 12 | 24 |\n",
    );
    assert_eq!(
        f,
        ["table-sum-mismatch: row \"North\" adds up to 23, but its total column says 24"]
    );
}

// ---- tables that must not fire ----------------------------------------------------

#[test]
fn correct_totals_within_rounding() {
    silent(
        "| Region | Women | Men | Both sexes |\n| --- | --- | --- | --- |\n| North | 12.4 | 30.3 | 42.6 |\n| South | 30.1 | 45.2 | 75.4 |\n| Total | 42.5 | 75.5 | 118.0 |\n",
    );
    silent(
        "| Group | % |\n| --- | --- |\n| A | 33.3 |\n| B | 33.3 |\n| C | 33.3 |\n| Total | 100.0 |\n",
    );
}

#[test]
fn year_column_is_not_summed() {
    silent(
        "| Year | Women | Men | Total |\n| --- | --- | --- | --- |\n| 2019 | 10 | 20 | 30 |\n| 2020 | 12 | 22 | 34 |\n| Total | 22 | 42 | 64 |\n",
    );
    silent(
        "| Region | Year | Cases |\n| --- | --- | --- |\n| North | 2019 | 10 |\n| South | 2020 | 20 |\n| Total | | 30 |\n",
    );
}

#[test]
fn years_in_the_header_are_labels() {
    silent(
        "| Region | 2019 | 2020 | 2021 |\n| --- | --- | --- | --- |\n| North | 10 | 11 | 12 |\n| South | 20 | 21 | 22 |\n| Total | 30 | 32 | 34 |\n",
    );
}

#[test]
fn total_over_rates_averages_and_percentages() {
    // Rates per 1,000: the "total" is the overall rate.
    silent(
        "| Region | Women | Men | Total |\n| --- | --- | --- | --- |\n| North | 7.9 | 8.3 | 8.1 |\n| South | 6.2 | 6.9 | 6.6 |\n",
    );
    silent(
        "| Region | Literacy rate, women | Literacy rate, men | Literacy rate, total |\n| --- | --- | --- | --- |\n| North | 97.1 | 99.0 | 120.0 |\n",
    );
    silent(
        "| Region | Average wage |\n| --- | --- |\n| North | 310 |\n| South | 280 |\n| Total | 297 |\n",
    );
    silent(
        "| Region | Women, % | Men, % | Total, % |\n| --- | --- | --- | --- |\n| North | 45% | 55% | 51% |\n| South | 48% | 52% | 50% |\n| Total | 47% | 53% | 50% |\n",
    );
}

#[test]
fn average_row_after_the_total() {
    silent(
        "| Region | Cases |\n| --- | --- |\n| North | 10 |\n| South | 20 |\n| Total | 30 |\n| Average | 15 |\n",
    );
}

#[test]
fn missing_cells_leave_the_sum_unknown() {
    for cell in ["-", "..", "", "x", "n/a", "…"] {
        silent(&format!(
            "| Region | Cases |\n| --- | --- |\n| North | 12 |\n| South | {cell} |\n| East | 45 |\n| Total | 88 |\n"
        ));
    }
    silent("| Region | Cases |\n| --- | --- |\n| North | 12 |\n| South | 30 |\n| Total | .. |\n");
}

#[test]
fn of_which_rows_are_not_parts() {
    silent(
        "| Area | Persons |\n| --- | --- |\n| Urban | 60 |\n| of which: women | 30 |\n| Rural | 40 |\n| Total | 100 |\n",
    );
    silent(
        "| Area | Persons |\n| --- | --- |\n| Urban | 60 |\n| - women | 30 |\n| Rural | 40 |\n| Total | 100 |\n",
    );
    // "of which:" on a line of its own: where the sub-items end is not said.
    silent(
        "| Area | Persons |\n| --- | --- |\n| Total | 100 |\n| of which: | |\n| Urban women | 30 |\n| Rural women | 20 |\n",
    );
}

#[test]
fn of_which_columns_are_not_parts() {
    silent(
        "| Region | Total | of which women |\n| --- | --- | --- |\n| North | 100 | 48 |\n| South | 80 | 41 |\n",
    );
}

#[test]
fn rank_tables() {
    silent(
        "| Rank | Country | Score |\n| --- | --- | --- |\n| 1 | Norway | 0.96 |\n| 2 | Iceland | 0.95 |\n| 3 | Finland | 0.94 |\n",
    );
    silent(
        "| Rank | Region | Cases |\n| --- | --- | --- |\n| 1 | North | 30 |\n| 2 | South | 20 |\n| | Total | 50 |\n",
    );
}

#[test]
fn percentages_of_different_bases() {
    silent("| Region | % women |\n| --- | --- |\n| North | 48 |\n| South | 55 |\n| East | 51 |\n");
    silent(
        "| Region | Women | % |\n| --- | --- | --- |\n| North | 480 | 48.0 |\n| South | 550 | 55.0 |\n| Total | 1,030 | 51.5 |\n",
    );
}

#[test]
fn two_breakdowns_of_one_total() {
    silent(
        "| Indicator | 2020 |\n| --- | --- |\n| Population, total | 19.8 |\n| Women | 10.1 |\n| Men | 9.7 |\n| Urban | 11.1 |\n| Rural | 8.7 |\n",
    );
    silent(
        "| | Persons |\n| --- | --- |\n| By sex | |\n| Women | 50 |\n| Men | 50 |\n| By area | |\n| Urban | 60 |\n| Rural | 40 |\n| Total | 100 |\n",
    );
}

#[test]
fn total_in_the_middle_is_unclear() {
    silent("| Region | Cases |\n| --- | --- |\n| North | 10 |\n| Total | 99 |\n| South | 20 |\n");
}

#[test]
fn all_other_is_a_part() {
    silent(
        "| Region | Cases |\n| --- | --- |\n| North | 10 |\n| All other regions | 20 |\n| All regions | 30 |\n",
    );
}

#[test]
fn correct_shares() {
    silent(
        "| Region | Women | Total | % women |\n| --- | --- | --- | --- |\n| North | 12 | 30 | 40 |\n| South | 30 | 60 | 50 |\n| Total | 42 | 90 | 46.7 |\n",
    );
    silent(
        "| Schools | Number | % |\n| --- | --- | --- |\n| State | 6,925 | 89.7 |\n| Private | 798 | 10.3 |\n| Total | 7,723 | 100.0 |\n",
    );
}

#[test]
fn age_groups_label_rows() {
    silent(
        "| Age | Persons |\n| --- | --- |\n| 0-14 | 300 |\n| 15-64 | 600 |\n| 65 and over | 100 |\n| All ages | 1,000 |\n",
    );
}

#[test]
fn tables_without_a_header_or_figures() {
    silent("| Women | 12 |\n| --- | --- |\n| Men | 30 |\n| Total | 42 |\n");
    silent("| Name | Role |\n| --- | --- |\n| A. Smith | Chair |\n| Total | none |\n");
}

#[test]
fn numbering_columns_and_rows_are_not_parts() {
    silent(
        "| No. | Region | Women | Men | Total |\n| --- | --- | --- | --- | --- |\n| 1 | North | 12 | 30 | 42 |\n| 2 | South | 30 | 45 | 75 |\n| 3 | East | 5 | 6 | 11 |\n",
    );
    silent(
        "| Region | Women | Men | Total |\n| --- | --- | --- | --- |\n| A | 1 | 2 | 3 |\n| North | 12 | 30 | 42 |\n| South | 30 | 45 | 75 |\n| Total | 42 | 75 | 117 |\n",
    );
    let f = findings(
        "| No. | Region | Women | Men | Total |\n| --- | --- | --- | --- | --- |\n| 1 | North | 12 | 30 | 43 |\n| 2 | South | 30 | 45 | 75 |\n| 3 | East | 5 | 6 | 11 |\n",
    );
    assert_eq!(
        f,
        ["table-sum-mismatch: row \"North\" adds up to 42, but its total column says 43"]
    );
}

#[test]
fn small_counts_that_run_1_2_3_are_still_data() {
    let f = findings(
        "| Ministry | Women | Men | Total |\n| --- | --- | --- | --- |\n| Justice | 1 | 2 | 3 |\n| Health | 2 | 2 | 4 |\n| Total | 3 | 4 | 8 |\n",
    );
    assert_eq!(
        f,
        [
            "table-sum-mismatch: column \"Total\" adds up to 7, but its total row says 8",
            "table-sum-mismatch: row \"Total\" adds up to 7, but its total column says 8",
        ]
    );
}

#[test]
fn a_note_row_after_the_total() {
    let f = findings(
        "| Region | Cases |\n| --- | --- |\n| North | 12 |\n| South | 30 |\n| Total | 43 |\n| Source: ministry records | |\n",
    );
    assert_eq!(
        f,
        ["table-sum-mismatch: column \"Cases\" adds up to 42, but its total row says 43"]
    );
}

#[test]
fn a_percentage_column_that_is_a_distribution_is_not_a_share_in_its_row() {
    // "Women, %" is each region's share of all women (its total row says 100), not the
    // share of women in the region's total.
    silent(
        "| Region | Women, number | Women, % | Total |\n| --- | --- | --- | --- |\n| North | 60 | 60.0 | 200 |\n| South | 40 | 40.0 | 100 |\n| Total | 100 | 100.0 | 300 |\n",
    );
    silent(
        "| Region | Women | Women, % | Total |\n| --- | --- | --- | --- |\n| North | 60 | 60.0 | 200 |\n| South | 40 | 40.0 | 100 |\n",
    );
}

/// Table 2 of the Word fixture the formats work builds with pandoc: the men's column
/// adds up to 340, not 350, so the total row is wrong in two ways.
const DEPUTIES: &str = "Table 2 gives the deputies of local representative bodies by region.

| Region | Women | Men | Total |
|--------|------:|----:|------:|
| North  |   120 | 130 |   250 |
| South  |   200 | 210 |   410 |
| Total  |   320 | 350 |   660 |

The figures are those of 1 January 2023.
";

#[test]
fn a_wrong_total_row_is_placed_at_its_cell() {
    let file = load("report.md", DEPUTIES.as_bytes().to_vec());
    let diags = engine().check(&file);
    let placed: Vec<(String, String)> = diags
        .iter()
        .map(|d| (d.message.clone(), file.slice(d.span).to_string()))
        .collect();
    assert_eq!(
        placed,
        [
            (
                "column \"Men\" adds up to 340, but its total row says 350".to_string(),
                "350".to_string()
            ),
            (
                "row \"Total\" adds up to 670, but its total column says 660".to_string(),
                "660".to_string()
            ),
        ]
    );
    let mut out = Vec::new();
    let options = HumanOptions {
        width: 80,
        ..HumanOptions::default()
    };
    let mut reporter = HumanReporter::new(&mut out, std::io::sink(), options);
    reporter.file(&file, &diags).expect("render");
    reporter.finish().expect("render");
    insta::assert_snapshot!(String::from_utf8_lossy(&out));
}

#[test]
fn a_remark_column_after_the_figures_labels_nothing() {
    // Table 1 of the same fixture: the remarks hold a sentence with figures of their own.
    silent(
        "| Court | Women | Men | Total | Remark |\n|----------|------:|----:|------:|------|\n| Supreme | 20 | 30 | 50 | Of the 50 judges, 20 (50 per cent) are women. |\n| Regional | 100 | 150 | 250 | None. |\n",
    );
    let f = findings(
        "| Court | Women | Men | Total | Remark |\n|----------|------:|----:|------:|------|\n| Supreme | 20 | 30 | 50 | Of the 50 judges, 20 (50 per cent) are women. |\n| Regional | 100 | 150 | 260 | None. |\n",
    );
    assert_eq!(
        f,
        ["table-sum-mismatch: row \"Regional\" adds up to 250, but its total column says 260"]
    );
}

#[test]
fn a_large_table_is_read_quickly() {
    // 2,000 rows and a total row: the extractor and the checks stay linear.
    let mut md = String::from("| Village | Households | Persons |\n| --- | --- | --- |\n");
    for i in 0..2000 {
        md.push_str(&format!("| V{i} | {} | {} |\n", 10 + i % 7, 40 + i % 13));
    }
    let households: usize = (0..2000).map(|i| 10 + i % 7).sum();
    let persons: usize = (0..2000).map(|i| 40 + i % 13).sum();
    md.push_str(&format!("| Total | {households} | {} |\n", persons + 1));
    let start = std::time::Instant::now();
    let f = findings(&md);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].starts_with("table-sum-mismatch: column \"Persons\""));
    // Generous for a debug build on a shared machine; quadratic work would take minutes.
    assert!(start.elapsed().as_secs() < 30, "{:?}", start.elapsed());
}
