//! The sweep's result: the loss over the learning rate (1D) or the lr × second-parameter map
//! (2D) with the closed forms over it, and clicking a cell to take its settings.

use super::*;

pub(super) fn result_ui(ui: &mut Ui, sweep: &mut SweepUi, state: &mut AppState, cache: &Cache) {
    let Some(result) = &mut sweep.result else {
        return;
    };
    let run_index = result.run_index;
    let theory = result.theory.clone();
    let height = (ui.available_height() * 0.6).clamp(160.0, 420.0);
    let limit = cache.runs.get(run_index).and_then(|r| r.limit_at_start);
    let clicked: Option<(f64, Option<f64>)>;
    match result.spec.second.clone() {
        None => {
            let by_steps = sweep.show_steps_to_converge;
            ui.horizontal(|ui| {
                ui.selectable_value(
                    &mut sweep.show_steps_to_converge,
                    false,
                    tr!("sweep-final-loss"),
                );
                ui.selectable_value(
                    &mut sweep.show_steps_to_converge,
                    true,
                    tr!("sweep-steps-to-converge"),
                );
                ui.label(RichText::new(tr!("sweep-against-the-base-learning-rate")));
            });
            let metric = |c: &Cell| match c.outcome {
                Outcome::Finished { converged_at, .. } if by_steps => {
                    converged_at.map(|s| s as f64)
                }
                Outcome::Finished { final_loss, .. } => Some(plot_loss(final_loss)),
                _ => None,
            };
            let finite: Vec<[f64; 2]> = result
                .cells
                .iter()
                .filter_map(|c| Some([c.lr.log10(), metric(c)?]))
                .filter(|p| p[1].is_finite())
                .collect();
            let top = finite
                .iter()
                .map(|p| p[1])
                .fold(f64::NEG_INFINITY, f64::max);
            let top = if top.is_finite() { top } else { 0.0 };
            let diverged: Vec<[f64; 2]> = result
                .cells
                .iter()
                .filter(|c| c.outcome.is_diverged())
                .map(|c| [c.lr.log10(), top])
                .collect();
            let mut plot = Plot::new("sweep-1d")
                .height(height)
                .x_axis_label(tr!("sweep-lr-log-scale"))
                .x_axis_formatter(log_axis)
                .x_grid_spacer(log_spacer)
                .y_axis_label(if by_steps {
                    tr!("sweep-steps-to-converge")
                } else {
                    tr!("sweep-final-loss-log-scale")
                });
            if !by_steps {
                plot = plot.y_axis_formatter(log_axis).y_grid_spacer(log_spacer);
            }
            let fg = ui.visuals().strong_text_color();
            let diverged_color = readable(ui.visuals(), DIVERGED_COLOR);
            let response = plot
                .allow_drag(false)
                .allow_zoom(false)
                .allow_scroll(false)
                .legend(egui_plot::Legend::default().position(egui_plot::Corner::LeftBottom))
                .show(ui, |plot_ui| {
                    plot_ui.line(
                        Line::new(
                            if by_steps {
                                tr!("sweep-steps-to-converge")
                            } else {
                                tr!("sweep-final-loss")
                            },
                            finite,
                        )
                        .color(fg),
                    );
                    plot_ui.points(
                        Points::new(tr!("sweep-diverged-legend"), diverged)
                            .shape(MarkerShape::Cross)
                            .radius(5.0)
                            .color(diverged_color),
                    );
                    if let Some(l) = limit {
                        plot_ui.vline(
                            VLine::new("2/λmax", l.log10()).color(Color32::from_rgb(255, 140, 60)),
                        );
                    }
                    if let Some(t) = &theory {
                        plot_ui.vline(
                            VLine::new(tr!("sweep-closed-form-optimum"), t.optimum.0.log10())
                                .color(OPTIMUM_COLOR)
                                .style(egui_plot::LineStyle::dashed_dense()),
                        );
                    }
                    plot_ui.pointer_coordinate()
                });
            sweep.transform = Some(response.transform);
            clicked =
                clicked_at(&response).map(|p| (nearest(&result.spec.lrs, 10f64.powf(p.x)), None));
        }
        Some(axis) => {
            ui.label(RichText::new(tr!(
                "sweep-map-explained",
                param = axis.param.key()
            )));
            let n = result.spec.lrs.len();
            let m = axis.values.len();
            let start_loss = {
                use crate::core::surface::Surface;
                cache
                    .surface
                    .as_ref()
                    .map(|s| s.value(result.spec.run.start.unwrap_or(state.scene.start)))
            };
            let texture = result.texture.get_or_insert_with(|| {
                ui.ctx().load_texture(
                    "sweep-map",
                    sweep_image(&result.cells, n, m, start_loss),
                    TextureOptions::NEAREST,
                )
            });
            let (x0, x1) = (result.spec.lrs[0].log10(), result.spec.lrs[n - 1].log10());
            let (y0, y1) = (axis.values[0], axis.values[m - 1]);
            let (dx, dy) = (
                (x1 - x0) / (n - 1).max(1) as f64,
                (y1 - y0) / (m - 1).max(1) as f64,
            );
            let texture_id = texture.id();
            // Over an optimizer parameter, its closed-form stability limit at the start.
            // Few long segments, so the dashes show (one per cell would draw it solid and
            // jagged): simplified to within 1/500 of the map's width and height.
            let boundary: Vec<[f64; 2]> = crate::picture::curves::simplify(
                &result
                    .boundary
                    .iter()
                    .map(|&(value, lr)| [lr.log10(), value])
                    .collect::<Vec<_>>(),
                [
                    2e-3 * (x1 - x0).abs().max(1e-9),
                    2e-3 * (y1 - y0).abs().max(1e-9),
                ],
            );
            let range = color_range(&result.cells, start_loss);
            let response = ui
                .horizontal(|ui| {
                    let plot = Plot::new("sweep-2d")
                        .height(height)
                        .width((ui.available_width() - crate::app::axes::COLORBAR_WIDTH).max(120.0))
                        .x_axis_label(tr!("sweep-lr-log-scale"))
                        .x_axis_formatter(log_axis)
                        .x_grid_spacer(log_spacer)
                        .y_axis_label(axis.param.key().to_owned())
                        .y_grid_spacer(crate::app::axes::nice_spacer())
                        .y_axis_formatter(crate::app::axes::nice_label)
                        .allow_drag(false)
                        .allow_zoom(false)
                        .allow_scroll(false)
                        .show(ui, |plot_ui| {
                            let center = PlotPoint::new(0.5 * (x0 + x1), 0.5 * (y0 + y1));
                            let size = egui::vec2(
                                ((x1 - x0) + dx) as f32,
                                ((y1 - y0) + dy.abs().max(1e-9)) as f32,
                            );
                            plot_ui.image(PlotImage::new("", texture_id, center, size));
                            if let Some(t) = &theory {
                                theory_overlay(plot_ui, t, !boundary.is_empty());
                            }
                            if !boundary.is_empty() {
                                plot_ui.line(
                                    // In the momentum limit's colour (as on the slider):
                                    // the white rate contours near 1 run close beside it.
                                    Line::new("2(1+β)/λmax", boundary)
                                        .color(crate::app::theme::MOMENTUM_LIMIT_COLOR)
                                        .style(egui_plot::LineStyle::dashed_loose())
                                        .width(2.0),
                                );
                            }
                            plot_ui.pointer_coordinate()
                        });
                    // The map's colours: final loss on a log scale, top = the loss at the start.
                    // Ticks at round values (decades, or 1-2-5 over a short range), not at
                    // fifths of the range (8.92e-7).
                    let ticks: Vec<(f32, String)> = range
                        .map(|(lo, hi)| {
                            crate::app::axes::log_spacer(egui_plot::GridInput {
                                bounds: (lo, hi),
                                base_step_size: 0.0,
                            })
                            .into_iter()
                            .map(|m| {
                                let t = (m.value - lo) / (hi - lo).max(1e-300);
                                (t as f32, fmt_value(10f64.powf(m.value)))
                            })
                            .collect()
                        })
                        .unwrap_or_default();
                    crate::app::axes::colorbar(
                        ui,
                        egui::vec2(crate::app::axes::COLORBAR_WIDTH - 8.0, height),
                        &tr!("sweep-final-loss"),
                        &ticks,
                    );
                    plot
                })
                .inner;
            sweep.transform = Some(response.transform);
            clicked = clicked_at(&response).map(|p| {
                (
                    nearest(&result.spec.lrs, 10f64.powf(p.x)),
                    Some(nearest(&axis.values, p.y)),
                )
            });
        }
    }
    if let Some(t) = &theory {
        let (lr, momentum, rate) = t.optimum;
        let th = &t.theory;
        let mut apply_optimum = false;
        ui.horizontal_wrapped(|ui| {
            // The rate contours are drawn on the lr × momentum map only, not over a 1D sweep.
            let on_map = if momentum.is_some() {
                tr!(
                    "sweep-on-the-map",
                    rates = RATE_LEVELS[..RATE_LEVELS.len() - 1]
                        .iter()
                        .map(|&r| short(r))
                        .collect::<Vec<_>>()
                        .join(&tr!("list-separator"))
                )
            } else {
                String::new()
            };
            ui.label(RichText::new(tr!(
                "sweep-closed-form",
                lo = short(th.lambda_min),
                hi = short(th.lambda_max),
                kappa = th.kappa.map_or("–".into(), short),
                lr = fmt_lr(round_sig(lr, 3)),
                momentum = momentum.map_or(String::new(), |b| {
                    format!(" {}", tr!("sweep-with-momentum", momentum = short(b)))
                }),
                rate = short(rate),
                on_map = on_map,
            )));
            apply_optimum = ui
                .button(tr!("sweep-apply-optimum"))
                .on_hover_text(tr!("sweep-set-the-run-to-the"))
                .clicked();
        });
        if apply_optimum {
            apply(state, run_index, &result.spec, lr, momentum);
        }
    }
    if let Some((lr, second)) = clicked {
        apply(state, run_index, &result.spec, lr, second);
    }
}

