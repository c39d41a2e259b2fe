//! Hyper-dual numbers: a value with its gradient and Hessian in (x, y), carried through every
//! operation by the chain rule. A custom formula evaluated on them yields f, ∇f and ∇²f in one
//! pass, exactly (to rounding), in time linear in the formula's length. Symbolic derivatives
//! (what exmex's `partial` gives) grow with the formula: a sum of 400 terms took 4 s to
//! differentiate twice, a product of 100 factors over two minutes.

use std::fmt;
use std::str::FromStr;

use exmex::{BinOp, MakeOperators, Operator};

/// f and its first and second partial derivatives in x and y.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Dual {
    pub v: f64,
    pub dx: f64,
    pub dy: f64,
    pub dxx: f64,
    pub dxy: f64,
    pub dyy: f64,
}

impl Dual {
    /// A number that does not depend on x or y.
    pub const fn constant(v: f64) -> Self {
        Self {
            v,
            dx: 0.0,
            dy: 0.0,
            dxx: 0.0,
            dxy: 0.0,
            dyy: 0.0,
        }
    }

    /// The variables themselves: x (∂x/∂x = 1) and y (∂y/∂y = 1).
    pub const fn x(v: f64) -> Self {
        Self {
            dx: 1.0,
            ..Self::constant(v)
        }
    }

    pub const fn y(v: f64) -> Self {
        Self {
            dy: 1.0,
            ..Self::constant(v)
        }
    }

    fn is_constant(&self) -> bool {
        self.dx == 0.0 && self.dy == 0.0 && self.dxx == 0.0 && self.dxy == 0.0 && self.dyy == 0.0
    }

    /// g(self) for a function g with value `f`, first derivative `d1` and second `d2` at
    /// self.v: the chain rule to second order.
    fn chain(self, f: f64, d1: f64, d2: f64) -> Self {
        Self {
            v: f,
            dx: d1 * self.dx,
            dy: d1 * self.dy,
            dxx: d2 * self.dx * self.dx + d1 * self.dxx,
            dxy: d2 * self.dx * self.dy + d1 * self.dxy,
            dyy: d2 * self.dy * self.dy + d1 * self.dyy,
        }
    }

    fn add(a: Self, b: Self) -> Self {
        Self {
            v: a.v + b.v,
            dx: a.dx + b.dx,
            dy: a.dy + b.dy,
            dxx: a.dxx + b.dxx,
            dxy: a.dxy + b.dxy,
            dyy: a.dyy + b.dyy,
        }
    }

    fn neg(a: Self) -> Self {
        Self {
            v: -a.v,
            dx: -a.dx,
            dy: -a.dy,
            dxx: -a.dxx,
            dxy: -a.dxy,
            dyy: -a.dyy,
        }
    }

    fn sub(a: Self, b: Self) -> Self {
        Self::add(a, Self::neg(b))
    }

    fn mul(a: Self, b: Self) -> Self {
        Self {
            v: a.v * b.v,
            dx: a.dx * b.v + a.v * b.dx,
            dy: a.dy * b.v + a.v * b.dy,
            dxx: a.dxx * b.v + 2.0 * a.dx * b.dx + a.v * b.dxx,
            dxy: a.dxy * b.v + a.dx * b.dy + a.dy * b.dx + a.v * b.dxy,
            dyy: a.dyy * b.v + 2.0 * a.dy * b.dy + a.v * b.dyy,
        }
    }

    fn recip(a: Self) -> Self {
        let r = 1.0 / a.v;
        a.chain(r, -r * r, 2.0 * r * r * r)
    }

    fn div(a: Self, b: Self) -> Self {
        if b.is_constant() {
            // Exactly a/c for a constant c, as the plain evaluation computes it.
            let c = b.v;
            return Self {
                v: a.v / c,
                dx: a.dx / c,
                dy: a.dy / c,
                dxx: a.dxx / c,
                dxy: a.dxy / c,
                dyy: a.dyy / c,
            };
        }
        let mut q = Self::mul(a, Self::recip(b));
        q.v = a.v / b.v;
        q
    }

