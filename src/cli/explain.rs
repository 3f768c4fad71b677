//! `numlint explain RULE`: print one rule's documentation under ruff's headings.

use std::io::{self, Write};

use clap::Args;

use super::{CliError, Outcome};
use crate::engine::Engine;
use crate::rules::RuleDoc;
use crate::settings::Settings;

/// Arguments of `numlint explain`.
#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// Rule id, e.g. `share-mismatch` (`numlint rules` lists them).
    rule: String,
}

/// Run `numlint explain`.
pub(crate) fn run(args: &ExplainArgs) -> Result<Outcome, CliError> {
    let engine = Engine::builtin(Settings::default()).map_err(CliError::Load)?;
    let docs = engine.rule_docs();
    let Some(doc) = docs.iter().find(|d| d.id == args.rule) else {
        return Err(CliError::UnknownRule {
            id: args.rule.clone(),
            suggestion: suggest(&args.rule, docs.iter().map(|d| d.id.as_str())).map(str::to_owned),
        });
    };
    let mut out = super::stdout();
    write_doc(&mut out, doc)?;
    out.flush()?;
    Ok(Outcome::Clean)
}

/// Write a rule's documentation: a title line, then the sections `numlint` shares with
/// the generated docs and editor hover.
fn write_doc(out: &mut impl Write, doc: &RuleDoc) -> io::Result<()> {
    writeln!(out, "{} ({}, {})", doc.id, doc.family, doc.severity)?;
    writeln!(out)?;
    writeln!(out, "{}", doc.summary)?;
    section(out, "What it does", &doc.what)?;
    section(out, "Why is this bad?", &doc.why)?;
    examples(out, "Example", "fires:  ", &doc.fires)?;
    examples(out, "Does not fire", "passes: ", &doc.passes)
}

fn section(out: &mut impl Write, title: &str, body: &str) -> io::Result<()> {
    let body = body.trim();
    if body.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n## {title}\n\n{body}")
}

fn examples(out: &mut impl Write, title: &str, prefix: &str, lines: &[String]) -> io::Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n## {title}\n")?;
    let indent = " ".repeat(prefix.len());
    for example in lines {
        // A multi-line example (a table) keeps its lines under the first.
        for (i, line) in example.trim_end().lines().enumerate() {
            let lead = if i == 0 { prefix } else { &indent };
            writeln!(out, "{lead}{line}")?;
        }
    }
    Ok(())
}

/// The known id closest to `id`, if it is close enough to be a typo.
fn suggest<'a>(id: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (id.chars().count() / 3).max(2);
    known
        .map(|k| (edit_distance(id, k), k))
        .filter(|&(d, _)| d <= limit)
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters, with one row of memory.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::rules::tests::docs;

    #[test]
    fn doc_has_ruff_sections() {
        let mut out = Vec::new();
        write_doc(&mut out, &docs()[0]).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap(), @r"
        share-mismatch (share, error)

        a stated share does not match its part and whole

        ## What it does

        Checks that a percentage stated with its counts matches them.

        ## Why is this bad?

        A share that does not match its counts means one of the figures is wrong.

        ## Example

        fires:  21.02 per cent of deputies (786 out of 3,415)

        ## Does not fire

        passes: 23.02 per cent of deputies (786 out of 3,415)
        ");
    }

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("share-mismatch", "share-mismatch"), 0);
        assert_eq!(edit_distance("share-mismtach", "share-mismatch"), 2);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn close_ids_are_suggested_far_ones_not() {
        let ids = ["share-mismatch", "sum-mismatch", "duplicate-year"];
        assert_eq!(
            suggest("share-mismtach", ids.into_iter()),
            Some("share-mismatch")
        );
        assert_eq!(
            suggest("sum-mismatc", ids.into_iter()),
            Some("sum-mismatch")
        );
        assert_eq!(suggest("typo", ids.into_iter()), None);
    }

    #[test]
    fn unknown_rule_message_follows_house_style() {
        let err = CliError::UnknownRule {
            id: "shar-mismatch".into(),
            suggestion: Some("share-mismatch".into()),
        };
        let help = miette::Diagnostic::help(&err).map(|h| h.to_string());
        assert_eq!(err.to_string(), "unknown rule `shar-mismatch`");
        assert_eq!(
            help.as_deref(),
            Some("did you mean `share-mismatch`? `numlint rules` lists every rule")
        );
    }
}
