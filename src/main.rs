//! The `optiscope` command: `trace` runs one optimizer headless and prints CSV, `list` shows
//! every surface, optimizer and schedule, `render` draws a preset to a GIF or PNG. Without a
//! subcommand it opens the window.

#![warn(clippy::unwrap_used)]
// The browser build uses only `main` below; the command line is the desktop's.
#![cfg_attr(target_arch = "wasm32", allow(dead_code, unused_imports))]

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use optiscope::core::settings::{self, MAX_STEPS, RunSettings};
use optiscope::core::simulation::{Run, Status};
use optiscope::core::spec::{Spec, fmt_num, parse_spec};
use optiscope::scene::catalog;
use optiscope::scene::preset::load_preset;
use optiscope::scene::trace::CsvRecorder;
use optiscope::{AnyOptimizer, AnySurface, LrSchedule};

/// See how optimizers and learning-rate schedules move on 2D loss surfaces.
#[derive(Parser, Debug)]
#[command(name = "optiscope", version, about, long_about = None, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Open the window on this preset (a `.ron` scene file).
    #[arg(long, value_name = "FILE")]
    preset: Option<PathBuf>,
    /// Open the window on this preset file, or on a scene link (`https://…#scene=1.…`, or
    /// the part after `#`).
    #[arg(value_name = "FILE|LINK", conflicts_with = "preset")]
    file: Option<String>,
}

#[derive(Subcommand, Debug)]
enum Command {
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
}

