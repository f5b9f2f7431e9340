//! Whether PyYAML's `SafeLoader`, with CloudFormation's short tags registered, can build
//! Python values from a composed document: the step after parsing where `safe_load`
//! still fails (an unknown tag, `<<` merging a scalar, a mapping used as a key, a date
//! that does not exist, an intrinsic that contains itself).
//!
//! It follows `SafeConstructor` step by step, on the graph (aliases are shared nodes, so
//! this is linear in the text): lists, mappings, sets, ordered maps and pairs are built
//! by generators whose contents PyYAML fills in later, one round at a time; scalars and
//! the intrinsics (registered like SAM CLI and cfn-lint do, as plain constructors) are
//! built at once, so an intrinsic that reaches itself is "unconstructable recursive".

use std::collections::HashSet;

use super::YamlError;
use super::compose::{Body, Graph};
use super::scalar;

/// The CloudFormation short-form tags the deployment tools register.
pub const INTRINSIC_TAGS: [&str; 18] = [
    "!Ref",
    "!Sub",
    "!GetAtt",
    "!Join",
    "!Select",
    "!Split",
    "!FindInMap",
    "!GetAZs",
    "!ImportValue",
    "!Base64",
    "!Cidr",
    "!Condition",
    "!And",
    "!Or",
    "!Not",
    "!Equals",
    "!If",
    "!Transform",
];

const SEQ: &str = "tag:yaml.org,2002:seq";
const MAP: &str = "tag:yaml.org,2002:map";
const SET: &str = "tag:yaml.org,2002:set";
const OMAP: &str = "tag:yaml.org,2002:omap";
const PAIRS: &str = "tag:yaml.org,2002:pairs";

/// Constructors calling constructors: PyYAML would hit Python's recursion limit well
/// before this, and so would a Rust stack.
const MAX_NESTED_CONSTRUCTION: usize = 1_000;
/// Key/value pairs that merge keys may copy, in all.
const MAX_MERGED_PAIRS: usize = 2_000_000;

/// The tag PyYAML resolves for node `id`.
/// The text a scalar constructor reads from a node, as PyYAML's `SafeConstructor.
/// construct_scalar` does: a scalar's own text, or, for a mapping, the text of the value
/// under its first `=` key (followed through further mappings; a cycle is no scalar).
fn scalar_of(graph: &Graph, mut id: usize) -> Option<&str> {
    for _ in 0..=MAX_NESTED_CONSTRUCTION {
        match &graph.nodes[id].body {
            Body::Scalar { value, .. } => return Some(value),
            Body::Mapping(entries) => {
                id = entries
                    .iter()
                    .find(|&&(key, _)| resolved_tag(graph, key) == scalar::VALUE)?
                    .1;
            }
            Body::Sequence(_) => return None,
        }
    }
    None
}

pub(super) fn resolved_tag(graph: &Graph, id: usize) -> &str {
    let node = &graph.nodes[id];
    match (&node.body, node.tag.as_deref()) {
        (
            Body::Scalar {
                value,
                plain_implicit,
            },
            tag,
        ) => {
            if *plain_implicit {
                scalar::implicit_tag(value)
            } else {
                tag.unwrap_or(scalar::STR)
            }
        }
        (Body::Sequence(_), None | Some("!")) => SEQ,
        (Body::Mapping(_), None | Some("!")) => MAP,
        (_, Some(tag)) => tag,
    }
}

struct Constructor<'g> {
    graph: &'g Graph,
    constructed: Vec<bool>,
    in_progress: Vec<bool>,
    /// Generators whose contents are built in the next round.
    pending: Vec<usize>,
    /// Each mapping's pairs once its merge keys are applied (`flatten_mapping`).
    flattened: Vec<Option<Vec<(usize, usize)>>>,
    flattening: HashSet<usize>,
    /// `=` keys that `flatten_mapping` turned into strings.
    value_keys: HashSet<usize>,
    merged_pairs: usize,
}

