//! One repository as the language server sees it: settings, the model kept warm across
//! saves, and the diagnostics last published per document.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use lsp_types::{PublishDiagnosticsParams, Url};

use super::actions::{self, FixAction};
use super::convert::{self, Paths};
use crate::config::settings::{Overrides, Settings};
use crate::config::{self, CONFIG_FILES, ConfigError};
use crate::engine;
use crate::model::Repo;
use crate::paths::RelPath;
use crate::walk;

/// A loaded repository.
struct Loaded {
    settings: Settings,
    repo: Repo,
    paths: Paths,
}

pub struct Workspace {
    /// The folder the client named (or the folder of the first file it opened).
    folder: PathBuf,
    loaded: Option<Loaded>,
    /// What was last sent, per document; documents without diagnostics are absent.
    published: HashMap<Url, Vec<lsp_types::Diagnostic>>,
    /// The fixes of what was last sent, per document.
    fixes: HashMap<Url, Vec<FixAction>>,
}

/// What a change asks of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Work {
    Nothing,
    Refresh,
    Rewalk,
    Reload,
}

impl Workspace {
    pub fn new(folder: PathBuf) -> Self {
        Self {
            folder,
            loaded: None,
            published: HashMap::new(),
            fixes: HashMap::new(),
        }
    }

    /// Finds the root, reads the configuration and walks. On a configuration error the
    /// model is dropped (its diagnostics are cleared) and the error is returned.
    pub fn load(&mut self) -> Result<(), ConfigError> {
        self.loaded = None;
        let root = config::find_root(&self.folder)?;
        let config_file = config::load(&root, None)?;
        let mut settings = Settings::resolve(root, config_file, &Overrides::default())?;
        // The server reads the cache `laylint check` writes (it never writes one).
        let given = std::env::var_os("LAYLINT_CACHE_DIR").map(PathBuf::from);
        let cache = crate::cache::location(&settings.root, false, given.as_deref());
        settings.use_cache(cache);
        let paths = Paths::new(&self.folder, &settings.root);
        let repo = walk_repo(&settings);
        self.loaded = Some(Loaded {
            settings,
            repo,
            paths,
        });
        Ok(())
    }

    /// Whether `path` is this workspace's business (under its root, or its folder).
    pub fn contains(&self, path: &Path) -> bool {
        match &self.loaded {
            Some(loaded) => {
                path.starts_with(&self.folder) || path.starts_with(&loaded.settings.root)
            }
            None => path.starts_with(&self.folder),
        }
    }

    /// Brings the model up to date after `uris` were opened, saved or changed on disk
    /// (`structural`: created or deleted), and returns the diagnostics to publish: every
    /// document whose diagnostics changed, and the `uris` themselves.
    pub fn changed(
        &mut self,
        uris: &[Url],
        structural: bool,
    ) -> (Vec<PublishDiagnosticsParams>, Option<ConfigError>) {
        let mut error = None;
        let Some(loaded) = &mut self.loaded else {
            // The configuration was broken: any save may have fixed it.
            error = self.load().err();
            return (self.publish(uris), error);
        };
        let changed: Vec<RelPath> = uris.iter().filter_map(|u| loaded.paths.rel_of(u)).collect();
        let work = classify(loaded, &changed, structural);
        if work == Work::Reload {
            error = self.load().err();
            return (self.publish(uris), error);
        }
        match work {
            Work::Nothing | Work::Reload => {}
            Work::Rewalk => loaded.repo = walk_repo(&loaded.settings),
            Work::Refresh => {
                let in_index: Vec<RelPath> = changed
                    .into_iter()
                    .filter(|p| loaded.repo.files.exists(p))
                    .collect();
                loaded.repo = loaded
                    .repo
                    .refreshed(&in_index)
                    .unwrap_or_else(|| walk_repo(&loaded.settings));
            }
        }
        (self.publish(uris), error)
    }

