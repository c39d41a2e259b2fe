//! The views of a network scene: the data with the selected run's decision boundary (or
//! fitted curve) at the cursor, and the landscape slice with every run's path on it.

mod landscape;
use landscape::{landscape_ui, legend};

use crate::tr;
use egui::{Color32, ColorImage, RichText, TextureHandle, TextureOptions, Ui, Vec2};
use egui_plot::{Line, LineStyle, MarkerShape, Plot, PlotImage, PlotPoint, PlotPoints, Points};

use super::cache::Cache;
use super::network::{NetRun, NetworkCache, SLICE_LEVELS};
use super::state::{Animation, AppState};
use super::theme::{DIVERGED_COLOR, line_scale, on_background, readable, rgb};
use crate::core::math::View;
use crate::core::network::{Data, Mlp, Task};
use crate::scene::preset::{Centre, Directions};

/// About the size of the data view's legend (four entries), in points: the room it is given
/// beside the points.
const DATA_LEGEND_SIZE: Vec2 = Vec2::new(150.0, 96.0);

/// Cells per side of the decision boundary's image.
const BOUNDARY_CELLS: usize = 72;
/// The colours of the two classes (Okabe–Ito vermillion and blue): the points and the
/// shading of the side of the boundary the network assigns to each.
const CLASS_RGB: [[u8; 3]; 2] = [[213, 94, 0], [0, 114, 178]];

/// What the views computed from the cache and keep between frames (images are redrawn only
/// when what they show changed), and where they were drawn (for tests).
#[derive(Default)]
pub struct NetworkViews {
    boundary: Option<Image>,
    landscape: Option<Image>,
    /// The central area the views share, as last drawn.
    pub central: Option<egui::Rect>,
    /// Where the last frame drew the data view and the landscape.
    pub data_rect: Option<egui::Rect>,
    pub landscape_rect: Option<egui::Rect>,
    /// The landscape view's title as last drawn.
    pub landscape_title: String,
    /// The data view's caption as last drawn (run, step, losses, accuracy).
    pub caption: String,
}

/// An image over a rectangle of the plot, with the contour lines drawn on it.
struct Image {
    key: (u64, u64, usize),
    texture: TextureHandle,
    view: View,
    contours: Vec<(f64, Vec<Vec<PlotPoint>>)>,
    /// The values' colour scale (min, max, log), for the colorbar beside a heatmap.
    scale: Option<(f64, f64, bool)>,
}

/// The central panel of a network scene.
/// `compact` (an embed) shows the data view alone: the landscape's controls need more room
/// than a 480×300 frame has.
pub fn network_ui(
    ui: &mut Ui,
    state: &mut AppState,
    cache: &Cache,
    anim: &Animation,
    views: &mut NetworkViews,
    compact: bool,
) {
    let net = &cache.network;
    if let Some(e) = &net.error {
        ui.colored_label(
            readable(ui.visuals(), DIVERGED_COLOR),
            tr!("network-cannot-be-built", error = e.as_str()),
        );
        return;
    }
    let (Some(mlp), Some(data)) = (&net.net, &net.data) else {
        return;
    };
    views.central = Some(ui.max_rect());
    if compact {
        views.landscape_rect = None;
        data_view_ui(ui, state, net, mlp, data, anim, views);
        return;
    }
    let size = ui.available_size();
    // Side by side on a wide panel, stacked on a tall one.
    let wide = size.x >= 1.25 * size.y;
    // Stacked, the landscape (under its title and controls) gets the larger share.
    let (w, h, h_land) = if wide {
        ((size.x - 12.0) / 2.0, size.y, size.y)
    } else {
        (size.x, 0.44 * (size.y - 12.0), 0.56 * (size.y - 12.0))
    };
    let layout = if wide {
        egui::Layout::left_to_right(egui::Align::Min)
    } else {
        egui::Layout::top_down(egui::Align::Min)
    };
    ui.with_layout(layout, |ui| {
        let column = egui::Layout::top_down(egui::Align::Min);
        ui.allocate_ui_with_layout(Vec2::new(w, h), column, |ui| {
            ui.set_min_size(Vec2::new(w, h));
            data_view_ui(ui, state, net, mlp, data, anim, views);
        });
        ui.add_space(8.0);
        ui.allocate_ui_with_layout(Vec2::new(w, h_land), column, |ui| {
            ui.set_min_size(Vec2::new(w, h_land));
            landscape_ui(ui, state, net, anim, views);
        });
    });
}

