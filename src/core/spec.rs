//! `name(key=value,...)` specifications and the registries that validate them.
//!
//! One registry per family (surfaces, optimizers, schedules, warmups) lists every item with its
//! parameters and defaults. The CLI parser, `optiscope list`, presets and the UI all read the same
//! tables, so adding an item or a parameter is one edit and every front end agrees.

use std::fmt;
use std::sync::RwLock;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A parameter value as written in a spec.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Num(f64),
    Bool(bool),
    Str(String),
    List(Vec<f64>),
    /// `None`, for optional parameters such as CyclicLR's `step_size_down`.
    Null,
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Num(x) => write!(f, "{}", fmt_num(*x)),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Str(s) if needs_quotes(s) => write!(f, "\"{s}\""),
            Value::Str(s) => write!(f, "{s}"),
            Value::List(xs) => {
                let items: Vec<String> = xs.iter().map(|x| fmt_num(*x)).collect();
                write!(f, "[{}]", items.join(","))
            }
            Value::Null => write!(f, "None"),
        }
    }
}

/// Whether a string value must be written in quotes to parse back as the same string: it
/// holds separators, brackets or spaces at its ends, or would read as a number or keyword.
fn needs_quotes(s: &str) -> bool {
    s.is_empty()
        || s.trim() != s
        || s.contains([',', '=', '(', ')', '[', ']'])
        || !matches!(parse_value(s), Ok(Value::Str(ref t)) if t == s)
}

/// Shortest text that parses back to the same number; integers without a trailing `.0`.
pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:?}")
    }
}

/// A parsed specification: an item name and the parameters the user set explicitly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Spec {
    pub name: String,
    pub args: Vec<(String, Value)>,
}

impl Spec {
    /// A spec with every parameter at its default.
    pub fn named(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            args: Vec::new(),
        }
    }

    /// Builder-style setter, replacing an existing value for `key`.
    pub fn with(mut self, key: &str, value: Value) -> Self {
        self.set(key, value);
        self
    }

    /// Sets `key`, replacing an earlier value so a spec never holds a key twice.
    pub fn set(&mut self, key: &str, value: Value) {
        match self.args.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.args.push((key.to_owned(), value)),
        }
    }

    /// Removes `key`, so the parameter takes its default again.
    pub fn unset(&mut self, key: &str) {
        self.args.retain(|(k, _)| k != key);
    }

    /// The explicitly set value of `key`, if any.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.args.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl fmt::Display for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)?;
        if !self.args.is_empty() {
            let args: Vec<String> = self.args.iter().map(|(k, v)| format!("{k}={v}")).collect();
            write!(f, "({})", args.join(","))?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Spec {
    type Err = SpecError;
    fn from_str(s: &str) -> Result<Self, SpecError> {
        parse_spec(s)
    }
}

/// " (did you mean 'x'?)" for the candidate closest to a mistyped `name` (a typo or two, or a
/// different case), or "" when none is close.
pub fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let lower = name.to_lowercase();
    candidates
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|&(d, c)| d > 0 && d <= (c.chars().count() / 3).clamp(1, 3) || d == 0 && c != name)
        .min_by_key(|&(d, _)| d)
        .map_or(String::new(), |(_, c)| format!(" (did you mean '{c}'?)"))
}

/// Everything that can be wrong with a spec; each message names the offending token and, where
/// there is a fixed set, lists what is valid there.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum SpecError {
    #[error("cannot parse '{text}': {message}")]
    Syntax { text: String, message: SyntaxError },
    #[error("unknown {family} '{name}'{hint}; valid {family}s: {valid}")]
    UnknownItem {
        family: &'static str,
        name: String,
        /// " (did you mean 'x'?)" when a valid name is close, else empty.
        hint: String,
        valid: String,
    },
    #[error("unknown parameter '{key}' for {family} '{item}'{hint}; valid parameters: {valid}")]
    UnknownParam {
        family: &'static str,
        item: &'static str,
        key: String,
        /// " (did you mean 'x'?)" when a valid name is close, else empty.
        hint: String,
        valid: String,
    },
    #[error("parameter '{key}' of {family} '{item}' is given twice")]
    DuplicateParam {
        family: &'static str,
        item: &'static str,
        key: String,
    },
    #[error("{family} '{item}' needs parameter '{key}' ({doc}), e.g. {example}")]
    MissingParam {
        family: &'static str,
        item: &'static str,
        key: &'static str,
        doc: &'static str,
        example: String,
    },
    #[error("parameter '{key}' of {family} '{item}': '{value}' is not valid; expected {expected}")]
    BadValue {
        family: &'static str,
        item: &'static str,
        key: &'static str,
        value: String,
        expected: String,
    },
    #[error("{family} '{item}': {message}")]
    Invalid {
        family: &'static str,
        item: &'static str,
        message: String,
    },
}

