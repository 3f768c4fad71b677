//! Times each pipeline stage on the seed repeated to ~20 MB (a profiling aid).
use numlint::claims::tokenize;
use std::time::Instant;
fn main() {
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/000_26c4ac59d5b61832.txt"
    ))
    .expect("seed");
    let text = seed.repeat(120);
    let mb = text.len() as f64 / 1e6;
    let t = Instant::now();
    let masked = numlint::source::mask_furniture(&text);
    let t1 = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let figs = numlint::figures::scan(&masked);
    let t2 = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let toks = tokenize(&masked, &figs);
    let t3 = t.elapsed().as_secs_f64();
    let engine = numlint::Engine::builtin(Default::default()).expect("rules");
    let t = Instant::now();
    let file = numlint::SourceFile::from_text("x", text.clone());
    let t4 = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let a = engine.analyse(&file);
    let t5 = t.elapsed().as_secs_f64();
    println!(
        "source {:.0} ms, analyse {:.0} ms ({} claims)",
        t4 * 1e3,
        t5 * 1e3,
        a.claims.len()
    );
    println!(
        "{mb:.1} MB: mask {:.0} MB/s, figures {:.0} MB/s ({} figs), tokens {:.0} MB/s ({} tokens)",
        mb / t1,
        mb / t2,
        figs.len(),
        mb / t3,
        toks.len()
    );
}
