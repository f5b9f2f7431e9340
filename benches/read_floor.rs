//! The floor under `laylint check` on the synthetic monorepo: laylint's own walk (its
//! walker, ignore files honoured, all cores) and its own reads (`openat2` beneath the root,
//! never through a symlink), doing only the unavoidable part of the work, in four steps:
//!
//! 1. the walk alone;
//! 2. reading every file the walk kept, once: IAC001 (aws-key-committed, on by default)
//!    reads every file, so no default run can read less;
//! 3. the same, each file scanned for AWS credentials as IAC001 scans it (binary probe,
//!    then the key and secret patterns);
//! 4. what the default rules add to that, each file parsed by the parser laylint uses for
//!    it: handler modules by ruff's parser (HDL002 must find the function), test modules
//!    too (whether pytest collects one, and what it imports, is in its syntax), templates
//!    by libyaml-safer (events only), manifests by `toml`. The other Python files (mypy's
//!    sources, read for "found twice") are read and scanned in steps 2 and 3 already.
//!
//! ```text
//! cargo bench --bench read_floor -- /tmp/mono [runs]
//! cargo bench --bench read_floor -- /tmp/mono 1 floor-only   # the last step, once
//! ```
//!
//! Prints the median wall time of each; the last line is the floor `benches/monorepo.py`
//! sets beside `fd` and laylint. A script, never a test: CI never times anything.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use laylint::model::aws_keys;
use laylint::safefs::Dir;
use laylint::walk::{WalkOptions, walk};
use rayon::prelude::*;

/// The allocator laylint's binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The size cap of laylint's reads (`MAX_PARSE_SIZE`).
const CAP: u64 = 2 * 1024 * 1024;

#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Work {
    Walk,
    Read,
    Scan,
    DefaultRules,
}

/// Parses `text` as laylint would for the default rules.
fn parse(name: &str, text: &str) {
    let test_module =
        name.ends_with(".py") && (name.starts_with("test_") || name.ends_with("_test.py"));
    if (name.starts_with("handler_") && name.ends_with(".py")) || test_module {
        std::hint::black_box(ruff_python_parser::parse_module(text).is_ok());
    } else if name == "template.yaml" {
        let mut input = text.as_bytes();
        let mut parser = libyaml_safer::Parser::new();
        parser.set_input_string(&mut input);
        let events = parser.take_while(Result::is_ok).count();
        std::hint::black_box(events);
    } else if name == "pyproject.toml" {
        std::hint::black_box(text.parse::<toml::Table>().is_ok());
    }
}

/// One run; returns (files walked, files read, bytes read, keys found).
fn run(root: &Path, work: Work) -> (u64, u64, u64, u64) {
    let options = WalkOptions {
        respect_gitignore: true,
        ..WalkOptions::default()
    };
    let (index, _) = walk(root, &options);
    let files: Vec<&str> = index.files().map(|e| e.path.as_str()).collect();
    let walked = files.len() as u64;
    if work == Work::Walk {
        return (walked, 0, 0, 0);
    }
    let dir = Dir::open(root).expect("the root opens");
    let read = AtomicU64::new(0);
    let bytes = AtomicU64::new(0);
    let keys = AtomicU64::new(0);
    files.par_iter().for_each(|path| {
        let Ok(capped) = dir.read_beneath(path, CAP) else {
            return;
        };
        read.fetch_add(1, Ordering::Relaxed);
        bytes.fetch_add(capped.bytes.len() as u64, Ordering::Relaxed);
        if work < Work::Scan || aws_keys::is_binary(&capped.bytes) {
            return;
        }
        let text = String::from_utf8_lossy(&capped.bytes);
        let name = path.rsplit('/').next().unwrap_or(path);
        let hits = aws_keys::scan(&text, aws_keys::is_program(name));
        keys.fetch_add(hits.len() as u64, Ordering::Relaxed);
        if work == Work::DefaultRules {
            parse(name, &text);
        }
    });
    (
        walked,
        read.into_inner(),
        bytes.into_inner(),
        keys.into_inner(),
    )
}

fn median(root: &Path, work: Work, runs: usize) -> (f64, (u64, u64, u64, u64)) {
    let mut times = Vec::new();
    let mut counts = (0, 0, 0, 0);
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
    let root = Path::new(root);
    let runs = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    laylint::par::init();
    if args.get(2).is_some_and(|a| a == "floor-only") {
        // `benches/monorepo.py` times the floor in its rounds, beside the other commands.
        let start = Instant::now();
        run(root, Work::DefaultRules);
        println!("floor: {:.4} s", start.elapsed().as_secs_f64());
        return;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (walk, (seen, _, _, _)) = median(root, Work::Walk, runs);
    let (read, (_, files, bytes, _)) = median(root, Work::Read, runs);
    let (scan, (_, _, _, keys)) = median(root, Work::Scan, runs);
    let (all, _) = median(root, Work::DefaultRules, runs);
    let mib = bytes as f64 / 1048576.0;
    println!("cores: {cores}  runs: {runs} (median)  files walked: {seen}");
    println!("walk only:                                          {walk:.3} s");
    println!("walk + read all {files} files once ({mib:.1} MiB):       {read:.3} s");
    println!("walk + read + IAC001's key scan ({keys} keys):          {scan:.3} s");
    println!("floor: + parse handlers, tests, templates, manifests: {all:.3} s");
}
