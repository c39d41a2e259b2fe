//! Pictures of a scene without a window: a PNG of one step and an animated GIF of the runs,
//! drawn in software (plotters on an RGB buffer) so they work on a server, in CI and for
//! handouts. The same heatmap colors, contour levels, run colors and status texts as the window.
//!
//! The static part (heatmap, contours, axes, critical points) is drawn once; every frame copies
//! it and draws the paths up to its step, so a 200-frame GIF costs little more than its encoding.

use std::io::Write;
use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;
use thiserror::Error;

use crate::core::grid;
use crate::core::math::{Point, View};
use crate::core::optimizer::geometry::Shape as GlyphShape;
use crate::core::simulation::{Run, Status, StepDetail, Trajectory};
use crate::core::surface::{AnySurface, Capabilities};
use crate::picture::colormap::{heat_rgb, label_rgb_on};
use crate::picture::frame::{self, Shape};
use crate::picture::overlay::{self, Glyph, PxRect};
use crate::picture::scene3d;
use crate::picture::text::{self, Glyphs};
use crate::scene::preset::Preset;

/// The font family pictures are drawn with: egui's default font, embedded in the binary, so a
/// picture looks the same on every machine and needs no system fonts.
const FONT: &str = "optiscope-ui";
/// Smallest and largest picture side, in pixels.
pub const SIZE_RANGE: std::ops::RangeInclusive<u32> = 64..=4096;
/// GIF frame rates: GIF delays are whole hundredths of a second, and viewers slow down
/// anything faster than 50 frames per second.
pub const FPS_RANGE: std::ops::RangeInclusive<u32> = 1..=50;

/// Why a picture could not be made; the message says what to change.
#[derive(Debug, Error)]
pub enum RenderError {
    #[error("{0}")]
    Scene(String),
    #[error("drawing failed: {0}")]
    Draw(String),
    #[error("encoding failed: {0}")]
    Encode(String),
}

/// A region of a picture being drawn.
type Area<'a> = DrawingArea<Glyphs<BitMapBackend<'a>>, Shift>;
/// A chart with f64 axes on such a region.
type Chart<'a, 'b> = ChartContext<
    'b,
    Glyphs<BitMapBackend<'a>>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

fn draw_err(e: impl std::fmt::Display) -> RenderError {
    RenderError::Draw(e.to_string())
}

/// Sizes that follow the picture's height, so a 4K frame is as readable as a thumbnail.
#[derive(Clone, Copy, Debug)]
struct Style {
    title: f64,
    font: f64,
    small: f64,
    title_band: u32,
    margin: u32,
    x_labels: u32,
    y_labels: u32,
    line: u32,
    dot: i32,
    /// The band right of the plot that holds the colorbar and its tick labels.
    colorbar: u32,
}

impl Style {
    fn for_size(width: u32, height: u32) -> Self {
        let s = (height.min(width * 3 / 4) as f64 / 600.0).clamp(0.35, 4.0);
        Self {
            title: 22.0 * s,
            font: 15.0 * s,
            small: 13.0 * s,
            title_band: (40.0 * s).round() as u32,
            margin: (10.0 * s).round() as u32,
            x_labels: (44.0 * s).round() as u32,
            y_labels: (58.0 * s).round() as u32,
            line: (2.0 * s).round().max(1.0) as u32,
            dot: (5.0 * s).round().max(2.0) as i32,
            colorbar: (74.0 * s).round() as u32,
        }
    }
}

const fn color([r, g, b]: [u8; 3]) -> RGBColor {
    RGBColor(r, g, b)
}

const BACKGROUND: RGBColor = color(frame::BACKGROUND_RGB);
const FOREGROUND: RGBColor = color(frame::FOREGROUND_RGB);

/// One run as drawn: its label, color and whole precomputed trajectory.
#[derive(Clone, Debug)]
struct RunPicture {
    label: String,
    color: RGBColor,
    trajectory: Trajectory,
    status: Status,
    steps: u64,
    base_lr: f64,
    /// The rate of every step (the schedule, or what a loss-driven one used).
    lr_preview: Vec<f64>,
    /// The path thinned to a point per pixel, and the step of each kept point.
    thin: Vec<Point>,
    thin_steps: Vec<usize>,
    region: Option<crate::core::theory::Region>,
}

/// A scene ready to be drawn at any step: the runs are simulated and the static layer is drawn
/// once, in [`Renderer::new`].
pub struct Renderer {
    width: u32,
    height: u32,
    style: Style,
    view: View,
    base: Vec<u8>,
    plot: (Range<i32>, Range<i32>),
    axis_names: (&'static str, &'static str),
    runs: Vec<RunPicture>,
    last_step: u64,
    /// The scene's start point, drawn as the window draws its start handle.
    start: Option<Point>,
    /// Known stationary points inside the view, for the legend (drawn in the static layer).
    markers: Vec<(Point, crate::core::surface::CriticalKind)>,
    /// Where each labelled contour's label would go (its level and point), in level order;
    /// which are drawn is decided per frame, clear of the legend, as in the window.
    contour_labels: Vec<(f64, Point, [u8; 3])>,
    /// The 3D view instead of the heatmap, when asked for ([`Renderer::in_3d`]).
    view3d: Option<View3d>,
    /// The first run and its surface, replayed at each frame's step to draw its update (when
    /// the scene shows the update).
    update: Option<(Run, AnySurface)>,
}

/// The overlay of one frame, laid out: legend, status labels, step counter (its text and box)
/// and the contour labels (drawn under the paths, as in the window).
struct Overlay {
    legend: Option<overlay::LegendBox>,
    labels: Vec<overlay::PlacedLabel>,
    counter: (String, PxRect),
    contours: Vec<TextRun>,
}

/// What the 3D picture needs beyond the runs: the sampled surface, the camera, the values at
/// the critical points and the start.
struct View3d {
    height: scene3d::HeightMap,
    camera: scene3d::Camera,
    markers: Vec<(Point, crate::core::surface::CriticalKind)>,
    start: Option<Point>,
    /// The scene's contour lines, drawn on the mesh.
    contours: bool,
    /// The title band and the empty plot area, drawn once.
    base: Vec<u8>,
}

/// A polyline cut into dashes of `length` px with gaps as long: Newton's model curve.
fn dashes(points: &[(i32, i32)], length: i32) -> Vec<Vec<(i32, i32)>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    let (mut run, mut on) = (0.0, true);
    for w in points.windows(2) {
        let (a, b) = (w[0], w[1]);
        if on && current.is_empty() {
            current.push(a);
        }
        run += f64::from(b.0 - a.0).hypot(f64::from(b.1 - a.1));
        if on {
            current.push(b);
        }
        if run >= f64::from(length) {
            run = 0.0;
            if on {
                out.push(std::mem::take(&mut current));
            }
            on = !on;
        }
    }
    if current.len() > 1 {
        out.push(current);
    }
    out
}

/// Mesh resolution of pictures in 3D: fine enough for smooth shading at 1600 px, small enough
/// that a GIF frame is drawn in a few tens of milliseconds.
const MESH_3D: usize = 96;

