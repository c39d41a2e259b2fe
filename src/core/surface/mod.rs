//! Loss surfaces: value, analytic gradient and analytic Hessian of 2D functions.
//!
//! Each surface lives in its own file with its formula, its known critical points and a default
//! view, following the habit of `argmin-testfunctions`. [`AnySurface`] is the closed set the app
//! and CLI choose from; hot loops dispatch once with `with_surface!` and
//! then run monomorphized code.

mod ackley;
mod beale;
mod custom;
mod dual;
mod himmelblau;
mod linreg;
mod quadratic;
mod rastrigin;
mod rosenbrock;
mod saddle;

pub use ackley::Ackley;
pub use beale::Beale;
pub use custom::{Custom, Formula, FormulaError, FormulaHint};
pub use himmelblau::Himmelblau;
pub use linreg::LinReg;
pub use quadratic::Quadratic;
pub use rastrigin::Rastrigin;
pub use rosenbrock::Rosenbrock;
pub use saddle::Saddle;

use crate::core::math::{Mat2, Point, View};
use crate::core::spec::{Args, Item, ItemDef, Registry, Spec, SpecError};

/// The random number generator of a run: a named, portable algorithm, so a seed gives the same
/// minibatches and noise on every machine and in every release.
pub type RunRng = rand::rngs::Xoshiro256PlusPlus;

/// A twice-differentiable function of two parameters.
pub trait Surface {
    fn value(&self, p: Point) -> f64;
    fn gradient(&self, p: Point) -> Point;
    fn hessian(&self, p: Point) -> Mat2;

    /// Value and gradient together; surfaces override it where the two share work.
    #[inline]
    fn value_and_gradient(&self, p: Point) -> (f64, Point) {
        (self.value(p), self.gradient(p))
    }

    /// The gradient an optimizer sees at `p`, given the exact one: a minibatch estimate for
    /// stochastic surfaces, the exact gradient otherwise.
    #[inline]
    fn sample_gradient(&self, _p: Point, exact: Point, _rng: &mut RunRng) -> Point {
        exact
    }

    /// Whether [`Surface::sample_gradient`] draws from the run's random numbers.
    fn is_stochastic(&self) -> bool {
        false
    }
}

impl<S: Surface + ?Sized> Surface for Box<S> {
    #[inline]
    fn value(&self, p: Point) -> f64 {
        (**self).value(p)
    }
    #[inline]
    fn gradient(&self, p: Point) -> Point {
        (**self).gradient(p)
    }
    fn hessian(&self, p: Point) -> Mat2 {
        (**self).hessian(p)
    }
    #[inline]
    fn value_and_gradient(&self, p: Point) -> (f64, Point) {
        (**self).value_and_gradient(p)
    }
    #[inline]
    fn sample_gradient(&self, p: Point, exact: Point, rng: &mut RunRng) -> Point {
        (**self).sample_gradient(p, exact, rng)
    }
    fn is_stochastic(&self) -> bool {
        (**self).is_stochastic()
    }
}

/// What kind of stationary point a [`CriticalPoint`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CriticalKind {
    Minimum,
    Saddle,
    Maximum,
}

/// A known stationary point, marked on the surface view.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CriticalPoint {
    pub point: Point,
    pub kind: CriticalKind,
}

impl CriticalPoint {
    pub fn minimum(point: Point) -> Self {
        Self {
            point,
            kind: CriticalKind::Minimum,
        }
    }
    pub fn saddle(point: Point) -> Self {
        Self {
            point,
            kind: CriticalKind::Saddle,
        }
    }
    pub fn maximum(point: Point) -> Self {
        Self {
            point,
            kind: CriticalKind::Maximum,
        }
    }

    /// Classifies a stationary point of a 2D function by the signs of its Hessian's eigenvalues.
    pub fn classify(point: Point, h: Mat2) -> Option<Self> {
        let (vals, _) = crate::core::math::sym_eigen2(h);
        let kind = match (vals[0] > 0.0, vals[1] > 0.0, vals[0] < 0.0, vals[1] < 0.0) {
            (true, true, _, _) => CriticalKind::Minimum,
            (_, _, true, true) => CriticalKind::Maximum,
            (_, true, true, _) => CriticalKind::Saddle,
            _ => return None,
        };
        Some(Self { point, kind })
    }
}

/// A registry item of the surface family: its definition and its behaviour.
pub struct SurfaceItem {
    pub def: ItemDef,
    /// Builds the surface from checked parameters.
    pub build: fn(&Args) -> Result<AnySurface, SpecError>,
    /// What its point means and what a run on it may set.
    pub caps: Capabilities,
    /// Python code defining the loss `f(p)` of a 2-tensor `p` with torch (and its data).
    pub torch: fn(&Args) -> Result<String, SpecError>,
}

/// What a surface's point means and what runs on it may set: read wherever the window, the
/// pictures and the scripts would otherwise test the surface's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// The names of the two coordinates (a model's weight and bias on `linreg`).
    pub axes: [&'static str; 2],
    /// Whether a run may set its own `batch_size` (minibatches of the surface's data).
    pub batched: bool,
}

