//! Throughput with a subset of rule families (`cargo run --release --example subset_bench -- share sum`).
use numlint::config::{Options, Profile};
use numlint::{Engine, SourceFile};
use std::time::Instant;

fn main() {
    let families: Vec<String> = std::env::args().skip(1).collect();
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/000_26c4ac59d5b61832.txt"
    ))
    .expect("seed");
    let text = seed.repeat(122);
    let profile = Profile {
        options: Options {
            select: (!families.is_empty()).then_some(families.clone()),
            ..Options::default()
        },
        ..Profile::default()
    };
    let engine = Engine::from_profile(Default::default(), &profile).expect("rules");
    let mut best = f64::INFINITY;
    let mut n = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let file = SourceFile::from_text("x", text.clone());
        n = engine.check(&file).len();
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "{:?}: {:.1} MB/s, {} findings",
        families,
        text.len() as f64 / 1e6 / best,
        n
    );
}
