//! `--format html`: a review page, one self-contained HTML file that shows each checked
//! document with the figures of every finding marked, for reviewers who would rather read
//! the draft than a list of line numbers.
//!
//! Last stage of the pipeline, like the other reporters. Each file is rendered when it
//! arrives (the text cut into [`segments`] so that overlapping findings nest, lines
//! numbered, findings placed in the document's [`sections`]); the page is assembled in
//! [`Reporter::finish`] from the template, stylesheet and script under `src/report/html/`.
//! The page loads nothing: no network, no fonts, no external scripts. Its
//! Content-Security-Policy allows only its own style and script, by hash, so even a
//! mistake in [`escape`] could not run a script written in a draft; all text from the
//! draft, the findings, the rule docs and file names is escaped all the same.
//!
//! Output is deterministic: no timestamps, finding ids `f{file}-{n}` in input order.

mod escape;
mod sections;
mod segments;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::json::error_message;
use super::{Reporter, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::RuleDoc;
use crate::source::{Location, SourceFile};
use escape::{escaped, push_escaped};
use sections::{SectionRef, Sections};
use segments::{Mark, Role, Segment, segments};

/// The page skeleton, with `{{name}}` placeholders.
const TEMPLATE: &str = include_str!("html/page.html");
/// The page's stylesheet (screen and print).
const STYLE: &str = include_str!("html/style.css");
/// The page's script: selection, filters, grouping, keyboard navigation.
const SCRIPT: &str = include_str!("html/review.js");
/// At most this many lines of a claim are shown in its printed excerpt.
const MAX_EXCERPT_LINES: usize = 12;

/// Collects rendered files and writes one HTML page at the end.
pub struct HtmlReporter<W: Write> {
    out: W,
    rules: BTreeMap<String, RuleText>,
    files: Vec<FileEntry>,
    summary: Summary,
}

/// What the page says about a rule.
struct RuleText {
    summary: String,
    what: String,
}

/// One input, rendered.
enum FileEntry {
    Checked {
        name: String,
        /// The numbered lines, with marks, ready to go inside `<pre>`.
        text_html: String,
        findings: Vec<Finding>,
    },
    Unreadable {
        name: String,
        message: String,
    },
}

/// One finding, as the side panel shows it.
struct Finding {
    id: String,
    file: usize,
    rule: String,
    severity: Severity,
    message: String,
    help: String,
    labels: Vec<String>,
    line: usize,
    location: Option<Location>,
    section: SectionRef,
    /// The claim's lines with only this finding's marks, for print.
    excerpt_html: String,
}

impl<W: Write> HtmlReporter<W> {
    /// A reporter explaining findings with `rules`' docs, writing the page to `out`.
    pub fn new(out: W, rules: &[RuleDoc]) -> Self {
        HtmlReporter {
            out,
            rules: rules
                .iter()
                .map(|doc| {
                    let text = RuleText {
                        summary: doc.summary.trim().to_owned(),
                        what: doc.what.trim().to_owned(),
                    };
                    (doc.id.clone(), text)
                })
                .collect(),
            files: Vec::new(),
            summary: Summary::default(),
        }
    }

    /// Give back the writer (for tests).
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> Reporter for HtmlReporter<W> {
    fn file(&mut self, file: &SourceFile, diags: &[Diagnostic]) -> io::Result<()> {
        self.summary.record_file(diags);
        let index = self.files.len();
        self.files.push(render_file(index, file, diags));
        Ok(())
    }

    fn error(&mut self, file: &str, err: &dyn miette::Diagnostic) -> io::Result<()> {
        self.summary.record_unreadable();
        self.files.push(FileEntry::Unreadable {
            name: file.to_owned(),
            message: error_message(file, err),
        });
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        let page = self.page();
        self.out.write_all(page.as_bytes())?;
        self.out.flush()
    }

    fn summary(&self) -> &Summary {
        &self.summary
    }
}

/// `f{file}-{n}`: a finding's id in the page (letters, digits and `-` only, so it needs
/// no quoting in attribute selectors).
fn finding_id(file: usize, n: usize) -> String {
    format!("f{file}-{n}")
}

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "s-error",
        Severity::Warning => "s-warning",
        Severity::Info => "s-info",
    }
}