/// What is wrong with the spelling of a spec, before any registry is asked.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum SyntaxError {
    #[error("the name is missing")]
    NoName,
    #[error("unexpected '{bad}' in name '{name}' (names are letters, digits, '_' and '.')")]
    BadName { bad: char, name: String },
    #[error("missing ')' at the end")]
    NoClosingParen,
    #[error("empty parameter (two commas in a row?)")]
    EmptyParam,
    #[error("expected key=value, found '{0}'")]
    NotKeyValue(String),
    #[error("'{0}' is not a parameter name")]
    BadKey(String),
    #[error("parameter '{0}' is given twice")]
    Twice(String),
    #[error("unmatched '{0}'")]
    Unmatched(char),
    #[error("unmatched '\"'")]
    UnmatchedQuote,
    #[error("unmatched '[' or '('")]
    Unclosed,
    #[error("a value is missing after '='")]
    NoValue,
    #[error("'{0}' has unbalanced quotes")]
    UnbalancedQuotes(String),
    #[error("list '{0}' is missing its ']'")]
    UnclosedList(String),
    #[error("'{item}' in list '{list}' is not a number")]
    NotANumber { item: String, list: String },
}

/// Parses `name` or `name(key=value,...)`; lists are `[a,b]`, booleans `true|false`, `None` is
/// the empty value and anything else that is not a number is a bare string.
pub fn parse_spec(text: &str) -> Result<Spec, SpecError> {
    let syntax = |message: SyntaxError| SpecError::Syntax {
        text: text.to_owned(),
        message,
    };
    let trimmed = text.trim();
    let (name, rest) = match trimmed.find('(') {
        Some(open) => (&trimmed[..open], Some(&trimmed[open + 1..])),
        None => (trimmed, None),
    };
    let name = name.trim();
    if name.is_empty() {
        return Err(syntax(SyntaxError::NoName));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '.'))
    {
        return Err(syntax(SyntaxError::BadName {
            bad,
            name: name.to_owned(),
        }));
    }
    let mut spec = Spec::named(name);
    let Some(rest) = rest else {
        return Ok(spec);
    };
    let Some(body) = rest.strip_suffix(')') else {
        return Err(syntax(SyntaxError::NoClosingParen));
    };
    for part in split_top_level(body).map_err(syntax)? {
        let part = part.trim();
        if part.is_empty() {
            if body.trim().is_empty() {
                break;
            }
            return Err(syntax(SyntaxError::EmptyParam));
        }
        let Some((key, value)) = part.split_once('=') else {
            return Err(syntax(SyntaxError::NotKeyValue(part.to_owned())));
        };
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(syntax(SyntaxError::BadKey(key.to_owned())));
        }
        if spec.get(key).is_some() {
            return Err(syntax(SyntaxError::Twice(key.to_owned())));
        }
        let value = parse_value(value.trim()).map_err(syntax)?;
        spec.args.push((key.to_owned(), value));
    }
    Ok(spec)
}

