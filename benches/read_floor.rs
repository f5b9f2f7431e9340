//! The floor under `laylint check` on the synthetic monorepo: the same parallel walk
//! (`ignore`, .gitignore respected, all cores), reading the bytes of only the files the
//! handler rules cannot do without — every `template.yaml`, every `pyproject.toml`, and
//! every module a template names (`handler_*.py`) — then the same reads with each handler
//! module parsed by ruff's parser (what HDL002 cannot do without: the function must be
//! found in the module).
//!
//!     cargo bench --bench read_floor -- /tmp/mono [runs]
//!
//! Prints the median wall time of a walk alone and of the walk with those reads, so that
//! `benches/monorepo.py`'s `fd` time can be set beside what no implementation can beat.
//! A script, never a test: CI never times anything.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// The allocator laylint's binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn must_read(name: &str) -> bool {
    name == "template.yaml"
        || name == "pyproject.toml"
        || (name.starts_with("handler_") && name.ends_with(".py"))
}

#[derive(Clone, Copy, PartialEq)]
enum Work {
    Walk,
    Read,
    ReadAndParse,
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
                    if work != Work::Walk
                        && must_read(name)
                        && let Ok(text) = std::fs::read_to_string(entry.path())
                    {
                        files.fetch_add(1, Ordering::Relaxed);
                        bytes.fetch_add(text.len() as u64, Ordering::Relaxed);
                        if work == Work::ReadAndParse && name.ends_with(".py") {
                            let parsed = ruff_python_parser::parse_module(&text);
                            std::hint::black_box(parsed.is_ok());
                        }
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
    let mib = bytes as f64 / 1048576.0;
    println!("cores: {cores}  runs: {runs} (median)  files walked: {seen}");
    println!("walk only:                                {walk:.3} s");
    println!("walk + read {files} files ({mib:.1} MiB):        {read:.3} s");
    println!("walk + read + parse the handler modules:  {parse:.3} s");
}
