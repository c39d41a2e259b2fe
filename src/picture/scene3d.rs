//! The surface in three dimensions, described once for the window and for `render --view 3d`:
//! a height-coloured, shaded mesh and the runs' paths lying on it (z = f(θ)), projected by an
//! orbiting camera and ordered back to front, so each drawer only paints the items in order
//! (the painter's algorithm). No GPU and no depth buffer: it draws the same on the desktop's
//! software OpenGL, in the browser and into a PNG.
//!
//! Heights follow the heatmap's colour scale: linear in f, or logarithmic for surfaces that
//! span decades (Rosenbrock), clipped to the range of the view, so a surface that runs off to
//! ±∞ (the saddle) is cut flat at the view's extremes instead of stretching the picture.
//!
//! Why this file is over 700 lines: 231 of them are its tests (the projection and the depth order),
//! kept beside the code they check; the code is 485 lines.

use crate::core::grid;
use crate::core::math::{Point, View};
use crate::core::surface::{AnySurface, Surface};
use crate::picture::colormap::{color_position, colormap_rgb};

/// How tall the surface stands relative to the width of its base (which spans −1..1).
const HEIGHT: f64 = 0.9;

/// Where the surface is seen from: degrees around the vertical axis and above the base plane,
/// and a magnification.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Camera {
    pub yaw: f64,
    pub pitch: f64,
    pub zoom: f64,
}

impl Default for Camera {
    /// Turned a little and seen from 50° above: relief reads, and the bottoms of wells and
    /// valleys (where runs end) are in sight.
    fn default() -> Self {
        Self {
            // −35°, in the 0..360 range `clamped` keeps.
            yaw: 325.0,
            pitch: 50.0,
            zoom: 1.0,
        }
    }
}

impl Camera {
    /// Pitch is kept between 5° and 89° (never below the base, never exactly overhead, where
    /// the orbit would flip) and zoom between 0.3 and 8.
    pub fn clamped(self) -> Self {
        Self {
            yaw: self.yaw.rem_euclid(360.0),
            pitch: self.pitch.clamp(5.0, 89.0),
            zoom: self.zoom.clamp(0.3, 8.0),
        }
    }

    /// The screen position (x right, y up; at zoom 1 the whole box fills −1..1 in its longer
    /// direction, centred) and the depth (larger is nearer the viewer) of a point of the
    /// normalized box. For many points, take [`Camera::projection`] once.
    pub fn project(&self, p: [f64; 3]) -> ([f64; 2], f64) {
        self.projection().project(p)
    }

    /// The projection of this camera, fitted to the box.
    pub fn projection(&self) -> Projection {
        let c = self.clamped();
        let (sy, cy) = c.yaw.to_radians().sin_cos();
        let (sp, cp) = c.pitch.to_radians().sin_cos();
        let mut p = Projection {
            sy,
            cy,
            sp,
            cp,
            scale: 1.0,
            offset: 0.0,
        };
        // Fit the eight corners of the box: the widest extent to 1, the height centred.
        let (mut w, mut lo, mut hi) = (0.0_f64, f64::INFINITY, f64::NEG_INFINITY);
        for x in [-1.0, 1.0] {
            for y in [-1.0, 1.0] {
                for z in [-HEIGHT / 2.0, HEIGHT / 2.0] {
                    let ([u, v], _) = p.project([x, y, z]);
                    w = w.max(u.abs());
                    (lo, hi) = (lo.min(v), hi.max(v));
                }
            }
        }
        let half = w.max((hi - lo) / 2.0).max(1e-9);
        p.scale = c.zoom / half;
        p.offset = -(lo + hi) / 2.0 * p.scale;
        p
    }
}

/// A camera's projection, with its trigonometry done once.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projection {
    sy: f64,
    cy: f64,
    sp: f64,
    cp: f64,
    scale: f64,
    offset: f64,
}

impl Projection {
    /// See [`Camera::project`].
    pub fn project(&self, [x, y, z]: [f64; 3]) -> ([f64; 2], f64) {
        // Turn the box about the vertical axis, then tilt it towards the viewer.
        let (u, v) = (x * self.cy - y * self.sy, x * self.sy + y * self.cy);
        let screen_y = v * self.sp + z * self.cp;
        let depth = -v * self.cp + z * self.sp;
        ([u * self.scale, screen_y * self.scale + self.offset], depth)
    }
}

