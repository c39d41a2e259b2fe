//! What the user set: the persistent source of truth of the window. Everything drawn is derived
//! from it (see `cache.rs`); UI code edits it and nothing else.

use crate::text::Lang;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::core::math::Point;
use crate::core::run::settings::RunSettings;
use crate::core::spec::Spec;
use crate::scene::preset::{LowerPlot, Preset, SPEED_RANGE, SceneRun};

pub use crate::scene::preset::{MAX_RUNS, PALETTE};

/// The most steps a run in the window may take; the trajectory of 8 runs stays under 50 MB.
pub const MAX_APP_STEPS: u64 = crate::scene::preset::MAX_SCENE_STEPS;

/// Playback of the precomputed trajectories.
#[derive(Clone, Debug, PartialEq)]
pub struct Animation {
    /// Position on the timeline, in steps (fractional while playing).
    pub cursor: f64,
    pub playing: bool,
}

impl Animation {
    /// The step under the cursor.
    pub fn step(&self) -> u64 {
        self.cursor.max(0.0).floor() as u64
    }
}

/// How many files the Recent menu remembers.
pub const MAX_RECENT: usize = 10;

/// One run of the scene on screen: its settings and, beside them, its color and visibility.
pub type RunState = SceneRun;

/// The scene on screen plus the window's own settings; persisted between launches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "Persisted")]
pub struct AppState {
    /// What is computed and drawn: surface, start, runs, view, speed, plot scales. Its
    /// `cursor` and `playing` are only filled in when the scene is saved (the animation holds
    /// them meanwhile).
    pub scene: Preset,
    pub selected: usize,
    /// Arrows of −∇f over the surface.
    pub show_gradient_field: bool,
    /// The Hessian's eigen-directions at the start point.
    pub show_curvature: bool,
    /// The phase portrait follows the fast (largest-eigenvalue) direction instead of the slow one.
    pub phase_fast: bool,
    /// The surface is shown in 3D instead of as a heatmap.
    pub show_3d: bool,
    /// Where the 3D view looks from.
    pub camera: crate::picture::scene3d::Camera,
    /// Lecture mode: full screen, large text and thick lines, the scene's text as a banner.
    pub presentation: bool,
    /// The high-contrast light theme for projectors.
    pub light_theme: bool,
    /// The left panel is folded away so the surface fills the window.
    pub hide_controls: bool,
    /// The toolbar shows how long the UI takes per frame (a developer's readout; never in
    /// presentation mode).
    pub show_frame_time: bool,
    /// Heatmap resolution (cells per side).
    pub grid_size: usize,
    /// The preset file the scene was opened from or saved to; `None` for a built-in or new scene.
    pub file: Option<PathBuf>,
    /// The scene as last opened or saved, to tell whether there are unsaved changes.
    pub saved: Option<Preset>,
    /// Recently opened or saved preset files, most recent first.
    pub recent: Vec<PathBuf>,
    /// The interface's language as chosen; `None` until a launch picks the system's.
    pub language: Option<Lang>,
}

impl Default for AppState {
    /// The first-launch scene: the first built-in preset (four optimizers racing down an
    /// ill-conditioned, rotated bowl).
    fn default() -> Self {
        let blank = Self::blank();
        match crate::scene::preset::default_preset() {
            Some(preset) => {
                let mut state = Self::from_preset(&preset, &blank);
                state.saved = Some(state.to_preset(0, false));
                state
            }
            None => blank,
        }
    }
}

/// A new, untitled scene: one gradient-descent run on the default quadratic.
fn blank_scene() -> Preset {
    Preset {
        title: String::new(),
        description: String::new(),
        text: Default::default(),
        surface: Spec::named("quadratic"),
        start: [-4.0, 2.5],
        view: None,
        speed: 30.0,
        cursor: 0,
        playing: true,
        show_contours: true,
        log_lr: false,
        log_loss: true,
        plot: LowerPlot::Loss,
        update: Default::default(),
        runs: vec![SceneRun::new(RunSettings::default())],
        network: None,
    }
}

impl AppState {
    /// A new, untitled scene: one gradient-descent run on the default quadratic.
    pub fn blank() -> Self {
        Self {
            scene: blank_scene(),
            selected: 0,
            show_gradient_field: false,
            show_curvature: false,
            phase_fast: false,
            show_3d: false,
            camera: crate::picture::scene3d::Camera::default(),
            presentation: false,
            light_theme: false,
            hide_controls: false,
            show_frame_time: false,
            grid_size: 512,
            file: None,
            saved: None,
            recent: Vec::new(),
            language: None,
        }
    }

    /// The language the window speaks (English until one is chosen).
    pub fn lang(&self) -> Lang {
        self.language.unwrap_or_default()
    }

