//! Fuzzes every output format: a diagnostic with arbitrary path, message, rule name, help,
//! span and line/column (past column 65,535, past the end of the file) over arbitrary
//! file text, and a configuration error with an arbitrary span. No format may panic;
//! text formats may print no control character but newlines raw; JSON formats parse.
#![no_main]

#[path = "support.rs"]
mod support;

use laylint::config::ConfigFile;
use laylint::diagnostic::{Diagnostic, LineCol, Location, RelatedOut, RuleCode, Severity};
use laylint::paths::RelPath;
use laylint::report::escape::is_unsafe;
use laylint::report::{self, DisplayPaths, OutputFormat, ReportContext};
use laylint::rules::Registry;
use libfuzzer_sys::fuzz_target;

fn number(data: &[u8], at: usize) -> usize {
    let mut bytes = [0u8; 4];
    for (i, b) in data.iter().skip(at).take(4).enumerate() {
        bytes[i] = *b;
    }
    u32::from_le_bytes(bytes) as usize
}

fn assert_printable(format: OutputFormat, text: &str) {
    for c in text.chars() {
        assert!(c == '\n' || !is_unsafe(c), "{format:?} printed {c:?} raw");
        // Not XML 1.0 characters (harmless on a terminal).
        if format == OutputFormat::Junit {
            assert!(!matches!(c, '\u{fffe}' | '\u{ffff}'), "{format:?} printed {c:?}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 12 {
        return;
    }
    let (start, len, column) = (number(data, 0), number(data, 4), number(data, 8));
    let Ok(text) = std::str::from_utf8(&data[12..]) else { return };
    let mut parts = text.splitn(4, '|');
    let path = parts.next().unwrap_or_default();
    let message = parts.next().unwrap_or_default();
    let rule = parts.next().unwrap_or_default();
    let content = parts.next().unwrap_or_default();
    let path = RelPath::parse(path).unwrap_or_else(|_| RelPath::parse("f.py").unwrap());
    let repo = support::repo(&[(path.as_str(), content), ("other.py", message)]);
    let span = start..start.saturating_add(len);
    let at = |line: usize| LineCol { line, column };
    let diagnostic = Diagnostic {
        code: RuleCode::new("ORG001").unwrap(),
        rule: rule.to_string(),
        severity: Severity::Warning,
        message: message.to_string(),
        location: Location::span(path.clone(), span.clone()),
        start: Some(at(start % 1000 + 1)),
        end: Some(at(len % 1000 + 1)),
        help: Some(rule.to_string()),
        url: String::new(),
        related: vec![
            RelatedOut {
                location: Location::span(path.clone(), len..start),
                start: Some(at(1)),
                message: message.to_string(),
            },
            RelatedOut {
                location: Location::span(RelPath::parse("other.py").unwrap(), start..len),
                start: None,
                message: rule.to_string(),
            },
            RelatedOut {
                location: Location::path(path.clone()),
                start: None,
                message: message.to_string(),
            },
        ],
        fix: None,
    };
    let whole_file = Diagnostic {
        location: Location::path(path.clone()),
        start: None,
        end: None,
        ..diagnostic.clone()
    };
    let diagnostics = [diagnostic, whole_file];
    // Built once: loading every rule file per input would be most of the run.
    static REGISTRY: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    let registry = REGISTRY.get_or_init(|| Registry::builtin().unwrap());
    // Paths print relative to the working folder, whose name is the attacker's too.
    let paths = match column % 4 {
        0 => DisplayPaths::AsIs,
        1 => DisplayPaths::Below { prefix: format!("{rule}/") },
        2 => DisplayPaths::Inside { cwd: rule.split('/').map(str::to_string).collect() },
        _ => DisplayPaths::Absolute { root: format!("/{rule}") },
    };
    let excerpts = laylint::sink::Excerpts::collect(&diagnostics, |p| {
        if *p == path {
            Some(content)
        } else if p.as_str() == "other.py" {
            Some(message)
        } else {
            None
        }
    });
    let cx = ReportContext {
        excerpts: &excerpts,
        root: &repo.root,
        files: repo.files.files().count(),
        registry,
        color: false,
        quiet: false,
        paths,
    };
    for &format in OutputFormat::all() {
        let mut out = Vec::new();
        report::write(format, &diagnostics, &cx, &mut out).unwrap();
        let out = String::from_utf8(out).expect("UTF-8 output");
        match format {
            OutputFormat::Json | OutputFormat::Sarif | OutputFormat::Gitlab => {
                serde_json::from_str::<serde_json::Value>(&out).expect("a JSON document");
            }
            OutputFormat::JsonLines => {
                for line in out.lines() {
                    serde_json::from_str::<serde_json::Value>(line).expect("a JSON line");
                }
            }
            _ => assert_printable(format, &out),
        }
    }
    // A configuration error pointing anywhere into arbitrary text.
    let file = ConfigFile {
        path: "laylint.toml".into(),
        display: path.as_str().to_string(),
        text: content.to_string(),
        options: Default::default(),
    };
    let error = file.error(span, message, rule).with_help(rule);
    assert_printable(OutputFormat::Full, &report::render_error(&error, false));
});
