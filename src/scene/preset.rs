//! Presets: a whole scene (surface, start, runs, view, animation) as a versioned,
//! human-editable RON file, shared by the window (open/save), `optiscope trace --preset` and
//! the built-in lecture library.
//!
//! Reading validates everything a run needs, with the same registries as the command line, so a
//! preset that loads also runs; every error carries the file, line and column. Saving goes
//! through a temporary file and a rename, so a crash mid-save never destroys the old file.
//! The format is described in `presets/README.md`.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

use crate::core::math::{Point, View};
use crate::core::settings::{self, RunSettings};
use crate::core::spec::{Spec, parse_spec};

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
    pub fn train_settings(&self, s: &RunSettings) -> crate::core::train::TrainSettings {
        crate::core::train::TrainSettings {
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

/// The directions of a landscape slice: random ones are the same for every run and scene
/// change (the seed decides); principal ones follow where one run actually went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Directions {
    /// Two filter-normalized Gaussian directions (Li et al. 2018) drawn from `seed`.
    Random { seed: u64 },
    /// The top two principal components of the centre run's path.
    Pca,
}

impl Default for Directions {
    fn default() -> Self {
        Self::Random { seed: 1 }
    }
}

/// Which parameters the landscape slice passes through.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Centre {
    /// Where the centre run ended.
    #[default]
    Final,
    /// The initialization every run starts from (runs with other seeds start elsewhere).
    Initial,
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
pub use lower_plot::LowerPlot;

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

/// A preset as its file spells it (format version 1): runs inherit the scene's `steps` unless
/// they set their own, and optional settings may be left out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresetFile {
    #[serde(deserialize_with = "de_version")]
    version: u32,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    /// Required unless the scene trains a network.
    #[serde(
        default,
        with = "opt_surface_spec",
        skip_serializing_if = "Option::is_none"
    )]
    surface: Option<Spec>,
    #[serde(
        default,
        deserialize_with = "de_opt_point",
        skip_serializing_if = "Option::is_none"
    )]
    start: Option<Point>,
    /// Steps of every run that does not set its own.
    #[serde(default = "default_steps", deserialize_with = "de_steps")]
    steps: u64,
    #[serde(default, deserialize_with = "de_view")]
    view: Option<View>,
    #[serde(default = "default_speed", deserialize_with = "de_speed")]
    speed: f64,
    #[serde(default)]
    cursor: u64,
    #[serde(default = "yes")]
    playing: bool,
    #[serde(default = "yes")]
    show_contours: bool,
    #[serde(default)]
    log_lr: bool,
    #[serde(default = "yes")]
    log_loss: bool,
    #[serde(default, skip_serializing_if = "LowerPlot::is_default")]
    plot: LowerPlot,
    #[serde(default, skip_serializing_if = "UpdateView::is_default")]
    update: UpdateView,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    network: Option<NetworkScene>,
    #[serde(deserialize_with = "de_runs")]
    runs: Vec<RunEntry>,
}

/// One run as the file spells it. Parameter names inside the specs are the command line's
/// (PyTorch's).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunEntry {
    #[serde(with = "optimizer_spec")]
    optimizer: Spec,
    #[serde(deserialize_with = "de_lr")]
    lr: f64,
    #[serde(
        default = "constant_schedule",
        with = "schedule_spec",
        skip_serializing_if = "is_constant"
    )]
    schedule: Spec,
    #[serde(
        default = "no_warmup",
        with = "warmup_spec",
        skip_serializing_if = "is_no_warmup"
    )]
    warmup: Spec,
    #[serde(
        default,
        deserialize_with = "de_opt_steps",
        skip_serializing_if = "Option::is_none"
    )]
    steps: Option<u64>,
    #[serde(
        default,
        deserialize_with = "de_noise",
        skip_serializing_if = "is_zero"
    )]
    noise: f64,
    #[serde(default, skip_serializing_if = "is_zero_u64")]
    seed: u64,
    #[serde(
        default,
        deserialize_with = "de_opt_point",
        skip_serializing_if = "Option::is_none"
    )]
    start: Option<Point>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    batch_size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    color: Option<[u8; 3]>,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    visible: bool,
}

