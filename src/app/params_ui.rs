//! Editors generated from the registries: a combo box for the item and one widget per
//! parameter, so a new optimizer or schedule appears in the UI without UI code.

use crate::tr;
use egui::{ComboBox, DragValue, Ui};

use crate::core::spec::{
    Check, Item, Kind, ParamDef, ParamDefault, Registry, Spec, Value, fmt_num,
};

/// A combo box choosing the item of `registry`; switching resets the parameters.
pub fn item_combo_ui<T: Item>(
    ui: &mut Ui,
    label: &str,
    registry: &Registry<T>,
    spec: &mut Spec,
) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        let label_id = ui.label(label).id;
        ComboBox::from_id_salt((label, registry.family))
            .selected_text(spec.name.as_str())
            .show_ui(ui, |ui| {
                for item in registry.defs() {
                    let selected = spec.name == item.name;
                    let response = ui
                        .selectable_label(selected, item.name)
                        .on_hover_text(item.summary_text(registry.family));
                    if response.clicked() && !selected {
                        *spec = item.example_spec();
                        changed = true;
                    }
                }
            })
            .response
            .labelled_by(label_id)
            .on_hover_text(
                registry
                    .def(&spec.name)
                    .map_or(String::new(), |i| i.summary_text(registry.family)),
            );
    });
    changed
}

/// One widget per parameter of the item `spec` names. Returns whether anything changed.
pub fn params_ui<T: Item>(ui: &mut Ui, id: &str, registry: &Registry<T>, spec: &mut Spec) -> bool {
    let Some(item) = registry.def(&spec.name) else {
        return false;
    };
    if item.params.is_empty() {
        return false;
    }
    let mut changed = false;
    let mut edit = |ui: &mut Ui, p: &ParamDef, label: egui::Id| {
        let current = spec
            .get(p.name)
            .cloned()
            .unwrap_or_else(|| p.default.to_value());
        let doc = p.doc_text(registry.family, item.name);
        if let Some(new) = param_ui(ui, p, &doc, &current, label) {
            if !p.required && new == p.default.to_value() {
                spec.unset(p.name);
            } else {
                spec.set(p.name, new);
            }
            changed = true;
        }
    };
    // A text parameter (a formula) gets the panel's whole width, under its name.
    for p in item.params.iter().filter(|p| p.kind == Kind::Text) {
        let label = ui
            .label(p.name)
            .on_hover_text(p.doc_text(registry.family, item.name))
            .id;
        edit(ui, p, label);
    }
    // Long names (initial_accumulator_value) are cut to half the panel, the full name and
    // its doc on hover, so the editor never widens the panel.
    let half = (ui.available_width() * 0.5).max(60.0);
    egui::Grid::new((id, item.name))
        .num_columns(2)
        .spacing([8.0, 4.0])
        .max_col_width(half)
        .show(ui, |ui| {
            for p in item.params.iter().filter(|p| p.kind != Kind::Text) {
                let label = ui
                    .add(egui::Label::new(p.name).truncate())
                    .on_hover_text(format!(
                        "{}: {}",
                        p.name,
                        p.doc_text(registry.family, item.name)
                    ))
                    .id;
                edit(ui, p, label);
                ui.end_row();
            }
        });
    changed
}

fn range_of(check: Check) -> (f64, f64) {
    match check {
        Check::Any => (-1e6, 1e6),
        Check::NonNegative => (0.0, 1e6),
        Check::Positive => (1e-12, 1e6),
        Check::UnitOpen => (0.0, 0.9999),
        Check::Unit => (0.0, 1.0),
        Check::UnitPositive => (1e-6, 1.0),
    }
}

fn number_ui(
    ui: &mut Ui,
    value: f64,
    range: (f64, f64),
    whole: bool,
    doc: &str,
    label: egui::Id,
) -> Option<f64> {
    let mut v = value;
    let speed = if whole {
        0.2
    } else {
        (value.abs() * 0.01).max(1e-4)
    };
    let mut drag = DragValue::new(&mut v)
        .speed(speed)
        .range(range.0..=range.1)
        .custom_formatter(|x, _| fmt_num(x))
        .custom_parser(|text| text.trim().parse::<f64>().ok().filter(|x| x.is_finite()));
    if whole {
        drag = drag.fixed_decimals(0);
    }
    let response = ui.add(drag).on_hover_text(doc).labelled_by(label);
    let v = if whole { v.round() } else { v };
    (response.changed() && v != value).then_some(v)
}

