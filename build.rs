//! Embeds every `rules/*.toml` file into the binary, so laylint works from any folder, and
//! a fingerprint of the sources: the persistent cache is keyed by it besides the version,
//! so two builds of one version never share a cache.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let rules_dir = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("set by cargo")).join("rules");
    let mut names: Vec<String> = fs::read_dir(&rules_dir)
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::from(
        "/// Every shipped rule file: (file name, text).\npub static BUILTIN_RULE_FILES: &[(&str, &str)] = &[\n",
    );
    for name in &names {
        println!("cargo:rerun-if-changed=rules/{name}");
        let path = rules_dir.join(name);
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("write to string");
    }
    out.push_str("];\n");
    let out_dir = env::var("OUT_DIR").expect("set by cargo");
    let dest = Path::new(&out_dir).join("builtin_rules.rs");
    fs::write(dest, out).expect("write generated rules list");

    println!("cargo:rerun-if-changed=src");
    let src = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("set by cargo")).join("src");
    let mut files = Vec::new();
    list_files(&src, &mut files);
    files.sort();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for path in &files {
        std::hash::Hash::hash(&path.strip_prefix(&src).unwrap_or(path), &mut hasher);
        std::hash::Hash::hash(&fs::read(path).unwrap_or_default(), &mut hasher);
    }
    let id = std::hash::Hasher::finish(&hasher);
    fs::write(
        Path::new(&out_dir).join("build_id.rs"),
        format!("/// A fingerprint of the sources this binary was built from.\npub const BUILD_ID: u64 = {id};\n"),
    )
    .expect("write build id");
}

/// Every file below `dir`, recursively.
fn list_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            list_files(&path, out);
        } else {
            out.push(path);
        }
    }
}
