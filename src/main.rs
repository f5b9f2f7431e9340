//! The `laylint` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

/// mimalloc, as ruff does: a monorepo check allocates and frees a syntax tree per module
/// on every core, which glibc's allocator serialises and fragments.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    laylint::cli::main()
}
