//! `cargo bench --bench directory`: `numlint check --no-config --format json DIR` end to
//! end on a directory of 200 reports, with 1 thread, 2, 4, ... and one per core, and the
//! speed-up over one thread.
//!
//! The reports are varied report prose from the generator (`support/corpus.rs`), each
//! about the seed's size and drawn with its own random seed, in ten subdirectories, so
//! every file is read, parsed and reported and findings come at a realistic rate. Each
//! thread count runs several times and the best time counts; the binary's peak resident
//! memory is exact (`wait4`).

#[path = "support/corpus.rs"]
#[allow(dead_code)]
mod corpus;
#[path = "support/measure.rs"]
#[allow(dead_code)]
mod measure;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use clap::Parser;

use measure::{ScratchDir, mb};

const FILES: usize = 200;
const RUNS: usize = 5;

/// Measure `numlint check` on a directory of files with 1 to N threads.
#[derive(Debug, Parser)]
#[command(name = "directory")]
struct Args {
    /// Passed by `cargo bench`; ignored
    #[arg(long, hide = true)]
    bench: bool,

    /// `cargo bench NAME` passes NAME to every benchmark: this one runs only when NAME is
    /// part of "directory"
    #[arg(hide = true)]
    filter: Vec<String>,
}

/// Write the corpus in ten subdirectories; returns its size in bytes.
fn make_corpus(dir: &Path) -> u64 {
    let seed = corpus::seed_text();
    let mut bytes = 0;
    for i in 0..FILES {
        let sub = dir.join(format!("part{:02}", i % 10));
        std::fs::create_dir_all(&sub).expect("create corpus directory");
        let text = corpus::varied(&seed, seed.len(), i as u64 + 1);
        bytes += text.len() as u64;
        std::fs::write(sub.join(format!("report{i:03}.txt")), text).expect("write report");
    }
    bytes
}

fn check_command(dir: &Path, threads: usize) -> Command {
    let mut cmd = Command::new(measure::numlint_bin());
    cmd.args(["check", "--no-config", "--format", "json", "--threads"])
        .arg(threads.to_string())
        .arg(dir);
    cmd
}

/// 1, 2, 4, ... below `cores`, then `cores`.
fn thread_counts(cores: usize) -> Vec<usize> {
    let mut counts: Vec<usize> = std::iter::successors(Some(1), |n| Some(n * 2))
        .take_while(|&n| n < cores)
        .collect();
    counts.push(cores.max(1));
    counts
}

fn main() {
    let args = Args::parse();
    if !args.filter.is_empty() && !args.filter.iter().any(|f| "directory".contains(f.as_str())) {
        return;
    }
    println!("{}", measure::machine_description());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let scratch = ScratchDir::new("directory-bench");
    let bytes = make_corpus(scratch.path());
    println!(
        "corpus: {FILES} files of varied report prose, {:.1} MB in ten subdirectories",
        mb(bytes)
    );

    // Warm the page cache, check that the run works at all, and count the findings.
    let findings = measure::count_findings(&mut check_command(scratch.path(), cores));
    println!(
        "`numlint check --no-config --format json --threads N DIR`, standard output \
         discarded, {findings} findings; best of {RUNS}, unpinned:"
    );

    let mut one_thread = None;
    for threads in thread_counts(cores) {
        let mut fastest = Duration::MAX;
        let mut peak = 0;
        for _ in 0..RUNS {
            let run = measure::run(&mut check_command(scratch.path(), threads));
            assert!(
                matches!(run.code, Some(0 | 1)),
                "numlint check failed on the corpus (exit {:?})",
                run.code
            );
            fastest = fastest.min(run.wall);
            peak = peak.max(run.peak_rss);
        }
        let secs = fastest.as_secs_f64();
        let base = *one_thread.get_or_insert(secs);
        println!(
            "  --threads {threads}: {:.0} ms, {:.1} MB/s, peak RSS {:.1} MiB, speed-up {:.2}x \
             over one thread",
            secs * 1e3,
            mb(bytes) / secs,
            peak as f64 / (1024.0 * 1024.0),
            base / secs
        );
    }
    println!(
        "{cores} cores usable; load average at end: {}",
        measure::load_average()
    );
}
