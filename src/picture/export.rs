//! Export of a scene: a PNG of the current step, a GIF of the runs, and the CSV of every run
//! (the columns of `optiscope trace`). Shared by the window's Export menu and the tests; every
//! file is written atomically, and a failure names the file and the reason.

use std::path::{Path, PathBuf};

use crate::core::run::settings::SettingsError;
use crate::core::run::simulation::Run;
use crate::core::spec::SpecError;
use crate::core::surface::AnySurface;
use crate::picture::render::{GifStream, RenderError, Renderer, encoding_threads, write_png};
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
    pub fn describe(self) -> String {
        match self {
            Self::Png => crate::tr!("export-kind-png"),
            Self::Gif => crate::tr!("export-kind-gif"),
            Self::Csv => crate::tr!("export-kind-csv"),
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
/// long, see [`Renderer::animation_steps`]), or a PNG of step `step`. `optiscope render` makes
/// its pictures here, through the same [`ExportJob`] as the window's Export menu.
pub fn picture(
    preset: &Preset,
    gif: bool,
    size: (u32, u32),
    fps: u32,
    seconds: f64,
    step: u64,
    camera: Option<crate::picture::scene3d::Camera>,
) -> Result<Vec<u8>, ExportError> {
    let kind = if gif {
        ExportKind::Gif
    } else {
        ExportKind::Png
    };
    let mut job = ExportJob::new(kind, preset.clone(), step, PathBuf::new())
        .with_format(size, fps, seconds)
        .with_camera(camera);
    let threads = encoding_threads();
    loop {
        if let Some(files) = job.advance(threads)? {
            return Ok(files
                .into_iter()
                .next()
                .map(|f| f.bytes)
                .unwrap_or_default());
        }
    }
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
    #[error("run {run}: {source}")]
    Train {
        run: usize,
        source: Box<crate::core::network::train::TrainError>,
    },
}

impl ExportError {
    /// The message in the current language; `Display` stays English for the command line.
    pub fn text(&self) -> String {
        match self {
            ExportError::Render(e) => e.text(),
            ExportError::Write { path, source } => crate::tr!(
                "error-export-write",
                path = path.display().to_string(),
                error = source.text()
            ),
            ExportError::Run { run, source } => {
                crate::tr!("error-export-run", run = *run, error = source.text())
            }
            ExportError::Surface { run, source } => {
                crate::tr!("error-export-run", run = *run, error = source.text())
            }
            ExportError::Train { run, source } => {
                crate::tr!("error-export-run", run = *run, error = source.text())
            }
        }
    }
}

/// A file an export made, not yet written: the desktop writes it to its path, the browser
/// hands it to the user as a download named like the path's file name.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// An export under way, done a piece at a time (a GIF frame per thread, a picture, one run's
/// CSV) so the caller decides where the work happens: on a thread on the desktop, in slices
/// of frames in the browser, which has no threads.
pub struct ExportJob {
    kind: ExportKind,
    preset: Preset,
    step: u64,
    path: PathBuf,
    /// Picture size, GIF frame rate and longest GIF: the window's constants unless
    /// [`ExportJob::with_format`] says otherwise.
    size: (u32, u32),
    fps: u32,
    seconds: f64,
    /// Draw in 3D from this camera instead of as a heatmap.
    camera: Option<crate::picture::scene3d::Camera>,
    stage: Stage,
    files: Vec<ExportFile>,
}

enum Stage {
    Start,
    Png(Box<Renderer>),
    Gif {
        renderer: Box<Renderer>,
        steps: Vec<u64>,
        next: usize,
        stream: Box<GifStream<Vec<u8>>>,
        /// On one thread, a frame is drawn in one piece and encoded in the next, which
        /// halves the longest piece (a browser frame).
        drawn: Option<Vec<u8>>,
    },
    Csv {
        next: usize,
    },
    Done,
}

impl ExportJob {
    /// An export of `preset` (at `step`, for a PNG) to `path`; nothing is computed yet.
    pub fn new(kind: ExportKind, preset: Preset, step: u64, path: PathBuf) -> Self {
        Self {
            kind,
            preset,
            step,
            path,
            size: if kind == ExportKind::Png {
                PNG_SIZE
            } else {
                GIF_SIZE
            },
            fps: GIF_FPS,
            seconds: GIF_SECONDS,
            camera: None,
            stage: Stage::Start,
            files: Vec::new(),
        }
    }

    /// Another picture size, GIF frame rate and longest GIF (`optiscope render`'s options).
    pub fn with_format(mut self, size: (u32, u32), fps: u32, seconds: f64) -> Self {
        (self.size, self.fps, self.seconds) = (size, fps, seconds);
        self
    }

    /// Pictures of the 3D view from `camera` (`None`: the heatmap).
    pub fn with_camera(mut self, camera: Option<crate::picture::scene3d::Camera>) -> Self {
        self.camera = camera;
        self
    }

    fn renderer(&self, (w, h): (u32, u32)) -> Result<Renderer, RenderError> {
        let renderer = Renderer::new(&self.preset, w, h)?;
        match self.camera {
            Some(camera) => renderer.in_3d(&self.preset, camera),
            None => Ok(renderer),
        }
    }

    pub fn kind(&self) -> ExportKind {
        self.kind
    }

    /// Pieces done and pieces in all (GIF frames, runs), for a progress bar; `(0, 0)` until
    /// it is known.
    pub fn progress(&self) -> (usize, usize) {
        match &self.stage {
            Stage::Start => (0, 0),
            Stage::Png(_) => (1, 2),
            Stage::Gif { steps, next, .. } => (*next, steps.len()),
            Stage::Csv { next } => (*next, self.preset.runs.len()),
            Stage::Done => (1, 1),
        }
    }

    /// Does the next piece of work, on up to `threads` threads; the files once all is done.
    pub fn advance(&mut self, threads: usize) -> Result<Option<Vec<ExportFile>>, ExportError> {
        let fail = |p: &Path, source: WriteError| ExportError::Write {
            path: p.to_path_buf(),
            source,
        };
        match &mut self.stage {
            Stage::Start => {
                self.stage = match self.kind {
                    ExportKind::Png => {
                        let (w, h) = self.size;
                        Stage::Png(Box::new(self.renderer((w, h))?))
                    }
                    ExportKind::Gif => {
                        let (w, h) = self.size;
                        let renderer = self.renderer((w, h))?;
                        let steps =
                            renderer.animation_steps(self.preset.speed, self.fps, self.seconds);
                        Stage::Gif {
                            renderer: Box::new(renderer),
                            steps,
                            next: 0,
                            stream: Box::new(GifStream::new(Vec::new(), w, h, self.fps)?),
                            drawn: None,
                        }
                    }
                    ExportKind::Csv => Stage::Csv { next: 0 },
                };
            }
            Stage::Png(renderer) => {
                let (w, h) = self.size;
                let mut bytes = Vec::new();
                write_png(&mut bytes, w, h, &renderer.frame(self.step)?)?;
                self.files.push(ExportFile {
                    path: self.path.clone(),
                    bytes,
                });
                self.stage = Stage::Done;
            }
            Stage::Gif {
                renderer,
                steps,
                next,
                stream,
                drawn,
            } => {
                let end = (*next + threads.max(1)).min(steps.len());
                let batch = match drawn.take() {
                    Some(frame) => vec![frame],
                    None if threads <= 1 => {
                        *drawn = Some(renderer.frame(steps[*next])?);
                        return Ok(None);
                    }
                    None => steps[*next..end]
                        .iter()
                        .map(|&k| renderer.frame(k))
                        .collect::<Result<Vec<_>, _>>()?,
                };
                let end = *next + batch.len();
                stream.push(batch, threads)?;
                *next = end;
                if end == steps.len() {
                    let Stage::Gif { stream, .. } = std::mem::replace(&mut self.stage, Stage::Done)
                    else {
                        unreachable!("the stage was matched as a GIF above")
                    };
                    self.files.push(ExportFile {
                        path: self.path.clone(),
                        bytes: stream.finish()?,
                    });
                }
            }
            Stage::Csv { next } => {
                let i = *next;
                let paths = csv_paths(&self.path, self.preset.runs.len());
                // A network's runs as `optiscope train` prints them.
                if let (Some(network), Some(p), Some(run)) =
                    (&self.preset.network, paths.get(i), self.preset.runs.get(i))
                {
                    let training = crate::core::network::train::Training::new(
                        &network.train_settings(&run.settings),
                    )
                    .map_err(|source| ExportError::Train {
                        run: i + 1,
                        source: Box::new(source),
                    })?;
                    let mut text = format!("{}\n", crate::scene::trace::TRAIN_CSV_HEADER);
                    training.run(&mut Vec::new(), |row, _| {
                        text.push_str(&crate::scene::trace::train_csv_row(row));
                        text.push('\n');
                    });
                    self.files.push(ExportFile {
                        path: p.clone(),
                        bytes: text.into_bytes(),
                    });
                } else if let (Some(p), Some(spec), Some(surface)) = (
                    paths.get(i),
                    self.preset.run_settings(i),
                    self.preset.run_surface(i),
                ) {
                    let run = Run::new(&spec)
                        .map_err(|source| ExportError::Run { run: i + 1, source })?;
                    let surface = AnySurface::from_spec(&surface)
                        .map_err(|source| ExportError::Surface { run: i + 1, source })?;
                    let mut recorder =
                        CsvRecorder::new(Vec::new(), 1).map_err(|e| fail(p, WriteError::Io(e)))?;
                    run.simulate_into(&surface, &mut recorder);
                    let bytes = recorder.finish().map_err(|e| fail(p, WriteError::Io(e)))?;
                    self.files.push(ExportFile {
                        path: p.clone(),
                        bytes,
                    });
                }
                *next += 1;
                if *next >= self.preset.runs.len() {
                    self.stage = Stage::Done;
                }
            }
            Stage::Done => {}
        }
        Ok(match self.stage {
            Stage::Done => Some(std::mem::take(&mut self.files)),
            _ => None,
        })
    }
}

/// The sentence that tells the user what an export wrote: each file's `place` (a path on the
/// desktop, a download's name in the browser) in the order made.
pub fn written_message(kind: ExportKind, files: &[ExportFile], places: &[String]) -> String {
    let name = |f: &ExportFile| {
        f.path
            .file_name()
            .map_or(String::new(), |f| f.to_string_lossy().into_owned())
    };
    match kind {
        ExportKind::Png | ExportKind::Gif => match (files.first(), places.first()) {
            (Some(file), Some(place)) => crate::tr!(
                "export-saved-picture",
                kind = kind.describe(),
                place = place.as_str(),
                kib = file.bytes.len().div_ceil(1024)
            ),
            _ => crate::tr!("export-nothing-written"),
        },
        ExportKind::Csv => match (files, places) {
            ([], _) => crate::tr!("export-no-runs"),
            ([_], [place]) => crate::tr!("export-saved-file", place = place.as_str()),
            ([first, .., last], _) => {
                let dir = first
                    .path
                    .parent()
                    .map_or(String::new(), |d| d.display().to_string());
                let (n, first, last) = (files.len(), name(first), name(last));
                if dir.is_empty() {
                    crate::tr!("export-saved-csvs", n = n, first = first, last = last)
                } else {
                    crate::tr!(
                        "export-saved-csvs-in",
                        n = n,
                        first = first,
                        last = last,
                        dir = dir
                    )
                }
            }
            _ => crate::tr!("export-nothing-written"),
        },
    }
}

/// Exports `preset` (the animation at `step`, for a PNG) to `path` at once, writing each file
/// atomically; returns a sentence saying what was written.
pub fn export(
    kind: ExportKind,
    preset: &Preset,
    step: u64,
    path: &Path,
) -> Result<String, ExportError> {
    let threads = encoding_threads();
    let mut job = ExportJob::new(kind, preset.clone(), step, path.to_path_buf());
    let files = loop {
        if let Some(files) = job.advance(threads)? {
            break files;
        }
    };
    let mut places = Vec::with_capacity(files.len());
    for file in &files {
        write_atomically(&file.path, &file.bytes).map_err(|source| ExportError::Write {
            path: file.path.clone(),
            source,
        })?;
        places.push(file.path.display().to_string());
    }
    Ok(written_message(kind, &files, &places))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_export_error_speaks_the_windows_language_and_keeps_its_english() {
        let unknown = || {
            crate::core::surface::AnySurface::from_spec(&crate::core::spec::Spec::named("x"))
                .expect_err("unknown")
        };
        for e in [
            ExportError::Render(RenderError::Network),
            ExportError::Write {
                path: "/tmp/a.png".into(),
                source: WriteError::IsDirectory,
            },
            ExportError::Run {
                run: 2,
                source: crate::core::run::settings::check_lr(-1.0).unwrap_err(),
            },
            ExportError::Surface {
                run: 1,
                source: unknown(),
            },
            ExportError::Train {
                run: 1,
                source: Box::new(crate::core::network::train::TrainError {
                    setting: "model",
                    error: unknown(),
                }),
            },
        ] {
            crate::text::assert_translated(&e, ExportError::text);
        }
    }
}
