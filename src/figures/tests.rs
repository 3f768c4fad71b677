//! Tests for the figure scanner: one per kind with the seed's real phrases, exclusions,
//! property tests, and a whole-seed check.

use super::*;

fn seed() -> String {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/000_26c4ac59d5b61832.txt"
    );
    std::fs::read_to_string(p).expect("seed file is in the repository")
}

#[test]
#[ignore]
fn dump_seed() {
    let s = seed();
    for f in scan(&s) {
        println!(
            "{:>6} {:<40} {:?} v={} r={} ex={} h={:?}",
            f.span.start,
            format!("{:?}", &s[f.span.start..f.span.end]),
            f.kind,
            f.value,
            f.resolution,
            f.exact,
            f.hedge
        );
    }
}
