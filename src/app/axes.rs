//! Axes in log10 units that speak in values: the learning-rate and loss plots, the sweeps and
//! the range test all plot log10 of a rate or a loss and label it with the rate or loss itself.

use egui::{Align2, Pos2, Rect, Stroke, Ui, Vec2};
use egui_plot::{GridInput, GridMark};

use super::theme::colormap;

/// Width of a colorbar beside its plot, its tick labels included.
pub const COLORBAR_WIDTH: f32 = 74.0;

/// A vertical colorbar of the heatmap colormap in `size`, with `title` on top and `ticks`
/// (position 0..1 from the bottom, label) beside it: the surface's and the sweep map's.
pub fn colorbar(ui: &mut Ui, size: Vec2, title: &str, ticks: &[(f32, String)]) {
    let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
    let painter = ui.painter_at(rect);
    let bar = Rect::from_min_max(
        Pos2::new(rect.left() + 2.0, rect.top() + 24.0),
        Pos2::new(rect.left() + 16.0, rect.bottom() - 30.0),
    );
    let n = 96;
    for k in 0..n {
        let t0 = k as f32 / n as f32;
        let t1 = (k + 1) as f32 / n as f32;
        let r = Rect::from_min_max(
            Pos2::new(bar.left(), bar.bottom() - t1 * bar.height()),
            Pos2::new(bar.right(), bar.bottom() - t0 * bar.height() + 0.5),
        );
        painter.rect_filled(r, 0.0, colormap(((t0 + t1) * 0.5) as f64));
    }
    painter.rect_stroke(
        bar,
        0.0,
        Stroke::new(1.0, ui.visuals().weak_text_color()),
        egui::StrokeKind::Outside,
    );
    let text_color = ui.visuals().text_color();
    let font = egui::FontId::proportional(11.0);
    painter.text(
        Pos2::new(rect.left(), rect.top() + 4.0),
        Align2::LEFT_TOP,
        title,
        font.clone(),
        text_color,
    );
    for (at, label) in ticks {
        let y = bar.bottom() - at.clamp(0.0, 1.0) * bar.height();
        painter.line_segment(
            [Pos2::new(bar.right(), y), Pos2::new(bar.right() + 4.0, y)],
            Stroke::new(1.0, text_color),
        );
        painter.text(
            Pos2::new(bar.right() + 6.0, y),
            Align2::LEFT_CENTER,
            label,
            font.clone(),
            text_color,
        );
    }
}

/// A tick label for an axis in log10 units: the value itself (1e-3, 2e-3, …).
pub fn log_axis(mark: GridMark, _range: &std::ops::RangeInclusive<f64>) -> String {
    let exponent = mark.value.floor();
    let mantissa = 10f64.powf(mark.value - exponent);
    if (mantissa - mantissa.round()).abs() < 1e-6 {
        if mantissa.round() == 10.0 {
            format!("1e{}", exponent + 1.0)
        } else {
            format!("{}e{exponent}", mantissa.round())
        }
    } else {
        format!("{mantissa:.2}e{exponent}")
    }
}

/// Grid marks for an axis in log10 units: every decade (or every n-th when the axis spans
/// many), and 2× and 5× marks when it spans only a few, so labels never repeat.
pub fn log_spacer(input: GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    if !(lo.is_finite() && hi.is_finite() && hi > lo) {
        return Vec::new();
    }
    let span = hi - lo;
    let mut marks = Vec::new();
    // Decades per label that keep labels 24 points apart on a short plot (egui_plot's base
    // step is its 8-point minimum grid spacing in values; 0 where a caller has no plot).
    let room = (3.0 * input.base_step_size).ceil();
    if span > 3.0 || room > 1.0 {
        let stride = (span / 8.0).ceil().max(room).max(1.0);
        let mut k = (lo / stride).ceil() * stride;
        while k <= hi {
            marks.push(GridMark {
                value: k,
                step_size: stride,
            });
            k += stride;
        }
    } else {
        for k in (lo.floor() as i64)..=(hi.ceil() as i64) {
            for (m, step_size) in [(1.0f64, 1.0), (2.0, 0.3), (5.0, 0.3)] {
                let value = k as f64 + m.log10();
                if (lo..=hi).contains(&value) {
                    marks.push(GridMark { value, step_size });
                }
            }
        }
    }
    if marks.len() < 2 {
        // Less than a factor of two visible: the two ends.
        marks = [lo, hi]
            .map(|value| GridMark {
                value,
                step_size: span,
            })
            .to_vec();
    }
    marks
}

/// Grid steps of 1, 2 or 5 × 10ⁿ (each level a multiple of the one below): egui_plot's default
/// steps by powers of ten, so a view 1.6 units wide labels only "0" (its 0.1 step is too
/// dense for labels and its next, 1, has one mark in view).
pub fn nice_spacer() -> impl Fn(GridInput) -> Vec<GridMark> {
    egui_plot::uniform_grid_spacer(|input| nice_steps(input.base_step_size))
}