    fn pow(a: Self, b: Self) -> Self {
        if b.is_constant() {
            let n = b.v;
            if n == 0.0 {
                return Self::constant(1.0);
            }
            if n == 1.0 {
                return a;
            }
            // Whole powers as powi, like the formula's plain evaluation (x^2 is x·x).
            if n.fract() == 0.0 && n.abs() <= 64.0 {
                let k = n as i32;
                return a.chain(
                    a.v.powi(k),
                    n * a.v.powi(k - 1),
                    n * (n - 1.0) * a.v.powi(k - 2),
                );
            }
            return a.chain(
                a.v.powf(n),
                n * a.v.powf(n - 1.0),
                n * (n - 1.0) * a.v.powf(n - 2.0),
            );
        }
        // a^b = exp(b·ln a) where the exponent varies.
        let mut p = Self::exp(Self::mul(b, Self::ln(a)));
        p.v = a.v.powf(b.v);
        p
    }

    fn exp(a: Self) -> Self {
        let e = a.v.exp();
        a.chain(e, e, e)
    }

    fn ln(a: Self) -> Self {
        a.chain(a.v.ln(), 1.0 / a.v, -1.0 / (a.v * a.v))
    }

    fn atan2(y: Self, x: Self) -> Self {
        // Away from the branch cut both are atan(y/x) or −atan(x/y) plus a constant.
        let mut r = if x.v.abs() >= y.v.abs() {
            Self::unary(Self::div(y, x), Unary::Atan)
        } else {
            Self::neg(Self::unary(Self::div(x, y), Unary::Atan))
        };
        r.v = y.v.atan2(x.v);
        r
    }

    fn unary(a: Self, u: Unary) -> Self {
        let v = a.v;
        match u {
            Unary::Abs => a.chain(v.abs(), v.signum(), 0.0),
            Unary::Step(f) => a.chain(f(v), 0.0, 0.0),
            Unary::Fract => a.chain(v.fract(), 1.0, 0.0),
            Unary::Sin => a.chain(v.sin(), v.cos(), -v.sin()),
            Unary::Cos => a.chain(v.cos(), -v.sin(), -v.cos()),
            Unary::Tan => {
                let t = v.tan();
                let d = 1.0 + t * t;
                a.chain(t, d, 2.0 * t * d)
            }
            Unary::Asin => {
                let s = 1.0 - v * v;
                a.chain(v.asin(), 1.0 / s.sqrt(), v / (s * s.sqrt()))
            }
            Unary::Acos => {
                let s = 1.0 - v * v;
                a.chain(v.acos(), -1.0 / s.sqrt(), -v / (s * s.sqrt()))
            }
            Unary::Atan => {
                let s = 1.0 + v * v;
                a.chain(v.atan(), 1.0 / s, -2.0 * v / (s * s))
            }
            Unary::Sinh => a.chain(v.sinh(), v.cosh(), v.sinh()),
            Unary::Cosh => a.chain(v.cosh(), v.sinh(), v.cosh()),
            Unary::Tanh => {
                let t = v.tanh();
                let d = 1.0 - t * t;
                a.chain(t, d, -2.0 * t * d)
            }
            Unary::Asinh => {
                let s = v * v + 1.0;
                a.chain(v.asinh(), 1.0 / s.sqrt(), -v / (s * s.sqrt()))
            }
            Unary::Acosh => {
                let s = v * v - 1.0;
                a.chain(v.acosh(), 1.0 / s.sqrt(), -v / (s * s.sqrt()))
            }
            Unary::Atanh => {
                let s = 1.0 - v * v;
                a.chain(v.atanh(), 1.0 / s, 2.0 * v / (s * s))
            }
            Unary::Exp => Self::exp(a),
            Unary::Sqrt => {
                let s = v.sqrt();
                a.chain(s, 0.5 / s, -0.25 / (s * v))
            }
            Unary::Cbrt => {
                let c = v.cbrt();
                a.chain(c, 1.0 / (3.0 * c * c), -2.0 / (9.0 * c * c * c * c * c))
            }
            Unary::Ln => Self::ln(a),
            Unary::Log2 => {
                let k = std::f64::consts::LN_2;
                a.chain(v.log2(), 1.0 / (v * k), -1.0 / (v * v * k))
            }
            Unary::Log10 => {
                let k = std::f64::consts::LN_10;
                a.chain(v.log10(), 1.0 / (v * k), -1.0 / (v * v * k))
            }
        }
    }
}

