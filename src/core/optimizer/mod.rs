//! Optimizers with `torch.optim` names, parameters, defaults and update rules.
//!
//! Each optimizer is one file holding everything about it: its state and update rule
//! ([`Optimizer`]), how the explain panel writes it out ([`Explain`]) and its registry item
//! ([`OptimizerItem`]: name, parameters, defaults, docs, how it is built, its PyTorch code).
//! The `optimizers!` list below registers them; optimizers added at run time go through
//! [`OPTIMIZERS`]`.register` and [`DynRule`].
//!
//! The learning rate is an argument of every step, not a field: the schedule lives outside the
//! update rule (as in optax and PyTorch's schedulers), so any optimizer composes with any
//! schedule. Each rule follows PyTorch's single-tensor implementation, including where `eps` sits
//! and the order of bias corrections, because users compare our numbers with theirs.
//!
//! Why this file is over 700 lines: 231 of them are its tests (the dispatch every optimizer
//! shares), kept beside the code they check; the code is 575 lines.

/// The 2D `step` of a first-order optimizer: its `update` on the point. Always inlined into the
/// simulation loop, so θ stays in registers (a call costs SGD on Rosenbrock 45 %).
macro_rules! point_step {
    () => {
        #[inline(always)]
        fn step<S: Surface + ?Sized>(
            &mut self,
            theta: &mut Point,
            grad: Point,
            lr: f64,
            _: &S,
        ) -> Result<(), StepError> {
            self.update(theta, &grad, lr);
            Ok(())
        }
    };
}

mod adadelta;
mod adagrad;
mod adam;
mod dynamic;
mod flow;
pub mod geometry;
mod keras;
mod lion;
mod nadam;
mod newton;
mod radam;
pub use radam::rectification;
mod rmsprop;
mod sgd;

pub use adadelta::Adadelta;
pub use adagrad::Adagrad;
pub use adam::Adam;
pub use dynamic::{DynOptimizer, DynRule};
pub use flow::Flow;
pub use keras::{
    Adadelta as KerasAdadelta, Adagrad as KerasAdagrad, Adam as KerasAdam, KerasOptimizer,
    Lion as KerasLion, Nadam as KerasNadam, RmsProp as KerasRmsProp, Sgd as KerasSgd,
};
pub use lion::Lion;
pub use nadam::NAdam;
pub use newton::Newton;
pub use radam::RAdam;
pub use rmsprop::RmsProp;
pub use sgd::Sgd;

use crate::core::math::Point;
use crate::core::spec::{Args, Check, Item, ItemDef, ParamDef, Registry, Spec, SpecError};
use crate::core::surface::Surface;
use geometry::{Stage, UpdateAt};

/// Parameters an optimizer can hold state for: a surface's point, or a network's weights as
/// one flat vector. The update rules are written once over slices of either, so a network
/// trains with exactly the rules (and PyTorch semantics) the surfaces are drawn with.
pub trait Params: Clone + std::fmt::Debug + PartialEq + AsRef<[f64]> + AsMut<[f64]> {
    /// `n` copies of `value` (a point always has two).
    fn filled(n: usize, value: f64) -> Self;
}

impl Params for Point {
    #[inline]
    fn filled(_: usize, value: f64) -> Self {
        [value; 2]
    }
}

impl Params for Vec<f64> {
    fn filled(n: usize, value: f64) -> Self {
        vec![value; n]
    }
}

/// Sizes optimizer state to `n` parameters, filled with `value`, on the first update (a
/// point's state always fits, and the check folds away).
#[inline]
fn fit<V: Params>(state: &mut V, n: usize, value: f64) {
    if state.as_ref().len() != n {
        *state = V::filled(n, value);
    }
}

/// `g + weight_decay·θ` for one coordinate: PyTorch's coupled L2 penalty (left out when 0, so
/// an infinite θ does not turn g into NaN).
#[inline]
fn decayed(g: f64, theta: f64, weight_decay: f64) -> f64 {
    if weight_decay != 0.0 {
        g + weight_decay * theta
    } else {
        g
    }
}

/// PyTorch's bias correction `1 − β^t`, without the power once it is exactly 1.
///
/// `pow` is faithful (under one ulp), so the computed `|β|^t` only falls as `t` grows; once it
/// is at most 2⁻⁵⁶ every later one is at most 2⁻⁵⁵, which `1 − ·` rounds to 1 exactly. From then
/// on the two `pow` calls of an Adam step (half its time) are skipped with the same numbers.
/// It assumes β fixed along a run: a schedule that changes β must start a new one.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct BiasCorrection {
    settled: bool,
}

