//! Claims: figures linked into typed statements (share, total-of-parts, change, ...).
