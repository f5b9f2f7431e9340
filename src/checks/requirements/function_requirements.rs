//! PKG001: a function's code imports, when the runtime loads it, a top-level name that
//! nothing it ships provides: not the standard library, not the runtime's own packages,
//! not a module of its code root, not a layer it uses, while nothing installs
//! dependencies into its package. Judged for SAM, CloudFormation and Serverless functions
//! only (the tools whose layers and build settings laylint reads in full).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use super::module_graph::{Names, Walk, judge, start_modules};
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::handlers::Verdict;
use crate::model::templates::layers::{LayerBuild, LayerDecl};
use crate::model::templates::{CodeRoot, HandlerRef, Tool};
use crate::model::tomldoc::TomlValue;
use crate::paths::RelPath;

/// `sys.stdlib_module_names` of the Python the tests run (`tests/pkg001_ground_truth.rs`
/// fails when it differs).
const STDLIB: &str = include_str!("stdlib_modules.txt");

/// Standard modules of the Pythons Lambda runs that the list above may lack: added after
/// it (3.14) or removed before it (`distutils`, `imp`, `asynchat`, `asyncore`, `smtpd`
/// left in 3.12, but older runtimes have them). Never reported.
const OTHER_PYTHONS: [&str; 3] = ["annotationlib", "compression", "_pyrepl"];

/// What the Lambda Python runtime has on `sys.path` beside the code and the layers: the
/// runtime interface client and the AWS SDK with its dependencies (`/var/runtime`), and
/// what some runtime images install in `site-packages` (`pip`, `setuptools`).
const RUNTIME: [&str; 12] = [
    "awslambdaric",
    "boto3",
    "botocore",
    "jmespath",
    "s3transfer",
    "dateutil",
    "urllib3",
    "six",
    "pip",
    "setuptools",
    "pkg_resources",
    "_distutils_hack",
];

/// Files in a code root (or a layer's content) that declare dependencies some build
/// installs: laylint does not map distribution names to import names.
fn declares_dependencies(repo: &Repo, dir: &RelPath) -> bool {
    repo.files.children(dir).any(|e| {
        let name = e.path.file_name();
        matches!(
            name,
            "Pipfile" | "pyproject.toml" | "setup.py" | "setup.cfg" | "poetry.lock" | "uv.lock"
        ) || (name.starts_with("requirements") && name.ends_with(".txt"))
    })
}

/// The nearest project above the code root declares dependencies (`project.dependencies`,
/// poetry's, dependency groups), or its manifest cannot be read.
fn project_declares_dependencies(repo: &Repo, root: &RelPath) -> bool {
    let mut current = root.parent();
    while let Some(dir) = current {
        if ["Pipfile", "setup.py", "setup.cfg"]
            .iter()
            .any(|f| repo.files.is_file(&dir.child(f)))
        {
            return true;
        }
        let manifest = dir.child("pyproject.toml");
        if repo.files.is_file(&manifest) {
            let Some(doc) = repo.toml(&manifest) else {
                return true;
            };
            let listed = doc
                .get("project.dependencies")
                .and_then(TomlValue::as_array)
                .is_some_and(|deps| !deps.is_empty());
            let poetry = doc
                .get("tool.poetry.dependencies")
                .and_then(TomlValue::as_table)
                .is_some_and(|t| t.entries.iter().any(|(k, _)| k != "python"));
            return listed || poetry || doc.get("dependency-groups").is_some();
        }
        current = dir.parent();
    }
    false
}

/// What one function's layers provide: the folders on its `sys.path` (`/opt/python` and
/// its `lib/pythonX.Y/site-packages`), or `None` when laylint cannot see all of it.
fn layer_folders(repo: &Repo, layers: &[&LayerDecl]) -> Option<Vec<RelPath>> {
    let mut folders = Vec::new();
    for layer in layers {
        if layer.build == LayerBuild::Other
            || !repo.files.is_dir(&layer.content)
            || declares_dependencies(repo, &layer.content)
        {
            return None;
        }
        let python = layer.shipped_from("python")?;
        if repo.files.is_dir(&python) && declares_dependencies(repo, &python) {
            return None;
        }
        for version in repo.files.children(&python.child("lib")) {
            folders.push(version.path.child("site-packages"));
        }
        folders.push(python);
    }
    Some(folders)
}

/// Functions judged together, each with the modules its import runs first.
type Group<'a> = Vec<(&'a HandlerRef, Vec<RelPath>)>;

/// One import that fails, and the functions it fails.
struct Failure<'a> {
    name: String,
    handlers: Vec<&'a HandlerRef>,
}