#[derive(Args, Debug)]
struct TrainArgs {
    /// The network, e.g. `mlp(hidden=[16,16],activation=tanh)`.
    #[arg(long, value_name = "SPEC", value_parser = model_spec)]
    model: Spec,
    /// The data set, e.g. `moons(n=200,noise=0.1,seed=0)`.
    #[arg(long, value_name = "SPEC", value_parser = data_spec)]
    data: Spec,
    /// Optimizer with torch.optim parameter names, e.g. `adam(beta1=0.8)`.
    #[arg(long, value_name = "SPEC", value_parser = vector_optimizer_spec)]
    optimizer: Spec,
    /// Base learning rate η0.
    #[arg(long, value_name = "F", value_parser = learning_rate, allow_hyphen_values = true)]
    lr: f64,
    /// Learning-rate schedule, e.g. `cosine(T_max=100)` (default `constant`).
    #[arg(long, value_name = "SPEC", value_parser = schedule_spec)]
    schedule: Option<Spec>,
    /// Warmup before the schedule, e.g. `linear(steps=10,start_factor=0)` (default `none`).
    #[arg(long, value_name = "SPEC", value_parser = warmup_spec)]
    warmup: Option<Spec>,
    /// Number of updates N; the CSV has rows 0..=N.
    #[arg(long, value_name = "N", value_parser = step_count, allow_hyphen_values = true)]
    steps: u64,
    /// Training rows per update, reshuffled every epoch (default 0: the whole set).
    #[arg(long, value_name = "B", default_value_t = 0)]
    batch_size: usize,
    /// Seed of the initial parameters and of the minibatch order (default 0).
    #[arg(long, value_name = "S", default_value_t = 0)]
    seed: u64,
    /// Keep only rows whose step is a multiple of K (plus the last row).
    #[arg(long, value_name = "K", default_value_t = 1, value_parser = every_k, allow_hyphen_values = true)]
    every: u64,
    /// Write the CSV to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Columns to append after grad_norm: `sharpness` (λmax of the training loss's Hessian
    /// at θ_k, by power iteration on exact Hessian-vector products).
    #[arg(long, value_name = "COLUMNS", value_parser = train_extra)]
    extra: Option<String>,
    /// Write the data set as JSON: {"x", "y", "x_test", "y_test"[, "batches"]}.
    #[arg(long, value_name = "FILE")]
    dump_data: Option<PathBuf>,
    /// Write the initial parameters as JSON: {"layers": [{"weight", "bias"}, ...]} in
    /// nn.Linear's (out, in) layout, first layer first.
    #[arg(long, value_name = "FILE")]
    dump_init: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct TheoryArgs {
    /// Loss surface, e.g. `quadratic(a=1,b=100)`.
    #[arg(long, value_name = "SPEC", value_parser = surface_spec)]
    surface: Spec,
    /// The point whose local quadratic is analysed (default: the surface's first known
    /// minimum, else the origin).
    #[arg(long, value_name = "X,Y", value_parser = point, allow_hyphen_values = true)]
    at: Option<[f64; 2]>,
    /// An SGD setting (momentum, nesterov, dampening, weight_decay) whose limit and rate to
    /// print, with `--lr`.
    #[arg(long, value_name = "SPEC", value_parser = optimizer_spec, requires = "lr")]
    optimizer: Option<Spec>,
    /// The learning rate of `--optimizer`.
    #[arg(long, value_name = "F", value_parser = learning_rate, requires = "optimizer", allow_hyphen_values = true)]
    lr: Option<f64>,
}

#[derive(Args, Debug)]
struct ShareArgs {
    /// The scene (a `.ron` preset file).
    #[arg(long, value_name = "FILE")]
    preset: PathBuf,
    /// Where the web app is served; the link's fragment is added to it.
    #[arg(long, value_name = "URL", default_value = optiscope::scene::link::DEFAULT_BASE)]
    base: String,
    /// Open the scene with its controls folded away, for a projected slide.
    #[arg(long)]
    lock: bool,
}

#[derive(Args, Debug)]
struct ListArgs {
    /// Print the registries as JSON (names, parameter types, defaults, docs) for other tools.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct PytorchArgs {
    /// The scene (a `.ron` preset file).
    #[arg(long, value_name = "FILE")]
    preset: PathBuf,
    /// Which run, counted from 0 like `trace --run`.
    #[arg(long, value_name = "I", default_value_t = 0)]
    run: usize,
}

#[cfg(feature = "picture")]
#[derive(Args, Debug)]
struct RenderArgs {
    /// The scene to draw (a `.ron` preset file).
    #[arg(long, value_name = "FILE")]
    preset: PathBuf,
    /// Where to write: `NAME.gif` for the animation, `NAME.png` for one picture.
    #[arg(long, value_name = "FILE", value_parser = picture_path)]
    out: PathBuf,
    /// Picture size in pixels.
    #[arg(long, value_name = "WxH", default_value = "960x600", value_parser = picture_size)]
    size: (u32, u32),
    /// GIF frames per second.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=50))]
    fps: u32,
    /// Longest GIF in seconds: a scene that would play longer at its speed is sped up to fit.
    #[arg(long, value_name = "S", default_value_t = 12.0, value_parser = seconds)]
    seconds: f64,
    /// The step a PNG shows (default: the last, every path whole).
    #[arg(long, value_name = "K")]
    step: Option<u64>,
    /// `2d`: the heatmap with contours; `3d`: the shaded surface with the paths on it.
    #[arg(long, value_name = "VIEW", default_value = "2d", value_parser = ["2d", "3d"])]
    view: String,
    /// The 3D view's camera: degrees around the vertical axis and above the base plane
    /// (default -35,50).
    #[arg(long, value_name = "YAW,PITCH", value_parser = camera_angles)]
    camera: Option<(f64, f64)>,
}

/// `YAW,PITCH` in degrees, two finite numbers.
#[cfg(feature = "picture")]
fn camera_angles(s: &str) -> Result<(f64, f64), String> {
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
struct TraceArgs {
    /// Loss surface, e.g. `rosenbrock` or `quadratic(a=1,b=10,angle=30)`.
    #[arg(long, value_name = "SPEC", value_parser = surface_spec, required_unless_present = "preset")]
    surface: Option<Spec>,
    /// Optimizer with torch.optim parameter names, e.g. `adam(beta1=0.8,amsgrad=true)`.
    #[arg(long, value_name = "SPEC", value_parser = optimizer_spec, required_unless_present = "preset")]
    optimizer: Option<Spec>,
    /// Base learning rate η0.
    #[arg(long, value_name = "F", value_parser = learning_rate, required_unless_present = "preset", allow_hyphen_values = true)]
    lr: Option<f64>,
    /// Learning-rate schedule, e.g. `cosine(T_max=100)` (default `constant`).
    #[arg(long, value_name = "SPEC", value_parser = schedule_spec)]
    schedule: Option<Spec>,
    /// Warmup before the schedule, e.g. `linear(steps=10,start_factor=0)` (default `none`).
    #[arg(long, value_name = "SPEC", value_parser = warmup_spec)]
    warmup: Option<Spec>,
    /// Start point `X,Y`.
    #[arg(long, value_name = "X,Y", value_parser = point, allow_hyphen_values = true, required_unless_present = "preset")]
    start: Option<[f64; 2]>,
    /// Number of updates N; the CSV has rows 0..=N.
    #[arg(long, value_name = "N", value_parser = step_count, required_unless_present = "preset", allow_hyphen_values = true)]
    steps: Option<u64>,
    /// Standard deviation σ of Gaussian noise added to every gradient component (default 0).
    #[arg(long, value_name = "F", value_parser = noise_sigma, allow_hyphen_values = true)]
    noise: Option<f64>,
    /// Seed of the gradient noise and of minibatch sampling (default 0).
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Run a preset's scene instead of the settings above (which then may not be given).
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["surface", "optimizer", "lr", "schedule", "warmup", "start", "steps", "noise", "seed"]
    )]
    preset: Option<PathBuf>,
    /// Which run of the preset, counted from 0 in the order of its `runs` list.
    #[arg(long, value_name = "I", requires = "preset")]
    run: Option<usize>,
    /// Keep only rows whose step is a multiple of K (plus the last row).
    #[arg(long, value_name = "K", default_value_t = 1, value_parser = every_k, allow_hyphen_values = true)]
    every: u64,
    /// Write the CSV to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Columns to append after grad_y: `sharpness` (λmax of the Hessian at θ_k) and/or
    /// `precond_sharpness` (λmax(P⁻¹H) with the optimizer's diagonal preconditioner P).
    #[arg(long, value_name = "COLUMNS", value_parser = extra_columns)]
    extra: Option<ExtraColumns>,
}

