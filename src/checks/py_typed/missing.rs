//! TYP001: every folder import package of a project carries a `py.typed` marker. A
//! package whose marker sits in the wrong place is TYP004's, not this rule's.

use crate::diagnostic::{Edit, Finding, Fix, Location};
use crate::model::Repo;

pub(super) fn run(repo: &Repo) -> Vec<Finding> {
    let covered = super::misplaced::covered_packages(repo);
    let mut findings = Vec::new();
    for project in repo.projects() {
        for package in &project.packages {
            if package.is_module || package.has_py_typed || covered.contains(&package.path) {
                continue;
            }
            let marker = package.path.child("py.typed");
            let name = project.name.as_deref().unwrap_or(package.name.as_str());
            findings.push(
                    Finding::new(
                        Location::path(package.path.clone()),
                        format!(
                            "import package `{}` of project `{name}` has no `py.typed`; type checkers ignore its annotations once it is installed",
                            package.name
                        ),
                    )
                    .with_help(format!(
                        "create an empty `{marker}` and ship it as package data"
                    ))
                    .with_fix((!repo.files.exists(&marker)).then(|| {
                        Fix::safe(
                            format!("create an empty `{marker}`"),
                            vec![Edit::Create {
                                path: marker.clone(),
                                content: String::new(),
                            }],
                        )
                    })),
                );
        }
    }
    findings
}
