//! mypy's own settings, found and read the way mypy does when run at the repository root.
//!
//! The first of `mypy.ini`, `.mypy.ini`, `pyproject.toml` with `[tool.mypy]` and
//! `setup.cfg` with `[mypy]` wins; mypy never merges them. A `mypy.ini` without a
//! `[mypy]` section still wins (mypy only requires the section in the shared files),
//! and a file that does not parse is skipped, as mypy skips it after printing the error.

use std::ops::Range;

use super::pyregex::{PythonRegex, compile_python_regex};
use crate::model::Repo;
use crate::model::ini::IniSection;
use crate::model::tomldoc::{TomlKind, TomlTable, TomlValue};
use crate::paths::RelPath;

/// A setting's value and where it is written (file and span), so diagnostics can point at it.
#[derive(Debug, Clone)]
pub struct Setting<T> {
    pub value: T,
    pub path: RelPath,
    pub span: Range<usize>,
}

/// One `exclude` pattern: the Python regex as written and its translation.
#[derive(Debug, Clone)]
pub struct ExcludePattern {
    pub source: String,
    /// `Err` holds why laylint cannot evaluate the pattern (it is then treated as matching nothing).
    pub regex: Result<PythonRegex, String>,
}

/// The settings that decide which files mypy checks and under which module names.
#[derive(Debug, Clone)]
pub struct MypySettings {
    /// The configuration file mypy would use, if any.
    pub config: Option<RelPath>,
    /// `files`, split on commas (INI) or as a list (TOML), not yet glob-expanded.
    pub files: Option<Setting<Vec<String>>>,
    pub exclude: Option<Setting<Vec<ExcludePattern>>>,
    pub mypy_path: Option<Setting<Vec<String>>>,
    pub explicit_package_bases: Option<Setting<bool>>,
    pub namespace_packages: Option<Setting<bool>>,
}

/// The files mypy reads its settings from, at the root, in the order it tries them.
pub const CONFIG_FILES: [&str; 4] = ["mypy.ini", ".mypy.ini", "pyproject.toml", "setup.cfg"];

impl MypySettings {
    fn empty(config: Option<RelPath>) -> Self {
        Self {
            config,
            files: None,
            exclude: None,
            mypy_path: None,
            explicit_package_bases: None,
            namespace_packages: None,
        }
    }

    pub fn explicit_package_bases(&self) -> bool {
        self.explicit_package_bases
            .as_ref()
            .is_some_and(|setting| setting.value)
    }

    /// `namespace_packages` defaults to true since mypy 0.991.
    pub fn namespace_packages(&self) -> bool {
        self.namespace_packages
            .as_ref()
            .is_none_or(|setting| setting.value)
    }

    /// Finds and reads mypy's configuration at the repository root, trying
    /// [`CONFIG_FILES`] in order.
    pub fn discover(repo: &Repo) -> Self {
        let [mypy_ini, dot_mypy_ini, pyproject, setup_cfg] = CONFIG_FILES;
        for name in [mypy_ini, dot_mypy_ini] {
            let path = RelPath::root().child(name);
            if !repo.files.is_file(&path) {
                continue;
            }
            if let Some(doc) = repo.ini(&path) {
                return match doc.section("mypy") {
                    Some(section) => Self::from_ini(path, section),
                    None => Self::empty(Some(path)),
                };
            }
        }
        let pyproject = RelPath::root().child(pyproject);
        if repo.files.is_file(&pyproject)
            && let Some(table) = repo
                .toml(&pyproject)
                .and_then(|doc| doc.get("tool.mypy").and_then(|v| v.as_table()).cloned())
        {
            return Self::from_toml(pyproject, &table);
        }
        let setup_cfg = RelPath::root().child(setup_cfg);
        if repo.files.is_file(&setup_cfg)
            && let Some(section) = repo
                .ini(&setup_cfg)
                .and_then(|doc| doc.section("mypy").cloned())
        {
            return Self::from_ini(setup_cfg, &section);
        }
        Self::empty(None)
    }

