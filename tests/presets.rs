//! Presets: every built-in scene loads, round-trips and runs, and what its teaching text says
//! happens really happens; bad files give errors with file, line and column; no text panics
//! the loader; saving is atomic.

use std::collections::BTreeMap;

use optiscope::core::network::train::{TrainRow, Training};
use optiscope::core::surface::AnySurface;
use optiscope::scene::notes::COLOUR_NAMES;
use optiscope::scene::preset::{
    BUILTIN_PRESETS, Preset, PresetError, TOPICS, load_preset, parse_preset, save_preset, to_ron,
};
use optiscope::{Run, Status, Surface, Trajectory};
use proptest::prelude::*;

/// Every run of a scene: (trajectory, status).
fn simulate(preset: &Preset) -> Vec<(Trajectory, Status)> {
    (0..preset.runs.len())
        .map(|i| {
            let surface = AnySurface::from_spec(&preset.run_surface(i).unwrap()).unwrap();
            let run = Run::new(&preset.run_settings(i).unwrap()).unwrap();
            run.simulate(&surface)
        })
        .collect()
}

/// The built-in scenes on a surface (network scenes train instead, see below).
fn surface_builtins() -> BTreeMap<&'static str, Preset> {
    let mut all = builtins();
    all.retain(|_, p| p.network.is_none());
    all
}

fn builtins() -> BTreeMap<&'static str, Preset> {
    BUILTIN_PRESETS
        .iter()
        .map(|b| {
            let p = b.load().unwrap_or_else(|e| panic!("{}: {e}", b.file));
            (b.file, p)
        })
        .collect()
}

fn final_loss(run: &(Trajectory, Status)) -> f64 {
    *run.0.losses.last().unwrap()
}

/// First step at which the loss falls below `threshold`.
fn steps_to(run: &(Trajectory, Status), threshold: f64) -> usize {
    run.0
        .losses
        .iter()
        .position(|&l| l < threshold)
        .unwrap_or(usize::MAX)
}

fn diverged(run: &(Trajectory, Status)) -> bool {
    matches!(run.1, Status::Diverged { .. })
}

#[test]
fn there_are_at_least_twelve_built_ins_each_with_a_title_and_teaching_text() {
    let all = builtins();
    assert!(all.len() >= 12, "{} built-in presets", all.len());
    for (file, p) in &all {
        assert!(!p.title.trim().is_empty(), "{file} has no title");
        assert!(
            p.description.split(". ").count() >= 3,
            "{file}: the description should be a few sentences"
        );
    }
    // The files under presets/ are the embedded ones, byte for byte.
    for b in BUILTIN_PRESETS {
        let on_disk = std::fs::read_to_string(format!("presets/{}", b.file)).unwrap();
        assert_eq!(on_disk, b.text, "{}", b.file);
    }
}

#[test]
fn every_topic_of_the_presets_menu_fits_a_projector_and_the_readme_counts_them_all() {
    // A 1080-pixel screen in presentation mode shows about 29 menu rows (issue 27): each
    // submenu stays well under that, and none is empty.
    for topic in TOPICS {
        let n = BUILTIN_PRESETS.iter().filter(|b| b.topic == topic).count();
        assert!((1..=12).contains(&n), "{topic}: {n} scenes");
    }
    assert!(BUILTIN_PRESETS.iter().all(|b| TOPICS.contains(&b.topic)));
    let readme = std::fs::read_to_string("README.md").unwrap();
    let count = format!("holds {} built-in lecture scenes", BUILTIN_PRESETS.len());
    assert!(readme.contains(&count), "README should say it {count}");
    let slides = format!("the {} built-in scenes in order", BUILTIN_PRESETS.len());
    assert!(readme.contains(&slides), "README should say {slides}");
}

/// Where `word` occurs in `text` as a whole word (not inside `{word}` or another word).
fn bare_word_at(text: &str, word: &str) -> Vec<usize> {
    let letter = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '{' || c == '}');
    text.match_indices(word)
        .map(|(i, _)| i)
        .filter(|&i| {
            !letter(text[..i].chars().next_back()) && !letter(text[i + word.len()..].chars().next())
        })
        .collect()
}

#[test]
fn notes_name_run_colours_that_both_themes_draw() {
    // The light theme draws a white run black and yellow olive on its plots: notes that name
    // such a run write the token, which each theme resolves. The heatmap keeps its colours in
    // both themes, so what is drawn only there may be named plainly.
    let on_the_heatmap = ["white start handle", "dashed white", "white diamond"];
    for (file, p) in builtins() {
        for (dark, light) in COLOUR_NAMES.iter().filter(|(d, l)| d != l) {
            for i in bare_word_at(&p.description, dark) {
                assert!(
                    on_the_heatmap.iter().any(|phrase| {
                        p.description
                            .match_indices(phrase)
                            .any(|(j, _)| j <= i && i + dark.len() <= j + phrase.len())
                    }),
                    "{file}: \"{dark}\" at byte {i} names a colour the light theme draws {light}; \
                     write {{{dark}}}"
                );
            }
        }
    }
}

/// Each colour token of a scene's English notes, counted.
fn colour_tokens(text: &str) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for (dark, _) in COLOUR_NAMES {
        let n = text.matches(&format!("{{{dark}}}")).count();
        if n > 0 {
            counts.insert(dark, n);
        }
    }
    counts
}

#[test]
fn every_built_in_speaks_chinese_with_the_same_colour_tokens() {
    use optiscope::text::{Lang, font::needs_cjk};
    // What only the heatmap draws white may be named plainly, as in English.
    let on_the_heatmap = ["白色的起点手柄", "白色虚线", "白色菱形"];
    for (file, p) in builtins() {
        let zh = p
            .text
            .get("zh-CN")
            .unwrap_or_else(|| panic!("{file} has no Chinese"));
        assert!(needs_cjk(&zh.title) && needs_cjk(&zh.description), "{file}");
        assert!(
            zh.title.chars().count() <= 24,
            "{file}: the title {} is long",
            zh.title
        );
        assert_eq!(p.title_in(Lang::ZhCn), zh.title);
        assert_eq!(p.title_in(Lang::En), p.title);
        assert_eq!(
            colour_tokens(&zh.description),
            colour_tokens(&p.description),
            "{file}: the Chinese names other run colours"
        );
        for bare in ["白色", "黄色"] {
            for (i, _) in zh.description.match_indices(bare) {
                assert!(
                    on_the_heatmap
                        .iter()
                        .any(|phrase| zh.description[i..].starts_with(phrase)),
                    "{file}: \"{bare}\" at byte {i}: write the colour's token"
                );
            }
        }
    }
}

#[test]
fn a_scene_keeps_every_language_it_carries_when_saved() {
    use optiscope::text::Lang;
    let text = r#"(
        version: 1,
        title: "Too large a rate diverges",
        description: "Drag the rate above 2/λ.",
        text: {
            "zh-CN": (title: "学习率过大会发散", description: "把学习率拖到 2/λ 以上，观察振荡和发散。"),
            "fr": (title: "Trop grand, il diverge", description: "Au-delà de 2/λ."),
        },
        surface: "quadratic",
        start: (1.0, 1.0),
        runs: [(optimizer: "sgd", lr: 0.1)],
    )"#;
    let p = parse_preset(text, "three.ron").expect("loads");
    assert_eq!(p.title_in(Lang::ZhCn), "学习率过大会发散");
    assert_eq!(p.description_in(Lang::En), "Drag the rate above 2/λ.");
    let saved = to_ron(&p).expect("writes");
    assert!(
        saved.contains("\"fr\"") && saved.contains("学习率过大会发散"),
        "{saved}"
    );
    assert_eq!(parse_preset(&saved, "again.ron").expect("reloads"), p);
    // A scene written in Chinese only shows its Chinese in both languages; editing in
    // either edits it.
    let mut own = parse_preset(
        r#"(version: 1, title: "学习率过大会发散", surface: "quadratic", start: (1.0, 1.0), runs: [(optimizer: "sgd", lr: 0.1)])"#,
        "zh.ron",
    )
    .expect("loads");
    assert!(own.text.is_empty());
    assert_eq!(own.title_in(Lang::En), "学习率过大会发散");
    own.text_mut(Lang::En).0.push('！');
    assert_eq!(own.title, "学习率过大会发散！");
    // Editing in Chinese a scene that has Chinese edits the Chinese.
    let mut both = p.clone();
    both.text_mut(Lang::ZhCn).1.push_str("再试试 momentum。");
    assert_eq!(both.description, p.description);
    assert!(
        both.description_in(Lang::ZhCn)
            .ends_with("再试试 momentum。")
    );
    // A language entry that is not a title and a description is an error naming the field.
    let bad = text.replace("(title: \"Trop", "(titre: \"Trop");
    let e = parse_preset(&bad, "bad.ron")
        .expect_err("unknown field")
        .to_string();
    assert!(e.contains("titre") && e.contains("bad.ron"), "{e}");
}

