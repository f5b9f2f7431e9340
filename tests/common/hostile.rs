//! Hostile repositories whose every byte a stranger's pull request chose: symlinks out of
//! the root, FIFOs, devices, a `.git` file pointing elsewhere, huge ignore files. Each has
//! a folder outside the root holding a canary that must never be read.
#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::Path;

use super::TestRepo;

/// Text no output may ever contain: it lives only outside the root.
pub const CANARY: &str = "root:x:0:0:CANARY-OUTSIDE-THE-ROOT";

pub struct Hostile {
    pub name: &'static str,
    pub repo: TestRepo,
    /// A folder outside the root, with the canary in `secret.txt`.
    pub outside: tempfile::TempDir,
    /// What to run (in the repository's folder).
    pub args: Vec<&'static str>,
}

pub const SAM_HEAD: &str =
    "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::Serverless-2016-10-31\n";

pub fn function(name: &str, code_uri: &str, handler: &str) -> String {
    format!(
        "  {name}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      CodeUri: {code_uri}\n      Handler: {handler}\n"
    )
}

pub fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success());
}

fn hostile(name: &'static str, files: &[(&str, &str)], args: &[&'static str]) -> Hostile {
    let outside = tempfile::tempdir().unwrap();
    let o = outside.path();
    std::fs::write(o.join("secret.txt"), format!("{CANARY}\n")).unwrap();
    std::fs::write(
        o.join("secret.py"),
        format!("# {CANARY}\ndef handler(e, c): ...\n"),
    )
    .unwrap();
    std::fs::create_dir_all(o.join("gitdir/info")).unwrap();
    std::fs::write(o.join("gitdir/info/exclude"), "src/\n").unwrap();
    // A worktree's git folder names the shared one (here itself) in `commondir`.
    std::fs::write(o.join("gitdir/commondir"), ".\n").unwrap();
    std::fs::write(o.join("pyproject.toml"), format!("# {CANARY}\n")).unwrap();
    Hostile {
        name,
        repo: TestRepo::with_files(files),
        outside,
        args: args.to_vec(),
    }
}

/// Configuration files that are symlinks out of the root, to a device, or FIFOs.
pub fn config_files() -> Vec<Hostile> {
    let check: &[&str] = &["check", "--output-format", "json"];
    let to_secret = hostile("laylint.toml -> outside", &[], check);
    symlink(
        to_secret.outside.path().join("secret.txt"),
        to_secret.repo.path().join("laylint.toml"),
    )
    .unwrap();
    let to_zero = hostile(".laylint.toml -> /dev/zero", &[], check);
    symlink("/dev/zero", to_zero.repo.path().join(".laylint.toml")).unwrap();
    let fifo = hostile("laylint.toml is a FIFO", &[], check);
    mkfifo(&fifo.repo.path().join("laylint.toml"));
    let pyproject = hostile(
        "pyproject.toml is a FIFO",
        &[("src/app.py", "x = 1\n")],
        check,
    );
    mkfifo(&pyproject.repo.path().join("pyproject.toml"));
    vec![to_secret, to_zero, fifo, pyproject]
}

/// Ignore files that are symlinks, FIFOs, devices, and a `.git` file pointing outside.
pub fn ignore_files() -> Hostile {
    let h = hostile(
        "ignore files",
        &[
            ("src/app.py", "x = 1\n"),
            ("sub/kept.py", "x = 1\n"),
            ("sub2/kept.py", "x = 1\n"),
        ],
        &["check", "--show-files"],
    );
    let root = h.repo.path();
    symlink(h.outside.path().join("secret.txt"), root.join(".gitignore")).unwrap();
    mkfifo(&root.join("sub/.ignore"));
    symlink("/dev/zero", root.join("sub2/.gitignore")).unwrap();
    // A worktree-style `.git` file: git would read `info/exclude` there, outside the root.
    std::fs::remove_dir(root.join(".git")).unwrap();
    std::fs::write(
        root.join(".git"),
        format!("gitdir: {}\n", h.outside.path().join("gitdir").display()),
    )
    .unwrap();
    h
}

/// A `.gitignore` of 300,000 patterns.
pub fn huge_gitignore() -> Hostile {
    let lines: String = (0..300_000).map(|i| format!("dir{i:06}/\n")).collect();
    hostile(
        "huge .gitignore",
        &[(".gitignore", &lines), ("src/app.py", "x = 1\n")],
        &["check", "--output-format", "json"],
    )
}

/// Handler modules and code roots that are symlinks out of the root, FIFOs, sockets; a
/// UTF-16 template; a command-line path that is a symlink.
pub fn handlers() -> Hostile {
    let template = format!(
        "{SAM_HEAD}Resources:\n{}{}{}{}{}",
        function("Linked", "linked/", "app.handler"),
        function("SymlinkModule", "src/", "evil.handler"),
        function("FifoModule", "src/", "fifo.handler"),
        function("SocketModule", "src/", "sock.handler"),
        function("Escape", "../../../../etc/", "passwd.handler"),
    );
    let utf16: Vec<u8> = std::iter::once(0xFEFF_u16)
        .chain(format!("{SAM_HEAD}Resources: {{}}\n").encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    let h = hostile(
        "handlers",
        &[
            ("template.yaml", &template),
            ("src/ok.py", "def handler(e, c): ...\n"),
        ],
        &["check", "--output-format", "json"],
    );
    let root = h.repo.path();
    std::fs::create_dir_all(root.join("utf16")).unwrap();
    std::fs::write(root.join("utf16/template.yaml"), utf16).unwrap();
    symlink(h.outside.path(), root.join("linked")).unwrap();
    symlink(h.outside.path().join("secret.py"), root.join("src/evil.py")).unwrap();
    mkfifo(&root.join("src/fifo.py"));
    let _socket = std::os::unix::net::UnixListener::bind(root.join("src/sock.py")).unwrap();
    h
}

/// `check src/evil.py`, where `src/evil.py` is a symlink to a file outside the root.
pub fn symlinked_path_argument() -> Hostile {
    let h = hostile(
        "check <symlink>",
        &[("src/app.py", "x = 1\n")],
        &["check", "src/evil.py"],
    );
    symlink(
        h.outside.path().join("secret.py"),
        h.repo.path().join("src/evil.py"),
    )
    .unwrap();
    h
}

/// `init --pyproject` where `pyproject.toml` is a symlink to a file outside the root.
pub fn init_through_symlink() -> Hostile {
    let h = hostile("init --pyproject <symlink>", &[], &["init", "--pyproject"]);
    symlink(
        h.outside.path().join("pyproject.toml"),
        h.repo.path().join("pyproject.toml"),
    )
    .unwrap();
    h
}

/// Every hostile repository, for the `strace` test.
pub fn all() -> Vec<Hostile> {
    let mut all = config_files();
    all.extend([
        ignore_files(),
        huge_gitignore(),
        handlers(),
        symlinked_path_argument(),
        init_through_symlink(),
    ]);
    all
}
