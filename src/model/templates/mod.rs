//! CloudFormation and SAM templates, and the handler declarations they hold.
//!
//! A template is any `.yaml`/`.yml`/`.json`/`.template` file whose text declares
//! CloudFormation; other YAML is never read past that test and never reported.

pub mod cdk;
mod cdk_code;
mod cdk_paths;
mod cdk_ts;
mod cdk_ts_construct;
pub mod dependencies;
pub mod environment;
mod environment_code;
pub mod excludes;
pub mod inline;
pub mod layers;
mod layers_code;
mod merge;
pub mod sam;
pub mod serverless;
pub mod terraform;
mod terraform_hcl;
mod terraform_local;
mod terraform_modules;
mod terraform_registry;
pub mod yaml;
// Python-side tools: Pulumi, CDKTF, Chalice, Zappa.
pub mod cdktf;
pub mod chalice;
pub mod pulumi;
mod py_app;
mod sniff;
pub use sniff::declares_cloudformation;
use sniff::decode_head;
pub mod zappa;

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use super::{ReadError, Repo};
use crate::paths::RelPath;
pub use inline::InlineCode;
use yaml::YamlNode;

pub(crate) use cdk_ts::is_source as is_cdk_source;
pub(crate) const TEMPLATE_EXTENSIONS: [&str; 4] = ["yaml", "yml", "json", "template"];

/// A parsed template.
#[derive(Debug)]
pub struct Template {
    pub path: RelPath,
    /// The file's text (inline code maps its offsets into it).
    pub text: Arc<str>,
    pub root: YamlNode,
}

impl Template {
    /// A file that declares nothing (not CloudFormation, or an empty document).
    fn empty(path: &RelPath) -> Self {
        Self {
            path: path.clone(),
            text: "".into(),
            root: YamlNode {
                value: yaml::YamlValue::Mapping(Vec::new()),
                tag: None,
                span: 0..0,
            },
        }
    }
}

/// The deployment tool that declared a handler.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Sam,
    CloudFormation,
    Serverless,
    Cdk,
    Terraform,
    Pulumi,
    Cdktf,
    Chalice,
    Zappa,
    /// A `module` call: the registry module `terraform-aws-modules/lambda/aws`, or a
    /// local module whose function reads the call's arguments.
    TerraformModule,
}

impl Tool {
    /// The property that names the code root.
    pub fn code_key(self) -> &'static str {
        match self {
            Tool::Sam => "CodeUri",
            Tool::CloudFormation => "Code",
            Tool::Serverless => "module",
            Tool::Cdk => "code",
            Tool::Terraform => "filename",
            Tool::Pulumi => "code",
            Tool::Cdktf => "filename",
            Tool::Chalice => "app.py",
            Tool::Zappa => "app_function",
            Tool::TerraformModule => "source_path",
        }
    }

    /// The property that names the handler.
    pub fn handler_key(self) -> &'static str {
        match self {
            Tool::Sam | Tool::CloudFormation => "Handler",
            Tool::Serverless | Tool::Cdk | Tool::Terraform | Tool::TerraformModule => "handler",
            Tool::Pulumi | Tool::Cdktf => "handler",
            Tool::Chalice => "app",
            Tool::Zappa => "app_function",
        }
    }
}

impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Tool::Sam => "SAM",
            Tool::CloudFormation => "CloudFormation",
            Tool::Serverless => "Serverless",
            Tool::Cdk => "CDK",
            Tool::Terraform | Tool::TerraformModule => "Terraform",
            Tool::Pulumi => "Pulumi",
            Tool::Cdktf => "CDKTF",
            Tool::Chalice => "Chalice",
            Tool::Zappa => "Zappa",
        })
    }
}

/// Where a function's code lives.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub enum CodeRoot {
    /// A folder (or file) in the repository.
    Local(RelPath),
    /// `ZipFile` / `InlineCode` / `Code.from_inline`: the runtime saves it as `index.py`.
    /// `None` when the code is built with an intrinsic or an expression laylint does not
    /// evaluate.
    Inline(Option<InlineCode>),
    /// A relative path that leaves the repository: never read.
    EscapesRoot(String),
    /// Not resolvable from the repository (S3, intrinsics, images…): why.
    Skipped(String),
}

