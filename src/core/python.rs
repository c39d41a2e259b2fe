//! Python literals for the PyTorch code that registry items carry (see `scene::script`).

use crate::core::spec::Value;

/// A Python float literal that reads back as exactly `x`.
pub fn py(x: f64) -> String {
    if x.is_nan() {
        "float('nan')".into()
    } else if x.is_infinite() {
        if x > 0.0 { "math.inf" } else { "-math.inf" }.into()
    } else {
        format!("{x:?}")
    }
}

/// `True` or `False`.
pub fn py_bool(b: bool) -> String {
    if b { "True" } else { "False" }.into()
}

/// A quoted Python string.
pub fn py_str(s: &str) -> String {
    format!("{s:?}")
}

/// Any spec value as Python writes it.
pub fn py_value(v: &Value) -> String {
    match v {
        Value::Num(x) => py(*x),
        Value::Bool(b) => py_bool(*b),
        Value::Str(s) => py_str(s),
        Value::List(items) => format!(
            "[{}]",
            items.iter().map(|x| py(*x)).collect::<Vec<_>>().join(", ")
        ),
        Value::Null => "None".into(),
    }
}

/// A value where Python wants an integer (step counts): whole numbers without `.0`, also
/// inside lists; anything else as [`py_value`] writes it.
pub fn py_whole(v: &Value) -> String {
    match v {
        Value::Num(x) if x.fract() == 0.0 && x.abs() < 9e15 => format!("{}", *x as i64),
        Value::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|x| py_whole(&Value::Num(*x)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        v => py_value(v),
    }
}
