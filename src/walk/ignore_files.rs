//! The ignore files the walk honours, read by laylint itself through the safe open
//! (never through a symlink, never blocking, capped), with git's semantics: each
//! folder's `.ignore`, `.gitignore` and, where `.git` is a folder, `.git/info/exclude`;
//! the deepest file with a match decides, `.ignore` before `.gitignore` before
//! `info/exclude`, and a `!pattern` re-includes. A `.git` *file* (a worktree or
//! submodule pointing elsewhere) is never followed, and git's global excludes file,
//! outside the repository by definition, is not read.

use std::ffi::OsStr;
use std::path::Path;
use std::sync::Arc;

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::paths::RelPath;
use crate::safefs::{Dir, OpenError};

/// Bytes of one ignore file that are used; the rest is reported, not read.
pub const MAX_IGNORE_FILE: u64 = 1024 * 1024;
/// Patterns of one ignore file that are used (each costs a compiled glob).
pub const MAX_PATTERNS: usize = 10_000;

/// The ignore rules in force in one folder: its own files, then its parents'.
#[derive(Default)]
pub struct Rules {
    parent: Option<Arc<Rules>>,
    ignore: Option<Gitignore>,
    git: Option<Gitignore>,
    exclude: Option<Gitignore>,
}

impl Rules {
    /// The rules for `dir`, opened as `handle`: `parent`'s plus its own ignore files.
    /// A problem (an ignore file that is capped or unreadable) is pushed to `problems`.
    pub fn for_folder(
        parent: &Arc<Rules>,
        dir: &RelPath,
        handle: &Dir,
        names: &FolderFiles,
        respect_gitignore: bool,
        problems: &mut Vec<(RelPath, String)>,
    ) -> Arc<Rules> {
        let mut load_at = |wanted: bool, rel: &str| {
            if !wanted {
                return None;
            }
            let read = if rel.contains('/') {
                handle.read_beneath(rel, MAX_IGNORE_FILE)
            } else {
                handle.read_file(OsStr::new(rel), MAX_IGNORE_FILE)
            };
            load(dir, &child(dir, rel), read, problems)
        };
        let ignore = load_at(names.ignore, ".ignore");
        let git = load_at(respect_gitignore && names.gitignore, ".gitignore");
        let exclude = load_at(respect_gitignore && names.git_dir, ".git/info/exclude");
        if ignore.is_none() && git.is_none() && exclude.is_none() {
            return parent.clone();
        }
        Arc::new(Rules {
            parent: Some(parent.clone()),
            ignore,
            git,
            exclude,
        })
    }

    /// Rules from `(folder, .gitignore text)` pairs, shallowest first (tests, fuzzing).
    pub fn from_texts(files: &[(RelPath, &str)]) -> Arc<Rules> {
        let mut rules = Arc::new(Rules::default());
        for (dir, text) in files {
            rules = Arc::new(Rules {
                parent: Some(rules),
                git: parse(dir, text, false).0,
                ..Rules::default()
            });
        }
        rules
    }

    /// Whether `path` (an entry in the folder these rules are for) is ignored.
    pub fn is_ignored(&self, path: &RelPath, is_dir: bool) -> bool {
        let path = Path::new(path.as_str());
        let (mut ignore, mut git, mut exclude) = (Match::None, Match::None, Match::None);
        let mut rules = Some(self);
        while let Some(r) = rules {
            let matched = |matcher: &Option<Gitignore>, decision: &mut Match<()>| {
                if decision.is_none()
                    && let Some(m) = matcher
                {
                    *decision = m.matched(path, is_dir).map(|_| ());
                }
            };
            matched(&r.ignore, &mut ignore);
            matched(&r.git, &mut git);
            matched(&r.exclude, &mut exclude);
            rules = r.parent.as_deref();
        }
        ignore.or(git).or(exclude).is_ignore()
    }
}

/// Which ignore files a folder's listing showed (a symlinked one is tried, refused by the
/// safe open and reported; it is never read).
#[derive(Default)]
pub struct FolderFiles {
    pub ignore: bool,
    pub gitignore: bool,
    /// `.git` is a folder (a `.git` file points elsewhere and is never followed).
    pub git_dir: bool,
}

fn child(dir: &RelPath, name: &str) -> RelPath {
    dir.join_relative(name).unwrap_or_else(|_| dir.clone())
}

/// A matcher from one ignore file's result; a capped or unreadable file is a problem.
fn load(
    dir: &RelPath,
    path: &RelPath,
    read: Result<crate::safefs::Capped, OpenError>,
    problems: &mut Vec<(RelPath, String)>,
) -> Option<Gitignore> {
    let capped = match read {
        Ok(capped) => capped,
        Err(OpenError::Missing) => return None,
        Err(error) => {
            problems.push((
                path.clone(),
                format!(
                    "`{path}` could not be read: {}; its patterns are not applied",
                    error.reason()
                ),
            ));
            return None;
        }
    };
    let text = String::from_utf8_lossy(&capped.bytes);
    let (matcher, patterns_capped) = parse(dir, &text, capped.truncated);
    if capped.truncated || patterns_capped {
        problems.push((
            path.clone(),
            format!(
                "`{path}` is larger than laylint reads (1 MiB, {MAX_PATTERNS} patterns): only its first patterns are applied"
            ),
        ));
    }
    matcher
}

/// Compiles ignore-file text for the folder `dir`: at most [`MAX_PATTERNS`] patterns.
/// When `truncated`, the last (partial) line is dropped. Returns whether lines were left
/// out. A bad line is skipped, as git does.
pub fn parse(dir: &RelPath, text: &str, truncated: bool) -> (Option<Gitignore>, bool) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = if truncated {
        text.rfind('\n').map_or("", |end| &text[..end])
    } else {
        text
    };
    let mut builder = GitignoreBuilder::new(dir.as_str());
    let mut patterns = 0;
    let mut capped = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if patterns == MAX_PATTERNS {
            capped = true;
            break;
        }
        patterns += 1;
        let _ = builder.add_line(None, line);
    }
    let matcher = builder.build().ok().filter(|m| !m.is_empty());
    (matcher, capped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(files: &[(&str, &str)]) -> Arc<Rules> {
        let files: Vec<(RelPath, &str)> = files
            .iter()
            .map(|(dir, text)| (RelPath::parse(dir).unwrap(), *text))
            .collect();
        Rules::from_texts(&files)
    }

    #[test]
    fn deeper_files_decide_and_negation_re_includes() {
        let r = rules(&[("", "*.log\nbuild/\n"), ("svc", "!keep.log\n/local\n")]);
        let p = |s: &str| RelPath::parse(s).unwrap();
        assert!(r.is_ignored(&p("svc/a.log"), false));
        assert!(!r.is_ignored(&p("svc/keep.log"), false));
        assert!(r.is_ignored(&p("svc/build"), true));
        assert!(!r.is_ignored(&p("svc/build"), false));
        assert!(r.is_ignored(&p("svc/local"), false));
        assert!(!r.is_ignored(&p("svc/x/local"), false));
    }

    #[test]
    fn patterns_are_capped() {
        let text: String = (0..MAX_PATTERNS + 5).map(|i| format!("d{i}/\n")).collect();
        let (matcher, capped) = parse(&RelPath::root(), &text, false);
        assert!(capped);
        assert_eq!(matcher.unwrap().num_ignores(), MAX_PATTERNS as u64);
        // A truncated read drops its partial last line.
        let (matcher, _) = parse(&RelPath::root(), "a\nbc", true);
        assert_eq!(matcher.unwrap().num_ignores(), 1);
    }
}
