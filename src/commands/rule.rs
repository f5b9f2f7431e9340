//! `laylint rule` and `laylint rules`.

use std::io::Write;

use super::fail;
use crate::cli::{ListFormat, RuleArgs, RulesArgs};
use crate::config::ConfigError;
use crate::docs;
use crate::exit::ExitStatus;
use crate::rules::Registry;

fn registry() -> Result<Registry, ExitStatus> {
    Registry::builtin().map_err(|e| fail(&ConfigError::plain(format!("internal error: {e}"))))
}

pub fn run(args: &RuleArgs, out: &mut dyn Write) -> ExitStatus {
    let registry = match registry() {
        Ok(r) => r,
        Err(status) => return status,
    };
    let pages: Vec<String> = if args.all {
        registry.iter().map(docs::rule_page).collect()
    } else {
        let wanted = args.rule.as_deref().unwrap_or_default();
        match registry.find(wanted) {
            Some(rule) => vec![docs::rule_page(rule)],
            None => {
                return fail(
                    &ConfigError::plain(format!("`{wanted}` is not a rule code or name"))
                        .with_help("`laylint rules` lists every rule"),
                );
            }
        }
    };
    super::write_out(out, pages.join("\n").as_bytes())
}

pub fn list(args: &RulesArgs, out: &mut dyn Write) -> ExitStatus {
    let registry = match registry() {
        Ok(r) => r,
        Err(status) => return status,
    };
    let text = match args.output_format {
        ListFormat::Json => {
            let rules: Vec<_> = registry
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code, "name": r.name, "group": r.group, "severity": r.severity,
                        "default": r.default, "fixable": r.fixable, "summary": r.summary, "url": r.url(),
                    })
                })
                .collect();
            serde_json::to_string_pretty(&rules).unwrap_or_default() + "\n"
        }
        ListFormat::Text => docs::rules_table(&registry),
    };
    super::write_out(out, text.as_bytes())
}