impl Renderer {
    /// Simulates the visible runs of `preset` and draws its surface at `width`×`height` pixels.
    pub fn new(preset: &Preset, width: u32, height: u32) -> Result<Self, RenderError> {
        if preset.network.is_some() {
            return Err(RenderError::Scene(
                "a network scene: render draws surfaces and their paths; the window shows a \
                 network's data and landscape"
                    .into(),
            ));
        }
        if !SIZE_RANGE.contains(&width) || !SIZE_RANGE.contains(&height) {
            return Err(RenderError::Scene(format!(
                "a picture of {width}×{height} pixels: each side must be {} to {}",
                SIZE_RANGE.start(),
                SIZE_RANGE.end()
            )));
        }
        let surface = AnySurface::from_spec(&preset.surface)
            .map_err(|e| RenderError::Scene(format!("surface: {e}")))?;
        let colors = preset.run_colors();
        let mut runs = Vec::new();
        let mut update = None;
        for (i, run) in preset.runs.iter().enumerate() {
            if !run.visible {
                continue;
            }
            let (Some(spec), Some(surface_spec)) = (preset.run_settings(i), preset.run_surface(i))
            else {
                continue;
            };
            let err = |e: String| RenderError::Scene(format!("runs[{i}]: {e}"));
            let sim = Run::new(&spec).map_err(|e| err(e.to_string()))?;
            let run_surface =
                AnySurface::from_spec(&surface_spec).map_err(|e| err(e.to_string()))?;
            let (mut trajectory, status) = sim.simulate(&run_surface);
            if preset.update.shown() && update.is_none() {
                update = Some((sim.clone(), run_surface.clone()));
            }
            let region = crate::core::theory::Region::of(
                &sim.optimizer,
                spec.noise,
                crate::core::theory::EigenFrame::of_path(&run_surface, &trajectory.points),
            );
            let [r, g, b] = colors.get(i).copied().unwrap_or([255, 255, 255]);
            runs.push(RunPicture {
                label: run.settings.label(),
                color: RGBColor(r, g, b),
                lr_preview: sim.lr_preview(std::mem::take(&mut trajectory.lrs)),
                trajectory,
                status,
                steps: spec.steps,
                base_lr: spec.lr,
                thin: Vec::new(),
                thin_steps: Vec::new(),
                region,
            });
        }
        let last_step = runs
            .iter()
            .map(|r| r.trajectory.len().saturating_sub(1) as u64)
            .max()
            .unwrap_or(0);
        let style = Style::for_size(width, height);
        let [x_name, y_name] = Capabilities::of(&preset.surface).axes;
        let axis_names = (x_name, y_name);
        let mut renderer = Self {
            width,
            height,
            style,
            view: preset.view.unwrap_or_else(|| surface.default_view()),
            base: vec![0; width as usize * height as usize * 3],
            plot: (0..0, 0..0),
            axis_names,
            runs,
            last_step,
            start: Some(preset.run_start(0)),
            markers: Vec::new(),
            contour_labels: Vec::new(),
            view3d: None,
            update,
        };
        renderer.draw_base(preset, &surface)?;
        // Paths are thinned once the plot's pixel size is known, as the window thins them.
        let px_per_unit = renderer.px_per_unit();
        let view = renderer.view;
        for run in &mut renderer.runs {
            (run.thin, run.thin_steps) =
                frame::thin_path(&run.trajectory.points, view, px_per_unit);
        }
        Ok(renderer)
    }

    /// The last step any run reached: the end of an animation.
    pub fn last_step(&self) -> u64 {
        self.last_step
    }

    /// The view rectangle drawn, widened so one unit is as long on both axes (like the window).
    pub fn view(&self) -> View {
        self.view
    }

    /// The pixel of point `p` in the picture (it may lie outside the plot).
    pub fn pixel_of(&self, p: Point) -> (f64, f64) {
        let (xr, yr) = &self.plot;
        let v = self.view;
        let px =
            xr.start as f64 + (p[0] - v.x_min) / (v.x_max - v.x_min) * (xr.end - xr.start) as f64;
        let py =
            yr.start as f64 + (v.y_max - p[1]) / (v.y_max - v.y_min) * (yr.end - yr.start) as f64;
        (px, py)
    }

