use super::{AnySurface, Capabilities, CriticalPoint, Surface, SurfaceItem, def_f};
use crate::core::math::{Mat2, Point, View};
use crate::core::python::py;
use crate::core::spec::{Check, ItemDef, ParamDef};

pub(super) const ITEM: SurfaceItem = SurfaceItem {
    def: ItemDef {
        name: "saddle",
        summary: "f = ½(a·x² − b·y²) + (c/4)·y⁴: a saddle at the origin; with c > 0 two minima at (0, ±√(b/c))",
        params: &[
            ParamDef::num("a", Check::Any, 1.0, "curvature along x"),
            ParamDef::num("b", Check::Any, 1.0, "negative curvature along y"),
            ParamDef::num(
                "c",
                Check::NonNegative,
                0.0,
                "quartic term that bounds the surface below",
            ),
        ],
    },
    caps: Capabilities::PLANE,
    build: |a| {
        Ok(AnySurface::Saddle(Saddle::new(
            a.num("a"),
            a.num("b"),
            a.num("c"),
        )))
    },
    torch: |a| {
        Ok(def_f(
            a,
            &format!(
                "    x, y = p[0], p[1]\n    return 0.5 * ({a} * x**2 - {b} * y**2) + {c} / 4 * y**4\n",
                a = py(a.num("a")),
                b = py(a.num("b")),
                c = py(a.num("c"))
            ),
        ))
    },
};

/// A saddle point, optionally bounded by a quartic: plain GD started on the ridge stalls,
/// noise and momentum escape, Newton's method is attracted to it.
///
/// f(x, y) = ½(a·x² − b·y²) + (c/4)·y⁴. Critical points: (0, 0) (a saddle for a, b > 0) and,
/// for b, c > 0, minima at (0, ±√(b/c)).
#[derive(Clone, Debug, PartialEq)]
pub struct Saddle {
    pub a: f64,
    pub b: f64,
    pub c: f64,
}

impl Saddle {
    pub fn new(a: f64, b: f64, c: f64) -> Self {
        Self { a, b, c }
    }

    /// Whether colors follow log(f − f_min): no, its values span a few decades at most.
    pub fn wide_range(&self) -> bool {
        false
    }

    pub fn critical_points(&self) -> Vec<CriticalPoint> {
        let mut points: Vec<CriticalPoint> =
            CriticalPoint::classify([0.0, 0.0], self.hessian([0.0, 0.0]))
                .into_iter()
                .collect();
        if self.c > 0.0 && self.b > 0.0 {
            let y = (self.b / self.c).sqrt();
            for p in [[0.0, y], [0.0, -y]] {
                points.extend(CriticalPoint::classify(p, self.hessian(p)));
            }
        }
        points
    }

    pub fn default_view(&self) -> View {
        let mut half: f64 = 2.0;
        if self.c > 0.0 && self.b > 0.0 {
            half = half.max(1.5 * (self.b / self.c).sqrt());
        }
        View::around([0.0, 0.0], half)
    }
}

impl Surface for Saddle {
    #[inline]
    fn value(&self, p: Point) -> f64 {
        let (x, y) = (p[0], p[1]);
        let y2 = y * y;
        0.5 * (self.a * x * x - self.b * y2) + 0.25 * self.c * y2 * y2
    }

    #[inline]
    fn gradient(&self, p: Point) -> Point {
        let (x, y) = (p[0], p[1]);
        [self.a * x, -self.b * y + self.c * y * y * y]
    }

    fn hessian(&self, p: Point) -> Mat2 {
        [[self.a, 0.0], [0.0, -self.b + 3.0 * self.c * p[1] * p[1]]]
    }
}