impl BiasCorrection {
    /// `1 − beta^t`.
    #[inline(always)]
    fn at(&mut self, beta: f64, t: f64) -> f64 {
        if self.settled {
            return 1.0;
        }
        let power = beta.powf(t);
        if power.abs() <= SETTLED_POWER {
            self.settled = true;
        }
        1.0 - power
    }
}

/// 2⁻⁵⁶: a power this small leaves `1 − power` at 1 for every later step.
const SETTLED_POWER: f64 = f64::EPSILON / 16.0;

/// Why an update could not be taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepError {
    /// Newton's system `(H + damping·I)·d = g` has no unique solution.
    SingularHessian,
}

/// One update rule with its state (moments, accumulators, step count).
pub trait Optimizer {
    /// Updates `theta` in place from the gradient the run sees at `theta`; `surface` is there
    /// for second-order methods that need the Hessian.
    fn step<S: Surface + ?Sized>(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        surface: &S,
    ) -> Result<(), StepError>;

    /// The diagonal P the latest update divided its step by (Adam's √v_hat + eps, RMSProp's
    /// √v + eps, ...), for the preconditioned sharpness λmax(P⁻¹H) of the adaptive edge of
    /// stability; `None` where the step is not rescaled per coordinate (P = I).
    fn preconditioner(&self) -> Option<Point> {
        None
    }
}

/// What the explain panel shows of an optimizer: its rule and its state after an update.
pub trait Explain {
    /// The update rule in PyTorch's formulation, one equation a line (g is the gradient the
    /// optimizer sees, with L2 weight decay added where the optimizer couples it).
    fn rule(&self) -> &'static [&'static str];
    /// The optimizer's state after its latest update: moments, accumulators, bias corrections.
    fn terms(&self) -> Vec<Term>;
    /// The update `at` from this state (the one before it) drawn in stages: gradient,
    /// momentum, scaling, step, as far as the optimizer has them (see [`geometry`]).
    fn stages<S: Surface + ?Sized>(&self, at: &UpdateAt, surface: &S) -> Vec<Stage> {
        let _ = surface;
        geometry::plain(at, self.rule().len())
    }
}

/// A named quantity of an optimizer's state after an update, per coordinate, for the explain
/// panel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Term {
    pub name: &'static str,
    pub value: Point,
}

/// Builds an optimizer over a parameter vector from checked parameters.
pub type BuildVector = fn(&Args) -> Result<VecOptimizer, SpecError>;

/// A registry item of the optimizer family: its definition and its behaviour.
pub struct OptimizerItem {
    pub def: ItemDef,
    /// Builds the optimizer with zeroed state from checked parameters.
    pub build: fn(&Args) -> Result<AnyOptimizer, SpecError>,
    /// Builds the same rule over a parameter vector of any length (a network's weights);
    /// `None` for rules that need the surface itself (Newton's Hessian, the flows).
    pub vector: Option<BuildVector>,
    /// The framework whose semantics the rule follows, with how a script constructs it there:
    /// the one fact every framework-specific path (scripts, twins, names) reads.
    pub code: Code,
}

/// How a script constructs an optimizer, in the framework whose update rule it follows. A
/// new framework (optax, JAX) is one more variant here, in [`Framework`] and one script target.
#[derive(Clone, Copy)]
pub enum Code {
    /// `torch.optim.Adam([theta], lr=0.1, ...)` at the learning rate `lr` (a Python literal).
    Torch {
        expr: fn(&Args, &str) -> String,
        /// Python source of a class the expression needs, for optimizers torch.optim lacks.
        class: Option<&'static str>,
    },
    /// `keras.optimizers.Adam(learning_rate=0.1, ...)` at the learning rate `lr`.
    Keras {
        expr: fn(&Args, &str) -> String,
        /// The torch.optim item of the same name, if there is one.
        twin: Option<Twin>,
    },
}

/// The optimizer of the same name in torch.optim, and how Keras spells torch's parameters:
/// how one click races PyTorch's Adam against Keras's.
#[derive(Clone, Copy, Debug)]
pub struct Twin {
    /// The torch.optim item's name.
    pub torch: &'static str,
    /// `(torch's name, Keras's name)` for each parameter the two spell differently.
    pub renamed: &'static [(&'static str, &'static str)],
}

