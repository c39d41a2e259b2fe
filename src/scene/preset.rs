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

use crate::Run;
use crate::core::math::{Point, View};
use crate::core::simulation::RunSpec;
use crate::core::spec::{Spec, Value, parse_spec};
use crate::core::surface::AnySurface;

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

/// A label for legends and run lists: the optimizer spec, the base learning rate and whatever
/// else sets this run apart (schedule, warmup, batch size, noise, own start), so runs that
/// differ only there are still told apart.
pub fn run_label(run: &PresetRun) -> String {
    use crate::core::spec::fmt_num;
    let mut label = format!("{} lr={}", run.optimizer, fmt_num(run.lr));
    if run.schedule.name != "constant" {
        label.push_str(&format!(" {}", run.schedule));
    }
    if run.warmup.name != "none" {
        label.push_str(&format!(" warmup {}", run.warmup));
    }
    if let Some(b) = run.batch_size {
        label.push_str(&format!(" batch {b}"));
    }
    if run.noise > 0.0 {
        label.push_str(&format!(" σ={}", fmt_num(run.noise)));
    }
    if let Some([x, y]) = run.start {
        label.push_str(&format!(" from ({}, {})", fmt_num(x), fmt_num(y)));
    }
    label
}

/// A whole scene: opening it reproduces exactly what was saved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    #[serde(deserialize_with = "de_version")]
    pub version: u32,
    #[serde(default)]
    pub title: String,
    /// The lecture note of the scene: what to look at and why it happens.
    #[serde(default)]
    pub description: String,
    #[serde(with = "surface_spec")]
    pub surface: Spec,
    #[serde(deserialize_with = "de_point")]
    pub start: Point,
    /// Steps of every run that does not set its own.
    #[serde(default = "default_steps", deserialize_with = "de_steps")]
    pub steps: u64,
    /// The visible rectangle; `None` shows the surface's default view.
    #[serde(default, deserialize_with = "de_view")]
    pub view: Option<View>,
    /// Animation speed in steps per second.
    #[serde(default = "default_speed", deserialize_with = "de_speed")]
    pub speed: f64,
    /// Animation position (step) when the scene opens.
    #[serde(default)]
    pub cursor: u64,
    /// Whether the animation plays when the scene opens.
    #[serde(default = "yes")]
    pub playing: bool,
    #[serde(default = "yes")]
    pub show_contours: bool,
    #[serde(default)]
    pub log_lr: bool,
    #[serde(default = "yes")]
    pub log_loss: bool,
    #[serde(deserialize_with = "de_runs")]
    pub runs: Vec<PresetRun>,
}

/// One optimizer run of a scene. Parameter names inside the specs are the command line's
/// (PyTorch's).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresetRun {
    #[serde(with = "optimizer_spec")]
    pub optimizer: Spec,
    #[serde(deserialize_with = "de_lr")]
    pub lr: f64,
    #[serde(
        default = "constant_schedule",
        with = "schedule_spec",
        skip_serializing_if = "is_constant"
    )]
    pub schedule: Spec,
    #[serde(
        default = "no_warmup",
        with = "warmup_spec",
        skip_serializing_if = "is_no_warmup"
    )]
    pub warmup: Spec,
    /// Overrides the scene's `steps` for this run.
    #[serde(
        default,
        deserialize_with = "de_opt_steps",
        skip_serializing_if = "Option::is_none"
    )]
    pub steps: Option<u64>,
    /// Standard deviation σ of Gaussian noise added to the gradient.
    #[serde(
        default,
        deserialize_with = "de_noise",
        skip_serializing_if = "is_zero"
    )]
    pub noise: f64,
    /// Seed of the gradient noise and of minibatch sampling.
    #[serde(default, skip_serializing_if = "is_zero_u64")]
    pub seed: u64,
    /// This run's own start point instead of the scene's, e.g. to reach different minima.
    #[serde(
        default,
        deserialize_with = "de_opt_point",
        skip_serializing_if = "Option::is_none"
    )]
    pub start: Option<Point>,
    /// Overrides `linreg`'s `batch_size` for this run, so batch GD, mini-batch and SGD can race
    /// on the same data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<u64>,
    /// RGB; `None` takes the next palette color.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<[u8; 3]>,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub visible: bool,
}

impl PresetRun {
    /// A run with every optional setting at its default.
    pub fn new(optimizer: Spec, lr: f64) -> Self {
        Self {
            optimizer,
            lr,
            schedule: constant_schedule(),
            warmup: no_warmup(),
            steps: None,
            noise: 0.0,
            seed: 0,
            start: None,
            batch_size: None,
            color: None,
            visible: true,
        }
    }
}

/// The surface a run sees: the scene's, with the run's `batch_size` override applied.
pub fn run_surface(surface: &Spec, batch_size: Option<u64>) -> Spec {
    match batch_size {
        Some(b) if surface.name == "linreg" => {
            surface.clone().with("batch_size", Value::Num(b as f64))
        }
        _ => surface.clone(),
    }
}

