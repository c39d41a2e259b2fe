//! The explain panel: the selected run's update rule written out, with the numbers of the
//! update at the animation cursor (gradient, moments, bias corrections, the step taken), so a
//! lecturer can point at each term.

use egui::{RichText, Ui};

use super::cache::Cache;
use super::state::Animation;
use super::state::AppState;
use crate::core::analysis::Curvature;
use crate::core::optimizer::geometry::{self, Stage};
use crate::core::simulation::fmt_lr;
use crate::core::simulation::{Run, StepDetail};
use crate::core::surface::AnySurface;

/// The update at the cursor, replayed once per run and step and shared by the explain panel
/// and the update glyphs on the surface, so scrubbing does not replay the run every frame.
#[derive(Default)]
pub struct UpdateMemo {
    key: Option<(usize, u64, u64)>,
    detail: Option<(StepDetail, Option<Curvature>)>,
}

/// The update at the cursor with the curvature where it was taken.
pub type Explained = (StepDetail, Option<Curvature>);

impl UpdateMemo {
    /// The update last replayed, if it is update `step` of run `index`.
    pub fn cached(&self, index: usize, step: u64) -> Option<&Explained> {
        let (i, _, s) = self.key?;
        (i == index && s == step).then_some(self.detail.as_ref()?)
    }

    /// The update `step` of run `index`, replayed only when run or step changed.
    pub fn get(
        &mut self,
        state: &AppState,
        cache: &Cache,
        index: usize,
        step: u64,
    ) -> Option<&Explained> {
        let result = cache.runs.get(index)?;
        let key = (index, result.generation, step);
        if self.key != Some(key) {
            self.key = Some(key);
            self.detail = replay(state, cache, index, step);
        }
        self.detail.as_ref()
    }
}

/// The update and the curvature where it was taken.
fn replay(
    state: &AppState,
    cache: &Cache,
    index: usize,
    step: u64,
) -> Option<(StepDetail, Option<Curvature>)> {
    let settings = state.scene.run_settings(index)?;
    let run = Run::new(&settings).ok()?;
    let surface_spec = settings.surface(&state.scene.surface);
    let own;
    let surface = if surface_spec == state.scene.surface {
        cache.surface.as_ref()?
    } else {
        own = AnySurface::from_spec(&surface_spec).ok()?;
        &own
    };
    let detail = run.step_detail(surface, step)?;
    let curvature = Curvature::at(surface, detail.theta);
    Some((detail, curvature))
}

fn pair(v: [f64; 2]) -> String {
    format!("({}, {})", num(v[0]), num(v[1]))
}

