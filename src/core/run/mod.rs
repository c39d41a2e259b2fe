//! A run on a surface: what it computes ([`settings`]: optimizer, rate, schedule, warmup, steps,
//! noise) and how it is simulated, recorded and judged ([`simulation`]).

pub mod settings;
pub mod simulation;
