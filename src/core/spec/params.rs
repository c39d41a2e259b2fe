//! The parameter and item definitions the registries hold: types, ranges, defaults and docs
//! in `static` tables, and their JSON for `optiscope list --json`.

use super::{Spec, Value};

/// Range restriction of a numeric parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Check {
    Any,
    NonNegative,
    Positive,
    /// `0 <= x < 1`, e.g. betas and momentum-like decay rates.
    UnitOpen,
    /// `0 <= x <= 1`.
    Unit,
    /// `0 < x <= 1`, e.g. a multiplicative decay factor.
    UnitPositive,
}

impl Check {
    fn holds(self, x: f64) -> bool {
        x.is_finite()
            && match self {
                Check::Any => true,
                Check::NonNegative => x >= 0.0,
                Check::Positive => x > 0.0,
                Check::UnitOpen => (0.0..1.0).contains(&x),
                Check::Unit => (0.0..=1.0).contains(&x),
                Check::UnitPositive => x > 0.0 && x <= 1.0,
            }
    }

    fn describe(self) -> &'static str {
        match self {
            Check::Any => "a finite number",
            Check::NonNegative => "a number >= 0",
            Check::Positive => "a number > 0",
            Check::UnitOpen => "a number in [0, 1)",
            Check::Unit => "a number in [0, 1]",
            Check::UnitPositive => "a number in (0, 1]",
        }
    }

    /// [`Check::describe`] in the current language.
    fn describe_text(self) -> String {
        match self {
            Check::Any => crate::tr!("error-expected-finite"),
            Check::NonNegative => crate::tr!("error-expected-non-negative"),
            Check::Positive => crate::tr!("error-expected-positive"),
            Check::UnitOpen => crate::tr!("error-expected-unit-open"),
            Check::Unit => crate::tr!("error-expected-unit"),
            Check::UnitPositive => crate::tr!("error-expected-unit-positive"),
        }
    }
}

/// The type of a parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Float(Check),
    /// A whole number `>= min` (step counts, sizes, seeds).
    Int {
        min: u64,
    },
    Bool,
    Choice(&'static [&'static str]),
    /// A list of whole numbers `>= 0` (milestones).
    IntList,
    /// A list of finite numbers (Keras's piecewise-constant values).
    NumList,
    /// A number or `None`.
    OptFloat(Check),
    /// Free text, such as a formula.
    Text,
}

impl Kind {
    pub(super) fn describe(self) -> String {
        match self {
            Kind::Float(check) => check.describe().to_owned(),
            Kind::Int { min } => format!("a whole number >= {min}"),
            Kind::Bool => "true or false".to_owned(),
            Kind::Choice(choices) => format!("one of {}", choices.join(", ")),
            Kind::IntList => "a list of whole numbers >= 0, e.g. [30,80]".to_owned(),
            Kind::NumList => "a list of numbers, e.g. [0.1,0.01]".to_owned(),
            Kind::OptFloat(check) => format!("None or {}", check.describe()),
            Kind::Text => "text".to_owned(),
        }
    }

    /// What a valid value is, in the current language; [`Kind::describe`] stays English for
    /// the command line.
    pub fn describe_text(self) -> String {
        match self {
            Kind::Float(check) => check.describe_text(),
            Kind::Int { min } => crate::tr!("error-expected-whole", min = min.to_string()),
            Kind::Bool => crate::tr!("error-expected-bool"),
            Kind::Choice(choices) => {
                crate::tr!("error-expected-choice", choices = choices.join(", "))
            }
            Kind::IntList => crate::tr!("error-expected-int-list"),
            Kind::NumList => crate::tr!("error-expected-num-list"),
            Kind::OptFloat(check) => {
                crate::tr!("error-expected-optional", number = check.describe_text())
            }
            Kind::Text => crate::tr!("error-expected-text"),
        }
    }
}

