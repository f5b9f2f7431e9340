//! "Source file found twice under different module names": a source that an import
//! reaches under another name (mypy's `load_graph` and `FindModuleCache._find_module`).
//!
//! Starting from the sources, every import (at any depth of the file, as mypy collects
//! them) and every ancestor package is resolved in repository folders the way mypy
//! searches them: `mypy_path`, then the root, then the base folders of the sources. A
//! module found at a file already loaded under another name is reported. Site-packages
//! and typeshed come after these folders in mypy's order and never hold repository files.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;

use super::mapping::{MypySource, resolve_setting_path};
use super::relevance::ImportWords;
use super::{FoundTwice, MypySettings};
use crate::model::Repo;
use crate::paths::RelPath;
use crate::python::PyModule;

/// The folders mypy searches for imports, in order: `mypy_path`, the root, then the base
/// folders of the sources.
pub fn search_roots(repo: &Repo, settings: &MypySettings, sources: &[MypySource]) -> Vec<RelPath> {
    let mut search: Vec<RelPath> = settings
        .mypy_path
        .iter()
        .flat_map(|s| s.value.iter())
        .filter_map(|entry| resolve_setting_path(repo, entry))
        .collect();
    search.push(RelPath::root());
    let mut listed: HashSet<RelPath> = search.iter().cloned().collect();
    for source in sources {
        if let Some(base) = &source.base
            && listed.insert(base.clone())
        {
            search.push(base.clone());
        }
    }
    search
}

/// Loads the import graph breadth-first and reports files reached under a second name.
pub fn found_twice(
    repo: &Repo,
    settings: &MypySettings,
    sources: &[MypySource],
    words: &ImportWords,
) -> Vec<FoundTwice> {
    let search = search_roots(repo, settings, sources);
    // Every source is visited below: with all cores first, parse those whose imports can
    // matter; the others' imports are skipped (`relevance`).
    let matters = crate::par::map(sources, |source| repo.imports_may_matter(source, words));
    let finder = ModuleFinder::new(repo, search, settings.namespace_packages());
    // Sources are borrowed; only modules the imports reach are owned.
    let mut graph: HashSet<Cow<str>> = sources
        .iter()
        .map(|s| Cow::Borrowed(s.module.as_str()))
        .collect();
    let mut seen_files: HashMap<Cow<RelPath>, Cow<str>> = sources
        .iter()
        .map(|s| (Cow::Borrowed(&s.path), Cow::Borrowed(s.module.as_str())))
        .collect();
    let mut queue: VecDeque<(Cow<str>, Cow<RelPath>, bool)> = sources
        .iter()
        .zip(matters)
        .map(|(s, matters)| {
            (
                Cow::Borrowed(s.module.as_str()),
                Cow::Borrowed(&s.path),
                matters,
            )
        })
        .collect();
    let mut found = Vec::new();
    // Modules no repository folder holds (the standard library, third-party packages).
    let mut missing: HashSet<String> = HashSet::new();
    while let Some((module, path, imports_matter)) = queue.pop_front() {
        let is_package = path.stem() == "__init__";
        let mut deps: Vec<(String, Range<usize>)> =
            ancestors(&module).into_iter().map(|a| (a, 0..0)).collect();
        if imports_matter {
            deps.extend(imports_of(repo, &path, &module, is_package));
        }
        for (dep, span) in deps {
            if graph.contains(dep.as_str()) || missing.contains(&dep) {
                continue;
            }
            let Some(file) = finder.find(&dep) else {
                missing.insert(dep);
                continue;
            };
            graph.insert(Cow::Owned(dep.clone()));
            if let Some(first) = seen_files.get(&file) {
                found.push(FoundTwice {
                    path: file.clone(),
                    source_module: first.to_string(),
                    imported_module: dep.clone(),
                    importer: path.as_ref().clone(),
                    import_span: span,
                });
                continue;
            }
            if repo.files.is_file(&file) {
                seen_files.insert(Cow::Owned(file.clone()), Cow::Owned(dep.clone()));
                queue.push_back((Cow::Owned(dep), Cow::Owned(file), true));
            }
        }
    }
    found
}

fn ancestors(module: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = module;
    while let Some(i) = rest.rfind('.') {
        rest = &rest[..i];
        out.push(rest.to_string());
    }
    out
}

/// The modules a file imports, absolute, with the span of each import statement.
/// `from a import b` also names `a.b`, which mypy loads when it is a module.
fn imports_of(
    repo: &Repo,
    path: &RelPath,
    module: &str,
    is_package: bool,
) -> Vec<(String, Range<usize>)> {
    let Some(raw) = raw_imports(repo, path) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for import in &raw.imports {
        let span = import.span.clone();
        if import.plain {
            for id in &import.names {
                found.push((id.to_string(), span.clone()));
                found.extend(ancestors(id).into_iter().map(|a| (a, span.clone())));
            }
        } else if let Some(target) =
            absolute_target(module, is_package, import.level, import.module.as_deref())
        {
            for name in import.names.iter().filter(|n| n.as_ref() != "*") {
                found.push((format!("{target}.{name}"), span.clone()));
            }
            found.push((target, span));
        }
    }
    found
}

