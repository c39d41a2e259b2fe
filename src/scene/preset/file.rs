//! The preset file format: the versioned RON layout (`PresetFile`), its conversion to and from
//! the scene, and reading and writing with errors that name the file, line and column.

use super::*;

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
    /// The title and notes in other languages, by tag (`"zh-CN"`); a language without an
    /// entry shows the ones above.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    text: BTreeMap<String, SceneText>,
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
            text: f.text,
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
        // Only batched surfaces (linreg) and networks have a batch size; a leftover override
        // would not load.
        let batched = Capabilities::of(&p.surface).batched || p.network.is_some();
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
            text: p.text,
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