/// The columns of `--extra`, in the order asked for.
#[derive(Clone, Debug)]
struct ExtraColumns(Vec<optiscope::scene::trace::Extra>);

fn extra_columns(text: &str) -> Result<ExtraColumns, String> {
    optiscope::scene::trace::Extra::parse_list(text)
        .map(ExtraColumns)
        .map_err(|e| e.to_string())
}

fn spec_with(text: &str, check: impl Fn(&Spec) -> Result<(), String>) -> Result<Spec, String> {
    let spec = parse_spec(text).map_err(|e| e.to_string())?;
    check(&spec)?;
    Ok(spec)
}

fn surface_spec(text: &str) -> Result<Spec, String> {
    spec_with(text, |s| {
        AnySurface::from_spec(s)
            .map(drop)
            .map_err(|e| e.to_string())
    })
}

fn optimizer_spec(text: &str) -> Result<Spec, String> {
    spec_with(text, |s| {
        AnyOptimizer::from_spec(s)
            .map(drop)
            .map_err(|e| e.to_string())
    })
}

fn train_extra(text: &str) -> Result<String, String> {
    if text.trim() == "sharpness" {
        Ok("sharpness".to_owned())
    } else {
        Err(format!("unknown column '{text}'; --extra takes sharpness"))
    }
}

fn model_spec(text: &str) -> Result<Spec, String> {
    spec_with(text, |s| {
        optiscope::core::network::Mlp::from_spec(s, 2)
            .map(drop)
            .map_err(|e| e.to_string())
    })
}

fn data_spec(text: &str) -> Result<Spec, String> {
    spec_with(text, |s| {
        optiscope::core::network::Data::from_spec(s)
            .map(drop)
            .map_err(|e| e.to_string())
    })
}

fn vector_optimizer_spec(text: &str) -> Result<Spec, String> {
    spec_with(text, |s| {
        optiscope::core::optimizer::VecOptimizer::from_spec(s)
            .map(drop)
            .map_err(|e| e.to_string())
    })
}

fn schedule_spec(text: &str) -> Result<Spec, String> {
    spec_with(text, |s| {
        LrSchedule::from_specs(1.0, s, &Spec::named("none"))
            .map(drop)
            .map_err(|e| e.to_string())
    })
}

fn warmup_spec(text: &str) -> Result<Spec, String> {
    spec_with(text, |s| {
        LrSchedule::from_specs(1.0, &Spec::named("constant"), s)
            .map(drop)
            .map_err(|e| e.to_string())
    })
}

fn finite(text: &str) -> Result<f64, String> {
    let x: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number"))?;
    if x.is_finite() {
        Ok(x)
    } else {
        Err(format!("'{text}' is not a finite number"))
    }
}

