//! LAY001: an import package beside the manifest instead of under `src/`.

use crate::diagnostic::{Finding, Location};
use crate::model::projects::Project;

pub(super) fn check(project: &Project, findings: &mut Vec<Finding>) {
    for package in project.packages.iter().filter(|p| !p.is_module) {
        if package.path.parent().as_ref() != Some(&project.dir) {
            continue;
        }
        let target = project.dir.child("src").child(&package.name);
        findings.push(
            Finding::new(
                Location::path(package.path.clone()),
                format!(
                    "import package `{}` of {} sits beside `{}` instead of under `src/`",
                    package.name,
                    project_label(project),
                    project.manifest.file_name()
                ),
            )
            .with_help(format!(
                "move it to `{target}/` so tests import the installed package, not the working copy"
            )),
        );
    }
}

fn project_label(project: &Project) -> String {
    match &project.name {
        Some(name) => format!("project `{name}`"),
        None => format!("the project of `{}`", project.manifest),
    }
}
