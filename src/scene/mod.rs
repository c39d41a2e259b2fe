//! A scene as users exchange it: presets (versioned RON files and the built-in lectures), links
//! that carry a whole scene, the trace CSV and the PyTorch script that reproduces a run.

pub mod catalog;
pub mod events;
pub mod gallery;
pub mod link;
pub mod log;
pub mod notes;
pub mod page;
pub mod preset;
pub mod script;
pub mod trace;
