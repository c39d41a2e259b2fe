//! The Bayesian search over the learning rate: trials, their losses and the suggestion.

use super::grid::OPTIMUM_COLOR;
use super::*;

/// The Bayesian search: every trial (numbered in the order tried) over the model's mean and
/// its ±2 sd band, the best trial marked, and a button to use it.
pub(super) fn bayes_ui(ui: &mut Ui, sweep: &mut SweepUi, state: &mut AppState) {
    let Some(b) = &sweep.bayes else {
        return;
    };
    ui.separator();
    let best = b.search.best();
    let mut use_best = false;
    ui.horizontal(|ui| {
        ui.strong(tr!("sweep-bayesian-search"));
        match best {
            Some(t) => {
                ui.label(tr!(
                    "sweep-bayes-best-of",
                    runs = b.cells.len(),
                    lr = fmt_lr(round_sig(t.lr, 3))
                ));
                use_best = ui.button(tr!("sweep-apply")).clicked();
            }
            None => {
                ui.label(tr!("sweep-no-run-finished"));
            }
        }
    });
    ui.label(RichText::new(tr!("sweep-bayes-explained")));
    let fg = ui.visuals().strong_text_color();
    let curve = b.search.curve(256);
    let mean: Vec<[f64; 2]> = curve.iter().map(|c| [c.0.log10(), c.1]).collect();
    // The band as thin quads (egui_plot fills a polygon as if it were convex), cut a little
    // beyond the scores: far from every run it is wide and would only squash the plot.
    let (lo, hi) = b
        .search
        .trials()
        .iter()
        .map(|t| t.score)
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    let margin = 0.25 * (hi - lo).max(1.0);
    let clip = |v: f64| {
        if lo <= hi {
            v.clamp(lo - margin, hi + margin)
        } else {
            v
        }
    };
    let band: Vec<Vec<[f64; 2]>> = curve
        .windows(2)
        .map(|w| {
            let (a, b) = (&w[0], &w[1]);
            vec![
                [a.0.log10(), clip(a.1 - 2.0 * a.2)],
                [b.0.log10(), clip(b.1 - 2.0 * b.2)],
                [b.0.log10(), clip(b.1 + 2.0 * b.2)],
                [a.0.log10(), clip(a.1 + 2.0 * a.2)],
            ]
        })
        .collect();
    let trials: Vec<[f64; 2]> = b
        .search
        .trials()
        .iter()
        .map(|t| [t.lr.log10(), t.score])
        .collect();
    Plot::new("bayes-search")
        .height(200.0)
        .x_axis_label(tr!("sweep-lr-log-scale"))
        .x_axis_formatter(log_axis)
        .x_grid_spacer(log_spacer)
        .custom_y_axes(vec![
            egui_plot::AxisHints::new_y()
                .label(tr!("sweep-bayes-score-axis"))
                .label_spacing(18.0..=40.0),
        ])
        .show(ui, |plot_ui| {
            for quad in band {
                plot_ui.polygon(
                    egui_plot::Polygon::new("", quad)
                        .fill_color(fg.gamma_multiply(0.12))
                        .stroke(egui::Stroke::NONE)
                        .allow_hover(false),
                );
            }
            plot_ui.line(Line::new("", mean).color(fg.gamma_multiply(0.8)));
            plot_ui.points(
                Points::new(tr!("sweep-bayes-runs-legend"), trials.clone())
                    .radius(4.0)
                    .color(Color32::from_rgb(255, 170, 60)),
            );
            for (k, p) in trials.iter().enumerate() {
                plot_ui.text(
                    egui_plot::Text::new("", PlotPoint::new(p[0], p[1]), format!("{}", k + 1))
                        .anchor(egui::Align2::LEFT_BOTTOM)
                        .color(fg),
                );
            }
            if let Some(t) = best {
                plot_ui.points(
                    Points::new(
                        tr!("sweep-bayes-best-legend"),
                        vec![[t.lr.log10(), t.score]],
                    )
                    .shape(MarkerShape::Asterisk)
                    .radius(9.0)
                    .color(OPTIMUM_COLOR),
                );
            }
        });
    if let (true, Some(t)) = (use_best, best)
        && let Some(run) = state.scene.runs.get_mut(b.run_index)
    {
        run.settings.lr = round_sig(t.lr, 3);
        state.selected = b.run_index;
    }
}
