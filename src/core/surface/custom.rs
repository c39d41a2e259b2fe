use std::fmt;

use exmex::prelude::*;
use exmex::{BinOp, FlatEx, FloatOpsFactory, MakeOperators, Operator};

use super::dual::{Dual, DualOps};
use super::{AnySurface, Capabilities, CriticalPoint, Surface, SurfaceItem};
use crate::core::math::{Mat2, Point, View};
use crate::core::spec::{Check, Hint, ItemDef, Kind, ParamDef, ParamDefault, did_you_mean};

pub(super) const ITEM: SurfaceItem = SurfaceItem {
    def: ItemDef {
        name: "custom",
        summary: "any f(x, y) you type, e.g. custom(f=x^2 + 10*y^2); gradient and Hessian are exact (carried through the formula by hyper-dual numbers): + - * / ^, sin, cos, tan, exp, log, sqrt, abs, tanh, ..., constants PI and E",
        params: &[
            ParamDef::new(
                "f",
                Kind::Text,
                ParamDefault::Str("x^2 + 10*y^2"),
                "the formula in x and y",
            )
            .required(),
            ParamDef::num("x_min", Check::Any, -5.0, "left edge of the default view"),
            ParamDef::num("x_max", Check::Any, 5.0, "right edge of the default view"),
            ParamDef::num("y_min", Check::Any, -5.0, "bottom edge of the default view"),
            ParamDef::num("y_max", Check::Any, 5.0, "top edge of the default view"),
        ],
    },
    caps: Capabilities::PLANE,
    build: |a| {
        let view = View {
            x_min: a.num("x_min"),
            x_max: a.num("x_max"),
            y_min: a.num("y_min"),
            y_max: a.num("y_max"),
        };
        if !view.is_valid() {
            return Err(a.invalid(crate::core::spec::InvalidReason::View));
        }
        let custom = Custom::new(&a.text("f"), view)
            .map_err(|e| a.invalid(crate::core::spec::InvalidReason::Formula(Box::new(e))))?;
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

/// The longest formula accepted, in characters: far more than any surface needs, and parsed
/// in well under a millisecond.
pub const MAX_FORMULA_CHARS: usize = 1000;
/// The deepest nesting of parentheses accepted.
pub const MAX_FORMULA_NESTING: usize = 32;

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

/// The formula compiled twice: on floats for values (the heatmap evaluates it a quarter of a
/// million times) and on hyper-dual numbers for gradient and Hessian (see [`Dual`]), with
/// where each variable comes from (0 is x, 1 is y).
#[derive(Clone)]
struct Compiled {
    value: Expr,
    derivatives: FlatEx<Dual, DualOps>,
    vars: Vec<usize>,
}

impl Compiled {
    #[inline]
    fn value(&self, p: Point) -> f64 {
        let mut args = [0.0; 2];
        for (slot, &v) in args.iter_mut().zip(&self.vars) {
            *slot = p[v];
        }
        self.value
            .eval(&args[..self.vars.len()])
            .unwrap_or(f64::NAN)
    }

    #[inline]
    fn dual(&self, p: Point) -> Dual {
        let mut args = [Dual::default(); 2];
        for (slot, &v) in args.iter_mut().zip(&self.vars) {
            *slot = if v == 0 { Dual::x(p[0]) } else { Dual::y(p[1]) };
        }
        self.derivatives
            .eval(&args[..self.vars.len()])
            .unwrap_or(Dual::constant(f64::NAN))
    }
}

/// A surface typed as a formula: the lecture's own example, a function from a paper, or a
/// student's experiment. Gradient and Hessian are exact derivatives of the formula, carried
/// through it by hyper-dual numbers, so everything that works on a built-in surface works
/// here too.
///
/// Critical points are not known in general, so none are marked.
#[derive(Clone)]
pub struct Custom {
    pub formula: String,
    compiled: Compiled,
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
    /// Parses `formula`; the error says what is wrong in the user's words. Bounded in length
    /// and nesting, so no formula pasted into the box can stall the window.
    pub fn new(formula: &str, view: View) -> Result<Self, FormulaError> {
        check_formula(formula, FormulaHint::Surface)?;
        // A line break is a space (pasted from a page or a notebook).
        let text = formula.replace(['\n', '\r', '\t'], " ");
        let value = Expr::parse(&text).map_err(|e| FormulaError::parse(formula, e))?;
        let mut vars = Vec::new();
        for name in value.var_names() {
            match name.as_str() {
                "x" => vars.push(0),
                "y" => vars.push(1),
                other => {
                    return Err(FormulaError::UnknownVariable {
                        formula: formula.to_owned(),
                        name: other.to_owned(),
                        hint: did_you_mean(other, ["x", "y"].into_iter()),
                        valid: X_AND_Y.to_owned(),
                    });
                }
            }
        }
        let derivatives =
            FlatEx::<Dual, DualOps>::parse(&text).map_err(|e| FormulaError::parse(formula, e))?;
        let surface = Self {
            formula: formula.to_owned(),
            compiled: Compiled {
                value,
                derivatives,
                vars,
            },
            view,
        };
        // Catch formulas that cannot be evaluated at all (e.g. wrong arity) now, not mid-run.
        let probe = [0.123_456_7, -0.765_432_1];
        let args = [probe[0], probe[1]];
        surface
            .compiled
            .value
            .eval(&args[..surface.compiled.vars.len()])
            .map_err(|err| FormulaError::CannotEvaluate {
                formula: formula.to_owned(),
                message: err.to_string(),
            })?;
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
        self.compiled.value(p)
    }

    #[inline]
    fn gradient(&self, p: Point) -> Point {
        let d = self.compiled.dual(p);
        [d.dx, d.dy]
    }

    fn hessian(&self, p: Point) -> Mat2 {
        let d = self.compiled.dual(p);
        [[d.dxx, d.dxy], [d.dxy, d.dyy]]
    }
}

/// The variables of a custom surface, as [`FormulaError::UnknownVariable`] lists them.
const X_AND_Y: &str = "x and y";

/// What to write instead of an empty formula: a surface's, or a learning-rate rule's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FormulaHint {
    #[error("write f in x and y, e.g. x^2 + 10*y^2")]
    Surface,
    #[error("write the new rate in epoch, lr and lr0, e.g. lr0 * 0.1^floor(epoch/10)")]
    EpochRule,
}

impl FormulaHint {
    /// The hint in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        match self {
            FormulaHint::Surface => crate::tr!("error-formula-hint-surface"),
            FormulaHint::EpochRule => crate::tr!("error-formula-hint-epoch-rule"),
        }
    }
}

