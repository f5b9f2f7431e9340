//! What a `setup.py` says, read from the literal arguments of its `setup(...)` call.
//! The file is parsed with ruff's parser and never executed; arguments built at run time
//! (variables, comprehensions) are not followed, and packages are then discovered.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use super::named_paths::NamedPath;
use super::pyproject::setuptools_named;
use super::{ManifestFacts, Selection};
use crate::model::Repo;
use crate::paths::RelPath;

/// Reads `path`; a file that does not parse is recorded (PAR001) and still declares a project.
pub(crate) fn read(repo: &Repo, path: &RelPath) -> ManifestFacts {
    let mut facts = ManifestFacts {
        declares: true,
        package_mode: true,
        ..ManifestFacts::default()
    };
    let Some(source) = repo.read_or_report(path) else {
        return facts;
    };
    if let Some(reason) = too_deep_to_parse(&source.text) {
        repo.report_problem(path, None, format!("`{path}` was not parsed: {reason}"));
        return facts;
    }
    match ruff_python_parser::parse_module(&source.text) {
        Ok(parsed) => {
            if let Some(call) = find_setup_call(parsed.suite()) {
                read_call(call, &mut facts);
            }
        }
        Err(error) => {
            let range = error.location;
            repo.report_problem(
                path,
                Some(range.start().to_usize()..range.end().to_usize()),
                format!("`{path}` is not valid Python: {}", error.error),
            );
        }
    }
    facts
}

/// The parser recurses once per nesting level (and per operator in a chain such as
/// `1+1+…`), so input built to nest deeply would overflow the stack. A real `setup.py`
/// is a few kilobytes and never nests brackets 200 deep; bounding both bounds the depth.
fn too_deep_to_parse(text: &str) -> Option<&'static str> {
    const MAX_DEPTH: usize = 200;
    const MAX_SIZE: usize = 48 * 1024;
    if text.len() > MAX_SIZE {
        return Some("larger than 48 KiB, more than a `setup.py` needs");
    }
    let mut depth: usize = 0;
    for byte in text.bytes() {
        match byte {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some("brackets nest more than 200 deep");
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The first `setup(...)` / `setuptools.setup(...)` call statement, also inside `if` blocks.
fn find_setup_call(suite: &[Stmt]) -> Option<&ruff_python_ast::ExprCall> {
    for stmt in suite {
        match stmt {
            Stmt::Expr(expr) => {
                if let Expr::Call(call) = expr.value.as_ref()
                    && callee_name(&call.func) == Some("setup")
                {
                    return Some(call);
                }
            }
            Stmt::If(stmt_if) => {
                let found = find_setup_call(&stmt_if.body).or_else(|| {
                    stmt_if
                        .elif_else_clauses
                        .iter()
                        .find_map(|clause| find_setup_call(&clause.body))
                });
                if found.is_some() {
                    return found;
                }
            }
            _ => {}
        }
    }
    None
}

fn callee_name(func: &Expr) -> Option<&str> {
    match func {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attr) => Some(attr.attr.id.as_str()),
        _ => None,
    }
}

fn string(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str()),
        _ => None,
    }
}

fn string_list(expr: &Expr) -> Option<Vec<&str>> {
    let elts = match expr {
        Expr::List(list) => &list.elts,
        Expr::Tuple(tuple) => &tuple.elts,
        _ => return None,
    };
    elts.iter().map(string).collect()
}

