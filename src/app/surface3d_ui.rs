//! The surface in 3D (the *3D* toggle): the shaded mesh of `picture::scene3d` with every run's
//! path on it up to the cursor, its current point as a ball, the start and the critical
//! points, and the legend of the 2D view. Drag orbits, the wheel zooms, a double click (or
//! Reset view) goes back to the default camera. Painted with egui's painter as one mesh in
//! back-to-front order, so it needs no depth buffer and runs the same on software OpenGL and
//! in the browser.

use egui::{Color32, Mesh, Pos2, Rect, Sense, Stroke, Ui, Vec2};

use super::cache::Cache;
use super::state::{Animation, AppState};
use super::theme::{DIVERGED_COLOR, line_scale, paint_glyph, paint_legend, rgb};
use crate::core::math::View;
use crate::core::optimizer::geometry::{GlyphKind, Shape};
use crate::core::run::simulation::StepDetail;
use crate::picture::frame;
use crate::picture::overlay::{self, Glyph, PxRect};
use crate::picture::scene3d::{self, BallPlace, Camera, HeightMap, Item, PathSource};

/// Nodes per side of the window's mesh.
pub const MESH_NODES: usize = 128;

/// What the 3D view keeps between frames.
#[derive(Default)]
pub struct Surface3dState {
    /// The sampled surface and what it was sampled for.
    height: Option<(String, View, HeightMap)>,
    /// Where the last frame drew each run's ball and what it marked (tests compare it with the
    /// camera's projection of the run's point and with the run's status).
    pub balls: Vec<(usize, Pos2, BallPlace)>,
    /// The view's rectangle in the last frame.
    pub rect: Option<Rect>,
    /// The update's glyphs as last drawn: kind and screen points (an arrow's last point is its
    /// tip), for tests.
    pub glyphs: Vec<(GlyphKind, Vec<Pos2>)>,
}

