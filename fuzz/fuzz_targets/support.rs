//! Shared by the harnesses: an in-memory repository (nothing touches the disk).

use laylint::model::Repo;
use laylint::paths::RelPath;

/// A minimal SAM template whose handler is `app.handler` in the template's folder.
#[allow(dead_code)]
pub const TEMPLATE: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      CodeUri: .\n      Handler: app.handler\n";

/// A repository holding exactly `files`.
pub fn repo(files: &[(&str, &str)]) -> Repo {
    let files = files
        .iter()
        .filter_map(|(path, text)| Some((RelPath::parse(path).ok()?, text.to_string())))
        .collect();
    Repo::from_sources(std::path::PathBuf::from("/nonexistent-fuzz-root"), files)
}
