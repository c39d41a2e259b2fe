//! A network scene as a picture without a window: its data set and what the network of its
//! best run (the lowest final loss) learned by its last step (a classifier's confidence and decision boundary, a
//! regression's fitted curve), in the window's class colours. The gallery's cards use it,
//! where a surface scene's card is its `render` picture.

use crate::core::network::train::{TrainError, Training};
use crate::core::network::{Data, Task};
use crate::picture::render::{RenderError, write_png};
use crate::scene::preset::Preset;

/// The two classes' colours, as the window's data view draws them (colour-blind safe).
const CLASS_RGB: [[u8; 3]; 2] = [[213, 94, 0], [0, 114, 178]];
const BACKGROUND: [u8; 3] = [250, 250, 250];
const INK: [u8; 3] = [40, 40, 40];

/// Why a network scene could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum NetworkPictureError {
    #[error("the scene is not a network scene")]
    NotNetwork,
    #[error("the scene has no runs")]
    NoRuns,
    #[error(transparent)]
    Train(#[from] TrainError),
    #[error(transparent)]
    Render(#[from] RenderError),
}

/// The PNG of `preset`'s best-trained run at its last step, `size` pixels.
pub fn network_png(preset: &Preset, size: (u32, u32)) -> Result<Vec<u8>, NetworkPictureError> {
    let network = preset
        .network
        .as_ref()
        .ok_or(NetworkPictureError::NotNetwork)?;
    // The run that learned most (the lowest final training loss; a diverged run's is not
    // finite): in a scene that races rates, the card shows what the good one found.
    let mut best: Option<(f64, Training, Vec<f64>)> = None;
    for run in &preset.runs {
        let training = Training::new(&network.train_settings(&run.settings))?;
        let mut params = training.init.clone();
        let mut last = f64::NAN;
        training.run(&mut params, |row, _| last = row.loss);
        let better = best.as_ref().is_none_or(|(b, ..)| last < *b || b.is_nan());
        if better && (last.is_finite() || best.is_none()) {
            best = Some((last, training, params));
        }
    }
    let (_, training, params) = best.ok_or(NetworkPictureError::NoRuns)?;
    let (w, h) = (size.0.max(16) as usize, size.1.max(16) as usize);
    let mut rgb = vec![0u8; w * h * 3];
    let view = view_of(&training.data);
    let to_px = |x: f64, y: f64| {
        (
            (x - view[0]) / (view[1] - view[0]) * w as f64,
            (view[3] - y) / (view[3] - view[2]) * h as f64,
        )
    };
    let at = |px: usize, py: usize| {
        (
            view[0] + (px as f64 + 0.5) / w as f64 * (view[1] - view[0]),
            view[3] - (py as f64 + 0.5) / h as f64 * (view[3] - view[2]),
        )
    };
    let data = &training.data;
    if data.task == Task::Classification && data.inputs == 2 {
        let xs: Vec<Vec<f64>> = (0..w * h)
            .map(|k| {
                let (x, y) = at(k % w, k / w);
                vec![x, y]
            })
            .collect();
        let logits = training.net.outputs(&params, &xs);
        for (k, z) in logits.iter().enumerate() {
            let p = 1.0 / (1.0 + (-z).exp());
            let class = CLASS_RGB[usize::from(p >= 0.5)];
            let strength = 0.35 * (2.0 * (p - 0.5)).abs().powf(0.7);
            let edge = k % w + 1 < w && (logits[k + 1] >= 0.0) != (*z >= 0.0)
                || k + w < logits.len() && (logits[k + w] >= 0.0) != (*z >= 0.0);
            let c = if edge {
                INK
            } else {
                mix(BACKGROUND, class, strength)
            };
            rgb[k * 3..k * 3 + 3].copy_from_slice(&c);
        }
    } else {
        for px in rgb.chunks_mut(3) {
            px.copy_from_slice(&BACKGROUND);
        }
    }
    let radius = (w.min(h) as f64 / 120.0).clamp(2.0, 5.0);
    let rows = data.x.iter().zip(&data.y);
    for (x, y) in rows {
        let (px, py, color) = if data.task == Task::Classification {
            let (px, py) = to_px(x[0], x.get(1).copied().unwrap_or(0.0));
            (px, py, CLASS_RGB[usize::from(*y >= 0.5)])
        } else {
            let (px, py) = to_px(x[0], *y);
            (px, py, CLASS_RGB[1])
        };
        disc(&mut rgb, (w, h), (px, py), radius + 1.0, [255, 255, 255]);
        disc(&mut rgb, (w, h), (px, py), radius, color);
    }
    if data.task == Task::Regression && data.inputs == 1 {
        // The fitted curve, a dot per half pixel.
        let n = 2 * w;
        let xs: Vec<Vec<f64>> = (0..n)
            .map(|i| vec![view[0] + (i as f64 + 0.5) / n as f64 * (view[1] - view[0])])
            .collect();
        for (x, y) in xs.iter().zip(training.net.outputs(&params, &xs)) {
            if y.is_finite() {
                disc(&mut rgb, (w, h), to_px(x[0], y), 1.6, CLASS_RGB[0]);
            }
        }
    }
    let mut png = Vec::new();
    write_png(&mut png, w as u32, h as u32, &rgb)?;
    Ok(png)
}

/// [x_min, x_max, y_min, y_max] around every row with a tenth's margin: the inputs' plane
/// for a classifier, input against target for a regression.
fn view_of(data: &Data) -> [f64; 4] {
    let mut v = [
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];
    let rows = data.x.iter().chain(&data.x_test);
    let targets = data.y.iter().chain(&data.y_test);
    for (x, t) in rows.zip(targets) {
        let (a, b) = match data.task {
            Task::Classification => (x[0], x.get(1).copied().unwrap_or(0.0)),
            Task::Regression => (x[0], *t),
        };
        v = [v[0].min(a), v[1].max(a), v[2].min(b), v[3].max(b)];
    }
    if !v.iter().all(|x| x.is_finite()) {
        return [-1.0, 1.0, -1.0, 1.0];
    }
    let (mx, my) = (0.1 * (v[1] - v[0]).max(1e-3), 0.1 * (v[3] - v[2]).max(1e-3));
    [v[0] - mx, v[1] + mx, v[2] - my, v[3] + my]
}

fn mix(a: [u8; 3], b: [u8; 3], t: f64) -> [u8; 3] {
    std::array::from_fn(|i| (a[i] as f64 * (1.0 - t) + b[i] as f64 * t).round() as u8)
}

/// A filled disc of `radius` pixels at `centre`, clipped to the picture.
fn disc(rgb: &mut [u8], (w, h): (usize, usize), centre: (f64, f64), radius: f64, c: [u8; 3]) {
    if !(centre.0.is_finite() && centre.1.is_finite()) {
        return;
    }
    let (x0, x1) = ((centre.0 - radius).floor(), (centre.0 + radius).ceil());
    let (y0, y1) = ((centre.1 - radius).floor(), (centre.1 + radius).ceil());
    if x1 < 0.0 || y1 < 0.0 || x0 >= w as f64 || y0 >= h as f64 {
        return;
    }
    for py in (y0.max(0.0) as usize)..(y1.min(h as f64 - 1.0) as usize + 1) {
        for px in (x0.max(0.0) as usize)..(x1.min(w as f64 - 1.0) as usize + 1) {
            let (dx, dy) = (px as f64 + 0.5 - centre.0, py as f64 + 0.5 - centre.1);
            if dx * dx + dy * dy <= radius * radius {
                let k = (py * w + px) * 3;
                rgb[k..k + 3].copy_from_slice(&c);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::preset::BUILTIN_PRESETS;

    /// The pixel at (x, y) of a decoded PNG.
    fn pixel(png: &[u8], x: u32, y: u32) -> [u8; 3] {
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().expect("a PNG");
        let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
        let info = reader.next_frame(&mut buf).expect("a frame");
        let k = ((y * info.width + x) * 3) as usize;
        [buf[k], buf[k + 1], buf[k + 2]]
    }

    #[test]
    fn a_network_scene_draws_both_classes_and_a_surface_scene_is_refused() {
        let network = BUILTIN_PRESETS
            .iter()
            .filter_map(|b| b.load().ok())
            .find(|p| p.network.as_ref().is_some_and(|n| n.data.name == "moons"))
            .expect("a classifier among the built-ins");
        let png = network_png(&network, (200, 150)).expect("a picture");
        let mut seen = [false; 2];
        for y in (0..150).step_by(3) {
            for x in (0..200).step_by(3) {
                let p = pixel(&png, x, y);
                for (i, c) in CLASS_RGB.iter().enumerate() {
                    seen[i] |= p == *c;
                }
            }
        }
        assert_eq!(seen, [true, true], "points of both classes are drawn");
        let surface = BUILTIN_PRESETS[0].load().expect("a built-in");
        assert!(matches!(
            network_png(&surface, (200, 150)),
            Err(NetworkPictureError::NotNetwork)
        ));
    }
}
