//! Headless pictures: `optiscope render` writes a PNG of a step and a GIF of the runs; the
//! pictures show the runs where the simulation put them, and bad arguments exit 2 naming them.
#![cfg(feature = "picture")]

use std::path::Path;
use std::process::{Command, Output};

use optiscope::picture::colormap::colormap_rgb;
use optiscope::picture::render::{Renderer, animation_steps};
use optiscope::scene::preset::load_preset;
use optiscope::{AnySurface, Run, Status};

fn optiscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_optiscope"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn preset_path(name: &str) -> String {
    format!("{}/presets/{name}.ron", env!("CARGO_MANIFEST_DIR"))
}

fn read_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(path).expect("the png exists"),
    ));
    let mut reader = decoder.read_info().expect("a png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("a png frame");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn pixel(rgb: &[u8], width: u32, (x, y): (f64, f64)) -> [u8; 3] {
    let i = (y.round() as usize * width as usize + x.round() as usize) * 3;
    [rgb[i], rgb[i + 1], rgb[i + 2]]
}

/// Every run of Himmelblau's scene ends in a different minimum; the picture of the last step
/// has each run's dot, in the run's color, exactly where the simulation ended it.
#[test]
fn the_last_frame_puts_each_run_where_the_simulation_ended_it() {
    let preset = load_preset(Path::new(&preset_path("himmelblau-four-minima"))).unwrap();
    let renderer = Renderer::new(&preset, 480, 300).unwrap();
    let frame = renderer.frame(renderer.last_step()).unwrap();
    assert_eq!(frame.len(), 480 * 300 * 3);
    let colors = preset.run_colors();
    for (i, color) in colors.iter().enumerate() {
        let spec = preset.run_settings(i).unwrap();
        let surface = AnySurface::from_spec(&preset.run_surface(i).unwrap()).unwrap();
        let (last, status) = Run::new(&spec).unwrap().simulate_last(&surface);
        assert!(
            matches!(status, Status::Converged { .. }),
            "run {i}: {status}"
        );
        let at = renderer.pixel_of(last.unwrap().point);
        assert_eq!(pixel(&frame, 480, at), *color, "run {i} at {at:?}");
    }
    // At step 0 nothing has moved: the dot of run 0 sits on its start.
    let first = renderer.frame(0).unwrap();
    let start = preset.run_start(0);
    assert_eq!(pixel(&first, 480, renderer.pixel_of(start)), colors[0]);
}

/// The heatmap is the window's colormap, linear from the grid's minimum (0, at the bowl's
/// center) to its maximum (at the view's corners), and the view is widened so x and y have
/// the same scale.
#[test]
fn the_heatmap_uses_the_colormap_and_equal_axis_scales() {
    let text = r#"(version: 1, title: "bowl", surface: "quadratic(a=1,b=1)", start: (3, 3),
        steps: 10, view: (x_min: -4, x_max: 4, y_min: -4, y_max: 4), show_contours: false,
        runs: [(optimizer: "sgd", lr: 0.1, visible: false)])"#;
    let preset = optiscope::scene::preset::parse_preset(text, "test").unwrap();
    let renderer = Renderer::new(&preset, 600, 300).unwrap();
    let frame = renderer.frame(0).unwrap();
    // The plot is wider than high: the y range stays 8, the x range grows to match.
    let v = renderer.view();
    let f = |p: [f64; 2]| 0.5 * (p[0] * p[0] + p[1] * p[1]);
    let f_max = f([v.x_max, v.y_max]);
    for p in [[2.0, 1.0], [-1.0, -3.0], [3.5, 0.5]] {
        let drawn = pixel(&frame, 600, renderer.pixel_of(p));
        let expected = colormap_rgb(f(p) / f_max);
        for c in 0..3 {
            assert!(
                drawn[c].abs_diff(expected[c]) <= 3,
                "at {p:?}: {drawn:?} vs {expected:?}"
            );
        }
    }
    assert_eq!((v.y_min, v.y_max), (-4.0, 4.0));
    let (x0, y0) = renderer.pixel_of([v.x_min, v.y_min]);
    let (x1, y1) = renderer.pixel_of([v.x_max, v.y_max]);
    let units_per_px_x = (v.x_max - v.x_min) / (x1 - x0);
    let units_per_px_y = (v.y_max - v.y_min) / (y0 - y1);
    assert!((units_per_px_x / units_per_px_y - 1.0).abs() < 0.01);
}

