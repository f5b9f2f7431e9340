//! `check --fix` and `check --diff`: passes of check, plan and apply (see [`crate::fix`]).
//! What the passes did goes to standard error, so that standard output holds only the
//! report (or the diff) in the format asked for.

use std::io::Write;

use crate::config::settings::Settings;
use crate::diagnostic::Diagnostic;
use crate::engine::{self, Outcome};
use crate::exit::ExitStatus;
use crate::fix::{self, MAX_PASSES, Plan};
use crate::paths::RelPath;
use crate::report::escape::escape;

/// Applies the allowed fixes pass after pass until none applies (or [`MAX_PASSES`]), and
/// returns the last check: what remains.
pub fn run(settings: &Settings, only: &[RelPath], unsafe_fixes: bool, show: bool) -> Outcome {
    let mut outcome = engine::check_afresh(settings, only);
    let mut fixed: Vec<Diagnostic> = Vec::new();
    let mut failed: Vec<RelPath> = Vec::new();
    for _ in 0..MAX_PASSES {
        let plan = Plan::new(&outcome.sink.diagnostics, unsafe_fixes, &failed);
        if plan.is_empty() {
            break;
        }
        let applied = fix::apply(&settings.root, &plan, false);
        for (path, why) in &applied.failed {
            eprintln!("laylint: cannot fix `{}`: {why}", escape(path.as_str()));
            failed.push(path.clone());
        }
        let written: std::collections::HashSet<&RelPath> =
            applied.files.iter().map(|f| &f.path).collect();
        fixed.extend(plan.fixes.iter().filter_map(|&i| {
            let d = outcome.sink.diagnostics.get(i)?;
            let fix = d.fix.as_ref()?;
            fix.edits
                .iter()
                .all(|e| written.contains(&e.path()))
                .then(|| d.clone())
        }));
        if written.is_empty() {
            break;
        }
        outcome = engine::check_afresh(settings, only);
    }
    if show {
        for d in &fixed {
            let at = d
                .start
                .map_or(String::new(), |s| format!(":{}:{}", s.line, s.column));
            let what = d.fix.as_ref().map_or("", |f| f.message.as_str());
            eprintln!(
                "fixed {}{at}: {} {} ({})",
                escape(d.location.path.as_str()),
                d.code,
                escape(&d.message),
                escape(what)
            );
        }
    }
    if !fixed.is_empty() {
        let n = fixed.len();
        eprintln!(
            "laylint: fixed {n} finding{}, {} remaining",
            if n == 1 { "" } else { "s" },
            outcome.sink.diagnostics.len()
        );
    }
    outcome
}

/// Prints the diff of one pass of `--fix` and writes nothing: exit 1 when there is a
/// diff. (Fixes that conflict with another are applied by a later pass of `--fix`; the
/// diff shows the first pass.)
pub fn diff(
    settings: &Settings,
    only: &[RelPath],
    unsafe_fixes: bool,
    out: &mut dyn Write,
) -> ExitStatus {
    let outcome = engine::check_afresh(settings, only);
    let plan = Plan::new(&outcome.sink.diagnostics, unsafe_fixes, &[]);
    let applied = fix::apply(&settings.root, &plan, true);
    for (path, why) in &applied.failed {
        eprintln!("laylint: cannot fix `{}`: {why}", escape(path.as_str()));
    }
    let changed: Vec<_> = applied
        .files
        .iter()
        .filter(|f| f.before.as_deref() != Some(f.after.as_str()))
        .collect();
    let text: String = changed.iter().map(|f| fix::diff::unified(f)).collect();
    let status = super::write_out(out, text.as_bytes());
    if status == ExitStatus::Error {
        return status;
    }
    let n = plan.fixes.len();
    eprintln!(
        "laylint: would fix {n} finding{} in {} file{}",
        if n == 1 { "" } else { "s" },
        changed.len(),
        if changed.len() == 1 { "" } else { "s" }
    );
    if changed.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    }
}
