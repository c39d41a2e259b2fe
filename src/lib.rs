//! optiscope's numerical core: loss surfaces, optimizers, learning-rate schedules and the
//! simulation that runs them, shared by the app, the `optiscope` CLI, the tests and the benches.
//! Nothing here but `app` (behind the default `gui` feature) depends on a GUI crate.

// Nothing a user can influence may panic: no `unwrap` outside tests.
#![warn(clippy::unwrap_used)]

pub mod analysis;
#[cfg(feature = "gui")]
pub mod app;
pub mod colormap;
pub mod export;
pub mod grid;
pub mod math;
pub mod optimizer;
pub mod preset;
pub mod pytorch;
pub mod render;
pub mod schedule;
pub mod simulation;
pub mod spec;
pub mod surface;
pub mod sweep;
pub mod trace;

pub use math::{Mat2, Point, View};
pub use optimizer::{AnyOptimizer, OPTIMIZERS, Optimizer};
pub use preset::{BUILTIN_PRESETS, Preset, PresetError, PresetRun};
pub use schedule::{LrSchedule, SCHEDULES, Schedule, WARMUPS, Warmup};
pub use simulation::{Row, Run, RunSpec, Status, Trajectory};
pub use spec::{Spec, SpecError, parse_spec};
pub use surface::{AnySurface, SURFACES, Surface};