/// Stage defect 7: the exported picture had neither the window's colorbar nor its contour
/// labels. The bowl's colorbar runs beside the plot from the colormap's dark end (f = 0, at
/// the bottom) to its bright end (the corners' f, at the top), and the labels name levels of
/// ½(x² + y²) where they are drawn, in black or white on the colour under them.
#[test]
fn the_picture_has_the_windows_colorbar_and_contour_labels() {
    let text = r#"(version: 1, title: "bowl", surface: "quadratic(a=1,b=1)", start: (3, 3),
        steps: 10, view: (x_min: -4, x_max: 4, y_min: -4, y_max: 4), show_contours: true,
        runs: [(optimizer: "sgd", lr: 0.1)])"#;
    let preset = optiscope::scene::preset::parse_preset(text, "test").unwrap();
    // Large enough that the labels' stems are whole pixels of their colour.
    let (w, h) = (1600u32, 900u32);
    let renderer = Renderer::new(&preset, w, h).unwrap();
    let frame = renderer.frame(0).unwrap();
    let v = renderer.view();
    let (right, top) = renderer.pixel_of([v.x_max, v.y_max]);
    let (_, bottom) = renderer.pixel_of([v.x_min, v.y_min]);
    let near = |a: [u8; 3], b: [u8; 3]| (0..3).all(|c| a[c].abs_diff(b[c]) <= 4);
    // A column right of the plot whose pixels run through the colormap bottom to top: each
    // is a colormap colour, its position t rising upwards from 0 to near 1.
    let t_of = |rgb: [u8; 3]| {
        (0..=1000)
            .map(|k| k as f64 / 1000.0)
            .find(|&t| near(rgb, colormap_rgb(t)))
    };
    let column = ((right.ceil() as u32 + 1)..w).find(|&x| {
        let ts: Option<Vec<f64>> = (0..20)
            .map(|k| {
                let y = bottom - 2.0 - k as f64 * 0.9 * (bottom - top) / 19.0;
                t_of(pixel(&frame, w, (x as f64, y)))
            })
            .collect();
        ts.is_some_and(|ts| ts[0] < 0.02 && ts[19] > 0.9 && ts.windows(2).all(|p| p[1] >= p[0]))
    });
    assert!(
        column.is_some(),
        "no colorbar right of the plot (x > {right})"
    );
    // Labels at levels of f between 0 and its maximum (16 at the corners, ½(4² + 4²) with the
    // view's y range; x is wider), each drawn in a colour that reads on the heatmap.
    let labels = renderer.contour_labels_at(0);
    assert!(labels.len() >= 3, "{labels:?}");
    let f_max = 0.5 * (v.x_max * v.x_max + v.y_max * v.y_max);
    for (text, at, rgb) in &labels {
        let level: f64 = text.parse().unwrap();
        assert!(level > 0.0 && level < f_max, "{text}");
        assert!(*rgb == [255, 255, 255] || *rgb == [0, 0, 0], "{rgb:?}");
        // The text is painted: pixels near its colour (anti-aliased at this size) in the box
        // it starts at, where the heatmap is far from it.
        let painted = (0..50)
            .flat_map(|dx| {
                (0..14).map(move |dy| (at[0] as f64 + dx as f64, at[1] as f64 + dy as f64))
            })
            .filter(|&p| {
                let c = pixel(&frame, w, p);
                (0..3).all(|k| c[k].abs_diff(rgb[k]) <= 60)
            })
            .count();
        assert!(
            painted >= 4,
            "{text} at {at:?}: {painted} pixels of {rgb:?}"
        );
    }
}