/// The framework whose semantics an optimizer follows, and whose script reproduces it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framework {
    PyTorch,
    Keras,
}

impl Framework {
    /// Every framework, in the order the window offers them.
    pub const ALL: [Self; 2] = [Self::PyTorch, Self::Keras];

    /// The framework's name as a user reads it.
    pub fn name(self) -> &'static str {
        match self {
            Self::PyTorch => "PyTorch",
            Self::Keras => "Keras",
        }
    }
}

impl Code {
    /// The framework this code is written for.
    pub fn framework(&self) -> Framework {
        match self {
            Self::Torch { .. } => Framework::PyTorch,
            Self::Keras { .. } => Framework::Keras,
        }
    }
}

impl OptimizerItem {
    /// The framework whose update rule the item follows.
    pub fn framework(&self) -> Framework {
        self.code.framework()
    }

    /// The Python expression constructing the optimizer at the learning rate `lr` (a Python
    /// literal or name), and any class it needs defined first.
    pub fn python(&self, args: &Args, lr: &str) -> (String, Option<&'static str>) {
        match self.code {
            Code::Torch { expr, class } => (expr(args, lr), class),
            Code::Keras { expr, .. } => (expr(args, lr), None),
        }
    }

    /// This item's name for the parameter torch.optim calls `torch_name` (Keras's `beta_1` for
    /// `beta1`), if it has one: how a sweep over β1 finds it in every framework.
    pub fn param_named(&self, torch_name: &str) -> Option<&'static str> {
        let own = |name: &str| {
            self.def
                .params
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.name)
        };
        own(torch_name).or_else(|| match self.code {
            Code::Keras { twin: Some(t), .. } => t
                .renamed
                .iter()
                .find(|(torch, _)| *torch == torch_name)
                .and_then(|(_, keras)| own(keras)),
            _ => None,
        })
    }
}

/// The optimizer of the same name in another framework, with the parameters the user set
/// carried over under that framework's names (the rest stay at each framework's own
/// defaults, as when the same numbers are pasted into both): how one click races PyTorch's
/// Adam against Keras's. `None` where no other framework has an optimizer of that name.
pub fn twin(spec: &Spec) -> Option<Spec> {
    let item = OPTIMIZERS.find(&spec.name)?;
    // The other item and the twin record (kept on the Keras side), whichever side `spec` is on.
    let (other, twin, to_keras) = match item.code {
        Code::Keras { twin: Some(t), .. } => (OPTIMIZERS.find(t.torch)?, t, false),
        Code::Keras { twin: None, .. } => return None,
        Code::Torch { .. } => {
            OPTIMIZERS
                .items()
                .into_iter()
                .find_map(|keras| match keras.code {
                    Code::Keras { twin: Some(t), .. } if t.torch == item.def.name => {
                        Some((keras, t, true))
                    }
                    _ => None,
                })?
        }
    };
    let has = |key: &str| other.def.params.iter().any(|p| p.name == key);
    let mut out = Spec::named(other.def.name);
    for (key, value) in &spec.args {
        let renamed = twin.renamed.iter().find_map(|&(torch, keras)| {
            if to_keras {
                (key == torch).then_some(keras)
            } else {
                (key == keras).then_some(torch)
            }
        });
        let target = if has(key) {
            Some(key.as_str())
        } else {
            renamed.filter(|k| has(k))
        };
        if let Some(target) = target {
            out.set(target, value.clone());
        }
    }
    Some(out)
}

impl Item for OptimizerItem {
    fn def(&self) -> &ItemDef {
        &self.def
    }
}

const BETA1: ParamDef = ParamDef::num(
    "beta1",
    Check::UnitOpen,
    0.9,
    "decay of the first moment (momentum)",
);
const BETA2: ParamDef = ParamDef::num(
    "beta2",
    Check::UnitOpen,
    0.999,
    "decay of the second moment",
);
const EPS: ParamDef = ParamDef::num(
    "eps",
    Check::NonNegative,
    1e-8,
    "added to the denominator for stability",
);
const WEIGHT_DECAY: ParamDef = ParamDef::num(
    "weight_decay",
    Check::NonNegative,
    0.0,
    "L2 penalty added to the gradient",
);

