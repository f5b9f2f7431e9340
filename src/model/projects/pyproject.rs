//! What a `pyproject.toml` says: `[project]` / `[tool.poetry]` name, `[build-system]`,
//! and each backend's own package selection keys.

use super::{ManifestFacts, Selected, Selection};
use crate::model::Repo;
use crate::model::tomldoc::{TomlDoc, TomlKind, TomlValue};
use crate::paths::RelPath;

/// Reads `path`; `None` when it is missing or does not parse (PAR001 is recorded then).
pub(crate) fn read(repo: &Repo, path: &RelPath) -> Option<ManifestFacts> {
    let doc = repo.toml(path)?;
    Some(facts(&doc))
}

pub(crate) fn facts(doc: &TomlDoc) -> ManifestFacts {
    let project = doc.get("project").and_then(TomlValue::as_table);
    let poetry = doc.get("tool.poetry").and_then(TomlValue::as_table);
    let name = project
        .and_then(|t| t.get("name"))
        .or_else(|| poetry.and_then(|t| t.get("name")))
        .and_then(|v| v.as_str().map(|s| (s.to_string(), v.span.clone())));
    let backend_value = doc
        .get("build-system.build-backend")
        .map(|v| v.as_str().map(str::to_string).ok_or(()));
    // Poetry's `package-mode = false` and uv's `package = false`: nothing is built.
    let package_mode = poetry
        .and_then(|t| t.get("package-mode"))
        .and_then(TomlValue::as_bool)
        .unwrap_or(true)
        && doc
            .get("tool.uv.package")
            .and_then(TomlValue::as_bool)
            .unwrap_or(true);

    let mut selection: Option<Selection> = None;
    let mut add = |s: Selection| match &mut selection {
        Some(existing) => existing.merge(s),
        None => selection = Some(s),
    };
    if let Some(packages) = poetry.and_then(|t| t.get("packages")) {
        add(poetry_packages(packages));
    }
    // hatchling skips its name-based default when any of these is set (wheel target first).
    for prefix in ["tool.hatch.build.targets.wheel", "tool.hatch.build"] {
        for key in ["packages", "only-include", "include"] {
            if let Some(value) = doc.get(&format!("{prefix}.{key}")) {
                let paths = value.as_str_list().unwrap_or_default();
                add(Selection {
                    entries: paths
                        .into_iter()
                        .filter_map(|p| {
                            let prefix = glob_free_prefix(p);
                            (!prefix.is_empty()).then(|| Selected::path(&prefix, key != "packages"))
                        })
                        .collect(),
                    find_in: Vec::new(),
                });
            }
        }
        for key in ["force-include", "bypass-selection"] {
            if doc.get(&format!("{prefix}.{key}")).is_some() {
                add(Selection::default());
            }
        }
    }
    if let Some(setuptools) = doc.get("tool.setuptools").and_then(TomlValue::as_table)
        && let Some(s) = setuptools_selection(setuptools)
    {
        add(s);
    }
    if let Some(includes) = doc.get("tool.pdm.build.includes") {
        add(Selection {
            entries: includes
                .as_str_list()
                .unwrap_or_default()
                .into_iter()
                .map(|p| Selected::path(p, true))
                .collect(),
            find_in: Vec::new(),
        });
    }
    if let Some(dir) = doc
        .get("tool.pdm.build.package-dir")
        .and_then(TomlValue::as_str)
    {
        add(Selection {
            entries: Vec::new(),
            find_in: vec![dir.to_string()],
        });
    }
    let flit_module = doc
        .get("tool.flit.module.name")
        .and_then(TomlValue::as_str)
        .map(str::to_string);

    ManifestFacts {
        declares: project.is_some() || poetry.is_some(),
        has_build_system: doc.get("build-system").is_some(),
        name,
        backend_value,
        selection,
        package_mode,
        flit_module,
        named_paths: super::named_paths::pyproject(doc),
        package_data: super::package_data::from_pyproject(doc),
    }
}

/// The leading components of a path pattern before the first one with glob characters.
fn glob_free_prefix(pattern: &str) -> String {
    pattern
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .take_while(|c| !c.contains(['*', '?', '[', '{']))
        .collect::<Vec<_>>()
        .join("/")
}

/// `[tool.poetry] packages = [{ include = "pkg", from = "src" }, …]`.
fn poetry_packages(value: &TomlValue) -> Selection {
    let mut selection = Selection::default();
    for item in value.as_array().unwrap_or_default() {
        let Some(table) = item.as_table() else {
            continue;
        };
        let Some(include) = table.get("include").and_then(TomlValue::as_str) else {
            continue;
        };
        let from = table.get("from").and_then(TomlValue::as_str).unwrap_or("");
        // Only the first component names the top-level package (`pkg/**/*.py` selects `pkg`).
        let top = include.split('/').find(|c| !c.is_empty() && *c != ".");
        if let Some(top) = top {
            let path = if from.is_empty() {
                top.to_string()
            } else {
                format!("{}/{top}", from.trim_end_matches('/'))
            };
            selection.entries.push(Selected::path(&path, false));
        }
    }
    selection
}