#[test]
fn render_png_writes_the_asked_size() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("frame.png");
    let o = optiscope(&[
        "render",
        "--preset",
        &preset_path("stability-limit"),
        "--out",
        out.to_str().unwrap(),
        "--size",
        "400x250",
        "--step",
        "20",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (w, h, rgb) = read_png(&out);
    assert_eq!((w, h), (400, 250));
    let distinct: std::collections::BTreeSet<[u8; 3]> =
        rgb.chunks_exact(3).map(|c| [c[0], c[1], c[2]]).collect();
    assert!(distinct.len() > 200, "only {} colors", distinct.len());
}

/// The GIF has the frames `animation_steps` asks for at the given rate (frames that change
/// nothing only lengthen the one before) and holds the last one for two seconds.
#[test]
fn render_gif_plays_the_scene_at_its_speed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("anim.gif");
    let path = preset_path("stability-limit");
    let o = optiscope(&[
        "render",
        "--preset",
        &path,
        "--out",
        out.to_str().unwrap(),
        "--size",
        "200x125",
        "--fps",
        "5",
        "--seconds",
        "3",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let preset = load_preset(Path::new(&path)).unwrap();
    let renderer = Renderer::new(&preset, 200, 125).unwrap();
    let steps = animation_steps(renderer.last_step(), preset.speed, 5, 3.0);
    // The scene takes longer than 3 s at its speed: 3 s at 5 fps is 15 intervals.
    assert_eq!(steps.len(), 16);

    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options
        .read_info(std::fs::File::open(&out).unwrap())
        .unwrap();
    assert_eq!((decoder.width(), decoder.height()), (200, 125));
    let (mut frames, mut centiseconds) = (0, 0u32);
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        frames += 1;
        centiseconds += frame.delay as u32;
    }
    assert!((2..=16).contains(&frames), "{frames} frames");
    // 16 frames of 20 cs each, plus the 2 s hold on the last.
    assert_eq!(centiseconds, 16 * 20 + 200);
}

#[test]
fn render_mistakes_exit_2_naming_what_is_wrong() {
    let path = preset_path("stability-limit");
    let o = optiscope(&["render", "--preset", &path, "--out", "anim.mp4"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("'anim.mp4'") && stderr(&o).contains(".gif"));

    let o = optiscope(&[
        "render", "--preset", &path, "--out", "a.png", "--size", "90000x10",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("'90000x10'") && stderr(&o).contains("64 to 4096"));

    let o = optiscope(&[
        "render", "--preset", &path, "--out", "a.png", "--size", "big",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("'big' is not WIDTHxHEIGHT"));

    let o = optiscope(&["render", "--preset", &path, "--out", "a.gif", "--fps", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--fps"));

    let o = optiscope(&["render", "--preset", "no/such/scene.ron", "--out", "a.png"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/scene.ron"), "{}", stderr(&o));

    // A directory where the picture should go: a clear error, exit 1, nothing panics.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("x.png");
    std::fs::create_dir(&target).unwrap();
    let o = optiscope(&[
        "render",
        "--preset",
        &path,
        "--out",
        target.to_str().unwrap(),
        "--size",
        "100x80",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cannot write") && stderr(&o).contains("x.png"));
}

/// The browser exports on one thread, a piece per frame; the desktop on several. Both must
/// give the same files, and the GIF must have the frames and size the window asks for.
#[test]
fn an_export_in_pieces_on_one_thread_equals_the_threaded_one() {
    use optiscope::picture::export::{ExportJob, ExportKind, GIF_SIZE};
    let mut preset = load_preset(Path::new(&preset_path("stability-limit"))).unwrap();
    // A short animation: 300 steps at 1,500 steps/s is 0.2 s, four frames at 20 fps.
    preset.speed = 1500.0;
    let run = |kind, threads| {
        let mut job = ExportJob::new(kind, preset.clone(), 120, "scene.out".into());
        let mut pieces = 0;
        loop {
            pieces += 1;
            if let Some(files) = job.advance(threads).unwrap() {
                return (files, pieces);
            }
        }
    };
    let (one, pieces_one) = run(ExportKind::Gif, 1);
    let (four, pieces_four) = run(ExportKind::Gif, 4);
    assert_eq!(one, four);
    // Set-up, then each of the 5 frames (steps 0, 75, 150, 225, 300) drawn and encoded
    // apart on one thread; in batches of four on four.
    assert_eq!(pieces_one, 1 + 2 * 5);
    assert_eq!(pieces_four, 1 + 2);
    let gif = &one[0].bytes;
    assert_eq!(&gif[..6], b"GIF89a");
    let (w, h) = (
        u16::from_le_bytes([gif[6], gif[7]]),
        u16::from_le_bytes([gif[8], gif[9]]),
    );
    assert_eq!((w as u32, h as u32), GIF_SIZE);
    let (png_one, _) = run(ExportKind::Png, 1);
    let (png_four, _) = run(ExportKind::Png, 4);
    assert_eq!(png_one, png_four);
    let (csv, pieces) = run(ExportKind::Csv, 1);
    assert_eq!(csv.len(), preset.runs.len());
    assert_eq!(pieces, 1 + preset.runs.len());
    assert!(csv[0].path.ends_with("scene-run1.csv"));
}

/// A noisy run zig-zags at every step; its path must stay inside the plot (thick polylines
/// joined with mitres at such turns used to shoot spikes across the title band).
#[test]
fn noisy_paths_stay_inside_the_plot() {
    let preset = load_preset(Path::new(&preset_path("linear-scaling-rule"))).unwrap();
    let renderer = Renderer::new(&preset, 960, 600).unwrap();
    let frame = renderer.frame(renderer.last_step()).unwrap();
    let colors = preset.run_colors();
    // The title band: the top 36 rows hold only the background and the title's text.
    for y in 0..36 {
        for x in 0..960 {
            let p = pixel(&frame, 960, (x as f64, y as f64));
            assert!(!colors.contains(&p), "run colour {p:?} at ({x}, {y})");
        }
    }
}

/// `render --view 3d`: every built-in scene draws in 3D; a converged run's ball sits where
/// the camera puts its last point on the surface, in the run's colour.
#[test]
fn the_3d_view_draws_every_scene_with_each_ball_on_the_surface() {
    use optiscope::picture::scene3d::Camera;
    use optiscope::scene::preset::BUILTIN_PRESETS;
    for b in BUILTIN_PRESETS {
        let preset = b.load().unwrap();
        if preset.network.is_some() {
            // Drawn by the window only: render says so instead of drawing a surface.
            let err = Renderer::new(&preset, 320, 200).err().expect("refused");
            assert!(
                err.to_string().contains("network scene"),
                "{}: {err}",
                b.file
            );
            continue;
        }
        let bytes = optiscope::picture::export::picture(
            &preset,
            false,
            (320, 200),
            10,
            1.0,
            u64::MAX,
            Some(Camera::default()),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", b.file));
        assert!(bytes.starts_with(b"\x89PNG"), "{}", b.file);
    }
    let preset = load_preset(Path::new(&preset_path("himmelblau-four-minima"))).unwrap();
    let renderer = Renderer::new(&preset, 640, 400)
        .unwrap()
        .in_3d(&preset, Camera::default())
        .unwrap();
    let frame = renderer.frame(renderer.last_step()).unwrap();
    let distinct: std::collections::HashSet<[u8; 3]> =
        frame.chunks_exact(3).map(|c| [c[0], c[1], c[2]]).collect();
    assert!(
        distinct.len() > 500,
        "a shaded mesh: {} colours",
        distinct.len()
    );
    for (i, color) in preset.run_colors().iter().enumerate() {
        let spec = preset.run_settings(i).unwrap();
        let surface = AnySurface::from_spec(&preset.run_surface(i).unwrap()).unwrap();
        let (last, _) = Run::new(&spec).unwrap().simulate_last(&surface);
        let last = last.unwrap();
        let at = renderer.pixel_of_3d(last.point).unwrap();
        assert_eq!(pixel(&frame, 640, at), *color, "run {i} at {at:?}");
    }
}

#[test]
fn render_3d_options_are_checked() {
    let out = std::env::temp_dir().join("optiscope-render-3d.png");
    let out = out.to_str().unwrap();
    let ok = optiscope(&[
        "render",
        "--preset",
        &preset_path("stability-limit"),
        "--out",
        out,
        "--size",
        "320x200",
        "--view",
        "3d",
        "--camera",
        "120,60",
    ]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let (w, h, _) = read_png(Path::new(out));
    assert_eq!((w, h), (320, 200));
    for (args, says) in [
        (vec!["--view", "4d"], "4d"),
        (vec!["--view", "3d", "--camera", "up"], "YAW,PITCH"),
        (vec!["--camera", "10,20"], "--view 3d"),
    ] {
        let mut full = vec![
            "render".to_owned(),
            "--preset".to_owned(),
            preset_path("stability-limit"),
            "--out".to_owned(),
            out.to_owned(),
        ];
        full.extend(args.iter().map(|a| a.to_string()));
        let refs: Vec<&str> = full.iter().map(String::as_str).collect();
        let o = optiscope(&refs);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
}

/// A scene that shows the update draws it in pictures as in the window: the step's arrow ends
/// at θ_{k+1} with its head in the step's colour, the scaling box around θ_k, in 2D and 3D.
#[test]
fn pictures_draw_the_update_of_scenes_that_show_it() {
    use optiscope::core::optimizer::geometry::GlyphKind;
    use optiscope::picture::scene3d::Camera;
    let preset = load_preset(Path::new(&preset_path("adam-axis-aligned-ravine"))).unwrap();
    let renderer = Renderer::new(&preset, 1200, 900).unwrap();
    let k = 2;
    let frame = renderer.frame(k).unwrap();
    let surface = AnySurface::from_spec(&preset.run_surface(0).unwrap()).unwrap();
    let d = Run::new(&preset.run_settings(0).unwrap())
        .unwrap()
        .step_detail(&surface, k)
        .unwrap();
    let (from, to) = (
        renderer.pixel_of(d.theta),
        renderer.pixel_of([d.theta[0] + d.delta[0], d.theta[1] + d.delta[1]]),
    );
    let len = (to.0 - from.0).hypot(to.1 - from.1);
    assert!(len > 20.0, "the step is {len} px long");
    let (ux, uy) = ((to.0 - from.0) / len, (to.1 - from.1) / len);
    // Inside the head, a few pixels back from the tip.
    let inside = (to.0 - 4.0 * ux, to.1 - 4.0 * uy);
    assert_eq!(pixel(&frame, 1200, inside), GlyphKind::Step.rgb());
    // Halfway along the shaft.
    let mid = (0.5 * (from.0 + to.0), 0.5 * (from.1 + to.1));
    assert_eq!(pixel(&frame, 1200, mid), GlyphKind::Step.rgb());
    // Without the update in the scene, none of it.
    let mut plain = preset.clone();
    plain.update = optiscope::scene::preset::UpdateView::Hidden;
    let bare = Renderer::new(&plain, 1200, 900).unwrap().frame(k).unwrap();
    assert_ne!(pixel(&bare, 1200, mid), GlyphKind::Step.rgb());
    // In 3D the box and the step are there too.
    let r3 = Renderer::new(&preset, 800, 600)
        .unwrap()
        .in_3d(&preset, Camera::default())
        .unwrap();
    let frame = r3.frame(k).unwrap();
    let count = |rgb: [u8; 3]| frame.chunks_exact(3).filter(|c| *c == rgb).count();
    assert!(
        count(GlyphKind::Scaling.rgb()) > 30,
        "{}",
        count(GlyphKind::Scaling.rgb())
    );
    assert!(
        count(GlyphKind::Step.rgb()) > 30,
        "{}",
        count(GlyphKind::Step.rgb())
    );
}

/// `--lang zh-CN` draws the scene's Chinese title and statuses; `--lang en` is the picture
/// without the flag, byte for byte; an unknown language exits 2 naming it.
#[test]
fn render_speaks_the_language_it_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let path = preset_path("stability-limit");
    let draw = |name: &str, lang: Option<&str>| {
        let out = dir.path().join(name);
        let mut args = vec!["render", "--preset", &path, "--out", out.to_str().unwrap()];
        if let Some(l) = lang {
            args.extend(["--lang", l]);
        }
        let o = optiscope(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::read(&out).unwrap()
    };
    let plain = draw("plain.png", None);
    let en = draw("en.png", Some("en"));
    let zh = draw("zh.png", Some("zh-CN"));
    assert_eq!(plain, en, "--lang en changes nothing");
    // The same picture but for its texts: the rows of the title band differ, the middle of
    // the surface (no text there at the last step) does not.
    let (w, h, en_rgb) = read_png(&dir.path().join("en.png"));
    let (_, _, zh_rgb) = read_png(&dir.path().join("zh.png"));
    assert_ne!(zh, en);
    let row = |rgb: &[u8], y: u32| rgb[(y * w * 3) as usize..((y + 1) * w * 3) as usize].to_vec();
    let title_rows = (0..h / 20)
        .filter(|&y| row(&en_rgb, y) != row(&zh_rgb, y))
        .count();
    assert!(
        title_rows > 5,
        "only {title_rows} rows of the title band differ"
    );
    let o = optiscope(&[
        "render", "--preset", &path, "--out", "a.png", "--lang", "fr",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("'fr'") && stderr(&o).contains("zh-CN"),
        "{}",
        stderr(&o)
    );
}
