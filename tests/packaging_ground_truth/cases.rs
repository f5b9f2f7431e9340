//! The generated projects of the packaging differential test: each is a small project
//! and what the wheel must hold for laylint to stay silent.

/// One generated project.
pub struct Case {
    pub name: String,
    /// `[build-system] build-backend`.
    pub backend: &'static str,
    /// Build with setuptools 68 first on `PYTHONPATH`.
    pub old_setuptools: bool,
    pub files: Vec<(String, String)>,
    /// LAY005: the import packages the selection names; each must be in the wheel.
    /// TYP002: the marker's path in the wheel.
    pub expect: Vec<String>,
}

const SETUPTOOLS: &str = "setuptools.build_meta";
const POETRY: &str = "poetry.core.masonry.api";
const HATCH: &str = "hatchling.build";

fn build_system(backend: &str, requires: &str) -> String {
    format!("[build-system]\nrequires = [\"{requires}\"]\nbuild-backend = \"{backend}\"\n\n")
}

fn project(name: &str) -> String {
    format!("[project]\nname = \"{name}\"\nversion = \"0.1.0\"\ndescription = \"d\"\n\n")
}

fn poetry(name: &str) -> String {
    format!(
        "[tool.poetry]\nname = \"{name}\"\nversion = \"0.1.0\"\ndescription = \"\"\nauthors = []\n"
    )
}

fn case(
    name: String,
    backend: &'static str,
    manifest: Vec<(&str, String)>,
    package_at: &str,
    expect: &[&str],
) -> Case {
    let mut files: Vec<(String, String)> = manifest
        .into_iter()
        .map(|(p, t)| (p.to_string(), t))
        .collect();
    files.push((format!("{package_at}/__init__.py"), String::new()));
    Case {
        name,
        backend,
        old_setuptools: false,
        files,
        expect: expect.iter().map(|s| s.to_string()).collect(),
    }
}

