//! The landscape view of a network scene: the loss over a plane through weight space, with
//! every run's path projected onto it.

use super::*;

/// The landscape slice with the runs' paths, its direction switch and its progress.
pub(super) fn landscape_ui(
    ui: &mut Ui,
    state: &mut AppState,
    net: &NetworkCache,
    anim: &Animation,
    views: &mut NetworkViews,
) {
    let runs = state.scene.runs.len();
    let Some(network) = state.scene.network.as_mut() else {
        return;
    };
    let reference = network.run.min(runs - 1);
    views.landscape_title = match network.directions {
        Directions::Random { seed } => tr!(
            "network-landscape-random-title",
            seed = seed.to_string(),
            run = reference + 1,
            centre = centre_word(network.centre)
        ),
        Directions::Pca => tr!(
            "network-landscape-pca-title",
            run = reference + 1,
            centre = centre_word(network.centre)
        ),
    };
    ui.add(egui::Label::new(RichText::new(&views.landscape_title).strong()).wrap());
    // One row of compact controls, so a stacked landscape keeps its height for the slice.
    ui.horizontal_wrapped(|ui| {
        let random = matches!(network.directions, Directions::Random { .. });
        egui::ComboBox::from_id_salt("landscape-directions")
            .selected_text(if random {
                tr!("network-random")
            } else {
                tr!("network-principal")
            })
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(random, tr!("network-random-directions"))
                    .on_hover_text(tr!("network-random-directions-help"))
                    .clicked()
                    && !random
                {
                    network.directions = Directions::Random { seed: 1 };
                }
                if ui
                    .selectable_label(!random, tr!("network-principal-directions"))
                    .on_hover_text(tr!("network-principal-directions-help"))
                    .clicked()
                    && random
                {
                    network.directions = Directions::Pca;
                }
            });
        if let Directions::Random { seed } = &mut network.directions {
            ui.add(
                egui::DragValue::new(seed)
                    .prefix(format!("{} ", tr!("network-seed-prefix")))
                    .speed(0.1),
            );
        }
        egui::ComboBox::from_id_salt("landscape-run")
            .selected_text(tr!("network-run", run = reference + 1))
            .show_ui(ui, |ui| {
                for i in 0..runs {
                    ui.selectable_value(&mut network.run, i, tr!("network-run", run = i + 1));
                }
            });
        egui::ComboBox::from_id_salt("landscape-centre")
            .selected_text(centre_word(network.centre))
            .show_ui(ui, |ui| {
                ui.selectable_value(
                    &mut network.centre,
                    Centre::Final,
                    tr!("network-final-weights"),
                );
                ui.selectable_value(
                    &mut network.centre,
                    Centre::Initial,
                    tr!("network-initial-weights"),
                );
            });
    });
    let land = &net.landscape;
    let status = if let Some(e) = &land.error {
        Some((e.clone(), true))
    } else if net.runs.get(reference).is_some_and(NetRun::training) {
        Some((tr!("network-waiting-for-run", run = reference + 1), false))
    } else {
        None
    };
    if let Some((text, error)) = &status {
        let text = RichText::new(text).small();
        ui.label(if *error {
            text.color(readable(ui.visuals(), DIVERGED_COLOR))
        } else {
            text
        });
    }
    if let Some((done, of)) = land.progress() {
        let n = land
            .level
            .as_ref()
            .map_or(SLICE_LEVELS[0], |l| next_level(l.n));
        ui.add(
            egui::ProgressBar::new(done as f32 / of.max(1) as f32)
                .text(tr!("network-computing-slice", n = n))
                .desired_height(14.0),
        );
    }
    if let Some(level) = &land.level {
        let key = (land.generation, level.n as u64, 0);
        if views.landscape.as_ref().is_none_or(|i| i.key != key) {
            views.landscape = Some(landscape_image(
                ui.ctx(),
                key,
                level,
                land.bounds,
                &views.landscape,
            ));
        }
    }
    let [a0, a1, b0, b1] = land.bounds;
    let visuals = ui.visuals().clone();
    let contour_color = Color32::from_gray(150).gamma_multiply(0.8);
    // The colorbar beside the slice, as beside the surface's heatmap.
    let scale = views
        .landscape
        .as_ref()
        .filter(|_| land.level.is_some())
        .and_then(|i| i.scale);
    let bar = if scale.is_some() {
        crate::app::axes::COLORBAR_WIDTH
    } else {
        0.0
    };
    let plot = still_plot(ui, "network-landscape")
        .width((ui.available_width() - bar).max(80.0))
        .legend(legend())
        .show_grid(false)
        .x_axis_label("α")
        .y_axis_label("β")
        .include_x(a0)
        .include_x(a1)
        .include_y(b0)
        .include_y(b1);
    let step = anim.step();
    let row = ui.horizontal_top(|ui| {
        let response = plot.show(ui, |plot_ui| {
            if let Some(image) = views.landscape.as_ref().filter(|_| land.level.is_some()) {
                draw_image(plot_ui, image, contour_color, 1.0, "");
            }
            if land.plane.is_none() {
                return;
            }
            for (i, (run, path)) in state.scene.runs.iter().zip(&land.paths).enumerate() {
                if !run.visible || path.is_empty() {
                    continue;
                }
                let color = on_background(&visuals, run.rgb());
                let width = if i == state.selected { 2.5 } else { 1.6 } * line_scale(state);
                plot_ui.line(
                    Line::new(run.settings.label(), PlotPoints::Borrowed(path))
                        .color(color)
                        .width(width),
                );
                let at = net.runs[i].snapshots.partition_point(|(s, _)| *s <= step);
                if let Some(p) = at.checked_sub(1).and_then(|k| path.get(k)) {
                    plot_ui.points(
                        Points::new("", vec![[p.x, p.y]])
                            .radius(6.0)
                            .color(color)
                            .filled(true)
                            .allow_hover(false),
                    );
                }
            }
            plot_ui.points(
                Points::new(tr!("network-centre-legend"), vec![[0.0, 0.0]])
                    .shape(MarkerShape::Plus)
                    .radius(8.0)
                    .color(visuals.strong_text_color())
                    .allow_hover(false),
            );
            plot_ui.line(
                Line::new(
                    "",
                    PlotPoints::from(vec![[a0, b0], [a1, b0], [a1, b1], [a0, b1], [a0, b0]]),
                )
                .color(visuals.weak_text_color())
                .style(LineStyle::dotted_dense())
                .width(0.5)
                .allow_hover(false),
            );
        });
        if let Some((min, max, log)) = scale {
            let ticks: Vec<(f32, String)> = crate::picture::colormap::colorbar_ticks(min, max, log)
                .into_iter()
                .map(|(at, label)| (at as f32, label))
                .collect();
            let title = if log {
                tr!("network-loss-log")
            } else {
                tr!("network-loss")
            };
            let size = Vec2::new(
                crate::app::axes::COLORBAR_WIDTH - 8.0,
                response.response.rect.height(),
            );
            crate::app::axes::colorbar(ui, size, &title, &ticks);
        }
        response.response.rect
    });
    views.landscape_rect = Some(row.inner);
}