pub(super) fn run(repo: &Repo) -> Vec<Finding> {
    let stdlib: HashSet<&str> = STDLIB.lines().chain(OTHER_PYTHONS).chain(RUNTIME).collect();
    let unseen: HashSet<(&RelPath, &str)> = repo
        .unseen_dependencies()
        .iter()
        .map(|u| (&u.file, u.function.as_str()))
        .collect();
    let declared: HashMap<(&RelPath, &str), &LayerDecl> = repo
        .layers()
        .iter()
        .map(|l| ((&l.file, l.name.as_str()), l))
        .collect();
    let mut uses: HashMap<(&RelPath, &str), Vec<&LayerDecl>> = HashMap::new();
    for used in repo.layer_uses() {
        if let Some(layer) = declared.get(&(&used.layer_file, used.layer.as_str())) {
            uses.entry((&used.file, used.function.as_str()))
                .or_default()
                .push(layer);
        }
    }
    // Functions by code root and the layer folders on their `sys.path`: each group is
    // judged at once, each module read once.
    let mut groups: BTreeMap<(&RelPath, Vec<RelPath>), Group> = BTreeMap::new();
    let mut installs: HashMap<&RelPath, bool> = HashMap::new();
    for resolved in repo.resolved_handlers() {
        let handler = resolved.handler.as_ref();
        if !matches!(
            handler.tool,
            Tool::Sam | Tool::CloudFormation | Tool::Serverless
        ) || !handler
            .runtime
            .as_deref()
            .is_some_and(|r| r.starts_with("python"))
            || handler.package_module.is_some()
            || unseen.contains(&(&handler.template, handler.logical_id.as_str()))
        {
            continue;
        }
        let (
            Verdict::Ok {
                module: Some(module),
            },
            CodeRoot::Local(root),
        ) = (&resolved.verdict, &handler.code_root)
        else {
            continue;
        };
        let installed = *installs.entry(root).or_insert_with(|| {
            declares_dependencies(repo, root) || project_declares_dependencies(repo, root)
        });
        if installed {
            continue;
        }
        let layers = uses
            .get(&(&handler.template, handler.logical_id.as_str()))
            .map_or(&[][..], Vec::as_slice);
        let Some(mut folders) = layer_folders(repo, layers) else {
            continue;
        };
        folders.sort();
        folders.dedup();
        groups
            .entry((root, folders))
            .or_default()
            .push((handler, start_modules(repo, root, module)));
    }
    let (mut names, mut layer_names) = (Names::default(), Names::default());
    let mut failures: BTreeMap<(RelPath, usize, usize), Failure> = BTreeMap::new();
    for ((root, folders), functions) in groups {
        let mut provided = |name: &str| {
            name.starts_with('_')
                || stdlib.contains(name)
                || folders.iter().any(|f| layer_names.holds(repo, f, name))
        };
        let starts: Vec<Vec<RelPath>> = functions.iter().map(|(_, s)| s.clone()).collect();
        let walks = judge(repo, &mut names, root, &starts, &mut provided);
        for ((handler, _), found) in functions.into_iter().zip(walks) {
            if let Walk::Missing(missing) = found {
                failures
                    .entry((missing.module, missing.span.start, missing.span.end))
                    .or_insert_with(|| Failure {
                        name: missing.name,
                        handlers: Vec::new(),
                    })
                    .handlers
                    .push(handler);
            }
        }
    }
    failures
        .into_iter()
        .map(|((module, start, end), failure)| finding(repo, module, start..end, &failure))
        .collect()
}

fn finding(repo: &Repo, module: RelPath, span: Range<usize>, failure: &Failure) -> Finding {
    repo.keep_text(&module);
    let name = &failure.name;
    let first = failure.handlers[0];
    let functions: Vec<String> = failure
        .handlers
        .iter()
        .take(3)
        .map(|h| format!("`{}`", h.logical_id))
        .collect();
    let more = failure.handlers.len().saturating_sub(3);
    let (function_word, ships) = match failure.handlers.len() {
        1 => ("function", "the function ships"),
        _ => ("functions", "they ship"),
    };
    let functions = match more {
        0 => functions.join(", "),
        n => format!("{} and {n} more", functions.join(", ")),
    };
    let root = match &first.code_root {
        CodeRoot::Local(root) if !root.is_root() => root.as_str().to_string(),
        _ => ".".to_string(),
    };
    let (handler_module, _) = first.handler.rsplit_once('.').unwrap_or_default();
    let install = match first.tool {
        Tool::Serverless => format!(
            "list its distribution in `{root}/requirements.txt` and add the `serverless-python-requirements` plugin"
        ),
        Tool::Sam => format!(
            "list its distribution in `{root}/requirements.txt` (`sam build` installs it into the package)"
        ),
        _ => format!("install it into `{root}` before packaging"),
    };
    let mut finding = Finding::new(
        Location::span(module.clone(), span),
        format!(
            "`{name}` is imported when the runtime loads {function_word} {functions}, but nothing {ships} provides it: not the standard library, not the runtime, not the code root `{root}`, not a layer, and no requirements are installed. Lambda fails with `Runtime.ImportModuleError: Unable to import module '{handler_module}': No module named '{name}'`"
        ),
    )
    .with_help(format!(
        "{install}, or ship `{name}` in a layer the function uses (under `python/`)"
    ));
    for handler in failure.handlers.iter().take(3) {
        finding = finding.with_related(
            Location::span(handler.template.clone(), handler.handler_span.clone()),
            format!("function `{}`", handler.logical_id),
        );
    }
    finding
}