#[test]
fn every_built_in_round_trips_through_its_saved_text() {
    for (file, p) in builtins() {
        let text = to_ron(&p).unwrap();
        let again = parse_preset(&text, file).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(again, p, "{file}");
    }
}

#[test]
fn every_built_in_runs_and_only_the_intended_runs_diverge() {
    // Which runs of each scene are meant to diverge; everything else must stay finite.
    let diverging: BTreeMap<&str, Vec<usize>> = [
        ("stability-limit.ron", vec![2]),
        ("warmup-rescue.ron", vec![0]),
        ("catapult.ron", vec![2]),
        ("notes-rules.ron", vec![0, 2]),
    ]
    .into_iter()
    .collect();
    for (file, p) in surface_builtins() {
        let runs = simulate(&p);
        let expected = diverging.get(file).cloned().unwrap_or_default();
        let actual: Vec<usize> = (0..runs.len()).filter(|&i| diverged(&runs[i])).collect();
        assert_eq!(actual, expected, "{file}: runs that diverge");
    }
}

#[test]
fn stability_limit_converges_oscillates_and_diverges() {
    // f = ½(x² + 10y²): y_{k+1} = (1 − 10·lr)·y_k, so at lr 0.2 |y| stays 1.5 exactly.
    let runs = simulate(&builtins()["stability-limit.ron"]);
    assert!(
        matches!(runs[0].1, Status::Converged { .. }),
        "{}",
        runs[0].1
    );
    assert!(runs[1].0.points.iter().all(|p| p[1].abs() == 1.5));
    assert_eq!(runs[1].0.points.len(), 301);
    assert!(diverged(&runs[2]));
}

#[test]
fn gd_follows_its_modified_flow_until_it_oscillates() {
    // f = ½(x² + 10y²) from (−3, 1.5). Per step (lr = η): GD multiplies y by 1 − 10η, the
    // flow by e^(−10η), the modified flow by e^(−10η(1 + 5η)); x likewise with λ = 1.
    let runs = simulate(&builtins()["gd-and-its-flow.ron"]);
    let (gd, flow, modified) = (&runs[0].0.points, &runs[1].0.points, &runs[2].0.points);
    let eta: f64 = 0.05;
    for k in [1usize, 5, 10] {
        let kf = k as i32;
        let closed_gd = [
            -3.0 * (1.0 - eta).powi(kf),
            1.5 * (1.0 - 10.0 * eta).powi(kf),
        ];
        let closed_flow = [
            -3.0 * (-eta * k as f64).exp(),
            1.5 * (-10.0 * eta * k as f64).exp(),
        ];
        let closed_mod = [
            -3.0 * (-eta * (1.0 + eta / 2.0) * k as f64).exp(),
            1.5 * (-10.0 * eta * (1.0 + 5.0 * eta) * k as f64).exp(),
        ];
        for i in 0..2 {
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs();
            assert!(close(gd[k][i], closed_gd[i]), "GD step {k}");
            assert!(close(flow[k][i], closed_flow[i]), "flow step {k}");
            assert!(
                close(modified[k][i], closed_mod[i]),
                "modified flow step {k}"
            );
        }
        // What the note says: the modified flow stays on GD's path, the flow falls behind.
        let dist = |a: [f64; 2], b: [f64; 2]| (a[0] - b[0]).hypot(a[1] - b[1]);
        assert!(
            dist(modified[k], gd[k]) < 0.4 * dist(flow[k], gd[k]),
            "step {k}"
        );
    }
    // At 0.17 GD's y changes sign every step; the modified flow's never does.
    let (gd_fast, mod_fast) = (&runs[3].0.points, &runs[4].0.points);
    assert!((0..20).all(|k| gd_fast[k][1] * gd_fast[k + 1][1] < 0.0));
    assert!((0..20).all(|k| mod_fast[k + 1][1] > 0.0));
}

#[test]
fn the_catapult_lands_sharp_flat_or_nowhere_as_2_and_4_over_lambda0_say() {
    // f = ½(xy − 1)²: ∇f = (xy − 1)(y, x), H = [[y², 2xy − 1], [2xy − 1, x²]]; on the valley
    // xy = 1 the Hessian is [[y², 1], [1, x²]] with eigenvalues 0 and x² + y².
    let sharpness = |[x, y]: [f64; 2]| {
        let (a, b, d) = (y * y, 2.0 * x * y - 1.0, x * x);
        (a + d) / 2.0 + (((a - d) / 2.0).powi(2) + b * b).sqrt()
    };
    let preset = &builtins()["catapult.ron"];
    let lambda0 = sharpness(preset.start);
    assert!((lambda0 - 16.07).abs() < 0.01, "{lambda0}");
    let lrs: Vec<f64> = preset.runs.iter().map(|r| r.settings.lr).collect();
    assert!(lrs[0] < 2.0 / lambda0);
    assert!(2.0 / lambda0 < lrs[1] && lrs[1] < 4.0 / lambda0);
    assert!(lrs[2] > 4.0 / lambda0);
    let runs = simulate(preset);
    // Below 2/λ0: the nearby sharp minimum, the loss never rising.
    let sharp = *runs[0].0.points.last().unwrap();
    assert!((sharp[0] * sharp[1] - 1.0).abs() < 1e-9);
    assert!(sharpness(sharp) > 0.95 * lambda0, "{sharp:?}");
    assert!(runs[0].0.losses.windows(2).all(|w| w[1] <= w[0]));
    // Between: the loss spikes by four orders of magnitude, then a flat minimum, stable
    // at this lr (sharpness below 2/lr), near (0.7, 1.4) as the note says.
    let (losses, flat) = (&runs[1].0.losses, *runs[1].0.points.last().unwrap());
    let (peak_step, peak) = losses
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .unwrap();
    assert!(*peak > 1e4 * losses[0] && *peak > 10.0, "{peak}");
    assert_eq!(peak_step, 7);
    assert!((flat[0] * flat[1] - 1.0).abs() < 1e-9);
    let s = sharpness(flat);
    assert!(s < 2.0 / lrs[1] && s < lambda0 / 4.0, "{s}");
    assert!(
        (flat[0] - 0.73).abs() < 0.01 && (flat[1] - 1.38).abs() < 0.01,
        "{flat:?}"
    );
    // Above 4/λ0: divergence.
    assert!(diverged(&runs[2]));
}

