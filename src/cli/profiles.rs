//! Per-file configuration for `numlint check` and `numlint config`: find each file's
//! config, merge it with the command line, and keep one engine per distinct profile.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{self, Config, ConfigError, Profile};
use crate::diagnostic::Severity;
use crate::engine::Engine;
use crate::facts::{FactSet, FactsError};
use crate::figures::Rounding;
use crate::rules::LoadError;
use crate::settings::Settings;

/// What the command line says over every config.
#[derive(Debug, Clone, Default)]
pub(crate) struct CommandLine {
    /// `--config FILE`: use this file for every input, no discovery.
    pub config: Option<PathBuf>,
    /// `--no-config`: ignore config files.
    pub no_config: bool,
    /// `--rounding`, when given.
    pub rounding: Option<Rounding>,
    /// `--rules DIR`, added to each config's rule packs.
    pub rule_dirs: Vec<PathBuf>,
    /// `--facts FILE`, added to each config's facts files.
    pub facts: Vec<PathBuf>,
}

/// Why a file cannot be checked with its configuration.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub(crate) enum ProfileError {
    /// The config file is invalid.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(Box<ConfigError>),
    /// A rule pack it names is invalid.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Rules(Box<LoadError>),
    /// A facts file it names (or `--facts` names) is invalid.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Facts(Arc<FactsError>),
}

/// One file's resolved configuration and the engine for it.
pub(crate) struct Resolved {
    /// The config in force (default when none was found).
    pub config: Arc<Config>,
    /// The engine built for the file's profile.
    pub engine: Arc<Engine>,
}

impl Resolved {
    /// Lowest severity shown for this file.
    pub fn min_severity(&self) -> Severity {
        self.config.min_severity.unwrap_or(Severity::Info)
    }
}

// Engines and configs are shared by the threads of `numlint check`: they are immutable
// once loaded, and this fails to compile if one of them stops being thread-safe.
const _: () = {
    const fn shared_across_threads<T: Send + Sync>() {}
    shared_across_threads::<Engine>();
    shared_across_threads::<Config>();
    shared_across_threads::<ProfileError>();
};

/// Caches configs by path and engines by profile.
pub(crate) struct Profiles {
    cli: CommandLine,
    known: Vec<(String, String)>,
    configs: HashMap<Option<PathBuf>, Result<Arc<Config>, Arc<ProfileError>>>,
    engines: HashMap<String, Arc<Engine>>,
    /// Facts by the list of files they were read from.
    facts: HashMap<Vec<PathBuf>, Result<FactSet, Arc<FactsError>>>,
    /// The engine for files with no configuration (the command line alone).
    base: Arc<Engine>,
}

impl Profiles {
    /// Load the rules once, for files with no configuration; their names check the
    /// names configs use, and the engine is the first one cached.
    /// Facts files are read when a file needs them: the base engine has none.
    pub fn new(cli: CommandLine) -> Result<Self, Box<LoadError>> {
        let profile = profile_for(&cli, &Config::default(), Path::new("."));
        let base = Arc::new(Engine::from_profile(Settings::default(), &profile)?);
        let mut engines = HashMap::new();
        if profile.facts.is_empty() {
            engines.insert(profile_key(&profile), base.clone());
        }
        Ok(Profiles {
            cli,
            known: base.known_rules().to_vec(),
            configs: HashMap::new(),
            engines,
            facts: HashMap::new(),
            base,
        })
    }

    /// The engine for files with no configuration: the built-in rules with the command
    /// line's rule packs and settings.
    pub fn base(&self) -> Arc<Engine> {
        self.base.clone()
    }

    /// The config file that applies to `path` (a file, or a directory for stdin).
    pub fn config_path(&self, path: &Path) -> Option<PathBuf> {
        if self.cli.no_config {
            return None;
        }
        self.cli.config.clone().or_else(|| config::discover(path))
    }

    /// The config and engine for `path`.
    pub fn resolve(&mut self, path: &Path) -> Result<Resolved, Arc<ProfileError>> {
        let key = self.config_path(path);
        let config = match self.configs.get(&key) {
            Some(c) => c.clone(),
            None => {
                let loaded = match &key {
                    None => Ok(Arc::new(Config::default())),
                    Some(p) => Config::read(p, &self.known)
                        .map(Arc::new)
                        .map_err(|e| Arc::new(ProfileError::Config(e))),
                };
                self.configs.insert(key, loaded.clone());
                loaded
            }
        }?;
        let profile = self.profile(&config, path);
        let id = profile_key(&profile);
        let engine = match self.engines.get(&id) {
            Some(e) => e.clone(),
            None => {
                let mut engine = Engine::from_profile(Settings::default(), &profile)
                    .map_err(|e| Arc::new(ProfileError::Rules(e)))?;
                if !profile.facts.is_empty() {
                    let facts = self
                        .facts
                        .entry(profile.facts.clone())
                        .or_insert_with(|| FactSet::read_all(&profile.facts).map_err(Arc::new))
                        .clone()
                        .map_err(|e| Arc::new(ProfileError::Facts(e)))?;
                    engine = engine.with_facts(facts);
                }
                let engine = Arc::new(engine);
                self.engines.insert(id, engine.clone());
                engine
            }
        };
        Ok(Resolved { config, engine })
    }

    /// `config`'s profile for `path`, with the command line laid over it.
    pub fn profile(&self, config: &Config, path: &Path) -> Profile {
        profile_for(&self.cli, config, path)
    }
}

/// `config`'s profile for `path`, with the command line `cli` laid over it.
fn profile_for(cli: &CommandLine, config: &Config, path: &Path) -> Profile {
    let abs = absolute(path);
    let mut profile = config.profile(&abs);
    if let Some(r) = cli.rounding {
        profile.options.rounding = Some(r);
    }
    profile.rules_dir.extend(cli.rule_dirs.iter().cloned());
    profile.facts.extend(cli.facts.iter().cloned());
    profile
}

/// `path` made absolute and free of symlinks, as config globs are matched against it. A
/// path that does not exist (a `--stdin-filename`, say) is resolved through its parent
/// directory; failing that, it is made absolute without touching the file system.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(abs) = path.canonicalize() {
        return abs;
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (parent.canonicalize(), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// The cache key of a profile: two profiles with the same key build the same engine.
fn profile_key(profile: &Profile) -> String {
    serde_json::to_string(profile).unwrap_or_default()
}
