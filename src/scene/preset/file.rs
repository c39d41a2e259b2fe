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
            Some(missing) => Err(refuse(FieldError::Missing(missing))),
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

impl MissingField {
    /// The message in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        match self {
            MissingField::Surface => crate::tr!("error-preset-missing-surface"),
            MissingField::Start => crate::tr!("error-preset-missing-start"),
        }
    }
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

impl SceneError {
    /// The message in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        let field =
            |field: &str, error: String| crate::tr!("error-field", field = field, error = error);
        match self {
            SceneError::Missing(missing) => missing.text(),
            SceneError::RunCount(runs) => {
                crate::tr!("error-preset-run-count", max = MAX_RUNS, runs = *runs)
            }
            SceneError::Run { index, source } => field(&format!("runs[{index}]"), source.text()),
            SceneError::TooManySteps { index, steps } => {
                field(&format!("runs[{index}]"), FieldError::Steps(*steps).text())
            }
            SceneError::Data(e) => field("network.data", e.text()),
            SceneError::Model(e) => field("network.model", e.text()),
            SceneError::NetworkRun { run, last } => field(
                "network.run",
                crate::tr!("error-preset-network-run", run = *run, last = *last),
            ),
        }
    }
}

/// Why a preset could not be read or written; the message names the file and, for content
/// errors, the line and column.
#[derive(Debug, Error)]
pub enum PresetError {
    #[error("cannot read '{path}': {message}")]
    Read { path: String, message: ReadFailure },
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        path: String,
        line: usize,
        column: usize,
        message: ParseFailure,
    },
    #[error("{path}: {message}")]
    Invalid {
        path: String,
        message: Box<SceneError>,
    },
    #[error("cannot save '{path}': {message}")]
    Write { path: String, message: SaveFailure },
}

/// What the errors of a scene read from a link name as its file.
pub const LINK_ORIGIN: &str = "the link";

impl PresetError {
    /// The message in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        // A scene from a link has no file: its errors name the link, in words.
        let origin = |path: &String| {
            if path == LINK_ORIGIN {
                crate::tr!("error-link-origin")
            } else {
                path.clone()
            }
        };
        match self {
            PresetError::Read { path, message } => crate::tr!(
                "error-preset-read",
                path = origin(path),
                message = message.text()
            ),
            PresetError::Parse {
                path,
                line,
                column,
                message,
            } => crate::tr!(
                "error-preset-parse",
                path = origin(path),
                line = line.to_string(),
                column = column.to_string(),
                message = message.text()
            ),
            PresetError::Invalid { path, message } => {
                crate::tr!("error-field", field = origin(path), error = message.text())
            }
            PresetError::Write { path, message } => crate::tr!(
                "error-preset-write",
                path = origin(path),
                message = message.text()
            ),
        }
    }
}

/// Why a preset file could not be read at all.
#[derive(Debug, Error)]
pub enum ReadFailure {
    /// The system's reason (no such file, no permission), as it words it.
    #[error("{0}")]
    Io(String),
    #[error("it is a directory, not a preset file")]
    Directory,
    /// The decoder's reason, as Rust words it.
    #[error("not UTF-8 text ({0}); is it a preset?")]
    NotUtf8(String),
}

impl ReadFailure {
    /// The message in the current language; `Display` stays English for the command line.
    /// The system's own reasons stay as it words them.
    pub fn text(&self) -> String {
        match self {
            ReadFailure::Io(message) => message.clone(),
            ReadFailure::Directory => crate::tr!("error-preset-directory"),
            ReadFailure::NotUtf8(reason) => {
                crate::tr!("error-preset-not-utf8", reason = reason.as_str())
            }
        }
    }
}

