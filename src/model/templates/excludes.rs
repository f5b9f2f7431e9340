//! What a deployment tool leaves out of a function's package: its own exclude settings.
//! A file in the code root ships unless these drop it.
//!
//! - Serverless Framework (`package.patterns`, and the older `package.exclude` /
//!   `package.include`, at the service and, when packaged individually, at the
//!   function): globs over paths relative to the service folder, run in order, the last
//!   that matches a file deciding (`!` excludes); excludes first, then includes, then
//!   patterns, as the framework's packager runs them.
//! - CDK `Code.from_asset(path, exclude=[…])`: globs relative to the asset folder, a
//!   pattern without `/` matching a name at any depth, `!` re-including, the last match
//!   deciding; an excluded folder is not descended into.
//! - Terraform `archive_file` `excludes`: paths or globs relative to `source_dir`; an
//!   excluded folder is skipped whole.

use globset::{GlobBuilder, GlobMatcher};

use super::yaml::{YamlNode, YamlValue};
use crate::paths::RelPath;

/// One tool's exclude settings for one function.
#[derive(Debug, Clone)]
pub struct DeployFilter {
    /// The folder the patterns are relative to.
    base: RelPath,
    /// `(re-includes, pattern)`, in the order they run.
    rules: Vec<(bool, GlobMatcher)>,
    /// terraform-aws-modules/lambda's patterns: `(re-includes, regex)`, in order.
    regexes: Vec<(bool, regex::Regex)>,
    style: Style,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Serverless: every file is matched against the patterns; folders are not.
    Files,
    /// CDK (a pattern without `/` matches the name) and Terraform: a file is left out
    /// when it, or a folder above it, is.
    Tree { match_base: bool },
    /// terraform-aws-modules/lambda: every file's path fully matched against regexes.
    Regex,
}

/// The function declaration a filter belongs to.
#[derive(Debug, Clone)]
pub struct FilterFor {
    pub file: RelPath,
    pub name: String,
    pub filter: DeployFilter,
}

impl DeployFilter {
    /// Serverless patterns in the packager's order: `excludes` (each made an exclusion),
    /// `includes`, then `patterns` (`!` excludes).
    pub fn serverless(
        service: &RelPath,
        excludes: &[String],
        includes: &[String],
        patterns: &[String],
    ) -> Option<Self> {
        let mut rules = Vec::new();
        for pattern in excludes {
            match pattern.strip_prefix('!') {
                Some(rest) => rules.push((true, rest)),
                None => rules.push((false, pattern.as_str())),
            }
        }
        rules.extend(includes.iter().map(|p| (true, p.as_str())));
        for pattern in patterns {
            match pattern.strip_prefix('!') {
                Some(rest) => rules.push((false, rest)),
                None => rules.push((true, pattern.as_str())),
            }
        }
        Self::build(service, rules, Style::Files)
    }

    /// CDK `exclude=[…]` (glob ignore mode, the default).
    pub fn cdk(asset: &RelPath, patterns: &[String]) -> Option<Self> {
        let rules = patterns
            .iter()
            .map(|p| match p.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, p.as_str()),
            })
            .collect();
        Self::build(asset, rules, Style::Tree { match_base: true })
    }

    /// Terraform `archive_file` `excludes`.
    pub fn terraform(source_dir: &RelPath, patterns: &[String]) -> Option<Self> {
        let rules = patterns.iter().map(|p| (false, p.as_str())).collect();
        Self::build(source_dir, rules, Style::Tree { match_base: false })
    }

    fn build(base: &RelPath, rules: Vec<(bool, &str)>, style: Style) -> Option<Self> {
        let rules: Vec<(bool, GlobMatcher)> = rules
            .into_iter()
            .filter_map(|(include, pattern)| {
                let pattern = pattern
                    .trim()
                    .trim_start_matches("./")
                    .trim_end_matches('/');
                let glob = GlobBuilder::new(pattern)
                    .literal_separator(true)
                    .backslash_escape(true)
                    .build()
                    .ok()?;
                Some((include, glob.compile_matcher()))
            })
            .collect();
        (!rules.is_empty()).then(|| Self {
            base: base.clone(),
            rules,
            regexes: Vec::new(),
            style,
        })
    }

    /// terraform-aws-modules/lambda `source_path[].patterns`: Python regular expressions
    /// over each file's path relative to `path`, `!` excluding; the last that fully
    /// matches decides, and a file none matches ships. `None` when a pattern is not a
    /// regular expression the `regex` crate accepts (look-around, back-references): then
    /// nothing is assumed left out.
    pub fn lambda_module(path: &RelPath, patterns: &[String]) -> Option<Self> {
        let regexes = patterns
            .iter()
            .map(|p| {
                let (include, p) = match p.strip_prefix('!') {
                    Some(rest) => (false, rest),
                    None => (true, p.as_str()),
                };
                regex::Regex::new(&format!("^(?:{p})$")).map(|re| (include, re))
            })
            .collect::<Result<Vec<_>, _>>()
            .ok()?;
        (!regexes.is_empty()).then(|| Self {
            base: path.clone(),
            rules: Vec::new(),
            regexes,
            style: Style::Regex,
        })
    }

    /// Whether the filter says exactly which modules ship, so that a handler module it
    /// leaves out cannot be imported. Only terraform-aws-modules/lambda's patterns for
    /// now: the other tools' excludes feed TST002 (and a CDK bundling command is assumed
    /// to ship nothing as it is, which says nothing of what it copies).
    pub fn decides_imports(&self) -> bool {
        self.style == Style::Regex
    }

    /// Whether the tool leaves `path` (a file in the code root) out of the package.
    pub fn excludes(&self, path: &RelPath) -> bool {
        let Some(relative) = path.strip_prefix(&self.base) else {
            return false;
        };
        let relative = relative.trim_start_matches('/');
        match self.style {
            Style::Files => !self.last_match(relative, false).unwrap_or(true),
            Style::Regex => !self
                .regexes
                .iter()
                .rev()
                .find(|(_, re)| re.is_match(relative))
                .is_none_or(|(include, _)| *include),
            Style::Tree { match_base } => {
                // Each folder on the way down, then the file itself.
                let mut end = 0;
                loop {
                    let next = relative[end..].find('/').map(|i| end + i);
                    let prefix = &relative[..next.unwrap_or(relative.len())];
                    if self.last_match(prefix, match_base) == Some(false) {
                        return true;
                    }
                    match next {
                        Some(i) => end = i + 1,
                        None => return false,
                    }
                }
            }
        }
    }

    /// `Some(true)` when the last matching rule includes, `Some(false)` when it excludes.
    fn last_match(&self, relative: &str, match_base: bool) -> Option<bool> {
        let name = relative.rsplit('/').next().unwrap_or(relative);
        self.rules
            .iter()
            .rev()
            .find(|(_, glob)| {
                glob.is_match(relative)
                    || (match_base && !glob.glob().glob().contains('/') && glob.is_match(name))
            })
            .map(|(include, _)| *include)
    }
}

