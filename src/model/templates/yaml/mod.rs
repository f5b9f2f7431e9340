//! YAML read as the deployment tools read it: a template loads exactly when PyYAML's
//! `SafeLoader` (what `yaml.safe_load`, SAM CLI and cfn-lint use), with CloudFormation's
//! short tags registered, loads it as a single document.
//!
//! Three steps: [`compose`] parses with libyaml's grammar (the C library under PyYAML's
//! C loader, which PyYAML's pure-Python scanner mirrors: a flow sequence may close at
//! its key's indentation) into a graph where aliases are shared nodes; [`construct`]
//! replays `SafeConstructor` on it (tags, merge keys, hashable keys, scalar types);
//! [`expand`] copies it into a spanned tree, aliases and merges applied, within a budget
//! counted in the bytes produced. JSON templates parse the same way (JSON is YAML).

mod compose;
mod construct;
mod expand;
mod scalar;

use std::ops::Range;

pub use construct::INTRINSIC_TAGS;
pub use expand::EXPANSION_BUDGET;

/// Nesting depth of sequences and mappings, as written and once aliases are expanded.
const MAX_DEPTH: usize = 1_000;

/// One YAML node with its byte span and tag (`!Ref`, `!Sub`… mark intrinsics).
#[derive(Debug, Clone, PartialEq)]
pub struct YamlNode {
    pub value: YamlValue,
    pub tag: Option<String>,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum YamlValue {
    /// Every scalar, as written (quotes removed); `null`/`~` stay text.
    Scalar(String),
    Sequence(Vec<YamlNode>),
    Mapping(Vec<(YamlNode, YamlNode)>),
}

/// A parse failure with its byte location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub span: Range<usize>,
}

