//! The toolbar (animation) and the left panel: surface, run list and the selected run's
//! optimizer, learning rate, decay, warmup, steps and noise.

use crate::tr;
use egui::{Color32, RichText, Slider, Ui};

use super::cache::Cache;
use super::commands::{self, ACTIONS, Action, Place};
use super::params_ui::{item_combo_ui, params_ui};
use super::state::{Animation, MAX_APP_STEPS};
use super::state::{AppState, MAX_RUNS, PALETTE};
use super::theme::{DIVERGED_COLOR, LIMIT_COLOR, MOMENTUM_LIMIT_COLOR, on_background, readable};
use crate::AnyOptimizer;
use crate::core::analysis::{Curvature, LimitKind};
use crate::core::spec::fmt_num;
use crate::core::surface::Capabilities;
use crate::{OPTIMIZERS, RunSettings, SCHEDULES, SURFACES, WARMUPS};

/// The learning-rate slider's range.
pub const LR_RANGE: (f64, f64) = (1e-5, 10.0);

/// Where `lr` lies on a logarithmic slider over [`LR_RANGE`] whose rail is `rail` (the rect
/// egui allocates for the rail alone: `slider_width` wide), as egui places its handle: the
/// handle's centre travels inside the rail by its half-width, `rail.height() / 2.5` for a
/// round handle and that times the aspect ratio for egui's default rectangular one.
pub fn slider_x(rail: egui::Rect, handle: egui::style::HandleShape, lr: f64) -> Option<f32> {
    let (lo, hi) = (LR_RANGE.0.log10(), LR_RANGE.1.log10());
    let t = (lr.log10() - lo) / (hi - lo);
    if !(0.0..=1.0).contains(&t) {
        return None;
    }
    let radius = rail.height() / 2.5
        * match handle {
            egui::style::HandleShape::Circle => 1.0,
            egui::style::HandleShape::Rect { aspect_ratio } => aspect_ratio,
        };
    Some(rail.left() + radius + t as f32 * (rail.width() - 2.0 * radius))
}

/// The curvature at the start and the limits it implies, in words a student can check.
fn stability_ui(
    ui: &mut Ui,
    curvature: Option<Curvature>,
    gd_limit: Option<f64>,
    own_limit: Option<(f64, LimitKind)>,
    sgd_family: bool,
    why_no_limit: &str,
    lr: f64,
) {
    let Some(c) = curvature else {
        return;
    };
    let [lo, hi] = c.eigenvalues;
    let kappa = c.condition_number().map_or(String::new(), |k| {
        format!(", condition number κ = {}", fmt_lr(k))
    });
    ui.label(
        RichText::new(format!(
            "Hessian at the start: λ = {}, {}{kappa}",
            fmt_lr(lo),
            fmt_lr(hi)
        ))
        .small()
        .weak(),
    );
    let line = |ui: &mut Ui, what: &str, limit: f64, color: Color32| {
        let above = lr >= limit;
        let text = format!(
            "{what} stable for lr < {}{}",
            fmt_lr(limit),
            if above { ": above it" } else { "" }
        );
        let rich = RichText::new(text).small();
        ui.label(if above {
            rich.color(readable(ui.visuals(), DIVERGED_COLOR))
        } else {
            rich.color(readable(ui.visuals(), color))
        })
    };
    if own_limit.is_none() && !sgd_family {
        // Adaptive methods rescale each step by the gradient history: no fixed-lr limit
        // applies, so plain GD's limit is shown for comparison only.
        if let Some(limit) = gd_limit {
            ui.label(
                RichText::new(format!(
                    "plain GD would be stable for lr < {} (2/λmax); {why_no_limit}",
                    fmt_lr(limit)
                ))
                .small()
                .weak(),
            );
        }
        return;
    }
    match gd_limit {
        Some(limit) => {
            line(ui, "GD (2/λmax)", limit, LIMIT_COLOR).on_hover_text(
                "Gradient descent multiplies the steepest direction by (1 − lr·λmax) each step: \
                 it converges exactly when lr < 2/λmax on a quadratic, and near the start elsewhere.",
            );
        }
        None => {
            ui.label(
                RichText::new(tr!("controls-no-positive-curvature-at-the"))
                    .small()
                    .weak(),
            );
        }
    }
    if let Some((limit, kind)) = own_limit
        && kind != LimitKind::GradientDescent
    {
        let what = match kind {
            LimitKind::Nesterov { .. } => "Nesterov",
            _ => "Heavy ball",
        };
        line(
            ui,
            &format!("{what} ({})", kind.formula()),
            limit,
            MOMENTUM_LIMIT_COLOR,
        )
        .on_hover_text(tr!("controls-momentum-lets-a-larger-learning"));
    }
}

