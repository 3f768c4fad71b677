//! Names a claim carries (its family, its slots) without a string of its own.
//!
//! A document yields a claim for every few hundred bytes, and each names its family and
//! two or three slots. Names of the Rust extractors are `'static`; names from YAML
//! patterns are shared with the loaded pattern. Either way a claim copies no string, so
//! making one allocates nothing for its names and the claims of a large file take a
//! fraction of the memory owned strings took.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A family or slot name: compares, hashes and prints as the string it stands for.
#[derive(Clone)]
pub enum Name {
    /// A name written in the source (Rust extractors, built-in slot names).
    Static(&'static str),
    /// A name read at run time (YAML patterns), shared with whatever else holds it.
    Shared(Arc<str>),
}

impl Name {
    /// The name as a string.
    pub fn as_str(&self) -> &str {
        match self {
            Name::Static(s) => s,
            Name::Shared(s) => s,
        }
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&'static str> for Name {
    fn from(s: &'static str) -> Self {
        Name::Static(s)
    }
}

impl From<Arc<str>> for Name {
    fn from(s: Arc<str>) -> Self {
        Name::Shared(s)
    }
}

impl From<String> for Name {
    fn from(s: String) -> Self {
        Name::Shared(Arc::from(s))
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Name {}

impl std::hash::Hash for Name {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        self == other.as_str()
    }
}

/// Printed as the string would be, so debug output reads as it did with owned strings.
impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_and_shared_names_are_the_same_name() {
        let a = Name::from("share");
        let b = Name::from(Arc::<str>::from("share"));
        assert_eq!(a, b);
        assert_eq!(a, "share");
        assert!("share" == b);
        assert_ne!(a, Name::from("sum"));
        assert_eq!(format!("{a:?} {b}"), "\"share\" share");
        let state = std::collections::hash_map::RandomState::new();
        let h = |n: &Name| std::hash::BuildHasher::hash_one(&state, n);
        assert_eq!(h(&a), h(&b));
    }

    #[test]
    fn a_name_is_no_bigger_than_a_string() {
        assert!(std::mem::size_of::<Name>() <= std::mem::size_of::<String>());
    }
}
