//! AWS credentials written into a file: access key ids and secret access keys (IAC001).
//!
//! What counts, and what is exempt, is decided here once; the facet
//! (`facets/aws_keys.rs`) runs it over every file and the check turns hits into findings.
//! A hit never carries the key itself: only its place and a masked form (first and last
//! four characters), so nothing downstream can print it.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Bytes looked at for a NUL to tell a binary file (git's heuristic).
const BINARY_PROBE: usize = 8000;

/// An access key id: a known prefix then 16 base32 characters.
static KEY_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}").expect("valid regex")
});

/// `aws_secret_access_key` (any case, as a key, keyword argument or variable), an
/// assignment (`=`, `:`, `=>`, `:=`, with the name quoted or indexed), then the value.
static SECRET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i:aws_secret_access_key)["']?\]?[ \t]*(?:=>|:=|=|:)[ \t]*(["']?)([A-Za-z0-9/+]{40})"#,
    )
    .expect("valid regex")
});

/// What was found.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    AccessKeyId,
    SecretAccessKey,
}

/// One credential in a file: where it is and how it may be shown.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct KeyHit {
    pub kind: KeyKind,
    /// The key's bytes in the scanned text.
    pub range: Range<usize>,
    /// 1-based line.
    pub line: usize,
    /// The first four and last four characters: `AKIA…WXYZ`.
    pub masked: String,
}

/// What the scan of one file found.
#[derive(serde::Serialize, serde::Deserialize, Debug, Default)]
pub struct KeyScan {
    pub hits: Vec<KeyHit>,
    /// The file is valid UTF-8, so the ranges are offsets into its text as laylint reads
    /// it (otherwise into a lossy decoding: only the line is meaningful).
    pub exact: bool,
}

/// Whether the first bytes of a file hold a NUL: a binary file, not scanned.
pub fn is_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(BINARY_PROBE)].contains(&0)
}

/// Every credential in `text`. `quoted_only`: the file is program source (Python,
/// JavaScript, TypeScript, HCL), where an unquoted secret value is an expression, not a
/// literal.
pub fn scan(text: &str, quoted_only: bool) -> Vec<KeyHit> {
    let bytes = text.as_bytes();
    let token = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_alphanumeric);
    let mut hits = Vec::new();
    for found in KEY_ID.find_iter(text) {
        let range = found.range();
        if (range.start > 0 && token(range.start - 1)) || token(range.end) {
            continue;
        }
        if !is_exempt_key_id(found.as_str()) {
            hits.push((KeyKind::AccessKeyId, range));
        }
    }
    for captures in SECRET.captures_iter(text) {
        let (Some(whole), Some(quote), Some(value)) =
            (captures.get(0), captures.get(1), captures.get(2))
        else {
            continue;
        };
        // The name stands alone (`my_aws_secret_access_key` counts, `xaws_…` does not).
        if whole.start() > 0 && token(whole.start() - 1) && bytes[whole.start() - 1] != b'_' {
            continue;
        }
        let next = bytes.get(value.end()).copied();
        if next.is_some_and(|b| b.is_ascii_alphanumeric() || b"/+=".contains(&b)) {
            continue;
        }
        let quote = quote.as_str();
        if quoted_only && quote.is_empty() {
            continue;
        }
        if !quote.is_empty() && next != quote.bytes().next() {
            continue;
        }
        if !is_exempt_secret(value.as_str()) {
            hits.push((KeyKind::SecretAccessKey, value.range()));
        }
    }
    hits.sort_by_key(|(_, range)| range.start);
    let mut line = 1;
    let mut counted = 0;
    hits.into_iter()
        .map(|(kind, range)| {
            line += bytes[counted..range.start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            counted = range.start;
            KeyHit {
                kind,
                masked: mask(&text[range.clone()]),
                range,
                line,
            }
        })
        .collect()
}

/// The first and last four characters of a key (ASCII by construction).
pub fn mask(key: &str) -> String {
    let n = key.len();
    if n <= 8 {
        return "…".into();
    }
    format!("{}…{}", &key[..4], &key[n - 4..])
}

/// AWS's documentation writes every example key id with the suffix `EXAMPLE`
/// (`AKIAIOSFODNN7EXAMPLE`); placeholders repeat a few characters (`AKIAXXXXXXXXXXXXXXXX`)
/// or spell the alphabet. A generated key id does neither (at most one in ten million).
fn is_exempt_key_id(key: &str) -> bool {
    let body = &key[4..];
    key.ends_with("EXAMPLE")
        || distinct(body) < 6
        || "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".contains(body)
        || ["FAKE", "DUMMY", "SAMPLE", "TEST"]
            .iter()
            .any(|word| body.contains(word))
}

