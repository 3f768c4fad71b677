//! The inputs of `numlint check`: command-line paths expanded, lazily and in a fixed
//! order, into standard input, files and the files found by walking directories.
//!
//! Directories are walked with the `ignore` crate, as ripgrep walks them: `.gitignore`
//! (inside a Git repository), `.ignore` and `.git/info/exclude` are respected, hidden files
//! and directories are skipped, symbolic links are not followed, and siblings come in
//! file-name order, so the order never depends on the file system or on threads. Walked
//! files are kept when their extension names a format numlint reads; a file named on the
//! command line is always read.

use std::io;
use std::path::{Path, PathBuf};

use ignore::WalkBuilder;
use ignore::overrides::{Override, OverrideBuilder};

use crate::formats::Format;
use crate::source::SourceError;

/// One thing to check, or the reason a path gave nothing to check.
#[derive(Debug)]
pub(crate) enum Input {
    /// Standard input (`-`, or no path at all).
    Stdin,
    /// A file named on the command line or found in a directory.
    File(PathBuf),
    /// A directory (or part of one) that could not be walked.
    Unreadable(SourceError),
}

/// Which walked files to keep: `--include` and `--exclude` globs, matched like ripgrep's
/// `-g` against each path relative to the walked directory.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    /// `--include` globs: when any is given, only files matching one are kept.
    pub include: Vec<String>,
    /// `--exclude` globs: matching files and directories are skipped.
    pub exclude: Vec<String>,
}

impl Filter {
    /// The globs as an `ignore` override for a walk rooted at `root`.
    fn overrides(&self, root: &Path) -> Result<Override, ignore::Error> {
        let mut builder = OverrideBuilder::new(root);
        for glob in &self.include {
            builder.add(glob)?;
        }
        for glob in &self.exclude {
            builder.add(&format!("!{glob}"))?;
        }
        builder.build()
    }
}

/// Check a `--include` / `--exclude` glob as clap parses the option, so a bad glob is a
/// usage error before anything is read.
pub(crate) fn parse_glob(glob: &str) -> Result<String, String> {
    OverrideBuilder::new(".")
        .add(glob)
        .map(|_| glob.to_owned())
        .map_err(|e| e.to_string())
}

/// Expand the command-line paths in order: `-` (or no path) is standard input, a
/// directory is walked, anything else is a file to read (a missing file surfaces as a
/// read error, with its name as given). Directories are walked as the iterator is
/// consumed, so checking can start before a large tree is listed.
pub(crate) fn inputs<'a>(
    paths: &'a [PathBuf],
    filter: &'a Filter,
) -> Box<dyn Iterator<Item = Input> + 'a> {
    if paths.is_empty() {
        return Box::new(std::iter::once(Input::Stdin));
    }
    Box::new(paths.iter().flat_map(move |path| {
        if path.as_os_str() == "-" {
            Box::new(std::iter::once(Input::Stdin)) as Box<dyn Iterator<Item = Input>>
        } else if path.is_dir() {
            walk(path, filter)
        } else {
            Box::new(std::iter::once(Input::File(path.clone())))
        }
    }))
}

/// The readable files under `root`, in file-name order at each level.
fn walk(root: &Path, filter: &Filter) -> Box<dyn Iterator<Item = Input>> {
    let overrides = match filter.overrides(root) {
        Ok(o) => o,
        // The globs were checked when the command line was parsed.
        Err(err) => return Box::new(std::iter::once(Input::Unreadable(walk_error(root, err)))),
    };
    let root_owned = root.to_path_buf();
    let walker = WalkBuilder::new(root)
        .overrides(overrides)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    Box::new(walker.filter_map(move |entry| match entry {
        Ok(entry) => {
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            (is_file && has_readable_extension(entry.path()))
                .then(|| Input::File(entry.into_path()))
        }
        Err(err) => Some(Input::Unreadable(walk_error(&root_owned, err))),
    }))
}

