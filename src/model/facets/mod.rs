//! Facets: the views of the repository that checks read, each built lazily, once.
//!
//! A whole-repository facet is one file here implementing [`Facet`]: it states what it
//! reads ([`Reads`]: a predicate on the paths of the files whose text it depends on, and
//! the other facets it builds on) and how it is built. The parse problems (PAR001) its
//! build meets are its output, kept with its value ([`Built`]).
//!
//! A language-server save refreshes the model ([`Repo::refreshed`]); the generic refresh
//! in `model/refresh.rs` carries a facet over iff none of its declared files changed and
//! none of the facets it reads was rebuilt, or its [`Facet::still_valid`] hook says the
//! change cannot have altered it. Nothing else decides what a save invalidates, so a facet
//! that reads a file it does not declare would give stale editor diagnostics: in debug
//! builds (the tests) such a read fails an assertion.
//!
//! Per-file parses (TOML, INI, templates, Python, mypy's import scan) are one generic
//! kind ([`per_file`]): an entry reads its own file only and is carried unless that file
//! changed. A facet that reads per-file entries declares their files in its own
//! [`Reads::files`].
//!
//! The `facets!` list below is the registry: one line per facet, in dependency order.

pub mod aws_keys;
pub mod handlers;
pub mod ignored;
pub mod mypy_mapping;
pub mod mypy_modules;
pub mod package_index;
pub mod per_file;
pub mod projects;
pub mod pytest;
pub mod python;
pub mod resolved_handlers;

use std::sync::{Arc, Mutex, OnceLock};

use crate::diagnostic::Finding;
use crate::model::Repo;
use crate::paths::RelPath;

/// What a facet reads, besides the file index (the same across a refresh).
#[derive(Clone, Copy)]
pub struct Reads {
    /// The files whose text the facet depends on.
    pub files: fn(&RelPath) -> bool,
    /// The facets it builds on; each must come before it in the registry.
    pub facets: &'static [FacetId],
}

impl Reads {
    /// Reads no file's text.
    pub const fn no_files(_: &RelPath) -> bool {
        false
    }
}

/// What a refresh changed, for [`Facet::still_valid`].
pub struct Changed<'a> {
    pub paths: &'a [RelPath],
    rebuilt: &'a [bool],
}

impl<'a> Changed<'a> {
    pub(crate) fn new(paths: &'a [RelPath], rebuilt: &'a [bool]) -> Self {
        Self { paths, rebuilt }
    }

    /// Whether `facet` may differ in the refreshed model: not carried, and its inputs
    /// changed (a facet never built whose inputs are the same counts as unchanged).
    pub fn rebuilt(&self, facet: FacetId) -> bool {
        self.rebuilt.get(facet as usize).copied().unwrap_or(true)
    }
}

/// A lazily built, repository-wide view.
pub trait Facet: 'static {
    type Value: Send + Sync + 'static;
    /// What the value depends on.
    const READS: Reads;
    /// Builds sequentially, reading no module (a crawl of the file index and settings):
    /// the engine builds it on a side thread, beside the parallel parsing of the others.
    const SEQUENTIAL: bool = false;
    /// Builds the value. The PAR001 problems of the files it reads, on whichever thread
    /// (through [`crate::par::map`]), become its output ([`Built::problems`]).
    fn build(repo: &Repo) -> Self::Value;
    /// Optional: whether `value`, built by `old`, still holds in `next` although one of
    /// the facet's inputs changed (`next` may read and parse to decide).
    fn still_valid(_old: &Repo, _next: &Repo, _changed: &Changed, _value: &Self::Value) -> bool {
        false
    }
}

/// A facet's output: its value, and the parse problems of the files it read (reported by
/// its build, or found already reported for a file whose failed parse it looked up).
pub struct Built<V> {
    pub value: V,
    pub problems: Vec<Finding>,
}

/// Where the registry keeps a facet (implemented by [`facets!`]).
pub trait Stored: Facet {
    const ID: FacetId;
    fn slot(slots: &Slots) -> &OnceLock<Arc<Built<Self::Value>>>;
}

/// One registry entry, without the value's type: what the generic refresh needs.
pub struct Decl {
    pub id: FacetId,
    pub name: &'static str,
    pub reads: Reads,
    pub sequential: bool,
    /// Moves the facet from one model to the next if `keep` says so; whether it did.
    carry: fn(&Repo, &Repo, &Changed, bool) -> bool,
    warm: fn(&Repo),
    is_built: fn(&Repo) -> bool,
}

impl Decl {
    /// Carries this facet from `old` into `next` if it can; whether it did.
    pub(crate) fn carry_into(
        &self,
        old: &Repo,
        next: &Repo,
        changed: &Changed,
        untouched: bool,
    ) -> bool {
        (self.carry)(old, next, changed, untouched)
    }
}

const fn decl<F: Stored>(name: &'static str) -> Decl {
    Decl {
        id: F::ID,
        name,
        reads: F::READS,
        sequential: F::SEQUENTIAL,
        carry: carry::<F>,
        warm: warm::<F>,
        is_built: is_built::<F>,
    }
}

fn warm<F: Stored>(repo: &Repo) {
    repo.facet::<F>();
}

fn is_built<F: Stored>(repo: &Repo) -> bool {
    F::slot(&repo.caches.slots).get().is_some()
}

