//! `cargo bench --bench throughput`: `check` on the seed repeated to about 20 MB.
//!
//! Reports MB/s for the whole pipeline (source masking, figures, claims, rules) on one
//! core, the best of several runs, and the process's peak resident memory (VmHWM).

use numlint::settings::Settings;
use numlint::{Engine, SourceFile};
use std::time::Instant;

const TARGET_BYTES: usize = 20 * 1024 * 1024;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let seed_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/000_26c4ac59d5b61832.txt"
    );
    let seed = std::fs::read_to_string(seed_path).expect("the seed is in seeds/");
    let copies = TARGET_BYTES.div_ceil(seed.len());
    let mut text = String::with_capacity(seed.len() * copies);
    for _ in 0..copies {
        text.push_str(&seed);
    }
    let mb = text.len() as f64 / 1e6;
    let engine = Engine::builtin(Settings::default()).expect("built-in rules load");
    let rss_before = peak_rss_kib().unwrap_or(0);

    let mut best = f64::INFINITY;
    let mut findings = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let file = SourceFile::from_text("bench.txt", text.clone());
        findings = engine.check(&file).len();
        best = best.min(t.elapsed().as_secs_f64());
    }
    let seed_file = SourceFile::from_text("seed.txt", seed.clone());
    let mut seed_best = f64::INFINITY;
    for _ in 0..50 {
        let t = Instant::now();
        std::hint::black_box(engine.check(&seed_file));
        seed_best = seed_best.min(t.elapsed().as_secs_f64());
    }
    let peak = peak_rss_kib().unwrap_or(0);
    println!("input: seed x {copies} = {mb:.1} MB, {findings} findings");
    println!(
        "check: {:.1} ms, {:.1} MB/s (one core, best of 5)",
        best * 1e3,
        mb / best
    );
    println!(
        "seed alone ({:.0} KB): {:.2} ms (best of 50)",
        seed.len() as f64 / 1e3,
        seed_best * 1e3
    );
    println!(
        "peak RSS: {:.1} MB (before checking: {:.1} MB; the input itself is {mb:.1} MB, held twice)",
        peak as f64 / 1024.0,
        rss_before as f64 / 1024.0
    );
}
