//! Word `.docx` input, end to end, on fixtures made by LibreOffice and pandoc (see
//! `tests/fixtures/formats/make-docx-fixtures.sh`): the seed as .docx gives the seed's
//! findings, places are reported as paragraphs, cells and footnotes, tracked changes are
//! read as accepted, and broken or oversized files are errors that do not stop the run.

mod common;

use std::io::{Cursor, Write};
use std::path::Path;

use common::{SEED, Scratch, json, run, run_with_stdin, stdout};
use numlint::formats::{self, docx};
use numlint::source::{Location, SourceError};
use serde_json::{Value, json};

const SEED_DOCX: &str = "tests/fixtures/formats/seed.docx";
const REPORT_DOCX: &str = "tests/fixtures/formats/report.docx";
const TRACKED_DOCX: &str = "tests/fixtures/formats/tracked-changes.docx";

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("fixture reads")
}

fn read(path: &str) -> numlint::SourceFile {
    formats::read_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("docx reads")
}

/// Rule, start line, message and location of each finding in a JSON report.
fn findings(doc: &Value) -> Vec<(String, u64, String, Value)> {
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_owned(),
                d["start"]["line"].as_u64().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default().to_owned(),
                d.get("location").cloned().unwrap_or(Value::Null),
            )
        })
        .collect()
}

#[test]
fn the_seed_as_docx_reads_back_line_for_line() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED))
        .expect("seed reads");
    let file = read(SEED_DOCX);
    assert_eq!(file.text(), text);
    // One paragraph per line: paragraph n is line n.
    let line_of_paragraph_1000 = text.lines().nth(999).expect("long seed");
    let offset = text
        .split_inclusive('\n')
        .take(999)
        .map(str::len)
        .sum::<usize>();
    assert!(text[offset..].starts_with(line_of_paragraph_1000));
    assert_eq!(
        file.layout().location_at(offset),
        Some(Location::Paragraph { paragraph: 1000 })
    );
}

#[test]
fn the_seed_as_docx_gives_the_same_findings_as_the_text() {
    let txt = run(&["check", "--format", "json", SEED]);
    let docx = run(&["check", "--format", "json", SEED_DOCX]);
    assert_eq!(docx.status.code(), Some(1));
    let from_txt = findings(&json(&txt));
    let from_docx = findings(&json(&docx));
    assert_eq!(
        from_txt.len(),
        20,
        "the reviewed seed snapshot has 20 findings"
    );
    assert_eq!(from_docx.len(), from_txt.len());
    for (t, d) in from_txt.iter().zip(&from_docx) {
        assert_eq!((&t.0, t.1, &t.2), (&d.0, d.1, &d.2));
        assert_eq!(t.3, Value::Null, "plain text has no location");
        assert_eq!(d.3, json!({"kind": "paragraph", "paragraph": d.1}));
    }
}

#[test]
fn the_report_tables_put_each_cell_at_its_table_row_and_cell() {
    let file = read(REPORT_DOCX);
    let tables = &file.layout().tables;
    assert_eq!(tables.len(), 2);
    let cells: Vec<Vec<String>> = tables[1]
        .rows
        .iter()
        .map(|row| row.iter().map(|s| file.slice(*s).into_owned()).collect())
        .collect();
    assert_eq!(
        cells,
        [
            ["Region", "Women", "Men", "Total"],
            ["North", "120", "130", "250"],
            ["South", "200", "210", "410"],
            ["Total", "320", "350", "660"],
        ]
    );
    assert_eq!(tables[1].header_rows, 1, "pandoc marks the header row");
    assert_eq!(tables[0].rows.len(), 3);
    // The wrong total (men: 130 + 210 = 340, not 350) is table 2, row 4, cell 3.
    let wrong = tables[1].rows[3][2];
    assert_eq!(
        file.layout().location_at(wrong.start),
        Some(Location::Cell {
            table: 2,
            row: 4,
            cell: 3
        })
    );
    // Cells never share a line, so their figures never run together.
    for table in tables {
        for cell in table.rows.iter().flatten() {
            assert!(!file.slice(*cell).contains('\n'), "{cell:?}");
            assert_eq!(file.text().as_bytes().get(cell.end), Some(&b'\n'));
        }
    }
}

