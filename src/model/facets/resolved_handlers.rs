//! Each declared handler with its verdict: the module and function it names, checked
//! against the files and the module's Python.

use super::{Facet, FacetId, Reads, is_python};
use crate::model::Repo;
use crate::model::handlers::{ResolvedHandler, resolve};

pub struct ResolvedHandlers;

impl Facet for ResolvedHandlers {
    type Value = Vec<ResolvedHandler>;
    const READS: Reads = Reads {
        files: is_python,
        facets: &[FacetId::Handlers, FacetId::Ignored],
    };

    fn build(repo: &Repo) -> Vec<ResolvedHandler> {
        crate::par::map(repo.handlers(), |handler| ResolvedHandler {
            handler: handler.clone(),
            verdict: resolve(repo, handler),
        })
    }
}

impl Repo {
    /// Every handler declaration with its verdict, computed once.
    pub fn resolved_handlers(&self) -> &[ResolvedHandler] {
        self.facet::<ResolvedHandlers>()
    }
}