pub(super) fn short(v: f64) -> String {
    crate::core::spec::fmt_num(round_sig(v, 3))
}

/// The closed-form optimum's marker and lines.
pub(super) const OPTIMUM_COLOR: Color32 = Color32::from_rgb(0, 220, 140);

/// The closed-form rates over the 2D map: contours at [`RATE_LEVELS`] (the last, 1, is the
/// stability limit), the critical-damping curves dotted, the optimum as a star.
pub(super) fn theory_overlay(
    plot_ui: &mut egui_plot::PlotUi<'_>,
    t: &SweepTheory,
    boundary_drawn: bool,
) {
    // Rate 1 is the stability limit, drawn dashed as the heavy-ball boundary where there is
    // one (a solid line over it would hide its dashes) and as a wider solid line otherwise.
    for c in t
        .contours
        .iter()
        .filter(|c| c.level < 1.0 || !boundary_drawn)
    {
        let width = if c.level == 1.0 { 2.0 } else { 1.2 };
        for piece in &c.lines {
            plot_ui.line(
                Line::new("", piece.clone())
                    .color(Color32::from_white_alpha(200))
                    .width(width)
                    .allow_hover(false),
            );
        }
        // Each contour's rate written at its middle.
        if let Some(piece) = c.lines.iter().max_by_key(|p| p.len()) {
            let at = piece[piece.len() / 2];
            plot_ui.text(
                // The colour on the text itself: the light theme's override_text_color would
                // replace the Text's, and the map under it stays dark.
                egui_plot::Text::new(
                    "",
                    PlotPoint::new(at[0], at[1]),
                    RichText::new(short(c.level)).color(Color32::WHITE),
                ),
            );
        }
    }
    for (curve, name) in t.critical.iter().zip([
        tr!("sweep-critical-damping-min"),
        tr!("sweep-critical-damping-max"),
    ]) {
        plot_ui.line(
            Line::new(name, curve.clone())
                .color(OPTIMUM_COLOR)
                .style(egui_plot::LineStyle::dotted_dense())
                .width(1.5),
        );
    }
    let (lr, momentum, _) = t.optimum;
    if let Some(b) = momentum {
        plot_ui.points(
            Points::new(tr!("sweep-closed-form-optimum"), vec![[lr.log10(), b]])
                .shape(MarkerShape::Asterisk)
                .radius(9.0)
                .color(OPTIMUM_COLOR),
        );
    }
}

