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
    /// What an import must spell to reach a file under a second name.
    pub(crate) import_words: relevance::ImportWords,
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

impl Repo {
    /// The mypy facet, computed once.
    pub fn mypy_modules(&self) -> Arc<MypyModules> {
        self.caches
            .mypy
            .get_or_init(|| Arc::new(MypyModules::walk_imports(self, self.mypy_mapping())))
            .clone()
    }

    /// mypy's sources and names, computed once (reads configuration, no module).
    pub fn mypy_mapping(&self) -> Arc<MypyMapping> {
        self.caches
            .mypy_mapping
            .get_or_init(|| Arc::new(MypyMapping::build(self)))
            .clone()
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
        Self {
            mapping,
            found_twice,
        }
    }
}

impl MypyMapping {
    fn build(repo: &Repo) -> Self {
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
                import_words: relevance::ImportWords::default(),
            };
        }
        let targets = match &settings.files {
            Some(files) => expand_files(repo, &files.value),
            None => vec![RelPath::root()],
        };
        let mut finder = mapping::SourceFinder::new(repo, &settings);
        for target in &targets {
            finder.add_target(target);
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
fn expand_files(repo: &Repo, entries: &[String]) -> Vec<RelPath> {
    let mut targets = Vec::new();
    for entry in entries {
        let entry = entry.trim();
        if entry.is_empty() {
            continue;
        }
        if !entry.contains(['*', '?', '[']) {
            if let Some(path) = mapping::resolve_setting_path(repo, entry) {
                targets.push(path);
            }
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
        if targets.len() == before
            && let Some(path) = mapping::resolve_setting_path(repo, entry)
        {
            targets.push(path);
        }
    }
    targets
}
