//! Globs as every laylint option reads them: relative paths, `*` stops at `/`.

use globset::GlobBuilder;

/// Compiles a repository-relative glob; a trailing `/` (folders only) is left to the caller.
pub fn compile_glob(pattern: &str) -> Result<globset::Glob, String> {
    GlobBuilder::new(pattern.trim_end_matches('/'))
        .literal_separator(true)
        .build()
        .map_err(|e| format!("invalid glob `{pattern}`: {}", e.kind()))
}