#[test]
fn gd_sharpens_to_two_over_lr_and_hovers_there_while_the_flow_sharpens_on() {
    // f = ½(1 + x²)y² + 0.005(x − 3)²: H = [[y² + 0.01, 2xy], [2xy, 1 + x²]].
    let sharpness = |[x, y]: [f64; 2]| {
        let (a, b, d) = (y * y + 0.01, 2.0 * x * y, 1.0 + x * x);
        (a + d) / 2.0 + (((a - d) / 2.0).powi(2) + b * b).sqrt()
    };
    let preset = &builtins()["edge-of-stability.ron"];
    let runs = simulate(preset);
    let limit = 2.0 / preset.runs[0].settings.lr;
    let gd: Vec<f64> = runs[0].0.points.iter().map(|&p| sharpness(p)).collect();
    assert_eq!(gd.len(), 1501, "GD runs all its steps");
    assert!(gd[0] < 0.3 * limit);
    // Progressive sharpening up to the edge...
    let reached = gd.iter().position(|&s| s >= limit).expect("reaches 2/lr");
    assert!(reached < 400, "{reached}");
    // ...then it hovers: on average within 10 % of 2/lr, never far above it, for over a
    // thousand steps, while the loss stays small.
    let after = &gd[reached..];
    let mean = after.iter().sum::<f64>() / after.len() as f64;
    assert!((mean - limit).abs() < 0.1 * limit, "mean sharpness {mean}");
    assert!(after.iter().all(|&s| s < 1.5 * limit));
    // The loss spikes at the bounces but neither diverges nor trends: the mean of the last
    // 500 steps is within a factor of two of the 500 after the edge was reached.
    let losses = &runs[0].0.losses;
    assert!(losses[reached..].iter().all(|&l| l < 1.0));
    let mean_of = |w: &[f64]| w.iter().sum::<f64>() / w.len() as f64;
    let (early, late) = (
        mean_of(&losses[reached..reached + 500]),
        mean_of(&losses[losses.len() - 500..]),
    );
    assert!(late < 2.0 * early && early < 2.0 * late, "{early} {late}");
    assert!(*runs[1].0.losses.last().unwrap() < 1e-6);
    // The flow has no edge: it sharpens to the minimum's 1 + 3² = 10.
    let flow_end = sharpness(*runs[1].0.points.last().unwrap());
    assert!((flow_end - 10.0).abs() < 0.05, "{flow_end}");
}

#[test]
fn on_the_kappa_100_bowl_gd_and_heavy_ball_converge_at_their_closed_form_rates() {
    // ½(x² + 100y²): eigenvalues 1 and 100, κ = 100, minimum at 0, eigenvectors the axes.
    let preset = &builtins()["why-momentum-works.ron"];
    let (kappa, root): (f64, f64) = (100.0, 10.0);
    let (gd_lr, hb_lr) = (preset.runs[0].settings.lr, preset.runs[1].settings.lr);
    let beta = 0.67;
    assert!(
        preset.runs[1]
            .settings
            .optimizer
            .to_string()
            .contains("momentum=0.67")
    );
    // The scene's settings are the closed-form optima, rounded to three digits.
    let near = |a: f64, b: f64| (a - b).abs() < 2e-3 * b;
    assert!(near(gd_lr, 2.0 / 101.0), "{gd_lr}");
    assert!(near(hb_lr, (2.0_f64 / 11.0).powi(2)), "{hb_lr}");
    assert!(near(beta, (9.0_f64 / 11.0).powi(2)));
    let runs = simulate(preset);
    // Gradient descent: each component is multiplied by 1 − lr·λ per step, exactly; the
    // fast one flips sign. At the optimum both factors are (κ − 1)/(κ + 1) in size.
    let [x0, y0] = runs[0].0.points[0];
    for (k, p) in runs[0].0.points.iter().enumerate() {
        let (fx, fy) = (
            (1.0 - gd_lr).powi(k as i32),
            (1.0 - 100.0 * gd_lr).powi(k as i32),
        );
        assert!(
            (p[0] / x0 - fx).abs() < 1e-9 * fx.abs() + 1e-300,
            "x at {k}"
        );
        assert!(
            (p[1] / y0 - fy).abs() < 1e-9 * fy.abs() + 1e-300,
            "y at {k}"
        );
    }
    assert!(near(1.0 - gd_lr, (kappa - 1.0) / (kappa + 1.0)));
    // Heavy ball: the long-run factor is the largest root of z² − (1 + β − lr·λ)z + β over
    // both directions; at Polyak's pair it is (√κ − 1)/(√κ + 1).
    let radius = |lambda: f64| {
        let p = 1.0 + beta - hb_lr * lambda;
        let disc = p * p - 4.0 * beta;
        if disc < 0.0 {
            beta.sqrt()
        } else {
            ((p.abs() + disc.sqrt()) / 2.0).max(((p - disc.sqrt()) / 2.0).abs())
        }
    };
    let closed = radius(1.0).max(radius(100.0));
    assert!(near(closed, (root - 1.0) / (root + 1.0)), "{closed}");
    let norm = |p: [f64; 2]| p[0].hypot(p[1]);
    let hb = &runs[1].0.points;
    // Complex roots: the error spirals, so compare its envelope (largest size over a window).
    let peak = |k: usize| hb[k..k + 20].iter().fold(0.0_f64, |m, &p| m.max(norm(p)));
    let measured = (peak(280) / peak(80)).powf(1.0 / 200.0);
    assert!(
        (measured - closed).abs() < 0.005 * closed,
        "heavy ball: measured {measured}, closed form {closed}"
    );
    // √κ against κ: heavy ball is far below 1e-20 of its start where GD is at ~0.2 %.
    assert!(norm(hb[300]) / norm(hb[0]) < 1e-20);
    let gd_left = norm(runs[0].0.points[300]) / norm(runs[0].0.points[0]);
    assert!((1e-3..3e-3).contains(&gd_left), "{gd_left}");
}

#[test]
fn momentum_is_under_critically_or_over_damped_as_the_closed_forms_say() {
    // Along x (λ = 1) with lr 0.04 heavy ball's error follows z² − (1 + β − 0.04)z + β.
    let preset = &builtins()["momentum-phase-portrait.ron"];
    let runs = simulate(preset);
    let spectral = |beta: f64| {
        let p = 1.0 + beta - 0.04;
        let disc = p * p - 4.0 * beta;
        if disc < 0.0 {
            beta.sqrt()
        } else {
            (p + disc.sqrt()) / 2.0
        }
    };
    let mut rates = Vec::new();
    for (i, beta) in [(0, 0.9), (1, 0.64), (2, 0.3)] {
        let x: Vec<f64> = runs[i].0.points.iter().map(|p| p[0]).collect();
        let crossings = x
            .windows(2)
            .filter(|w| w[0].signum() != w[1].signum())
            .count();
        // The envelope of the slow component: the largest |x| over a window of steps.
        let peak = |k: usize| x[k..k + 20].iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        let measured = (peak(120) / peak(40)).powf(1.0 / 80.0);
        let closed = spectral(beta);
        assert!(
            (measured - closed).abs() < 0.02 * closed,
            "β = {beta}: measured {measured}, closed form {closed}"
        );
        rates.push(measured);
        if beta == 0.9 {
            assert!(crossings >= 4, "underdamped overshoots: {crossings}");
        } else {
            assert_eq!(crossings, 0, "β = {beta} does not overshoot");
        }
    }
    // Critical damping 0.64 = (1 − √0.04)² is the fastest, at 1 − √0.04 = 0.8.
    assert!((spectral(0.64) - 0.8).abs() < 1e-6);
    assert!(rates[1] < rates[0] && rates[1] < rates[2], "{rates:?}");
}

