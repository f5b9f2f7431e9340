//! `laylint rule` and `laylint rules`.

use std::io::Write;

use super::args::{ListFormat, RuleArgs, RulesArgs};
use super::fail;
use crate::config::ConfigError;
use crate::docs;
use crate::exit::ExitStatus;
use crate::rules::{Registry, RuleDef};

fn registry() -> Result<Registry, ExitStatus> {
    Registry::builtin().map_err(|e| fail(&ConfigError::plain(format!("internal error: {e}"))))
}

pub fn run(args: &RuleArgs, out: &mut dyn Write) -> ExitStatus {
    let registry = match registry() {
        Ok(r) => r,
        Err(status) => return status,
    };
    let rules: Vec<&RuleDef> = if args.all {
        registry.iter().collect()
    } else {
        let wanted = args.rule.as_deref().unwrap_or_default();
        match registry.find(wanted) {
            Some(rule) => vec![rule],
            None => {
                return fail(
                    &ConfigError::plain(format!("`{wanted}` is not a rule code or name"))
                        .with_help("`laylint rules` lists every rule"),
                );
            }
        }
    };
    let text = match args.output_format {
        ListFormat::Json => {
            let list: Vec<_> = rules
                .iter()
                .map(|r| {
                    let mut object = rule_json(r);
                    object["documentation"] = serde_json::json!(docs::rule_page(r));
                    object
                })
                .collect();
            serde_json::to_string_pretty(&list).unwrap_or_default() + "\n"
        }
        ListFormat::Text => {
            let pages: Vec<String> = rules.iter().map(|r| docs::rule_page(r)).collect();
            pages.join("\n")
        }
    };
    // A closed pipe (`laylint rule --all | head`) is not an error; a full disk is.
    super::write_out(out, text.as_bytes())
}

/// The fields `laylint rules --output-format json` prints for one rule.
fn rule_json(r: &RuleDef) -> serde_json::Value {
    serde_json::json!({
        "code": r.code, "name": r.name, "group": r.group, "severity": r.severity,
        "default": r.default, "fixable": r.fixable, "summary": r.summary, "url": r.url(),
    })
}

pub fn list(args: &RulesArgs, out: &mut dyn Write) -> ExitStatus {
    let registry = match registry() {
        Ok(r) => r,
        Err(status) => return status,
    };
    let text = match args.output_format {
        ListFormat::Json => {
            let rules: Vec<_> = registry.iter().map(rule_json).collect();
            serde_json::to_string_pretty(&rules).unwrap_or_default() + "\n"
        }
        ListFormat::Text => docs::rules_table(&registry),
    };
    super::write_out(out, text.as_bytes())
}
