//! What the server computes for a document: filtered findings, their LSP form, hover text
//! and code-action edits. Pure functions over text and an engine, so they are unit-tested
//! and benchmarked without a client.

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Uri,
};

use super::position::{Encoding, LineIndex};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::Engine;
use crate::figures::NumberFormat;
use crate::source::Span;

/// Where each rule's documentation lives; the rule id is the anchor.
pub const RULES_DOC: &str = "https://github.com/numlint/numlint/blob/main/docs/rules.md";

/// The findings `numlint check` would report for `text` under `config`: the engine's
/// diagnostics, less those below the config's minimum severity and those it accepts.
pub fn check_text(engine: &Engine, config: &Config, name: &str, text: &str) -> Vec<Diagnostic> {
    let format = crate::formats::Format::of_path(std::path::Path::new(name));
    let file = crate::formats::read_in_place(name, text.to_string(), format);
    let mut diags = engine.check(&file);
    let min = config.min_severity.unwrap_or(Severity::Info);
    diags.retain(|d| d.severity >= min);
    config.drop_ignored(&file, &mut diags);
    diags
}

/// The LSP form of `diags` over `text`: ranges in `enc`, the rule id as `code`, a link to
/// the rule's doc, the help line after the message, and each labelled figure as related
/// information in the same document.
pub fn to_lsp(
    uri: &Uri,
    text: &str,
    index: &LineIndex,
    diags: &[Diagnostic],
    enc: Encoding,
) -> Vec<lsp_types::Diagnostic> {
    diags
        .iter()
        .map(|d| {
            let related = d
                .labels
                .iter()
                .map(|l| DiagnosticRelatedInformation {
                    location: Location::new(
                        uri.clone(),
                        index.range(text, l.span.start, l.span.end, enc),
                    ),
                    message: l.message.clone(),
                })
                .collect::<Vec<_>>();
            let message = if d.help.is_empty() {
                d.message.clone()
            } else {
                format!("{}\n{}", d.message, d.help)
            };
            lsp_types::Diagnostic {
                range: index.range(text, d.span.start, d.span.end, enc),
                severity: Some(severity(d.severity)),
                code: Some(NumberOrString::String(d.rule.clone())),
                code_description: rule_href(&d.rule).map(|href| CodeDescription { href }),
                source: Some("numlint".to_string()),
                message,
                related_information: (!related.is_empty()).then_some(related),
                tags: None,
                data: None,
            }
        })
        .collect()
}

