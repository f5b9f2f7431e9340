//! Dependency specifications (PEP 508) and pip's requirement-file lines, parsed by hand to
//! the extent laylint needs them: the distribution name, the version clauses (PEP 440
//! operators), whether the requirement is a direct URL, and where it sits in the line.
//!
//! A line this grammar does not accept gives `None`: the rules that read requirements
//! then say nothing about it rather than guess.

use std::ops::Range;

/// One PEP 508 requirement: `name [extras] (version-spec | @ url) ; marker`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The name as written.
    pub name: String,
    /// The version clauses, e.g. `(">=", "1.2")`.
    pub clauses: Vec<(String, String)>,
    /// `name @ https://…`: a direct reference.
    pub url: bool,
}

impl Requirement {
    /// The PEP 503 normalised name: lowercase, runs of `-`, `_`, `.` become `-`.
    pub fn normalised_name(&self) -> String {
        crate::model::projects::normalise_name(&self.name).replace('_', "-")
    }

    /// Whether a clause pins one version (`==` or `===`).
    pub fn is_pinned(&self) -> bool {
        self.clauses.iter().any(|(op, _)| op == "==" || op == "===")
    }

    /// Whether every version the clauses allow has a release number below `major`
    /// (`<69`, `<=68.2`, `==68.*`, `~=68.0`); false when some clause has no upper bound
    /// laylint can read.
    pub fn only_below(&self, major: u64) -> bool {
        self.clauses.iter().any(|(op, version)| {
            let wildcard = version.ends_with(".*");
            let Some(release) = release(version.trim_end_matches(".*")) else {
                return false;
            };
            let first = release.first().copied().unwrap_or(0);
            match op.as_str() {
                // `<69`, `<69.0`: strictly below 69.0; `<69.1` allows 69.0.
                "<" => first < major || (first == major && release[1..].iter().all(|c| *c == 0)),
                "<=" | "===" => first < major,
                "==" => first < major,
                "~=" if !wildcard && release.len() >= 2 => {
                    // `~=68.2` is `>=68.2, ==68.*`; `~=68.2.1` is `==68.2.*`.
                    first < major
                }
                _ => false,
            }
        })
    }
}

/// The release segment of a PEP 440 version (`68.2.2rc1` -> `[68, 2, 2]`); `None` with an
/// epoch or no leading number.
fn release(version: &str) -> Option<Vec<u64>> {
    let version = version.trim();
    let version = version.strip_prefix(['v', 'V']).unwrap_or(version);
    if version.contains('!') {
        return None;
    }
    let mut parts = Vec::new();
    for part in version.split('.') {
        let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            break;
        }
        parts.push(digits.parse().ok()?);
        if digits.len() != part.len() {
            break;
        }
    }
    (!parts.is_empty()).then_some(parts)
}

const OPERATORS: [&str; 8] = ["===", "==", "!=", "~=", "<=", ">=", "<", ">"];

/// Parses one PEP 508 requirement; `None` if it is not one.
pub fn parse(text: &str) -> Option<Requirement> {
    let text = text.trim();
    // The marker starts at the first `;` (a URL requirement needs a space before it).
    let (body, _marker) = match text.split_once(';') {
        Some((body, marker)) => (body.trim(), Some(marker)),
        None => (text, None),
    };
    let name_len = body
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .map_or(body.len(), |(i, _)| i);
    let name = &body[..name_len];
    let valid_name = name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if !valid_name {
        return None;
    }
    let mut rest = body[name_len..].trim_start();
    if let Some(after) = rest.strip_prefix('[') {
        let close = after.find(']')?;
        let extras = &after[..close];
        let extras_ok = extras.split(',').map(str::trim).all(|e| {
            e.is_empty()
                || e.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        });
        if !extras_ok {
            return None;
        }
        rest = after[close + 1..].trim_start();
    }
    if let Some(url) = rest.strip_prefix('@') {
        let url = url.trim();
        return (!url.is_empty() && !url.contains(char::is_whitespace)).then(|| Requirement {
            name: name.to_string(),
            clauses: Vec::new(),
            url: true,
        });
    }
    let spec = match rest.strip_prefix('(') {
        Some(inner) => inner.strip_suffix(')')?,
        None => rest,
    };
    let mut clauses = Vec::new();
    for clause in spec.split(',').map(str::trim) {
        if clause.is_empty() {
            if spec.trim().is_empty() {
                break;
            }
            return None;
        }
        let op = OPERATORS.iter().find(|op| clause.starts_with(**op))?;
        let version = clause[op.len()..].trim();
        let version_ok = !version.is_empty()
            && version
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.*+!".contains(c));
        if !version_ok {
            return None;
        }
        clauses.push((op.to_string(), version.to_string()));
    }
    Some(Requirement {
        name: name.to_string(),
        clauses,
        url: false,
    })
}

/// One requirement of a pip requirements file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequirementLine {
    pub requirement: Requirement,
    /// The requirement's text in the file (from its name to the end of its specifier).
    pub span: Range<usize>,
    /// A `--hash=` option follows it.
    pub hashed: bool,
}

