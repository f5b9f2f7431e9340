//! Python `re` patterns (mypy's `exclude`) evaluated with the `regex` crate.
//!
//! mypy tests each pattern with `re.search` against the `/`-separated path relative to
//! the working folder, with a trailing `/` for folders. The translation keeps Python's
//! meaning where the two dialects differ:
//! - inside `[...]`, Python takes `[` literally and has no set operations (`&&`, `--`,
//!   `~~`), and in `(?x)` mode keeps whitespace and `#`: these are escaped;
//! - `\Z` (Python's end of string) becomes `\z`;
//! - a `{` that does not start a repetition is a literal in Python: it is escaped.
//!
//! Look-around, back-references and `(?a)`/`(?L)` have no equivalent in the `regex`
//! crate: such a pattern is reported as not evaluable and excludes nothing.

use regex::Regex;

/// A compiled translation of a Python pattern.
#[derive(Debug, Clone)]
pub struct PythonRegex(Regex);

impl PythonRegex {
    /// `re.search(pattern, text) is not None`.
    pub fn search(&self, text: &str) -> bool {
        self.0.is_match(text)
    }
}

/// Translates and compiles a Python regular expression.
pub fn compile_python_regex(pattern: &str) -> Result<PythonRegex, String> {
    let translated = translate(pattern)?;
    Regex::new(&translated)
        .map(PythonRegex)
        .map_err(|e| format!("laylint cannot evaluate this regular expression: {e}"))
}

fn translate(pattern: &str) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut in_class = false;
    let mut class_start = 0;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '\\' {
            let Some(&next) = chars.get(i + 1) else {
                return Err("the pattern ends with a lone backslash".to_string());
            };
            if !in_class && next == 'Z' {
                out.push_str("\\z");
            } else if next.is_ascii_digit() && next != '0' && !in_class {
                return Err(format!(
                    "back-reference `\\{next}` is not supported by laylint"
                ));
            } else {
                out.push('\\');
                out.push(next);
            }
            i += 2;
            continue;
        }
        if in_class {
            let first =
                i == class_start || (i == class_start + 1 && chars.get(class_start) == Some(&'^'));
            match c {
                ']' if !first => {
                    in_class = false;
                    out.push(']');
                }
                '[' | '&' | '-' | '~' if c != '-' || is_set_operator(&chars, i) => {
                    out.push('\\');
                    out.push(c);
                }
                c if c.is_whitespace() || c == '#' => {
                    out.push_str(&format!("\\x{{{:x}}}", c as u32));
                }
                _ => out.push(c),
            }
            i += 1;
            continue;
        }
        match c {
            '[' => {
                in_class = true;
                class_start = i + 1;
                out.push('[');
            }
            '(' if chars.get(i + 1) == Some(&'?') => {
                let rest: String = chars[i + 2..].iter().take(3).collect();
                if rest.starts_with('=')
                    || rest.starts_with('!')
                    || rest.starts_with("<=")
                    || rest.starts_with("<!")
                {
                    return Err("look-around assertions are not supported by laylint".to_string());
                }
                if rest.starts_with("P=") {
                    return Err("named back-references are not supported by laylint".to_string());
                }
                out.push('(');
            }
            '{' if !starts_repetition(&chars, i) => out.push_str("\\{"),
            '}' if !closes_repetition(&chars, i) => out.push_str("\\}"),
            _ => out.push(c),
        }
        i += 1;
    }
    if in_class {
        return Err("unterminated character set".to_string());
    }
    Ok(out)
}

/// Whether a `-` inside a class would be read by `regex` as the `--` set difference.
fn is_set_operator(chars: &[char], i: usize) -> bool {
    chars.get(i + 1) == Some(&'-') || (i > 0 && chars.get(i - 1) == Some(&'-'))
}

/// `{m}`, `{m,}`, `{,n}`, `{m,n}`: Python reads anything else as literal text.
fn starts_repetition(chars: &[char], i: usize) -> bool {
    let mut j = i + 1;
    let mut digits = 0;
    let mut comma = false;
    while let Some(&c) = chars.get(j) {
        match c {
            '0'..='9' => digits += 1,
            ',' if !comma => comma = true,
            '}' => return digits > 0 && j > i + 1,
            _ => return false,
        }
        j += 1;
    }
    false
}

fn closes_repetition(chars: &[char], i: usize) -> bool {
    let Some(open) = chars[..i].iter().rposition(|&c| c == '{' || c == '}') else {
        return false;
    };
    chars.get(open) == Some(&'{') && starts_repetition(chars, open)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(pattern: &str, text: &str) -> bool {
        compile_python_regex(pattern).unwrap().search(text)
    }

    #[test]
    fn follows_python_semantics() {
        assert!(search("^functions/add/", "functions/add/handler.py"));
        assert!(!search("^functions/add/", "functions/address/handler.py"));
        assert!(search(
            "(?x)(\n  ^build/\n  | handler\\.py$\n)",
            "x/handler.py"
        ));
        assert!(search("[[]x", "[x"));
        assert!(search("(?x)a[ ]b", "a b"));
        assert!(search("a{b", "a{b"));
        assert!(search("a{2}", "aa"));
        assert!(search("tests\\Z", "x/tests"));
        assert!(compile_python_regex("(?<!x)y").is_err());
        assert!(compile_python_regex("(a)\\1").is_err());
    }
}