fn read_call(call: &ruff_python_ast::ExprCall, facts: &mut ManifestFacts) {
    let keyword = |name: &str| {
        call.arguments
            .keywords
            .iter()
            .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == name))
            .map(|k| &k.value)
    };
    if let Some(value) = keyword("name")
        && let Some(text) = string(value)
    {
        let range = value.range();
        facts.name = Some((
            text.to_string(),
            range.start().to_usize()..range.end().to_usize(),
        ));
    }
    let package_dir: Option<Vec<(String, String)>> = keyword("package_dir").and_then(|v| {
        let Expr::Dict(dict) = v else { return None };
        dict.items
            .iter()
            .map(|item| {
                Some((
                    string(item.key.as_ref()?)?.to_string(),
                    string(&item.value)?.to_string(),
                ))
            })
            .collect()
    });
    let dirs = package_dir.unwrap_or_default();
    let mut selection = Selection::default();
    let mut resolved = false;
    if let Some(value) = keyword("packages") {
        if let Some(names) = string_list(value) {
            selection.entries = setuptools_named(&names, &dirs, false);
            resolved = true;
        } else if let Expr::Call(find) = value
            && matches!(
                callee_name(&find.func),
                Some("find_packages" | "find_namespace_packages")
            )
        {
            let where_ = find
                .arguments
                .keywords
                .iter()
                .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "where"))
                .map(|k| &k.value)
                .or_else(|| find.arguments.args.first())
                .map(|v| string(v).map(str::to_string));
            match where_ {
                None => selection.find_in.push(".".to_string()),
                Some(Some(dir)) => selection.find_in.push(dir),
                Some(None) => {}
            }
            resolved = !selection.find_in.is_empty();
        }
    } else if let Some((_, root)) = dirs.iter().find(|(k, _)| k.is_empty()) {
        selection.find_in.push(root.clone());
        resolved = true;
    }
    if let Some(names) = keyword("py_modules").and_then(string_list) {
        selection
            .entries
            .extend(setuptools_named(&names, &dirs, true));
        resolved = true;
    }
    if resolved {
        facts.selection = Some(selection);
    }
    facts.package_data.unread_settings = [
        "package_data",
        "exclude_package_data",
        "include_package_data",
    ]
    .into_iter()
    .any(|k| keyword(k).is_some());
    facts.named_paths = named_paths(call, &dirs);
}

/// LAY005's paths: literal `package_dir` folders, `packages` names, `find_packages(where)`.
fn named_paths(call: &ruff_python_ast::ExprCall, dirs: &[(String, String)]) -> Vec<NamedPath> {
    let span = |e: &Expr| e.range().start().to_usize()..e.range().end().to_usize();
    let mut out = Vec::new();
    let mut push = |path: &str, span: std::ops::Range<usize>, key: &'static str| {
        let parts: Vec<&str> = path
            .split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .collect();
        if !parts.is_empty() && !path.contains('\\') {
            out.push(NamedPath {
                path: parts.join("/"),
                span,
                key,
            });
        }
    };
    for keyword in &call.arguments.keywords {
        let Some(arg) = keyword.arg.as_ref().map(|a| a.id.as_str()) else {
            continue;
        };
        match (arg, &keyword.value) {
            ("package_dir", Expr::Dict(dict)) => {
                for item in &dict.items {
                    if let Some(dir) = string(&item.value) {
                        push(dir, span(&item.value), "setup(package_dir=…)");
                    }
                }
            }
            ("packages", Expr::List(_) | Expr::Tuple(_)) => {
                let elts = match &keyword.value {
                    Expr::List(list) => &list.elts,
                    Expr::Tuple(tuple) => &tuple.elts,
                    _ => continue,
                };
                for elt in elts {
                    if let Some(name) = string(elt) {
                        for selected in setuptools_named(&[name], dirs, false) {
                            push(&selected.path, span(elt), "setup(packages=…)");
                        }
                    }
                }
            }
            ("packages", Expr::Call(find)) => {
                let where_ = find
                    .arguments
                    .keywords
                    .iter()
                    .find(|k| k.arg.as_ref().is_some_and(|a| a.id.as_str() == "where"))
                    .map(|k| &k.value)
                    .or_else(|| find.arguments.args.first());
                if let Some(value) = where_
                    && let Some(dir) = string(value)
                {
                    push(dir, span(value), "find_packages(where=…)");
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts_of(text: &str) -> ManifestFacts {
        let parsed = ruff_python_parser::parse_module(text).unwrap();
        let mut facts = ManifestFacts::default();
        read_call(find_setup_call(parsed.suite()).unwrap(), &mut facts);
        facts
    }

    #[test]
    fn reads_literal_arguments() {
        let f = facts_of(
            "from setuptools import setup, find_packages\nif True:\n    setup(name='orders', packages=find_packages(where='src'), package_dir={'': 'src'})\n",
        );
        assert_eq!(f.name.unwrap().0, "orders");
        assert_eq!(f.selection.unwrap().find_in, vec!["src".to_string()]);
        let f = facts_of("import setuptools\nsetuptools.setup(packages=['a', 'a.b'])\n");
        assert_eq!(f.selection.unwrap().entries[0].path, "a");
        let f = facts_of("setup(packages=PKGS)\n");
        assert!(f.selection.is_none());
    }
}
