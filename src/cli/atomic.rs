//! Atomic file writes, for the only files numlint writes (a baseline, the generated rule
//! reference): the new contents go to a fresh temporary file beside the target, which is
//! then renamed over it. A reader sees the old file or the new one, never half of one;
//! a failed write (a full disk, a read-only directory, a parent that is a file) leaves
//! the old file as it was and no temporary file behind.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Write `contents` to `path` atomically. The target keeps its permissions when it
/// exists. The temporary file is created new (never opened through an existing name or
/// link), so a file planted at its name cannot redirect the write.
pub fn write(path: &Path, contents: &[u8]) -> io::Result<()> {
    let (replacement, mut file) = Replacement::create(path)?;
    if let Ok(meta) = std::fs::metadata(path) {
        file.set_permissions(meta.permissions())?;
    }
    file.write_all(contents)?;
    drop(file);
    replacement.commit()
}

/// A temporary file beside a target that replaces it on [`commit`](Replacement::commit);
/// dropped without a commit (an error, a panic), the temporary file is removed and the
/// target is left as it was.
#[derive(Debug)]
pub(crate) struct Replacement {
    target: PathBuf,
    dir: PathBuf,
    temp: PathBuf,
    committed: bool,
}

impl Replacement {
    /// Create the temporary file for `target` (in its directory, so the rename cannot
    /// cross file systems); the caller writes to the returned handle and drops it before
    /// committing.
    pub(crate) fn create(target: &Path) -> io::Result<(Self, File)> {
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let (temp, file) = create_temporary(dir, target)?;
        let replacement = Replacement {
            target: target.to_owned(),
            dir: dir.to_owned(),
            temp,
            committed: false,
        };
        Ok((replacement, file))
    }

    /// Sync the temporary file to disk and rename it over the target.
    pub(crate) fn commit(mut self) -> io::Result<()> {
        File::open(&self.temp)?.sync_all()?;
        std::fs::rename(&self.temp, &self.target)?;
        self.committed = true;
        // The rename is durable once the directory is; not every system can sync one.
        if let Ok(d) = File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

impl Drop for Replacement {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// A new file `.NAME.PID.N.tmp` in `dir` for writing `target`, trying a few names if
/// one is taken.
fn create_temporary(dir: &Path, target: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = target
        .file_name()
        .map_or_else(|| "numlint".into(), |n| n.to_string_lossy().into_owned());
    let mut last = None;
    for _ in 0..16 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary file name")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(test: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("numlint-atomic-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch");
        dir
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = scratch("replace");
        let path = dir.join("b.json");
        std::fs::write(&path, "old").expect("write");
        write(&path, b"new").expect("atomic write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        let names: Vec<_> = std::fs::read_dir(&dir).expect("list").collect();
        assert_eq!(names.len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_parent_that_is_a_file_is_an_error() {
        let dir = scratch("parent");
        let file = dir.join("plain");
        std::fs::write(&file, "keep").expect("write");
        assert!(write(&file.join("b.json"), b"new").is_err());
        assert_eq!(std::fs::read_to_string(&file).expect("read"), "keep");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_planted_temporary_name_is_not_followed() {
        let dir = scratch("planted");
        let victim = dir.join("victim");
        std::fs::write(&victim, "keep").expect("write");
        // Every name the next write could try is a link to the victim.
        for n in 0..64 {
            let link = dir.join(format!(".b.json.{}.{n}.tmp", std::process::id()));
            let _ = std::os::unix::fs::symlink(&victim, link);
        }
        let path = dir.join("b.json");
        let _ = write(&path, b"new");
        assert_eq!(std::fs::read_to_string(&victim).expect("read"), "keep");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
