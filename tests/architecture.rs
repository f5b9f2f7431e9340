//! Data flows one way between the top-level modules of `src/`: walk → model → checks →
//! engine (the sink) → report → commands/server → cli. A `crate::<top>` reference that
//! closes a cycle fails here, naming every module of the cycle and where each edge is;
//! so does a module after the checks (sink, suppress, report) naming one that reads files.

#[path = "architecture/deps.rs"]
mod deps;

use std::path::Path;

use deps::Graph;

fn read_tree(dir: &Path, base: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_tree(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(base).expect("under src/");
            let text = std::fs::read_to_string(&path).expect("a UTF-8 source file");
            out.push((relative.to_string_lossy().replace('\\', "/"), text));
        }
    }
}

/// Every cycle, one paragraph each: its modules, then each edge inside it and where.
fn describe(graph: &Graph, cycles: &[Vec<String>]) -> String {
    let mut text = String::new();
    for cycle in cycles {
        text.push_str(&format!("cycle between {}:\n", cycle.join(", ")));
        for from in cycle {
            for (to, place) in &graph[from] {
                if cycle.contains(to) {
                    text.push_str(&format!("  {from} -> {to}  ({place})\n"));
                }
            }
        }
    }
    text
}

fn cycles_in(files: &[(String, String)], allowed: &[(&str, &str)]) -> (Graph, Vec<Vec<String>>) {
    let mut graph = deps::graph(files);
    for (from, to) in allowed {
        if let Some(edges) = graph.get_mut(*from) {
            edges.remove(*to);
        }
    }
    let cycles = deps::cycles(&graph);
    (graph, cycles)
}

#[test]
fn no_cycle_between_top_level_modules() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    read_tree(&src, &src, &mut files);
    assert!(files.len() > 20, "src/ was read ({} files)", files.len());
    let (graph, cycles) = cycles_in(&files, &[]);
    assert!(cycles.is_empty(), "\n{}", describe(&graph, &cycles));
}

/// Modules after the checks, and the modules that read the repository: the first never
/// name the second, so nothing after the checks can read a file.
const AFTER_THE_CHECKS: &[&str] = &["sink", "suppress", "report"];
const READERS: &[&str] = &["model", "walk", "safefs", "python"];

/// Every edge from a module after the checks to a reader, with where it is.
fn readers_named(graph: &Graph) -> Vec<String> {
    let mut wrong = Vec::new();
    for from in AFTER_THE_CHECKS {
        for (to, place) in graph.get(*from).into_iter().flatten() {
            if READERS.contains(&to.as_str()) {
                wrong.push(format!("{from} -> {to}  ({place})"));
            }
        }
    }
    wrong
}

#[test]
fn nothing_after_the_checks_names_a_reader() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    read_tree(&src, &src, &mut files);
    let wrong = readers_named(&deps::graph(&files));
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn a_report_naming_the_model_fails() {
    let tree = files(&[
        (
            "report/full.rs",
            "use crate::sink::Excerpt;\nuse crate::model::Repo;\n",
        ),
        ("sink.rs", ""),
        ("model/mod.rs", ""),
    ]);
    assert_eq!(
        readers_named(&deps::graph(&tree)),
        ["report -> model  (src/report/full.rs:2)"]
    );
}

fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

#[test]
fn a_cycle_fails_and_names_its_modules_and_edges() {
    let tree = files(&[
        ("a.rs", "use crate::b::Thing;\nfn f() {}\n"),
        ("b/mod.rs", "mod x;\n"),
        ("b/x.rs", "use crate::{c, paths::RelPath};\n"),
        ("c.rs", "pub fn g() { crate::a::f() }\n"),
        ("paths.rs", "use super::c; use self::x;\n"),
        ("lib.rs", "use crate::a;\n"),
    ]);
    let (graph, cycles) = cycles_in(&tree, &[]);
    assert_eq!(cycles, [vec!["a", "b", "c"]]);
    let text = describe(&graph, &cycles);
    assert!(text.contains("cycle between a, b, c:"), "{text}");
    assert!(text.contains("b -> c  (src/b/x.rs:1)"), "{text}");
    assert!(text.contains("c -> a  (src/c.rs:1)"), "{text}");
    // `super::` is not an edge, and a module of its own is not a cycle.
    assert!(!graph["paths"].contains_key("c"));
    // An allowed edge breaks it.
    assert!(cycles_in(&tree, &[("c", "a")]).1.is_empty());
}

#[test]
fn comments_strings_and_test_modules_are_not_edges() {
    let tree = files(&[
        (
            "a.rs",
            concat!(
                "//! See [`crate::b::X`].\n",
                "/* crate::b /* nested */ crate::b */\n",
                "const S: &str = \"crate::b::x\";\n",
                "const R: &str = r#\"crate::b \"quoted\" \"#;\n",
                "const C: char = '\"'; const Q: char = '\\''; fn f<'a>(x: &'a str) {}\n",
                "#[cfg(test)]\nmod tests { use crate::b; fn g() { { crate::b::h() } } }\n",
                "#[cfg(test)]\nuse crate::b::Y;\n",
                "pub(crate) fn real() { crate::c::go() }\n",
            ),
        ),
        ("b.rs", "use crate::a;\n"),
        ("c.rs", ""),
    ]);
    let graph = deps::graph(&tree);
    let from_a: Vec<&String> = graph["a"].keys().collect();
    assert_eq!(from_a, ["c"]);
    assert_eq!(graph["a"]["c"], "src/a.rs:10");
    assert!(cycles_in(&tree, &[]).1.is_empty());
}
