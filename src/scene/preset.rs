//! Presets: a whole scene (surface, start, runs, view, animation) as a versioned,
//! human-editable RON file, shared by the window (open/save), `optiscope trace --preset` and
//! the built-in lecture library.
//!
//! Reading validates everything a run needs, with the same registries as the command line, so a
//! preset that loads also runs; every error carries the file, line and column. Saving goes
//! through a temporary file and a rename, so a crash mid-save never destroys the old file.
//! The format is described in `presets/README.md`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

use crate::core::math::{Point, View};
use crate::core::run::settings::{self, RunSettings};
use crate::core::spec::{Spec, parse_spec};
use crate::core::surface::Capabilities;

mod fields;
mod file;
mod library;
mod recent;
mod write;
pub use crate::core::network::landscape::{Centre, Directions};
pub use fields::FieldError;
use fields::*;
pub use file::{
    LINK_ORIGIN, MissingField, ParseFailure, PresetError, PresetFile, ReadFailure, SaveFailure,
    SceneError, load_preset, parse_preset, parse_preset_bytes, save_preset, to_ron,
};
pub use library::{BUILTIN_PRESETS, BuiltinPreset, TOPIC_NAMES, TOPICS, default_preset};
pub use recent::{display_name, is_preset_path, push_recent};
pub use write::{WriteError, write_atomically};

/// The format version this build reads and writes; a file with another version is refused
/// rather than half-understood.
pub const PRESET_VERSION: u32 = 1;
/// The most runs one scene holds (the window's palette has as many colors).
pub const MAX_RUNS: usize = 8;
/// The most steps a run of a scene may take, so every scene stays interactive in the window.
pub const MAX_SCENE_STEPS: u64 = 100_000;
/// Animation speeds the window offers, in steps per second.
pub const SPEED_RANGE: std::ops::RangeInclusive<f64> = 1.0..=10_000.0;

/// Okabe–Ito colors (distinguishable with color-vision deficiencies), bright enough to stand out
/// on the heatmap, plus white; runs without a color of their own take them in order.
pub const PALETTE: [[u8; 3]; MAX_RUNS] = [
    [255, 255, 255],
    [230, 159, 0],
    [86, 180, 233],
    [0, 158, 115],
    [240, 228, 66],
    [213, 94, 0],
    [204, 121, 167],
    [0, 114, 178],
];

/// The first palette color none of `taken` uses (cycling when all are taken), so a new run is
/// told apart from the ones already there.
pub fn free_color(taken: &[[u8; 3]]) -> [u8; 3] {
    PALETTE
        .iter()
        .copied()
        .find(|c| !taken.contains(c))
        .unwrap_or(PALETTE[taken.len() % MAX_RUNS])
}

/// One run of a scene: what it computes ([`RunSettings`]) and, beside it, how it looks.
#[derive(Clone, Debug, PartialEq)]
pub struct SceneRun {
    pub settings: RunSettings,
    /// RGB; `None` takes the next palette color.
    pub color: Option<[u8; 3]>,
    pub visible: bool,
}

impl SceneRun {
    /// A visible run with every optional setting at its default and the next palette color.
    pub fn new(settings: RunSettings) -> Self {
        Self {
            settings,
            color: None,
            visible: true,
        }
    }

    /// The run's color; a run without its own takes the palette's first (scenes on screen
    /// have every color fixed, see [`Preset::run_colors`]).
    pub fn rgb(&self) -> [u8; 3] {
        self.color.unwrap_or(PALETTE[0])
    }
}

