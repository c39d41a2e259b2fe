//! What the user set: the persistent source of truth of the window. Everything drawn is derived
//! from it (see `cache.rs`); UI code edits it and nothing else.

use serde::{Deserialize, Serialize};

use crate::math::{Point, View};
use crate::spec::{Spec, Value};

/// The most runs one scene holds; also the size of the color palette.
pub const MAX_RUNS: usize = 8;

/// Okabe–Ito colors (distinguishable with color-vision deficiencies), bright enough to stand out
/// on the heatmap, plus white.
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

    /// A short label for legends: the optimizer spec and the base learning rate.
    pub fn label(&self) -> String {
        format!("{} lr={}", self.optimizer, crate::spec::fmt_num(self.lr))
    }
}

/// The whole scene plus view settings; persisted between launches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppState {
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
    /// Heatmap resolution (cells per side).
    pub grid_size: usize,
}

impl Default for AppState {
    /// The first-launch scene: four optimizers racing down an ill-conditioned, rotated bowl,
    /// where plain GD zig-zags, momentum overshoots and the adaptive methods take their own line.
    fn default() -> Self {
        let momentum = Spec::named("sgd").with("momentum", Value::Num(0.9));
        Self {
            surface: Spec::named("quadratic")
                .with("a", Value::Num(1.0))
                .with("b", Value::Num(10.0))
                .with("angle", Value::Num(30.0)),
            start: [-4.0, 2.5],
            runs: vec![
                RunState::new(Spec::named("sgd"), 0.17, PALETTE[0]),
                RunState::new(momentum, 0.02, PALETTE[1]),
                RunState::new(Spec::named("rmsprop"), 0.05, PALETTE[2]),
                RunState::new(Spec::named("adam"), 0.3, PALETTE[3]),
            ],
            selected: 0,
            view: None,
            speed: 30.0,
            log_lr: false,
            log_loss: true,
            show_contours: true,
            grid_size: 512,
        }
    }
}

impl AppState {
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
        if !(self.speed.is_finite() && (1.0..=10_000.0).contains(&self.speed)) {
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
            run.steps = run.steps.min(crate::app::MAX_APP_STEPS);
        }
    }

    /// The next palette color no run uses yet.
    pub fn free_color(&self) -> [u8; 3] {
        PALETTE
            .iter()
            .find(|c| !self.runs.iter().any(|r| r.color == **c))
            .copied()
            .unwrap_or(PALETTE[self.runs.len() % MAX_RUNS])
    }
}
