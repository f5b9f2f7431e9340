//! The per-file facet kind: one parse per file, kept in a [`FileCache`] of
//! [`Caches`]. An entry reads its own file only, so a refresh carries every entry but
//! those of changed files. Failed parses are not carried: they are redone when asked,
//! which reports their PAR001 again.

use crate::model::{Caches, FileCache, lock_file};

/// One per-file facet: its name and where its entries live.
pub struct PerFile {
    pub name: &'static str,
    carry: fn(&Caches, &Caches, &hashbrown::HashSet<u32>),
}

macro_rules! per_file {
    ($($field:ident),* $(,)?) => {
        /// Every per-file facet.
        pub const PER_FILE: &[PerFile] = &[$(PerFile {
            name: stringify!($field),
            carry: |from, to, changed| carry_files(&from.$field, &to.$field, changed),
        }),*];
    };
}

per_file!(
    toml,
    ini,
    templates,
    python,
    test_defs,
    import_free,
    aws_keys
);

impl PerFile {
    /// Copies the parsed entries of files not in `changed` (by file id).
    pub(crate) fn carry(&self, from: &Caches, to: &Caches, changed: &hashbrown::HashSet<u32>) {
        (self.carry)(from, to, changed);
    }
}

/// Copies the successfully parsed entries of a per-file cache, except the changed files.
fn carry_files<T>(from: &FileCache<T>, to: &FileCache<T>, changed: &hashbrown::HashSet<u32>) {
    let from = lock_file(from);
    let mut to = lock_file(to);
    to.extend(
        from.iter()
            .filter(|(id, parsed)| parsed.is_some() && !changed.contains(*id))
            .map(|(id, parsed)| (*id, parsed.clone())),
    );
}
