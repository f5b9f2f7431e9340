//! pytest configurations for the pytest differential tests, in every file kind pytest
//! reads, and a joined path helper.

/// Where a configuration lives and how it spells its values; the last kind is a
/// `pyproject.toml` without any pytest table (not a configuration).
pub const CONFIG_KINDS: [&str; 8] = [
    "pytest.ini",
    ".pytest.ini",
    "pytest.toml",
    "pyproject.toml ini_options",
    "pyproject.toml native",
    "tox.ini",
    "setup.cfg",
    "pyproject.toml without pytest",
];

/// The file (path, text) of a configuration of `kind` setting `options`; `project` goes
/// first in a `pyproject.toml` (a `[project]` table, or nothing).
pub fn render_config(kind: &str, options: &[(&str, Vec<&str>)], project: &str) -> (String, String) {
    let ini = |section: &str| {
        let mut text = format!("[{section}]\n");
        for (key, values) in options {
            text.push_str(&format!("{key} = {}\n", values.join(" ")));
        }
        text
    };
    let toml_list = |values: &[&str]| {
        let items: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
        format!("[{}]", items.join(", "))
    };
    match kind {
        "pytest.ini" | ".pytest.ini" => (kind.to_string(), ini("pytest")),
        "tox.ini" => (
            "tox.ini".into(),
            format!("[tox]\nenvlist = py312\n\n{}", ini("pytest")),
        ),
        "setup.cfg" => (
            "setup.cfg".into(),
            format!("[metadata]\nname = demo\n\n{}", ini("tool:pytest")),
        ),
        "pytest.toml" | "pyproject.toml native" => {
            let (path, mut text) = if kind == "pytest.toml" {
                ("pytest.toml", String::from("[pytest]\n"))
            } else {
                ("pyproject.toml", format!("{project}[tool.pytest]\n"))
            };
            for (key, values) in options {
                text.push_str(&format!("{key} = {}\n", toml_list(values)));
            }
            (path.into(), text)
        }
        "pyproject.toml ini_options" => {
            let mut text = format!("{project}[tool.pytest.ini_options]\n");
            for (key, values) in options {
                // INI mode takes a string (split like a shell) or a list.
                if values.len() == 1 {
                    text.push_str(&format!("{key} = \"{}\"\n", values[0]));
                } else {
                    text.push_str(&format!("{key} = {}\n", toml_list(values)));
                }
            }
            ("pyproject.toml".into(), text)
        }
        _ => ("pyproject.toml".into(), project.to_string()),
    }
}

/// `dir/name`, or `name` when `dir` is the root (`""`).
pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The pytest runs of a layout whose configurations nest in `nested` folders: the root's
/// (leaving those out) and each nested one, as (folder, extra arguments).
pub fn runs(nested: &[String]) -> Vec<(String, Vec<String>)> {
    let ignore = nested.iter().map(|d| format!("--ignore={d}")).collect();
    std::iter::once((String::new(), ignore))
        .chain(nested.iter().map(|d| (d.clone(), Vec::new())))
        .collect()
}
