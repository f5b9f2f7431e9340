//! The arguments of each command (clap derive), here so that commands do not depend on
//! the command line that dispatches to them.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::config::options::FailOn;
use crate::report::OutputFormat;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to report on; the whole repository is modelled either way.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(
        long,
        value_enum,
        env = "LAYLINT_OUTPUT_FORMAT",
        default_value = "full"
    )]
    pub output_format: OutputFormat,
    /// Rules to enable instead of the configured ones (codes, prefixes, names; comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Rules to enable in addition to the selected ones.
    #[arg(long, value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Rules to disable.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Use this configuration file instead of the one found at the root.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Exit 0 even when there are findings.
    #[arg(long)]
    pub exit_zero: bool,
    /// The lowest severity that makes the run exit 1 (default: warning).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Print the number of findings per rule instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Print the resolved settings and exit.
    #[arg(long)]
    pub show_settings: bool,
    /// Print every file laylint would model and exit.
    #[arg(long)]
    pub show_files: bool,
    /// Print every handler declaration found (tool, file:line, handler, code root, verdict) and exit.
    #[arg(long)]
    pub show_handlers: bool,
    /// When to use colour.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Print diagnostics only: no summary line.
    #[arg(long, short)]
    pub quiet: bool,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Do not honour .gitignore, .ignore and git's excludes.
    #[arg(long)]
    pub no_respect_gitignore: bool,
    /// Parse every file again; neither read nor write the cache.
    #[arg(long)]
    pub no_cache: bool,
    /// The cache folder [default: .laylint_cache at the repository root].
    #[arg(long, value_name = "DIR", env = "LAYLINT_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Apply the safe fixes, then report what remains.
    #[arg(long)]
    pub fix: bool,
    /// With `--fix` or `--diff`, apply the unsafe fixes too (they may change what the code does).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the unified diff of what `--fix` would change and change nothing (exit 1 when there is a diff).
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// With `--fix`, list each finding fixed (on standard error).
    #[arg(long)]
    pub show_fixes: bool,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// A rule code (HDL001) or name (handler-module-not-found).
    #[arg(required_unless_present = "all")]
    pub rule: Option<String>,
    /// Print the documentation of every rule.
    #[arg(long, conflicts_with = "rule")]
    pub all: bool,
    /// `text` (the documentation page) or `json` (a list of objects, with the page).
    #[arg(long, value_enum, default_value = "text")]
    pub output_format: ListFormat,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to write into (default: the current folder).
    pub path: Option<PathBuf>,
    /// Add a `[tool.laylint]` table to `pyproject.toml` instead of writing `laylint.toml`.
    #[arg(long)]
    pub pyproject: bool,
    /// Replace an existing `laylint.toml` (or `.laylint.toml`) with the starter.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// `text` (a table) or `json` (a list of objects).
    #[arg(long, value_enum, default_value = "text")]
    pub output_format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub fn enabled(self, to_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}
