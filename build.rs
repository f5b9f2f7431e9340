//! Embeds every `rules/*.toml` file into the binary, so laylint works from any folder.

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
    let dest = Path::new(&env::var("OUT_DIR").expect("set by cargo")).join("builtin_rules.rs");
    fs::write(dest, out).expect("write generated rules list");
}