    /// The title band and the chart's area of a picture held in `buf`; the layout is the same
    /// every time, so charts built on it share one pixel mapping.
    fn layout<'a>(&self, buf: &'a mut [u8]) -> (Area<'a>, Area<'a>) {
        let root =
            Glyphs(BitMapBackend::with_buffer(buf, (self.width, self.height))).into_drawing_area();
        root.split_vertically(self.style.title_band)
    }

    fn draw_base(&mut self, preset: &Preset, surface: &AnySurface) -> Result<(), RenderError> {
        let style = self.style;
        let mut buf = std::mem::take(&mut self.base);
        // The plot's pixel rectangle depends on the layout only; the view is then widened to its
        // aspect ratio before anything is drawn.
        let plot = {
            let (_, rest) = self.layout(&mut buf);
            self.chart_on(&rest)?.plotting_area().get_pixel_range()
        };
        let (pw, ph) = (
            (plot.0.end - plot.0.start).max(1) as usize,
            (plot.1.end - plot.1.start).max(1) as usize,
        );
        self.view = equal_aspect(self.view, pw as f64 / ph as f64);
        self.plot = plot.clone();
        let view = self.view;
        {
            let (title, rest) = self.layout(&mut buf);
            title.fill(&BACKGROUND).map_err(draw_err)?;
            rest.fill(&BACKGROUND).map_err(draw_err)?;
            self.chart_on(&rest)?
                .configure_mesh()
                .disable_mesh()
                .x_labels(8)
                .y_labels(6)
                .x_desc(self.axis_names.0)
                .y_desc(self.axis_names.1)
                .label_style(text_style(style.small, FOREGROUND))
                .axis_desc_style(text_style(style.font, FOREGROUND))
                .axis_style(FOREGROUND)
                .draw()
                .map_err(draw_err)?;
            rest.present().map_err(draw_err)?;
        }
        paint_text(
            &mut buf,
            self.width as usize,
            &[self.title_text(&preset.title)],
        );
        // The heatmap, one grid sample per plot pixel, straight into the buffer.
        let values = grid::evaluate(surface, view, pw, ph);
        let (min, max, log_scale) = grid::color_scale(&values, surface);
        let row_bytes = self.width as usize * 3;
        for (r, row) in values.rows().into_iter().rev().enumerate() {
            let py = plot.1.start as usize + r;
            let offset = py * row_bytes + plot.0.start as usize * 3;
            let Some(target) = buf.get_mut(offset..offset + pw * 3) else {
                continue;
            };
            for (ix, (px, &v)) in target.chunks_exact_mut(3).zip(row.iter()).enumerate() {
                px.copy_from_slice(&heat_rgb(v, min, max, log_scale, ix, r));
            }
        }
        // Contours and critical points over it.
        let mut labels = Vec::new();
        {
            let (_, rest) = self.layout(&mut buf);
            let chart = self.chart_on(&rest)?;
            if preset.show_contours {
                let px_per_unit = self.px_per_unit();
                let levels = grid::contour_levels(min, max, 14, log_scale);
                let contour = RGBAColor(255, 255, 255, 0.3);
                for level in grid::contour_lines(&values, view, &levels) {
                    if let Some(at) = contour_label_spot(&level.lines, px_per_unit) {
                        // The label sits on its line: on the heatmap's colour of its level.
                        let under = crate::picture::colormap::colormap_rgb(
                            crate::picture::colormap::color_position(
                                level.level,
                                min,
                                max,
                                log_scale,
                            ),
                        );
                        labels.push((level.level, at, label_rgb_on(under)));
                    }
                    for piece in level.lines {
                        chart
                            .plotting_area()
                            .draw(&PathElement::new(
                                piece.into_iter().map(|p| (p[0], p[1])).collect::<Vec<_>>(),
                                contour.stroke_width(style.line.div_ceil(2)),
                            ))
                            .map_err(draw_err)?;
                    }
                }
            }
            let m = style.dot + 2;
            let stroke = color(frame::MARKER_RGB).stroke_width(style.line);
            let area = chart.plotting_area();
            let markers = frame::describe(&[], &surface.critical_points(), view, 0).markers;
            self.markers.clone_from(&markers);
            for (point, kind) in markers {
                // Pixel offsets around the point, for the shape the window draws too.
                let strokes: Vec<[(i32, i32); 2]> = match frame::marker(kind).1 {
                    Shape::Asterisk => vec![
                        [(-m, 0), (m, 0)],
                        [(0, -m), (0, m)],
                        [(-m, -m), (m, m)],
                        [(-m, m), (m, -m)],
                    ],
                    Shape::Cross => vec![[(-m, -m), (m, m)], [(-m, m), (m, -m)]],
                    Shape::Diamond => vec![
                        [(-m, 0), (0, -m)],
                        [(0, -m), (m, 0)],
                        [(m, 0), (0, m)],
                        [(0, m), (-m, 0)],
                    ],
                };
                for [a, b] in strokes {
                    area.draw(
                        &(EmptyElement::at((point[0], point[1]))
                            + PathElement::new(vec![a, b], stroke)),
                    )
                    .map_err(draw_err)?;
                }
            }
            rest.present().map_err(draw_err)?;
        }
        self.contour_labels = labels;
        self.draw_colorbar(&mut buf, min, max, log_scale);
        self.base = buf;
        Ok(())
    }

    /// The heatmap's colorbar in the band right of the plot, as the window draws it beside
    /// its heatmap: the title on top, the colours from `min` (bottom) to `max`, the ticks of
    /// [`crate::picture::colormap::colorbar_ticks`].
    fn draw_colorbar(&self, buf: &mut [u8], min: f64, max: f64, log_scale: bool) {
        let style = self.style;
        let (xr, yr) = &self.plot;
        let s = style.small / 13.0;
        let left = xr.end + style.margin as i32 + (6.0 * s).round() as i32;
        let right = left + (14.0 * s).round().max(4.0) as i32;
        let top = yr.start + (style.small * 1.6).round() as i32;
        let bottom = yr.end;
        if right as u32 >= self.width || bottom <= top + 4 {
            return;
        }
        let width = self.width as usize;
        let mut put = |x: i32, y: i32, rgb: [u8; 3]| {
            let i = (y as usize * width + x as usize) * 3;
            if let Some(px) = buf.get_mut(i..i + 3) {
                px.copy_from_slice(&rgb);
            }
        };
        let outline = frame::FOREGROUND_RGB.map(|c| (c as u16 * 3 / 5) as u8);
        for y in top..bottom {
            let t = (bottom - 1 - y) as f64 / (bottom - 1 - top).max(1) as f64;
            let rgb = crate::picture::colormap::colormap_rgb(t);
            for x in left..right {
                put(x, y, rgb);
            }
            put(left - 1, y, outline);
            put(right, y, outline);
        }
        for x in left - 1..=right {
            put(x, top - 1, outline);
            put(x, bottom, outline);
        }
        let ticks = crate::picture::colormap::colorbar_ticks(min, max, log_scale);
        let tick = (4.0 * s).round().max(2.0) as i32;
        let mut texts = vec![TextRun {
            text: if log_scale { "f (log)" } else { "f" }.to_owned(),
            at: [(left - 2) as f32, yr.start as f32],
            size: style.small,
            rgb: frame::FOREGROUND_RGB,
        }];
        for (at, label) in ticks {
            let y = bottom - 1 - (at * (bottom - 1 - top) as f64).round() as i32;
            for x in right + 1..=right + tick {
                put(x, y, frame::FOREGROUND_RGB);
            }
            texts.push(TextRun {
                text: label,
                at: [
                    // A clear gap after the tick: "—415" would read as a minus sign.
                    (right + tick) as f32 + (5.0 * s) as f32,
                    y as f32 - (style.small * 0.6) as f32,
                ],
                size: style.small,
                rgb: frame::FOREGROUND_RGB,
            });
        }
        paint_text(buf, width, &texts);
    }

    /// The scene's title in the title band.
    fn title_text(&self, title: &str) -> TextRun {
        let style = self.style;
        TextRun {
            text: title.to_owned(),
            at: [
                style.margin as f32,
                ((style.title_band as f64 - style.title) / 2.0).max(0.0) as f32,
            ],
            size: style.title,
            rgb: frame::FOREGROUND_RGB,
        }
    }

    /// The first run's update at `step`, when the scene shows it.
    fn update_at(&self, step: u64) -> Option<StepDetail> {
        let (run, surface) = self.update.as_ref()?;
        let last = self.runs.first()?.trajectory.len().checked_sub(1)? as u64;
        run.step_detail(surface, step.min(last))
    }

    /// Every run as the picture description takes it, the first with `update`.
    fn run_sources_with<'a>(&'a self, update: Option<&'a StepDetail>) -> Vec<frame::RunSource<'a>> {
        let mut sources = self.run_sources();
        if let Some(first) = sources.first_mut() {
            first.update = update.map(|d| (d, usize::MAX));
        }
        sources
    }

    /// The glyphs of an update, through `to_px` (picture pixels; `None` where a point is not
    /// drawn), as the window draws them.
    fn draw_update(
        &self,
        area: &Area<'_>,
        mark: &frame::UpdateMark,
        to_px: &dyn Fn(Point) -> Option<[f32; 2]>,
    ) -> Result<(), RenderError> {
        let shift = at_shift(area);
        let px = |q: &[f32; 2]| (q[0].round() as i32 - shift.0, q[1].round() as i32 - shift.1);
        let head = 3.0 * self.style.dot as f32 + 4.0;
        // Boxes and curves first, arrows over them.
        let mut glyphs: Vec<&frame::GlyphMark> = mark.glyphs.iter().collect();
        glyphs.sort_by_key(|g| matches!(g.shape, GlyphShape::Arrow { .. }));
        for g in glyphs {
            let c = color(g.kind.rgb());
            let pixels = frame::GlyphPixels::of(g, to_px, head);
            for line in &pixels.lines {
                let points: Vec<(i32, i32)> = line.iter().map(px).collect();
                let strokes: Vec<Vec<(i32, i32)>> = if pixels.dashed {
                    dashes(&points, 3 * self.style.dot + 4)
                } else {
                    vec![points]
                };
                for stroke in strokes {
                    area.draw(&PathElement::new(stroke, c.stroke_width(self.style.line)))
                        .map_err(draw_err)?;
                }
            }
            for fill in &pixels.fills {
                area.draw(&Polygon::new(
                    fill.iter().map(px).collect::<Vec<_>>(),
                    c.filled(),
                ))
                .map_err(draw_err)?;
            }
        }
        Ok(())
    }

    /// Every run as the picture description takes it.
    fn run_sources(&self) -> Vec<frame::RunSource<'_>> {
        self.runs
            .iter()
            .map(|run| frame::RunSource {
                label: run.label.clone(),
                rgb: [run.color.0, run.color.1, run.color.2],
                selected: false,
                points: &run.trajectory.points,
                lrs: &run.lr_preview,
                status: run.status,
                base_lr: run.base_lr,
                steps: run.steps,
                thin: &run.thin,
                thin_steps: &run.thin_steps,
                region: run.region,
                update: None,
            })
            .collect()
    }

    /// Pixels per unit of the view, along x and y.
    fn px_per_unit(&self) -> [f64; 2] {
        let v = self.view;
        [
            (self.plot.0.end - self.plot.0.start).max(1) as f64 / (v.x_max - v.x_min),
            (self.plot.1.end - self.plot.1.start).max(1) as f64 / (v.y_max - v.y_min),
        ]
    }

    /// A chart over the (already widened) view on `area`, without drawing anything.
    fn chart_on<'a, 'b>(&self, area: &'b Area<'a>) -> Result<Chart<'a, 'b>, RenderError> {
        let v = self.view;
        ChartBuilder::on(area)
            .margin(self.style.margin)
            .margin_right(self.style.margin + self.style.colorbar)
            .x_label_area_size(self.style.x_labels)
            .y_label_area_size(self.style.y_labels)
            .build_cartesian_2d(v.x_min..v.x_max, v.y_min..v.y_max)
            .map_err(draw_err)
    }

    /// The picture at animation step `step`: every visible run's path up to there (clipped to
    /// the plot), its current point, the start handle, the legend and status labels laid out as
    /// the window lays them out ([`overlay`]), and the step counter. RGB, row by row.
    pub fn frame(&self, step: u64) -> Result<Vec<u8>, RenderError> {
        if let Some(v3) = &self.view3d {
            return self.frame_3d(v3, step);
        }
        let mut buf = self.base.clone();
        let style = self.style;
        let v = self.view;
        let (picture, handle) = self.picture_at(step);
        // Laid out first, so the contour labels go on the heatmap under the paths.
        let laid_out = {
            let (_, rest) = self.layout(&mut buf);
            self.lay_out_overlay(&rest, &picture, handle, step)
        };
        paint_text(&mut buf, self.width as usize, &laid_out.contours);
        let texts;
        {
            let (_, rest) = self.layout(&mut buf);
            let shift = at_shift(&rest);
            let to_px = |p: Point| {
                let (x, y) = self.pixel_of(p);
                (x.round() as i32 - shift.0, y.round() as i32 - shift.1)
            };
            for mark in &picture.runs {
                let color = color(mark.rgb);
                for piece in frame::clip_polyline(&mark.path, v) {
                    let px: Vec<(i32, i32)> = piece.into_iter().map(to_px).collect();
                    for stroke in split_at_reversals(&px) {
                        rest.draw(&PathElement::new(stroke, color.stroke_width(style.line)))
                            .map_err(draw_err)?;
                    }
                }
                if v.contains(mark.current) {
                    let end = to_px(mark.current);
                    rest.draw(&Circle::new(end, style.dot + 1, BLACK.filled()))
                        .map_err(draw_err)?;
                    rest.draw(&Circle::new(end, style.dot, color.filled()))
                        .map_err(draw_err)?;
                }
            }
            // Predicted regions go over every path, as in the window.
            for mark in &picture.runs {
                for dash in mark.region.iter().flat_map(|r| r.dashes()) {
                    for piece in frame::clip_polyline(&dash, v) {
                        let px: Vec<(i32, i32)> = piece.into_iter().map(to_px).collect();
                        rest.draw(&PathElement::new(
                            px,
                            color(mark.rgb).stroke_width(style.line),
                        ))
                        .map_err(draw_err)?;
                    }
                }
            }
            let in_view = |p: Point| {
                v.contains(p).then(|| {
                    let (x, y) = self.pixel_of(p);
                    [x as f32, y as f32]
                })
            };
            for mark in picture.runs.iter().filter_map(|m| m.update.as_ref()) {
                self.draw_update(&rest, mark, &in_view)?;
            }
            if let Some(h) = handle {
                let c = [(h.min[0] + h.max[0]) / 2.0, (h.min[1] + h.max[1]) / 2.0];
                self.draw_glyph(&rest, Glyph::Start, c, h.width() / 2.0, WHITE)?;
            }
            texts = self.draw_overlay(&rest, &laid_out)?;
            rest.present().map_err(draw_err)?;
        }
        paint_text(&mut buf, self.width as usize, &texts);
        Ok(buf)
    }

    /// What frame `step` shows of the runs (with the first run's update when the scene shows
    /// it) and the start handle's box.
    fn picture_at(&self, step: u64) -> (frame::SurfacePicture, Option<PxRect>) {
        let v = self.view;
        let detail = self.update_at(step);
        let sources = self.run_sources_with(detail.as_ref());
        let mut picture = frame::describe(&sources, &[], v, step);
        picture.markers.clone_from(&self.markers);
        let handle = self.start.filter(|p| v.contains(*p)).map(|p| {
            let (x, y) = self.pixel_of(p);
            PxRect::around([x as f32, y as f32], self.style.dot as f32 + 3.0)
        });
        (picture, handle)
    }

    /// The contour labels frame `step` draws: text, top-left pixel and colour (none in 3D).
    /// The window's labels are checked from its shapes; this is the picture's side.
    pub fn contour_labels_at(&self, step: u64) -> Vec<(String, [f32; 2], [u8; 3])> {
        if self.view3d.is_some() {
            return Vec::new();
        }
        let (picture, handle) = self.picture_at(step);
        let mut scratch = vec![0; self.base.len()];
        let (_, rest) = self.layout(&mut scratch);
        self.lay_out_overlay(&rest, &picture, handle, step)
            .contours
            .into_iter()
            .map(|t| (t.text, t.at, t.rgb))
            .collect()
    }

    /// Draws the scene in 3D from `camera` instead of as a heatmap: the shaded surface of the
    /// scene's view, the paths on it, the balls, the start and the critical points.
    pub fn in_3d(mut self, preset: &Preset, camera: scene3d::Camera) -> Result<Self, RenderError> {
        let surface = AnySurface::from_spec(&preset.surface)
            .map_err(|e| RenderError::Scene(format!("surface: {e}")))?;
        let view = preset.view.unwrap_or_else(|| surface.default_view());
        let height = scene3d::HeightMap::new(&surface, view, MESH_3D);
        let markers = surface
            .critical_points()
            .into_iter()
            .filter(|c| view.contains(c.point))
            .map(|c| (c.point, c.kind))
            .collect();
        let start = self.start;
        // No colorbar beside the mesh: the mesh takes its band.
        self.plot.0.end += (self.style.margin + self.style.colorbar) as i32;
        let mut base = vec![0; self.width as usize * self.height as usize * 3];
        {
            let (title, rest) = self.layout(&mut base);
            title.fill(&BACKGROUND).map_err(draw_err)?;
            rest.fill(&BACKGROUND).map_err(draw_err)?;
        }
        paint_text(
            &mut base,
            self.width as usize,
            &[self.title_text(&preset.title)],
        );
        self.view3d = Some(View3d {
            height,
            camera: camera.clamped(),
            markers,
            start,
            contours: preset.show_contours,
            base,
        });
        Ok(self)
    }

    /// The pixel of a 3D view's screen point (see [`scene3d::Camera::project`]): its −1..1
    /// square fits the plot area, centred.
    fn screen_to_pixel(&self, p: [f32; 2]) -> (f64, f64) {
        let (xr, yr) = &self.plot;
        let (cx, cy) = (
            0.5 * (xr.start + xr.end) as f64,
            0.5 * (yr.start + yr.end) as f64,
        );
        let scale = 0.5 * ((xr.end - xr.start).min(yr.end - yr.start)).max(1) as f64;
        (cx + p[0] as f64 * scale, cy - p[1] as f64 * scale)
    }

    /// Where the 3D picture draws the ball of a run at `p` (`None` in 2D or off the mesh).
    pub fn pixel_of_3d(&self, p: Point) -> Option<(f64, f64)> {
        let v3 = self.view3d.as_ref()?;
        let mut b = v3.height.to_box(p)?;
        b[2] += scene3d::PATH_LIFT;
        let (s, _) = v3.camera.project(b);
        Some(self.screen_to_pixel([s[0] as f32, s[1] as f32]))
    }

    fn frame_3d(&self, v3: &View3d, step: u64) -> Result<Vec<u8>, RenderError> {
        let mut buf = v3.base.clone();
        let style = self.style;
        let texts;
        {
            let (_, rest) = self.layout(&mut buf);
            let shift = at_shift(&rest);
            let to_px = |p: [f32; 2]| {
                let (x, y) = self.screen_to_pixel(p);
                (x.round() as i32 - shift.0, y.round() as i32 - shift.1)
            };
            let upto: Vec<usize> = self
                .runs
                .iter()
                .map(|r| (step as usize).min(r.trajectory.len().saturating_sub(1)))
                .collect();
            let paths: Vec<scene3d::PathSource<'_>> = self
                .runs
                .iter()
                .zip(&upto)
                .map(|(r, &k)| scene3d::PathSource {
                    points: &r.trajectory.points[..(k + 1).min(r.trajectory.len())],
                    values: &r.trajectory.losses[..(k + 1).min(r.trajectory.len())],
                    diverged: r.status.diverged_by(step),
                })
                .collect();
            let picture = scene3d::describe(&v3.height, &v3.camera, &paths, v3.contours);
            for item in &picture.items {
                match item {
                    scene3d::Item::Triangle { points, rgb } => {
                        let px: Vec<(i32, i32)> = points.iter().map(|&p| to_px(p)).collect();
                        rest.draw(&Polygon::new(px, color(*rgb).filled()))
                            .map_err(draw_err)?;
                    }
                    scene3d::Item::Contour { points } => {
                        rest.draw(&PathElement::new(
                            vec![to_px(points[0]), to_px(points[1])],
                            RGBAColor(255, 255, 255, 0.35).stroke_width(1),
                        ))
                        .map_err(draw_err)?;
                    }
                    scene3d::Item::Segment { points, run } => {
                        let c = self.runs[*run].color;
                        rest.draw(&PathElement::new(
                            vec![to_px(points[0]), to_px(points[1])],
                            c.stroke_width(style.line),
                        ))
                        .map_err(draw_err)?;
                    }
                }
            }
            let at3 = |p: Point| {
                let b = v3.height.to_box(p)?;
                let (s, _) = v3.camera.project(b);
                Some([s[0] as f32, s[1] as f32])
            };
            for &(p, kind) in &v3.markers {
                let Some(at) = at3(p) else { continue };
                let c = to_px(at);
                let shift_back = [(c.0 + shift.0) as f32, (c.1 + shift.1) as f32];
                let glyph = Glyph::Marker(frame::marker(kind).1);
                self.draw_glyph(
                    &rest,
                    glyph,
                    shift_back,
                    style.dot as f32 + 2.0,
                    color(frame::MARKER_RGB),
                )?;
            }
            if let Some(at) = v3.start.and_then(at3) {
                let c = to_px(at);
                let center = [(c.0 + shift.0) as f32, (c.1 + shift.1) as f32];
                self.draw_glyph(&rest, Glyph::Start, center, style.dot as f32 + 3.0, WHITE)?;
            }
            for ball in &picture.balls {
                let end = to_px(ball.at);
                let c = self.runs[ball.run].color;
                rest.draw(&Circle::new(end, style.dot + 1, BLACK.filled()))
                    .map_err(draw_err)?;
                rest.draw(&Circle::new(end, style.dot, c.filled()))
                    .map_err(draw_err)?;
                // Where a diverged run left the surface: a red ring; a run outside the view,
                // on its edge: a ring in its own colour.
                let ring = match ball.place {
                    scene3d::BallPlace::OnSurface => None,
                    scene3d::BallPlace::Diverged => Some(color(frame::DIVERGED_RGB)),
                    scene3d::BallPlace::OutOfView => Some(c),
                };
                if let Some(ring) = ring {
                    rest.draw(&Circle::new(
                        end,
                        style.dot + 4,
                        ring.stroke_width(style.line),
                    ))
                    .map_err(draw_err)?;
                }
            }
            // The update at the step, draped on the mesh just above the paths.
            let detail = self.update_at(step);
            let mut sources = self.run_sources_with(detail.as_ref());
            let on_mesh = |p: Point| {
                let mut b = v3.height.to_box(p)?;
                b[2] += 2.0 * scene3d::PATH_LIFT;
                let (s, _) = v3.camera.project(b);
                let (x, y) = self.screen_to_pixel([s[0] as f32, s[1] as f32]);
                Some([x as f32, y as f32])
            };
            let marks = frame::describe(&sources, &[], v3.height.view, step);
            for mark in marks.runs.iter().filter_map(|m| m.update.as_ref()) {
                self.draw_update(&rest, mark, &on_mesh)?;
            }
            // The legend and the step counter as in 2D; status labels belong to the plane.
            for source in &mut sources {
                (source.status, source.region) = (Status::Completed, None);
            }
            let mut legend = frame::describe(&sources, &[], self.view, step);
            legend.markers.clone_from(&v3.markers);
            let mut laid_out = self.lay_out_overlay(&rest, &legend, None, step);
            // The contour labels belong to the plane.
            laid_out.contours.clear();
            texts = self.draw_overlay(&rest, &laid_out)?;
            rest.present().map_err(draw_err)?;
        }
        paint_text(&mut buf, self.width as usize, &texts);
        Ok(buf)
    }

    /// The legend, the status labels, the step counter and the contour labels, laid out by
    /// [`overlay`] as the window lays them out (without drawing: the contour labels go under
    /// the paths, the boxes over them).
    fn lay_out_overlay(
        &self,
        area: &Area<'_>,
        picture: &frame::SurfacePicture,
        handle: Option<PxRect>,
        step: u64,
    ) -> Overlay {
        let style = self.style;
        let (xr, yr) = &self.plot;
        let plot = PxRect::new(
            [xr.start as f32, yr.start as f32],
            [xr.end as f32, yr.end as f32],
        );
        let legend_text = text_style(style.small, FOREGROUND);
        let label_text = text_style(style.font, FOREGROUND);
        let measure_in = |t: &TextStyle<'_>, s: &str| -> f32 {
            area.estimate_text_size(s, t)
                .map(|(w, _)| w as f32)
                .unwrap_or(s.chars().count() as f32 * style.font as f32 / 2.0)
        };
        let measure_legend = |s: &str| measure_in(&legend_text, s);
        let measure_label = |s: &str| measure_in(&label_text, s);
        let pad = (style.margin as f32 * 0.6).max(2.0);
        let m = overlay::Metrics {
            line_height: (style.small * 1.3) as f32,
            pad,
            glyph: (style.small * 1.4) as f32,
            measure: &measure_legend,
        };
        // The step counter sits in the bottom right corner; nothing covers it.
        let counter = format!("step {} / {}", step.min(self.last_step), self.last_step);
        let counter_size = [
            measure_label(&counter) + 2.0 * pad,
            (style.font * 1.3) as f32 + pad,
        ];
        let counter_rect = PxRect::at(
            [
                plot.max[0] - counter_size[0] - pad,
                plot.max[1] - counter_size[1] - pad,
            ],
            counter_size,
        );
        let avoid: Vec<[f32; 2]> = self
            .runs
            .iter()
            .flat_map(|r| r.thin.iter())
            .map(|&p| {
                let (x, y) = self.pixel_of(p);
                [x as f32, y as f32]
            })
            .collect();
        let px = |p: Point| {
            let (x, y) = self.pixel_of(p);
            [x as f32, y as f32]
        };
        let keep_clear: Vec<PxRect> = handle
            .into_iter()
            .chain([counter_rect])
            .chain(overlay::marker_clearance(
                picture,
                px,
                style.dot as f32 + 4.0,
            ))
            .collect();
        let entries = overlay::legend_entries(picture, self.start.map(|_| [255, 255, 255]));
        let legend = overlay::layout_legend(&entries, plot, &m, &avoid, &keep_clear);
        let lm = overlay::Metrics {
            line_height: (style.font * 1.3) as f32,
            pad,
            glyph: 0.0,
            measure: &measure_label,
        };
        let requests = overlay::label_requests(picture, px);
        let occupied: Vec<PxRect> = legend.iter().map(|l| l.rect).chain(keep_clear).collect();
        let labels = overlay::layout_status_labels(&requests, plot, &lm, &occupied);
        // The contour labels, placed as the window places them: clear of the legend, the
        // status labels and the counter, and inside the plot.
        let clear: Vec<PxRect> = occupied
            .iter()
            .copied()
            .chain(labels.iter().map(|l| l.rect))
            .collect();
        let spots: Vec<[f32; 2]> = self.contour_labels.iter().map(|&(_, p, _)| px(p)).collect();
        let contours = overlay::place_contour_labels(&spots, &clear)
            .into_iter()
            .filter_map(|i| {
                let text = crate::picture::colormap::fmt_value(self.contour_labels[i].0);
                let [w, h] = [measure_legend(&text), (style.small * 1.2) as f32];
                let [x, y] = spots[i];
                let rect = PxRect::at([x - w / 2.0, y - h / 2.0], [w, h]);
                plot.contains_rect(&rect).then(|| TextRun {
                    text,
                    at: rect.min,
                    size: style.small,
                    rgb: self.contour_labels[i].2,
                })
            })
            .collect();
        Overlay {
            legend,
            labels,
            counter: (counter, counter_rect),
            contours,
        }
    }

    /// The boxes and glyphs of a laid-out overlay; returns its text for [`paint_text`].
    fn draw_overlay(&self, area: &Area<'_>, o: &Overlay) -> Result<Vec<TextRun>, RenderError> {
        let mut texts = Vec::new();
        let style = self.style;
        let shift = at_shift(area);
        let pad = (style.margin as f32 * 0.6).max(2.0);
        let glyph = (style.small * 1.4) as f32;
        let [br, bg, bb, ba] = overlay::BACKING_RGBA;
        let backing = RGBAColor(br, bg, bb, ba as f64 / 255.0);
        let local = |p: [f32; 2]| (p[0].round() as i32 - shift.0, p[1].round() as i32 - shift.1);
        let fill = |r: PxRect| -> Result<(), RenderError> {
            area.draw(&Rectangle::new(
                [local(r.min), local(r.max)],
                backing.filled(),
            ))
            .map_err(draw_err)
        };
        if let Some(legend) = &o.legend {
            fill(legend.rect)?;
            for row in &legend.rows {
                if row.glyph_center[0].is_finite() {
                    let r = (glyph * 0.35).max(2.0);
                    self.draw_glyph(area, row.glyph, row.glyph_center, r, color(row.rgb))?;
                }
                for (line, at) in &row.lines {
                    texts.push(TextRun {
                        text: line.clone(),
                        at: *at,
                        size: style.small,
                        rgb: frame::FOREGROUND_RGB,
                    });
                }
            }
        }
        for label in &o.labels {
            fill(label.rect)?;
            let rgb = if label.bad {
                frame::DIVERGED_RGB
            } else {
                label.rgb
            };
            for (line, at) in &label.lines {
                texts.push(TextRun {
                    text: line.clone(),
                    at: *at,
                    size: style.font,
                    rgb,
                });
            }
        }
        let (counter, counter_rect) = &o.counter;
        fill(*counter_rect)?;
        texts.push(TextRun {
            text: counter.clone(),
            at: [counter_rect.min[0] + pad, counter_rect.min[1] + pad / 2.0],
            size: style.font,
            rgb: frame::FOREGROUND_RGB,
        });
        Ok(texts)
    }

    /// A glyph of half-size `r` pixels at `center` (see [`overlay::glyph_strokes`]).
    fn draw_glyph(
        &self,
        area: &Area<'_>,
        glyph: Glyph,
        center: [f32; 2],
        r: f32,
        c: RGBColor,
    ) -> Result<(), RenderError> {
        let shift = at_shift(area);
        let (strokes, filled) = overlay::glyph_strokes(glyph);
        let at = |p: &[f32; 2]| {
            (
                (center[0] + p[0] * r).round() as i32 - shift.0,
                (center[1] + p[1] * r).round() as i32 - shift.1,
            )
        };
        for (k, line) in strokes.iter().enumerate() {
            let points: Vec<(i32, i32)> = line.iter().map(at).collect();
            if filled && k == 0 {
                area.draw(&Polygon::new(points, c.filled()))
                    .map_err(draw_err)?;
            } else {
                area.draw(&PathElement::new(points, c.stroke_width(self.style.line)))
                    .map_err(draw_err)?;
            }
        }
        if glyph == Glyph::Run {
            area.draw(&Circle::new(
                at(&[0.0, 0.0]),
                (r * 0.5) as i32 + 1,
                c.filled(),
            ))
            .map_err(draw_err)?;
        }
        Ok(())
    }

    /// The frames of an animation at `fps` frames per second: the scene's speed (steps per
    /// second), sped up so it lasts at most `max_seconds`, and at least two frames.
    pub fn animation_steps(&self, speed: f64, fps: u32, max_seconds: f64) -> Vec<u64> {
        animation_steps(self.last_step, speed, fps, max_seconds)
    }
}

