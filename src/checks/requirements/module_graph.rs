//! PKG001's walk over a function's modules: from the handler module, every module of the
//! code root that its import-time imports reach (each module once), and the first import
//! of a top-level name that nothing provides.

use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;

use crate::model::Repo;
use crate::paths::RelPath;
use crate::python::imports::RawImport;

/// An import-time import of a name nothing on the function's `sys.path` holds.
pub(super) struct Missing {
    pub module: RelPath,
    pub span: Range<usize>,
    pub name: String,
}

/// What the walk found.
pub(super) enum Walk {
    Missing(Missing),
    /// Every import-time import is provided.
    Complete,
    /// A module edits `sys.path` or does not parse: laylint cannot tell.
    Unknown,
}

/// The top-level names folders hold, each folder listed once.
#[derive(Default)]
pub(super) struct Names {
    by_folder: HashMap<RelPath, HashSet<Box<str>>>,
}

impl Names {
    /// Whether `dir` holds a module or package named `name` (`name/`, `name.py`, an
    /// extension module `name.cpython-312-x86_64-linux-gnu.so`: anything named `name` or
    /// `name.…`).
    pub fn holds(&mut self, repo: &Repo, dir: &RelPath, name: &str) -> bool {
        self.by_folder
            .entry(dir.clone())
            .or_insert_with(|| {
                repo.files
                    .children(dir)
                    .map(|e| {
                        let file_name = e.path.file_name();
                        file_name.split('.').next().unwrap_or(file_name).into()
                    })
                    .collect()
            })
            .contains(name)
    }
}

/// The modules an import of the dotted `parts` below `base` executes, outermost first:
/// each package's `__init__.py`, then the module itself.
fn executed(
    repo: &Repo,
    base: &RelPath,
    parts: &[&str],
    out: &mut Vec<RelPath>,
) -> Option<RelPath> {
    let mut dir = base.clone();
    for (i, part) in parts.iter().enumerate() {
        let package = dir.child(part);
        let init = package.child("__init__.py");
        let file = dir.child(&format!("{part}.py"));
        if repo.files.is_file(&init) {
            out.push(init);
        } else if repo.files.is_file(&file) {
            out.push(file);
            return (i + 1 == parts.len()).then_some(dir);
        } else if !repo.files.is_dir(&package) {
            return None;
        }
        dir = package;
    }
    Some(dir)
}

/// The code-root modules one statement executes; `Err(top)` for a top-level name the code
/// root does not hold.
fn local_modules(
    repo: &Repo,
    names: &mut Names,
    root: &RelPath,
    module: &RelPath,
    import: &RawImport,
) -> Result<Vec<RelPath>, String> {
    let mut out = Vec::new();
    let dotted: Vec<&str> = import
        .module
        .as_deref()
        .map(|m| m.split('.').collect())
        .unwrap_or_default();
    if import.level > 0 {
        // Relative to the importing module's package, never above the code root.
        let mut base = module.parent().unwrap_or_default();
        for _ in 1..import.level {
            match base.parent() {
                Some(up) if up.starts_with(root) && base != *root => base = up,
                _ => return Ok(out),
            }
        }
        if let Some(package) = executed(repo, &base, &dotted, &mut out) {
            for name in &import.names {
                executed(repo, &package, &[name], &mut out);
            }
        }
        return Ok(out);
    }
    let modules: Vec<Vec<&str>> = if import.plain {
        import
            .names
            .iter()
            .map(|n| n.split('.').collect())
            .collect()
    } else {
        vec![dotted]
    };
    for parts in modules {
        let Some(top) = parts.first().copied().filter(|t| !t.is_empty()) else {
            continue;
        };
        if !names.holds(repo, root, top) {
            return Err(top.to_string());
        }
        let package = executed(repo, root, &parts, &mut out);
        if let (false, Some(package)) = (import.plain, package) {
            for name in &import.names {
                executed(repo, &package, &[name], &mut out);
            }
        }
    }
    Ok(out)
}

/// Walks the modules the runtime imports with the handler module at `handler`, under the
/// code root `root`; `provided(name)` tells whether something else (the standard
/// library, the runtime, a layer) provides a top-level name.
pub(super) fn walk(
    repo: &Repo,
    names: &mut Names,
    root: &RelPath,
    handler: &RelPath,
    provided: &mut dyn FnMut(&str) -> bool,
) -> Walk {
    let mut seen: HashSet<RelPath> = HashSet::new();
    let mut queue: VecDeque<RelPath> = VecDeque::new();
    // Importing `pkg.app` runs `pkg/__init__.py` first.
    if let Some(inside) = handler.strip_prefix(root) {
        let parts: Vec<&str> = inside.trim_end_matches(".py").split('/').collect();
        let mut outer = Vec::new();
        executed(repo, root, &parts, &mut outer);
        queue.extend(outer);
    }
    queue.push_back(handler.clone());
    while let Some(module) = queue.pop_front() {
        if !seen.insert(module.clone()) {
            continue;
        }
        let Some(analysis) = repo.python_analysis(&module) else {
            return Walk::Unknown;
        };
        if analysis.syntax_error.is_some() || analysis.edits_sys_path {
            return Walk::Unknown;
        }
        let folder = module.parent().unwrap_or_default();
        for import in &analysis.runtime_imports {
            match local_modules(repo, names, root, &module, import) {
                Ok(found) => queue.extend(found.into_iter().filter(|m| !seen.contains(m))),
                // A name beside the importing module (not at the code root) is another
                // mistake than a missing requirement: not this rule's.
                Err(name)
                    if provided(&name)
                        || (folder != *root && names.holds(repo, &folder, &name)) => {}
                Err(name) => {
                    return Walk::Missing(Missing {
                        module,
                        span: import.span.clone(),
                        name,
                    });
                }
            }
        }
    }
    Walk::Complete
}