/// The doc link for a rule.
pub fn rule_href(rule: &str) -> Option<Uri> {
    format!("{RULES_DOC}#{rule}").parse().ok()
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// Hover text for the figure at byte `offset`: for each finding that labels a figure
/// there, its message, the computation and the computed value, as Markdown. Returns the
/// label's span too (the hover's range).
pub fn hover(engine: &Engine, diags: &[Diagnostic], offset: usize) -> Option<(Span, String)> {
    let mut span: Option<Span> = None;
    let mut parts = Vec::new();
    for d in diags {
        let Some(label) = d
            .labels
            .iter()
            .find(|l| l.span.start <= offset && offset <= l.span.end)
        else {
            continue;
        };
        span.get_or_insert(label.span);
        let mut md = format!(
            "**numlint** `{}` ({}): {}\n\n",
            d.rule, d.severity, d.message
        );
        md.push_str(&format!("This figure: *{}*\n\n", label.message));
        if !d.help.is_empty() {
            md.push_str(&format!("Computation: `{}`\n\n", d.help));
        }
        if let Some(c) = d.computed {
            md.push_str(&format!("Computed value: **{}**\n\n", trim_float(c)));
        }
        if let Some(doc) = engine.rule_doc(&d.rule) {
            md.push_str(&format!(
                "[{}]({RULES_DOC}#{}): {}\n",
                d.rule, d.rule, doc.summary
            ));
        }
        parts.push(md.trim_end().to_string());
    }
    Some((span?, parts.join("\n\n---\n\n")))
}

fn trim_float(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// A one-figure fix for a `share-mismatch`: the span of the stated number and its
/// replacement (the computed value, written with as many decimals as the original).
/// Offered only when the edited text, checked again, no longer has the finding.
pub fn share_fix(
    engine: &Engine,
    config: &Config,
    name: &str,
    text: &str,
    d: &Diagnostic,
) -> Option<(Span, String)> {
    if d.rule != "share-mismatch" {
        return None;
    }
    let computed = d.computed?;
    let stated = d.labels.iter().find(|l| l.message.starts_with("stated"))?;
    let span = number_in(text, stated.span)?;
    let old = &text[span.start..span.end];
    let format = engine.settings().number_format;
    let new = write_like(old, computed, format)?;
    if new == old {
        return None;
    }
    let mut edited = String::with_capacity(text.len() + new.len());
    edited.push_str(&text[..span.start]);
    edited.push_str(&new);
    edited.push_str(&text[span.end..]);
    let fixed = Span::new(span.start, span.start + new.len());
    let overlaps = |s: Span| s.start < fixed.end && fixed.start < s.end;
    let still = check_text(engine, config, name, &edited).iter().any(|e| {
        e.rule == d.rule && (overlaps(e.span) || e.labels.iter().any(|l| overlaps(l.span)))
    });
    (!still).then_some((span, new))
}

/// The first number written inside `span`: digits with their separators.
fn number_in(text: &str, span: Span) -> Option<Span> {
    let slice = text.get(span.start..span.end)?;
    let start = slice.find(|c: char| c.is_ascii_digit())?;
    let len = slice[start..]
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(slice.len() - start);
    let number = slice[start..start + len].trim_end_matches(['.', ',']);
    Some(Span::new(
        span.start + start,
        span.start + start + number.len(),
    ))
}

/// `value` written with as many decimals as `old` has, in the document's number format.
fn write_like(old: &str, value: f64, format: NumberFormat) -> Option<String> {
    if !value.is_finite() {
        return None;
    }
    let sep = match format {
        NumberFormat::DecimalPoint => '.',
        NumberFormat::DecimalComma => ',',
    };
    let decimals = match old.rfind(sep) {
        Some(i) => old.len() - i - 1,
        None => 0,
    };
    let s = format!("{value:.decimals$}");
    Some(match format {
        NumberFormat::DecimalPoint => s,
        NumberFormat::DecimalComma => s.replace('.', ","),
    })
}

/// The edit that suppresses `rule` on the line holding byte `offset`: a
/// `numlint-disable-next-line` comment on its own line just above, indented alike.
pub fn disable_line(text: &str, offset: usize, rule: &str) -> (usize, String) {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    (
        line_start,
        format!("{indent}<!-- numlint-disable-next-line {rule} -->\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;

    const TEXT: &str = "Women’s share — 21.02 per cent of the seats (786 out of 3,415).\n";

    fn engine() -> Engine {
        Engine::builtin(Settings::default()).unwrap()
    }

    #[test]
    fn the_share_fix_replaces_only_the_number_and_makes_the_claim_hold() {
        let e = engine();
        let c = Config::default();
        let diags = check_text(&e, &c, "t.txt", TEXT);
        let d = diags.iter().find(|d| d.rule == "share-mismatch").unwrap();
        let (span, new) = share_fix(&e, &c, "t.txt", TEXT, d).unwrap();
        assert_eq!(&TEXT[span.start..span.end], "21.02");
        assert_eq!(new, "23.02");
    }

    #[test]
    fn markdown_documents_are_read_as_markdown() {
        let e = engine();
        let md = format!("```\n{TEXT}```\n\n{TEXT}");
        let rules = |name| -> Vec<(String, usize)> {
            check_text(&e, &Config::default(), name, &md)
                .into_iter()
                .map(|d| (d.rule, d.span.start))
                .collect()
        };
        let prose = md.rfind("21.02").unwrap();
        // The code block is not read in Markdown; the prose finding is at its byte.
        assert_eq!(
            rules("/drafts/a.md"),
            vec![("share-mismatch".to_owned(), prose)]
        );
        assert_eq!(rules("/drafts/a.txt").len(), 2);
    }

    #[test]
    fn numbers_keep_their_decimals_and_format() {
        assert_eq!(
            write_like("21.0", 23.016, NumberFormat::DecimalPoint).unwrap(),
            "23.0"
        );
        assert_eq!(
            write_like("21", 23.516, NumberFormat::DecimalPoint).unwrap(),
            "24"
        );
        assert_eq!(
            write_like("21,02", 23.016, NumberFormat::DecimalComma).unwrap(),
            "23,02"
        );
        let t = "about 21.02 per cent.";
        assert_eq!(number_in(t, Span::new(6, t.len())), Some(Span::new(6, 11)));
    }

    #[test]
    fn hover_explains_the_finding_a_figure_belongs_to() {
        let e = engine();
        let diags = check_text(&e, &Config::default(), "t.txt", TEXT);
        let at = TEXT.find("786").unwrap() + 1;
        let (span, md) = hover(&e, &diags, at).unwrap();
        assert_eq!(&TEXT[span.start..span.end], "786");
        assert!(md.contains("share-mismatch"), "{md}");
        assert!(md.contains("786 / 3,415"), "{md}");
        assert!(md.contains("23.02"), "{md}");
        assert!(hover(&e, &diags, 0).is_none());
    }

    #[test]
    fn disable_comment_goes_on_the_line_above_with_its_indent() {
        let text = "# T\n  - 21.02 per cent (786 out of 3,415)\n";
        let at = text.find("21").unwrap();
        let (pos, insert) = disable_line(text, at, "share-mismatch");
        assert_eq!(pos, 4);
        assert_eq!(
            insert,
            "  <!-- numlint-disable-next-line share-mismatch -->\n"
        );
    }

    #[test]
    fn lsp_diagnostics_carry_code_link_and_related_figures() {
        let e = engine();
        let diags = check_text(&e, &Config::default(), "t.txt", TEXT);
        let uri: Uri = "file:///t.txt".parse().unwrap();
        let idx = LineIndex::new(TEXT);
        let out = to_lsp(&uri, TEXT, &idx, &diags, Encoding::Utf16);
        let d = &out[0];
        assert_eq!(
            d.code,
            Some(NumberOrString::String("share-mismatch".into()))
        );
        assert_eq!(d.source.as_deref(), Some("numlint"));
        assert_eq!(
            d.code_description.as_ref().unwrap().href.as_str(),
            "https://github.com/numlint/numlint/blob/main/docs/rules.md#share-mismatch"
        );
        // "Women’s share — " is 16 UTF-16 units.
        assert_eq!(d.range.start, lsp_types::Position::new(0, 16));
        assert_eq!(d.related_information.as_ref().unwrap().len(), 3);
    }
}
