//! Fuzz target: the YAML rule loader (`numlint::rules::load::load_file`) on arbitrary
//! text, then, when the file loads, its patterns over a paragraph of report text (alone,
//! and as a rule pack over the built-in rules), so that a pattern that matches slowly
//! shows up as a timeout.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use numlint::SourceFile;
use numlint::rules::RuleSet;
use numlint::rules::load::load_file;
use numlint::settings::Settings;

/// Sentences with every kind of figure the patterns capture.
const TEXT: &str = "Of the 3,415 deputies, 786 (21.02 per cent) are women, and 2,629 are men. \
The number of schools rose from 7,500 in 2019 to 7,900 in 2021, an increase of 5.3 per cent; \
spending was 246.5 million tenge (US$ 0.6 million), about one third of the total. \
Kazakhstan ranked 62nd in 2020, up from 65th in 2019. Unemployment fell by 0.4 percentage \
points to 4.8% between 2020 and 2022, while the birth rate was 21.8 per 1,000 people. \
On Monday, 5 May 2020, six of the ten regions (60 per cent) reported; women, men and \
children: 1,200, 900 and 400, in total 2,500.\n";

fn builtin() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("the built-in rules load"))
}

fuzz_target!(|data: &[u8]| {
    let yaml = String::from_utf8_lossy(data);
    let Ok(family) = load_file("fuzz.yaml", &yaml) else {
        return;
    };
    let figures = numlint::figures::scan(TEXT);
    let _ = numlint::claims::extract_from_text(TEXT, &figures, &[family.patterns]);
    let mut rules = builtin().clone();
    if rules.add_pack("fuzz.yaml", &yaml).is_ok() {
        let file = SourceFile::from_text("fuzz.txt", TEXT.to_string());
        let _ = rules.check(&file, &Settings::default());
    }
});
