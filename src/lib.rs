//! optiscope: see what gradient-based optimizers and learning-rate schedules do on 2D loss
//! surfaces. The crate is layered so each layer only uses the ones above it in this list:
//!
//! - [`core`]: the numerical core (specs and registries, surfaces, optimizers, schedules,
//!   simulation, analysis, sweeps, grids). Plain Rust, no GUI or picture crates.
//! - [`scene`]: a whole scene as a file (presets), the trace CSV and the PyTorch export.
//! - [`picture`]: what a frame shows, drawn headless to PNG/GIF (feature `picture`).
//! - [`app`]: the eframe window (feature `gui`).
//!
//! See `ARCHITECTURE.md` for the frame's flow and where a new item goes.

// Nothing a user can influence may panic: no `unwrap` outside tests.
#![warn(clippy::unwrap_used)]

#[cfg(feature = "gui")]
pub mod app;
pub mod core;
#[cfg(feature = "picture")]
pub mod picture;
pub mod scene;
pub mod text;

pub use crate::core::math::{Mat2, Point, View};
pub use crate::core::optimizer::{AnyOptimizer, OPTIMIZERS, Optimizer};
pub use crate::core::run::settings::{RunSettings, SettingsError};
pub use crate::core::run::simulation::{Row, Run, Status, Trajectory};
pub use crate::core::schedule::{LrSchedule, Phase, SCHEDULES, Schedule, WARMUPS};
pub use crate::core::spec::{Spec, SpecError, parse_spec};
pub use crate::core::surface::{AnySurface, SURFACES, Surface};
pub use crate::scene::preset::{BUILTIN_PRESETS, Preset, PresetError, SceneRun};
