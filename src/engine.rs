//! One check run: walk, model, checks in parallel, then the sink: filtering, suppression
//! comments, line and column, sorting, and the excerpts a report shows.
//!
//! Every file read of a run happens before the sink is filled: the sink works from the
//! texts the model kept; what [`check_repo`] returns is all a report or the language
//! server needs.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::settings::{EnabledRule, Settings};
use crate::diagnostic::{Diagnostic, Finding, RelatedOut, RuleCode};
use crate::model::Repo;
use crate::model::facets::FacetId;
use crate::model::source::SourceFile;
use crate::paths::RelPath;
use crate::sink::{Excerpts, Sink};
use crate::suppress;
use crate::walk;

/// What a run produced.
pub struct Outcome {
    pub repo: Repo,
    pub sink: Sink,
    /// How many files' parses came from the persistent cache (all of them when the run
    /// replayed a recorded one).
    pub cached_files: usize,
}

impl Outcome {
    /// Number of files in the model.
    pub fn file_count(&self) -> usize {
        self.repo.files.files().count()
    }
}

/// Walks the root, models it, runs every enabled rule, and keeps the diagnostics whose
/// primary location lies under one of `only` (all of them when `only` is empty).
/// With a persistent cache ([`Settings::cache`]), a run identical to the last recorded one
/// (same settings, same files with the same stamps) replays its sink; otherwise unchanged
/// files' parses come from the cache, and what the run parsed goes back into it.
pub fn check(settings: &Settings, only: &[RelPath]) -> Outcome {
    run(settings, only, true)
}

/// [`check`] without replaying a recorded run: for fixing, which edits what it reads.
pub fn check_afresh(settings: &Settings, only: &[RelPath]) -> Outcome {
    run(settings, only, false)
}

fn run(settings: &Settings, only: &[RelPath], may_replay: bool) -> Outcome {
    let start = crate::cache::now();
    let (files, problems) = walk::walk(&settings.root, &settings.walk);
    let Some(folder) = settings.cache.as_deref() else {
        let repo = Repo::new(settings.root.clone(), files, problems);
        let sink = check_repo(settings, &repo, only);
        return Outcome {
            repo,
            sink,
            cached_files: 0,
        };
    };
    let key = crate::cache::run_key(settings, only, &files, &problems, start);
    let repo = Repo::new(settings.root.clone(), files, problems);
    if let Some(key) = key.filter(|_| may_replay)
        && let Some(sink) = crate::cache::replay(folder, &repo.root, key)
    {
        let cached_files = repo.files.files().count();
        return Outcome {
            repo,
            sink,
            cached_files,
        };
    }
    let cache = crate::cache::load(folder, &repo, start);
    let sink = check_repo(settings, &repo, only);
    let cached_files = cache.primed_files();
    cache.save(&repo);
    if let Some(key) = key {
        crate::cache::record(folder, &repo.root, key, &sink);
    }
    Outcome {
        repo,
        sink,
        cached_files,
    }
}

