//! Everything derived from [`AppState`]: surface, trajectories, LR previews, heatmap and contour
//! lines. Each part is recomputed only when the settings it depends on changed; recomputing a
//! whole trajectory is cheaper than patching one, so there is no incremental update.

use super::platform::Instant;

use egui::{ColorImage, TextureHandle, TextureOptions};
use egui_plot::PlotPoint;

use super::state::AppState;
use crate::core::grid::{self, ContourLine};

static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_generation() -> u64 {
    GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}
use crate::core::analysis::Curvature;
use crate::core::math::{Point, View};
use crate::core::settings::RunSettings;
use crate::core::simulation::{Run, Status, Trajectory};
use crate::core::spec::Spec;
use crate::core::surface::{AnySurface, CriticalPoint};

/// A run's derived data.
pub struct RunResult {
    /// What the numbers depend on: the run's settings (start resolved) and the surface it sees.
    /// Color and visibility are not part of it, so changing them recomputes nothing.
    key: (RunSettings, Spec),
    pub trajectory: Trajectory,
    pub status: Status,
    /// The lr of every step 0..=steps: the pure schedule, or for plateau the lrs it actually used.
    pub lr_preview: Vec<f64>,
    /// Last step of the warmup (0 without warmup), for shading.
    pub warmup_steps: u64,
    /// A settings error (shown under the controls); the previous trajectory is kept meanwhile.
    pub error: Option<String>,
    pub compute_ms: f64,
    /// Changes whenever the trajectory does, so views can cache what they derive from it.
    pub generation: u64,
    /// The classical stability limit of the run's optimizer at its start point, if any.
    pub limit_at_start: Option<f64>,
    pub curves: Curves,
}

/// The LR and loss curves of a run, thinned for plotting once per computation rather than
/// once per frame.
#[derive(Default)]
pub struct Curves {
    pub lr: Vec<PlotPoint>,
    pub lr_log: Vec<PlotPoint>,
    pub loss: Vec<PlotPoint>,
    pub loss_log: Vec<PlotPoint>,
    pub losses_positive: bool,
    /// The classical stability limit of the run's optimizer at θ_k along the path (empty for
    /// optimizers without one), so the LR plot shows where the schedule crosses it.
    pub limit: Vec<PlotPoint>,
    pub limit_log: Vec<PlotPoint>,
    /// |θ_{k+1} − θ_k|: the length of each update.
    pub step_size: Vec<PlotPoint>,
    pub step_size_log: Vec<PlotPoint>,
    /// λmax(H(θ_k)): the sharpness along the path.
    pub sharpness: Vec<PlotPoint>,
    pub sharpness_log: Vec<PlotPoint>,
    /// The largest sharpness the optimizer is stable at with the lr of step k (2/lr_k for GD,
    /// …; empty for optimizers without a fixed-lr threshold).
    pub threshold: Vec<PlotPoint>,
    pub threshold_log: Vec<PlotPoint>,
}

/// The sharpness along a path and, for the SGD family, its stability threshold per step.
struct Sharpness {
    values: Vec<f64>,
    thresholds: Vec<f64>,
}

impl Curves {
    fn new(lr_preview: &[f64], traj: &Trajectory, limits: &[f64], sharp: &Sharpness) -> Self {
        use crate::picture::curves::{curve, log10_positive};
        let losses = &traj.losses;
        // Far above the schedule the limit says nothing about this run and would only stretch
        // the plot's scale: keep it where it is within 3× of the largest lr.
        let top = 3.0
            * lr_preview
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .fold(0.0, f64::max);
        let limits: Vec<f64> = limits
            .iter()
            .map(|&l| if l <= top { l } else { f64::NAN })
            .collect();
        let steps: Vec<f64> = traj
            .points
            .windows(2)
            .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
            .collect();
        let pts = |v: Vec<[f64; 2]>| v.into_iter().map(|[x, y]| PlotPoint::new(x, y)).collect();
        Self {
            lr: pts(curve(lr_preview, |v| v)),
            lr_log: pts(curve(lr_preview, log10_positive)),
            loss: pts(curve(losses, |v| v)),
            loss_log: pts(curve(losses, log10_positive)),
            losses_positive: losses.iter().all(|&l| l > 0.0),
            limit: pts(curve(&limits, |v| v)),
            limit_log: pts(curve(&limits, log10_positive)),
            step_size: pts(curve(&steps, |v| v)),
            step_size_log: pts(curve(&steps, log10_positive)),
            sharpness: pts(curve(&sharp.values, |v| v)),
            sharpness_log: pts(curve(&sharp.values, log10_positive)),
            threshold: pts(curve(&sharp.thresholds, |v| v)),
            threshold_log: pts(curve(&sharp.thresholds, log10_positive)),
        }
    }
}

