//! The overlay drawn over a rendered picture: legend, status, title and the update glyphs,
//! laid out by the rule the window shares ([`crate::picture::overlay`]).

use super::*;

impl Renderer {
    /// The legend, the status labels, the step counter and the contour labels, laid out by
    /// [`overlay`] as the window lays them out (without drawing: the contour labels go under
    /// the paths, the boxes over them).
    pub(super) fn lay_out_overlay(
        &self,
        area: &Area<'_>,
        picture: &frame::SurfacePicture,
        handle: Option<PxRect>,
        step: u64,
    ) -> Overlay {
        let style = self.style;
        let (xr, yr) = &self.plot;
        let plot = PxRect::new(
            [xr.start as f32, yr.start as f32],
            [xr.end as f32, yr.end as f32],
        );
        let legend_text = text_style(style.small, FOREGROUND);
        let label_text = text_style(style.font, FOREGROUND);
        let measure_in = |t: &TextStyle<'_>, s: &str| -> f32 {
            area.estimate_text_size(s, t)
                .map(|(w, _)| w as f32)
                .unwrap_or(s.chars().count() as f32 * style.font as f32 / 2.0)
        };
        let measure_legend = |s: &str| measure_in(&legend_text, s);
        let measure_label = |s: &str| measure_in(&label_text, s);
        let pad = (style.margin as f32 * 0.6).max(2.0);
        let m = overlay::Metrics {
            line_height: (style.small * 1.3) as f32,
            pad,
            glyph: (style.small * 1.4) as f32,
            measure: &measure_legend,
        };
        // The step counter sits in the bottom right corner; nothing covers it.
        let counter = crate::tr!(
            "picture-step-counter",
            step = step.min(self.last_step),
            steps = self.last_step
        );
        let counter_size = [
            measure_label(&counter) + 2.0 * pad,
            (style.font * 1.3) as f32 + pad,
        ];
        let counter_rect = PxRect::at(
            [
                plot.max[0] - counter_size[0] - pad,
                plot.max[1] - counter_size[1] - pad,
            ],
            counter_size,
        );
        let avoid: Vec<[f32; 2]> = self
            .runs
            .iter()
            .flat_map(|r| r.thin.iter())
            .map(|&p| {
                let (x, y) = self.pixel_of(p);
                [x as f32, y as f32]
            })
            .collect();
        let px = |p: Point| {
            let (x, y) = self.pixel_of(p);
            [x as f32, y as f32]
        };
        let keep_clear: Vec<PxRect> = handle
            .into_iter()
            .chain([counter_rect])
            .chain(overlay::marker_clearance(
                picture,
                px,
                style.dot as f32 + 4.0,
            ))
            .collect();
        let entries = overlay::legend_entries(picture, self.start.map(|_| [255, 255, 255]));
        let legend = overlay::layout_legend(&entries, plot, &m, &avoid, &keep_clear);
        let lm = overlay::Metrics {
            line_height: (style.font * 1.3) as f32,
            pad,
            glyph: 0.0,
            measure: &measure_label,
        };
        let requests = overlay::label_requests(picture, px);
        let occupied: Vec<PxRect> = legend.iter().map(|l| l.rect).chain(keep_clear).collect();
        let labels = overlay::layout_status_labels(&requests, plot, &lm, &occupied);
        // The contour labels, placed as the window places them: clear of the legend, the
        // status labels and the counter, and inside the plot.
        let clear: Vec<PxRect> = occupied
            .iter()
            .copied()
            .chain(labels.iter().map(|l| l.rect))
            .collect();
        let spots: Vec<[f32; 2]> = self.contour_labels.iter().map(|&(_, p, _)| px(p)).collect();
        let contours = overlay::place_contour_labels(&spots, &clear)
            .into_iter()
            .filter_map(|i| {
                let text = crate::picture::colormap::fmt_value(self.contour_labels[i].0);
                let [w, h] = [measure_legend(&text), (style.small * 1.2) as f32];
                let [x, y] = spots[i];
                let rect = PxRect::at([x - w / 2.0, y - h / 2.0], [w, h]);
                plot.contains_rect(&rect).then(|| TextRun {
                    text,
                    at: rect.min,
                    size: style.small,
                    rgb: self.contour_labels[i].2,
                })
            })
            .collect();
        Overlay {
            legend,
            labels,
            counter: (counter, counter_rect),
            contours,
        }
    }

    /// The boxes and glyphs of a laid-out overlay; returns its text for [`paint_text`].
    pub(super) fn draw_overlay(
        &self,
        area: &Area<'_>,
        o: &Overlay,
    ) -> Result<Vec<TextRun>, RenderError> {
        let mut texts = Vec::new();
        let style = self.style;
        let shift = at_shift(area);
        let pad = (style.margin as f32 * 0.6).max(2.0);
        let glyph = (style.small * 1.4) as f32;
        let [br, bg, bb, ba] = overlay::BACKING_RGBA;
        let backing = RGBAColor(br, bg, bb, ba as f64 / 255.0);
        let local = |p: [f32; 2]| (p[0].round() as i32 - shift.0, p[1].round() as i32 - shift.1);
        let fill = |r: PxRect| -> Result<(), RenderError> {
            area.draw(&Rectangle::new(
                [local(r.min), local(r.max)],
                backing.filled(),
            ))
            .map_err(draw_err)
        };
        if let Some(legend) = &o.legend {
            fill(legend.rect)?;
            for row in &legend.rows {
                if row.glyph_center[0].is_finite() {
                    let r = (glyph * 0.35).max(2.0);
                    self.draw_glyph(area, row.glyph, row.glyph_center, r, color(row.rgb))?;
                }
                for (line, at) in &row.lines {
                    texts.push(TextRun {
                        text: line.clone(),
                        at: *at,
                        size: style.small,
                        rgb: frame::FOREGROUND_RGB,
                    });
                }
            }
        }
        for label in &o.labels {
            fill(label.rect)?;
            let rgb = if label.bad {
                frame::DIVERGED_RGB
            } else {
                label.rgb
            };
            for (line, at) in &label.lines {
                texts.push(TextRun {
                    text: line.clone(),
                    at: *at,
                    size: style.font,
                    rgb,
                });
            }
        }
        let (counter, counter_rect) = &o.counter;
        fill(*counter_rect)?;
        texts.push(TextRun {
            text: counter.clone(),
            at: [counter_rect.min[0] + pad, counter_rect.min[1] + pad / 2.0],
            size: style.font,
            rgb: frame::FOREGROUND_RGB,
        });
        Ok(texts)
    }

    /// A glyph of half-size `r` pixels at `center` (see [`overlay::glyph_strokes`]).
    pub(super) fn draw_glyph(
        &self,
        area: &Area<'_>,
        glyph: Glyph,
        center: [f32; 2],
        r: f32,
        c: RGBColor,
    ) -> Result<(), RenderError> {
        let shift = at_shift(area);
        let (strokes, filled) = overlay::glyph_strokes(glyph);
        let at = |p: &[f32; 2]| {
            (
                (center[0] + p[0] * r).round() as i32 - shift.0,
                (center[1] + p[1] * r).round() as i32 - shift.1,
            )
        };
        for (k, line) in strokes.iter().enumerate() {
            let points: Vec<(i32, i32)> = line.iter().map(at).collect();
            if filled && k == 0 {
                area.draw(&Polygon::new(points, c.filled()))
                    .map_err(draw_err)?;
            } else {
                area.draw(&PathElement::new(points, c.stroke_width(self.style.line)))
                    .map_err(draw_err)?;
            }
        }
        if glyph == Glyph::Run {
            area.draw(&Circle::new(
                at(&[0.0, 0.0]),
                (r * 0.5) as i32 + 1,
                c.filled(),
            ))
            .map_err(draw_err)?;
        }
        Ok(())
    }
}
