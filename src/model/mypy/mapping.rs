//! mypy's path→module mapping (`mypy/find_sources.py`), over the file index.
//!
//! Mirrors `SourceFinder`: the directory walk (`find_sources_in_dir`, with its sort order
//! and the rule that `foo/` hides `foo.pyi`, which hides `foo.py`), and `crawl_up`, which
//! names a file by walking up while folders hold `__init__.py[i]` (or, with namespace
//! packages, through identifier-named folders up to an explicit package base or a
//! regular package). Differences, by design: only files in laylint's index exist
//! (.gitignored files are not part of the repository), symlinks are not followed, and
//! folders above the repository root are taken to hold no `__init__.py`.

use super::settings::MypySettings;
use crate::model::Repo;
use crate::model::files::EntryKind;
use crate::paths::RelPath;

/// A file mypy checks, and the module name it gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MypySource {
    pub path: RelPath,
    pub module: String,
    /// The folder the module name is relative to; `None` when it lies above the root.
    pub base: Option<RelPath>,
}

/// A folder holding `__init__.py` whose name is not a Python identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InvalidPackage {
    pub dir: RelPath,
    /// The `__init__.py` or `__init__.pyi` that makes it a package.
    pub init: RelPath,
    /// The name mypy checks (a `-stubs` suffix removed).
    pub name: String,
}

type Crawl = Result<Option<(String, Option<RelPath>)>, InvalidPackage>;

/// The source finder for one run of mypy at the root.
pub struct SourceFinder<'a> {
    repo: &'a Repo,
    settings: &'a MypySettings,
    explicit_bases: Option<Vec<RelPath>>,
    root_name: String,
    memo: hashbrown::HashMap<RelPath, Crawl>,
    pub sources: Vec<MypySource>,
    pub invalid: Vec<InvalidPackage>,
}

impl<'a> SourceFinder<'a> {
    pub fn new(repo: &'a Repo, settings: &'a MypySettings) -> Self {
        let explicit_bases = settings.explicit_package_bases().then(|| {
            let mut bases: Vec<RelPath> = settings
                .mypy_path
                .iter()
                .flat_map(|s| s.value.iter())
                .filter_map(|entry| resolve_setting_path(repo, entry))
                .collect();
            bases.push(RelPath::root());
            bases
        });
        let root_name = repo
            .root
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        Self {
            repo,
            settings,
            explicit_bases,
            root_name,
            memo: hashbrown::HashMap::new(),
            sources: Vec::new(),
            invalid: Vec::new(),
        }
    }

    /// `create_source_list(targets)`: each target a file or folder relative to the root.
    /// Whether it gave mypy anything: a source, or a package name mypy stops at.
    pub fn add_target(&mut self, target: &RelPath) -> bool {
        let before = (self.sources.len(), self.invalid.len());
        let name = target.file_name();
        if name.ends_with(".py") || name.ends_with(".pyi") {
            if self.repo.files.is_file(target) {
                self.crawl_up(target);
            }
        } else if target.is_root() || self.repo.files.is_dir(target) {
            self.find_sources_in_dir(target);
        }
        (self.sources.len(), self.invalid.len()) != before
    }

    fn find_sources_in_dir(&mut self, dir: &RelPath) -> bool {
        let mut children: Vec<(SortKey, RelPath, EntryKind)> = self
            .repo
            .files
            .children(dir)
            .filter(|e| matches!(e.kind, EntryKind::File | EntryKind::Dir))
            .map(|e| (sort_key(e.path.file_name()), e.path.clone(), e.kind))
            .collect();
        children.sort_by(|a, b| a.0.cmp(&b.0));
        let found_before = self.sources.len();
        // mypy keeps a list here, which is quadratic in a folder's size; a set answers the same.
        let mut seen: hashbrown::HashSet<String> = hashbrown::HashSet::new();
        for (_, path, kind) in children {
            let name = path.file_name();
            if matches!(name, "__pycache__" | "site-packages" | "node_modules")
                || name.starts_with('.')
            {
                continue;
            }
            if self.is_excluded(&path, kind == EntryKind::Dir) {
                continue;
            }
            if kind == EntryKind::Dir {
                if self.find_sources_in_dir(&path) {
                    seen.insert(name.to_string());
                }
            } else {
                let (stem, suffix) = split_ext(name);
                if (suffix == ".py" || suffix == ".pyi") && seen.insert(stem.to_string()) {
                    self.crawl_up(&path);
                }
            }
        }
        self.sources.len() > found_before
    }

    fn is_excluded(&self, path: &RelPath, is_dir: bool) -> bool {
        let Some(exclude) = &self.settings.exclude else {
            return false;
        };
        let text = if is_dir {
            format!("{}/", path.as_str())
        } else {
            path.as_str().to_string()
        };
        exclude
            .value
            .iter()
            .filter_map(|p| p.regex.as_ref().ok())
            .any(|regex| regex.search(&text))
    }

