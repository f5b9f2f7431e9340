//! The paths an explicit package selection names, with where each is written: what the
//! build backend joins to the project folder and stops (or builds an empty wheel) on
//! when it does not exist (LAY005).
//!
//! - poetry-core: `[tool.poetry] packages = [{ include, from }]` (the glob-free start of
//!   `include` under `from`; items built for the sdist only are left out);
//! - hatchling: `packages` and `only-include` of `[tool.hatch.build.targets.wheel]` and of
//!   `[tool.hatch.build]`;
//! - setuptools: `[tool.setuptools] package-dir` folders, `packages` (top-level names
//!   mapped through `package-dir`), `packages.find.where`; `setup.cfg` `[options]`
//!   `package_dir`, `packages`, `[options.packages.find] where`.

use std::ops::Range;

use super::pyproject::setuptools_named;
use crate::model::ini::IniDoc;
use crate::model::tomldoc::{TomlDoc, TomlKind, TomlValue};

/// A named path relative to the project folder, the span of its value, and the setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NamedPath {
    pub path: String,
    pub span: Range<usize>,
    pub key: &'static str,
}

fn named(path: &str, span: Range<usize>, key: &'static str) -> Option<NamedPath> {
    let path = clean(path)?;
    Some(NamedPath { path, span, key })
}

/// `./a//b/` -> `a/b`; `None` for the project folder itself or an absolute path.
fn clean(path: &str) -> Option<String> {
    // hatchling reads `/src/pkg` relative to the project root, as the split below does.
    let parts: Vec<&str> = path
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    (!parts.is_empty() && !path.contains('\\')).then(|| parts.join("/"))
}

fn has_glob(text: &str) -> bool {
    text.contains(['*', '?', '[', '{'])
}

/// The string items of a TOML array (or one string), with their spans.
fn strings(value: &TomlValue) -> Vec<(&str, Range<usize>)> {
    match &value.kind {
        TomlKind::String(s) => vec![(s.as_str(), value.span.clone())],
        TomlKind::Array(items) => items
            .iter()
            .filter_map(|i| Some((i.as_str()?, i.span.clone())))
            .collect(),
        _ => Vec::new(),
    }
}

pub(crate) fn pyproject(doc: &TomlDoc) -> Vec<NamedPath> {
    let mut out = Vec::new();
    if let Some(items) = doc
        .get("tool.poetry.packages")
        .and_then(TomlValue::as_array)
    {
        for item in items.iter().filter_map(TomlValue::as_table) {
            out.extend(poetry_item(item));
        }
    }
    for (table, packages_key, only_key) in [
        (
            "tool.hatch.build.targets.wheel",
            "[tool.hatch.build.targets.wheel] packages",
            "[tool.hatch.build.targets.wheel] only-include",
        ),
        (
            "tool.hatch.build",
            "[tool.hatch.build] packages",
            "[tool.hatch.build] only-include",
        ),
    ] {
        for (key, label) in [("packages", packages_key), ("only-include", only_key)] {
            if let Some(value) = doc.get(&format!("{table}.{key}")) {
                for (text, span) in strings(value) {
                    if !has_glob(text) {
                        out.extend(named(text, span, label));
                    }
                }
            }
        }
    }
    if let Some(table) = doc.get("tool.setuptools").and_then(TomlValue::as_table) {
        out.extend(setuptools(table));
    }
    out
}

fn poetry_item(item: &crate::model::tomldoc::TomlTable) -> Option<NamedPath> {
    let wheel = match item.get("format").map(strings) {
        None => true,
        Some(formats) => formats.iter().any(|(f, _)| *f == "wheel"),
    };
    if !wheel {
        return None;
    }
    let include = item.get("include")?;
    let text = include.as_str()?;
    let prefix: Vec<&str> = text
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .take_while(|c| !has_glob(c))
        .collect();
    let from = item.get("from");
    let from_text = from.and_then(TomlValue::as_str).unwrap_or("");
    if prefix.is_empty() {
        // `include = "*.py"`: only the `from` folder is named.
        let from = from?;
        return named(
            from_text,
            from.span.clone(),
            "[tool.poetry] packages `from`",
        );
    }
    let path = format!("{}/{}", from_text.trim_end_matches('/'), prefix.join("/"));
    named(&path, include.span.clone(), "[tool.poetry] packages")
}

