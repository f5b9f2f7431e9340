//! TYP005: a folder with `__init__.py` whose name is not an identifier: mypy stops with
//! "… is not a valid Python package name".

use crate::diagnostic::{Finding, Location};
use crate::model::mypy::MypyModules;

pub(super) fn check(mypy: &MypyModules) -> Vec<Finding> {
    let mut findings = Vec::new();
    for invalid in &mypy.invalid_packages {
        let init_name = invalid.init.file_name();
        let message = format!(
            "{} contains {init_name} but is not a valid Python package name",
            invalid.name
        );
        let help = format!(
            "rename the folder to an identifier (such as `{}`), or delete `{}` if the folder is \
             not meant to be imported as a package (a Lambda code root needs none); or leave it \
             out of mypy's run with `exclude`",
            invalid.name.replace(['-', '.', ' '], "_"),
            invalid.init
        );
        findings.push(
            Finding::new(Location::path(invalid.dir.clone()), message)
                .with_help(help)
                .with_related(Location::path(invalid.init.clone()), "makes it a package"),
        );
    }
    findings
}
