//! Value parsers for the flags: each checks one kind of value and says what is wrong with it,
//! so a typo is reported by clap before anything runs.

use optiscope::core::run::settings::{self, MAX_STEPS};
use optiscope::core::spec::{Spec, parse_spec};
use optiscope::{AnyOptimizer, AnySurface, LrSchedule};

/// The columns of `--extra`, in the order asked for.
#[derive(Clone, Debug)]
pub(crate) struct ExtraColumns(pub(crate) Vec<optiscope::scene::trace::Extra>);

pub(crate) fn extra_columns(text: &str) -> Result<ExtraColumns, String> {
    optiscope::scene::trace::Extra::parse_list(text)
        .map(ExtraColumns)
        .map_err(|e| e.to_string())
}

pub(crate) fn spec_with(
    text: &str,
    check: impl Fn(&Spec) -> Result<(), String>,
) -> Result<Spec, String> {
    let spec = parse_spec(text).map_err(|e| e.to_string())?;
    check(&spec)?;
    Ok(spec)
}

pub(crate) fn surface_spec(text: &str) -> Result<Spec, String> {
    spec_with(text, |s| {
        AnySurface::from_spec(s)
            .map(drop)
            .map_err(|e| e.to_string())
    })
}

pub(crate) fn optimizer_spec(text: &str) -> Result<Spec, String> {
    spec_with(text, |s| {
        AnyOptimizer::from_spec(s)
            .map(drop)
            .map_err(|e| e.to_string())
    })
}

pub(crate) fn train_extra(text: &str) -> Result<String, String> {
    if text.trim() == "sharpness" {
        Ok("sharpness".to_owned())
    } else {
        Err(format!("unknown column '{text}'; --extra takes sharpness"))
    }
}

pub(crate) fn model_spec(text: &str) -> Result<Spec, String> {
    spec_with(text, |s| {
        optiscope::core::network::Mlp::from_spec(s, 2)
            .map(drop)
            .map_err(|e| e.to_string())
    })
}

pub(crate) fn data_spec(text: &str) -> Result<Spec, String> {
    spec_with(text, |s| {
        optiscope::core::network::Data::from_spec(s)
            .map(drop)
            .map_err(|e| e.to_string())
    })
}

pub(crate) fn vector_optimizer_spec(text: &str) -> Result<Spec, String> {
    spec_with(text, |s| {
        optiscope::core::optimizer::VecOptimizer::from_spec(s)
            .map(drop)
            .map_err(|e| e.to_string())
    })
}

pub(crate) fn schedule_spec(text: &str) -> Result<Spec, String> {
    spec_with(text, |s| {
        LrSchedule::from_specs(1.0, s, &Spec::named("none"))
            .map(drop)
            .map_err(|e| e.to_string())
    })
}

pub(crate) fn warmup_spec(text: &str) -> Result<Spec, String> {
    spec_with(text, |s| {
        LrSchedule::from_specs(1.0, &Spec::named("constant"), s)
            .map(drop)
            .map_err(|e| e.to_string())
    })
}

pub(crate) fn finite(text: &str) -> Result<f64, String> {
    let x: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number"))?;
    if x.is_finite() {
        Ok(x)
    } else {
        Err(format!("'{text}' is not a finite number"))
    }
}

/// A whole number in `range`, with a message that says what a count must be (clap's own says
/// "invalid digit found in string" for `-5`).
pub(crate) fn whole(
    text: &str,
    what: &str,
    range: std::ops::RangeInclusive<u64>,
) -> Result<u64, String> {
    let fail = || {
        if *range.end() == u64::MAX {
            format!(
                "'{text}' is not {what}: it must be a whole number of at least {}",
                range.start()
            )
        } else {
            format!(
                "'{text}' is not {what}: it must be a whole number from {} to {}",
                range.start(),
                range.end()
            )
        }
    };
    let n: u64 = text.trim().parse().map_err(|_| fail())?;
    if range.contains(&n) {
        Ok(n)
    } else {
        Err(fail())
    }
}

pub(crate) fn step_count(text: &str) -> Result<u64, String> {
    whole(text, "a number of steps", 0..=MAX_STEPS)
}

pub(crate) fn every_k(text: &str) -> Result<u64, String> {
    whole(text, "a row interval", 1..=u64::MAX)
}

pub(crate) fn learning_rate(text: &str) -> Result<f64, String> {
    settings::check_lr(finite(text)?).map_err(|e| e.to_string())
}

pub(crate) fn noise_sigma(text: &str) -> Result<f64, String> {
    settings::check_noise(finite(text)?).map_err(|e| e.to_string())
}

pub(crate) fn point(text: &str) -> Result<[f64; 2], String> {
    let parts: Vec<&str> = text.split(',').collect();
    let [x, y] = parts.as_slice() else {
        return Err(format!("'{text}' is not two numbers X,Y (e.g. -1.5,2)"));
    };
    Ok([finite(x)?, finite(y)?])
}

#[cfg(feature = "picture")]
pub(crate) fn picture_path(text: &str) -> Result<std::path::PathBuf, String> {
    let path = std::path::PathBuf::from(text);
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
    {
        Some(e) if e == "gif" || e == "png" => Ok(path),
        _ => Err(format!(
            "'{text}' ends in neither .gif (animation) nor .png (picture)"
        )),
    }
}

#[cfg(feature = "picture")]
pub(crate) fn picture_size(text: &str) -> Result<(u32, u32), String> {
    let range = optiscope::picture::render::SIZE_RANGE;
    let parsed = text
        .split_once(['x', 'X'])
        .and_then(|(w, h)| Some((w.trim().parse::<u32>().ok()?, h.trim().parse::<u32>().ok()?)));
    match parsed {
        Some((w, h)) if range.contains(&w) && range.contains(&h) => Ok((w, h)),
        Some(_) => Err(format!(
            "'{text}': width and height must be {} to {} pixels",
            range.start(),
            range.end()
        )),
        None => Err(format!("'{text}' is not WIDTHxHEIGHT (e.g. 960x600)")),
    }
}

#[cfg(feature = "picture")]
pub(crate) fn seconds(text: &str) -> Result<f64, String> {
    let x = finite(text)?;
    if !(0.1..=600.0).contains(&x) {
        return Err(format!("'{text}' is outside 0.1 to 600 seconds"));
    }
    Ok(x)
}