/// A Serverless function's filter: the service's `package` settings, and the function's
/// own when it is packaged individually (otherwise the framework ignores them).
pub fn serverless_filter(
    service: &RelPath,
    root: &YamlNode,
    function: &YamlNode,
) -> Option<DeployFilter> {
    let service_package = root.get("package");
    let function_package = function.get("package");
    let flag = |package: Option<&YamlNode>| {
        package
            .and_then(|p| p.get("individually"))
            .and_then(YamlNode::as_str)
            .is_some_and(|v| v == "true")
    };
    let individually = flag(service_package) || flag(function_package);
    let mut lists = [Vec::new(), Vec::new(), Vec::new()];
    let mut packages = vec![service_package];
    if individually {
        packages.push(function_package);
    }
    for package in packages.into_iter().flatten() {
        for (list, key) in lists.iter_mut().zip(["exclude", "include", "patterns"]) {
            list.extend(strings(package.get(key)));
        }
    }
    let [excludes, includes, patterns] = lists;
    DeployFilter::serverless(service, &excludes, &includes, &patterns)
}

/// A YAML sequence of plain strings (anything else is skipped).
fn strings(node: Option<&YamlNode>) -> Vec<String> {
    match node.map(|n| &n.value) {
        Some(YamlValue::Sequence(items)) => items
            .iter()
            .filter_map(YamlNode::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> RelPath {
        RelPath::parse(text).unwrap()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn serverless_patterns_run_in_order() {
        let filter = DeployFilter::serverless(
            &path("svc"),
            &[],
            &[],
            &strings(&["!tests/**", "tests/keep.py"]),
        )
        .unwrap();
        assert!(filter.excludes(&path("svc/tests/test_a.py")));
        assert!(!filter.excludes(&path("svc/tests/keep.py")));
        assert!(!filter.excludes(&path("svc/handler.py")));
        let old =
            DeployFilter::serverless(&path(""), &strings(&["**/test_*.py"]), &[], &[]).unwrap();
        assert!(old.excludes(&path("a/test_x.py")));
        assert!(!old.excludes(&path("a/x.py")));
    }

    #[test]
    fn cdk_matches_names_and_skips_folders() {
        let filter = DeployFilter::cdk(&path("lambda"), &strings(&["tests", "test_*.py"])).unwrap();
        assert!(filter.excludes(&path("lambda/tests/unit/a.py")));
        assert!(filter.excludes(&path("lambda/pkg/test_a.py")));
        assert!(!filter.excludes(&path("lambda/pkg/a.py")));
        let negated = DeployFilter::cdk(&path("l"), &strings(&["*.py", "!app.py"])).unwrap();
        assert!(!negated.excludes(&path("l/app.py")));
        assert!(negated.excludes(&path("l/test_app.py")));
    }

    #[test]
    fn terraform_excludes_paths_and_globs() {
        let filter =
            DeployFilter::terraform(&path("src"), &strings(&["tests", "**/*_test.py"])).unwrap();
        assert!(filter.excludes(&path("src/tests/test_a.py")));
        assert!(filter.excludes(&path("src/a/b_test.py")));
        assert!(!filter.excludes(&path("src/a/test_b.py")));
    }
}
