//! Sections of a checked document, found cheaply from its lines, so the review page can
//! group findings by the part of the report they are in.
//!
//! A heading is a short line that reads like one: a Markdown `#` heading; a keyword and a
//! number (`Part II. ...`, `Article 7. Political and public life`, `Chapter 3 Health`);
//! or a Roman numeral, a capital letter or a section number and a capitalised title
//! (`II. Article 2`, `B. Health`, `1. Country and population`, `2.3 Rural women`). The
//! last kind is also how numbered list items and wrapped sentences begin, so it must not
//! end as a clause does (`.`, `,`, `;`, `:`) and the next non-blank line must not go
//! on in lower case. Sub-headings that run into their paragraph (`Article 2 (a) As
//! noted...`) are not headings: they are the text of their article. A document without
//! headings falls back to ranges of [`LINES_PER_RANGE`] lines.

use std::sync::LazyLock;

use regex::Regex;

/// Lines per section when a document has no headings.
pub(crate) const LINES_PER_RANGE: usize = 100;
/// Longer lines are text, not headings (in characters).
const MAX_HEADING_CHARS: usize = 100;

/// `Article 7.`, `Part II.`, `Chapter 3`, `Annex A:` and a title.
static KEYWORD_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:Part|Chapter|Section|Article|Annex|Appendix|Title)\s+(?:[0-9]{1,3}|[IVXLC]{1,7}|[A-Z])(?:[.:]|\s+[-–—]|\s*$)",
    )
    .unwrap_or_else(|e| unreachable!("the heading pattern is valid: {e}"))
});

/// `II. Title`, `B. Title`, `1. Title`, `2.3 Title`.
static NUMBERED_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[IVXLC]{1,7}\.|[A-Z]\.|[0-9]{1,2}\.(?:[0-9]{1,2}\.?)*)\s+\p{Lu}")
        .unwrap_or_else(|e| unreachable!("the heading pattern is valid: {e}"))
});

/// The headings of a document, or the line ranges standing in for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sections {
    /// Headings in text order: the byte offset where each line starts, and its title.
    headings: Vec<(usize, String)>,
}

/// One section: a key that orders sections in the document, and a title to show.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct SectionRef {
    /// 0 for the text before the first heading, then 1, 2, ... per heading; without
    /// headings, the index of the line range.
    pub key: usize,
    /// The heading as written, or `lines 101–200`.
    pub title: String,
}

impl Sections {
    /// Find the headings of `text`.
    pub(crate) fn of(text: &str) -> Self {
        let lines: Vec<(usize, &str)> = line_starts(text).collect();
        let mut headings = Vec::new();
        for (i, &(start, line)) in lines.iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            // Looked up from non-blank lines only, so each run of blank lines is crossed
            // once.
            let next = lines[i + 1..]
                .iter()
                .map(|(_, l)| l.trim())
                .find(|l| !l.is_empty());
            if let Some(title) = heading(line, next) {
                headings.push((start, title));
            }
        }
        Sections { headings }
    }

    /// The section holding byte `offset`; `line` is its 1-based line (for the fallback
    /// ranges) and `line_count` the document's number of lines.
    pub(crate) fn at(&self, offset: usize, line: usize, line_count: usize) -> SectionRef {
        if self.headings.is_empty() {
            let range = line.saturating_sub(1) / LINES_PER_RANGE;
            let first = range * LINES_PER_RANGE + 1;
            let last = ((range + 1) * LINES_PER_RANGE).min(line_count.max(first));
            return SectionRef {
                key: range,
                title: format!("lines {first}–{last}"),
            };
        }
        let i = self.headings.partition_point(|(start, _)| *start <= offset);
        match i.checked_sub(1).and_then(|k| self.headings.get(k)) {
            Some((_, title)) => SectionRef {
                key: i,
                title: title.clone(),
            },
            None => SectionRef {
                key: 0,
                title: "before the first heading".to_owned(),
            },
        }
    }
}

