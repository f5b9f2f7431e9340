//! Data parallelism for the model's facets, in one place.
//!
//! Facets are filled lazily (`OnceLock`), and rules run in parallel. A rayon worker that
//! fills a facet with a parallel map would, while it waits, steal other work — possibly
//! a rule waiting on that very facet — and deadlock. So [`map`] runs in parallel only
//! when called from outside the pool (the engine's warming step, the language server)
//! and sequentially on a pool thread. The engine fills the costly facets up front, from
//! outside the pool, so the parallel path is the one that runs.
//!
//! Pool threads have a large stack: parsing (or dropping) deeply nested repository input
//! recurses, and such input must never crash us. Python modules are parsed in place on
//! them ([`on_large_stack`]).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

/// Stack for every thread that parses: virtual memory, touched only by deep input.
pub const LARGE_STACK: usize = 256 * 1024 * 1024;

thread_local! {
    static LARGE: Cell<bool> = const { Cell::new(false) };
    static INHERITED: RefCell<Option<Inherited>> = const { RefCell::new(None) };
}

/// A value the work [`map`] hands to other threads sees as if it ran on the caller's
/// thread (the model uses it to know which facet a parse problem belongs to).
pub type Inherited = Arc<dyn Any + Send + Sync>;

/// The value set by the innermost [`with_inherited`] on this thread (or inherited from
/// the thread that handed this work over).
pub fn inherited() -> Option<Inherited> {
    INHERITED.with(|cell| cell.borrow().clone())
}

/// Runs `f` with `value` as [`inherited`], then restores the previous value (a panic in
/// `f` restores it too).
pub fn with_inherited<R>(value: Option<Inherited>, f: impl FnOnce() -> R) -> R {
    let _restore = Restore::set(value);
    f()
}

/// Sets [`inherited`] until dropped, then restores the previous value.
struct Restore(Option<Inherited>);

impl Restore {
    fn set(value: Option<Inherited>) -> Self {
        Self(INHERITED.with(|cell| std::mem::replace(&mut *cell.borrow_mut(), value)))
    }
}

impl Drop for Restore {
    fn drop(&mut self) {
        let previous = self.0.take();
        INHERITED.with(|cell| *cell.borrow_mut() = previous);
    }
}

/// Starts the global pool with large-stack threads, once. When the pool was already
/// started elsewhere (an embedding program), its threads are simply not marked large,
/// and parsing falls back to the dedicated parse threads.
pub fn init() {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        let _ = rayon::ThreadPoolBuilder::new()
            .stack_size(LARGE_STACK)
            .thread_name(|i| format!("laylint-{i}"))
            .start_handler(|_| LARGE.with(|large| large.set(true)))
            .build_global();
    });
}

/// Whether the current thread is one of the pool's large-stack threads.
pub fn on_large_stack() -> bool {
    LARGE.with(Cell::get)
}

/// `items.iter().map(f)`, in parallel when called from outside the pool (see above).
pub fn map<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync + Send,
{
    if rayon::current_thread_index().is_some() || items.len() < 2 {
        items.iter().map(f).collect()
    } else {
        init();
        let inherited = inherited();
        if inherited.is_none() {
            return items.par_iter().map(f).collect();
        }
        // Set once per piece of work a thread takes, not per item.
        items
            .par_iter()
            .map_init(|| Restore::set(inherited.clone()), |_, item| f(item))
            .collect()
    }
}

/// A stable sort, in parallel when called from outside the pool (see above).
pub fn sort_by<T, F>(items: &mut [T], compare: F)
where
    T: Send,
    F: Fn(&T, &T) -> std::cmp::Ordering + Sync,
{
    if rayon::current_thread_index().is_some() {
        items.sort_by(compare);
    } else {
        init();
        items.par_sort_by(compare);
    }
}

/// Runs `f` over every item for its side effects (filling per-file caches).
pub fn for_each<T, F>(items: &[T], f: F)
where
    T: Sync,
    F: Fn(&T) + Sync + Send,
{
    map(items, f);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_in_order_inside_and_outside_the_pool() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled = map(&items, |x| x * 2);
        assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        init();
        let nested = rayon::join(|| map(&items, |x| x + 1), on_large_stack);
        assert_eq!(nested.0[999], 1000);
    }
}