impl TryFrom<PresetFile> for Preset {
    type Error = SceneError;
    fn try_from(f: PresetFile) -> Result<Self, SceneError> {
        if let Some(missing) = f.missing_field() {
            return Err(SceneError::Missing(missing));
        }
        let runs = f
            .runs
            .into_iter()
            .map(|r| SceneRun {
                settings: RunSettings {
                    optimizer: r.optimizer,
                    lr: r.lr,
                    schedule: r.schedule,
                    warmup: r.warmup,
                    steps: r.steps.unwrap_or(f.steps),
                    noise: r.noise,
                    seed: r.seed,
                    start: r.start,
                    batch_size: r.batch_size,
                },
                color: r.color,
                visible: r.visible,
            })
            .collect();
        // A network scene needs no surface; any other scene names both.
        let surface = f.surface.unwrap_or(Spec::named("quadratic"));
        let start = f.start.unwrap_or([0.0, 0.0]);
        let preset = Preset {
            title: f.title,
            description: f.description,
            surface,
            start,
            view: f.view,
            speed: f.speed,
            cursor: f.cursor,
            playing: f.playing,
            show_contours: f.show_contours,
            log_lr: f.log_lr,
            log_loss: f.log_loss,
            plot: f.plot,
            update: f.update,
            runs,
            network: f.network,
        };
        preset.validate()?;
        Ok(preset)
    }
}

impl From<Preset> for PresetFile {
    /// Steps shared by most runs become the scene's `steps`; the others keep their own.
    fn from(p: Preset) -> Self {
        let steps = most_common(p.runs.iter().map(|r| r.settings.steps)).unwrap_or(200);
        // Only linreg and networks have a batch size; a leftover override would not load.
        let batched = p.surface.name == "linreg" || p.network.is_some();
        let on_surface = p.network.is_none();
        let runs = p
            .runs
            .into_iter()
            .map(|r| {
                let s = r.settings;
                RunEntry {
                    optimizer: s.optimizer,
                    lr: s.lr,
                    schedule: s.schedule,
                    warmup: s.warmup,
                    steps: (s.steps != steps).then_some(s.steps),
                    noise: s.noise,
                    seed: s.seed,
                    start: s.start,
                    batch_size: s.batch_size.filter(|_| batched),
                    color: r.color,
                    visible: r.visible,
                }
            })
            .collect();
        PresetFile {
            version: PRESET_VERSION,
            title: p.title,
            description: p.description,
            surface: on_surface.then_some(p.surface),
            start: on_surface.then_some(p.start),
            steps,
            view: p.view,
            speed: p.speed,
            cursor: p.cursor,
            playing: p.playing,
            show_contours: p.show_contours,
            log_lr: p.log_lr,
            log_loss: p.log_loss,
            plot: p.plot,
            update: p.update,
            network: p.network,
            runs,
        }
    }
}

impl PresetFile {
    /// The field a scene on a surface must have and this one lacks (a network scene needs
    /// neither `surface` nor `start`).
    fn missing_field(&self) -> Option<MissingField> {
        if self.network.is_some() {
            return None;
        }
        if self.surface.is_none() {
            return Some(MissingField::Surface);
        }
        if self.start.is_none() {
            return Some(MissingField::Start);
        }
        None
    }
}

/// A preset file whose required fields were checked while it was parsed, so a missing one
/// is reported with the line and column where the scene ends, like ron's own errors.
struct Located(PresetFile);

impl<'de> Deserialize<'de> for Located {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let file = PresetFile::deserialize(d)?;
        match file.missing_field() {
            Some(message) => Err(D::Error::custom(message)),
            None => Ok(Located(file)),
        }
    }
}

