//! What the user set: the persistent source of truth of the window. Everything drawn is derived
//! from it (see `cache.rs`); UI code edits it and nothing else.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::core::math::{Point, View};
use crate::core::spec::Spec;
use crate::scene::preset::{PRESET_VERSION, Preset, PresetRun, SPEED_RANGE};

pub use crate::scene::preset::{MAX_RUNS, PALETTE};

/// How many files the Recent menu remembers.
pub const MAX_RECENT: usize = 10;

/// One optimizer run on the shared surface and start point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunState {
    pub optimizer: Spec,
    pub lr: f64,
    pub schedule: Spec,
    pub warmup: Spec,
    pub steps: u64,
    pub noise: f64,
    pub seed: u64,
    /// This run's own start point; `None` follows the scene's (draggable) start.
    pub start: Option<Point>,
    /// Overrides `linreg`'s batch size for this run.
    pub batch_size: Option<u64>,
    pub color: [u8; 3],
    pub visible: bool,
}

impl Default for RunState {
    fn default() -> Self {
        Self {
            optimizer: Spec::named("sgd"),
            lr: 0.1,
            schedule: Spec::named("constant"),
            warmup: Spec::named("none"),
            steps: 200,
            noise: 0.0,
            seed: 0,
            start: None,
            batch_size: None,
            color: PALETTE[0],
            visible: true,
        }
    }
}

impl RunState {
    pub fn new(optimizer: Spec, lr: f64, color: [u8; 3]) -> Self {
        Self {
            optimizer,
            lr,
            color,
            ..Self::default()
        }
    }

    /// This run as a preset's run, with `steps` as its own step count.
    pub fn to_preset_run(&self, steps: Option<u64>) -> PresetRun {
        PresetRun {
            optimizer: self.optimizer.clone(),
            lr: self.lr,
            schedule: self.schedule.clone(),
            warmup: self.warmup.clone(),
            steps,
            noise: self.noise,
            seed: self.seed,
            start: self.start,
            batch_size: self.batch_size,
            color: Some(self.color),
            visible: self.visible,
        }
    }

    /// A label for legends and the run list (see [`crate::scene::preset::run_label`]).
    pub fn label(&self) -> String {
        crate::scene::preset::run_label(&self.to_preset_run(None))
    }
}

/// The whole scene plus view settings; persisted between launches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppState {
    /// The scene's title and lecture note (from its preset).
    pub title: String,
    pub description: String,
    pub surface: Spec,
    pub start: Point,
    pub runs: Vec<RunState>,
    pub selected: usize,
    /// The visible rectangle of the surface view; `None` means the surface's default view.
    pub view: Option<View>,
    /// Animation speed in steps per second.
    pub speed: f64,
    pub log_lr: bool,
    pub log_loss: bool,
    pub show_contours: bool,
    /// Arrows of −∇f over the surface.
    pub show_gradient_field: bool,
    /// The Hessian's eigen-directions at the start point.
    pub show_curvature: bool,
    /// The lower plot shows the step size |Δθ| instead of the loss.
    pub show_step_size: bool,
    /// Lecture mode: full screen, large text and thick lines, the scene's text as a banner.
    pub presentation: bool,
    /// The high-contrast light theme for projectors.
    pub light_theme: bool,
    /// The left panel is folded away so the surface fills the window.
    pub hide_controls: bool,
    /// Heatmap resolution (cells per side).
    pub grid_size: usize,
    /// The preset file the scene was opened from or saved to; `None` for a built-in or new scene.
    pub file: Option<PathBuf>,
    /// The scene as last opened or saved, to tell whether there are unsaved changes.
    pub saved: Option<Preset>,
    /// Recently opened or saved preset files, most recent first.
    pub recent: Vec<PathBuf>,
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

impl AppState {
    /// A new, untitled scene: one gradient-descent run on the default quadratic.
    pub fn blank() -> Self {
        Self {
            title: String::new(),
            description: String::new(),
            surface: Spec::named("quadratic"),
            start: [-4.0, 2.5],
            runs: vec![RunState::default()],
            selected: 0,
            view: None,
            speed: 30.0,
            log_lr: false,
            log_loss: true,
            show_contours: true,
            show_gradient_field: false,
            show_curvature: false,
            show_step_size: false,
            presentation: false,
            light_theme: false,
            hide_controls: false,
            grid_size: 512,
            file: None,
            saved: None,
            recent: Vec::new(),
        }
    }

