//! The persistent cache never serves a stale result. Each case builds a repository (the
//! shipped example plus duplicated test basenames, a committed key, a broken module),
//! lets it settle (the cache keeps no file changed within two seconds of a run), fills the
//! cache, checks that a warm run really takes parses from it, then changes the repository
//! the way a user or git can and compares the warm run's JSON with `--no-cache`'s, byte
//! for byte: right after the change, and again once the change has settled and been
//! cached. Cases run in parallel threads (each waits for its files to settle).

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{TestRepo, copy_dir, run_in};
use laylint::config::settings::{Overrides, Settings};

/// Longer than the cache's racy window (two seconds).
const SETTLE: Duration = Duration::from_millis(2300);

/// A fake but well-formed key pair (not AWS's documented example).
const KEY_FILE: &str = "aws_access_key_id = AKIAZ7QW3RT5YU2IO4PL\n\
aws_secret_access_key = q8W2e4R6t8Y0u2I4o6P8a0S2d4F6g8H0j2K4l6Z8\n";

fn repository() -> TestRepo {
    let repo = TestRepo::empty();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/serverless-app"),
        repo.path(),
    );
    // Runs of the example in place (the README's command) leave their cache there.
    let _ = std::fs::remove_dir_all(repo.path().join(".laylint_cache"));
    repo.write("tests/unit/test_shared.py", "def test_a():\n    pass\n");
    repo.write(
        "tests/integration/test_shared.py",
        "def test_b():\n    pass\n",
    );
    repo.write("deploy/credentials.ini", KEY_FILE);
    repo.write("functions/add/broken.py", "def oops(:\n");
    repo
}

fn json(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec!["check", ".", "--output-format", "json"];
    args.extend_from_slice(extra);
    let out = run_in(dir, &args);
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    out.stdout
}

/// How many files' parses a run with the default cache takes from it (through the
/// library, which the command line drives the same way).
fn cached_files(dir: &Path) -> usize {
    let root = dir.canonicalize().unwrap();
    let config = laylint::config::load(&root, None).unwrap();
    let mut settings = Settings::resolve(root.clone(), config, &Overrides::default()).unwrap();
    settings.use_cache(laylint::cache::location(&root, false, None));
    laylint::engine::check(&settings, &[]).cached_files
}

fn assert_fresh(dir: &Path, case: &str, when: &str) {
    let cold = json(dir, &["--no-cache"]);
    let warm = json(dir, &[]);
    assert_same(
        &warm,
        &cold,
        &format!("{case}: the warm run differs from --no-cache {when}"),
    );
}

/// Fails naming the first line that differs (the whole outputs are long).
fn assert_same(warm: &str, cold: &str, what: &str) {
    if warm == cold {
        return;
    }
    let (w, c): (Vec<&str>, Vec<&str>) = (warm.lines().collect(), cold.lines().collect());
    let at = w.iter().zip(&c).take_while(|(a, b)| a == b).count();
    let around = |lines: &[&str]| lines[at.saturating_sub(3)..(at + 3).min(lines.len())].join("\n");
    panic!(
        "{what}, from line {}:\n--- warm\n{}\n--- --no-cache\n{}",
        at + 1,
        around(&w),
        around(&c)
    );
}

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run git");
    assert!(status.status.success(), "git {args:?}: {status:?}");
}

fn path(dir: &Path, rel: &str) -> PathBuf {
    dir.join(rel)
}

/// Same size, same modification time, other content: only the change time tells.
fn edit_keeping_size_and_mtime(dir: &Path) {
    let file = path(dir, "functions/add/handler.py");
    let before = std::fs::metadata(&file).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen("def handler(", "def handlex(", 1);
    assert_ne!(text, edited);
    std::fs::write(&file, edited).unwrap();
    let opened = std::fs::File::options().write(true).open(&file).unwrap();
    opened.set_modified(before.modified().unwrap()).unwrap();
    assert_eq!(std::fs::metadata(&file).unwrap().len(), before.len());
}

