//! Finding the repository root and its configuration file.

pub mod options;
pub mod settings;

use std::ops::Range;
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};

pub use options::Options;

/// Names that hold laylint configuration, in the order they are tried.
pub const CONFIG_FILES: [&str; 3] = ["laylint.toml", ".laylint.toml", "pyproject.toml"];

/// A configuration problem; the run exits 2. Points into the file when it can.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
pub struct ConfigError {
    pub message: String,
    #[source_code]
    pub src: Option<NamedSource<String>>,
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl ConfigError {
    /// A problem with no file to point into (a flag, a missing path).
    pub fn plain(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            src: None,
            span: None,
            label: String::new(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A configuration file that was read, kept so later errors can point into it.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    pub path: PathBuf,
    /// How to name the file in messages (relative to the root when inside it).
    pub display: String,
    pub text: String,
    pub options: Options,
}

impl ConfigFile {
    /// An error pointing at `span` in this file.
    pub fn error(
        &self,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> ConfigError {
        ConfigError {
            message: message.into(),
            src: Some(NamedSource::new(&self.display, self.text.clone()).with_language("TOML")),
            span: Some(span.into()),
            label: label.into(),
            help: None,
        }
    }
}

/// The repository root for `path`: the nearest folder at or above it holding `.git`,
/// `laylint.toml`, `.laylint.toml` or a `pyproject.toml` with `[tool.laylint]`;
/// failing that, `path` itself (or its folder, for a file). `path` comes from the user
/// (an editor's workspace folder, or a command-line path [`resolve_no_follow`] checked).
pub fn find_root(path: &Path) -> Result<PathBuf, ConfigError> {
    let canonical = path.canonicalize().map_err(|e| {
        ConfigError::plain(format!(
            "cannot read `{}`: {}",
            path.display(),
            io_reason(&e)
        ))
    })?;
    let start = if canonical.is_dir() {
        canonical.clone()
    } else {
        canonical
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or(canonical.clone())
    };
    if let Some(found) = start.ancestors().find(|dir| is_root_marker(dir)) {
        return Ok(found.to_path_buf());
    }
    Ok(start)
}

/// [`find_root`] for the command line: without a marker, `laylint check sub/` run from a
/// folder above `sub/` models that folder (where mypy and pytest run and read their
/// configuration), as `laylint check` run there does, so a sub-folder's diagnostics are
/// those of the whole run (mypy's module names depend on where its run starts).
pub fn find_root_from_cwd(path: &Path) -> Result<PathBuf, ConfigError> {
    let start = find_root(path)?;
    if is_root_marker(&start) {
        return Ok(start);
    }
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|dir| dir.canonicalize().ok());
    Ok(match cwd {
        Some(cwd) if start.starts_with(&cwd) => cwd,
        _ => start,
    })
}

/// The absolute form of `path` with every folder above it resolved, but not `path`
/// itself: a symlink named on the command line (pre-commit passes the names of changed
/// files, which a pull request chooses) is the symlink, not what it points at.
pub fn resolve_no_follow(path: &Path) -> Result<PathBuf, ConfigError> {
    let cannot = |e: std::io::Error| {
        ConfigError::plain(format!(
            "cannot read `{}`: {}",
            path.display(),
            io_reason(&e)
        ))
    };
    let resolved = match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            parent.canonicalize().map_err(cannot)?.join(name)
        }
        _ => path.canonicalize().map_err(cannot)?,
    };
    std::fs::symlink_metadata(&resolved).map_err(cannot)?;
    Ok(resolved)
}

fn is_root_marker(dir: &Path) -> bool {
    let exists = |name: &str| std::fs::symlink_metadata(dir.join(name)).is_ok();
    exists(".git")
        || exists("laylint.toml")
        || exists(".laylint.toml")
        || read_config_text(&dir.join("pyproject.toml"))
            .ok()
            .flatten()
            .and_then(|text| text.parse::<toml::Table>().ok())
            .is_some_and(|table| table.get("tool").and_then(|t| t.get("laylint")).is_some())
}

/// The most of a configuration file laylint reads.
pub const MAX_CONFIG_SIZE: u64 = crate::model::MAX_PARSE_SIZE;

/// A configuration file's text: never through a symlink, never blocking on a FIFO, at
/// most [`MAX_CONFIG_SIZE`]. `None` when there is no such file.
pub fn read_config_text(path: &Path) -> Result<Option<String>, String> {
    match crate::safefs::read_path(path, MAX_CONFIG_SIZE) {
        Ok(capped) if capped.truncated => Err(format!(
            "it is larger than {} MiB",
            MAX_CONFIG_SIZE / (1024 * 1024)
        )),
        Ok(capped) => String::from_utf8(capped.bytes)
            .map(Some)
            .map_err(|e| format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to())),
        Err(crate::safefs::OpenError::Missing) => Ok(None),
        Err(crate::safefs::OpenError::NotRegular) => Err(
            "it is not a regular file (configuration is never read through a symlink, from a FIFO or a device)"
                .into(),
        ),
        Err(error) => Err(error.reason()),
    }
}

