//! Exit codes are a public contract: 0 clean, 1 findings, 2 the run could not be made.

use std::process::ExitCode;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// No findings at or above `fail-on`, or `--exit-zero`.
    Success,
    /// Findings at or above `fail-on`.
    Failure,
    /// The run could not be made: bad arguments, bad configuration, unreadable root.
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        match status {
            ExitStatus::Success => ExitCode::from(0),
            ExitStatus::Failure => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
        }
    }
}
