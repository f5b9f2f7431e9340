//! Command-line arguments (clap derive only) and the dispatch to each command.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands;
pub use crate::commands::args::{
    CheckArgs, ColorChoice, InitArgs, ListFormat, RuleArgs, RulesArgs,
};
use crate::exit::ExitStatus;

/// A linter for the layout and wiring of Python AWS serverless repositories.
#[derive(Debug, Parser)]
#[command(name = "laylint", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint the repository that contains PATH (default: the current folder).
    Check(CheckArgs),
    /// Print a rule's documentation.
    Rule(RuleArgs),
    /// List every rule: code, name, group, severity, default, fixable.
    Rules(RulesArgs),
    /// Write a commented starter `laylint.toml` (or a `[tool.laylint]` table in pyproject.toml).
    Init(InitArgs),
    /// Run a language server on stdin/stdout, for editors (see docs/editors.md).
    Server,
}

/// Parses arguments, runs the command, and maps every outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return match error.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitStatus::Error.into(),
            };
        }
    };
    if let Command::Server = cli.command {
        // The server owns stdout for the protocol: nothing else may lock it.
        return crate::server::run().into();
    }
    let stdout = std::io::stdout();
    let is_terminal = stdout.is_terminal();
    let mut out = stdout.lock();
    let status = match cli.command {
        Command::Check(args) => commands::check::run(&args, is_terminal, &mut out),
        Command::Rule(args) => commands::rule::run(&args, &mut out),
        Command::Rules(args) => commands::rule::list(&args, &mut out),
        Command::Init(args) => commands::init::run(&args, &mut out),
        Command::Server => crate::server::run(),
    };
    let _ = out.flush();
    status.into()
}
