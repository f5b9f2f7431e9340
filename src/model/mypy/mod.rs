//! What `mypy` run at the repository root checks, and under which module names.
//!
//! [`Repo::mypy_modules`] reads mypy's settings ([`settings`]), finds its sources the way
//! `mypy <files>` or `mypy .` does ([`mapping`]) and groups them by module name, so that
//! rules can report what mypy would abort on: two files under one module name
//! ("Duplicate module named …"), one file under two names ("Source file found twice
//! under different module names"), and packages whose folder name is not an identifier.

pub mod imports;
pub mod mapping;
pub mod pyregex;
pub mod relevance;
pub mod settings;

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::Repo;
use crate::model::files::EntryKind;
use crate::paths::RelPath;
pub use mapping::{InvalidPackage, MypySource};
pub use settings::MypySettings;

/// One file that mypy reaches under two module names: as a source, and by an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundTwice {
    pub path: RelPath,
    /// The name it has as a source.
    pub source_module: String,
    /// The name an import reaches it under.
    pub imported_module: String,
    /// The file holding that import, and the import's span.
    pub importer: RelPath,
    pub import_span: std::ops::Range<usize>,
}

/// mypy's sources and their names: everything but the import graph, from the settings and
/// the file index alone (no module is read), so it can be built beside other facets.
#[derive(Debug)]
pub struct MypyMapping {
    pub settings: MypySettings,
    /// The targets mypy is run on: `files` (glob-expanded) or the root.
    pub targets: Vec<RelPath>,
    /// Every source in mypy's order.
    pub sources: Vec<MypySource>,
    /// Sources sharing a module name: indices into `sources`, each set in mypy's order.
    pub duplicates: Vec<Vec<usize>>,
    /// Package folders with invalid names, in the order mypy's crawl meets them.
    pub invalid_packages: Vec<InvalidPackage>,
    /// `files` entries that give mypy nothing to read, in the order they are written.
    pub missing_targets: Vec<MissingTarget>,
    /// What an import must spell to reach a file under a second name.
    pub(crate) import_words: relevance::ImportWords,
}

/// A `files` entry that gives mypy nothing to read: mypy stops (exit status 2) before
/// checking anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingTarget {
    /// The entry as written (a path or a glob), or the folder a glob reached.
    pub entry: String,
    pub kind: MissingKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingKind {
    /// No file or folder has that path and no path matches the glob: "X: error: Cannot
    /// read file: No such file or directory".
    NotFound,
    /// A folder without a `.py`/`.pyi` file mypy would check: "There are no .py[i] files
    /// in directory 'X'".
    NoPythonFiles,
}

/// mypy's view of the repository: its mapping, and the files its imports reach twice.
#[derive(Debug)]
pub struct MypyModules {
    pub mapping: Arc<MypyMapping>,
    pub found_twice: Vec<FoundTwice>,
}

impl std::ops::Deref for MypyModules {
    type Target = MypyMapping;

    fn deref(&self) -> &MypyMapping {
        &self.mapping
    }
}

impl MypyModules {
    /// The import graph walked over `mapping`; also the same view after Python files
    /// changed but no setting or file did: sources and module names stand.
    pub(crate) fn walk_imports(repo: &Repo, mapping: Arc<MypyMapping>) -> Self {
        // mypy stops at a duplicate module before it follows imports.
        let found_twice = if mapping.duplicates.is_empty() {
            imports::found_twice(
                repo,
                &mapping.settings,
                &mapping.sources,
                &mapping.import_words,
            )
        } else {
            Vec::new()
        };
        // TYP003 points at the import that reaches a file a second time.
        for twice in &found_twice {
            repo.keep_text(&twice.importer);
        }
        Self {
            mapping,
            found_twice,
        }
    }
}