#[test]
fn adam_steps_lr_per_coordinate_first_and_radam_rectifies_from_step_six() {
    let preset = &builtins()["adam-warmup-and-radam.ron"];
    let runs = simulate(preset);
    let lr = 0.3;
    let eps = 1e-8;
    // Adam's first update: m̂/(√v̂ + ε) = g/(|g| + ε) per coordinate.
    let (p, g) = (&runs[0].0.points, runs[0].0.grads[0]);
    for i in 0..2 {
        let want = lr * g[i].abs() / (g[i].abs() + eps);
        assert!(
            ((p[1][i] - p[0][i]).abs() - want).abs() < 1e-12,
            "coordinate {i}"
        );
    }
    // RAdam's length of the approximated moving average (Liu et al. 2020, eq. 6) with
    // β2 = 0.99: ρ∞ = 2/(1 − β2) − 1, ρ_t = ρ∞ − 2tβ2^t/(1 − β2^t). PyTorch rectifies once
    // ρ_t > 5, which happens first at t = 6.
    let b2: f64 = 0.99;
    let rho_inf = 2.0 / (1.0 - b2) - 1.0;
    let rho = |t: f64| rho_inf - 2.0 * t * b2.powf(t) / (1.0 - b2.powf(t));
    assert!(rho(5.0) <= 5.0 && rho(6.0) > 5.0);
    let r6 = ((rho(6.0) - 4.0) * (rho(6.0) - 2.0) * rho_inf
        / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho(6.0)))
    .sqrt();
    assert!((r6 - 0.0816791957820045).abs() < 1e-12, "{r6}");
    assert_eq!(optiscope::core::optimizer::rectification(5, b2), None);
    let ours = optiscope::core::optimizer::rectification(6, b2).expect("rectified at 6");
    assert!((ours - r6).abs() < 1e-15);
    // Before it, RAdam's steps are plain momentum: the first one is lr·g.
    let (p, g) = (&runs[2].0.points, runs[2].0.grads[0]);
    for i in 0..2 {
        assert!(((p[1][i] - p[0][i]) + lr * g[i]).abs() < 1e-12);
    }
    // The rule of thumb is the scene's warmup, and every run arrives.
    assert!((optiscope::core::analysis::theory::warmup_rule_of_thumb(b2) - 200.0).abs() < 1e-9);
    for run in &runs {
        assert!(final_loss(run) < 1e-6, "{}", final_loss(run));
    }
}

#[test]
fn sgd_noise_spreads_as_lr_sigma_squared_over_b_lambda_two_minus_lr_lambda() {
    // ½(x² + 4y²) with gradient noise σ per coordinate: along an axis of curvature λ the
    // iterate is the AR(1) process e ← (1 − lr·λ)e − lr·σ·ξ, whose stationary variance is
    // lr·σ²/(λ(2 − lr·λ)) (B = 1: the scene's σ already stands for σ₁/√B).
    let preset = &builtins()["linear-scaling-rule.ron"];
    let mut temperatures = Vec::new();
    let mut widths = Vec::new();
    for i in 0..3 {
        let mut settings = preset.run_settings(i).unwrap();
        settings.steps = 200_000;
        let surface = AnySurface::from_spec(&preset.run_surface(i).unwrap()).unwrap();
        let (traj, status) = Run::new(&settings).unwrap().simulate(&surface);
        assert!(!matches!(status, Status::Diverged { .. }));
        let (lr, sigma) = (settings.lr, settings.noise);
        temperatures.push(lr * sigma * sigma);
        let late = &traj.points[5_000..];
        for (axis, lambda) in [(0, 1.0), (1, 4.0)] {
            let var = late.iter().map(|p| p[axis] * p[axis]).sum::<f64>() / late.len() as f64;
            let closed = lr * sigma * sigma / (lambda * (2.0 - lr * lambda));
            assert!(
                (var / closed - 1.0).abs() < 0.06,
                "run {i}, axis {axis}: measured {var}, closed form {closed}"
            );
            if axis == 1 {
                widths.push(var.sqrt());
            }
        }
    }
    // One temperature; the same cloud for the first two, twice as wide along y near lr·λ = 2.
    assert!(temperatures.iter().all(|t| (t - 0.025).abs() < 1e-15));
    assert!((widths[1] / widths[0] - 1.0).abs() < 0.15, "{widths:?}");
    assert!(widths[2] / widths[1] > 1.8, "{widths:?}");
}

#[test]
fn lion_with_weight_decay_ends_on_its_box() {
    // min ½((x − 3)² + 4(y − 1)²) subject to |x|, |y| ≤ 1/wd = 2 is (2, 1); without the
    // constraint (3, 1).
    let preset = &builtins()["lion-box.ron"];
    let runs = simulate(preset);
    let end = |i: usize| *runs[i].0.points.last().unwrap();
    let [x, y] = end(0);
    assert!(
        (x - 2.0).abs() < 5e-3 && (y - 1.0).abs() < 1e-3,
        "({x}, {y})"
    );
    // It never leaves the box on the way.
    assert!(
        runs[0]
            .0
            .points
            .iter()
            .all(|p| p[0].abs() <= 2.0 + 1e-9 && p[1].abs() <= 2.0 + 1e-9)
    );
    let [x, y] = end(1);
    assert!(
        (x - 3.0).abs() < 1e-3 && (y - 1.0).abs() < 1e-3,
        "({x}, {y})"
    );
}

#[test]
fn a_bayesian_search_finds_the_edge_the_grid_finds_where_the_range_test_is_cautious() {
    use optiscope::core::tuning::sweep::{
        Progress, RangeTestSpec, SweepSpec, bayes_lr_search, divergence_bracket, log_space,
        lr_range_test,
    };
    let preset = &builtins()["three-ways-to-pick-an-lr.ron"];
    let (surface, run) = (
        preset.run_surface(0).unwrap(),
        preset.run_settings(0).unwrap(),
    );
    let grid = SweepSpec {
        surface: surface.clone(),
        run: run.clone(),
        lrs: log_space(1e-4, 10.0, 128),
        second: None,
    };
    let cells = grid.run(2, &Progress::default()).unwrap().unwrap();
    let (best_lr, best_loss) = cells
        .iter()
        .filter_map(|c| Some((c.lr, c.outcome.final_loss()?)))
        .fold((0.0, f64::INFINITY), |b, c| if c.1 < b.1 { c } else { b });
    // The grid's best is the last rate before divergence, near 0.002.
    let (before, first_diverged) = divergence_bracket(&cells).expect("some rates diverge");
    assert_eq!(before, Some(best_lr));
    assert!((0.0015..0.0025).contains(&best_lr), "{best_lr}");
    // Fourteen Bayesian runs reach that edge: within 5 % of the grid's best lr, below the
    // first diverging one, and a final loss within a factor 100 of the grid's best.
    let (search, trials) = bayes_lr_search(&surface, &run, 1e-4, 10.0, 14).unwrap();
    let found = search.best().unwrap().lr;
    assert!(
        (found / best_lr - 1.0).abs() < 0.05 && found < first_diverged,
        "{found}"
    );
    let found_loss = trials
        .iter()
        .find(|c| c.lr == found)
        .and_then(|c| c.outcome.final_loss())
        .unwrap();
    assert!(
        found_loss < 100.0 * best_loss,
        "{found_loss} vs {best_loss}"
    );
    // The range test's suggestion is three decades lower, and a 1000-step run at it has
    // hardly left the start (f = 12.5 there).
    let suggested = lr_range_test(&surface, &run, RangeTestSpec::default())
        .unwrap()
        .suggestion
        .unwrap();
    assert!(suggested < best_lr / 300.0, "{suggested}");
    let at_suggestion = SweepSpec {
        lrs: vec![suggested],
        ..grid
    }
    .run(1, &Progress::default())
    .unwrap()
    .unwrap()[0]
        .outcome
        .final_loss()
        .unwrap();
    assert!(at_suggestion > 1.0, "{at_suggestion}");
}

#[test]
fn momentum_scenes_rank_as_their_text_says() {
    let all = builtins();
    let ravine = simulate(&all["momentum-ravine.ron"]);
    let [gd, heavy, tuned] = [0, 1, 2].map(|i| steps_to(&ravine[i], 1e-8));
    assert!(tuned < heavy && heavy < gd, "{tuned} {heavy} {gd}");
    assert!(gd < 300, "GD converges within the scene");
    let nesterov = simulate(&all["nesterov-vs-heavy-ball.ron"]);
    let (heavy, nag) = (steps_to(&nesterov[0], 1e-8), steps_to(&nesterov[1], 1e-8));
    assert!(2 * nag < heavy + 10, "Nesterov {nag} vs heavy ball {heavy}");
}

