//! The static part of a 2D picture, drawn once per render: heatmap, contours and their labels,
//! axes, critical points and the colorbar.

use super::*;

impl Renderer {
    pub(super) fn draw_base(
        &mut self,
        preset: &Preset,
        surface: &AnySurface,
    ) -> Result<(), RenderError> {
        let style = self.style;
        let mut buf = std::mem::take(&mut self.base);
        // The plot's pixel rectangle depends on the layout only; the view is then widened to its
        // aspect ratio before anything is drawn.
        let plot = {
            let (_, rest) = self.layout(&mut buf);
            self.chart_on(&rest)?.plotting_area().get_pixel_range()
        };
        let (pw, ph) = (
            (plot.0.end - plot.0.start).max(1) as usize,
            (plot.1.end - plot.1.start).max(1) as usize,
        );
        self.view = equal_aspect(self.view, pw as f64 / ph as f64);
        self.plot = plot.clone();
        let view = self.view;
        {
            let (title, rest) = self.layout(&mut buf);
            title.fill(&BACKGROUND).map_err(draw_err)?;
            rest.fill(&BACKGROUND).map_err(draw_err)?;
            self.chart_on(&rest)?
                .configure_mesh()
                .disable_mesh()
                .x_labels(8)
                .y_labels(6)
                .x_desc(self.axis_names.0)
                .y_desc(self.axis_names.1)
                .label_style(text_style(style.small, FOREGROUND))
                .axis_desc_style(text_style(style.font, FOREGROUND))
                .axis_style(FOREGROUND)
                .draw()
                .map_err(draw_err)?;
            rest.present().map_err(draw_err)?;
        }
        paint_text(
            &mut buf,
            self.width as usize,
            &[self.title_text(preset.title_in(crate::text::current()))],
        );
        // The heatmap, one grid sample per plot pixel, straight into the buffer.
        let values = grid::evaluate(surface, view, pw, ph);
        let (min, max, log_scale) = grid::color_scale(&values, surface);
        let row_bytes = self.width as usize * 3;
        for (r, row) in values.rows().into_iter().rev().enumerate() {
            let py = plot.1.start as usize + r;
            let offset = py * row_bytes + plot.0.start as usize * 3;
            let Some(target) = buf.get_mut(offset..offset + pw * 3) else {
                continue;
            };
            for (ix, (px, &v)) in target.chunks_exact_mut(3).zip(row.iter()).enumerate() {
                px.copy_from_slice(&heat_rgb(v, min, max, log_scale, ix, r));
            }
        }
        // Contours and critical points over it.
        let mut labels = Vec::new();
        {
            let (_, rest) = self.layout(&mut buf);
            let chart = self.chart_on(&rest)?;
            if preset.show_contours {
                let px_per_unit = self.px_per_unit();
                let levels = grid::contour_levels(min, max, 14, log_scale);
                let contour = RGBAColor(255, 255, 255, 0.3);
                for level in grid::contour_lines(&values, view, &levels) {
                    if let Some(at) = contour_label_spot(&level.lines, px_per_unit) {
                        // The label sits on its line: on the heatmap's colour of its level.
                        let under = crate::picture::colormap::colormap_rgb(
                            crate::picture::colormap::color_position(
                                level.level,
                                min,
                                max,
                                log_scale,
                            ),
                        );
                        labels.push((level.level, at, label_rgb_on(under)));
                    }
                    for piece in level.lines {
                        chart
                            .plotting_area()
                            .draw(&PathElement::new(
                                piece.into_iter().map(|p| (p[0], p[1])).collect::<Vec<_>>(),
                                contour.stroke_width(style.line.div_ceil(2)),
                            ))
                            .map_err(draw_err)?;
                    }
                }
            }
            let m = style.dot + 2;
            let stroke = color(frame::MARKER_RGB).stroke_width(style.line);
            let area = chart.plotting_area();
            let markers = frame::describe(&[], &surface.critical_points(), view, 0).markers;
            self.markers.clone_from(&markers);
            for (point, kind) in markers {
                // Pixel offsets around the point, for the shape the window draws too.
                let strokes: Vec<[(i32, i32); 2]> = match frame::marker(kind).1 {
                    Shape::Asterisk => vec![
                        [(-m, 0), (m, 0)],
                        [(0, -m), (0, m)],
                        [(-m, -m), (m, m)],
                        [(-m, m), (m, -m)],
                    ],
                    Shape::Cross => vec![[(-m, -m), (m, m)], [(-m, m), (m, -m)]],
                    Shape::Diamond => vec![
                        [(-m, 0), (0, -m)],
                        [(0, -m), (m, 0)],
                        [(m, 0), (0, m)],
                        [(0, m), (-m, 0)],
                    ],
                };
                for [a, b] in strokes {
                    area.draw(
                        &(EmptyElement::at((point[0], point[1]))
                            + PathElement::new(vec![a, b], stroke)),
                    )
                    .map_err(draw_err)?;
                }
            }
            rest.present().map_err(draw_err)?;
        }
        self.contour_labels = labels;
        self.draw_colorbar(&mut buf, min, max, log_scale);
        self.base = buf;
        Ok(())
    }

