//! Configuration and flags resolved once into validated [`Settings`].

use std::collections::BTreeMap;
use std::path::PathBuf;

use globset::{GlobMatcher, GlobSet, GlobSetBuilder};
use toml::Spanned;

use super::options::FailOn;
use super::{ConfigError, ConfigFile};
use crate::checks::CheckSpec;
use crate::diagnostic::{RuleCode, Severity};
use crate::glob::compile_glob;
use crate::rules::selector::{self, Selector};
use crate::rules::{Registry, RuleDef};
use crate::walk::WalkOptions;

/// What the command line adds to or overrides in the configuration.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub fail_on: Option<FailOn>,
    pub no_respect_gitignore: bool,
}

/// A rule that will run, with its effective severity and compiled check.
#[derive(Debug)]
pub struct EnabledRule {
    pub def: RuleDef,
    pub severity: Severity,
    pub check: CheckSpec,
}

/// Rules ignored for the paths a glob matches.
#[derive(Debug)]
pub struct PerPathIgnore {
    pub pattern: String,
    pub matcher: GlobMatcher,
    pub codes: Vec<RuleCode>,
}

/// Everything a run needs, validated.
#[derive(Debug)]
pub struct Settings {
    pub root: PathBuf,
    pub config: Option<ConfigFile>,
    pub registry: Registry,
    pub rules: Vec<EnabledRule>,
    pub per_path_ignores: Vec<PerPathIgnore>,
    pub fail_on: Severity,
    pub walk: WalkOptions,
    pub exclude_patterns: Vec<String>,
    /// The persistent cache's folder; `None` when the run uses no cache (set by the
    /// command: [`Settings::use_cache`]).
    pub cache: Option<PathBuf>,
}

impl Settings {
    pub fn resolve(
        root: PathBuf,
        config: Option<ConfigFile>,
        overrides: &Overrides,
    ) -> Result<Self, ConfigError> {
        let options = config
            .as_ref()
            .map(|c| c.options.clone())
            .unwrap_or_default();
        let at = |span: std::ops::Range<usize>, message: String| match &config {
            Some(file) => file.error(span, message, "here"),
            None => ConfigError::plain(message),
        };

        let mut registry =
            Registry::builtin().map_err(|e| ConfigError::plain(format!("internal error: {e}")))?;
        for custom in options.custom_rules.iter().flatten() {
            registry
                .add(custom.get_ref().clone())
                .map_err(|e| at(custom.span(), format!("invalid custom rule: {e}")))?;
        }

        let parse_spanned =
            |list: &Option<Vec<Spanned<String>>>| -> Result<Vec<Selector>, ConfigError> {
                list.iter()
                    .flatten()
                    .map(|s| Selector::parse(s.get_ref(), &registry).map_err(|e| at(s.span(), e)))
                    .collect()
            };
        let parse_flag = |flag: &str, list: &[String]| -> Result<Vec<Selector>, ConfigError> {
            list.iter()
                .map(|s| {
                    Selector::parse(s, &registry)
                        .map_err(|e| ConfigError::plain(format!("{flag}: {e}")))
                })
                .collect()
        };
        let select = match &overrides.select {
            Some(list) => Some(parse_flag("--select", list)?),
            None if options.select.is_some() => Some(parse_spanned(&options.select)?),
            None => None,
        };
        let mut extend_select = parse_spanned(&options.extend_select)?;
        extend_select.extend(parse_flag("--extend-select", &overrides.extend_select)?);
        let mut ignore = parse_spanned(&options.ignore)?;
        ignore.extend(parse_flag("--ignore", &overrides.ignore)?);
        let enabled = selector::resolve(&registry, select.as_deref(), &extend_select, &ignore);

        let params = rule_params(&options, &registry, &at)?;
        let severities = severity_overrides(&options, &registry, &at)?;
        let custom_spans: BTreeMap<&RuleCode, std::ops::Range<usize>> = options
            .custom_rules
            .iter()
            .flatten()
            .map(|c| (&c.get_ref().code, c.span()))
            .collect();

        let mut rules = Vec::new();
        for def in registry.iter() {
            let mut table = def.check.clone();
            let user = params.get(&def.code);
            if let Some(user) = user {
                for (key, value) in user.get_ref() {
                    table.insert(key.clone(), value.clone());
                }
            }
            let check = CheckSpec::from_table(table).map_err(|e| {
                let message = format!("invalid parameters for {} ({}): {e}", def.code, def.name);
                match (user, custom_spans.get(&def.code)) {
                    (Some(user), _) => at(user.span(), message),
                    (None, Some(span)) => at(span.clone(), message),
                    (None, None) => ConfigError::plain(format!("internal error: {message}")),
                }
            })?;
            if enabled.contains(&def.code) {
                let severity = severities.get(&def.code).copied().unwrap_or(def.severity);
                rules.push(EnabledRule {
                    def: def.clone(),
                    severity,
                    check,
                });
            }
        }

        let per_path_ignores = per_path_ignores(&options, &registry, &at)?;
        let (exclude, exclude_patterns) = exclude_set(&options, &at)?;
        let respect_gitignore =
            !overrides.no_respect_gitignore && options.respect_gitignore.unwrap_or(true);
        let fail_on = overrides
            .fail_on
            .or(options.fail_on)
            .unwrap_or(FailOn::Warning)
            .threshold();
        Ok(Self {
            root,
            config,
            registry,
            rules,
            per_path_ignores,
            fail_on,
            walk: WalkOptions {
                respect_gitignore,
                exclude,
                stamps: false,
                cache_dir: None,
            },
            cache: None,
            exclude_patterns,
        })
    }
}