#[test]
fn same_name_two_frameworks_adam_differs_by_its_epsilon() {
    let r = simulate(&builtins()["same-name-adam-epsilon.ron"]);
    let [torch, keras, keras_tiny_eps] = [0, 1, 2].map(|i| final_loss(&r[i]));
    assert!(keras > 10.0 * torch, "Keras {keras:e} vs PyTorch {torch:e}");
    // Early on Keras's ε weighs 1/√(1 − β2^t) more: after 20 steps it is clearly behind.
    let moved = |i: usize, k: usize| {
        let (p, q) = (r[i].0.points[0], r[i].0.points[k]);
        ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt()
    };
    assert!(
        moved(1, 20) < 0.8 * moved(0, 20),
        "{} {}",
        moved(1, 20),
        moved(0, 20)
    );
    // With a tiny epsilon Keras's rule follows PyTorch's: ε made the difference.
    assert!(
        (keras_tiny_eps / torch - 1.0).abs() < 0.2,
        "{keras_tiny_eps:e} vs {torch:e}"
    );
}

#[test]
fn same_name_two_frameworks_momentum_parts_at_the_rate_cut() {
    let r = simulate(&builtins()["same-name-momentum-step.ron"]);
    let (torch, keras) = (&r[0].0, &r[1].0);
    // One path while the rate is constant (the velocity is −lr times the buffer)...
    for k in 0..=100 {
        for c in 0..2 {
            let (a, b) = (torch.points[k][c], keras.points[k][c]);
            assert!(
                (a - b).abs() <= 1e-12 * a.abs().max(1.0),
                "step {k}: {a} vs {b}"
            );
        }
    }
    // ...and the same rates throughout.
    assert_eq!(torch.lrs, keras.lrs);
    // After the cut Keras's velocity still carries the old rate: it coasts further.
    let step = |t: &Trajectory, k: usize| {
        let (p, q) = (t.points[k], t.points[k + 1]);
        ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt()
    };
    assert!(step(keras, 101) > 5.0 * step(torch, 101));
    assert!(final_loss(&r[1]) < 0.9 * final_loss(&r[0]));
}

#[test]
fn the_notes_rules_halve_into_stability_and_decay_into_ascent() {
    let r = simulate(&builtins()["notes-rules.ron"]);
    assert!(diverged(&r[0]), "lr 0.6 is above the stability limit");
    // The gradient at w = b = 0 is steep: halved before the first update, again soon after,
    // and never raised.
    let halving = &r[1].0.lrs;
    assert_eq!(halving[0], 0.3);
    assert_eq!(*halving.last().unwrap(), 0.15);
    assert!(halving.windows(2).all(|w| w[1] <= w[0]));
    assert!(!diverged(&r[1]));
    let (halved, fixed) = (steps_to(&r[1], 0.2425), steps_to(&r[3], 0.2425));
    assert!(fixed < halved, "fixed 0.3 {fixed}, halved {halved}");
    // lr0 − k·t: zero at step lr0/k = 100 (short of the fit), negative after, and the run
    // climbs away. The rate reaches 0 before the steep direction has converged to rounding
    // noise, so where it climbs is decided by the dynamics, not by the last bit.
    let linear = &r[2];
    assert_eq!(
        optiscope::core::run::simulation::ascent_from(&linear.0.lrs).map(|(k, _)| k),
        Some(101)
    );
    assert!(linear.0.lrs[100].abs() < 1e-15);
    let g = linear.0.grads[100];
    assert!(g[0].hypot(g[1]) > 1e-2, "not yet at the fit: {g:?}");
    assert!(diverged(linear));
    assert!(final_loss(linear) > 100.0 * final_loss(&r[3]));
}

#[test]
fn adaptive_scenes_rank_as_their_text_says() {
    let all = builtins();
    let r = simulate(&all["adagrad-vs-rmsprop.ron"]);
    assert!(final_loss(&r[1]) < 0.2 * final_loss(&r[0]));
    // Rosenbrock's minimum is (1, 1).
    let r = simulate(&all["adam-vs-sgd-rosenbrock.ron"]);
    let dist = |run: &(Trajectory, Status)| {
        let p = run.0.points.last().unwrap();
        ((p[0] - 1.0).powi(2) + (p[1] - 1.0).powi(2)).sqrt()
    };
    assert!(dist(&r[1]) < 0.05, "Adam reaches the minimum");
    assert!(dist(&r[0]) > 1.0, "SGD is still far away");
    assert!(dist(&r[2]) < dist(&r[0]) && dist(&r[2]) > dist(&r[1]));
}

#[test]
fn escaping_a_saddle() {
    // f = ½(x² − y²) + y⁴/16: minima at (0, ±2) with f = −1, saddle at the origin.
    let r = simulate(&builtins()["escaping-a-saddle.ron"]);
    let escape = |run: &(Trajectory, Status)| {
        run.0
            .points
            .iter()
            .position(|p| p[1].abs() > 1.0)
            .unwrap_or(usize::MAX)
    };
    let (gd, noisy, adam) = (escape(&r[0]), escape(&r[1]), escape(&r[2]));
    // GD grows y by (1 + lr) per step from 1e-8: ln(1e8)/ln(1.1) ≈ 193 steps to reach 1.
    assert!((180..=200).contains(&gd), "GD escapes at {gd}");
    assert!(noisy < gd / 2 && adam < gd / 2, "{noisy} {adam} {gd}");
    for run in &r[..3] {
        assert!((final_loss(run) + 1.0).abs() < 1e-3, "ends in a minimum");
    }
    let newton = r[3].0.points.last().unwrap();
    assert!(
        newton[0].abs() < 1e-12 && newton[1].abs() < 1e-12,
        "{newton:?}"
    );
}

#[test]
fn schedule_scenes_end_closer_to_the_fit_than_the_constant_rate() {
    let all = builtins();
    for file in [
        "decay-schedules.ron",
        "cyclic-and-one-cycle.ron",
        "reduce-on-plateau.ron",
    ] {
        let r = simulate(&all[file]);
        for (i, run) in r.iter().enumerate().skip(1) {
            assert!(
                final_loss(run) < final_loss(&r[0]),
                "{file}: run {i} {} vs constant {}",
                final_loss(run),
                final_loss(&r[0])
            );
        }
    }
    // The plateau schedule actually reduces, more than once, and stops at min_lr.
    let r = simulate(&all["reduce-on-plateau.ron"]);
    let lrs = &r[1].0.lrs;
    let reductions = lrs.windows(2).filter(|w| w[1] < w[0]).count();
    assert!(reductions >= 2, "{reductions} reductions");
    assert_eq!(*lrs.last().unwrap(), 0.001);
}

#[test]
fn batch_gd_minibatch_and_sgd() {
    let p = &builtins()["batch-vs-minibatch-vs-sgd.ron"];
    let r = simulate(p);
    // The full-batch minimum is the least-squares fit: the surface's marked minimum.
    let surface = AnySurface::from_spec(&p.surface).unwrap();
    let fit = surface.critical_points()[0].point;
    let end = r[0].0.points.last().unwrap();
    assert!((end[0] - fit[0]).abs() < 0.01 && (end[1] - fit[1]).abs() < 0.01);
    // Smaller batches end farther from the minimum loss.
    let min_loss = surface.value(fit);
    let gap = |i: usize| final_loss(&r[i]) - min_loss;
    assert!(
        gap(0) < gap(1) && gap(1) < gap(2),
        "{} {} {}",
        gap(0),
        gap(1),
        gap(2)
    );
}

#[test]
fn warmup_rescues_the_learning_rate() {
    // ½(x² − y²) + y⁴/4 has its minima at (0, ±1).
    let r = simulate(&builtins()["warmup-rescue.ron"]);
    assert!(diverged(&r[0]));
    for run in &r[1..] {
        let p = run.0.points.last().unwrap();
        assert!(
            p[0].abs() < 1e-9 && (p[1].abs() - 1.0).abs() < 1e-9,
            "{p:?}"
        );
    }
}

#[test]
fn on_the_typed_dimpled_bowl_momentum_rolls_to_the_deepest_dimple() {
    // f = 0.1(x² + y²) − cos(2x)cos(2y): the global minimum is the origin with f = −1.
    let r = simulate(&builtins()["custom-surface.ron"]);
    let end = |i: usize| *r[i].0.points.last().unwrap();
    assert!(
        end(1)[0].abs() < 1e-3 && end(1)[1].abs() < 1e-3,
        "{:?}",
        end(1)
    );
    assert!((final_loss(&r[1]) + 1.0).abs() < 1e-6);
    assert!(
        end(0)[0].hypot(end(0)[1]) > 2.0,
        "GD stays in a dimple near the start"
    );
}