    fn crawl_up(&mut self, file: &RelPath) {
        let parent = file.parent().unwrap_or_default();
        let name = file.file_name();
        let module_name = name
            .strip_suffix(".pyi")
            .or_else(|| name.strip_suffix(".py"))
            .unwrap_or(name);
        match self.crawl_up_dir(&parent) {
            Ok((prefix, base)) => {
                let module = if module_name == "__init__" {
                    prefix
                } else {
                    module_join(&prefix, module_name)
                };
                self.sources.push(MypySource {
                    path: file.clone(),
                    module,
                    base,
                });
            }
            Err(invalid) => {
                if !self.invalid.contains(&invalid) {
                    self.invalid.push(invalid);
                }
            }
        }
    }

    fn crawl_up_dir(&mut self, dir: &RelPath) -> Result<(String, Option<RelPath>), InvalidPackage> {
        Ok(self
            .crawl_up_helper(dir)?
            .unwrap_or_else(|| (String::new(), Some(dir.clone()))))
    }

    fn crawl_up_helper(&mut self, dir: &RelPath) -> Crawl {
        if let Some(done) = self.memo.get(dir) {
            return done.clone();
        }
        let result = self.crawl_up_uncached(dir);
        self.memo.insert(dir.clone(), result.clone());
        result
    }

    fn crawl_up_uncached(&mut self, dir: &RelPath) -> Crawl {
        if self
            .explicit_bases
            .as_ref()
            .is_some_and(|bases| bases.contains(dir))
        {
            return Ok(Some((String::new(), Some(dir.clone()))));
        }
        let raw_name = if dir.is_root() {
            self.root_name.as_str()
        } else {
            dir.file_name()
        };
        let name = raw_name
            .strip_suffix("-stubs")
            .unwrap_or(raw_name)
            .to_string();
        if let Some(init) = self.init_file(dir) {
            if !is_identifier(&name) {
                return Err(InvalidPackage {
                    dir: dir.clone(),
                    init,
                    name,
                });
            }
            // Above the root nothing is a package: the base is the root's parent.
            let (prefix, base) = match dir.parent() {
                Some(parent) => self.crawl_up_dir(&parent)?,
                None => (String::new(), None),
            };
            return Ok(Some((module_join(&prefix, &name), base)));
        }
        if name.is_empty() || !is_identifier(&name) || !self.settings.namespace_packages() {
            return Ok(None);
        }
        let Some(parent) = dir.parent() else {
            return Ok(None);
        };
        Ok(self
            .crawl_up_helper(&parent)?
            .map(|(prefix, base)| (module_join(&prefix, &name), base)))
    }

    /// `__init__.pyi` is preferred over `__init__.py`, as mypy prefers it.
    fn init_file(&self, dir: &RelPath) -> Option<RelPath> {
        ["__init__.pyi", "__init__.py"]
            .into_iter()
            .map(|name| dir.child(name))
            .find(|path| self.repo.files.is_file(path))
    }
}

/// A `mypy_path` or `files` entry as a repository path: `$MYPY_CONFIG_FILE_DIR` is the
/// root (the configuration lives there); entries outside the root or needing other
/// environment variables are dropped.
pub fn resolve_setting_path(repo: &Repo, entry: &str) -> Option<RelPath> {
    let entry = entry.trim();
    let entry = entry
        .strip_prefix("$MYPY_CONFIG_FILE_DIR")
        .or_else(|| entry.strip_prefix("${MYPY_CONFIG_FILE_DIR}"))
        .map_or_else(|| entry.to_string(), |rest| format!(".{rest}"));
    if entry.contains('$') || entry.starts_with('~') {
        return None;
    }
    if entry.starts_with('/') {
        let root = repo.root.to_str()?;
        let rest = entry.strip_prefix(root)?;
        if !(rest.is_empty() || rest.starts_with('/')) {
            return None;
        }
        return RelPath::parse(rest).ok();
    }
    RelPath::parse(&entry).ok()
}

/// mypy's `keyfunc`: `__init__` first, then folders and other files, `.pyi`, `.py`.
type SortKey = (bool, i8, String);

fn sort_key(name: &str) -> SortKey {
    let (base, suffix) = split_ext(name);
    match suffix {
        ".pyi" => (base != "__init__", 0, base.to_string()),
        ".py" => (base != "__init__", 1, base.to_string()),
        _ => (base != "__init__", -1, name.to_string()),
    }
}

/// `os.path.splitext`: leading dots belong to the stem.
fn split_ext(name: &str) -> (&str, &str) {
    let leading = name.len() - name.trim_start_matches('.').len();
    match name[leading..].rfind('.') {
        Some(i) => name.split_at(leading + i),
        None => (name, ""),
    }
}

fn module_join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_string()
    } else {
        format!("{parent}.{child}")
    }
}

/// Python's `str.isidentifier()`.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
        && chars.all(unicode_ident::is_xid_continue)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_sorts_like_mypy() {
        assert_eq!(split_ext("a.b.py"), ("a.b", ".py"));
        assert_eq!(split_ext(".hidden"), (".hidden", ""));
        let mut names = vec!["foo.py", "foo.pyi", "foo", "__init__.py", "bar.py"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(names, ["__init__.py", "foo", "foo.pyi", "bar.py", "foo.py"]);
        assert!(is_identifier("handler_2"));
        assert!(!is_identifier("my-service"));
        assert!(!is_identifier("2fa"));
    }
}
