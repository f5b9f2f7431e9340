//! No file is read after the checks finish: every output format renders from the run's
//! sink alone, the same bytes, once the repository folder is gone.

mod common;

use std::path::Path;

use common::TestRepo;
use laylint::config::settings::{Overrides, Settings};
use laylint::engine;
use laylint::report::{self, DisplayPaths, OutputFormat, ReportContext};
use laylint::sink::Sink;

fn render(sink: &Sink, root: &Path, files: usize, settings: &Settings) -> Vec<Vec<u8>> {
    let cx = ReportContext {
        excerpts: &sink.excerpts,
        root,
        files,
        registry: &settings.registry,
        color: false,
        quiet: false,
        paths: DisplayPaths::AsIs,
    };
    OutputFormat::all()
        .iter()
        .map(|&format| {
            let mut out = Vec::new();
            report::write(format, &sink.diagnostics, &cx, &mut out).expect("written");
            out
        })
        .collect()
}

#[test]
fn reports_render_from_the_sink_with_the_repository_gone() {
    let repo = TestRepo::fixture("HDL004/fail_seed_code_root_in_package");
    // An unused suppression comment in the handler module: SUP001 points into it too.
    let handler = repo
        .path()
        .join("services/my_lambda/src/my_lambda/handler.py");
    let text = std::fs::read_to_string(&handler).expect("handler.py");
    std::fs::write(
        &handler,
        format!("{text}x = 1  # laylint: ignore[HDL001]\n"),
    )
    .unwrap();
    let root = repo.path().canonicalize().unwrap();
    let overrides = Overrides {
        select: Some(vec!["HDL004".into(), "SUP001".into()]),
        ..Overrides::default()
    };
    let settings = Settings::resolve(root, None, &overrides).expect("settings");
    let outcome = engine::check(&settings, &[]);
    let before = render(
        &outcome.sink,
        &outcome.repo.root,
        outcome.file_count(),
        &settings,
    );

    let full = String::from_utf8(before[0].clone()).unwrap();
    assert!(full.contains("3 │ from . import utils"), "{full}");
    assert!(full.contains("# laylint: ignore[HDL001]"), "{full}");
    assert!(full.contains("Found 2 problems"), "{full}");

    // Reports get the sink, the root's name and a file count: the model is dropped and
    // the folder deleted, so a report that read a file (through the model or from disk)
    // would print something else, or not compile.
    let engine::Outcome {
        repo: model, sink, ..
    } = outcome;
    let (root, files) = (model.root.clone(), model.files.files().count());
    drop(model);
    std::fs::remove_dir_all(repo.path()).expect("the repository is deleted");
    assert!(!root.exists());

    let after = render(&sink, &root, files, &settings);
    for ((format, before), after) in OutputFormat::all().iter().zip(&before).zip(&after) {
        assert_eq!(
            String::from_utf8_lossy(before),
            String::from_utf8_lossy(after),
            "{format:?} changed once the files were gone"
        );
    }
}
