//! The settings of one run: one type that presets, the window, the CLI and the simulation
//! share, validated in one place so every front end shows the same message.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::core::math::Point;
use crate::core::optimizer::AnyOptimizer;
use crate::core::schedule::LrSchedule;
use crate::core::spec::{Spec, SpecError, Value, fmt_num};
use crate::core::surface::{AnySurface, Capabilities};

/// The most steps one run may take (a trajectory of this length needs ~5.6 GB when recorded).
pub const MAX_STEPS: u64 = 100_000_000;

/// A mistake in the settings of a run (not in its outcome), naming the setting and what it
/// should be.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum SettingsError {
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error("{what} = {value} is not valid: expected {expected}")]
    Value {
        what: &'static str,
        value: String,
        expected: Expected,
    },
}

impl SettingsError {
    /// The message in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        match self {
            SettingsError::Spec(e) => e.text(),
            SettingsError::Value {
                what,
                value,
                expected,
            } => crate::tr!(
                "error-settings-value",
                what = *what,
                value = value.as_str(),
                expected = expected.text()
            ),
        }
    }
}

/// What a setting of a run should be, in [`SettingsError::Value`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum Expected {
    #[error("a finite number >= 0")]
    NonNegative,
    #[error("two finite numbers (x, y)")]
    Point,
    #[error("at most 100000000")]
    AtMostMaxSteps,
    #[error("no batch size: it applies to the linreg surface only")]
    NoBatchSize,
    #[error("0: a network's gradient noise comes from its minibatches (batch_size)")]
    NoNoise,
    #[error("none: a network starts from the initialization its seed draws")]
    NoStart,
    #[error("1 to the number of training rows (leave it out for full batch)")]
    BatchRows,
    #[error("a start point (x, y)")]
    StartPoint,
}

impl Expected {
    /// What is expected, in the current language; `Display` stays English for the command
    /// line.
    pub fn text(&self) -> String {
        match self {
            Expected::NonNegative => crate::tr!("error-settings-non-negative"),
            Expected::Point => crate::tr!("error-settings-point"),
            Expected::AtMostMaxSteps => crate::tr!("error-settings-max-steps"),
            Expected::NoBatchSize => crate::tr!("error-settings-no-batch-size"),
            Expected::NoNoise => crate::tr!("error-settings-no-noise"),
            Expected::NoStart => crate::tr!("error-settings-no-start"),
            Expected::BatchRows => crate::tr!("error-settings-batch-rows"),
            Expected::StartPoint => crate::tr!("error-settings-start-point"),
        }
    }
}

fn bad(what: &'static str, value: String, expected: Expected) -> SettingsError {
    SettingsError::Value {
        what,
        value,
        expected,
    }
}

/// A base learning rate: finite and >= 0.
pub fn check_lr(lr: f64) -> Result<f64, SettingsError> {
    if lr.is_finite() && lr >= 0.0 {
        Ok(lr)
    } else {
        Err(bad("lr", fmt_value(lr), Expected::NonNegative))
    }
}

/// The standard deviation of gradient noise: finite and >= 0.
pub fn check_noise(noise: f64) -> Result<f64, SettingsError> {
    if noise.is_finite() && noise >= 0.0 {
        Ok(noise)
    } else {
        Err(bad("noise", fmt_value(noise), Expected::NonNegative))
    }
}

/// A point of the plane: two finite numbers.
pub fn check_point(p: Point) -> Result<Point, SettingsError> {
    if p[0].is_finite() && p[1].is_finite() {
        Ok(p)
    } else {
        Err(bad(
            "start",
            format!("({}, {})", fmt_value(p[0]), fmt_value(p[1])),
            Expected::Point,
        ))
    }
}

/// A step count no larger than [`MAX_STEPS`].
pub fn check_steps(steps: u64) -> Result<u64, SettingsError> {
    if steps <= MAX_STEPS {
        Ok(steps)
    } else {
        Err(bad("steps", steps.to_string(), Expected::AtMostMaxSteps))
    }
}

fn fmt_value(x: f64) -> String {
    if x.is_finite() {
        fmt_num(x)
    } else {
        x.to_string()
    }
}

/// What one run is, as a user writes it: optimizer, learning rate, schedule and warmup as specs,
/// plus its length, noise, seed and what it overrides of the scene (start, batch size).
/// Colour and visibility are not here: they change the picture, not the numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunSettings {
    pub optimizer: Spec,
    pub lr: f64,
    pub schedule: Spec,
    pub warmup: Spec,
    pub steps: u64,
    /// Standard deviation σ of Gaussian noise added to each gradient component.
    pub noise: f64,
    /// Seed of the gradient noise and of minibatch sampling.
    pub seed: u64,
    /// This run's own start point; `None` follows the scene's.
    pub start: Option<Point>,
    /// Overrides `linreg`'s `batch_size` for this run, so batch GD, mini-batch and SGD can race
    /// on the same data.
    pub batch_size: Option<u64>,
}

impl Default for RunSettings {
    /// Plain gradient descent at lr 0.1 for 200 steps, from the scene's start.
    fn default() -> Self {
        Self {
            optimizer: Spec::named("sgd"),
            lr: 0.1,
            schedule: Spec::named("constant"),
            warmup: Spec::named("none"),
            steps: 200,
            noise: 0.0,
            seed: 0,
            start: None,
            batch_size: None,
        }
    }
}

impl RunSettings {
    /// A run of `optimizer` at a constant `lr` from its own `start`.
    pub fn new(optimizer: Spec, lr: f64, start: Point, steps: u64) -> Self {
        Self {
            optimizer,
            lr,
            start: Some(start),
            steps,
            ..Self::default()
        }
    }

