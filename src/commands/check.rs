//! `laylint check`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use super::args::CheckArgs;
use super::fail;
use crate::config::settings::{Overrides, Settings};
use crate::config::{self, ConfigError};
use crate::diagnostic::Diagnostic;
use crate::engine;
use crate::exit::ExitStatus;
use crate::paths::RelPath;
use crate::report::{self, OutputFormat, ReportContext};

pub fn run(args: &CheckArgs, stdout_is_terminal: bool, stdout: &mut dyn Write) -> ExitStatus {
    match prepare(args) {
        Ok((settings, only)) => execute(args, &settings, &only, stdout_is_terminal, stdout),
        Err(error) => fail(&error),
    }
}

/// Resolves the root, the configuration and the PATH filter.
fn prepare(args: &CheckArgs) -> Result<(Settings, Vec<RelPath>), ConfigError> {
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut resolved = Vec::new();
    for path in &paths {
        let absolute = config::resolve_no_follow(path)?;
        if std::fs::symlink_metadata(&absolute).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(ConfigError::plain(format!(
                "`{}` is a symlink; laylint never follows symlinks",
                path.display()
            ))
            .with_help("name the file or folder it points at, inside the repository"));
        }
        resolved.push(absolute);
    }
    let root = config::find_root_from_cwd(&resolved[0])?;
    let mut only = Vec::new();
    for (path, absolute) in paths.iter().zip(&resolved) {
        let rel = RelPath::from_fs(&root, absolute).ok_or_else(|| {
            ConfigError::plain(format!(
                "`{}` is outside the repository root `{}`",
                path.display(),
                root.display()
            ))
        })?;
        only.push(rel);
    }
    if only.iter().any(RelPath::is_root) {
        only.clear();
    }
    let config_file = config::load(&root, args.config.as_deref())?;
    let overrides = Overrides {
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
        fail_on: args.fail_on,
        no_respect_gitignore: args.no_respect_gitignore,
    };
    let mut settings = Settings::resolve(root, config_file, &overrides)?;
    let cache = crate::cache::location(&settings.root, args.no_cache, args.cache_dir.as_deref());
    settings.use_cache(cache);
    Ok((settings, only))
}

fn execute(
    args: &CheckArgs,
    settings: &Settings,
    only: &[RelPath],
    is_terminal: bool,
    stdout: &mut dyn Write,
) -> ExitStatus {
    let mut file_out;
    let (out, to_terminal): (&mut dyn Write, bool) = match &args.output_file {
        Some(path) => match std::fs::File::create(path) {
            Ok(file) => {
                file_out = std::io::BufWriter::new(file);
                (&mut file_out, false)
            }
            Err(e) => {
                return fail(&ConfigError::plain(format!(
                    "cannot write `{}`: {}",
                    path.display(),
                    config::io_reason(&e)
                )));
            }
        },
        None => (stdout, is_terminal),
    };
    if args.show_settings {
        return write_or_fail(show_settings(settings, out).and_then(|()| out.flush()));
    }
    // The process exits right after: freeing the model of a monorepo (a syntax-derived
    // record per module) would only add to the wall time, so it is left to the OS.
    if args.diff {
        return super::fix::diff(settings, only, args.unsafe_fixes, out);
    }
    let outcome = std::mem::ManuallyDrop::new(if args.fix {
        super::fix::run(settings, only, args.unsafe_fixes, args.show_fixes)
    } else {
        engine::check(settings, only)
    });
    if args.show_files {
        let listing: String = outcome
            .repo
            .files
            .files()
            .map(|f| format!("{}\n", f.path))
            .collect();
        return super::write_out(out, listing.as_bytes());
    }
    if args.show_handlers {
        let as_json = matches!(
            args.output_format,
            OutputFormat::Json | OutputFormat::JsonLines
        );
        return write_or_fail(
            super::handlers::write(&outcome.repo, as_json, out).and_then(|()| out.flush()),
        );
    }
    let diagnostics = &outcome.sink.diagnostics;
    let written = if args.statistics {
        statistics(diagnostics, args.output_format, out)
    } else {
        let cx = ReportContext {
            excerpts: &outcome.sink.excerpts,
            root: &outcome.repo.root,
            files: outcome.file_count(),
            registry: &settings.registry,
            color: args.color.enabled(to_terminal),
            quiet: args.quiet,
            paths: report::DisplayPaths::from_current_dir(&settings.root),
        };
        report::write(args.output_format, diagnostics, &cx, out)
    };
    if let Err(status) = write_or_fail(written.and_then(|()| out.flush())).into_result() {
        return status;
    }
    let failing = diagnostics.iter().any(|d| d.severity >= settings.fail_on);
    if failing && !args.exit_zero {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

fn write_or_fail(result: std::io::Result<()>) -> ExitStatus {
    super::written(result)
}

impl ExitStatus {
    fn into_result(self) -> Result<(), ExitStatus> {
        if self == ExitStatus::Error {
            Err(self)
        } else {
            Ok(())
        }
    }
}

/// `--statistics`: findings per rule, most frequent first.
fn statistics(
    diagnostics: &[Diagnostic],
    format: OutputFormat,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for d in diagnostics {
        *counts
            .entry((d.code.as_str(), d.rule.as_str()))
            .or_default() += 1;
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if matches!(format, OutputFormat::Json | OutputFormat::JsonLines) {
        let list: Vec<_> = rows
            .iter()
            .map(|((code, name), count)| serde_json::json!({"code": code, "name": name, "count": count}))
            .collect();
        serde_json::to_writer_pretty(&mut *out, &list)?;
        return writeln!(out);
    }
    for ((code, name), count) in rows {
        writeln!(out, "{count:>5}\t{code}\t{name}")?;
    }
    Ok(())
}

fn show_settings(settings: &Settings, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "root: {}", settings.root.display())?;
    match &settings.config {
        Some(file) => writeln!(out, "config: {}", file.path.display())?,
        None => writeln!(out, "config: (none; built-in defaults)")?,
    }
    writeln!(out, "fail-on: {}", settings.fail_on)?;
    writeln!(
        out,
        "respect-gitignore: {}",
        settings.walk.respect_gitignore
    )?;
    writeln!(out, "exclude: {:?}", settings.exclude_patterns)?;
    writeln!(out, "per-path-ignores:")?;
    for ignore in &settings.per_path_ignores {
        let codes: Vec<&str> = ignore.codes.iter().map(|c| c.as_str()).collect();
        writeln!(out, "  {:?} = {:?}", ignore.pattern, codes)?;
    }
    writeln!(out, "enabled rules ({}):", settings.rules.len())?;
    for rule in &settings.rules {
        writeln!(
            out,
            "  {} {} ({})",
            rule.def.code, rule.def.name, rule.severity
        )?;
    }
    Ok(())
}
