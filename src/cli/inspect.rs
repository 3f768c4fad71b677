//! `numlint inspect FILE`: print the figures and claims numlint reads in a file, for rule
//! pack authors and for reviewing why something did or did not fire.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{CliError, Outcome};
use crate::engine::Engine;
use crate::rules::format::squash;
use crate::settings::Settings;

/// Arguments of `numlint inspect`.
#[derive(Debug, Args)]
pub(crate) struct InspectArgs {
    /// The file to read.
    path: PathBuf,
    /// Print only the claims, not every figure.
    #[arg(long)]
    claims: bool,
    /// Link figures to the trusted facts of this file too (repeatable): the `facts`
    /// claims show which words linked each figure to which fact.
    #[arg(long = "facts", value_name = "FILE")]
    facts: Vec<PathBuf>,
}

/// Run `numlint inspect`.
pub(crate) fn run(args: &InspectArgs) -> Result<Outcome, CliError> {
    let mut engine = Engine::builtin(Settings::default()).map_err(CliError::Load)?;
    if !args.facts.is_empty() {
        match crate::facts::FactSet::read_all(&args.facts) {
            Ok(facts) => engine = engine.with_facts(facts),
            Err(err) => {
                super::print_error(&err, super::ColorChoice::Auto.stderr());
                return Ok(Outcome::InputError);
            }
        }
    }
    let file = match crate::formats::read_path(&args.path) {
        Ok(f) => f,
        Err(err) => {
            super::print_error(&err, super::ColorChoice::Auto.stderr());
            return Ok(Outcome::InputError);
        }
    };
    let analysis = engine.analyse(&file);
    let mut out = super::stdout();
    let quote = |span| squash(&file.slice(span));
    if !args.claims {
        writeln!(out, "# figures ({})", analysis.figures.len())?;
        for f in &analysis.figures {
            let at = file.line_col(f.span().start);
            let hedge = f.hedge.map(|h| format!(" {h:?}")).unwrap_or_default();
            writeln!(
                out,
                "{}:{}\t{:?}{hedge}\tvalue={} resolution={}{}\t{}",
                at.line,
                at.column,
                f.kind,
                f.value,
                f.resolution(),
                if f.exact { " exact" } else { "" },
                quote(f.span())
            )?;
        }
    }
    writeln!(out, "# claims ({})", analysis.claims.len())?;
    for c in &analysis.claims {
        let at = file.line_col(c.span.start);
        let slots: Vec<String> = c
            .slots
            .iter()
            .map(|(n, i)| format!("{n}={}", quote(analysis.figures[*i].span())))
            .collect();
        let alts: Vec<String> = c
            .alternatives
            .iter()
            .map(|(n, i)| format!("{n}~{}", quote(analysis.figures[*i].span())))
            .collect();
        // A facts claim says which fact and which words linked it.
        let linked = match c.family.as_str() {
            crate::claims::facts::FAMILY => {
                let attrs: Vec<String> = c
                    .attrs
                    .iter()
                    .map(|(k, v)| match v.parse::<usize>() {
                        Ok(id) if k.ends_with("fact") => {
                            let label = engine
                                .facts()
                                .and_then(|f| f.facts.get(id))
                                .map_or_else(String::new, crate::facts::Fact::label);
                            format!("{k}={label}")
                        }
                        _ => format!("{k}={v}"),
                    })
                    .collect();
                format!(" [{}]", attrs.join("; "))
            }
            _ => String::new(),
        };
        writeln!(
            out,
            "{}:{}\t{}#{}\t{}{}{linked}\t| {}",
            at.line,
            at.column,
            c.family,
            c.pattern,
            slots.join(" "),
            if alts.is_empty() {
                String::new()
            } else {
                format!(" (or {})", alts.join(" "))
            },
            quote(c.span)
        )?;
    }
    out.flush()?;
    Ok(Outcome::Clean)
}
