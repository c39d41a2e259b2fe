//! The registry of one family and the checked arguments of a spec resolved against it.

use std::sync::RwLock;

use super::{Item, ItemDef, Spec, SpecError, Value, did_you_mean, fmt_num};

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
                message: super::InvalidReason::Registered,
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
                    super::NO_PARAMS.to_owned()
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
                    expected: def.kind,
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
    pub fn invalid(&self, message: impl Into<super::InvalidReason>) -> SpecError {
        SpecError::Invalid {
            family: self.family,
            item: self.item.name,
            message: message.into(),
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
