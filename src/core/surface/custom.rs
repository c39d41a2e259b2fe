use std::fmt;

use exmex::prelude::*;
use exmex::{BinOp, FloatOpsFactory, MakeOperators, Operator};

use super::{AnySurface, CriticalPoint, Surface, SurfaceItem};
use crate::core::math::{Mat2, Point, View};
use crate::core::spec::{Check, Default, ItemDef, Kind, ParamDef};

pub(super) const ITEM: SurfaceItem = SurfaceItem {
    def: ItemDef {
        name: "custom",
        summary: "any f(x, y) you type, e.g. custom(f=x^2 + 10*y^2); gradient and Hessian are derived symbolically (exmex): + - * / ^, sin, cos, tan, exp, log, sqrt, abs, tanh, ..., constants PI and E",
        params: &[
            ParamDef::new(
                "f",
                Kind::Text,
                Default::Str("x^2 + 10*y^2"),
                "the formula in x and y",
            )
            .required(),
            ParamDef::num("x_min", Check::Any, -5.0, "left edge of the default view"),
            ParamDef::num("x_max", Check::Any, 5.0, "right edge of the default view"),
            ParamDef::num("y_min", Check::Any, -5.0, "bottom edge of the default view"),
            ParamDef::num("y_max", Check::Any, 5.0, "top edge of the default view"),
        ],
    },
    build: |a| {
        let view = View {
            x_min: a.num("x_min"),
            x_max: a.num("x_max"),
            y_min: a.num("y_min"),
            y_max: a.num("y_max"),
        };
        if !view.is_valid() {
            return Err(a.invalid("the view needs x_min < x_max and y_min < y_max"));
        }
        let custom = Custom::new(&a.text("f"), view).map_err(|e| a.invalid(e))?;
        Ok(AnySurface::Custom(Box::new(custom)))
    },
    torch: |a| {
        // exmex writes powers as ^, Python as **; its function names map onto torch's.
        let expr = a.text("f").replace('^', "**");
        Ok(format!(
            "{EXMEX_NAMES}\n\ndef f(p):\n    \"\"\"{}\"\"\"\n    x, y = p[0], p[1]\n    return {expr}\n",
            a.spec().to_string().replace('"', "'")
        ))
    },
};

/// The functions and constants of optiscope's formula language (exmex's), as torch functions.
const EXMEX_NAMES: &str = r#"# The functions and constants of optiscope's formula language, from torch.
sin, cos, tan, asin, acos, atan = torch.sin, torch.cos, torch.tan, torch.asin, torch.acos, torch.atan
sinh, cosh, tanh = torch.sinh, torch.cosh, torch.tanh
asinh, acosh, atanh = torch.asinh, torch.acosh, torch.atanh
exp, sqrt, abs, signum = torch.exp, torch.sqrt, torch.abs, torch.sign
ln = log = torch.log
log2, log10 = torch.log2, torch.log10
floor, ceil, round, trunc, fract = torch.floor, torch.ceil, torch.round, torch.trunc, torch.frac


def cbrt(t):
    return torch.sign(t) * torch.abs(t) ** (1 / 3)


PI = π = math.pi
E = e = math.e
TAU = τ = math.tau
"#;

/// Stack of the thread that parses and differentiates a formula.
const DERIVE_STACK_BYTES: usize = 256 << 20;

/// exmex's float operators, but `a^n` for a whole number n is `powi` (x^2 is exactly x·x, as
/// in the built-in surfaces) instead of `powf`, which may differ in the last bit.
#[derive(Clone, Debug)]
struct Ops;

impl MakeOperators<f64> for Ops {
    fn make<'a>() -> Vec<Operator<'a, f64>> {
        let mut ops = FloatOpsFactory::<f64>::make();
        for op in ops.iter_mut().filter(|op| op.repr() == "^") {
            *op = Operator::make_bin(
                "^",
                BinOp {
                    apply: power,
                    prio: 4,
                    is_commutative: false,
                },
            );
        }
        ops
    }
}

fn power(a: f64, b: f64) -> f64 {
    if b.fract() == 0.0 && b.abs() <= 64.0 {
        a.powi(b as i32)
    } else {
        a.powf(b)
    }
}

type Expr = FlatEx<f64, Ops>;

/// One expression and where its variables come from: index 0 is x, 1 is y.
#[derive(Clone)]
struct Compiled {
    expr: Option<Expr>,
    vars: Vec<usize>,
}

