//! YAML text to a node graph, as PyYAML's composer builds it from libyaml's events:
//! an alias is an edge to the anchored node (never a copy), so the graph is as large as
//! the text; a recursive alias is an edge back to an open collection.

use std::collections::HashMap;
use std::ops::Range;

use libyaml_safer::{EventData, Parser, ScalarStyle, Scanner, TokenData};

use super::{MAX_DEPTH, YamlError};

/// Nodes the text itself may hold (a file is at most 2 MiB; one node per two bytes).
const MAX_WRITTEN_NODES: usize = 1_100_000;

#[derive(Debug)]
pub(super) enum Body {
    /// `plain_implicit`: PyYAML resolves the value by its text (`1` is an int, `=` is
    /// the value tag): plain without a tag, or any style tagged `!`.
    Scalar {
        value: String,
        plain_implicit: bool,
    },
    Sequence(Vec<usize>),
    Mapping(Vec<(usize, usize)>),
}

#[derive(Debug)]
pub(super) struct Node {
    pub body: Body,
    /// The tag as written, expanded (`!!str` is `tag:yaml.org,2002:str`); `None` when absent.
    pub tag: Option<String>,
    pub span: Range<usize>,
}

/// The nodes of the single document a template holds; children are indices.
#[derive(Debug, Default)]
pub(super) struct Graph {
    pub nodes: Vec<Node>,
    pub root: Option<usize>,
}

/// An open collection.
struct Frame {
    id: usize,
    items: Vec<usize>,
    entries: Vec<(usize, usize)>,
    key: Option<usize>,
    mapping: bool,
}

/// Composes `text`; errors where PyYAML's scanner, parser or composer stops: syntax,
/// a second document, an undefined alias, an anchor defined twice.
pub(super) fn compose(text: &str) -> Result<Graph, YamlError> {
    // libyaml's reader drops one leading byte order mark without counting it: count it
    // here (a second one is the scanner's, and counted).
    let base: usize = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = version_directives_as_1_1(text);
    if let std::borrow::Cow::Owned(rewritten) = &body
        && let Some(offset) = tab_pure_loader_refuses(rewritten)
    {
        return Err(YamlError {
            message: "found a tab that PyYAML's pure loader refuses (and its C loader \
                      refuses this `%YAML` version)"
                .into(),
            span: offset..offset + 1,
        });
    }
    let mut input = body.as_bytes();
    let mut parser = Parser::new();
    parser.set_input_string(&mut input);
    let at = |index: u64| {
        base.saturating_add(usize::try_from(index).unwrap_or(usize::MAX))
            .min(body.len())
    };
    let error = |message: String, span: Range<usize>| YamlError { message, span };

    let mut graph = Graph::default();
    let mut anchors: HashMap<String, usize> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut documents = 0usize;
    loop {
        let event = parser.parse().map_err(|e| syntax_error(&e, &at))?;
        let span = at(event.start_mark.index)..at(event.end_mark.index);
        let (anchor, node) = match event.data {
            EventData::StreamStart { .. } | EventData::DocumentEnd { .. } => continue,
            EventData::StreamEnd => break,
            EventData::DocumentStart { .. } => {
                documents += 1;
                if documents > 1 {
                    return Err(error(
                        "expected a single document in the stream, but found another document"
                            .into(),
                        span,
                    ));
                }
                continue;
            }
            EventData::Alias { anchor } => match anchors.get(&anchor) {
                Some(&id) => {
                    attach(&mut stack, &mut graph, id);
                    continue;
                }
                None => return Err(error(format!("found undefined alias `{anchor}`"), span)),
            },
            EventData::Scalar {
                anchor,
                tag,
                value,
                plain_implicit,
                ..
            } => (
                anchor,
                Node {
                    body: Body::Scalar {
                        value,
                        plain_implicit,
                    },
                    tag,
                    span,
                },
            ),
            EventData::SequenceStart { anchor, tag, .. } => (
                anchor,
                Node {
                    body: Body::Sequence(Vec::new()),
                    tag,
                    span,
                },
            ),
            EventData::MappingStart { anchor, tag, .. } => (
                anchor,
                Node {
                    body: Body::Mapping(Vec::new()),
                    tag,
                    span,
                },
            ),
            EventData::SequenceEnd | EventData::MappingEnd => {
                let Some(frame) = stack.pop() else { continue };
                let node = &mut graph.nodes[frame.id];
                node.body = if frame.mapping {
                    Body::Mapping(frame.entries)
                } else {
                    Body::Sequence(frame.items)
                };
                node.span.end = span.end.max(node.span.start);
                attach(&mut stack, &mut graph, frame.id);
                continue;
            }
        };
        if graph.nodes.len() >= MAX_WRITTEN_NODES {
            return Err(error(
                format!("more than {MAX_WRITTEN_NODES} nodes in one document"),
                node.span,
            ));
        }
        let id = graph.nodes.len();
        // PyYAML registers an anchor when its node starts: an alias inside the node is recursive.
        if let Some(name) = anchor
            && anchors.insert(name.clone(), id).is_some()
        {
            return Err(error(format!("found duplicate anchor `{name}`"), node.span));
        }
        let collection = match node.body {
            Body::Scalar { .. } => None,
            Body::Sequence(_) => Some(false),
            Body::Mapping(_) => Some(true),
        };
        let start = node.span.clone();
        graph.nodes.push(node);
        match collection {
            None => attach(&mut stack, &mut graph, id),
            Some(mapping) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(error(
                        format!("nested deeper than {MAX_DEPTH} levels"),
                        start,
                    ));
                }
                stack.push(Frame {
                    id,
                    items: Vec::new(),
                    entries: Vec::new(),
                    key: None,
                    mapping,
                });
            }
        }
    }
    Ok(graph)
}

