//! pytest's configuration, the one place that knows where pytest finds it and what the
//! options laylint reads mean. In a folder pytest looks at `pytest.toml`,
//! `.pytest.toml`, `pytest.ini`, `.pytest.ini`, `pyproject.toml` with `[tool.pytest]` or
//! `[tool.pytest.ini_options]`, `tox.ini` with `[pytest]` and `setup.cfg` with
//! `[tool:pytest]`, in that order; the first one gives the configuration and its folder
//! is the rootdir. `addopts` is split like a shell line and read like pytest's command
//! line (`--import-mode=importlib`, `--import-mode importlib`, `-p`, `--rootdir`,
//! `--ignore`); the last occurrence of an option wins.

use super::Repo;
use super::tomldoc::{TomlKind, TomlValue};
use crate::paths::RelPath;

/// How pytest imports test modules and `conftest.py` files (`--import-mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImportMode {
    /// The default: the module's basedir is put first on `sys.path`, the module is
    /// imported by its name from there.
    #[default]
    Prepend,
    /// The basedir is put last on `sys.path`.
    Append,
    /// Imported by file path, `sys.path` untouched.
    Importlib,
}

/// One pytest configuration: what laylint reads of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PytestConfig {
    /// The file that sets it, if any.
    pub config: Option<RelPath>,
    pub python_files: Vec<String>,
    pub python_functions: Vec<String>,
    pub python_classes: Vec<String>,
    /// From `addopts`.
    pub import_mode: ImportMode,
    /// `-p NAME` in `addopts`, `no:` ones included.
    pub plugins: Vec<String>,
    /// `--rootdir` in `addopts`.
    pub rootdir: Option<String>,
    /// `--ignore` / `--ignore-glob` in `addopts`, as written.
    pub ignore: Vec<String>,
    pub ignore_glob: Vec<String>,
    /// `pythonpath` (and the older plugin's `python_paths`), relative to the file's folder.
    pub pythonpath: Vec<String>,
    /// `testpaths`, relative to the rootdir (globs allowed).
    pub testpaths: Vec<String>,
    /// `norecursedirs`, or pytest's default.
    pub norecursedirs: Vec<String>,
    /// `consider_namespace_packages = true`: module names then depend on what is
    /// installed, and laylint does not predict them.
    pub namespace_packages: bool,
}

impl Default for PytestConfig {
    fn default() -> Self {
        Self {
            config: None,
            python_files: vec!["test_*.py".into(), "*_test.py".into()],
            python_functions: vec!["test".into()],
            python_classes: vec!["Test".into()],
            import_mode: ImportMode::Prepend,
            plugins: Vec::new(),
            rootdir: None,
            ignore: Vec::new(),
            ignore_glob: Vec::new(),
            pythonpath: Vec::new(),
            testpaths: Vec::new(),
            norecursedirs: [
                "*.egg",
                ".*",
                "_darcs",
                "build",
                "CVS",
                "dist",
                "node_modules",
                "venv",
                "{arch}",
            ]
            .map(String::from)
            .to_vec(),
            namespace_packages: false,
        }
    }
}

impl PytestConfig {
    /// The folder pytest runs from for this configuration (its rootdir): the file's folder,
    /// or the repository root when nothing configures pytest.
    pub fn dir(&self) -> RelPath {
        self.config
            .as_ref()
            .and_then(RelPath::parent)
            .unwrap_or_default()
    }
}

/// The files that may configure pytest, in the order pytest looks at them in a folder.
pub const CONFIG_FILES: [&str; 7] = [
    "pytest.toml",
    ".pytest.toml",
    "pytest.ini",
    ".pytest.ini",
    "pyproject.toml",
    "tox.ini",
    "setup.cfg",
];

/// The configuration pytest takes from `dir`, if a file there holds one.
pub(crate) fn read_config(repo: &Repo, dir: &RelPath) -> Option<PytestConfig> {
    for name in ["pytest.toml", ".pytest.toml"] {
        let path = dir.child(name);
        if repo.files.is_file(&path) {
            let table = repo
                .toml(&path)
                .and_then(|doc| doc.get("pytest").and_then(|v| v.as_table()).cloned())
                .unwrap_or_default();
            return Some(from_values(path, |key| table.get(key).and_then(toml_words)));
        }
    }
    for name in ["pytest.ini", ".pytest.ini"] {
        let path = dir.child(name);
        if repo.files.is_file(&path) {
            let section = repo
                .ini(&path)
                .and_then(|doc| doc.section("pytest").cloned());
            return Some(from_values(path, |key| {
                section.as_ref()?.get(key).map(|v| shell_words(&v.value))
            }));
        }
    }
    let pyproject = dir.child("pyproject.toml");
    if repo.files.is_file(&pyproject)
        && let Some(doc) = repo.toml(&pyproject)
        && let Some(tool) = doc.get("tool.pytest").and_then(|v| v.as_table())
    {
        let ini = tool.get("ini_options").and_then(|v| v.as_table());
        let native = tool.entries.iter().any(|(key, _)| key != "ini_options");
        if native || ini.is_some() {
            let table = if native { Some(tool) } else { ini };
            return Some(from_values(pyproject, |key| {
                table?.get(key).and_then(toml_words)
            }));
        }
    }
    for (name, section) in [("tox.ini", "pytest"), ("setup.cfg", "tool:pytest")] {
        let path = dir.child(name);
        if repo.files.is_file(&path)
            && let Some(section) = repo
                .ini(&path)
                .and_then(|doc| doc.section(section).cloned())
        {
            return Some(from_values(path, |key| {
                section.get(key).map(|v| shell_words(&v.value))
            }));
        }
    }
    None
}