fn param_ui(
    ui: &mut Ui,
    p: &ParamDef,
    doc: &str,
    current: &Value,
    label: egui::Id,
) -> Option<Value> {
    match (p.kind, current) {
        (Kind::Float(check), Value::Num(x)) => {
            number_ui(ui, *x, range_of(check), false, doc, label).map(Value::Num)
        }
        (Kind::Int { min }, Value::Num(x)) => {
            number_ui(ui, *x, (min as f64, 1e9), true, doc, label).map(Value::Num)
        }
        (Kind::Bool, Value::Bool(b)) => {
            let mut b2 = *b;
            ui.checkbox(&mut b2, "")
                .on_hover_text(doc)
                .labelled_by(label)
                .changed()
                .then_some(Value::Bool(b2))
        }
        (Kind::Choice(choices), Value::Str(s)) => {
            let mut picked = None;
            ComboBox::from_id_salt(p.name)
                .selected_text(s.as_str())
                .show_ui(ui, |ui| {
                    for c in choices {
                        if ui.selectable_label(s == c, *c).clicked() && s != c {
                            picked = Some(Value::Str((*c).to_owned()));
                        }
                    }
                });
            picked
        }
        (Kind::IntList | Kind::NumList, Value::List(xs)) => {
            let whole = p.kind == Kind::IntList;
            let id = ui.scope_id().with(("list", p.name));
            let shown = Value::List(xs.clone()).to_string();
            let mut text = ui
                .data_mut(|d| d.get_temp::<String>(id))
                .unwrap_or_else(|| shown.clone());
            let response = ui
                .add(egui::TextEdit::singleline(&mut text).desired_width(110.0))
                .on_hover_text(doc)
                .labelled_by(label);
            let mut result = None;
            if response.changed() {
                let inner = text.trim().trim_start_matches('[').trim_end_matches(']');
                let parsed: Option<Vec<f64>> = inner
                    .split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| {
                        s.trim()
                            .parse::<f64>()
                            .ok()
                            .filter(|x| x.is_finite() && (*x >= 0.0 || !whole))
                            .map(|x| if whole { x.round() } else { x })
                    })
                    .collect();
                if let Some(list) = parsed {
                    result = Some(Value::List(list));
                }
            }
            if response.lost_focus() {
                ui.data_mut(|d| d.remove::<String>(id));
            } else if response.has_focus() {
                ui.data_mut(|d| d.insert_temp(id, text));
            }
            result
        }
        (Kind::OptFloat(check), value) => {
            let mut auto = matches!(value, Value::Null);
            let mut result = None;
            ui.horizontal(|ui| {
                if ui
                    .checkbox(&mut auto, tr!("params-auto"))
                    .on_hover_text(doc)
                    .changed()
                {
                    result = Some(if auto {
                        Value::Null
                    } else {
                        match p.default {
                            ParamDefault::Num(x) => Value::Num(x),
                            _ => Value::Num(0.1),
                        }
                    });
                }
                if let Value::Num(x) = value
                    && let Some(v) = number_ui(ui, *x, range_of(check), false, doc, label)
                {
                    result = Some(Value::Num(v));
                }
            });
            result
        }
        (Kind::Text, Value::Str(_) | Value::Num(_)) => {
            let mut text = match current {
                Value::Str(s) => s.clone(),
                other => other.to_string(),
            };
            // Wrapped so a long formula stays readable in the panel, but Enter applies
            // (leaves the box) instead of breaking the formula with a line break; a pasted
            // line break becomes a space.
            let response = ui
                .add(
                    egui::TextEdit::multiline(&mut text)
                        .desired_rows(1)
                        .desired_width(f32::INFINITY)
                        .return_key(None)
                        .code_editor(),
                )
                .on_hover_text(doc)
                .labelled_by(label);
            if response.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                response.surrender_focus();
            }
            response
                .changed()
                .then(|| Value::Str(text.replace(['\n', '\r'], " ")))
        }
        // A value of the wrong type (a hand-edited scene): offer to reset it.
        (_, other) => ui
            .button(tr!("params-reset", value = other.to_string()))
            .on_hover_text(doc)
            .clicked()
            .then(|| p.default.to_value()),
    }
}
