//! `numlint rules`: a table of every rule with its family, severity and summary.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Args;

use super::{CliError, Outcome};
use crate::engine::Engine;
use crate::rules::RuleDoc;
use crate::settings::Settings;

/// Arguments of `numlint rules`.
#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// Validate a rule pack directory instead of listing: load it over the built-in
    /// rules and report the first problem with its file, line and column (exit 2), or
    /// list the rules with the pack applied (exit 0).
    #[arg(long, value_name = "DIR")]
    check: Option<PathBuf>,

    /// Print the rules as the Markdown reference (`docs/rules.md`).
    #[arg(long)]
    markdown: bool,
}

/// Run `numlint rules`.
pub(crate) fn run(args: &RulesArgs) -> Result<Outcome, CliError> {
    let dirs: Vec<PathBuf> = args.check.iter().cloned().collect();
    let engine = Engine::with_packs(Settings::default(), &dirs).map_err(CliError::Load)?;
    let mut out = super::stdout();
    if args.markdown {
        out.write_all(crate::rules::docs::markdown(engine.rule_docs()).as_bytes())?;
    } else {
        write_table(&mut out, engine.rule_docs())?;
    }
    if let Some(dir) = &args.check {
        writeln!(
            out,
            "\nrule pack {} loaded: {} rules",
            dir.display(),
            engine.rule_docs().len()
        )?;
    }
    out.flush()?;
    Ok(Outcome::Clean)
}

/// Write the rules as aligned columns under a header; the summary column is last so it
/// can run long without breaking the alignment.
fn write_table(out: &mut impl Write, docs: &[RuleDoc]) -> io::Result<()> {
    const HEADER: [&str; 3] = ["RULE", "FAMILY", "SEVERITY"];
    let width = |i: usize, f: fn(&RuleDoc) -> usize| {
        docs.iter()
            .map(f)
            .chain([HEADER[i].len()])
            .max()
            .unwrap_or(0)
    };
    let id_w = width(0, |d| d.id.chars().count());
    let family_w = width(1, |d| d.family.chars().count());
    let severity_w = width(2, |d| d.severity.as_str().len());

    writeln!(
        out,
        "{:id_w$}  {:family_w$}  {:severity_w$}  SUMMARY",
        HEADER[0], HEADER[1], HEADER[2]
    )?;
    for doc in docs {
        writeln!(
            out,
            "{:id_w$}  {:family_w$}  {:severity_w$}  {}",
            doc.id,
            doc.family,
            doc.severity.as_str(),
            doc.summary
        )?;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    /// Two rule docs, hand-built until the rule files land.
    pub(crate) fn docs() -> Vec<RuleDoc> {
        vec![
            RuleDoc {
                id: "share-mismatch".into(),
                family: "share".into(),
                severity: Severity::Error,
                summary: "a stated share does not match its part and whole".into(),
                what: "Checks that a percentage stated with its counts matches them.".into(),
                why: "A share that does not match its counts means one of the figures is wrong."
                    .into(),
                example_format: crate::formats::Format::Text,
                fires: vec!["21.02 per cent of deputies (786 out of 3,415)".into()],
                passes: vec!["23.02 per cent of deputies (786 out of 3,415)".into()],
            },
            RuleDoc {
                id: "sum-mismatch".into(),
                family: "sum".into(),
                severity: Severity::Warning,
                summary: "parts do not add up to the stated total".into(),
                what: "Checks that listed parts add up to their total.".into(),
                why: "Totals that do not add up undermine every figure in the paragraph.".into(),
                example_format: crate::formats::Format::Text,
                fires: vec!["10.1 million women and 9.6 million men, 19.8 million".into()],
                passes: vec!["10.2 million women and 9.6 million men, 19.8 million".into()],
            },
        ]
    }

    #[test]
    fn table_is_aligned() {
        let mut out = Vec::new();
        write_table(&mut out, &docs()).unwrap();
        let text = String::from_utf8(out).unwrap();
        insta::assert_snapshot!(text, @r"
        RULE            FAMILY  SEVERITY  SUMMARY
        share-mismatch  share   error     a stated share does not match its part and whole
        sum-mismatch    sum     warning   parts do not add up to the stated total
        ");
    }
}