/// A whole number in `range`, with a message that says what a count must be (clap's own says
/// "invalid digit found in string" for `-5`).
fn whole(text: &str, what: &str, range: std::ops::RangeInclusive<u64>) -> Result<u64, String> {
    let fail = || {
        if *range.end() == u64::MAX {
            format!(
                "'{text}' is not {what}: it must be a whole number of at least {}",
                range.start()
            )
        } else {
            format!(
                "'{text}' is not {what}: it must be a whole number from {} to {}",
                range.start(),
                range.end()
            )
        }
    };
    let n: u64 = text.trim().parse().map_err(|_| fail())?;
    if range.contains(&n) {
        Ok(n)
    } else {
        Err(fail())
    }
}

fn step_count(text: &str) -> Result<u64, String> {
    whole(text, "a number of steps", 0..=MAX_STEPS)
}

fn every_k(text: &str) -> Result<u64, String> {
    whole(text, "a row interval", 1..=u64::MAX)
}

fn learning_rate(text: &str) -> Result<f64, String> {
    settings::check_lr(finite(text)?).map_err(|e| e.to_string())
}

fn noise_sigma(text: &str) -> Result<f64, String> {
    settings::check_noise(finite(text)?).map_err(|e| e.to_string())
}

fn point(text: &str) -> Result<[f64; 2], String> {
    let parts: Vec<&str> = text.split(',').collect();
    let [x, y] = parts.as_slice() else {
        return Err(format!("'{text}' is not two numbers X,Y (e.g. -1.5,2)"));
    };
    Ok([finite(x)?, finite(y)?])
}

#[cfg(feature = "picture")]
fn picture_path(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
    {
        Some(e) if e == "gif" || e == "png" => Ok(path),
        _ => Err(format!(
            "'{text}' ends in neither .gif (animation) nor .png (picture)"
        )),
    }
}

#[cfg(feature = "picture")]
fn picture_size(text: &str) -> Result<(u32, u32), String> {
    let range = optiscope::picture::render::SIZE_RANGE;
    let parsed = text
        .split_once(['x', 'X'])
        .and_then(|(w, h)| Some((w.trim().parse::<u32>().ok()?, h.trim().parse::<u32>().ok()?)));
    match parsed {
        Some((w, h)) if range.contains(&w) && range.contains(&h) => Ok((w, h)),
        Some(_) => Err(format!(
            "'{text}': width and height must be {} to {} pixels",
            range.start(),
            range.end()
        )),
        None => Err(format!("'{text}' is not WIDTHxHEIGHT (e.g. 960x600)")),
    }
}

#[cfg(feature = "picture")]
fn seconds(text: &str) -> Result<f64, String> {
    let x = finite(text)?;
    if !(0.1..=600.0).contains(&x) {
        return Err(format!("'{text}' is outside 0.1 to 600 seconds"));
    }
    Ok(x)
}

/// In the browser the page starts the app; there is no command line.
#[cfg(target_arch = "wasm32")]
fn main() {
    optiscope::app::platform::start_web();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Trace(args)) => trace(*args),
        Some(Command::Train(args)) => train(*args),
        Some(Command::List(args)) => list(args),
        #[cfg(feature = "picture")]
        Some(Command::Render(args)) => render(args),
        Some(Command::Pytorch(args)) => script(args, optiscope::scene::script::pytorch_script),
        Some(Command::Keras(args)) => script(args, optiscope::scene::script::keras_script),
        Some(Command::Theory(args)) => theory(args),
        Some(Command::Share(args)) => share(args),
        None => open_window(cli.preset.map(|p| p.display().to_string()).or(cli.file)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            // Exit code 2 is a mistake in what was typed (as clap reports its own); 1 is a
            // failure while doing what was asked.
            if e.downcast_ref::<Usage>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// A mistake in the command line or in a file it names; `main` prints it once and exits with
/// code 2, so scripts can tell it from a failure while running.
#[derive(Debug)]
struct Usage(String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// The surface and run `trace` simulates: from the flags, or from run `--run` of `--preset`.
fn trace_settings(args: &TraceArgs) -> Result<(Spec, RunSettings), Usage> {
    if let Some(path) = &args.preset {
        let preset = load_surface_scene(path, "trace")?;
        let index = args.run.unwrap_or(0);
        let (Some(surface), Some(run)) = (preset.run_surface(index), preset.run_settings(index))
        else {
            let valid: Vec<String> = preset
                .runs
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    format!(
                        "{i} ({} lr={})",
                        r.settings.optimizer,
                        fmt_num(r.settings.lr)
                    )
                })
                .collect();
            return Err(Usage(format!(
                "invalid value '{index}' for '--run <I>': '{}' has {} runs; valid: {}",
                path.display(),
                preset.runs.len(),
                valid.join(", ")
            )));
        };
        return Ok((surface, run));
    }
    // clap enforces these when there is no --preset.
    let (Some(surface), Some(optimizer), Some(lr), Some(start), Some(steps)) = (
        args.surface.clone(),
        args.optimizer.clone(),
        args.lr,
        args.start,
        args.steps,
    ) else {
        return Err(Usage(
            "--surface, --optimizer, --lr, --start and --steps are required without --preset"
                .to_owned(),
        ));
    };
    Ok((
        surface,
        RunSettings {
            schedule: args
                .schedule
                .clone()
                .unwrap_or_else(|| Spec::named("constant")),
            warmup: args.warmup.clone().unwrap_or_else(|| Spec::named("none")),
            noise: args.noise.unwrap_or(0.0),
            seed: args.seed.unwrap_or(0),
            ..RunSettings::new(optimizer, lr, start, steps)
        },
    ))
}

