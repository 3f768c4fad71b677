//! `numlint check`: read files, run the engine, stream results to a reporter.

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{CliError, ColorChoice, Outcome};
use crate::diagnostic::Severity;
use crate::figures::Rounding;
use crate::report::{
    GithubReporter, HumanOptions, HumanReporter, JsonReporter, JsonlReporter, Reporter,
    SarifReporter, StatisticsReporter, SummaryReporter,
};

use super::baseline::{self, Baseline};
use super::profiles::{CommandLine, Profiles};
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

    /// Lowest severity that makes the run fail (exit status 1); default: the config's
    /// `fail-on`, else warning.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<FailOn>,

    /// Use this configuration file for every input instead of discovering
    /// `numlint.yaml` / `.numlint.yaml` from each file's directory upward.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,

    /// Ignore configuration files.
    #[arg(long)]
    no_config: bool,

    /// Report only findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,

    /// Record the current findings in this baseline file (written atomically) and exit 0
    /// unless a file could not be read.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,

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

    /// How authors are assumed to round the last digit of a figure; default: the
    /// config's `rounding`, else nearest.
    #[arg(long, value_enum)]
    rounding: Option<RoundingArg>,

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
    let mut profiles = Profiles::new(CommandLine {
        config: args.config.clone(),
        no_config: args.no_config,
        rounding: args.rounding.map(Into::into),
        rule_dirs: args.rule_dirs.clone(),
    })
    .map_err(CliError::Load)?;
    // SARIF lists the rules up front: those of the command line's rule packs.
    let docs_engine = profiles.base();
    let mut baseline_counts = match &args.baseline {
        Some(p) => Some(Baseline::read(p).map_err(CliError::Baseline)?.counts()),
        None => None,
    };
    let mut recorded = Baseline {
        version: 1,
        findings: Vec::new(),
    };

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
            docs_engine.rule_docs(),
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

    let mut failed = false;
    let mut not_checked = false;
    for input in inputs(&args.paths) {
        let (read, where_) = match input {
            Input::Stdin => (read_stdin(), PathBuf::from(".")),
            Input::File(path) => (crate::formats::read_path(&path), path),
            Input::Unreadable(err) => (Err(err), PathBuf::from(".")),
        };
        let file = match read {
            Ok(file) => file,
            Err(err) => {
                reporter.error(error_name(&err), &err)?;
                continue;
            }
        };
        let resolved = match profiles.resolve(&where_) {
            Ok(r) => r,
            Err(err) => {
                // The file's configuration is broken: say so, check nothing under it.
                reporter.error(file.name(), err.as_ref())?;
                not_checked = true;
                continue;
            }
        };
        let mut diags = resolved.engine.check(&file);
        let min = resolved.min_severity();
        diags.retain(|d| d.severity >= min);
        resolved.config.drop_ignored(&file, &mut diags);
        if let Some(counts) = baseline_counts.as_mut() {
            baseline::filter(counts, &file, &mut diags);
        }
        if args.write_baseline.is_some() {
            recorded
                .findings
                .extend(diags.iter().map(|d| baseline::Entry {
                    file: file.name().to_string(),
                    rule: d.rule.clone(),
                    fingerprint: baseline::finding_print(&file, d),
                    message: d.message.clone(),
                }));
        }
        let threshold: Severity = match args.fail_on {
            Some(f) => f.into(),
            None => resolved.config.fail_on.unwrap_or(Severity::Warning),
        };
        failed |= diags.iter().any(|d| d.severity >= threshold);
        reporter.file(&file, &diags)?;
    }
    reporter.finish()?;
    if let Some(path) = &args.write_baseline {
        recorded.write(path).map_err(CliError::Baseline)?;
        failed = false;
    }

    let summary = reporter.summary();
    Ok(if summary.unreadable > 0 || not_checked {
        Outcome::InputError
    } else if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn error_name(err: &SourceError) -> &str {
    match err {
        SourceError::InvalidUtf8 { name, .. }
        | SourceError::Binary { name, .. }
        | SourceError::Corrupt { name, .. }
        | SourceError::TooLarge { name, .. }
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