/// `betas=(b1, b2)` as torch.optim spells it.
fn torch_betas(a: &Args) -> String {
    use crate::core::python::py;
    format!("betas=({}, {})", py(a.num("beta1")), py(a.num("beta2")))
}

/// Declares the built-in optimizers once: the [`AnyOptimizer`] enum, the `with_optimizer!`
/// dispatch and the [`OPTIMIZERS`] registry (in the order the UI lists them) all come from
/// this one list.
macro_rules! optimizers {
    ($d:tt $($variant:ident($ty:ty) = [$($item:expr),+],)*) => {
        /// An optimizer chosen at run time, with fresh state.
        #[derive(Clone, Debug)]
        pub enum AnyOptimizer {
            $($variant($ty),)*
            /// An optimizer registered at run time.
            Dyn(DynOptimizer),
        }

        /// Runs `$body` with `$o` bound to the concrete optimizer, so the hot loop is
        /// monomorphized.
        macro_rules! with_optimizer {
            ($d optimizer:expr, $d o:ident => $d body:expr) => {
                match $d optimizer {
                    $($d crate::core::optimizer::AnyOptimizer::$variant($d o) => $d body,)*
                    $d crate::core::optimizer::AnyOptimizer::Dyn($d o) => $d body,
                }
            };
        }

        /// The registry of optimizers.
        pub static OPTIMIZERS: Registry<OptimizerItem> =
            Registry::new("optimizer", &[$($($item),+),*]);
    };
}

optimizers! { $
    Sgd(Sgd) = [sgd::ITEM],
    Adagrad(Adagrad) = [adagrad::ITEM],
    RmsProp(RmsProp) = [rmsprop::ITEM],
    Adam(Adam) = [adam::ADAM, adam::ADAMW],
    NAdam(NAdam) = [nadam::ITEM],
    RAdam(RAdam) = [radam::ITEM],
    Adadelta(Adadelta) = [adadelta::ITEM],
    Lion(Lion) = [lion::ITEM],
    Newton(Newton) = [newton::ITEM],
    Flow(Flow) = [flow::FLOW, flow::MODIFIED_FLOW],
    Keras(keras::KerasOptimizer) = [
        keras::SGD,
        keras::RMSPROP,
        keras::ADAM,
        keras::ADAMW,
        keras::ADAGRAD,
        keras::ADADELTA,
        keras::NADAM,
        keras::LION
    ],
}

pub(crate) use with_optimizer;

impl AnyOptimizer {
    /// Builds an optimizer with zeroed state from a spec such as `adam(beta1=0.8)`.
    pub fn from_spec(spec: &Spec) -> Result<Self, SpecError> {
        let (item, args) = OPTIMIZERS.resolve_item(spec)?;
        (item.build)(&args)
    }

    /// The update rule, one equation a line (see [`Explain::rule`]).
    pub fn rule(&self) -> &'static [&'static str] {
        with_optimizer!(self, o => o.rule())
    }

    /// The state after the latest update (see [`Explain::terms`]).
    pub fn terms(&self) -> Vec<Term> {
        with_optimizer!(self, o => o.terms())
    }

    /// The update `at` from this state in stages (see [`Explain::stages`]).
    pub fn stages<S: Surface + ?Sized>(&self, at: &UpdateAt, surface: &S) -> Vec<Stage> {
        with_optimizer!(self, o => o.stages(at, surface))
    }
}

impl Optimizer for AnyOptimizer {
    fn step<S: Surface + ?Sized>(
        &mut self,
        theta: &mut Point,
        grad: Point,
        lr: f64,
        surface: &S,
    ) -> Result<(), StepError> {
        with_optimizer!(self, o => o.step(theta, grad, lr, surface))
    }

    fn preconditioner(&self) -> Option<Point> {
        with_optimizer!(self, o => o.preconditioner())
    }
}

/// A copy of `o` that has taken the update `at`: what the stages read the new state from,
/// so the picture comes from the update rule itself, not a second copy of it.
fn after<O: Optimizer + Clone, S: Surface + ?Sized>(o: &O, at: &UpdateAt, surface: &S) -> O {
    let mut next = o.clone();
    let mut theta = at.theta;
    // A failed update (Newton's singular system) leaves no step to draw; the state is unused.
    let _ = next.step(&mut theta, at.grad_seen, at.lr, surface);
    next
}