fn setuptools(table: &crate::model::tomldoc::TomlTable) -> Vec<NamedPath> {
    let mut out = Vec::new();
    let mut package_dir: Vec<(String, String)> = Vec::new();
    if let Some(dirs) = table.get("package-dir").and_then(TomlValue::as_table) {
        for (key, (_, value)) in &dirs.entries {
            if let Some(dir) = value.as_str() {
                package_dir.push((key.clone(), dir.to_string()));
                out.extend(named(
                    dir,
                    value.span.clone(),
                    "[tool.setuptools] package-dir",
                ));
            }
        }
    }
    match table.get("packages").map(|v| (v, &v.kind)) {
        Some((value, TomlKind::Array(_))) => {
            for (name, span) in strings(value) {
                for selected in setuptools_named(&[name], &package_dir, false) {
                    out.extend(named(
                        &selected.path,
                        span.clone(),
                        "[tool.setuptools] packages",
                    ));
                }
            }
        }
        Some((_, TomlKind::Table(packages))) => {
            if let Some(wheres) = packages.get_path(&["find", "where"]) {
                for (dir, span) in strings(wheres) {
                    out.extend(named(dir, span, "[tool.setuptools.packages.find] where"));
                }
            }
        }
        _ => {}
    }
    out
}

/// `setup.cfg`: the whole value is the span (configparser keeps no per-item positions).
pub(crate) fn setup_cfg(doc: &IniDoc) -> Vec<NamedPath> {
    let mut out = Vec::new();
    let Some(options) = doc.section("options") else {
        return out;
    };
    let mut package_dir: Vec<(String, String)> = Vec::new();
    if let Some(value) = options.get("package_dir") {
        for line in value.value.split(['\n', ',']).map(str::trim) {
            if let Some((key, dir)) = line.split_once('=') {
                package_dir.push((key.trim().to_string(), dir.trim().to_string()));
                out.extend(named(
                    dir.trim(),
                    value.value_span.clone(),
                    "[options] package_dir",
                ));
            }
        }
    }
    match options.get("packages") {
        Some(value) if matches!(value.value.trim(), "find:" | "find_namespace:") => {
            if let Some(wheres) = doc
                .section("options.packages.find")
                .and_then(|s| s.get("where"))
            {
                for dir in wheres.value.split(['\n', ',']).map(str::trim) {
                    out.extend(named(
                        dir,
                        wheres.value_span.clone(),
                        "[options.packages.find] where",
                    ));
                }
            }
        }
        Some(value) => {
            let names: Vec<&str> = value
                .value
                .split(['\n', ','])
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .collect();
            for selected in setuptools_named(&names, &package_dir, false) {
                out.extend(named(
                    &selected.path,
                    value.value_span.clone(),
                    "[options] packages",
                ));
            }
        }
        None => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::RelPath;

    fn toml(text: &str) -> Vec<NamedPath> {
        pyproject(&TomlDoc::parse(RelPath::parse("pyproject.toml").unwrap(), text).unwrap())
    }

    #[test]
    fn names_poetry_hatch_and_setuptools_paths() {
        let paths = toml(
            "[tool.poetry]\npackages = [{ include = \"pkg/**/*.py\", from = \"src\" }, { include = \"x\", format = \"sdist\" }]\n",
        );
        assert_eq!(paths.len(), 1);
        assert_eq!(paths[0].path, "src/pkg");
        let paths = toml(
            "[tool.hatch.build.targets.wheel]\npackages = [\"/src/pkg\"]\nonly-include = [\"a/*\"]\n",
        );
        assert_eq!(
            paths.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(),
            ["src/pkg"]
        );
        let paths = toml(
            "[tool.setuptools]\npackage-dir = {\"\" = \"lib\"}\npackages = [\"a\", \"a.b\"]\n",
        );
        assert_eq!(
            paths.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(),
            ["lib", "lib/a", "lib/a"]
        );
    }

    #[test]
    fn names_setup_cfg_paths() {
        let doc = IniDoc::parse("[options]\npackage_dir =\n    =layer\npackages = find:\n[options.packages.find]\nwhere = layer\n").unwrap();
        let paths = setup_cfg(&doc);
        assert_eq!(
            paths.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(),
            ["layer", "layer"]
        );
    }
}