/// The one-argument functions of the formula language and their derivatives.
#[derive(Clone, Copy)]
enum Unary {
    Abs,
    /// Piecewise constant (floor, round, ceil, trunc, signum): derivative 0 where defined.
    Step(fn(f64) -> f64),
    Fract,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Asinh,
    Acosh,
    Atanh,
    Exp,
    Sqrt,
    Cbrt,
    Ln,
    Log2,
    Log10,
}

impl FromStr for Dual {
    type Err = std::num::ParseFloatError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse::<f64>().map(Self::constant)
    }
}

impl fmt::Display for Dual {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.v)
    }
}

/// The formula language's operators on hyper-dual numbers: the same names, priorities and
/// constants as exmex's float operators (`FloatOpsFactory`), whole powers as `powi`.
#[derive(Clone, Debug)]
pub struct DualOps;

macro_rules! unary_ops {
    ($($name:literal => $u:expr),* $(,)?) => {
        vec![$(Operator::make_unary($name, |a| Dual::unary(a, $u))),*]
    };
}

impl MakeOperators<Dual> for DualOps {
    fn make<'a>() -> Vec<Operator<'a, Dual>> {
        let bin = |repr, apply, prio, is_commutative| {
            Operator::make_bin(
                repr,
                BinOp {
                    apply,
                    prio,
                    is_commutative,
                },
            )
        };
        let mut ops = vec![
            bin("^", Dual::pow as fn(Dual, Dual) -> Dual, 4, false),
            bin("*", Dual::mul, 2, true),
            bin("/", Dual::div, 3, false),
            Operator::make_bin_unary(
                "+",
                BinOp {
                    apply: Dual::add,
                    prio: 0,
                    is_commutative: true,
                },
                |a| a,
            ),
            Operator::make_bin_unary(
                "-",
                BinOp {
                    apply: Dual::sub,
                    prio: 1,
                    is_commutative: false,
                },
                Dual::neg,
            ),
            bin("atan2", Dual::atan2, 0, false),
            bin("min", |a, b| if b.v < a.v { b } else { a }, 0, false),
            bin("max", |a, b| if b.v > a.v { b } else { a }, 0, false),
        ];
        ops.extend(unary_ops![
            "abs" => Unary::Abs,
            "signum" => Unary::Step(f64::signum),
            "sin" => Unary::Sin,
            "cos" => Unary::Cos,
            "tan" => Unary::Tan,
            "asin" => Unary::Asin,
            "acos" => Unary::Acos,
            "atan" => Unary::Atan,
            "sinh" => Unary::Sinh,
            "cosh" => Unary::Cosh,
            "tanh" => Unary::Tanh,
            "asinh" => Unary::Asinh,
            "acosh" => Unary::Acosh,
            "atanh" => Unary::Atanh,
            "floor" => Unary::Step(f64::floor),
            "round" => Unary::Step(f64::round),
            "ceil" => Unary::Step(f64::ceil),
            "trunc" => Unary::Step(f64::trunc),
            "fract" => Unary::Fract,
            "exp" => Unary::Exp,
            "sqrt" => Unary::Sqrt,
            "cbrt" => Unary::Cbrt,
            "ln" => Unary::Ln,
            "log2" => Unary::Log2,
            "log10" => Unary::Log10,
            "log" => Unary::Ln,
        ]);
        for (name, value) in [
            ("PI", std::f64::consts::PI),
            ("π", std::f64::consts::PI),
            ("E", std::f64::consts::E),
            ("e", std::f64::consts::E),
            ("TAU", std::f64::consts::TAU),
            ("τ", std::f64::consts::TAU),
        ] {
            ops.push(Operator::make_constant(name, Dual::constant(value)));
        }
        ops
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use exmex::prelude::*;

    type Ex = exmex::FlatEx<Dual, DualOps>;

    fn at(formula: &str, x: f64, y: f64) -> Dual {
        let e = Ex::parse(formula).expect("parses");
        let mut args = Vec::new();
        for name in e.var_names() {
            args.push(if name == "x" { Dual::x(x) } else { Dual::y(y) });
        }
        e.eval(&args).expect("evaluates")
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * (1.0 + b.abs())
    }

    #[test]
    fn derivatives_match_the_closed_forms() {
        // f = sin(x)·y² + exp(x·y)/(1 + x²): derivatives by hand.
        let (x, y) = (0.7, -1.3);
        let d = at("sin(x)*y^2 + exp(x*y)/(1 + x^2)", x, y);
        let e = (x * y).exp();
        let q = 1.0 + x * x;
        let f = x.sin() * y * y + e / q;
        let fx = x.cos() * y * y + (y * e * q - e * 2.0 * x) / (q * q);
        let fy = 2.0 * x.sin() * y + x * e / q;
        let fyy = 2.0 * x.sin() + x * x * e / q;
        let fxy = 2.0 * x.cos() * y + ((e + x * y * e) * q - x * e * 2.0 * x) / (q * q);
        // ∂²/∂x² of e/q with e = exp(xy): (e·y²·q² − 2·e·y·2x·q − e·2·q + e·8x²)/q³.
        let exx = e * y * y / q - 4.0 * x * y * e / (q * q) - 2.0 * e / (q * q)
            + 8.0 * x * x * e / (q * q * q);
        let fxx = -x.sin() * y * y + exx;
        for (got, want, what) in [
            (d.v, f, "f"),
            (d.dx, fx, "fx"),
            (d.dy, fy, "fy"),
            (d.dxx, fxx, "fxx"),
            (d.dxy, fxy, "fxy"),
            (d.dyy, fyy, "fyy"),
        ] {
            assert!(close(got, want), "{what}: {got} vs {want}");
        }
    }

    #[test]
    fn every_function_agrees_with_finite_differences() {
        let names = [
            "abs", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh",
            "acosh", "atanh", "exp", "sqrt", "cbrt", "ln", "log2", "log10", "log",
        ];
        for name in names {
            // Arguments inside every function's domain: acosh needs > 1, the others (0, 1).
            let arg = if name == "acosh" {
                "(1.5 + 0.2*x + 0.1*y)"
            } else {
                "(0.3 + 0.2*x + 0.1*y)"
            };
            let formula = format!("{name}{arg}^2");
            let (x, y, h) = (0.4, 0.6, 1e-5);
            let d = at(&formula, x, y);
            let f = |x: f64, y: f64| at(&formula, x, y).v;
            let fx = (f(x + h, y) - f(x - h, y)) / (2.0 * h);
            let fy = (f(x, y + h) - f(x, y - h)) / (2.0 * h);
            let gx = |x: f64, y: f64| at(&formula, x, y).dx;
            let fxx = (gx(x + h, y) - gx(x - h, y)) / (2.0 * h);
            let fxy = (gx(x, y + h) - gx(x, y - h)) / (2.0 * h);
            let gy = |x: f64, y: f64| at(&formula, x, y).dy;
            let fyy = (gy(x, y + h) - gy(x, y - h)) / (2.0 * h);
            for (got, want, what) in [
                (d.dx, fx, "fx"),
                (d.dy, fy, "fy"),
                (d.dxx, fxx, "fxx"),
                (d.dxy, fxy, "fxy"),
                (d.dyy, fyy, "fyy"),
            ] {
                assert!(
                    (got - want).abs() <= 1e-6 * (1.0 + want.abs()),
                    "{formula} {what}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn powers_and_atan2() {
        let d = at("x^3 * y^-2 + x^y + atan2(y, x)", 1.5, 0.5);
        let (x, y) = (1.5f64, 0.5f64);
        let fx = 3.0 * x * x / (y * y) + y * x.powf(y - 1.0) - y / (x * x + y * y);
        let fy = -2.0 * x.powi(3) / y.powi(3) + x.powf(y) * x.ln() + x / (x * x + y * y);
        assert!(close(d.dx, fx), "{} vs {fx}", d.dx);
        assert!(close(d.dy, fy), "{} vs {fy}", d.dy);
        // x^2 is exactly x·x.
        let sq = at("x^2", 0.1, 0.0);
        assert_eq!(sq.v, 0.1 * 0.1);
        assert_eq!(sq.dx, 2.0 * 0.1);
        assert_eq!(sq.dxx, 2.0);
    }
}
