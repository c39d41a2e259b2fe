use super::{AnySurface, Capabilities, CriticalPoint, Surface, SurfaceItem, def_f};
use crate::core::math::{Mat2, Point, View};
use crate::core::python::py;
use crate::core::spec::{Check, ItemDef, ParamDef};

pub(super) const ITEM: SurfaceItem = SurfaceItem {
    def: ItemDef {
        name: "quadratic",
        summary: "f = ½(a·u² + b·v²), u = x·cosθ + y·sinθ, v = −x·sinθ + y·cosθ: the ill-conditioned bowl; GD is stable for lr < 2/max(a,b)",
        params: &[
            ParamDef::num("a", Check::Any, 1.0, "curvature along u"),
            ParamDef::num("b", Check::Any, 10.0, "curvature along v"),
            ParamDef::num(
                "angle",
                Check::Any,
                0.0,
                "rotation θ of the axes, in degrees",
            ),
        ],
    },
    caps: Capabilities::PLANE,
    build: |a| {
        Ok(AnySurface::Quadratic(Quadratic::new(
            a.num("a"),
            a.num("b"),
            a.num("angle"),
        )))
    },
    torch: |a| {
        Ok(def_f(
            a,
            &format!(
                "    x, y = p[0], p[1]\n    th = math.radians({angle})\n    u = x * math.cos(th) + y * math.sin(th)\n    v = -x * math.sin(th) + y * math.cos(th)\n    return 0.5 * ({a} * u**2 + {b} * v**2)\n",
                a = py(a.num("a")),
                b = py(a.num("b")),
                angle = py(a.num("angle"))
            ),
        ))
    },
};

/// A quadratic bowl rotated by `angle`: the textbook case where the Hessian is constant, so the
/// stability limit 2/λmax = 2/max(a, b) of gradient descent is exact.
///
/// f(x, y) = ½(a·u² + b·v²), u = x·cosθ + y·sinθ, v = −x·sinθ + y·cosθ.
/// Critical point: the origin (a minimum when a, b > 0, a saddle when their signs differ).
#[derive(Clone, Debug, PartialEq)]
pub struct Quadratic {
    pub a: f64,
    pub b: f64,
    pub angle_deg: f64,
    cos: f64,
    sin: f64,
}

impl Quadratic {
    pub fn new(a: f64, b: f64, angle_deg: f64) -> Self {
        let (sin, cos) = angle_deg.to_radians().sin_cos();
        Self {
            a,
            b,
            angle_deg,
            cos,
            sin,
        }
    }

    /// Whether colors follow log(f − f_min): no, its values span a few decades at most.
    pub fn wide_range(&self) -> bool {
        false
    }

    pub fn critical_points(&self) -> Vec<CriticalPoint> {
        CriticalPoint::classify([0.0, 0.0], self.hessian([0.0, 0.0]))
            .into_iter()
            .collect()
    }

    pub fn default_view(&self) -> View {
        View::around([0.0, 0.0], 5.0)
    }
}

impl Surface for Quadratic {
    #[inline]
    fn value(&self, p: Point) -> f64 {
        let u = p[0] * self.cos + p[1] * self.sin;
        let v = -p[0] * self.sin + p[1] * self.cos;
        0.5 * (self.a * u * u + self.b * v * v)
    }

    #[inline]
    fn gradient(&self, p: Point) -> Point {
        let u = p[0] * self.cos + p[1] * self.sin;
        let v = -p[0] * self.sin + p[1] * self.cos;
        let (au, bv) = (self.a * u, self.b * v);
        [au * self.cos - bv * self.sin, au * self.sin + bv * self.cos]
    }

    fn hessian(&self, _p: Point) -> Mat2 {
        let (c, s) = (self.cos, self.sin);
        let off = (self.a - self.b) * c * s;
        [
            [self.a * c * c + self.b * s * s, off],
            [off, self.a * s * s + self.b * c * c],
        ]
    }

    #[inline]
    fn value_and_gradient(&self, p: Point) -> (f64, Point) {
        let u = p[0] * self.cos + p[1] * self.sin;
        let v = -p[0] * self.sin + p[1] * self.cos;
        let (au, bv) = (self.a * u, self.b * v);
        (
            0.5 * (au * u + bv * v),
            [au * self.cos - bv * self.sin, au * self.sin + bv * self.cos],
        )
    }
}
