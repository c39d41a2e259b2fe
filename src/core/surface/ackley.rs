use std::f64::consts::{E, PI};

use super::{AnySurface, Capabilities, CriticalPoint, Surface, SurfaceItem, def_f};
use crate::core::math::{Mat2, Point, View};
use crate::core::spec::ItemDef;

pub(super) const ITEM: SurfaceItem = SurfaceItem {
    def: ItemDef {
        name: "ackley",
        summary: "f = −20·exp(−0.2·√(½(x²+y²))) − exp(½(cos 2πx + cos 2πy)) + e + 20: a nearly flat, rippled plain with a deep funnel at the origin",
        params: &[],
    },
    caps: Capabilities::PLANE,
    build: |_| Ok(AnySurface::Ackley(Ackley)),
    torch: |a| {
        Ok(def_f(
            a,
            "    x, y = p[0], p[1]\n    r = torch.sqrt(0.5 * (x**2 + y**2))\n    c = 0.5 * (torch.cos(2 * math.pi * x) + torch.cos(2 * math.pi * y))\n    return -20 * torch.exp(-0.2 * r) - torch.exp(c) + math.e + 20\n",
        ))
    },
};

/// Ackley's function: many shallow local minima around one sharp global minimum at the origin.
///
/// f(x, y) = −20·exp(−0.2·r) − exp(½(cos 2πx + cos 2πy)) + e + 20, r = √(½(x² + y²)).
/// Global minimum f = 0 at the origin, where f is not differentiable (a cone tip): there the
/// gradient is taken as 0 and the Hessian as infinite.
#[derive(Clone, Debug, PartialEq)]
pub struct Ackley;

impl Ackley {
    /// Whether colors follow log(f − f_min): no, its values span a few decades at most.
    pub fn wide_range(&self) -> bool {
        false
    }

    pub fn critical_points(&self) -> Vec<CriticalPoint> {
        vec![CriticalPoint::minimum([0.0, 0.0])]
    }

    pub fn default_view(&self) -> View {
        View::around([0.0, 0.0], 5.0)
    }
}

fn radius(p: Point) -> f64 {
    (0.5 * (p[0] * p[0] + p[1] * p[1])).sqrt()
}

impl Surface for Ackley {
    #[inline]
    fn value(&self, p: Point) -> f64 {
        let r = radius(p);
        let waves = 0.5 * ((2.0 * PI * p[0]).cos() + (2.0 * PI * p[1]).cos());
        -20.0 * (-0.2 * r).exp() - waves.exp() + E + 20.0
    }

    #[inline]
    fn gradient(&self, p: Point) -> Point {
        let r = radius(p);
        let ew = (0.5 * ((2.0 * PI * p[0]).cos() + (2.0 * PI * p[1]).cos())).exp();
        // d/dx of −20·exp(−0.2 r) = 2·exp(−0.2 r)·x / r (undefined at r = 0: use 0).
        let cone = if r > 0.0 {
            2.0 * (-0.2 * r).exp() / r
        } else {
            0.0
        };
        p.map(|x| cone * x + PI * ew * (2.0 * PI * x).sin())
    }

    fn hessian(&self, p: Point) -> Mat2 {
        let r = radius(p);
        let ew = (0.5 * ((2.0 * PI * p[0]).cos() + (2.0 * PI * p[1]).cos())).exp();
        let (s, c) = (
            p.map(|x| (2.0 * PI * x).sin()),
            p.map(|x| (2.0 * PI * x).cos()),
        );
        let pi2 = PI * PI;
        let waves = [
            [
                ew * pi2 * (2.0 * c[0] - s[0] * s[0]),
                -ew * pi2 * s[0] * s[1],
            ],
            [
                -ew * pi2 * s[0] * s[1],
                ew * pi2 * (2.0 * c[1] - s[1] * s[1]),
            ],
        ];
        if r == 0.0 {
            return [[f64::INFINITY, 0.0], [0.0, f64::INFINITY]];
        }
        let e = (-0.2 * r).exp();
        let k = e * (0.2 * r + 1.0) / (r * r * r);
        let (x, y) = (p[0], p[1]);
        let off = -k * x * y + waves[0][1];
        [
            [2.0 * e / r - k * x * x + waves[0][0], off],
            [off, 2.0 * e / r - k * y * y + waves[1][1]],
        ]
    }
}
