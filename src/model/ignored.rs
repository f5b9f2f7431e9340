//! Would `.gitignore` cover a path that does not exist? (A missing code root that is
//! ignored is a build output, not a mistake.) Reuses the `.gitignore` files the walk saw.

use ignore::Match;
use ignore::gitignore::Gitignore;

use super::Repo;
use crate::paths::RelPath;

/// One matcher per `.gitignore` file, deepest folder last.
#[derive(Default)]
pub struct IgnoreMatchers {
    matchers: Vec<(RelPath, Gitignore)>,
}

impl IgnoreMatchers {
    pub(crate) fn build(repo: &Repo) -> Self {
        let mut matchers = Vec::new();
        for entry in repo
            .files
            .files()
            .filter(|e| e.path.file_name() == ".gitignore")
        {
            let Some(dir) = entry.path.parent() else {
                continue;
            };
            let Ok(source) = repo.read(&entry.path) else {
                continue;
            };
            // The walk's parser: the same pattern cap (the walk reported a capped file).
            if let (Some(gitignore), _) =
                crate::walk::ignore_files::parse(&dir, &source.text, false)
            {
                matchers.push((dir, gitignore));
            }
        }
        matchers.sort_by_key(|(dir, _)| dir.depth());
        Self { matchers }
    }

    /// Whether `path` (or a folder above it) is ignored.
    pub(crate) fn is_ignored(&self, path: &RelPath, is_dir: bool) -> bool {
        let mut candidates = Vec::new();
        let mut current = Some(path.clone());
        while let Some(p) = current {
            if p.is_root() {
                break;
            }
            current = p.parent();
            candidates.push(p);
        }
        candidates.reverse();
        let last = candidates.len().saturating_sub(1);
        candidates.iter().enumerate().any(|(i, candidate)| {
            let candidate_is_dir = i < last || is_dir;
            let rel_path = std::path::Path::new(candidate.as_str());
            let mut decision = Match::None;
            for (dir, gitignore) in &self.matchers {
                if !candidate.starts_with(dir) || candidate == dir {
                    continue;
                }
                match gitignore.matched(rel_path, candidate_is_dir) {
                    Match::None => {}
                    other => decision = other,
                }
            }
            decision.is_ignore()
        })
    }
}