/// Runs the enabled rules over an existing model.
pub fn check_repo(settings: &Settings, repo: &Repo, only: &[RelPath]) -> Sink {
    crate::par::init();
    warm(
        repo,
        settings
            .rules
            .iter()
            .flat_map(|r| r.check.needs().iter().copied()),
    );
    let (last, first): (Vec<&EnabledRule>, Vec<&EnabledRule>) =
        settings.rules.iter().partition(|r| r.check.runs_last());
    let mut findings = run_rules(&first, repo);
    findings.extend(run_rules(&last, repo));

    let keep = |path: &RelPath, code: &RuleCode| {
        (only.is_empty() || only.iter().any(|p| path.starts_with(p)))
            && !settings
                .per_path_ignores
                .iter()
                .any(|i| i.codes.contains(code) && i.matcher.is_match(path.as_str()))
    };
    let findings: Vec<(&EnabledRule, Finding)> = findings
        .into_iter()
        .filter(|(rule, f)| keep(&f.location.path, &rule.def.code))
        .collect();
    let unused_rule = settings
        .rules
        .iter()
        .find(|r| r.check.reports_unused_suppressions());
    // The sink: nothing below reads a file (debug builds fail on one).
    repo.set_reads_closed(true);
    let texts = Texts::kept(repo, &findings, unused_rule.is_some());
    let diagnostics: Vec<Diagnostic> = findings
        .into_iter()
        .map(|(rule, finding)| to_diagnostic(&texts, rule, finding))
        .collect();
    let known =
        |code: &str| RuleCode::new(code).is_some_and(|c| settings.registry.get(&c).is_some());
    let (mut diagnostics, unused) = suppress::apply(
        |path| texts.text(path),
        texts.read.iter().map(|s| &s.path),
        diagnostics,
        unused_rule.is_some(),
        &known,
    );
    if let Some(rule) = unused_rule {
        diagnostics.extend(
            unused
                .into_iter()
                .filter(|f| keep(&f.location.path, &rule.def.code))
                .map(|finding| to_diagnostic(&texts, rule, finding)),
        );
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    let excerpts = Excerpts::collect(&diagnostics, |path| texts.text(path));
    repo.set_reads_closed(false);
    Sink {
        diagnostics,
        excerpts,
    }
}

/// The texts the sink works from: those the model kept. Nothing is read here: every file a
/// span points into was kept by the facet that made the span ([`Repo::keep_text`]), and
/// every file laylint read that holds a suppression comment was kept when read.
struct Texts {
    by_path: HashMap<RelPath, Arc<SourceFile>>,
    /// Every kept text, in path order, when unused suppressions are reported.
    read: Vec<Arc<SourceFile>>,
}

impl Texts {
    fn kept(repo: &Repo, findings: &[(&EnabledRule, Finding)], all_read: bool) -> Self {
        let mut by_path: HashMap<RelPath, Arc<SourceFile>> = HashMap::new();
        let named = findings.iter().flat_map(|(_, f)| {
            std::iter::once(&f.location).chain(f.related.iter().map(|r| &r.location))
        });
        for location in named {
            if by_path.contains_key(&location.path) {
                continue;
            }
            match repo.kept_source(&location.path) {
                Some(source) => {
                    by_path.insert(location.path.clone(), source);
                }
                None => debug_assert!(
                    location.span.is_none(),
                    "a span into `{}`, whose text was not kept (Repo::keep_text)",
                    location.path
                ),
            }
        }
        let read = if all_read {
            repo.kept_sources()
        } else {
            Vec::new()
        };
        for source in &read {
            by_path
                .entry(source.path.clone())
                .or_insert_with(|| source.clone());
        }
        // A secret's value is masked before anything shows a line of its file.
        for (_, finding) in findings.iter().filter(|(_, f)| !f.redact.is_empty()) {
            let path = &finding.location.path;
            if let Some(source) = by_path.get_mut(path) {
                let text = masked(&source.text, &finding.redact);
                *source = Arc::new(SourceFile::new(path.clone(), text));
            }
        }
        Self { by_path, read }
    }

    fn get(&self, path: &RelPath) -> Option<&SourceFile> {
        self.by_path.get(path).map(|s| &**s)
    }

    fn text(&self, path: &RelPath) -> Option<&str> {
        self.get(path).map(|s| &*s.text)
    }
}

/// `text` with each range (widened to whole characters) replaced by as many `*` as it
/// has bytes: offsets stay valid, the bytes are gone.
fn masked(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for range in ranges {
        let mut start = range.start.min(text.len());
        let mut end = range.end.clamp(start, text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        while !text.is_char_boundary(end) {
            end += 1;
        }
        bytes[start..end].fill(b'*');
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// Builds the facets the rules need before they run, from outside the pool so that each
/// uses all cores. The sequential ones (mypy's crawl of the tree) are built on a side
/// thread, beside the parallel reading and parsing of the others; neither
/// side's parallel work waits on a facet the other is building, so the two cannot
/// deadlock.
fn warm(repo: &Repo, needed: impl Iterator<Item = FacetId>) {
    let mut facets: Vec<FacetId> = Vec::new();
    for facet in needed {
        if !facets.contains(&facet) {
            facets.push(facet);
        }
    }
    let (aside, mut inline): (Vec<FacetId>, Vec<FacetId>) =
        facets.into_iter().partition(|f| f.is_sequential());
    // The credential scan reads every file: last, it finds the files the other facets read
    // already scanned (`Repo::scan_read_text`), and reads only the rest.
    inline.sort_by_key(|&f| f == FacetId::AwsKeys);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            for facet in aside {
                repo.warm(facet);
            }
        });
        for facet in inline {
            repo.warm(facet);
        }
    });
}

fn run_rules<'s>(rules: &[&'s EnabledRule], repo: &Repo) -> Vec<(&'s EnabledRule, Finding)> {
    rules
        .par_iter()
        .flat_map_iter(|rule| rule.check.run(repo).into_iter().map(move |f| (*rule, f)))
        .collect()
}

fn to_diagnostic(texts: &Texts, rule: &EnabledRule, finding: Finding) -> Diagnostic {
    let span = finding.location.span.clone();
    let source = span.as_ref().and(texts.get(&finding.location.path));
    let (start, end) = match (source, &span) {
        (Some(source), Some(span)) => (
            Some(source.line_col(span.start)),
            Some(source.line_col(span.end)),
        ),
        _ => (None, None),
    };
    let related = finding
        .related
        .into_iter()
        .map(|related| {
            let start = related.location.span.as_ref().and_then(|span| {
                texts
                    .get(&related.location.path)
                    .map(|source| source.line_col(span.start))
            });
            RelatedOut {
                location: related.location,
                start,
                message: related.message,
            }
        })
        .collect();
    Diagnostic {
        code: rule.def.code.clone(),
        rule: rule.def.name.clone(),
        severity: rule.severity,
        message: finding.message,
        location: finding.location,
        start,
        end,
        help: finding.help,
        url: rule.def.url(),
        related,
        fix: finding.fix,
    }
}