/// Render one checked file: its marked text and its findings.
fn render_file(index: usize, file: &SourceFile, diags: &[Diagnostic]) -> FileEntry {
    let text = file.text();
    let marks = marks_of(diags.iter().enumerate());
    let segs = segments(text, &marks);
    let ids: Vec<String> = (0..diags.len()).map(|n| finding_id(index, n)).collect();
    let severities: Vec<Severity> = diags.iter().map(|d| d.severity).collect();
    let mut text_html = String::with_capacity(text.len() + text.len() / 4);
    let style = MarkStyle {
        severities: &severities,
        ids: Some(&ids),
    };
    render_lines(&mut text_html, text, 0..text.len(), 1, &segs, style);

    let sections = Sections::of(text);
    let line_count = file.line_count();
    let findings = diags
        .iter()
        .enumerate()
        .map(|(n, d)| {
            let line = file.line_col(d.span.start).line;
            Finding {
                id: ids[n].clone(),
                file: index,
                rule: d.rule.clone(),
                severity: d.severity,
                message: d.message.clone(),
                help: d.help.clone(),
                labels: d.labels.iter().map(|l| l.message.clone()).collect(),
                line,
                location: file.layout().location_at(d.span.start),
                section: sections.at(d.span.start, line, line_count),
                excerpt_html: excerpt(file, d),
            }
        })
        .collect();
    FileEntry::Checked {
        name: file.name().to_owned(),
        text_html,
        findings,
    }
}

/// The claim span and every label span of each `(index, diagnostic)`.
fn marks_of<'d>(diags: impl Iterator<Item = (usize, &'d Diagnostic)>) -> Vec<Mark> {
    let mut marks = Vec::new();
    for (finding, d) in diags {
        marks.push(Mark {
            span: d.span,
            finding,
            role: Role::Claim,
        });
        marks.extend(d.labels.iter().map(|l| Mark {
            span: l.span,
            finding,
            role: Role::Figure,
        }));
    }
    marks
}

/// The lines of `diag`'s claim (at most [`MAX_EXCERPT_LINES`]) with its own marks only.
fn excerpt(file: &SourceFile, diag: &Diagnostic) -> String {
    let text = file.text();
    let mut span = diag.span;
    for label in &diag.labels {
        span = span.cover(label.span);
    }
    // Spans are on character boundaries; rounding keeps a stray one from panicking.
    let start = text[..text.floor_char_boundary(span.start)]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let mut end = text.ceil_char_boundary(span.end).max(start);
    end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    // Keep the first lines of a long claim.
    if let Some((cut, _)) = text[start..end]
        .match_indices('\n')
        .nth(MAX_EXCERPT_LINES - 1)
    {
        end = start + cut;
    }
    let segs = segments(text, &marks_of(std::iter::once((0, diag))));
    let style = MarkStyle {
        severities: &[diag.severity],
        ids: None,
    };
    let mut out = String::new();
    let first_line = file.line_col(start).line;
    render_lines(&mut out, text, start..end, first_line, &segs, style);
    out
}

/// Append the lines of `text` between the byte offsets `range` (a line start, and a
/// line end or the end of the text), each as a `<span class="l">` numbered from
/// `first_line`, with the parts in `segs` marked. With `ids`, marks name their findings
/// in `data-c` (claims) and `data-g` (figures) for the script; without, they are only
/// coloured.
fn render_lines(
    out: &mut String,
    text: &str,
    range: std::ops::Range<usize>,
    first_line: usize,
    segs: &[Segment],
    marks: MarkStyle<'_>,
) {
    let mut next_seg = segs.partition_point(|s| s.span.end <= range.start);
    let mut line_start = range.start;
    let shown = &text[range.clone()];
    // A final line break ends the last line; it does not start an empty one.
    let shown = shown.strip_suffix('\n').unwrap_or(shown);
    for (n, line) in shown.split('\n').enumerate() {
        let line_end = line_start + line.len();
        let shown_end = if line.ends_with('\r') {
            line_end - 1
        } else {
            line_end
        };
        let _ = write!(out, "<span class=\"l\" data-n=\"{}\">", first_line + n);
        let mut at = line_start;
        while let Some(seg) = segs.get(next_seg) {
            if seg.span.start >= shown_end {
                break;
            }
            let from = seg.span.start.max(at);
            let to = seg.span.end.min(shown_end);
            push_escaped(out, &text[at..from]);
            if from < to {
                push_mark(out, &text[from..to], seg, marks);
            }
            at = to.max(at);
            if seg.span.end > shown_end {
                break;
            }
            next_seg += 1;
        }
        push_escaped(out, &text[at..shown_end]);
        // The line's own break, inside its block: copied text keeps its lines, the page
        // source reads line by line, and a block's final break adds no empty line.
        out.push_str("\n</span>");
        line_start = line_end + 1;
        // Segments that end in the line break belong to no visible text.
        while segs.get(next_seg).is_some_and(|s| s.span.end <= line_start) {
            next_seg += 1;
        }
    }
}