/// The most frequent value (the first of equally frequent ones).
fn most_common(values: impl Iterator<Item = u64>) -> Option<u64> {
    let values: Vec<u64> = values.collect();
    let count = |v: u64| values.iter().filter(|&&w| w == v).count();
    let mut best: Option<u64> = None;
    for &v in &values {
        if best.is_none_or(|b| count(v) > count(b)) {
            best = Some(v);
        }
    }
    best
}

/// A field a scene on a surface cannot do without.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum MissingField {
    #[error("missing field `surface` (e.g. `surface: \"rosenbrock\"`, or a `network`)")]
    Surface,
    #[error("missing field `start` (e.g. `start: (-1.5, 2.0)`)")]
    Start,
}

/// What makes a parsed scene invalid as a whole (its fields were checked while parsing): the
/// message names the run or the network field.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum SceneError {
    #[error("{0}")]
    Missing(MissingField),
    #[error("a scene has 1 to {MAX_RUNS} runs, this one has {0}")]
    RunCount(usize),
    #[error("runs[{index}]: {source}")]
    Run {
        index: usize,
        source: settings::SettingsError,
    },
    #[error(
        "runs[{index}]: steps = {steps} is too many; a scene's runs take at most {MAX_SCENE_STEPS} steps"
    )]
    TooManySteps { index: usize, steps: u64 },
    #[error("network.data: {0}")]
    Data(crate::core::spec::SpecError),
    #[error("network.model: {0}")]
    Model(crate::core::spec::SpecError),
    #[error("network.run: {run} names no run; the scene has runs 0 to {last}")]
    NetworkRun { run: usize, last: usize },
}

/// Why a preset could not be read or written; the message names the file and, for content
/// errors, the line and column.
#[derive(Debug, Error)]
pub enum PresetError {
    #[error("cannot read '{path}': {message}")]
    Read { path: String, message: String },
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("cannot save '{path}': {message}")]
    Write { path: String, message: String },
}

/// Parses preset text; `origin` names it in errors (a path, or `built-in:NAME`).
pub fn parse_preset(text: &str, origin: &str) -> Result<Preset, PresetError> {
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let Located(file) = options.from_str(text).map_err(|e| PresetError::Parse {
        path: origin.to_owned(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: explain(&e.code),
    })?;
    Preset::try_from(file).map_err(|e| PresetError::Invalid {
        path: origin.to_owned(),
        message: e.to_string(),
    })
}

/// ron's messages, with the missing-field case made to say what the field is for.
fn explain(code: &ron::Error) -> String {
    match code {
        ron::Error::MissingStructField { field, .. } => {
            let why = match *field {
                "version" => " (write `version: 1` first)",
                "surface" => " (e.g. `surface: \"rosenbrock\"`)",
                "start" => " (e.g. `start: (-1.5, 2.0)`)",
                "runs" => " (a list of runs, e.g. `runs: [(optimizer: \"sgd\", lr: 0.1)]`)",
                "optimizer" => " (e.g. `optimizer: \"adam(beta1=0.8)\"`)",
                "lr" => " (the base learning rate, e.g. `lr: 0.01`)",
                _ => "",
            };
            format!("missing field `{field}`{why}")
        }
        other => other.to_string(),
    }
}

/// Reads and validates a preset file.
pub fn load_preset(path: &Path) -> Result<Preset, PresetError> {
    let read_error = |message: String| PresetError::Read {
        path: path.display().to_string(),
        message,
    };
    if path.is_dir() {
        return Err(read_error("it is a directory, not a preset file".into()));
    }
    let bytes = std::fs::read(path).map_err(|e| read_error(e.to_string()))?;
    parse_preset_bytes(&bytes, &path.display().to_string())
}

/// Reads preset bytes (a file picked or dropped in the browser, which has no path); `origin`
/// names it in errors.
pub fn parse_preset_bytes(bytes: &[u8], origin: &str) -> Result<Preset, PresetError> {
    let text = std::str::from_utf8(bytes).map_err(|e| PresetError::Read {
        path: origin.to_owned(),
        message: format!("not UTF-8 text ({e}); is it a preset?"),
    })?;
    parse_preset(text, origin)
}

/// The RON text of a preset, the way `save_preset` writes it.
pub fn to_ron(preset: &Preset) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ")
        .struct_names(false)
        .separate_tuple_members(false)
        .escape_strings(false)
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
    ron::ser::to_string_pretty(&PresetFile::from(preset.clone()), config).map(|text| text + "\n")
}

