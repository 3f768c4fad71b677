//! Resource limits: every bound numlint sets on what one input may cost, in one place.
//!
//! A linter runs on every draft in CI and in every editor, on documents and rule packs it
//! did not write: no input may make it crash, hang or take memory without bound. Each
//! limit is checked at a coarse point (a file read, a sentence, a match attempt, a rule
//! file), never per byte of text. `SECURITY.md` lists them with their values, and a test
//! keeps the two in step.

/// Largest input numlint reads: a file, standard input, or a document the editor sends
/// (256 MiB). A larger input is reported as too large and not checked; reading stops
/// just past the limit, so a device or pipe that never ends costs no more.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// Most bytes numlint expands from one `.docx`: the XML parts it reads, together
/// (256 MiB, whatever the archive's headers declare). A zip bomb is refused, not read.
pub const MAX_EXPANDED_BYTES: u64 = 256 * 1024 * 1024;

/// Most tokens (words, marks and figures) in one sentence that claim patterns are
/// matched over at once (16,384; a report's longest sentences have a few hundred). A
/// longer run without a sentence stop (a flattened table, a list of thousands of
/// numbers) is matched in pieces of this size, so it holds at most this many figures
/// per piece: time and memory stay linear in the text.
pub const MAX_SENTENCE_TOKENS: usize = 16_384;

/// Steps one attempt to match a claim pattern at one place may take (20,000; the
/// built-in patterns use a few hundred at most). Gaps, repeats, optional parts and
/// choices spend steps; past the budget the attempt fails, so a rule pack's pattern
/// that would backtrack exponentially costs no more than this.
pub const MAX_MATCH_STEPS: u32 = 20_000;

/// Widest gap a pattern may ask for (`...N`, `~N`): 40 tokens.
pub const MAX_GAP: usize = 40;

/// Most rounds a repeated group (`*[ ... ]`) takes in one match: 64.
pub const MAX_REPEAT: usize = 64;

/// Deepest nesting of groups (`[ ]`, `< >`, `*[ ]`, `!`) in one pattern: 16. A deeper
/// pattern is a load error, so compiling and matching never recurse without bound.
pub const MAX_PATTERN_DEPTH: usize = 16;

/// Most patterns one rule file may compile to, once each `$a`/`$b` pattern is expanded
/// for every exhaustive pair in both orders (4,096; the built-in files have at most 68).
pub const MAX_PATTERNS_PER_FILE: usize = 4096;

/// Largest rule file or configuration file numlint reads (1 MiB; the built-in rule
/// files are a few kilobytes). YAML aliases (`*a`) are expanded by the YAML reader
/// within its own bound (a document may not expand to much more than its size).
pub const MAX_YAML_BYTES: u64 = 1024 * 1024;

/// Largest facts file (YAML or CSV) numlint reads (64 MiB: room for a statistics
/// office's tables, and a bound on what `--facts` can make it hold in memory).
pub const MAX_FACTS_BYTES: u64 = 64 * 1024 * 1024;

/// Deepest nesting of YAML flow collections (`[`, `{`) in a rule or configuration file:
/// 128, the YAML reader's own limit for any nesting. It is checked before the reader
/// sees the file, because the reader's time grows with the square of that depth.
pub const MAX_YAML_DEPTH: usize = 128;

/// Largest message the language server reads (`Content-Length`): a document of
/// [`MAX_INPUT_BYTES`] with room for its JSON escapes (512 MiB). A larger message is
/// skipped unread and reported.
pub const MAX_MESSAGE_BYTES: u64 = 2 * MAX_INPUT_BYTES;

/// When the lines around a finding are longer than this (8 KiB), the human report shows
/// only [`SNIPPET_MARGIN`] bytes either side of it instead of the whole lines: the
/// snippet renderer (miette) cannot draw a mark past column 65,535 (it panicked on a
/// 4 MB line), and a tab is four columns.
pub const MAX_SNIPPET_LINE_BYTES: usize = 8 * 1024;

/// Bytes of context either side of a finding shown from a very long line (512).
pub const SNIPPET_MARGIN: usize = 512;
