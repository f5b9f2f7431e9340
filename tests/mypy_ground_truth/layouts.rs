//! The layouts of the mypy differential test: hand-written corners of mypy's mapping and
//! deterministic pseudo-random serverless repositories.

use crate::common::rng::Rng;

const HANDLER: &str = "def handler(event: dict, context: object) -> None:\n    return None\n";

#[derive(Default)]
pub struct Layout {
    pub name: String,
    pub files: Vec<(String, String)>,
    /// Whether the configuration sets `files` (run `mypy` without arguments).
    pub has_files_setting: bool,
    /// A folder to run laylint on as well: its diagnostics must be the whole run's
    /// under it. Such layouts are written without `.git`.
    pub subfolder: Option<String>,
}

impl Layout {
    fn add(&mut self, path: &str, text: &str) {
        self.files.push((path.to_string(), text.to_string()));
    }
}

/// Where mypy's configuration lives, and how its values are written there.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    MypyIni,
    DotMypyIni,
    Pyproject,
    SetupCfg,
}

#[derive(Default, Clone)]
struct Options {
    explicit_package_bases: Option<bool>,
    namespace_packages: Option<bool>,
    mypy_path: Option<String>,
    exclude: Vec<String>,
    files: Vec<String>,
}

fn render(place: Place, options: &Options) -> (String, String) {
    let toml = place == Place::Pyproject;
    let mut lines = Vec::new();
    let boolean = |b: bool| {
        if toml {
            b.to_string()
        } else {
            (if b { "True" } else { "False" }).to_string()
        }
    };
    if let Some(b) = options.explicit_package_bases {
        lines.push(format!("explicit_package_bases = {}", boolean(b)));
    }
    if let Some(b) = options.namespace_packages {
        lines.push(format!("namespace_packages = {}", boolean(b)));
    }
    if let Some(path) = &options.mypy_path {
        lines.push(if toml {
            format!("mypy_path = \"{path}\"")
        } else {
            format!("mypy_path = {path}")
        });
    }
    if !options.files.is_empty() {
        lines.push(if toml {
            let items: Vec<String> = options.files.iter().map(|f| format!("\"{f}\"")).collect();
            format!("files = [{}]", items.join(", "))
        } else {
            format!("files = {}", options.files.join(", "))
        });
    }
    match options.exclude.as_slice() {
        [] => {}
        [one] if toml => lines.push(format!("exclude = '{one}'")),
        many if toml => {
            let items: Vec<String> = many.iter().map(|e| format!("'{e}'")).collect();
            lines.push(format!("exclude = [{}]", items.join(", ")));
        }
        many => {
            // INI: one verbose regex over several lines.
            let mut text = String::from("exclude = (?x)(\n");
            for (i, e) in many.iter().enumerate() {
                let bar = if i == 0 { " " } else { "|" };
                text.push_str(&format!("    {bar} {e}\n"));
            }
            text.push_str("  )");
            lines.push(text);
        }
    }
    let body = lines.join("\n");
    match place {
        Place::MypyIni => ("mypy.ini".into(), format!("[mypy]\n{body}\n")),
        Place::DotMypyIni => (".mypy.ini".into(), format!("[mypy]\n{body}\n")),
        Place::SetupCfg => (
            "setup.cfg".into(),
            format!("[metadata]\nname = demo\n\n[mypy]\n{body}\n"),
        ),
        Place::Pyproject => (
            "pyproject.toml".into(),
            format!("[project]\nname = \"demo\"\nversion = \"0.1.0\"\n\n[tool.mypy]\n{body}\n"),
        ),
    }
}

fn with_config(layout: &mut Layout, place: Place, options: &Options) {
    let (path, text) = render(place, options);
    layout.has_files_setting = !options.files.is_empty();
    layout.add(&path, &text);
}

