//! Human output: rustc-style snippets drawn by miette's graphical handler.
//!
//! For a file with a layout (Word, HTML), a `note:` line after the snippet gives the
//! claim's place in words ("table 2, row 4, cell 3"), since an author finds a paragraph
//! or a cell, not a line of the extracted text.
//!
//! numlint's [`Diagnostic`] is plain data; here each one is wrapped, borrowed, in a type
//! that implements [`miette::Diagnostic`] over the file's original text, so the whole
//! text is never copied per finding.

use std::fmt;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{Reporter, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::limits::{MAX_SNIPPET_LINE_BYTES, SNIPPET_MARGIN};
use crate::source::{SourceFile, Span};

/// How human output looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HumanOptions {
    /// Colour the findings (stdout).
    pub color_out: bool,
    /// Colour the file errors (stderr).
    pub color_err: bool,
    /// Wrap width in columns.
    pub width: usize,
    /// Print only the summary line, not the findings; file errors are still shown.
    pub quiet: bool,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color_out: false,
            color_err: false,
            width: 100,
            quiet: false,
        }
    }
}

/// Writes each finding as a miette snippet to `out`, file errors to `err`, and a summary
/// line to `out` at the end.
pub struct HumanReporter<O: Write, E: Write> {
    out: O,
    err: E,
    out_handler: GraphicalReportHandler,
    err_handler: GraphicalReportHandler,
    quiet: bool,
    summary: Summary,
    // One render buffer reused across findings; miette renders into `fmt::Write`.
    buf: String,
}

impl<O: Write, E: Write> HumanReporter<O, E> {
    /// A reporter writing findings and the summary to `out` and file errors to `err`.
    pub fn new(out: O, err: E, options: HumanOptions) -> Self {
        HumanReporter {
            out,
            err,
            out_handler: handler(options.color_out, options.width),
            // Source errors already quote their cause in the message; the chain would
            // print it twice.
            err_handler: handler(options.color_err, options.width).without_cause_chain(),
            quiet: options.quiet,
            summary: Summary::default(),
            buf: String::new(),
        }
    }

    /// Give back the writers (for tests).
    pub fn into_inner(self) -> (O, E) {
        (self.out, self.err)
    }
}

fn handler(color: bool, width: usize) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false)
        .without_syntax_highlighting()
}

/// Render one diagnostic with `handler` into `buf` (cleared first).
fn render(
    handler: &GraphicalReportHandler,
    buf: &mut String,
    diag: &dyn miette::Diagnostic,
) -> io::Result<()> {
    buf.clear();
    handler
        .render_report(buf, diag)
        .map_err(|_| io::Error::other("could not render a diagnostic"))
}

impl<O: Write, E: Write> Reporter for HumanReporter<O, E> {
    fn file(&mut self, file: &SourceFile, diags: &[Diagnostic]) -> io::Result<()> {
        self.summary.record_file(diags);
        if self.quiet {
            return Ok(());
        }
        for diag in diags {
            let finding = Finding::new(file, diag);
            render(&self.out_handler, &mut self.buf, &finding)?;
            self.out.write_all(self.buf.as_bytes())?;
            if let Some(place) = file.layout().location_at(diag.span.start) {
                writeln!(self.out, "  note: in {place}")?;
            }
            writeln!(self.out)?;
        }
        Ok(())
    }

    fn error(&mut self, _file: &str, err: &dyn miette::Diagnostic) -> io::Result<()> {
        self.summary.record_unreadable();
        // Findings so far are buffered; write them first so a terminal shows both
        // streams in the order the files were given.
        self.out.flush()?;
        render(&self.err_handler, &mut self.buf, err)?;
        self.err.write_all(self.buf.as_bytes())?;
        self.err.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        writeln!(self.out, "{}", self.summary)?;
        self.out.flush()
    }

    fn summary(&self) -> &Summary {
        &self.summary
    }
}

/// A numlint finding seen through miette's eyes, borrowing the file and the diagnostic.
struct Finding<'a> {
    diag: &'a Diagnostic,
    source: FileSource<'a>,
    labels: Vec<LabeledSpan>,
}