/// See [`Renderer::animation_steps`].
pub fn animation_steps(last: u64, speed: f64, fps: u32, max_seconds: f64) -> Vec<u64> {
    let speed = if speed.is_finite() && speed > 0.0 {
        speed
    } else {
        20.0
    };
    let fps = fps.clamp(*FPS_RANGE.start(), *FPS_RANGE.end()) as f64;
    let seconds = (last as f64 / speed).min(max_seconds.max(0.1));
    let frames = ((seconds * fps).ceil() as u64).clamp(1, last.max(1)) + 1;
    (0..frames)
        .map(|i| ((last as f64) * i as f64 / (frames - 1) as f64).round() as u64)
        .collect()
}

/// A thick polyline split where it turns back on itself (by more than ~150°): plotters joins
/// the segments of a path with mitres, and at such a turn the mitre is a spike reaching far
/// beyond the path (a noisy run's zig-zag would shoot lines across the whole picture).
/// Where a contour's label goes: the middle of its longest piece, as in the window, when
/// that piece is long enough on screen (16 px) for a label to name it.
fn contour_label_spot(pieces: &[Vec<Point>], px_per_unit: [f64; 2]) -> Option<Point> {
    let length = |piece: &Vec<Point>| -> f64 {
        piece
            .windows(2)
            .map(|w| {
                ((w[1][0] - w[0][0]) * px_per_unit[0]).hypot((w[1][1] - w[0][1]) * px_per_unit[1])
            })
            .sum()
    };
    let (piece, len) = pieces
        .iter()
        .map(|p| (p, length(p)))
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    (len >= 16.0).then(|| piece[piece.len() / 2])
}

