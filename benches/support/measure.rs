//! Measuring the `numlint` binary from the benchmarks: the machine it runs on, one run of
//! a child process with its wall time and exact peak memory (`wait4`'s `ru_maxrss`, not
//! sampling), pinning to one core, and a scratch directory under `target/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The binary to measure: `NUMLINT_BENCH_BIN` when set (to compare another build, e.g.
/// an older commit's, on the same corpus and machine), else the release binary cargo
/// built for the benchmarks.
pub fn numlint_bin() -> PathBuf {
    std::env::var_os("NUMLINT_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_numlint")))
}

/// One finished run of a child process.
pub struct Run {
    /// From just before the spawn to the child's exit being collected.
    pub wall: Duration,
    /// The exit code, or `None` when a signal ended the child.
    pub code: Option<i32>,
    /// The child's peak resident memory, in bytes.
    pub peak_rss: u64,
}

/// Run `cmd` to completion with standard output and error discarded, timing it and
/// reading its peak resident memory from the kernel's accounting when it is reaped.
pub fn run(cmd: &mut Command) -> Run {
    let start = Instant::now();
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain old data, for which all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = loop {
        // SAFETY: `wait4` writes only into the two out-parameters, which outlive the call.
        // The child is reaped here, so `child` is dropped without waiting (as dropping a
        // `Child` always is).
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == -1 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        break r;
    };
    let wall = start.elapsed();
    assert_eq!(
        reaped,
        pid,
        "wait4 failed: {}",
        std::io::Error::last_os_error()
    );
    drop(child);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Run {
        wall,
        code,
        // Linux reports ru_maxrss in KiB.
        peak_rss: usage.ru_maxrss as u64 * 1024,
    }
}

/// Run `cmd` (a `check --format json`) once, reading its output as it comes, and return
/// the number of diagnostics; panics unless it exits 0 or 1 (a `check` that worked).
/// The diagnostics are counted, not kept, so this process stays small (see
/// [`own_peak_rss`]).
pub fn count_findings(cmd: &mut Command) -> usize {
    #[derive(serde::Deserialize)]
    struct Doc {
        diagnostics: Vec<serde::de::IgnoredAny>,
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let stdout = child.stdout.take().expect("stdout is piped");
    let doc: Result<Doc, _> = serde_json::from_reader(std::io::BufReader::new(stdout));
    let status = child.wait().expect("wait for numlint");
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "{cmd:?} failed ({status})"
    );
    doc.expect("check prints its JSON document")
        .diagnostics
        .len()
}

/// This process's own peak resident memory so far (VmHWM), in bytes.
///
/// A child's `ru_maxrss` is never below it: the kernel carries the parent's peak into a
/// child that is started with `vfork` (as `posix_spawn` does) when the child calls
/// `exec`. So the benchmark keeps itself small while it measures, and says how small.
pub fn own_peak_rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?.to_string();
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or(0, |kib| kib * 1024)
}

/// Pin this process, and so every child it starts, to one CPU (what `taskset -c` does).
/// Returns a line saying which CPU, or why the run is unpinned.
pub fn pin_to_one_cpu() -> String {
    // SAFETY: `cpu_set_t` is a plain bit array, valid when zeroed; both calls read or
    // write only the set passed, of the size passed.
    unsafe {
        let mut allowed: libc::cpu_set_t = std::mem::zeroed();
        let size = std::mem::size_of::<libc::cpu_set_t>();
        if libc::sched_getaffinity(0, size, &mut allowed) != 0 {
            return "unpinned (sched_getaffinity failed)".into();
        }
        let cpus: Vec<usize> = (0..libc::CPU_SETSIZE as usize)
            .filter(|&c| libc::CPU_ISSET(c, &allowed))
            .collect();
        if cpus.len() < 2 {
            return "unpinned (one CPU available)".into();
        }
        // CPU 1 as in `taskset -c 1`, away from CPU 0's interrupts, when it is allowed.
        let cpu = if cpus.contains(&1) {
            1
        } else {
            cpus[cpus.len() - 1]
        };
        let mut one: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut one);
        if libc::sched_setaffinity(0, size, &one) != 0 {
            return format!(
                "unpinned (sched_setaffinity failed: {})",
                std::io::Error::last_os_error()
            );
        }
        format!("pinned to CPU {cpu} (benchmark and its children)")
    }
}

/// The machine, for the top of a benchmark's output: CPU model, logical CPUs, memory,
/// load average, and the numlint commit measured.
pub fn machine_description() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map_or("unknown CPU", |(_, name)| name.trim())
        .to_string();
    let logical = cpuinfo
        .lines()
        .filter(|l| l.starts_with("processor"))
        .count();
    let usable = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            let line = m.lines().find(|l| l.starts_with("MemTotal:"))?.to_string();
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or("unknown".into(), |kib| {
            format!("{:.1} GiB", kib as f64 / 1024.0 / 1024.0)
        });
    let commit = Command::new("git")
        .args(["describe", "--always", "--dirty"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map_or("unknown".into(), |o| {
            String::from_utf8_lossy(&o.stdout).trim().to_string()
        });
    format!(
        "machine: {model}, {logical} logical CPUs ({usable} usable), {mem} RAM\n\
         load average at start: {}\n\
         numlint: commit {commit}, {}",
        load_average(),
        numlint_bin().display()
    )
}

/// The 1, 5 and 15 minute load averages, as the kernel prints them.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

/// A directory under cargo's target directory (next to the binary's profile directory,
/// not in /tmp, which may be a small RAM disk), removed when dropped.
pub struct ScratchDir(PathBuf);

impl ScratchDir {
    /// A fresh, empty directory named after `what` and this process.
    pub fn new(what: &str) -> Self {
        let bin = numlint_bin();
        let target = bin
            .parent()
            .and_then(Path::parent)
            .expect("the binary is in target/PROFILE/");
        let dir = target.join(format!("numlint-{what}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        ScratchDir(dir)
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The median of some durations (the upper one of the middle two for an even count).
pub fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

/// Bytes as decimal megabytes, the unit of MB/s.
pub fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}