/// The issue's end-to-end case: a Word table whose total row is wrong is reported at
/// the right table, row and cell.
#[test]
fn table_sum_mismatch_is_reported_at_table_2_row_4_cell_3() {
    let out = run(&["check", "--format", "json", REPORT_DOCX]);
    let doc = json(&out);
    let found = findings(&doc);
    assert!(
        found
            .iter()
            .any(|(rule, _, _, location)| rule == "table-sum-mismatch"
                && *location == json!({"kind": "cell", "table": 2, "row": 4, "cell": 3})),
        "{found:#?}"
    );
}

#[test]
fn a_claim_never_runs_from_one_cell_into_the_next() {
    use numlint::Engine;
    use numlint::settings::Settings;
    let engine = Engine::builtin(Settings::default()).expect("rules load");
    // As one text, the two lines are one wrong claim...
    let text = "Of the 62 judges,\n30 (58.4 per cent) are women.\n";
    let plain = numlint::SourceFile::from_text("t.txt", text.to_owned());
    assert_eq!(engine.check(&plain).len(), 1);
    // ...but as two cells of a table they are two claims' worth of nothing.
    let cell = |t: &str| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
    let body = format!(
        "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
        cell("Of the 62 judges,"),
        cell("30 (58.4 per cent) are women.")
    );
    let xml = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let file = docx::load(
        "t.docx".to_owned(),
        &zip_of(&[("word/document.xml", xml.as_bytes())]),
    )
    .expect("reads");
    assert_eq!(file.text(), text);
    assert_eq!(engine.check(&file), []);
}

#[test]
fn report_findings_name_their_paragraph_cell_and_footnote() {
    let out = run(&["check", "--format", "json", REPORT_DOCX]);
    let places: Vec<(String, Value)> = findings(&json(&out))
        .into_iter()
        .filter(|f| f.0 == "share-mismatch")
        .map(|(_, _, message, location)| (message, location))
        .collect();
    assert_eq!(
        places,
        [
            (
                "30 out of 62 is 48.4 per cent, not 58.4 per cent".to_owned(),
                json!({"kind": "paragraph", "paragraph": 2})
            ),
            (
                "20 out of 50 is 40 per cent, not 50 per cent".to_owned(),
                json!({"kind": "cell", "table": 1, "row": 2, "cell": 5})
            ),
            (
                "6,925 out of 7,723 is 89.7 per cent, not 79.6 per cent".to_owned(),
                json!({"kind": "footnote", "footnote": 1})
            ),
        ]
    );

    let human = stdout(&run(&["check", "--color", "never", REPORT_DOCX]));
    assert!(
        human.contains("  note: in table 1, row 2, cell 5\n"),
        "{human}"
    );
    assert!(
        human.contains("│ Of the 50 judges, 20 (50 per cent) are women."),
        "the sentence is quoted: {human}"
    );

    let sarif: Value =
        serde_json::from_slice(&run(&["check", "--format", "sarif", REPORT_DOCX]).stdout)
            .expect("SARIF is JSON");
    let names: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["logicalLocations"][0]["name"].as_str())
        .collect();
    assert!(names.contains(&"footnote 1"), "{names:?}");
}