    /// The scene of `preset`, keeping the window settings (heatmap resolution, recent files)
    /// of `prefs`.
    pub fn from_preset(preset: &Preset, prefs: &AppState) -> Self {
        let mut state = Self {
            title: preset.title.clone(),
            description: preset.description.clone(),
            surface: preset.surface.clone(),
            start: preset.start,
            runs: Vec::with_capacity(preset.runs.len()),
            selected: 0,
            view: preset.view,
            speed: preset.speed,
            log_lr: preset.log_lr,
            log_loss: preset.log_loss,
            show_contours: preset.show_contours,
            show_gradient_field: prefs.show_gradient_field,
            show_curvature: prefs.show_curvature,
            show_step_size: prefs.show_step_size,
            presentation: prefs.presentation,
            light_theme: prefs.light_theme,
            hide_controls: prefs.hide_controls,
            grid_size: prefs.grid_size,
            file: None,
            saved: None,
            recent: prefs.recent.clone(),
        };
        for (r, color) in preset.runs.iter().zip(preset.run_colors()) {
            state.runs.push(RunState {
                optimizer: r.optimizer.clone(),
                lr: r.lr,
                schedule: r.schedule.clone(),
                warmup: r.warmup.clone(),
                steps: r.steps.unwrap_or(preset.steps),
                noise: r.noise,
                seed: r.seed,
                start: r.start,
                batch_size: r.batch_size,
                color,
                visible: r.visible,
            });
        }
        state
    }

    /// The scene as a preset, with the animation at `cursor` (`playing` when it opens).
    /// Steps shared by most runs become the scene's `steps`; the others keep their own.
    pub fn to_preset(&self, cursor: u64, playing: bool) -> Preset {
        let steps = most_common(self.runs.iter().map(|r| r.steps)).unwrap_or(200);
        let linreg = self.surface.name == "linreg";
        Preset {
            version: PRESET_VERSION,
            title: self.title.clone(),
            description: self.description.clone(),
            surface: self.surface.clone(),
            start: self.start,
            steps,
            view: self.view,
            speed: self.speed,
            cursor,
            playing,
            show_contours: self.show_contours,
            log_lr: self.log_lr,
            log_loss: self.log_loss,
            runs: self
                .runs
                .iter()
                .map(|r| {
                    let mut run = r.to_preset_run((r.steps != steps).then_some(r.steps));
                    // Only linreg has a batch size; a leftover override would not load.
                    run.batch_size = run.batch_size.filter(|_| linreg);
                    run
                })
                .collect(),
        }
    }

    /// Whether the scene differs from the one last opened or saved (animation aside).
    pub fn is_dirty(&self) -> bool {
        let now = self.to_preset(0, false);
        match &self.saved {
            Some(saved) => {
                let mut saved = saved.clone();
                saved.cursor = 0;
                saved.playing = false;
                now != saved
            }
            None => true,
        }
    }

    /// The start point of run `i`: its own, or the scene's.
    pub fn run_start(&self, i: usize) -> Point {
        self.runs.get(i).and_then(|r| r.start).unwrap_or(self.start)
    }

    /// Moves the start point the handle shows: the selected run's own start if it has one,
    /// otherwise the scene's.
    pub fn set_selected_start(&mut self, p: Point) {
        match self.runs.get_mut(self.selected) {
            Some(RunState {
                start: Some(own), ..
            }) => *own = p,
            _ => self.start = p,
        }
    }

    /// Repairs what a stale or hand-edited state may get wrong, so the UI can index freely.
    pub fn sanitize(&mut self) {
        self.runs.truncate(MAX_RUNS);
        if self.runs.is_empty() {
            self.runs.push(RunState::default());
        }
        self.selected = self.selected.min(self.runs.len() - 1);
        if !(self.start[0].is_finite() && self.start[1].is_finite()) {
            self.start = [0.0, 0.0];
        }
        if !(self.speed.is_finite() && SPEED_RANGE.contains(&self.speed)) {
            self.speed = 30.0;
        }
        self.grid_size = self.grid_size.clamp(32, 1024);
        if let Some(v) = self.view {
            let ok = [v.x_min, v.x_max, v.y_min, v.y_max]
                .iter()
                .all(|c| c.is_finite())
                && v.x_max > v.x_min
                && v.y_max > v.y_min;
            if !ok {
                self.view = None;
            }
        }
        for run in &mut self.runs {
            if !(run.lr.is_finite() && run.lr >= 0.0) {
                run.lr = 0.1;
            }
            if !(run.noise.is_finite() && run.noise >= 0.0) {
                run.noise = 0.0;
            }
            if run
                .start
                .is_some_and(|p| !(p[0].is_finite() && p[1].is_finite()))
            {
                run.start = None;
            }
            run.steps = run.steps.min(crate::app::MAX_APP_STEPS);
        }
    }

    /// The next palette color no run uses yet.
    pub fn free_color(&self) -> [u8; 3] {
        let taken: Vec<[u8; 3]> = self.runs.iter().map(|r| r.color).collect();
        crate::scene::preset::free_color(&taken)
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
