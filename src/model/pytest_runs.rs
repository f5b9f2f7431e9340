//! What one bare `pytest` run imports, in which order, and what each import puts on
//! `sys.path`: the knowledge behind the rules about pytest's import modes.
//!
//! A run is pytest started without arguments in the folder of a configuration, as a
//! developer runs it there; a folder below holding its own configuration is another run.
//! When no configuration applies, the run's folder is the nearest one up holding a
//! project or a deployment ([`RUN_MARKERS`]), else the repository root. The run imports every `conftest.py`
//! and every file whose name matches `python_files` below its folder or its `testpaths`,
//! skipping `norecursedirs` (default `*.egg`, `.*`, `_darcs`, `build`, `CVS`, `dist`,
//! `node_modules`, `venv`, `{arch}`), virtualenvs and `--ignore`d paths, in pytest's
//! order: depth first, the entries of a folder sorted by name, files and folders mixed.
//! The `conftest.py` of the run's folder, of the folders down to each `testpaths` entry
//! and of their `test*` subfolders are loaded first; another one when pytest enters its
//! folder.
//!
//! In the default `prepend` mode each import puts the file's basedir (its first ancestor
//! folder without `__init__.py`) first on `sys.path` and imports the file by its dotted
//! name from there; `importlib` mode changes nothing on `sys.path`. What those imports
//! do, one after the other, is [`super::pytest_sim`]'s.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use super::Repo;
use super::fnmatch::fnmatch;
use super::mypy::mapping::is_identifier;
use super::pytest::{TestDefs, TestModules};
use super::pytest_config::PytestConfig;
use crate::paths::RelPath;

/// What a `conftest.py` may define that changes what pytest collects or imports, beyond
/// what laylint reads.
const COLLECTION_HOOKS: [&str; 7] = [
    "collect_ignore",
    "collect_ignore_glob",
    "pytest_ignore_collect",
    "pytest_collect_file",
    "pytest_collect_directory",
    "pytest_pycollect_makemodule",
    "pytest_plugins",
];

/// Files that make a folder the place its tests are run from when no pytest configuration
/// applies.
const RUN_MARKERS: [&str; 9] = [
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "template.yaml",
    "template.yml",
    "serverless.yml",
    "serverless.yaml",
    "cdk.json",
    "tox.ini",
];

/// One bare `pytest` run.
#[derive(Debug)]
pub struct PytestRun {
    /// Where pytest runs (and `python -m pytest` puts on `sys.path`).
    pub root: RelPath,
    pub config: Arc<PytestConfig>,
    /// The files the run imports, in the order it imports them.
    pub items: Vec<RunItem>,
    /// Why laylint cannot predict what this run imports, when it cannot: rules about the
    /// run then stay silent.
    pub unpredictable: Option<String>,
    /// Whether these tests are pytest's: a pytest configuration applies, or the run holds
    /// a `conftest.py` or a module importing `pytest` (`unittest` suites are not).
    pub uses_pytest: bool,
}

#[derive(Debug)]
pub struct RunItem {
    pub path: RelPath,
    pub conftest: bool,
    /// The folder the `prepend` mode puts on `sys.path` for it; `None` when every
    /// folder up to the repository root holds `__init__.py`.
    pub basedir: Option<RelPath>,
    /// Loaded before collection starts.
    pub startup: bool,
}

/// What [`pytest_runs`] knows of a folder, the same for every file in it.
struct FolderFacts {
    dir: RelPath,
    config: Arc<PytestConfig>,
    root: RelPath,
    /// The run's index in `runs`.
    slot: usize,
    /// Computed when a file of the folder is first imported (most folders hold none).
    imported: Option<ImportedFrom>,
}

/// What an imported file's folder says of the run: whether pytest enters it, where
/// collection starts, and the `prepend` mode's basedir.
struct ImportedFrom {
    skipped: bool,
    anchors: Vec<RelPath>,
    basedir: Option<RelPath>,
}

