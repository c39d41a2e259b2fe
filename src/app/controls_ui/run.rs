//! The selected run's settings: optimizer, the learning-rate slider with its stability limits,
//! schedule, warmup, steps, noise, seed, batch size and start.

use super::*;

pub(super) fn selected_run_ui(ui: &mut Ui, state: &mut AppState, cache: &Cache) {
    let i = state.selected;
    let curvature = cache.start_curvature;
    let scene_start = state.scene.start;
    let batched = Capabilities::of(&state.scene.surface).batched;
    let network = state.scene.network.is_some();
    let run = &mut state.scene.runs[i];
    let color = on_background(ui.visuals(), run.rgb());
    ui.label(
        RichText::new(tr!("controls-run-settings", run = i + 1))
            .strong()
            .color(color),
    );

    item_combo_ui(
        ui,
        &tr!("controls-optimizer"),
        &OPTIMIZERS,
        &mut run.settings.optimizer,
    );
    params_ui(ui, "optimizer", &OPTIMIZERS, &mut run.settings.optimizer);

    // The learning rate gets the panel's whole width (six decades need room), and Shift
    // slows a drag tenfold for fine control.
    let lr_label = ui
        .label(RichText::new(tr!("controls-learning-rate")).strong())
        .on_hover_text(tr!("controls-drag-shift-for-fine-control"))
        .id;
    let (optimizer, gd_limit, own_limit) = lr_slider_ui(
        ui,
        &mut run.settings,
        curvature,
        (ui.available_width() - 78.0).max(80.0),
        lr_label,
    );
    let sgd_family = optimizer
        .as_ref()
        .is_some_and(|o| crate::core::analysis::theory::MomentumRule::of(o).is_some());
    let why_no_limit = match optimizer {
        Some(AnyOptimizer::Flow(_)) => tr!("controls-flow-no-limit"),
        _ => tr!("controls-adaptive-no-limit"),
    };
    stability_ui(
        ui,
        curvature.filter(|_| !network),
        gd_limit,
        own_limit,
        sgd_family,
        &why_no_limit,
        run.settings.lr,
    );
    ui.add_space(4.0);
    item_combo_ui(
        ui,
        &tr!("controls-decay"),
        &SCHEDULES,
        &mut run.settings.schedule,
    );
    params_ui(ui, "schedule", &SCHEDULES, &mut run.settings.schedule);
    item_combo_ui(
        ui,
        &tr!("controls-warmup"),
        &WARMUPS,
        &mut run.settings.warmup,
    );
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
                    .on_hover_text(tr!("controls-minibatch-help"));
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
                    .label(tr!("controls-seed"))
                    .on_hover_text(tr!("controls-seed-of-the-initial-weights"))
                    .id;
                ui.add(egui::DragValue::new(&mut run.settings.seed).speed(0.2))
                    .labelled_by(label);
                ui.end_row();
                return;
            }
            let label = ui
                .label(tr!("controls-noise"))
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
                .label(tr!("controls-seed"))
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
            RichText::new(tr!(
                "controls-computed",
                steps = r.trajectory.len().saturating_sub(1),
                ms = format!("{:.2}", r.compute_ms)
            ))
            .small()
            .weak(),
        );
    }
}

/// The curvature at the start and the limits it implies, in words a student can check.
pub(super) fn stability_ui(
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
        tr!("controls-condition-number", kappa = fmt_lr(k))
    });
    ui.label(
        RichText::new(tr!(
            "controls-start-hessian",
            lo = fmt_lr(lo),
            hi = fmt_lr(hi),
            kappa = kappa
        ))
        .small()
        .weak(),
    );
    let line = |ui: &mut Ui, what: &str, limit: f64, color: Color32| {
        let above = lr >= limit;
        let text = if above {
            tr!("controls-stable-above", what = what, limit = fmt_lr(limit))
        } else {
            tr!("controls-stable-below", what = what, limit = fmt_lr(limit))
        };
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
                RichText::new(tr!(
                    "controls-plain-gd-limit",
                    limit = fmt_lr(limit),
                    why = why_no_limit
                ))
                .small()
                .weak(),
            );
        }
        return;
    }
    match gd_limit {
        Some(limit) => {
            line(ui, &tr!("controls-gd-limit-line"), limit, LIMIT_COLOR)
                .on_hover_text(tr!("controls-gd-limit-help"));
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
            LimitKind::Nesterov { .. } => tr!("controls-nesterov"),
            _ => tr!("controls-heavy-ball"),
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

/// The learning-rate slider of a run's `settings`, its rail `width` wide, labelled by
/// `label`: logarithmic over six decades, Shift slows a drag tenfold, and marks on the rail
/// show where the classical stability limits lie. Returns the run's optimizer and those
/// limits (plain GD's, and the optimizer's own) for the readout under it.
pub(super) fn lr_slider_ui(
    ui: &mut Ui,
    settings: &mut RunSettings,
    curvature: Option<Curvature>,
    width: f32,
    label: egui::Id,
) -> (Option<AnyOptimizer>, Option<f64>, Option<(f64, LimitKind)>) {
    let before = settings.lr;
    let (slider, rail_width) = ui
        .scope(|ui| {
            ui.spacing_mut().slider_width = width;
            let slider = ui
                .add(
                    Slider::new(&mut settings.lr, LR_RANGE.0..=LR_RANGE.1)
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
                .labelled_by(label);
            (slider, width)
        })
        .inner;
    if slider.dragged() && ui.input(|i| i.modifiers.shift) && before > 0.0 {
        let moved = settings.lr;
        if moved > 0.0 && moved != before {
            settings.lr = before * (moved / before).powf(0.1);
        }
    }
    let optimizer = AnyOptimizer::from_spec(&settings.optimizer).ok();
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
        marks.push((lr, LIMIT_COLOR, tr!("controls-gd-limit-mark")));
    }
    if let Some((lr, kind)) = own_limit
        && kind != LimitKind::GradientDescent
    {
        marks.push((
            lr,
            MOMENTUM_LIMIT_COLOR,
            tr!("controls-momentum-limit-mark"),
        ));
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
            let label = tr!("controls-limit-mark", name = name.as_str(), lr = fmt_lr(lr));
            ui.interact(
                hit,
                ui.make_persistent_id(("lr-mark", &name)),
                egui::Sense::hover(),
            )
            .on_hover_text(&label)
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
        }
    }
    (optimizer, gd_limit, own_limit)
}
