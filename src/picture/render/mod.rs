//! Pictures of a scene without a window: a PNG of one step and an animated GIF of the runs,
//! drawn in software (plotters on an RGB buffer) so they work on a server, in CI and for
//! handouts. The same heatmap colors, contour levels, run colors and status texts as the window.
//!
//! The static part (heatmap, contours, axes, critical points) is drawn once; every frame copies
//! it and draws the paths up to its step, so a 200-frame GIF costs little more than its encoding.
//!
//! Why this file is over 700 lines: it is the `Renderer`, one object that sets up a scene's
//! picture once and draws its frames (642 lines), and its 73 lines of tests; the parts it calls
//! (base picture, overlay layout, 3D, painting, encoding) are the files beside it.

use std::io::Write;
use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;
use thiserror::Error;

use crate::core::grid;
use crate::core::math::{Point, View};
use crate::core::optimizer::geometry::Shape as GlyphShape;
use crate::core::run::simulation::{Run, Status, StepDetail, Trajectory};
use crate::core::surface::{AnySurface, Capabilities};
use crate::picture::colormap::{heat_rgb, label_rgb_on};
use crate::picture::frame::{self, Shape};
use crate::picture::overlay::{self, Glyph, PxRect};
use crate::picture::scene3d;
use crate::picture::text::{self, Glyphs};
use crate::scene::preset::Preset;

mod base;
mod encode;
mod overlay_layout;
mod paint;
mod view3d;
pub use encode::{GifStream, encoding_threads, write_png};
use paint::{TextRun, paint_text, text_style};

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
    #[error(
        "a network scene: render draws surfaces and their paths; the window shows a network's data and landscape"
    )]
    Network,
    #[error(
        "a picture of {width}×{height} pixels: each side must be {} to {}",
        SIZE_RANGE.start(),
        SIZE_RANGE.end()
    )]
    Size { width: u32, height: u32 },
    #[error("surface: {0}")]
    Surface(crate::core::spec::SpecError),
    /// Run `index` (counted from 0, as the file counts) cannot be simulated.
    #[error("runs[{index}]: {error}")]
    Run {
        index: usize,
        error: crate::core::run::settings::SettingsError,
    },
    /// The surface run `index` sees (its own batch size) cannot be built.
    #[error("runs[{index}]: {error}")]
    RunSurface {
        index: usize,
        error: crate::core::spec::SpecError,
    },
    /// plotters' reason.
    #[error("drawing failed: {0}")]
    Draw(String),
    /// The encoder's reason.
    #[error("encoding failed: {0}")]
    Encode(String),
}

impl RenderError {
    /// The message in the current language; `Display` stays English for the command line.
    /// What plotters and the encoders report stays as they word it.
    pub fn text(&self) -> String {
        let field =
            |field: &str, error: String| crate::tr!("error-field", field = field, error = error);
        match self {
            RenderError::Network => crate::tr!("error-render-network"),
            RenderError::Size { width, height } => crate::tr!(
                "error-render-size",
                width = width.to_string(),
                height = height.to_string(),
                min = SIZE_RANGE.start().to_string(),
                max = SIZE_RANGE.end().to_string()
            ),
            RenderError::Surface(e) => field("surface", e.text()),
            RenderError::Run { index, error } => field(&format!("runs[{index}]"), error.text()),
            RenderError::RunSurface { index, error } => {
                field(&format!("runs[{index}]"), error.text())
            }
            RenderError::Draw(reason) => {
                crate::tr!("error-render-draw", reason = reason.as_str())
            }
            RenderError::Encode(reason) => {
                crate::tr!("error-render-encode", reason = reason.as_str())
            }
        }
    }
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
    region: Option<crate::core::analysis::theory::Region>,
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
            return Err(RenderError::Network);
        }
        if !SIZE_RANGE.contains(&width) || !SIZE_RANGE.contains(&height) {
            return Err(RenderError::Size { width, height });
        }
        let surface = AnySurface::from_spec(&preset.surface).map_err(RenderError::Surface)?;
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
            let sim = Run::new(&spec).map_err(|error| RenderError::Run { index: i, error })?;
            let run_surface = AnySurface::from_spec(&surface_spec)
                .map_err(|error| RenderError::RunSurface { index: i, error })?;
            let (mut trajectory, status) = sim.simulate(&run_surface);
            if preset.update.shown() && update.is_none() {
                update = Some((sim.clone(), run_surface.clone()));
            }
            let region = crate::core::analysis::theory::Region::of(
                &sim.optimizer,
                spec.noise,
                crate::core::analysis::theory::EigenFrame::of_path(
                    &run_surface,
                    &trajectory.points,
                ),
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
}

impl Renderer {
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
    fn every_render_error_speaks_the_windows_language_and_keeps_its_english() {
        use crate::core::spec::Spec;
        let unknown = || AnySurface::from_spec(&Spec::named("rosenbrok")).expect_err("unknown");
        let preset = |text: &str| crate::scene::preset::parse_preset(text, "test").expect("parses");
        let mut scene = preset(
            r#"(version: 1, surface: "rosenbrock", start: (-1.5, 2), runs: [(optimizer: "sgd", lr: 0.1)])"#,
        );
        let refused = |scene: &Preset, side: u32| match Renderer::new(scene, side, side) {
            Ok(_) => panic!("drawn"),
            Err(e) => e,
        };
        let too_small = refused(&scene, 10);
        scene.surface = Spec::named("rosenbrok");
        let made = [too_small, refused(&scene, 100)];
        for e in made.iter().chain(&[
            RenderError::Network,
            RenderError::Surface(unknown()),
            RenderError::Run {
                index: 0,
                error: crate::core::run::settings::check_lr(-1.0).unwrap_err(),
            },
            RenderError::RunSurface {
                index: 1,
                error: unknown(),
            },
            RenderError::Draw("a plotters error".into()),
            RenderError::Encode("width over 65535".into()),
        ]) {
            crate::text::assert_translated(e, RenderError::text);
        }
    }
}