/// The label of a mark of [`nice_spacer`]: as many decimals as its step needs (0.5 keeps one,
/// where egui_plot's default, made for steps of 10ⁿ, would print "0"), and no "-0".
pub fn nice_label(mark: GridMark, _range: &std::ops::RangeInclusive<f64>) -> String {
    let decimals = (-mark.step_size.abs().log10()).ceil().clamp(0.0, 12.0) as usize;
    let text = format!("{:.*}", decimals, mark.value);
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        "0".to_owned()
    } else {
        text
    }
}

/// Grid steps for a step axis (a count of steps): its labels every 1, 2 or 5 × 10ⁿ steps,
/// the smallest such step that leaves [`STEP_LABEL_GAP`] points between labels, with a finer
/// grid under them. egui_plot's powers of ten labelled only 0 on a narrow plot of 400 steps,
/// where labels every 100 would have been 35 points apart.
pub fn step_spacer() -> impl Fn(GridInput) -> Vec<GridMark> {
    egui_plot::uniform_grid_spacer(|input| {
        // egui_plot's base step is its minimum grid spacing (8 points) in values.
        let per_point = input.base_step_size / 8.0;
        step_levels(per_point * STEP_LABEL_GAP as f64)
    })
}

/// The points a step axis's labels are at least apart (centre to centre).
pub const STEP_LABEL_GAP: f32 = 40.0;

/// The grid levels whose middle one is the smallest 1, 2 or 5 × 10ⁿ of at least `least`
/// (and at least 1: steps are whole), each level a multiple of the one below.
fn step_levels(least: f64) -> [f64; 3] {
    let least = least.max(1.0);
    let decade = 10f64.powf(least.log10().floor());
    let m = least / decade;
    let (label, below, above) = if m <= 1.0 + 1e-9 {
        (decade, 0.2, 2.0)
    } else if m <= 2.0 {
        (2.0 * decade, 0.25, 5.0)
    } else if m <= 5.0 {
        (5.0 * decade, 0.2, 2.0)
    } else {
        (10.0 * decade, 0.2, 2.0)
    };
    [(label * below).max(1.0).min(label), label, label * above]
}

fn nice_steps(base: f64) -> [f64; 3] {
    let base = base.abs().max(f64::MIN_POSITIVE);
    let decade = 10f64.powf(base.log10().floor());
    let m = base / decade;
    if m <= 1.0 {
        [decade, 5.0 * decade, 10.0 * decade]
    } else if m <= 2.0 {
        [2.0 * decade, 10.0 * decade, 20.0 * decade]
    } else if m <= 5.0 {
        [5.0 * decade, 10.0 * decade, 50.0 * decade]
    } else {
        [10.0 * decade, 50.0 * decade, 100.0 * decade]
    }
}

#[cfg(test)]
mod nice_tests {
    #[test]
    fn nice_steps_are_one_two_five_times_a_power_of_ten_and_nest() {
        for (base, want) in [
            (0.1, [0.1, 0.5, 1.0]),
            (0.13, [0.2, 1.0, 2.0]),
            (0.3, [0.5, 1.0, 5.0]),
            (7.0, [10.0, 50.0, 100.0]),
        ] {
            let got = super::nice_steps(base);
            for (g, w) in got.iter().zip(want) {
                assert!((g / w - 1.0).abs() < 1e-12, "{base}: {got:?}");
            }
            assert!(got[0] >= base * (1.0 - 1e-12));
        }
    }

    #[test]
    fn step_levels_label_the_smallest_one_two_five_step_that_leaves_room() {
        // 35 points per 100 steps: labels need 40 points, so every 200 steps.
        assert_eq!(
            super::step_levels(40.0 * 100.0 / 35.0),
            [50.0, 200.0, 1000.0]
        );
        assert_eq!(super::step_levels(100.0), [20.0, 100.0, 200.0]);
        assert_eq!(super::step_levels(300.0), [100.0, 500.0, 1000.0]);
        // Never a fraction of a step.
        assert_eq!(super::step_levels(0.3), [1.0, 1.0, 2.0]);
        assert_eq!(super::step_levels(1.5), [1.0, 2.0, 10.0]);
    }

    #[test]
    fn nice_labels_keep_the_digits_of_their_step() {
        let label = |value: f64, step_size: f64| {
            super::nice_label(egui_plot::GridMark { value, step_size }, &(0.0..=1.0))
        };
        assert_eq!(label(0.5, 0.5), "0.5");
        assert_eq!(label(-0.5, 0.5), "-0.5");
        assert_eq!(label(-0.0, 0.1), "0");
        assert_eq!(label(0.25, 0.05), "0.25");
        assert_eq!(label(20.0, 10.0), "20");
        assert_eq!(label(1.0, 1.0), "1");
    }
}
