//! numlint: a linter for the figures in report drafts.
//!
//! Data flows one way: [`source`] (text, spans, page furniture) -> [`figures`] (every
//! quantity with its span and precision) -> [`claims`] (figures linked into typed claims)
//! -> [`rules`] (checkers over claims) -> [`diagnostic`] -> `report` (human, JSON).
//! The library never prints; only the `cli` and `lsp` modules do I/O.

#![warn(missing_docs)]

pub mod claims;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod facts;
pub mod figures;
pub mod formats;
pub mod interval;
pub mod limits;
pub mod lsp;
pub mod report;
pub mod rules;
pub mod settings;
pub mod source;
pub mod suppress;
mod swar;

pub use diagnostic::{Diagnostic, Label, Severity};
pub use engine::Engine;
pub use source::{SourceFile, Span};
