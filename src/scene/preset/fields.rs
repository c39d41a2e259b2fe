//! The field (de)serializers of the preset format: defaults, range checks with the file's
//! line and column, and specs checked against their registries as they are read.

use std::cell::RefCell;

use super::*;
use crate::core::spec::SpecError;

/// A field of a preset file that our checks refused while ron read it: the version, a value
/// out of range, a spec its registry does not know.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum FieldError {
    #[error("version {0} is not supported: this optiscope reads version {PRESET_VERSION}")]
    Version(u32),
    #[error("speed = {0} is not valid; expected steps per second from 1 to 10000")]
    Speed(f64),
    #[error("{0}")]
    Settings(settings::SettingsError),
    #[error("steps = {0} is too many; a scene's runs take at most {MAX_SCENE_STEPS} steps")]
    Steps(u64),
    /// The view as the file's reader sees it (`View { x_min: .. }`).
    #[error("view = {0} is not valid; expected finite x_min < x_max and y_min < y_max")]
    View(String),
    #[error("{0}")]
    Spec(SpecError),
    #[error("a scene has 1 to {MAX_RUNS} runs, this one has {0}")]
    RunCount(usize),
    #[error("{0}")]
    Missing(MissingField),
}

impl FieldError {
    /// The message in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        match self {
            FieldError::Version(found) => crate::tr!(
                "error-preset-version",
                found = found.to_string(),
                version = PRESET_VERSION.to_string()
            ),
            FieldError::Speed(speed) => {
                crate::tr!("error-preset-speed", speed = speed.to_string())
            }
            FieldError::Settings(e) => e.text(),
            FieldError::Steps(steps) => crate::tr!(
                "error-preset-too-many-steps",
                steps = steps.to_string(),
                max = MAX_SCENE_STEPS.to_string()
            ),
            FieldError::View(view) => crate::tr!("error-preset-view", view = view.as_str()),
            FieldError::Spec(e) => e.text(),
            FieldError::RunCount(runs) => {
                crate::tr!("error-preset-run-count", max = MAX_RUNS, runs = *runs)
            }
            FieldError::Missing(missing) => missing.text(),
        }
    }
}

thread_local! {
    /// The field this thread's parse last refused ([`refuse`]).
    static REFUSED: RefCell<Option<FieldError>> = const { RefCell::new(None) };
}

/// Refuses a field. ron carries only a message's English to the error it reports, so the
/// typed reason waits here for `parse_preset`, which takes it back (and so speaks the
/// window's language) when ron's message is its English.
pub(super) fn refuse<E: serde::de::Error>(error: FieldError) -> E {
    let message = error.to_string();
    REFUSED.with(|r| *r.borrow_mut() = Some(error));
    E::custom(message)
}

/// The refused field whose English is `message`, if it is the one this thread refused last.
pub(super) fn take_refused(message: &str) -> Option<FieldError> {
    REFUSED
        .with(|r| r.borrow_mut().take())
        .filter(|e| e.to_string() == message)
}

/// Forgets a refusal an earlier parse left behind.
pub(super) fn forget_refused() {
    REFUSED.with(|r| *r.borrow_mut() = None);
}

pub(super) fn yes() -> bool {
    true
}
pub(super) fn is_true(b: &bool) -> bool {
    *b
}
pub(super) fn is_zero(x: &f64) -> bool {
    *x == 0.0
}
pub(super) fn is_zero_u64(x: &u64) -> bool {
    *x == 0
}
pub(super) fn default_steps() -> u64 {
    200
}
pub(super) fn default_speed() -> f64 {
    30.0
}
pub(super) fn constant_schedule() -> Spec {
    Spec::named("constant")
}
pub(super) fn no_warmup() -> Spec {
    Spec::named("none")
}
pub(super) fn is_constant(s: &Spec) -> bool {
    *s == constant_schedule()
}
pub(super) fn is_no_warmup(s: &Spec) -> bool {
    *s == no_warmup()
}

pub(super) fn de_version<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let v = u32::deserialize(d)?;
    if v != PRESET_VERSION {
        return Err(refuse(FieldError::Version(v)));
    }
    Ok(v)
}

/// The run-settings checks, with their messages, as the CLI and the window use them.
pub(super) fn de_lr<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    settings::check_lr(f64::deserialize(d)?).map_err(|e| refuse(FieldError::Settings(e)))
}