/// A first-order update rule over parameters of either storage: written once, it steps a
/// surface's point and a network's weights with the same numbers.
pub trait Update<V> {
    /// One update of `theta` from `grad` at rate `lr`.
    fn update(&mut self, theta: &mut V, grad: &V, lr: f64);
}

/// An [`Update`] over a network's weights with its state, behind one box: each item's
/// `vector` builds its own, so no list of rules is kept here (one virtual call per update of
/// the whole vector).
trait VectorRule: std::fmt::Debug + Send + Sync {
    // `&Vec` because it is `Update<V>`'s `&V` with `V = Vec<f64>`.
    #[allow(clippy::ptr_arg)]
    fn update(&mut self, theta: &mut Vec<f64>, grad: &Vec<f64>, lr: f64);
    fn clone_box(&self) -> Box<dyn VectorRule>;
}

impl<T> VectorRule for T
where
    T: Update<Vec<f64>> + Clone + std::fmt::Debug + Send + Sync + 'static,
{
    #[inline]
    fn update(&mut self, theta: &mut Vec<f64>, grad: &Vec<f64>, lr: f64) {
        Update::update(self, theta, grad, lr);
    }

    fn clone_box(&self) -> Box<dyn VectorRule> {
        Box::new(self.clone())
    }
}

/// A first-order optimizer over a flat parameter vector of any length (a network's weights):
/// the 2D optimizers' own structs and update rules, so no rule exists twice.
#[derive(Debug)]
pub struct VecOptimizer(Box<dyn VectorRule>);

impl Clone for VecOptimizer {
    fn clone(&self) -> Self {
        Self(self.0.clone_box())
    }
}

impl VecOptimizer {
    /// Wraps a rule over a parameter vector, with its state as it is.
    pub fn new<T>(rule: T) -> Self
    where
        T: Update<Vec<f64>> + Clone + std::fmt::Debug + Send + Sync + 'static,
    {
        Self(Box::new(rule))
    }

    /// Builds the optimizer a spec names, with empty state (sized on the first update).
    pub fn from_spec(spec: &Spec) -> Result<Self, SpecError> {
        let (item, args) = OPTIMIZERS.resolve_item(spec)?;
        match item.vector {
            Some(build) => build(&args),
            None => Err(args.invalid(crate::core::spec::InvalidReason::NeedsSurface)),
        }
    }

    /// One update of `theta` from `grad` at rate `lr`.
    #[inline]
    pub fn update(&mut self, theta: &mut Vec<f64>, grad: &Vec<f64>, lr: f64) {
        self.0.update(theta, grad, lr);
    }
}

/// `grad + weight_decay·θ`, PyTorch's coupled L2 penalty.
#[inline]
fn l2(grad: Point, theta: &Point, weight_decay: f64) -> Point {
    if weight_decay != 0.0 {
        [
            grad[0] + weight_decay * theta[0],
            grad[1] + weight_decay * theta[1],
        ]
    } else {
        grad
    }
}