fn split_at_reversals(points: &[(i32, i32)]) -> Vec<Vec<(i32, i32)>> {
    let mut pieces = Vec::new();
    let mut current: Vec<(i32, i32)> = Vec::with_capacity(points.len());
    for (i, &p) in points.iter().enumerate() {
        current.push(p);
        if let (Some(&a), Some(&b)) = (i.checked_sub(1).map(|j| &points[j]), points.get(i + 1)) {
            let (ux, uy) = ((p.0 - a.0) as f64, (p.1 - a.1) as f64);
            let (wx, wy) = ((b.0 - p.0) as f64, (b.1 - p.1) as f64);
            let norms = ux.hypot(uy) * wx.hypot(wy);
            if norms > 0.0 && (ux * wx + uy * wy) / norms < -0.866 {
                pieces.push(std::mem::replace(&mut current, vec![p]));
            }
        }
    }
    if current.len() > 1 {
        pieces.push(current);
    }
    pieces
}

/// The backend position of a drawing area's origin, to draw in absolute pixels.
fn at_shift(area: &Area<'_>) -> (i32, i32) {
    let (x, y) = area.get_pixel_range();
    (x.start, y.start)
}

/// A line of text to put on a picture: its top-left corner in pixels, size and colour.
struct TextRun {
    text: String,
    at: [f32; 2],
    size: f64,
    rgb: [u8; 3],
}