pub(super) fn de_noise<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    settings::check_noise(f64::deserialize(d)?).map_err(|e| refuse(FieldError::Settings(e)))
}

pub(super) fn de_speed<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let x = f64::deserialize(d)?;
    if x.is_finite() && SPEED_RANGE.contains(&x) {
        Ok(x)
    } else {
        Err(refuse(FieldError::Speed(x)))
    }
}

pub(super) fn de_point<'de, D: Deserializer<'de>>(d: D) -> Result<Point, D::Error> {
    let (x, y) = <(f64, f64)>::deserialize(d)?;
    settings::check_point([x, y]).map_err(|e| refuse(FieldError::Settings(e)))
}

pub(super) fn de_opt_point<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Point>, D::Error> {
    struct Wrap(Point);
    impl<'de> Deserialize<'de> for Wrap {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            de_point(d).map(Wrap)
        }
    }
    Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
}

pub(super) fn check_steps<E: serde::de::Error>(n: u64) -> Result<u64, E> {
    if n <= MAX_SCENE_STEPS {
        Ok(n)
    } else {
        Err(refuse(FieldError::Steps(n)))
    }
}

pub(super) fn de_steps<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    check_steps(u64::deserialize(d)?)
}

pub(super) fn de_opt_steps<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Option::<u64>::deserialize(d)?.map(check_steps).transpose()
}

pub(super) fn de_view<'de, D: Deserializer<'de>>(d: D) -> Result<Option<View>, D::Error> {
    let Some(v) = Option::<View>::deserialize(d)? else {
        return Ok(None);
    };
    if v.is_valid() {
        Ok(Some(v))
    } else {
        Err(refuse(FieldError::View(format!("{v:?}"))))
    }
}

/// A spec field written as its command-line text, validated against its registry when read.
pub(super) fn de_spec<'de, D: Deserializer<'de>>(
    d: D,
    check: impl Fn(&Spec) -> Result<(), SpecError>,
) -> Result<Spec, D::Error> {
    let text = String::deserialize(d)?;
    let spec = parse_spec(&text).map_err(|e| refuse(FieldError::Spec(e)))?;
    check(&spec).map_err(|e| refuse(FieldError::Spec(e)))?;
    Ok(spec)
}

pub(super) fn ser_spec<S: Serializer>(spec: &Spec, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&spec.to_string())
}

/// A `with = ".."` module for a spec field, checked by `$check` when read.
macro_rules! spec_field {
    ($module:ident, $check:expr) => {
        pub(super) mod $module {
            pub(in crate::scene::preset) use super::ser_spec as serialize;
            pub(in crate::scene::preset) fn deserialize<'de, D: serde::Deserializer<'de>>(
                d: D,
            ) -> Result<crate::core::spec::Spec, D::Error> {
                super::de_spec(d, $check)
            }
        }
    };
}

spec_field!(model_spec, |s| {
    crate::core::network::Mlp::from_spec(s, 2).map(drop)
});
spec_field!(data_spec, |s| {
    crate::core::network::Data::from_spec(s).map(drop)
});

/// The surface field, optional in network scenes.
pub(super) mod opt_surface_spec {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(in crate::scene::preset) fn serialize<S: Serializer>(
        spec: &Option<crate::core::spec::Spec>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match spec {
            // As an option (`Some("..")` in plain RON; preset files write it implicitly).
            Some(spec) => s.serialize_some(&spec.to_string()),
            None => s.serialize_none(),
        }
    }

    pub(in crate::scene::preset) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<crate::core::spec::Spec>, D::Error> {
        struct Wrap(crate::core::spec::Spec);
        impl<'de> Deserialize<'de> for Wrap {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                super::de_spec(d, |s| {
                    crate::core::surface::AnySurface::from_spec(s).map(drop)
                })
                .map(Wrap)
            }
        }
        Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
    }
}

spec_field!(optimizer_spec, |s| {
    crate::core::optimizer::AnyOptimizer::from_spec(s).map(drop)
});
spec_field!(schedule_spec, |s| crate::core::schedule::Phase::from_spec(
    s
)
.map(drop));
spec_field!(warmup_spec, |s| crate::core::schedule::warmup_phase(s)
    .map(drop));