use crate::core::optimizer::Framework;
use crate::core::run::simulation::{ascent_text, fmt_lr, status_lr, status_text};

/// The toolbar, generated from the command table: its buttons and toggles, with the
/// timeline and the speed after the step buttons. Returns the actions clicked.
pub fn toolbar_ui(
    ui: &mut Ui,
    state: &mut AppState,
    max_steps: u64,
    anim: &mut Animation,
    toggles: &[(Action, bool)],
    frame_ms: Option<f64>,
    stage: Option<&str>,
) -> Vec<Action> {
    let mut clicked = Vec::new();
    let max = max_steps as f64;
    // Wraps onto a second row when the window is narrow (or enlarged for a lecture), so no
    // button is ever out of reach.
    let presenting = state.presentation;
    ui.horizontal_wrapped(|ui| {
        if presenting {
            // One row on a 1280×720 projector: the room knows which app this is, and the
            // sliders are shorter.
            ui.spacing_mut().slider_width = 70.0;
            ui.spacing_mut().item_spacing.x = 5.0;
        } else {
            ui.heading(tr!("controls-optiscope"));
            ui.separator();
        }
        for def in ACTIONS
            .iter()
            .filter(|d| matches!(d.place, Place::Toolbar | Place::Toggle))
        {
            let hover = commands::hover_text(ui.ctx(), def);
            let response = match def.place {
                Place::Toggle => {
                    let on = toggles.iter().any(|&(a, on)| a == def.action && on);
                    ui.selectable_label(on, def.label)
                }
                _ if def.action == Action::PlayPause && anim.playing => {
                    ui.button(tr!("controls-pause"))
                }
                _ => ui.button(def.label),
            };
            if response.on_hover_text(hover).clicked() {
                clicked.push(def.action);
            }
            match def.action {
                Action::StepForward => {
                    ui.label(format!("step {} / {}", anim.step(), max_steps));
                    if let Some(stage) = stage {
                        ui.label(RichText::new(stage).color(ui.visuals().warn_fg_color))
                            .on_hover_text(tr!("controls-stepping-in-stages-step-shows"));
                    }
                    let mut cursor = anim.cursor;
                    let timeline = ui.add(
                        Slider::new(&mut cursor, 0.0..=max.max(1.0))
                            .show_value(false)
                            .text(tr!("controls-timeline")),
                    );
                    if timeline.changed() {
                        anim.playing = false;
                        anim.cursor = cursor.round();
                    }
                    ui.separator();
                    let speed = Slider::new(&mut state.scene.speed, 1.0..=10_000.0)
                        .logarithmic(true)
                        .custom_formatter(|v, _| format!("{v:.0}"));
                    let speed = if presenting {
                        speed.show_value(false)
                    } else {
                        speed.text(tr!("controls-steps-s"))
                    };
                    ui.add(speed)
                        .on_hover_text(tr!("controls-animation-speed-steps-per-second"));
                }
                Action::ResetView => {
                    ui.separator();
                }
                _ => {}
            }
        }
        if let Some(ms) = frame_ms {
            ui.separator();
            ui.label(RichText::new(format!("frame {ms:.2} ms")).small().weak())
                .on_hover_text(tr!("controls-median-cpu-time-of-the"));
        }
    });
    clicked
}