/// Draws the 3D view into the whole of `ui`'s remaining space.
pub fn surface3d_ui(
    ui: &mut Ui,
    state: &mut AppState,
    cache: &Cache,
    anim: &Animation,
    reset_view: &mut bool,
    st: &mut Surface3dState,
    update: Option<(&StepDetail, usize)>,
) {
    let Some(surface) = &cache.surface else {
        return;
    };
    let view = state.scene.view.unwrap_or_else(|| surface.default_view());
    let key = state.scene.surface.to_string();
    if st
        .height
        .as_ref()
        .is_none_or(|(k, v, _)| *k != key || *v != view)
    {
        st.height = Some((key, view, HeightMap::new(surface, view, MESH_NODES)));
    }
    let Some((_, _, height)) = &st.height else {
        return;
    };

    let size = ui.available_size().max(Vec2::splat(100.0));
    let (rect, response) = ui.allocate_exact_size(size, Sense::click_and_drag());
    st.rect = Some(rect);
    let mut camera = state.camera;
    if response.dragged() {
        let d = response.drag_delta();
        camera.yaw -= d.x as f64 * 0.4;
        camera.pitch += d.y as f64 * 0.3;
    }
    if response.hovered() {
        let wheel = ui.input(|i| i.smooth_scroll_delta.y);
        if wheel != 0.0 {
            camera.zoom *= (wheel as f64 * 0.004).exp();
        }
    }
    if response.double_clicked() || *reset_view {
        camera = Camera::default();
        *reset_view = false;
    }
    state.camera = camera.clamped();
    let camera = state.camera;

    let step = anim.step() as usize;
    let visible: Vec<usize> = (0..state.scene.runs.len().min(cache.runs.len()))
        .filter(|&i| state.scene.runs[i].visible)
        .collect();
    let paths: Vec<PathSource<'_>> = visible
        .iter()
        .map(|&i| {
            let t = &cache.runs[i].trajectory;
            let n = (step + 1).min(t.len());
            PathSource {
                points: &t.points[..n],
                values: &t.losses[..n],
                diverged: cache.runs[i].status.diverged_by(step as u64),
            }
        })
        .collect();
    let picture = scene3d::describe(height, &camera, &paths, state.scene.show_contours);

    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, ui.visuals().extreme_bg_color);
    let center = rect.center();
    let scale = 0.46 * rect.width().min(rect.height());
    let to_px = |p: [f32; 2]| Pos2::new(center.x + p[0] * scale, center.y - p[1] * scale);
    let colors: Vec<Color32> = visible
        .iter()
        .map(|&i| rgb(state.scene.runs[i].rgb()))
        .collect();
    let width = |i: usize| {
        let selected = visible.get(i) == Some(&state.selected);
        if selected { 2.5 } else { 1.8 }
    } * line_scale(state);
    // The 2D view's contour colour: white, faint, over any part of the colormap.
    let contour_color = Color32::from_white_alpha(80);
    let mut mesh = Mesh::default();
    for item in &picture.items {
        match item {
            Item::Triangle { points, rgb: c } => {
                let k = mesh.vertices.len() as u32;
                for &p in points {
                    mesh.colored_vertex(to_px(p), rgb(*c));
                }
                mesh.add_triangle(k, k + 1, k + 2);
            }
            Item::Segment { points, run } => {
                // A segment as a thin quad, so it takes its place among the triangles.
                quad(
                    &mut mesh,
                    to_px(points[0]),
                    to_px(points[1]),
                    width(*run),
                    colors[*run],
                );
            }
            Item::Contour { points } => {
                quad(
                    &mut mesh,
                    to_px(points[0]),
                    to_px(points[1]),
                    1.0,
                    contour_color,
                );
            }
        }
    }
    painter.add(egui::Shape::mesh(mesh));

    // On top: critical points, the start, the balls.
    let on_mesh = |p: crate::core::math::Point| {
        let mut b = height.to_box(p)?;
        b[2] += scene3d::PATH_LIFT;
        Some(to_px(f32s(camera.project(b).0)))
    };
    let markers: Vec<_> = cache
        .critical_points
        .iter()
        .filter(|c| view.contains(c.point))
        .map(|c| (c.point, c.kind))
        .collect();
    for &(p, kind) in &markers {
        if let Some(at) = on_mesh(p) {
            let glyph = Glyph::Marker(frame::marker(kind).1);
            paint_glyph(&painter, glyph, [at.x, at.y], 7.0, rgb(frame::MARKER_RGB));
        }
    }
    if let Some(at) = on_mesh(state.run_start(state.selected)) {
        paint_glyph(&painter, Glyph::Start, [at.x, at.y], 8.0, Color32::WHITE);
    }
    // The update at the cursor, draped on the mesh just above the paths.
    let mark = update
        .filter(|(d, _)| d.step == step as u64 && visible.contains(&state.selected))
        .and_then(|(d, shown)| frame::update_mark(d, shown, view));
    let drape = |p: crate::core::math::Point| {
        let mut b = height.to_box(p)?;
        b[2] += 2.0 * scene3d::PATH_LIFT;
        Some(to_px(f32s(camera.project(b).0)))
    };
    st.glyphs.clear();
    if let Some(mark) = &mark {
        for g in &mark.glyphs {
            let drawn = paint_glyph_3d(&painter, g, &drape, 2.5 * line_scale(state));
            st.glyphs.push((g.kind, drawn));
        }
    }
    st.balls.clear();
    for ball in &picture.balls {
        let at = to_px(ball.at);
        let run = visible[ball.run];
        painter.circle(
            at,
            6.0 * line_scale(state),
            colors[ball.run],
            Stroke::new(1.5, Color32::BLACK),
        );
        // Where a diverged run left the surface: a red ring; out of the view, on its edge: a
        // ring in the run's own colour.
        let ring = match ball.place {
            BallPlace::OnSurface => None,
            BallPlace::Diverged => Some(DIVERGED_COLOR),
            BallPlace::OutOfView => Some(colors[ball.run]),
        };
        if let Some(ring) = ring {
            painter.circle_stroke(at, 10.0 * line_scale(state), Stroke::new(2.0, ring));
        }
        st.balls.push((run, at, ball.place));
    }

    // The legend of the 2D view, in the corner the picture leaves freest.
    let legend_picture = frame::SurfacePicture {
        runs: visible
            .iter()
            .map(|&i| frame::RunMark {
                label: state.scene.runs[i].settings.label(),
                rgb: state.scene.runs[i].rgb(),
                selected: i == state.selected,
                path: Vec::new(),
                current: [0.0, 0.0],
                start: [0.0, 0.0],
                status: None,
                region: None,
                update: mark.clone().filter(|_| i == state.selected),
            })
            .collect(),
        markers,
    };
    let font = egui::FontId::proportional(13.0);
    let measure = |s: &str| {
        painter
            .layout_no_wrap(s.to_owned(), font.clone(), Color32::WHITE)
            .size()
            .x
    };
    let metrics = overlay::Metrics {
        line_height: 17.0,
        pad: 6.0,
        glyph: 18.0,
        measure: &measure,
    };
    let plot = PxRect::new([rect.min.x, rect.min.y], [rect.max.x, rect.max.y]);
    let avoid: Vec<[f32; 2]> = picture
        .balls
        .iter()
        .map(|b| {
            let p = to_px(b.at);
            [p.x, p.y]
        })
        .collect();
    let entries = overlay::legend_entries(&legend_picture, Some([255, 255, 255]));
    if let Some(legend) = overlay::layout_legend(&entries, plot, &metrics, &avoid, &[]) {
        paint_legend(&painter, &legend, &font);
    }
}