/// Loads the configuration: `explicit` (from `--config`) or the first file found at the root.
pub fn load(root: &Path, explicit: Option<&Path>) -> Result<Option<ConfigFile>, ConfigError> {
    if let Some(path) = explicit {
        let cannot = |why: String| {
            ConfigError::plain(format!(
                "cannot read config file `{}`: {why}",
                path.display()
            ))
        };
        let text = read_config_text(path)
            .map_err(cannot)?
            .ok_or_else(|| cannot("no such file or folder".into()))?;
        let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
        return parse(path, root, text, is_pyproject).map(|file| {
            Some(file.unwrap_or_else(|| ConfigFile {
                path: path.to_path_buf(),
                display: path.display().to_string(),
                text: String::new(),
                options: Options::default(),
            }))
        });
    }
    for name in CONFIG_FILES {
        let path = root.join(name);
        let is_pyproject = name == "pyproject.toml";
        let text = match read_config_text(&path) {
            Ok(Some(text)) => text,
            Ok(None) => continue,
            // A `pyproject.toml` laylint cannot read is reported by the rules (PAR001);
            // it may not hold laylint's configuration at all.
            Err(_) if is_pyproject => continue,
            Err(why) => {
                return Err(ConfigError::plain(format!(
                    "cannot read config file `{name}`: {why}"
                )));
            }
        };
        if let Some(file) = parse(&path, root, text, is_pyproject)? {
            return Ok(Some(file));
        }
    }
    Ok(None)
}

/// Parses one file; a `pyproject.toml` without `[tool.laylint]` gives `None`.
fn parse(
    path: &Path,
    root: &Path,
    text: String,
    is_pyproject: bool,
) -> Result<Option<ConfigFile>, ConfigError> {
    let display = path
        .strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string();
    let mut file = ConfigFile {
        path: path.to_path_buf(),
        display,
        text,
        options: Options::default(),
    };
    let parsed = if is_pyproject {
        if !file
            .text
            .lines()
            .any(|line| line.trim_start().starts_with("[tool.laylint"))
        {
            // Quick exit; a dotted `tool.laylint.x = …` form is still found below.
            match toml::from_str::<options::Pyproject>(&file.text) {
                Ok(pyproject) => pyproject.tool.and_then(|t| t.laylint).map(Ok),
                Err(_) => None,
            }
        } else {
            Some(
                toml::from_str::<options::Pyproject>(&file.text)
                    .map(|p| p.tool.and_then(|t| t.laylint).unwrap_or_default()),
            )
        }
    } else {
        Some(toml::from_str::<Options>(&file.text))
    };
    match parsed {
        None => Ok(None),
        Some(Ok(options)) => {
            file.options = options;
            Ok(Some(file))
        }
        Some(Err(error)) => {
            let span = error.span().unwrap_or(0..0);
            let message = error.message().trim_end().to_string();
            Err(file.error(
                span,
                format!("invalid configuration in `{}`: {message}", file.display),
                "here",
            ))
        }
    }
}

pub fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => error.to_string(),
    }
}