impl MypyMapping {
    pub(crate) fn build(repo: &Repo) -> Self {
        let settings = MypySettings::discover(repo);
        if let Some(exclude) = &settings.exclude {
            for pattern in &exclude.value {
                if let Err(why) = &pattern.regex {
                    repo.report_problem(
                        &exclude.path,
                        Some(exclude.span.clone()),
                        format!(
                            "mypy `exclude` pattern `{}`: {why}; laylint treats it as excluding nothing",
                            pattern.source
                        ),
                    );
                }
            }
        }
        if settings.explicit_package_bases() && !settings.namespace_packages() {
            // mypy: "Can only use --explicit-package-bases with --namespace-packages";
            // it exits before looking at any file.
            return Self {
                settings,
                targets: Vec::new(),
                sources: Vec::new(),
                duplicates: Vec::new(),
                invalid_packages: Vec::new(),
                missing_targets: Vec::new(),
                import_words: relevance::ImportWords::default(),
            };
        }
        let (targets, mut missing_targets) = match &settings.files {
            Some(files) => expand_files(repo, &files.value),
            None => (vec![RelPath::root()], Vec::new()),
        };
        let mut finder = mapping::SourceFinder::new(repo, &settings);
        for target in &targets {
            let found = finder.add_target(target);
            if !found && settings.files.is_some() && repo.files.is_dir(target) {
                missing_targets.push(MissingTarget {
                    entry: target.to_string(),
                    kind: MissingKind::NoPythonFiles,
                });
            }
        }
        let sources = std::mem::take(&mut finder.sources);
        let invalid_packages = std::mem::take(&mut finder.invalid);
        let duplicates = collision_sets(&sources);
        let search = imports::search_roots(repo, &settings, &sources);
        let import_words = relevance::ImportWords::new(repo, &search, &sources);
        Self {
            settings,
            targets,
            sources,
            duplicates,
            invalid_packages,
            missing_targets,
            import_words,
        }
    }
}

/// Groups sources by module name in one pass; sets keep mypy's order.
fn collision_sets(sources: &[MypySource]) -> Vec<Vec<usize>> {
    let mut by_module: HashMap<&str, Vec<usize>> = HashMap::with_capacity(sources.len());
    let mut order: Vec<&str> = Vec::new();
    for (index, source) in sources.iter().enumerate() {
        let slot = by_module.entry(source.module.as_str()).or_default();
        if slot.is_empty() {
            order.push(source.module.as_str());
        }
        slot.push(index);
    }
    order
        .into_iter()
        .filter_map(|module| by_module.remove(module))
        .filter(|set| set.len() > 1)
        .collect()
}

/// `files` entries as mypy expands them: `glob.glob(entry, recursive=True)`, or the entry
/// itself when nothing matches. Matches are listed in path order (Python's are in
/// directory order); like Python, wildcards do not match names starting with `.`.
/// Also gives the entries that name nothing at all.
fn expand_files(repo: &Repo, entries: &[String]) -> (Vec<RelPath>, Vec<MissingTarget>) {
    let mut targets = Vec::new();
    let mut missing = Vec::new();
    let mut literal = |entry: &str, targets: &mut Vec<RelPath>| {
        let Some(path) = mapping::resolve_setting_path(repo, entry) else {
            // Outside the root or built from environment variables: not ours to judge.
            return;
        };
        if !repo.files.exists(&path) && !exists_on_disk(repo, &path) {
            missing.push(MissingTarget {
                entry: entry.to_string(),
                kind: MissingKind::NotFound,
            });
        }
        targets.push(path);
    };
    for entry in entries {
        let entry = entry.trim();
        if entry.is_empty() {
            continue;
        }
        if !entry.contains(['*', '?', '[']) {
            literal(entry, &mut targets);
            continue;
        }
        let pattern = entry.trim_start_matches("./");
        let Ok(glob) = globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
        else {
            continue;
        };
        let matcher = glob.compile_matcher();
        let allows_hidden = pattern.starts_with('.') || pattern.contains("/.");
        let recursive_dir = pattern.strip_suffix("/**").map(str::to_string);
        let before = targets.len();
        for e in repo.files.iter() {
            if e.path.is_root() || !matches!(e.kind, EntryKind::File | EntryKind::Dir) {
                continue;
            }
            if !allows_hidden && e.path.components().any(|c| c.starts_with('.')) {
                continue;
            }
            let is_self = recursive_dir.as_deref() == Some(e.path.as_str());
            if is_self || matcher.is_match(e.path.as_str()) {
                targets.push(e.path.clone());
            }
        }
        if targets.len() == before {
            literal(entry, &mut targets);
        }
    }
    (targets, missing)
}

/// Whether `path` exists below the root though the walk left it out (.gitignored, or
/// excluded from laylint's run): mypy reads it all the same. Symbolic links are not
/// followed; a path through one counts as existing, since laylint cannot tell.
fn exists_on_disk(repo: &Repo, path: &RelPath) -> bool {
    let mut full = repo.root.clone();
    for component in path.components() {
        full.push(component);
        match std::fs::symlink_metadata(&full) {
            Ok(meta) if meta.file_type().is_symlink() => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    !path.is_root()
}
