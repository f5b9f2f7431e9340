//! PKG001's walk over a function's modules: from the handler module, every module of the
//! code root that its import-time imports reach, and an import of a top-level name that
//! nothing provides. The functions sharing a code root and layers are judged together,
//! each module read once.

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
/// each package's `__init__.py`, then the module itself. Returns the folder of the
/// package `parts` names (where `from … import x` may find a submodule `x`), `None` when
/// it names a plain module or nothing.
fn executed(
    repo: &Repo,
    base: &RelPath,
    parts: &[&str],
    out: &mut Vec<RelPath>,
) -> Option<RelPath> {
    let mut dir = base.clone();
    for part in parts {
        let package = dir.child(part);
        let init = package.child("__init__.py");
        let file = dir.child(&format!("{part}.py"));
        if repo.files.is_file(&init) {
            out.push(init);
        } else if repo.files.is_file(&file) {
            // A plain module has no submodules: `from helpers import x` binds an attribute.
            out.push(file);
            return None;
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

/// The modules importing `handler` (a module file under `root`) executes first: the
/// `__init__.py` of each package above it, outermost first, then the module.
pub(super) fn start_modules(repo: &Repo, root: &RelPath, handler: &RelPath) -> Vec<RelPath> {
    let mut out = Vec::new();
    if let Some(inside) = handler.strip_prefix(root) {
        let parts: Vec<&str> = inside.trim_end_matches(".py").split('/').collect();
        executed(repo, root, &parts, &mut out);
    }
    out.retain(|m| m != handler);
    out.push(handler.clone());
    out
}

/// One module's own imports: the code-root modules they run, or the first that fails.
struct Node {
    next: Vec<RelPath>,
    missing: Option<(Range<usize>, String)>,
    /// It edits `sys.path` or does not parse: what it imports cannot be told.
    unknown: bool,
}

fn node(
    repo: &Repo,
    names: &mut Names,
    root: &RelPath,
    module: &RelPath,
    provided: &mut dyn FnMut(&str) -> bool,
) -> Node {
    let mut node = Node {
        next: Vec::new(),
        missing: None,
        unknown: false,
    };
    let analysis = repo.python_analysis(module);
    let Some(analysis) = analysis.filter(|a| a.syntax_error.is_none() && !a.edits_sys_path) else {
        node.unknown = true;
        return node;
    };
    let folder = module.parent().unwrap_or_default();
    for import in &analysis.runtime_imports {
        match local_modules(repo, names, root, module, import) {
            Ok(found) => node.next.extend(found),
            // A name beside the importing module (not at the code root) is another
            // mistake than a missing requirement: not this rule's.
            Err(name)
                if provided(&name) || (folder != *root && names.holds(repo, &folder, &name)) => {}
            // The import stops the module there.
            Err(name) => {
                node.missing = Some((import.span.clone(), name));
                break;
            }
        }
    }
    node
}

/// Judges every function of one code root whose layers provide the same names, each
/// module once: `starts` holds each function's [`start_modules`]; `provided(name)` tells
/// whether something else (the standard library, the runtime, a layer) provides a
/// top-level name. A function whose modules reach one that cannot be told is `Unknown`;
/// else one reaching a failing import is `Missing` (with a failing import it reaches).
pub(super) fn judge(
    repo: &Repo,
    names: &mut Names,
    root: &RelPath,
    starts: &[Vec<RelPath>],
    provided: &mut dyn FnMut(&str) -> bool,
) -> Vec<Walk> {
    let mut nodes: HashMap<RelPath, Node> = HashMap::new();
    let mut queue: VecDeque<RelPath> = starts.iter().flatten().cloned().collect();
    while let Some(module) = queue.pop_front() {
        if nodes.contains_key(&module) {
            continue;
        }
        let found = node(repo, names, root, &module, provided);
        queue.extend(
            found
                .next
                .iter()
                .filter(|m| !nodes.contains_key(*m))
                .cloned(),
        );
        nodes.insert(module, found);
    }
    let mut callers: HashMap<&RelPath, Vec<&RelPath>> = HashMap::new();
    for (module, node) in &nodes {
        for next in &node.next {
            callers.entry(next).or_default().push(module);
        }
    }
    // Backwards from the modules that cannot be told, then from those that fail (in path
    // order, so the witness is stable): each module is marked once.
    let mut unknown: HashSet<&RelPath> = HashSet::new();
    let mut back: VecDeque<&RelPath> = nodes
        .iter()
        .filter(|(_, n)| n.unknown)
        .map(|(m, _)| m)
        .collect();
    while let Some(module) = back.pop_front() {
        if unknown.insert(module) {
            back.extend(callers.get(module).into_iter().flatten().copied());
        }
    }
    let mut failing: Vec<&RelPath> = nodes
        .iter()
        .filter(|(m, n)| n.missing.is_some() && !unknown.contains(m))
        .map(|(m, _)| m)
        .collect();
    failing.sort();
    let mut witness: HashMap<&RelPath, &RelPath> = HashMap::new();
    for bad in failing {
        let mut back: VecDeque<&RelPath> = VecDeque::from([bad]);
        while let Some(module) = back.pop_front() {
            if unknown.contains(module) || witness.contains_key(module) {
                continue;
            }
            witness.insert(module, bad);
            back.extend(callers.get(module).into_iter().flatten().copied());
        }
    }
    starts
        .iter()
        .map(|modules| {
            if modules.iter().any(|m| unknown.contains(m)) {
                return Walk::Unknown;
            }
            let Some(bad) = modules.iter().find_map(|m| witness.get(m)) else {
                return Walk::Complete;
            };
            match nodes.get(*bad).and_then(|n| n.missing.clone()) {
                Some((span, name)) => Walk::Missing(Missing {
                    module: (*bad).clone(),
                    span,
                    name,
                }),
                None => Walk::Complete,
            }
        })
        .collect()
}