/// The import statements of a file, from its one parse ([`Repo::python_analysis`]):
/// nothing for a file that cannot be read or parsed (mypy's own error, not ours).
fn raw_imports(repo: &Repo, path: &RelPath) -> Option<std::sync::Arc<PyModule>> {
    repo.python_analysis(path)
}

/// The absolute module of `from <dots><module> import …`, as mypy's `correct_rel_imp`.
fn absolute_target(
    module: &str,
    is_package: bool,
    level: u32,
    name: Option<&str>,
) -> Option<String> {
    if level == 0 {
        return name.map(str::to_string);
    }
    let mut parts: Vec<&str> = module.split('.').collect();
    let drop = (level as usize).saturating_sub(usize::from(is_package));
    if drop != 0 {
        parts.truncate(parts.len().saturating_sub(drop));
    }
    let file_id = parts.join(".");
    match name {
        // mypy builds ".name" here, which no search finds.
        Some(_) if file_id.is_empty() => None,
        Some(name) => Some(format!("{file_id}.{name}")),
        None => (!file_id.is_empty()).then_some(file_id),
    }
}

/// `FindModuleCache._find_module`, restricted to repository folders.
struct ModuleFinder<'a> {
    repo: &'a Repo,
    search: Vec<RelPath>,
    /// Top-level name → the search roots (indices, in order) holding `name/`, `name.py` or
    /// `name.pyi`: a module can only resolve under those, so lookups skip the rest (a
    /// monorepo has a search root per service).
    roots_by_top: HashMap<String, Vec<usize>>,
    namespace_packages: bool,
}

impl<'a> ModuleFinder<'a> {
    fn new(repo: &'a Repo, search: Vec<RelPath>, namespace_packages: bool) -> Self {
        let mut roots_by_top: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, base) in search.iter().enumerate() {
            for entry in repo.files.children(base) {
                let name = match entry.kind {
                    crate::model::files::EntryKind::Dir => entry.path.file_name(),
                    _ if matches!(entry.path.extension(), Some("py" | "pyi")) => entry.path.stem(),
                    _ => continue,
                };
                let roots = roots_by_top.entry(name.to_string()).or_default();
                if roots.last() != Some(&index) {
                    roots.push(index);
                }
            }
        }
        Self {
            repo,
            search,
            roots_by_top,
            namespace_packages,
        }
    }

    /// The file (or namespace folder) module `id` resolves to.
    fn find(&self, id: &str) -> Option<RelPath> {
        let components: Vec<&str> = id.split('.').collect();
        let (last, chain) = components.split_last()?;
        let files = &self.repo.files;
        let mut near_misses: Vec<RelPath> = Vec::new();
        let top = components.first().copied().unwrap_or_default();
        let candidates = self
            .roots_by_top
            .get(top)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let chain_path = chain.join("/");
        for base in candidates.iter().filter_map(|&i| self.search.get(i)) {
            let Ok(dir) = base.join_relative(&chain_path) else {
                continue;
            };
            if !(dir.is_root() || files.is_dir(&dir)) {
                continue;
            }
            let package = dir.child(last);
            let mut has_init = false;
            for name in ["__init__.pyi", "__init__.py"] {
                let init = package.child(name);
                if files.is_file(&init) {
                    has_init = true;
                    if self.verify(id, &init) {
                        return Some(init);
                    }
                    near_misses.push(init);
                }
            }
            if self.namespace_packages && !has_init && files.is_dir(&package) {
                near_misses.push(package.clone());
            }
            for ext in [".pyi", ".py"] {
                let file = dir.child(&format!("{last}{ext}"));
                if files.is_file(&file) {
                    if self.verify(id, &file) {
                        return Some(file);
                    }
                    near_misses.push(file);
                }
            }
        }
        if !self.namespace_packages {
            return None;
        }
        let levels: Vec<usize> = near_misses
            .iter()
            .map(|p| self.highest_init_level(id, p))
            .collect();
        let best = levels.iter().copied().max()?;
        let index = levels.iter().position(|&l| l == best)?;
        near_misses.into_iter().nth(index)
    }

    /// A package's `__init__` stands for its folder; anything else for itself.
    fn module_dir(path: &RelPath) -> RelPath {
        if path.stem() == "__init__" {
            path.parent().unwrap_or_default()
        } else {
            path.clone()
        }
    }

    fn has_init(&self, dir: &RelPath) -> bool {
        ["__init__.pyi", "__init__.py"]
            .iter()
            .any(|n| self.repo.files.is_file(&dir.child(n)))
    }

    /// Every package containing `id` has an `__init__` file.
    fn verify(&self, id: &str, path: &RelPath) -> bool {
        let mut dir = Self::module_dir(path);
        for _ in 0..id.matches('.').count() {
            dir = dir.parent().unwrap_or_default();
            if !self.has_init(&dir) {
                return false;
            }
        }
        true
    }

    fn highest_init_level(&self, id: &str, path: &RelPath) -> usize {
        let mut dir = Self::module_dir(path);
        let mut level = 0;
        for i in 0..id.matches('.').count() {
            dir = dir.parent().unwrap_or_default();
            if self.has_init(&dir) {
                level = i + 1;
            }
        }
        level
    }
}
