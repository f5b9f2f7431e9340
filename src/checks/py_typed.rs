//! `py-typed`: every folder import package of a project carries a `py.typed` marker (TYP001).

use serde::Deserialize;

use crate::diagnostic::{Edit, Finding, Fix, Location};
use crate::model::Repo;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PyTyped {}

impl PyTyped {
    pub fn run(&self, repo: &Repo) -> Vec<Finding> {
        let mut findings = Vec::new();
        for project in repo.projects() {
            for package in &project.packages {
                if package.is_module || package.has_py_typed {
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
}