/// From one Hessian per point of the path: the stability limit of `run`'s optimizer there
/// (SGD family only, else empty; NaN where none applies), the sharpness λmax(H(θ_k)), and the
/// optimizer's sharpness threshold at each step's lr.
fn curvature_along(
    surface: &AnySurface,
    run: &Run,
    traj: &Trajectory,
    lrs: &[f64],
) -> (Vec<f64>, Sharpness) {
    let sgd = matches!(run.optimizer, crate::AnyOptimizer::Sgd(_));
    let mut limits = Vec::with_capacity(if sgd { traj.points.len() } else { 0 });
    let mut values = Vec::with_capacity(traj.points.len());
    for &p in &traj.points {
        let c = Curvature::at(surface, p);
        values.push(c.map_or(f64::NAN, |c| c.lambda_max()));
        if sgd {
            let limit = c.and_then(|c| c.limit_for(&run.optimizer));
            limits.push(limit.map_or(f64::NAN, |(lr, _)| lr));
        }
    }
    let thresholds = match crate::core::theory::MomentumRule::of(&run.optimizer) {
        Some(rule) => lrs
            .iter()
            .take(traj.points.len())
            .map(|&lr| rule.sharpness_threshold(lr))
            .collect(),
        None => Vec::new(),
    };
    (limits, Sharpness { values, thresholds })
}

/// One contour level ready to draw: thinned polylines and where its label goes.
pub struct ContourDraw {
    pub level: f64,
    pub pieces: Vec<Vec<PlotPoint>>,
    pub label_at: Option<PlotPoint>,
}

/// The heatmap of the visible rectangle.
pub struct GridCache {
    key: (Spec, View, usize, bool),
    /// Arrows of −∇f over the view, when the gradient field is shown.
    pub arrows: Vec<crate::core::analysis::Arrow>,
    /// The view the arrows were computed for (`None`: not shown).
    arrows_view: Option<View>,
    pub view: View,
    pub texture: TextureHandle,
    pub contours: Vec<ContourDraw>,
    /// Range of the color scale, in surface values.
    pub min: f64,
    pub max: f64,
    /// Whether colors follow log(f − min).
    pub log_scale: bool,
    /// The share of the view where f has no finite value (hatched).
    pub undefined_share: f64,
}

/// The derived state of the whole window.
#[derive(Default)]
pub struct Cache {
    surface_key: Option<Spec>,
    pub surface: Option<AnySurface>,
    pub surface_error: Option<String>,
    pub critical_points: Vec<CriticalPoint>,
    pub runs: Vec<RunResult>,
    pub grid: Option<GridCache>,
    /// The Hessian's eigen-decomposition at the selected run's start: the stability limits
    /// under the slider and the curvature directions on the surface.
    pub start_curvature: Option<Curvature>,
    curvature_key: Option<(Spec, Point)>,
    /// How many runs were (re)computed since the cache was made: what a test counts to prove
    /// that a change of color or visibility simulates nothing.
    pub simulations: u64,
}

impl Cache {
    /// What run `run` of `state` is computed from.
    fn run_key(state: &AppState, run: &crate::scene::preset::SceneRun) -> (RunSettings, Spec) {
        (
            run.settings.starting_from(state.scene.start),
            run.settings.surface(&state.scene.surface),
        )
    }

    /// Whether everything derived from `state` is up to date (nothing to compute).
    pub fn is_current(&self, state: &AppState) -> bool {
        self.surface_key.as_ref() == Some(&state.scene.surface)
            && (self.surface.is_none()
                || (self.runs.len() == state.scene.runs.len()
                    && state
                        .scene
                        .runs
                        .iter()
                        .zip(&self.runs)
                        .all(|(run, result)| result.key == Self::run_key(state, run))))
    }

