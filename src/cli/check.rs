//! `numlint check`: read files, run the engine, stream results to a reporter.
//!
//! Inputs come from [`walk`] in a fixed order; each is read and checked as one job of the
//! [`ordered`] pipeline, on a pool of threads, and its results reach the (single-threaded)
//! reporter in input order.

mod ordered;
mod walk;

use std::io::{self, Read, Write};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, ValueEnum};

use super::{CliError, ColorChoice, Outcome};
use crate::diagnostic::Severity;
use crate::figures::Rounding;
use crate::report::{
    GithubReporter, HtmlReporter, HumanOptions, HumanReporter, JsonReporter, JsonlReporter,
    Reporter, SarifReporter, StatisticsReporter, SummaryReporter,
};

use super::baseline::{self, Baseline};
use super::output::AtomicOutput;
use super::profiles::{CommandLine, ProfileError, Profiles, Resolved};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::rules::Analysis;
use crate::source::{SourceError, SourceFile};
use ordered::Ordered;
use walk::Input;

/// Name given to text read from standard input, unless `--stdin-filename` names it.
const STDIN_NAME: &str = "<stdin>";

/// Arguments of `numlint check`.
#[derive(Debug, Args)]
#[command(after_help = "\
Exit status: 0 when nothing at or above --fail-on was found, 1 when something was, \
2 when a file could not be read (not UTF-8, binary, missing) or the rules failed to \
load. Files that can be read are still checked; 2 wins over 1.")]
pub(crate) struct CheckArgs {
    /// Files or directories to check; `-` or nothing reads standard input. Directories
    /// are walked as ripgrep walks them (`.gitignore` and `.ignore` respected, hidden
    /// files skipped, links not followed) for .txt, .md, .markdown, .html, .htm and
    /// .docx files, in name order; a file named here is always read (as plain text when
    /// its extension is not one of these).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// In walked directories, check only files matching this glob (repeatable; matched
    /// like ripgrep's `-g` against the path relative to the directory, and overriding
    /// ignore files).
    #[arg(long, value_name = "GLOB", value_parser = walk::parse_glob)]
    include: Vec<String>,

    /// In walked directories, skip files and directories matching this glob (repeatable).
    #[arg(long, value_name = "GLOB", value_parser = walk::parse_glob)]
    exclude: Vec<String>,

    /// The name of standard input (read when PATH is `-` or absent): shown in the
    /// output, used to find its configuration (and match `overrides`); its extension
    /// gives the format.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,