/// Each mapping's pairs with merge keys applied (`None`: as written), when
/// `yaml.safe_load` (CloudFormation tags registered) would load the document.
pub(super) type Merged = Vec<Option<Vec<(usize, usize)>>>;

pub(super) fn check(graph: &Graph, root: usize) -> Result<Merged, YamlError> {
    let n = graph.nodes.len();
    let mut c = Constructor {
        graph,
        constructed: vec![false; n],
        in_progress: vec![false; n],
        pending: Vec::new(),
        flattened: vec![None; n],
        flattening: HashSet::new(),
        value_keys: HashSet::new(),
        merged_pairs: 0,
    };
    c.object(root, 0)?;
    while !c.pending.is_empty() {
        for id in std::mem::take(&mut c.pending) {
            c.contents(id, 0)?;
        }
    }
    Ok(c.flattened)
}

impl Constructor<'_> {
    fn error(&self, id: usize, message: String) -> YamlError {
        YamlError {
            message,
            span: self.graph.nodes[id].span.clone(),
        }
    }

    fn tag(&self, id: usize) -> &str {
        let tag = resolved_tag(self.graph, id);
        if tag == scalar::VALUE && self.value_keys.contains(&id) {
            scalar::STR
        } else {
            tag
        }
    }

    /// `construct_object`.
    fn object(&mut self, id: usize, depth: usize) -> Result<(), YamlError> {
        if self.constructed[id] {
            return Ok(());
        }
        if self.in_progress[id] {
            return Err(self.error(id, "found unconstructable recursive node".into()));
        }
        if depth > MAX_NESTED_CONSTRUCTION {
            return Err(self.error(
                id,
                format!("intrinsics nested deeper than {MAX_NESTED_CONSTRUCTION} levels"),
            ));
        }
        self.in_progress[id] = true;
        let tag = self.tag(id).to_string();
        let graph = self.graph;
        match tag.as_str() {
            SEQ | MAP | SET | OMAP | PAIRS => self.pending.push(id),
            t if INTRINSIC_TAGS.contains(&t) => self.intrinsic(id, depth)?,
            t => match (scalar_of(graph, id), scalar::construct(t, "")) {
                (Some(value), Some(_)) => {
                    if let Some(Err(why)) = scalar::construct(t, value) {
                        return Err(self.error(id, why));
                    }
                }
                (None, Some(_)) => {
                    return Err(self.error(id, format!("expected a scalar node for `{t}`")));
                }
                (_, None) => {
                    return Err(self.error(
                        id,
                        format!("could not determine a constructor for the tag `{t}`"),
                    ));
                }
            },
        }
        self.in_progress[id] = false;
        self.constructed[id] = true;
        Ok(())
    }

    /// An intrinsic: its scalar, list or mapping, built at once.
    fn intrinsic(&mut self, id: usize, depth: usize) -> Result<(), YamlError> {
        let graph = self.graph;
        match &graph.nodes[id].body {
            Body::Scalar { .. } => Ok(()),
            Body::Sequence(items) => {
                for &item in items {
                    self.object(item, depth + 1)?;
                }
                Ok(())
            }
            Body::Mapping(_) => self.mapping(id, depth + 1),
        }
    }

    /// The deferred part of a generator constructor.
    fn contents(&mut self, id: usize, depth: usize) -> Result<(), YamlError> {
        let tag = self.tag(id).to_string();
        let graph = self.graph;
        let body = &graph.nodes[id].body;
        match (tag.as_str(), body) {
            (SEQ, Body::Sequence(items)) => {
                for &item in items {
                    self.object(item, depth)?;
                }
                Ok(())
            }
            (MAP | SET, Body::Mapping(_)) => self.mapping(id, depth),
            (OMAP | PAIRS, Body::Sequence(items)) => {
                for &item in items {
                    match &graph.nodes[item].body {
                        Body::Mapping(entries) if entries.len() == 1 => {
                            let (key, value) = entries[0];
                            self.object(key, depth)?;
                            self.object(value, depth)?;
                        }
                        _ => {
                            return Err(self.error(
                                item,
                                format!("expected a single mapping item in `{tag}`"),
                            ));
                        }
                    }
                }
                Ok(())
            }
            (SEQ | OMAP | PAIRS, _) => Err(self.error(id, "expected a sequence node".into())),
            _ => Err(self.error(id, "expected a mapping node".into())),
        }
    }

    /// `construct_mapping`: merge keys applied, then each key (which must be hashable)
    /// and value.
    fn mapping(&mut self, id: usize, depth: usize) -> Result<(), YamlError> {
        let pairs = self.flatten(id, 0)?;
        for (key, value) in pairs {
            self.object(key, depth)?;
            if !self.hashable(key) {
                return Err(self.error(key, "found unhashable key".into()));
            }
            self.object(value, depth)?;
        }
        Ok(())
    }

    /// What a key builds to can go in a Python dict: scalars, not intrinsics (dicts),
    /// lists, mappings or sets.
    fn hashable(&self, id: usize) -> bool {
        matches!(self.graph.nodes[id].body, Body::Scalar { .. })
            && !INTRINSIC_TAGS.contains(&self.tag(id))
    }

    /// `flatten_mapping` (PyYAML 6.0.4): the pairs of `<<` values (a mapping, or a list
    /// of mappings, each flattened first, in order, a key node merged once) before the
    /// mapping's own pairs; where keys repeat, the last pair wins, as in the dict.
    fn flatten(&mut self, id: usize, depth: usize) -> Result<Vec<(usize, usize)>, YamlError> {
        if let Some(pairs) = &self.flattened[id] {
            return Ok(pairs.clone());
        }
        let graph = self.graph;
        let Body::Mapping(entries) = &graph.nodes[id].body else {
            return Ok(Vec::new());
        };
        if depth > MAX_NESTED_CONSTRUCTION {
            return Err(self.error(id, "merge keys nested too deeply".into()));
        }
        let mut own = Vec::with_capacity(entries.len());
        let mut merges = Vec::new();
        for &(key, value) in entries {
            match resolved_tag(graph, key) {
                scalar::MERGE => merges.push(value),
                scalar::VALUE => {
                    self.value_keys.insert(key);
                    own.push((key, value));
                }
                _ => own.push((key, value)),
            }
        }
        if merges.is_empty() || !self.flattening.insert(id) {
            // A mapping that merges itself sees its own pairs, as PyYAML's does.
            return Ok(own);
        }
        let mut merged = Vec::new();
        let mut merged_keys = HashSet::new();
        for value in merges {
            let sources: &[usize] = match &graph.nodes[value].body {
                Body::Mapping(_) => std::slice::from_ref(&value),
                Body::Sequence(items) => items,
                Body::Scalar { .. } => {
                    return Err(self.error(
                        value,
                        "expected a mapping or list of mappings for merging".into(),
                    ));
                }
            };
            for &source in sources {
                if !matches!(graph.nodes[source].body, Body::Mapping(_)) {
                    return Err(self.error(source, "expected a mapping for merging".into()));
                }
                let pairs = self.flatten(source, depth + 1)?;
                self.merged_pairs += pairs.len();
                if self.merged_pairs > MAX_MERGED_PAIRS {
                    return Err(self.error(
                        id,
                        format!(
                            "alias expansion budget exceeded: merge keys copy more than {MAX_MERGED_PAIRS} pairs"
                        ),
                    ));
                }
                for pair in pairs {
                    if merged_keys.insert(pair.0) {
                        merged.push(pair);
                    }
                }
            }
        }
        self.flattening.remove(&id);
        merged.extend(own);
        self.flattened[id] = Some(merged.clone());
        Ok(merged)
    }
}
