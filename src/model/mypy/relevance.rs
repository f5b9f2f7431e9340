//! Which modules' imports can matter to "found twice", decided from file names alone and
//! one scan of a module's text, so that a monorepo's tests and package markers need not
//! be parsed.
//!
//! A file is found twice only when an import names it under a second name: a name taken
//! relative to a search root other than the source's own base, or any name of a file
//! that is not a source. The top-level components of all such names are the *words*.
//! An import can only name a module whose top-level component is a word if it spells the
//! word as an identifier (absolute import), or if the importing module's own name starts
//! with a word (relative import). A module whose name does not start with a word and
//! whose text spells no word reaches only sources under their own names, which the
//! search has already seen: its imports cannot change the result.
//!
//! The scan is conservative: words in strings and comments count, and a text that is not
//! ASCII (where NFKC could turn another spelling into a word) is always parsed.

use std::hash::{Hash, Hasher};

use super::mapping::MypySource;
use crate::model::{Repo, lock_file};
use crate::paths::RelPath;
use crate::python::PyModule;

/// The top-level names under which some file could be reached by a second name.
#[derive(Debug, Default)]
pub struct ImportWords {
    words: hashbrown::HashSet<String>,
    /// Identifies this set in the per-file verdict cache (carried across saves).
    id: u64,
}

impl ImportWords {
    /// Computed from the file index, the search roots and the sources.
    pub fn new(repo: &Repo, search: &[RelPath], sources: &[MypySource]) -> Self {
        let roots: hashbrown::HashSet<&str> = search.iter().map(RelPath::as_str).collect();
        let bases: hashbrown::HashMap<&str, Option<&str>> = sources
            .iter()
            .map(|s| (s.path.as_str(), s.base.as_ref().map(RelPath::as_str)))
            .collect();
        let mut words: hashbrown::HashSet<String> = hashbrown::HashSet::new();
        for entry in repo.files.files() {
            let path = entry.path.as_str();
            if !(path.ends_with(".py") || path.ends_with(".pyi")) {
                continue;
            }
            // A source's own name is the one relative to its base (`Some(Some(base))`); a
            // non-source (`None`) has none.
            let own_root = bases.get(path).copied();
            for root in ancestors(path).filter(|a| roots.contains(a)) {
                if own_root == Some(Some(root)) {
                    continue;
                }
                let below = if root.is_empty() {
                    path
                } else {
                    &path[root.len() + 1..]
                };
                let top = below.split('/').next().unwrap_or(below);
                let top = top.split_once('.').map_or(top, |(stem, _)| stem);
                if !words.contains(top) {
                    words.insert(top.to_string());
                }
            }
        }
        let mut sorted: Vec<&String> = words.iter().collect();
        sorted.sort();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        sorted.hash(&mut hasher);
        Self {
            id: hasher.finish(),
            words,
        }
    }

    /// Whether the imports of `module`, whose text is `text`, can reach a file under a
    /// second name.
    pub fn may_matter(&self, module: &str, text: &str) -> bool {
        let top = module.split('.').next().unwrap_or(module);
        if self.words.contains(top) || !text.is_ascii() {
            return true;
        }
        identifiers(text).any(|word| self.words.contains(word))
    }

    /// [`ImportWords::may_matter`] from a parse: an absolute import of a word, or a
    /// module named under a word (whose relative imports stay under it).
    fn imports_may_matter(&self, module: &str, parsed: &PyModule) -> bool {
        let is_word = |name: &str| self.words.contains(name.split('.').next().unwrap_or(name));
        is_word(module)
            || parsed.imports.iter().filter(|i| i.level == 0).any(|i| {
                if i.plain {
                    i.names.iter().any(|n| is_word(n))
                } else {
                    i.module.as_deref().is_some_and(is_word)
                }
            })
    }
}

/// Every folder above `path`, nearest first, ending with the root (`""`).
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(path);
    std::iter::from_fn(move || {
        let current = rest?;
        let parent = current.rfind('/').map_or("", |i| &current[..i]);
        rest = (!current.is_empty()).then_some(parent);
        rest
    })
}

/// The maximal runs of ASCII identifier characters in `text`.
fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

impl Repo {
    /// Whether the imports of `source` can matter to "found twice" (see the module
    /// documentation). A module already parsed is judged by its import statements; one
    /// that counts is parsed here, from the text just read, and kept; the verdict for one
    /// that does not is kept per file, for this set of words.
    pub(crate) fn imports_may_matter(&self, source: &MypySource, words: &ImportWords) -> bool {
        let path = &source.path;
        let Some(id) = self.files.id(path) else {
            return true;
        };
        // Parsed already (a handler module: its imports tell exactly), or scanned before.
        if let Some(known) = self.known_verdict(id, &source.module, words) {
            return known;
        }
        let Ok(text) = self.read_once(path) else {
            // Unreadable: no imports, as the full analysis would find.
            return false;
        };
        self.scan_read_text(&text);
        if words.may_matter(&source.module, &text.text) {
            self.python_analysis_of(&text);
            return true;
        }
        lock_file(&self.caches.import_free).insert(id, Some(std::sync::Arc::new(words.id)));
        false
    }

    /// What this model already knows of [`Repo::imports_may_matter`] for `source`,
    /// without reading anything: `None` when it has neither parsed nor scanned it.
    pub(crate) fn imports_mattered(
        &self,
        source: &MypySource,
        words: &ImportWords,
    ) -> Option<bool> {
        let id = self.files.id(&source.path)?;
        self.known_verdict(id, &source.module, words)
    }

    /// [`Repo::imports_mattered`] for file `id`, named `module`.
    fn known_verdict(&self, id: u32, module: &str, words: &ImportWords) -> Option<bool> {
        if let Some(parsed) = lock_file(&self.caches.python).get(&id) {
            let parsed = parsed.as_ref();
            return Some(parsed.is_some_and(|m| words.imports_may_matter(module, m)));
        }
        self.was_import_free(id, words).then_some(false)
    }

    /// Whether this model found the imports of file `id` irrelevant for `words`.
    fn was_import_free(&self, id: u32, words: &ImportWords) -> bool {
        let verdict = lock_file(&self.caches.import_free)
            .get(&id)
            .cloned()
            .flatten();
        verdict.is_some_and(|free| *free == words.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_end_at_the_root() {
        let found: Vec<&str> = ancestors("a/b/c.py").collect();
        assert_eq!(found, ["a/b", "a", ""]);
        assert_eq!(ancestors("c.py").collect::<Vec<_>>(), [""]);
    }

    #[test]
    fn a_word_counts_only_as_a_whole_identifier() {
        let words = ImportWords {
            words: ["services".to_string()].into_iter().collect(),
            id: 0,
        };
        assert!(!words.may_matter("app.x", "from app.handler import h\nmy_services = 1\n"));
        assert!(words.may_matter("app.x", "import services.a.src.app.handler\n"));
        assert!(words.may_matter("app.x", "from services . a import b\n"));
        // A module whose own name starts with a word: its relative imports count.
        assert!(words.may_matter("services.a", "from . import b\n"));
        // Not ASCII: NFKC may turn another spelling into the word.
        assert!(words.may_matter("app.x", "import ｓｅｒｖｉｃｅｓ\n"));
    }
}