/// A default that can live in a `static` table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamDefault {
    Num(f64),
    Bool(bool),
    Str(&'static str),
    List(&'static [f64]),
    Null,
}

impl ParamDefault {
    pub fn to_value(self) -> Value {
        match self {
            ParamDefault::Num(x) => Value::Num(x),
            ParamDefault::Bool(b) => Value::Bool(b),
            ParamDefault::Str(s) => Value::Str(s.to_owned()),
            ParamDefault::List(xs) => Value::List(xs.to_vec()),
            ParamDefault::Null => Value::Null,
        }
    }
}

/// One parameter of a registry item.
#[derive(Clone, Copy, Debug)]
pub struct ParamDef {
    pub name: &'static str,
    pub kind: Kind,
    /// The default; for a required parameter, the example shown in messages and used by the UI
    /// when the item is first selected.
    pub default: ParamDefault,
    pub required: bool,
    pub doc: &'static str,
}

impl ParamDef {
    /// The doc the window shows, in its language: message `item-<family>-<item>-<name>` where
    /// the language has one, else the parameter's own English.
    pub fn doc_text(&self, family: &str, item: &str) -> String {
        crate::text::or(
            &crate::text::item_id(family, item, Some(self.name)),
            self.doc,
        )
    }

    pub const fn num(name: &'static str, check: Check, default: f64, doc: &'static str) -> Self {
        Self::new(name, Kind::Float(check), ParamDefault::Num(default), doc)
    }
    pub const fn int(name: &'static str, min: u64, default: f64, doc: &'static str) -> Self {
        Self::new(name, Kind::Int { min }, ParamDefault::Num(default), doc)
    }
    pub const fn flag(name: &'static str, default: bool, doc: &'static str) -> Self {
        Self::new(name, Kind::Bool, ParamDefault::Bool(default), doc)
    }
    pub const fn choice(
        name: &'static str,
        choices: &'static [&'static str],
        doc: &'static str,
    ) -> Self {
        Self::new(
            name,
            Kind::Choice(choices),
            ParamDefault::Str(choices[0]),
            doc,
        )
    }
    pub const fn new(
        name: &'static str,
        kind: Kind,
        default: ParamDefault,
        doc: &'static str,
    ) -> Self {
        Self {
            name,
            kind,
            default,
            required: false,
            doc,
        }
    }
    /// Marks the parameter as required; the default becomes the example.
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub(super) fn check(&self, value: &Value) -> bool {
        let whole = |x: f64| x.fract() == 0.0 && (0.0..=1e15).contains(&x);
        match (self.kind, value) {
            (Kind::Float(check), Value::Num(x)) => check.holds(*x),
            (Kind::Int { min }, Value::Num(x)) => whole(*x) && *x >= min as f64,
            (Kind::Bool, Value::Bool(_)) => true,
            (Kind::Choice(choices), Value::Str(s)) => choices.contains(&s.as_str()),
            (Kind::IntList, Value::List(xs)) => xs.iter().all(|x| whole(*x)),
            (Kind::NumList, Value::List(xs)) => xs.iter().all(|x| x.is_finite()),
            (Kind::OptFloat(_), Value::Null) => true,
            (Kind::OptFloat(check), Value::Num(x)) => check.holds(*x),
            (Kind::Text, Value::Str(_) | Value::Num(_)) => true,
            _ => false,
        }
    }

    /// `name=default` (or `name` for a required parameter), as `optiscope list` shows it.
    pub fn signature(&self) -> String {
        if self.required {
            self.name.to_owned()
        } else {
            format!("{}={}", self.name, self.default.to_value())
        }
    }
}

/// One item of a registry: a surface, optimizer, schedule or warmup.
#[derive(Debug)]
pub struct ItemDef {
    pub name: &'static str,
    pub summary: &'static str,
    pub params: &'static [ParamDef],
}

impl ItemDef {
    /// The summary the window shows, in its language: message `item-<family>-<name>` where
    /// the language has one, else the item's own English (which `optiscope list` prints).
    pub fn summary_text(&self, family: &str) -> String {
        crate::text::or(&crate::text::item_id(family, self.name, None), self.summary)
    }

    /// `name(p1=d1,p2,...)`, the form `optiscope list` prints.
    pub fn signature(&self) -> String {
        if self.params.is_empty() {
            return self.name.to_owned();
        }
        let params: Vec<String> = self.params.iter().map(ParamDef::signature).collect();
        format!("{}({})", self.name, params.join(","))
    }

    /// A spec that selects this item with its required parameters at their examples, for a UI
    /// that switches item.
    pub fn example_spec(&self) -> Spec {
        let mut spec = Spec::named(self.name);
        for p in self.params.iter().filter(|p| p.required) {
            spec.set(p.name, p.default.to_value());
        }
        spec
    }
}

/// Something a registry lists: its definition (name, parameters, defaults, docs) plus the
/// behaviour its family needs (how it is built, its update rule, its PyTorch code).
pub trait Item: Send + Sync + 'static {
    fn def(&self) -> &ItemDef;
}

impl Item for ItemDef {
    fn def(&self) -> &ItemDef {
        self
    }
}

impl ParamDefault {
    /// The default as JSON, for `optiscope list --json`.
    pub fn to_json(self) -> serde_json::Value {
        match self {
            ParamDefault::Num(x) => serde_json::json!(x),
            ParamDefault::Bool(b) => serde_json::json!(b),
            ParamDefault::Str(s) => serde_json::json!(s),
            ParamDefault::List(xs) => serde_json::json!(xs),
            ParamDefault::Null => serde_json::Value::Null,
        }
    }
}

impl Kind {
    /// The type as JSON (`{"type": "float", "check": "unit_open"}`), so tools such as the
    /// reference generator read the registry instead of retyping it.
    pub(super) fn to_json(self) -> serde_json::Value {
        use serde_json::json;
        let check = |c: Check| match c {
            Check::Any => "any",
            Check::NonNegative => "non_negative",
            Check::Positive => "positive",
            Check::UnitOpen => "unit_open",
            Check::Unit => "unit",
            Check::UnitPositive => "unit_positive",
        };
        match self {
            Kind::Float(c) => json!({"type": "float", "check": check(c)}),
            Kind::Int { min } => json!({"type": "int", "min": min}),
            Kind::Bool => json!({"type": "bool"}),
            Kind::Choice(choices) => json!({"type": "choice", "choices": choices}),
            Kind::IntList => json!({"type": "int_list"}),
            Kind::NumList => json!({"type": "num_list"}),
            Kind::OptFloat(c) => json!({"type": "opt_float", "check": check(c)}),
            Kind::Text => json!({"type": "text"}),
        }
    }
}
