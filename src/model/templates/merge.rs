//! Putting together what each file declared.

use super::Declarations;

impl Declarations {
    /// Whether it declares nothing (every field named: a new one must be decided here).
    pub fn is_empty(&self) -> bool {
        let Declarations {
            handlers,
            gaps,
            filters,
            layers,
            layer_uses,
            environment,
            unseen_dependencies,
        } = self;
        handlers.is_empty()
            && gaps.is_empty()
            && filters.is_empty()
            && layers.is_empty()
            && layer_uses.is_empty()
            && environment.is_empty()
            && unseen_dependencies.is_empty()
    }

    /// Adds what another file declared.
    pub fn absorb(&mut self, other: Declarations) {
        self.handlers.extend(other.handlers);
        self.gaps.extend(other.gaps);
        self.filters.extend(other.filters);
        self.layers.extend(other.layers);
        self.layer_uses.extend(other.layer_uses);
        self.environment.extend(other.environment);
        self.unseen_dependencies.extend(other.unseen_dependencies);
    }

    /// Adds what a cached template declared.
    pub(super) fn absorb_shared(&mut self, other: &Declarations) {
        self.handlers.extend(other.handlers.iter().cloned());
        self.gaps.extend(other.gaps.iter().cloned());
        self.layers.extend(other.layers.iter().cloned());
        self.layer_uses.extend(other.layer_uses.iter().cloned());
        self.environment.extend(other.environment.iter().cloned());
        self.unseen_dependencies
            .extend(other.unseen_dependencies.iter().cloned());
    }
}