/// The legend of the network views: in a corner, over a backing that lets the data show.
pub(super) fn legend() -> egui_plot::Legend {
    egui_plot::Legend::default()
        .position(egui_plot::Corner::LeftTop)
        .background_alpha(0.75)
}

fn centre_word(centre: Centre) -> String {
    match centre {
        Centre::Final => tr!("network-final"),
        Centre::Initial => tr!("network-initial"),
    }
}

/// The resolution after `n` (the last one stays).
fn next_level(n: usize) -> usize {
    SLICE_LEVELS.iter().copied().find(|&m| m > n).unwrap_or(n)
}

/// The slice as an image in the heatmap's colours (log-scaled when the loss spans decades),
/// with a dozen contour lines.
fn landscape_image(
    ctx: &egui::Context,
    key: (u64, u64, usize),
    level: &crate::app::network::SliceLevel,
    bounds: [f64; 4],
    old: &Option<Image>,
) -> Image {
    let n = level.n;
    let finite = level.values.iter().copied().filter(|v| v.is_finite());
    let (min, max) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let log = min > 0.0 && max / min > 30.0;
    let mut pixels = Vec::with_capacity(n * n);
    for row in (0..n).rev() {
        for col in 0..n {
            let v = level.values[row * n + col];
            let [r, g, b] = crate::picture::colormap::heat_rgb(v, min, max, log, col, row);
            pixels.push(Color32::from_rgb(r, g, b));
        }
    }
    let values = ndarray::Array2::from_shape_vec((n, n), level.values.clone()).unwrap_or_default();
    let view = View {
        x_min: bounds[0],
        x_max: bounds[1],
        y_min: bounds[2],
        y_max: bounds[3],
    };
    let levels = crate::core::grid::contour_levels(min, max, 12, log);
    // Pixel centres of an n-point grid sit on the bounds: the image reaches half a cell past.
    let (ca, cb) = (
        (bounds[1] - bounds[0]) / (n - 1) as f64,
        (bounds[3] - bounds[2]) / (n - 1) as f64,
    );
    let image_view = View {
        x_min: bounds[0] - ca / 2.0,
        x_max: bounds[1] + ca / 2.0,
        y_min: bounds[2] - cb / 2.0,
        y_max: bounds[3] + cb / 2.0,
    };
    Image {
        key,
        texture: texture(
            ctx,
            "network-landscape",
            ColorImage::new([n, n], pixels),
            old,
        ),
        view: image_view,
        contours: contours(&values, view, &levels),
        scale: Some((min, max, log)),
    }
}