impl<'a> Finding<'a> {
    fn new(file: &'a SourceFile, diag: &'a Diagnostic) -> Self {
        let text = file.text();
        let claim = clamp(text, diag.span);
        // A bracket over the claim's lines helps for a claim over a few lines; over many
        // (two passages pages apart) it would print every line between them.
        let lines = text[claim.start..claim.end].matches('\n').count();
        let single_line = lines == 0 || lines > 8;
        // The primary label sets the `[file:line:col]` header. A label covering the claim
        // is primary; on a single line the first label is (an extra underline of the whole
        // claim would sit on top of the figure labels); otherwise the claim itself is
        // shown as a bracket over its lines.
        let covering = diag
            .labels
            .iter()
            .position(|l| l.span.start <= claim.start && claim.end <= l.span.end)
            .or_else(|| {
                let first = diag
                    .labels
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, l)| l.span.start);
                first.filter(|_| single_line).map(|(i, _)| i)
            });
        let mut labels: Vec<LabeledSpan> = diag
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let label = Some(l.message.clone());
                let span = source_span(clamp(text, l.span));
                if Some(i) == covering {
                    LabeledSpan::new_primary_with_span(label, span)
                } else {
                    LabeledSpan::new_with_span(label, span)
                }
            })
            .collect();
        if covering.is_none() {
            labels.insert(
                0,
                LabeledSpan::new_primary_with_span(None, source_span(claim)),
            );
        }
        Finding {
            diag,
            source: FileSource {
                name: file.name(),
                text,
                file,
            },
            labels,
        }
    }
}

/// Clamp a span to the text and to character boundaries, so a stray span from a rule
/// can never make rendering fail.
fn clamp(text: &str, span: Span) -> Span {
    let mut start = span.start.min(text.len());
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}

fn source_span(span: Span) -> SourceSpan {
    SourceSpan::new(span.start.into(), span.len())
}

impl fmt::Debug for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Finding")
            .field("file", &self.source.name)
            .field("diag", self.diag)
            .finish()
    }
}

impl fmt::Display for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl std::error::Error for Finding<'_> {}

impl miette::Diagnostic for Finding<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.diag.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        (!self.diag.help.is_empty()).then(|| Box::new(&self.diag.help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// A file's name and original text, borrowed; miette's `NamedSource` would need an
/// owned `'static` copy of the text.
struct FileSource<'a> {
    name: &'a str,
    text: &'a str,
    file: &'a SourceFile,
}

impl FileSource<'_> {
    /// The bytes miette is shown for `span` with `before` and `after` lines of context:
    /// those lines (one more each side, which miette drops again) found through the
    /// file's line index, so a finding near the end of a large file costs no scan from
    /// its start. When that is over [`MAX_SNIPPET_LINE_BYTES`] (a very long line), only
    /// [`SNIPPET_MARGIN`] bytes either side of the span, or after its start when the span
    /// itself is that long.
    ///
    /// Also the line that the window starts on and that line's start, when the window
    /// starts at a line's start. The lines before and after are counted from the span's
    /// own lines (a miette snippet asks for a window per label, a line or two each side).
    fn window(
        &self,
        span: Span,
        before: usize,
        after: usize,
    ) -> (usize, usize, Option<(usize, usize)>) {
        let text = self.text;
        let (first, first_start) = self.file.line_start_of(span.start);
        // A short span with no line feed ends on the line it starts on.
        let one_line = span.len() <= MAX_SNIPPET_LINE_BYTES
            && text
                .as_bytes()
                .get(span.start..span.end)
                .is_some_and(|inside| memchr::memchr(b'\n', inside).is_none());
        let (last, last_start) = if one_line {
            (first, first_start)
        } else {
            self.file.line_start_of(span.end)
        };
        let lo = self.file.line_start_before(first, first_start, before + 1);
        let hi = self.file.line_start_after(last, last_start, after + 2);
        if hi - lo <= MAX_SNIPPET_LINE_BYTES {
            return (lo, hi, Some((first.saturating_sub(before + 1), lo)));
        }
        let (lo, hi) = around_span(text, lo, hi, span);
        (lo, hi, None)
    }
}

