//! What a `setup.cfg` says: `[metadata] name` and `[options]` `packages` / `package_dir` /
//! `py_modules` / `[options.packages.find] where`, read as setuptools' config reader does.

use super::pyproject::setuptools_named;
use super::{ManifestFacts, Selection};
use crate::model::Repo;
use crate::model::ini::IniDoc;
use crate::paths::RelPath;

/// Reads `path`; `None` when it is missing or does not parse (PAR001 is recorded then).
pub(crate) fn read(repo: &Repo, path: &RelPath) -> Option<ManifestFacts> {
    let doc = repo.ini(path)?;
    Some(facts(&doc))
}

pub(crate) fn facts(doc: &IniDoc) -> ManifestFacts {
    let metadata = doc.section("metadata");
    let name = metadata
        .and_then(|s| s.get("name"))
        .filter(|v| !v.value.is_empty())
        .map(|v| (v.value.clone(), v.value_span.clone()));
    ManifestFacts {
        declares: metadata.is_some(),
        name,
        selection: selection(doc),
        package_mode: true,
        named_paths: super::named_paths::setup_cfg(doc),
        package_data: super::package_data::from_setup_cfg(doc),
        ..ManifestFacts::default()
    }
}

/// setuptools' list syntax: comma- or newline-separated.
fn list(value: &str) -> Vec<&str> {
    value
        .split(['\n', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// `package_dir` as `(package, folder)` pairs; `=src` maps the root package (`""`).
fn package_dir(value: &str) -> Vec<(String, String)> {
    list(value)
        .into_iter()
        .filter_map(|line| {
            let (key, dir) = line.split_once('=')?;
            Some((key.trim().to_string(), dir.trim().to_string()))
        })
        .collect()
}

fn selection(doc: &IniDoc) -> Option<Selection> {
    let options = doc.section("options")?;
    let packages = options.get("packages").map(|v| v.value.trim());
    let modules = options.get("py_modules").map(|v| v.value.as_str());
    let dirs = options.get("package_dir").map(|v| package_dir(&v.value));
    if packages.is_none() && modules.is_none() && dirs.is_none() {
        return None;
    }
    let dirs = dirs.unwrap_or_default();
    let mut selection = Selection::default();
    match packages {
        Some("find:" | "find_namespace:") => {
            let wheres = doc
                .section("options.packages.find")
                .and_then(|s| s.get("where"))
                .map(|v| list(&v.value).into_iter().map(str::to_string).collect())
                .unwrap_or_else(|| vec![".".to_string()]);
            selection.find_in = wheres;
        }
        Some(names) => selection.entries = setuptools_named(&list(names), &dirs, false),
        None => {
            if let Some((_, root)) = dirs.iter().find(|(k, _)| k.is_empty()) {
                selection.find_in.push(root.clone());
            }
        }
    }
    if let Some(modules) = modules {
        selection
            .entries
            .extend(setuptools_named(&list(modules), &dirs, true));
    }
    Some(selection)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_seed_001_setup_cfg() {
        let text = "[metadata]\nname = shared\nversion = 0.1.0\n\n[options]\npackage_dir =\n    =layer\npackages = find:\ninclude_package_data = True\n\n[options.packages.find]\nwhere = layer\n";
        let f = facts(&IniDoc::parse(text).unwrap());
        assert!(f.declares);
        assert_eq!(f.name.as_ref().unwrap().0, "shared");
        assert_eq!(f.selection.unwrap().find_in, vec!["layer".to_string()]);
    }

    #[test]
    fn maps_listed_packages_through_package_dir() {
        let text = "[metadata]\nname = x\n[options]\npackages = a, a.b\npackage_dir =\n    = src\n";
        let s = facts(&IniDoc::parse(text).unwrap()).selection.unwrap();
        assert_eq!(s.entries.len(), 1);
        assert_eq!(s.entries[0].path, "src/a");
    }
}