/// The surface sampled on an n×n grid with its heights on the colour scale.
#[derive(Clone, Debug, PartialEq)]
pub struct HeightMap {
    pub view: View,
    pub n: usize,
    /// Colour-scale position t in 0..1 per grid node (row-major from y_min), NaN where f is
    /// not finite.
    pub t: Vec<f64>,
    pub min: f64,
    pub max: f64,
    pub log_scale: bool,
    /// The mesh's triangles as node indices with their shaded colour: neither depends on the
    /// camera (the light is fixed to the surface), so a frame only projects and sorts.
    triangles: Vec<([u32; 3], [u8; 3])>,
    /// The 2D view's contour lines (the same levels) lying on the mesh, in box coordinates.
    contours: Vec<Vec<[f64; 3]>>,
}

impl HeightMap {
    /// Samples `surface` over `view` at `n`×`n` nodes (n ≥ 2).
    pub fn new(surface: &AnySurface, view: View, n: usize) -> Self {
        let n = n.max(2);
        let values = grid::evaluate(surface, view, n, n);
        let (min, max, log_scale) = grid::color_scale(&values, surface);
        let t = values
            .iter()
            .map(|&v| {
                if v.is_finite() {
                    height_of(v, min, max, log_scale)
                } else {
                    f64::NAN
                }
            })
            .collect();
        let mut map = Self {
            view,
            n,
            t,
            min,
            max,
            log_scale,
            triangles: Vec::new(),
            contours: Vec::new(),
        };
        map.triangles = map.shaded_triangles();
        let levels = grid::contour_levels(min, max, CONTOUR_LEVELS, log_scale);
        map.contours = grid::contour_lines(&values, view, &levels)
            .into_iter()
            .flat_map(|c| c.lines)
            .map(|line| {
                line.into_iter()
                    .filter_map(|p| {
                        let mut b = map.to_box(p)?;
                        b[2] += 0.5 * PATH_LIFT;
                        Some(b)
                    })
                    .collect()
            })
            .collect();
        map
    }

    /// Two triangles per grid cell whose corners all have a value, lit by [`LIGHT`].
    fn shaded_triangles(&self) -> Vec<([u32; 3], [u8; 3])> {
        let n = self.n;
        let mut out = Vec::with_capacity(2 * (n - 1) * (n - 1));
        for j in 0..n - 1 {
            for i in 0..n - 1 {
                let ids = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
                for tri in [[0, 1, 2], [0, 2, 3]] {
                    let [Some(a), Some(b), Some(c)] = tri.map(|k| self.node(ids[k].0, ids[k].1))
                    else {
                        continue;
                    };
                    let normal = cross(sub(b, a), sub(c, a));
                    let len = dot(normal, normal).sqrt();
                    let lit = if len > 0.0 {
                        (dot(normal, LIGHT) / len).abs()
                    } else {
                        1.0
                    };
                    let t = ((a[2] + b[2] + c[2]) / 3.0) / HEIGHT + 0.5;
                    let shade = 0.55 + 0.45 * lit;
                    let rgb = colormap_rgb(t).map(|c| (c as f64 * shade).round().min(255.0) as u8);
                    let index = tri.map(|k| (ids[k].1 * n + ids[k].0) as u32);
                    out.push((index, rgb));
                }
            }
        }
        out
    }

    /// The normalized box coordinates of surface point `p` on the drawn mesh: x and y in
    /// −1..1 over the view, z in −HEIGHT/2..HEIGHT/2, interpolated between the mesh's nodes so
    /// paths and markers lie on the surface as drawn (a narrow well finer than the mesh would
    /// otherwise leave them hanging below it). `None` outside the view or where f has no value.
    pub fn to_box(&self, p: Point) -> Option<[f64; 3]> {
        let v = self.view;
        let (u, w) = (
            (p[0] - v.x_min) / (v.x_max - v.x_min),
            (p[1] - v.y_min) / (v.y_max - v.y_min),
        );
        if !((0.0..=1.0).contains(&u) && (0.0..=1.0).contains(&w)) {
            return None;
        }
        let s = (self.n - 1) as f64;
        let (fx, fy) = (u * s, w * s);
        let (i, j) = ((fx as usize).min(self.n - 2), (fy as usize).min(self.n - 2));
        let (a, b) = (fx - i as f64, fy - j as f64);
        let t = |i: usize, j: usize| self.t[j * self.n + i];
        let z = (1.0 - a) * (1.0 - b) * t(i, j)
            + a * (1.0 - b) * t(i + 1, j)
            + (1.0 - a) * b * t(i, j + 1)
            + a * b * t(i + 1, j + 1);
        z.is_finite()
            .then_some([2.0 * u - 1.0, 2.0 * w - 1.0, HEIGHT * (z - 0.5)])
    }