/// What is wrong at a line and column of a preset file.
#[derive(Debug, Error)]
pub enum ParseFailure {
    /// A field the format requires, with what it is for where we know.
    #[error("missing field `{field}`{}", why_needed(.field))]
    MissingField { field: String },
    /// A field our checks refused (a value out of range, an unknown optimizer...).
    #[error("{0}")]
    Field(Box<FieldError>),
    /// ron's own message (a syntax error, an unknown field...), as ron words it.
    #[error("{0}")]
    Ron(String),
}

/// " (write `version: 1` first)": what a required field of the format is for, or "".
fn why_needed(field: &str) -> &'static str {
    match field {
        "version" => " (write `version: 1` first)",
        "surface" => " (e.g. `surface: \"rosenbrock\"`)",
        "start" => " (e.g. `start: (-1.5, 2.0)`)",
        "runs" => " (a list of runs, e.g. `runs: [(optimizer: \"sgd\", lr: 0.1)]`)",
        "optimizer" => " (e.g. `optimizer: \"adam(beta1=0.8)\"`)",
        "lr" => " (the base learning rate, e.g. `lr: 0.01`)",
        _ => "",
    }
}

impl ParseFailure {
    /// The message in the current language; `Display` stays English for the command line.
    /// ron's own messages stay as ron words them.
    pub fn text(&self) -> String {
        match self {
            ParseFailure::MissingField { field } => {
                let why = match field.as_str() {
                    "version" => crate::tr!("error-preset-why-version"),
                    "surface" => crate::tr!("error-preset-why-surface"),
                    "start" => crate::tr!("error-preset-why-start"),
                    "runs" => crate::tr!("error-preset-why-runs"),
                    "optimizer" => crate::tr!("error-preset-why-optimizer"),
                    "lr" => crate::tr!("error-preset-why-lr"),
                    _ => String::new(),
                };
                crate::tr!(
                    "error-preset-missing-field",
                    field = field.as_str(),
                    why = why
                )
            }
            ParseFailure::Field(e) => e.text(),
            ParseFailure::Ron(message) => message.clone(),
        }
    }
}

/// Why a preset could not be saved.
#[derive(Debug, Error)]
pub enum SaveFailure {
    /// ron could not write the scene, as ron words it.
    #[error("{0}")]
    Ron(String),
    #[error("{0}")]
    File(#[from] WriteError),
}

impl SaveFailure {
    /// The message in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        match self {
            SaveFailure::Ron(message) => message.clone(),
            SaveFailure::File(e) => e.text(),
        }
    }
}

