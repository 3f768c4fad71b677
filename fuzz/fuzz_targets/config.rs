//! Fuzz target: the configuration loader (`numlint::config::Config::parse`) on arbitrary
//! text, then, when it parses, the profile of a file under it, an engine built from that
//! profile (its selection, severities, locale and vocabulary) checking a paragraph, and
//! the configuration written back as YAML.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use numlint::config::Config;
use numlint::settings::Settings;
use numlint::{Engine, SourceFile};

/// Figures, shares, sums and page furniture for the configuration to change how they read.
const TEXT: &str = "GE.23-01234\nOf the 3,415 deputies, 786 (21.02 per cent) are women. \
In the region of 1 200 som, or 55,4 per cent, went to 3 regions: 700, 300 and 100. \
The number of nationals (900) and foreigners (200) make up the 1,000 residents.\n";

fn known_rules() -> &'static [(String, String)] {
    static KNOWN: OnceLock<Vec<(String, String)>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        Engine::builtin(Settings::default())
            .expect("the built-in rules load")
            .known_rules()
            .to_vec()
    })
}

fuzz_target!(|data: &[u8]| {
    let yaml = String::from_utf8_lossy(data);
    let Ok(config) = Config::parse(Path::new("/fuzz/numlint.yaml"), &yaml, known_rules()) else {
        return;
    };
    let _ = numlint::config::to_yaml(&config);
    let profile = config.profile(Path::new("/fuzz/annex/a.txt"));
    // Rule packs are directories on disk: a fuzzed path must not make the run read them.
    if !profile.rules_dir.is_empty() {
        return;
    }
    let Ok(engine) = Engine::from_profile(Settings::default(), &profile) else {
        return;
    };
    let file = SourceFile::from_text("/fuzz/annex/a.txt", TEXT.to_string());
    let mut diagnostics = engine.check(&file);
    config.drop_ignored(&file, &mut diagnostics);
});
