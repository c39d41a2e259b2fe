use super::{AnySurface, Capabilities, CriticalPoint, Surface, SurfaceItem, def_f};
use crate::core::math::{Mat2, Point, View};
use crate::core::python::py;
use crate::core::spec::{Check, ItemDef, ParamDef};

pub(super) const ITEM: SurfaceItem = SurfaceItem {
    def: ItemDef {
        name: "rosenbrock",
        summary: "f = (a−x)² + b(y−x²)²: a curved, flat-bottomed valley; minimum at (a, a²)",
        params: &[
            ParamDef::num("a", Check::Any, 1.0, "x of the minimum"),
            ParamDef::num("b", Check::Positive, 100.0, "steepness of the valley walls"),
        ],
    },
    caps: Capabilities::PLANE,
    build: |a| {
        Ok(AnySurface::Rosenbrock(Rosenbrock::new(
            a.num("a"),
            a.num("b"),
        )))
    },
    torch: |a| {
        Ok(def_f(
            a,
            &format!(
                "    x, y = p[0], p[1]\n    return ({a} - x)**2 + {b} * (y - x**2)**2\n",
                a = py(a.num("a")),
                b = py(a.num("b"))
            ),
        ))
    },
};

/// Rosenbrock's banana valley: easy to find, slow to follow, the classic test of momentum and
/// adaptive methods.
///
/// f(x, y) = (a − x)² + b(y − x²)². Global minimum f = 0 at (a, a²).
#[derive(Clone, Debug, PartialEq)]
pub struct Rosenbrock {
    pub a: f64,
    pub b: f64,
}

impl Rosenbrock {
    pub fn new(a: f64, b: f64) -> Self {
        Self { a, b }
    }

    /// Whether colors follow log(f − f_min): its values span many decades.
    pub fn wide_range(&self) -> bool {
        true
    }

    pub fn critical_points(&self) -> Vec<CriticalPoint> {
        vec![CriticalPoint::minimum([self.a, self.a * self.a])]
    }

    pub fn default_view(&self) -> View {
        let a = self.a.abs().max(1.0);
        View {
            x_min: -2.0 * a,
            x_max: 2.0 * a,
            y_min: -(a * a),
            y_max: 3.0 * a * a,
        }
    }
}

impl Surface for Rosenbrock {
    #[inline]
    fn value(&self, p: Point) -> f64 {
        let (dx, r) = (self.a - p[0], p[1] - p[0] * p[0]);
        dx * dx + self.b * r * r
    }

    #[inline]
    fn gradient(&self, p: Point) -> Point {
        self.value_and_gradient(p).1
    }

    fn hessian(&self, p: Point) -> Mat2 {
        let (x, y) = (p[0], p[1]);
        let off = -4.0 * self.b * x;
        [
            [2.0 - 4.0 * self.b * (y - x * x) + 8.0 * self.b * x * x, off],
            [off, 2.0 * self.b],
        ]
    }

    #[inline]
    fn value_and_gradient(&self, p: Point) -> (f64, Point) {
        let (dx, r) = (self.a - p[0], p[1] - p[0] * p[0]);
        let br = self.b * r;
        (dx * dx + br * r, [-2.0 * dx - 4.0 * br * p[0], 2.0 * br])
    }
}
