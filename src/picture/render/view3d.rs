//! The 3D picture of a scene: the surface as a shaded mesh seen from the scene's camera, the
//! runs on it, drawn into the same buffer and overlay as the 2D picture.

use super::*;

impl Renderer {
    /// Draws the scene in 3D from `camera` instead of as a heatmap: the shaded surface of the
    /// scene's view, the paths on it, the balls, the start and the critical points.
    pub fn in_3d(mut self, preset: &Preset, camera: scene3d::Camera) -> Result<Self, RenderError> {
        let surface = AnySurface::from_spec(&preset.surface).map_err(RenderError::Surface)?;
        let view = preset.view.unwrap_or_else(|| surface.default_view());
        let height = scene3d::HeightMap::new(&surface, view, MESH_3D);
        let markers = surface
            .critical_points()
            .into_iter()
            .filter(|c| view.contains(c.point))
            .map(|c| (c.point, c.kind))
            .collect();
        let start = self.start;
        // No colorbar beside the mesh: the mesh takes its band.
        self.plot.0.end += (self.style.margin + self.style.colorbar) as i32;
        let mut base = vec![0; self.width as usize * self.height as usize * 3];
        {
            let (title, rest) = self.layout(&mut base);
            title.fill(&BACKGROUND).map_err(draw_err)?;
            rest.fill(&BACKGROUND).map_err(draw_err)?;
        }
        paint_text(
            &mut base,
            self.width as usize,
            &[self.title_text(preset.title_in(crate::text::current()))],
        );
        self.view3d = Some(View3d {
            height,
            camera: camera.clamped(),
            markers,
            start,
            contours: preset.show_contours,
            base,
        });
        Ok(self)
    }

    /// The pixel of a 3D view's screen point (see [`scene3d::Camera::project`]): its −1..1
    /// square fits the plot area, centred.
    pub(super) fn screen_to_pixel(&self, p: [f32; 2]) -> (f64, f64) {
        let (xr, yr) = &self.plot;
        let (cx, cy) = (
            0.5 * (xr.start + xr.end) as f64,
            0.5 * (yr.start + yr.end) as f64,
        );
        let scale = 0.5 * ((xr.end - xr.start).min(yr.end - yr.start)).max(1) as f64;
        (cx + p[0] as f64 * scale, cy - p[1] as f64 * scale)
    }

    /// Where the 3D picture draws the ball of a run at `p` (`None` in 2D or off the mesh).
    pub fn pixel_of_3d(&self, p: Point) -> Option<(f64, f64)> {
        let v3 = self.view3d.as_ref()?;
        let mut b = v3.height.to_box(p)?;
        b[2] += scene3d::PATH_LIFT;
        let (s, _) = v3.camera.project(b);
        Some(self.screen_to_pixel([s[0] as f32, s[1] as f32]))
    }

