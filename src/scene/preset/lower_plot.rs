//! The id of the view under the learning-rate plot, as scenes save it. What a view shows lives
//! with the view (`app::views`); this is only the name a preset or a link carries.

use std::sync::RwLock;

use serde::de::{self, Deserializer, EnumAccess, VariantAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Writes the enum of the built-in ids and the names they are saved under, from one list.
macro_rules! lower_plot_ids {
    ($($(#[$attr:meta])* $variant:ident = $name:literal,)*) => {
        /// The views of the plot under the learning-rate plot: a scene about sharpness opens on
        /// the sharpness, one about momentum on its eigen-directions.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub enum LowerPlot {
            $($(#[$attr])* $variant,)*
            /// A view added at run time ([`LowerPlot::register`]), saved under its name.
            Registered(&'static str),
        }

        impl LowerPlot {
            /// The built-in ids with their saved names, in the order serde numbers them.
            const BUILT_IN: &[(Self, &'static str)] = &[$((Self::$variant, $name)),*];
            /// The saved names of the built-in ids (what an unknown name's error lists).
            const NAMES: &[&'static str] = &[$($name),*];
        }
    };
}

lower_plot_ids! {
    /// f(θ_k) per step.
    #[default]
    Loss = "loss",
    /// |θ_{k+1} − θ_k| per step.
    StepSize = "step_size",
    /// λmax(H(θ_k)) (preconditioned for adaptive methods) against the stability threshold.
    Sharpness = "sharpness",
    /// The error θ_k − θ* along each Hessian eigenvector at the minimum.
    Eigen = "eigen",
    /// Position against velocity along one eigenvector.
    Phase = "phase",
    /// Each coordinate's step in units of the lr, RAdam's rectification and the
    /// rule-of-thumb warmup.
    Adaptive = "adaptive",
}

/// Why a view added at run time was refused: its saved name must be new and its own.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegisterViewError {
    /// A built-in view or one registered before already saves under this name.
    #[error("a lower plot view named '{0}' already exists")]
    Taken(&'static str),
    /// The view's id is a built-in one, which would make two views share it.
    #[error("the view '{0}' has a built-in id; an added view's is LowerPlot::Registered")]
    BuiltInId(&'static str),
}

/// The names of the views added at run time, so a scene that saved one loads again.
static REGISTERED: RwLock<Vec<&'static str>> = RwLock::new(Vec::new());

fn registered() -> Vec<&'static str> {
    // A poisoned lock still holds a valid list: names are only ever pushed.
    REGISTERED.read().unwrap_or_else(|e| e.into_inner()).clone()
}

impl LowerPlot {
    pub(in crate::scene) fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// Makes `name` the saved form of a view added at run time (`app::views::register` calls
    /// it), so a scene showing that view saves and loads; a name that is taken is refused.
    pub fn register(name: &'static str) -> Result<Self, RegisterViewError> {
        if Self::from_name(name).is_some() {
            return Err(RegisterViewError::Taken(name));
        }
        REGISTERED
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .push(name);
        Ok(Self::Registered(name))
    }

    /// The name the id is saved under.
    pub fn name(self) -> &'static str {
        match self {
            Self::Registered(name) => name,
            id => Self::BUILT_IN
                .iter()
                .find(|(built_in, _)| *built_in == id)
                .map_or("loss", |(_, name)| name),
        }
    }

    /// The id saved as `name`: a built-in one or one registered.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::BUILT_IN
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(id, _)| *id)
            .or_else(|| {
                registered()
                    .into_iter()
                    .find(|n| *n == name)
                    .map(Self::Registered)
            })
    }

    /// Every built-in id, so a check can find a view for each.
    pub fn built_in() -> impl Iterator<Item = Self> {
        Self::BUILT_IN.iter().map(|(id, _)| *id)
    }

    /// The number serde gives the id (the variant index a derive would).
    fn index(self) -> u32 {
        let position = match self {
            Self::Registered(name) => {
                Self::BUILT_IN.len() + registered().iter().position(|n| *n == name).unwrap_or(0)
            }
            id => Self::BUILT_IN
                .iter()
                .position(|(built_in, _)| *built_in == id)
                .unwrap_or(0),
        };
        position as u32
    }
}

// By hand rather than derived so that registered views save by name; the built-in ids keep
// exactly the form (and the errors) the derive gave them: unit variants in snake case.
impl Serialize for LowerPlot {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit_variant("LowerPlot", self.index(), self.name())
    }
}

impl<'de> Deserialize<'de> for LowerPlot {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_enum("LowerPlot", Self::NAMES, EnumVisitor)
    }
}

struct EnumVisitor;

impl<'de> Visitor<'de> for EnumVisitor {
    type Value = LowerPlot;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("enum LowerPlot")
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        let (id, variant) = data.variant::<Id>()?;
        variant.unit_variant()?;
        Ok(id.0)
    }
}

/// A variant's identifier: a saved name, or the index a derive would accept.
struct Id(LowerPlot);

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(IdVisitor)
    }
}

struct IdVisitor;

impl<'de> Visitor<'de> for IdVisitor {
    type Value = Id;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id, E> {
        let names = LowerPlot::NAMES;
        match names.get(v as usize) {
            Some(name) => self.visit_str(name),
            None => Err(E::invalid_value(
                de::Unexpected::Unsigned(v),
                &format!("variant index 0 <= i < {}", names.len()).as_str(),
            )),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
        LowerPlot::from_name(v)
            .map(Id)
            .ok_or_else(|| E::unknown_variant(v, LowerPlot::NAMES))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Id, E> {
        match std::str::from_utf8(v) {
            Ok(s) => self.visit_str(s),
            Err(_) => Err(E::unknown_variant(
                &String::from_utf8_lossy(v),
                LowerPlot::NAMES,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LowerPlot;

    #[test]
    fn built_in_ids_keep_their_saved_names_and_errors() {
        for (id, name) in LowerPlot::BUILT_IN {
            let text = ron::to_string(id).expect("writes");
            assert_eq!(text, *name);
            assert_eq!(ron::from_str::<LowerPlot>(&text).expect("reads"), *id);
            assert_eq!(
                serde_json::to_string(id).expect("json"),
                format!("\"{name}\"")
            );
        }
        let err = ron::from_str::<LowerPlot>("bogus")
            .expect_err("unknown")
            .to_string();
        assert!(
            err.contains("`loss`") && err.contains("`adaptive`"),
            "{err}"
        );
        assert!(!err.contains("registered"), "{err}");
    }

    #[test]
    fn a_registered_id_saves_and_loads_by_name() {
        let id = LowerPlot::register("unit_test_view").expect("free");
        assert!(LowerPlot::register("unit_test_view").is_err());
        assert!(LowerPlot::register("loss").is_err());
        let text = ron::to_string(&id).expect("writes");
        assert_eq!(text, "unit_test_view");
        assert_eq!(ron::from_str::<LowerPlot>(&text).expect("reads"), id);
    }
}