/// Carries `F` from `old` into `next` when its inputs are unchanged (`untouched`) or its
/// hook says the value holds; its problems come with it.
fn carry<F: Stored>(old: &Repo, next: &Repo, changed: &Changed, untouched: bool) -> bool {
    let Some(built) = F::slot(&old.caches.slots).get() else {
        return false;
    };
    if !untouched && !F::still_valid(old, next, changed, &built.value) {
        return false;
    }
    // A problem of a changed file is never carried: had the facet read it, the change
    // would have rebuilt it; its new text says what is wrong now.
    for problem in built
        .problems
        .iter()
        .filter(|p| !changed.paths.contains(&p.location.path))
    {
        let location = &problem.location;
        next.report_problem(
            &location.path,
            location.span.clone(),
            problem.message.clone(),
        );
    }
    let _ = F::slot(&next.caches.slots).set(built.clone());
    true
}

macro_rules! facets {
    ($($id:ident => $ty:ty),* $(,)?) => {
        /// Every whole-repository facet, in dependency order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum FacetId { $($id),* }

        /// The built facets of one model.
        #[derive(Default)]
        #[allow(non_snake_case)]
        pub struct Slots { $($id: OnceLock<Arc<Built<<$ty as Facet>::Value>>>),* }

        $(impl Stored for $ty {
            const ID: FacetId = FacetId::$id;
            fn slot(slots: &Slots) -> &OnceLock<Arc<Built<Self::Value>>> {
                &slots.$id
            }
        })*

        /// The registry, in dependency order.
        pub const REGISTRY: &[Decl] = &[$(decl::<$ty>(stringify!($id))),*];
    };
}

facets! {
    Ignored => ignored::Ignored,
    Projects => projects::Projects,
    PackageIndex => package_index::PackageIndex,
    Handlers => handlers::Handlers,
    ResolvedHandlers => resolved_handlers::ResolvedHandlers,
    Pytest => pytest::Pytest,
    MypyMapping => mypy_mapping::MypyMappingFacet,
    MypyModules => mypy_modules::MypyModulesFacet,
    AwsKeys => aws_keys::AwsKeys,
}

impl Repo {
    /// The value of facet `F`, built once (see the module documentation).
    pub fn facet<F: Stored>(&self) -> &F::Value {
        if cfg!(debug_assertions) {
            self.with_building(|building, reads| {
                debug_assert!(
                    reads.facets.contains(&F::ID),
                    "the {building:?} facet reads the {:?} facet, which it does not declare",
                    F::ID
                );
            });
        }
        &F::slot(&self.caches.slots)
            .get_or_init(|| {
                let sink: Arc<Sink> = Arc::new(Sink {
                    repo: std::ptr::from_ref(self) as usize,
                    id: F::ID,
                    reads: F::READS,
                    problems: Mutex::default(),
                });
                let inherited: crate::par::Inherited = sink.clone();
                let value = crate::par::with_inherited(Some(inherited), || F::build(self));
                let mut problems = std::mem::take(&mut *lock(&sink.problems));
                problems.sort_by(|a, b| a.location.path.cmp(&b.location.path));
                problems.dedup();
                Arc::new(Built { value, problems })
            })
            .value
    }

    /// Builds `facet` now (the engine warms the facets a run needs this way).
    pub fn warm(&self, facet: FacetId) {
        if let Some(decl) = REGISTRY.get(facet as usize) {
            (decl.warm)(self);
        }
    }

    /// Whether `facet` is built in this model.
    pub fn is_built(&self, facet: FacetId) -> bool {
        REGISTRY
            .get(facet as usize)
            .is_some_and(|decl| (decl.is_built)(self))
    }
}

impl FacetId {
    /// See [`Facet::SEQUENTIAL`].
    pub fn is_sequential(self) -> bool {
        REGISTRY
            .get(self as usize)
            .is_some_and(|decl| decl.sequential)
    }
}

/// The parse problems of the facet being built, collected from every thread its build
/// runs on ([`crate::par::with_inherited`]).
struct Sink {
    /// The model it builds for (its address), so that a build never collects another's.
    repo: usize,
    /// The facet, and what it declares it reads.
    id: FacetId,
    reads: Reads,
    problems: Mutex<Vec<Finding>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Repo {
    /// Calls `f` with the facet being built for this model on this thread, if any.
    fn with_building(&self, f: impl FnOnce(FacetId, &Reads)) {
        let Some(inherited) = crate::par::inherited() else {
            return;
        };
        if let Some(sink) = inherited.downcast_ref::<Sink>()
            && sink.repo == std::ptr::from_ref(self) as usize
        {
            f(sink.id, &sink.reads);
        }
    }

    /// Notes that the text of `path` is read; in debug builds (the tests), a facet that
    /// reads a file it does not declare is a bug caught here.
    pub(crate) fn note_read(&self, path: &RelPath) {
        if cfg!(debug_assertions) {
            self.with_building(|building, reads| {
                debug_assert!(
                    (reads.files)(path),
                    "the {building:?} facet reads `{path}`, which it does not declare"
                );
            });
        }
    }

    /// Gives `problem` (the problem this model keeps for a file) to the facet being built
    /// on this thread, if any: a file's problem belongs to every facet that read it.
    pub(crate) fn give_to_facet(&self, problem: impl FnOnce() -> Option<Finding>) {
        let Some(inherited) = crate::par::inherited() else {
            return;
        };
        let Some(sink) = inherited.downcast_ref::<Sink>() else {
            return;
        };
        if sink.repo == std::ptr::from_ref(self) as usize
            && let Some(problem) = problem()
        {
            lock(&sink.problems).push(problem);
        }
    }
}

/// Whether `path` is a Python source or stub.
pub fn is_python(path: &RelPath) -> bool {
    matches!(path.extension(), Some("py" | "pyi"))
}

#[cfg(test)]
mod tests;
