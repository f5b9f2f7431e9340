//! `[[custom-rules]]` entries for tests that need a rule of their own.

/// One `[[custom-rules]]` entry with placeholder docs; `check` is the body of its
/// `[custom-rules.check]` table (`kind = …` and the parameters), one per line.
pub fn custom_rule(code: &str, name: &str, severity: &str, check: &str) -> String {
    format!(
        "[[custom-rules]]\ncode = \"{code}\"\nname = \"{name}\"\ngroup = \"custom\"\n\
         summary = \"s\"\nseverity = \"{severity}\"\ndefault = true\n\
         docs = \"\"\"\n## What it does\nx\n## Why is this bad?\nx\n## Example\nx\n\
         ## How to fix\nx\n\"\"\"\n[custom-rules.check]\n{check}\n"
    )
}