/// The part of the lines `lo..hi` (too long to show whole) around `span`: a margin
/// either side, or the span's start when the span itself is that long, widened to
/// character boundaries.
fn around_span(text: &str, lo: usize, hi: usize, span: Span) -> (usize, usize) {
    let mut lo = lo.max(span.start.saturating_sub(SNIPPET_MARGIN));
    let mut hi = hi.min(span.end.saturating_add(SNIPPET_MARGIN));
    if hi - lo > MAX_SNIPPET_LINE_BYTES {
        // The span itself is that long (figures far apart on one very long line):
        // show its start. miette cannot draw a label that far along a line anyway.
        hi = hi.min(span.start.saturating_add(SNIPPET_MARGIN));
    }
    while !text.is_char_boundary(lo) {
        lo -= 1;
    }
    while !text.is_char_boundary(hi) {
        hi += 1;
    }
    (lo, hi)
}

impl SourceCode for FileSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let wanted = clamp(
            self.text,
            Span::new(span.offset(), span.offset() + span.len()),
        );
        let (lo, hi, lo_line) = self.window(wanted, context_lines_before, context_lines_after);
        // miette reads the window as if it were the file, then its places are moved back.
        let local = SourceSpan::new(
            (wanted.start - lo).into(),
            wanted.end.min(hi) - wanted.start,
        );
        let window = &self.text[lo..hi];
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        let (base_line, base_line_start) = lo_line.unwrap_or_else(|| self.file.line_start_of(lo));
        let column = if context_lines_before == 0 && inner.line() == 0 {
            // A window from mid-line: miette counts columns in bytes from the line's start.
            inner.column() + (lo - base_line_start)
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_owned(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + lo).into(), inner.span().len()),
            inner.line() + base_line,
            column,
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Label;
    use crate::report::tests::{SHARE_TEXT, share_file_at, share_finding};
    use crate::source::SourceError;

    /// The window as it was first found: every line through the line index (the
    /// oracle of [`FileSource::window`]).
    fn window_by_index(
        source: &FileSource<'_>,
        span: Span,
        before: usize,
        after: usize,
    ) -> (usize, usize) {
        let text = source.text;
        let (first, _) = source.file.line_start_of(span.start);
        let (last, _) = source.file.line_start_of(span.end);
        let lo = source
            .file
            .line_start_of_line(first.saturating_sub(before + 1));
        let hi = source.file.line_end(last + after + 1);
        if hi - lo <= MAX_SNIPPET_LINE_BYTES {
            return (lo, hi);
        }
        // Lines too long to show whole are cut as the code cuts them.
        around_span(text, lo, hi, span)
    }

    proptest::proptest! {
        /// Windows whose lines are counted from the span's own lines are the ones the
        /// line index gives, and so is the line they start on: short lines and a very
        /// long one, spans across lines, at the text's ends, with a trailing line feed.
        #[test]
        fn windows_counted_from_the_span_are_the_indexed_ones(
            lines in proptest::collection::vec("[a é]{0,12}", 1..80),
            long in proptest::option::of(0usize..80),
            trailing in proptest::bool::ANY,
            at in 0usize..12_000,
            len in 0usize..400,
            before in 0usize..4,
            after in 0usize..4,
        ) {
            let mut lines = lines;
            if let Some(k) = long {
                let k = k % lines.len();
                lines[k] = "x".repeat(9_000);
            }
            let mut text = lines.join("\n");
            if trailing {
                text.push('\n');
            }
            let file = SourceFile::from_text("t.txt", text.clone());
            let source = FileSource { name: "t.txt", text: &text, file: &file };
            let span = clamp(&text, Span::new(at, at + len));
            let (lo, hi, base) = source.window(span, before, after);
            proptest::prop_assert_eq!((lo, hi), window_by_index(&source, span, before, after));
            if let Some(base) = base {
                proptest::prop_assert_eq!(base, file.line_start_of(lo));
            }
        }
    }

    fn run(files: &[(&str, &str, Vec<Diagnostic>)], quiet: bool) -> (String, String) {
        let options = HumanOptions {
            width: 80,
            quiet,
            ..HumanOptions::default()
        };
        let mut reporter = HumanReporter::new(Vec::new(), Vec::new(), options);
        for (name, text, diags) in files {
            let file = SourceFile::from_text(*name, (*text).to_owned());
            reporter.file(&file, diags).unwrap();
        }
        reporter.finish().unwrap();
        let (out, err) = reporter.into_inner();
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn share_mismatch_renders_like_rustc() {
        let diag = share_finding(SHARE_TEXT);
        let (out, err) = run(&[("seeds/kaz.txt", SHARE_TEXT, vec![diag])], false);
        assert_eq!(err, "");
        insta::assert_snapshot!(out);
    }

    #[test]
    fn places_in_a_document_are_named_in_a_note() {
        let file = share_file_at(crate::source::Location::Cell {
            table: 2,
            row: 4,
            cell: 3,
        });
        let options = HumanOptions {
            width: 80,
            ..HumanOptions::default()
        };
        let mut reporter = HumanReporter::new(Vec::new(), Vec::new(), options);
        reporter.file(&file, &[share_finding(SHARE_TEXT)]).unwrap();
        let out = String::from_utf8(reporter.into_inner().0).unwrap();
        assert!(
            out.ends_with(
                "  help: 786 / 3,415 = 23.02 per cent\n  note: in table 2, row 4, cell 3\n\n"
            ),
            "{out}"
        );
        assert!(out.contains("[r.docx:3:31]"), "{out}");
    }

    #[test]
    fn label_covering_the_claim_is_primary() {
        let text = "women account for 21.02 per cent of deputies\n";
        let start = text.find("21.02").unwrap();
        let span = Span::new(start, start + "21.02 per cent".len());
        let diag = Diagnostic {
            rule: "percent-out-of-range".into(),
            severity: Severity::Warning,
            message: "a share of deputies above what the counts allow".into(),
            span,
            labels: vec![Label {
                span,
                message: "stated share".into(),
            }],
            help: String::new(),
            computed: None,
        };
        let (out, _) = run(&[("a.txt", text, vec![diag])], false);
        insta::assert_snapshot!(out);
    }

    #[test]
    fn color_is_only_used_when_asked_for() {
        let render = |color_out| {
            let options = HumanOptions {
                color_out,
                ..HumanOptions::default()
            };
            let mut reporter = HumanReporter::new(Vec::new(), Vec::new(), options);
            let file = SourceFile::from_text("a.txt", SHARE_TEXT.to_owned());
            reporter.file(&file, &[share_finding(SHARE_TEXT)]).unwrap();
            String::from_utf8(reporter.into_inner().0).unwrap()
        };
        assert!(render(true).contains('\x1b'));
        assert!(!render(false).contains('\x1b'));
    }

    #[test]
    fn clean_files_print_only_the_summary() {
        let (out, err) = run(&[("a.txt", "no figures\n", vec![])], false);
        assert_eq!(out, "no findings in 1 file\n");
        assert_eq!(err, "");
    }

    #[test]
    fn quiet_prints_only_the_summary() {
        let diag = share_finding(SHARE_TEXT);
        let (out, _) = run(&[("a.txt", SHARE_TEXT, vec![diag])], true);
        assert_eq!(out, "1 error in 1 file\n");
    }

    #[test]
    fn out_of_range_spans_do_not_break_rendering() {
        let text = "çé 12\n";
        let diag = Diagnostic {
            span: Span::new(1, 500),
            labels: vec![Label {
                span: Span::new(3, 2),
                message: "odd".into(),
            }],
            ..share_finding(SHARE_TEXT)
        };
        let (out, _) = run(&[("a.txt", text, vec![diag])], false);
        assert!(out.contains("share-mismatch"), "{out}");
        assert!(out.ends_with("1 error in 1 file\n"));
    }

    #[test]
    fn file_errors_go_to_the_error_stream() {
        let err = SourceFile::from_bytes("bad.txt", b"ok\n\xff".to_vec()).unwrap_err();
        let mut reporter = HumanReporter::new(Vec::new(), Vec::new(), HumanOptions::default());
        reporter.error("bad.txt", &err).unwrap();
        reporter.finish().unwrap();
        let (out, errs) = reporter.into_inner();
        let out = String::from_utf8(out).unwrap();
        let errs = String::from_utf8(errs).unwrap();
        assert_eq!(out, "no findings in 0 files; 1 file was not checked\n");
        assert!(
            errs.contains("bad.txt: invalid UTF-8 at byte 3 (line 2)"),
            "{errs}"
        );
        assert!(matches!(err, SourceError::InvalidUtf8 { .. }));
    }
}
