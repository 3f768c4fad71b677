//! Inline suppressions: `<!-- numlint-disable RULE... -->` ... `<!-- numlint-enable -->`
//! and `<!-- numlint-disable-next-line RULE... -->`, written in the checked file.
//!
//! Read from the original text (HTML comments are not figures, so the scan is cheap:
//! a memchr search for `<!--`). A suppression that silences nothing is itself reported as
//! `unused-suppression`, as ruff does with RUF100.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::{SourceFile, Span};

/// One suppression comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppression {
    /// The comment itself.
    pub span: Span,
    /// Rule ids (or family names) it names; empty means every rule.
    pub rules: Vec<String>,
    /// Bytes it covers: to the matching enable (or the end), or the next line.
    pub covers: Span,
}

impl Suppression {
    fn applies(&self, rule: &str, family: &str) -> bool {
        self.rules.is_empty() || self.rules.iter().any(|r| r == rule || r == family)
    }
}

/// Every suppression comment in the file, in order.
pub fn parse(file: &SourceFile) -> Vec<Suppression> {
    // The original text, searched through the file: the scan text has comments (in
    // Markdown) and footnote blocks blanked, and the whole original is not rebuilt.
    // Every suppression opens with `<!--`. Most prose holds no `<` at all, and one
    // `memchr` for it costs a fifth of searching the whole text for `<!--`.
    if !file.holds_angle() {
        return Vec::new();
    }
    let len = file.len();
    let mut out = Vec::new();
    let mut open: Vec<Suppression> = Vec::new();
    // The first `-->` after the last comment opened: every `<!--` before it closes there
    // too, so the text is searched once, however many `<!--` it holds.
    let mut close: Option<usize> = None;
    let mut next = 0;
    while let Some(start) = file.find("<!--", next) {
        next = start + 4;
        // The body starts after `<!--`: in `<!-->` the `-->` overlaps the opening.
        let from = start + 4;
        let at = match close {
            Some(at) if at >= from => at,
            _ => match file.find("-->", from) {
                Some(at) => at,
                None => break,
            },
        };
        close = Some(at);
        let end = at + 3;
        let body = file.slice(Span::new(from, at));
        let body = body.trim();
        let mut words = body.split_whitespace();
        let directive = words.next().unwrap_or("");
        let rules: Vec<String> = words.map(str::to_string).collect();
        let span = Span::new(start, end);
        match directive {
            "numlint-disable" => open.push(Suppression {
                span,
                rules,
                covers: Span::new(end, len),
            }),
            "numlint-enable" => {
                // Ends every open region (or those naming the listed rules).
                let (closing, still): (Vec<_>, Vec<_>) = open
                    .drain(..)
                    .partition(|s| rules.is_empty() || s.rules.iter().any(|r| rules.contains(r)));
                open = still;
                out.extend(closing.into_iter().map(|mut s| {
                    s.covers.end = start;
                    s
                }));
            }
            "numlint-disable-next-line" => {
                // Through the line index, not a search: many comments on one very long
                // line would each search to its end.
                let (line, _) = file.line_start_of(end);
                let next_line = file.next_line_start(line).unwrap_or(len);
                let after = file.next_line_start(line + 1).map_or(len, |s| s - 1);
                out.push(Suppression {
                    span,
                    rules,
                    covers: Span::new(next_line, after),
                });
            }
            _ => {}
        }
    }
    out.extend(open);
    out.sort_by_key(|s| s.span.start);
    out
}

/// Drop the diagnostics a suppression covers (by the start of their claim) and add an
/// `unused-suppression` finding for each suppression that covered nothing.
/// `family_of` maps a rule id to its family; `unused` is the severity of that rule, or
/// `None` when it is disabled.
pub fn apply(
    suppressions: &[Suppression],
    diagnostics: Vec<Diagnostic>,
    family_of: impl Fn(&str) -> String,
    unused: Option<Severity>,
) -> Vec<Diagnostic> {
    let mut used = vec![false; suppressions.len()];
    let mut kept: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| {
            let family = family_of(&d.rule);
            let hit = suppressions.iter().position(|s| {
                s.covers.start <= d.span.start
                    && d.span.start < s.covers.end.max(s.covers.start + 1)
                    && s.applies(&d.rule, &family)
            });
            if let Some(i) = hit {
                used[i] = true;
            }
            hit.is_none()
        })
        .collect();
    if let Some(severity) = unused {
        for (s, _) in suppressions.iter().zip(&used).filter(|(_, u)| !**u) {
            let what = if s.rules.is_empty() {
                "every rule".to_string()
            } else {
                s.rules.join(", ")
            };
            kept.push(Diagnostic {
                rule: "unused-suppression".into(),
                severity,
                message: format!("this suppression of {what} silences nothing"),
                span: s.span,
                labels: vec![Label { span: s.span, message: "unused".into() }],
                help: "remove the comment, or check the rule ids it names (`numlint rules` lists them)".into(),
                computed: None,
            });
        }
        kept.sort_by(|a, b| (a.span.start, &a.rule).cmp(&(b.span.start, &b.rule)));
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::from_text("t.md", text.to_string())
    }

    #[test]
    fn regions_and_next_line() {
        let f = file(
            "a\n<!-- numlint-disable share-mismatch -->\nb\n<!-- numlint-enable -->\nc\n<!-- numlint-disable-next-line -->\nd\ne\n",
        );
        let s = parse(&f);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].rules, ["share-mismatch"]);
        assert_eq!(f.slice(s[0].covers).trim(), "b");
        assert!(s[1].rules.is_empty());
        assert_eq!(f.slice(s[1].covers), "d");
    }

    #[test]
    fn an_unclosed_disable_runs_to_the_end() {
        let f = file("<!-- numlint-disable -->\nx\ny");
        let s = parse(&f);
        assert_eq!(s[0].covers.end, f.text().len());
    }

    #[test]
    fn unterminated_comments_are_ignored() {
        assert!(parse(&file("<!-- numlint-disable")).is_empty());
    }
}
