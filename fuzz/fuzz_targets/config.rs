//! Fuzzes configuration loading: `laylint.toml` text resolved into settings.
#![no_main]

use libfuzzer_sys::fuzz_target;
use laylint::config::settings::{Overrides, Settings};
use laylint::config::{ConfigFile, Options};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(options) = toml::from_str::<Options>(text) else { return };
    let file = ConfigFile { path: "laylint.toml".into(), display: "laylint.toml".into(), text: text.to_string(), options };
    let _ = Settings::resolve(std::path::PathBuf::from("/nonexistent-fuzz-root"), Some(file), &Overrides::default());
});
