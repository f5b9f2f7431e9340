//! More layouts for the mypy differential test: `files` entries that name nothing (mypy
//! stops: "Cannot read file" / "There are no .py[i] files"), and repositories holding
//! several projects, each with its own `src/__init__.py` and tests importing it, which
//! are also checked through a sub-folder run.

use super::layouts::Layout;
use crate::common::rng::Rng;

const HANDLER: &str = "def handler(event: dict, context: object) -> None:\n    return None\n";

fn add(layout: &mut Layout, path: &str, text: &str) {
    layout.files.push((path.to_string(), text.to_string()));
}

/// `files` (and extra lines) in `mypy.ini` or `pyproject.toml`.
fn config(layout: &mut Layout, toml: bool, files: &[String], extra: &[&str]) {
    layout.has_files_setting = !files.is_empty();
    let mut lines: Vec<String> = extra.iter().map(|l| l.to_string()).collect();
    if !files.is_empty() {
        lines.push(if toml {
            let items: Vec<String> = files.iter().map(|f| format!("\"{f}\"")).collect();
            format!("files = [{}]", items.join(", "))
        } else {
            format!("files = {}", files.join(", "))
        });
    }
    let body = lines.join("\n");
    if toml {
        add(
            layout,
            "pyproject.toml",
            &format!("[project]\nname = \"mono\"\nversion = \"0.1.0\"\n\n[tool.mypy]\n{body}\n"),
        );
    } else {
        add(layout, "mypy.ini", &format!("[mypy]\n{body}\n"));
    }
}

fn named(name: &str) -> Layout {
    Layout {
        name: name.to_string(),
        ..Layout::default()
    }
}

/// Hand-written `files` entries that name nothing, and near misses that are fine.
pub fn missing_targets() -> Vec<Layout> {
    let mut out = Vec::new();
    let seed = |name: &str| {
        let mut l = named(name);
        add(&mut l, "functions/add/handler.py", HANDLER);
        add(&mut l, "docs/index.md", "# Docs\n");
        l
    };
    let cases: [(&str, &[&str], bool, &[&str]); 8] = [
        (
            "missing file",
            &["functions/add/handler.py", "functions/gone/handler.py"],
            false,
            &[],
        ),
        (
            "missing folder first",
            &["functions/gone", "functions/add"],
            true,
            &[],
        ),
        ("folder without python", &["functions", "docs"], false, &[]),
        ("glob matching nothing", &["functions/*/app.py"], true, &[]),
        (
            "recursive glob matching nothing",
            &["**/nothing_*.py"],
            false,
            &[],
        ),
        (
            "every file excluded",
            &["functions"],
            false,
            &["exclude = ^functions/add/"],
        ),
        (
            "glob that matches",
            &["functions/*/handler.py", "docs/*.md"],
            true,
            &[],
        ),
        (
            "config dir variable",
            &["$MYPY_CONFIG_FILE_DIR/functions"],
            false,
            &[],
        ),
    ];
    for (name, files, toml, extra) in cases {
        let mut l = seed(name);
        let files: Vec<String> = files.iter().map(|f| f.to_string()).collect();
        config(&mut l, toml, &files, extra);
        out.push(l);
    }
    // A .gitignored folder exists on disk: mypy reads it.
    let mut l = seed("gitignored target exists");
    add(&mut l, ".gitignore", "generated/\n");
    add(&mut l, "generated/client.py", HANDLER);
    config(
        &mut l,
        false,
        &["generated".into(), "functions".into()],
        &[],
    );
    out.push(l);
    out
}

/// Several projects, each `<top>/<name>/src/__init__.py`, with tests that import the
/// code as `src.…`, by the module's own name, or from the repository root.
pub fn multi_project(count: u64) -> Vec<Layout> {
    (0..count)
        .map(|index| {
            let mut rng = Rng::new(index + 7001);
            let mut l = named(&format!("multi-project #{index}"));
            let top = rng.pick(&["services", "apps", ""]);
            let at = |name: &str| {
                if top.is_empty() {
                    name.to_string()
                } else {
                    format!("{top}/{name}")
                }
            };
            let mut names: Vec<&str> = Vec::new();
            let wanted = 2 + rng.next() % 2;
            while names.len() < wanted as usize {
                let name = rng.pick(&["orders", "users", "billing", "api"]);
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            let mut srcs = Vec::new();
            for name in &names {
                let dir = at(name);
                if rng.chance(85) {
                    add(&mut l, &format!("{dir}/src/__init__.py"), "");
                }
                add(&mut l, &format!("{dir}/src/handler.py"), HANDLER);
                if rng.chance(40) {
                    add(&mut l, &format!("{dir}/src/lib/__init__.py"), "");
                    add(&mut l, &format!("{dir}/src/lib/util.py"), "X = 1\n");
                }
                if rng.chance(70) {
                    let dotted = dir.replace('/', ".");
                    let import = match rng.next() % 4 {
                        0 => "from src.handler import handler\n".to_string(),
                        1 => "from handler import handler\n".to_string(),
                        2 => "import src.handler\n".to_string(),
                        _ => format!("from {dotted}.src.handler import handler\n"),
                    };
                    add(&mut l, &format!("{dir}/tests/test_{name}.py"), &import);
                    if rng.chance(30) {
                        add(&mut l, &format!("{dir}/tests/__init__.py"), "");
                    }
                }
                if rng.chance(30) {
                    add(&mut l, &format!("{dir}/__init__.py"), "");
                }
                if rng.chance(30) {
                    add(
                        &mut l,
                        &format!("{dir}/pyproject.toml"),
                        &format!(
                            "[project]\nname = \"{name}\"\nversion = \"0.1.0\"\n\n[tool.mypy]\nexplicit_package_bases = true\n"
                        ),
                    );
                }
                srcs.push(format!("{dir}/src"));
            }
            if !top.is_empty() && rng.chance(20) {
                add(&mut l, &format!("{top}/__init__.py"), "");
            }
            if rng.chance(60) {
                let mut extra = Vec::new();
                if rng.chance(30) {
                    extra.push("explicit_package_bases = True");
                }
                if rng.chance(25) {
                    extra.push("exclude = /tests/");
                }
                let mut files = Vec::new();
                if rng.chance(50) {
                    files = srcs.clone();
                    if rng.chance(40) {
                        files.push(at("ghost/src"));
                    }
                    if rng.chance(20) {
                        files.push("*/nothing/*.py".into());
                    }
                }
                let toml = rng.chance(50);
                let extra: Vec<&str> = if toml {
                    extra
                        .iter()
                        .map(|e| match *e {
                            "explicit_package_bases = True" => "explicit_package_bases = true",
                            "exclude = /tests/" => "exclude = '/tests/'",
                            other => other,
                        })
                        .collect()
                } else {
                    extra
                };
                // The root pyproject would shadow setup.cfg, but not a project's own.
                config(&mut l, toml, &files, &extra);
            }
            l.subfolder = Some(at(names[0]));
            l
        })
        .collect()
}