/// Adds a finished node (or an alias's target) to the open collection, or makes it the root.
fn attach(stack: &mut [Frame], graph: &mut Graph, id: usize) {
    match stack.last_mut() {
        Some(frame) if frame.mapping => match frame.key.take() {
            Some(key) => frame.entries.push((key, id)),
            None => frame.key = Some(id),
        },
        Some(frame) => frame.items.push(id),
        None => {
            if graph.root.is_none() {
                graph.root = Some(id);
            }
        }
    }
}

fn syntax_error(e: &libyaml_safer::Error, at: &impl Fn(u64) -> usize) -> YamlError {
    let mark = e.problem_mark().or_else(|| e.context_mark());
    let offset = mark.map_or(0, |m| at(m.index));
    let message = match e.context() {
        Some(context) if !context.is_empty() => format!("{context}: {}", e.problem()),
        _ => e.problem().to_string(),
    };
    YamlError {
        message,
        span: offset..offset,
    }
}

/// PyYAML accepts any `%YAML 1.x` directive (with a warning); libyaml only 1.1 and 1.2.
/// Other minor versions are read as 1.1, written with the same byte length.
fn version_directives_as_1_1(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("%YAML") {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        // The first line may start with a byte order mark.
        let line = match line.strip_prefix('\u{feff}') {
            Some(rest) if out.is_empty() => {
                out.push('\u{feff}');
                rest
            }
            _ => line,
        };
        let rewritten = line.strip_prefix("%YAML").and_then(|rest| {
            let trimmed = rest.trim_start_matches([' ', '\t']);
            let lead = rest.len() - trimmed.len();
            let minor = trimmed.strip_prefix("1.")?;
            let digits = minor.len() - minor.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let number = &minor[..digits];
            (lead > 0 && digits > 0 && number != "1" && number != "2").then(|| {
                format!(
                    "%YAML{}1.1{}{}",
                    &rest[..lead],
                    " ".repeat(digits - 1),
                    &minor[digits..]
                )
            })
        });
        out.push_str(rewritten.as_deref().unwrap_or(line));
    }
    out.into()
}

/// Only PyYAML's pure loader reads a `%YAML 1.x` document libyaml refuses, and it refuses
/// a tab between tokens or in a plain scalar, where libyaml allows one: the first such
/// tab, outside quoted and block scalars and comments.
fn tab_pure_loader_refuses(text: &str) -> Option<usize> {
    if !text.contains('\t') {
        return None;
    }
    let mut input = text.as_bytes();
    let mut scanner = Scanner::new();
    scanner.set_input_string(&mut input);
    let base: usize = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let to_usize = |index: u64| base + usize::try_from(index).unwrap_or(usize::MAX - base);
    // Quoted and block scalars, in text order.
    let scalars: Vec<Range<usize>> = scanner
        .map_while(Result::ok)
        .filter(
            |t| matches!(&t.data, TokenData::Scalar { style, .. } if *style != ScalarStyle::Plain),
        )
        .map(|t| to_usize(t.start_mark.index)..to_usize(t.end_mark.index))
        .collect();
    let in_scalar = |offset: usize| {
        let i = scalars.partition_point(|r| r.end <= offset);
        scalars.get(i).is_some_and(|r| r.contains(&offset))
    };
    // Where the comment of the current line starts (computed once per line).
    let mut line: Option<(usize, Option<usize>)> = None;
    let (mut line_start, mut scanned) = (0, 0);
    text.match_indices('\t')
        .map(|(offset, _)| offset)
        .find(|&offset| {
            // Tabs come in order: look for line breaks only since the previous one.
            if let Some(i) = text[scanned..offset].rfind('\n') {
                line_start = scanned + i + 1;
            }
            scanned = offset;
            if in_scalar(offset) {
                return false;
            }
            let comment = match line {
                Some((start, comment)) if start == line_start => comment,
                _ => {
                    let bytes = &text.as_bytes()[line_start..];
                    let end = bytes
                        .iter()
                        .position(|&b| b == b'\n')
                        .unwrap_or(bytes.len());
                    let comment = (0..end)
                        .find(|&i| {
                            bytes[i] == b'#'
                                && (i == 0 || bytes[i - 1] == b' ')
                                && !in_scalar(line_start + i)
                        })
                        .map(|i| line_start + i);
                    line = Some((line_start, comment));
                    comment
                }
            };
            comment.is_none_or(|start| offset < start)
        })
}