#[test]
fn himmelblau_runs_reach_four_different_minima() {
    // The four minima of Himmelblau's function (Himmelblau 1972).
    let minima = [
        [3.0, 2.0],
        [-2.805118, 3.131312],
        [-3.779310, -3.283186],
        [3.584428, -1.848126],
    ];
    let r = simulate(&builtins()["himmelblau-four-minima.ron"]);
    let mut reached: Vec<usize> = r
        .iter()
        .map(|run| {
            let p = run.0.points.last().unwrap();
            minima
                .iter()
                .position(|m| (p[0] - m[0]).abs() < 1e-5 && (p[1] - m[1]).abs() < 1e-5)
                .unwrap_or_else(|| panic!("{p:?} is not a minimum"))
        })
        .collect();
    reached.sort();
    assert_eq!(reached, vec![0, 1, 2, 3]);
}

/// Parses `text` and returns the error's (line, column, message).
fn parse_error(text: &str) -> (usize, usize, String) {
    match parse_preset(text, "scene.ron") {
        Err(PresetError::Parse {
            path,
            line,
            column,
            message,
        }) => {
            assert_eq!(path, "scene.ron");
            (line, column, message.to_string())
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

const GOOD: &str = r#"(
    version: 1,
    surface: "rosenbrock",
    start: (-1.5, 2.0),
    runs: [
        (optimizer: "adam", lr: 0.05),
    ],
)"#;

#[test]
fn a_minimal_preset_takes_the_defaults() {
    let p = parse_preset(GOOD, "scene.ron").unwrap();
    assert_eq!(p.runs[0].settings.steps, 200);
    assert_eq!(p.speed, 30.0);
    assert_eq!(p.view, None);
    assert_eq!(p.runs[0].settings.schedule.name, "constant");
    assert_eq!(p.runs[0].settings.warmup.name, "none");
    assert!(p.runs[0].visible);
    assert_eq!(p.run_settings(0).unwrap().start, Some([-1.5, 2.0]));
}

#[test]
fn errors_name_the_line_the_column_and_what_was_expected() {
    let line_of = |needle: &str, text: &str| {
        1 + text[..text.find(needle).unwrap()]
            .chars()
            .filter(|&c| c == '\n')
            .count()
    };
    let cases: [(&str, &str, &[&str]); 8] = [
        ("version: 1", "version: 2", &["version 2", "version 1"]),
        (
            "\"rosenbrock\"",
            "\"rosenbrok\"",
            &["unknown surface 'rosenbrok'", "quadratic"],
        ),
        (
            "\"adam\"",
            "\"adam(beta3=0.9)\"",
            &["'beta3'", "beta1, beta2"],
        ),
        ("lr: 0.05", "lr: -1", &["lr = -1", ">= 0"]),
        ("lr: 0.05", "lr: NaN", &["lr = NaN"]),
        (
            "start: (-1.5, 2.0),",
            "start: (-1.5, 2.0),\n    colour: 3,",
            &["colour", "expected one of", "runs"],
        ),
        (
            "(optimizer: \"adam\", lr: 0.05),",
            "(optimizer: \"adam\", lr: 0.05, schedule: \"cosine\"),",
            &["cosine", "T_max"],
        ),
        ("lr: 0.05", "lr: \"fast\"", &["xpected"]),
    ];
    for (from, to, needles) in cases {
        let text = GOOD.replace(from, to);
        let (line, column, message) = parse_error(&text);
        let first_changed = to.lines().last().unwrap().trim();
        let want_line = line_of(first_changed, &text);
        assert_eq!(line, want_line, "{to}: {message}");
        assert!(column > 1, "{to}: column {column}");
        for n in needles {
            assert!(message.contains(n), "{to}: {message:?} lacks {n:?}");
        }
    }
    // Broken syntax and missing fields are located too.
    let (line, _, message) = parse_error(&GOOD.replace("(optimizer", "optimizer"));
    assert_eq!(line, 6, "{message}");
    let (_, _, message) = parse_error(&GOOD.replace("    start: (-1.5, 2.0),\n", ""));
    assert!(message.contains("missing field `start`"), "{message}");
    let (_, _, message) =
        parse_error(&GOOD.replace("        (optimizer: \"adam\", lr: 0.05),\n", ""));
    assert!(message.contains("1 to 8 runs"), "{message}");
}

#[test]
fn scene_level_mistakes_name_the_run() {
    let text = GOOD.replace("lr: 0.05)", "lr: 0.05, batch_size: 4)");
    let e = parse_preset(&text, "scene.ron").unwrap_err().to_string();
    assert!(e.starts_with("scene.ron: runs[0]: batch_size"), "{e}");
    let text = text.replace("\"rosenbrock\"", "\"linreg(n=3)\"");
    let e = parse_preset(&text, "scene.ron").unwrap_err().to_string();
    assert!(e.contains("batch_size = 4") && e.contains("n = 3"), "{e}");
}

#[test]
fn files_that_are_not_presets_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let e = load_preset(dir.path()).unwrap_err().to_string();
    assert!(e.contains("directory"), "{e}");
    let missing = dir.path().join("missing.ron");
    let e = load_preset(&missing).unwrap_err().to_string();
    assert!(e.contains("missing.ron"), "{e}");
    let binary = dir.path().join("image.ron");
    std::fs::write(&binary, [0x89, b'P', b'N', b'G', 0xff, 0xfe]).unwrap();
    let e = load_preset(&binary).unwrap_err().to_string();
    assert!(e.contains("image.ron") && e.contains("UTF-8"), "{e}");
    let empty = dir.path().join("empty.ron");
    std::fs::write(&empty, "").unwrap();
    assert!(load_preset(&empty).is_err());
}

#[test]
fn saving_replaces_the_file_atomically_and_reports_failures() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scene.ron");
    let first = parse_preset(GOOD, "x").unwrap();
    save_preset(&path, &first).unwrap();
    let mut second = first.clone();
    second.title = "second".into();
    save_preset(&path, &second).unwrap();
    assert_eq!(load_preset(&path).unwrap(), second);
    // Only the preset is left: the temporary file was renamed over it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("scene.ron")]);

    let e = save_preset(dir.path(), &first).unwrap_err().to_string();
    assert!(e.contains("directory"), "{e}");
    let nowhere = dir.path().join("no-such-dir").join("scene.ron");
    let e = save_preset(&nowhere, &first).unwrap_err().to_string();
    assert!(e.contains("no-such-dir"), "{e}");
    assert_eq!(
        load_preset(&path).unwrap(),
        second,
        "the old file is intact"
    );
}