/// Parses preset text; `origin` names it in errors (a path, or `built-in:NAME`).
pub fn parse_preset(text: &str, origin: &str) -> Result<Preset, PresetError> {
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    forget_refused();
    let parsed = options.from_str(text);
    let Located(file) = parsed.map_err(|e| PresetError::Parse {
        path: origin.to_owned(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: explain(&e.code),
    })?;
    Preset::try_from(file).map_err(|message| PresetError::Invalid {
        path: origin.to_owned(),
        message: Box::new(message),
    })
}

/// ron's error as what is wrong: a missing field (said with what it is for), a field our
/// checks refused (taken back from [`refuse`], as ron only carries its English), or ron's
/// own message.
fn explain(code: &ron::Error) -> ParseFailure {
    match code {
        ron::Error::MissingStructField { field, .. } => ParseFailure::MissingField {
            field: (*field).to_owned(),
        },
        ron::Error::Message(message) => match take_refused(message) {
            Some(refused) => ParseFailure::Field(Box::new(refused)),
            None => ParseFailure::Ron(message.clone()),
        },
        other => ParseFailure::Ron(other.to_string()),
    }
}

/// Reads and validates a preset file.
pub fn load_preset(path: &Path) -> Result<Preset, PresetError> {
    let read_error = |message: ReadFailure| PresetError::Read {
        path: path.display().to_string(),
        message,
    };
    if path.is_dir() {
        return Err(read_error(ReadFailure::Directory));
    }
    let bytes = std::fs::read(path).map_err(|e| read_error(ReadFailure::Io(e.to_string())))?;
    parse_preset_bytes(&bytes, &path.display().to_string())
}

/// Reads preset bytes (a file picked or dropped in the browser, which has no path); `origin`
/// names it in errors.
pub fn parse_preset_bytes(bytes: &[u8], origin: &str) -> Result<Preset, PresetError> {
    let text = std::str::from_utf8(bytes).map_err(|e| PresetError::Read {
        path: origin.to_owned(),
        message: ReadFailure::NotUtf8(e.to_string()),
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
        message: SaveFailure::Ron(e.to_string()),
    })?;
    write_atomically(path, text.as_bytes()).map_err(|e| PresetError::Write {
        path: path.display().to_string(),
        message: SaveFailure::File(e),
    })
}

fn de_runs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<RunEntry>, D::Error> {
    let runs = Vec::<RunEntry>::deserialize(d)?;
    if runs.is_empty() || runs.len() > MAX_RUNS {
        return Err(refuse(FieldError::RunCount(runs.len())));
    }
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec::{Hint, SpecError};
    use crate::text::{Lang, assert_translated, with_language};

    const GOOD: &str = r#"(
    version: 1,
    surface: "rosenbrock",
    start: (-1.5, 2.0),
    runs: [
        (optimizer: "adam", lr: 0.05),
    ],
)"#;

    fn spec_error() -> SpecError {
        SpecError::UnknownItem {
            family: "optimizer",
            name: "adamm".into(),
            hint: Hint(Some("adam".into())),
            valid: "sgd, adam".into(),
        }
    }

    #[test]
    fn a_refused_field_reaches_the_window_typed_in_every_language() {
        for (from, to) in [
            ("version: 1", "version: 2"),
            ("\"rosenbrock\"", "\"rosenbrok\""),
            ("\"adam\"", "\"adam(beta3=0.9)\""),
            ("\"adam\"", "\"adam(\""),
            ("lr: 0.05", "lr: -1"),
            ("lr: 0.05", "lr: 0.05, noise: -1"),
            ("start: (-1.5, 2.0)", "start: (-1.5, inf)"),
            ("start: (-1.5, 2.0),", "start: (-1.5, 2.0), speed: 0,"),
            ("start: (-1.5, 2.0),", "start: (-1.5, 2.0), steps: 1000000,"),
            (
                "start: (-1.5, 2.0),",
                "start: (-1.5, 2.0), view: (x_min: 1, x_max: 0, y_min: 0, y_max: 1),",
            ),
            ("        (optimizer: \"adam\", lr: 0.05),\n", ""),
            ("    start: (-1.5, 2.0),\n", ""),
        ] {
            let e = parse_preset(&GOOD.replace(from, to), "scene.ron").expect_err(to);
            assert!(
                matches!(
                    e,
                    PresetError::Parse {
                        message: ParseFailure::Field(_),
                        ..
                    }
                ),
                "{to}: {e:?}"
            );
            assert_translated(&e, PresetError::text);
        }
        let e = parse_preset(&GOOD.replace("\"adam\"", "\"adamm\""), "scene.ron").unwrap_err();
        let shown = with_language(Lang::ZhCn, || e.text());
        assert!(shown.starts_with("scene.ron:6:"), "{shown}");
        assert!(
            shown.contains("未知的优化器 'adamm'（是不是 'adam'？）"),
            "{shown}"
        );
    }

    #[test]
    fn every_preset_error_speaks_the_windows_language_and_keeps_its_english() {
        // ron's missing fields, with what they are for, and ron's own messages.
        for (from, to) in [
            ("    version: 1,\n", ""),
            ("lr: 0.05", "lr: 0.05, colour: 3"),
            ("(optimizer", "optimizer"),
        ] {
            let e = parse_preset(&GOOD.replace(from, to), "scene.ron").expect_err(to);
            assert!(matches!(e, PresetError::Parse { .. }), "{e:?}");
            assert_translated(&e, PresetError::text);
        }
        for field in [
            "version",
            "surface",
            "start",
            "runs",
            "optimizer",
            "lr",
            "seed",
        ] {
            let e = ParseFailure::MissingField {
                field: field.into(),
            };
            assert_translated(&e, ParseFailure::text);
        }
        let ron = ParseFailure::Ron("expected a ','".into());
        assert_eq!(ron.text(), ron.to_string());
        let fields = [
            FieldError::Version(2),
            FieldError::Speed(0.5),
            FieldError::Settings(settings::check_lr(-1.0).unwrap_err()),
            FieldError::Steps(1_000_000),
            FieldError::View("View { x_min: 1.0, x_max: 0.0, y_min: 0.0, y_max: 1.0 }".into()),
            FieldError::Spec(spec_error()),
            FieldError::RunCount(9),
            FieldError::Missing(MissingField::Surface),
        ];
        for e in &fields {
            assert_translated(e, FieldError::text);
        }
        for e in [MissingField::Surface, MissingField::Start] {
            assert_translated(&e, MissingField::text);
        }
        let scene = [
            SceneError::Missing(MissingField::Start),
            SceneError::RunCount(0),
            SceneError::Run {
                index: 1,
                source: settings::check_noise(-1.0).unwrap_err(),
            },
            SceneError::TooManySteps {
                index: 0,
                steps: 200_000,
            },
            SceneError::Data(spec_error()),
            SceneError::Model(spec_error()),
            SceneError::NetworkRun { run: 3, last: 1 },
        ];
        for e in &scene {
            assert_translated(e, SceneError::text);
        }
        let reads = [
            ReadFailure::Io("No such file or directory (os error 2)".into()),
            ReadFailure::Directory,
            ReadFailure::NotUtf8("invalid utf-8 sequence of 1 bytes from index 0".into()),
        ];
        assert_eq!(reads[0].text(), reads[0].to_string());
        for e in &reads[1..] {
            assert_translated(e, ReadFailure::text);
        }
        let saves = [
            SaveFailure::Ron("a ron error".into()),
            SaveFailure::File(WriteError::NoFileName),
        ];
        assert_eq!(saves[0].text(), saves[0].to_string());
        assert_translated(&saves[1], SaveFailure::text);
        let mut errors: Vec<PresetError> = Vec::new();
        errors.extend(reads.into_iter().map(|message| PresetError::Read {
            path: "scene.ron".into(),
            message,
        }));
        errors.extend(fields.into_iter().map(|e| PresetError::Parse {
            path: "scene.ron".into(),
            line: 3,
            column: 14,
            message: ParseFailure::Field(Box::new(e)),
        }));
        errors.push(PresetError::Parse {
            path: "scene.ron".into(),
            line: 3,
            column: 14,
            message: ron,
        });
        errors.extend(scene.into_iter().map(|message| PresetError::Invalid {
            path: "built-in:saddle".into(),
            message: Box::new(message),
        }));
        errors.extend(saves.into_iter().map(|message| PresetError::Write {
            path: "/tmp/scene.ron".into(),
            message,
        }));
        for e in &errors {
            assert_translated(e, PresetError::text);
        }
        // Only what the system says stays English.
        assert_eq!(
            with_language(Lang::ZhCn, || errors[0].text()),
            "无法读取 'scene.ron'：No such file or directory (os error 2)"
        );
    }

    #[test]
    fn a_stale_refusal_is_not_taken_for_another_error() {
        let _ = parse_preset(&GOOD.replace("version: 1", "version: 2"), "a.ron");
        // ron's own error next: the version refused before must not answer for it.
        let e = parse_preset(&GOOD.replace("lr: 0.05", "lr: 0.05, colour: 3"), "b.ron");
        assert!(
            matches!(
                e,
                Err(PresetError::Parse {
                    message: ParseFailure::Ron(_),
                    ..
                })
            ),
            "{e:?}"
        );
    }
}
