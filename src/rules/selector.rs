//! `select`/`ignore` selectors: `ALL`, a group prefix (`HDL`, `HDL0`), a code or a name.

use std::collections::BTreeSet;

use super::{Registry, RuleDef};
use crate::diagnostic::RuleCode;

/// One entry of `select`, `extend-select` or `ignore`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    All,
    /// A code prefix: picks the default-on rules it covers.
    Prefix(String),
    /// One rule, default-on or not.
    Rule(RuleCode),
}

impl Selector {
    /// Parses a selector against the known rules; unknown ones are an error.
    pub fn parse(text: &str, registry: &Registry) -> Result<Self, String> {
        let trimmed = text.trim();
        if trimmed == "ALL" {
            return Ok(Selector::All);
        }
        if let Some(rule) = registry.find(trimmed) {
            return Ok(Selector::Rule(rule.code.clone()));
        }
        let upper = trimmed.to_ascii_uppercase();
        if !upper.is_empty() && registry.iter().any(|r| r.code.as_str().starts_with(&upper)) {
            return Ok(Selector::Prefix(upper));
        }
        Err(format!(
            "`{trimmed}` is not a rule code, rule name, group prefix or `ALL`"
        ))
    }

    /// How specific the selector is; the most specific match decides.
    fn specificity(&self) -> usize {
        match self {
            Selector::All => 0,
            Selector::Prefix(prefix) => prefix.len(),
            Selector::Rule(_) => usize::MAX,
        }
    }

    /// Whether the selector covers `rule` (for `ignore` and per-path ignores).
    pub fn matches(&self, rule: &RuleDef) -> bool {
        match self {
            Selector::All => true,
            Selector::Prefix(prefix) => rule.code.as_str().starts_with(prefix.as_str()),
            Selector::Rule(code) => &rule.code == code,
        }
    }

    /// Whether selecting with this turns `rule` on (prefixes skip off-by-default rules).
    fn enables(&self, rule: &RuleDef) -> bool {
        self.matches(rule) && (rule.default || !matches!(self, Selector::Prefix(_)))
    }
}

/// The enabled rules: `select` (or every default-on rule) plus `extend-select`, minus
/// `ignore`, where the most specific selector wins and a tie goes to `ignore`.
pub fn resolve(
    registry: &Registry,
    select: Option<&[Selector]>,
    extend_select: &[Selector],
    ignore: &[Selector],
) -> BTreeSet<RuleCode> {
    registry
        .iter()
        .filter(|rule| {
            let selected = match select {
                Some(selectors) => selectors
                    .iter()
                    .chain(extend_select)
                    .filter(|s| s.enables(rule))
                    .map(Selector::specificity)
                    .max(),
                None => {
                    let default = rule.default.then_some(0);
                    let extra = extend_select
                        .iter()
                        .filter(|s| s.enables(rule))
                        .map(Selector::specificity)
                        .max();
                    default.max(extra)
                }
            };
            let ignored = ignore
                .iter()
                .filter(|s| s.matches(rule))
                .map(Selector::specificity)
                .max();
            match (selected, ignored) {
                (Some(s), Some(i)) => s > i,
                (Some(_), None) => true,
                (None, _) => false,
            }
        })
        .map(|rule| rule.code.clone())
        .collect()
}