/// Edits of valid text: delete a range, duplicate a range, or insert characters.
fn mutate(text: &str, edits: &[(usize, usize, u8, String)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for (at, len, kind, insert) in edits {
        if chars.is_empty() {
            break;
        }
        let at = at % chars.len();
        let end = (at + len % 12).min(chars.len());
        match kind % 3 {
            0 => {
                chars.drain(at..end);
            }
            1 => {
                let copy: Vec<char> = chars[at..end].to_vec();
                chars.splice(at..at, copy);
            }
            _ => {
                chars.splice(at..at, insert.chars());
            }
        }
    }
    chars.into_iter().collect()
}

/// Whatever the loader accepts, runs: its runs are validated, and simulating them (when
/// short enough for a test) ends in a status without panicking.
fn accepted_scenes_run(text: &str) {
    if let Ok(p) = parse_preset(text, "fuzz.ron") {
        if let Some(network) = &p.network {
            for run in &p.runs {
                let training = Training::new(&network.train_settings(&run.settings))
                    .expect("a loaded network scene's runs are valid");
                if run.settings.steps <= 200 {
                    let _ = training.run(&mut Vec::new(), |_, _| {});
                }
            }
            return;
        }
        for i in 0..p.runs.len() {
            let spec = p.run_settings(i).unwrap();
            let run = Run::new(&spec).expect("a loaded preset's runs are valid");
            let surface = AnySurface::from_spec(&p.run_surface(i).unwrap())
                .expect("a loaded preset's surface is valid");
            if spec.steps <= 2000 {
                let _ = run.simulate(&surface);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_text_never_panics_the_loader(text in "\\PC{0,200}") {
        accepted_scenes_run(&text);
    }

    #[test]
    fn mutated_presets_never_panic_the_loader(
        which in 0..BUILTIN_PRESETS.len(),
        edits in proptest::collection::vec(
            (any::<usize>(), any::<usize>(), any::<u8>(), "[(),:\\[\\]\"0-9a-z=.\\- ]{0,6}"),
            1..6,
        ),
    ) {
        accepted_scenes_run(&mutate(BUILTIN_PRESETS[which].text, &edits));
    }
}

/// The example in presets/README.md is a valid preset.
#[test]
fn the_documented_example_loads() {
    let doc = std::fs::read_to_string("presets/README.md").unwrap();
    let start = doc.find("```ron\n").unwrap() + "```ron\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let p = parse_preset(&doc[start..end], "presets/README.md").unwrap();
    assert_eq!(p.runs.len(), 3);
    assert_eq!(p.runs[2].color, Some([230, 159, 0]));
}

#[test]
fn every_built_in_plots_its_curves_on_scales_that_show_them() {
    for (file, preset) in surface_builtins() {
        let runs = simulate(&preset);
        // A log loss axis leaves out every loss ≤ 0: a scene whose losses go negative must
        // not use one (its curves would vanish). Reaching an exact 0 at a minimum is success,
        // shown by the curve's plunge.
        if preset.log_loss {
            for (i, run) in runs.iter().enumerate() {
                let negative = run.0.losses.iter().filter(|&&l| l < 0.0).count();
                assert!(
                    negative == 0,
                    "{file}: run {i} has {negative} of {} losses below 0 on a logarithmic axis",
                    run.0.losses.len()
                );
            }
        }
        // Runs whose typical rates (the median of each) are more than 50 times apart drawn on
        // a linear axis put the small ones flat on zero: such a scene needs the log lr axis.
        // (One run sweeping over decades, like one-cycle's ramp, reads fine either way.)
        let medians: Vec<f64> = runs
            .iter()
            .filter_map(|r| {
                let mut lrs: Vec<f64> = r.0.lrs.iter().copied().filter(|x| *x > 0.0).collect();
                lrs.sort_by(f64::total_cmp);
                lrs.get(lrs.len() / 2).copied()
            })
            .collect();
        let (lo, hi) = medians
            .iter()
            .fold((f64::INFINITY, 0.0f64), |(lo, hi), &r| {
                (lo.min(r), hi.max(r))
            });
        if hi / lo > 50.0 {
            assert!(
                preset.log_lr,
                "{file}: rates from {lo} to {hi} on a linear axis"
            );
        }
    }
}

/// The stages of update `k` of run `i` of a scene.
fn stages(preset: &Preset, i: usize, k: u64) -> optiscope::core::run::simulation::StepDetail {
    let surface = AnySurface::from_spec(&preset.run_surface(i).unwrap()).unwrap();
    Run::new(&preset.run_settings(i).unwrap())
        .unwrap()
        .step_detail(&surface, k)
        .unwrap()
}

/// The vector of the arrow of `kind` in an update's stages.
fn arrow_of(
    d: &optiscope::core::run::simulation::StepDetail,
    kind: optiscope::core::optimizer::geometry::GlyphKind,
) -> [f64; 2] {
    use optiscope::core::optimizer::geometry::Shape;
    d.stages
        .iter()
        .flat_map(|s| &s.glyphs)
        .find_map(|g| match g.shape {
            Shape::Arrow { from, to } if g.kind == kind => Some([to[0] - from[0], to[1] - from[1]]),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no {kind:?} arrow"))
}

/// Half-widths of the scaling box in an update's stages.
fn box_of(d: &optiscope::core::run::simulation::StepDetail) -> [f64; 2] {
    use optiscope::core::optimizer::geometry::{GlyphKind, Shape};
    d.stages
        .iter()
        .flat_map(|s| &s.glyphs)
        .find_map(|g| match g.shape {
            Shape::Box { half, .. } if g.kind == GlyphKind::Scaling => Some(half),
            _ => None,
        })
        .expect("a scaling box")
}

#[test]
fn adam_needs_three_times_the_steps_once_the_ravine_is_turned_and_heavy_ball_does_not() {
    let (aligned, turned) = (
        &builtins()["adam-axis-aligned-ravine.ron"],
        &builtins()["adam-rotated-ravine.ron"],
    );
    let (a, t) = (simulate(aligned), simulate(turned));
    // The same ravine from the same start relative to it: the same initial loss, 64.25.
    let loss0 = 0.5 * (16.0 + 50.0 * 2.25);
    assert!((a[0].0.losses[0] - loss0).abs() < 1e-9);
    assert!((t[0].0.losses[0] - loss0).abs() < 1e-3);
    let (adam_aligned, adam_turned) = (steps_to(&a[0], 1e-3), steps_to(&t[0], 1e-3));
    assert!((50..=60).contains(&adam_aligned), "{adam_aligned}");
    assert!((175..=200).contains(&adam_turned), "{adam_turned}");
    // Heavy ball is rotation invariant: the same number of steps (about 60).
    let (hb_aligned, hb_turned) = (steps_to(&a[1], 1e-3), steps_to(&t[1], 1e-3));
    assert_eq!(hb_aligned, hb_turned);
    assert!((55..=65).contains(&hb_aligned), "{hb_aligned}");
    // Both scenes step through Adam's update in stages, paused.
    use optiscope::scene::preset::UpdateView;
    for p in [aligned, turned] {
        assert_eq!(p.update, UpdateView::Staged);
        assert!(!p.playing);
        let names: Vec<_> = stages(p, 0, 0).stages.iter().map(|s| s.name).collect();
        assert_eq!(names, ["gradient", "momentum", "scaling", "step"]);
    }
    // At the first update m_hat = g and v_hat = g²: the box is lr on both axes, whatever the
    // gradient's size.
    let half = box_of(&stages(aligned, 0, 0));
    assert!(
        (half[0] - 0.2).abs() < 1e-6 && (half[1] - 0.2).abs() < 1e-6,
        "{half:?}"
    );
}

#[test]
fn momentums_velocity_swings_across_the_ravine_and_builds_along_it() {
    use optiscope::core::optimizer::geometry::GlyphKind;
    let p = &builtins()["momentum-velocity.ron"];
    let lr = 0.02;
    let mut flips = 0;
    let mut last_y = 0.0f64;
    for k in 0..30u64 {
        let d = stages(p, 0, k);
        let v = arrow_of(&d, GlyphKind::Momentum);
        // Head to tail: the new velocity is the carried one plus the gradient step.
        if k > 0 {
            let carried = arrow_of(&d, GlyphKind::Carried);
            for i in 0..2 {
                assert!((v[i] - (carried[i] - lr * d.grad[i])).abs() < 1e-12);
            }
        }
        // Along the ravine (x) it keeps pointing down the floor, towards the minimum, until
        // it overshoots it (around step 23).
        if k < 20 {
            assert!(v[0] > 0.0, "step {k}: {v:?}");
        }
        if last_y != 0.0 && v[1].signum() != last_y.signum() {
            flips += 1;
        }
        last_y = v[1];
        // It grows to several gradient steps along x within the first ten updates.
        if k == 8 {
            assert!(v[0] > 4.0 * lr * d.grad[0].abs(), "{v:?} vs {:?}", d.grad);
        }
    }
    assert!(
        flips >= 4,
        "the velocity swings across the ravine {flips} times"
    );
    // Plain GD at the same lr is still on the floor at the end; heavy ball is done.
    let runs = simulate(p);
    assert!(final_loss(&runs[0]) < 1e-6 && final_loss(&runs[1]) > 1e-2);
}

#[test]
fn newton_lands_on_the_saddle_while_gd_and_damped_newton_descend() {
    use optiscope::core::optimizer::geometry::GlyphKind;
    let p = &builtins()["newton-on-a-saddle.ron"];
    let runs = simulate(p);
    // Newton: onto the saddle (0, 0), f = 0.
    let end = *runs[0].0.points.last().unwrap();
    assert!(end[0].abs() < 1e-12 && end[1].abs() < 1e-12, "{end:?}");
    // Damped Newton and GD: the minimum (0, 1), f = −b²/(4c) = −0.25.
    for run in &runs[1..] {
        let end = *run.0.points.last().unwrap();
        assert!(
            end[0].abs() < 2e-3 && (end[1] - 1.0).abs() < 1e-4,
            "{end:?}"
        );
        assert!((final_loss(run) + 0.25).abs() < 1e-5);
    }
    // The first Newton update: the gradient step points away from the ridge (y grows), the
    // Newton step towards it, to the model's centre, a saddle (a hyperbola, two branches).
    let d = stages(p, 0, 0);
    assert!(arrow_of(&d, GlyphKind::Gradient)[1] > 0.0);
    assert!(arrow_of(&d, GlyphKind::Step)[1] < 0.0);
    let branches = d.stages[1]
        .glyphs
        .iter()
        .filter(|g| g.kind == GlyphKind::Model)
        .count();
    assert_eq!(branches, 2);
    // Damped by 1.5 the model is a bowl: one ellipse, and the step climbs away from the ridge.
    let d = stages(p, 1, 0);
    let ellipses = d.stages[1]
        .glyphs
        .iter()
        .filter(|g| g.kind == GlyphKind::Model)
        .count();
    assert_eq!(ellipses, 1);
    assert!(arrow_of(&d, GlyphKind::Step)[1] > 0.0);
}

#[test]
fn adagrads_box_shrinks_like_lr_over_root_t_on_a_steady_slope_and_rmsprops_does_not() {
    let p = &builtins()["adagrad-shrinking-boxes.ron"];
    // Along x the gradient is tanh(x) ≈ −1 from x = −6 to −2: AdaGrad's half-width is
    // lr·|g_t|/√Σ g² ≈ lr/√t.
    for k in [0u64, 9, 49, 99] {
        let d = stages(p, 0, k);
        let want = 0.2 / ((k + 1) as f64).sqrt();
        let got = box_of(&d)[0];
        assert!((got / want - 1.0).abs() < 0.05, "step {k}: {got} vs {want}");
        assert!(d.theta[0] < -2.0);
    }
    // RMSProp's stays at least lr wide while it is on the slope.
    let runs = simulate(p);
    for k in 0..runs[1].0.points.len() as u64 - 1 {
        let d = stages(p, 1, k);
        if d.theta[0] > -2.5 {
            break;
        }
        assert!(box_of(&d)[0] >= 0.1, "step {k}");
    }
    let reach = |run: &(Trajectory, Status)| run.0.points.iter().position(|p| p[0] > -1.0).unwrap();
    let (adagrad, rmsprop) = (reach(&runs[0]), reach(&runs[1]));
    assert!((170..=195).contains(&adagrad), "{adagrad}");
    assert!(rmsprop <= 15, "{rmsprop}");
}

/// Every run of a network scene trained: its rows, its final weights and how it ended.
fn train(preset: &Preset) -> Vec<(Training, Vec<TrainRow>, Vec<f64>, Status)> {
    let network = preset.network.as_ref().expect("a network scene");
    preset
        .runs
        .iter()
        .map(|r| {
            let t = Training::new(&network.train_settings(&r.settings)).unwrap();
            let (mut rows, mut last) = (Vec::new(), Vec::new());
            let status = t.run(&mut last, |row, _| rows.push(*row));
            (t, rows, last, status)
        })
        .collect()
}

fn last_loss(run: &(Training, Vec<TrainRow>, Vec<f64>, Status)) -> f64 {
    run.1.last().unwrap().loss
}

#[test]
fn network_scenes_train_without_diverging_and_do_what_their_text_says() {
    let all = builtins();
    let scenes: Vec<&str> = all
        .iter()
        .filter(|(_, p)| p.network.is_some())
        .map(|(f, _)| *f)
        .collect();
    assert_eq!(scenes.len(), 6, "{scenes:?}");

    // Too small, about right, too large: lr 0.05 barely moves, lr 3 learns, lr 30 thrashes.
    let runs = train(&all["network-learning-rate.ron"]);
    assert!(runs.iter().all(|r| r.3 == Status::Completed));
    assert!(last_loss(&runs[0]) > 0.6 && last_loss(&runs[1]) < 0.2);
    assert!(runs[2].1.iter().map(|r| r.loss).fold(0.0, f64::max) > 5.0);
    let end = runs[1].1.last().unwrap();
    assert!(end.test_loss > 3.0 * end.loss, "{end:?}");

    // Warmup rescues Adam at lr 2: above 0.5 without it, below 1e-5 with it, whatever the
    // seed (the run without warmup is chaotic: its outcome must not hinge on one path).
    let mut scene = all["network-warmup-rescue.ron"].clone();
    for seed in 0..3 {
        scene.runs.iter_mut().for_each(|r| r.settings.seed = seed);
        let runs = train(&scene);
        assert!(
            last_loss(&runs[0]) > 0.5,
            "seed {seed}: {}",
            last_loss(&runs[0])
        );
        assert!(
            last_loss(&runs[1]) < 1e-5,
            "seed {seed}: {}",
            last_loss(&runs[1])
        );
    }

    // Step decay cuts the rate tenfold at 700 and 1400; cosine ends at 0.
    let runs = train(&all["network-step-vs-cosine.ron"]);
    let lr = |r: usize, k: usize| runs[r].1[k].lr;
    assert_eq!((lr(1, 699), lr(1, 700)), (0.3, 0.3 * 0.1));
    assert!((lr(1, 1400) - 0.003).abs() < 1e-15);
    assert!(lr(2, 2000).abs() < 1e-15 && lr(0, 2000) == 0.3);
    // The cut quiets the loss: its step-to-step wiggle falls.
    let wiggle = |r: usize, from: usize| {
        runs[r].1[from..from + 100]
            .windows(2)
            .map(|w| (w[1].loss - w[0].loss).abs())
            .sum::<f64>()
    };
    assert!(
        wiggle(1, 720) < wiggle(1, 600),
        "{} {}",
        wiggle(1, 720),
        wiggle(1, 600)
    );

    // Linear scaling: per step the bigger batch is ahead, and single rows are still far off.
    let runs = train(&all["network-batch-size.ron"]);
    let (one, b32, full) = (
        last_loss(&runs[0]),
        last_loss(&runs[1]),
        last_loss(&runs[2]),
    );
    assert!(full < b32 && b32 < one && one > 0.1, "{one} {b32} {full}");
    // Per epoch they are close: the full batch after 9 epochs (steps) is within a quarter of
    // batch 1 after its 1500 steps (1500 / 160 ≈ 9 epochs).
    let nine = runs[2].1[9].loss;
    assert!((nine - one).abs() < 0.25 * one, "{nine} vs {one}");

    // Reduce on plateau cuts the rate at least once and ends no worse than the constant rate.
    let runs = train(&all["network-reduce-on-plateau.ron"]);
    assert!(runs[1].1.last().unwrap().lr < 0.05 * 0.3 + 1e-12);
    assert!(last_loss(&runs[1]) <= last_loss(&runs[0]));

    // The edge of stability: the sharpness starts far below 2/lr and ends within 15% of it.
    let runs = train(&all["network-edge-of-stability.ron"]);
    for run in &runs {
        let threshold = 2.0 / run.1[0].lr;
        assert_eq!(run.3, Status::Completed);
        let start = run.0.sharpness(&run.0.init);
        let end = run.0.sharpness(&run.2);
        assert!(
            start < 0.7 * threshold,
            "start {start} vs 2/lr = {threshold}"
        );
        assert!(
            (end - threshold).abs() < 0.15 * threshold,
            "end {end} vs 2/lr = {threshold}"
        );
    }
}
