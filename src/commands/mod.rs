//! One file per command; each returns an [`crate::exit::ExitStatus`].

pub mod check;
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