/// Draws `runs` into an RGB buffer `width` pixels wide with ab_glyph: kerning, fractional
/// advances and each glyph's own bearing, at the size plotters measured the text with.
fn paint_text(buf: &mut [u8], width: usize, runs: &[TextRun]) {
    let height = buf.len() / (3 * width.max(1));
    for run in runs {
        text::rasterize(&run.text, run.size, run.at, |x, y, a| {
            if x < 0 || y < 0 || x as usize >= width || y as usize >= height {
                return;
            }
            let i = (y as usize * width + x as usize) * 3;
            for k in 0..3 {
                let under = buf[i + k] as f32;
                buf[i + k] = (under + (run.rgb[k] as f32 - under) * a).round() as u8;
            }
        });
    }
}

fn text_style(size: f64, color: RGBColor) -> TextStyle<'static> {
    (FONT, size).into_font().color(&color)
}

/// `view` widened (never narrowed) about its center to the aspect ratio `ratio` = width/height
/// of the plot, so circles stay circles.
pub fn equal_aspect(view: View, ratio: f64) -> View {
    let (w, h) = (view.x_max - view.x_min, view.y_max - view.y_min);
    if !(w > 0.0 && h > 0.0 && ratio.is_finite() && ratio > 0.0) {
        return view;
    }
    let (cx, cy) = (
        (view.x_min + view.x_max) / 2.0,
        (view.y_min + view.y_max) / 2.0,
    );
    let (w, h) = if w / h < ratio {
        (h * ratio, h)
    } else {
        (w, w / ratio)
    };
    View {
        x_min: cx - w / 2.0,
        x_max: cx + w / 2.0,
        y_min: cy - h / 2.0,
        y_max: cy + h / 2.0,
    }
}