/// Each line with the offset where it starts (without its line break).
fn line_starts(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    text.split('\n').map(move |line| {
        let at = start;
        start += line.len() + 1;
        (at, line.strip_suffix('\r').unwrap_or(line))
    })
}

/// The title if `line` is a heading; `next` is the next non-blank line, trimmed.
fn heading(line: &str, next: Option<&str>) -> Option<String> {
    let line = line.trim();
    if line.is_empty() || line.chars().count() > MAX_HEADING_CHARS {
        return None;
    }
    if let Some(rest) = line.strip_prefix('#') {
        let title = rest.trim_start_matches('#');
        let level = line.len() - title.len();
        if level <= 6 && title.starts_with([' ', '\t']) {
            let title = title.trim().trim_end_matches('#').trim();
            return (!title.is_empty()).then(|| title.to_owned());
        }
        return None;
    }
    if KEYWORD_HEADING.is_match(line) {
        return Some(line.to_owned());
    }
    let ends_like_a_clause = line.ends_with(['.', ',', ';', ':']);
    let runs_on = next.is_some_and(|n| n.starts_with(|c: char| c.is_lowercase()));
    (NUMBERED_HEADING.is_match(line) && !ends_like_a_clause && !runs_on).then(|| line.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(text: &str) -> Vec<String> {
        Sections::of(text)
            .headings
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }

    #[test]
    fn report_headings_are_found() {
        let text = "Introduction text.\n\nPart I. General information \n\n \
                    1. Country and population in 2020–2023 \n\nAt the beginning of 2023.\n\
                    Article 7. Political and public life\n\n Article 7 (a) According to data \n\
                    II. Article 2\n\nB. Health\nText.\n2.3 Rural women\nMore.\n";
        assert_eq!(
            titles(text),
            [
                "Part I. General information",
                "1. Country and population in 2020–2023",
                "Article 7. Political and public life",
                "II. Article 2",
                "B. Health",
                "2.3 Rural women",
            ]
        );
    }

    #[test]
    fn list_items_sentences_and_references_are_not_headings() {
        let text = "in place:\n\n 1. A job quota for persons with disabilities; \n\n\
                    3. A subsidy to cover the costs incurred by employers in equipping special\n\n\
                    workstations.\n\
                    2023. Corresponding amendments were made\n\
                    Article 151 (Surgical sterilization) of Code No. 360-VI of Kazakhstan dated\n\
                    12. The Committee notes.\n\
                    1. ok lower case title\n";
        assert_eq!(titles(text), Vec::<String>::new());
    }

    #[test]
    fn markdown_headings_are_found_by_their_hashes() {
        let text = "# Report\n\n## 2. Health ##\n#hashtag\n####### seven\n# \n";
        assert_eq!(titles(text), ["Report", "2. Health"]);
    }

    #[test]
    fn an_offset_belongs_to_the_last_heading_before_it() {
        let text = "intro\nArticle 1. One\ntext\nArticle 2. Two\ntext\n";
        let sections = Sections::of(text);
        let at = |needle: &str, nth: usize| {
            let offset = text
                .match_indices(needle)
                .nth(nth)
                .map(|(i, _)| i)
                .unwrap_or(0);
            sections.at(offset, 1, 5)
        };
        assert_eq!(at("intro", 0).key, 0);
        assert_eq!(at("intro", 0).title, "before the first heading");
        assert_eq!(at("text", 0).title, "Article 1. One");
        assert_eq!(at("Article 2", 0).title, "Article 2. Two");
        assert_eq!(at("text", 1).key, 2);
    }

    #[test]
    fn without_headings_sections_are_line_ranges() {
        let sections = Sections::of("plain\ntext\n");
        assert_eq!(
            sections.at(0, 1, 250),
            SectionRef {
                key: 0,
                title: "lines 1–100".into()
            }
        );
        assert_eq!(sections.at(0, 201, 250).title, "lines 201–250");
        assert_eq!(sections.at(0, 100, 250).key, 0);
        assert_eq!(sections.at(0, 101, 250).key, 1);
    }
}