    /// Brings surface and runs up to date with `state`; cheap when nothing changed.
    pub fn update(&mut self, state: &AppState) {
        if self.surface_key.as_ref() != Some(&state.scene.surface) {
            self.surface_key = Some(state.scene.surface.clone());
            match AnySurface::from_spec(&state.scene.surface) {
                Ok(s) => {
                    self.critical_points = s.critical_points();
                    self.surface = Some(s);
                    self.surface_error = None;
                }
                Err(e) => self.surface_error = Some(e.to_string()),
            }
        }
        self.runs.truncate(state.scene.runs.len());
        let Some(surface) = &self.surface else {
            return;
        };
        let curvature_key = (state.scene.surface.clone(), state.run_start(state.selected));
        if self.curvature_key.as_ref() != Some(&curvature_key) {
            self.start_curvature = Curvature::at(surface, curvature_key.1);
            self.curvature_key = Some(curvature_key);
        }
        for (i, run) in state.scene.runs.iter().enumerate() {
            let key = Self::run_key(state, run);
            if self.runs.get(i).is_some_and(|r| r.key == key) {
                continue;
            }
            // A run with its own batch size sees its own copy of the (linreg) surface.
            let own_surface;
            let run_surface = if key.1 == state.scene.surface {
                Ok(surface)
            } else {
                match AnySurface::from_spec(&key.1) {
                    Ok(s) => {
                        own_surface = s;
                        Ok(&own_surface)
                    }
                    Err(e) => Err(e.to_string()),
                }
            };
            let result = compute_run(run_surface, key, self.runs.get_mut(i));
            self.simulations += 1;
            if i < self.runs.len() {
                self.runs[i] = result;
            } else {
                self.runs.push(result);
            }
        }
    }

    /// Recomputes the heatmap and contours if the visible rectangle, surface or resolution
    /// changed.
    pub fn update_grid(&mut self, ctx: &egui::Context, state: &AppState, view: View) {
        let show_contours = state.scene.show_contours;
        let Some(surface) = &self.surface else {
            return;
        };
        let key = (
            state.scene.surface.clone(),
            view,
            state.grid_size,
            show_contours,
        );
        if self.grid.as_ref().is_none_or(|g| g.key != key) {
            let n = state.grid_size;
            let values = grid::evaluate(surface, view, n, n);
            let (min, max, log_scale) = grid::color_scale(&values, surface);
            let image = colorize(&values, min, max, log_scale);
            let undefined_share = values.iter().filter(|v| !v.is_finite()).count() as f64
                / values.len().max(1) as f64;
            let contours = if show_contours {
                let levels = grid::contour_levels(min, max, 14, log_scale);
                let tolerance =
                    1.5 * (view.x_max - view.x_min).max(view.y_max - view.y_min) / n as f64;
                grid::contour_lines(&values, view, &levels)
                    .into_iter()
                    .map(|c| contour_draw(c, tolerance))
                    .collect()
            } else {
                Vec::new()
            };
            match &mut self.grid {
                Some(g) => {
                    g.texture.set(image, TextureOptions::LINEAR);
                    g.key = key;
                    g.view = view;
                    g.contours = contours;
                    g.min = min;
                    g.max = max;
                    g.log_scale = log_scale;
                    g.undefined_share = undefined_share;
                }
                None => {
                    let texture =
                        ctx.load_texture("surface-heatmap", image, TextureOptions::LINEAR);
                    self.grid = Some(GridCache {
                        key,
                        view,
                        texture,
                        contours,
                        min,
                        max,
                        log_scale,
                        undefined_share,
                        arrows: Vec::new(),
                        arrows_view: None,
                    });
                }
            }
        }
        // The gradient field follows the same view, computed only while it is shown.
        if let Some(g) = &mut self.grid {
            let wanted = state.show_gradient_field.then_some(g.view);
            if g.arrows_view != wanted {
                g.arrows = match wanted {
                    Some(v) => crate::core::analysis::gradient_field(surface, v, 18),
                    None => Vec::new(),
                };
                g.arrows_view = wanted;
            }
        }
    }