    /// These settings with the start resolved: the run's own, or `scene_start`.
    pub fn starting_from(&self, scene_start: Point) -> Self {
        Self {
            start: Some(self.start.unwrap_or(scene_start)),
            ..self.clone()
        }
    }

    /// The surface this run sees: the scene's, with the run's `batch_size` applied (linreg only).
    pub fn surface(&self, scene_surface: &Spec) -> Spec {
        match self.batch_size {
            Some(b) if Capabilities::of(scene_surface).batched => scene_surface
                .clone()
                .with("batch_size", Value::Num(b as f64)),
            _ => scene_surface.clone(),
        }
    }

    /// Checks every setting: numbers in range, every spec known to its registry.
    pub fn validate(&self) -> Result<(), SettingsError> {
        check_lr(self.lr)?;
        check_noise(self.noise)?;
        check_steps(self.steps)?;
        if let Some(p) = self.start {
            check_point(p)?;
        }
        AnyOptimizer::from_spec(&self.optimizer)?;
        LrSchedule::from_specs(self.lr, &self.schedule, &self.warmup)?;
        Ok(())
    }

    /// Checks the surface this run sees too (a batch size must suit the data).
    pub fn validate_on(&self, scene_surface: &Spec) -> Result<(), SettingsError> {
        self.validate()?;
        if self.batch_size.is_some() {
            if !Capabilities::of(scene_surface).batched {
                return Err(bad(
                    "batch_size",
                    self.batch_size.map_or(String::new(), |b| b.to_string()),
                    Expected::NoBatchSize,
                ));
            }
            AnySurface::from_spec(&self.surface(scene_surface))?;
        }
        Ok(())
    }

    /// Checks a run that trains a network on `rows` training rows: its optimizer must work
    /// on a parameter vector (not Newton or a flow), and there is no start or gradient noise.
    pub fn validate_for_network(&self, rows: usize) -> Result<(), SettingsError> {
        check_lr(self.lr)?;
        check_steps(self.steps)?;
        crate::core::optimizer::VecOptimizer::from_spec(&self.optimizer)?;
        LrSchedule::from_specs(self.lr, &self.schedule, &self.warmup)?;
        if self.noise != 0.0 {
            return Err(bad("noise", fmt_value(self.noise), Expected::NoNoise));
        }
        if let Some([x, y]) = self.start {
            return Err(bad(
                "start",
                format!("({}, {})", fmt_value(x), fmt_value(y)),
                Expected::NoStart,
            ));
        }
        if let Some(b) = self.batch_size
            && (b == 0 || b as usize > rows)
        {
            return Err(SettingsError::Value {
                what: "batch_size",
                value: b.to_string(),
                expected: Expected::BatchRows,
            });
        }
        Ok(())
    }

    /// A label for legends and run lists: the optimizer spec, the base learning rate and whatever
    /// else sets this run apart (schedule, warmup, batch size, noise, own start), so runs that
    /// differ only there are still told apart. Its words are in the thread's language.
    pub fn label(&self) -> String {
        let mut label = format!("{} lr={}", self.optimizer, fmt_num(self.lr));
        if self.schedule.name != "constant" {
            label.push_str(&format!(" {}", self.schedule));
        }
        if self.warmup.name != "none" {
            let warmup = crate::tr!("run-label-warmup", warmup = self.warmup.to_string());
            label.push_str(&format!(" {warmup}"));
        }
        if let Some(b) = self.batch_size {
            let batch = crate::tr!("run-label-batch", size = b.to_string());
            label.push_str(&format!(" {batch}"));
        }
        if self.noise > 0.0 {
            label.push_str(&format!(" σ={}", fmt_num(self.noise)));
        }
        if let Some([x, y]) = self.start {
            let from = crate::tr!("run-label-from", x = fmt_num(x), y = fmt_num(y));
            label.push_str(&format!(" {from}"));
        }
        label
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::assert_translated;

    /// The words a label adds (warmup, batch, its own start) are the window's language; the
    /// specs and numbers in it stay as written.
    #[test]
    fn a_label_speaks_the_threads_language() {
        let run = RunSettings {
            warmup: Spec::named("linear").with("steps", Value::Num(5.0)),
            batch_size: Some(8),
            start: Some([-1.0, 0.5]),
            ..RunSettings::default()
        };
        let english = run.label();
        assert!(english.ends_with(" batch 8 from (-1, 0.5)"), "{english}");
        assert!(english.contains(" warmup linear(steps=5)"), "{english}");
        let chinese = crate::text::with_language(crate::text::Lang::ZhCn, || run.label());
        assert!(chinese.ends_with(" 批量 8 从 (-1, 0.5) 出发"), "{chinese}");
        assert!(chinese.contains(" 预热 linear(steps=5)"), "{chinese}");
    }

    #[test]
    fn every_settings_error_speaks_the_windows_language_and_keeps_its_english() {
        let expected = [
            Expected::NonNegative,
            Expected::Point,
            Expected::AtMostMaxSteps,
            Expected::NoBatchSize,
            Expected::NoNoise,
            Expected::NoStart,
            Expected::BatchRows,
            Expected::StartPoint,
        ];
        for e in expected {
            assert_translated(&e, Expected::text);
            assert_translated(&bad("lr", "-1".into(), e), SettingsError::text);
        }
        let spec = SettingsError::from(
            AnyOptimizer::from_spec(&Spec::named("adamm")).expect_err("unknown"),
        );
        assert_translated(&spec, SettingsError::text);
        assert_translated(&check_lr(-1.0).unwrap_err(), SettingsError::text);
    }
}
