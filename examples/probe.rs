//! A fixed-work probe for instruction counts, which stay steady on a busy machine where
//! wall-clock times do not: `valgrind --tool=callgrind target/release/examples/probe 3`
//! runs `check` once on the seed repeated N times (default 3); `probe N figures` runs
//! only the figure scanner. Rule loading is part of the count; `probe 0` measures it.
use numlint::settings::Settings;
use numlint::{Engine, SourceFile};

fn main() {
    let copies: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3);
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/000_26c4ac59d5b61832.txt"
    ))
    .expect("seed");
    if std::env::args().nth(2).as_deref() == Some("figures") {
        let text = seed.repeat(copies);
        println!("{} figures", numlint::figures::scan(&text).len());
        return;
    }
    let engine = Engine::builtin(Settings::default()).expect("rules");
    let file = SourceFile::from_text("x", seed.repeat(copies));
    println!("{} findings", engine.check(&file).len());
}
