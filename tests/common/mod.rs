//! Helpers shared by the end-to-end tests: run the real binary, read its streams, and
//! scratch directories that clean up after themselves.
// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub mod tables;

/// The seed report, relative to the repository root.
pub const SEED: &str = "seeds/000_26c4ac59d5b61832.txt";

/// The trusted facts a rule's fixtures (and its YAML examples) are checked against:
/// `tests/fixtures/<rule>/facts.yaml`, when there is one.
pub fn fixture_facts(rule: &str) -> Option<numlint::facts::FactSet> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rule)
        .join("facts.yaml");
    path.exists().then(|| {
        numlint::facts::FactSet::read_all(&[&path])
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
    })
}

/// The binary, run from the repository root with colour off and no terminal width.
pub fn numlint() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_numlint"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.env("NO_COLOR", "1").env_remove("COLUMNS");
    cmd
}

/// Run with `args`.
pub fn run(args: &[&str]) -> Output {
    numlint().args(args).output().expect("binary runs")
}

/// Run with `args` from `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    numlint()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("binary runs")
}

/// Wait for `child` (a browser, an editor) to exit; past `limit`, kill it and fail the
/// test naming `what`, so a hung external program cannot hang the test run.
pub fn wait_or_kill(child: &mut std::process::Child, what: &str, limit: std::time::Duration) {
    let deadline = std::time::Instant::now() + limit;
    loop {
        if child.try_wait().expect("wait").is_some() {
            return;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {} s", limit.as_secs());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Run with `args`, feeding `stdin` (from a thread of its own, so that a large input and
/// a large output cannot block each other in full pipes).
pub fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = numlint()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut input = child.stdin.take().expect("stdin piped");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&data));
    let out = child.wait_with_output().expect("binary finishes");
    writer
        .join()
        .expect("the writer thread ends")
        .expect("write stdin");
    out
}

/// Standard output as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Standard output parsed as JSON.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", stdout(out)))
}

/// A fresh scratch directory for one test, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// A new empty directory named after the test and the process.
    pub fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("numlint-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch(dir)
    }

    /// Write a file (creating directories) and return its path as text.
    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> String {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&path, contents).expect("write scratch file");
        path.display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