impl Capabilities {
    /// A plain function of a point in the plane.
    pub const PLANE: Self = Self {
        axes: ["x", "y"],
        batched: false,
    };

    /// The capabilities of the surface `spec` names (a plane's for an unknown name, which
    /// fails elsewhere with its own message).
    pub fn of(spec: &Spec) -> Self {
        SURFACES
            .find(&spec.name)
            .map_or(Self::PLANE, |item| item.caps)
    }
}

impl Item for SurfaceItem {
    fn def(&self) -> &ItemDef {
        &self.def
    }
}

/// `def f(p)` with the spec as its docstring, around `body`.
fn def_f(a: &Args, body: &str) -> String {
    format!(
        "def f(p):\n    \"\"\"{}\"\"\"\n{body}",
        a.spec().to_string().replace('"', "'")
    )
}

/// Declares the built-in surfaces once: the [`AnySurface`] enum, the `with_surface!` dispatch
/// and the [`SURFACES`] registry (in the order the UI lists them) all come from this list.
macro_rules! surfaces {
    ($d:tt $($(#[$doc:meta])* $variant:ident($ty:ty) = $item:expr,)*) => {
        /// One of the built-in surfaces, built from a spec.
        #[derive(Clone, Debug, PartialEq)]
        pub enum AnySurface {
            $($(#[$doc])* $variant($ty),)*
        }

        /// Runs `$body` with `$s` bound to the concrete surface inside an [`AnySurface`], so
        /// generic code is monomorphized per surface instead of matching on every evaluation.
        macro_rules! with_surface {
            ($d surface:expr, $d s:ident => $d body:expr) => {
                match $d surface {
                    $($d crate::core::surface::AnySurface::$variant($d s) => $d body,)*
                }
            };
        }

        /// The registry of surfaces: names, parameters and defaults for the CLI, presets and
        /// the UI.
        pub static SURFACES: Registry<SurfaceItem> = Registry::new("surface", &[$($item),*]);
    };
}

surfaces! { $
    Quadratic(Quadratic) = quadratic::ITEM,
    Rosenbrock(Rosenbrock) = rosenbrock::ITEM,
    Saddle(Saddle) = saddle::ITEM,
    Himmelblau(Himmelblau) = himmelblau::ITEM,
    Beale(Beale) = beale::ITEM,
    Rastrigin(Rastrigin) = rastrigin::ITEM,
    Ackley(Ackley) = ackley::ITEM,
    LinReg(LinReg) = linreg::ITEM,
    /// Boxed: a compiled formula is large, and every other surface is a few numbers.
    Custom(Box<Custom>) = custom::ITEM,
}

pub(crate) use with_surface;

impl AnySurface {
    /// Builds the surface a spec such as `quadratic(a=1,b=10)` names.
    pub fn from_spec(spec: &Spec) -> Result<Self, SpecError> {
        let (item, args) = SURFACES.resolve_item(spec)?;
        (item.build)(&args)
    }

    /// The Python definition of `spec`'s loss for PyTorch scripts.
    pub fn torch_code(spec: &Spec) -> Result<String, SpecError> {
        let (item, args) = SURFACES.resolve_item(spec)?;
        (item.torch)(&args)
    }

    /// Known minima, saddles and maxima, for markers on the view.
    pub fn critical_points(&self) -> Vec<CriticalPoint> {
        with_surface!(self, s => s.critical_points())
    }

    /// The rectangle that shows the interesting part of the surface.
    pub fn default_view(&self) -> View {
        with_surface!(self, s => s.default_view())
    }

    /// Whether colors should follow log(f − f_min): surfaces whose values span many decades.
    pub fn wide_range(&self) -> bool {
        with_surface!(self, s => s.wide_range())
    }
}

impl Surface for AnySurface {
    fn value(&self, p: Point) -> f64 {
        with_surface!(self, s => s.value(p))
    }
    fn gradient(&self, p: Point) -> Point {
        with_surface!(self, s => s.gradient(p))
    }
    fn hessian(&self, p: Point) -> Mat2 {
        with_surface!(self, s => s.hessian(p))
    }
    fn value_and_gradient(&self, p: Point) -> (f64, Point) {
        with_surface!(self, s => s.value_and_gradient(p))
    }
    fn sample_gradient(&self, p: Point, exact: Point, rng: &mut RunRng) -> Point {
        with_surface!(self, s => s.sample_gradient(p, exact, rng))
    }
    fn is_stochastic(&self) -> bool {
        with_surface!(self, s => s.is_stochastic())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::spec::parse_spec;
    use proptest::prelude::*;

    fn build(text: &str) -> AnySurface {
        AnySurface::from_spec(&parse_spec(text).unwrap()).unwrap()
    }

    /// Every registered surface with non-default parameters where it has any.
    /// Every registered surface at its defaults (so a new one is checked without editing this
    /// test), and with non-default parameters where it has any.
    fn all_surfaces() -> Vec<AnySurface> {
        let mut surfaces: Vec<AnySurface> = SURFACES
            .defs()
            .into_iter()
            .map(|item| AnySurface::from_spec(&item.example_spec()).unwrap())
            .collect();
        surfaces.extend(
            [
                "quadratic(a=2,b=-3,angle=35)",
                "rosenbrock(a=-0.5,b=30)",
                "saddle(a=2,b=0.5,c=0.3)",
                "rastrigin(A=3)",
                "linreg(n=20,noise=2,batch_size=4,seed=9)",
                "custom(f=sin(x)*exp(y/3) + x^2*y,x_min=-3,x_max=3,y_min=-3,y_max=3)",
            ]
            .iter()
            .map(|t| build(t)),
        );
        surfaces
    }

    fn close(analytic: f64, numeric: f64, scale: f64) -> bool {
        (analytic - numeric).abs() <= 1e-6 * (1.0 + analytic.abs().max(scale))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Gradient and Hessian match central finite differences of value and gradient.
        #[test]
        fn derivatives_match_finite_differences(x in -3.0f64..3.0, y in -3.0f64..3.0) {
            // Ackley's cone tip at the origin has no derivative; stay away from it.
            prop_assume!(x.hypot(y) > 1e-2);
            for surface in all_surfaces() {
                let p = [x, y];
                let h = 1e-5;
                let g = surface.gradient(p);
                let hess = surface.hessian(p);
                let (v, g2) = surface.value_and_gradient(p);
                prop_assert_eq!(v, surface.value(p));
                prop_assert_eq!(g, g2);
                let scale = v.abs().sqrt();
                for i in 0..2 {
                    let mut plus = p;
                    let mut minus = p;
                    plus[i] += h;
                    minus[i] -= h;
                    let fd = (surface.value(plus) - surface.value(minus)) / (2.0 * h);
                    prop_assert!(close(g[i], fd, scale), "{surface:?} grad[{i}] at {p:?}: {} vs {fd}", g[i]);
                    let (gp, gm) = (surface.gradient(plus), surface.gradient(minus));
                    for j in 0..2 {
                        let fd = (gp[j] - gm[j]) / (2.0 * h);
                        prop_assert!(close(hess[j][i], fd, scale), "{surface:?} H[{j}][{i}] at {p:?}: {} vs {fd}", hess[j][i]);
                    }
                }
                prop_assert_eq!(hess[0][1], hess[1][0]);
            }
        }
    }

    #[test]
    fn critical_points_are_stationary_and_correctly_classified() {
        for surface in all_surfaces() {
            let points = surface.critical_points();
            // A typed formula's stationary points are not known in closed form.
            let typed = matches!(surface, AnySurface::Custom(_));
            assert!(
                typed || !points.is_empty(),
                "{surface:?} lists no critical point"
            );
            for cp in points {
                let g = surface.gradient(cp.point);
                let scale = 1.0 + surface.value(cp.point).abs();
                assert!(
                    crate::core::math::norm(g) < 1e-9 * scale,
                    "{surface:?} {cp:?}: gradient {g:?}"
                );
                if !matches!(surface, AnySurface::Ackley(_)) {
                    let classified = CriticalPoint::classify(cp.point, surface.hessian(cp.point));
                    assert_eq!(
                        classified.map(|c| c.kind),
                        Some(cp.kind),
                        "{surface:?} {cp:?}"
                    );
                }
                assert!(
                    surface.default_view().contains(cp.point),
                    "{surface:?} {cp:?} out of view"
                );
            }
        }
    }

    #[test]
    fn closed_form_values() {
        let e = std::f64::consts::E;
        let cases: [(&str, Point, f64); 9] = [
            // ½(a u² + b v²) with u = x cos θ + y sin θ: θ = 90° swaps the axes.
            (
                "quadratic(a=1,b=10,angle=90)",
                [1.0, 2.0],
                0.5 * (4.0 + 10.0),
            ),
            ("quadratic(a=1,b=10)", [1.0, 2.0], 0.5 * (1.0 + 40.0)),
            ("rosenbrock", [0.0, 0.0], 1.0),
            ("rosenbrock(a=2,b=3)", [1.0, 2.0], 1.0 + 3.0),
            ("saddle(a=1,b=1,c=4)", [2.0, 1.0], 0.5 * (4.0 - 1.0) + 1.0),
            ("himmelblau", [0.0, 0.0], 121.0 + 49.0),
            ("beale", [0.0, 0.0], 2.25 + 5.0625 + 6.890625),
            ("rastrigin", [0.5, 0.0], 20.0 + 0.25 + 10.0 - 10.0),
            ("ackley", [0.0, 0.0], -20.0 - e + e + 20.0),
        ];
        for (text, p, expected) in cases {
            let v = build(text).value(p);
            assert!(
                (v - expected).abs() < 1e-12,
                "{text} at {p:?}: {v} vs {expected}"
            );
        }
    }

    #[test]
    fn unknown_surface_lists_valid_ones() {
        let err = AnySurface::from_spec(&parse_spec("rosenbrok").unwrap()).unwrap_err();
        assert!(
            err.to_string()
                .contains("quadratic, rosenbrock, saddle, himmelblau"),
            "{err}"
        );
    }
}