/// LAY005: each selection style, pointing at the package (`src/orders`), at a typo
/// (`src/order`), under a missing folder (`lib/`), and at two packages of which one is gone.
pub fn selection_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let states: [(&str, &str, &str); 3] = [
        ("present", "src", "orders"),
        ("typo", "src", "order"),
        ("parent", "lib", "orders"),
    ];
    for (state, root, pkg) in states {
        let n = |style: &str| format!("{style}_{state}");
        let st = build_system(SETUPTOOLS, "setuptools");
        let pp = build_system(POETRY, "poetry-core");
        let hb = build_system(HATCH, "hatchling");
        let expect = [pkg];
        let at = "src/orders";
        cases.push(case(
            n("poetry_from"),
            POETRY,
            vec![(
                "pyproject.toml",
                format!(
                    "{}packages = [{{ include = \"{pkg}\", from = \"{root}\" }}]\n\n{pp}",
                    poetry("orders")
                ),
            )],
            at,
            &expect,
        ));
        cases.push(case(
            n("poetry_glob"),
            POETRY,
            vec![(
                "pyproject.toml",
                format!(
                    "{}packages = [{{ include = \"{pkg}/**/*.py\", from = \"{root}\" }}]\n\n{pp}",
                    poetry("orders")
                ),
            )],
            at,
            &expect,
        ));
        for (table, key) in [
            ("tool.hatch.build.targets.wheel", "packages"),
            ("tool.hatch.build.targets.wheel", "only-include"),
            ("tool.hatch.build", "packages"),
        ] {
            let style = format!(
                "hatch_{}_{}",
                table.rsplit('.').next().unwrap_or(""),
                key.replace('-', "_")
            );
            // `only-include` ships the path as it is (`src/orders/…`), `packages` remaps it.
            let shipped = format!("{root}/{pkg}");
            let expect_here: [&str; 1] = if key == "only-include" {
                [shipped.as_str()]
            } else {
                expect
            };
            cases.push(case(
                n(&style),
                HATCH,
                vec![(
                    "pyproject.toml",
                    format!(
                        "{hb}{}[{table}]\n{key} = [\"{root}/{pkg}\"]\n",
                        project("orders")
                    ),
                )],
                at,
                &expect_here,
            ));
        }
        let where_dir = if pkg == "orders" { root } else { "source" };
        cases.push(case(
            n("setuptools_package_dir"),
            SETUPTOOLS,
            vec![(
                "pyproject.toml",
                format!(
                    "{st}{}[tool.setuptools]\npackage-dir = {{\"\" = \"{where_dir}\"}}\n",
                    project("orders")
                ),
            )],
            at,
            &["orders"],
        ));
        cases.push(case(
            n("setuptools_find_where"),
            SETUPTOOLS,
            vec![(
                "pyproject.toml",
                format!(
                    "{st}{}[tool.setuptools.packages.find]\nwhere = [\"{where_dir}\"]\n",
                    project("orders")
                ),
            )],
            at,
            &["orders"],
        ));
        cases.push(case(n("setuptools_packages"), SETUPTOOLS, vec![("pyproject.toml", format!("{st}{}[tool.setuptools]\npackage-dir = {{\"\" = \"{root}\"}}\npackages = [\"{pkg}\"]\n", project("orders")))], at, &expect));
        cases.push(case(n("setuptools_named_dir"), SETUPTOOLS, vec![("pyproject.toml", format!("{st}{}[tool.setuptools]\npackage-dir = {{\"orders\" = \"{root}/{pkg}\"}}\npackages = [\"orders\"]\n", project("orders")))], at, &["orders"]));
        cases.push(case(n("setup_cfg_where"), SETUPTOOLS, vec![("pyproject.toml", st.clone()), ("setup.cfg", format!("[metadata]\nname = orders\nversion = 0.1.0\n\n[options]\npackage_dir =\n    ={where_dir}\npackages = find:\n\n[options.packages.find]\nwhere = {where_dir}\n"))], at, &["orders"]));
        cases.push(case(n("setup_cfg_packages"), SETUPTOOLS, vec![("pyproject.toml", st.clone()), ("setup.cfg", format!("[metadata]\nname = orders\nversion = 0.1.0\n\n[options]\npackage_dir =\n    ={root}\npackages = {pkg}\n"))], at, &expect));
        cases.push(case(n("setup_py_find"), SETUPTOOLS, vec![("pyproject.toml", st.clone()), ("setup.py", format!("from setuptools import find_packages, setup\n\nsetup(name=\"orders\", version=\"0.1.0\", package_dir={{\"\": \"{where_dir}\"}}, packages=find_packages(where=\"{where_dir}\"))\n"))], at, &["orders"]));
        cases.push(case(n("setup_py_packages"), SETUPTOOLS, vec![("pyproject.toml", st.clone()), ("setup.py", format!("from setuptools import setup\n\nsetup(name=\"orders\", version=\"0.1.0\", package_dir={{\"\": \"{root}\"}}, packages=[\"{pkg}\"])\n"))], at, &expect));
    }
    let st = build_system(SETUPTOOLS, "setuptools");
    let at = "src/orders";
    let both = ["orders", "gone"];
    cases.push(case("poetry_partial".into(), POETRY, vec![("pyproject.toml", format!("{}packages = [{{ include = \"orders\", from = \"src\" }}, {{ include = \"gone\", from = \"src\" }}]\n\n{}", poetry("orders"), build_system(POETRY, "poetry-core")))], at, &both));
    cases.push(case(
        "hatch_partial".into(),
        HATCH,
        vec![(
            "pyproject.toml",
            format!(
                "{}{}[tool.hatch.build.targets.wheel]\npackages = [\"src/orders\", \"src/gone\"]\n",
                build_system(HATCH, "hatchling"),
                project("orders")
            ),
        )],
        at,
        &both,
    ));
    cases.push(case("setuptools_partial".into(), SETUPTOOLS, vec![("pyproject.toml", format!("{st}{}[tool.setuptools]\npackage-dir = {{\"\" = \"src\"}}\npackages = [\"orders\", \"gone\"]\n", project("orders")))], at, &both));
    cases.push(case("poetry_sdist_only_missing".into(), POETRY, vec![("pyproject.toml", format!("{}packages = [{{ include = \"orders\", from = \"src\" }}, {{ include = \"gone\", format = \"sdist\" }}]\n\n{}", poetry("orders"), build_system(POETRY, "poetry-core")))], at, &["orders"]));
    cases
}

