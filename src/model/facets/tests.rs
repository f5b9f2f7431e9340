use std::path::Path;

use super::*;

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn walked(root: &Path) -> Repo {
    let (files, problems) = crate::walk::walk(root, &Default::default());
    Repo::new(root.to_path_buf(), files, problems)
}

fn rel(path: &str) -> RelPath {
    RelPath::parse(path).unwrap()
}

#[test]
fn the_registry_is_in_dependency_order() {
    for (i, decl) in REGISTRY.iter().enumerate() {
        assert_eq!(decl.id as usize, i, "{}", decl.name);
        for read in decl.reads.facets {
            assert!(
                (*read as usize) < i,
                "{} reads {read:?}, declared after it",
                decl.name
            );
        }
    }
}

#[test]
fn a_facet_is_rebuilt_iff_a_declared_input_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    write(&root, ".gitignore", "build/\n");
    write(&root, "svc/pyproject.toml", "[project]\nname = \"svc\"\n");
    write(&root, "svc/svc/__init__.py", "");
    write(&root, "notes.txt", "x\n");
    let repo = walked(&root);
    let projects = repo.projects().as_ptr();
    let index: *const _ = repo.facet::<package_index::PackageIndex>();
    assert!(repo.is_gitignored(&rel("build"), true));

    // Nothing any facet reads: every built facet carries over, the same values.
    write(&root, "notes.txt", "y\n");
    let next = repo.refreshed(&[rel("notes.txt")]).unwrap();
    for facet in [FacetId::Ignored, FacetId::Projects, FacetId::PackageIndex] {
        assert!(next.is_built(facet), "{facet:?}");
    }
    assert!(std::ptr::eq(projects, next.projects().as_ptr()));
    assert!(std::ptr::eq(
        index,
        next.facet::<package_index::PackageIndex>()
    ));
    // Never built before: not built by the refresh either.
    assert!(!next.is_built(FacetId::MypyModules));

    // The `.gitignore` changed: the matchers are rebuilt, the projects are not.
    write(&root, ".gitignore", "dist/\n");
    let after = next.refreshed(&[rel(".gitignore")]).unwrap();
    assert!(!after.is_built(FacetId::Ignored));
    assert!(!after.is_gitignored(&rel("build"), true));
    assert!(after.is_gitignored(&rel("dist"), true));
    assert!(std::ptr::eq(projects, after.projects().as_ptr()));

    // A manifest changed: projects are rebuilt, and so is the index built on them,
    // though it reads no file itself.
    write(&root, "svc/pyproject.toml", "[project]\nname = \"svc2\"\n");
    let last = after.refreshed(&[rel("svc/pyproject.toml")]).unwrap();
    assert!(!last.is_built(FacetId::Projects));
    assert!(!last.is_built(FacetId::PackageIndex));
    assert_eq!(last.projects()[0].name.as_deref(), Some("svc2"));
    assert!(!std::ptr::eq(projects, last.projects().as_ptr()));
}

#[test]
fn a_facet_never_built_with_its_inputs_unchanged_invalidates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    write(&root, ".gitignore", "build/\n");
    write(
        &root,
        "svc/template.yaml",
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n\
         Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n\
         \x20     CodeUri: src/\n      Handler: app.handler\n      Runtime: python3.12\n",
    );
    write(
        &root,
        "svc/src/app.py",
        "def handler(event, context): pass\n",
    );
    write(&root, "svc/pyproject.toml", "[project]\nname = \"svc\"\n");
    let repo = walked(&root);
    let resolved = repo.resolved_handlers().as_ptr();
    // Resolving these handlers never asked for the `.gitignore` matchers.
    assert!(!repo.is_built(FacetId::Ignored));

    // A save of a file neither reads: the handlers' verdicts are carried, not redone
    // because the matchers they declare (and did not need) were never built.
    write(&root, "svc/pyproject.toml", "[project]\nname = \"svc2\"\n");
    let next = repo.refreshed(&[rel("svc/pyproject.toml")]).unwrap();
    assert!(next.is_built(FacetId::ResolvedHandlers));
    assert!(std::ptr::eq(resolved, next.resolved_handlers().as_ptr()));
    assert!(!next.is_built(FacetId::Projects));
}

#[test]
fn a_carried_facet_brings_its_parse_problems() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    write(&root, "svc/pyproject.toml", "[project\nname = \"svc\"\n");
    write(&root, "notes.txt", "x\n");
    let repo = walked(&root);
    repo.projects();
    let problems = repo.problems();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].location.path, rel("svc/pyproject.toml"));

    // Nothing reads the manifest again (the projects are carried), yet its PAR001 stays.
    write(&root, "notes.txt", "y\n");
    let next = repo.refreshed(&[rel("notes.txt")]).unwrap();
    assert!(next.is_built(FacetId::Projects));
    assert_eq!(next.problems(), problems);
    // And again, from a model that only carried it.
    let again = next.refreshed(&[rel("notes.txt")]).unwrap();
    assert_eq!(again.problems(), problems);

    // Fixed: the facet is rebuilt and its old problem is gone.
    write(&root, "svc/pyproject.toml", "[project]\nname = \"svc\"\n");
    let fixed = again.refreshed(&[rel("svc/pyproject.toml")]).unwrap();
    assert!(fixed.problems().is_empty());
    assert_eq!(fixed.projects().len(), 1);
    assert!(fixed.problems().is_empty());
}

#[test]
fn problems_found_on_other_threads_belong_to_the_facet() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let function = "Resources:\n  F:\n    Type: AWS::Serverless::Function\n";
    for i in 0..8 {
        write(&root, &format!("t{i}/template.yaml"), function);
    }
    write(
        &root,
        "t3/template.yaml",
        "AWSTemplateFormatVersion: x\nResources: [\n",
    );
    write(&root, "notes.txt", "x\n");
    let repo = walked(&root);
    // From outside the pool: the templates are parsed on the pool's threads.
    repo.handlers();
    let problems = repo.problems();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].location.path, rel("t3/template.yaml"));

    write(&root, "notes.txt", "y\n");
    let next = repo.refreshed(&[rel("notes.txt")]).unwrap();
    assert!(next.is_built(FacetId::Handlers));
    assert_eq!(next.problems(), problems);
}
