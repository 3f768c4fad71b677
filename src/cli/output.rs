//! `-o/--output FILE`: a report written to a file atomically, so a reader never sees half
//! a report and a failed run leaves the previous file as it was.
//!
//! The report goes to a temporary file beside the target (same directory, so the rename
//! cannot cross file systems); [`AtomicOutput::commit`] syncs it and renames it over the
//! target. Dropped without a commit (an error, a panic), the temporary file is removed.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use super::atomic::Replacement;

/// Why the output file could not be written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{file}: cannot write the report: {source}")]
#[diagnostic(
    code(numlint::output),
    help("check that the directory exists and is writable")
)]
pub(crate) struct OutputError {
    /// The target, as given.
    pub file: String,
    /// What failed.
    #[source]
    pub source: io::Error,
}

/// A temporary file that becomes `target` on [`commit`](AtomicOutput::commit): a
/// [`Replacement`] whose errors name the report file.
#[derive(Debug)]
pub(crate) struct AtomicOutput {
    target: PathBuf,
    replacement: Replacement,
}

impl AtomicOutput {
    /// Create the temporary file for `target`; the caller writes the report to the
    /// returned handle and drops it before committing.
    pub(crate) fn create(target: &Path) -> Result<(Self, File), OutputError> {
        let (replacement, file) = Replacement::create(target).map_err(|source| OutputError {
            file: target.display().to_string(),
            source,
        })?;
        let output = AtomicOutput {
            target: target.to_owned(),
            replacement,
        };
        Ok((output, file))
    }

    /// Sync the written report to disk and move it over the target.
    pub(crate) fn commit(self) -> Result<(), OutputError> {
        self.replacement.commit().map_err(|source| OutputError {
            file: self.target.display().to_string(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn scratch(test: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("numlint-output-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        dir
    }

    #[test]
    fn the_target_appears_only_on_commit() {
        let dir = scratch("commit");
        let target = dir.join("review.html");
        std::fs::write(&target, "old").expect("write");
        let (out, mut file) = AtomicOutput::create(&target).expect("create");
        file.write_all(b"new").expect("write");
        drop(file);
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "old");
        out.commit().expect("commit");
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "new");
        let left: Vec<_> = std::fs::read_dir(&dir).expect("list").collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_uncommitted_output_leaves_the_old_file_and_no_temporary() {
        let dir = scratch("drop");
        let target = dir.join("review.html");
        std::fs::write(&target, "old").expect("write");
        let (out, mut file) = AtomicOutput::create(&target).expect("create");
        file.write_all(b"half a rep").expect("write");
        drop((file, out));
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "old");
        assert_eq!(std::fs::read_dir(&dir).expect("list").count(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_the_file() {
        let err = AtomicOutput::create(Path::new("/nonexistent-numlint-dir/review.html"))
            .expect_err("no such directory");
        assert!(
            err.to_string()
                .starts_with("/nonexistent-numlint-dir/review.html: cannot write the report")
        );
    }
}