/// AWS's example secrets end in `EXAMPLEKEY`; a placeholder uses a few characters, or one
/// class of them only (`xxxx…`, `0000…`, a lowercase phrase).
fn is_exempt_secret(value: &str) -> bool {
    let classes = [
        value.bytes().any(|b| b.is_ascii_lowercase()),
        value.bytes().any(|b| b.is_ascii_uppercase()),
        value.bytes().any(|b| b.is_ascii_digit()),
    ];
    value.ends_with("EXAMPLEKEY")
        || distinct(value) < 6
        || classes.iter().filter(|&&c| c).count() < 2
}

fn distinct(text: &str) -> usize {
    let mut seen = [false; 128];
    for b in text.bytes() {
        seen[usize::from(b & 0x7f)] = true;
    }
    seen.iter().filter(|&&s| s).count()
}

/// Whether a file is program source, where an unquoted secret is not a literal.
pub fn is_program(name: &str) -> bool {
    let ext = name.rsplit_once('.').map_or("", |(_, ext)| ext);
    matches!(
        ext,
        "py" | "pyi"
            | "js"
            | "mjs"
            | "cjs"
            | "ts"
            | "tsx"
            | "jsx"
            | "tf"
            | "hcl"
            | "go"
            | "java"
            | "rb"
            | "rs"
            | "cs"
            | "kt"
            | "php"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(KeyKind, String)> {
        scan(text, false)
            .into_iter()
            .map(|h| (h.kind, text[h.range].to_string()))
            .collect()
    }

    #[test]
    fn key_ids_need_a_prefix_base32_and_token_edges() {
        let key = "AKIA2QWERTYZMNBVCXLK";
        assert_eq!(kinds(&format!("id = \"{key}\"")).len(), 1);
        assert_eq!(kinds(&format!("x{key}")).len(), 0);
        assert_eq!(kinds(&format!("{key}Q")).len(), 0);
        assert_eq!(kinds(&format!("{key}_")).len(), 1);
        assert_eq!(kinds("AKIA2QWERTYZMNBVCXL1").len(), 0, "1 is not base32");
        assert_eq!(kinds("AKIB2QWERTYZMNBVCXLK").len(), 0);
        assert_eq!(kinds("akia2qwertyzmnbvcxlk").len(), 0);
        assert_eq!(kinds("A3TX2QWERTYZMNBVCXLK").len(), 1);
    }

    #[test]
    fn documented_examples_and_placeholders_are_exempt() {
        for text in [
            "AKIAIOSFODNN7EXAMPLE",
            "ASIAIOSFODNN7EXAMPLE",
            "AKIAXXXXXXXXXXXXXXXX",
            "AKIAABCDEFGHIJKLMNOP",
            "AKIAFAKEKEYQWERTYZMN",
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "aws_secret_access_key = xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "aws_secret_access_key = thisisnotasecretjustalowercasephraseokay",
        ] {
            assert_eq!(kinds(text), [], "{text}");
        }
    }

    #[test]
    fn secrets_are_assigned_to_the_name() {
        let secret = "q7Z/3kLmN9pR2sT+uV4wX5yA6bC8dE0fG1hJ2kL3";
        for text in [
            format!("aws_secret_access_key = {secret}\n"),
            format!("AWS_SECRET_ACCESS_KEY={secret}"),
            format!("export AWS_SECRET_ACCESS_KEY=\"{secret}\""),
            format!("  \"aws_secret_access_key\": \"{secret}\","),
            format!("client(aws_secret_access_key='{secret}')"),
            format!("os.environ[\"AWS_SECRET_ACCESS_KEY\"] = \"{secret}\""),
            format!("TEST_AWS_SECRET_ACCESS_KEY: {secret}"),
        ] {
            let found = kinds(&text);
            assert_eq!(
                found,
                [(KeyKind::SecretAccessKey, secret.to_string())],
                "{text}"
            );
        }
        for text in [
            format!("aws_secret_access_key = {secret}x"),
            format!("aws_secret_access_key = \"{secret}x\""),
            format!("aws_secret_access_key = {}", &secret[1..]),
            format!("aws_session_token = \"{secret}\""),
            format!("aws_secret_access_key = \"{secret}'"),
            format!("xaws_secret_access_key = {secret}"),
        ] {
            assert_eq!(kinds(&text), [], "{text}");
        }
        let unquoted = format!("aws_secret_access_key = {secret}");
        assert_eq!(scan(&unquoted, true), []);
        assert_eq!(
            scan(&format!("aws_secret_access_key = '{secret}'"), true).len(),
            1
        );
    }

    #[test]
    fn hits_carry_lines_and_a_mask_only() {
        let text = "a\nb AKIA2QWERTYZMNBVCXLK\n\nAKIA3QWERTYZMNBVCXLK";
        let hits = scan(text, false);
        assert_eq!(
            hits.iter()
                .map(|h| (h.line, h.masked.as_str()))
                .collect::<Vec<_>>(),
            [(2, "AKIA…CXLK"), (4, "AKIA…CXLK")]
        );
        assert!(is_binary(b"ab\0c"));
        assert!(!is_binary(b"abc"));
    }
}