/// Writes an RGB picture as PNG.
pub fn write_png(out: impl Write, width: u32, height: u32, rgb: &[u8]) -> Result<(), RenderError> {
    let mut encoder = png::Encoder::new(out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder
        .write_header()
        .map_err(|e| RenderError::Encode(e.to_string()))?;
    writer
        .write_image_data(rgb)
        .map_err(|e| RenderError::Encode(e.to_string()))?;
    writer
        .finish()
        .map_err(|e| RenderError::Encode(e.to_string()))
}

/// Threads for drawing and encoding pictures: the cores, at most four (a batch of 1920×1080
/// frames is 6 MB each).
pub fn encoding_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
}

/// A looping GIF written a few frames at a time, so the caller decides when the work happens
/// (a thread on the desktop, a slice of each frame in the browser). Each frame after the first
/// stores only the rectangle that changed, with unchanged pixels transparent and its own
/// 256-color palette, which keeps the file small and the heatmap's colors smooth.
pub struct GifStream<W: Write> {
    encoder: gif::Encoder<W>,
    width: usize,
    height: usize,
    delay: u16,
    previous: Option<Vec<u8>>,
    /// A frame identical to the one before only lengthens that one's delay, so the last frame
    /// written waits here until the next one differs.
    pending: Option<gif::Frame<'static>>,
}

impl<W: Write> GifStream<W> {
    pub fn new(out: W, width: u32, height: u32, fps: u32) -> Result<Self, RenderError> {
        let (w16, h16) = (
            u16::try_from(width).map_err(|_| RenderError::Encode("width over 65535".into()))?,
            u16::try_from(height).map_err(|_| RenderError::Encode("height over 65535".into()))?,
        );
        let mut encoder = gif::Encoder::new(out, w16, h16, &[]).map_err(gif_error)?;
        encoder
            .set_repeat(gif::Repeat::Infinite)
            .map_err(gif_error)?;
        Ok(Self {
            encoder,
            width: width as usize,
            height: height as usize,
            delay: (100 / fps.clamp(*FPS_RANGE.start(), *FPS_RANGE.end())).max(2) as u16,
            previous: None,
            pending: None,
        })
    }