fn replace_by_rename(dir: &Path) {
    let temp = path(dir, "functions/multiply/.handler.tmp");
    std::fs::write(&temp, "def other(event, context):\n    return 1\n").unwrap();
    std::fs::rename(temp, path(dir, "functions/multiply/handler.py")).unwrap();
}

fn delete(dir: &Path) {
    std::fs::remove_file(path(dir, "tests/integration/test_shared.py")).unwrap();
}

fn recreate(dir: &Path) {
    let file = path(dir, "functions/add/handler.py");
    let size = std::fs::metadata(&file).unwrap().len() as usize;
    std::fs::remove_file(&file).unwrap();
    let mut text = String::from("x = 1\n");
    text.push_str(&"#".repeat(size.saturating_sub(text.len() + 1)));
    text.push('\n');
    std::fs::write(&file, text).unwrap();
}

fn chmod(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let file = path(dir, "deploy/credentials.ini");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
}

fn symlink_swap(dir: &Path) {
    let file = path(dir, "functions/add/handler.py");
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink("../multiply/handler.py", &file).unwrap();
}

fn fix_the_broken_module(dir: &Path) {
    std::fs::write(
        path(dir, "functions/add/broken.py"),
        "def ok():\n    pass\n",
    )
    .unwrap();
}

fn suppression_comment(dir: &Path) {
    let file = path(dir, "functions/multiply/handler.py");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.insert_str(0, "# laylint: ignore[TYP003]\n");
    std::fs::write(&file, text).unwrap();
}

fn template_edit(dir: &Path) {
    let file = path(dir, "template.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("handler.handler", "handler.missing", 1),
    )
    .unwrap();
}

fn settings_change(dir: &Path) {
    let file = path(dir, "pyproject.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let changed = text.replacen(
        "[tool.laylint]\n",
        "[tool.laylint]\nignore = [\"TYP003\"]\nextend-select = [\"TST005\"]\n",
        1,
    );
    assert_ne!(text, changed);
    std::fs::write(&file, changed).unwrap();
}

fn branch_switch(dir: &Path) {
    git(dir, &["checkout", "-q", "-b", "other"]);
    std::fs::write(
        path(dir, "functions/add/handler.py"),
        "def handler(event, context):\n    return 2\n",
    )
    .unwrap();
    std::fs::remove_file(path(dir, "tests/unit/test_shared.py")).unwrap();
    git(dir, &["commit", "-q", "-am", "other"]);
    git(dir, &["checkout", "-q", "main"]);
    assert_fresh(dir, "branch switch", "back on main");
    git(dir, &["checkout", "-q", "other"]);
}

/// Rewrites every cache file (the per-file entries and the run record) with `damage`.
fn damage_cache(dir: &Path, damage: fn(&mut Vec<u8>)) {
    let files = common::cache_files(dir);
    assert!(
        files.len() >= 2,
        "the entries and the run record: {files:?}"
    );
    for file in files {
        let mut bytes = std::fs::read(&file).unwrap();
        damage(&mut bytes);
        std::fs::write(&file, bytes).unwrap();
    }
}

fn another_build(dir: &Path) {
    // A cache written by another build of laylint: its header's build fingerprint differs.
    damage_cache(dir, |bytes| bytes[12] ^= 0xff);
}

fn truncated(dir: &Path) {
    damage_cache(dir, |bytes| bytes.truncate(bytes.len() / 2));
}

fn corrupt(dir: &Path) {
    damage_cache(dir, |bytes| {
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x5a;
    });
}

fn concurrent_runs(dir: &Path) {
    edit_keeping_size_and_mtime(dir);
    let cold = json(dir, &["--no-cache"]);
    let runs: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4).map(|_| scope.spawn(|| json(dir, &[]))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for warm in runs {
        assert_same(
            &warm,
            &cold,
            "concurrent runs: a warm run differs from --no-cache",
        );
    }
}

type Change = fn(&Path);

