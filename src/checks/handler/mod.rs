//! `handler`: one kind for every handler rule. The resolution runs once per repository
//! ([`Repo::resolved_handlers`]); each rule picks its finding with `finding`, and each
//! finding is one file below this folder. Every diagnostic points at the `Handler:`
//! value in the declaring file, or at the function's declaration when it has no handler
//! to resolve (HDL010, HDL011, INF001).
//!
//! To add a handler rule: a variant of [`HandlerFinding`], its file here, its arm in
//! [`Handler::run`] (the match has no catch-all, so a variant without an arm does not
//! compile), and `rules/<CODE>-<name>.toml` with `finding = "<variant in kebab-case>"`.

mod arity;
mod async_def;
mod code_root_missing;
mod function_not_found;
mod handler_or_runtime_missing;
mod malformed;
mod module_not_found;
mod not_two_dot;
mod relative_import;
mod runtime_deprecated;
mod serverless_module_prefix;
pub(crate) mod shadows_stdlib;
mod two_dot;
mod unresolvable;

use serde::Deserialize;

pub use runtime_deprecated::TODAY_ENV;

use std::ops::Range;

use crate::diagnostic::{Edit, Finding, Location};
use crate::model::Repo;
use crate::model::handlers::{ResolvedHandler, Verdict};
use crate::model::templates::HandlerRef;
use crate::paths::RelPath;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Handler {
    #[serde(deserialize_with = "super::selector::finding")]
    pub finding: HandlerFinding,
}

/// Which finding a rule reports. A rule naming any other fails when rules load, with
/// the list of these names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HandlerFinding {
    /// HDL001.
    ModuleNotFound,
    /// HDL002.
    FunctionNotFound,
    /// HDL003.
    Malformed,
    /// HDL004.
    RelativeImport,
    /// HDL005.
    Async,
    /// HDL007.
    NotTwoDot,
    /// HDL006.
    Arity,
    /// HDL008.
    ShadowsStdlib,
    /// HDL009.
    CodeRootMissing,
    /// HDL010.
    HandlerOrRuntimeMissing,
    /// HDL011.
    RuntimeDeprecated,
    /// HDL012.
    ServerlessModulePrefix,
    /// INF001.
    Unresolvable,
}

impl Handler {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        match self.finding {
            HandlerFinding::ModuleNotFound => each_handler(repo, module_not_found::check),
            HandlerFinding::FunctionNotFound => each_handler(repo, function_not_found::check),
            HandlerFinding::Malformed => each_handler(repo, malformed::check),
            HandlerFinding::RelativeImport => each_handler(repo, relative_import::check),
            HandlerFinding::Async => each_handler(repo, async_def::check),
            HandlerFinding::NotTwoDot => each_handler(repo, not_two_dot::check),
            HandlerFinding::Arity => each_handler(repo, arity::check),
            HandlerFinding::ShadowsStdlib => each_handler(repo, shadows_stdlib::check),
            HandlerFinding::CodeRootMissing => each_handler(repo, code_root_missing::check),
            HandlerFinding::ServerlessModulePrefix => {
                each_handler(repo, serverless_module_prefix::check)
            }
            HandlerFinding::HandlerOrRuntimeMissing => handler_or_runtime_missing::run(repo),
            HandlerFinding::RuntimeDeprecated => runtime_deprecated::run(repo),
            HandlerFinding::Unresolvable => unresolvable::run(repo),
        }
    }
}

/// A finding judged one resolved handler at a time, in declaration order.
fn each_handler(
    repo: &Repo,
    check: fn(&Repo, &ResolvedHandler) -> Option<Finding>,
) -> Vec<Finding> {
    repo.resolved_handlers()
        .iter()
        .filter_map(|resolved| check(repo, resolved))
        .collect()
}

/// The `Handler:` value.
fn at(h: &HandlerRef) -> Location {
    Location::span(h.template.clone(), h.handler_span.clone())
}

/// The handler's module and function: `a.b.handler` is `("a.b", "handler")`.
fn module_and_function(h: &HandlerRef) -> (&str, &str) {
    h.handler.rsplit_once('.').unwrap_or((&h.handler, ""))
}

/// Adds the code location (`CodeUri`, `Code`, …) as a related location, when known.
fn with_code_span(finding: Finding, h: &HandlerRef) -> Finding {
    match &h.code_span {
        Some(span) => finding.with_related(
            Location::span(h.template.clone(), span.clone()),
            format!("the `{}` value", h.tool.code_key()),
        ),
        None => finding,
    }
}

/// `path` written relative to the template's folder, as `CodeUri` expects.
fn relative_to_template(template: &RelPath, path: &RelPath) -> String {
    let base = template.parent().unwrap_or_default();
    match path.strip_prefix(&base) {
        Some("") => "./".into(),
        Some(rest) => format!("{rest}/"),
        None => {
            let ups = base.depth();
            format!("{}{}/", "../".repeat(ups), path.as_str())
        }
    }
}

/// The edit that writes `new` over the bytes `within` of the handler string, where the
/// declaring file holds the string verbatim (plain, or quoted without escapes: the
/// quotes stay). `None` when it is written otherwise (escapes, folded scalars).
fn handler_edit(repo: &Repo, h: &HandlerRef, within: Range<usize>, new: &str) -> Option<Edit> {
    let source = repo.read(&h.template).ok()?;
    let raw = source.text.get(h.handler_span.clone())?;
    let offset = verbatim(raw, &h.handler)?;
    if within.end > h.handler.len() {
        return None;
    }
    let start = h.handler_span.start + offset;
    Some(Edit::Replace {
        path: h.template.clone(),
        range: start + within.start..start + within.end,
        content: new.to_string(),
    })
}

/// Where `value` starts in `raw`, the text of its span, when `raw` is `value` as written
/// plainly or between one pair of quotes (YAML, JSON, HCL, Python) with no escape.
fn verbatim(raw: &str, value: &str) -> Option<usize> {
    if raw == value {
        return Some(0);
    }
    let quote = raw.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let inner = raw.strip_prefix(quote)?.strip_suffix(quote)?;
    (inner == value).then_some(1)
}

/// Whether the runtime would import and bind `handler` in place of `h`'s: a fix is
/// offered only when it certainly works.
fn resolves(repo: &Repo, h: &HandlerRef, handler: &str) -> bool {
    let mut changed = h.clone();
    changed.handler = handler.to_string();
    resolves_as(repo, &changed)
}

/// Whether the runtime would import and bind the handler `changed` declares.
fn resolves_as(repo: &Repo, changed: &HandlerRef) -> bool {
    matches!(
        crate::model::handlers::resolve(repo, changed),
        Verdict::Ok { .. }
    )
}
