use super::{AnySurface, Capabilities, CriticalPoint, Surface, SurfaceItem, def_f};
use crate::core::math::{Mat2, Point, View};
use crate::core::spec::ItemDef;

pub(super) const ITEM: SurfaceItem = SurfaceItem {
    def: ItemDef {
        name: "himmelblau",
        summary: "f = (x²+y−11)² + (x+y²−7)²: four minima of value 0, which one you reach depends on where you start",
        params: &[],
    },
    caps: Capabilities::PLANE,
    build: |_| Ok(AnySurface::Himmelblau(Himmelblau)),
    torch: |a| {
        Ok(def_f(
            a,
            "    x, y = p[0], p[1]\n    return (x**2 + y - 11)**2 + (x + y**2 - 7)**2\n",
        ))
    },
};

/// The four global minima (f = 0), refined by Newton's method to full precision.
pub const MINIMA: [Point; 4] = [
    [3.0, 2.0],
    [-2.805118086952745, 3.131312518250573],
    [-3.779310253377747, -3.2831859912861696],
    [3.5844283403304917, -1.8481265269644034],
];
/// The four saddle points between the basins.
pub const SADDLES: [Point; 4] = [
    [0.08667750455539634, 2.884254701174776],
    [-3.0730257507643897, -0.08135304428796751],
    [3.385154183607021, 0.07385187983774928],
    [-0.12796134673068005, -1.9537149802445766],
];
/// The local maximum in the middle, f ≈ 181.617.
pub const MAXIMUM: Point = [-0.2708445906673476, -0.9230385564799815];

/// Himmelblau's function: four equal minima, so the start point decides the outcome.
///
/// f(x, y) = (x² + y − 11)² + (x + y² − 7)². Minima in `MINIMA`, saddles in `SADDLES`,
/// a local maximum at `MAXIMUM`.
#[derive(Clone, Debug, PartialEq)]
pub struct Himmelblau;

impl Himmelblau {
    /// Whether colors follow log(f − f_min): its values span many decades.
    pub fn wide_range(&self) -> bool {
        true
    }

    pub fn critical_points(&self) -> Vec<CriticalPoint> {
        let mut points: Vec<CriticalPoint> =
            MINIMA.iter().map(|&p| CriticalPoint::minimum(p)).collect();
        points.extend(SADDLES.iter().map(|&p| CriticalPoint::saddle(p)));
        points.push(CriticalPoint::maximum(MAXIMUM));
        points
    }

    pub fn default_view(&self) -> View {
        View::around([0.0, 0.0], 6.0)
    }
}

impl Surface for Himmelblau {
    #[inline]
    fn value(&self, p: Point) -> f64 {
        let (x, y) = (p[0], p[1]);
        let a = x * x + y - 11.0;
        let b = x + y * y - 7.0;
        a * a + b * b
    }

    #[inline]
    fn gradient(&self, p: Point) -> Point {
        let (x, y) = (p[0], p[1]);
        let a = x * x + y - 11.0;
        let b = x + y * y - 7.0;
        [4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b]
    }

    fn hessian(&self, p: Point) -> Mat2 {
        let (x, y) = (p[0], p[1]);
        let off = 4.0 * (x + y);
        [
            [12.0 * x * x + 4.0 * y - 42.0, off],
            [off, 4.0 * x + 12.0 * y * y - 26.0],
        ]
    }
}