/// The data with the selected run's decision boundary or fitted curve at the cursor.
fn data_view_ui(
    ui: &mut Ui,
    state: &AppState,
    net: &NetworkCache,
    mlp: &Mlp,
    data: &Data,
    anim: &Animation,
    views: &mut NetworkViews,
) {
    let selected = state.selected;
    let run = net.runs.get(selected);
    let snapshot = run.and_then(|r| r.snapshot_at(anim.step()));
    let classifies = data.task == Task::Classification;
    ui.strong(if classifies {
        tr!("network-data-and-boundary")
    } else {
        tr!("network-data-and-fit")
    });
    views.caption = caption(state, run, snapshot.map(|s| s.0), mlp, data);
    // At reading size, a line each for the losses and the accuracy: cut (whole on hover)
    // rather than wrapped, so the plot below does not jump as the numbers change.
    for line in views.caption.lines() {
        ui.add(egui::Label::new(line).truncate())
            .on_hover_text(line);
    }
    let view = data_view(data);
    if classifies && let (Some(run), Some((step, params))) = (run, snapshot) {
        let key = (run.generation, *step, selected);
        if views.boundary.as_ref().is_none_or(|b| b.key != key) {
            views.boundary = Some(boundary_image(
                ui.ctx(),
                key,
                mlp,
                params,
                view,
                &views.boundary,
            ));
        }
    }
    let visuals = ui.visuals().clone();
    let color = state
        .scene
        .runs
        .get(selected)
        .map_or(Color32::WHITE, |r| on_background(&visuals, r.rgb()));
    let plot = still_plot(ui, "network-data")
        .legend(legend())
        .include_x(view.x_min)
        .include_x(view.x_max)
        .include_y(view.y_min)
        .include_y(view.y_max)
        .show_grid(false);
    let plot = if classifies {
        // Equal scales leave room on one side: as much of it as the legend needs goes to the
        // top left, where the legend is, so it sits beside the points instead of over them;
        // the rest is shared by both sides.
        let (dx, dy) = (view.x_max - view.x_min, view.y_max - view.y_min);
        let axes = Vec2::new(44.0, 30.0);
        let room = (ui.available_size() - axes).max(Vec2::splat(40.0));
        let per_unit = (room.x as f64 / dx).min(room.y as f64 / dy);
        let slack = [room.x as f64 / per_unit - dx, room.y as f64 / per_unit - dy];
        let legend = [DATA_LEGEND_SIZE.x as f64, DATA_LEGEND_SIZE.y as f64];
        // (the legend's side, the other side) along x and along y.
        let [(left, right), (top, bottom)] = [0, 1].map(|k| {
            let first = slack[k].min(legend[k] / per_unit);
            let rest = (slack[k] - first) / 2.0;
            (first + rest, rest)
        });
        plot.data_aspect(1.0)
            .include_x(view.x_min - left)
            .include_x(view.x_max + right)
            .include_y(view.y_min - bottom)
            .include_y(view.y_max + top)
    } else {
        plot
    };
    let response = plot.show(ui, |plot_ui| {
        if classifies {
            if let Some(b) = views.boundary.as_ref().filter(|_| snapshot.is_some()) {
                draw_image(
                    plot_ui,
                    b,
                    color,
                    2.5 * line_scale(state),
                    &tr!("network-boundary-legend", run = selected + 1),
                );
            }
            for (class, rgb_) in CLASS_RGB.iter().enumerate() {
                let pick = |x: &[Vec<f64>], y: &[f64]| -> Vec<[f64; 2]> {
                    x.iter()
                        .zip(y)
                        .filter(|(_, y)| **y as usize == class)
                        .map(|(x, _)| [x[0], x[1]])
                        .collect()
                };
                let name = tr!("network-class-legend", class = class);
                plot_ui.points(
                    Points::new(name.clone(), pick(&data.x, &data.y))
                        .radius(3.5)
                        .color(rgb(*rgb_))
                        .filled(true),
                );
                // Both classes' held-out points are one legend entry: its circle would not
                // show their hollow diamonds, and one class's colour stands for both.
                plot_ui.points(
                    Points::new(
                        tr!("network-held-out-hollow"),
                        pick(&data.x_test, &data.y_test),
                    )
                    .radius(4.0)
                    .shape(MarkerShape::Diamond)
                    .color(rgb(*rgb_))
                    .filled(false),
                );
            }
        } else {
            let points = |x: &[Vec<f64>], y: &[f64]| -> Vec<[f64; 2]> {
                x.iter().zip(y).map(|(x, y)| [x[0], *y]).collect()
            };
            let weak = visuals.weak_text_color();
            plot_ui.points(
                Points::new(tr!("network-training-legend"), points(&data.x, &data.y))
                    .radius(3.0)
                    .color(weak)
                    .filled(true),
            );
            plot_ui.points(
                Points::new(
                    tr!("network-held-out-legend"),
                    points(&data.x_test, &data.y_test),
                )
                .radius(4.0)
                .shape(MarkerShape::Diamond)
                .color(weak)
                .filled(false),
            );
            if let Some((_, params)) = snapshot {
                let xs: Vec<Vec<f64>> = (0..=200)
                    .map(|i| vec![view.x_min + (view.x_max - view.x_min) * i as f64 / 200.0])
                    .collect();
                let ys = mlp.outputs(params, &xs);
                let curve: Vec<[f64; 2]> = xs.iter().zip(ys).map(|(x, y)| [x[0], y]).collect();
                plot_ui.line(
                    Line::new(tr!("network-fit-legend"), PlotPoints::from(curve))
                        .color(color)
                        .width(2.5 * line_scale(state)),
                );
            }
        }
    });
    views.data_rect = Some(response.response.rect);
}