fn trace(args: TraceArgs) -> anyhow::Result<()> {
    let (surface, run) = trace_settings(&args)?;
    let surface = AnySurface::from_spec(&surface)?;
    let run = Run::new(&run)?;
    let out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(
            File::create(path).with_context(|| format!("cannot create '{}'", path.display()))?,
        ),
        None => Box::new(io::stdout().lock()),
    };
    let extras = args.extra.map(|e| e.0).unwrap_or_default();
    let mut recorder =
        CsvRecorder::with_extras(BufWriter::new(out), args.every, extras, surface.clone())?;
    let status = run.simulate_into(&surface, &mut recorder);
    let recorded_ascent = recorder.ascent();
    match recorder.finish() {
        Ok(_) => {}
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            let target = args.out.as_ref().map_or("standard output".to_owned(), |p| {
                format!("'{}'", p.display())
            });
            return Err(anyhow::Error::new(e).context(format!("cannot write {target}")));
        }
    }
    if matches!(
        status,
        Status::Diverged { .. } | Status::SingularHessian { .. }
    ) {
        // Divergence is a result, not an error: the rows are written and the exit code is 0.
        eprintln!("{status}");
    }
    // A rate below zero (a linear decay past its end) is a result too, said where it starts.
    if let Some((step, lr)) = run.ascent(status, recorded_ascent) {
        eprintln!("{}", optiscope::core::simulation::ascent_text(step, lr));
    }
    Ok(())
}

fn train(args: TrainArgs) -> anyhow::Result<()> {
    use optiscope::core::train::{TrainSettings, Training, data_json, init_json};
    let training = Training::new(&TrainSettings {
        model: args.model,
        data: args.data,
        optimizer: args.optimizer,
        lr: args.lr,
        schedule: args.schedule.unwrap_or_else(|| Spec::named("constant")),
        warmup: args.warmup.unwrap_or_else(|| Spec::named("none")),
        steps: args.steps,
        batch_size: args.batch_size,
        seed: args.seed,
    })
    .map_err(|e| Usage(e.to_string()))?;
    for (path, json) in [
        (&args.dump_data, data_json(&training)),
        (&args.dump_init, init_json(&training)),
    ] {
        if let Some(path) = path {
            std::fs::write(path, json.to_string())
                .with_context(|| format!("cannot write '{}'", path.display()))?;
        }
    }
    let out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(
            File::create(path).with_context(|| format!("cannot create '{}'", path.display()))?,
        ),
        None => Box::new(io::stdout().lock()),
    };
    let mut out = BufWriter::new(out);
    let sharpness = args.extra.is_some();
    let header = optiscope::scene::trace::TRAIN_CSV_HEADER;
    let mut result = if sharpness {
        writeln!(out, "{header},sharpness")
    } else {
        writeln!(out, "{header}")
    };
    // The latest row not written, with its θ for the sharpness: it is written if it is last.
    let mut held: Option<(String, Vec<f64>)> = None;
    let line = |text: String, params: &[f64]| {
        if sharpness {
            format!("{text},{:?}", training.sharpness(params))
        } else {
            text
        }
    };
    let mut params = Vec::new();
    let status = training.run(&mut params, |row, params| {
        let text = optiscope::scene::trace::train_csv_row(row);
        if row.step % args.every == 0 {
            if result.is_ok() {
                result = writeln!(out, "{}", line(text, params));
            }
            held = None;
        } else {
            held = Some((text, params.to_vec()));
        }
    });
    // The last row is always written, as `trace` does.
    if let (Some((text, params)), true) = (held, result.is_ok()) {
        result = writeln!(out, "{}", line(text, &params));
    }
    match result.and_then(|()| out.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            let target = args.out.as_ref().map_or("standard output".to_owned(), |p| {
                format!("'{}'", p.display())
            });
            return Err(anyhow::Error::new(e).context(format!("cannot write {target}")));
        }
    }
    if let Status::Diverged { .. } = status {
        // Divergence is a result, not an error: the rows are written and the exit code is 0.
        eprintln!("{status}");
    }
    Ok(())
}