fn num(x: f64) -> String {
    if x == 0.0 {
        "0".to_owned()
    } else if x.abs() >= 1e-3 && x.abs() < 1e4 {
        format!("{x:.5}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_owned()
    } else {
        format!("{x:.4e}")
    }
}

/// The explain panel; returns whether it was opened (`Some(true)`) or closed this frame, so
/// the lower plot can switch to the step size |Δθ| while it is open.
pub fn explain_ui(
    ui: &mut Ui,
    state: &AppState,
    anim: &Animation,
    explained: Option<&Explained>,
    stage: Option<usize>,
) -> Option<bool> {
    let index = state.selected;
    let step = anim.step();
    let response = egui::CollapsingHeader::new(RichText::new("Explain the update").strong())
        .id_salt("explain")
        .default_open(false)
        .show(ui, |ui| {
            let Some((d, curvature)) = explained.filter(|(d, _)| d.step == step) else {
                ui.label(
                    RichText::new(format!(
                        "Run {} takes no update at step {step} (it ended or diverged before).",
                        index + 1
                    ))
                    .weak(),
                );
                return;
            };
            // Counted from 1 like the optimizer's own step counter t: update k takes θ_{k−1}
            // to θ_k.
            ui.label(RichText::new(format!(
                "Update {} of run {} (θ{} to θ{})",
                d.step + 1,
                index + 1,
                subscript(d.step),
                subscript(d.step + 1)
            )));
            // Stepping in stages: which stage this is, and its rule lines and rows lit.
            let shown = stage.and_then(|n| Some((n, d.stages.get(n)?)));
            let stage: Option<&Stage> = shown.map(|(_, s)| s);
            if let Some((n, s)) = shown {
                ui.label(
                    RichText::new(format!(
                        "Stage {} of {}, {}: {}",
                        n + 1,
                        d.stages.len(),
                        s.name,
                        s.says
                    ))
                    .color(ui.visuals().warn_fg_color),
                );
            }
            let (lit_fg, lit_bg) = (
                ui.visuals().strong_text_color(),
                ui.visuals().selection.bg_fill,
            );
            let lit = move |text: RichText, on: bool| {
                if on {
                    text.strong().color(lit_fg).background_color(lit_bg)
                } else {
                    text
                }
            };
            for (i, line) in d.rule.iter().enumerate() {
                let on = stage.is_some_and(|s| s.rule_lines.contains(&i));
                ui.label(lit(RichText::new(*line).monospace(), on));
            }
            ui.add_space(4.0);
            // Name and value on one line where the panel is wide enough, the value on the
            // next line where it is not: a pair of numbers is never cut at the panel's edge.
            ui.vertical(|ui| {
                let row = |ui: &mut Ui, name: &str, value: String| {
                    let on = stage.is_some_and(|s| s.terms.contains(&name));
                    ui.horizontal_wrapped(|ui| {
                        let name = RichText::new(format!("{name}:"));
                        ui.label(if on { lit(name, true) } else { name.weak() });
                        ui.label(lit(RichText::new(value).monospace(), on));
                    });
                };
                row(ui, geometry::LR_ROW, fmt_lr(d.lr));
                row(ui, "θ (before)", pair(d.theta));
                row(ui, geometry::GRADIENT_ROW, pair(d.grad));
                if d.grad_seen != d.grad {
                    row(ui, geometry::GRADIENT_SEEN_ROW, pair(d.grad_seen));
                }
                for t in &d.terms {
                    // The step counter is one number, not a pair.
                    let value = if t.name == "t" {
                        num(t.value[0])
                    } else {
                        pair(t.value)
                    };
                    row(ui, t.name, value);
                }
                row(ui, geometry::STEP_ROW, pair(d.delta));
                if let Some(c) = curvature {
                    row(ui, geometry::HESSIAN_ROW, pair(c.eigenvalues));
                    if let Some(limit) = c.gd_limit() {
                        row(ui, "2/λmax at θ", num(limit));
                    }
                }
                row(
                    ui,
                    "|Δθ| (effective step size)",
                    num(d.delta[0].hypot(d.delta[1])),
                );
            });
        });
    // Opened at the bottom of the panel, it scrolls into view (over the frames it unfolds).
    let scroll_id = ui.scope_id().with("explain-scroll");
    let toggled = response.header_response.clicked();
    let open_id = ui.scope_id().with("explain-open");
    let open = ui.data(|d| d.get_temp::<bool>(open_id)).unwrap_or(false) != toggled;
    ui.data_mut(|d| d.insert_temp(open_id, open));
    if toggled && open {
        ui.data_mut(|d| d.insert_temp(scroll_id, 10u8));
    }
    let pending = ui.data(|d| d.get_temp::<u8>(scroll_id)).unwrap_or(0);
    if pending > 0 {
        if let Some(body) = &response.body_response {
            body.scroll_to_me(Some(egui::Align::Min));
        }
        ui.data_mut(|d| d.insert_temp(scroll_id, pending - 1));
    }
    toggled.then_some(open)
}

/// `k` in subscript digits (θ₁₂).
fn subscript(k: u64) -> String {
    k.to_string()
        .chars()
        .map(|c| char::from_u32('₀' as u32 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
        .collect()
}