    /// The longest trajectory (in steps), which sets the end of the timeline.
    pub fn max_steps(&self, state: &AppState) -> u64 {
        state
            .scene
            .runs
            .iter()
            .map(|r| r.settings.steps)
            .max()
            .unwrap_or(0)
    }

    /// Forgets everything, e.g. after a new scene was loaded.
    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

fn compute_run(
    surface: Result<&AnySurface, String>,
    key: (RunSettings, Spec),
    previous: Option<&mut RunResult>,
) -> RunResult {
    let spec = &key.0;
    let started = Instant::now();
    let validated = surface.and_then(|s| Run::new(spec).map(|r| (s, r)).map_err(|e| e.to_string()));
    match validated {
        Ok((surface, run)) => {
            let (trajectory, status) = run.simulate(surface);
            let lr_preview = run.lr_preview(&trajectory);
            let (limits, sharp) = curvature_along(surface, &run, &trajectory, &lr_preview);
            let limit_at_start = limits.first().copied().filter(|l| l.is_finite());
            let curves = Curves::new(&lr_preview, &trajectory, &limits, &sharp);
            RunResult {
                key,
                trajectory,
                status,
                lr_preview,
                warmup_steps: run.schedule.warmup_steps(),
                error: None,
                compute_ms: started.elapsed().as_secs_f64() * 1e3,
                generation: next_generation(),
                limit_at_start,
                curves,
            }
        }
        Err(e) => {
            // Keep showing the last valid path while the user is mid-edit.
            let (trajectory, status, lr_preview, warmup_steps, generation, curves) = match previous
            {
                Some(p) => (
                    std::mem::take(&mut p.trajectory),
                    p.status,
                    std::mem::take(&mut p.lr_preview),
                    p.warmup_steps,
                    p.generation,
                    std::mem::take(&mut p.curves),
                ),
                None => (
                    Trajectory::default(),
                    Status::Completed,
                    Vec::new(),
                    0,
                    next_generation(),
                    Curves::default(),
                ),
            };
            RunResult {
                key,
                trajectory,
                status,
                lr_preview,
                warmup_steps,
                error: Some(e),
                compute_ms: 0.0,
                generation,
                limit_at_start: None,
                curves,
            }
        }
    }
}

/// Thins a contour's polylines to points at least `tolerance` apart (about one and a half heatmap
/// cells, ~2 px) and picks a label position in the middle of its longest piece.
fn contour_draw(c: ContourLine, tolerance: f64) -> ContourDraw {
    let pieces: Vec<Vec<PlotPoint>> = c
        .lines
        .iter()
        .map(|line| {
            let mut kept: Vec<PlotPoint> = Vec::with_capacity(line.len() / 2 + 2);
            for (i, p) in line.iter().enumerate() {
                let far = kept
                    .last()
                    .is_none_or(|q| (p[0] - q.x).abs().max((p[1] - q.y).abs()) >= tolerance);
                if far || i + 1 == line.len() {
                    kept.push(PlotPoint::new(p[0], p[1]));
                }
            }
            kept
        })
        .collect();
    let label_at = pieces
        .iter()
        .max_by_key(|p| p.len())
        .filter(|p| p.len() > 8)
        .map(|p| p[p.len() / 2]);
    ContourDraw {
        level: c.level,
        pieces,
        label_at,
    }
}

use crate::picture::colormap::heat_rgb;

fn colorize(values: &ndarray::Array2<f64>, min: f64, max: f64, log_scale: bool) -> ColorImage {
    let (ny, nx) = values.dim();
    let mut pixels = Vec::with_capacity(nx * ny);
    // Image rows go top to bottom, grid rows bottom (y_min) to top.
    for (iy, row) in values.rows().into_iter().rev().enumerate() {
        pixels.extend(row.iter().enumerate().map(|(ix, &v)| {
            let [r, g, b] = heat_rgb(v, min, max, log_scale, ix, iy);
            egui::Color32::from_rgb(r, g, b)
        }));
    }
    ColorImage::new([nx, ny], pixels)
}