impl Preset {
    /// The settings of run `index` as the simulation takes them.
    pub fn run_spec(&self, index: usize) -> Option<RunSpec> {
        let run = self.runs.get(index)?;
        Some(RunSpec {
            optimizer: run.optimizer.clone(),
            lr: run.lr,
            schedule: run.schedule.clone(),
            warmup: run.warmup.clone(),
            start: run.start.unwrap_or(self.start),
            steps: run.steps.unwrap_or(self.steps),
            noise: run.noise,
            seed: run.seed,
        })
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

    /// The surface run `index` runs on (see [`run_surface`]).
    pub fn run_surface(&self, index: usize) -> Option<Spec> {
        let run = self.runs.get(index)?;
        Some(run_surface(&self.surface, run.batch_size))
    }

    /// Checks what single fields cannot: combinations across the scene. Field-level checks
    /// already ran while parsing (with positions).
    fn validate(&self) -> Result<(), String> {
        for (i, run) in self.runs.iter().enumerate() {
            let name = format!("runs[{i}]");
            if let Some(b) = run.batch_size {
                if self.surface.name != "linreg" {
                    return Err(format!(
                        "{name}: batch_size applies to the linreg surface only, this scene's surface is '{}'",
                        self.surface.name
                    ));
                }
                AnySurface::from_spec(&run_surface(&self.surface, Some(b)))
                    .map_err(|e| format!("{name}: batch_size = {b}: {e}"))?;
            }
            let spec = self
                .run_spec(i)
                .ok_or_else(|| format!("{name} is missing"))?;
            Run::new(&spec).map_err(|e| format!("{name}: {e}"))?;
        }
        Ok(())
    }
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
    let preset: Preset = options.from_str(text).map_err(|e| PresetError::Parse {
        path: origin.to_owned(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: explain(&e.code),
    })?;
    preset.validate().map_err(|message| PresetError::Invalid {
        path: origin.to_owned(),
        message,
    })?;
    Ok(preset)
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
    let text = String::from_utf8(bytes)
        .map_err(|e| read_error(format!("not UTF-8 text ({e}); is it a preset?")))?;
    parse_preset(&text, &path.display().to_string())
}

/// The RON text of a preset, the way `save_preset` writes it.
pub fn to_ron(preset: &Preset) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ")
        .struct_names(false)
        .separate_tuple_members(false)
        .escape_strings(false)
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
    ron::ser::to_string_pretty(preset, config).map(|text| text + "\n")
}

/// Writes `preset` to `path` atomically: a temporary file in the same directory is written,
/// flushed and renamed over the target.
pub fn save_preset(path: &Path, preset: &Preset) -> Result<(), PresetError> {
    let text = to_ron(preset).map_err(|e| PresetError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    write_atomically(path, text.as_bytes()).map_err(|message| PresetError::Write {
        path: path.display().to_string(),
        message,
    })
}

/// Writes `bytes` to a temporary file next to `path` and renames it over `path`, so a crash
/// mid-write leaves the old file intact. The error says why, in a few words.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if path.is_dir() {
        return Err("it is a directory".into());
    }
    let file_name = path
        .file_name()
        .ok_or_else(|| "the path has no file name".to_owned())?;
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
        return Err(e.to_string());
    }
    Ok(())
}

/// A preset that ships inside the binary (and as a file under `presets/`).
#[derive(Clone, Copy, Debug)]
pub struct BuiltinPreset {
    /// File name under `presets/`.
    pub file: &'static str,
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
    ($($file:literal),* $(,)?) => {
        &[$(BuiltinPreset { file: $file, text: include_str!(concat!("../../presets/", $file)) }),*]
    };
}

/// The lecture library, in teaching order; the first is the scene of a first launch.
pub const BUILTIN_PRESETS: &[BuiltinPreset] = builtin!(
    "ravine-race.ron",
    "stability-limit.ron",
    "batch-vs-minibatch-vs-sgd.ron",
    "momentum-ravine.ron",
    "nesterov-vs-heavy-ball.ron",
    "adagrad-vs-rmsprop.ron",
    "adam-vs-sgd-rosenbrock.ron",
    "escaping-a-saddle.ron",
    "decay-schedules.ron",
    "warmup-rescue.ron",
    "cyclic-and-one-cycle.ron",
    "reduce-on-plateau.ron",
    "himmelblau-four-minima.ron",
    "custom-surface.ron",
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

fn de_lr<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    finite_in(d, "lr", |x| x >= 0.0, "a finite number >= 0")
}

fn de_noise<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    finite_in(d, "noise", |x| x >= 0.0, "a finite number >= 0")
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
    let p = <(f64, f64)>::deserialize(d)?;
    if p.0.is_finite() && p.1.is_finite() {
        Ok([p.0, p.1])
    } else {
        Err(D::Error::custom(format!(
            "start = ({}, {}) is not valid; expected two finite numbers (x, y)",
            p.0, p.1
        )))
    }
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
    let finite = [v.x_min, v.x_max, v.y_min, v.y_max]
        .iter()
        .all(|c| c.is_finite());
    if finite && v.x_max > v.x_min && v.y_max > v.y_min {
        Ok(Some(v))
    } else {
        Err(D::Error::custom(format!(
            "view = {v:?} is not valid; expected finite x_min < x_max and y_min < y_max"
        )))
    }
}

fn de_runs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PresetRun>, D::Error> {
    let runs = Vec::<PresetRun>::deserialize(d)?;
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

spec_field!(surface_spec, |s| {
    crate::core::surface::AnySurface::from_spec(s).map(drop)
});
spec_field!(optimizer_spec, |s| crate::AnyOptimizer::from_spec(s)
    .map(drop));
spec_field!(schedule_spec, |s| crate::Schedule::from_spec(s).map(drop));
spec_field!(warmup_spec, |s| crate::Warmup::from_spec(s).map(drop));