impl Settings {
    /// Runs with the persistent cache in `folder` (`None`: without one): the walk then
    /// reads each file's stamp, and skips the folder when it is inside the root.
    pub fn use_cache(&mut self, folder: Option<PathBuf>) {
        self.walk.stamps = folder.is_some();
        self.walk.cache_dir = folder
            .as_deref()
            .and_then(|f| crate::paths::RelPath::from_fs(&self.root, f))
            .filter(|rel| !rel.is_root());
        self.cache = folder;
    }
}

type At<'a> = dyn Fn(std::ops::Range<usize>, String) -> ConfigError + 'a;

fn known_rule<'r>(
    registry: &'r Registry,
    key: &Spanned<String>,
    at: &At<'_>,
) -> Result<&'r RuleDef, ConfigError> {
    registry.find(key.get_ref()).ok_or_else(|| {
        at(
            key.span(),
            format!("`{}` is not a rule code or name", key.get_ref()),
        )
    })
}

fn rule_params<'o>(
    options: &'o super::Options,
    registry: &Registry,
    at: &At<'_>,
) -> Result<BTreeMap<RuleCode, &'o Spanned<toml::Table>>, ConfigError> {
    let mut params = BTreeMap::new();
    for (key, table) in options.rules.iter().flatten() {
        let rule = known_rule(registry, key, at)?;
        if table.get_ref().contains_key("kind") {
            return Err(at(
                table.span(),
                format!(
                    "`[rules.{}]` sets parameters; it cannot change the check `kind`",
                    key.get_ref()
                ),
            ));
        }
        params.insert(rule.code.clone(), table);
    }
    Ok(params)
}

fn severity_overrides(
    options: &super::Options,
    registry: &Registry,
    at: &At<'_>,
) -> Result<BTreeMap<RuleCode, Severity>, ConfigError> {
    let mut out = BTreeMap::new();
    for (key, severity) in options.severity.iter().flatten() {
        out.insert(
            known_rule(registry, key, at)?.code.clone(),
            *severity.get_ref(),
        );
    }
    Ok(out)
}

fn per_path_ignores(
    options: &super::Options,
    registry: &Registry,
    at: &At<'_>,
) -> Result<Vec<PerPathIgnore>, ConfigError> {
    let mut out = Vec::new();
    for (pattern, selectors) in options.per_path_ignores.iter().flatten() {
        let matcher = compile_glob(pattern.get_ref())
            .map_err(|e| at(pattern.span(), e))?
            .compile_matcher();
        let mut codes = Vec::new();
        for s in selectors {
            let selector = Selector::parse(s.get_ref(), registry).map_err(|e| at(s.span(), e))?;
            codes.extend(
                registry
                    .iter()
                    .filter(|rule| selector.matches(rule))
                    .map(|rule| rule.code.clone()),
            );
        }
        out.push(PerPathIgnore {
            pattern: pattern.get_ref().clone(),
            matcher,
            codes,
        });
    }
    Ok(out)
}

fn exclude_set(
    options: &super::Options,
    at: &At<'_>,
) -> Result<(GlobSet, Vec<String>), ConfigError> {
    let mut builder = GlobSetBuilder::new();
    let mut patterns = Vec::new();
    for pattern in options
        .exclude
        .iter()
        .flatten()
        .chain(options.extend_exclude.iter().flatten())
    {
        let text = pattern.get_ref();
        builder.add(compile_glob(text).map_err(|e| at(pattern.span(), e))?);
        // `legacy/**` also leaves out the folder itself, so the walk never enters it.
        if let Some(dir) = text.strip_suffix("/**") {
            builder.add(compile_glob(dir).map_err(|e| at(pattern.span(), e))?);
        }
        patterns.push(text.clone());
    }
    let set = builder
        .build()
        .map_err(|e| ConfigError::plain(format!("invalid exclude globs: {e}")))?;
    Ok((set, patterns))
}