/// TYP002: `src/orders/py.typed` (or `orders/py.typed`) under each backend's settings.
pub fn marker_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut push = |name: &str,
                    backend: &'static str,
                    old: bool,
                    manifest: Vec<(&str, String)>,
                    flat: bool| {
        let at = if flat { "orders" } else { "src/orders" };
        let mut c = case(
            name.to_string(),
            backend,
            manifest,
            at,
            &["orders/py.typed"],
        );
        c.files.push((format!("{at}/py.typed"), String::new()));
        c.old_setuptools = old;
        cases.push(c);
    };
    let p = project("orders");
    for (requires, tag) in [
        ("setuptools<69", "lt69"),
        ("setuptools==68.2.2", "eq68"),
        ("setuptools~=68.0", "compat68"),
    ] {
        let bs = build_system(SETUPTOOLS, requires);
        push(
            &format!("st_{tag}_plain"),
            SETUPTOOLS,
            true,
            vec![("pyproject.toml", format!("{bs}{p}"))],
            false,
        );
    }
    let old = build_system(SETUPTOOLS, "setuptools>=61,<69");
    push(
        "st68_package_data_all",
        SETUPTOOLS,
        true,
        vec![(
            "pyproject.toml",
            format!("{old}{p}[tool.setuptools.package-data]\n\"*\" = [\"py.typed\"]\n"),
        )],
        false,
    );
    push(
        "st68_package_data_named",
        SETUPTOOLS,
        true,
        vec![(
            "pyproject.toml",
            format!("{old}{p}[tool.setuptools.package-data]\norders = [\"*.typed\"]\n"),
        )],
        false,
    );
    push(
        "st68_package_data_other",
        SETUPTOOLS,
        true,
        vec![(
            "pyproject.toml",
            format!("{old}{p}[tool.setuptools.package-data]\norders = [\"*.json\"]\n"),
        )],
        false,
    );
    push(
        "st68_manifest_in",
        SETUPTOOLS,
        true,
        vec![
            ("pyproject.toml", format!("{old}{p}")),
            ("MANIFEST.in", "recursive-include src *.typed\n".into()),
        ],
        false,
    );
    push(
        "st68_setup_cfg_plain",
        SETUPTOOLS,
        true,
        vec![
            ("pyproject.toml", old.clone()),
            (
                "setup.cfg",
                "[metadata]\nname = orders\nversion = 0.1.0\n\n[options]\npackages = find:\n"
                    .into(),
            ),
        ],
        true,
    );
    push("st68_setup_cfg_package_data", SETUPTOOLS, true, vec![("pyproject.toml", old.clone()), ("setup.cfg", "[metadata]\nname = orders\nversion = 0.1.0\n\n[options]\npackages = find:\n\n[options.package_data]\n* = py.typed\n".into())], true);
    let new = build_system(SETUPTOOLS, "setuptools>=69");
    push(
        "st80_plain",
        SETUPTOOLS,
        false,
        vec![("pyproject.toml", format!("{new}{p}"))],
        false,
    );
    push(
        "st80_exclude_all",
        SETUPTOOLS,
        false,
        vec![(
            "pyproject.toml",
            format!("{new}{p}[tool.setuptools.exclude-package-data]\n\"*\" = [\"py.typed\"]\n"),
        )],
        false,
    );
    push(
        "st80_exclude_other",
        SETUPTOOLS,
        false,
        vec![(
            "pyproject.toml",
            format!("{new}{p}[tool.setuptools.exclude-package-data]\norders = [\"*.json\"]\n"),
        )],
        false,
    );
    push("st80_setup_cfg_exclude", SETUPTOOLS, false, vec![("pyproject.toml", new.clone()), ("setup.cfg", "[metadata]\nname = orders\nversion = 0.1.0\n\n[options]\npackages = find:\n\n[options.exclude_package_data]\n* = py.typed\n".into())], true);
    let hb = build_system(HATCH, "hatchling");
    for (i, (table, pattern)) in [
        ("tool.hatch.build.targets.wheel", "py.typed"),
        ("tool.hatch.build", "*.typed"),
        ("tool.hatch.build", "*.json"),
        ("tool.hatch.build.targets.wheel", "/py.typed"),
        ("tool.hatch.build.targets.wheel", "src/orders/py.typed"),
        ("tool.hatch.build", "src/*/py.typed"),
        ("tool.hatch.build", "tests/"),
    ]
    .into_iter()
    .enumerate()
    {
        push(
            &format!("hatch_exclude_{i}"),
            HATCH,
            false,
            vec![(
                "pyproject.toml",
                format!("{hb}{p}[{table}]\nexclude = [\"{pattern}\"]\n"),
            )],
            false,
        );
    }
    let pb = build_system(POETRY, "poetry-core");
    for (i, (pattern, flat)) in [
        ("**/py.typed", false),
        ("*.typed", true),
        ("orders/py.typed", true),
        ("src/orders/py.typed", false),
        ("src/*/py.typed", false),
        ("*/py.typed", true),
        ("docs/*", false),
    ]
    .into_iter()
    .enumerate()
    {
        push(
            &format!("poetry_exclude_{i}"),
            POETRY,
            false,
            vec![(
                "pyproject.toml",
                format!("{}exclude = [\"{pattern}\"]\n\n{pb}", poetry("orders")),
            )],
            flat,
        );
    }
    push(
        "flit_plain",
        "flit_core.buildapi",
        false,
        vec![(
            "pyproject.toml",
            format!("{}{p}", build_system("flit_core.buildapi", "flit_core")),
        )],
        false,
    );
    push(
        "pdm_plain",
        "pdm.backend",
        false,
        vec![(
            "pyproject.toml",
            format!("{}{p}", build_system("pdm.backend", "pdm-backend")),
        )],
        false,
    );
    cases
}
