//! Everything derived from [`AppState`]: surface, trajectories, LR previews, heatmap and contour
//! lines. Each part is recomputed only when the settings it depends on changed; recomputing a
//! whole trajectory is cheaper than patching one, so there is no incremental update.

mod heatmap;
mod run;

use super::platform::Instant;
pub use heatmap::GridCache;
use heatmap::{colorize, contour_draw};
pub use run::{Curves, RunResult};
use run::{compute_run, network_result};

use egui::TextureOptions;

use super::state::AppState;
use crate::core::grid::{self};

use crate::core::analysis::Curvature;
use crate::core::math::{Point, View};
use crate::core::run::settings::RunSettings;
use crate::core::spec::Spec;
use crate::core::surface::{AnySurface, CriticalPoint};

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
    /// A network scene's training, sharpness and landscape (empty for surface scenes).
    pub network: super::network::NetworkCache,
    /// When the network runs' curves were last rebuilt.
    curves_built: Option<Instant>,
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
        if let Some(network) = &state.scene.network {
            return self.network.is_current(&state.scene, network);
        }
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
        if let Some(network) = &state.scene.network {
            let news = self.network.update(&state.scene, network);
            // While networks train, their curves are rebuilt ten times a second, not every
            // frame: eight runs' thinning of ten thousand rows would take most of a frame.
            let due = !self.network.training()
                || self
                    .curves_built
                    .is_none_or(|t| t.elapsed().as_secs_f64() > 0.1);
            let stale = self
                .runs
                .iter()
                .zip(&self.network.runs)
                .any(|(r, t)| r.generation != t.generation);
            if self.runs.len() != state.scene.runs.len() || ((news || stale) && due) {
                self.runs = state
                    .scene
                    .runs
                    .iter()
                    .zip(&self.network.runs)
                    .map(|(run, trained)| network_result(&run.settings, trained))
                    .collect();
                self.curves_built = Some(Instant::now());
            }
            return;
        }
        if self.surface_key.as_ref() != Some(&state.scene.surface) {
            self.surface_key = Some(state.scene.surface.clone());
            match AnySurface::from_spec(&state.scene.surface) {
                Ok(s) => {
                    self.critical_points = s.critical_points();
                    self.surface = Some(s);
                    self.surface_error = None;
                }
                Err(e) => self.surface_error = Some(e.text()),
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
                    Err(e) => Err(e.text()),
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

    /// The longest trajectory (in steps), which sets the end of the timeline; for a network,
    /// the furthest step trained so far.
    pub fn max_steps(&self, state: &AppState) -> u64 {
        if state.scene.network.is_some() {
            return self.network.trained_steps();
        }
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
