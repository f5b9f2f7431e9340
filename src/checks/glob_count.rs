//! How many entries below each of many folders match a glob seen from that folder, in one
//! pass over the tree. Matching every entry below every folder (`for-each = "**"`) costs
//! the tree's size times its depth; here the glob runs as an automaton over path
//! components, and each entry passes its count up once per automaton state.

use globset::{GlobBuilder, GlobMatcher};

use super::pattern::Glob;
use crate::model::files::{EntryKind, FileIndex};
use crate::paths::RelPath;

/// One `/`-separated part of a glob.
enum Part {
    /// `**`: any number of components (at least one at the end of the glob).
    Any,
    One(GlobMatcher),
}

/// A set of automaton positions (position `i`: the first `i` parts are matched).
type States = u64;

struct Automaton {
    parts: Vec<Part>,
}

impl Automaton {
    /// `None` when the glob cannot be split into components: a `/` inside `{…}` or `[…]`.
    fn new(pattern: &str) -> Option<Self> {
        let pattern = pattern.trim_end_matches('/');
        let mut depth = 0i32;
        for c in pattern.chars() {
            match c {
                '{' | '[' => depth += 1,
                '}' | ']' => depth -= 1,
                '/' if depth != 0 => return None,
                '\\' => return None,
                _ => {}
            }
        }
        let parts = pattern
            .split('/')
            .map(|part| match part {
                "**" => Some(Part::Any),
                "" => None,
                part => GlobBuilder::new(part)
                    .literal_separator(true)
                    .build()
                    .ok()
                    .map(|g| Part::One(g.compile_matcher())),
            })
            .collect::<Option<Vec<_>>>()?;
        (parts.len() < 63).then_some(Self { parts })
    }

    /// Adds the positions reachable by `**` matching no component (not a final `**`).
    fn closure(&self, mut states: States) -> States {
        for (i, part) in self.parts.iter().enumerate() {
            if states & (1 << i) != 0 && matches!(part, Part::Any) && i + 1 < self.parts.len() {
                states |= 1 << (i + 1);
            }
        }
        states
    }

    fn start(&self) -> States {
        self.closure(1)
    }

    /// The parts a component name matches, as a bit set (computed once per entry).
    fn matching(&self, name: &str) -> u64 {
        self.parts
            .iter()
            .enumerate()
            .filter(|(_, part)| match part {
                Part::Any => true,
                Part::One(matcher) => matcher.is_match(name),
            })
            .fold(0, |bits, (i, _)| bits | (1 << i))
    }

    /// The positions after reading one component that matches the parts in `matching`.
    fn step(&self, states: States, matching: u64) -> States {
        let mut next = 0;
        for (i, part) in self.parts.iter().enumerate() {
            if states & (1 << i) == 0 || matching & (1 << i) == 0 {
                continue;
            }
            next |= 1 << (i + 1);
            if matches!(part, Part::Any) {
                next |= 1 << i;
            }
        }
        self.closure(next)
    }

    fn accepts(&self, states: States) -> bool {
        states & (1 << self.parts.len()) != 0
    }
}

