//! A small spanned YAML tree built from saphyr-parser events, iteratively and within
//! budgets: alias bombs and deep nesting give an error, never a crash. JSON templates
//! parse with the same parser (JSON is YAML).

use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, Parser, Span};

/// Nodes a document may expand to, aliases included.
const MAX_NODES: usize = 1_000_000;
/// Nesting depth of sequences and mappings.
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

/// Converts the parser's character indices into byte offsets.
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
    /// Byte offset of every character, built only for non-ASCII text.
    table: Vec<usize>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let ascii = text.is_ascii();
        let table = if ascii {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i).collect()
        };
        Self { text, ascii, table }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.ascii {
            char_index.min(self.text.len())
        } else {
            self.table
                .get(char_index)
                .copied()
                .unwrap_or(self.text.len())
        }
    }

    fn span(&self, span: &Span) -> Range<usize> {
        let start = self.byte(span.start.index());
        start..self.byte(span.end.index()).max(start)
    }
}

/// A collection being built.
enum Frame {
    Sequence {
        items: Vec<YamlNode>,
        tag: Option<String>,
        start: usize,
        anchor: usize,
    },
    Mapping {
        entries: Vec<(YamlNode, YamlNode)>,
        key: Option<YamlNode>,
        tag: Option<String>,
        start: usize,
        anchor: usize,
    },
}

/// Parses the first document of `text` into a tree.
pub fn parse(text: &str) -> Result<Option<YamlNode>, YamlError> {
    let offsets = Offsets::new(text);
    let mut anchors: HashMap<usize, (YamlNode, usize)> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut nodes = 0usize;
    let mut root = None;
    let error = |message: String, span: Range<usize>| YamlError { message, span };

    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| {
            let at = offsets.byte(e.marker().index());
            error(e.info().to_string(), at..at)
        })?;
        let here = offsets.span(&span);
        let opens_sequence = matches!(event, Event::SequenceStart(..));
        // Each event either opens a frame, or completes a node (with its size) to attach.
        let completed: Option<(YamlNode, usize, usize)> = match event {
            Event::DocumentEnd if root.is_some() => break,
            Event::Scalar(value, _, anchor, tag) => Some((
                YamlNode {
                    value: YamlValue::Scalar(value.into_owned()),
                    tag: tag.map(|t| t.to_string()),
                    span: here,
                },
                1,
                anchor,
            )),
            Event::Alias(id) => {
                let Some((node, size)) = anchors.get(&id) else {
                    return Err(error("unknown alias".into(), here));
                };
                if nodes + size > MAX_NODES {
                    return Err(error(
                        format!("aliases expand to more than {MAX_NODES} nodes (alias bomb?)"),
                        here,
                    ));
                }
                Some((node.clone(), *size, 0))
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(error(
                        format!("nested deeper than {MAX_DEPTH} levels"),
                        here,
                    ));
                }
                let tag = tag.map(|t| t.to_string());
                let start = here.start;
                stack.push(if opens_sequence {
                    Frame::Sequence {
                        items: Vec::new(),
                        tag,
                        start,
                        anchor,
                    }
                } else {
                    Frame::Mapping {
                        entries: Vec::new(),
                        key: None,
                        tag,
                        start,
                        anchor,
                    }
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Sequence {
                    items,
                    tag,
                    start,
                    anchor,
                }) => Some((
                    YamlNode {
                        value: YamlValue::Sequence(items),
                        tag,
                        span: start..here.end.max(start),
                    },
                    1,
                    anchor,
                )),
                Some(Frame::Mapping {
                    entries,
                    tag,
                    start,
                    anchor,
                    ..
                }) => Some((
                    YamlNode {
                        value: YamlValue::Mapping(entries),
                        tag,
                        span: start..here.end.max(start),
                    },
                    1,
                    anchor,
                )),
                None => None,
            },
            _ => None,
        };
        let Some((node, size, anchor)) = completed else {
            continue;
        };
        nodes += size;
        if nodes > MAX_NODES {
            return Err(error(
                format!("expands to more than {MAX_NODES} nodes"),
                node.span,
            ));
        }
        if anchor != 0 {
            let subtree = count_nodes(&node);
            anchors.insert(anchor, (node.clone(), subtree));
        }
        match stack.last_mut() {
            Some(Frame::Sequence { items, .. }) => items.push(node),
            Some(Frame::Mapping { entries, key, .. }) => match key.take() {
                Some(k) => entries.push((k, node)),
                None => *key = Some(node),
            },
            None => {
                if root.is_none() {
                    root = Some(node);
                }
            }
        }
    }
    Ok(root)
}

/// Size of a subtree, counted iteratively.
fn count_nodes(node: &YamlNode) -> usize {
    let mut count = 0;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        count += 1;
        match &n.value {
            YamlValue::Scalar(_) => {}
            YamlValue::Sequence(items) => stack.extend(items),
            YamlValue::Mapping(entries) => {
                for (k, v) in entries {
                    stack.push(k);
                    stack.push(v);
                }
            }
        }
    }
    count
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
}