#[cfg(feature = "picture")]
fn render(args: RenderArgs) -> anyhow::Result<()> {
    let preset = load_surface_scene(&args.preset, "render")?;
    let gif = args
        .out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gif"));
    // A PNG shows the last step unless asked otherwise: every path whole.
    let step = args.step.unwrap_or(u64::MAX);
    let camera = (args.view == "3d").then(|| {
        let mut camera = optiscope::picture::scene3d::Camera::default();
        if let Some((yaw, pitch)) = args.camera {
            (camera.yaw, camera.pitch) = (yaw, pitch);
        }
        camera
    });
    if args.camera.is_some() && camera.is_none() {
        return Err(Usage("--camera applies to --view 3d only".into()).into());
    }
    let bytes = optiscope::picture::export::picture(
        &preset,
        gif,
        args.size,
        args.fps,
        args.seconds,
        step,
        camera,
    )
    .with_context(|| format!("cannot draw '{}'", args.preset.display()))?;
    optiscope::scene::preset::write_atomically(&args.out, &bytes)
        .map_err(|e| anyhow::anyhow!("cannot write '{}': {e}", args.out.display()))?;
    Ok(())
}

/// A preset named on the command line; a file that does not load is the user's mistake: its
/// error (file, line, column) and exit code 2.
fn load_for_cli(path: &std::path::Path) -> Result<optiscope::Preset, Usage> {
    load_preset(path).map_err(|e| Usage(e.to_string()))
}

/// A preset for the commands that work on surfaces; a network scene is refused with the
/// `optiscope train` command that runs its first run instead.
fn load_surface_scene(path: &std::path::Path, command: &str) -> Result<optiscope::Preset, Usage> {
    let preset = load_for_cli(path)?;
    let Some(network) = &preset.network else {
        return Ok(preset);
    };
    let s = &preset.runs[0].settings;
    let mut train = format!(
        "optiscope train --model '{}' --data '{}' --optimizer '{}' --lr {} --steps {}",
        network.model,
        network.data,
        s.optimizer,
        fmt_num(s.lr),
        s.steps
    );
    if s.schedule.name != "constant" {
        train.push_str(&format!(" --schedule '{}'", s.schedule));
    }
    if s.warmup.name != "none" {
        train.push_str(&format!(" --warmup '{}'", s.warmup));
    }
    if let Some(b) = s.batch_size {
        train.push_str(&format!(" --batch-size {b}"));
    }
    if s.seed != 0 {
        train.push_str(&format!(" --seed {}", s.seed));
    }
    Err(Usage(format!(
        "'{}' is a network scene; `optiscope {command}` works on surfaces. Its first run \
         trains with: {train}",
        path.display()
    )))
}

/// `optiscope pytorch` and `optiscope keras`: the script `write` makes for the run.
fn script(
    args: PytorchArgs,
    write: fn(
        &optiscope::scene::preset::Preset,
        usize,
    ) -> Result<String, optiscope::scene::script::ScriptError>,
) -> anyhow::Result<()> {
    let preset = load_for_cli(&args.preset)?;
    if args.run >= preset.runs.len() {
        return Err(Usage(format!(
            "invalid value '{}' for '--run <I>': '{}' has {} runs (0 to {})",
            args.run,
            args.preset.display(),
            preset.runs.len(),
            preset.runs.len().saturating_sub(1)
        ))
        .into());
    }
    // A run of the other framework's optimizer is the user's choice of command: a usage error
    // that names the right one.
    let script = write(&preset, args.run).map_err(|e| match e {
        optiscope::scene::script::ScriptError::Framework { .. } => {
            anyhow::Error::from(Usage(e.to_string()))
        }
        e => e.into(),
    })?;
    print!("{script}");
    Ok(())
}

