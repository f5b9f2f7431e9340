//! The generated documentation must match the rules and the configuration types.
//! Regenerate with `LAYLINT_UPDATE_DOCS=1 cargo test --test docs`.

use std::collections::BTreeMap;
use std::path::Path;

use laylint::docs;
use laylint::rules::Registry;

fn expected_files() -> BTreeMap<String, String> {
    let registry = Registry::builtin().expect("shipped rules load");
    let mut files = BTreeMap::new();
    for rule in registry.iter() {
        files.insert(
            format!("docs/rules/{}.md", rule.code),
            docs::rule_page(rule),
        );
    }
    files.insert("docs/rules.md".into(), docs::rules_index(&registry));
    files.insert("docs/laylint.schema.json".into(), docs::config_schema());
    files
}

#[test]
fn generated_docs_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let update = std::env::var_os("LAYLINT_UPDATE_DOCS").is_some();
    let expected = expected_files();
    let mut stale = Vec::new();
    if update {
        std::fs::create_dir_all(root.join("docs/rules")).unwrap();
    }
    for (path, text) in &expected {
        let full = root.join(path);
        if std::fs::read_to_string(&full).ok().as_deref() != Some(text.as_str()) {
            if update {
                std::fs::write(&full, text).unwrap();
            } else {
                stale.push(path.clone());
            }
        }
    }
    for entry in std::fs::read_dir(root.join("docs/rules"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let path = format!("docs/rules/{}", entry.file_name().to_string_lossy());
        if !expected.contains_key(&path) {
            if update {
                std::fs::remove_file(entry.path()).unwrap();
            } else {
                stale.push(format!("{path} (no such rule)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated docs, run `LAYLINT_UPDATE_DOCS=1 cargo test --test docs`: {stale:?}"
    );
}

#[test]
fn every_configuration_key_is_documented() {
    let guide = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/configuration.md"),
    )
    .unwrap();
    let schema: serde_json::Value = serde_json::from_str(&docs::config_schema()).unwrap();
    for key in schema["properties"].as_object().unwrap().keys() {
        assert!(
            guide.contains(&format!("`{key}`")),
            "docs/configuration.md does not mention `{key}`"
        );
    }
}

/// Every shipped rule's `[check]` table compiles (its fixtures: `tests/rules.rs`).
#[test]
fn every_shipped_rule_compiles() {
    let registry = Registry::builtin().expect("shipped rules load");
    for rule in registry.iter() {
        laylint::checks::CheckSpec::from_table(rule.check.clone())
            .unwrap_or_else(|e| panic!("{}: invalid [check]: {e}", rule.code));
    }
}
