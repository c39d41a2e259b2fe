//! `name(key=value,...)` specifications and the registries that validate them.
//!
//! One registry per family (surfaces, optimizers, schedules, warmups) lists every item with its
//! parameters and defaults. The CLI parser, `optiscope list`, presets and the UI all read the same
//! tables, so adding an item or a parameter is one edit and every front end agrees.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

mod params;
mod registry;
pub use params::{Check, Item, ItemDef, Kind, ParamDef, ParamDefault};
pub use registry::{Args, Registry};

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

/// The candidate closest to a mistyped `name` (a typo or two, or a different case), shown as
/// " (did you mean 'x'?)", or nothing when none is close.
pub fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Hint {
    let lower = name.to_lowercase();
    Hint(
        candidates
            .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
            .filter(|&(d, c)| {
                d > 0 && d <= (c.chars().count() / 3).clamp(1, 3) || d == 0 && c != name
            })
            .min_by_key(|&(d, _)| d)
            .map(|(_, c)| c.to_owned()),
    )
}

/// A valid name close to a mistyped one: " (did you mean 'x'?)" after the name in a message,
/// or nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hint(pub Option<String>);

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(name) => write!(f, " (did you mean '{name}'?)"),
            None => Ok(()),
        }
    }
}

impl Hint {
    /// The hint in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        match &self.0 {
            Some(name) => crate::tr!("error-did-you-mean", name = name.as_str()),
            None => String::new(),
        }
    }
}

/// A family's noun ("optimizer", "data set") in the current language; a family registered
/// at run time keeps its own.
pub fn family_text(family: &str) -> String {
    match family {
        "optimizer" => crate::tr!("error-family-optimizer"),
        "surface" => crate::tr!("error-family-surface"),
        "schedule" => crate::tr!("error-family-schedule"),
        "warmup" => crate::tr!("error-family-warmup"),
        "data set" => crate::tr!("error-family-data-set"),
        "model" => crate::tr!("error-family-model"),
        other => other.to_owned(),
    }
}

/// What [`SpecError::UnknownParam`] lists as valid for an item without parameters.
pub const NO_PARAMS: &str = "none (it takes no parameters)";

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
        /// A valid name close to the mistyped one.
        hint: Hint,
        valid: String,
    },
    #[error("unknown parameter '{key}' for {family} '{item}'{hint}; valid parameters: {valid}")]
    UnknownParam {
        family: &'static str,
        item: &'static str,
        key: String,
        /// A valid parameter close to the mistyped one.
        hint: Hint,
        /// The parameters, or [`NO_PARAMS`].
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
    #[error(
        "parameter '{key}' of {family} '{item}': '{value}' is not valid; expected {}",
        .expected.describe()
    )]
    BadValue {
        family: &'static str,
        item: &'static str,
        key: &'static str,
        value: String,
        /// The parameter's type, which says what a valid value is.
        expected: Kind,
    },
    #[error("{family} '{item}': {message}")]
    Invalid {
        family: &'static str,
        item: &'static str,
        message: InvalidReason,
    },
}

impl SpecError {
    /// The message in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        match self {
            SpecError::Syntax { text, message } => crate::tr!(
                "error-spec-syntax",
                text = text.as_str(),
                message = message.text()
            ),
            SpecError::UnknownItem {
                family,
                name,
                hint,
                valid,
            } => crate::tr!(
                "error-spec-unknown",
                family = family_text(family),
                name = name.as_str(),
                hint = hint.text(),
                valid = valid.as_str()
            ),
            SpecError::UnknownParam {
                family,
                item,
                key,
                hint,
                valid,
            } => crate::tr!(
                "error-spec-unknown-param",
                family = family_text(family),
                item = *item,
                key = key.as_str(),
                hint = hint.text(),
                valid = if valid == NO_PARAMS {
                    crate::tr!("error-spec-no-params")
                } else {
                    valid.clone()
                }
            ),
            SpecError::DuplicateParam { family, item, key } => crate::tr!(
                "error-spec-duplicate",
                family = family_text(family),
                item = *item,
                key = key.as_str()
            ),
            SpecError::MissingParam {
                family,
                item,
                key,
                doc,
                example,
            } => crate::tr!(
                "error-spec-missing",
                family = family_text(family),
                item = *item,
                key = *key,
                doc = crate::text::or(&crate::text::item_id(family, item, Some(key)), doc),
                example = example.as_str()
            ),
            SpecError::BadValue {
                family,
                item,
                key,
                value,
                expected,
            } => crate::tr!(
                "error-spec-bad-value",
                family = family_text(family),
                item = *item,
                key = *key,
                value = value.as_str(),
                expected = expected.describe_text()
            ),
            SpecError::Invalid {
                family,
                item,
                message,
            } => crate::tr!(
                "error-spec-invalid",
                family = family_text(family),
                item = *item,
                message = message.text()
            ),
        }
    }
}

