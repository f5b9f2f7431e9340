//! The composed graph as a tree of spanned nodes: each alias becomes a copy of its
//! anchor and each merge key the pairs it merges, as the tools see the document. The
//! copies are paid for from a budget counted in the bytes they produce, not in depth or
//! alias count, so 2,000 aliases of a 1 MB value stop at the budget instead of filling
//! memory.

use super::compose::{Body, Graph};
use super::construct::INTRINSIC_TAGS;
use super::{MAX_DEPTH, YamlError, YamlNode, YamlValue};

/// What the expanded tree may cost: each node counts for [`NODE_COST`] bytes plus its
/// text: 32 times the largest file laylint reads (2 MiB), and more than any document
/// written without aliases can cost.
pub const EXPANSION_BUDGET: usize = 64 * 1024 * 1024;
/// Roughly what a node costs in memory besides its text.
const NODE_COST: usize = 48;

/// An open collection: the children still to copy and the copies made.
struct Frame {
    id: usize,
    children: Vec<usize>,
    next: usize,
    built: Vec<YamlNode>,
}

/// Expands `root`; `merged[id]` holds a mapping's pairs once merge keys are applied.
pub(super) fn expand(
    graph: &Graph,
    root: usize,
    merged: &[Option<Vec<(usize, usize)>>],
) -> Result<YamlNode, YamlError> {
    let mut cost = 0usize;
    let mut on_path = vec![false; graph.nodes.len()];
    let mut stack: Vec<Frame> = Vec::new();
    let mut next = Some(root);
    loop {
        if let Some(id) = next.take() {
            let node = &graph.nodes[id];
            cost += NODE_COST + node.tag.as_ref().map_or(0, String::len);
            if cost > EXPANSION_BUDGET {
                return Err(over_budget(node.span.clone()));
            }
            let children: Vec<usize> = match &node.body {
                Body::Scalar { value, .. } => {
                    cost += value.len();
                    if cost > EXPANSION_BUDGET {
                        return Err(over_budget(node.span.clone()));
                    }
                    let leaf = leaf(graph, id, value.clone());
                    match stack.last_mut() {
                        Some(frame) => frame.built.push(leaf),
                        None => return Ok(leaf),
                    }
                    continue;
                }
                Body::Sequence(items) => items.clone(),
                Body::Mapping(entries) => merged[id]
                    .as_deref()
                    .unwrap_or(entries)
                    .iter()
                    .flat_map(|&(k, v)| [k, v])
                    .collect(),
            };
            if stack.len() >= MAX_DEPTH {
                return Err(YamlError {
                    message: format!(
                        "nested deeper than {MAX_DEPTH} levels once aliases are expanded"
                    ),
                    span: node.span.clone(),
                });
            }
            on_path[id] = true;
            stack.push(Frame {
                id,
                children,
                next: 0,
                built: Vec::new(),
            });
        }
        let Some(frame) = stack.last_mut() else {
            // Only a finished root empties the stack, and it has returned.
            return Err(over_budget(0..0));
        };
        if let Some(&child) = frame.children.get(frame.next) {
            frame.next += 1;
            if on_path[child] {
                // An alias inside its own anchor: PyYAML builds a cyclic value; the tree
                // holds an empty scalar there.
                let span = graph.nodes[child].span.clone();
                frame.built.push(YamlNode {
                    value: YamlValue::Scalar(String::new()),
                    tag: None,
                    span,
                });
            } else {
                next = Some(child);
            }
            continue;
        }
        let Some(frame) = stack.pop() else { continue };
        on_path[frame.id] = false;
        let node = &graph.nodes[frame.id];
        let value = match node.body {
            Body::Mapping(_) => {
                let mut built = frame.built.into_iter();
                let mut entries = Vec::new();
                while let (Some(k), Some(v)) = (built.next(), built.next()) {
                    entries.push((k, v));
                }
                YamlValue::Mapping(entries)
            }
            _ => YamlValue::Sequence(frame.built),
        };
        let done = YamlNode {
            value,
            tag: intrinsic_tag(graph, frame.id),
            span: node.span.clone(),
        };
        match stack.last_mut() {
            Some(parent) => parent.built.push(done),
            None => return Ok(done),
        }
    }
}

fn leaf(graph: &Graph, id: usize, value: String) -> YamlNode {
    YamlNode {
        value: YamlValue::Scalar(value),
        tag: intrinsic_tag(graph, id),
        span: graph.nodes[id].span.clone(),
    }
}

/// Only intrinsics keep their tag: `!!str 1.5` reads as text.
fn intrinsic_tag(graph: &Graph, id: usize) -> Option<String> {
    graph.nodes[id]
        .tag
        .as_deref()
        .filter(|tag| INTRINSIC_TAGS.contains(tag))
        .map(str::to_string)
}

fn over_budget(span: std::ops::Range<usize>) -> YamlError {
    YamlError {
        message: format!(
            "alias expansion budget exceeded: aliases and merge keys expand this document past {} MiB (an alias bomb?); nothing in it was checked",
            EXPANSION_BUDGET / (1024 * 1024)
        ),
        span,
    }
}
