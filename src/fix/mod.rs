//! Applying fixes (`check --fix`, `--diff`, the language server's code actions).
//!
//! A pass takes the diagnostics of one run, keeps the fixes the user allowed (safe, or
//! also unsafe), and accepts them in report order as long as none of a fix's edits
//! overlaps an edit already accepted (an identical edit is shared: two findings asking
//! for the same change). A fix is applied whole or not at all. What a pass leaves out is
//! found again by the next run, as ruff does: the caller re-checks and passes again
//! until nothing changes, at most [`MAX_PASSES`] times.

pub mod diff;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::paths::RelPath;
use crate::safefs::{self, Dir};

/// Passes before `--fix` stops, as ruff does: fixes that keep making new findings stop.
pub const MAX_PASSES: usize = 10;

/// The largest file a fix rewrites.
const MAX_FILE: u64 = 16 << 20;

/// The fix of `d` if the user allows it.
pub fn applicable(d: &Diagnostic, unsafe_fixes: bool) -> Option<&Fix> {
    d.fix
        .as_ref()
        .filter(|f| unsafe_fixes || f.applicability == Applicability::Safe)
        .filter(|f| !f.edits.is_empty())
}

/// What one pass changes in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Replacements by `(start, end)`: sorted, and not overlapping.
    Edit(BTreeMap<(usize, usize), String>),
    /// A new file.
    Create(String),
}

/// The fixes accepted for one pass.
#[derive(Debug, Default)]
pub struct Plan {
    pub files: BTreeMap<RelPath, Change>,
    /// Indices (into the diagnostics given) of the fixes accepted, in report order.
    pub fixes: Vec<usize>,
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    // Two insertions at one point, or an insertion inside a replaced range, conflict too.
    (a.start < b.end && b.start < a.end)
        || a.start == b.start
        || (a.is_empty() && b.contains(&a.start))
        || (b.is_empty() && a.contains(&b.start))
}

impl Plan {
    /// Accepts the allowed fixes of `diagnostics` that do not conflict, skipping those
    /// that touch a path in `skip` (a file that could not be written).
    pub fn new(diagnostics: &[Diagnostic], unsafe_fixes: bool, skip: &[RelPath]) -> Self {
        let mut plan = Plan::default();
        for (index, d) in diagnostics.iter().enumerate() {
            let Some(fix) = applicable(d, unsafe_fixes) else {
                continue;
            };
            if fix.edits.iter().any(|e| skip.contains(e.path())) {
                continue;
            }
            if fix.edits.iter().all(|e| plan.fits(e)) {
                for edit in &fix.edits {
                    plan.add(edit);
                }
                plan.fixes.push(index);
            }
        }
        plan
    }

    pub fn is_empty(&self) -> bool {
        self.fixes.is_empty()
    }

    /// Whether `edit` is already in the plan or conflicts with nothing in it. The edits
    /// taken do not overlap, so only the one starting at or before `edit` and those
    /// starting inside it can: a lookup, not a scan.
    fn fits(&self, edit: &Edit) -> bool {
        match (edit, self.files.get(edit.path())) {
            (_, None) => true,
            (Edit::Create { content, .. }, Some(Change::Create(planned))) => content == planned,
            (Edit::Replace { range, content, .. }, Some(Change::Edit(edits))) => {
                let key = (range.start, range.end);
                if let Some(planned) = edits.get(&key) {
                    return planned == content;
                }
                let before = edits.range(..=(range.start, usize::MAX)).next_back();
                let inside = edits.range((range.start, 0)..=(range.end, usize::MAX));
                before
                    .into_iter()
                    .chain(inside)
                    .all(|(&(s, e), _)| !overlaps(&(s..e), range))
            }
            _ => false,
        }
    }

    fn add(&mut self, edit: &Edit) {
        match edit {
            Edit::Create { path, content } => {
                self.files
                    .insert(path.clone(), Change::Create(content.clone()));
            }
            Edit::Replace {
                path,
                range,
                content,
            } => {
                let entry = self
                    .files
                    .entry(path.clone())
                    .or_insert_with(|| Change::Edit(BTreeMap::new()));
                if let Change::Edit(edits) = entry {
                    edits.insert((range.start, range.end), content.clone());
                }
            }
        }
    }
}