/// Why an item's parameters, each valid alone, do not make one: the combination, a size, or
/// the formula they hold. `Other` is an outside item's own message (a plugin's), kept as it is.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum InvalidReason {
    #[error("an item of this name is already registered")]
    Registered,
    #[error("nesterov=true needs momentum > 0 and dampening = 0")]
    Nesterov,
    #[error(
        "needs the surface itself (its Hessian or its flow): it runs on the 2D surfaces, not on a network's parameters"
    )]
    NeedsSurface,
    #[error("n = {n} is too many points; at most {max} keep training live")]
    TooManyPoints { n: usize, max: usize },
    #[error("hidden layers need at least one unit each")]
    EmptyLayer,
    #[error("a small network: at most {layers} hidden layers of at most {width} units")]
    NetworkTooLarge { layers: usize, width: usize },
    #[error(
        "needs at least one boundary and one value more than boundaries (has {boundaries} boundaries and {values} values)"
    )]
    Piecewise { boundaries: usize, values: usize },
    #[error(
        "pct_start = {pct} with total_steps = {total} leaves a phase without steps; every phase needs at least one step (e.g. pct_start between {low:.3} and {high:.3})"
    )]
    OneCyclePhases {
        pct: f64,
        total: f64,
        low: f64,
        high: f64,
    },
    #[error("n = {0} is more than 1000000 data points")]
    TooManyRows(u64),
    #[error("batch_size = {batch_size} is larger than the data set (n = {n})")]
    BatchTooLarge { batch_size: u64, n: u64 },
    #[error("the view needs x_min < x_max and y_min < y_max")]
    View,
    #[error("{0}")]
    Formula(Box<crate::core::surface::FormulaError>),
    #[error("{0}")]
    Other(String),
}

impl InvalidReason {
    /// The message in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        match self {
            InvalidReason::Registered => crate::tr!("error-invalid-registered"),
            InvalidReason::Nesterov => crate::tr!("error-invalid-nesterov"),
            InvalidReason::NeedsSurface => crate::tr!("error-invalid-needs-surface"),
            InvalidReason::TooManyPoints { n, max } => {
                crate::tr!("error-invalid-too-many-points", n = *n, max = *max)
            }
            InvalidReason::EmptyLayer => crate::tr!("error-invalid-empty-layer"),
            InvalidReason::NetworkTooLarge { layers, width } => crate::tr!(
                "error-invalid-network-too-large",
                layers = *layers,
                width = *width
            ),
            InvalidReason::Piecewise { boundaries, values } => crate::tr!(
                "error-invalid-piecewise",
                boundaries = *boundaries,
                values = *values
            ),
            InvalidReason::OneCyclePhases {
                pct,
                total,
                low,
                high,
            } => crate::tr!(
                "error-invalid-one-cycle",
                pct = pct.to_string(),
                total = total.to_string(),
                low = format!("{low:.3}"),
                high = format!("{high:.3}")
            ),
            InvalidReason::TooManyRows(n) => {
                crate::tr!("error-invalid-too-many-rows", n = n.to_string())
            }
            InvalidReason::BatchTooLarge { batch_size, n } => crate::tr!(
                "error-invalid-batch-too-large",
                batch_size = batch_size.to_string(),
                n = n.to_string()
            ),
            InvalidReason::View => crate::tr!("error-invalid-view"),
            InvalidReason::Formula(e) => e.text(),
            InvalidReason::Other(message) => message.clone(),
        }
    }
}