/// The requirements of a pip requirements file, as pip reads it: `\` continues a line,
/// `#` after whitespace starts a comment, lines starting with `-` are options (`-r`, `-c`,
/// `-e`, index options) and name no requirement here; paths and bare URLs are skipped,
/// and so is a line the PEP 508 grammar does not accept.
pub fn requirement_lines(text: &str) -> Vec<RequirementLine> {
    let mut out = Vec::new();
    let mut logical = String::new();
    let mut offsets: Vec<usize> = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let (content, continued) = match line.strip_suffix('\\') {
            Some(head) => (head, true),
            None => (line, false),
        };
        offsets.extend((0..content.len()).map(|i| offset + i));
        logical.push_str(content);
        offset += raw.len();
        if continued {
            continue;
        }
        if let Some(found) = read_logical(&logical, &offsets) {
            out.push(found);
        }
        logical.clear();
        offsets.clear();
    }
    if let Some(found) = read_logical(&logical, &offsets) {
        out.push(found);
    }
    out
}

/// One logical line: its requirement and the file offsets of its characters.
fn read_logical(line: &str, offsets: &[usize]) -> Option<RequirementLine> {
    let uncommented = match line.find('#') {
        Some(0) => "",
        Some(i) if line[..i].ends_with(char::is_whitespace) => &line[..i],
        _ => line,
    };
    // Token ranges, as pip splits the line: the requirement ends at the first ` -` token.
    let mut tokens: Vec<Range<usize>> = Vec::new();
    let mut token_start = None;
    for (i, c) in uncommented.char_indices() {
        match (c.is_whitespace(), token_start) {
            (true, Some(s)) => {
                tokens.push(s..i);
                token_start = None;
            }
            (false, None) => token_start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = token_start {
        tokens.push(s..uncommented.len());
    }
    let first = tokens.first()?;
    if uncommented[first.clone()].starts_with('-') {
        return None;
    }
    let options_at = tokens
        .iter()
        .position(|t| uncommented[t.clone()].starts_with('-'))
        .unwrap_or(tokens.len());
    let hashed = tokens[options_at..]
        .iter()
        .any(|t| uncommented[t.clone()].starts_with("--hash"));
    let last = tokens.get(options_at.checked_sub(1)?)?;
    let requirement_range = first.start..last.end;
    let requirement_text = &uncommented[requirement_range.clone()];
    let has_at = requirement_text.contains('@');
    let looks_like_path = requirement_text.starts_with(['.', '/', '~'])
        || (!has_at && requirement_text.contains(['/', '\\']));
    if looks_like_path {
        return None;
    }
    let requirement = parse(requirement_text)?;
    // The span ends before the marker.
    let spec_len = requirement_text
        .find(';')
        .map_or(requirement_text.len(), |i| {
            requirement_text[..i].trim_end().len()
        });
    let from = *offsets.get(requirement_range.start)?;
    let to = offsets.get(requirement_range.start + spec_len.max(1) - 1)? + 1;
    Some(RequirementLine {
        requirement,
        span: from..to,
        hashed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pep_508() {
        let r =
            parse("requests[security, socks] >=2.8.1, ==2.8.* ; python_version < \"2.7\"").unwrap();
        assert_eq!(r.name, "requests");
        assert_eq!(r.clauses.len(), 2);
        assert!(r.is_pinned());
        let r = parse("pip @ https://github.com/pypa/pip/archive/1.3.1.zip").unwrap();
        assert!(r.url);
        assert!(parse("Setuptools (<69)").unwrap().only_below(69));
        assert!(parse("name").unwrap().clauses.is_empty());
        assert!(parse("-e .").is_none());
        assert!(parse("bad name>=1 extra").is_none());
        assert!(parse("x >= 1 2").is_none());
    }

    #[test]
    fn reads_upper_bounds() {
        for (text, below) in [
            ("setuptools<69", true),
            ("setuptools<69.0.0", true),
            ("setuptools<69.1", false),
            ("setuptools<=68.2.2", true),
            ("setuptools==68.2.2", true),
            ("setuptools==68.*", true),
            ("setuptools==69.*", false),
            ("setuptools~=68.0", true),
            ("setuptools>=61,<68", true),
            ("setuptools>=61", false),
            ("setuptools", false),
            ("setuptools!=68", false),
            ("setuptools==1!50", false),
        ] {
            assert_eq!(parse(text).unwrap().only_below(69), below, "{text}");
        }
    }

    #[test]
    fn reads_requirement_files_as_pip_does() {
        let text = "# comment\nboto3==1.34.0\nrequests>=2 # why\n-r other.txt\n-e .\n./local\nattrs \\\n  --hash=sha256:abc\nhttps://x/y.whl\npydantic ; python_version>'3'\nurllib3@https://x/u.whl\n";
        let lines = requirement_lines(text);
        let names: Vec<_> = lines.iter().map(|l| l.requirement.name.as_str()).collect();
        assert_eq!(names, ["boto3", "requests", "attrs", "pydantic", "urllib3"]);
        assert_eq!(&text[lines[1].span.clone()], "requests>=2");
        assert!(lines[2].hashed);
        assert_eq!(&text[lines[2].span.clone()], "attrs");
        assert_eq!(&text[lines[3].span.clone()], "pydantic");
        assert!(lines[4].requirement.url);
    }
}
