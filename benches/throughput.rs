//! `cargo bench --bench throughput`: the performance figures of `numlint check`, end to
//! end, in one command.
//!
//! For each corpus (the seed repeated; varied report prose generated from the seed's
//! paragraphs, see `support/corpus.rs`) and each size (0.1, 1, 10 and 100 MB), the files
//! are written once under `target/`, then the release binary runs as a child,
//! `numlint check --no-config --format json FILE` with standard output discarded: from
//! file read to JSON written. Printed: bytes, findings, best and median wall time, MB/s,
//! the child's peak resident memory (exact, from `wait4`) and that memory over the file
//! size. Then startup (an empty file and a one-page file, many runs) and the LSP
//! re-check of the seed after one edit (in process). Everything runs on one CPU.
//!
//! `cargo bench --bench throughput -- --help` lists the options: `--quick`,
//! `--sizes 0.1,1`, `--corpus varied`, `--only table,startup,lsp`, and
//! `--write-corpus DIR` to get the generated files.

#[path = "support/corpus.rs"]
#[allow(dead_code)]
mod corpus;
#[path = "support/measure.rs"]
#[allow(dead_code)]
mod measure;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Uri};
use numlint::Engine;
use numlint::config::Config;
use numlint::lsp::document::Document;
use numlint::lsp::features::{check_text, to_lsp};
use numlint::lsp::position::{Encoding, LineIndex};
use numlint::settings::Settings;

use measure::{ScratchDir, mb, median};

/// The sizes of the full table, in MB (10^6 bytes).
const FULL_SIZES: [f64; 4] = [0.1, 1.0, 10.0, 100.0];
/// The sizes of `--quick`.
const QUICK_SIZES: [f64; 3] = [0.1, 1.0, 10.0];
/// The generator's seed for the varied corpus (the one the golden test pins at 2 MB).
const VARIED_RNG_SEED: u64 = 1;
/// About one printed page of the seed.
const PAGE_BYTES: usize = 3_000;

/// Measure `numlint check` end to end: MB/s and peak memory by size, startup, LSP.
#[derive(Debug, Parser)]
#[command(name = "throughput")]
struct Args {
    /// File sizes in MB (10^6 bytes), comma-separated [default: 0.1,1,10,100]
    #[arg(long, value_delimiter = ',', value_name = "MB", value_parser = parse_size)]
    sizes: Option<Vec<f64>>,

    /// Sizes 0.1,1,10 (unless --sizes is given) and fewer repeats: a run of seconds
    #[arg(long)]
    quick: bool,

    /// Corpora to measure or write, comma-separated [default: repeated,varied]
    #[arg(long, value_delimiter = ',', value_enum)]
    corpus: Option<Vec<Corpus>>,

    /// Parts to run, comma-separated [default: table,startup,lsp]
    #[arg(long, value_delimiter = ',', value_enum)]
    only: Option<Vec<Part>>,

    /// Write the corpus files (of the selected corpora and sizes) into DIR and exit
    #[arg(long, value_name = "DIR")]
    write_corpus: Option<PathBuf>,

    /// Passed by `cargo bench`; ignored
    #[arg(long, hide = true)]
    bench: bool,

    /// `cargo bench NAME` passes NAME to every benchmark: this one runs only when NAME is
    /// part of "throughput"
    #[arg(hide = true)]
    filter: Vec<String>,
}

/// A generated corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Corpus {
    /// The seed report repeated.
    Repeated,
    /// The seed's paragraphs drawn at random, some figures changed.
    Varied,
}

/// A part of the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Part {
    /// MB/s and peak memory by corpus and size.
    Table,
    /// Startup plus check of an empty file and of a one-page file.
    Startup,
    /// LSP re-check of the seed after one edit.
    Lsp,
}

/// A size given on the command line: a positive number of MB.
fn parse_size(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 10_000.0 => Ok(v),
        _ => Err(format!("`{s}` is not a size in MB between 0 and 10000")),
    }
}

