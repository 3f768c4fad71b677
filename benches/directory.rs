//! `cargo bench --bench directory`: `numlint check --format json DIR > /dev/null` end to
//! end on a directory of 200 reports, with 1 and 2 threads.
//!
//! The reports are copies of the seed with about one digit in a hundred changed (a
//! different one in each file), so every file is read, parsed and reported and findings
//! come at a realistic rate. Each configuration runs several times and the best time
//! counts; the binary's peak resident memory is sampled from /proc while it runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FILES: usize = 200;
const RUNS: usize = 5;

/// A copy of the seed with each digit at a position `p` where `p + variant` is a
/// multiple of 97 moved to the next digit.
fn varied(seed: &[u8], variant: usize) -> Vec<u8> {
    seed.iter()
        .enumerate()
        .map(|(p, &b)| {
            if b.is_ascii_digit() && (p + variant).is_multiple_of(97) {
                b'0' + (b - b'0' + 1) % 10
            } else {
                b
            }
        })
        .collect()
}

/// Write the corpus in ten subdirectories; returns its size in bytes.
fn make_corpus(dir: &Path, seed: &[u8]) -> usize {
    let _ = std::fs::remove_dir_all(dir);
    let mut bytes = 0;
    for i in 0..FILES {
        let sub = dir.join(format!("part{:02}", i % 10));
        std::fs::create_dir_all(&sub).expect("create corpus directory");
        let text = varied(seed, i);
        bytes += text.len();
        std::fs::write(sub.join(format!("report{i:03}.txt")), text).expect("write report");
    }
    bytes
}

/// Peak resident memory of process `pid` so far (VmHWM), in KiB.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// One run: wall time, exit code and the sampled peak RSS in KiB.
fn run_once(bin: &Path, dir: &Path, threads: usize) -> (Duration, Option<i32>, u64) {
    let start = Instant::now();
    let mut child = Command::new(bin)
        .args([
            "check",
            "--format",
            "json",
            "--threads",
            &threads.to_string(),
        ])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("numlint runs");
    let pid = child.id();
    let mut peak = 0;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for numlint") {
            break status;
        }
        peak = peak.max(peak_rss_kib(pid).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(2));
    };
    (start.elapsed(), status.code(), peak)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = std::fs::read(root.join("seeds/000_26c4ac59d5b61832.txt")).expect("the seed");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_numlint"));
    let dir = std::env::temp_dir().join(format!("numlint-directory-bench-{}", std::process::id()));
    let bytes = make_corpus(&dir, &seed);
    let mb = bytes as f64 / 1e6;
    println!(
        "corpus: {FILES} files, {mb:.1} MB (the seed, {:.0} KB, with varied figures)",
        seed.len() as f64 / 1e3
    );

    // Warm the page cache and check that the run works at all.
    let (_, code, _) = run_once(&bin, &dir, 1);
    assert!(
        matches!(code, Some(0 | 1)),
        "numlint check failed on the corpus (exit {code:?})"
    );

    let mut best = Vec::new();
    for threads in [1, 2] {
        let mut fastest = Duration::MAX;
        let mut peak = 0;
        for _ in 0..RUNS {
            let (time, _, rss) = run_once(&bin, &dir, threads);
            fastest = fastest.min(time);
            peak = peak.max(rss);
        }
        let secs = fastest.as_secs_f64();
        println!(
            "--threads {threads}: {:.0} ms, {:.1} MB/s, peak RSS {:.1} MB (best of {RUNS})",
            secs * 1e3,
            mb / secs,
            peak as f64 / 1024.0
        );
        best.push(secs);
    }
    println!("speed-up with 2 threads: {:.2}x", best[0] / best[1]);
    let _ = std::fs::remove_dir_all(&dir);
}