const CASES: &[(&str, Change)] = &[
    ("edit keeping size and mtime", edit_keeping_size_and_mtime),
    ("replace by rename", replace_by_rename),
    ("delete", delete),
    ("re-create with the same size", recreate),
    ("chmod", chmod),
    ("symlink swap", symlink_swap),
    ("a broken module fixed", fix_the_broken_module),
    ("a suppression comment added", suppression_comment),
    ("template edit", template_edit),
    ("settings change", settings_change),
    ("branch switch with git checkout", branch_switch),
    ("another build's cache", another_build),
    ("a truncated cache", truncated),
    ("a corrupt cache", corrupt),
    ("concurrent runs", concurrent_runs),
];

fn case(name: &str, change: Change) {
    let repo = repository();
    let dir = repo.path();
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "start"]);
    std::thread::sleep(SETTLE);
    assert_fresh(dir, name, "before any change (filling the cache)");
    let primed = cached_files(dir);
    assert!(
        primed > 0,
        "{name}: the warm run took nothing from the cache"
    );
    change(dir);
    assert_fresh(dir, name, "right after the change");
    std::thread::sleep(SETTLE);
    assert_fresh(dir, name, "once the change settled");
    let recorded = record_identity(dir);
    assert_fresh(dir, name, "replaying the run recorded after the change");
    assert_eq!(
        record_identity(dir),
        recorded,
        "{name}: the unchanged repository's run was not replayed (its record was rewritten)"
    );
    assert!(cached_files(dir) > 0, "{name}: the cache was not rebuilt");
}

/// The run record's inode and modification time: a run that replays it leaves both; any
/// other run with the cache writes the record anew (atomically, so under a new inode).
fn record_identity(dir: &Path) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let record = common::cache_files(dir).pop().unwrap();
    assert_eq!(record.extension().unwrap(), "run", "{record:?}");
    let meta = std::fs::metadata(&record).unwrap();
    (meta.ino(), meta.modified().unwrap())
}

#[test]
fn a_warm_run_equals_a_run_without_cache_after_every_kind_of_change() {
    std::thread::scope(|scope| {
        for (name, change) in CASES {
            scope.spawn(move || case(name, *change));
        }
    });
}

#[test]
fn no_cache_leaves_no_trace_and_the_cache_folder_ignores_itself() {
    let repo = repository();
    json(repo.path(), &["--no-cache"]);
    assert!(!repo.path().join(".laylint_cache").exists());
    std::thread::sleep(SETTLE);
    json(repo.path(), &[]);
    let ignore = std::fs::read_to_string(repo.path().join(".laylint_cache/.gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "*"));
    let elsewhere = tempfile::tempdir().unwrap();
    let out = run_in(
        repo.path(),
        &[
            "check",
            ".",
            "--cache-dir",
            elsewhere.path().to_str().unwrap(),
        ],
    );
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    assert!(std::fs::read_dir(elsewhere.path()).unwrap().count() > 0);
}

#[test]
fn an_edit_rewrites_the_shard_of_its_file_only() {
    use std::os::unix::fs::MetadataExt;
    let repo = repository();
    let dir = repo.path();
    let identities = || -> Vec<(PathBuf, u64)> {
        common::cache_files(dir)
            .into_iter()
            .filter(|p| p.extension().is_none())
            .map(|p| {
                let ino = std::fs::metadata(&p).unwrap().ino();
                (p, ino)
            })
            .collect()
    };
    std::thread::sleep(SETTLE);
    json(dir, &[]);
    let before = identities();
    assert!(
        before.len() > 2,
        "the entries spread over shards: {before:?}"
    );
    edit_keeping_size_and_mtime(dir);
    std::thread::sleep(SETTLE);
    assert_fresh(dir, "one edit", "after it settled");
    let after = identities();
    let rewritten = before.iter().filter(|b| !after.contains(b)).count();
    assert_eq!(rewritten, 1, "before {before:?}\nafter {after:?}");
}