/// Every run in the repository, by folder.
pub fn pytest_runs(repo: &Repo, tests: &TestModules<'_>) -> Vec<PytestRun> {
    let mut runs: Vec<(PytestRun, Vec<SortKey>)> = Vec::new();
    let mut index: HashMap<RelPath, usize> = HashMap::new();
    // Files come in path order: the facts of the last folder serve its other files.
    let mut last: Option<FolderFacts> = None;
    let mut marked: HashMap<RelPath, RelPath> = HashMap::new();
    for entry in repo.files.files() {
        let path = &entry.path;
        // A template folder's tests run in the repository it renders, not in this one.
        if !path.file_name().ends_with(".py") || path.in_template_folder() {
            continue;
        }
        let dir = path.parent().unwrap_or_default();
        if last.as_ref().is_none_or(|f| f.dir != dir) {
            let config = tests.config_for(&dir);
            let root = match &config.config {
                Some(_) => config.dir(),
                None => unconfigured_root(repo, &dir, &mut marked),
            };
            let slot = *index.entry(root.clone()).or_insert_with(|| {
                let unpredictable = unpredictable_config(repo, &config, &root);
                runs.push((
                    PytestRun {
                        root: root.clone(),
                        config: config.clone(),
                        items: Vec::new(),
                        unpredictable,
                        uses_pytest: config.config.is_some(),
                    },
                    Vec::new(),
                ));
                runs.len() - 1
            });
            last = Some(FolderFacts {
                dir: dir.clone(),
                config,
                root,
                slot,
                imported: None,
            });
        }
        let Some(FolderFacts {
            config,
            root,
            slot,
            imported,
            ..
        }) = last.as_mut()
        else {
            continue;
        };
        let (config, root, slot) = (&*config, &*root, *slot);
        let conftest = path.file_name() == "conftest.py";
        if !(conftest || tests.imports_module(path)) || ignored(config, root, path) {
            continue;
        }
        let imported = imported.get_or_insert_with(|| ImportedFrom {
            skipped: skipped_folder(repo, config, root, &dir),
            anchors: anchors(repo, config, root),
            basedir: basedir(repo, &dir),
        });
        if imported.skipped {
            continue;
        }
        let anchors = &imported.anchors;
        let startup = conftest
            && (dir == *root
                || anchors.iter().any(|a| {
                    a.starts_with(&dir)
                        || (dir.parent().as_ref() == Some(a) && dir.file_name().starts_with("test"))
                }));
        let anchor = anchors.iter().position(|a| path.starts_with(a));
        let Some(anchor) = anchor.or(startup.then_some(0)) else {
            continue;
        };
        let defs = repo.test_defs(path);
        let hooks = conftest
            && matches!(defs.as_deref(), Some(TestDefs::Parsed { candidates, .. })
                if candidates.iter().any(|(name, _)| COLLECTION_HOOKS.contains(&&**name)));
        let imports_pytest = matches!(defs.as_deref(), Some(TestDefs::Parsed { imports, .. })
            if imports.iter().any(|i| i.module.split('.').next() == Some("pytest")));
        let (run, keys) = &mut runs[slot];
        run.uses_pytest |= conftest || imports_pytest;
        if hooks && run.unpredictable.is_none() {
            run.unpredictable = Some(format!("`{path}` changes what pytest collects"));
        }
        let mut components: Vec<String> = path.components().map(str::to_string).collect();
        if conftest && let Some(last) = components.last_mut() {
            // Loaded when pytest enters the folder, before anything in it.
            last.clear();
        }
        keys.push((!startup, anchor, components));
        run.items.push(RunItem {
            path: path.clone(),
            conftest,
            basedir: imported.basedir.clone(),
            startup,
        });
    }
    runs.into_iter()
        .map(|(mut run, keys)| {
            let mut order: Vec<usize> = (0..run.items.len()).collect();
            order.sort_by(|a, b| compare(&keys[*a], &keys[*b]));
            let mut items: Vec<Option<RunItem>> = run.items.drain(..).map(Some).collect();
            run.items = order.into_iter().filter_map(|i| items[i].take()).collect();
            run
        })
        .collect()
}

/// Where pytest runs for a module no configuration applies to: the nearest folder up
/// holding a project or a deployment (a monorepo of samples runs each sample's tests in
/// its own folder), else the repository root.
///
/// `known` holds the answer of every folder asked before: each folder's markers are looked
/// up once, however many folders lie below it.
fn unconfigured_root(repo: &Repo, dir: &RelPath, known: &mut HashMap<RelPath, RelPath>) -> RelPath {
    let mut unanswered = Vec::new();
    let mut current = Some(dir.clone());
    let found = loop {
        let Some(folder) = current else {
            break RelPath::root();
        };
        if let Some(found) = known.get(&folder) {
            break found.clone();
        }
        if RUN_MARKERS
            .iter()
            .any(|name| repo.files.is_file(&folder.child(name)))
        {
            break folder;
        }
        current = folder.parent();
        unanswered.push(folder);
    };
    for folder in unanswered {
        known.insert(folder, found.clone());
    }
    found
}