/// For each of `scopes` (folders), the number of entries strictly below it that `glob`
/// matches relative to it, as [`Glob::matches_below`] counts them.
pub fn counts_below(glob: &Glob, files: &FileIndex, scopes: &[RelPath]) -> Vec<usize> {
    let Some(automaton) = Automaton::new(&glob.pattern) else {
        // Rare globs with a `/` inside a class or an alternative: match pairwise.
        return scopes
            .iter()
            .map(|scope| glob.matches_below(files, scope).count())
            .collect();
    };
    let entries: Vec<_> = files.iter().collect();
    let parent: Vec<Option<usize>> = entries
        .iter()
        .map(|e| {
            e.path
                .parent()
                .and_then(|p| files.id(&p))
                .map(|id| id as usize)
        })
        .collect();
    let is_scope: Vec<bool> = {
        let mut marks = vec![false; entries.len()];
        for scope in scopes {
            if let Some(id) = files.id(scope) {
                marks[id as usize] = true;
            }
        }
        marks
    };
    // Top-down (parents come first in path order): the automaton states live at each
    // entry, from every scope above it, with the entry's own name read.
    let start = automaton.start();
    let mut live: Vec<Vec<States>> = vec![Vec::new(); entries.len()];
    let mut matching = vec![0u64; entries.len()];
    for (i, entry) in entries.iter().enumerate() {
        if entry.path.is_root() {
            live[i] = vec![start];
            continue;
        }
        let mut here: Vec<States> = Vec::new();
        if let Some(p) = parent[i] {
            matching[i] = automaton.matching(entry.path.file_name());
            for &states in &live[p] {
                let next = automaton.step(states, matching[i]);
                if next != 0 && !here.contains(&next) {
                    here.push(next);
                }
            }
        }
        if is_scope[i] && !here.contains(&start) {
            here.push(start);
        }
        live[i] = here;
    }
    // Bottom-up: below[i][k] counts the matches under entry i for the states live[i][k].
    let mut below: Vec<Vec<usize>> = live.iter().map(|l| vec![0; l.len()]).collect();
    for i in (0..entries.len()).rev() {
        let Some(p) = parent[i] else { continue };
        if entries[i].path.is_root() {
            continue;
        }
        let dir_only_miss = glob.dir_only() && entries[i].kind != EntryKind::Dir;
        for k in 0..live[p].len() {
            let next = automaton.step(live[p][k], matching[i]);
            if next == 0 {
                continue;
            }
            let own = usize::from(automaton.accepts(next) && !dir_only_miss);
            let under = live[i]
                .iter()
                .position(|&s| s == next)
                .map_or(0, |j| below[i][j]);
            below[p][k] += own + under;
        }
    }
    scopes
        .iter()
        .map(|scope| {
            files.id(scope).map_or(0, |id| {
                let id = id as usize;
                live[id]
                    .iter()
                    .position(|&s| s == start)
                    .map_or(0, |k| below[id][k])
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::files::Entry;

    fn index(paths: &[&str]) -> FileIndex {
        let mut entries = Vec::new();
        for path in paths {
            let rel = RelPath::parse(path).unwrap();
            let mut dir = rel.parent();
            while let Some(d) = dir {
                entries.push(Entry {
                    path: d.clone(),
                    kind: EntryKind::Dir,
                });
                dir = d.parent();
            }
            let kind = if path.ends_with(".py") || path.ends_with(".txt") {
                EntryKind::File
            } else {
                EntryKind::Dir
            };
            entries.push(Entry { path: rel, kind });
        }
        FileIndex::new(entries)
    }

    /// The automaton agrees with globset matching every pair.
    #[test]
    fn agrees_with_pairwise_matching() {
        let files = index(&[
            "a/b/c/__init__.py",
            "a/b/c/d/x.py",
            "a/__init__.py",
            "a/x.py",
            "a/b/tests/test_x.py",
            "b/tests/c/test_y.py",
            "b/tests/notes.txt",
            "x.py",
            "deep/deep/deep/deep/x.py",
            "deep/deep/__init__.py",
            "c/empty",
        ]);
        let scopes: Vec<RelPath> = files.dirs().map(|e| e.path.clone()).collect();
        for pattern in [
            "__init__.py",
            "*.py",
            "**/*.py",
            "**",
            "**/",
            "*/",
            "tests/",
            "tests/**",
            "tests/**/test_*.py",
            "**/tests/**",
            "b/**/x.py",
            "**/deep/**/x.py",
            "**/**/x.py",
            "{a,b}/*.py",
            "*/c/*",
            "[ab]/**",
            "a/**/",
            "x.py/**",
            "{tests/notes.txt,x.py}",
        ] {
            let glob = Glob::new(pattern).unwrap();
            let expected: Vec<usize> = scopes
                .iter()
                .map(|s| glob.matches_below(&files, s).count())
                .collect();
            assert_eq!(counts_below(&glob, &files, &scopes), expected, "{pattern}");
        }
    }
}