/// Hand-written layouts: seed 001 and its fixes, and the corners of mypy's mapping.
pub fn handwritten() -> Vec<Layout> {
    let mut out = Vec::new();
    let seed = |name: &str| {
        let mut l = Layout {
            name: name.to_string(),
            ..Layout::default()
        };
        l.add("functions/add/handler.py", HANDLER);
        l.add("functions/multiply/handler.py", HANDLER);
        l.add("layer/shared/__init__.py", "");
        l.add(
            "layer/shared/math.py",
            "def add(a: int, b: int) -> int:\n    return a + b\n",
        );
        l
    };
    out.push(seed("seed-001"));
    let mut l = seed("seed-001 + __init__ per function");
    l.add("functions/add/__init__.py", "");
    l.add("functions/multiply/__init__.py", "");
    out.push(l);
    let mut l = seed("seed-001 + functions/__init__ only");
    l.add("functions/__init__.py", "");
    out.push(l);
    let mut l = seed("seed-001 + explicit_package_bases");
    let options = Options {
        explicit_package_bases: Some(true),
        mypy_path: Some("layer".into()),
        ..Options::default()
    };
    with_config(&mut l, Place::Pyproject, &options);
    out.push(l);
    let mut l = seed("seed-001 + exclude");
    let options = Options {
        exclude: vec!["^functions/multiply/".into()],
        ..Options::default()
    };
    with_config(&mut l, Place::MypyIni, &options);
    out.push(l);
    let mut l = seed("seed-001 + namespace_packages off");
    let options = Options {
        namespace_packages: Some(false),
        ..Options::default()
    };
    with_config(&mut l, Place::SetupCfg, &options);
    out.push(l);
    // A test importing a handler mypy named `handler`: found twice.
    let mut l = Layout {
        name: "found twice through a test import".into(),
        ..Layout::default()
    };
    l.add("app/main.py", HANDLER);
    l.add("tests/test_main.py", "from app.main import handler\n");
    out.push(l);
    let mut l = Layout {
        name: "relative import reaches a source under a second name".into(),
        ..Layout::default()
    };
    l.add("svc/pkg/__init__.py", "");
    l.add("svc/pkg/core.py", HANDLER);
    l.add("tools/run.py", "import svc.pkg.core\n");
    out.push(l);
    // A monorepo's src layout: tests importing the package by its own name are skipped
    // by the import prefilter; one spelling the path from the root finds it twice.
    for (name, test) in [
        (
            "src layout imported from the root",
            "def test() -> None:\n    from services.a.src.app.handler import handler\n",
        ),
        (
            "src layout imported by its own name only",
            "# services.a.src.app is where it lives\nfrom app.handler import handler\n",
        ),
    ] {
        let mut l = Layout {
            name: name.into(),
            ..Layout::default()
        };
        l.add("services/a/src/app/__init__.py", "");
        l.add("services/a/src/app/handler.py", HANDLER);
        l.add(
            "services/a/tests/test_ok.py",
            "from app.handler import handler\n",
        );
        l.add("services/a/tests/test_other.py", test);
        l.add(
            "services/b/src/lib/__init__.py",
            "from .core import x  # café\n",
        );
        l.add("services/b/src/lib/core.py", "x = 1\n");
        out.push(l);
    }
    // mypy.ini without [mypy] still wins over pyproject's settings.
    let mut l = seed("empty mypy.ini shadows pyproject");
    l.add("mypy.ini", "[mypy-foo.*]\nignore_errors = True\n");
    with_config(
        &mut l,
        Place::Pyproject,
        &Options {
            explicit_package_bases: Some(true),
            ..Options::default()
        },
    );
    out.push(l);
    // setup.cfg [mypy] is used when pyproject has no [tool.mypy].
    let mut l = seed("pyproject without tool.mypy, setup.cfg explicit bases");
    l.add(
        "pyproject.toml",
        "[project]\nname = \"x\"\nversion = \"1\"\n",
    );
    with_config(
        &mut l,
        Place::SetupCfg,
        &Options {
            explicit_package_bases: Some(true),
            ..Options::default()
        },
    );
    out.push(l);
    // Invalid package names: inside the targets, and met while crawling up.
    let mut l = Layout {
        name: "hyphenated package".into(),
        ..Layout::default()
    };
    l.add("services/my-svc/__init__.py", "");
    l.add("services/my-svc/handler.py", HANDLER);
    out.push(l);
    let mut l = Layout {
        name: "hyphenated package reached by crawl from files".into(),
        ..Layout::default()
    };
    l.add("my-svc/__init__.py", "");
    l.add("my-svc/sub/app.py", HANDLER);
    with_config(
        &mut l,
        Place::MypyIni,
        &Options {
            files: vec!["my-svc/sub".into()],
            ..Options::default()
        },
    );
    out.push(l);
    let mut l = Layout {
        name: "hyphenated stubs package is fine".into(),
        ..Layout::default()
    };
    l.add("stubs/foo-stubs/__init__.pyi", "");
    out.push(l);
    // A folder hides a same-named module; a stub hides its .py.
    let mut l = Layout {
        name: "folder hides module, stub hides py".into(),
        ..Layout::default()
    };
    l.add("a/util.py", HANDLER);
    l.add("a/util/helpers.py", HANDLER);
    l.add(
        "b/util.pyi",
        "def handler(event: dict, context: object) -> None: ...\n",
    );
    l.add("b/util.py", HANDLER);
    out.push(l);
    let mut l = Layout {
        name: "same file listed twice in files".into(),
        ..Layout::default()
    };
    l.add("functions/add/handler.py", HANDLER);
    with_config(
        &mut l,
        Place::MypyIni,
        &Options {
            files: vec!["functions".into(), "functions/add/handler.py".into()],
            ..Options::default()
        },
    );
    out.push(l);
    out
}

