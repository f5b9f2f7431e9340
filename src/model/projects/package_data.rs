//! What decides whether a package's data files (its `py.typed`) reach the wheel: the
//! setuptools version the build requires, setuptools `package-data` and
//! `exclude-package-data`, hatchling's and poetry-core's `exclude` (TYP002).

use crate::model::ini::IniDoc;
use crate::model::pep508;
use crate::model::tomldoc::{TomlDoc, TomlTable, TomlValue};

/// The package-data settings of one project, merged from `pyproject.toml` and `setup.cfg`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageData {
    /// `[build-system] requires` holds setuptools pinned below 69, the first release that
    /// ships `py.typed` without being told.
    pub setuptools_below_69: bool,
    /// A setuptools plugin that adds the files git tracks (`setuptools-scm`, …) is required.
    pub vcs_plugin: bool,
    /// setuptools `package-data` / `[options.package_data]`: package (`*`, `""` for all)
    /// and glob patterns.
    pub package_data: Vec<(String, Vec<String>)>,
    /// setuptools `exclude-package-data` / `[options.exclude_package_data]`.
    pub exclude_package_data: Vec<(String, Vec<String>)>,
    /// hatchling's wheel `exclude` (gitignore patterns): the wheel target's, else `[tool.hatch.build]`'s.
    pub hatch_exclude: Vec<String>,
    /// hatchling `force-include` or `artifacts`: files can come back after an exclude.
    pub hatch_reincludes: bool,
    /// poetry-core `[tool.poetry] exclude` (globs from the project folder).
    pub poetry_exclude: Vec<String>,
    /// poetry-core `[tool.poetry] include`: files can come back after an exclude.
    pub poetry_includes: bool,
    /// `setup.py` passes package data settings laylint does not read.
    pub unread_settings: bool,
}

fn string_list(value: &TomlValue) -> Vec<String> {
    value
        .as_str_list()
        .unwrap_or_default()
        .into_iter()
        .map(str::to_string)
        .collect()
}

fn table_lists(table: Option<&TomlTable>) -> Vec<(String, Vec<String>)> {
    table
        .map(|t| {
            t.entries
                .iter()
                .map(|(k, (_, v))| (k.clone(), string_list(v)))
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn from_pyproject(doc: &TomlDoc) -> PackageData {
    let requires: Vec<pep508::Requirement> = doc
        .get("build-system.requires")
        .and_then(TomlValue::as_str_list)
        .unwrap_or_default()
        .into_iter()
        .filter_map(pep508::parse)
        .collect();
    let setuptools_below_69 = requires
        .iter()
        .any(|r| r.normalised_name() == "setuptools" && r.only_below(69));
    let vcs_plugin = requires.iter().any(|r| {
        let name = r.normalised_name();
        name.starts_with("setuptools-") && name != "setuptools-rust"
    });
    let hatch_key = |key: &str| {
        doc.get(&format!("tool.hatch.build.targets.wheel.{key}"))
            .or_else(|| doc.get(&format!("tool.hatch.build.{key}")))
    };
    PackageData {
        setuptools_below_69,
        vcs_plugin,
        package_data: table_lists(
            doc.get("tool.setuptools.package-data")
                .and_then(TomlValue::as_table),
        ),
        exclude_package_data: table_lists(
            doc.get("tool.setuptools.exclude-package-data")
                .and_then(TomlValue::as_table),
        ),
        hatch_exclude: hatch_key("exclude").map(string_list).unwrap_or_default(),
        hatch_reincludes: hatch_key("force-include").is_some() || hatch_key("artifacts").is_some(),
        poetry_exclude: doc
            .get("tool.poetry.exclude")
            .map(string_list)
            .unwrap_or_default(),
        poetry_includes: doc.get("tool.poetry.include").is_some(),
        unread_settings: false,
    }
}

/// `[options.package_data]` / `[options.exclude_package_data]`: `key = a, b` per package.
pub(crate) fn from_setup_cfg(doc: &IniDoc) -> PackageData {
    let section = |name: &str| -> Vec<(String, Vec<String>)> {
        doc.section(name)
            .map(|s| {
                s.entries
                    .iter()
                    .map(|(k, v)| {
                        let patterns = v
                            .value
                            .split(['\n', ','])
                            .map(str::trim)
                            .filter(|p| !p.is_empty())
                            .map(str::to_string)
                            .collect();
                        (k.clone(), patterns)
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    PackageData {
        package_data: section("options.package_data"),
        exclude_package_data: section("options.exclude_package_data"),
        ..PackageData::default()
    }
}

impl PackageData {
    pub(crate) fn merge(&mut self, other: PackageData) {
        self.setuptools_below_69 |= other.setuptools_below_69;
        self.vcs_plugin |= other.vcs_plugin;
        self.package_data.extend(other.package_data);
        self.exclude_package_data.extend(other.exclude_package_data);
        self.hatch_exclude.extend(other.hatch_exclude);
        self.hatch_reincludes |= other.hatch_reincludes;
        self.poetry_exclude.extend(other.poetry_exclude);
        self.poetry_includes |= other.poetry_includes;
        self.unread_settings |= other.unread_settings;
    }
}