impl YamlNode {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            YamlValue::Scalar(text) if self.tag.is_none() => Some(text),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(YamlNode, YamlNode)] {
        match &self.value {
            YamlValue::Mapping(entries) => entries,
            _ => &[],
        }
    }

    /// The value of `key` in a mapping (the last one when repeated).
    pub fn get(&self, key: &str) -> Option<&YamlNode> {
        self.entries()
            .iter()
            .rev()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// A CloudFormation intrinsic: a short-form tag (`!Ref`), or a one-key mapping
    /// `Ref` / `Fn::…` / `Condition` (the JSON form).
    pub fn is_intrinsic(&self) -> bool {
        if self.tag.as_deref().is_some_and(|t| !t.starts_with("!!")) {
            return true;
        }
        match self.entries() {
            [(key, _)] => key
                .as_str()
                .is_some_and(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::")),
            _ => false,
        }
    }
}

/// Parses a template: `Ok(None)` for an empty stream, `Err` exactly where `safe_load`
/// would raise (or where the expansion budget runs out).
pub fn parse(text: &str) -> Result<Option<YamlNode>, YamlError> {
    let graph = compose::compose(text)?;
    let Some(root) = graph.root else {
        return Ok(None);
    };
    let merged = construct::check(&graph, root)?;
    expand::expand(&graph, root, &merged).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_tags_spans_and_aliases() {
        let text = "Resources:\n  Fn:\n    Handler: app.handler\n    Role: !GetAtt R.Arn\n    X: &a [1, 2]\n    Y: *a\n";
        let root = parse(text).unwrap().unwrap();
        let props = root.get("Resources").unwrap().get("Fn").unwrap();
        let handler = props.get("Handler").unwrap();
        assert_eq!(&text[handler.span.clone()], "app.handler");
        assert!(props.get("Role").unwrap().is_intrinsic());
        assert_eq!(props.get("Y").unwrap().value, props.get("X").unwrap().value);
        let json = parse("{\"A\": {\"Fn::Sub\": \"x\"}, \"é\": \"ü\"}")
            .unwrap()
            .unwrap();
        assert!(json.get("A").unwrap().is_intrinsic());
        assert_eq!(json.get("é").unwrap().as_str(), Some("ü"));
    }

    #[test]
    fn reads_a_block_scalar_on_the_last_line_without_a_break() {
        // libyaml-safer panicked here ("unexpected end of input"); PyYAML loads it.
        for text in [
            "Code: |\n  def f(): pass",
            "A: |\n  x\n  }",
            "A: >-\n  x",
            "A: |",
        ] {
            let root = parse(text).unwrap().unwrap();
            assert!(root.entries().len() == 1, "{text:?}");
        }
    }

    #[test]
    fn a_scalar_tag_on_a_mapping_reads_its_value_key() {
        // PyYAML's SafeConstructor.construct_scalar takes a mapping's `=` value.
        assert!(parse("a: !!str\n  =: d\n").is_ok());
        assert!(parse("a: !!int\n  =: 3\n").is_ok());
        assert!(parse("a: !!str\n  b: d\n").is_err());
        assert!(parse("a: !!int\n  =: x\n").is_err());
    }

    #[test]
    fn refuses_bombs_and_depth() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            let refs = vec![format!("*a{prev}"); 10]
                .join(", ")
                .replace("*a0", "*a");
            bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        assert!(parse(&bomb).is_err());
        let deep = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
        assert!(parse(&deep).is_err());
        assert!(parse("a: [1, 2\n").is_err());
    }

    #[test]
    fn reads_what_pyyaml_reads() {
        // A flow sequence closed at its key's indentation (SAM CLI loads it).
        let text = "A:\n  Action: [\n    a,\n    b\n  ]\n  B: 1\n";
        let root = parse(text).unwrap().unwrap();
        let action = root.get("A").unwrap().get("Action").unwrap();
        assert!(matches!(&action.value, YamlValue::Sequence(items) if items.len() == 2));
        // Merge keys apply; the mapping's own keys win.
        let root = parse("d: &d {x: 1, y: 2}\ne: {<<: *d, y: 3}\n")
            .unwrap()
            .unwrap();
        let e = root.get("e").unwrap();
        assert_eq!(e.get("x").and_then(YamlNode::as_str), Some("1"));
        assert_eq!(e.get("y").and_then(YamlNode::as_str), Some("3"));
        // A byte order mark is counted in spans; CRLF too.
        let text = "\u{feff}a: b\r\nc: d\r\n";
        let root = parse(text).unwrap().unwrap();
        assert_eq!(&text[root.get("c").unwrap().span.clone()], "d");
        // Any `%YAML 1.x`, and a recursive alias (PyYAML builds a cyclic list).
        assert!(parse("%YAML 1.3\n--- a\n").is_ok());
        assert!(parse("a: &x [*x]\n").is_ok());
        assert!(parse("a: [!Ref , x]\n").is_ok());
        // Found by cargo fuzz: the vendored scanner panicked at the end of a block scalar.
        assert!(parse("|\n :").is_ok());
        // Found by cargo fuzz: a second byte order mark shifted every span.
        let text = "\u{feff}\u{feff}- a\n";
        let root = parse(text).unwrap().unwrap();
        let YamlValue::Sequence(items) = &root.value else {
            panic!("a list")
        };
        assert_eq!(&text[items[0].span.clone()], "a");
    }

    #[test]
    fn refuses_what_safe_load_refuses() {
        for text in [
            "a\n---\nb\n",
            "a: !Rain::Embed x\n",
            "a: *nothing\n",
            "a: &x 1\nb: &x 2\n",
            "<<: 1\n",
            "? [a]\n: b\n",
            "!Ref a: b\n",
            "a: 2001-13-45\n",
            "a: 0b_\n",
            "a: =\n",
            "a: &x !Ref [*x]\n",
            "a: !!int x\n",
            "a: b\n  c: d\n",
            // A `\` ending the input inside double quotes (found by `cargo fuzz`: the
            // port panicked); both PyYAML loaders refuse it.
            " \"\\",
            "a: \"x\\",
        ] {
            assert!(parse(text).is_err(), "{text:?} should not load");
        }
        for text in [
            "=: a\n",
            "a: !Ref [!Ref [x]]\n",
            "a: &x [!Ref [*x]]\n",
            "a: !!binary aGk=\n",
        ] {
            assert!(parse(text).is_ok(), "{text:?} should load");
        }
    }
}
