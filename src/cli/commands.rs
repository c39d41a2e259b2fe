//! What each subcommand does: its settings from the flags or a preset, the run, and its output.

use std::fs::File;
use std::io::{self, BufWriter, Write};

use anyhow::Context;

use optiscope::core::run::settings::RunSettings;
use optiscope::core::run::simulation::{Run, Status};
use optiscope::core::spec::{Spec, fmt_num};
use optiscope::scene::catalog;
use optiscope::scene::preset::load_preset;
use optiscope::scene::trace::CsvRecorder;
use optiscope::{AnyOptimizer, AnySurface};

use super::args::*;

/// A mistake in the command line or in a file it names; `main` prints it once and exits with
/// code 2, so scripts can tell it from a failure while running.
#[derive(Debug)]
pub(crate) struct Usage(pub(crate) String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// The surface and run `trace` simulates: from the flags, or from run `--run` of `--preset`.
pub(crate) fn trace_settings(args: &TraceArgs) -> Result<(Spec, RunSettings), Usage> {
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

pub(crate) fn trace(args: TraceArgs) -> anyhow::Result<()> {
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
        eprintln!(
            "{}",
            optiscope::core::run::simulation::ascent_text(step, lr)
        );
    }
    Ok(())
}

pub(crate) fn train(args: TrainArgs) -> anyhow::Result<()> {
    use optiscope::core::network::train::{TrainSettings, Training, data_json, init_json};
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
pub(crate) fn render(args: RenderArgs) -> anyhow::Result<()> {
    let preset = load_surface_scene(&args.preset, "render")?;
    // Only the picture speaks the language; messages on the terminal stay English.
    optiscope::text::set_current(args.lang);
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
    .with_context(|| format!("cannot draw '{}'", args.preset.display()));
    optiscope::text::set_current(optiscope::text::Lang::En);
    let bytes = bytes?;
    optiscope::scene::preset::write_atomically(&args.out, &bytes)
        .map_err(|e| anyhow::anyhow!("cannot write '{}': {e}", args.out.display()))?;
    Ok(())
}

/// A preset named on the command line; a file that does not load is the user's mistake: its
/// error (file, line, column) and exit code 2.
pub(crate) fn load_for_cli(path: &std::path::Path) -> Result<optiscope::Preset, Usage> {
    load_preset(path).map_err(|e| Usage(e.to_string()))
}

/// A preset for the commands that work on surfaces; a network scene is refused with the
/// `optiscope train` command that runs its first run instead.
pub(crate) fn load_surface_scene(
    path: &std::path::Path,
    command: &str,
) -> Result<optiscope::Preset, Usage> {
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
pub(crate) fn script(
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

pub(crate) fn theory(args: TheoryArgs) -> anyhow::Result<()> {
    use optiscope::core::analysis::Curvature;
    use optiscope::core::analysis::theory::{MomentumRule, QuadraticTheory};
    use optiscope::core::surface::CriticalKind;
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

pub(crate) fn page(args: PageArgs) -> anyhow::Result<()> {
    use optiscope::scene::page;
    let preset = load_preset(&args.preset)?;
    let built = page::find_built_page(args.page.as_deref())?;
    let template = page::read_template(&built)?;
    let html = page::scene_page(
        &template,
        &built.display().to_string(),
        &preset,
        (&args.show).into(),
    )?;
    std::fs::write(&args.out, &html)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!(
        "wrote {} ({:.1} MB): opens offline on \"{}\"",
        args.out.display(),
        html.len() as f64 / 1e6,
        preset.title.trim()
    );
    Ok(())
}

#[cfg(feature = "picture")]
pub(crate) fn gallery(args: GalleryArgs) -> anyhow::Result<()> {
    use optiscope::scene::gallery::{APP_FILE, gallery_html};
    let built = optiscope::scene::page::find_built_page(args.page.as_deref())?;
    let pictures = args.out.join("pictures");
    std::fs::create_dir_all(&pictures)
        .with_context(|| format!("cannot make {}", pictures.display()))?;
    // The page and the pictures speak the language; messages on the terminal stay English.
    optiscope::text::set_current(args.lang);
    let made = gallery_sections(&args, &pictures)
        .map(|(sections, cards)| (sections.len(), cards, gallery_html(&sections, args.lang)));
    optiscope::text::set_current(optiscope::text::Lang::En);
    let (topics, cards, html) = made?;
    let index = args.out.join("index.html");
    optiscope::scene::preset::write_atomically(&index, html.as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot write '{}': {e}", index.display()))?;
    let app = args.out.join(APP_FILE);
    std::fs::copy(&built, &app)
        .with_context(|| format!("cannot copy {} to {}", built.display(), app.display()))?;
    eprintln!(
        "wrote {} ({cards} cards in {topics} topics) with {APP_FILE} beside it",
        index.display()
    );
    Ok(())
}

/// The gallery's sections: each topic's name and the cards of its scenes in slide order,
/// their pictures written to `pictures`; and how many cards.
#[cfg(feature = "picture")]
fn gallery_sections(
    args: &GalleryArgs,
    pictures: &std::path::Path,
) -> anyhow::Result<(Vec<optiscope::scene::gallery::Section>, usize)> {
    use optiscope::scene::preset::{BUILTIN_PRESETS, TOPIC_NAMES, TOPICS};
    let files = gallery_pictures(args, pictures)?;
    let mut sections = Vec::new();
    let mut count = 0;
    for (topic, name) in TOPICS.iter().zip(TOPIC_NAMES) {
        let mut cards = Vec::new();
        for (builtin, file) in BUILTIN_PRESETS
            .iter()
            .zip(&files)
            .filter(|(b, _)| b.topic == *topic)
        {
            cards.push(optiscope::scene::gallery::Card::new(
                &builtin.load()?,
                args.lang,
                args.base.as_deref(),
                format!("pictures/{file}"),
                args.size,
            )?);
        }
        count += cards.len();
        sections.push((optiscope::text::text(name, None), cards));
    }
    Ok((sections, count))
}

/// Draws every built-in scene's card picture into `pictures`, on every core (a network
/// scene trains its runs first); returns the file names in the library's order.
#[cfg(feature = "picture")]
fn gallery_pictures(args: &GalleryArgs, pictures: &std::path::Path) -> anyhow::Result<Vec<String>> {
    use optiscope::scene::preset::BUILTIN_PRESETS;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let draw = |i: usize| -> anyhow::Result<String> {
        let builtin = &BUILTIN_PRESETS[i];
        let preset = builtin.load()?;
        let bytes = if preset.network.is_some() {
            optiscope::picture::network::network_png(&preset, args.size)
                .with_context(|| format!("cannot draw presets/{}", builtin.file))?
        } else {
            optiscope::picture::export::picture(&preset, false, args.size, 20, 12.0, u64::MAX, None)
                .with_context(|| format!("cannot draw presets/{}", builtin.file))?
        };
        let file = format!("{:02}-{}.png", i + 1, builtin.file.trim_end_matches(".ron"));
        let path = pictures.join(&file);
        optiscope::scene::preset::write_atomically(&path, &bytes)
            .map_err(|e| anyhow::anyhow!("cannot write '{}': {e}", path.display()))?;
        Ok(file)
    };
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut drawn: Vec<(usize, anyhow::Result<String>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    // The pictures' statuses speak the page's language, in every thread.
                    optiscope::text::set_current(args.lang);
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= BUILTIN_PRESETS.len() {
                            return mine;
                        }
                        mine.push((i, draw(i)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    if drawn.len() != BUILTIN_PRESETS.len() {
        anyhow::bail!("a thread drawing the gallery's pictures stopped");
    }
    drawn.sort_by_key(|(i, _)| *i);
    drawn.into_iter().map(|(_, file)| file).collect()
}

/// A log that does not read is the user's file: its error (what and where) and exit code 2.
pub(crate) fn log(args: LogArgs) -> anyhow::Result<()> {
    let log = optiscope::scene::log::read_log_tags(&args.file, &args.tag)
        .map_err(|e| Usage(e.to_string()))?;
    eprintln!(
        "{}: {}, {} rows",
        args.file.display(),
        log.format.name(),
        log.rows.len()
    );
    for line in log.mapping() {
        eprintln!("  {line}");
    }
    let mut out = io::stdout().lock();
    match out
        .write_all(log.to_csv().as_bytes())
        .and_then(|()| out.flush())
    {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

pub(crate) fn share(args: ShareArgs) -> anyhow::Result<()> {
    let preset = load_preset(&args.preset)?;
    println!(
        "{}",
        optiscope::scene::link::scene_link(&args.base, &preset, (&args.show).into(),)?
    );
    Ok(())
}

pub(crate) fn list(args: ListArgs) -> anyhow::Result<()> {
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