pub fn controls_ui(ui: &mut Ui, state: &mut AppState, cache: &Cache) {
    if state.presentation {
        // The room reads the Hessian line, the run statuses and the stability text too: no
        // small print in front of a class.
        if let Some(body) = ui.style().text_styles.get(&egui::TextStyle::Body).cloned() {
            ui.style_mut()
                .text_styles
                .insert(egui::TextStyle::Small, body);
        }
        // In front of a class the banner shows the scene's text, and what the lecturer reaches
        // for (learning rate, decay, warmup) comes first.
        selected_run_ui(ui, state, cache);
        ui.separator();
        runs_section_ui(ui, state, cache);
        ui.separator();
        setting_section_ui(ui, state, cache);
        return;
    }
    scene_section_ui(ui, state);
    ui.separator();
    setting_section_ui(ui, state, cache);
    ui.separator();
    runs_section_ui(ui, state, cache);
    ui.separator();
    selected_run_ui(ui, state, cache);
}

/// The scene's title and lecture note, editable so a student can write down what they found.
fn scene_section_ui(ui: &mut Ui, state: &mut AppState) {
    let title = if state.scene.title.trim().is_empty() {
        "Untitled scene".to_owned()
    } else {
        state.scene.title.clone()
    };
    let editing_id = ui.scope_id().with("editing-scene-text");
    let mut editing = ui.data(|d| d.get_temp::<bool>(editing_id).unwrap_or(false));
    // The button on the right, the title wrapped in what is left: a long title never
    // pushes the panel's content past its edge.
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
        if ui
            .small_button(if editing { "Done" } else { "Edit" })
            .on_hover_text(tr!("controls-edit-the-scene-s-title"))
            .clicked()
        {
            editing = !editing;
        }
        ui.with_layout(egui::Layout::left_to_right(egui::Align::Min), |ui| {
            ui.add(egui::Label::new(RichText::new(title).strong().size(15.0)).wrap());
        });
    });
    if editing {
        ui.add(
            egui::TextEdit::singleline(&mut state.scene.title)
                .hint_text("Title")
                .desired_width(f32::INFINITY),
        );
        ui.add(
            egui::TextEdit::multiline(&mut state.scene.description)
                .hint_text("Notes: what to look at and why it happens")
                .desired_rows(4)
                .desired_width(f32::INFINITY),
        );
    } else if !state.scene.description.is_empty() {
        // The lecture note, at reading size.
        ui.label(crate::scene::notes::resolve_colours(
            &state.scene.description,
            ui.visuals().dark_mode,
        ));
    }
    ui.data_mut(|d| d.insert_temp(editing_id, editing));
}

/// What the runs optimize: the surface, or the network and its data.
fn setting_section_ui(ui: &mut Ui, state: &mut AppState, cache: &Cache) {
    if state.scene.network.is_some() {
        network_section_ui(ui, state, cache);
    } else {
        surface_section_ui(ui, state, cache);
    }
}