/// A plot filling what is left of `ui` that the mouse does not move: what it shows is fixed
/// by the data (and the slice's plane), and a class keeps its bearings.
fn still_plot<'a>(ui: &Ui, id: &str) -> Plot<'a> {
    Plot::new(id)
        .height(ui.available_height().max(80.0))
        .width(ui.available_width().max(80.0))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
}

/// The caption of the data view: which run and step it shows and how well it does there
/// (the accuracy on a line of its own).
fn caption(
    state: &AppState,
    run: Option<&NetRun>,
    step: Option<u64>,
    mlp: &Mlp,
    data: &Data,
) -> String {
    let index = state.selected + 1;
    let Some(run) = run else {
        return String::new();
    };
    if let Some(e) = &run.error {
        return tr!("network-run-error", run = index, error = e.as_str());
    }
    let Some(step) = step else {
        return tr!("network-run-training", run = index);
    };
    let row = run.rows.get(step as usize);
    let mut text = tr!("network-run-step", run = index, step = step);
    if let Some(r) = row {
        text.push_str(&tr!(
            "network-caption-loss",
            loss = short(r.loss),
            held_out = short(r.test_loss)
        ));
    }
    if data.task == Task::Classification
        && let Some((_, params)) = run.snapshot_at(step)
    {
        let accuracy = |x: &[Vec<f64>], y: &[f64]| {
            let right = mlp
                .outputs(params, x)
                .iter()
                .zip(y)
                .filter(|(z, y)| (**z > 0.0) == (**y > 0.5))
                .count();
            100.0 * right as f64 / x.len().max(1) as f64
        };
        text.push('\n');
        text.push_str(&tr!(
            "network-caption-accuracy",
            accuracy = format!("{:.0}", accuracy(&data.x, &data.y)),
            held_out = format!("{:.0}", accuracy(&data.x_test, &data.y_test))
        ));
    }
    text
}

fn short(v: f64) -> String {
    crate::core::spec::fmt_num(crate::core::math::round_sig(v, 3))
}

/// The rectangle the data view shows: every point with a margin.
fn data_view(data: &Data) -> View {
    let all = data.x.iter().chain(&data.x_test);
    let (mut x0, mut x1, mut y0, mut y1) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    if data.task == Task::Classification {
        for p in all {
            (x0, x1, y0, y1) = (x0.min(p[0]), x1.max(p[0]), y0.min(p[1]), y1.max(p[1]));
        }
    } else {
        for (p, y) in all.zip(data.y.iter().chain(&data.y_test)) {
            (x0, x1, y0, y1) = (x0.min(p[0]), x1.max(p[0]), y0.min(*y), y1.max(*y));
        }
    }
    let (mx, my) = (0.1 * (x1 - x0).max(1e-3), 0.1 * (y1 - y0).max(1e-3));
    View {
        x_min: x0 - mx,
        x_max: x1 + mx,
        y_min: y0 - my,
        y_max: y1 + my,
    }
}