impl fmt::Display for CodeRoot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeRoot::Local(path) => write!(f, "{path}"),
            CodeRoot::Inline(_) => f.write_str("inline code (index.py)"),
            CodeRoot::EscapesRoot(text) => write!(f, "{text} (outside the repository)"),
            CodeRoot::Skipped(why) => write!(f, "not resolvable: {why}"),
        }
    }
}

/// One function's handler declaration.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct HandlerRef {
    pub tool: Tool,
    pub template: RelPath,
    pub logical_id: String,
    pub handler: String,
    /// The `Handler:` value in the template (possibly under `Globals`).
    pub handler_span: Range<usize>,
    pub runtime: Option<String>,
    /// The runtime's value in the declaring file, when it is written there as a string
    /// (HDL011's fix rewrites it).
    pub runtime_span: Option<Range<usize>>,
    pub code_root: CodeRoot,
    /// The `CodeUri:` / `Code:` value, when written.
    pub code_span: Option<Range<usize>>,
    /// The code location is SAM's `Globals` one, shared with other functions: a fix must
    /// not edit it for one of them.
    pub code_shared: bool,
    /// serverless-python-requirements' per-function `module:` folder, when set.
    pub package_module: Option<String>,
}

/// A function declaration that yields no resolvable handler.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct FunctionGap {
    pub tool: Tool,
    /// The file that declares the function.
    pub file: RelPath,
    /// Logical id, function name or resource address.
    pub name: String,
    /// The handler value, or the function's declaration when there is none.
    pub span: Range<usize>,
    pub gap: Gap,
    /// The runtime when it is a literal: HDL011 checks it even here.
    pub runtime: Option<String>,
    /// Where the runtime is written as a string, as in [`HandlerRef::runtime_span`].
    pub runtime_span: Option<Range<usize>>,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// Built from variables, intrinsics or code laylint does not evaluate (INF001).
    Unresolvable(String),
    /// A zip function without a handler (HDL010).
    MissingHandler,
    /// A zip function without a runtime (HDL010).
    MissingRuntime,
    /// Not a Python handler in the repository, and not an error: a plugin generates it
    /// when the service is packaged, or the Lambda Web Adapter runs it as a script (INF001
    /// says why).
    DeployTime(String),
}

/// Every function declaration of every tool: the handlers, and what is missing or
/// unresolvable.
#[derive(serde::Serialize, serde::Deserialize, Debug, Default)]
pub struct Declarations {
    pub handlers: Vec<Arc<HandlerRef>>,
    pub gaps: Vec<FunctionGap>,
    /// The tools' own exclude settings, by function (file and name). Never cached: a
    /// template declares none (the tools that do are read as a whole, not per file).
    #[serde(skip)]
    pub filters: Vec<excludes::FilterFor>,
    /// Layers whose content is a folder in the repository.
    pub layers: Vec<layers::LayerDecl>,
    /// Which function uses which of those layers (references resolved in the same file).
    pub layer_uses: Vec<layers::LayerUse>,
    /// Every function's environment variables (any runtime).
    pub environment: Vec<environment::EnvVar>,
    /// Functions whose dependencies may come from where laylint cannot see (SAM,
    /// CloudFormation and Serverless functions only).
    pub unseen_dependencies: Vec<dependencies::UnseenDependencies>,
}

impl Repo {
    /// Every handler declared by any tool: templates, Serverless, CDK, Terraform.
    pub fn handlers(&self) -> &[Arc<HandlerRef>] {
        &self.declarations().handlers
    }

    /// What the tool that declared `handler` leaves out of its package, if it says.
    pub fn deploy_filter(&self, handler: &HandlerRef) -> Option<&excludes::DeployFilter> {
        let filters = &self.declarations().filters;
        let key = (&handler.template, &handler.logical_id);
        let first = filters.partition_point(|f| (&f.file, &f.name) < key);
        filters
            .get(first)
            .filter(|f| (&f.file, &f.name) == key)
            .map(|f| &f.filter)
    }

    /// Functions whose dependencies may come from where laylint cannot see.
    pub fn unseen_dependencies(&self) -> &[dependencies::UnseenDependencies] {
        &self.declarations().unseen_dependencies
    }

