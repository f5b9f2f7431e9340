//! One check run: walk, model, checks in parallel, then filtering and sorting.

use std::sync::Arc;

use rayon::prelude::*;

use crate::config::settings::{EnabledRule, Settings};
use crate::diagnostic::{Diagnostic, Finding, RelatedOut, RuleCode};
use crate::model::Repo;
use crate::model::facets::FacetId;
use crate::model::source::SourceFile;
use crate::paths::RelPath;
use crate::suppress;
use crate::walk;

/// What a run produced.
pub struct Outcome {
    pub repo: Repo,
    pub diagnostics: Vec<Diagnostic>,
}

impl Outcome {
    /// Number of files in the model.
    pub fn file_count(&self) -> usize {
        self.repo.files.files().count()
    }
}

/// Walks the root, models it, runs every enabled rule, and keeps the diagnostics whose
/// primary location lies under one of `only` (all of them when `only` is empty).
pub fn check(settings: &Settings, only: &[RelPath]) -> Outcome {
    let (files, problems) = walk::walk(&settings.root, &settings.walk);
    let repo = Repo::new(settings.root.clone(), files, problems);
    let diagnostics = check_repo(settings, &repo, only);
    Outcome { repo, diagnostics }
}

/// Runs the enabled rules over an existing model.
pub fn check_repo(settings: &Settings, repo: &Repo, only: &[RelPath]) -> Vec<Diagnostic> {
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
    let diagnostics: Vec<Diagnostic> = findings
        .into_iter()
        .filter(|(rule, f)| keep(&f.location.path, &rule.def.code))
        .map(|(rule, finding)| to_diagnostic(repo, rule, finding))
        .collect();
    let unused_rule = settings
        .rules
        .iter()
        .find(|r| r.check.reports_unused_suppressions());
    let known =
        |code: &str| RuleCode::new(code).is_some_and(|c| settings.registry.get(&c).is_some());
    let (mut diagnostics, unused) =
        suppress::apply(repo, diagnostics, unused_rule.is_some(), &known);
    if let Some(rule) = unused_rule {
        diagnostics.extend(
            unused
                .into_iter()
                .filter(|f| keep(&f.location.path, &rule.def.code))
                .map(|finding| to_diagnostic(repo, rule, finding)),
        );
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    diagnostics
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
    let (aside, inline): (Vec<FacetId>, Vec<FacetId>) =
        facets.into_iter().partition(|f| f.is_sequential());
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

fn source_for(repo: &Repo, path: &RelPath, has_span: bool) -> Option<Arc<SourceFile>> {
    if has_span {
        repo.cached_source(path).or_else(|| repo.read(path).ok())
    } else {
        None
    }
}

fn to_diagnostic(repo: &Repo, rule: &EnabledRule, finding: Finding) -> Diagnostic {
    let span = finding.location.span.clone();
    let source = source_for(repo, &finding.location.path, span.is_some());
    let (start, end) = match (&source, &span) {
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
                source_for(repo, &related.location.path, true)
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
    }
}
