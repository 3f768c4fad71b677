//! Overlapping highlights cut into non-overlapping segments, for the review page.
//!
//! Findings overlap: two findings can use one figure, a claim's span holds its labelled
//! figures, and two claims can share a sentence. HTML elements must nest, so the marked
//! parts of the text are cut at every start and end of a mark into segments, and each
//! segment carries every finding that covers it, as a claim and as a figure. The page
//! then lights up a finding by selecting the segments that name it.

use crate::source::Span;

/// What a marked span is to its finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The whole claim (the finding's primary span).
    Claim,
    /// One figure the finding used (a label's span).
    Figure,
}

/// A span of the text that one finding uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mark {
    /// Bytes of the original text.
    pub span: Span,
    /// The finding, as an index into the file's findings.
    pub finding: usize,
    /// Claim or figure.
    pub role: Role,
}

/// A maximal run of text covered by the same marks; segments never overlap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Segment {
    /// Bytes of the original text (on character boundaries, never empty).
    pub span: Span,
    /// Findings whose claim covers the segment, ascending, without repeats.
    pub claims: Vec<usize>,
    /// Findings that use the segment as a figure, ascending, without repeats.
    pub figures: Vec<usize>,
}

/// Cut `marks` over `text` into sorted, non-overlapping segments. Spans are clamped to
/// the text and widened to character boundaries; empty spans mark nothing. Text no mark
/// covers is in no segment.
pub(crate) fn segments(text: &str, marks: &[Mark]) -> Vec<Segment> {
    // (position, is_start, mark index); at one position ends come before starts, so a
    // mark that ends where another starts is not active in the next segment.
    let mut events: Vec<(usize, bool, usize)> = Vec::with_capacity(marks.len() * 2);
    for (i, mark) in marks.iter().enumerate() {
        let span = snap(text, mark.span);
        if !span.is_empty() {
            events.push((span.start, true, i));
            events.push((span.end, false, i));
        }
    }
    events.sort_unstable();

    let mut out = Vec::new();
    let mut active: Vec<usize> = Vec::new();
    let mut e = 0;
    while e < events.len() {
        let at = events[e].0;
        while e < events.len() && events[e].0 == at {
            let (_, is_start, mark) = events[e];
            if is_start {
                active.push(mark);
            } else if let Some(k) = active.iter().position(|&m| m == mark) {
                active.swap_remove(k);
            }
            e += 1;
        }
        let Some(&(next, ..)) = events.get(e) else {
            break;
        };
        if active.is_empty() || next == at {
            continue;
        }
        let findings = |role: Role| {
            let mut ids: Vec<usize> = active
                .iter()
                .map(|&m| marks[m])
                .filter(|m| m.role == role)
                .map(|m| m.finding)
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        out.push(Segment {
            span: Span::new(at, next),
            claims: findings(Role::Claim),
            figures: findings(Role::Figure),
        });
    }
    out
}

/// `span` clamped to `text` and widened to character boundaries.
fn snap(text: &str, span: Span) -> Span {
    let mut end = span.end.min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let mut start = span.start.min(end);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    Span::new(start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(start: usize, end: usize, finding: usize, role: Role) -> Mark {
        Mark {
            span: Span::new(start, end),
            finding,
            role,
        }
    }

    /// Segments as `(text, claims, figures)` for readable assertions.
    fn cut<'t>(text: &'t str, marks: &[Mark]) -> Vec<(&'t str, Vec<usize>, Vec<usize>)> {
        segments(text, marks)
            .into_iter()
            .map(|s| (&text[s.span.start..s.span.end], s.claims, s.figures))
            .collect()
    }

    #[test]
    fn labels_nested_in_a_claim_split_it() {
        let text = "women are 21.02 per cent (786 out of 3,415).";
        let marks = [
            mark(10, 43, 0, Role::Claim),
            mark(10, 24, 0, Role::Figure),
            mark(26, 29, 0, Role::Figure),
            mark(37, 42, 0, Role::Figure),
        ];
        assert_eq!(
            cut(text, &marks),
            vec![
                ("21.02 per cent", vec![0], vec![0]),
                (" (", vec![0], vec![]),
                ("786", vec![0], vec![0]),
                (" out of ", vec![0], vec![]),
                ("3,415", vec![0], vec![0]),
                (")", vec![0], vec![]),
            ]
        );
    }

    #[test]
    fn a_figure_used_by_two_findings_names_both() {
        let text = "12 and 18 of 100";
        let marks = [
            mark(0, 16, 0, Role::Claim),
            mark(0, 2, 0, Role::Figure),
            mark(13, 16, 0, Role::Figure),
            mark(7, 16, 1, Role::Claim),
            mark(7, 9, 1, Role::Figure),
            mark(13, 16, 1, Role::Figure),
        ];
        assert_eq!(
            cut(text, &marks),
            vec![
                ("12", vec![0], vec![0]),
                (" and ", vec![0], vec![]),
                ("18", vec![0, 1], vec![1]),
                (" of ", vec![0, 1], vec![]),
                ("100", vec![0, 1], vec![0, 1]),
            ]
        );
    }

    #[test]
    fn crossing_claims_give_three_pieces_and_gaps_are_left_out() {
        let text = "aaaa bbbb cccc dddd";
        let marks = [mark(0, 9, 0, Role::Claim), mark(5, 14, 1, Role::Claim)];
        assert_eq!(
            cut(text, &marks),
            vec![
                ("aaaa ", vec![0], vec![]),
                ("bbbb", vec![0, 1], vec![]),
                (" cccc", vec![1], vec![]),
            ]
        );
        // Disjoint marks: the text between them is in no segment.
        let marks = [mark(0, 4, 0, Role::Figure), mark(15, 19, 1, Role::Figure)];
        assert_eq!(
            cut(text, &marks),
            vec![("aaaa", vec![], vec![0]), ("dddd", vec![], vec![1])]
        );
    }

    #[test]
    fn adjacent_figures_stay_separate_and_duplicates_collapse() {
        let text = "1234";
        let marks = [
            mark(0, 2, 0, Role::Figure),
            mark(2, 4, 0, Role::Figure),
            mark(2, 4, 0, Role::Figure),
        ];
        assert_eq!(
            cut(text, &marks),
            vec![("12", vec![], vec![0]), ("34", vec![], vec![0])]
        );
    }

    #[test]
    fn spans_are_clamped_and_snapped_to_characters() {
        let text = "é 5 ç"; // é and ç are two bytes each
        let marks = [
            mark(1, 4, 0, Role::Figure),  // starts inside "é"
            mark(6, 99, 1, Role::Figure), // ends past the text, starts inside "ç"
            mark(3, 3, 2, Role::Claim),   // empty
        ];
        assert_eq!(
            cut(text, &marks),
            vec![("é 5", vec![], vec![0]), ("ç", vec![], vec![1])]
        );
        assert!(segments("", &[mark(0, 5, 0, Role::Claim)]).is_empty());
    }

    #[test]
    fn segments_cover_exactly_the_union_of_the_marks() {
        // A small exhaustive check over every pair of spans in a short text.
        let text = "0123456";
        for a in 0..=7 {
            for b in a..=7 {
                for c in 0..=7 {
                    for d in c..=7 {
                        let marks = [mark(a, b, 0, Role::Claim), mark(c, d, 1, Role::Figure)];
                        let segs = segments(text, &marks);
                        for pair in segs.windows(2) {
                            assert!(pair[0].span.end <= pair[1].span.start);
                        }
                        for pos in 0..7 {
                            let in_claim = (a..b).contains(&pos);
                            let in_fig = (c..d).contains(&pos);
                            let seg = segs
                                .iter()
                                .find(|s| (s.span.start..s.span.end).contains(&pos));
                            match seg {
                                None => assert!(!in_claim && !in_fig),
                                Some(s) => {
                                    assert_eq!(s.claims == [0], in_claim);
                                    assert_eq!(s.figures == [1], in_fig);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