/// A whole scene: opening it reproduces exactly what was saved. The window holds one as its
/// source of truth; files hold it in the versioned format of [`PresetFile`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "PresetFile", into = "PresetFile")]
pub struct Preset {
    pub title: String,
    /// The lecture note of the scene: what to look at and why it happens.
    pub description: String,
    /// The title and note in other languages, by tag (`"zh-CN"`), shown when the interface
    /// speaks that language; kept as read, tags we do not know included.
    pub text: BTreeMap<String, SceneText>,
    pub surface: Spec,
    pub start: Point,
    /// The visible rectangle; `None` shows the surface's default view.
    pub view: Option<View>,
    /// Animation speed in steps per second.
    pub speed: f64,
    /// Animation position (step) when the scene opens.
    pub cursor: u64,
    /// Whether the animation plays when the scene opens.
    pub playing: bool,
    pub show_contours: bool,
    pub log_lr: bool,
    pub log_loss: bool,
    /// What the plot under the learning-rate plot shows when the scene opens.
    pub plot: LowerPlot,
    /// Whether the selected run's update at the cursor is drawn on the surface, and whether
    /// Step walks through it stage by stage.
    pub update: UpdateView,
    pub runs: Vec<SceneRun>,
    /// A network to train instead of the surface: its runs train it from one initialization
    /// (`surface`, `start` and `view` are then unused).
    pub network: Option<NetworkScene>,
}

/// A scene's title and note in one language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SceneText {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
}

impl Preset {
    /// The title a reader of `lang` sees: the scene's own in that language where it has one.
    pub fn title_in(&self, lang: crate::text::Lang) -> &str {
        match self.text.get(lang.tag()) {
            Some(t) if !t.title.trim().is_empty() => &t.title,
            _ => &self.title,
        }
    }

    /// The notes a reader of `lang` sees, like [`Preset::title_in`].
    pub fn description_in(&self, lang: crate::text::Lang) -> &str {
        match self.text.get(lang.tag()) {
            Some(t) if !t.description.trim().is_empty() => &t.description,
            _ => &self.description,
        }
    }

    /// The title and notes a reader of `lang` edits: that language's where the scene has
    /// them, else the scene's own (so a scene written in one language stays in one).
    pub fn text_mut(&mut self, lang: crate::text::Lang) -> (&mut String, &mut String) {
        match self.text.get_mut(lang.tag()) {
            Some(t) => (&mut t.title, &mut t.description),
            None => (&mut self.title, &mut self.description),
        }
    }

    /// Every title and note the scene carries, in every language (tests check each has its
    /// glyphs).
    pub fn all_texts(&self) -> impl Iterator<Item = &str> {
        [self.title.as_str(), self.description.as_str()]
            .into_iter()
            .chain(
                self.text
                    .values()
                    .flat_map(|t| [t.title.as_str(), t.description.as_str()]),
            )
    }
}

/// A scene's network: the model and the data its runs train on, and the landscape slice the
/// window draws their paths on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkScene {
    #[serde(with = "model_spec")]
    pub model: Spec,
    #[serde(with = "data_spec")]
    pub data: Spec,
    /// The two directions that span the landscape slice.
    #[serde(default)]
    pub directions: Directions,
    /// The point the slice is centred on.
    #[serde(default)]
    pub centre: Centre,
    /// The run (counted from 0) whose weights centre the slice and whose path gives the
    /// principal directions.
    #[serde(default)]
    pub run: usize,
    /// Steps between two sharpness values (0: none), computed in the background.
    #[serde(default = "default_sharpness_every")]
    pub sharpness_every: u64,
}

impl NetworkScene {
    /// A fresh network scene's network: a 2-16-16-1 tanh MLP on 200 spiral points.
    pub fn default_network() -> Self {
        Self {
            model: parse_spec("mlp(hidden=[16,16],activation=tanh)").unwrap_or(Spec::named("mlp")),
            data: parse_spec("spirals(n=200)").unwrap_or(Spec::named("spirals")),
            directions: Directions::default(),
            centre: Centre::default(),
            run: 0,
            sharpness_every: default_sharpness_every(),
        }
    }
}