    /// Files checked at once; default: `RAYON_NUM_THREADS`, else one per core. Output
    /// is in the same order whatever the number.
    #[arg(long, value_name = "N")]
    threads: Option<NonZeroUsize>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Write the report to this file instead of standard output (any format; written
    /// atomically: a temporary file renamed over FILE when the run completes).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

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
    /// summary output and whenever `--output` is given, else to stderr for json, jsonl,
    /// sarif, github and html (so stdout stays parseable).
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

    /// A facts file (YAML or CSV) of trusted figures and event dates to check the text
    /// against (repeatable; added to the config's `facts`).
    #[arg(long = "facts", value_name = "FILE")]
    facts: Vec<PathBuf>,
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
    /// A review page: one self-contained HTML file with the document, every finding's
    /// figures marked, and a panel of findings (use with `-o review.html`).
    Html,
}

impl CheckArgs {
    /// The `--include` / `--exclude` globs.
    fn filter(&self) -> walk::Filter {
        walk::Filter {
            include: self.include.clone(),
            exclude: self.exclude.clone(),
        }
    }
}

impl Format {
    /// Formats read by programs or written as one document, whose stdout must stay
    /// clean of anything else.
    fn is_machine(self) -> bool {
        matches!(
            self,
            Format::Json | Format::Jsonl | Format::Sarif | Format::Github | Format::Html
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

/// Where a job's text comes from.
enum Text {
    /// A file, read by the worker.
    Path(PathBuf),
    /// Standard input, read on the main thread (in command-line order), decoded by the
    /// worker as `format`.
    Stdin {
        name: String,
        bytes: io::Result<Vec<u8>>,
        format: crate::formats::Format,
    },
}

/// What checking one input gave, handed back to the reporter in input order.
enum Checked {
    /// The file was read and checked; `diags` are already filtered by the file's
    /// configuration (minimum severity, accepted findings), not yet by the baseline.
    File {
        /// Boxed: a source file is large next to the other variants.
        file: Box<SourceFile>,
        diags: Vec<Diagnostic>,
        config: Arc<Config>,
    },
    /// The input could not be read or decoded.
    Unreadable(SourceError),
    /// The file was read, but its configuration is broken: nothing was checked.
    BrokenConfig {
        name: String,
        err: Arc<ProfileError>,
    },
}

/// Let go of `value` without freeing it when the process is about to exit (`exiting`),
/// else drop it as usual.
///
/// A checked file's figures, claims, findings and text are millions of allocations for a
/// large file; freeing them one by one just before the process ends costs several per
/// cent of a run (glibc's `free`, `malloc_consolidate`, `munmap`), while the kernel takes
/// the whole address space back at exit anyway. Only a run of a single input does this:
/// a run of many files frees each file's data before the next.
fn discard<T>(value: T, exiting: bool) {
    if exiting {
        std::mem::forget(value);
    }
}

/// Read, decode and check one input: the part of a run that happens on a worker.
/// `exiting`: this is the run's only input, so the process ends after it (see
/// [`discard`]).
fn check_one(text: Text, profile: Result<Resolved, Arc<ProfileError>>, exiting: bool) -> Checked {
    let read = match text {
        Text::Path(path) => crate::formats::read_path(&path),
        Text::Stdin {
            name,
            bytes,
            format,
        } => match bytes {
            Ok(bytes) => crate::formats::load(name, bytes, format),
            Err(source) => Err(SourceError::Io { name, source }),
        },
    };
    let file = match read {
        Ok(file) => file,
        Err(err) => return Checked::Unreadable(err),
    };
    let resolved = match profile {
        Ok(r) => r,
        Err(err) => {
            return Checked::BrokenConfig {
                name: file.name().to_owned(),
                err,
            };
        }
    };
    let Analysis {
        figures,
        claims,
        diagnostics: mut diags,
    } = resolved.engine.analyse_for_findings(&file);
    discard((figures, claims), exiting);
    let min = resolved.min_severity();
    diags.retain(|d| d.severity >= min);
    resolved.config.drop_ignored(&file, &mut diags);
    Checked::File {
        file: Box::new(file),
        diags,
        config: resolved.config,
    }
}

/// Run `numlint check`.
pub(crate) fn run(args: &CheckArgs) -> Result<Outcome, CliError> {
    let mut profiles = Profiles::new(CommandLine {
        config: args.config.clone(),
        no_config: args.no_config,
        rounding: args.rounding.map(Into::into),
        rule_dirs: args.rule_dirs.clone(),
        facts: args.facts.clone(),
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

    // The report goes to stdout, or to a temporary file that becomes `--output` once
    // the run completes.
    let (atomic, out, color_out): (Option<AtomicOutput>, Box<dyn Write>, bool) = match &args.output
    {
        Some(path) => {
            let (atomic, file) = AtomicOutput::create(path).map_err(CliError::Output)?;
            let out = Box::new(io::BufWriter::with_capacity(super::OUTPUT_BUFFER, file));
            (Some(atomic), out, args.color.enabled(false))
        }
        None => (None, Box::new(super::stdout()), args.color.stdout()),
    };
    let mut reporter: Box<dyn Reporter> = match args.format {
        Format::Human => Box::new(HumanReporter::new(
            out,
            io::stderr(),
            HumanOptions {
                color_out,
                color_err: args.color.stderr(),
                width: super::terminal_width(),
                quiet: args.quiet,
            },
        )),
        Format::Json => Box::new(JsonReporter::new(out)),
        Format::Jsonl => Box::new(JsonlReporter::new(out)),
        Format::Sarif => Box::new(SarifReporter::new(
            out,
            docs_engine.rule_docs(),
            std::env::current_dir().ok(),
        )),
        Format::Github => Box::new(GithubReporter::new(out, std::env::current_dir().ok())),
        Format::Summary => Box::new(SummaryReporter::new(out)),
        Format::Html => Box::new(HtmlReporter::new(out, docs_engine.rule_docs())),
    };
    if args.statistics {
        // The inner reporter flushes its output in `finish`, before the table is written.
        reporter = if atomic.is_some() {
            Box::new(StatisticsReporter::new(reporter, super::stdout()))
        } else if args.format.is_machine() {
            Box::new(StatisticsReporter::new(reporter, io::stderr()))
        } else {
            Box::new(StatisticsReporter::new(reporter, super::stdout()).with_blank_line())
        };
    }

    // One file (or stdin) is checked on this thread, without starting a pool, and the
    // process ends after it.
    let single = args.paths.len() <= 1 && !args.paths.first().is_some_and(|p| p.is_dir());
    let mut failed = false;
    let mut not_checked = false;
    // The reporter, the baseline and the exit status see results one at a time, in
    // input order, on this thread.
    let mut emit = |checked: Checked| -> io::Result<()> {
        let (file, mut diags, config) = match checked {
            Checked::File {
                file,
                diags,
                config,
            } => (file, diags, config),
            Checked::Unreadable(err) => return reporter.error(error_name(&err), &err),
            Checked::BrokenConfig { name, err } => {
                // The file's configuration is broken: say so, check nothing under it.
                not_checked = true;
                return reporter.error(&name, err.as_ref());
            }
        };
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
            None => config.fail_on.unwrap_or(Severity::Warning),
        };
        failed |= diags.iter().any(|d| d.severity >= threshold);
        let written = reporter.file(&file, &diags);
        discard((file, diags), single);
        written
    };

    let threads = if single {
        Some(1)
    } else {
        args.threads.map(NonZeroUsize::get)
    };
    let mut pipeline = Ordered::new(threads)?;
    let stdin_name = args
        .stdin_filename
        .as_ref()
        .map_or_else(|| STDIN_NAME.to_owned(), |p| p.display().to_string());
    for input in walk::inputs(&args.paths, &args.filter()) {
        match input {
            Input::Unreadable(err) => {
                pipeline.submit(move || Checked::Unreadable(err), &mut emit)?;
            }
            Input::File(path) => {
                let profile = profiles.resolve(&path);
                pipeline.submit(
                    move || check_one(Text::Path(path), profile, single),
                    &mut emit,
                )?;
            }
            Input::Stdin => {
                // Configuration is found from the name given to stdin, else from the
                // working directory. The name need not exist: made absolute, it is
                // matched against `overrides` like a file at that place.
                let where_ = match args.stdin_filename.as_deref() {
                    Some(name) => std::path::absolute(name).unwrap_or_else(|_| name.into()),
                    None => PathBuf::from("."),
                };
                let profile = profiles.resolve(&where_);
                let text = Text::Stdin {
                    name: stdin_name.clone(),
                    bytes: read_stdin(),
                    format: args.stdin_filename.as_deref().map_or(
                        crate::formats::Format::Text,
                        crate::formats::Format::of_path,
                    ),
                };
                pipeline.submit(move || check_one(text, profile, single), &mut emit)?;
            }
        }
    }
    pipeline.finish(&mut emit)?;
    reporter.finish()?;
    let summary = *reporter.summary();
    // Dropping the reporter closes the output file before it is renamed into place.
    drop(reporter);
    if let Some(atomic) = atomic {
        atomic.commit().map_err(CliError::Output)?;
    }
    if let Some(path) = &args.write_baseline {
        recorded.write(path).map_err(CliError::Baseline)?;
        failed = false;
    }
    // The compiled rules of every configuration: `run` is the process's whole work, so
    // they would be freed allocation by allocation just before it ends (see `discard`).
    discard(profiles, true);

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
        | SourceError::InputTooLarge { name, .. }
        | SourceError::Io { name, .. } => name,
    }
}

/// All of standard input, up to one byte past [`crate::limits::MAX_INPUT_BYTES`] (the
/// decoder reports the input as too large then).
fn read_stdin() -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .take(crate::limits::MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}