/// `text` with `edits` (sorted, not overlapping) applied; `None` if a range falls outside
/// the text or inside a character (the file changed since it was checked).
pub fn apply_edits(text: &str, edits: &[(Range<usize>, String)]) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, content) in edits {
        if range.start < at || range.end < range.start {
            return None;
        }
        out.push_str(text.get(at..range.start)?);
        text.get(range.clone())?;
        out.push_str(content);
        at = range.end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

/// A file's text before and after a pass (`before` is `None` for a new file).
#[derive(Debug)]
pub struct FileResult {
    pub path: RelPath,
    pub before: Option<String>,
    pub after: String,
}

/// What a pass did, or would do.
#[derive(Debug, Default)]
pub struct Applied {
    /// The files changed (or, for a dry run, that would change), in path order.
    pub files: Vec<FileResult>,
    /// Files that could not be changed, and why.
    pub failed: Vec<(RelPath, String)>,
}

/// Computes every file's new text and, unless `dry_run`, writes it atomically. A file
/// that cannot be read or written is reported in `failed` and the rest go on.
pub fn apply(root: &Path, plan: &Plan, dry_run: bool) -> Applied {
    let mut applied = Applied::default();
    let dir = match Dir::open(root) {
        Ok(dir) => dir,
        Err(e) => {
            for path in plan.files.keys() {
                applied.failed.push((path.clone(), e.kind().to_string()));
            }
            return applied;
        }
    };
    for (path, change) in &plan.files {
        match change_one(&dir, path, change, dry_run) {
            Ok(result) => applied.files.push(result),
            Err(why) => applied.failed.push((path.clone(), why)),
        }
    }
    applied
}

fn change_one(
    dir: &Dir,
    path: &RelPath,
    change: &Change,
    dry_run: bool,
) -> Result<FileResult, String> {
    match change {
        Change::Create(content) => {
            if !dry_run {
                dir.create_beneath(path.as_str(), content.as_bytes())
                    .map_err(|e| e.reason())?;
            }
            Ok(FileResult {
                path: path.clone(),
                before: None,
                after: content.clone(),
            })
        }
        Change::Edit(edits) => {
            let capped = dir
                .read_beneath(path.as_str(), MAX_FILE)
                .map_err(|e| e.reason())?;
            if capped.truncated {
                return Err("too large to fix".into());
            }
            let before = String::from_utf8(capped.bytes).map_err(|_| "not UTF-8".to_string())?;
            let edits: Vec<(Range<usize>, String)> =
                edits.iter().map(|(&(s, e), c)| (s..e, c.clone())).collect();
            let after = apply_edits(&before, &edits)
                .ok_or_else(|| "changed since it was checked".to_string())?;
            if !dry_run {
                dir.replace_beneath(path.as_str(), after.as_bytes())
                    .map_err(|e: safefs::write::WriteError| e.reason())?;
            }
            Ok(FileResult {
                path: path.clone(),
                before: Some(before),
                after,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_order_and_reject_ranges_outside_the_text() {
        let edits = vec![
            (0..1, "X".to_string()),
            (3..3, "+".to_string()),
            (4..5, String::new()),
        ];
        assert_eq!(apply_edits("abcde", &edits).as_deref(), Some("Xbc+d"));
        assert_eq!(apply_edits("ab", &[(1..9, String::new())]), None);
        assert_eq!(apply_edits("é", &[(1..2, String::new())]), None);
    }

    #[test]
    fn overlapping_edits_conflict_and_identical_ones_are_shared() {
        assert!(overlaps(&(0..3), &(2..5)));
        assert!(!overlaps(&(0..2), &(2..5)));
        assert!(overlaps(&(2..2), &(2..2)));
        assert!(overlaps(&(3..3), &(2..5)));
    }
}

#[cfg(test)]
mod plan_tests {
    use super::*;
    use crate::diagnostic::{Location, RuleCode, Severity};

    fn with_fix(edits: Vec<Edit>) -> Diagnostic {
        Diagnostic {
            code: RuleCode::new("SUP001").unwrap(),
            rule: "r".into(),
            severity: Severity::Warning,
            message: "m".into(),
            location: Location::path(RelPath::parse("f.py").unwrap()),
            start: None,
            end: None,
            help: None,
            url: String::new(),
            related: Vec::new(),
            fix: Some(Fix::safe("f", edits)),
        }
    }

    fn delete(range: Range<usize>) -> Edit {
        Edit::delete(RelPath::parse("f.py").unwrap(), range)
    }

    #[test]
    fn a_pass_takes_fixes_whole_leaves_overlaps_and_shares_identical_edits() {
        let diagnostics = [
            with_fix(vec![delete(10..20)]),
            with_fix(vec![delete(15..25)]), // overlaps the first
            with_fix(vec![delete(10..20)]), // identical: shared
            with_fix(vec![delete(20..22), delete(5..12)]), // one edit overlaps: none taken
            with_fix(vec![delete(20..22), delete(0..5)]),
            with_fix(vec![delete(22..22)]), // an insertion after 20..22: fine
        ];
        let plan = Plan::new(&diagnostics, false, &[]);
        assert_eq!(plan.fixes, [0, 2, 4, 5]);
        let Some(Change::Edit(edits)) = plan.files.values().next() else {
            panic!("{plan:?}");
        };
        let keys: Vec<_> = edits.keys().copied().collect();
        assert_eq!(keys, [(0, 5), (10, 20), (20, 22), (22, 22)]);
    }

    #[test]
    fn many_edits_in_one_file_plan_in_n_log_n() {
        let diagnostics: Vec<Diagnostic> = (0..200_000)
            .map(|i| with_fix(vec![delete(i * 10..i * 10 + 5)]))
            .collect();
        let started = std::time::Instant::now();
        let plan = Plan::new(&diagnostics, false, &[]);
        assert_eq!(plan.fixes.len(), 200_000);
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }
}