/// What is wrong with a typed formula, in the user's words (the formula is quoted).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum FormulaError {
    #[error("the formula is empty; {hint}")]
    Empty { hint: FormulaHint },
    #[error("the formula is {chars} characters long; at most {MAX_FORMULA_CHARS} are accepted")]
    TooLong { chars: usize },
    #[error(
        "the formula nests parentheses more than {MAX_FORMULA_NESTING} deep (at character {at})"
    )]
    TooDeep { at: usize },
    #[error("'{formula}': the ')' at character {at} closes nothing")]
    ClosesNothing { formula: String, at: usize },
    #[error("'{formula}': {depth} '(' left open")]
    LeftOpen { formula: String, depth: usize },
    #[error("'{formula}': unknown function '{name}'{hint}; the functions are {valid}")]
    UnknownFunction {
        formula: String,
        name: String,
        /// A valid name close to the unknown one.
        hint: Hint,
        valid: String,
    },
    #[error("'{formula}': unknown variable '{name}'{hint}; the variables are {valid}")]
    UnknownVariable {
        formula: String,
        name: String,
        /// A valid name close to the unknown one.
        hint: Hint,
        valid: String,
    },
    /// exmex's own parse error.
    #[error("'{formula}': {message}")]
    Parse { formula: String, message: String },
    #[error("'{formula}' cannot be evaluated: {message}")]
    CannotEvaluate { formula: String, message: String },
}