/// Writes `preset` to `path` atomically: a temporary file in the same directory is written,
/// flushed and renamed over the target.
pub fn save_preset(path: &Path, preset: &Preset) -> Result<(), PresetError> {
    let text = to_ron(preset).map_err(|e| PresetError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    write_atomically(path, text.as_bytes()).map_err(|e| PresetError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

/// Why a file could not be written, in a few words (the caller names the file).
#[derive(Debug, Error)]
pub enum WriteError {
    #[error("it is a directory")]
    IsDirectory,
    #[error("the path has no file name")]
    NoFileName,
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Writes `bytes` to a temporary file next to `path` and renames it over `path`, so a crash
/// mid-write leaves the old file intact.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    if path.is_dir() {
        return Err(WriteError::IsDirectory);
    }
    let file_name = path.file_name().ok_or(WriteError::NoFileName)?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(file_name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.into());
    }
    Ok(())
}

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
            text: include_str!(concat!("../../presets/", $file)),
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

/// Where a path points, for window titles and menus: the file name without directories.
pub fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// A file dropped on the window or given on the command line is opened if it looks like a
/// preset; anything else is reported by the loader itself.
pub fn is_preset_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}

/// A recent-files list: most recent first, no duplicates, at most `max` entries.
pub fn push_recent(recent: &mut Vec<PathBuf>, path: &Path, max: usize) {
    recent.retain(|p| p != path);
    recent.insert(0, path.to_path_buf());
    recent.truncate(max);
}

// ------------------------------------------------------------------ field (de)serializers

fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}
fn is_zero(x: &f64) -> bool {
    *x == 0.0
}
fn is_zero_u64(x: &u64) -> bool {
    *x == 0
}
fn default_steps() -> u64 {
    200
}
fn default_speed() -> f64 {
    30.0
}
fn constant_schedule() -> Spec {
    Spec::named("constant")
}
fn no_warmup() -> Spec {
    Spec::named("none")
}
fn is_constant(s: &Spec) -> bool {
    *s == constant_schedule()
}
fn is_no_warmup(s: &Spec) -> bool {
    *s == no_warmup()
}

fn de_version<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let v = u32::deserialize(d)?;
    if v != PRESET_VERSION {
        return Err(D::Error::custom(format!(
            "version {v} is not supported: this optiscope reads version {PRESET_VERSION}"
        )));
    }
    Ok(v)
}

fn finite_in<'de, D: Deserializer<'de>>(
    d: D,
    what: &str,
    ok: impl Fn(f64) -> bool,
    expected: &str,
) -> Result<f64, D::Error> {
    let x = f64::deserialize(d)?;
    if x.is_finite() && ok(x) {
        Ok(x)
    } else {
        Err(D::Error::custom(format!(
            "{what} = {x} is not valid; expected {expected}"
        )))
    }
}

/// The run-settings checks, with their messages, as the CLI and the window use them.
fn de_lr<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    settings::check_lr(f64::deserialize(d)?).map_err(D::Error::custom)
}

fn de_noise<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    settings::check_noise(f64::deserialize(d)?).map_err(D::Error::custom)
}

fn de_speed<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    finite_in(
        d,
        "speed",
        |x| SPEED_RANGE.contains(&x),
        "steps per second from 1 to 10000",
    )
}

