//! `laylint init`: writes a commented starter configuration; never overwrites one.

use std::io::Write;
use std::path::Path;

use super::args::InitArgs;
use super::fail;
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
        if std::fs::symlink_metadata(&path).is_err() {
            continue;
        }
        // `--force` replaces the file (never what a symlink points to: the link goes).
        if args.force && !args.pyproject {
            if let Err(e) = std::fs::remove_file(&path) {
                return fail(&ConfigError::plain(format!(
                    "cannot replace `{}`: {}",
                    path.display(),
                    config::io_reason(&e)
                )));
            }
            continue;
        }
        return fail(
            &ConfigError::plain(format!(
                "`{}` already exists; not overwriting it",
                path.display()
            ))
            .with_help("`laylint init --force` replaces it"),
        );
    }
    let result = if args.pyproject {
        append_to_pyproject(dir)
    } else {
        create(&dir.join("laylint.toml"))
    };
    match result {
        Ok(path) => match writeln!(out, "Wrote a starter configuration to {path}")
            .and_then(|()| out.flush())
        {
            Ok(()) => ExitStatus::Success,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitStatus::Success,
            Err(e) => fail(&ConfigError::plain(format!(
                "wrote {path}, but cannot write to standard output: {e}"
            ))),
        },
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
    // Never through a symlink (it could point anywhere), never from a FIFO, capped.
    let existing = config::read_config_text(&path)
        .map_err(|why| {
            ConfigError::plain(format!(
                "cannot read `{}`: {why}; not changing it",
                path.display()
            ))
        })?
        .unwrap_or_default();
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
    replace(&path, &text)?;
    Ok(path.display().to_string())
}

/// Writes `text` to `path` atomically: a new file beside it (never an existing one, so
/// never through a symlink), then renamed over it (a rename replaces a symlink itself).
fn replace(path: &Path, text: &str) -> Result<(), ConfigError> {
    let cannot = |e: std::io::Error| {
        ConfigError::plain(format!(
            "cannot write `{}`: {}",
            path.display(),
            config::io_reason(&e)
        ))
    };
    let temp = path.with_file_name(format!(".pyproject.toml.laylint-{}", std::process::id()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .map_err(cannot)?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            if let Ok(meta) = std::fs::symlink_metadata(path)
                && meta.is_file()
            {
                file.set_permissions(meta.permissions())?;
            }
            std::fs::rename(&temp, path)
        });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(cannot(e));
    }
    Ok(())
}