fn from_values(path: RelPath, get: impl Fn(&str) -> Option<Vec<String>>) -> PytestConfig {
    let defaults = PytestConfig::default();
    let mut pythonpath = get("pythonpath").unwrap_or_default();
    pythonpath.extend(get("python_paths").unwrap_or_default());
    let mut config = PytestConfig {
        config: Some(path),
        python_files: get("python_files").unwrap_or(defaults.python_files),
        python_functions: get("python_functions").unwrap_or(defaults.python_functions),
        python_classes: get("python_classes").unwrap_or(defaults.python_classes),
        pythonpath,
        testpaths: get("testpaths").unwrap_or_default(),
        norecursedirs: get("norecursedirs").unwrap_or(defaults.norecursedirs),
        namespace_packages: get("consider_namespace_packages")
            .is_some_and(|words| words.iter().any(|w| w.eq_ignore_ascii_case("true"))),
        ..defaults
    };
    read_addopts(&mut config, &get("addopts").unwrap_or_default());
    config
}

/// Reads the options laylint needs from `addopts` (already split into words).
fn read_addopts(config: &mut PytestConfig, words: &[String]) {
    let mut words = words.iter();
    while let Some(word) = words.next() {
        let (option, inline) = match word.split_once('=') {
            Some((option, value)) if option.starts_with("--") => (option, Some(value.to_string())),
            _ => (word.as_str(), None),
        };
        let mut value = |inline: Option<String>| inline.or_else(|| words.next().cloned());
        match option {
            "--import-mode" => {
                config.import_mode = match value(inline).as_deref() {
                    Some("importlib") => ImportMode::Importlib,
                    Some("append") => ImportMode::Append,
                    _ => ImportMode::Prepend,
                }
            }
            "--rootdir" => config.rootdir = value(inline),
            "--ignore" => config.ignore.extend(value(inline)),
            "--ignore-glob" => config.ignore_glob.extend(value(inline)),
            "-p" => config.plugins.extend(value(None)),
            _ if option.starts_with("-p") && !option.starts_with("--") => {
                config.plugins.push(option[2..].to_string());
            }
            _ => {}
        }
    }
}

fn toml_words(value: &TomlValue) -> Option<Vec<String>> {
    match &value.kind {
        TomlKind::String(s) => Some(shell_words(s)),
        TomlKind::Boolean(b) => Some(vec![b.to_string()]),
        TomlKind::Array(items) => items
            .iter()
            .map(|item| item.as_str().map(str::to_string))
            .collect(),
        _ => None,
    }
}

/// `shlex.split` for the values pytest reads: whitespace separates words, quotes group.
fn shell_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            None => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addopts(line: &str) -> PytestConfig {
        let mut config = PytestConfig::default();
        read_addopts(&mut config, &shell_words(line));
        config
    }

    #[test]
    fn shell_words_like_python() {
        assert_eq!(shell_words(" a  'b c' d"), ["a", "b c", "d"]);
    }

    #[test]
    fn import_mode_in_both_spellings_the_last_winning() {
        assert_eq!(
            addopts("-q --import-mode=importlib").import_mode,
            ImportMode::Importlib
        );
        assert_eq!(
            addopts("--import-mode importlib -x").import_mode,
            ImportMode::Importlib
        );
        assert_eq!(
            addopts("--import-mode=importlib --import-mode=append").import_mode,
            ImportMode::Append
        );
        assert_eq!(addopts("-ra").import_mode, ImportMode::Prepend);
    }

    #[test]
    fn plugins_rootdir_and_ignores() {
        let config = addopts("-p no:cacheprovider -pxdist --rootdir=.. --ignore build");
        assert_eq!(config.plugins, ["no:cacheprovider", "xdist"]);
        assert_eq!(config.rootdir.as_deref(), Some(".."));
        assert_eq!(config.ignore, ["build"]);
    }
}