/// The network scene's model, data and sharpness interval.
fn network_section_ui(ui: &mut Ui, state: &mut AppState, cache: &Cache) {
    use crate::core::network::{DATASETS, MODELS};
    let Some(network) = state.scene.network.as_mut() else {
        return;
    };
    ui.strong(tr!("controls-network"));
    item_combo_ui(ui, "Model", &MODELS, &mut network.model);
    params_ui(ui, "model", &MODELS, &mut network.model);
    item_combo_ui(ui, "Data", &DATASETS, &mut network.data);
    params_ui(ui, "data", &DATASETS, &mut network.data);
    if let Some(item) = DATASETS.def(&network.data.name) {
        ui.label(RichText::new(item.summary).small().weak());
    }
    ui.horizontal(|ui| {
        let label = ui
            .label("Sharpness every")
            .on_hover_text(
                "Steps between two values of λmax of the training loss's Hessian (power \
                 iteration on exact Hessian-vector products, in the background); 0: none",
            )
            .id;
        ui.add(
            egui::DragValue::new(&mut network.sharpness_every)
                .range(0..=10_000)
                .speed(0.5)
                .suffix(" steps"),
        )
        .labelled_by(label);
    });
    let net = &cache.network;
    if let Some(e) = &net.error {
        ui.colored_label(readable(ui.visuals(), DIVERGED_COLOR), e);
    }
    if let (Some(mlp), Some(data)) = (&net.net, &net.data) {
        let sizes: Vec<String> = mlp.sizes.iter().map(|s| s.to_string()).collect();
        ui.label(
            RichText::new(format!(
                "{} network, {} parameters; {} training and {} held-out points",
                sizes.join("-"),
                mlp.parameter_count(),
                data.x.len(),
                data.x_test.len()
            ))
            .small()
            .weak(),
        );
    }
}

fn surface_section_ui(ui: &mut Ui, state: &mut AppState, cache: &Cache) {
    ui.strong(tr!("controls-surface"));
    if item_combo_ui(ui, "Surface", &SURFACES, &mut state.scene.surface) {
        state.scene.view = None;
    }
    params_ui(ui, "surface", &SURFACES, &mut state.scene.surface);
    if let Some(item) = SURFACES.def(&state.scene.surface.name) {
        ui.label(RichText::new(item.summary).small().weak());
    }
    if let Some(e) = &cache.surface_error {
        ui.colored_label(readable(ui.visuals(), DIVERGED_COLOR), e);
    }
    if let Some(share) = cache
        .grid
        .as_ref()
        .map(|g| g.undefined_share)
        .filter(|s| *s > 0.0)
    {
        ui.add(
            egui::Label::new(
                RichText::new(format!(
                    "f is undefined (not a number) on {} of the view, hatched grey; a run \
                     that steps there stops",
                    if share < 0.01 {
                        "under 1%".to_owned()
                    } else {
                        format!("{:.0}%", share * 100.0)
                    }
                ))
                .small()
                .color(readable(ui.visuals(), DIVERGED_COLOR)),
            )
            .wrap(),
        );
    }
    ui.horizontal(|ui| {
        ui.label(tr!("controls-start"));
        for (i, axis) in ["x", "y"].iter().enumerate() {
            ui.add(
                egui::DragValue::new(&mut state.scene.start[i])
                    .speed(0.01)
                    .range(-1e6..=1e6)
                    .prefix(format!("{axis} "))
                    .max_decimals(4),
            );
        }
    })
    .response
    .on_hover_text(tr!("controls-click-or-drag-on-the"));
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(
            &mut state.scene.show_contours,
            tr!("controls-contour-lines"),
        );
        ui.checkbox(
            &mut state.show_gradient_field,
            tr!("controls-gradient-field"),
        )
        .on_hover_text(tr!("controls-arrows-of-grad-f-where"));
        ui.checkbox(&mut state.show_curvature, tr!("controls-curvature"))
            .on_hover_text(tr!("controls-the-hessian-s-eigen-directions"));
        use crate::scene::preset::UpdateView;
        let mut shown = state.scene.update.shown();
        if ui
            .checkbox(&mut shown, "Update arrows")
            .on_hover_text(
                "For the selected run at the cursor, to scale: the plain gradient step \
                 −lr·grad f (amber), momentum (violet), the per-coordinate scaling as a box \
                 (cyan), Newton's local model, and the step taken (green)",
            )
            .changed()
        {
            state.scene.update = if shown {
                UpdateView::Shown
            } else {
                UpdateView::Hidden
            };
        }
        let mut staged = state.scene.update == UpdateView::Staged;
        if ui
            .add_enabled(
                shown,
                egui::Checkbox::new(&mut staged, tr!("controls-in-stages")),
            )
            .on_hover_text(
                "Step shows the update one stage at a time (gradient, momentum, scaling, step) \
                 with the explain panel's matching terms lit",
            )
            .changed()
        {
            state.scene.update = if staged {
                UpdateView::Staged
            } else {
                UpdateView::Shown
            };
        }
    });
}

