//! The `numlint` binary: hands the command line to [`numlint::cli::run`].

fn main() -> std::process::ExitCode {
    numlint::cli::run()
}