/// A glyph of the update draped on the mesh (see [`frame::GlyphPixels`]). Returns the screen
/// points drawn, an arrow's tip last.
fn paint_glyph_3d(
    painter: &egui::Painter,
    g: &frame::GlyphMark,
    drape: &dyn Fn(crate::core::math::Point) -> Option<Pos2>,
    width: f32,
) -> Vec<Pos2> {
    let color = rgb(g.kind.rgb());
    let px = frame::GlyphPixels::of(g, &|p| drape(p).map(|q| [q.x, q.y]), 14.0);
    let pos = |q: &[f32; 2]| Pos2::new(q[0], q[1]);
    let stroke = Stroke::new(width, color);
    for line in &px.lines {
        let points: Vec<Pos2> = line.iter().map(pos).collect();
        if px.dashed {
            painter.extend(egui::Shape::dashed_line(&points, stroke, 10.0, 10.0));
        } else {
            painter.add(egui::Shape::line(points, stroke));
        }
    }
    for fill in &px.fills {
        painter.add(egui::Shape::convex_polygon(
            fill.iter().map(pos).collect(),
            color,
            Stroke::new(1.0, Color32::BLACK),
        ));
    }
    let mut drawn: Vec<Pos2> = px.lines.iter().flatten().map(pos).collect();
    if let (Shape::Arrow { .. }, Some(head)) = (&g.shape, px.fills.first()) {
        drawn.push(pos(&head[0]));
    }
    if let Shape::Dot(_) = g.shape {
        drawn.extend(px.fills.iter().flatten().map(pos));
    }
    drawn
}

/// A line from `a` to `b` as a quad of `width` px in `mesh`.
fn quad(mesh: &mut Mesh, a: Pos2, b: Pos2, width: f32, color: Color32) {
    let along = (b - a).normalized();
    let across = Vec2::new(-along.y, along.x) * (width / 2.0);
    let k = mesh.vertices.len() as u32;
    for p in [a + across, b + across, b - across, a - across] {
        mesh.colored_vertex(p, color);
    }
    mesh.add_triangle(k, k + 1, k + 2);
    mesh.add_triangle(k, k + 2, k + 3);
}

fn f32s(p: [f64; 2]) -> [f32; 2] {
    [p[0] as f32, p[1] as f32]
}