#[test]
fn a_tracked_deletion_is_not_read_and_a_tracked_insertion_is() {
    let bytes = fixture(TRACKED_DOCX);
    // The fixture does hold the deleted wrong figure and a comment with a wrong figure.
    let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).expect("zip");
    let mut part = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(name).expect(name), &mut s)
            .expect("part reads");
        s
    };
    let document = part("word/document.xml");
    assert!(document.contains("<w:delText>21.02 per cent of the deputies (786 out of 3,415)"));
    assert!(part("word/comments.xml").contains("30 (50 per cent)"));
    // Read as it stands before the deletion, the sentence is wrong.
    let before = "In local representative bodies, women account for 21.02 per cent of the \
                  deputies (786 out of 3,415).\n";
    let out = run_with_stdin(&["check", "--format", "json"], before.as_bytes());
    assert_eq!(findings(&json(&out)).len(), 1);

    let out = run(&["check", "--format", "json", TRACKED_DOCX]);
    let found = findings(&json(&out));
    assert_eq!(
        found,
        [(
            "share-mismatch".to_owned(),
            2,
            "30 out of 62 is 48.4 per cent, not 58.4 per cent".to_owned(),
            json!({"kind": "paragraph", "paragraph": 2})
        )],
        "only the inserted wrong figure"
    );
}

#[test]
fn truncated_or_damaged_docx_never_panics() {
    for path in [SEED_DOCX, REPORT_DOCX, TRACKED_DOCX] {
        let bytes = fixture(path);
        for step in 0..50 {
            let cut = bytes.len() * step / 50;
            match docx::load(path.to_owned(), &bytes[..cut]) {
                Err(SourceError::Corrupt { name, message }) => {
                    assert_eq!(name, path);
                    assert!(!message.is_empty());
                }
                other => panic!("{path} cut at {cut}: {other:?}"),
            }
            // A damaged byte inside the archive: an error or a text, never a panic.
            let mut damaged = bytes.clone();
            let at = (bytes.len() * step / 50).max(1) - 1;
            damaged[at] ^= 0x5A;
            if let Err(e) = docx::load(path.to_owned(), &damaged) {
                assert!(
                    matches!(
                        e,
                        SourceError::Corrupt { .. } | SourceError::TooLarge { .. }
                    ),
                    "{e:?}"
                );
            }
        }
    }
}

#[test]
fn truncated_xml_inside_a_sound_archive_is_corrupt_at_a_byte() {
    let mut archive = zip::ZipArchive::new(Cursor::new(fixture(REPORT_DOCX))).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("word/document.xml").expect("part"),
        &mut xml,
    )
    .expect("reads");
    for step in 1..50 {
        let mut cut = xml.len() * step / 50;
        while !xml.is_char_boundary(cut) {
            cut -= 1;
        }
        let bytes = zip_of(&[("word/document.xml", &xml.as_bytes()[..cut])]);
        let err = docx::load("t.docx".to_owned(), &bytes).expect_err("truncated XML");
        let message = err.to_string();
        assert!(
            message.starts_with("t.docx: word/document.xml: malformed XML at byte "),
            "{message}"
        );
    }
}

/// A zip archive of `entries`, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        zip.start_file(*name, options).expect("entry");
        zip.write_all(data).expect("write");
    }
    zip.finish().expect("zip").into_inner()
}

fn u32_at(bytes: &[u8], at: usize) -> usize {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes")) as usize
}

/// Rewrite the uncompressed size that every entry of `zip` declares (in the central
/// directory and in its local header) to `size`: a header that lies.
fn declare_size(mut zip: Vec<u8>, size: u32) -> Vec<u8> {
    let eocd = zip.len() - 22;
    assert_eq!(u32_at(&zip, eocd), 0x0605_4b50, "no archive comment");
    let entries = u16::from_le_bytes([zip[eocd + 10], zip[eocd + 11]]);
    let mut at = u32_at(&zip, eocd + 16);
    for _ in 0..entries {
        assert_eq!(u32_at(&zip, at), 0x0201_4b50);
        zip[at + 24..at + 28].copy_from_slice(&size.to_le_bytes());
        let local = u32_at(&zip, at + 42);
        assert_eq!(u32_at(&zip, local), 0x0403_4b50);
        zip[local + 22..local + 26].copy_from_slice(&size.to_le_bytes());
        let name = u16::from_le_bytes([zip[at + 28], zip[at + 29]]) as usize;
        let extra = u16::from_le_bytes([zip[at + 30], zip[at + 31]]) as usize;
        let comment = u16::from_le_bytes([zip[at + 32], zip[at + 33]]) as usize;
        at += 46 + name + extra + comment;
    }
    zip
}