/// `torch.lerp(start, end, weight)` with PyTorch's two-sided formula.
#[inline]
fn lerp(start: f64, end: f64, weight: f64) -> f64 {
    if weight < 0.5 {
        start + weight * (end - start)
    } else {
        end - (end - start) * (1.0 - weight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bias_correction_is_one_minus_the_power_at_every_step() {
        // β = 0.99999 settles near t = 56·ln 2 / 1e-5 ≈ 3.9e6; every step is checked against
        // the power itself, before and long after.
        for (beta, steps) in [
            (0.9, 2_000),
            (0.999, 100_000),
            (0.99999, 4_500_000),
            (0.0, 10),
        ] {
            let mut correction = BiasCorrection::default();
            for t in 1..=steps {
                let t = t as f64;
                assert_eq!(
                    correction.at(beta, t),
                    1.0 - beta.powf(t),
                    "β = {beta}, t = {t}"
                );
            }
            assert!(
                correction.settled,
                "β = {beta} settles within {steps} steps"
            );
        }
    }
    use crate::core::spec::parse_spec;
    use crate::core::surface::Quadratic;

    fn opt(text: &str) -> AnyOptimizer {
        AnyOptimizer::from_spec(&parse_spec(text).unwrap()).unwrap()
    }

    #[test]
    fn every_registered_optimizer_builds_with_defaults() {
        for item in OPTIMIZERS.defs() {
            AnyOptimizer::from_spec(&item.example_spec()).unwrap();
        }
    }

    #[test]
    fn first_adam_step_moves_each_coordinate_by_lr() {
        // With bias correction, m_hat = g and v_hat = g² at t = 1, so the step is lr·g/(|g| + eps).
        let mut o = opt("adam");
        let mut theta = [1.0, -2.0];
        let q = Quadratic::new(1.0, 1.0, 0.0);
        o.step(&mut theta, [3.0, -0.5], 0.1, &q).unwrap();
        assert!((theta[0] - (1.0 - 0.1 * 3.0 / (3.0 + 1e-8))).abs() < 1e-15);
        assert!((theta[1] - (-2.0 + 0.1 * 0.5 / (0.5 + 1e-8))).abs() < 1e-15);
    }

    #[test]
    fn the_vector_optimizers_are_the_2d_rules_exactly() {
        // The same spec fed the same gradients at changing rates: the point and the vector
        // take bit-identical steps (one rule, two storages).
        let q = Quadratic::new(1.0, 10.0, 30.0);
        for spec in [
            "sgd",
            "sgd(momentum=0.9,weight_decay=0.1)",
            "sgd(momentum=0.9,nesterov=true)",
            "sgd(momentum=0.5,dampening=0.3)",
            "adagrad(lr_decay=0.01,initial_accumulator_value=0.1,weight_decay=0.2)",
            "rmsprop(momentum=0.5,centered=true,weight_decay=0.1)",
            "rmsprop",
            "adam(amsgrad=true,weight_decay=0.1)",
            "adamw",
            "nadam(weight_decay=0.1)",
            "radam(weight_decay=0.1)",
            "adadelta(weight_decay=0.1)",
            "lion(weight_decay=0.5)",
            "keras.sgd",
            "keras.sgd(momentum=0.9,nesterov=true,weight_decay=0.1)",
            "keras.rmsprop(momentum=0.5,centered=true)",
            "keras.adam(amsgrad=true,weight_decay=0.1)",
            "keras.adamw",
            "keras.adagrad",
            "keras.adadelta",
            "keras.nadam",
            "keras.lion(weight_decay=0.5)",
        ] {
            let mut point = opt(spec);
            let mut vector = VecOptimizer::from_spec(&parse_spec(spec).unwrap()).unwrap();
            let (mut p, mut v) = ([1.5, -2.0], vec![1.5, -2.0]);
            for k in 0..200 {
                let lr = 0.01 * (1.0 + (k % 7) as f64);
                let g = q.gradient(p);
                point.step(&mut p, g, lr, &q).unwrap();
                vector.update(&mut v, &g.to_vec(), lr);
                assert_eq!(p.to_vec(), v, "{spec}, update {k}");
            }
        }
        // Newton and the flows need the surface itself.
        for spec in ["newton", "flow", "modified_flow"] {
            let err = VecOptimizer::from_spec(&parse_spec(spec).unwrap()).unwrap_err();
            assert!(err.to_string().contains("not on a network"), "{err}");
        }
    }

    #[test]
    fn a_vector_of_any_length_is_updated_coordinate_by_coordinate() {
        // GD on ½·Σ λ_i·x_i² from x = 1: x_i(k) = (1 − lr·λ_i)^k.
        let lambdas = [0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0];
        let gradient =
            |x: &[f64]| -> Vec<f64> { x.iter().zip(&lambdas).map(|(x, l)| l * x).collect() };
        let mut x = vec![1.0; 7];
        let mut gd = VecOptimizer::from_spec(&parse_spec("sgd").unwrap()).unwrap();
        for _ in 0..50 {
            let g = gradient(&x);
            gd.update(&mut x, &g, 0.1);
        }
        for (xi, l) in x.iter().zip(lambdas) {
            let want = (1.0 - 0.1 * l).powi(50);
            assert!((xi - want).abs() <= 1e-12 * want.abs(), "{xi} vs {want}");
        }
        // Adam's first step is lr·g/(|g| + eps) in every coordinate, whatever its scale.
        let start: Vec<f64> = (0..7)
            .map(|i| (i as f64 - 3.0) * 10f64.powi(i - 3))
            .collect();
        let mut x = start.clone();
        let mut adam = VecOptimizer::from_spec(&parse_spec("adam").unwrap()).unwrap();
        let g = gradient(&x);
        adam.update(&mut x, &g, 0.01);
        for ((xi, si), gi) in x.iter().zip(&start).zip(&g) {
            let want = si - 0.01 * gi / (gi.abs() + 1e-8);
            assert!((xi - want).abs() < 1e-15, "{xi} vs {want}");
        }
    }

    #[test]
    fn the_twin_of_an_optimizer_carries_the_set_parameters_under_the_other_names() {
        let twin_of = |text: &str| twin(&parse_spec(text).unwrap()).map(|s| s.to_string());
        assert_eq!(
            twin_of("adam(beta1=0.8,eps=1e-6,amsgrad=true)").as_deref(),
            Some("keras.adam(beta_1=0.8,epsilon=1e-6,amsgrad=true)")
        );
        assert_eq!(
            twin_of("keras.rmsprop(rho=0.95,centered=true)").as_deref(),
            Some("rmsprop(alpha=0.95,centered=true)")
        );
        assert_eq!(
            twin_of("keras.adadelta(rho=0.8)").as_deref(),
            Some("adadelta(rho=0.8)")
        );
        // torch's dampening has no Keras counterpart; the defaults stay each framework's.
        assert_eq!(
            twin_of("sgd(momentum=0.9,dampening=0.1)").as_deref(),
            Some("keras.sgd(momentum=0.9)")
        );
        assert_eq!(twin_of("radam"), None);
        assert_eq!(twin_of("newton"), None);
        // Every pair names real items, both ways.
        for item in OPTIMIZERS.defs() {
            if let Some(t) = twin(&Spec::named(item.name)) {
                AnyOptimizer::from_spec(&t).unwrap();
                assert_eq!(twin(&t).unwrap().name, item.name);
            }
        }
    }

    #[test]
    fn every_keras_rename_names_a_parameter_of_both_twins() {
        for item in OPTIMIZERS.items() {
            let Code::Keras { twin: Some(t), .. } = item.code else {
                continue;
            };
            let torch = OPTIMIZERS.find(t.torch).expect("the twin is registered");
            assert_eq!(torch.framework(), Framework::PyTorch, "{}", t.torch);
            for (torch_name, keras_name) in t.renamed {
                assert_eq!(torch.param_named(torch_name), Some(*torch_name));
                assert_eq!(
                    item.param_named(torch_name),
                    Some(*keras_name),
                    "{}",
                    item.def.name
                );
            }
        }
    }

    #[test]
    fn lion_sign_of_zero_is_zero() {
        let mut o = opt("lion");
        let mut theta = [1.0, 1.0];
        let q = Quadratic::new(1.0, 1.0, 0.0);
        o.step(&mut theta, [0.0, 2.0], 0.1, &q).unwrap();
        assert_eq!(theta, [1.0, 0.9]);
    }

    #[test]
    fn newton_solves_a_quadratic_in_one_step_and_reports_singular_systems() {
        let q = Quadratic::new(2.0, 20.0, 30.0);
        let mut theta = [3.0, -1.0];
        let g = q.gradient(theta);
        opt("newton").step(&mut theta, g, 1.0, &q).unwrap();
        assert!(
            theta[0].abs() < 1e-14 && theta[1].abs() < 1e-14,
            "{theta:?}"
        );

        let flat = Quadratic::new(1.0, 0.0, 0.0);
        let mut theta = [1.0, 1.0];
        let g = flat.gradient(theta);
        assert_eq!(
            opt("newton").step(&mut theta, g, 1.0, &flat),
            Err(StepError::SingularHessian)
        );
        // Damping makes the same system solvable.
        assert!(
            opt("newton(damping=0.5)")
                .step(&mut theta, g, 1.0, &flat)
                .is_ok()
        );
    }

    #[test]
    fn invalid_combinations_are_reported() {
        let err = AnyOptimizer::from_spec(&parse_spec("sgd(nesterov=true)").unwrap()).unwrap_err();
        assert!(
            err.to_string().contains("nesterov=true needs momentum > 0"),
            "{err}"
        );
        let err = AnyOptimizer::from_spec(&parse_spec("adam(beta1=1)").unwrap()).unwrap_err();
        assert!(
            err.to_string().contains("'beta1' of optimizer 'adam'"),
            "{err}"
        );
    }
}
