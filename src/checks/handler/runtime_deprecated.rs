//! HDL011: a runtime past its end of support, or one laylint does not know, wherever the
//! runtime is a literal (the code location need not resolve). The dates are data
//! (`src/checks/data/lambda_runtimes.toml`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::at;
use crate::diagnostic::{Edit, Finding, Fix, Location};
use crate::model::Repo;
use crate::paths::RelPath;

/// Overrides today's date for HDL011 (`YYYY-MM-DD`), for tests and reproducible runs.
pub const TODAY_ENV: &str = "LAYLINT_TODAY";

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
        toml::from_str::<Runtimes>(include_str!("../data/lambda_runtimes.toml"))
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

/// Resolved handlers first, then functions whose handler did not resolve.
pub(super) fn run(repo: &Repo) -> Vec<Finding> {
    repo.resolved_handlers()
        .iter()
        .map(|resolved| {
            let h = &resolved.handler;
            let written = h.runtime_span.clone().map(|s| (&h.template, s));
            (at(h), h.logical_id.as_str(), h.runtime.as_deref(), written)
        })
        .chain(repo.function_gaps().iter().map(|gap| {
            let at = Location::span(gap.file.clone(), gap.span.clone());
            let written = gap.runtime_span.clone().map(|s| (&gap.file, s));
            (at, gap.name.as_str(), gap.runtime.as_deref(), written)
        }))
        .filter_map(|(at, name, runtime, written)| {
            let finding = runtime_deprecated(at, name, runtime?)?;
            let fix = written.and_then(|(file, span)| bump(repo, file, span, runtime?));
            Some(finding.with_fix(fix))
        })
        .collect()
}

/// The newest runtime supported today: `python3.14` over `python3.9`.
fn newest_supported() -> Option<&'static str> {
    let today = today();
    let version = |name: &str| -> Option<Vec<u32>> {
        name.strip_prefix("python")?
            .split('.')
            .map(|p| p.parse().ok())
            .collect()
    };
    deprecation_dates()
        .iter()
        .filter(|(_, date)| date.as_deref().is_none_or(|d| today.as_str() < d))
        .filter_map(|(name, _)| Some((version(name)?, name.as_str())))
        .max()
        .map(|(_, name)| name)
}

/// HDL011's fix: the runtime's bytes in `file` rewritten as the newest supported runtime,
/// where the file holds the name verbatim (its quotes stay). Unsafe: the code must be
/// tested on the new runtime.
fn bump(repo: &Repo, file: &RelPath, span: std::ops::Range<usize>, runtime: &str) -> Option<Fix> {
    let newest = newest_supported()?;
    deprecation_dates().get(runtime)?.as_ref()?;
    let source = repo.read(file).ok()?;
    let raw = source.text.get(span.clone())?;
    let offset = super::verbatim(raw, runtime)?;
    let start = span.start + offset;
    Some(Fix::unsafe_(
        format!("change the runtime `{runtime}` to `{newest}`"),
        vec![Edit::Replace {
            path: file.clone(),
            range: start..start + runtime.len(),
            content: newest.to_string(),
        }],
    ))
}

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
