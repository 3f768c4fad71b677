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
}

/// Run `numlint inspect`.
pub(crate) fn run(args: &InspectArgs) -> Result<Outcome, CliError> {
    let engine = Engine::builtin(Settings::default()).map_err(CliError::Load)?;
    let file = match crate::formats::read_path(&args.path) {
        Ok(f) => f,
        Err(err) => {
            super::print_error(&err, super::ColorChoice::Auto.stderr());
            return Ok(Outcome::InputError);
        }
    };
    let analysis = engine.analyse(&file);
    let mut out = super::stdout();
    let quote = |span| squash(file.slice(span));
    if !args.claims {
        writeln!(out, "# figures ({})", analysis.figures.len())?;
        for f in &analysis.figures {
            let at = file.line_col(f.span.start);
            let hedge = f.hedge.map(|h| format!(" {h:?}")).unwrap_or_default();
            writeln!(
                out,
                "{}:{}\t{:?}{hedge}\tvalue={} resolution={}{}\t{}",
                at.line,
                at.column,
                f.kind,
                f.value,
                f.resolution,
                if f.exact { " exact" } else { "" },
                quote(f.span)
            )?;
        }
    }
    writeln!(out, "# claims ({})", analysis.claims.len())?;
    for c in &analysis.claims {
        let at = file.line_col(c.span.start);
        let slots: Vec<String> = c
            .slots
            .iter()
            .map(|(n, i)| format!("{n}={}", quote(analysis.figures[*i].span)))
            .collect();
        let alts: Vec<String> = c
            .alternatives
            .iter()
            .map(|(n, i)| format!("{n}~{}", quote(analysis.figures[*i].span)))
            .collect();
        writeln!(
            out,
            "{}:{}\t{}#{}\t{}{}\t| {}",
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
