//! fastai's learning-rate range test: one short run whose rate grows exponentially.

use super::*;

pub(super) fn range_test_ui(ui: &mut Ui, sweep: &mut SweepUi, state: &mut AppState) {
    let Some(test) = &sweep.range_test else {
        return;
    };
    ui.separator();
    ui.horizontal(|ui| {
        ui.strong(tr!("sweep-lr-range-test"));
        match test.suggestion {
            Some(lr) => {
                ui.label(tr!("sweep-range-steepest-at", lr = fmt_lr(lr)));
                if ui.button(tr!("sweep-apply")).clicked() {
                    state.scene.runs[state.selected].settings.lr = round_sig(lr, 3);
                }
            }
            None => {
                ui.label(tr!("sweep-no-decreasing-stretch-found"));
            }
        }
    });
    let raw: Vec<[f64; 2]> = test
        .lrs
        .iter()
        .zip(&test.losses)
        .map(|(lr, l)| [lr.log10(), plot_loss(*l)])
        .collect();
    let smooth: Vec<[f64; 2]> = test
        .lrs
        .iter()
        .zip(&test.smoothed)
        .map(|(lr, l)| [lr.log10(), plot_loss(*l)])
        .collect();
    let fg = ui.visuals().strong_text_color();
    Plot::new("range-test")
        .height(200.0)
        .x_axis_label(tr!("sweep-lr-log-scale"))
        .x_axis_formatter(log_axis)
        .x_grid_spacer(log_spacer)
        .y_axis_label(tr!("sweep-range-loss-axis"))
        .y_axis_formatter(log_axis)
        .y_grid_spacer(log_spacer)
        .legend(egui_plot::Legend::default().position(egui_plot::Corner::LeftBottom))
        .show(ui, |plot_ui| {
            plot_ui
                .line(Line::new(tr!("sweep-range-raw-legend"), raw).color(Color32::from_gray(140)));
            plot_ui.line(
                Line::new(tr!("sweep-range-smoothed-legend"), smooth)
                    .color(fg)
                    .width(2.0),
            );
            if let Some(lr) = test.suggestion {
                plot_ui.vline(
                    VLine::new(tr!("sweep-range-steepest-legend"), lr.log10())
                        .color(Color32::from_rgb(0, 200, 120)),
                );
            }
        });
}
