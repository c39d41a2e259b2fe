//! The plot under the learning-rate plot: a header (the menu of views, the view's controls, Fit
//! and its note) and the plot of the view picked. What each view shows is its own
//! ([`super::views`]); this file only frames it.

use egui::{Color32, RichText, Ui};
use egui_plot::{Plot, VLine};

use super::axes::{log_axis, log_spacer};
use super::cache::{Cache, Curves};
use super::state::AppState;
use super::step_plot::{axes, data_key, fit_button, needs_fit, step_axis, step_link};
use super::views::{self, ViewInput};
use crate::scene::preset::LowerPlot;

/// Draws the header and the plot; returns the plot's (x, y) ranges.
pub fn lower_plot_ui(
    ui: &mut Ui,
    state: &mut AppState,
    cache: &Cache,
    cursor: f64,
) -> ([f64; 2], [f64; 2]) {
    let link = step_link();
    let network = state.scene.network.is_some();
    if network && !views::of(state.scene.plot).on_networks() {
        state.scene.plot = LowerPlot::default();
    }
    let fit_asked = ui
        .horizontal_wrapped(|ui| {
            let view = views::of(state.scene.plot);
            egui::ComboBox::from_id_salt("lower-plot-view")
                .selected_text(RichText::new(view.title()).strong())
                .show_ui(ui, |ui| {
                    for v in views::all() {
                        if network && !v.on_networks() {
                            continue;
                        }
                        ui.selectable_value(&mut state.scene.plot, v.id(), v.title())
                            .on_hover_text(v.hover());
                    }
                })
                .response
                .on_hover_text(view.hover());
            view.header_ui(ui, state);
            let fit = fit_button(ui);
            let note = cache
                .runs
                .get(state.selected)
                .and_then(|selected| view.note(state, cache, selected));
            if let Some(note) = note {
                // At reading size, on a row of its own when it does not fit beside the
                // controls (wrapped across the panel, not into a thin column beside them).
                let width = ui
                    .painter()
                    .layout_no_wrap(
                        note.clone(),
                        egui::TextStyle::Body.resolve(ui.style()),
                        Color32::WHITE,
                    )
                    .size()
                    .x;
                // What is left of this row (available_width is the whole row's).
                if width > ui.available_size_before_wrap().x {
                    ui.end_row();
                }
                ui.add(egui::Label::new(RichText::new(note).weak()).wrap());
            }
            fit
        })
        .inner;
    let view = views::of(state.scene.plot);
    let log = state.scene.log_loss && view.log_y();
    let key = data_key(state, cache, (log, view.id(), state.phase_fast));
    let selected_key = state.selected as u64;
    // The last thing in the panel: what is left below its header.
    let height = (ui.available_height() - 4.0).max(80.0);
    let mut plot = Plot::new("loss-plot").height(height);
    if view.over_steps() {
        plot = plot
            .custom_x_axes(vec![step_axis()])
            .x_grid_spacer(super::axes::step_spacer())
            .link_axis(link, [true, false])
            .link_cursor(link, [true, false])
            .include_x(0.0);
    }
    plot = view.axes(plot);
    // A legend only where it fits beside the lines: in a small plot (a projector at 1280×720)
    // it would cover them and be cut; the header's note and the menu's hover still explain.
    // The views of every run leave the runs to the surface's legend.
    let every_run = view.per_run(&Curves::default(), log).is_some();
    if !every_run && height >= 180.0 && ui.available_width() >= 280.0 {
        plot = plot.legend(
            egui_plot::Legend::default()
                .position(egui_plot::Corner::RightTop)
                .background_alpha(0.6),
        );
    }
    if log {
        plot = plot.y_axis_formatter(log_axis).y_grid_spacer(log_spacer);
    }
    if needs_fit(ui, "loss", key ^ selected_key.rotate_left(17), fit_asked) {
        plot = plot.reset();
    }
    let state = &*state;
    let response = plot.show(ui, |plot_ui| {
        let visuals = plot_ui.ctx().global_style().visuals.clone();
        let input = ViewInput {
            state,
            cache,
            log,
            cursor,
            visuals,
        };
        view.draw(plot_ui, &input);
        if view.over_steps() {
            plot_ui.vline(
                VLine::new("", cursor)
                    .color(Color32::from_white_alpha(140))
                    .width(1.0),
            );
        }
    });
    axes(response.transform.bounds())
}