/// True when `path`'s extension names a format numlint reads.
fn has_readable_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .and_then(Format::from_extension)
        .is_some()
}

/// A walk error as a read error of the path it concerns (the walked directory when the
/// error names none).
fn walk_error(root: &Path, err: ignore::Error) -> SourceError {
    let mut path = None;
    let mut err = err;
    loop {
        err = match err {
            ignore::Error::WithPath { path: p, err } => {
                path.get_or_insert(p);
                *err
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                *err
            }
            other => break err = other,
        };
    }
    let name = path.as_deref().unwrap_or(root).display().to_string();
    let source = match err {
        ignore::Error::Io(source) => without_path(source),
        other => io::Error::other(other.to_string()),
    };
    SourceError::Io { name, source }
}

/// The operating system's error under a walk error, which repeats the path ("IO error
/// for operation on x: ...") that the report already names.
fn without_path(err: io::Error) -> io::Error {
    let os_error = std::error::Error::source(&err)
        .and_then(|inner| inner.downcast_ref::<io::Error>())
        .and_then(io::Error::raw_os_error);
    match os_error {
        Some(code) => io::Error::from_raw_os_error(code),
        None => err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The inputs for `paths`, as names relative to `base` (errors as `error: ...`).
    fn names(paths: &[PathBuf], filter: &Filter, base: &Path) -> Vec<String> {
        inputs(paths, filter)
            .map(|i| match i {
                Input::Stdin => "<stdin>".to_owned(),
                Input::File(p) => p.strip_prefix(base).unwrap_or(&p).display().to_string(),
                Input::Unreadable(e) => format!("error: {e}"),
            })
            .collect()
    }

    struct Tree(PathBuf);

    impl Tree {
        fn new(test: &str, files: &[&str]) -> Tree {
            let dir = std::env::temp_dir().join(format!("numlint-{test}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            for name in files {
                let path = dir.join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, "x").unwrap();
            }
            Tree(dir)
        }
    }

    impl Drop for Tree {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn no_path_and_dash_mean_stdin() {
        let none = Filter::default();
        let base = Path::new("");
        assert_eq!(names(&[], &none, base), ["<stdin>"]);
        let paths = [PathBuf::from("-"), PathBuf::from("a.bin")];
        assert_eq!(names(&paths, &none, base), ["<stdin>", "a.bin"]);
    }

    #[test]
    fn directories_are_walked_in_name_order_for_readable_extensions() {
        let tree = Tree::new(
            "walk-order",
            &[
                "b.txt",
                "a.md",
                "c.pdf",
                "sub/z.TXT",
                "sub/notes",
                "d.docx",
                "e.htm",
                "f.markdown",
                ".hidden.txt",
                ".dot/x.txt",
            ],
        );
        let got = names(std::slice::from_ref(&tree.0), &Filter::default(), &tree.0);
        assert_eq!(
            got,
            [
                "a.md",
                "b.txt",
                "d.docx",
                "e.htm",
                "f.markdown",
                "sub/z.TXT"
            ]
        );
    }

    #[test]
    fn include_and_exclude_globs_are_relative_to_the_walked_directory() {
        let tree = Tree::new(
            "walk-globs",
            &["a.txt", "drafts/b.txt", "drafts/old/c.txt", "annex.md"],
        );
        let root = std::slice::from_ref(&tree.0);
        let include = Filter {
            include: vec!["drafts/**".into()],
            exclude: vec![],
        };
        assert_eq!(
            names(root, &include, &tree.0),
            ["drafts/b.txt", "drafts/old/c.txt"]
        );
        let exclude = Filter {
            include: vec![],
            exclude: vec!["old".into(), "*.md".into()],
        };
        assert_eq!(names(root, &exclude, &tree.0), ["a.txt", "drafts/b.txt"]);
    }

    #[test]
    fn bad_globs_are_refused() {
        assert!(parse_glob("drafts/**/*.md").is_ok());
        assert!(parse_glob("a[").is_err());
    }
}
