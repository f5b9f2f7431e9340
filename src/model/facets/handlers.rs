//! Every function declaration of every deployment tool: CloudFormation/SAM templates,
//! Serverless, CDK apps (Python, TypeScript, JavaScript), Terraform and its modules.

use super::{Facet, Reads, is_python};
use crate::model::Repo;
use crate::model::templates::{
    Declarations, TEMPLATE_EXTENSIONS, collect_declarations, is_cdk_source,
};

pub struct Handlers;

impl Facet for Handlers {
    type Value = Declarations;
    /// Templates (YAML, JSON, `.template`, so `serverless.yml` and `cdk.json` too),
    /// Terraform files, Python files (CDK apps), TypeScript/JavaScript (CDK apps).
    const READS: Reads = Reads {
        files: |path| {
            path.extension()
                .is_some_and(|ext| TEMPLATE_EXTENSIONS.contains(&ext) || ext == "tf")
                || is_python(path)
                || is_cdk_source(path)
        },
        facets: &[],
    };

    fn build(repo: &Repo) -> Declarations {
        collect_declarations(repo)
    }
}
