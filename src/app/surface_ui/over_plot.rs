//! What the surface view draws over the plot: the legend, the status labels at each run's
//! head, and the colorbar beside it.

use super::*;

/// The legend and the status labels over the plot, laid out by [`overlay`] in screen pixels
/// and drawn on a dark backing (readable over any heatmap colour, in both themes).
pub(super) fn draw_overlay(
    ui: &Ui,
    transform: &egui_plot::PlotTransform,
    picture: &frame::SurfacePicture,
    paths: &[PathCache],
    start: Point,
) -> OverlayRects {
    let frame_rect = *transform.frame();
    let painter = ui.painter_at(frame_rect);
    let legend_font = egui::FontId::proportional(13.0);
    let label_font = egui::FontId::proportional(14.0);
    let measure_with = |font: &egui::FontId| {
        let painter = painter.clone();
        let font = font.clone();
        move |s: &str| {
            painter
                .layout_no_wrap(s.to_owned(), font.clone(), Color32::WHITE)
                .size()
                .x
        }
    };
    let px = |p: Point| {
        let q = transform.position_from_point(&PlotPoint::new(p[0], p[1]));
        [q.x, q.y]
    };
    let to_px_rect = |r: Rect| PxRect::new([r.min.x, r.min.y], [r.max.x, r.max.y]);
    let to_rect = |r: PxRect| {
        Rect::from_min_max(Pos2::new(r.min[0], r.min[1]), Pos2::new(r.max[0], r.max[1]))
    };
    let plot = to_px_rect(frame_rect);
    let measure_legend = measure_with(&legend_font);
    let m = overlay::Metrics {
        line_height: 17.0,
        pad: 6.0,
        glyph: 18.0,
        measure: &measure_legend,
    };
    let avoid: Vec<[f32; 2]> = paths
        .iter()
        .flat_map(|p| p.raw.iter())
        .map(|&p| px(p))
        .collect();
    let handle = PxRect::around(px(start), HANDLE_RADIUS_PX);
    let entries = overlay::legend_entries(picture, Some([255, 255, 255]));
    // The handle and the stationary points stay visible: the legend goes elsewhere if it can.
    let keep_clear: Vec<PxRect> = std::iter::once(handle)
        .chain(overlay::marker_clearance(picture, px, 9.0))
        .collect();
    let legend = overlay::layout_legend(&entries, plot, &m, &avoid, &keep_clear);
    let backing = {
        let [r, g, b, a] = overlay::BACKING_RGBA;
        Color32::from_rgba_unmultiplied(r, g, b, a)
    };
    if let Some(legend) = &legend {
        paint_legend(&painter, legend, &legend_font);
    }
    let measure_label = measure_with(&label_font);
    let lm = overlay::Metrics {
        line_height: 18.0,
        pad: 6.0,
        glyph: 0.0,
        measure: &measure_label,
    };
    let requests = overlay::label_requests(picture, px);
    let occupied: Vec<PxRect> = legend.iter().map(|l| l.rect).chain([handle]).collect();
    let labels = overlay::layout_status_labels(&requests, plot, &lm, &occupied);
    for label in &labels {
        painter.rect_filled(to_rect(label.rect), 4.0, backing);
        let color = if label.bad {
            DIVERGED_COLOR
        } else {
            rgb(label.rgb)
        };
        for (line, at) in &label.lines {
            painter.text(
                Pos2::new(at[0], at[1]),
                Align2::LEFT_TOP,
                line,
                label_font.clone(),
                color,
            );
        }
    }
    OverlayRects {
        view: None,
        plot: Some(frame_rect),
        legend: legend.map(|l| to_rect(l.rect)),
        labels: labels.iter().map(|l| to_rect(l.rect)).collect(),
    }
}

pub(super) fn colorbar_ui(ui: &mut Ui, cache: &Cache, height: f32) {
    let size = Vec2::new(crate::app::axes::COLORBAR_WIDTH - 8.0, height);
    let Some(g) = cache
        .grid
        .as_ref()
        .filter(|g| g.min.is_finite() && g.max.is_finite() && g.max > g.min)
    else {
        ui.allocate_exact_size(size, egui::Sense::hover());
        return;
    };
    let ticks: Vec<(f32, String)> =
        crate::picture::colormap::colorbar_ticks(g.min, g.max, g.log_scale)
            .into_iter()
            .map(|(at, label)| (at as f32, label))
            .collect();
    let title = if g.log_scale {
        tr!("surface-f-log")
    } else {
        "f".to_owned()
    };
    crate::app::axes::colorbar(ui, size, &title, &ticks);
}
