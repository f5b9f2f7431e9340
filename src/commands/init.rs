//! `laylint init`: writes a commented starter configuration; never overwrites one.

use std::io::Write;
use std::path::Path;

use super::fail;
use crate::cli::InitArgs;
use crate::config::{self, ConfigError};
use crate::exit::ExitStatus;

/// Every line commented out: the file marks the root and changes nothing until edited.
pub const STARTER: &str = r#"# laylint configuration: https://github.com/laylint/laylint/blob/main/docs/configuration.md
# Every key is optional; with none set, every default-on rule runs.

# Rules to run: codes (HDL001), prefixes (HDL), rule names, or "ALL".
# select = ["LAY", "HDL", "TYP", "TST", "PAR"]
# extend-select = []
# ignore = []

# Globs (relative to this folder) left out of the walk, on top of .gitignore.
# exclude = ["legacy/**"]
# respect-gitignore = true

# The lowest severity that makes `laylint check` exit 1: "error", "warning" or "info".
# fail-on = "warning"

# [per-path-ignores]
# "scripts/**" = ["TYP003"]

# [severity]
# TYP001 = "error"
"#;

pub fn run(args: &InitArgs, out: &mut dyn Write) -> ExitStatus {
    let dir = args.path.as_deref().unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return fail(&ConfigError::plain(format!(
            "`{}` is not a folder",
            dir.display()
        )));
    }
    for name in ["laylint.toml", ".laylint.toml"] {
        let path = dir.join(name);
        // `--force` replaces the file (never what a symlink points to: the link goes).
        if args.force && !args.pyproject && path.symlink_metadata().is_ok() {
            if let Err(e) = std::fs::remove_file(&path) {
                return fail(&ConfigError::plain(format!(
                    "cannot replace `{}`: {}",
                    path.display(),
                    config::io_reason(&e)
                )));
            }
            continue;
        }
        if dir.join(name).exists() {
            return fail(
                &ConfigError::plain(format!(
                    "`{}` already exists; not overwriting it",
                    dir.join(name).display()
                ))
                .with_help("`laylint init --force` replaces it"),
            );
        }
    }
    let result = if args.pyproject {
        append_to_pyproject(dir)
    } else {
        create(&dir.join("laylint.toml"))
    };
    match result {
        Ok(path) => {
            let _ = writeln!(out, "Wrote a starter configuration to {path}");
            ExitStatus::Success
        }
        Err(error) => fail(&error),
    }
}

fn create(path: &Path) -> Result<String, ConfigError> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            ConfigError::plain(format!(
                "cannot create `{}`: {}",
                path.display(),
                config::io_reason(&e)
            ))
        })?;
    file.write_all(STARTER.as_bytes())
        .map_err(|e| ConfigError::plain(format!("cannot write `{}`: {e}", path.display())))?;
    Ok(path.display().to_string())
}

/// The starter, with its tables spelled as they must be inside `pyproject.toml`.
pub fn pyproject_starter() -> String {
    STARTER
        .replace("# [per-path-ignores]", "# [tool.laylint.per-path-ignores]")
        .replace("# [severity]", "# [tool.laylint.severity]")
}

fn append_to_pyproject(dir: &Path) -> Result<String, ConfigError> {
    let path = dir.join("pyproject.toml");
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(ConfigError::plain(format!(
                "cannot read `{}`: {}",
                path.display(),
                config::io_reason(&e)
            )));
        }
    };
    let table: toml::Table = existing.parse().map_err(|e: toml::de::Error| {
        ConfigError::plain(format!(
            "`{}` is not valid TOML: {}",
            path.display(),
            e.message()
        ))
    })?;
    if table.get("tool").and_then(|t| t.get("laylint")).is_some() {
        return Err(ConfigError::plain(format!(
            "`{}` already has a [tool.laylint] table; not changing it",
            path.display()
        )));
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str("[tool.laylint]\n");
    // Under `[tool.laylint]`, the sub-tables must be spelled in full: a bare `[severity]`,
    // once uncommented, would be a table of its own that laylint never reads.
    text.push_str(&pyproject_starter());
    std::fs::write(&path, text)
        .map_err(|e| ConfigError::plain(format!("cannot write `{}`: {e}", path.display())))?;
    Ok(path.display().to_string())
}