pub fn generated(count: u64) -> Vec<Layout> {
    let pool = [
        "add", "multiply", "orders", "get_user", "my-svc", "api.v2", "users",
    ];
    (0..count)
        .map(|index| {
            let mut rng = Rng::new(index + 1);
            let mut l = Layout {
                name: format!("generated #{index}"),
                ..Layout::default()
            };
            let top = rng.pick(&["functions", "services", "lambdas", "", "src/functions"]);
            let prefix = |name: &str| {
                if top.is_empty() {
                    name.to_string()
                } else {
                    format!("{top}/{name}")
                }
            };
            let count = 2 + rng.next() % 2;
            let mut names: Vec<&str> = Vec::new();
            while names.len() < count as usize {
                let name = rng.pick(&pool);
                if !names.contains(&name) && (rng.chance(50) || !name.contains(['-', '.'])) {
                    names.push(name);
                }
            }
            let mut dirs = Vec::new();
            for name in &names {
                let dir = prefix(name);
                let file = rng.pick(&["handler.py", "app.py", "handler.py"]);
                l.add(&format!("{dir}/{file}"), HANDLER);
                if rng.chance(35) {
                    l.add(&format!("{dir}/__init__.py"), "");
                }
                if rng.chance(10) {
                    l.add(
                        &format!("{dir}/{}i", file),
                        "def handler(event: dict, context: object) -> None: ...\n",
                    );
                }
                dirs.push((dir, file));
            }
            if !top.is_empty() && rng.chance(25) {
                l.add(&format!("{top}/__init__.py"), "");
            }
            if rng.chance(50) {
                l.add("layer/shared/__init__.py", "");
                l.add("layer/shared/math.py", "X = 1\n");
            }
            if rng.chance(30) {
                l.add(".aws-sam/build/Fn/handler.py", HANDLER);
            }
            if rng.chance(20) {
                l.add("node_modules/pkg/handler.py", HANDLER);
            }
            if rng.chance(30) {
                let (dir, file) = &dirs[0];
                let module = format!("{}.{}", dir.replace('/', "."), file.trim_end_matches(".py"));
                l.add("tests/test_first.py", &format!("import {module}\n"));
                if rng.chance(50) {
                    l.add("tests/__init__.py", "");
                }
            }
            if rng.chance(75) {
                let place = match rng.next() % 4 {
                    0 => Place::MypyIni,
                    1 => Place::DotMypyIni,
                    2 => Place::Pyproject,
                    _ => Place::SetupCfg,
                };
                let mut options = Options::default();
                if rng.chance(45) {
                    options.explicit_package_bases = Some(true);
                    if rng.chance(60) && !top.is_empty() {
                        let two = format!("{top}:layer");
                        options.mypy_path =
                            Some(rng.pick(&[top, "layer", "src", two.as_str()]).to_string());
                    }
                }
                if rng.chance(20) {
                    options.namespace_packages = Some(false);
                }
                if rng.chance(35) {
                    let (dir, file) = &dirs[(rng.next() % dirs.len() as u64) as usize];
                    options.exclude.push(match rng.next() % 3 {
                        0 => format!("^{}/", dir.replace('.', "\\.")),
                        1 => format!("{}$", format!("{dir}/{file}").replace('.', "\\.")),
                        _ => "^tests/".to_string(),
                    });
                    if rng.chance(40) {
                        options.exclude.push("^layer/".to_string());
                    }
                }
                if rng.chance(25) {
                    options.files = if rng.chance(30) {
                        vec![
                            rng.pick(&["*/*/handler.py", "**/*.py", "**/app.py"])
                                .to_string(),
                        ]
                    } else if top.is_empty() || rng.chance(50) {
                        dirs.iter().map(|(d, f)| format!("{d}/{f}")).collect()
                    } else {
                        let mut files = vec![top.to_string()];
                        if l.files.iter().any(|(p, _)| p.starts_with("layer/")) {
                            files.push("layer".to_string());
                        }
                        files
                    };
                }
                with_config(&mut l, place, &options);
            }
            l
        })
        .collect()
}
