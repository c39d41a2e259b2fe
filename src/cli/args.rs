//! The command line's shape: subcommands, flags and their help, as clap reads them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use optiscope::core::spec::Spec;

use super::parse::*;

/// See how optimizers and learning-rate schedules move on 2D loss surfaces.
#[derive(Parser, Debug)]
#[command(name = "optiscope", version, about, long_about = None, args_conflicts_with_subcommands = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
    /// Open the window on this preset (a `.ron` scene file).
    #[arg(long, value_name = "FILE")]
    pub(crate) preset: Option<PathBuf>,
    /// Open the window on this preset file, or on a scene link (`https://…#scene=1.…`, or
    /// the part after `#`).
    #[arg(value_name = "FILE|LINK", conflicts_with = "preset")]
    pub(crate) file: Option<String>,
    /// The window's language, `en` or `zh-CN` (remembered; without it the last one chosen, or
    /// on first launch the system's).
    #[arg(long, value_name = "LANG")]
    pub(crate) lang: Option<optiscope::text::Lang>,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Run one optimizer on a surface and print the trajectory as CSV
    /// (step,lr,x,y,loss,grad_x,grad_y).
    Trace(Box<TraceArgs>),
    /// Train a small network on a generated 2D data set and print CSV
    /// (step,lr,loss,test_loss,grad_norm).
    Train(Box<TrainArgs>),
    /// List every surface, optimizer, schedule and warmup with its parameters and defaults.
    List(ListArgs),
    /// Draw a preset without a window: an animated GIF of its runs, or a PNG of one step.
    #[cfg(feature = "picture")]
    Render(RenderArgs),
    /// Print a Python script that reproduces a run of a preset with torch.optim (the window's
    /// "Copy run as PyTorch").
    Pytorch(PytorchArgs),
    /// Print a Python script that reproduces a run of a preset with Keras 3 (keras.optimizers,
    /// float64; the window's "Copy run as Keras"). It prints the same CSV as `trace`.
    Keras(PytorchArgs),
    /// Print what the closed forms say about the local quadratic at a point (`key=value`
    /// lines): curvature, stability limits, optimal learning rate and momentum, and the rate of
    /// a given SGD setting.
    Theory(TheoryArgs),
    /// Print a link that opens a preset's scene (animation position included) in the web app,
    /// or in the desktop app given as its argument.
    Share(ShareArgs),
    /// Write a scene as one web page: the one-file app (`web/build.sh` builds it) opening on
    /// the preset, offline, by double click; for a course page, an e-mail or a slide's frame.
    Page(PageArgs),
    /// Read a log of a real training run (Keras's or Lightning's CSVLogger, a TensorBoard
    /// event file or its CSV export, any CSV with a step or epoch column) and print what was understood as CSV
    /// (step,epoch,lr,loss,val_loss, then the other numeric columns); stderr names the format
    /// and each column mapped.
    Log(LogArgs),
    /// Write a course page of the built-in scenes: a card per scene (picture, title, first
    /// sentence of its notes, a link that opens it), by topic in slide order, with the
    /// one-file app beside it; ready to publish as it is.
    #[cfg(feature = "picture")]
    Gallery(GalleryArgs),
}