fn split_top_level(body: &str) -> Result<Vec<&str>, SyntaxError> {
    let mut parts = Vec::new();
    let (mut depth, mut start, mut quoted) = (0i32, 0usize, false);
    for (i, c) in body.char_indices() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '[' | '(' => depth += 1,
            ']' | ')' => {
                depth -= 1;
                if depth < 0 {
                    return Err(SyntaxError::Unmatched(c));
                }
            }
            ',' if depth == 0 => {
                parts.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if quoted {
        return Err(SyntaxError::UnmatchedQuote);
    }
    if depth != 0 {
        return Err(SyntaxError::Unclosed);
    }
    parts.push(&body[start..]);
    Ok(parts)
}

fn parse_value(text: &str) -> Result<Value, SyntaxError> {
    if text.is_empty() {
        return Err(SyntaxError::NoValue);
    }
    if let Some(inner) = text.strip_prefix('"') {
        return match inner.strip_suffix('"') {
            Some(inner) if !inner.contains('"') => Ok(Value::Str(inner.to_owned())),
            _ => Err(SyntaxError::UnbalancedQuotes(text.to_owned())),
        };
    }
    if let Some(inner) = text.strip_prefix('[') {
        let inner = inner
            .strip_suffix(']')
            .ok_or_else(|| SyntaxError::UnclosedList(text.to_owned()))?;
        if inner.trim().is_empty() {
            return Ok(Value::List(Vec::new()));
        }
        return inner
            .split(',')
            .map(|item| {
                let item = item.trim();
                parse_number(item).ok_or_else(|| SyntaxError::NotANumber {
                    item: item.to_owned(),
                    list: text.to_owned(),
                })
            })
            .collect::<Result<_, _>>()
            .map(Value::List);
    }
    Ok(match text {
        "true" | "True" => Value::Bool(true),
        "false" | "False" => Value::Bool(false),
        "None" | "none" => Value::Null,
        _ => match parse_number(text) {
            Some(x) => Value::Num(x),
            None => Value::Str(text.to_owned()),
        },
    })
}

/// A finite decimal number; `inf`, `nan` and words are not numbers here.
fn parse_number(text: &str) -> Option<f64> {
    let looks_numeric = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        && text.chars().any(|c| c.is_ascii_digit());
    if !looks_numeric {
        return None;
    }
    text.parse::<f64>().ok()
}

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
    fn describe(self) -> String {
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
}

/// A default that can live in a `static` table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Default {
    Num(f64),
    Bool(bool),
    Str(&'static str),
    List(&'static [f64]),
    Null,
}

impl Default {
    pub fn to_value(self) -> Value {
        match self {
            Default::Num(x) => Value::Num(x),
            Default::Bool(b) => Value::Bool(b),
            Default::Str(s) => Value::Str(s.to_owned()),
            Default::List(xs) => Value::List(xs.to_vec()),
            Default::Null => Value::Null,
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
    pub default: Default,
    pub required: bool,
    pub doc: &'static str,
}

impl ParamDef {
    pub const fn num(name: &'static str, check: Check, default: f64, doc: &'static str) -> Self {
        Self::new(name, Kind::Float(check), Default::Num(default), doc)
    }
    pub const fn int(name: &'static str, min: u64, default: f64, doc: &'static str) -> Self {
        Self::new(name, Kind::Int { min }, Default::Num(default), doc)
    }
    pub const fn flag(name: &'static str, default: bool, doc: &'static str) -> Self {
        Self::new(name, Kind::Bool, Default::Bool(default), doc)
    }
    pub const fn choice(
        name: &'static str,
        choices: &'static [&'static str],
        doc: &'static str,
    ) -> Self {
        Self::new(name, Kind::Choice(choices), Default::Str(choices[0]), doc)
    }
    pub const fn new(name: &'static str, kind: Kind, default: Default, doc: &'static str) -> Self {
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

    fn check(&self, value: &Value) -> bool {
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

/// A family of items, such as all optimizers: the built-in ones, in the order the UI lists
/// them, plus any registered at run time. It is the one list the CLI, `optiscope list`,
/// presets, the UI and the PyTorch export read.
#[derive(Debug)]
pub struct Registry<T: Item = ItemDef> {
    /// Singular noun used in messages: "surface", "optimizer", ...
    pub family: &'static str,
    builtins: &'static [T],
    added: RwLock<Vec<&'static T>>,
}

impl<T: Item> Registry<T> {
    pub const fn new(family: &'static str, builtins: &'static [T]) -> Self {
        Self {
            family,
            builtins,
            added: RwLock::new(Vec::new()),
        }
    }

    /// Every item: the built-in ones, then those registered at run time.
    pub fn items(&self) -> Vec<&'static T> {
        let mut items: Vec<&'static T> = self.builtins.iter().collect();
        items.extend(self.added().iter());
        items
    }

    fn added(&self) -> std::sync::RwLockReadGuard<'_, Vec<&'static T>> {
        // A poisoned lock still holds a valid list: items are only ever pushed.
        self.added.read().unwrap_or_else(|e| e.into_inner())
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.builtins.len() + self.added().len()
    }

    /// Whether the family is empty (it never is; for clippy's sake).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds an item at run time (a plugin, or a test's toy item); it then appears wherever the
    /// family is listed or parsed. A name that is taken is refused.
    pub fn register(&self, item: &'static T) -> Result<(), SpecError> {
        let name = item.def().name;
        if self.find(name).is_some() {
            return Err(SpecError::Invalid {
                family: self.family,
                item: name,
                message: "an item of this name is already registered".into(),
            });
        }
        let mut added = self.added.write().unwrap_or_else(|e| e.into_inner());
        added.push(item);
        Ok(())
    }

    pub fn find(&self, name: &str) -> Option<&'static T> {
        if let Some(item) = self.builtins.iter().find(|i| i.def().name == name) {
            return Some(item);
        }
        self.added().iter().copied().find(|i| i.def().name == name)
    }

    /// The definition of item `name`.
    pub fn def(&self, name: &str) -> Option<&'static ItemDef> {
        self.find(name).map(|i| i.def())
    }

    /// Every item's definition, in order.
    pub fn defs(&self) -> Vec<&'static ItemDef> {
        self.items().into_iter().map(|i| i.def()).collect()
    }

    pub fn names(&self) -> String {
        let names: Vec<&str> = self.items().iter().map(|i| i.def().name).collect();
        names.join(", ")
    }

    /// Checks `spec` against the table: the item exists, every key is known, required keys are
    /// present and every value has the right type and range.
    pub fn resolve<'a>(&self, spec: &'a Spec) -> Result<Args<'a>, SpecError> {
        self.resolve_item(spec).map(|(_, args)| args)
    }

    /// [`Registry::resolve`], with the item whose behaviour builds what the spec names.
    pub fn resolve_item<'a>(&self, spec: &'a Spec) -> Result<(&'static T, Args<'a>), SpecError> {
        let found = self
            .find(&spec.name)
            .ok_or_else(|| SpecError::UnknownItem {
                family: self.family,
                name: spec.name.clone(),
                hint: did_you_mean(&spec.name, self.items().iter().map(|i| i.def().name)),
                valid: self.names(),
            })?;
        let item = found.def();
        for (i, (key, value)) in spec.args.iter().enumerate() {
            let Some(def) = item.params.iter().find(|p| p.name == key) else {
                let valid: Vec<&str> = item.params.iter().map(|p| p.name).collect();
                let hint = did_you_mean(key, valid.iter().copied());
                let valid = if valid.is_empty() {
                    "none (it takes no parameters)".to_owned()
                } else {
                    valid.join(", ")
                };
                return Err(SpecError::UnknownParam {
                    family: self.family,
                    item: item.name,
                    key: key.clone(),
                    hint,
                    valid,
                });
            };
            if spec.args[..i].iter().any(|(k, _)| k == key) {
                return Err(SpecError::DuplicateParam {
                    family: self.family,
                    item: item.name,
                    key: key.clone(),
                });
            }
            if !def.check(value) {
                return Err(SpecError::BadValue {
                    family: self.family,
                    item: item.name,
                    key: def.name,
                    value: value.to_string(),
                    expected: def.kind.describe(),
                });
            }
        }
        if let Some(missing) = item
            .params
            .iter()
            .find(|p| p.required && spec.get(p.name).is_none())
        {
            return Err(SpecError::MissingParam {
                family: self.family,
                item: item.name,
                key: missing.name,
                doc: missing.doc,
                example: format!(
                    "{}({}={})",
                    item.name,
                    missing.name,
                    missing.default.to_value()
                ),
            });
        }
        Ok((
            found,
            Args {
                family: self.family,
                item,
                spec,
            },
        ))
    }
}