/// (not loaded at startup, `testpaths` entry, path components).
type SortKey = (bool, usize, Vec<String>);

fn compare(a: &SortKey, b: &SortKey) -> Ordering {
    a.cmp(b)
}

/// The folder `prepend` mode inserts for a file in `dir`: the first folder up that is not
/// a package for pytest, lacking `__init__.py` or named unlike a Python identifier
/// (`my-service/`).
pub fn basedir(repo: &Repo, dir: &RelPath) -> Option<RelPath> {
    let mut current = dir.clone();
    loop {
        if !repo.files.is_file(&current.child("__init__.py"))
            || (!current.is_root() && !is_identifier(current.file_name()))
        {
            return Some(current);
        }
        current = current.parent()?;
    }
}

/// Python's `str.isidentifier`, near enough: a letter or `_`, then letters, digits, `_`.
/// Where collection starts: the existing `testpaths` entries, else the run's folder.
fn anchors(repo: &Repo, config: &PytestConfig, root: &RelPath) -> Vec<RelPath> {
    let found: Vec<RelPath> = config
        .testpaths
        .iter()
        .filter_map(|t| root.join_relative(t).ok())
        .filter(|t| repo.files.exists(t))
        .collect();
    if found.is_empty() {
        vec![root.clone()]
    } else {
        found
    }
}

/// Whether `--ignore` leaves `path` out.
fn ignored(config: &PytestConfig, root: &RelPath, path: &RelPath) -> bool {
    config
        .ignore
        .iter()
        .filter_map(|i| root.join_relative(i.trim_end_matches('/')).ok())
        .any(|ignored| path.starts_with(&ignored))
}

/// Whether pytest never enters `folder` (or a folder above it, below the run's).
fn skipped_folder(repo: &Repo, config: &PytestConfig, root: &RelPath, folder: &RelPath) -> bool {
    let mut dir = Some(folder.clone());
    while let Some(current) = dir {
        if current == *root {
            break;
        }
        let name = current.file_name();
        if config.norecursedirs.iter().any(|p| fnmatch(name, p))
            || repo.files.is_file(&current.child("pyvenv.cfg"))
        {
            return true;
        }
        dir = current.parent();
    }
    false
}

/// Options that make a run's imports depend on what laylint does not read.
fn unpredictable_config(repo: &Repo, config: &PytestConfig, root: &RelPath) -> Option<String> {
    let file = config.config.as_ref()?;
    let glob = |t: &String| t.contains(['*', '?', '[']);
    let reason = if config.rootdir.is_some() {
        "sets `--rootdir`"
    } else if !config.ignore_glob.is_empty() {
        "sets `--ignore-glob`"
    } else if config.plugins.iter().any(|p| !p.starts_with("no:")) {
        "loads a plugin with `-p`"
    } else if config.namespace_packages {
        "sets `consider_namespace_packages`"
    } else if config.testpaths.iter().any(glob) {
        "has a glob in `testpaths`"
    } else if config
        .testpaths
        .iter()
        .any(|t| root.join_relative(t).is_err())
        || config
            .pythonpath
            .iter()
            .any(|p| file_dir(file).join_relative(p).is_err())
    {
        "names a path outside the repository"
    } else {
        let _ = repo;
        return None;
    };
    Some(format!("`{file}` {reason}"))
}

fn file_dir(file: &RelPath) -> RelPath {
    file.parent().unwrap_or_default()
}

impl PytestRun {
    /// The folders `pythonpath` puts on `sys.path` (relative to the configuration file).
    pub fn pythonpath(&self) -> Vec<RelPath> {
        let Some(file) = &self.config.config else {
            return Vec::new();
        };
        self.config
            .pythonpath
            .iter()
            .filter_map(|p| file_dir(file).join_relative(p).ok())
            .collect()
    }
}