impl Args {
    fn sizes(&self) -> Vec<f64> {
        match (&self.sizes, self.quick) {
            (Some(sizes), _) => sizes.clone(),
            (None, true) => QUICK_SIZES.to_vec(),
            (None, false) => FULL_SIZES.to_vec(),
        }
    }

    fn corpora(&self) -> Vec<Corpus> {
        self.corpus
            .clone()
            .unwrap_or_else(|| vec![Corpus::Repeated, Corpus::Varied])
    }

    fn runs(&self, part: Part) -> bool {
        self.only.as_ref().is_none_or(|only| only.contains(&part))
    }

    /// Timed runs of one file: best of 5 up to 10 MB, best of 3 above, 3 with `--quick`.
    fn repeats(&self, bytes: u64) -> usize {
        if self.quick || bytes > 10_000_000 {
            3
        } else {
            5
        }
    }

    /// Runs of the binary for the startup figures.
    fn startup_runs(&self) -> usize {
        if self.quick { 20 } else { 50 }
    }

    /// Edits for the LSP re-check figure.
    fn lsp_edits(&self) -> usize {
        if self.quick { 50 } else { 200 }
    }
}

/// A size for file names and the table: `0.1`, `1`, `100`.
fn size_label(size_mb: f64) -> String {
    format!("{size_mb}")
}

/// The file name of a corpus at a size.
fn file_name(corpus: Corpus, size_mb: f64) -> String {
    let name = match corpus {
        Corpus::Repeated => "repeated",
        Corpus::Varied => "varied",
    };
    format!("{name}-{}MB.txt", size_label(size_mb))
}

/// `text` cut at the last line end at or before `bytes` (whole lines, valid UTF-8).
fn cut_at_line(mut text: String, bytes: usize) -> String {
    if text.len() > bytes {
        let end = text.as_bytes()[..bytes]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(bytes, |i| i + 1);
        let end = (0..=end)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        text.truncate(end);
    }
    text
}

/// The text of a corpus at a size.
fn corpus_text(corpus: Corpus, seed: &str, size_mb: f64) -> String {
    let bytes = (size_mb * 1e6).round() as usize;
    let text = match corpus {
        Corpus::Repeated => corpus::repeated(seed, bytes),
        Corpus::Varied => corpus::varied(seed, bytes, VARIED_RNG_SEED),
    };
    cut_at_line(text, bytes)
}

/// Write every selected corpus file into `dir`; returns the paths with their sizes.
fn write_corpus(args: &Args, dir: &Path) -> Vec<(Corpus, f64, PathBuf)> {
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    let seed = corpus::seed_text();
    let mut files = Vec::new();
    for corpus in args.corpora() {
        for size in args.sizes() {
            let path = dir.join(file_name(corpus, size));
            let text = corpus_text(corpus, &seed, size);
            std::fs::write(&path, &text)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
            files.push((corpus, size, path));
        }
    }
    files
}

/// The command that checks `file` as the figures define it: all built-in rules
/// with their defaults (no configuration file), JSON to standard output.
fn check_command(file: &Path) -> Command {
    let mut cmd = Command::new(measure::numlint_bin());
    cmd.args(["check", "--no-config", "--format", "json"])
        .arg(file);
    cmd
}

/// Timed runs of `check` on one file.
struct Timing {
    runs: Vec<Duration>,
    peak_rss: u64,
}

impl Timing {
    fn best(&self) -> Duration {
        self.runs.iter().copied().min().unwrap_or_default()
    }
}