fn runs_section_ui(ui: &mut Ui, state: &mut AppState, cache: &Cache) {
    ui.horizontal_wrapped(|ui| {
        ui.strong(tr!("controls-runs"));
        let full = state.scene.runs.len() >= MAX_RUNS;
        if ui
            .add_enabled(!full, egui::Button::new(tr!("controls-add")))
            .on_hover_text(tr!("controls-add-a-run-up-to"))
            .clicked()
        {
            let mut run = super::state::RunState::new(RunSettings {
                optimizer: crate::core::spec::Spec::named("adam"),
                lr: 0.1,
                ..Default::default()
            });
            run.color = Some(state.free_color());
            state.scene.runs.push(run);
            state.selected = state.scene.runs.len() - 1;
        }
        if ui
            .add_enabled(!full, egui::Button::new(tr!("controls-duplicate")))
            .on_hover_text(tr!("controls-copy-the-selected-run"))
            .clicked()
        {
            let mut run = state.scene.runs[state.selected].clone();
            run.color = Some(state.free_color());
            state.scene.runs.push(run);
            state.selected = state.scene.runs.len() - 1;
        }
        // The same run under the other framework's optimizer of the same name.
        let selected = &state.scene.runs[state.selected].settings.optimizer;
        let twin = crate::core::optimizer::twin(selected);
        let own = crate::OPTIMIZERS
            .find(&selected.name)
            .map_or(Framework::PyTorch, |item| item.framework());
        let other = Framework::ALL
            .into_iter()
            .find(|&f| f != own)
            .unwrap_or(own);
        let hover = match &twin {
            Some(t) => format!(
                "Add the selected run with {}'s {t}: same name, same numbers; see where the \
                 frameworks part",
                other.name()
            ),
            None => format!("{} has no optimizer of this name", other.name()),
        };
        if ui
            .add_enabled(
                !full && twin.is_some(),
                egui::Button::new(format!("Same in {}", other.name())),
            )
            .on_hover_text(hover)
            .on_disabled_hover_text(if full {
                "A scene has at most 8 runs".to_owned()
            } else {
                format!("{} has no optimizer of this name", other.name())
            })
            .clicked()
            && let Some(twin) = twin
        {
            let mut run = state.scene.runs[state.selected].clone();
            run.settings.optimizer = twin;
            run.color = Some(state.free_color());
            state.scene.runs.push(run);
            state.selected = state.scene.runs.len() - 1;
        }
        let last = state.scene.runs.len() <= 1;
        if ui
            .add_enabled(!last, egui::Button::new(tr!("controls-remove")))
            .on_hover_text(tr!("controls-remove-the-selected-run"))
            .clicked()
        {
            let removed = state.selected;
            state.scene.runs.remove(removed);
            state.selected = state.selected.min(state.scene.runs.len() - 1);
            // The landscape's centre run follows the runs it was among.
            if let Some(network) = &mut state.scene.network
                && (network.run > removed || network.run >= state.scene.runs.len())
            {
                network.run = network.run.saturating_sub(1);
            }
        }
    });
    let mut select = None;
    let network = state.scene.network.is_some();
    for (i, run) in state.scene.runs.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let swatch = ui
                .color_edit_button_srgb(run.color.get_or_insert(PALETTE[0]))
                .on_hover_text(tr!("controls-color-of-this-run"));
            // egui outlines a swatch in the widget's fill, which a white swatch on the light
            // theme (or a dark one on the dark theme) vanishes into: outline it in the text's
            // colour instead.
            ui.painter().rect_stroke(
                swatch.rect,
                ui.visuals().widgets.inactive.corner_radius,
                egui::Stroke::new(1.0, ui.visuals().text_color()),
                egui::StrokeKind::Inside,
            );
            ui.checkbox(&mut run.visible, tr!("controls-show"))
                .on_hover_text(tr!("controls-show-this-run"));
            let full = run.settings.label();
            let label = RichText::new(&full).color(on_background(ui.visuals(), run.rgb()));
            // Cut to the panel's width; the whole spec on hover.
            let button = egui::Button::selectable(state.selected == i, label).truncate();
            if ui.add(button).on_hover_text(full).clicked() {
                select = Some(i);
            }
        });
        if let Some(result) = cache.runs.get(i) {
            let lr = status_lr(&result.status, &result.lr_preview, run.settings.lr);
            let text = match cache.network.runs.get(i).filter(|_| network) {
                Some(trained) => trained_text(trained, &result.status, lr, run.settings.steps),
                None => status_text(&result.status, lr, run.settings.steps),
            };
            let color = if result.status.is_diverged() {
                readable(ui.visuals(), DIVERGED_COLOR)
            } else {
                ui.visuals().weak_text_color()
            };
            ui.add(
                egui::Label::new(RichText::new(format!("      {text}")).small().color(color))
                    .wrap(),
            );
            // A rate below zero climbs the loss: said, not left to be guessed from the path.
            if let Some((step, lr)) = result.curves.ascent {
                ui.add(
                    egui::Label::new(
                        RichText::new(format!("      {}", ascent_text(step, lr)))
                            .small()
                            .color(readable(ui.visuals(), DIVERGED_COLOR)),
                    )
                    .wrap(),
                );
            }
        }
    }
    if let Some(i) = select {
        state.selected = i;
    }
}

