//! Documentation generated from the rules and the configuration types. The files under
//! `docs/` are these functions' output; `tests/docs.rs` fails when they drift.

use std::fmt::Write as _;

use crate::config::Options;
use crate::rules::{Registry, RuleDef};

/// A rule's page: `docs/rules/<CODE>.md`, and what `laylint rule CODE` prints.
pub fn rule_page(rule: &RuleDef) -> String {
    let mut page = format!("# {} `{}`\n\n", rule.code, rule.name);
    let _ = writeln!(
        page,
        "| group | severity | default | fixable |\n|---|---|---|---|\n| {} | {} | {} | {} |\n",
        rule.group,
        rule.severity,
        if rule.default { "on" } else { "off" },
        rule.fixable
    );
    let _ = writeln!(page, "{}\n", rule.summary.trim());
    page.push_str(rule.docs.trim());
    page.push_str("\n\n## Check\n\n```toml\n[check]\n");
    page.push_str(&toml::to_string(&rule.check).unwrap_or_default());
    page.push_str("```\n");
    page
}

/// The text table of `laylint rules`.
pub fn rules_table(registry: &Registry) -> String {
    let header = ["code", "name", "group", "severity", "default", "fixable"].map(String::from);
    // Cells as strings first: the rule types' `Display` ignores width, so padding them
    // directly would misalign the columns.
    let rows: Vec<[String; 6]> = registry
        .iter()
        .map(|r| {
            [
                r.code.to_string(),
                r.name.clone(),
                r.group.to_string(),
                r.severity.to_string(),
                (if r.default { "on" } else { "off" }).to_string(),
                r.fixable.to_string(),
            ]
        })
        .collect();
    let mut widths = [0usize; 6];
    for row in std::iter::once(&header).chain(&rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(widths) {
            let _ = write!(line, "{cell:<width$} ");
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

/// `docs/rules.md`: every rule with its summary, linking to its page.
pub fn rules_index(registry: &Registry) -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from `rules/*.toml` by `LAYLINT_UPDATE_DOCS=1 cargo test --test docs`; do not edit.\n\n\
         | code | name | group | severity | default | summary |\n|---|---|---|---|---|---|\n",
    );
    for r in registry.iter() {
        let _ = writeln!(
            out,
            "| [{code}](rules/{code}.md) | `{}` | {} | {} | {} | {} |",
            r.name,
            r.group,
            r.severity,
            if r.default { "on" } else { "off" },
            r.summary.trim(),
            code = r.code
        );
    }
    out
}

/// `docs/laylint.schema.json`: the JSON Schema of the configuration.
pub fn config_schema() -> String {
    let schema = schemars::schema_for!(Options);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