/// Run `check` on `file` `n` times (after the caller's warm-up run).
fn time_check(file: &Path, n: usize) -> Timing {
    let mut runs = Vec::with_capacity(n);
    let mut peak_rss = 0;
    for _ in 0..n {
        let run = measure::run(&mut check_command(file));
        assert!(
            matches!(run.code, Some(0 | 1)),
            "numlint check {} failed (exit {:?})",
            file.display(),
            run.code
        );
        runs.push(run.wall);
        peak_rss = peak_rss.max(run.peak_rss);
    }
    Timing { runs, peak_rss }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Bytes with thousands separators.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Print a line now (the table fills in as it is measured).
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Startup figures: an empty file and the first page of the seed. Returns the best time
/// of the empty file, the fixed cost of a run.
fn startup(args: &Args, dir: &Path) -> Duration {
    let seed = corpus::seed_text();
    let page = cut_at_line(seed, PAGE_BYTES);
    let empty_path = dir.join("empty.txt");
    let page_path = dir.join("page.txt");
    std::fs::write(&empty_path, "").expect("write the empty file");
    std::fs::write(&page_path, &page).expect("write the one-page file");
    let n = args.startup_runs();
    say(&format!(
        "\nstartup plus check, {n} runs of the binary each (first is a warm-up, not counted):"
    ));
    let mut empty_best = Duration::ZERO;
    for (what, path, bytes) in [
        ("empty file", &empty_path, 0),
        ("one page of the seed", &page_path, page.len() as u64),
    ] {
        let findings = measure::count_findings(&mut check_command(path));
        let timing = time_check(path, n);
        say(&format!(
            "  {what:<22} {:>6} bytes, {findings} findings: median {:.2} ms, min {:.2} ms, peak RSS {:.1} MiB",
            thousands(bytes),
            ms(median(&timing.runs)),
            ms(timing.best()),
            mib(timing.peak_rss)
        ));
        if bytes == 0 {
            empty_best = timing.best();
        }
    }
    empty_best
}

/// The MB/s and memory table.
fn table(args: &Args, dir: &Path, fixed_cost: Option<Duration>) {
    let files = generate_in_child(args, dir);
    say(&format!(
        "\n`numlint check --no-config --format json FILE`, standard output discarded; \
         best and median of the timed runs after one warm-up{}:",
        if fixed_cost.is_some() {
            "; `net` leaves out the empty file's best time (startup, rule loading)"
        } else {
            ""
        }
    ));
    say(&format!(
        "{:<9} {:>6} {:>12} {:>8} {:>4} {:>9} {:>9} {:>7} {:>7} {:>9} {:>8}",
        "corpus",
        "MB",
        "bytes",
        "findings",
        "runs",
        "best ms",
        "median ms",
        "MB/s",
        "net",
        "peak MiB",
        "RSS/size"
    ));
    for (corpus, size, path) in files {
        let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        // The warm-up run reads the file into the page cache and counts the findings.
        let findings = measure::count_findings(&mut check_command(&path));
        let timing = time_check(&path, args.repeats(bytes));
        let best = timing.best().as_secs_f64();
        let net = fixed_cost
            .map(|fixed| best - fixed.as_secs_f64())
            .filter(|&t| t > 0.0)
            .map_or("-".to_string(), |t| format!("{:.1}", mb(bytes) / t));
        say(&format!(
            "{:<9} {:>6} {:>12} {:>8} {:>4} {:>9.1} {:>9.1} {:>7.1} {:>7} {:>9.1} {:>7.2}x",
            format!("{corpus:?}").to_lowercase(),
            size_label(size),
            thousands(bytes),
            findings,
            timing.runs.len(),
            best * 1e3,
            ms(median(&timing.runs)),
            mb(bytes) / best,
            net,
            mib(timing.peak_rss),
            timing.peak_rss as f64 / bytes.max(1) as f64
        ));
        let _ = std::fs::remove_file(&path);
    }
}

/// Write the corpus from a child process (this benchmark run with `--write-corpus`), so
/// that this process never holds a large text: its own peak memory would show in every
/// child's (see [`measure::own_peak_rss`]).
fn generate_in_child(args: &Args, dir: &Path) -> Vec<(Corpus, f64, PathBuf)> {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let join = |items: Vec<String>| items.join(",");
    let status = Command::new(exe)
        .arg("--write-corpus")
        .arg(dir)
        .arg("--sizes")
        .arg(join(args.sizes().iter().map(|s| size_label(*s)).collect()))
        .arg("--corpus")
        .arg(join(
            args.corpora()
                .iter()
                .map(|c| format!("{c:?}").to_lowercase())
                .collect(),
        ))
        .stdout(Stdio::null())
        .status()
        .expect("the benchmark runs itself to write the corpus");
    assert!(status.success(), "writing the corpus failed ({status})");
    let mut files = Vec::new();
    for corpus in args.corpora() {
        for size in args.sizes() {
            files.push((corpus, size, dir.join(file_name(corpus, size))));
        }
    }
    files
}

/// What `numlint lsp` does between an edit and publishing: apply the change, check,
/// convert to LSP diagnostics with UTF-16 ranges. One digit of the seed flips back and
/// forth `edits` times; returns each edit's time and the most findings published.
fn lsp_recheck(edits: usize) -> (Vec<Duration>, usize, usize) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/000_26c4ac59d5b61832.txt"
    );
    let text = corpus::seed_text();
    let engine = Engine::builtin(Settings::default()).expect("the built-in rules load");
    let config = Config::default();
    let uri: Uri = format!("file://{path}").parse().expect("a file URI");
    let mut doc = Document::new(uri.clone(), "plaintext".into(), 1, text);

    // The seed's "21.02 per cent": its second digit.
    let at = doc
        .text
        .find("21.02 per cent")
        .expect("the figure is in the seed")
        + 1;
    let pos = LineIndex::new(&doc.text).position(&doc.text, at, Encoding::Utf16);
    let range = Range::new(pos, Position::new(pos.line, pos.character + 1));

    let mut times = Vec::with_capacity(edits);
    let mut findings = 0;
    for i in 0..edits {
        let digit = if i % 2 == 0 { "3" } else { "1" };
        let start = Instant::now();
        doc.apply(
            i as i32 + 2,
            vec![TextDocumentContentChangeEvent {
                range: Some(range),
                range_length: None,
                text: digit.into(),
            }],
            Encoding::Utf16,
        );
        let diags = check_text(&engine, &config, path, &doc.text);
        let index = LineIndex::new(&doc.text);
        let lsp = to_lsp(&uri, &doc.text, &index, &diags, Encoding::Utf16);
        times.push(start.elapsed());
        findings = findings.max(lsp.len());
    }
    (times, findings, doc.text.len())
}