    /// Quantizes `batch` (RGB frames, in order) on up to `threads` threads and writes it.
    pub fn push(&mut self, batch: Vec<Vec<u8>>, threads: usize) -> Result<(), RenderError> {
        let (w, h) = (self.width, self.height);
        if let Some(f) = batch.iter().find(|f| f.len() != w * h * 3) {
            return Err(RenderError::Encode(format!(
                "a frame of {} bytes is not {w}x{h} RGB",
                f.len()
            )));
        }
        let before = |i: usize| -> Option<&[u8]> {
            if i == 0 {
                self.previous.as_deref()
            } else {
                Some(batch[i - 1].as_slice())
            }
        };
        let encoded: Vec<Option<gif::Frame<'static>>> = if threads <= 1 || batch.len() == 1 {
            (0..batch.len())
                .map(|i| quantize_frame(before(i), &batch[i], w, h))
                .collect()
        } else {
            let mut slots: Vec<Option<gif::Frame<'static>>> =
                (0..batch.len()).map(|_| None).collect();
            std::thread::scope(|scope| {
                for (i, slot) in slots.iter_mut().enumerate() {
                    let (previous, frame) = (before(i), &batch[i]);
                    scope.spawn(move || *slot = quantize_frame(previous, frame, w, h));
                }
            });
            slots
        };
        for frame in encoded {
            match frame {
                Some(mut f) => {
                    if let Some(p) = self.pending.take() {
                        self.encoder.write_frame(&p).map_err(gif_error)?;
                    }
                    f.delay = self.delay;
                    self.pending = Some(f);
                }
                None => {
                    if let Some(p) = self.pending.as_mut() {
                        p.delay = p.delay.saturating_add(self.delay);
                    }
                }
            }
        }
        self.previous = batch.into_iter().last().or(self.previous.take());
        Ok(())
    }

    /// Writes the last frame, held for two seconds before the animation starts over.
    pub fn finish(mut self) -> Result<W, RenderError> {
        if let Some(mut p) = self.pending.take() {
            p.delay = p.delay.saturating_add(200);
            self.encoder.write_frame(&p).map_err(gif_error)?;
        }
        self.encoder
            .into_inner()
            .map_err(|e| RenderError::Encode(e.to_string()))
    }
}

fn gif_error(e: gif::EncodingError) -> RenderError {
    RenderError::Encode(e.to_string())
}

/// One frame against the one before it: the changed rectangle (the whole picture for the
/// first), `None` when nothing changed. Pixels the previous frame already shows are
/// transparent: they compress to almost nothing, and the palette goes to what moved.
fn quantize_frame(
    previous: Option<&[u8]>,
    f: &[u8],
    w: usize,
    h: usize,
) -> Option<gif::Frame<'static>> {
    let [x0, y0, x1, y1] = match previous {
        None => [0, 0, w, h],
        Some(p) => changed_rect(p, f, w, h)?,
    };
    let mut crop = Vec::with_capacity((x1 - x0) * (y1 - y0) * 4);
    for y in y0..y1 {
        let row = y * w * 3;
        for x in x0..x1 {
            let px = &f[row + x * 3..row + x * 3 + 3];
            let same = previous.is_some_and(|p| &p[row + x * 3..row + x * 3 + 3] == px);
            if same {
                crop.extend_from_slice(&[0, 0, 0, 0]);
            } else {
                crop.extend_from_slice(&[px[0], px[1], px[2], 255]);
            }
        }
    }
    let mut frame = gif::Frame::from_rgba_speed((x1 - x0) as u16, (y1 - y0) as u16, &mut crop, 10);
    frame.left = x0 as u16;
    frame.top = y0 as u16;
    frame.dispose = gif::DisposalMethod::Keep;
    Some(frame)
}

/// The smallest rectangle [x0, y0, x1, y1) in which `b` differs from `a`; `None` if equal.
fn changed_rect(a: &[u8], b: &[u8], width: usize, height: usize) -> Option<[usize; 4]> {
    let (mut x0, mut y0, mut x1, mut y1) = (width, height, 0, 0);
    for y in 0..height {
        let row = y * width * 3;
        let (ra, rb) = (&a[row..row + width * 3], &b[row..row + width * 3]);
        if ra == rb {
            continue;
        }
        y0 = y0.min(y);
        y1 = y + 1;
        let first = ra
            .chunks_exact(3)
            .zip(rb.chunks_exact(3))
            .position(|(p, q)| p != q)?;
        let last = width
            - 1
            - ra.chunks_exact(3)
                .rev()
                .zip(rb.chunks_exact(3).rev())
                .position(|(p, q)| p != q)?;
        x0 = x0.min(first);
        x1 = x1.max(last + 1);
    }
    (y1 > y0).then_some([x0, y0, x1, y1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_each_glyphs_bearing() {
        use ab_glyph::{Font, FontRef, ScaleFont};
        let font = FontRef::try_from_slice(epaint_default_fonts::UBUNTU_LIGHT).expect("font");
        let scaled = font.as_scaled(40.0);
        let bearing = scaled.h_side_bearing(font.glyph_id('l'));
        assert!(bearing > 1.5, "the test needs a visible bearing: {bearing}");
        let (w, h) = (200, 60);
        let mut buf = vec![0u8; w * h * 3];
        paint_text(
            &mut buf,
            w,
            &[TextRun {
                text: "ll".into(),
                at: [10.0, 5.0],
                size: 40.0,
                rgb: [255; 3],
            }],
        );
        let inked = |x: usize| (0..h).any(|y| buf[(y * w + x) * 3] > 128);
        let first = (0..w).find(|&x| inked(x)).expect("ink");
        // plotters put every glyph's bitmap at the caret, bearing dropped.
        assert!(
            (first as f32 - (10.0 + bearing)).abs() <= 1.0,
            "ink from column {first}, the bearing puts it at {}",
            10.0 + bearing
        );
        // The second l starts one advance later, also after its bearing.
        let second = (first + 1..w)
            .skip_while(|&x| inked(x))
            .find(|&x| inked(x))
            .expect("a second glyph");
        let advance = scaled.h_advance(font.glyph_id('l'));
        assert!(
            (second as f32 - (10.0 + advance + bearing)).abs() <= 1.0,
            "second l at {second}, expected {}",
            10.0 + advance + bearing
        );
    }

    #[test]
    fn equal_aspect_widens_the_short_side_about_the_center() {
        let v = View {
            x_min: -1.0,
            x_max: 1.0,
            y_min: 0.0,
            y_max: 1.0,
        };
        let w = equal_aspect(v, 1.0);
        assert_eq!((w.x_min, w.x_max, w.y_min, w.y_max), (-1.0, 1.0, -0.5, 1.5));
        let t = equal_aspect(v, 4.0);
        assert_eq!((t.x_min, t.x_max, t.y_min, t.y_max), (-2.0, 2.0, 0.0, 1.0));
    }

    #[test]
    fn animation_steps_cover_the_run_at_the_scene_speed() {
        // 100 steps at 50 steps/s: 2 s, at 10 fps 20 intervals of 5 steps.
        let s = animation_steps(100, 50.0, 10, 12.0);
        assert_eq!(s.len(), 21);
        assert_eq!((s[0], s[1], s[20]), (0, 5, 100));
        // 10,000 steps at 100 steps/s would take 100 s: capped at 4 s.
        let s = animation_steps(10_000, 100.0, 10, 4.0);
        assert_eq!(s.len(), 41);
        assert_eq!(*s.last().unwrap(), 10_000);
        // Never more frames than steps, never fewer than two.
        assert_eq!(animation_steps(3, 1.0, 50, 12.0), vec![0, 1, 2, 3]);
        assert_eq!(animation_steps(0, 10.0, 20, 12.0), vec![0, 0]);
    }

    #[test]
    fn changed_rect_bounds_exactly_the_differing_pixels() {
        let (w, h) = (5, 4);
        let a = vec![0u8; w * h * 3];
        let mut b = a.clone();
        assert_eq!(changed_rect(&a, &b, w, h), None);
        b[(w + 1) * 3] = 9; // (x=1, y=1)
        b[(2 * w + 3) * 3 + 2] = 9; // (x=3, y=2)
        assert_eq!(changed_rect(&a, &b, w, h), Some([1, 1, 4, 3]));
    }
}