    /// The scene of `preset`, keeping the window settings (heatmap resolution, recent files)
    /// of `prefs`. Every run gets its color fixed, so adding or removing runs never recolors
    /// the others.
    pub fn from_preset(preset: &Preset, prefs: &AppState) -> Self {
        let mut scene = preset.clone();
        for (run, color) in scene.runs.iter_mut().zip(preset.run_colors()) {
            run.color = Some(color);
        }
        Self {
            scene,
            selected: 0,
            file: None,
            saved: None,
            ..prefs.clone()
        }
    }

    /// The scene as a preset, with the animation at `cursor` (`playing` when it opens).
    pub fn to_preset(&self, cursor: u64, playing: bool) -> Preset {
        Preset {
            cursor,
            playing,
            ..self.scene.clone()
        }
    }

    /// Whether the scene differs from the one last opened or saved (animation aside).
    pub fn is_dirty(&self) -> bool {
        match &self.saved {
            // Which view the lower plot shows and whether the update is drawn are saved but
            // not work to lose.
            Some(saved) => {
                let mut now = self.to_preset(saved.cursor, saved.playing);
                now.plot = saved.plot;
                now.update = saved.update;
                now != *saved
            }
            None => true,
        }
    }

    /// The start point of run `i`: its own, or the scene's.
    pub fn run_start(&self, i: usize) -> Point {
        self.scene.run_start(i)
    }

    /// The color of run `i` (its own, or the palette's).
    pub fn run_color(&self, i: usize) -> [u8; 3] {
        self.scene
            .runs
            .get(i)
            .and_then(|r| r.color)
            .unwrap_or(PALETTE[i % MAX_RUNS])
    }

    /// Moves the start point the handle shows: the selected run's own start if it has one,
    /// otherwise the scene's.
    pub fn set_selected_start(&mut self, p: Point) {
        match self.scene.runs.get_mut(self.selected) {
            Some(SceneRun {
                settings: RunSettings {
                    start: Some(own), ..
                },
                ..
            }) => *own = p,
            _ => self.scene.start = p,
        }
    }

    /// Repairs what a stale or hand-edited state may get wrong, so the UI can index freely.
    pub fn sanitize(&mut self) {
        let scene = &mut self.scene;
        scene.runs.truncate(MAX_RUNS);
        if scene.runs.is_empty() {
            scene.runs.push(SceneRun::new(RunSettings::default()));
        }
        self.selected = self.selected.min(scene.runs.len() - 1);
        if let Some(network) = &mut scene.network {
            network.run = network.run.min(scene.runs.len() - 1);
        }
        if crate::core::run::settings::check_point(scene.start).is_err() {
            scene.start = [0.0, 0.0];
        }
        if !(scene.speed.is_finite() && SPEED_RANGE.contains(&scene.speed)) {
            scene.speed = 30.0;
        }
        self.grid_size = self.grid_size.clamp(32, 1024);
        if scene.view.is_some_and(|v| !v.is_valid()) {
            scene.view = None;
        }
        let taken: Vec<Option<[u8; 3]>> = scene.runs.iter().map(|r| r.color).collect();
        for (i, run) in scene.runs.iter_mut().enumerate() {
            let s = &mut run.settings;
            if crate::core::run::settings::check_lr(s.lr).is_err() {
                s.lr = 0.1;
            }
            if crate::core::run::settings::check_noise(s.noise).is_err() {
                s.noise = 0.0;
            }
            if s.start
                .is_some_and(|p| crate::core::run::settings::check_point(p).is_err())
            {
                s.start = None;
            }
            s.steps = s.steps.min(MAX_APP_STEPS);
            if run.color.is_none() {
                let before: Vec<[u8; 3]> = taken[..i].iter().flatten().copied().collect();
                run.color = Some(crate::scene::preset::free_color(&before));
            }
        }
    }

    /// The next palette color no run uses yet.
    pub fn free_color(&self) -> [u8; 3] {
        let taken: Vec<[u8; 3]> = (0..self.scene.runs.len())
            .map(|i| self.run_color(i))
            .collect();
        crate::scene::preset::free_color(&taken)
    }
}

/// The window state as stored, in this build's shape (`scene`) or in the flat shape of builds
/// before the scene was one value, so a scene left open there is still open after an update.
#[derive(Deserialize)]
#[serde(default)]
struct Persisted {
    #[serde(deserialize_with = "present")]
    scene: Option<Preset>,
    selected: usize,
    show_gradient_field: bool,
    show_curvature: bool,
    phase_fast: bool,
    show_3d: bool,
    // Whether the update arrows were on, before they were part of the scene.
    show_update: bool,
    camera: crate::picture::scene3d::Camera,
    // The lower plot's view before it was part of the scene.
    show_step_size: bool,
    show_sharpness: bool,
    presentation: bool,
    light_theme: bool,
    hide_controls: bool,
    show_frame_time: bool,
    grid_size: usize,
    file: Option<PathBuf>,
    saved: Option<Preset>,
    recent: Vec<PathBuf>,
    language: Option<Lang>,
    // The flat shape of earlier builds.
    title: String,
    description: String,
    #[serde(deserialize_with = "present")]
    surface: Option<Spec>,
    #[serde(deserialize_with = "present")]
    start: Option<Point>,
    runs: Vec<LegacyRun>,
    view: Option<crate::core::math::View>,
    #[serde(deserialize_with = "present")]
    speed: Option<f64>,
    #[serde(deserialize_with = "present")]
    log_lr: Option<bool>,
    #[serde(deserialize_with = "present")]
    log_loss: Option<bool>,
    #[serde(deserialize_with = "present")]
    show_contours: Option<bool>,
}

