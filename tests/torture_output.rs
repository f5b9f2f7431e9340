//! Hostile text in every output format: findings past column 65,535 and at the end of a
//! file, configuration errors on long lines, and names and handler strings holding escape
//! sequences, forged finding lines and characters XML forbids. No format may panic
//! (exit 101), print a control character raw, or write a malformed document.

mod common;

use common::custom::custom_rule;
use common::{FORMATS, TestRepo};

/// `select`s only a custom `content` rule forbidding `NEEDLE` in `*.txt` files, and PAR001.
fn needle_config() -> String {
    format!(
        "select = [\"ORG\", \"PAR\"]\n\n{}",
        custom_rule(
            "ORG001",
            "no-needle",
            "warning",
            "kind = \"content\"\nglob = \"**/*.txt\"\nforbids = \"NEEDLE\""
        )
    )
}

/// Runs `laylint check` in `format`; asserts no panic and exit 1 (findings).
fn check(repo: &TestRepo, format: &str) -> String {
    let run = repo.run(&["check", "--output-format", format]);
    assert_ne!(run.code, 101, "{format} panicked: {}", run.stderr);
    assert_eq!(run.code, 1, "{format}: {}\n{}", run.stdout, run.stderr);
    run.stdout
}

/// Fails on any raw control character but the newlines between lines, any bidi override,
/// and any line that is not the start of a finding but looks like one.
fn assert_printable(format: &str, text: &str) {
    for c in text.chars() {
        assert!(
            c == '\n' || !(c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c)),
            "{format} printed {c:?} raw:\n{text}"
        );
    }
    assert!(
        !text.lines().any(|l| l.starts_with("forged.py:1:1: HDL999")),
        "{format} printed a forged finding line:\n{text}"
    );
}

#[test]
fn findings_past_column_65535_and_at_the_end_of_a_file_in_every_format() {
    let long = format!("{}NEEDLE{}\n", "x".repeat(70_000), "y".repeat(70_000));
    let repo = TestRepo::with_files(&[
        ("laylint.toml", &needle_config()),
        ("long.txt", &long),
        // The match ends the file: no newline after it.
        ("end.txt", &format!("{}NEEDLE", "z".repeat(66_000))),
        ("two.txt", &format!("a\n{}\nNEEDLE", "é".repeat(70_000))),
    ]);
    // No format prints the long lines whole (SARIF's size alone says little: it carries
    // every rule's docs).
    for format in FORMATS {
        let out = check(&repo, format);
        for filler in ["x", "y", "z", "é"] {
            assert!(
                !out.contains(&filler.repeat(10_000)),
                "{format} printed a long line whole ({} bytes)",
                out.len()
            );
        }
    }
    let full = check(&repo, "full");
    assert!(full.contains("[long.txt:1:70001]"), "{full}");
    assert!(full.contains("[end.txt:1:66001]"), "{full}");
    assert!(full.contains("[two.txt:3:1]"), "{full}");
    assert!(
        full.lines()
            .any(|l| l.contains("│ …xxxx") && l.contains("xxxxNEEDLEyyyy") && l.ends_with("yy…")),
        "{full}"
    );
    let concise = check(&repo, "concise");
    assert!(concise.contains("long.txt:1:70001: ORG001"), "{concise}");
}

#[test]
fn a_configuration_error_past_column_65535_is_shown_not_a_panic() {
    let repo = TestRepo::with_files(&[(
        "laylint.toml",
        &format!("select = [\"{}\", 3]\n", "A".repeat(70_000)),
    )]);
    let run = repo.run(&["check"]);
    assert_ne!(run.code, 101, "panicked: {}", run.stderr);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("laylint.toml:1:"), "{}", run.stderr);
    assert!(run.stderr.len() < 20_000, "{} bytes", run.stderr.len());
}

/// A handler string carrying a screen clear, a colour, a carriage return and newline and a
/// forged finding line, in a repository with a file and a folder named the same way.
fn hostile_repo() -> TestRepo {
    let handler = "app.\\e[2J\\e[31mhandler\\r\\nforged.py:1:1: HDL999 fake\\u202e";
    let template = format!(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::Serverless-2016-10-31\n\
         Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      \
         Runtime: python3.12\n      CodeUri: src/\n      Handler: \"{handler}\"\n"
    );
    TestRepo::with_files(&[
        (
            "laylint.toml",
            &needle_config().replace("select = [", "select = [\"HDL\", "),
        ),
        ("template.yaml", &template),
        ("src/app.py", "def handler(event, context):\n    return 1\n"),
        (
            "names/a\u{1b}]0;title\u{7}\nforged.py:1:1: HDL999 x.txt",
            "NEEDLE \u{1b}[31m\n",
        ),
        ("names/\u{ffff}dir/a b:c.txt", "NEEDLE\n"),
    ])
}

#[test]
fn control_characters_from_the_repository_are_escaped_in_text_formats() {
    let repo = hostile_repo();
    let run = repo.run(&["check", "--output-format", "concise", "--select", "HDL,ORG"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("\\u{1b}[2J"), "{}", run.stdout);
    let listing = repo.run(&["check", "--show-handlers"]);
    assert!(listing.stdout.contains("\\u{1b}[2J"), "{}", listing.stdout);
    assert_printable("--show-handlers", &listing.stdout);
    for format in ["full", "concise", "github"] {
        let run = repo.run(&["check", "--output-format", format, "--select", "HDL,ORG"]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        assert!(run.stdout.contains("HDL0"), "{format}: {}", run.stdout);
        assert_printable(format, &run.stdout);
    }
}

#[test]
fn junit_is_well_formed_and_sarif_uris_are_percent_encoded() {
    let repo = hostile_repo();
    let junit = check(&repo, "junit");
    let mut reader = quick_xml::Reader::from_str(&junit);
    let mut cases = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e)) if e.name().0 == "testcase" => {
                for attribute in e.attributes() {
                    attribute.expect("a well-formed attribute");
                }
                cases += 1;
            }
            Ok(_) => {}
            Err(e) => panic!(
                "malformed JUnit at {}: {e}\n{junit}",
                reader.error_position()
            ),
        }
    }
    assert!(cases >= 3, "{junit}");
    // quick-xml does not check characters; XML 1.0 allows no U+FFFE, U+FFFF or C0 but
    // tab, newline and carriage return.
    assert!(
        !junit.contains(['\u{fffe}', '\u{ffff}']),
        "U+FFFF is not XML 1.0"
    );
    assert_printable("junit", &junit);

    let sarif: serde_json::Value = serde_json::from_str(&check(&repo, "sarif")).unwrap();
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        uris.contains(&"names/%EF%BF%BFdir/a%20b%3Ac.txt"),
        "{uris:?}"
    );
    for uri in &uris {
        assert!(
            uri.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
            "{uri}"
        );
    }
    let root = sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
}
