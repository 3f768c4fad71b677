//! The 100 MB single-line case of `tests/robustness.rs`, in release mode, with its time and
//! peak memory: `cargo run --release --example huge_line [MB]`. A line of prose (or, with
//! `seed` as the second argument, the seed report with its line breaks turned to spaces,
//! so every figure and claim of it is on the one line) is written to a temporary file,
//! read, checked and reported as JSON, as `numlint check --format json` does.
use std::io::Write;
use std::time::Instant;

use numlint::Engine;
use numlint::report::{JsonReporter, Reporter};
use numlint::settings::Settings;

/// Peak resident memory of this process so far, from /proc (kB).
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let megabytes: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100);
    let seed_text = std::env::args().nth(2).as_deref() == Some("seed");
    let wrong = "Of the 40 deputies, 8 (25 per cent) are women.";
    let unit = if seed_text {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/seeds/000_26c4ac59d5b61832.txt"
        ))
        .expect("seed")
        .replace('\n', " ")
    } else {
        "The committee notes the efforts made by the State party and the progress in the area, "
            .to_string()
    };
    let len = megabytes << 20;
    let path = std::env::temp_dir().join(format!("numlint-huge-line-{}.txt", std::process::id()));
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("temp file"));
        let mut written = 0;
        out.write_all(wrong.as_bytes()).expect("write");
        while written < len {
            out.write_all(unit.as_bytes()).expect("write");
            written += unit.len();
        }
        out.write_all(wrong.as_bytes()).expect("write");
    }
    let before = peak_rss_kb();
    let engine = Engine::builtin(Settings::default()).expect("rules load");
    let t0 = Instant::now();
    let file = numlint::formats::read_path(&path).expect("reads");
    let read = t0.elapsed();
    let diagnostics = engine.check(&file);
    let mut report = JsonReporter::new(std::io::sink());
    report.file(&file, &diagnostics).expect("report");
    report.finish().expect("report");
    let total = t0.elapsed();
    let _ = std::fs::remove_file(&path);
    println!(
        "{} bytes on one line ({}): read {:.2} s, read + check + JSON {:.2} s ({:.0} MB/s), {} findings",
        file.text().len(),
        if seed_text {
            "the seed's text"
        } else {
            "prose"
        },
        read.as_secs_f64(),
        total.as_secs_f64(),
        file.text().len() as f64 / total.as_secs_f64() / 1e6,
        diagnostics.len()
    );
    println!(
        "peak RSS {:.0} MB ({:.0} MB before reading)",
        peak_rss_kb() as f64 / 1024.0,
        before as f64 / 1024.0
    );
}
