//! Reports: render diagnostics for people (miette) and machines (JSON).
