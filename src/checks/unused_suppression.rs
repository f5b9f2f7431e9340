//! `unused-suppression` (SUP001): a `# laylint: ignore[…]` code that suppressed nothing.
//! The engine reports these after filtering, since only it knows which were used.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UnusedSuppression {}
