//! The built-in lecture library: every scene under `presets/`, compiled in, by topic in
//! teaching order.

use super::*;

/// A preset that ships inside the binary (and as a file under `presets/`).
#[derive(Clone, Copy, Debug)]
pub struct BuiltinPreset {
    /// File name under `presets/`.
    pub file: &'static str,
    /// The Presets menu's submenu it is listed under (a long flat menu runs off a projector).
    pub topic: &'static str,
    pub text: &'static str,
}

impl BuiltinPreset {
    /// The parsed scene. Built-ins are checked by the test suite, so an error here means a
    /// broken build, reported rather than panicking.
    pub fn load(&self) -> Result<Preset, PresetError> {
        parse_preset(self.text, &format!("presets/{}", self.file))
    }
}

macro_rules! builtin {
    ($($file:literal in $topic:ident),* $(,)?) => {
        &[$(BuiltinPreset {
            file: $file,
            topic: $topic,
            text: include_str!(concat!("../../../presets/", $file)),
        }),*]
    };
}

const STABILITY: &str = "Learning rate and stability";
const MOMENTUM: &str = "Momentum";
const ADAPTIVE: &str = "Adaptive methods";
const LANDSCAPES: &str = "Saddles, minima and your own surface";
const SCHEDULES: &str = "Schedules and warmup";
const SAME_NAME: &str = "Same name, different rule";
const NETWORKS: &str = "Small networks";

/// The Presets menu's submenus, in the menu's order.
pub const TOPICS: [&str; 7] = [
    STABILITY, MOMENTUM, ADAPTIVE, LANDSCAPES, SCHEDULES, SAME_NAME, NETWORKS,
];

/// The topics' names (message ids), in the order of [`TOPICS`]: the Presets menu's
/// submenus and the gallery's sections.
pub const TOPIC_NAMES: [&str; TOPICS.len()] = [
    crate::msg!("topic-stability"),
    crate::msg!("topic-momentum"),
    crate::msg!("topic-adaptive"),
    crate::msg!("topic-landscapes"),
    crate::msg!("topic-schedules"),
    crate::msg!("topic-same-name"),
    crate::msg!("topic-networks"),
];

/// The lecture library, in teaching order; the first is the scene of a first launch.
pub const BUILTIN_PRESETS: &[BuiltinPreset] = builtin!(
    "ravine-race.ron" in STABILITY,
    "stability-limit.ron" in STABILITY,
    "batch-vs-minibatch-vs-sgd.ron" in STABILITY,
    "momentum-ravine.ron" in MOMENTUM,
    "nesterov-vs-heavy-ball.ron" in MOMENTUM,
    "momentum-velocity.ron" in MOMENTUM,
    "adagrad-vs-rmsprop.ron" in ADAPTIVE,
    "adagrad-shrinking-boxes.ron" in ADAPTIVE,
    "adam-vs-sgd-rosenbrock.ron" in ADAPTIVE,
    "adam-axis-aligned-ravine.ron" in ADAPTIVE,
    "adam-rotated-ravine.ron" in ADAPTIVE,
    "escaping-a-saddle.ron" in LANDSCAPES,
    "newton-on-a-saddle.ron" in LANDSCAPES,
    "decay-schedules.ron" in SCHEDULES,
    "warmup-rescue.ron" in SCHEDULES,
    "cyclic-and-one-cycle.ron" in SCHEDULES,
    "reduce-on-plateau.ron" in SCHEDULES,
    "himmelblau-four-minima.ron" in LANDSCAPES,
    "custom-surface.ron" in LANDSCAPES,
    "gd-and-its-flow.ron" in STABILITY,
    "catapult.ron" in STABILITY,
    "edge-of-stability.ron" in STABILITY,
    "why-momentum-works.ron" in MOMENTUM,
    "momentum-phase-portrait.ron" in MOMENTUM,
    "adam-warmup-and-radam.ron" in ADAPTIVE,
    "linear-scaling-rule.ron" in STABILITY,
    "lion-box.ron" in ADAPTIVE,
    "three-ways-to-pick-an-lr.ron" in STABILITY,
    "notes-rules.ron" in SAME_NAME,
    "same-name-adam-epsilon.ron" in SAME_NAME,
    "same-name-momentum-step.ron" in SAME_NAME,
    "network-learning-rate.ron" in NETWORKS,
    "network-warmup-rescue.ron" in NETWORKS,
    "network-step-vs-cosine.ron" in NETWORKS,
    "network-batch-size.ron" in NETWORKS,
    "network-reduce-on-plateau.ron" in NETWORKS,
    "network-edge-of-stability.ron" in NETWORKS,
);

/// The first-launch scene.
pub fn default_preset() -> Option<Preset> {
    BUILTIN_PRESETS.first().and_then(|b| b.load().ok())
}
