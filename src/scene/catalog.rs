//! The catalog of every registry: what `optiscope list` prints, as text for people and as JSON
//! for tools (the reference generator reads its defaults from it).

use std::fmt::Write;

use crate::core::network::{DATASETS, MODELS};
use crate::core::optimizer::OPTIMIZERS;
use crate::core::schedule::{SCHEDULES, WARMUPS};
use crate::core::spec::ItemDef;
use crate::core::surface::SURFACES;

/// Every family under its title with the flag that takes it.
fn families() -> [(&'static str, Vec<&'static ItemDef>); 6] {
    [
        ("SURFACES   (--surface)", SURFACES.defs()),
        ("OPTIMIZERS (--optimizer)", OPTIMIZERS.defs()),
        ("SCHEDULES  (--schedule)", SCHEDULES.defs()),
        ("WARMUPS    (--warmup)", WARMUPS.defs()),
        ("MODELS     (train --model)", MODELS.defs()),
        ("DATA SETS  (train --data)", DATASETS.defs()),
    ]
}

/// Every surface, optimizer, schedule and warmup with its parameters and defaults.
pub fn catalog_text() -> String {
    let mut out = String::new();
    for (i, (title, defs)) in families().iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{title}");
        for item in defs {
            let _ = writeln!(out, "  {}", item.signature());
            let _ = writeln!(out, "      {}", item.summary);
            for p in item.params {
                let default = if p.required {
                    format!("required, e.g. {}", p.default.to_value())
                } else {
                    format!("default {}", p.default.to_value())
                };
                let _ = writeln!(out, "      {:<26} {} ({default})", p.name, p.doc);
            }
        }
    }
    out.push_str(
        "\nSPEC syntax: name or name(key=value,...); lists [10,20]; booleans true|false; strings bare (mode=triangular2).\n",
    );
    out
}

/// The same catalog as JSON: `{"surfaces": {"family", "items": [...]}, "optimizers": ...}`.
pub fn catalog_json() -> serde_json::Value {
    let mut map = serde_json::Map::new();
    map.insert("surfaces".into(), SURFACES.to_json());
    map.insert("optimizers".into(), OPTIMIZERS.to_json());
    map.insert("schedules".into(), SCHEDULES.to_json());
    map.insert("warmups".into(), WARMUPS.to_json());
    map.insert("models".into(), MODELS.to_json());
    map.insert("data_sets".into(), DATASETS.to_json());
    serde_json::Value::Object(map)
}