/// How marks are drawn: the severity of each finding (by index) for the colour, and,
/// on the document itself, the finding ids the script looks marks up by.
#[derive(Clone, Copy)]
struct MarkStyle<'a> {
    severities: &'a [Severity],
    ids: Option<&'a [String]>,
}

/// One `<mark>`: classes for its colour (the most severe finding it belongs to) and its
/// roles (`c` inside a claim, `g` a figure), and the finding ids.
fn push_mark(out: &mut String, piece: &str, seg: &Segment, style: MarkStyle<'_>) {
    let MarkStyle { severities, ids } = style;
    let severity = seg
        .claims
        .iter()
        .chain(&seg.figures)
        .filter_map(|&f| severities.get(f).copied())
        .max()
        .unwrap_or(Severity::Info);
    let _ = write!(out, "<mark class=\"{}", severity_class(severity));
    if !seg.claims.is_empty() {
        out.push_str(" c");
    }
    if !seg.figures.is_empty() {
        out.push_str(" g");
    }
    out.push('"');
    if let Some(ids) = ids {
        for (attr, list) in [("data-c", &seg.claims), ("data-g", &seg.figures)] {
            if list.is_empty() {
                continue;
            }
            let names: Vec<&str> = list
                .iter()
                .filter_map(|&f| ids.get(f).map(String::as_str))
                .collect();
            let _ = write!(out, " {attr}=\"{}\"", names.join(" "));
        }
    }
    out.push('>');
    push_escaped(out, piece);
    out.push_str("</mark>");
}

/// `'sha256-...'` of `source`, for the Content-Security-Policy.
fn csp_hash(source: &str) -> String {
    let digest = Sha256::digest(source.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The Content-Security-Policy of the page: nothing may load, only the page's own
/// style and script (by hash) may apply or run.
fn content_security_policy() -> String {
    format!(
        "default-src 'none'; style-src {}; script-src {}; img-src data:; base-uri 'none'; form-action 'none'",
        csp_hash(STYLE),
        csp_hash(SCRIPT)
    )
}

/// Fill `{{name}}` placeholders of `template` in one pass (values are not searched for
/// placeholders); an unknown name is left as written.
fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}") else {
            break;
        };
        let name = &rest[open + 2..open + close];
        out.push_str(&rest[..open]);
        match value(name) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[open..open + close + 2]),
        }
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
    out
}

/// Counts of findings by severity, e.g. `2 errors, 5 warnings`, or `no findings`.
fn severity_counts(findings: &[&Finding]) -> String {
    let mut parts = Vec::new();
    for (severity, one, many) in [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Info, "info", "infos"),
    ] {
        let n = findings.iter().filter(|f| f.severity == severity).count();
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    }
    if parts.is_empty() {
        "no findings".to_owned()
    } else {
        parts.join(", ")
    }
}

/// Text with hard line breaks, as paragraphs: blank lines separate them, single line
/// breaks become spaces, and `code` in backticks is set as code.
fn push_paragraphs(out: &mut String, text: &str) {
    for para in text.split("\n\n") {
        let joined = para.split_whitespace().collect::<Vec<_>>().join(" ");
        if joined.is_empty() {
            continue;
        }
        out.push_str("<p>");
        for (i, piece) in escaped(&joined).split('`').enumerate() {
            if i % 2 == 1 {
                let _ = write!(out, "<code>{piece}</code>");
            } else {
                out.push_str(piece);
            }
        }
        out.push_str("</p>");
    }
}