impl NetworkScene {
    /// A run of the scene as a training run (full batch when it sets no batch size).
    pub fn train_settings(&self, s: &RunSettings) -> crate::core::network::train::TrainSettings {
        crate::core::network::train::TrainSettings {
            model: self.model.clone(),
            data: self.data.clone(),
            optimizer: s.optimizer.clone(),
            lr: s.lr,
            schedule: s.schedule.clone(),
            warmup: s.warmup.clone(),
            steps: s.steps,
            batch_size: s.batch_size.unwrap_or(0) as usize,
            seed: s.seed,
        }
    }
}

fn default_sharpness_every() -> u64 {
    20
}

/// How the update at the cursor shows on the surface: a scene about Adam's scaling opens with
/// its glyphs drawn, a lecture about one update in stages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateView {
    #[default]
    Hidden,
    /// Every glyph of the update at the cursor (gradient, momentum, scaling, step).
    Shown,
    /// The glyphs one stage per Step, with the explain panel's matching terms lit.
    Staged,
}

impl UpdateView {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// Whether the glyphs are drawn.
    pub fn shown(self) -> bool {
        self != Self::Hidden
    }
}

mod lower_plot;
pub use lower_plot::{LowerPlot, RegisterViewError};

impl Preset {
    /// The settings of run `index` with its start resolved, as the simulation takes them.
    pub fn run_settings(&self, index: usize) -> Option<RunSettings> {
        Some(self.runs.get(index)?.settings.starting_from(self.start))
    }

    /// The color of every run: its own, or the first palette color no earlier run took.
    pub fn run_colors(&self) -> Vec<[u8; 3]> {
        let mut colors: Vec<[u8; 3]> = Vec::with_capacity(self.runs.len());
        for r in &self.runs {
            let c = r.color.unwrap_or_else(|| free_color(&colors));
            colors.push(c);
        }
        colors
    }

    /// The surface run `index` runs on (the scene's, with the run's batch size).
    pub fn run_surface(&self, index: usize) -> Option<Spec> {
        Some(self.runs.get(index)?.settings.surface(&self.surface))
    }

    /// The start point of run `index`: its own, or the scene's.
    pub fn run_start(&self, index: usize) -> Point {
        self.runs
            .get(index)
            .and_then(|r| r.settings.start)
            .unwrap_or(self.start)
    }

    /// Checks what single fields cannot: every run with the scene's surface and start. Field
    /// checks already ran while parsing (with positions).
    pub fn validate(&self) -> Result<(), SceneError> {
        if self.runs.is_empty() || self.runs.len() > MAX_RUNS {
            return Err(SceneError::RunCount(self.runs.len()));
        }
        if let Some(network) = &self.network {
            return self.validate_network(network);
        }
        self.validate_runs(|s| s.starting_from(self.start).validate_on(&self.surface))
    }

    /// Every run through `check`, and within the scene's step limit; errors name the run.
    fn validate_runs(
        &self,
        check: impl Fn(&RunSettings) -> Result<(), settings::SettingsError>,
    ) -> Result<(), SceneError> {
        for (index, run) in self.runs.iter().enumerate() {
            check(&run.settings).map_err(|source| SceneError::Run { index, source })?;
            if run.settings.steps > MAX_SCENE_STEPS {
                return Err(SceneError::TooManySteps {
                    index,
                    steps: run.settings.steps,
                });
            }
        }
        Ok(())
    }
}

impl Preset {
    /// The checks of a network scene: the model fits the data, every run can train it.
    fn validate_network(&self, network: &NetworkScene) -> Result<(), SceneError> {
        let data =
            crate::core::network::Data::from_spec(&network.data).map_err(SceneError::Data)?;
        crate::core::network::Mlp::from_spec(&network.model, data.inputs)
            .map_err(SceneError::Model)?;
        if network.run >= self.runs.len() {
            return Err(SceneError::NetworkRun {
                run: network.run,
                last: self.runs.len() - 1,
            });
        }
        self.validate_runs(|s| s.validate_for_network(data.x.len()))
    }
}
