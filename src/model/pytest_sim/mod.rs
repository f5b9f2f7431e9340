//! pytest's import of one run's files, followed step by step as Python does it: what
//! each import puts on `sys.path` (`pythonpath`, then each file's basedir in the
//! `prepend` and `append` modes, then what module bodies add), what lands in
//! `sys.modules` (a module whose import fails does not stay there), and so which file
//! fails with "import file mismatch" or `ModuleNotFoundError`.
//!
//! Python's rules: a name in `sys.modules` is reused whatever `sys.path` says; else each
//! `sys.path` entry in order offers a package (a folder with `__init__.py`), then a
//! module file, while folders without `__init__.py` become one namespace package only
//! when no entry offers anything else. A name found nowhere in the repository is taken
//! as installed (laylint assumes the run's dependencies are), unless the run's folder
//! provides it: then only that folder on `sys.path` would have found it.
//!
//! When a module changes `sys.path` in a way laylint cannot compute, every later outcome
//! of the run is [`Outcome::Unknown`].

use std::collections::HashMap;
use std::ops::Range;

use super::Repo;
use super::pytest::TestDefs;
use super::pytest_config::ImportMode;
use super::pytest_runs::{PytestRun, basedir};
use crate::paths::RelPath;
use crate::python::sys_path::{ModuleEvent, PathBase, PathStep, PathValue};

mod lookup;

/// How pytest was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// The `pytest` command: its script's folder is `sys.path[0]`.
    Bare,
    /// `python -m pytest`: the current folder is `sys.path[0]`.
    Module,
}

/// What importing one file of the run does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Imported,
    /// "import file mismatch": its import name already belongs to this other file.
    Mismatch(RelPath),
    /// `ModuleNotFoundError`, raised by this import statement of the file (`None`: by
    /// pytest's import of the file itself).
    NotFound {
        module: Box<str>,
        span: Option<Range<usize>>,
    },
    /// Some other failure, or laylint cannot tell.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Repo(RelPath),
    /// The `pytest` script's folder: provides nothing.
    Script,
    /// The standard library and site-packages.
    Installed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Loc {
    File(RelPath),
    /// A folder with `__init__.py`.
    Package(RelPath),
    Namespace(Vec<RelPath>),
    Installed,
}

enum Fail {
    NotFound(Box<str>, Option<Range<usize>>),
    Unknown,
}

struct Sim<'a> {
    repo: &'a Repo,
    root: &'a RelPath,
    installed: &'a dyn Fn(&str) -> bool,
    path: Vec<Entry>,
    modules: HashMap<String, Loc>,
    /// A change to `sys.path` laylint cannot compute happened.
    lost: bool,
    importlib: bool,
    /// [`Sim::prepend`] dropped a copy: positions past the first differ from Python's.
    deduplicated: bool,
}

/// The outcome of each of `run.items`, in order, for a run started as `start`;
/// `installed` says whether the environment provides a top-level name (the standard
/// library, pytest, an installed project's package).
pub fn simulate(
    repo: &Repo,
    run: &PytestRun,
    start: Start,
    installed: &dyn Fn(&str) -> bool,
) -> Vec<Outcome> {
    let mut path: Vec<Entry> = run.pythonpath().into_iter().map(Entry::Repo).collect();
    path.push(match start {
        Start::Bare => Entry::Script,
        Start::Module => Entry::Repo(run.root.clone()),
    });
    path.push(Entry::Installed);
    let mut sim = Sim {
        repo,
        root: &run.root,
        installed,
        path,
        modules: HashMap::new(),
        lost: false,
        importlib: run.config.import_mode == ImportMode::Importlib,
        deduplicated: false,
    };
    let mode = run.config.import_mode;
    run.items
        .iter()
        .map(|item| {
            if sim.lost {
                return Outcome::Unknown;
            }
            let defs = repo.test_defs(&item.path);
            if item.conftest
                && matches!(
                    defs.as_deref(),
                    Some(TestDefs::Parsed {
                        deferred_sys_path: true,
                        ..
                    })
                )
            {
                // A hook may change `sys.path` before collection.
                sim.lost = true;
                return Outcome::Unknown;
            }
            let outcome = sim.collect(&item.path, mode);
            if item.conftest && outcome != Outcome::Imported {
                // pytest stops when a `conftest.py` fails.
                sim.lost = true;
            }
            outcome
        })
        .collect()
}

