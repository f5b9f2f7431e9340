//! The floor under `laylint check` on the synthetic monorepo: the same parallel walk
//! (`ignore`, .gitignore respected, all cores) doing only the unavoidable part of the work,
//! in four steps:
//!
//! 1. the walk alone;
//! 2. reading the files the handler rules cannot do without: every `template.yaml`, every
//!    `pyproject.toml`, every module a template names (`handler_*.py`);
//! 3. the same, each handler module parsed by ruff's parser (HDL002 must find the function);
//! 4. what the default rules read, each file parsed by the parser laylint uses for it:
//!    also the other Python files (mypy's sources, scanned for imports), templates with
//!    libyaml-safer (events only), manifests with `toml`.
//!
//!     cargo bench --bench read_floor -- /tmp/mono [runs]
//!
//! Prints the median wall time of each, so that `benches/monorepo.py --floor` can set the
//! `fd` time beside what no implementation of the same rules can beat.
//! A script, never a test: CI never times anything.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// The allocator laylint's binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Clone, Copy, PartialEq)]
enum Work {
    Walk,
    Read,
    ReadAndParse,
    DefaultRules,
}

fn must_read(name: &str, work: Work) -> bool {
    match work {
        Work::Walk => false,
        Work::Read | Work::ReadAndParse => {
            name == "template.yaml"
                || name == "pyproject.toml"
                || (name.starts_with("handler_") && name.ends_with(".py"))
        }
        Work::DefaultRules => {
            name == "template.yaml" || name == "pyproject.toml" || name.ends_with(".py")
        }
    }
}

/// Parses `text` as laylint would (step 3 parses the handler modules only).
fn parse(name: &str, text: &str, work: Work) {
    match work {
        Work::ReadAndParse | Work::DefaultRules if name.starts_with("handler_") => {
            std::hint::black_box(ruff_python_parser::parse_module(text).is_ok());
        }
        Work::DefaultRules if name.ends_with(".yaml") => {
            let mut input = text.as_bytes();
            let mut parser = libyaml_safer::Parser::new();
            parser.set_input_string(&mut input);
            let events = parser.take_while(Result::is_ok).count();
            std::hint::black_box(events);
        }
        Work::DefaultRules if name.ends_with(".toml") => {
            std::hint::black_box(text.parse::<toml::Table>().is_ok());
        }
        _ => {}
    }
}

/// One walk; returns (files seen, files read, bytes read).
fn run(root: &str, work: Work) -> (u64, u64, u64) {
    let seen = AtomicU64::new(0);
    let files = AtomicU64::new(0);
    let bytes = AtomicU64::new(0);
    ignore::WalkBuilder::new(root)
        .hidden(false)
        .threads(0)
        .filter_entry(|e| e.file_name() != ".git")
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                let Ok(entry) = entry else {
                    return ignore::WalkState::Continue;
                };
                if entry.file_type().is_some_and(|t| t.is_file()) {
                    seen.fetch_add(1, Ordering::Relaxed);
                    let name = entry.file_name().to_str().unwrap_or_default();
                    if must_read(name, work)
                        && let Ok(text) = std::fs::read_to_string(entry.path())
                    {
                        files.fetch_add(1, Ordering::Relaxed);
                        bytes.fetch_add(text.len() as u64, Ordering::Relaxed);
                        parse(name, &text, work);
                    }
                }
                ignore::WalkState::Continue
            })
        });
    (seen.into_inner(), files.into_inner(), bytes.into_inner())
}

fn median(root: &str, work: Work, runs: usize) -> (f64, (u64, u64, u64)) {
    let mut times = Vec::new();
    let mut counts = (0, 0, 0);
    run(root, work); // warm the page cache
    for _ in 0..runs {
        let start = Instant::now();
        counts = run(root, work);
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], counts)
}

fn main() {
    // `cargo bench` passes `--bench`; take the first argument that is not a flag.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(root) = args.first() else {
        // `cargo test --all-targets` runs benches too: with no tree there is nothing to time.
        eprintln!(
            "usage: cargo bench --bench read_floor -- <tree from benches/monorepo.py --keep> [runs]"
        );
        return;
    };
    let runs = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (walk, (seen, _, _)) = median(root, Work::Walk, runs);
    let (read, (_, files, bytes)) = median(root, Work::Read, runs);
    let (parse, _) = median(root, Work::ReadAndParse, runs);
    let (all, (_, all_files, _)) = median(root, Work::DefaultRules, runs);
    let mib = bytes as f64 / 1048576.0;
    println!("cores: {cores}  runs: {runs} (median)  files walked: {seen}");
    println!("walk only:                                         {walk:.3} s");
    println!("walk + read {files} files ({mib:.1} MiB):                 {read:.3} s");
    println!("walk + read + parse the handler modules:           {parse:.3} s");
    println!("walk + read {all_files} files the default rules read, parsed: {all:.3} s");
}
