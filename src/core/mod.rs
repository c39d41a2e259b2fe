//! The numerical core: everything that decides a number, with no GUI or picture types, so the
//! window, the CLI, the benches and the tests all drive the same code.

//!
//! Its parts: [`spec`] (specifications and registries), the items ([`surface`], [`optimizer`],
//! [`schedule`]), [`run`] (a run's settings and its simulation on a surface), [`network`] (data
//! sets, models, training and loss landscapes), [`analysis`] (curvature, stability limits and
//! the closed forms), [`tuning`] (sweeps, the range test and the Bayesian search), and the
//! shared [`math`], [`grid`] and [`python`] helpers.

pub mod analysis;
pub mod grid;
pub mod math;
pub mod network;
pub mod optimizer;
pub mod python;
pub mod run;
pub mod schedule;
pub mod spec;
pub mod surface;
pub mod tuning;
