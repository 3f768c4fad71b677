//! `numlint check`: read files, run the engine, stream results to a reporter.

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{CliError, ColorChoice, Outcome};
use crate::diagnostic::Severity;
use crate::engine::Engine;
use crate::figures::Rounding;
use crate::report::{
    GithubReporter, HumanOptions, HumanReporter, JsonReporter, JsonlReporter, Reporter,
    SarifReporter, StatisticsReporter, SummaryReporter,
};
use crate::settings::Settings;
use crate::source::{SourceError, SourceFile};

/// Name given to text read from standard input.
const STDIN_NAME: &str = "<stdin>";

/// Extensions checked when walking a directory; files named explicitly are always read.
const WALK_EXTENSIONS: [&str; 2] = ["txt", "md"];

/// Arguments of `numlint check`.
#[derive(Debug, Args)]
#[command(after_help = "\
Exit status: 0 when nothing at or above --fail-on was found, 1 when something was, \
2 when a file could not be read (not UTF-8, binary, missing) or the rules failed to \
load. Files that can be read are still checked; 2 wins over 1.")]
pub(crate) struct CheckArgs {
    /// Files or directories to check; `-` or nothing reads standard input. Directories
    /// are walked for `.txt` and `.md` files, in name order.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Lowest severity that makes the run fail (exit status 1).
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FailOn::Warning)]
    fail_on: FailOn,

    /// When to colour human output.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    color: ColorChoice,

    /// Human format: print only the summary line, not the findings (unreadable files
    /// are still reported on stderr). No effect on the other formats.
    #[arg(short, long)]
    quiet: bool,

    /// After the output, print a table of findings per rule: to stdout for human and
    /// summary output, to stderr for json, jsonl, sarif and github (so stdout stays
    /// parseable).
    #[arg(long)]
    statistics: bool,

    /// How authors are assumed to round the last digit of a figure.
    #[arg(long, value_enum, default_value_t = RoundingArg::Nearest)]
    rounding: RoundingArg,

    /// A rule pack: a directory of YAML rule files that add phrasings to the built-in
    /// families or change their rules' docs and severities (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    rule_dirs: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Annotated snippets for people.
    Human,
    /// One JSON document (version 1) for tools.
    Json,
    /// One JSON object per finding per line (file errors as `{"file", "error"}` lines).
    Jsonl,
    /// SARIF 2.1.0, for code scanning (GitHub's upload-sarif and others).
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::message`): annotations.
    Github,
    /// Counts per rule and per file, instead of the findings.
    Summary,
}

impl Format {
    /// Formats read by programs, whose stdout must stay parseable.
    fn is_machine(self) -> bool {
        matches!(
            self,
            Format::Json | Format::Jsonl | Format::Sarif | Format::Github
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// Fail only on errors.
    Error,
    /// Fail on warnings and errors.
    Warning,
    /// Fail on any finding.
    Info,
}

impl From<FailOn> for Severity {
    fn from(f: FailOn) -> Self {
        match f {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RoundingArg {
    /// Rounded to nearest: "23.02" stands for [23.015, 23.025].
    Nearest,
    /// Truncated: "23.02" stands for [23.02, 23.03).
    Truncate,
    /// Either of the above.
    Either,
}

impl From<RoundingArg> for Rounding {
    fn from(r: RoundingArg) -> Self {
        match r {
            RoundingArg::Nearest => Rounding::Nearest,
            RoundingArg::Truncate => Rounding::Truncate,
            RoundingArg::Either => Rounding::Either,
        }
    }
}

/// One thing to check, or a reason a path gave nothing to check.
#[derive(Debug)]
enum Input {
    Stdin,
    File(PathBuf),
    Unreadable(SourceError),
}

/// Run `numlint check`.
pub(crate) fn run(args: &CheckArgs) -> Result<Outcome, CliError> {
    let settings = Settings {
        rounding: args.rounding.into(),
        ..Settings::default()
    };
    let engine = Engine::with_packs(settings, &args.rule_dirs).map_err(CliError::Load)?;

    let mut reporter: Box<dyn Reporter> = match args.format {
        Format::Human => Box::new(HumanReporter::new(
            super::stdout(),
            io::stderr(),
            HumanOptions {
                color_out: args.color.stdout(),
                color_err: args.color.stderr(),
                width: super::terminal_width(),
                quiet: args.quiet,
            },
        )),
        Format::Json => Box::new(JsonReporter::new(super::stdout())),
        Format::Jsonl => Box::new(JsonlReporter::new(super::stdout())),
        Format::Sarif => Box::new(SarifReporter::new(
            super::stdout(),
            engine.rule_docs(),
            std::env::current_dir().ok(),
        )),
        Format::Github => Box::new(GithubReporter::new(
            super::stdout(),
            std::env::current_dir().ok(),
        )),
        Format::Summary => Box::new(SummaryReporter::new(super::stdout())),
    };
    if args.statistics {
        // The inner reporter flushes stdout in `finish`, before the table is written.
        reporter = if args.format.is_machine() {
            Box::new(StatisticsReporter::new(reporter, io::stderr()))
        } else {
            Box::new(StatisticsReporter::new(reporter, super::stdout()).with_blank_line())
        };
    }

    for input in inputs(&args.paths) {
        let read = match input {
            Input::Stdin => read_stdin(),
            Input::File(path) => SourceFile::read(&path),
            Input::Unreadable(err) => Err(err),
        };
        match read {
            Ok(file) => {
                let diags = engine.check(&file);
                reporter.file(&file, &diags)?;
            }
            Err(err) => reporter.error(error_name(&err), &err)?,
        }
    }
    reporter.finish()?;

    let summary = reporter.summary();
    Ok(if summary.unreadable > 0 {
        Outcome::InputError
    } else if summary.has_at_least(args.fail_on.into()) {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn error_name(err: &SourceError) -> &str {
    match err {
        SourceError::InvalidUtf8 { name, .. }
        | SourceError::Binary { name, .. }
        | SourceError::Io { name, .. } => name,
    }
}

fn read_stdin() -> Result<SourceFile, SourceError> {
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|source| SourceError::Io {
            name: STDIN_NAME.to_owned(),
            source,
        })?;
    SourceFile::from_bytes(STDIN_NAME, bytes)
}

/// Expand the command-line paths: `-` (or no path) is stdin, directories are walked.
fn inputs(paths: &[PathBuf]) -> Vec<Input> {
    if paths.is_empty() {
        return vec![Input::Stdin];
    }
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if path.is_dir() {
            walk(path, &mut out);
        } else {
            // Missing and unreadable files surface as read errors, with the name as given.
            out.push(Input::File(path.clone()));
        }
    }
    out
}

/// Collect `.txt` and `.md` files under `dir`, sorted by name at each level. Symlinked
/// directories are not followed, so a link cycle cannot loop forever.
fn walk(dir: &Path, out: &mut Vec<Input>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(source) => {
            out.push(Input::Unreadable(SourceError::Io {
                name: dir.display().to_string(),
                source,
            }));
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            walk(&path, out);
        } else if (file_type.is_file() || (file_type.is_symlink() && path.is_file()))
            && has_checked_extension(&path)
        {
            out.push(Input::File(path));
        }
    }
}

fn has_checked_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| WALK_EXTENSIONS.iter().any(|w| e.eq_ignore_ascii_case(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(inputs: &[Input]) -> Vec<String> {
        inputs
            .iter()
            .map(|i| match i {
                Input::Stdin => STDIN_NAME.to_owned(),
                Input::File(p) => p.display().to_string(),
                Input::Unreadable(e) => format!("error: {e}"),
            })
            .collect()
    }

    #[test]
    fn no_path_and_dash_mean_stdin() {
        assert_eq!(names(&inputs(&[])), ["<stdin>"]);
        assert_eq!(
            names(&inputs(&[PathBuf::from("-"), PathBuf::from("a.bin")])),
            ["<stdin>", "a.bin"]
        );
    }

    #[test]
    fn directories_are_walked_sorted_for_txt_and_md() {
        let dir = std::env::temp_dir().join(format!("numlint-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        for name in ["b.txt", "a.md", "c.pdf", "sub/z.TXT", "sub/notes"] {
            std::fs::write(dir.join(name), "x").unwrap();
        }
        let got = names(&inputs(std::slice::from_ref(&dir)));
        let rel: Vec<String> = got
            .iter()
            .map(|p| {
                p.strip_prefix(&dir.display().to_string())
                    .unwrap_or(p)
                    .to_owned()
            })
            .collect();
        assert_eq!(rel, ["/a.md", "/b.txt", "/sub/z.TXT"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