/// A document part of about `len` bytes of XML, which deflates to almost nothing.
fn big_document(len: usize) -> Vec<u8> {
    let mut xml = br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>"#.to_vec();
    xml.resize(len, b'0');
    xml.extend_from_slice(b"</w:t></w:r></w:p></w:body></w:document>");
    xml
}

#[test]
fn a_bomb_that_declares_its_size_is_refused_before_expanding() {
    let bytes = declare_size(
        zip_of(&[("word/document.xml", &big_document(1000))]),
        0x7FFF_FFFF,
    );
    match docx::load("bomb.docx".to_owned(), &bytes) {
        Err(SourceError::TooLarge { name, what, limit }) => {
            assert_eq!(name, "bomb.docx");
            assert_eq!(limit, docx::MAX_EXPANDED_BYTES);
            assert!(what.contains("2147483647 bytes"), "{what}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_bomb_whose_header_lies_stops_expanding() {
    // 4 MiB of XML that declares 100 bytes. The zip reader stops at the declared size
    // (and numlint's own budget would stop it at the limit): either way it is refused,
    // never expanded.
    let bytes = declare_size(
        zip_of(&[("word/document.xml", &big_document(4 << 20))]),
        100,
    );
    assert!(bytes.len() < 64 << 10, "deflated to {} bytes", bytes.len());
    for limit in [64 << 10, docx::MAX_EXPANDED_BYTES] {
        match docx::load_with_limit("liar.docx".to_owned(), &bytes, limit) {
            Err(SourceError::Corrupt { message, .. }) => {
                assert!(message.starts_with("word/document.xml: "), "{message}");
                assert!(message.contains("declared"), "{message}");
            }
            Err(SourceError::TooLarge { limit: l, .. }) => assert_eq!(l, limit),
            other => panic!("{other:?}"),
        }
    }
    // Honest sizes within the limit read fine; past it, they are refused.
    let honest = zip_of(&[("word/document.xml", &big_document(32 << 10))]);
    let file = docx::load_with_limit("ok.docx".to_owned(), &honest, 64 << 10).expect("reads");
    assert!(file.text().starts_with("000"));
    assert!(matches!(
        docx::load_with_limit("ok.docx".to_owned(), &honest, 16 << 10),
        Err(SourceError::TooLarge { .. })
    ));
}

#[test]
fn broken_docx_files_are_errors_and_the_other_files_are_still_checked() {
    let dir = Scratch::new("docx-broken");
    let seed = fixture(SEED_DOCX);
    let truncated = dir.file("truncated.docx", &seed[..seed.len() / 2]);
    let bomb = dir.file(
        "bomb.docx",
        declare_size(
            zip_of(&[("word/document.xml", &big_document(1000))]),
            0x7FFF_FFFF,
        ),
    );
    let out = run(&["check", "--format", "json", &truncated, SEED_DOCX, &bomb]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "unreadable files make exit code 2"
    );
    let doc = json(&out);
    assert_eq!(findings(&doc).len(), 20, "the sound file is checked");
    let errors = doc["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0]["file"], truncated.as_str());
    let message = errors[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("not a readable .docx (zip) archive"),
        "{message}"
    );
    assert_eq!(errors[1]["file"], bomb.as_str());
    let message = errors[1]["message"].as_str().unwrap_or_default();
    assert!(
        message.ends_with("is over the limit of 268435456 bytes; not expanded, not checked"),
        "{message}"
    );
}
