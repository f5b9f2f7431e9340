//! A repository cannot turn the cache against laylint: a `.laylint_cache` that is a
//! symlink, a file, or holds a FIFO or a forged file where the cache file goes is
//! ignored, the run ends (under the watchdog), its output is the same as `--no-cache`'s,
//! and nothing is written through the symlink.

mod common;

use std::path::{Path, PathBuf};

use common::{TestRepo, guard};

fn repository() -> TestRepo {
    TestRepo::with_files(&[
        (
            "template.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n\
             Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      \
             CodeUri: src/\n      Handler: app.missing\n      Runtime: python3.12\n",
        ),
        ("src/app.py", "def handler(event, context):\n    return 1\n"),
    ])
}

fn json(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec!["check", ".", "--output-format", "json"];
    args.extend_from_slice(extra);
    let run = guard::laylint(dir, &args, None);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    run.stdout
}

/// The cache file of `dir`, written by a run once its files have settled.
fn cache_file(dir: &Path) -> PathBuf {
    std::thread::sleep(std::time::Duration::from_millis(2300));
    json(dir, &[]);
    common::cache_file(dir)
}

#[test]
fn a_symlinked_cache_folder_is_neither_read_nor_written() {
    let repo = repository();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join(".laylint_cache")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2300));
    let cold = json(repo.path(), &["--no-cache"]);
    assert_eq!(json(repo.path(), &[]), cold);
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}

#[test]
fn a_cache_folder_that_is_a_file_is_left_alone() {
    let repo = repository();
    repo.write(".laylint_cache", "not a folder\n");
    let cold = json(repo.path(), &["--no-cache"]);
    assert_eq!(json(repo.path(), &[]), cold);
    let text = std::fs::read_to_string(repo.path().join(".laylint_cache")).unwrap();
    assert_eq!(text, "not a folder\n");
}

#[test]
fn a_fifo_or_a_forged_file_in_place_of_the_cache_is_ignored() {
    let repo = repository();
    let file = cache_file(repo.path());
    let cold = json(repo.path(), &["--no-cache"]);
    std::fs::remove_file(&file).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&file)
        .status()
        .unwrap();
    assert!(made.success());
    assert_eq!(json(repo.path(), &[]), cold, "a FIFO as the cache file");
    std::fs::remove_file(&file).unwrap();
    let mut forged = b"LAYLINT\x01".to_vec();
    forged.extend(std::iter::repeat_n(0xffu8, 4096));
    std::fs::write(&file, forged).unwrap();
    assert_eq!(json(repo.path(), &[]), cold, "a forged cache file");
}
