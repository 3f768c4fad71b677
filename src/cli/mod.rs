//! The command line: clap arguments and one function per subcommand. Only this module
//! (and, later, the LSP server) prints.

/// Parse the command line, run the subcommand, and return the process exit code.
pub fn run() -> std::process::ExitCode {
    std::process::ExitCode::SUCCESS
}
