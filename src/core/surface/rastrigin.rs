use std::f64::consts::PI;

use super::{AnySurface, Capabilities, CriticalPoint, Surface, SurfaceItem, def_f};
use crate::core::math::{Mat2, Point, View};
use crate::core::python::py;
use crate::core::spec::{Check, ItemDef, ParamDef};

pub(super) const ITEM: SurfaceItem = SurfaceItem {
    def: ItemDef {
        name: "rastrigin",
        summary: "f = 2A + Σ (xᵢ² − A·cos 2πxᵢ): a bowl covered in local minima; global minimum at the origin",
        params: &[ParamDef::num(
            "A",
            Check::NonNegative,
            10.0,
            "height of the ripples",
        )],
    },
    caps: Capabilities::PLANE,
    build: |a| Ok(AnySurface::Rastrigin(Rastrigin::new(a.num("A")))),
    torch: |a| {
        Ok(def_f(
            a,
            &format!(
                "    A = {a}\n    return 2 * A + sum(t**2 - A * torch.cos(2 * math.pi * t) for t in (p[0], p[1]))\n",
                a = py(a.num("A"))
            ),
        ))
    },
};

/// Rastrigin's function: a regular lattice of local minima on a bowl, where gradient methods get
/// trapped and noise or large steps help.
///
/// f(x, y) = 2A + Σᵢ (xᵢ² − A·cos 2πxᵢ). Global minimum f = 0 at the origin.
#[derive(Clone, Debug, PartialEq)]
pub struct Rastrigin {
    pub a: f64,
}

impl Rastrigin {
    pub fn new(a: f64) -> Self {
        Self { a }
    }

    /// Whether colors follow log(f − f_min): no, its values span a few decades at most.
    pub fn wide_range(&self) -> bool {
        false
    }

    pub fn critical_points(&self) -> Vec<CriticalPoint> {
        vec![CriticalPoint::minimum([0.0, 0.0])]
    }

    pub fn default_view(&self) -> View {
        View::around([0.0, 0.0], 5.12)
    }
}

impl Surface for Rastrigin {
    #[inline]
    fn value(&self, p: Point) -> f64 {
        2.0 * self.a
            + p.iter()
                .map(|&x| x * x - self.a * (2.0 * PI * x).cos())
                .sum::<f64>()
    }

    #[inline]
    fn gradient(&self, p: Point) -> Point {
        p.map(|x| 2.0 * x + 2.0 * PI * self.a * (2.0 * PI * x).sin())
    }

    fn hessian(&self, p: Point) -> Mat2 {
        let d = p.map(|x| 2.0 + 4.0 * PI * PI * self.a * (2.0 * PI * x).cos());
        [[d[0], 0.0], [0.0, d[1]]]
    }
}
