//! The command line: clap arguments and one file per subcommand. Only this module
//! (and the LSP server, `crate::lsp`) prints.
//!
//! Exit codes: 0 when nothing at or above `--fail-on` was found, 1 when something was,
//! 2 for usage errors, unreadable input and rule-loading failures (2 wins over 1).

pub mod atomic;
mod baseline;
mod check;
mod config;
mod explain;
mod extract;
mod facts;
mod inspect;
mod lsp;
mod output;
pub(crate) mod profiles;
mod rules;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::rules::LoadError;

/// numlint: find figures in a report draft that contradict each other.
#[derive(Debug, Parser)]
#[command(name = "numlint", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check files (or standard input) for figures that contradict each other.
    Check(check::CheckArgs),
    /// List every rule with its family, default severity and summary.
    Rules(rules::RulesArgs),
    /// Show the documentation of one rule.
    Explain(explain::ExplainArgs),
    /// Print the configuration in force for a path: the config file found and the
    /// merged settings.
    Config(config::ConfigArgs),
    /// Print the figures and claims numlint reads in a file.
    Inspect(inspect::InspectArgs),
    /// Print the text numlint checks in a file (any format), and its layout.
    Extract(extract::ExtractArgs),
    /// Run the Language Server over stdin/stdout, for editors.
    Lsp(lsp::LspArgs),
    /// Work with facts files (trusted figures and event dates for `--facts`).
    Facts(facts::FactsArgs),
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that is (or is not) a terminal.
    fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            // https://no-color.org: set and non-empty disables colour.
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }

    /// Whether to colour standard output.
    pub(crate) fn stdout(self) -> bool {
        self.enabled(io::stdout().is_terminal())
    }

    /// Whether to colour standard error.
    pub(crate) fn stderr(self) -> bool {
        self.enabled(io::stderr().is_terminal())
    }
}

/// Why a subcommand could not do its job (as opposed to finding problems in the text).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub(crate) enum CliError {
    /// The rules (built-in or a rule pack) did not load; shown with the YAML snippet.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Load(Box<LoadError>),
    /// `explain` was given an id no rule has.
    #[error("unknown rule `{id}`")]
    #[diagnostic(code(numlint::rules::unknown), help("{}", unknown_rule_help(suggestion.as_deref())))]
    UnknownRule {
        /// The id as given.
        id: String,
        /// The closest known id, if one is close.
        suggestion: Option<String>,
    },
    /// A baseline file could not be read or written.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Baseline(baseline::BaselineError),
    /// The `--output` file could not be written.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Output(output::OutputError),
    /// Standard output or input failed.
    #[error("i/o error: {0}")]
    #[diagnostic(code(numlint::io))]
    Io(#[from] io::Error),
}

fn unknown_rule_help(suggestion: Option<&str>) -> String {
    match suggestion {
        Some(id) => format!("did you mean `{id}`? `numlint rules` lists every rule"),
        None => "`numlint rules` lists every rule".to_owned(),
    }
}

/// The outcome of a run that completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Nothing at or above the threshold.
    Clean,
    /// Findings at or above the threshold.
    Findings,
    /// Some input could not be checked.
    InputError,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Clean => ExitCode::SUCCESS,
            Outcome::Findings => ExitCode::from(1),
            Outcome::InputError => ExitCode::from(2),
        }
    }
}

/// Parse the command line, run the subcommand, and return the process exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap's own codes: 2 for usage errors, 0 for --help and --version.
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    let result = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Inspect(args) => inspect::run(&args),
        Command::Extract(args) => extract::run(&args),
        Command::Config(args) => config::run(&args),
        Command::Lsp(args) => lsp::run(&args),
        Command::Facts(args) => facts::run(&args),
    };
    match result {
        Ok(outcome) => outcome.into(),
        // A closed pipe (`numlint check f | head -1`) means the reader has seen enough:
        // stop quietly, as ripgrep does.
        Err(CliError::Io(err)) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            print_error(&err, ColorChoice::Auto.stderr());
            ExitCode::from(2)
        }
    }
}

/// Render an error with miette to standard error; failures to write there are ignored,
/// since there is nowhere left to report them.
pub(crate) fn print_error(err: &dyn miette::Diagnostic, color: bool) {
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(terminal_width());
    let mut buf = String::new();
    if handler.render_report(&mut buf, err).is_ok() {
        let _ = io::stderr().lock().write_all(buf.as_bytes());
    }
}

/// Width to wrap human output at: `COLUMNS` when set, else 100.
pub(crate) fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|&w: &usize| w >= 40)
        .unwrap_or(100)
}

/// Bytes a report is buffered in before it is written out: a large report (megabytes
/// of JSON for a long document) then takes a few hundred writes, not thousands.
pub(crate) const OUTPUT_BUFFER: usize = 64 * 1024;

/// A buffered, locked standard output.
pub(crate) fn stdout() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::with_capacity(OUTPUT_BUFFER, io::stdout().lock())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn explicit_color_choices_ignore_the_terminal() {
        assert!(ColorChoice::Always.enabled(false));
        assert!(!ColorChoice::Never.enabled(true));
        assert!(!ColorChoice::Auto.enabled(false));
    }
}
