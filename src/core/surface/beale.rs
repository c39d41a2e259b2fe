use super::{AnySurface, Capabilities, CriticalPoint, Surface, SurfaceItem, def_f};
use crate::core::math::{Mat2, Point, View};
use crate::core::spec::ItemDef;

pub(super) const ITEM: SurfaceItem = SurfaceItem {
    def: ItemDef {
        name: "beale",
        summary: "f = (1.5−x+xy)² + (2.25−x+xy²)² + (2.625−x+xy³)²: flat plateaus and steep ridges; minimum at (3, 0.5)",
        params: &[],
    },
    caps: Capabilities::PLANE,
    build: |_| Ok(AnySurface::Beale(Beale)),
    torch: |a| {
        Ok(def_f(
            a,
            "    x, y = p[0], p[1]\n    return (1.5 - x + x * y)**2 + (2.25 - x + x * y**2)**2 + (2.625 - x + x * y**3)**2\n",
        ))
    },
};

const C: [f64; 3] = [1.5, 2.25, 2.625];

/// Beale's function: values spanning five decades, sharp ridges and flat plateaus, where
/// adaptive step sizes matter.
///
/// f(x, y) = Σᵢ (cᵢ − x + x·yⁱ)², c = (1.5, 2.25, 2.625). Minimum f = 0 at (3, 0.5); a saddle at
/// (0, 1).
#[derive(Clone, Debug, PartialEq)]
pub struct Beale;

impl Beale {
    /// Whether colors follow log(f − f_min): its values span many decades.
    pub fn wide_range(&self) -> bool {
        true
    }

    pub fn critical_points(&self) -> Vec<CriticalPoint> {
        vec![
            CriticalPoint::minimum([3.0, 0.5]),
            CriticalPoint::saddle([0.0, 1.0]),
        ]
    }

    pub fn default_view(&self) -> View {
        View::around([0.0, 0.0], 4.5)
    }
}

impl Surface for Beale {
    #[inline]
    fn value(&self, p: Point) -> f64 {
        let (x, y) = (p[0], p[1]);
        let mut yi = 1.0;
        C.iter()
            .map(|c| {
                yi *= y;
                let t = c - x + x * yi;
                t * t
            })
            .sum()
    }

    #[inline]
    fn gradient(&self, p: Point) -> Point {
        let (x, y) = (p[0], p[1]);
        let mut g = [0.0, 0.0];
        // t_i = c_i − x + x·yⁱ; ∂t/∂x = yⁱ − 1, ∂t/∂y = i·x·yⁱ⁻¹.
        let mut y_prev = 1.0;
        for (i, c) in C.iter().enumerate() {
            let yi = y_prev * y;
            let t = c - x + x * yi;
            g[0] += 2.0 * t * (yi - 1.0);
            g[1] += 2.0 * t * (i as f64 + 1.0) * x * y_prev;
            y_prev = yi;
        }
        g
    }

    fn hessian(&self, p: Point) -> Mat2 {
        let (x, y) = (p[0], p[1]);
        let (mut hxx, mut hxy, mut hyy) = (0.0, 0.0, 0.0);
        let mut y_prev2 = 0.0; // y^(i−2), zero for i = 1
        let mut y_prev = 1.0; // y^(i−1)
        for (i, c) in C.iter().enumerate() {
            let n = i as f64 + 1.0;
            let yi = y_prev * y;
            let t = c - x + x * yi;
            let (tx, ty) = (yi - 1.0, n * x * y_prev);
            // Second derivatives of t: t_xx = 0, t_xy = n·yⁿ⁻¹, t_yy = n(n−1)·x·yⁿ⁻².
            let (txy, tyy) = (n * y_prev, n * (n - 1.0) * x * y_prev2);
            hxx += 2.0 * tx * tx;
            hxy += 2.0 * (tx * ty + t * txy);
            hyy += 2.0 * (ty * ty + t * tyy);
            y_prev2 = y_prev;
            y_prev = yi;
        }
        [[hxx, hxy], [hxy, hyy]]
    }
}