fn main() {
    let args = Args::parse();
    if !args.filter.is_empty()
        && !args
            .filter
            .iter()
            .any(|f| "throughput".contains(f.as_str()))
    {
        return;
    }
    if let Some(dir) = &args.write_corpus {
        for (_, _, path) in write_corpus(&args, dir) {
            let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            println!("{} ({} bytes)", path.display(), thousands(bytes));
        }
        return;
    }

    let started = Instant::now();
    // Described before pinning, which would hide the other CPUs.
    say(&measure::machine_description());
    let pinning = measure::pin_to_one_cpu();
    say(&format!("cpu: {pinning}"));
    let scratch = ScratchDir::new("throughput-bench");

    let fixed_cost = args
        .runs(Part::Startup)
        .then(|| startup(&args, scratch.path()));
    if args.runs(Part::Table) {
        table(&args, scratch.path(), fixed_cost);
    }
    say(&format!(
        "\nthis benchmark's own peak RSS while starting children: {:.1} MiB \
         (a child's peak reads at least this)",
        mib(measure::own_peak_rss())
    ));

    if args.runs(Part::Lsp) {
        let edits = args.lsp_edits();
        let (mut times, findings, bytes) = lsp_recheck(edits);
        times.sort();
        say(&format!(
            "\nLSP re-check of the seed ({} bytes, {findings} findings) after one edit \
             (apply, check, UTF-16 ranges; in process, {edits} edits): median {:.2} ms, \
             p95 {:.2} ms, max {:.2} ms",
            thousands(bytes as u64),
            ms(times[times.len() / 2]),
            ms(times[times.len() * 95 / 100]),
            ms(times[times.len() - 1]),
        ));
    }
    say(&format!(
        "\nload average at end: {}; whole benchmark {:.0} s",
        measure::load_average(),
        started.elapsed().as_secs_f64()
    ));
}