fn de_point<'de, D: Deserializer<'de>>(d: D) -> Result<Point, D::Error> {
    let (x, y) = <(f64, f64)>::deserialize(d)?;
    settings::check_point([x, y]).map_err(D::Error::custom)
}

fn de_opt_point<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Point>, D::Error> {
    struct Wrap(Point);
    impl<'de> Deserialize<'de> for Wrap {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            de_point(d).map(Wrap)
        }
    }
    Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
}

fn check_steps<E: serde::de::Error>(n: u64) -> Result<u64, E> {
    if n <= MAX_SCENE_STEPS {
        Ok(n)
    } else {
        Err(E::custom(format!(
            "steps = {n} is too many; a scene's runs take at most {MAX_SCENE_STEPS} steps"
        )))
    }
}

fn de_steps<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    check_steps(u64::deserialize(d)?)
}

fn de_opt_steps<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Option::<u64>::deserialize(d)?.map(check_steps).transpose()
}

fn de_view<'de, D: Deserializer<'de>>(d: D) -> Result<Option<View>, D::Error> {
    let Some(v) = Option::<View>::deserialize(d)? else {
        return Ok(None);
    };
    if v.is_valid() {
        Ok(Some(v))
    } else {
        Err(D::Error::custom(format!(
            "view = {v:?} is not valid; expected finite x_min < x_max and y_min < y_max"
        )))
    }
}

fn de_runs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<RunEntry>, D::Error> {
    let runs = Vec::<RunEntry>::deserialize(d)?;
    if runs.is_empty() || runs.len() > MAX_RUNS {
        return Err(D::Error::custom(format!(
            "a scene has 1 to {MAX_RUNS} runs, this one has {}",
            runs.len()
        )));
    }
    Ok(runs)
}

/// A spec field written as its command-line text, validated against its registry when read.
fn de_spec<'de, D: Deserializer<'de>, E: fmt::Display>(
    d: D,
    check: impl Fn(&Spec) -> Result<(), E>,
) -> Result<Spec, D::Error> {
    let text = String::deserialize(d)?;
    let spec = parse_spec(&text).map_err(D::Error::custom)?;
    check(&spec).map_err(D::Error::custom)?;
    Ok(spec)
}

fn ser_spec<S: Serializer>(spec: &Spec, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&spec.to_string())
}

/// A `with = ".."` module for a spec field, checked by `$check` when read.
macro_rules! spec_field {
    ($module:ident, $check:expr) => {
        mod $module {
            pub(super) use super::ser_spec as serialize;
            pub(super) fn deserialize<'de, D: serde::Deserializer<'de>>(
                d: D,
            ) -> Result<crate::core::spec::Spec, D::Error> {
                super::de_spec(d, $check)
            }
        }
    };
}

spec_field!(model_spec, |s| {
    crate::core::network::Mlp::from_spec(s, 2).map(drop)
});
spec_field!(data_spec, |s| {
    crate::core::network::Data::from_spec(s).map(drop)
});

/// The surface field, optional in network scenes.
mod opt_surface_spec {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        spec: &Option<crate::core::spec::Spec>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match spec {
            // As an option (`Some("..")` in plain RON; preset files write it implicitly).
            Some(spec) => s.serialize_some(&spec.to_string()),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<crate::core::spec::Spec>, D::Error> {
        struct Wrap(crate::core::spec::Spec);
        impl<'de> Deserialize<'de> for Wrap {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                super::de_spec(d, |s| {
                    crate::core::surface::AnySurface::from_spec(s).map(drop)
                })
                .map(Wrap)
            }
        }
        Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
    }
}

spec_field!(optimizer_spec, |s| {
    crate::core::optimizer::AnyOptimizer::from_spec(s).map(drop)
});
spec_field!(schedule_spec, |s| crate::core::schedule::Phase::from_spec(
    s
)
.map(drop));
spec_field!(warmup_spec, |s| crate::core::schedule::warmup_phase(s)
    .map(drop));
