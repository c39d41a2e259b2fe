//! Optimizers registered at run time (a plugin, or a test's toy rule): the update rule behind a
//! trait object, so they race, explain and round-trip through presets like the built-in ones.

use std::fmt;

use super::{Explain, Optimizer, StepError, Term};
use crate::core::math::{Mat2, Point};
use crate::core::surface::Surface;

/// An update rule with its state, for an optimizer registered at run time.
pub trait DynRule: Send + Sync {
    /// Updates `theta` from the gradient the run sees; `hessian` evaluates the surface's
    /// Hessian for second-order rules.
    fn step(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        hessian: &dyn Fn(Point) -> Mat2,
    ) -> Result<(), StepError>;
    /// A fresh copy with the same state (runs clone their optimizer before simulating).
    fn clone_rule(&self) -> Box<dyn DynRule>;
    /// The rule, one equation a line, for the explain panel.
    fn rule(&self) -> &'static [&'static str] {
        &[]
    }
    /// The state after the latest update, for the explain panel.
    fn terms(&self) -> Vec<Term> {
        Vec::new()
    }
}

/// A [`DynRule`] as an [`AnyOptimizer`](super::AnyOptimizer) variant holds it.
pub struct DynOptimizer(pub Box<dyn DynRule>);

impl Clone for DynOptimizer {
    fn clone(&self) -> Self {
        Self(self.0.clone_rule())
    }
}

impl fmt::Debug for DynOptimizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DynOptimizer({:?})", self.0.rule())
    }
}

impl Optimizer for DynOptimizer {
    fn step<S: Surface + ?Sized>(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        surface: &S,
    ) -> Result<(), StepError> {
        self.0.step(theta, grad, lr, &|p| surface.hessian(p))
    }
}

impl Explain for DynOptimizer {
    fn rule(&self) -> &'static [&'static str] {
        self.0.rule()
    }

    fn terms(&self) -> Vec<Term> {
        self.0.terms()
    }
}
