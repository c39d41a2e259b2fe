//! The numerical core: everything that decides a number, with no GUI or picture types, so the
//! window, the CLI, the benches and the tests all drive the same code.

pub mod analysis;
pub mod bayes;
pub mod grid;
pub mod landscape;
pub mod math;
pub mod network;
pub mod optimizer;
pub mod python;
pub mod schedule;
pub mod settings;
pub mod simulation;
pub mod spec;
pub mod surface;
pub mod sweep;
pub mod theory;
pub mod train;