impl Sim<'_> {
    /// pytest's `import_path` of a collected file.
    fn collect(&mut self, file: &RelPath, mode: ImportMode) -> Outcome {
        let dir = file.parent().unwrap_or_default();
        if mode == ImportMode::Importlib {
            // A unique name, nothing on `sys.path`; the file's folders from the run's
            // folder become importable names.
            if let Some(relative) = file.strip_prefix(self.root)
                && let Some((top, _)) = relative.split_once('/')
            {
                let folder = self.root.child(top);
                self.modules
                    .entry(top.to_string())
                    .or_insert(Loc::Namespace(vec![folder]));
            }
            let name = format!("\0{file}");
            return match self.execute(&name, file, None, 0) {
                Ok(()) => Outcome::Imported,
                Err(fail) => fail.into(),
            };
        }
        let Some(base) = basedir(self.repo, &dir) else {
            return Outcome::Unknown;
        };
        let Some(relative) = file.strip_prefix(&base) else {
            return Outcome::Unknown;
        };
        let name = relative.trim_end_matches(".py").replace('/', ".");
        if file.file_name() == "conftest.py" && base == dir {
            // pytest drops the previous `conftest` first.
            self.modules.remove("conftest");
        }
        let entry = Entry::Repo(base);
        match mode {
            ImportMode::Append if !self.path.contains(&entry) => self.path.push(entry),
            ImportMode::Prepend if self.path.first() != Some(&entry) => self.prepend(entry),
            _ => {}
        }
        let (parent, last) = match name.rsplit_once('.') {
            Some((parent, last)) => match self.import(parent, 0) {
                Ok(loc) => (Some(loc), last),
                Err(fail) => return fail.into(),
            },
            None => (None, name.as_str()),
        };
        if let Some(loc) = self.modules.get(&name) {
            return match loc {
                Loc::File(found) if found == file => Outcome::Imported,
                Loc::File(found) | Loc::Package(found) => Outcome::Mismatch(found.clone()),
                _ => Outcome::Unknown,
            };
        }
        match self.find(parent.as_ref(), last) {
            Some(Loc::File(found)) => {
                match self.execute(&name, &found, Some(Loc::File(found.clone())), 0) {
                    Ok(()) if found == *file => Outcome::Imported,
                    Ok(()) => Outcome::Mismatch(found),
                    // Another file ran and failed: not this file's own import statement.
                    Err(Fail::NotFound(module, _)) if found != *file => {
                        Outcome::NotFound { module, span: None }
                    }
                    Err(fail) => fail.into(),
                }
            }
            Some(_) => Outcome::Unknown,
            None => Outcome::NotFound {
                module: name.as_str().into(),
                span: None,
            },
        }
    }

    /// `import name`: each dotted prefix in turn, from `sys.modules` or found and run.
    fn import(&mut self, name: &str, depth: usize) -> Result<Loc, Fail> {
        if depth > 16 {
            return Err(Fail::Unknown);
        }
        let parts: Vec<&str> = name.split('.').collect();
        let mut parent: Option<Loc> = None;
        for i in 0..parts.len() {
            let full = parts[..=i].join(".");
            if let Some(loc) = self.modules.get(&full) {
                // A top-level namespace package's path follows `sys.path` as it changes.
                let fresh = match loc {
                    Loc::Namespace(_) if i == 0 && !self.importlib => self.portions(parts[0]),
                    _ => None,
                };
                parent = Some(fresh.map_or_else(|| loc.clone(), Loc::Namespace));
                continue;
            }
            let not_found = || Fail::NotFound(full.as_str().into(), None);
            let loc = match &parent {
                Some(Loc::Installed) => Loc::Installed,
                Some(Loc::File(_)) => return Err(not_found()),
                _ => self.find(parent.as_ref(), parts[i]).ok_or_else(not_found)?,
            };
            match &loc {
                Loc::File(file) => self.execute(&full, file, Some(loc.clone()), depth + 1)?,
                Loc::Package(dir) => {
                    self.execute(
                        &full,
                        &dir.child("__init__.py"),
                        Some(loc.clone()),
                        depth + 1,
                    )?;
                }
                Loc::Namespace(_) | Loc::Installed => {
                    self.modules.insert(full.clone(), loc.clone());
                }
            }
            parent = Some(loc);
        }
        parent.ok_or(Fail::Unknown)
    }

    /// Runs the module `file` as `name`: kept in `sys.modules` (as `loc`) only if its
    /// body succeeds.
    fn execute(
        &mut self,
        name: &str,
        file: &RelPath,
        loc: Option<Loc>,
        depth: usize,
    ) -> Result<(), Fail> {
        if let Some(loc) = &loc {
            self.modules.insert(name.to_string(), loc.clone());
        }
        let result = self.run_body(file, depth);
        if result.is_err() {
            self.modules.remove(name);
        }
        result
    }

    fn run_body(&mut self, file: &RelPath, depth: usize) -> Result<(), Fail> {
        let Some(defs) = self.repo.test_defs(file) else {
            return Err(Fail::Unknown);
        };
        let TestDefs::Parsed { events, .. } = &*defs else {
            return Err(Fail::Unknown);
        };
        for event in events.iter() {
            match event {
                ModuleEvent::Import { module, span } => match self.import(module, depth) {
                    Ok(_) => {}
                    Err(Fail::NotFound(..)) => {
                        return Err(Fail::NotFound(module.clone(), Some(span.clone())));
                    }
                    Err(Fail::Unknown) => return Err(Fail::Unknown),
                },
                ModuleEvent::AddPath {
                    path,
                    index,
                    unless_present,
                } => {
                    let Some(dir) = self.evaluate(path, file) else {
                        self.lost = true;
                        return Err(Fail::Unknown);
                    };
                    let entry = Entry::Repo(dir);
                    if *unless_present && self.path.contains(&entry) {
                        continue;
                    }
                    match index {
                        Some(0) => self.prepend(entry),
                        // Positions past the first count duplicates `prepend` dropped.
                        Some(_) if self.deduplicated => {
                            self.lost = true;
                            return Err(Fail::Unknown);
                        }
                        Some(i) => self.path.insert((*i).min(self.path.len()), entry),
                        None => self.path.push(entry),
                    }
                }
                ModuleEvent::UnknownPath => {
                    self.lost = true;
                    return Err(Fail::Unknown);
                }
            }
        }
        Ok(())
    }

    /// The folder a computed path names, when it is one inside the repository.
    fn evaluate(&self, value: &PathValue, file: &RelPath) -> Option<RelPath> {
        let mut parts: Vec<String> = match value.base {
            PathBase::File => file.components().map(str::to_string).collect(),
            PathBase::Cwd => self.root.components().map(str::to_string).collect(),
        };
        let mut steps: Vec<&str> = Vec::new();
        for step in &value.steps {
            match step {
                PathStep::Parent => steps.push(".."),
                PathStep::Join(text) => steps.extend(text.split('/')),
            }
        }
        for step in steps {
            match step {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                name => parts.push(name.to_string()),
            }
        }
        RelPath::root().join_relative(&parts.join("/")).ok()
    }
}

impl From<Fail> for Outcome {
    fn from(fail: Fail) -> Self {
        match fail {
            Fail::NotFound(module, span) => Outcome::NotFound { module, span },
            Fail::Unknown => Outcome::Unknown,
        }
    }
}