#[derive(Args, Debug)]
pub(crate) struct TrainArgs {
    /// The network, e.g. `mlp(hidden=[16,16],activation=tanh)`.
    #[arg(long, value_name = "SPEC", value_parser = model_spec)]
    pub(crate) model: Spec,
    /// The data set, e.g. `moons(n=200,noise=0.1,seed=0)`.
    #[arg(long, value_name = "SPEC", value_parser = data_spec)]
    pub(crate) data: Spec,
    /// Optimizer with torch.optim parameter names, e.g. `adam(beta1=0.8)`.
    #[arg(long, value_name = "SPEC", value_parser = vector_optimizer_spec)]
    pub(crate) optimizer: Spec,
    /// Base learning rate η0.
    #[arg(long, value_name = "F", value_parser = learning_rate, allow_hyphen_values = true)]
    pub(crate) lr: f64,
    /// Learning-rate schedule, e.g. `cosine(T_max=100)` (default `constant`).
    #[arg(long, value_name = "SPEC", value_parser = schedule_spec)]
    pub(crate) schedule: Option<Spec>,
    /// Warmup before the schedule, e.g. `linear(steps=10,start_factor=0)` (default `none`).
    #[arg(long, value_name = "SPEC", value_parser = warmup_spec)]
    pub(crate) warmup: Option<Spec>,
    /// Number of updates N; the CSV has rows 0..=N.
    #[arg(long, value_name = "N", value_parser = step_count, allow_hyphen_values = true)]
    pub(crate) steps: u64,
    /// Training rows per update, reshuffled every epoch (default 0: the whole set).
    #[arg(long, value_name = "B", default_value_t = 0)]
    pub(crate) batch_size: usize,
    /// Seed of the initial parameters and of the minibatch order (default 0).
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub(crate) seed: u64,
    /// Keep only rows whose step is a multiple of K (plus the last row).
    #[arg(long, value_name = "K", default_value_t = 1, value_parser = every_k, allow_hyphen_values = true)]
    pub(crate) every: u64,
    /// Write the CSV to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
    /// Columns to append after grad_norm: `sharpness` (λmax of the training loss's Hessian
    /// at θ_k, by power iteration on exact Hessian-vector products).
    #[arg(long, value_name = "COLUMNS", value_parser = train_extra)]
    pub(crate) extra: Option<String>,
    /// Write the data set as JSON: {"x", "y", "x_test", "y_test"[, "batches"]}.
    #[arg(long, value_name = "FILE")]
    pub(crate) dump_data: Option<PathBuf>,
    /// Write the initial parameters as JSON: {"layers": [{"weight", "bias"}, ...]} in
    /// nn.Linear's (out, in) layout, first layer first.
    #[arg(long, value_name = "FILE")]
    pub(crate) dump_init: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub(crate) struct TheoryArgs {
    /// Loss surface, e.g. `quadratic(a=1,b=100)`.
    #[arg(long, value_name = "SPEC", value_parser = surface_spec)]
    pub(crate) surface: Spec,
    /// The point whose local quadratic is analysed (default: the surface's first known
    /// minimum, else the origin).
    #[arg(long, value_name = "X,Y", value_parser = point, allow_hyphen_values = true)]
    pub(crate) at: Option<[f64; 2]>,
    /// An SGD setting (momentum, nesterov, dampening, weight_decay) whose limit and rate to
    /// print, with `--lr`.
    #[arg(long, value_name = "SPEC", value_parser = optimizer_spec, requires = "lr")]
    pub(crate) optimizer: Option<Spec>,
    /// The learning rate of `--optimizer`.
    #[arg(long, value_name = "F", value_parser = learning_rate, requires = "optimizer", allow_hyphen_values = true)]
    pub(crate) lr: Option<f64>,
}

#[derive(Args, Debug)]
pub(crate) struct ShareArgs {
    /// The scene (a `.ron` preset file).
    #[arg(long, value_name = "FILE")]
    pub(crate) preset: PathBuf,
    /// Where the web app is served; the link's fragment is added to it.
    #[arg(long, value_name = "URL", default_value = optiscope::scene::link::DEFAULT_BASE)]
    pub(crate) base: String,
    #[command(flatten)]
    pub(crate) show: ShowArgs,
}

/// How a link or page shows its scene (`share` and `page` alike).
#[derive(Args, Debug)]
pub(crate) struct ShowArgs {
    /// Open the scene with its controls folded away, for a projected slide.
    #[arg(long)]
    pub(crate) lock: bool,
    /// Mark the link or page `embed=1`, for an `<iframe>`: only the surface, the LR plot and
    /// a compact bar (play, step, the selected run's learning rate).
    #[arg(long)]
    pub(crate) embed: bool,
    /// Open the app in this language, `en` or `zh-CN` (`lang=` in the link).
    #[arg(long, value_name = "LANG")]
    pub(crate) lang: Option<optiscope::text::Lang>,
}

impl From<&ShowArgs> for optiscope::scene::link::Showing {
    fn from(a: &ShowArgs) -> Self {
        Self {
            lock: a.lock,
            embed: a.embed,
            lang: a.lang,
        }
    }
}

#[derive(Args, Debug)]
pub(crate) struct PageArgs {
    /// The scene (a `.ron` preset file); the page opens on it, animation position included.
    #[arg(long, value_name = "FILE")]
    pub(crate) preset: PathBuf,
    /// The page to write (e.g. `scene.html`).
    #[arg(long, value_name = "FILE")]
    pub(crate) out: PathBuf,
    #[command(flatten)]
    pub(crate) show: ShowArgs,
    /// The one-file app to put the scene in (default: `web/dist/optiscope.html` here or
    /// beside this program).
    #[arg(long, value_name = "FILE")]
    pub(crate) page: Option<PathBuf>,
}

#[cfg(feature = "picture")]
#[derive(Args, Debug)]
pub(crate) struct GalleryArgs {
    /// The folder to write (index.html, optiscope.html and pictures/); made if missing.
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
    /// Where the web app is served, for cards that open the hosted build instead of the
    /// optiscope.html beside the page.
    #[arg(long, value_name = "URL")]
    pub(crate) base: Option<String>,
    /// The page's and the scenes' language, `en` or `zh-CN`.
    #[arg(long, value_name = "LANG", default_value = "en")]
    pub(crate) lang: optiscope::text::Lang,
    /// The one-file app to put beside the page (default: `web/dist/optiscope.html` here or
    /// beside this program).
    #[arg(long, value_name = "FILE")]
    pub(crate) page: Option<PathBuf>,
    /// The cards' picture size in pixels.
    #[arg(long, value_name = "WxH", default_value = "480x300", value_parser = picture_size)]
    pub(crate) size: (u32, u32),
}

#[derive(Args, Debug)]
pub(crate) struct LogArgs {
    /// The log file.
    pub(crate) file: PathBuf,
    /// Of a TensorBoard event file, only the scalars with this tag (repeat for more).
    #[arg(long, value_name = "TAG")]
    pub(crate) tag: Vec<String>,
}

#[derive(Args, Debug)]
pub(crate) struct ListArgs {
    /// Print the registries as JSON (names, parameter types, defaults, docs) for other tools.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Args, Debug)]
pub(crate) struct PytorchArgs {
    /// The scene (a `.ron` preset file).
    #[arg(long, value_name = "FILE")]
    pub(crate) preset: PathBuf,
    /// Which run, counted from 0 like `trace --run`.
    #[arg(long, value_name = "I", default_value_t = 0)]
    pub(crate) run: usize,
}

#[cfg(feature = "picture")]
#[derive(Args, Debug)]
pub(crate) struct RenderArgs {
    /// The scene to draw (a `.ron` preset file).
    #[arg(long, value_name = "FILE")]
    pub(crate) preset: PathBuf,
    /// The picture's language, `en` or `zh-CN`: the scene's title in it where the scene has
    /// one, and the run statuses.
    #[arg(long, value_name = "LANG", default_value = "en")]
    pub(crate) lang: optiscope::text::Lang,
    /// Where to write: `NAME.gif` for the animation, `NAME.png` for one picture.
    #[arg(long, value_name = "FILE", value_parser = picture_path)]
    pub(crate) out: PathBuf,
    /// Picture size in pixels.
    #[arg(long, value_name = "WxH", default_value = "960x600", value_parser = picture_size)]
    pub(crate) size: (u32, u32),
    /// GIF frames per second.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=50))]
    pub(crate) fps: u32,
    /// Longest GIF in seconds: a scene that would play longer at its speed is sped up to fit.
    #[arg(long, value_name = "S", default_value_t = 12.0, value_parser = seconds)]
    pub(crate) seconds: f64,
    /// The step a PNG shows (default: the last, every path whole).
    #[arg(long, value_name = "K")]
    pub(crate) step: Option<u64>,
    /// `2d`: the heatmap with contours; `3d`: the shaded surface with the paths on it.
    #[arg(long, value_name = "VIEW", default_value = "2d", value_parser = ["2d", "3d"])]
    pub(crate) view: String,
    /// The 3D view's camera: degrees around the vertical axis and above the base plane
    /// (default -35,50).
    #[arg(long, value_name = "YAW,PITCH", value_parser = camera_angles)]
    pub(crate) camera: Option<(f64, f64)>,
}

/// `YAW,PITCH` in degrees, two finite numbers.
#[cfg(feature = "picture")]
pub(crate) fn camera_angles(s: &str) -> Result<(f64, f64), String> {
    let bad = || format!("'{s}' is not YAW,PITCH in degrees, e.g. -35,35");
    let (a, b) = s.split_once(',').ok_or_else(bad)?;
    let (yaw, pitch): (f64, f64) = (
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    );
    if yaw.is_finite() && pitch.is_finite() {
        Ok((yaw, pitch))
    } else {
        Err(bad())
    }
}

#[derive(Args, Debug)]
pub(crate) struct TraceArgs {
    /// Loss surface, e.g. `rosenbrock` or `quadratic(a=1,b=10,angle=30)`.
    #[arg(long, value_name = "SPEC", value_parser = surface_spec, required_unless_present = "preset")]
    pub(crate) surface: Option<Spec>,
    /// Optimizer with torch.optim parameter names, e.g. `adam(beta1=0.8,amsgrad=true)`.
    #[arg(long, value_name = "SPEC", value_parser = optimizer_spec, required_unless_present = "preset")]
    pub(crate) optimizer: Option<Spec>,
    /// Base learning rate η0.
    #[arg(long, value_name = "F", value_parser = learning_rate, required_unless_present = "preset", allow_hyphen_values = true)]
    pub(crate) lr: Option<f64>,
    /// Learning-rate schedule, e.g. `cosine(T_max=100)` (default `constant`).
    #[arg(long, value_name = "SPEC", value_parser = schedule_spec)]
    pub(crate) schedule: Option<Spec>,
    /// Warmup before the schedule, e.g. `linear(steps=10,start_factor=0)` (default `none`).
    #[arg(long, value_name = "SPEC", value_parser = warmup_spec)]
    pub(crate) warmup: Option<Spec>,
    /// Start point `X,Y`.
    #[arg(long, value_name = "X,Y", value_parser = point, allow_hyphen_values = true, required_unless_present = "preset")]
    pub(crate) start: Option<[f64; 2]>,
    /// Number of updates N; the CSV has rows 0..=N.
    #[arg(long, value_name = "N", value_parser = step_count, required_unless_present = "preset", allow_hyphen_values = true)]
    pub(crate) steps: Option<u64>,
    /// Standard deviation σ of Gaussian noise added to every gradient component (default 0).
    #[arg(long, value_name = "F", value_parser = noise_sigma, allow_hyphen_values = true)]
    pub(crate) noise: Option<f64>,
    /// Seed of the gradient noise and of minibatch sampling (default 0).
    #[arg(long, value_name = "N")]
    pub(crate) seed: Option<u64>,
    /// Run a preset's scene instead of the settings above (which then may not be given).
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["surface", "optimizer", "lr", "schedule", "warmup", "start", "steps", "noise", "seed"]
    )]
    pub(crate) preset: Option<PathBuf>,
    /// Which run of the preset, counted from 0 in the order of its `runs` list.
    #[arg(long, value_name = "I", requires = "preset")]
    pub(crate) run: Option<usize>,
    /// Keep only rows whose step is a multiple of K (plus the last row).
    #[arg(long, value_name = "K", default_value_t = 1, value_parser = every_k, allow_hyphen_values = true)]
    pub(crate) every: u64,
    /// Write the CSV to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
    /// Columns to append after grad_y: `sharpness` (λmax of the Hessian at θ_k) and/or
    /// `precond_sharpness` (λmax(P⁻¹H) with the optimizer's diagonal preconditioner P).
    #[arg(long, value_name = "COLUMNS", value_parser = extra_columns)]
    pub(crate) extra: Option<ExtraColumns>,
}