    /// The heatmap's colorbar in the band right of the plot, as the window draws it beside
    /// its heatmap: the title on top, the colours from `min` (bottom) to `max`, the ticks of
    /// [`crate::picture::colormap::colorbar_ticks`].
    pub(super) fn draw_colorbar(&self, buf: &mut [u8], min: f64, max: f64, log_scale: bool) {
        let style = self.style;
        let (xr, yr) = &self.plot;
        let s = style.small / 13.0;
        let left = xr.end + style.margin as i32 + (6.0 * s).round() as i32;
        let right = left + (14.0 * s).round().max(4.0) as i32;
        let top = yr.start + (style.small * 1.6).round() as i32;
        let bottom = yr.end;
        if right as u32 >= self.width || bottom <= top + 4 {
            return;
        }
        let width = self.width as usize;
        let mut put = |x: i32, y: i32, rgb: [u8; 3]| {
            let i = (y as usize * width + x as usize) * 3;
            if let Some(px) = buf.get_mut(i..i + 3) {
                px.copy_from_slice(&rgb);
            }
        };
        let outline = frame::FOREGROUND_RGB.map(|c| (c as u16 * 3 / 5) as u8);
        for y in top..bottom {
            let t = (bottom - 1 - y) as f64 / (bottom - 1 - top).max(1) as f64;
            let rgb = crate::picture::colormap::colormap_rgb(t);
            for x in left..right {
                put(x, y, rgb);
            }
            put(left - 1, y, outline);
            put(right, y, outline);
        }
        for x in left - 1..=right {
            put(x, top - 1, outline);
            put(x, bottom, outline);
        }
        let ticks = crate::picture::colormap::colorbar_ticks(min, max, log_scale);
        let tick = (4.0 * s).round().max(2.0) as i32;
        let mut texts = vec![TextRun {
            text: if log_scale { "f (log)" } else { "f" }.to_owned(),
            at: [(left - 2) as f32, yr.start as f32],
            size: style.small,
            rgb: frame::FOREGROUND_RGB,
        }];
        for (at, label) in ticks {
            let y = bottom - 1 - (at * (bottom - 1 - top) as f64).round() as i32;
            for x in right + 1..=right + tick {
                put(x, y, frame::FOREGROUND_RGB);
            }
            texts.push(TextRun {
                text: label,
                at: [
                    // A clear gap after the tick: "—415" would read as a minus sign.
                    (right + tick) as f32 + (5.0 * s) as f32,
                    y as f32 - (style.small * 0.6) as f32,
                ],
                size: style.small,
                rgb: frame::FOREGROUND_RGB,
            });
        }
        paint_text(buf, width, &texts);
    }
}