/// `[tool.setuptools]` `packages`, `package-dir`, `py-modules`, `packages.find`.
fn setuptools_selection(table: &crate::model::tomldoc::TomlTable) -> Option<Selection> {
    let package_dir: Vec<(String, String)> = table
        .get("package-dir")
        .and_then(TomlValue::as_table)
        .map(|t| {
            t.entries
                .iter()
                .filter_map(|(k, (_, v))| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let packages = table.get("packages");
    let modules = table.get("py-modules");
    if packages.is_none() && modules.is_none() && table.get("package-dir").is_none() {
        return None;
    }
    let mut selection = Selection::default();
    match packages.map(|v| &v.kind) {
        Some(TomlKind::Array(_)) => {
            let names = packages
                .and_then(TomlValue::as_str_list)
                .unwrap_or_default();
            selection.entries = setuptools_named(&names, &package_dir, false);
        }
        Some(TomlKind::Table(find)) => {
            let find = find.get("find").and_then(TomlValue::as_table);
            let wheres = find
                .and_then(|f| f.get("where"))
                .and_then(TomlValue::as_str_list)
                .unwrap_or_else(|| vec!["."]);
            selection.find_in = wheres.into_iter().map(str::to_string).collect();
        }
        _ => {
            if let Some((_, root)) = package_dir.iter().find(|(k, _)| k.is_empty()) {
                selection.find_in.push(root.clone());
            }
        }
    }
    if let Some(names) = modules.and_then(TomlValue::as_str_list) {
        selection
            .entries
            .extend(setuptools_named(&names, &package_dir, true));
    }
    Some(selection)
}

/// Top-level entries for setuptools' dotted package names, mapped through `package_dir`.
pub(crate) fn setuptools_named(
    names: &[&str],
    package_dir: &[(String, String)],
    modules: bool,
) -> Vec<Selected> {
    let mut out: Vec<Selected> = Vec::new();
    for name in names {
        let Some(top) = name.split('.').map(str::trim).find(|c| !c.is_empty()) else {
            continue;
        };
        let mapped = package_dir
            .iter()
            .find(|(k, _)| k == top)
            .map(|(_, v)| v.clone());
        let path = match mapped {
            Some(dir) => dir,
            None => {
                let root = package_dir
                    .iter()
                    .find(|(k, _)| k.is_empty())
                    .map(|(_, v)| v.trim_end_matches('/').to_string())
                    .unwrap_or_default();
                let file = if modules {
                    format!("{top}.py")
                } else {
                    top.to_string()
                };
                if root.is_empty() || root == "." {
                    file
                } else {
                    format!("{root}/{file}")
                }
            }
        };
        if !out.iter().any(|s| s.path == path) {
            out.push(Selected {
                path,
                name: Some(top.to_string()),
                container_ok: false,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ManifestFacts {
        facts(&TomlDoc::parse(RelPath::parse("pyproject.toml").unwrap(), text).unwrap())
    }

    #[test]
    fn reads_poetry_packages() {
        let f = parse(
            "[tool.poetry]\nname = \"my-lambda\"\npackages = [{ include = \"pkg/**/*.py\", from = \"src\" }]\n",
        );
        assert!(f.declares);
        assert_eq!(f.name.unwrap().0, "my-lambda");
        let s = f.selection.unwrap();
        assert_eq!(s.entries[0].path, "src/pkg");
    }

    #[test]
    fn reads_setuptools_tables() {
        let f =
            parse("[project]\nname = \"x\"\n[tool.setuptools.packages.find]\nwhere = [\"lib\"]\n");
        assert_eq!(f.selection.unwrap().find_in, vec!["lib".to_string()]);
        let f = parse(
            "[project]\nname = \"x\"\n[tool.setuptools]\npackages = [\"a\", \"a.b\"]\npackage-dir = {\"\" = \"src\"}\n",
        );
        let s = f.selection.unwrap();
        assert_eq!(s.entries.len(), 1);
        assert_eq!(s.entries[0].path, "src/a");
    }

    #[test]
    fn reads_hatch_selection_and_package_mode() {
        let f = parse(
            "[project]\nname = \"x\"\n[tool.hatch.build.targets.wheel]\ninclude = [\"/src/pkg/**/*.py\"]\n",
        );
        assert_eq!(f.selection.unwrap().entries[0].path, "src/pkg");
        let f = parse("[project]\nname = \"x\"\n[tool.uv]\npackage = false\n");
        assert!(!f.package_mode);
    }
}