    /// Runs the rules and returns what changed since the last publication.
    pub fn publish(&mut self, always: &[Url]) -> Vec<PublishDiagnosticsParams> {
        let mut now: BTreeMap<Url, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
        self.fixes.clear();
        if let Some(loaded) = &self.loaded {
            // A bug in one rule must not take the editor's server down with it.
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                engine::check_repo(&loaded.settings, &loaded.repo, &[])
            }));
            let sink = run.unwrap_or_default();
            for d in &sink.diagnostics {
                let Some(place) = convert::placement(d, &loaded.repo) else {
                    continue;
                };
                let Some(uri) = loaded.paths.uri_of(&place.path) else {
                    continue;
                };
                let lsp = convert::diagnostic(d, &place, &sink.excerpts, &loaded.paths);
                if let Some(edit) = d
                    .fix
                    .as_ref()
                    .and_then(|f| actions::workspace_edit(f, &sink.excerpts, &loaded.paths))
                {
                    self.fixes.entry(uri.clone()).or_default().push(FixAction {
                        diagnostic: lsp.clone(),
                        source: d.clone(),
                        edit,
                    });
                }
                now.entry(uri).or_default().push(lsp);
            }
        }
        let order = always;
        let always: std::collections::HashSet<&Url> = order.iter().collect();
        let mut out = Vec::new();
        for (uri, old) in &self.published {
            if !now.contains_key(uri) {
                out.push(params(uri.clone(), Vec::new()));
            } else if now.get(uri) != Some(old) && !always.contains(uri) {
                out.push(params(
                    uri.clone(),
                    now.get(uri).cloned().unwrap_or_default(),
                ));
            }
        }
        for (uri, diagnostics) in &now {
            if always.contains(uri) || !self.published.contains_key(uri) {
                out.push(params(uri.clone(), diagnostics.clone()));
            }
        }
        for uri in order {
            if !now.contains_key(uri) && !self.published.contains_key(uri) {
                out.push(params(uri.clone(), Vec::new()));
            }
        }
        self.published = now.into_iter().collect();
        out
    }
}

impl Workspace {
    /// The code actions for a request on one document (see [`actions`]).
    pub fn code_actions(
        &self,
        params: &lsp_types::CodeActionParams,
    ) -> Vec<lsp_types::CodeActionOrCommand> {
        self.fixes
            .get(&params.text_document.uri)
            .map(|fixes| actions::code_actions(fixes, params))
            .unwrap_or_default()
    }
}

fn params(uri: Url, diagnostics: Vec<lsp_types::Diagnostic>) -> PublishDiagnosticsParams {
    PublishDiagnosticsParams {
        uri,
        diagnostics,
        version: None,
    }
}

/// A fresh model, primed with the persistent cache's parses of unchanged files.
fn walk_repo(settings: &Settings) -> Repo {
    let start = crate::cache::now();
    let (files, problems) = walk::walk(&settings.root, &settings.walk);
    let repo = Repo::new(settings.root.clone(), files, problems);
    if let Some(folder) = &settings.cache {
        crate::cache::load(folder, &repo, start);
    }
    repo
}

/// The cheapest work that keeps the model true after `changed` were written.
fn classify(loaded: &Loaded, changed: &[RelPath], structural: bool) -> Work {
    let config_path = loaded
        .settings
        .config
        .as_ref()
        .and_then(|c| RelPath::from_fs(&loaded.settings.root, &c.path));
    let mut work = Work::Nothing;
    for path in changed {
        if outside_model(loaded, path) {
            continue;
        }
        let is_config = config_path.as_ref() == Some(path)
            || (path.parent().is_some_and(|p| p.is_root())
                && CONFIG_FILES.contains(&path.file_name()));
        let next = if is_config {
            Work::Reload
        } else if structural
            || matches!(path.file_name(), ".gitignore" | ".ignore")
            || !loaded.repo.files.exists(path)
        {
            Work::Rewalk
        } else {
            Work::Refresh
        };
        work = work.max_with(next);
    }
    work
}

impl Work {
    fn max_with(self, other: Work) -> Work {
        let rank = |w: Work| match w {
            Work::Nothing => 0,
            Work::Refresh => 1,
            Work::Rewalk => 2,
            Work::Reload => 3,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

/// Whether the walk would skip `path`: under `.git`, excluded, or git-ignored.
fn outside_model(loaded: &Loaded, path: &RelPath) -> bool {
    if loaded.repo.files.exists(path) {
        return false;
    }
    let walk = &loaded.settings.walk;
    let mut prefix = RelPath::root();
    for part in path.components() {
        prefix = prefix.child(part);
        if part == ".git" || walk.exclude.is_match(prefix.as_str()) {
            return true;
        }
    }
    walk.respect_gitignore && loaded.repo.is_gitignored(path, false)
}
