//! Applying suppression comments ([`crate::directives`]) to a run's diagnostics; unused
//! ones are SUP001.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Finding, Location};
pub use crate::directives::{Directive, Suppressions};
use crate::paths::RelPath;

mod unused_fix;

/// The suppressions of a file laylint read, parsed once.
fn sup_for<'m, 't>(
    text_of: &impl Fn(&RelPath) -> Option<&'t str>,
    by_file: &'m mut HashMap<RelPath, Suppressions>,
    path: &RelPath,
) -> Option<&'m mut Suppressions> {
    if !by_file.contains_key(path) {
        let text = text_of(path)?;
        by_file.insert(path.clone(), Suppressions::parse(text));
    }
    by_file.get_mut(path)
}

/// Drops suppressed diagnostics. `text_of` gives the text of the files laylint read (no
/// file is read here). With `report_unused`, also returns a finding for every directive
/// in the files `all_read` names that suppressed nothing.
pub fn apply<'t, 'p>(
    text_of: impl Fn(&RelPath) -> Option<&'t str>,
    all_read: impl Iterator<Item = &'p RelPath>,
    diagnostics: Vec<Diagnostic>,
    report_unused: bool,
    known: &dyn Fn(&str) -> bool,
) -> (Vec<Diagnostic>, Vec<Finding>) {
    let mut by_file: HashMap<RelPath, Suppressions> = HashMap::new();
    let kept: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| {
            // A finding on a whole file is reported at 1:1, so a comment on line 1 suppresses it.
            let line = Some(d.start.map_or(1, |s| s.line));
            sup_for(&text_of, &mut by_file, &d.location.path)
                .is_none_or(|sup| !sup.suppresses(&d.code, line))
        })
        .collect();
    let mut unused = Vec::new();
    if report_unused {
        for path in all_read {
            let text = text_of(path);
            if let Some(sup) = sup_for(&text_of, &mut by_file, path) {
                for directive in sup.unused() {
                    let fix = text.and_then(|text| unused_fix::fix(text, path, sup, directive));
                    let why = if known(&directive.code) {
                        "suppresses nothing here"
                    } else {
                        "is not a rule code"
                    };
                    let message = format!("unused suppression: `{}` {why}", directive.code);
                    unused.push(
                        Finding::new(
                            Location::span(path.clone(), directive.span.clone()),
                            message,
                        )
                        .with_help("remove it from the comment")
                        .with_fix(fix),
                    );
                }
            }
        }
    }
    (kept, unused)
}