impl FormulaError {
    /// The message in the current language; `Display` stays English for the command line.
    /// exmex's own messages stay as exmex words them.
    pub fn text(&self) -> String {
        match self {
            FormulaError::Empty { hint } => crate::tr!("error-formula-empty", hint = hint.text()),
            FormulaError::TooLong { chars } => crate::tr!(
                "error-formula-too-long",
                chars = *chars,
                max = MAX_FORMULA_CHARS
            ),
            FormulaError::TooDeep { at } => crate::tr!(
                "error-formula-too-deep",
                max = MAX_FORMULA_NESTING,
                at = *at
            ),
            FormulaError::ClosesNothing { formula, at } => crate::tr!(
                "error-formula-closes-nothing",
                formula = formula.as_str(),
                at = *at
            ),
            FormulaError::LeftOpen { formula, depth } => crate::tr!(
                "error-formula-left-open",
                formula = formula.as_str(),
                depth = *depth
            ),
            FormulaError::UnknownFunction {
                formula,
                name,
                hint,
                valid,
            } => crate::tr!(
                "error-formula-unknown-function",
                formula = formula.as_str(),
                name = name.as_str(),
                hint = hint.text(),
                valid = valid.as_str()
            ),
            FormulaError::UnknownVariable {
                formula,
                name,
                hint,
                valid,
            } => crate::tr!(
                "error-formula-unknown-variable",
                formula = formula.as_str(),
                name = name.as_str(),
                hint = hint.text(),
                valid = if valid == X_AND_Y {
                    crate::tr!("error-formula-x-and-y")
                } else {
                    valid.clone()
                }
            ),
            FormulaError::Parse { formula, message } => crate::tr!(
                "error-formula-parse",
                formula = formula.as_str(),
                message = message.as_str()
            ),
            FormulaError::CannotEvaluate { formula, message } => crate::tr!(
                "error-formula-cannot-evaluate",
                formula = formula.as_str(),
                message = message.as_str()
            ),
        }
    }

    fn parse(formula: &str, e: impl fmt::Display) -> Self {
        Self::Parse {
            formula: formula.to_owned(),
            message: e.to_string(),
        }
    }
}

/// The function names of the formula language, for error messages.
fn function_names() -> Vec<&'static str> {
    <DualOps as MakeOperators<Dual>>::make()
        .iter()
        .map(|op| op.repr())
        .filter(|r| r.chars().all(|c| c.is_ascii_alphanumeric()) && r.len() > 1)
        .filter(|r| !matches!(*r, "PI" | "TAU"))
        .collect()
}

/// What exmex would report obscurely, or spend minutes on, said plainly and up front: a
/// formula that is too long or nested too deep, and a call of a function that does not exist.
fn check_formula(formula: &str, hint: FormulaHint) -> Result<(), FormulaError> {
    let chars = formula.chars().count();
    if formula.trim().is_empty() {
        return Err(FormulaError::Empty { hint });
    }
    if chars > MAX_FORMULA_CHARS {
        return Err(FormulaError::TooLong { chars });
    }
    let mut depth = 0usize;
    for (i, c) in formula.chars().enumerate() {
        match c {
            '(' => {
                depth += 1;
                if depth > MAX_FORMULA_NESTING {
                    return Err(FormulaError::TooDeep { at: i + 1 });
                }
            }
            ')' => {
                if depth == 0 {
                    return Err(FormulaError::ClosesNothing {
                        formula: formula.to_owned(),
                        at: i + 1,
                    });
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    if depth > 0 {
        return Err(FormulaError::LeftOpen {
            formula: formula.to_owned(),
            depth,
        });
    }
    // Every name followed by '(' must be a function.
    let names = function_names();
    let chars: Vec<char> = formula.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphabetic() || chars[i] == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let name: String = chars[start..i].iter().collect();
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let called = j < chars.len() && chars[j] == '(';
            if called && !names.contains(&name.as_str()) {
                return Err(FormulaError::UnknownFunction {
                    formula: formula.to_owned(),
                    hint: did_you_mean(&name, names.iter().copied()),
                    name,
                    valid: names.join(", "),
                });
            }
        } else {
            i += 1;
        }
    }
    Ok(())
}

/// A formula of named variables evaluated on floats, in the same language (and with the same
/// checks) as the custom surfaces: what a learning-rate rule typed as text compiles to.
#[derive(Clone)]
pub struct Formula {
    text: String,
    expr: Expr,
    /// For each of the formula's variables (exmex's order), its index in `variables`.
    slots: Vec<usize>,
}

impl fmt::Debug for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Formula({:?})", self.text)
    }
}

