//! INI files as Python's `configparser` reads them (`setup.cfg`, `mypy.ini`, `tox.ini`):
//! `[section]` headers, `key = value` or `key: value`, indented continuation lines,
//! full-line `#`/`;` comments, keys lower-cased, duplicates rejected (strict mode).

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use super::Repo;
use crate::paths::RelPath;

/// One `key = value` entry; multi-line values are joined with `\n`, as configparser does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IniValue {
    pub value: String,
    pub key_span: Range<usize>,
    /// From the first character of the value to the end of its last line.
    pub value_span: Range<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IniSection {
    pub span: Range<usize>,
    pub entries: BTreeMap<String, IniValue>,
}

impl IniSection {
    pub fn get(&self, key: &str) -> Option<&IniValue> {
        self.entries.get(key)
    }
}

/// A parsed INI file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IniDoc {
    pub sections: BTreeMap<String, IniSection>,
}

/// A configparser error: message and the span of the offending line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IniError {
    pub message: String,
    pub span: Range<usize>,
}

impl IniDoc {
    pub fn section(&self, name: &str) -> Option<&IniSection> {
        self.sections.get(name)
    }

    pub fn parse(text: &str) -> Result<Self, IniError> {
        let mut doc = IniDoc::default();
        let mut current: Option<String> = None;
        let mut last_key: Option<String> = None;
        let mut offset = 0;
        for (number, raw) in text.split_inclusive('\n').enumerate() {
            let start = offset;
            offset += raw.len();
            let line = raw.trim_end_matches(['\n', '\r']);
            let span = start..start + line.len();
            let stripped = line.trim();
            let indented = line.starts_with([' ', '\t']);
            if stripped.starts_with(['#', ';']) {
                continue;
            }
            if stripped.is_empty() {
                // A blank line inside a value is kept only if more indented lines follow.
                if let Some(entry) = open_entry(&mut doc, &current, &last_key) {
                    entry.value.push('\n');
                }
                continue;
            }
            if indented && let Some(entry) = open_entry(&mut doc, &current, &last_key) {
                let blank_lines = entry.value.len() - entry.value.trim_end_matches('\n').len();
                entry.value.truncate(entry.value.len() - blank_lines);
                entry.value.push_str(&"\n".repeat(blank_lines + 1));
                entry.value.push_str(stripped);
                entry.value_span.end = span.end;
                continue;
            }
            if let Some(name) = stripped.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
                if doc.sections.contains_key(name) {
                    return Err(IniError {
                        message: format!("section `[{name}]` appears twice (line {})", number + 1),
                        span,
                    });
                }
                doc.sections.insert(
                    name.to_string(),
                    IniSection {
                        span: span.clone(),
                        entries: BTreeMap::new(),
                    },
                );
                current = Some(name.to_string());
                last_key = None;
                continue;
            }
            let Some(section) = &current else {
                return Err(IniError {
                    message: format!("line {} comes before any `[section]` header", number + 1),
                    span,
                });
            };
            let Some(sep) = line.find(['=', ':']) else {
                return Err(IniError {
                    message: format!(
                        "line {} is neither `key = value` nor a section header",
                        number + 1
                    ),
                    span,
                });
            };
            let key = line[..sep].trim().to_lowercase();
            let key_start = start + line.len() - line.trim_start().len();
            let value_text = line[sep + 1..].trim();
            let value_start =
                start + sep + 1 + (line[sep + 1..].len() - line[sep + 1..].trim_start().len());
            let entries = &mut doc
                .sections
                .get_mut(section)
                .expect("section inserted above")
                .entries;
            if entries.contains_key(&key) {
                return Err(IniError {
                    message: format!(
                        "option `{key}` appears twice in `[{section}]` (line {})",
                        number + 1
                    ),
                    span,
                });
            }
            entries.insert(
                key.clone(),
                IniValue {
                    value: value_text.to_string(),
                    key_span: key_start..key_start + line[..sep].trim().len(),
                    value_span: value_start..value_start + value_text.len(),
                },
            );
            last_key = Some(key);
        }
        for section in doc.sections.values_mut() {
            for entry in section.entries.values_mut() {
                let trimmed = entry.value.trim_end_matches('\n').len();
                entry.value.truncate(trimmed);
            }
        }
        Ok(doc)
    }
}

/// The entry a continuation line extends: the last key of the current section.
fn open_entry<'d>(
    doc: &'d mut IniDoc,
    section: &Option<String>,
    key: &Option<String>,
) -> Option<&'d mut IniValue> {
    doc.sections
        .get_mut(section.as_deref()?)?
        .entries
        .get_mut(key.as_deref()?)
}

impl Repo {
    /// The parsed INI file at `path`; a parse error is recorded once (PAR001) and gives `None`.
    pub fn ini(&self, path: &RelPath) -> Option<Arc<IniDoc>> {
        self.parse_cached(&self.caches.ini, path, "a valid INI file", |text| {
            IniDoc::parse(text).map_err(|error| (error.message, Some(error.span)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_setup_cfg_like_configparser() {
        let text = "[metadata]\nname = shared\n\n[options]\npackage_dir =\n    =layer\npackages = find:\n# c\n[mypy]\nFiles: a,\n  b\n";
        let doc = IniDoc::parse(text).unwrap();
        assert_eq!(
            doc.section("options")
                .unwrap()
                .get("package_dir")
                .unwrap()
                .value,
            "\n=layer"
        );
        assert_eq!(
            doc.section("options")
                .unwrap()
                .get("packages")
                .unwrap()
                .value,
            "find:"
        );
        assert_eq!(
            doc.section("mypy").unwrap().get("files").unwrap().value,
            "a,\nb"
        );
        let name = doc.section("metadata").unwrap().get("name").unwrap();
        assert_eq!(&text[name.value_span.clone()], "shared");
        assert!(IniDoc::parse("x = 1\n").is_err());
        assert!(IniDoc::parse("[a]\nx = 1\nx = 2\n").is_err());
    }
}
