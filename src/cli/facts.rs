//! `numlint facts check FILE...`: validate facts files (trusted figures and event dates)
//! before a check uses them.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{CliError, ColorChoice, Outcome};
use crate::facts::{FactKind, FactSet};

/// Arguments of `numlint facts`.
#[derive(Debug, Args)]
pub(crate) struct FactsArgs {
    #[command(subcommand)]
    command: FactsCommand,
}

#[derive(Debug, Subcommand)]
enum FactsCommand {
    /// Validate facts files (YAML or CSV): every value, period, unit and source readable,
    /// no fact listed twice or with conflicting values, no alias naming two metrics.
    /// Problems are shown at their line; exit status 2 when there are any.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// The facts files, checked together (a conflict between two files is a problem).
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// When to colour the problems.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// Run `numlint facts`.
pub(crate) fn run(args: &FactsArgs) -> Result<Outcome, CliError> {
    let FactsCommand::Check(args) = &args.command;
    match FactSet::read_all(&args.files) {
        Ok(set) => {
            let events = set
                .facts
                .iter()
                .filter(|f| f.kind == FactKind::Event)
                .count();
            let names: Vec<String> = args.files.iter().map(|f| f.display().to_string()).collect();
            let mut out = super::stdout();
            writeln!(
                out,
                "{}: {} facts ({} metrics, {events} events), no problems",
                names.join(", "),
                set.len(),
                set.len() - events
            )?;
            out.flush()?;
            Ok(Outcome::Clean)
        }
        Err(err) => {
            super::print_error(&err, args.color.stderr());
            Ok(Outcome::InputError)
        }
    }
}