impl PartialEq for Formula {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Formula {
    /// Parses `text` in the variables `variables`; the error names what is wrong, and `hint`
    /// says what to write instead of an empty formula.
    pub fn new(text: &str, variables: &[&str], hint: FormulaHint) -> Result<Self, FormulaError> {
        check_formula(text, hint)?;
        let flat = text.replace(['\n', '\r', '\t'], " ");
        let expr = Expr::parse(&flat).map_err(|e| FormulaError::parse(text, e))?;
        let mut slots = Vec::new();
        for name in expr.var_names() {
            match variables.iter().position(|v| v == name) {
                Some(i) => slots.push(i),
                None => {
                    return Err(FormulaError::UnknownVariable {
                        formula: text.to_owned(),
                        name: name.clone(),
                        hint: did_you_mean(name, variables.iter().copied()),
                        valid: variables.join(", "),
                    });
                }
            }
        }
        let formula = Self {
            text: text.to_owned(),
            expr,
            slots,
        };
        let probe: Vec<f64> = (0..variables.len()).map(|i| 0.5 + i as f64).collect();
        formula
            .expr
            .eval(&formula.args(&probe))
            .map_err(|err| FormulaError::CannotEvaluate {
                formula: text.to_owned(),
                message: err.to_string(),
            })?;
        Ok(formula)
    }

    fn args(&self, values: &[f64]) -> Vec<f64> {
        self.slots.iter().map(|&i| values[i]).collect()
    }

    /// The value at `values` (one per variable, in the order given to [`Formula::new`]); NaN
    /// where the formula has none.
    pub fn eval(&self, values: &[f64]) -> f64 {
        self.expr.eval(&self.args(values)).unwrap_or(f64::NAN)
    }

    /// The formula as typed.
    pub fn text(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::assert_translated;

    #[test]
    fn every_formula_error_speaks_the_windows_language_and_keeps_its_english() {
        let view = View {
            x_min: -1.0,
            x_max: 1.0,
            y_min: -1.0,
            y_max: 1.0,
        };
        let error = |f: &str| Custom::new(f, view).expect_err("refused");
        let made = [
            error(" "),
            error(&"x+".repeat(600)),
            error(&format!("{}x{}", "(".repeat(40), ")".repeat(40))),
            error("x)"),
            error("((x"),
            error("sinn(x)"),
            error("x + z"),
            error("x y"),
        ];
        for e in &made {
            assert_translated(e, FormulaError::text);
        }
        let rule = Formula::new("", &["epoch", "lr"], FormulaHint::EpochRule).err();
        let unknown = Formula::new("lr * k", &["epoch", "lr"], FormulaHint::EpochRule).err();
        for e in rule.iter().chain(&unknown) {
            assert_translated(e, FormulaError::text);
        }
        // exmex's own words stay as they are, inside our Chinese.
        let evaluate = FormulaError::CannotEvaluate {
            formula: "f(x)".into(),
            message: "wrong number of arguments".into(),
        };
        assert_translated(&evaluate, FormulaError::text);
        for hint in [FormulaHint::Surface, FormulaHint::EpochRule] {
            assert_translated(&hint, FormulaHint::text);
        }
        assert!(
            crate::text::with_language(crate::text::Lang::ZhCn, || error("x + z").text())
                .contains("可用的变量有 x 和 y")
        );
    }
}
