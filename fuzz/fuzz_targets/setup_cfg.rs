//! Fuzzes setup.cfg reading (projects, mypy settings): arbitrary text in an in-memory repository.
#![no_main]

use libfuzzer_sys::fuzz_target;
use laylint::model::Repo;
use laylint::paths::RelPath;

#[allow(dead_code)]
const TEMPLATE: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      CodeUri: .\n      Handler: app.handler\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let files: Vec<(RelPath, String)> = [("setup.cfg", text), ("layer/shared/__init__.py", "")]
        .iter()
        .filter_map(|(path, text)| Some((RelPath::parse(path).ok()?, text.to_string())))
        .collect();
    let repo = Repo::from_sources(std::path::PathBuf::from("/nonexistent-fuzz-root"), files);
    let _ = repo.projects();
    let _ = repo.mypy_modules();
});