    fn from_ini(path: RelPath, section: &IniSection) -> Self {
        let mut settings = Self::empty(Some(path.clone()));
        let setting = |key: &str| {
            section.get(key).map(|entry| {
                let span = entry.key_span.start..entry.value_span.end.max(entry.key_span.end);
                (entry.value.as_str(), span)
            })
        };
        if let Some((value, span)) = setting("files") {
            let items = split_trailing_empty(value.split(','))
                .map(|item| item.trim().to_string())
                .collect();
            settings.files = Some(Setting::new(items, &path, span));
        }
        if let Some((value, span)) = setting("exclude") {
            // INI: the whole value is one regex (often multi-line in `(?x)` mode).
            let patterns = vec![ExcludePattern::new(value.trim())];
            settings.exclude = Some(Setting::new(patterns, &path, span));
        }
        if let Some((value, span)) = setting("mypy_path") {
            let items = value
                .split([',', ':'])
                .map(|item| item.trim().to_string())
                .collect();
            settings.mypy_path = Some(Setting::new(items, &path, span));
        }
        for (key, inverted, field) in bool_keys() {
            if let Some((value, span)) = setting(key)
                && let Some(flag) = parse_bool(value)
            {
                *field(&mut settings) = Some(Setting::new(flag != inverted, &path, span));
            }
        }
        settings
    }

    fn from_toml(path: RelPath, table: &TomlTable) -> Self {
        let mut settings = Self::empty(Some(path.clone()));
        let setting = |key: &str| {
            let value = table.get(key)?;
            let key_span = table.key_span(key).unwrap_or(value.span.clone());
            Some((value, key_span.start.min(value.span.start)..value.span.end))
        };
        if let Some((value, span)) = setting("files")
            && let Some(items) = toml_list(value, ",")
        {
            settings.files = Some(Setting::new(items, &path, span));
        }
        if let Some((value, span)) = setting("exclude") {
            let patterns = match &value.kind {
                TomlKind::String(s) => [s.trim()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .map(ExcludePattern::new)
                    .collect(),
                _ => value
                    .as_str_list()
                    .unwrap_or_default()
                    .into_iter()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(ExcludePattern::new)
                    .collect(),
            };
            settings.exclude = Some(Setting::new(patterns, &path, span));
        }
        if let Some((value, span)) = setting("mypy_path")
            && let Some(items) = toml_list(value, ",:")
        {
            settings.mypy_path = Some(Setting::new(items, &path, span));
        }
        for (key, inverted, field) in bool_keys() {
            if let Some((value, span)) = setting(key) {
                let flag = match &value.kind {
                    TomlKind::Boolean(b) => Some(*b),
                    TomlKind::String(s) => parse_bool(s),
                    TomlKind::Integer(i) => parse_bool(&i.to_string()),
                    _ => None,
                };
                if let Some(flag) = flag {
                    *field(&mut settings) = Some(Setting::new(flag != inverted, &path, span));
                }
            }
        }
        settings
    }
}

type BoolField = fn(&mut MypySettings) -> &mut Option<Setting<bool>>;

/// Boolean keys and their `no_` inversions, as mypy's config parser accepts them.
fn bool_keys() -> [(&'static str, bool, BoolField); 4] {
    [
        ("explicit_package_bases", false, |s| {
            &mut s.explicit_package_bases
        }),
        ("no_explicit_package_bases", true, |s| {
            &mut s.explicit_package_bases
        }),
        ("namespace_packages", false, |s| &mut s.namespace_packages),
        ("no_namespace_packages", true, |s| &mut s.namespace_packages),
    ]
}

impl<T> Setting<T> {
    fn new(value: T, path: &RelPath, span: Range<usize>) -> Self {
        Self {
            value,
            path: path.clone(),
            span,
        }
    }
}

impl ExcludePattern {
    fn new(source: &str) -> Self {
        Self {
            source: source.to_string(),
            regex: compile_python_regex(source),
        }
    }
}

/// configparser's boolean states (case-insensitive); anything else is ignored, as mypy does.
fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "yes" | "true" | "on" => Some(true),
        "0" | "no" | "false" | "off" => Some(false),
        _ => None,
    }
}

/// Drops one trailing empty item, as mypy's `split_commas` / `try_split` do.
fn split_trailing_empty<'a>(items: impl Iterator<Item = &'a str>) -> impl Iterator<Item = &'a str> {
    let mut items: Vec<&str> = items.collect();
    if items.last().is_some_and(|last| last.trim().is_empty()) {
        items.pop();
    }
    items.into_iter()
}

/// A TOML string split on `separators`, or a list of strings (mypy's `try_split`).
fn toml_list(value: &TomlValue, separators: &str) -> Option<Vec<String>> {
    match &value.kind {
        TomlKind::String(s) => Some(
            split_trailing_empty(s.split(|c| separators.contains(c)))
                .map(|item| item.trim().to_string())
                .collect(),
        ),
        TomlKind::Array(items) => items
            .iter()
            .map(|item| item.as_str().map(|s| s.trim().to_string()))
            .collect(),
        _ => None,
    }
}
