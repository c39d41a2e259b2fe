//! Export of a scene: a PNG of the current step, a GIF of the runs, and the CSV of every run
//! (the columns of `optiscope trace`). Shared by the window's Export menu and the tests; every
//! file is written atomically, and a failure names the file and the reason.

use std::path::{Path, PathBuf};

use crate::core::settings::SettingsError;
use crate::core::simulation::Run;
use crate::core::spec::SpecError;
use crate::core::surface::AnySurface;
use crate::picture::render::{RenderError, Renderer, write_gif, write_png};
use crate::scene::preset::{Preset, WriteError, write_atomically};
use crate::scene::trace::CsvRecorder;

/// What to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    Png,
    Gif,
    Csv,
}

/// The window's PNG export: sharp on a slide or a projector.
pub const PNG_SIZE: (u32, u32) = (1600, 1000);
/// The window's GIF export: smooth and still small enough to mail or put on a course page.
pub const GIF_SIZE: (u32, u32) = (800, 500);
/// GIF frames per second of the window's export.
pub const GIF_FPS: u32 = 20;
/// The longest GIF the window exports; slower scenes are sped up to fit.
pub const GIF_SECONDS: f64 = 12.0;

impl ExportKind {
    /// The file extension a file of this kind gets (and the dialog filters on).
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Gif => "gif",
            Self::Csv => "csv",
        }
    }

    /// What the file dialog and messages call it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Png => "picture (PNG)",
            Self::Gif => "animation (GIF)",
            Self::Csv => "trajectories (CSV)",
        }
    }
}

/// The CSV files of a CSV export to `path`: `NAME-run1.csv`, `NAME-run2.csv`, … next to it,
/// numbered like the window's runs (run N is `optiscope trace --preset … --run N-1`).
pub fn csv_paths(path: &Path, runs: usize) -> Vec<PathBuf> {
    let stem = path
        .file_stem()
        .map_or("scene".into(), |s| s.to_string_lossy().into_owned());
    (1..=runs)
        .map(|i| path.with_file_name(format!("{stem}-run{i}.csv")))
        .collect()
}

/// The encoded picture of `preset` at `size`: a GIF of the runs at `fps` (at most `seconds`
/// long, see [`Renderer::animation_steps`]), or a PNG of step `step`. `optiscope render` and the
/// window's Export menu both make their pictures here.
pub fn picture(
    preset: &Preset,
    gif: bool,
    (width, height): (u32, u32),
    fps: u32,
    seconds: f64,
    step: u64,
) -> Result<Vec<u8>, RenderError> {
    let renderer = Renderer::new(preset, width, height)?;
    let mut bytes = Vec::new();
    if gif {
        // Drawn as the encoder asks for them: never the whole animation in memory.
        let frames = renderer
            .animation_steps(preset.speed, fps, seconds)
            .into_iter()
            .map(|k| renderer.frame(k));
        write_gif(&mut bytes, width, height, frames, fps)?;
    } else {
        write_png(&mut bytes, width, height, &renderer.frame(step)?)?;
    }
    Ok(bytes)
}

/// Why an export failed: the file and the reason, or the run that could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error("cannot write '{path}': {source}")]
    Write { path: PathBuf, source: WriteError },
    #[error("run {run}: {source}")]
    Run { run: usize, source: SettingsError },
    #[error("run {run}: {source}")]
    Surface { run: usize, source: SpecError },
}

/// Exports `preset` (the animation at `step`, for a PNG) to `path`; returns a sentence saying
/// what was written.
pub fn export(
    kind: ExportKind,
    preset: &Preset,
    step: u64,
    path: &Path,
) -> Result<String, ExportError> {
    let fail = |p: &Path, source: WriteError| ExportError::Write {
        path: p.to_path_buf(),
        source,
    };
    match kind {
        ExportKind::Png | ExportKind::Gif => {
            let size = if kind == ExportKind::Png {
                PNG_SIZE
            } else {
                GIF_SIZE
            };
            let bytes = picture(
                preset,
                kind == ExportKind::Gif,
                size,
                GIF_FPS,
                GIF_SECONDS,
                step,
            )?;
            write_atomically(path, &bytes).map_err(|e| fail(path, e))?;
            Ok(format!(
                "Saved the {} to {} ({} kB).",
                kind.describe(),
                path.display(),
                bytes.len().div_ceil(1024)
            ))
        }
        ExportKind::Csv => {
            let paths = csv_paths(path, preset.runs.len());
            for (i, p) in paths.iter().enumerate() {
                let (Some(spec), Some(surface)) = (preset.run_settings(i), preset.run_surface(i))
                else {
                    continue;
                };
                let run =
                    Run::new(&spec).map_err(|source| ExportError::Run { run: i + 1, source })?;
                let surface = AnySurface::from_spec(&surface)
                    .map_err(|source| ExportError::Surface { run: i + 1, source })?;
                let mut recorder =
                    CsvRecorder::new(Vec::new(), 1).map_err(|e| fail(p, WriteError::Io(e)))?;
                run.simulate_into(&surface, &mut recorder);
                let bytes = recorder.finish().map_err(|e| fail(p, WriteError::Io(e)))?;
                write_atomically(p, &bytes).map_err(|e| fail(p, e))?;
            }
            let dir = path
                .parent()
                .map_or(String::new(), |d| d.display().to_string());
            Ok(match paths.len() {
                0 => "The scene has no runs; nothing was written.".to_owned(),
                1 => format!("Saved {}.", paths[0].display()),
                n => format!(
                    "Saved {n} CSV files ({} … {}) in {dir}.",
                    paths[0]
                        .file_name()
                        .map_or("".into(), |f| f.to_string_lossy()),
                    paths[n - 1]
                        .file_name()
                        .map_or("".into(), |f| f.to_string_lossy()),
                ),
            })
        }
    }
}
