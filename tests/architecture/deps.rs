//! The graph of `crate::<top>` references between the top-level modules of `src/`.
//!
//! A small lexer drops comments, string and character literals, so a path in a doc
//! comment or a message is not a dependency; items under `#[cfg(test)]` are left out.

use std::collections::{BTreeMap, BTreeSet};

/// One token: an identifier, `::`, or a single punctuation character; with its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub line: usize,
}

/// The identifiers and punctuation of Rust source, without comments and literals.
pub fn lex(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
            }
        } else if let Some(hashes) = raw_string_start(&chars, i) {
            // r"…", r#"…"#, br"…": no escapes, ends at a quote followed by the hashes.
            i = chars[i..]
                .iter()
                .position(|&c| c == '"')
                .map_or(chars.len(), |p| i + p + 1);
            while i < chars.len() {
                if chars[i] == '"' && (1..=hashes).all(|k| at(i + k) == '#') {
                    i += 1 + hashes;
                    break;
                }
                line += usize::from(chars[i] == '\n');
                i += 1;
            }
        } else if c == '"' || ((c == 'b' || c == 'c') && at(i + 1) == '"') {
            i += if c == '"' { 1 } else { 2 };
            while i < chars.len() && chars[i] != '"' {
                line += usize::from(chars[i] == '\n');
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c == '\'' || (c == 'b' && at(i + 1) == '\'') {
            let start = if c == 'b' { i + 1 } else { i };
            if at(start + 1) == '\\' {
                // An escaped character literal: up to the closing quote.
                i = start + 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(start + 2) == '\'' {
                i = start + 3;
            } else {
                // A lifetime or a label: the name follows as an identifier.
                i = start + 1;
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(Token {
                text: chars[start..i].iter().collect(),
                line,
            });
        } else if c == ':' && at(i + 1) == ':' {
            tokens.push(Token {
                text: "::".into(),
                line,
            });
            i += 2;
        } else {
            tokens.push(Token {
                text: c.to_string(),
                line,
            });
            i += 1;
        }
    }
    tokens
}

/// The number of `#` of a raw string starting at `i`, if one does.
fn raw_string_start(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    if chars.get(j) == Some(&'b') || chars.get(j) == Some(&'c') {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    // Not the tail of an identifier (`bar"` cannot occur, but `for r in` can).
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    j += 1;
    let hashes = chars[j..].iter().take_while(|&&c| c == '#').count();
    (chars.get(j + hashes) == Some(&'"')).then_some(hashes)
}

/// Tokens with every item under `#[cfg(test)]` removed (the attribute too).
pub fn without_test_items(tokens: &[Token]) -> Vec<Token> {
    const CFG_TEST: [&str; 7] = ["#", "[", "cfg", "(", "test", ")", "]"];
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let is_cfg_test = tokens.len() - i >= CFG_TEST.len()
            && CFG_TEST.iter().zip(&tokens[i..]).all(|(w, t)| t.text == *w);
        if !is_cfg_test {
            out.push(tokens[i].clone());
            i += 1;
            continue;
        }
        // The item ends at a `;` outside braces, or at the brace that closes its body.
        i += CFG_TEST.len();
        let mut depth = 0usize;
        while i < tokens.len() {
            match tokens[i].text.as_str() {
                "{" => depth += 1,
                "}" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                ";" if depth == 0 => {
                    i += 1;
                    break;
                }
                _ => {}
            }
            i += 1;
        }
    }
    out
}

/// The top-level modules named by `crate::<top>` paths, with their line: `crate::a::b`
/// names `a`, `crate::{a, b::c}` names `a` and `b`. `super::` and `self::` do not count.
pub fn crate_refs(tokens: &[Token]) -> Vec<(String, usize)> {
    let mut refs = Vec::new();
    let text = |i: usize| tokens.get(i).map_or("", |t| t.text.as_str());
    let is_ident = |s: &str| s.starts_with(|c: char| c.is_alphabetic() || c == '_');
    for i in 0..tokens.len() {
        if text(i) != "crate" || text(i + 1) != "::" || (i > 0 && text(i - 1) == "$") {
            continue;
        }
        if is_ident(text(i + 2)) {
            refs.push((text(i + 2).to_string(), tokens[i + 2].line));
        } else if text(i + 2) == "{" {
            let mut depth = 0;
            let mut expect_name = true;
            for (j, token) in tokens.iter().enumerate().skip(i + 2) {
                match token.text.as_str() {
                    "{" => {
                        depth += 1;
                        expect_name = depth == 1;
                    }
                    "}" => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    "," if depth == 1 => expect_name = true,
                    name if expect_name && is_ident(name) => {
                        if name != "self" {
                            refs.push((name.to_string(), tokens[j].line));
                        }
                        expect_name = false;
                    }
                    _ => expect_name = false,
                }
            }
        }
    }
    refs
}

/// The top-level module a file under `src/` belongs to (`None` for `lib.rs` and `main.rs`).
pub fn top_module(relative: &str) -> Option<String> {
    let first = relative.split('/').next()?;
    match first {
        "lib.rs" | "main.rs" => None,
        _ => Some(first.trim_end_matches(".rs").to_string()),
    }
}

/// Edges between top-level modules, each with where it was first seen (`file:line`).
pub type Graph = BTreeMap<String, BTreeMap<String, String>>;

/// The graph of `(path relative to src/, text)` files.
pub fn graph(files: &[(String, String)]) -> Graph {
    let tops: BTreeSet<String> = files.iter().filter_map(|(p, _)| top_module(p)).collect();
    let mut graph: Graph = tops.iter().map(|t| (t.clone(), BTreeMap::new())).collect();
    for (path, text) in files {
        let Some(from) = top_module(path) else {
            continue;
        };
        for (to, line) in crate_refs(&without_test_items(&lex(text))) {
            if to != from && tops.contains(&to) {
                graph
                    .get_mut(&from)
                    .expect("every top module is a node")
                    .entry(to)
                    .or_insert_with(|| format!("src/{path}:{line}"));
            }
        }
    }
    graph
}

/// The strongly connected components with more than one module (Tarjan), sorted.
pub fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, node: &'g str) {
        let n = s.index.len();
        s.index.insert(node, n);
        s.low.insert(node, n);
        s.stack.push(node);
        s.on_stack.insert(node);
        for next in s.graph.get(node).into_iter().flat_map(|e| e.keys()) {
            let next = next.as_str();
            if !s.index.contains_key(next) {
                visit(s, next);
                let low = s.low[node].min(s.low[next]);
                s.low.insert(node, low);
            } else if s.on_stack.contains(next) {
                let low = s.low[node].min(s.index[next]);
                s.low.insert(node, low);
            }
        }
        if s.low[node] == s.index[node] {
            let mut component = Vec::new();
            while let Some(top) = s.stack.pop() {
                s.on_stack.remove(top);
                component.push(top.to_string());
                if top == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    state.out.sort();
    state.out
}
