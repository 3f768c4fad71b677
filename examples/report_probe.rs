//! Times the machine-readable reporters alone: `report_probe FILE [REPS] [json|jsonl|linecol]`
//! checks FILE once, then writes its findings REPS times (into memory: the JSON document,
//! JSON lines, or only the lines and columns of every position), and prints the best and
//! median time per finding on standard error. With REPS 1 the document goes to standard
//! output, to compare with `numlint check --no-config --format json FILE`. Under
//! callgrind, the difference between the counts of two REPS is the reporter's cost.
use std::time::Instant;

use numlint::report::{JsonReporter, JsonlReporter, Reporter};
use numlint::settings::Settings;
use numlint::{Engine, SourceFile};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = &args[1];
    let reps: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(20);
    let mode = args.get(3).map_or("json", String::as_str);
    let file = SourceFile::read(std::path::Path::new(path)).expect("read");
    let engine = Engine::builtin(Settings::default()).expect("rules");
    let diags = engine.check(&file);
    let mut times = Vec::new();
    let mut bytes = 0;
    let mut sink = 0usize;
    for _ in 0..reps {
        let t = Instant::now();
        match mode {
            "json" => {
                let mut r = JsonReporter::new(Vec::with_capacity(4 << 20));
                r.file(&file, &diags).unwrap();
                r.finish().unwrap();
                let out = r.into_inner();
                bytes = out.len();
                if reps == 1 {
                    std::io::Write::write_all(&mut std::io::stdout(), &out).unwrap();
                }
            }
            "jsonl" => {
                let mut r = JsonlReporter::new(Vec::with_capacity(4 << 20));
                r.file(&file, &diags).unwrap();
                r.finish().unwrap();
                bytes = r.into_inner().len();
            }
            "linecol" => {
                let mut c = file.line_cursor();
                for d in &diags {
                    for o in [d.span.start, d.span.end]
                        .into_iter()
                        .chain(d.labels.iter().flat_map(|l| [l.span.start, l.span.end]))
                    {
                        let lc = c.line_col(o);
                        sink = sink.wrapping_add(lc.line ^ lc.column);
                    }
                }
            }
            other => panic!("unknown mode {other}: json, jsonl or linecol"),
        }
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let n = diags.len() as f64;
    eprintln!(
        "{} findings, {bytes} bytes, {mode}: best {:.1} ns/finding, median {:.1} ns/finding (sink {sink})",
        diags.len(),
        times[0] * 1e9 / n,
        times[times.len() / 2] * 1e9 / n
    );
}