/// A spec that passed [`Registry::resolve`]: typed getters that fill in defaults.
pub struct Args<'a> {
    family: &'static str,
    item: &'static ItemDef,
    spec: &'a Spec,
}

impl Args<'_> {
    pub fn item(&self) -> &'static ItemDef {
        self.item
    }

    /// The spec these arguments were resolved from.
    pub fn spec(&self) -> &Spec {
        self.spec
    }

    /// The value of `key`: as written in the spec, or the item's default.
    pub fn value(&self, key: &str) -> Value {
        if let Some(v) = self.spec.get(key) {
            return v.clone();
        }
        self.item
            .params
            .iter()
            .find(|p| p.name == key)
            .map_or(Value::Null, |p| p.default.to_value())
    }

    pub fn num(&self, key: &str) -> f64 {
        match self.value(key) {
            Value::Num(x) => x,
            _ => f64::NAN,
        }
    }

    pub fn opt_num(&self, key: &str) -> Option<f64> {
        match self.value(key) {
            Value::Num(x) => Some(x),
            _ => None,
        }
    }

    pub fn int(&self, key: &str) -> u64 {
        self.num(key) as u64
    }

    pub fn flag(&self, key: &str) -> bool {
        matches!(self.value(key), Value::Bool(true))
    }

    pub fn choice(&self, key: &str) -> String {
        match self.value(key) {
            Value::Str(s) => s,
            _ => String::new(),
        }
    }

    /// A text parameter; a number written there is text too (`f=2`).
    pub fn text(&self, key: &str) -> String {
        match self.value(key) {
            Value::Str(s) => s,
            Value::Num(x) => fmt_num(x),
            _ => String::new(),
        }
    }

    pub fn num_list(&self, key: &str) -> Vec<f64> {
        match self.value(key) {
            Value::List(xs) => xs,
            _ => Vec::new(),
        }
    }

    pub fn int_list(&self, key: &str) -> Vec<u64> {
        match self.value(key) {
            Value::List(xs) => xs.into_iter().map(|x| x as u64).collect(),
            _ => Vec::new(),
        }
    }

    /// An error about a combination of parameters, in the family's words.
    pub fn invalid(&self, message: impl Into<String>) -> SpecError {
        SpecError::Invalid {
            family: self.family,
            item: self.item.name,
            message: message.into(),
        }
    }
}