/// Sets a sweep cell's values on the run it was computed for.
pub(super) fn apply(
    state: &mut AppState,
    run_index: usize,
    spec: &SweepSpec,
    lr: f64,
    second: Option<f64>,
) {
    let Some(run) = state.scene.runs.get_mut(run_index).map(|r| &mut r.settings) else {
        return;
    };
    // The sweep's grid resolves about three digits; more would be noise in labels and presets.
    run.lr = round_sig(lr, 3);
    let second = second.map(|v| round_sig(v, 3));
    if let (Some(axis), Some(v)) = (&spec.second, second) {
        match &axis.param {
            SweepParam::Optimizer(k) => run.optimizer.set(k, Value::Num(v)),
            SweepParam::Schedule(k) => run.schedule.set(k, Value::Num(v)),
            SweepParam::Warmup(k) => {
                run.warmup = spec.run.warmup.clone();
                run.warmup.set(k, Value::Num(v));
            }
        }
    }
    state.selected = run_index;
}

/// Where on a result plot the user clicked, in plot coordinates.
pub(super) fn clicked_at(
    response: &egui_plot::PlotResponse<Option<PlotPoint>>,
) -> Option<PlotPoint> {
    if response.response.clicked() {
        response.inner
    } else {
        None
    }
}

pub(super) fn nearest(values: &[f64], x: f64) -> f64 {
    values
        .iter()
        .copied()
        .min_by(|a, b| (a - x).abs().total_cmp(&(b - x).abs()))
        .unwrap_or(x)
}

/// Final loss per cell on a log color scale (viridis); diverged cells black, invalid grey.
/// The color scale runs from sixteen decades below the start's loss (converged runs reach
/// 1e-300, which would wash out the rest) up to the start's loss; worse is yellow.
pub(super) fn sweep_image(
    cells: &[Cell],
    n: usize,
    m: usize,
    start_loss: Option<f64>,
) -> ColorImage {
    let (lo, hi) = color_range(cells, start_loss).unwrap_or((0.0, 0.0));
    let mut pixels = Vec::with_capacity(n * m);
    // Image rows go top (largest second value) to bottom.
    for j in (0..m).rev() {
        for i in 0..n {
            let color = match cells[j * n + i].outcome {
                Outcome::Finished { final_loss, .. } if final_loss > 0.0 && hi > lo => {
                    colormap(((final_loss.log10() - lo) / (hi - lo)).clamp(0.0, 1.0))
                }
                Outcome::Finished { .. } => colormap(0.0),
                Outcome::Diverged { .. } | Outcome::Stopped { .. } => DIVERGED_CELL,
                Outcome::Invalid => Color32::from_gray(90),
            };
            pixels.push(color);
        }
    }
    ColorImage::new([n, m], pixels)
}
