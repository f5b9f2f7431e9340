//! Fuzzes the YAML reader (libyaml's grammar, PyYAML's constructor rules, the alias and
//! merge-key expansion budget) and what reads its tree: the text as a SAM template and as
//! a `serverless.yml`, then handler resolution, in an in-memory repository.
//! Run with `-dict=yaml.dict` to reach anchors, aliases, merge keys and tags sooner.
#![no_main]

#[path = "support.rs"]
mod support;

use laylint::model::templates::yaml::{self, YamlNode, YamlValue};
use libfuzzer_sys::fuzz_target;

/// Every span lies on character boundaries inside the text.
fn check_spans(text: &str, root: &YamlNode) {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        assert!(node.span.start <= node.span.end && node.span.end <= text.len());
        assert!(text.is_char_boundary(node.span.start) && text.is_char_boundary(node.span.end));
        match &node.value {
            YamlValue::Scalar(_) => {}
            YamlValue::Sequence(items) => stack.extend(items),
            YamlValue::Mapping(entries) => stack.extend(entries.iter().flat_map(|(k, v)| [k, v])),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match yaml::parse(text) {
        Ok(Some(root)) => check_spans(text, &root),
        Ok(None) => {}
        Err(error) => assert!(error.span.end <= text.len()),
    }
    // A template only when the text declares CloudFormation: say so, then the text.
    let template = format!("# AWS::Serverless::Function\n{text}");
    let repo = support::repo(&[
        ("template.yaml", &template),
        ("serverless.yml", text),
        ("src/app.py", "def handler(event, context): ...\n"),
    ]);
    let _ = repo.resolved_handlers();
});
