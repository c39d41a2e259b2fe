use std::f64::consts::PI;

use super::{CriticalPoint, Surface};
use crate::core::math::{Mat2, Point, View};
use crate::core::spec::{Check, ItemDef, ParamDef};

pub(super) const DEF: ItemDef = ItemDef {
    name: "rastrigin",
    summary: "f = 2A + Σ (xᵢ² − A·cos 2πxᵢ): a bowl covered in local minima; global minimum at the origin",
    params: &[ParamDef::num(
        "A",
        Check::NonNegative,
        10.0,
        "height of the ripples",
    )],
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
