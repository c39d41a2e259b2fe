//! The value-to-color map of the heatmap, shared by the window and the software renderer so a
//! saved picture has the colors of the window.

/// Where value `v` sits on the colormap, as t in [0, 1]: linear in f, or in log(f − min + ε)
/// for surfaces that span decades (Rosenbrock's valley would otherwise be one flat color).
pub fn color_position(v: f64, min: f64, max: f64, log_scale: bool) -> f64 {
    if !v.is_finite() {
        return 1.0;
    }
    let t = if log_scale {
        let eps = (max - min) * 1e-6;
        ((v - min + eps).ln() - eps.ln()) / ((max - min + eps).ln() - eps.ln())
    } else {
        (v - min) / (max - min)
    };
    if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Where the surface has no value (NaN or ±∞, e.g. log of a negative number): diagonal grey
/// stripes, a colour the colormap never takes, so "undefined" never reads as "very high".
pub const UNDEFINED_RGB: [[u8; 3]; 2] = [[104, 104, 104], [70, 70, 70]];

/// The heatmap colour of value `v` at grid cell (`ix`, `iy`): the colormap, or the hatch of
/// [`UNDEFINED_RGB`] where `v` is not finite.
pub fn heat_rgb(v: f64, min: f64, max: f64, log_scale: bool, ix: usize, iy: usize) -> [u8; 3] {
    if v.is_finite() {
        colormap_rgb(color_position(v, min, max, log_scale))
    } else {
        UNDEFINED_RGB[((ix + iy) / 6) % 2]
    }
}

/// The inverse of [`color_position`], for colorbar tick labels.
pub fn value_at_position(t: f64, min: f64, max: f64, log_scale: bool) -> f64 {
    if log_scale {
        let eps = (max - min) * 1e-6;
        (eps.ln() + t * ((max - min + eps).ln() - eps.ln())).exp() - eps + min
    } else {
        min + t * (max - min)
    }
}

/// The heatmap color at position t: viridis (perceptually uniform, readable in grey and with
/// color-vision deficiencies), slightly darkened so paths and labels stand out. A lookup table
/// keeps recoloring a 512×512 grid cheap.
pub fn colormap_rgb(t: f64) -> [u8; 3] {
    const N: usize = 1024;
    static LUT: std::sync::OnceLock<Vec<[u8; 3]>> = std::sync::OnceLock::new();
    let lut = LUT.get_or_init(|| {
        (0..N)
            .map(|i| {
                let c = colorous::VIRIDIS.eval_continuous(i as f64 / (N - 1) as f64);
                let dim = |x: u8| (x as f32 * 0.82) as u8;
                [dim(c.r), dim(c.g), dim(c.b)]
            })
            .collect()
    });
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let i = (t * (N - 1) as f64).round() as usize;
    lut[i.min(N - 1)]
}

/// A value of the surface (a contour level, a loss) with 3 significant digits; "—" for what is
/// not a number, so no label ever reads NaN.
pub fn fmt_value(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    let magnitude = v.abs().log10().floor();
    if !(-3.0..5.0).contains(&magnitude) {
        return format!("{v:.2e}");
    }
    let decimals = (2.0 - magnitude).max(0.0) as usize;
    format!("{v:.decimals$}")
}

/// The ticks of a colorbar over `min`..`max`: six values evenly spaced along the colormap
/// (so on a log scale they crowd towards the minimum like the colours do), each at its
/// position 0..1 from the bottom with its label. The window's colorbars and the exported
/// picture's share them.
pub fn colorbar_ticks(min: f64, max: f64, log_scale: bool) -> Vec<(f64, String)> {
    if !(min.is_finite() && max.is_finite() && max > min) {
        return Vec::new();
    }
    (0..=5)
        .map(|k| {
            // The ends exactly: the log scale's inverse leaves a residue (4e-22 for 0).
            let value = match k {
                0 => min,
                5 => max,
                _ => value_at_position(k as f64 / 5.0, min, max, log_scale),
            };
            // The tick sits where the colormap puts that value.
            (color_position(value, min, max, log_scale), fmt_value(value))
        })
        .collect()
}

/// WCAG 2's relative luminance of an sRGB colour, 0 (black) to 1 (white).
pub fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let lin = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// Light and dark text for labels on the heatmap: white and black, so one of them reaches
/// WCAG's 4.5:1 on every colour (at worst 4.58, where the two are equal).
pub const LABEL_LIGHT_RGB: [u8; 3] = [255, 255, 255];
pub const LABEL_DARK_RGB: [u8; 3] = [0, 0, 0];

/// The text colour of a label on heatmap colour `bg`: white on viridis's dark purples and
/// blues, black on its greens and yellows, whichever has the higher WCAG contrast.
pub fn label_rgb_on(bg: [u8; 3]) -> [u8; 3] {
    let l = luminance(bg);
    let light = (luminance(LABEL_LIGHT_RGB) + 0.05) / (l + 0.05);
    let dark = (l + 0.05) / (luminance(LABEL_DARK_RGB) + 0.05);
    if light >= dark {
        LABEL_LIGHT_RGB
    } else {
        LABEL_DARK_RGB
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_invert_and_stay_in_range() {
        for log in [false, true] {
            for t in [0.0, 0.25, 0.5, 1.0] {
                let v = value_at_position(t, 2.0, 1e4, log);
                assert!((color_position(v, 2.0, 1e4, log) - t).abs() < 1e-9);
            }
            assert_eq!(color_position(f64::NAN, 0.0, 1.0, log), 1.0);
            assert_eq!(color_position(-5.0, 0.0, 1.0, log), 0.0);
        }
        // Log scale: the geometric middle of [min + ε, max + ε] sits at t = 1/2.
        let eps: f64 = 1e-6;
        let mid = (eps.ln() + 0.5 * ((1.0 + eps).ln() - eps.ln())).exp() - eps;
        assert!((color_position(mid, 0.0, 1.0, true) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn viridis_runs_from_dark_purple_to_yellow() {
        let [r0, g0, b0] = colormap_rgb(0.0);
        let [r1, g1, b1] = colormap_rgb(1.0);
        // viridis(0) = #440154, viridis(1) = #fde725, each scaled by 0.82.
        assert_eq!([r0, g0, b0], [55, 0, 68]);
        assert_eq!([r1, g1, b1], [207, 189, 30]);
        assert_eq!(colormap_rgb(f64::NAN), colormap_rgb(0.0));
    }

    #[test]
    fn colorbar_ticks_run_from_min_to_max_where_the_colours_are() {
        let ticks = colorbar_ticks(0.0, 10.0, false);
        let want = ["0", "2.00", "4.00", "6.00", "8.00", "10.0"];
        assert_eq!(ticks.len(), 6);
        for (k, ((at, label), want)) in ticks.iter().zip(want).enumerate() {
            assert!((at - k as f64 / 5.0).abs() < 1e-12);
            assert_eq!(label, want);
        }
        // On a log scale the middle ticks sit low in value: log(f − min + ε) is even.
        let log = colorbar_ticks(0.0, 1.0, true);
        assert_eq!(log[0].1, "0");
        assert_eq!(log[5].1, "1.00");
        // t = 0.2 and 0.6 of log(ε) .. log(1 + ε), ε = 1e-6: 1e-6^0.8 − ε and 1e-6^0.4 − ε.
        assert_eq!(log[1].1, "1.48e-5");
        assert_eq!(log[3].1, "0.00398");
        assert!(colorbar_ticks(1.0, 1.0, false).is_empty());
        assert!(colorbar_ticks(0.0, f64::NAN, false).is_empty());
    }

    #[test]
    fn labels_are_light_on_dark_purple_and_dark_on_yellow() {
        // WCAG's published extremes: white 1, black 0.
        assert!((luminance([255, 255, 255]) - 1.0).abs() < 1e-12);
        assert_eq!(luminance([0, 0, 0]), 0.0);
        assert_eq!(label_rgb_on(colormap_rgb(0.0)), LABEL_LIGHT_RGB);
        assert_eq!(label_rgb_on(colormap_rgb(1.0)), LABEL_DARK_RGB);
    }
}
