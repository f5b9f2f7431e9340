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
        if dir.join(name).exists() {
            return fail(&ConfigError::plain(format!(
                "`{}` already exists; not overwriting it",
                dir.join(name).display()
            )));
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
    text.push_str(STARTER);
    std::fs::write(&path, text)
        .map_err(|e| ConfigError::plain(format!("cannot write `{}`: {e}", path.display())))?;
    Ok(path.display().to_string())
}
