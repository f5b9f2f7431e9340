//! One file per command; each returns an [`crate::exit::ExitStatus`].

pub mod args;
pub mod check;
pub mod fix;
pub mod handlers;
pub mod init;
pub mod rule;

use std::io::IsTerminal;

use crate::exit::ExitStatus;

/// Prints an error that stops the run (bad configuration, bad flag) and gives exit 2.
pub fn fail(error: &dyn miette::Diagnostic) -> ExitStatus {
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    eprint!("{}", crate::report::render_error(error, color));
    ExitStatus::Error
}

/// Writes `bytes` and flushes: a report that could not be written (a full disk,
/// `/dev/full`) exits 2 with a message; a closed pipe (`laylint rules | head`) does not.
pub fn write_out(out: &mut dyn std::io::Write, bytes: &[u8]) -> ExitStatus {
    written(out.write_all(bytes).and_then(|()| out.flush()))
}

/// The exit status for the result of writing the output.
pub fn written(result: std::io::Result<()>) -> ExitStatus {
    match result {
        Ok(()) => ExitStatus::Success,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitStatus::Success,
        Err(e) => fail(&crate::config::ConfigError::plain(format!(
            "cannot write the output: {e}"
        ))),
    }
}