/// A network run's line in the run list: how far it trained, or how it ended.
fn trained_text(
    trained: &super::network::NetRun,
    status: &crate::core::run::simulation::Status,
    lr: f64,
    steps: u64,
) -> String {
    if let Some(e) = &trained.error {
        return e.clone();
    }
    let last = trained.rows.last();
    match (trained.status, last) {
        (None, _) => format!("training: step {} of {steps}", last.map_or(0, |r| r.step)),
        (Some(crate::core::run::simulation::Status::Completed), Some(r)) => format!(
            "trained {steps} steps: loss {}, held out {}",
            fmt_lr(r.loss),
            fmt_lr(r.test_loss)
        ),
        _ => status_text(status, lr, steps),
    }
}

fn selected_run_ui(ui: &mut Ui, state: &mut AppState, cache: &Cache) {
    let i = state.selected;
    let curvature = cache.start_curvature;
    let scene_start = state.scene.start;
    let batched = Capabilities::of(&state.scene.surface).batched;
    let network = state.scene.network.is_some();
    let run = &mut state.scene.runs[i];
    let color = on_background(ui.visuals(), run.rgb());
    ui.label(
        RichText::new(format!("Run {} settings", i + 1))
            .strong()
            .color(color),
    );

    item_combo_ui(ui, "Optimizer", &OPTIMIZERS, &mut run.settings.optimizer);
    params_ui(ui, "optimizer", &OPTIMIZERS, &mut run.settings.optimizer);

    // The learning rate gets the panel's whole width (six decades need room), and Shift
    // slows a drag tenfold for fine control.
    let lr_label = ui
        .label(RichText::new(tr!("controls-learning-rate")).strong())
        .on_hover_text(tr!("controls-drag-shift-for-fine-control"))
        .id;
    let before = run.settings.lr;
    let (slider, rail_width) = ui
        .scope(|ui| {
            let width = (ui.available_width() - 78.0).max(80.0);
            ui.spacing_mut().slider_width = width;
            let slider = ui
                .add(
                    Slider::new(&mut run.settings.lr, LR_RANGE.0..=LR_RANGE.1)
                        .logarithmic(true)
                        .clamping(egui::SliderClamping::Edits)
                        .custom_formatter(|v, _| fmt_lr(v))
                        .custom_parser(|s| {
                            s.trim()
                                .parse::<f64>()
                                .ok()
                                .filter(|x| x.is_finite() && *x >= 0.0)
                        }),
                )
                .labelled_by(lr_label);
            (slider, width)
        })
        .inner;
    if slider.dragged() && ui.input(|i| i.modifiers.shift) && before > 0.0 {
        let moved = run.settings.lr;
        if moved > 0.0 && moved != before {
            run.settings.lr = before * (moved / before).powf(0.1);
        }
    }
    let optimizer = AnyOptimizer::from_spec(&run.settings.optimizer).ok();
    let gd_limit = curvature.and_then(|c| c.gd_limit());
    let own_limit = curvature
        .zip(optimizer.as_ref())
        .and_then(|(c, o)| c.limit_for(o));
    // Marks on the slider's rail where the classical limits lie, each a small widget whose
    // tooltip names it and its value. The rail is the slider's first `rail_width` points,
    // as tall as the slider row (egui centres the rail and the value box in one row).
    let mut marks = Vec::new();
    if own_limit.is_some()
        && let Some(lr) = gd_limit
    {
        marks.push((lr, LIMIT_COLOR, "GD limit 2/λmax"));
    }
    if let Some((lr, kind)) = own_limit
        && kind != LimitKind::GradientDescent
    {
        marks.push((lr, MOMENTUM_LIMIT_COLOR, "momentum limit"));
    }
    let thickness = ui
        .text_style_height(&egui::TextStyle::Body)
        .max(ui.spacing().interact_size.y);
    let rail = egui::Rect::from_min_size(
        egui::pos2(slider.rect.left(), slider.rect.center().y - thickness / 2.0),
        egui::vec2(rail_width, thickness),
    );
    for (lr, color, name) in marks {
        if let Some(x) = slider_x(rail, ui.visuals().handle_shape, lr) {
            ui.painter().line_segment(
                [egui::pos2(x, rail.top()), egui::pos2(x, rail.bottom())],
                egui::Stroke::new(2.0, readable(ui.visuals(), color)),
            );
            // Hovering the mark says what it is; it takes no clicks from the slider.
            let hit = egui::Rect::from_center_size(
                egui::pos2(x, rail.center().y),
                egui::vec2(6.0, rail.height()),
            );
            let label = format!("{name}: lr = {}", fmt_lr(lr));
            ui.interact(
                hit,
                ui.make_persistent_id(("lr-mark", name)),
                egui::Sense::hover(),
            )
            .on_hover_text(&label)
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
        }
    }
    let sgd_family = optimizer
        .as_ref()
        .is_some_and(|o| crate::core::analysis::theory::MomentumRule::of(o).is_some());
    let why_no_limit = match optimizer {
        Some(AnyOptimizer::Flow(_)) => "a flow takes no discrete steps: it is stable at every lr",
        _ => "this optimizer rescales its steps, so no fixed-lr limit applies",
    };
    stability_ui(
        ui,
        curvature.filter(|_| !network),
        gd_limit,
        own_limit,
        sgd_family,
        why_no_limit,
        run.settings.lr,
    );
    ui.add_space(4.0);
    item_combo_ui(ui, "Decay", &SCHEDULES, &mut run.settings.schedule);
    params_ui(ui, "schedule", &SCHEDULES, &mut run.settings.schedule);
    item_combo_ui(ui, "Warmup", &WARMUPS, &mut run.settings.warmup);
    params_ui(ui, "warmup", &WARMUPS, &mut run.settings.warmup);

    ui.add_space(4.0);
    egui::Grid::new("run-numbers")
        .num_columns(2)
        .show(ui, |ui| {
            let label = ui.label(tr!("controls-steps")).id;
            ui.add(
                egui::DragValue::new(&mut run.settings.steps)
                    .range(1..=MAX_APP_STEPS)
                    .speed(2.0),
            )
            .labelled_by(label);
            ui.end_row();
            if network {
                let mut mini = run.settings.batch_size.is_some();
                ui.checkbox(&mut mini, tr!("controls-minibatch"))
                    .on_hover_text(
                        "Rows per update, reshuffled every epoch from the seed; off: the whole \
                     training set (full-batch gradient descent)",
                    );
                if mini {
                    let rows = cache.network.data.as_ref().map_or(1, |d| d.x.len()) as u64;
                    let batch = run.settings.batch_size.get_or_insert(32.min(rows));
                    ui.add(
                        egui::DragValue::new(batch)
                            .range(1..=rows.max(1))
                            .speed(0.2),
                    );
                } else {
                    run.settings.batch_size = None;
                    ui.label(RichText::new(tr!("controls-full-batch")).weak());
                }
                ui.end_row();
                let label = ui
                    .label("Seed")
                    .on_hover_text(tr!("controls-seed-of-the-initial-weights"))
                    .id;
                ui.add(egui::DragValue::new(&mut run.settings.seed).speed(0.2))
                    .labelled_by(label);
                ui.end_row();
                return;
            }
            let label = ui
                .label("Noise σ")
                .on_hover_text(tr!("controls-standard-deviation-of-gaussian-noise"))
                .id;
            ui.add(
                egui::DragValue::new(&mut run.settings.noise)
                    .range(0.0..=100.0)
                    .speed(0.01)
                    .custom_formatter(|v, _| fmt_num(v)),
            )
            .labelled_by(label);
            ui.end_row();
            let label = ui
                .label("Seed")
                .on_hover_text(tr!("controls-seed-of-the-noise-and"))
                .id;
            ui.add(egui::DragValue::new(&mut run.settings.seed).speed(0.2))
                .labelled_by(label);
            ui.end_row();
            if batched {
                let mut own = run.settings.batch_size.is_some();
                ui.checkbox(&mut own, tr!("controls-batch-size"))
                    .on_hover_text(tr!("controls-this-run-s-own-minibatch"));
                if own {
                    let batch = run.settings.batch_size.get_or_insert(1);
                    ui.add(egui::DragValue::new(batch).range(0..=100_000).speed(0.2));
                } else {
                    run.settings.batch_size = None;
                    ui.label(RichText::new(tr!("controls-the-surface-s")).weak());
                }
                ui.end_row();
            }
            let mut own = run.settings.start.is_some();
            ui.checkbox(&mut own, tr!("controls-own-start"))
                .on_hover_text(tr!("controls-start-this-run-from-its"));
            if own {
                let p = run.settings.start.get_or_insert(scene_start);
                ui.horizontal(|ui| {
                    for (k, axis) in ["x", "y"].iter().enumerate() {
                        ui.add(
                            egui::DragValue::new(&mut p[k])
                                .speed(0.01)
                                .range(-1e6..=1e6)
                                .prefix(format!("{axis} "))
                                .max_decimals(4),
                        );
                    }
                });
            } else {
                run.settings.start = None;
                ui.label(RichText::new(tr!("controls-the-scene-s")).weak());
            }
            ui.end_row();
        });
    if let Some(e) = cache.runs.get(i).and_then(|r| r.error.as_ref()) {
        ui.colored_label(readable(ui.visuals(), DIVERGED_COLOR), e);
    }
    if let Some(r) = cache.runs.get(i).filter(|_| !network) {
        ui.label(
            RichText::new(format!(
                "computed {} steps in {:.2} ms",
                r.trajectory.len().saturating_sub(1),
                r.compute_ms
            ))
            .small()
            .weak(),
        );
    }
}
