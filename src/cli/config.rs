//! `numlint config [PATH]`: the configuration in force for a path, as YAML.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use super::profiles::{CommandLine, Profiles};
use super::{CliError, Outcome};
use crate::config::Config;
use crate::diagnostic::Severity;

/// Arguments of `numlint config`.
#[derive(Debug, Args)]
pub(crate) struct ConfigArgs {
    /// The file (or directory) to show the configuration for; default: this directory.
    #[arg(value_name = "PATH", default_value = ".")]
    path: PathBuf,

    /// Use this configuration file instead of discovering one.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// What `numlint config` prints.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Effective {
    #[serde(flatten)]
    profile: crate::config::Profile,
    min_severity: Severity,
    fail_on: Severity,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ignore_findings: Vec<crate::config::IgnoredFinding>,
}

/// Run `numlint config`.
pub(crate) fn run(args: &ConfigArgs) -> Result<Outcome, CliError> {
    let mut profiles = Profiles::new(CommandLine {
        config: args.config.clone(),
        ..CommandLine::default()
    })
    .map_err(CliError::Load)?;
    let source = profiles.config_path(&args.path);
    let config: std::sync::Arc<Config> = match profiles.resolve(&args.path) {
        Ok(r) => r.config,
        Err(e) => {
            super::print_error(e.as_ref(), super::ColorChoice::Auto.stderr());
            return Ok(Outcome::InputError);
        }
    };
    let effective = Effective {
        profile: profiles.profile(&config, &args.path),
        min_severity: config.min_severity.unwrap_or(Severity::Info),
        fail_on: config.fail_on.unwrap_or(Severity::Warning),
        ignore_findings: config.ignore_findings.clone(),
    };
    let yaml = crate::config::to_yaml(&effective);
    let mut out = super::stdout();
    match source {
        Some(p) => writeln!(out, "# configuration: {}", p.display())?,
        None => writeln!(out, "# configuration: none found (defaults)")?,
    }
    out.write_all(yaml.as_bytes())?;
    out.flush()?;
    Ok(Outcome::Clean)
}