    pub(super) fn frame_3d(&self, v3: &View3d, step: u64) -> Result<Vec<u8>, RenderError> {
        let mut buf = v3.base.clone();
        let style = self.style;
        let texts;
        {
            let (_, rest) = self.layout(&mut buf);
            let shift = at_shift(&rest);
            let to_px = |p: [f32; 2]| {
                let (x, y) = self.screen_to_pixel(p);
                (x.round() as i32 - shift.0, y.round() as i32 - shift.1)
            };
            let upto: Vec<usize> = self
                .runs
                .iter()
                .map(|r| (step as usize).min(r.trajectory.len().saturating_sub(1)))
                .collect();
            let paths: Vec<scene3d::PathSource<'_>> = self
                .runs
                .iter()
                .zip(&upto)
                .map(|(r, &k)| scene3d::PathSource {
                    points: &r.trajectory.points[..(k + 1).min(r.trajectory.len())],
                    values: &r.trajectory.losses[..(k + 1).min(r.trajectory.len())],
                    diverged: r.status.diverged_by(step),
                })
                .collect();
            let picture = scene3d::describe(&v3.height, &v3.camera, &paths, v3.contours);
            for item in &picture.items {
                match item {
                    scene3d::Item::Triangle { points, rgb } => {
                        let px: Vec<(i32, i32)> = points.iter().map(|&p| to_px(p)).collect();
                        rest.draw(&Polygon::new(px, color(*rgb).filled()))
                            .map_err(draw_err)?;
                    }
                    scene3d::Item::Contour { points } => {
                        rest.draw(&PathElement::new(
                            vec![to_px(points[0]), to_px(points[1])],
                            RGBAColor(255, 255, 255, 0.35).stroke_width(1),
                        ))
                        .map_err(draw_err)?;
                    }
                    scene3d::Item::Segment { points, run } => {
                        let c = self.runs[*run].color;
                        rest.draw(&PathElement::new(
                            vec![to_px(points[0]), to_px(points[1])],
                            c.stroke_width(style.line),
                        ))
                        .map_err(draw_err)?;
                    }
                }
            }
            let at3 = |p: Point| {
                let b = v3.height.to_box(p)?;
                let (s, _) = v3.camera.project(b);
                Some([s[0] as f32, s[1] as f32])
            };
            for &(p, kind) in &v3.markers {
                let Some(at) = at3(p) else { continue };
                let c = to_px(at);
                let shift_back = [(c.0 + shift.0) as f32, (c.1 + shift.1) as f32];
                let glyph = Glyph::Marker(frame::marker(kind).1);
                self.draw_glyph(
                    &rest,
                    glyph,
                    shift_back,
                    style.dot as f32 + 2.0,
                    color(frame::MARKER_RGB),
                )?;
            }
            if let Some(at) = v3.start.and_then(at3) {
                let c = to_px(at);
                let center = [(c.0 + shift.0) as f32, (c.1 + shift.1) as f32];
                self.draw_glyph(&rest, Glyph::Start, center, style.dot as f32 + 3.0, WHITE)?;
            }
            for ball in &picture.balls {
                let end = to_px(ball.at);
                let c = self.runs[ball.run].color;
                rest.draw(&Circle::new(end, style.dot + 1, BLACK.filled()))
                    .map_err(draw_err)?;
                rest.draw(&Circle::new(end, style.dot, c.filled()))
                    .map_err(draw_err)?;
                // Where a diverged run left the surface: a red ring; a run outside the view,
                // on its edge: a ring in its own colour.
                let ring = match ball.place {
                    scene3d::BallPlace::OnSurface => None,
                    scene3d::BallPlace::Diverged => Some(color(frame::DIVERGED_RGB)),
                    scene3d::BallPlace::OutOfView => Some(c),
                };
                if let Some(ring) = ring {
                    rest.draw(&Circle::new(
                        end,
                        style.dot + 4,
                        ring.stroke_width(style.line),
                    ))
                    .map_err(draw_err)?;
                }
            }
            // The update at the step, draped on the mesh just above the paths.
            let detail = self.update_at(step);
            let mut sources = self.run_sources_with(detail.as_ref());
            let on_mesh = |p: Point| {
                let mut b = v3.height.to_box(p)?;
                b[2] += 2.0 * scene3d::PATH_LIFT;
                let (s, _) = v3.camera.project(b);
                let (x, y) = self.screen_to_pixel([s[0] as f32, s[1] as f32]);
                Some([x as f32, y as f32])
            };
            let marks = frame::describe(&sources, &[], v3.height.view, step);
            for mark in marks.runs.iter().filter_map(|m| m.update.as_ref()) {
                self.draw_update(&rest, mark, &on_mesh)?;
            }
            // The legend and the step counter as in 2D; status labels belong to the plane.
            for source in &mut sources {
                (source.status, source.region) = (Status::Completed, None);
            }
            let mut legend = frame::describe(&sources, &[], self.view, step);
            legend.markers.clone_from(&v3.markers);
            let mut laid_out = self.lay_out_overlay(&rest, &legend, None, step);
            // The contour labels belong to the plane.
            laid_out.contours.clear();
            texts = self.draw_overlay(&rest, &laid_out)?;
            rest.present().map_err(draw_err)?;
        }
        paint_text(&mut buf, self.width as usize, &texts);
        Ok(buf)
    }
}