    /// Function declarations without a resolvable handler, or missing one.
    pub fn function_gaps(&self) -> &[FunctionGap] {
        &self.declarations().gaps
    }

    fn declarations(&self) -> &Declarations {
        self.facet::<crate::model::facets::handlers::Handlers>()
    }

    /// What one template declares, parsed once (and kept across language-server saves);
    /// the tree itself is dropped. Empty for files that do not declare CloudFormation.
    fn template_declarations(&self, path: &RelPath) -> Option<Arc<Declarations>> {
        let found = self.cached(&self.caches.templates, path, || {
            let template = self.template(path)?;
            let mut out = Declarations::default();
            sam::extract_handlers(&template, &mut out);
            layers::extract_template(&template, &mut out);
            dependencies::extract_template(&template, &mut out);
            environment::extract_template(&template, &mut out);
            Some(Arc::new(out))
        })?;
        if !found.is_empty() {
            // Findings point into it: the sink needs its text, also when the declarations
            // came from the persistent cache rather than this run's read.
            self.keep_text(path);
        }
        Some(found)
    }

    /// The parsed template at `path` (empty when it does not declare CloudFormation);
    /// `None` when it does but could not be read or parsed (reported as PAR001).
    fn template(&self, path: &RelPath) -> Option<Template> {
        // Only files that declare CloudFormation are ever reported, so read quietly first.
        let source = match self.read(path) {
            Ok(source) => source,
            Err(error @ (ReadError::TooLarge(_) | ReadError::NotUtf8(_))) => {
                // Unreadable as text, but a template all the same: say why it was not checked.
                let head = self.read_prefix(path, 64 * 1024)?;
                let (text, utf16) = decode_head(&head);
                if declares_cloudformation(&text) {
                    let note = if utf16 {
                        " (it is UTF-16; save it as UTF-8)"
                    } else {
                        ""
                    };
                    self.report_problem(
                        path,
                        None,
                        format!(
                            "`{path}` declares CloudFormation but could not be read: {error}{note}"
                        ),
                    );
                    return None;
                }
                return Some(Template::empty(path));
            }
            Err(ReadError::Missing) => return Some(Template::empty(path)),
            Err(error) => {
                // Unreadable (permission denied): it may declare functions nobody checked.
                self.report_problem(
                    path,
                    None,
                    format!(
                        "`{path}` could not be read: {error}; if it is a template, its functions were not checked"
                    ),
                );
                return None;
            }
        };
        self.scan_read_text(&source);
        if !declares_cloudformation(&source.text) {
            return Some(Template::empty(path));
        }
        match yaml::parse(&source.text) {
            Ok(Some(root)) => Some(Template {
                path: path.clone(),
                text: source.text.clone(),
                root,
            }),
            Ok(None) => Some(Template::empty(path)),
            Err(error) => {
                self.report_problem(
                    path,
                    Some(error.span),
                    format!("`{path}` is not a valid template: {}", error.message),
                );
                None
            }
        }
    }
}

/// Every declaration of every tool (the [`crate::model::facets::handlers`] facet).
pub(crate) fn collect_declarations(repo: &Repo) -> Declarations {
    let candidates: Vec<RelPath> = repo
        .files
        .files()
        .filter(|e| {
            e.path
                .extension()
                .is_some_and(|ext| TEMPLATE_EXTENSIONS.contains(&ext))
        })
        .map(|e| e.path.clone())
        .collect();
    let mut out = Declarations::default();
    for found in crate::par::map(&candidates, |path| repo.template_declarations(path))
        .into_iter()
        .flatten()
    {
        out.absorb_shared(&found);
    }
    serverless::extract(repo, &mut out);
    cdk::extract(repo, &mut out);
    cdk_ts::extract(repo, &mut out);
    terraform::extract(repo, &mut out);
    pulumi::extract(repo, &mut out);
    cdktf::extract(repo, &mut out);
    chalice::extract(repo, &mut out);
    zappa::extract(repo, &mut out);
    // Looked up once per handler ([`Repo::deploy_filter`]): sorted, so each lookup is a
    // binary search, not a scan (a service of thousands of functions is not quadratic).
    out.filters
        .sort_by(|a, b| (&a.file, &a.name).cmp(&(&b.file, &b.name)));
    out
}