/// The selected run's predicted class over the data view: shaded by the network's
/// confidence, with the boundary (logit 0) as a contour.
fn boundary_image(
    ctx: &egui::Context,
    key: (u64, u64, usize),
    mlp: &Mlp,
    params: &[f64],
    view: View,
    old: &Option<Image>,
) -> Image {
    let n = BOUNDARY_CELLS;
    let at = |lo: f64, hi: f64, i: usize| lo + (hi - lo) * (i as f64 + 0.5) / n as f64;
    let xs: Vec<Vec<f64>> = (0..n * n)
        .map(|k| {
            vec![
                at(view.x_min, view.x_max, k % n),
                at(view.y_min, view.y_max, k / n),
            ]
        })
        .collect();
    let logits = mlp.outputs(params, &xs);
    let mut pixels = Vec::with_capacity(n * n);
    // Image rows go top to bottom, grid rows bottom to top.
    for row in (0..n).rev() {
        for col in 0..n {
            let z = logits[row * n + col];
            let p = 1.0 / (1.0 + (-z).exp());
            let [r, g, b] = CLASS_RGB[usize::from(p >= 0.5)];
            let alpha = (90.0 * (2.0 * (p - 0.5)).abs().powf(0.7)) as u8;
            pixels.push(Color32::from_rgba_unmultiplied(r, g, b, alpha));
        }
    }
    let image = ColorImage::new([n, n], pixels);
    let values = ndarray::Array2::from_shape_vec((n, n), logits).unwrap_or_default();
    let cell = View {
        x_min: at(view.x_min, view.x_max, 0),
        x_max: at(view.x_min, view.x_max, n - 1),
        y_min: at(view.y_min, view.y_max, 0),
        y_max: at(view.y_min, view.y_max, n - 1),
    };
    let contours = contours(&values, cell, &[0.0]);
    Image {
        key,
        texture: texture(ctx, "network-boundary", image, old),
        view,
        contours,
        scale: None,
    }
}

/// The image's texture, reusing the old one's.
fn texture(
    ctx: &egui::Context,
    name: &str,
    image: ColorImage,
    old: &Option<Image>,
) -> TextureHandle {
    match old {
        Some(old) => {
            let mut t = old.texture.clone();
            t.set(image, TextureOptions::LINEAR);
            t
        }
        None => ctx.load_texture(name, image, TextureOptions::LINEAR),
    }
}

/// Contour lines of `values` (rows from `view.y_min`) at `levels`, as plot polylines.
fn contours(
    values: &ndarray::Array2<f64>,
    view: View,
    levels: &[f64],
) -> Vec<(f64, Vec<Vec<PlotPoint>>)> {
    crate::core::grid::contour_lines(values, view, levels)
        .into_iter()
        .map(|c| {
            let pieces = c
                .lines
                .iter()
                .map(|l| l.iter().map(|p| PlotPoint::new(p[0], p[1])).collect())
                .collect();
            (c.level, pieces)
        })
        .collect()
}

/// The image and its contour lines; the lines are named `name` in the legend (once), or left
/// out of it when `name` is empty.
fn draw_image<'a>(
    plot_ui: &mut egui_plot::PlotUi<'a>,
    image: &'a Image,
    line: Color32,
    width: f32,
    name: &str,
) {
    let v = image.view;
    let center = PlotPoint::new(0.5 * (v.x_min + v.x_max), 0.5 * (v.y_min + v.y_max));
    let size = Vec2::new((v.x_max - v.x_min) as f32, (v.y_max - v.y_min) as f32);
    plot_ui.image(PlotImage::new("", image.texture.id(), center, size).allow_hover(false));
    for (_, pieces) in &image.contours {
        for piece in pieces {
            // Lines of one name are one legend entry.
            plot_ui.line(
                Line::new(name, PlotPoints::Borrowed(piece))
                    .color(line)
                    .width(width)
                    .allow_hover(false),
            );
        }
    }
}