impl Compiled {
    #[inline]
    fn eval(&self, p: Point) -> f64 {
        let Some(expr) = &self.expr else {
            return 0.0;
        };
        let mut args = [0.0; 2];
        for (slot, &v) in args.iter_mut().zip(&self.vars) {
            *slot = p[v];
        }
        expr.eval(&args[..self.vars.len()]).unwrap_or(f64::NAN)
    }
}

/// A surface typed as a formula: the lecture's own example, a function from a paper, or a
/// student's experiment. Value, gradient and Hessian are exact symbolic derivatives of the
/// formula (exmex), so everything that works on a built-in surface works here too.
///
/// Critical points are not known in general, so none are marked.
#[derive(Clone)]
pub struct Custom {
    pub formula: String,
    value: Compiled,
    grad: [Compiled; 2],
    hess: [Compiled; 3],
    view: View,
}

impl fmt::Debug for Custom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Custom({:?})", self.formula)
    }
}

impl PartialEq for Custom {
    fn eq(&self, other: &Self) -> bool {
        self.formula == other.formula && self.view == other.view
    }
}

impl Custom {
    /// Parses `formula` and derives it; the error says what is wrong in the user's words.
    /// exmex differentiates recursively with large stack frames, so the work runs on a
    /// thread of its own with a generous stack rather than on whatever thread asked.
    pub fn new(formula: &str, view: View) -> Result<Self, String> {
        let formula = formula.to_owned();
        std::thread::Builder::new()
            .name("derive-formula".into())
            .stack_size(DERIVE_STACK_BYTES)
            .spawn(move || Self::derive(&formula, view))
            .map_err(|e| format!("cannot start deriving the formula: {e}"))?
            .join()
            .unwrap_or_else(|_| Err("the formula could not be differentiated".into()))
    }

    fn derive(formula: &str, view: View) -> Result<Self, String> {
        let expr = Expr::parse(formula).map_err(|e| format!("'{formula}': {e}"))?;
        let mut vars = Vec::new();
        for name in expr.var_names() {
            match name.as_str() {
                "x" => vars.push(0),
                "y" => vars.push(1),
                other => {
                    return Err(format!(
                        "'{formula}': unknown variable '{other}'; the variables are x and y"
                    ));
                }
            }
        }
        let derive = |e: &Expr, var: usize| -> Result<Compiled, String> {
            let expr = match vars.iter().position(|&v| v == var) {
                Some(idx) => Some(
                    e.clone()
                        .partial(idx)
                        .map_err(|err| format!("'{formula}' cannot be differentiated: {err}"))?,
                ),
                // The formula does not depend on this variable: the derivative is 0.
                None => None,
            };
            Ok(Compiled {
                expr,
                vars: vars.clone(),
            })
        };
        let dx = derive(&expr, 0)?;
        let dy = derive(&expr, 1)?;
        let second = |d: &Compiled, var: usize| -> Result<Compiled, String> {
            match &d.expr {
                Some(e) => derive(e, var),
                None => Ok(Compiled {
                    expr: None,
                    vars: vars.clone(),
                }),
            }
        };
        let hess = [second(&dx, 0)?, second(&dx, 1)?, second(&dy, 1)?];
        let surface = Self {
            formula: formula.to_owned(),
            value: Compiled {
                expr: Some(expr),
                vars: vars.clone(),
            },
            grad: [dx, dy],
            hess,
            view,
        };
        // Catch formulas that cannot be evaluated at all (e.g. wrong arity) now, not mid-run.
        let probe = [0.123_456_7, -0.765_432_1];
        if let Some(e) = &surface.value.expr {
            let args = [probe[0], probe[1]];
            e.eval(&args[..surface.value.vars.len()])
                .map_err(|err| format!("'{formula}' cannot be evaluated: {err}"))?;
        }
        Ok(surface)
    }

    /// Whether colors follow log(f − f_min): no, its values span a few decades at most.
    pub fn wide_range(&self) -> bool {
        false
    }

    pub fn critical_points(&self) -> Vec<CriticalPoint> {
        Vec::new()
    }

    pub fn default_view(&self) -> View {
        self.view
    }
}

impl Surface for Custom {
    #[inline]
    fn value(&self, p: Point) -> f64 {
        self.value.eval(p)
    }

    #[inline]
    fn gradient(&self, p: Point) -> Point {
        [self.grad[0].eval(p), self.grad[1].eval(p)]
    }

    fn hessian(&self, p: Point) -> Mat2 {
        let [xx, xy, yy] = [
            self.hess[0].eval(p),
            self.hess[1].eval(p),
            self.hess[2].eval(p),
        ];
        [[xx, xy], [xy, yy]]
    }
}
