//! Encoding the rendered frames: PNG, and GIF frames quantized and cropped to what changed on
//! several threads.

use super::*;

/// Writes an RGB picture as PNG.
pub fn write_png(out: impl Write, width: u32, height: u32, rgb: &[u8]) -> Result<(), RenderError> {
    let mut encoder = png::Encoder::new(out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder
        .write_header()
        .map_err(|e| RenderError::Encode(e.to_string()))?;
    writer
        .write_image_data(rgb)
        .map_err(|e| RenderError::Encode(e.to_string()))?;
    writer
        .finish()
        .map_err(|e| RenderError::Encode(e.to_string()))
}

/// Threads for drawing and encoding pictures: the cores, at most four (a batch of 1920×1080
/// frames is 6 MB each).
pub fn encoding_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
}

/// A looping GIF written a few frames at a time, so the caller decides when the work happens
/// (a thread on the desktop, a slice of each frame in the browser). Each frame after the first
/// stores only the rectangle that changed, with unchanged pixels transparent and its own
/// 256-color palette, which keeps the file small and the heatmap's colors smooth.
pub struct GifStream<W: Write> {
    encoder: gif::Encoder<W>,
    width: usize,
    height: usize,
    delay: u16,
    previous: Option<Vec<u8>>,
    /// A frame identical to the one before only lengthens that one's delay, so the last frame
    /// written waits here until the next one differs.
    pending: Option<gif::Frame<'static>>,
}

impl<W: Write> GifStream<W> {
    pub fn new(out: W, width: u32, height: u32, fps: u32) -> Result<Self, RenderError> {
        let (w16, h16) = (
            u16::try_from(width).map_err(|_| RenderError::Encode("width over 65535".into()))?,
            u16::try_from(height).map_err(|_| RenderError::Encode("height over 65535".into()))?,
        );
        let mut encoder = gif::Encoder::new(out, w16, h16, &[]).map_err(gif_error)?;
        encoder
            .set_repeat(gif::Repeat::Infinite)
            .map_err(gif_error)?;
        Ok(Self {
            encoder,
            width: width as usize,
            height: height as usize,
            delay: (100 / fps.clamp(*FPS_RANGE.start(), *FPS_RANGE.end())).max(2) as u16,
            previous: None,
            pending: None,
        })
    }

    /// Quantizes `batch` (RGB frames, in order) on up to `threads` threads and writes it.
    pub fn push(&mut self, batch: Vec<Vec<u8>>, threads: usize) -> Result<(), RenderError> {
        let (w, h) = (self.width, self.height);
        if let Some(f) = batch.iter().find(|f| f.len() != w * h * 3) {
            return Err(RenderError::Encode(format!(
                "a frame of {} bytes is not {w}x{h} RGB",
                f.len()
            )));
        }
        let before = |i: usize| -> Option<&[u8]> {
            if i == 0 {
                self.previous.as_deref()
            } else {
                Some(batch[i - 1].as_slice())
            }
        };
        let encoded: Vec<Option<gif::Frame<'static>>> = if threads <= 1 || batch.len() == 1 {
            (0..batch.len())
                .map(|i| quantize_frame(before(i), &batch[i], w, h))
                .collect()
        } else {
            let mut slots: Vec<Option<gif::Frame<'static>>> =
                (0..batch.len()).map(|_| None).collect();
            std::thread::scope(|scope| {
                for (i, slot) in slots.iter_mut().enumerate() {
                    let (previous, frame) = (before(i), &batch[i]);
                    scope.spawn(move || *slot = quantize_frame(previous, frame, w, h));
                }
            });
            slots
        };
        for frame in encoded {
            match frame {
                Some(mut f) => {
                    if let Some(p) = self.pending.take() {
                        self.encoder.write_frame(&p).map_err(gif_error)?;
                    }
                    f.delay = self.delay;
                    self.pending = Some(f);
                }
                None => {
                    if let Some(p) = self.pending.as_mut() {
                        p.delay = p.delay.saturating_add(self.delay);
                    }
                }
            }
        }
        self.previous = batch.into_iter().last().or(self.previous.take());
        Ok(())
    }

    /// Writes the last frame, held for two seconds before the animation starts over.
    pub fn finish(mut self) -> Result<W, RenderError> {
        if let Some(mut p) = self.pending.take() {
            p.delay = p.delay.saturating_add(200);
            self.encoder.write_frame(&p).map_err(gif_error)?;
        }
        self.encoder
            .into_inner()
            .map_err(|e| RenderError::Encode(e.to_string()))
    }
}

fn gif_error(e: gif::EncodingError) -> RenderError {
    RenderError::Encode(e.to_string())
}

/// One frame against the one before it: the changed rectangle (the whole picture for the
/// first), `None` when nothing changed. Pixels the previous frame already shows are
/// transparent: they compress to almost nothing, and the palette goes to what moved.
fn quantize_frame(
    previous: Option<&[u8]>,
    f: &[u8],
    w: usize,
    h: usize,
) -> Option<gif::Frame<'static>> {
    let [x0, y0, x1, y1] = match previous {
        None => [0, 0, w, h],
        Some(p) => changed_rect(p, f, w, h)?,
    };
    let mut crop = Vec::with_capacity((x1 - x0) * (y1 - y0) * 4);
    for y in y0..y1 {
        let row = y * w * 3;
        for x in x0..x1 {
            let px = &f[row + x * 3..row + x * 3 + 3];
            let same = previous.is_some_and(|p| &p[row + x * 3..row + x * 3 + 3] == px);
            if same {
                crop.extend_from_slice(&[0, 0, 0, 0]);
            } else {
                crop.extend_from_slice(&[px[0], px[1], px[2], 255]);
            }
        }
    }
    let mut frame = gif::Frame::from_rgba_speed((x1 - x0) as u16, (y1 - y0) as u16, &mut crop, 10);
    frame.left = x0 as u16;
    frame.top = y0 as u16;
    frame.dispose = gif::DisposalMethod::Keep;
    Some(frame)
}

/// The smallest rectangle [x0, y0, x1, y1) in which `b` differs from `a`; `None` if equal.
fn changed_rect(a: &[u8], b: &[u8], width: usize, height: usize) -> Option<[usize; 4]> {
    let (mut x0, mut y0, mut x1, mut y1) = (width, height, 0, 0);
    for y in 0..height {
        let row = y * width * 3;
        let (ra, rb) = (&a[row..row + width * 3], &b[row..row + width * 3]);
        if ra == rb {
            continue;
        }
        y0 = y0.min(y);
        y1 = y + 1;
        let first = ra
            .chunks_exact(3)
            .zip(rb.chunks_exact(3))
            .position(|(p, q)| p != q)?;
        let last = width
            - 1
            - ra.chunks_exact(3)
                .rev()
                .zip(rb.chunks_exact(3).rev())
                .position(|(p, q)| p != q)?;
        x0 = x0.min(first);
        x1 = x1.max(last + 1);
    }
    (y1 > y0).then_some([x0, y0, x1, y1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_rect_bounds_exactly_the_differing_pixels() {
        let (w, h) = (5, 4);
        let a = vec![0u8; w * h * 3];
        let mut b = a.clone();
        assert_eq!(changed_rect(&a, &b, w, h), None);
        b[(w + 1) * 3] = 9; // (x=1, y=1)
        b[(2 * w + 3) * 3 + 2] = 9; // (x=3, y=2)
        assert_eq!(changed_rect(&a, &b, w, h), Some([1, 1, 4, 3]));
    }
}