impl Default {
    /// The default as JSON, for `optiscope list --json`.
    pub fn to_json(self) -> serde_json::Value {
        match self {
            Default::Num(x) => serde_json::json!(x),
            Default::Bool(b) => serde_json::json!(b),
            Default::Str(s) => serde_json::json!(s),
            Default::List(xs) => serde_json::json!(xs),
            Default::Null => serde_json::Value::Null,
        }
    }
}

impl Kind {
    /// The type as JSON (`{"type": "float", "check": "unit_open"}`), so tools such as the
    /// reference generator read the registry instead of retyping it.
    fn to_json(self) -> serde_json::Value {
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

impl<T: Item> Registry<T> {
    /// Every item with its parameters, types, defaults and docs, as `optiscope list --json`
    /// prints it.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        let items: Vec<serde_json::Value> = self
            .defs()
            .into_iter()
            .map(|item| {
                let params: Vec<serde_json::Value> = item
                    .params
                    .iter()
                    .map(|p| {
                        json!({
                            "name": p.name,
                            "kind": p.kind.to_json(),
                            "default": p.default.to_json(),
                            "required": p.required,
                            "doc": p.doc,
                        })
                    })
                    .collect();
                json!({"name": item.name, "summary": item.summary, "signature": item.signature(), "params": params})
            })
            .collect();
        json!({"family": self.family, "items": items})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_params_lists_bools_and_strings() {
        let spec = parse_spec(
            " multistep( milestones=[10, 20], gamma=0.5 , flag=true, mode=exp_range, d=None)",
        )
        .unwrap();
        assert_eq!(spec.name, "multistep");
        assert_eq!(spec.get("milestones"), Some(&Value::List(vec![10.0, 20.0])));
        assert_eq!(spec.get("gamma"), Some(&Value::Num(0.5)));
        assert_eq!(spec.get("flag"), Some(&Value::Bool(true)));
        assert_eq!(spec.get("mode"), Some(&Value::Str("exp_range".into())));
        assert_eq!(spec.get("d"), Some(&Value::Null));
        assert_eq!(parse_spec("adam").unwrap(), Spec::named("adam"));
        assert_eq!(parse_spec("adam()").unwrap(), Spec::named("adam"));
    }

    #[test]
    fn display_round_trips() {
        let text = "cyclic(base_lr=0.001,max_lr=0.1,milestones=[10,20],step_size_down=None,mode=triangular2,x=1e-8)";
        let spec = parse_spec(text).unwrap();
        assert_eq!(spec.to_string(), text);
        assert_eq!(parse_spec(&spec.to_string()).unwrap(), spec);
    }

    #[test]
    fn syntax_errors_name_the_problem() {
        for (text, needle) in [
            ("adam(beta1)", "expected key=value, found 'beta1'"),
            ("adam(beta1=0.9", "missing ')'"),
            ("adam(beta1=)", "value is missing"),
            ("adam(,)", "empty parameter"),
            ("ad am", "unexpected ' '"),
            ("step(milestones=[1,x])", "'x' in list"),
            ("adam(beta1=1,beta1=2)", "given twice"),
            ("", "name is missing"),
        ] {
            let err = parse_spec(text).unwrap_err().to_string();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }

    #[test]
    fn nan_and_inf_are_not_numbers() {
        assert_eq!(
            parse_spec("a(x=nan)").unwrap().get("x"),
            Some(&Value::Str("nan".into()))
        );
        assert_eq!(
            parse_spec("a(x=inf)").unwrap().get("x"),
            Some(&Value::Str("inf".into()))
        );
        assert_eq!(
            parse_spec("a(x=1e400)").unwrap().get("x"),
            Some(&Value::Num(f64::INFINITY))
        );
    }

    static ITEMS: &[ItemDef] = &[ItemDef {
        name: "thing",
        summary: "test item",
        params: &[
            ParamDef::num("beta", Check::UnitOpen, 0.9, "a beta"),
            ParamDef::int("steps", 1, 10.0, "a count").required(),
            ParamDef::choice("mode", &["a", "b"], "a mode"),
        ],
    }];
    static REG: Registry = Registry::new("widget", ITEMS);

    #[test]
    fn registry_validates_and_fills_defaults() {
        let spec = parse_spec("thing(steps=5)").unwrap();
        let args = REG.resolve(&spec).unwrap();
        assert_eq!(args.num("beta"), 0.9);
        assert_eq!(args.int("steps"), 5);
        assert_eq!(args.choice("mode"), "a");

        let err = |t: &str| {
            REG.resolve(&parse_spec(t).unwrap())
                .err()
                .unwrap()
                .to_string()
        };
        assert_eq!(
            err("thong"),
            "unknown widget 'thong' (did you mean 'thing'?); valid widgets: thing"
        );
        assert_eq!(err("zzz"), "unknown widget 'zzz'; valid widgets: thing");
        assert!(err("thing(steps=1,gamma=2)").contains("unknown parameter 'gamma'"));
        assert!(err("thing(steps=1,gamma=2)").contains("beta, steps, mode"));
        assert!(err("thing").contains("needs parameter 'steps'"));
        assert!(err("thing(steps=1.5)").contains("whole number >= 1"));
        assert!(err("thing(steps=0)").contains("'0' is not valid"));
        assert!(err("thing(steps=1,beta=1)").contains("[0, 1)"));
        assert!(err("thing(steps=1,mode=c)").contains("one of a, b"));
        assert!(err("thing(steps=1,beta=1e400)").contains("[0, 1)"));
    }
}
