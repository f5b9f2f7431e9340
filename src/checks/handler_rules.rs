//! The wave-2 findings of the `handler` kind: HDL006, HDL008–HDL012 and INF001. Each
//! points at the handler value (or the function declaration) in the declaring file.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::handler::HandlerFinding;
use crate::diagnostic::{Finding, Location};
use crate::model::Repo;
use crate::model::handlers::{ResolvedHandler, Verdict};
use crate::model::templates::{Gap, HandlerRef};

/// Overrides today's date for HDL011 (`YYYY-MM-DD`), for tests and reproducible runs.
pub const TODAY_ENV: &str = "LAYLINT_TODAY";

#[derive(Deserialize)]
struct Stdlib {
    builtin: Vec<String>,
    stdlib: Vec<String>,
}

fn stdlib() -> &'static Stdlib {
    static DATA: OnceLock<Stdlib> = OnceLock::new();
    DATA.get_or_init(|| {
        toml::from_str(include_str!("data/python_stdlib.toml")).unwrap_or(Stdlib {
            builtin: Vec::new(),
            stdlib: Vec::new(),
        })
    })
}

#[derive(Deserialize)]
struct Runtimes {
    #[serde(default)]
    supported: Vec<String>,
    deprecated: BTreeMap<String, toml::value::Datetime>,
}