impl<W: Write> HtmlReporter<W> {
    fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.files.iter().flat_map(|f| match f {
            FileEntry::Checked { findings, .. } => findings.as_slice(),
            FileEntry::Unreadable { .. } => &[],
        })
    }

    fn file_name(&self, index: usize) -> &str {
        match self.files.get(index) {
            Some(FileEntry::Checked { name, .. } | FileEntry::Unreadable { name, .. }) => name,
            None => "",
        }
    }

    /// Rules that fired, most severe first, then by id, with their findings.
    fn by_rule(&self) -> Vec<(&str, Vec<&Finding>)> {
        let mut groups: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in self.findings() {
            groups.entry(f.rule.as_str()).or_default().push(f);
        }
        let mut groups: Vec<(&str, Vec<&Finding>)> = groups.into_iter().collect();
        groups.sort_by_key(|(_, fs)| {
            std::cmp::Reverse(
                fs.iter()
                    .map(|f| f.severity)
                    .max()
                    .unwrap_or(Severity::Info),
            )
        });
        groups
    }

    /// The whole page.
    fn page(&self) -> String {
        let checked = self
            .files
            .iter()
            .filter(|f| matches!(f, FileEntry::Checked { .. }))
            .count();
        let title = match self.files.as_slice() {
            [only] => match only {
                FileEntry::Checked { name, .. } | FileEntry::Unreadable { name, .. } => {
                    name.clone()
                }
            },
            files => format!("{} files", files.len()),
        };
        let groups = self.by_rule();
        fill(TEMPLATE, |name| {
            Some(match name {
                "csp" => content_security_policy(),
                "version" => env!("CARGO_PKG_VERSION").to_owned(),
                "title" => escaped(&title),
                "summary" => escaped(&self.summary.to_string()),
                "rule_counts" => self.rule_counts(&groups),
                "severity_filters" => self.severity_filters(),
                "rule_options" => self.rule_options(&groups),
                "file_list" => self.file_list(checked),
                "documents" => self.documents(),
                "by_rule" => self.by_rule_html(&groups),
                "by_section" => self.by_section_html(),
                "style" => STYLE.to_owned(),
                "script" => SCRIPT.to_owned(),
                _ => return None,
            })
        })
    }

    fn rule_counts(&self, groups: &[(&str, Vec<&Finding>)]) -> String {
        let mut out = String::new();
        for (rule, findings) in groups {
            let worst = findings
                .iter()
                .map(|f| f.severity)
                .max()
                .unwrap_or(Severity::Info);
            let rule = escaped(rule);
            let _ = write!(
                out,
                "<button type=\"button\" class=\"chip {}\" data-rule=\"{rule}\" aria-pressed=\"false\" title=\"show only {rule}\">{rule} <b>{}</b></button>",
                severity_class(worst),
                findings.len()
            );
        }
        out
    }

    fn severity_filters(&self) -> String {
        let mut out = String::new();
        for (severity, n) in [
            (Severity::Error, self.summary.errors),
            (Severity::Warning, self.summary.warnings),
            (Severity::Info, self.summary.infos),
        ] {
            let _ = write!(
                out,
                "<label class=\"{}\"><input type=\"checkbox\" name=\"severity\" value=\"{severity}\" checked> {severity} <b>{n}</b></label>",
                severity_class(severity)
            );
        }
        out
    }

    fn rule_options(&self, groups: &[(&str, Vec<&Finding>)]) -> String {
        let mut out = String::new();
        let mut rules: Vec<(&str, usize)> = groups.iter().map(|(r, fs)| (*r, fs.len())).collect();
        rules.sort_unstable();
        for (rule, n) in rules {
            let rule = escaped(rule);
            let _ = write!(out, "<option value=\"{rule}\">{rule} ({n})</option>");
        }
        out
    }

    /// The list of files, when there is more than one input (or one that failed).
    fn file_list(&self, checked: usize) -> String {
        if self.files.len() == 1 && checked == 1 {
            return String::new();
        }
        let mut out = String::from("<nav class=\"file-list\"><h2>Files</h2><ol>");
        for (i, file) in self.files.iter().enumerate() {
            match file {
                FileEntry::Checked { name, findings, .. } => {
                    let refs: Vec<&Finding> = findings.iter().collect();
                    let _ = write!(
                        out,
                        "<li><a href=\"#f{i}\">{}</a> <span class=\"counts\">{}</span></li>",
                        escaped(name),
                        severity_counts(&refs)
                    );
                }
                FileEntry::Unreadable { name, message } => {
                    let _ = write!(
                        out,
                        "<li class=\"unreadable\"><a href=\"#f{i}\">{}</a> <span class=\"error-text\">not checked: {}</span></li>",
                        escaped(name),
                        escaped(message)
                    );
                }
            }
        }
        out.push_str("</ol></nav>");
        out
    }

    fn documents(&self) -> String {
        let mut out = String::new();
        for (i, file) in self.files.iter().enumerate() {
            match file {
                FileEntry::Checked {
                    name,
                    text_html,
                    findings,
                } => {
                    let refs: Vec<&Finding> = findings.iter().collect();
                    let _ = writeln!(
                        out,
                        "<section class=\"doc\" id=\"f{i}\"><h2 class=\"doc-name\">{} <span class=\"counts\">{}</span></h2>\n<pre class=\"text\">{text_html}</pre></section>",
                        escaped(name),
                        severity_counts(&refs)
                    );
                }
                FileEntry::Unreadable { name, message } => {
                    let _ = writeln!(
                        out,
                        "<section class=\"doc unreadable\" id=\"f{i}\"><h2 class=\"doc-name\">{}</h2><p class=\"error-text\">not checked: {}</p></section>",
                        escaped(name),
                        escaped(message)
                    );
                }
            }
        }
        out
    }

    fn by_rule_html(&self, groups: &[(&str, Vec<&Finding>)]) -> String {
        if groups.is_empty() {
            return "<p class=\"none\">No findings.</p>".to_owned();
        }
        let mut out = String::new();
        for (rule, findings) in groups {
            let _ = write!(
                out,
                "<section class=\"group\" data-rule=\"{}\"><h3 class=\"group-head\"><span class=\"rule\">{}</span> <span class=\"n\">{}</span></h3>",
                escaped(rule),
                escaped(rule),
                findings.len()
            );
            if let Some(doc) = self.rules.get(*rule) {
                out.push_str("<p class=\"rule-summary\">");
                push_escaped(&mut out, &doc.summary);
                out.push_str("</p>");
            }
            out.push_str("<ol class=\"cards\">");
            for f in findings {
                self.card(&mut out, f, false);
            }
            out.push_str("</ol></section>\n");
        }
        out
    }

    fn by_section_html(&self) -> String {
        let mut out = String::new();
        for (i, file) in self.files.iter().enumerate() {
            let FileEntry::Checked { name, findings, .. } = file else {
                continue;
            };
            if findings.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "<section class=\"file-group\" data-file=\"{i}\"><h3 class=\"file-head\">{}</h3>",
                escaped(name)
            );
            // Findings come in text order, so each section's are consecutive.
            let mut start = 0;
            while start < findings.len() {
                let section = &findings[start].section;
                let len = findings[start..]
                    .iter()
                    .take_while(|f| f.section.key == section.key)
                    .count();
                let _ = write!(
                    out,
                    "<section class=\"group\"><h4 class=\"group-head\">{} <span class=\"n\">{len}</span></h4><ol class=\"cards\">",
                    escaped(&section.title)
                );
                for f in &findings[start..start + len] {
                    self.card(&mut out, f, true);
                }
                out.push_str("</ol></section>\n");
                start += len;
            }
            out.push_str("</section>\n");
        }
        if out.is_empty() {
            out.push_str("<p class=\"none\">No findings.</p>");
        }
        out
    }

    /// One finding in the panel; `with_excerpt` adds the claim's lines (shown in print).
    fn card(&self, out: &mut String, f: &Finding, with_excerpt: bool) {
        let rule = escaped(&f.rule);
        let _ = write!(
            out,
            "<li class=\"card {}\" data-id=\"{}\" data-rule=\"{rule}\" data-severity=\"{}\" tabindex=\"0\">",
            severity_class(f.severity),
            f.id,
            f.severity
        );
        if with_excerpt {
            let _ = write!(out, "<pre class=\"excerpt\">{}</pre>", f.excerpt_html);
        }
        let _ = write!(
            out,
            "<div class=\"card-head\"><span class=\"sev\">{}</span> <span class=\"rule\">{rule}</span> <span class=\"where\">",
            f.severity
        );
        if self.files.len() > 1 {
            push_escaped(out, self.file_name(f.file));
            out.push_str(" · ");
        }
        let _ = write!(out, "line {}", f.line);
        if let Some(place) = f.location {
            let _ = write!(out, " · {place}");
        }
        out.push_str("</span></div><p class=\"msg\">");
        push_escaped(out, &f.message);
        out.push_str("</p>");
        if !f.help.is_empty() {
            out.push_str("<p class=\"help\">");
            push_escaped(out, &f.help);
            out.push_str("</p>");
        }
        if !f.labels.is_empty() {
            out.push_str("<ul class=\"figures\">");
            for label in &f.labels {
                out.push_str("<li>");
                push_escaped(out, label);
                out.push_str("</li>");
            }
            out.push_str("</ul>");
        }
        if let Some(doc) = self.rules.get(&f.rule).filter(|d| !d.what.is_empty()) {
            let _ = write!(
                out,
                "<details class=\"about\"><summary>What {rule} checks</summary>"
            );
            push_paragraphs(out, &doc.what);
            out.push_str("</details>");
        }
        out.push_str("</li>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Label;
    use crate::report::tests::{SHARE_TEXT, share_finding};
    use crate::source::Span;

    fn doc(id: &str) -> RuleDoc {
        RuleDoc {
            id: id.into(),
            family: "share".into(),
            severity: Severity::Error,
            summary: "a percentage that its part and whole do not give".into(),
            what: "Fires when part / whole is not the stated percentage\n(`786 / 3,415`).\n\nSecond paragraph.".into(),
            why: "Why.".into(),
            example_format: crate::formats::Format::Text,
            fires: vec![],
            passes: vec![],
        }
    }

    fn page(files: &[(&str, &str, Vec<Diagnostic>)]) -> String {
        let mut r = HtmlReporter::new(Vec::new(), &[doc("share-mismatch")]);
        for (name, text, diags) in files {
            let file = SourceFile::from_text(*name, (*text).to_owned());
            r.file(&file, diags).expect("render");
        }
        r.finish().expect("finish");
        String::from_utf8(r.into_inner()).expect("utf-8")
    }

    #[test]
    fn lines_are_numbered_and_marks_carry_finding_ids() {
        let text = "a 12 b\r\nc 34\n";
        let marks = [
            Mark {
                span: Span::new(2, 12),
                finding: 0,
                role: Role::Claim,
            },
            Mark {
                span: Span::new(10, 12),
                finding: 0,
                role: Role::Figure,
            },
        ];
        let segs = segments(text, &marks);
        let ids = vec!["f0-0".to_owned()];
        let style = MarkStyle {
            severities: &[Severity::Warning],
            ids: Some(&ids),
        };
        let mut out = String::new();
        render_lines(&mut out, text, 0..text.len(), 1, &segs, style);
        assert_eq!(
            out,
            "<span class=\"l\" data-n=\"1\">a <mark class=\"s-warning c\" data-c=\"f0-0\">12 b</mark>\n</span>\
             <span class=\"l\" data-n=\"2\"><mark class=\"s-warning c\" data-c=\"f0-0\">c </mark>\
             <mark class=\"s-warning c g\" data-c=\"f0-0\" data-g=\"f0-0\">34</mark>\n</span>"
        );
        // Without ids (the printed excerpt), marks are only coloured.
        let style = MarkStyle {
            severities: &[Severity::Error],
            ids: None,
        };
        let mut out = String::new();
        render_lines(&mut out, text, 8..12, 2, &segs, style);
        assert_eq!(
            out,
            "<span class=\"l\" data-n=\"2\"><mark class=\"s-error c\">c </mark><mark class=\"s-error c g\">34</mark>\n</span>"
        );
    }

    #[test]
    fn hostile_text_is_escaped_around_and_inside_marks() {
        let text = "<script>alert(1)</script> \"x\" & 'y' 786 of 1,000 is <b>7.9%</b>\n";
        let find = |s: &str| {
            let i = text.find(s).expect("in text");
            Span::new(i, i + s.len())
        };
        let diag = Diagnostic {
            rule: "share-mismatch".into(),
            severity: Severity::Error,
            message: "<i>786</i> & \"1,000\"".into(),
            span: find("786 of 1,000 is <b>7.9%"),
            labels: vec![Label {
                span: find("7.9%</b>"),
                message: "stated: <7.9%>".into(),
            }],
            help: "786 / 1,000 = 78.6 'per cent'".into(),
            computed: None,
        };
        let html = page(&[("<img src=x onerror=alert(1)>.txt", text, vec![diag])]);
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;x&quot; &amp; &#39;y&#39; ")
        );
        // The label runs past the claim: the part outside is a figure only.
        assert!(html.contains(
            "<mark class=\"s-error c g\" data-c=\"f0-0\" data-g=\"f0-0\">7.9%</mark>\
             <mark class=\"s-error g\" data-g=\"f0-0\">&lt;/b&gt;</mark>"
        ));
        assert!(html.contains("&lt;i&gt;786&lt;/i&gt; &amp; &quot;1,000&quot;"));
        assert!(html.contains("stated: &lt;7.9%&gt;"));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;.txt"));
        // Exactly one script element (the page's own) and no markup from the draft.
        assert_eq!(html.matches("<script").count(), 1);
        assert!(!html.contains("<b>7.9") && !html.contains("<img") && !html.contains("<i>"));
    }

    #[test]
    fn the_policy_allows_only_the_pages_own_style_and_script() {
        let html = page(&[("a.txt", SHARE_TEXT, vec![share_finding(SHARE_TEXT)])]);
        let csp = content_security_policy();
        assert!(html.contains(&format!("content=\"{csp}\"")));
        assert!(csp.starts_with("default-src 'none'; style-src 'sha256-"));
        // The hashed text is exactly what sits between the tags.
        assert!(html.contains(&format!("<script>{SCRIPT}</script>")));
        assert!(html.contains(&format!("<style>{STYLE}</style>")));
        // Known SHA-256 vector, base64-encoded.
        assert_eq!(
            csp_hash("abc"),
            "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='"
        );
        for source in [SCRIPT, STYLE] {
            assert!(!source.contains("</") && !source.contains("<!--"));
        }
        assert!(!html.contains("http://") && !html.contains("https://"));
    }

    #[test]
    fn a_finding_is_listed_by_rule_and_by_section_with_its_explanation() {
        let html = page(&[("a.txt", SHARE_TEXT, vec![share_finding(SHARE_TEXT)])]);
        assert_eq!(html.matches("data-id=\"f0-0\"").count(), 2);
        assert!(html.contains("<p class=\"help\">786 / 3,415 = 23.02 per cent</p>"));
        assert!(html.contains(
            "<p>Fires when part / whole is not the stated percentage (<code>786 / 3,415</code>).</p><p>Second paragraph.</p>"
        ));
        assert!(
            html.contains("<h4 class=\"group-head\">lines 1–5 <span class=\"n\">1</span></h4>")
        );
        // One file: no file list.
        assert!(!html.contains("<nav class=\"file-list\">"));
    }

    #[test]
    fn many_files_get_a_file_list_and_unreadable_ones_their_error() {
        let mut r = HtmlReporter::new(Vec::new(), &[]);
        let file = SourceFile::from_text("a.txt", SHARE_TEXT.to_owned());
        r.file(&file, &[share_finding(SHARE_TEXT)]).expect("render");
        let err = crate::source::SourceFile::from_bytes("bad<1>.txt", b"ok \xff".to_vec())
            .expect_err("not UTF-8");
        r.error("bad<1>.txt", &err).expect("render");
        r.finish().expect("finish");
        let html = String::from_utf8(r.into_inner()).expect("utf-8");
        assert!(html.contains("<nav class=\"file-list\">"));
        assert!(html.contains("<a href=\"#f0\">a.txt</a> <span class=\"counts\">1 error</span>"));
        assert!(html.contains(
            "<a href=\"#f1\">bad&lt;1&gt;.txt</a> <span class=\"error-text\">not checked: invalid UTF-8 at byte 3 (line 1)</span>"
        ));
        assert!(html.contains("1 error in 1 file; 1 file was not checked"));
    }

    #[test]
    fn spans_off_character_boundaries_or_past_the_end_do_not_panic() {
        let text = "é 5 ç\nnext line\n";
        let diag = Diagnostic {
            rule: "share-mismatch".into(),
            severity: Severity::Warning,
            message: "m".into(),
            span: Span::new(1, 999),
            labels: vec![Label {
                span: Span::new(6, 7),
                message: "inside ç".into(),
            }],
            help: String::new(),
            computed: None,
        };
        let html = page(&[("a.txt", text, vec![diag])]);
        assert!(
            html.contains("<mark class=\"s-warning c g\" data-c=\"f0-0\" data-g=\"f0-0\">ç</mark>")
        );
        assert!(html.contains("<pre class=\"excerpt\"><span class=\"l\" data-n=\"1\">"));
    }

    #[test]
    fn placeholders_are_filled_once() {
        let out = fill("a {{x}} b {{y}} {{unknown}} {{", |name| match name {
            "x" => Some("{{y}}".to_owned()),
            "y" => Some("Y".to_owned()),
            _ => None,
        });
        assert_eq!(out, "a {{y}} b Y {{unknown}} {{");
    }
}