impl Default for Persisted {
    fn default() -> Self {
        let blank = AppState::blank();
        Self {
            scene: None,
            selected: blank.selected,
            show_gradient_field: blank.show_gradient_field,
            show_curvature: blank.show_curvature,
            phase_fast: blank.phase_fast,
            show_3d: blank.show_3d,
            show_update: false,
            camera: blank.camera,
            show_step_size: false,
            show_sharpness: false,
            presentation: blank.presentation,
            light_theme: blank.light_theme,
            hide_controls: blank.hide_controls,
            show_frame_time: blank.show_frame_time,
            grid_size: blank.grid_size,
            file: None,
            saved: None,
            recent: Vec::new(),
            language: None,
            title: String::new(),
            description: String::new(),
            surface: None,
            start: None,
            runs: Vec::new(),
            view: None,
            speed: None,
            log_lr: None,
            log_loss: None,
            show_contours: None,
        }
    }
}

/// A field that is written without `Some(..)` (the state's own fields are not optional) and
/// may be missing (`#[serde(default)]` makes it `None`).
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A run as earlier builds stored it: settings, colour and visibility side by side.
#[derive(Deserialize)]
#[serde(default)]
struct LegacyRun {
    optimizer: Spec,
    lr: f64,
    schedule: Spec,
    warmup: Spec,
    steps: u64,
    noise: f64,
    seed: u64,
    start: Option<Point>,
    batch_size: Option<u64>,
    color: [u8; 3],
    visible: bool,
}

impl Default for LegacyRun {
    fn default() -> Self {
        let s = RunSettings::default();
        Self {
            optimizer: s.optimizer,
            lr: s.lr,
            schedule: s.schedule,
            warmup: s.warmup,
            steps: s.steps,
            noise: s.noise,
            seed: s.seed,
            start: s.start,
            batch_size: s.batch_size,
            color: PALETTE[0],
            visible: true,
        }
    }
}

impl From<Persisted> for AppState {
    fn from(p: Persisted) -> Self {
        let legacy = p.surface.map(|surface| {
            let blank = blank_scene();
            Preset {
                title: p.title,
                description: p.description,
                text: Default::default(),
                surface,
                start: p.start.unwrap_or(blank.start),
                view: p.view,
                speed: p.speed.unwrap_or(blank.speed),
                cursor: 0,
                playing: true,
                show_contours: p.show_contours.unwrap_or(blank.show_contours),
                log_lr: p.log_lr.unwrap_or(blank.log_lr),
                log_loss: p.log_loss.unwrap_or(blank.log_loss),
                plot: LowerPlot::Loss,
                update: Default::default(),
                network: None,
                runs: p
                    .runs
                    .into_iter()
                    .map(|r| SceneRun {
                        settings: RunSettings {
                            optimizer: r.optimizer,
                            lr: r.lr,
                            schedule: r.schedule,
                            warmup: r.warmup,
                            steps: r.steps,
                            noise: r.noise,
                            seed: r.seed,
                            start: r.start,
                            batch_size: r.batch_size,
                        },
                        color: Some(r.color),
                        visible: r.visible,
                    })
                    .collect(),
            }
        });
        let mut scene = p
            .scene
            .or(legacy)
            .unwrap_or_else(|| AppState::default().scene);
        // Builds before the view was part of the scene kept it in two flags.
        if scene.plot == LowerPlot::Loss {
            if p.show_sharpness {
                scene.plot = LowerPlot::Sharpness;
            } else if p.show_step_size {
                scene.plot = LowerPlot::StepSize;
            }
        }
        if p.show_update && !scene.update.shown() {
            scene.update = crate::scene::preset::UpdateView::Shown;
        }
        Self {
            scene,
            selected: p.selected,
            show_gradient_field: p.show_gradient_field,
            show_curvature: p.show_curvature,
            phase_fast: p.phase_fast,
            show_3d: p.show_3d,
            camera: p.camera.clamped(),
            presentation: p.presentation,
            light_theme: p.light_theme,
            hide_controls: p.hide_controls,
            show_frame_time: p.show_frame_time,
            grid_size: p.grid_size,
            file: p.file,
            saved: p.saved,
            recent: p.recent,
            language: p.language,
        }
    }
}