    fn node(&self, i: usize, j: usize) -> Option<[f64; 3]> {
        let t = self.t[j * self.n + i];
        t.is_finite().then(|| {
            let s = (self.n - 1) as f64;
            [
                2.0 * i as f64 / s - 1.0,
                2.0 * j as f64 / s - 1.0,
                HEIGHT * (t - 0.5),
            ]
        })
    }
}

/// Where `v` stands on the height scale, 0..1: the heatmap's colour position, but on a log
/// scale with a floor of 1e-3 of the range rather than 1e-6, so a minimum is a visible well
/// and not a needle finer than any mesh.
fn height_of(v: f64, min: f64, max: f64, log_scale: bool) -> f64 {
    if !log_scale {
        return color_position(v, min, max, false);
    }
    let eps = (max - min) * 1e-3;
    let t = ((v - min + eps).ln() - eps.ln()) / ((max - min + eps).ln() - eps.ln());
    if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// One thing to paint, in screen coordinates (see [`Camera::project`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A filled triangle of the mesh, shaded.
    Triangle { points: [[f32; 2]; 3], rgb: [u8; 3] },
    /// A segment of run `run`'s path.
    Segment { points: [[f32; 2]; 2], run: usize },
    /// A segment of a contour line on the mesh.
    Contour { points: [[f32; 2]; 2] },
}

/// A run's path as the 3D view shows it: its points up to the cursor, on the surface.
pub struct PathSource<'a> {
    pub points: &'a [Point],
    pub values: &'a [f64],
    /// The run has diverged by the cursor (its status says so; its last points may still be
    /// finite, only beyond the divergence bound).
    pub diverged: bool,
}

/// Where a run is at the cursor, which its ball tells apart: a run that is only outside the
/// view (a momentum swing past the edge) is not one that diverged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BallPlace {
    /// On the drawn surface, at its current point.
    OnSurface,
    /// Outside the view: the ball sits on the view's edge nearest its point.
    OutOfView,
    /// Diverged: the ball marks its last point on the surface.
    Diverged,
}

/// A run's ball: its current point, or where it is shown when it is not on the surface.
#[derive(Clone, Debug, PartialEq)]
pub struct Ball {
    pub run: usize,
    pub at: [f32; 2],
    pub place: BallPlace,
}

/// What the 3D view paints, back to front, and the balls on top.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Picture3d {
    pub items: Vec<Item>,
    /// The depth of each item (larger is nearer): ascending.
    pub depths: Vec<f32>,
    pub balls: Vec<Ball>,
}

/// How far paths float above the surface (in box units), so the triangles they lie on do not
/// hide them.
pub const PATH_LIFT: f64 = 0.01;

/// How much nearer a path segment is sorted than it is: the triangles it lies on are sorted by
/// their centres, which can be nearer than the segment by up to a mesh cell's depth, and would
/// cover it in stripes. A ridge in front (much nearer) still hides it.
const SEGMENT_BIAS: f64 = 0.08;

/// Contour lines on the mesh, as many as the 2D view draws.
pub const CONTOUR_LEVELS: usize = 14;

/// Contour lines lie on the triangles like paths do, and are sorted a little nearer for the
/// same reason (less than paths, which cross over them).
const CONTOUR_BIAS: f64 = 0.05;

/// The light falls from the upper left, above: the shading that makes relief readable.
const LIGHT: [f64; 3] = [-0.45, 0.35, 0.82];

