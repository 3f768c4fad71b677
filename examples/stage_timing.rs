//! Times each pipeline stage on the seed repeated to ~20 MB (a profiling aid).
use std::time::Instant;

/// Best of a few runs: the machine may be busy.
fn best<T>(mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..3 {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(r);
    }
    (best, out.expect("ran at least once"))
}

fn main() {
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/000_26c4ac59d5b61832.txt"
    ))
    .expect("seed");
    let text = seed.repeat(120);
    let mb = text.len() as f64 / 1e6;
    let engine = numlint::Engine::builtin(Default::default()).expect("rules");
    let families: Vec<_> = numlint::rules::load::BUILTIN
        .iter()
        .map(|(name, yaml)| numlint::rules::load::load_file(name, yaml).map(|f| f.patterns))
        .collect::<Result<_, _>>()
        .expect("rules");
    let (t_mask, masked) = best(|| numlint::source::mask_furniture(&text));
    let (t_figs, figs) = best(|| numlint::figures::scan(&masked));
    let (t_tok, toks) = best(|| numlint::claims::tokenize(&masked, &figs).len());
    let (t_sent, sent_toks) = best(|| {
        let mut n = 0;
        numlint::claims::for_each_figure_sentence(&masked, &figs, |s| n += s.len());
        n
    });
    let (t_claims, claims) =
        best(|| numlint::claims::extract_from_text(&masked, &figs, &families).len());
    let (t_src, file) = best(|| numlint::SourceFile::from_text("x", text.clone()));
    let (t_all, a) = best(|| engine.analyse(&file));
    let ms = |t: f64| t * 1e3;
    println!(
        "{mb:.1} MB: mask {:.0} ms ({:.0} MB/s), figures {:.0} ms ({:.0} MB/s, {} figs), \
         claims {:.0} ms ({} claims; of which sentence tokens {:.0} ms, {sent_toks} tokens); \
         [whole-text tokenize, not in the pipeline: {:.0} ms, {toks} tokens]",
        ms(t_mask),
        mb / t_mask,
        ms(t_figs),
        mb / t_figs,
        figs.len(),
        ms(t_claims),
        claims,
        ms(t_sent),
        ms(t_tok),
    );
    println!(
        "source {:.0} ms, analyse {:.0} ms ({:.0} MB/s, {} claims, {} findings)",
        ms(t_src),
        ms(t_all),
        mb / t_all,
        a.claims.len(),
        a.diagnostics.len()
    );
}