fn theory(args: TheoryArgs) -> anyhow::Result<()> {
    use optiscope::core::analysis::Curvature;
    use optiscope::core::surface::CriticalKind;
    use optiscope::core::theory::{MomentumRule, QuadraticTheory};
    let surface = AnySurface::from_spec(&args.surface)?;
    let at = args.at.unwrap_or_else(|| {
        surface
            .critical_points()
            .iter()
            .find(|c| c.kind == CriticalKind::Minimum)
            .map_or([0.0, 0.0], |c| c.point)
    });
    let curvature = Curvature::at(&surface, at).ok_or_else(|| {
        anyhow::anyhow!(
            "the Hessian of {} is not finite at ({}, {})",
            args.surface,
            at[0],
            at[1]
        )
    })?;
    let t = QuadraticTheory::new(&curvature);
    let mut lines: Vec<(&str, Option<f64>)> = vec![
        ("lambda_min", Some(t.lambda_min)),
        ("lambda_max", Some(t.lambda_max)),
        ("kappa", t.kappa),
        ("gd_limit", t.gd_limit),
        ("gd_lr_opt", t.gd_lr_opt),
        ("gd_rate_opt", t.gd_rate_opt),
        ("hb_lr_opt", t.hb_lr_opt),
        ("hb_momentum_opt", t.hb_momentum_opt),
        ("hb_rate_opt", t.hb_rate_opt),
    ];
    if let (Some(spec), Some(lr)) = (&args.optimizer, args.lr) {
        let optimizer = AnyOptimizer::from_spec(spec)?;
        // Only SGD (with or without momentum) is a fixed linear iteration on a quadratic.
        if let Some(rule) = MomentumRule::of(&optimizer) {
            lines.push(("limit", curvature.limit_for(&optimizer).map(|(l, _)| l)));
            lines.push(("rate", Some(t.rate(rule, lr))));
        }
    }
    let mut out = io::stdout().lock();
    for (key, value) in lines {
        if let Some(v) = value.filter(|v| v.is_finite()) {
            writeln!(out, "{key}={v:?}")?;
        }
    }
    Ok(())
}

fn share(args: ShareArgs) -> anyhow::Result<()> {
    let preset = load_preset(&args.preset)?;
    println!(
        "{}",
        optiscope::scene::link::scene_link(&args.base, &preset, args.lock)?
    );
    Ok(())
}

fn list(args: ListArgs) -> anyhow::Result<()> {
    let text = if args.json {
        serde_json::to_string_pretty(&catalog::catalog_json())? + "\n"
    } else {
        catalog::catalog_text()
    };
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(()),
    }
}

#[cfg(all(feature = "gui", not(target_arch = "wasm32")))]
fn open_window(preset: Option<String>) -> anyhow::Result<()> {
    use optiscope::app::FileCommand;
    use optiscope::scene::link::{looks_like_link, parse_link};
    // A bad preset or link is reported here, where the user typed it; the window then opens
    // on the last scene and shows the same message, so nothing is silently ignored.
    let initial = preset.map(|text| {
        if looks_like_link(&text) {
            if let Err(e) = parse_link(&text) {
                eprintln!("optiscope: {e}");
            }
            FileCommand::OpenLink(text)
        } else {
            let path = PathBuf::from(text);
            if let Err(e) = load_preset(&path) {
                eprintln!("optiscope: {e}");
            }
            FileCommand::Open(path)
        }
    });
    let has_display = ["DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()));
    if cfg!(target_os = "linux") && !has_display {
        anyhow::bail!(
            "there is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); \
             `optiscope trace` works without one."
        );
    }
    match optiscope::app::platform::run_native(initial) {
        Ok(()) => Ok(()),
        Err(e) => {
            // winit prefixes its reason with a source location; keep only the reason.
            let text = e.to_string();
            let reason = text
                .rsplit(": ")
                .next()
                .unwrap_or(&text)
                .trim_end_matches('.');
            anyhow::bail!("cannot open the window ({reason}); `optiscope trace` works without one.")
        }
    }
}

#[cfg(any(not(feature = "gui"), target_arch = "wasm32"))]
fn open_window(_preset: Option<String>) -> anyhow::Result<()> {
    anyhow::bail!(
        "this build has no window (built without the `gui` feature); \
         see `optiscope --help` for the command line."
    )
}