/// The mesh's triangles, its contour lines (with `contours`) and the paths' segments for
/// `camera`, ordered back to front. Paths are lifted a little above the surface so they are not
/// hidden by the triangles they lie on.
pub fn describe(
    height: &HeightMap,
    camera: &Camera,
    paths: &[PathSource<'_>],
    contours: bool,
) -> Picture3d {
    let camera = camera.projection();
    let n = height.n;
    // Each node once; the triangles take their corners from here.
    let projected: Vec<([f64; 2], f64)> = (0..n * n)
        .map(|k| {
            height
                .node(k % n, k / n)
                .map_or(([0.0, 0.0], 0.0), |p| camera.project(p))
        })
        .collect();
    let mut keyed: Vec<(f64, Item)> = Vec::with_capacity(height.triangles.len() + 4096);
    for &(index, rgb) in &height.triangles {
        let [a, b, c] = index.map(|k| projected[k as usize]);
        keyed.push((
            (a.1 + b.1 + c.1) / 3.0,
            Item::Triangle {
                points: [f32s(a.0), f32s(b.0), f32s(c.0)],
                rgb,
            },
        ));
    }
    if contours {
        for line in &height.contours {
            let mut last = None;
            for &b in line {
                // Segments of a few pixels at most are merged: contours are smooth.
                join(
                    &mut keyed,
                    &mut last,
                    camera.project(b),
                    1.2e-2,
                    CONTOUR_BIAS,
                    |points| Item::Contour { points },
                );
            }
        }
    }
    let lift = PATH_LIFT;
    let mut balls = Vec::with_capacity(paths.len());
    for (run, path) in paths.iter().enumerate() {
        let mut last: Option<([f64; 2], f64)> = None;
        let mut last_screen: Option<[f32; 2]> = None;
        let (mut gone, mut outside) = (false, false);
        let mut end: Option<Point> = None;
        for (&p, &f) in path.points.iter().zip(path.values) {
            // A run that diverged ends at its last finite point; one that wanders out of the
            // view and back leaves a gap.
            if !(p[0].is_finite() && p[1].is_finite() && f.is_finite()) {
                gone = true;
                break;
            }
            end = Some(p);
            let Some(mut b) = height.to_box(p) else {
                outside = true;
                last = None;
                continue;
            };
            outside = false;
            b[2] += lift;
            let projected = camera.project(b);
            last_screen = Some(f32s(projected.0));
            // About a pixel apart at 1000 px: long paths keep their shape with few segments.
            join(
                &mut keyed,
                &mut last,
                projected,
                2e-3,
                SEGMENT_BIAS,
                |points| Item::Segment { points, run },
            );
        }
        let place = if gone || path.diverged {
            BallPlace::Diverged
        } else if outside {
            BallPlace::OutOfView
        } else {
            BallPlace::OnSurface
        };
        // On the surface and after divergence the ball is the last point drawn; outside the
        // view it is the current point moved onto the view's edge.
        let v = height.view;
        let at = match (place, end) {
            (BallPlace::OutOfView, Some(p)) => height
                .to_box([p[0].clamp(v.x_min, v.x_max), p[1].clamp(v.y_min, v.y_max)])
                .map(|mut b| {
                    b[2] += lift;
                    f32s(camera.project(b).0)
                })
                .or(last_screen),
            _ => last_screen,
        };
        if let Some(at) = at {
            balls.push(Ball { run, at, place });
        }
    }
    keyed.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let (depths, items) = keyed.into_iter().map(|(d, item)| (d as f32, item)).unzip();
    Picture3d {
        items,
        depths,
        balls,
    }
}

/// Joins the projected point `(s, d)` to the last one kept with a segment sorted at their mean
/// depth plus `bias`, unless it lies within `merge` of it on screen (then it is skipped and
/// the next point joins the same last one).
fn join(
    keyed: &mut Vec<(f64, Item)>,
    last: &mut Option<([f64; 2], f64)>,
    (s, d): ([f64; 2], f64),
    merge: f64,
    bias: f64,
    item: impl FnOnce([[f32; 2]; 2]) -> Item,
) {
    if let Some((q, dq)) = *last {
        if (s[0] - q[0]).hypot(s[1] - q[1]) < merge {
            return;
        }
        keyed.push((0.5 * (d + dq) + bias, item([f32s(q), f32s(s)])));
    }
    *last = Some((s, d));
}

fn f32s(p: [f64; 2]) -> [f32; 2] {
    [p[0] as f32, p[1] as f32]
}

fn sub(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

/// The values of `points` on `surface`, for [`PathSource`].
pub fn values_along(surface: &AnySurface, points: &[Point]) -> Vec<f64> {
    points.iter().map(|&p| surface.value(p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec::Spec;

    fn bowl() -> (AnySurface, View) {
        let s = AnySurface::from_spec(&Spec::named("quadratic")).unwrap();
        let v = View {
            x_min: -2.0,
            x_max: 2.0,
            y_min: -2.0,
            y_max: 2.0,
        };
        (s, v)
    }

    #[test]
    fn the_camera_turns_and_tilts_as_its_angles_say() {
        let at = |c: &Camera, p: [f64; 3]| c.project(p);
        // From the front (yaw 0), nearly level: x goes right, z up, y away from the viewer.
        let level = Camera {
            yaw: 0.0,
            pitch: 5.0,
            zoom: 1.0,
        };
        let (o, _) = at(&level, [0.0, 0.0, 0.0]);
        let (r, _) = at(&level, [1.0, 0.0, 0.0]);
        let (l, _) = at(&level, [-1.0, 0.0, 0.0]);
        assert!(r[0] > o[0] && (r[0] - o[0] + l[0] - o[0]).abs() < 1e-12);
        assert!((r[1] - o[1]).abs() < 1e-12);
        assert!(at(&level, [0.0, 0.0, 0.4]).0[1] > o[1]);
        assert!(at(&level, [0.0, 1.0, 0.0]).1 < at(&level, [0.0, -1.0, 0.0]).1);
        // Nearly overhead the base plane is seen almost undistorted, y going up the screen.
        let top = Camera {
            yaw: 0.0,
            pitch: 89.0,
            zoom: 1.0,
        };
        let (o, _) = at(&top, [0.0, 0.0, 0.0]);
        let (a, _) = at(&top, [1.0, 0.0, 0.0]);
        let (b, _) = at(&top, [0.0, 1.0, 0.0]);
        assert!(((a[0] - o[0]) / (b[1] - o[1]) - 1.0).abs() < 1e-3 && (b[0] - o[0]).abs() < 1e-12);
        // A quarter turn maps x onto y's direction.
        let turned = Camera { yaw: 90.0, ..top };
        let (o, _) = at(&turned, [0.0, 0.0, 0.0]);
        let (c, _) = at(&turned, [1.0, 0.0, 0.0]);
        assert!((c[0] - o[0]).abs() < 1e-12 && c[1] > o[1]);
        // At zoom 1 the box fills −1..1 in its widest direction, whatever the angle.
        for yaw in (0..360).step_by(15) {
            let cam = Camera {
                yaw: yaw as f64,
                pitch: 35.0,
                zoom: 1.0,
            };
            let mut widest = 0.0_f64;
            for x in [-1.0, 1.0] {
                for y in [-1.0, 1.0] {
                    for z in [-HEIGHT / 2.0, HEIGHT / 2.0] {
                        let (s, _) = cam.project([x, y, z]);
                        assert!(s[0].abs() <= 1.0 + 1e-12 && s[1].abs() <= 1.0 + 1e-12);
                        widest = widest.max(s[0].abs()).max(s[1].abs());
                    }
                }
            }
            assert!((widest - 1.0).abs() < 1e-9, "{yaw}: {widest}");
        }
        let wild = Camera {
            yaw: -30.0,
            pitch: 120.0,
            zoom: 100.0,
        }
        .clamped();
        assert_eq!((wild.yaw, wild.pitch, wild.zoom), (330.0, 89.0, 8.0));
    }

    #[test]
    fn paths_lie_on_the_mesh_and_items_come_back_to_front() {
        let (s, v) = bowl();
        let h = HeightMap::new(&s, v, 17);
        assert_eq!(h.t.len(), 289);
        assert!(h.t.iter().all(|t| (0.0..=1.0).contains(t)));
        // The bowl's centre is the lowest node, its corners the highest.
        let z = |p: Point| h.to_box(p).unwrap()[2];
        assert_eq!(z([0.0, 0.0]), -HEIGHT / 2.0);
        assert!(z([0.0, 0.0]) < z([1.0, 0.0]) && z([1.0, 0.0]) < z([2.0, 2.0]));
        assert!((z([2.0, 2.0]) - HEIGHT / 2.0).abs() < 1e-12);
        // Between nodes the height is interpolated: halfway between two nodes, the mean.
        let step = 4.0 / 16.0;
        let mid = z([0.5 * step, 0.0]);
        assert!((mid - 0.5 * (z([0.0, 0.0]) + z([step, 0.0]))).abs() < 1e-12);
        assert_eq!(h.to_box([3.0, 0.0]), None);
        // The contour lines lie on the mesh: the circles x² + y² = 2L of the bowl, at one
        // height each.
        assert!(!h.contours.is_empty());
        for line in &h.contours {
            let zs: Vec<f64> = line.iter().map(|b| b[2]).collect();
            let (lo, hi) = zs
                .iter()
                .fold((f64::MAX, f64::MIN), |(a, b), &z| (a.min(z), b.max(z)));
            assert!(hi - lo < 0.03 * HEIGHT, "{lo}..{hi}");
        }
        let camera = Camera::default();
        let points = [[-1.5, 1.0], [-0.5, 0.2], [0.0, 0.0]];
        let values = values_along(&s, &points);
        let picture = describe(
            &h,
            &camera,
            &[PathSource {
                points: &points,
                values: &values,
                diverged: false,
            }],
            false,
        );
        let triangles = picture
            .items
            .iter()
            .filter(|i| matches!(i, Item::Triangle { .. }))
            .count();
        assert_eq!(triangles, 2 * 16 * 16);
        assert_eq!(
            picture
                .items
                .iter()
                .filter(|i| matches!(i, Item::Segment { run: 0, .. }))
                .count(),
            2
        );
        // Nearest last: depths never decrease. Turned by −35° the viewer looks from below
        // y = −1 and right of x = 1: the corner (1, −1) is nearest, (−1, 1) farthest.
        assert!(picture.depths.windows(2).all(|w| w[0] <= w[1]));
        let corners = [[1.0, -1.0], [-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]];
        let depth: Vec<f64> = corners
            .iter()
            .map(|c| camera.project([c[0], c[1], 0.0]).1)
            .collect();
        assert!(depth[0] > depth[1] && depth[0] > depth[2]);
        assert!(depth[1] > depth[3] && depth[2] > depth[3]);
        // The ball is the last point, on the mesh, lifted like the path.
        let ball = &picture.balls[0];
        assert_eq!(ball.place, BallPlace::OnSurface);
        let mut b = h.to_box([0.0, 0.0]).unwrap();
        b[2] += PATH_LIFT;
        let (at, _) = camera.project(b);
        assert!(
            (ball.at[0] - at[0] as f32).abs() < 1e-6 && (ball.at[1] - at[1] as f32).abs() < 1e-6
        );
    }

    #[test]
    fn a_diverged_path_ends_with_a_ball_at_its_last_finite_point() {
        let (s, v) = bowl();
        let h = HeightMap::new(&s, v, 8);
        let points = [[0.5, 0.5], [1.0, -1.0], [f64::NAN, 3.0], [4.0, 4.0]];
        let values = values_along(&s, &points);
        let picture = describe(
            &h,
            &Camera::default(),
            &[PathSource {
                points: &points,
                values: &values,
                diverged: false,
            }],
            false,
        );
        let ball = &picture.balls[0];
        assert_eq!(ball.place, BallPlace::Diverged);
        let mut b = h.to_box([1.0, -1.0]).unwrap();
        b[2] += PATH_LIFT;
        let (at, _) = Camera::default().project(b);
        assert!(
            (ball.at[0] - at[0] as f32).abs() < 1e-6 && (ball.at[1] - at[1] as f32).abs() < 1e-6
        );
        // A run whose status says it diverged is marked so even while its points are finite.
        let points = [[0.5, 0.5], [1.0, -1.0]];
        let values = values_along(&s, &points);
        let picture = describe(
            &h,
            &Camera::default(),
            &[PathSource {
                points: &points,
                values: &values,
                diverged: true,
            }],
            false,
        );
        assert_eq!(picture.balls[0].place, BallPlace::Diverged);
    }

    #[test]
    fn a_run_outside_the_view_is_not_diverged_and_sits_on_the_edge() {
        // A momentum swing past the view's edge (x = 9 beyond x_max): the ball sits on the
        // edge at (x_max, 0), and says it is out of the view, not that the run diverged.
        let (s, v) = bowl();
        let h = HeightMap::new(&s, v, 8);
        let points = [[0.5, 0.5], [9.0, 0.0]];
        let values = values_along(&s, &points);
        let picture = describe(
            &h,
            &Camera::default(),
            &[PathSource {
                points: &points,
                values: &values,
                diverged: false,
            }],
            false,
        );
        let ball = &picture.balls[0];
        assert_eq!(ball.place, BallPlace::OutOfView);
        let mut b = h.to_box([v.x_max, 0.0]).unwrap();
        b[2] += PATH_LIFT;
        let (at, _) = Camera::default().project(b);
        assert!(
            (ball.at[0] - at[0] as f32).abs() < 1e-6 && (ball.at[1] - at[1] as f32).abs() < 1e-6
        );
        // Back inside, it is on the surface again.
        let points = [[0.5, 0.5], [9.0, 0.0], [0.0, 0.0]];
        let values = values_along(&s, &points);
        let picture = describe(
            &h,
            &Camera::default(),
            &[PathSource {
                points: &points,
                values: &values,
                diverged: false,
            }],
            false,
        );
        assert_eq!(picture.balls[0].place, BallPlace::OnSurface);
    }
}
