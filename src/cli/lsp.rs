//! `numlint lsp`: run the Language Server over stdin/stdout (see [`crate::lsp`]).

use std::path::PathBuf;

use clap::Args;

use super::profiles::CommandLine;
use super::{CliError, Outcome};

/// Arguments of `numlint lsp`.
#[derive(Debug, Args)]
pub(crate) struct LspArgs {
    /// Talk over stdin/stdout (the only transport; accepted because many clients pass it).
    #[arg(long)]
    stdio: bool,
    /// Use this config file for every document instead of discovering `numlint.yaml`.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore config files.
    #[arg(long)]
    no_config: bool,
    /// A facts file of trusted figures to check documents against (repeatable).
    #[arg(long = "facts", value_name = "FILE")]
    facts: Vec<PathBuf>,
}

/// Run `numlint lsp` until the client exits: 0 after `shutdown` then `exit`, else 1.
pub(crate) fn run(args: &LspArgs) -> Result<Outcome, CliError> {
    let _ = args.stdio;
    let cli = CommandLine {
        config: args.config.clone(),
        no_config: args.no_config,
        facts: args.facts.clone(),
        ..CommandLine::default()
    };
    Ok(match crate::lsp::run_stdio(cli) {
        crate::lsp::Ending::Clean => Outcome::Clean,
        crate::lsp::Ending::Abrupt => Outcome::Findings,
    })
}