impl From<String> for InvalidReason {
    fn from(message: String) -> Self {
        InvalidReason::Other(message)
    }
}

impl From<&str> for InvalidReason {
    fn from(message: &str) -> Self {
        InvalidReason::Other(message.to_owned())
    }
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

impl SyntaxError {
    /// The message in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        match self {
            SyntaxError::NoName => crate::tr!("error-syntax-no-name"),
            SyntaxError::BadName { bad, name } => crate::tr!(
                "error-syntax-bad-name",
                bad = bad.to_string(),
                name = name.as_str()
            ),
            SyntaxError::NoClosingParen => crate::tr!("error-syntax-no-closing-paren"),
            SyntaxError::EmptyParam => crate::tr!("error-syntax-empty-param"),
            SyntaxError::NotKeyValue(found) => {
                crate::tr!("error-syntax-not-key-value", found = found.as_str())
            }
            SyntaxError::BadKey(key) => crate::tr!("error-syntax-bad-key", key = key.as_str()),
            SyntaxError::Twice(key) => crate::tr!("error-syntax-twice", key = key.as_str()),
            SyntaxError::Unmatched(bracket) => {
                crate::tr!("error-syntax-unmatched", bracket = bracket.to_string())
            }
            SyntaxError::UnmatchedQuote => crate::tr!("error-syntax-unmatched-quote"),
            SyntaxError::Unclosed => crate::tr!("error-syntax-unclosed"),
            SyntaxError::NoValue => crate::tr!("error-syntax-no-value"),
            SyntaxError::UnbalancedQuotes(value) => {
                crate::tr!("error-syntax-unbalanced-quotes", value = value.as_str())
            }
            SyntaxError::UnclosedList(list) => {
                crate::tr!("error-syntax-unclosed-list", list = list.as_str())
            }
            SyntaxError::NotANumber { item, list } => crate::tr!(
                "error-syntax-not-a-number",
                item = item.as_str(),
                list = list.as_str()
            ),
        }
    }
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

    #[test]
    fn every_spec_error_speaks_the_windows_language_and_keeps_its_english() {
        use crate::text::assert_translated;
        let syntax = [
            SyntaxError::NoName,
            SyntaxError::BadName {
                bad: ' ',
                name: "ad am".into(),
            },
            SyntaxError::NoClosingParen,
            SyntaxError::EmptyParam,
            SyntaxError::NotKeyValue("beta1".into()),
            SyntaxError::BadKey("1x".into()),
            SyntaxError::Twice("beta1".into()),
            SyntaxError::Unmatched(')'),
            SyntaxError::UnmatchedQuote,
            SyntaxError::Unclosed,
            SyntaxError::NoValue,
            SyntaxError::UnbalancedQuotes("\"a\"b\"".into()),
            SyntaxError::UnclosedList("[1,2".into()),
            SyntaxError::NotANumber {
                item: "x".into(),
                list: "[1,x]".into(),
            },
        ];
        for e in &syntax {
            assert_translated(e, SyntaxError::text);
        }
        let reasons = [
            InvalidReason::Registered,
            InvalidReason::Nesterov,
            InvalidReason::NeedsSurface,
            InvalidReason::TooManyPoints {
                n: 30000,
                max: 20000,
            },
            InvalidReason::EmptyLayer,
            InvalidReason::NetworkTooLarge {
                layers: 6,
                width: 256,
            },
            InvalidReason::Piecewise {
                boundaries: 2,
                values: 2,
            },
            InvalidReason::OneCyclePhases {
                pct: 0.001,
                total: 100.0,
                low: 0.02,
                high: 0.99,
            },
            InvalidReason::TooManyRows(2_000_000),
            InvalidReason::BatchTooLarge {
                batch_size: 64,
                n: 32,
            },
            InvalidReason::View,
            InvalidReason::Formula(Box::new(crate::core::surface::FormulaError::TooLong {
                chars: 1200,
            })),
        ];
        for e in &reasons {
            assert_translated(e, InvalidReason::text);
        }
        // An outside item's own message stays as it wrote it; the frame around it is ours.
        let other = InvalidReason::Other("a plugin's own words".into());
        assert_eq!(other.text(), other.to_string());
        let mut errors = vec![SpecError::Invalid {
            family: "optimizer",
            item: "plugin",
            message: other,
        }];
        errors.extend(syntax.into_iter().map(|message| SpecError::Syntax {
            text: "adam(".into(),
            message,
        }));
        errors.extend(reasons.into_iter().map(|message| SpecError::Invalid {
            family: "surface",
            item: "linreg",
            message,
        }));
        for family in [
            "optimizer",
            "surface",
            "schedule",
            "warmup",
            "data set",
            "model",
        ] {
            for hint in [Hint(None), Hint(Some("adam".into()))] {
                errors.push(SpecError::UnknownItem {
                    family,
                    name: "adamm".into(),
                    hint,
                    valid: "sgd, adam".into(),
                });
            }
        }
        errors.extend([
            SpecError::UnknownParam {
                family: "optimizer",
                item: "adam",
                key: "beta".into(),
                hint: Hint(Some("beta1".into())),
                valid: "beta1, beta2".into(),
            },
            SpecError::UnknownParam {
                family: "schedule",
                item: "constant",
                key: "gamma".into(),
                hint: Hint(None),
                valid: NO_PARAMS.into(),
            },
            SpecError::DuplicateParam {
                family: "optimizer",
                item: "adam",
                key: "beta1".into(),
            },
            SpecError::MissingParam {
                family: "schedule",
                item: "step",
                key: "step_size",
                doc: "steps between decays",
                example: "step(step_size=30)".into(),
            },
        ]);
        for expected in [
            Kind::Float(Check::Any),
            Kind::Float(Check::NonNegative),
            Kind::Float(Check::Positive),
            Kind::Float(Check::UnitOpen),
            Kind::Float(Check::Unit),
            Kind::Float(Check::UnitPositive),
            Kind::Int { min: 1 },
            Kind::Bool,
            Kind::Choice(&["a", "b"]),
            Kind::IntList,
            Kind::NumList,
            Kind::OptFloat(Check::Positive),
            Kind::Text,
        ] {
            assert_eq!(expected.describe_text(), expected.describe());
            errors.push(SpecError::BadValue {
                family: "widget",
                item: "thing",
                key: "beta",
                value: "x".into(),
                expected,
            });
        }
        for e in &errors {
            assert_translated(e, SpecError::text);
        }
        assert_translated(&Hint(Some("thing".into())), Hint::text);
        assert_eq!(Hint(None).text(), "");
    }

    #[test]
    fn a_registrys_errors_read_in_chinese_with_the_items_own_names() {
        // The registry's own errors, as resolving makes them.
        let err = |t: &str| REG.resolve(&parse_spec(t).unwrap()).err().unwrap();
        let chinese =
            |t: &str| crate::text::with_language(crate::text::Lang::ZhCn, || err(t).text());
        for t in ["thong", "thing(steps=1,gamma=2)", "thing", "thing(steps=0)"] {
            assert_eq!(err(t).text(), err(t).to_string());
        }
        assert!(chinese("thong").contains("（是不是 'thing'？）"));
        assert!(chinese("thing(steps=1,mode=c)").contains("应为：a, b 之一"));
        let adamm = crate::core::optimizer::AnyOptimizer::from_spec(&parse_spec("adamm").unwrap())
            .err()
            .unwrap();
        let shown = crate::text::with_language(crate::text::Lang::ZhCn, || adamm.text());
        assert!(
            shown.starts_with("未知的优化器 'adamm'（是不是 'adam'？）；可用的优化器：sgd"),
            "{shown}"
        );
    }
}