/// Runtime → end of standard support, `YYYY-MM-DD` (`None`: supported, no date announced).
fn deprecation_dates() -> &'static BTreeMap<String, Option<String>> {
    static DATA: OnceLock<BTreeMap<String, Option<String>>> = OnceLock::new();
    DATA.get_or_init(|| {
        toml::from_str::<Runtimes>(include_str!("data/lambda_runtimes.toml"))
            .map(|r| {
                let dated = r
                    .deprecated
                    .into_iter()
                    .map(|(k, v)| (k, Some(v.to_string())));
                r.supported
                    .into_iter()
                    .map(|k| (k, None))
                    .chain(dated)
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// Today as `YYYY-MM-DD` (UTC), or `LAYLINT_TODAY`.
fn today() -> String {
    if let Ok(date) = std::env::var(TODAY_ENV)
        && date
            .parse::<toml::value::Datetime>()
            .is_ok_and(|d| d.date.is_some() && d.time.is_none())
    {
        return date;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn at(h: &HandlerRef) -> Location {
    Location::span(h.template.clone(), h.handler_span.clone())
}

/// The findings of one wave-2 rule.
pub fn run(finding: HandlerFinding, repo: &Repo) -> Vec<Finding> {
    match finding {
        HandlerFinding::HandlerOrRuntimeMissing | HandlerFinding::Unresolvable => repo
            .function_gaps()
            .iter()
            .filter_map(|gap| {
                let at = Location::span(gap.file.clone(), gap.span.clone());
                let key = gap.tool.handler_key();
                let message = match (&gap.gap, finding) {
                    (Gap::MissingHandler, HandlerFinding::HandlerOrRuntimeMissing) => format!(
                        "{}: the {} function declares no `{key}`; a zip-packaged function needs one",
                        gap.name, gap.tool
                    ),
                    (Gap::MissingRuntime, HandlerFinding::HandlerOrRuntimeMissing) => format!(
                        "{}: the {} function declares no runtime; a zip-packaged function needs one",
                        gap.name, gap.tool
                    ),
                    (Gap::Unresolvable(why), HandlerFinding::Unresolvable) => {
                        format!("{}: laylint cannot resolve this handler: {why}", gap.name)
                    }
                    (Gap::DeployTime(why), HandlerFinding::Unresolvable) => {
                        format!("{}: not checked: {why}", gap.name)
                    }
                    _ => return None,
                };
                let help = match gap.gap {
                    Gap::Unresolvable(_) => "use literal values for the handler and the code path, or suppress this informational diagnostic",
                    Gap::DeployTime(_) => DEPLOY_TIME_HELP,
                    _ => "declare the handler (`module.function`) and a Python runtime on the function, or in the template's `Globals` / the provider",
                };
                Some(Finding::new(at, message).with_help(help))
            })
            .chain(
                (finding == HandlerFinding::Unresolvable)
                    .then(|| repo.resolved_handlers())
                    .into_iter()
                    .flatten()
                    .filter_map(deploy_time),
            )
            .collect(),
        HandlerFinding::RuntimeDeprecated => repo
            .resolved_handlers()
            .iter()
            .map(|resolved| {
                let h = &resolved.handler;
                (at(h), h.logical_id.as_str(), h.runtime.as_deref())
            })
            .chain(repo.function_gaps().iter().map(|gap| {
                let at = Location::span(gap.file.clone(), gap.span.clone());
                (at, gap.name.as_str(), gap.runtime.as_deref())
            }))
            .filter_map(|(at, name, runtime)| runtime_deprecated(at, name, runtime?))
            .collect(),
        _ => repo
            .resolved_handlers()
            .iter()
            .filter_map(|resolved| per_handler(finding, resolved))
            .collect(),
    }
}

fn per_handler(finding: HandlerFinding, resolved: &ResolvedHandler) -> Option<Finding> {
    let h = &resolved.handler;
    let (module_name, function) = h.handler.rsplit_once('.').unwrap_or((&h.handler, ""));
    match (finding, &resolved.verdict) {
        (HandlerFinding::Arity, Verdict::Arity { module, def_span, why }) => Some(
            Finding::new(
                at(h),
                format!(
                    "{}: `{function}` cannot be called as `{function}(event, context)`: {why} (\"TypeError: {function}() takes …\")",
                    h.logical_id
                ),
            )
            .with_help(format!("define it as `def {function}(event, context):`"))
            .with_related(Location::span(module.clone(), def_span.clone()), "the `def`"),
        ),
        (HandlerFinding::CodeRootMissing, Verdict::CodeRootMissing(root)) => {
            let finding = Finding::new(
                at(h),
                format!(
                    "{}: handler `{}`: the code root `{root}` does not exist",
                    h.logical_id, h.handler
                ),
            )
            .with_help(format!(
                "point `{}` at the folder that holds `{}.py`, or add the folder to .gitignore if a build step creates it",
                h.tool.code_key(),
                module_name.replace('.', "/")
            ));
            Some(match &h.code_span {
                Some(span) => finding.with_related(
                    Location::span(h.template.clone(), span.clone()),
                    "the code location",
                ),
                None => finding,
            })
        }
        (HandlerFinding::ServerlessModulePrefix, Verdict::ModulePrefix { module, fixed }) => Some(
            Finding::new(
                at(h),
                format!(
                    "{}: handler `{}` repeats the `module: {module}` folder; serverless-python-requirements packages `{module}/` as the code root, so the runtime looks for `{module}/{}.py`",
                    h.logical_id,
                    h.handler,
                    module_name.replace('.', "/")
                ),
            )
            .with_help(format!("write `handler: {fixed}`")),
        ),
        (HandlerFinding::ShadowsStdlib, Verdict::Ok { .. } | Verdict::FunctionNotFound { .. } | Verdict::Async { .. } | Verdict::Arity { .. }) => {
            shadows_stdlib(h, module_name)
        }
        _ => None,
    }
}

fn shadows_stdlib(h: &HandlerRef, module_name: &str) -> Option<Finding> {
    let top = module_name.split(['.', '/']).next().unwrap_or(module_name);
    let data = stdlib();
    let builtin = data.builtin.iter().any(|m| m == top);
    if !builtin && !data.stdlib.iter().any(|m| m == top) {
        return None;
    }
    let message = if builtin {
        format!(
            "{}: the handler module `{top}` is named like the built-in module `{top}`, which is compiled into Python: the runtime imports the built-in, never your file",
            h.logical_id
        )
    } else {
        format!(
            "{}: the handler module `{top}` is named like the standard-library module `{top}`; the runtime may already have imported the standard one, and anything in the function that imports `{top}` gets yours",
            h.logical_id
        )
    };
    Some(Finding::new(at(h), message).with_help(format!(
        "rename `{top}` to a name of its own, e.g. `{top}_handler`, and update the handler"
    )))
}

const DEPLOY_TIME_HELP: &str = "nothing to fix: laylint checks what the repository holds, and this exists only once the function is built or deployed";

/// INF001 for a handler whose code a build step makes.
fn deploy_time(resolved: &ResolvedHandler) -> Option<Finding> {
    let Verdict::DeployTime(why) = &resolved.verdict else {
        return None;
    };
    let h = &resolved.handler;
    Some(
        Finding::new(
            at(h),
            format!(
                "{}: handler `{}` not checked: {why}",
                h.logical_id, h.handler
            ),
        )
        .with_help(DEPLOY_TIME_HELP),
    )
}

/// HDL011, wherever the runtime is a literal (the code location need not resolve).
fn runtime_deprecated(at: Location, name: &str, runtime: &str) -> Option<Finding> {
    let Some(date) = deprecation_dates().get(runtime) else {
        return Some(
            Finding::new(
                at,
                format!("{name}: `{runtime}` is not a Lambda Python runtime laylint knows"),
            )
            .with_help("use a supported runtime such as `python3.13`"),
        );
    };
    let date = date.as_deref()?;
    let today = today();
    if today.as_str() < date {
        return None;
    }
    Some(
        Finding::new(
            at,
            format!(
                "{name}: the `{runtime}` runtime reached end of support on {date}; Lambda no longer applies security patches and will block creating and then updating functions that use it"
            ),
        )
        .with_help("move to a supported Python runtime (e.g. `python3.13`) and test the function on it"),
    )
}
