//! A run's derived data: its trajectory or training, and the curves the plots draw from it.

use crate::app::platform::Instant;

use egui_plot::PlotPoint;

use crate::app::generation::next_generation;
use crate::core::analysis::Curvature;
use crate::core::analysis::theory::{
    EigenFrame, MomentumRule, Region, SharpnessTest, direction_rate, preconditioned_sharpness,
    second_moment_decay, warmup_rule_of_thumb,
};
use crate::core::math::Point;
use crate::core::run::settings::RunSettings;
use crate::core::run::simulation::{Run, Status, Trajectory};
use crate::core::spec::Spec;
use crate::core::surface::AnySurface;
use crate::core::surface::Surface;

/// A run's derived data.
pub struct RunResult {
    /// What the numbers depend on: the run's settings (start resolved) and the surface it sees.
    /// Color and visibility are not part of it, so changing them recomputes nothing.
    pub(super) key: (RunSettings, Spec),
    pub trajectory: Trajectory,
    pub status: Status,
    /// The lr of every step 0..=steps: the rates the run used, then (past a stop) the pure
    /// schedule's. The run's one table of rates: `trajectory.lrs` is moved into it.
    pub lr_preview: Vec<f64>,
    /// Last step of the warmup (0 without warmup), for shading.
    pub warmup_steps: u64,
    /// A settings error (shown under the controls); the previous trajectory is kept meanwhile.
    pub error: Option<String>,
    pub compute_ms: f64,
    /// Changes whenever the trajectory does, so views can cache what they derive from it.
    pub generation: u64,
    /// The classical stability limit of the run's optimizer at its start point, if any.
    pub limit_at_start: Option<f64>,
    pub curves: Curves,
    /// What the run's theory predicts on the surface (noise spread, Lion's box).
    pub region: Option<Region>,
}

/// The LR and loss curves of a run, thinned for plotting once per computation rather than
/// once per frame.
#[derive(Default)]
pub struct Curves {
    pub lr: Vec<PlotPoint>,
    pub lr_log: Vec<PlotPoint>,
    /// Whether some rate of the LR curve is below zero (the plot then marks lr = 0).
    pub negative_lr: bool,
    /// The first step the run took at a rate below zero, and that rate (see
    /// [`crate::core::run::simulation::ascent_from`]): found once per computation, not per frame.
    pub ascent: Option<(u64, f64)>,
    pub loss: Vec<PlotPoint>,
    pub loss_log: Vec<PlotPoint>,
    pub losses_positive: bool,
    /// A network's loss on its held-out rows (empty on surfaces).
    pub test_loss: Vec<PlotPoint>,
    pub test_loss_log: Vec<PlotPoint>,
    /// The classical stability limit of the run's optimizer at θ_k along the path (empty for
    /// optimizers without one), so the LR plot shows where the schedule crosses it: pieces
    /// between steps without a limit, each with the few points a dashed line needs.
    pub limit: Vec<Vec<PlotPoint>>,
    pub limit_log: Vec<Vec<PlotPoint>>,
    /// The smallest limit along the path and the largest rate of the schedule (NaN without
    /// one), so the LR plot can tell when the limit is far above everything else it shows.
    pub limit_min: f64,
    pub lr_max: f64,
    /// |θ_{k+1} − θ_k|: the length of each update.
    pub step_size: Vec<PlotPoint>,
    pub step_size_log: Vec<PlotPoint>,
    /// λmax(H(θ_k)): the sharpness along the path.
    pub sharpness: Vec<PlotPoint>,
    pub sharpness_log: Vec<PlotPoint>,
    /// The largest sharpness the optimizer is stable at with the lr of step k (2/lr_k for GD,
    /// 38/lr_k for Adam's preconditioned sharpness, …; empty for optimizers without one).
    pub threshold: Vec<PlotPoint>,
    pub threshold_log: Vec<PlotPoint>,
    /// Whether `sharpness` is λmax(P⁻¹H) with the optimizer's preconditioner P.
    pub preconditioned: bool,
    /// The eigen-frame the components are measured in (`None`: no Hessian at the path's end).
    pub eigen_frame: Option<EigenFrame>,
    /// ⟨θ_k − θ*, u_i⟩ per step, slow direction first; `_log` holds log10 of their size.
    pub eigen: [Vec<PlotPoint>; 2],
    pub eigen_log: [Vec<PlotPoint>; 2],
    /// What the closed-form rate predicts for the size of each component (SGD family only):
    /// |e_0|·Π ρ(lr_j, λ_i), exact for gradient descent on a quadratic.
    pub eigen_theory: [Vec<PlotPoint>; 2],
    pub eigen_theory_log: [Vec<PlotPoint>; 2],
    /// (e_k, e_k − e_{k−1}) along each direction, every `phase_stride`-th step.
    pub phase: [Vec<PlotPoint>; 2],
    pub phase_stride: usize,
    /// |Δθ_i|/lr_k per coordinate: the step in units of the learning rate (Adam's is 1 at its
    /// first update whatever the gradient's scale).
    pub coordinate_step: [Vec<PlotPoint>; 2],
    pub coordinate_step_log: [Vec<PlotPoint>; 2],
    /// RAdam's rectification r_t at the run's β2 (Adam family), with the rule-of-thumb linear
    /// warmup over 2/(1 − β2) steps it is compared with.
    pub rectification: Vec<PlotPoint>,
    pub rule_of_thumb: Vec<PlotPoint>,
    pub warmup_rule_steps: Option<f64>,
}

/// The sharpness along a path and its stability threshold per step.
struct Sharpness {
    values: Vec<f64>,
    thresholds: Vec<f64>,
    preconditioned: bool,
}

/// What a run's curves are derived from beyond its trajectory.
struct Theory<'a> {
    lr_preview: &'a [f64],
    limits: &'a [f64],
    sharp: Sharpness,
    eigen_frame: Option<EigenFrame>,
    rule: Option<MomentumRule>,
    beta2: Option<f64>,
}

fn pts(v: Vec<[f64; 2]>) -> Vec<PlotPoint> {
    v.into_iter().map(|[x, y]| PlotPoint::new(x, y)).collect()
}

/// The curve of `values` on a linear and on a log axis.
fn both(values: &[f64]) -> (Vec<PlotPoint>, Vec<PlotPoint>) {
    use crate::picture::curves::{curve, log10_positive};
    (
        pts(curve(values, |v| v)),
        pts(curve(values, log10_positive)),
    )
}

impl Curves {
    fn new(traj: &Trajectory, theory: Theory) -> Self {
        use crate::picture::curves::{curve, log10_positive};
        let Theory {
            lr_preview,
            limits,
            sharp,
            eigen_frame,
            rule,
            beta2,
        } = theory;
        let losses = &traj.losses;
        let finite = |v: &&f64| v.is_finite();
        let lr_max = lr_preview
            .iter()
            .filter(finite)
            .fold(f64::NAN, |m, &v| v.max(m));
        let limit_min = limits
            .iter()
            .filter(finite)
            .fold(f64::NAN, |m, &v| v.min(m));
        let steps: Vec<f64> = traj
            .points
            .windows(2)
            .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
            .collect();
        let (lr, lr_log) = both(lr_preview);
        let taken = traj.len().min(lr_preview.len());
        let ascent = crate::core::run::simulation::ascent_from(&lr_preview[..taken]);
        let negative_lr = lr_preview.iter().any(|&lr| lr < 0.0);
        let (loss, loss_log) = both(losses);
        let dashed = |transform: fn(f64) -> f64| -> Vec<Vec<PlotPoint>> {
            crate::picture::curves::dashed_pieces(limits, transform, 1e-3)
                .into_iter()
                .map(pts)
                .collect()
        };
        let (limit, limit_log) = (dashed(|v| v), dashed(log10_positive));
        let (step_size, step_size_log) = both(&steps);
        let (sharpness, sharpness_log) = both(&sharp.values);
        let (threshold, threshold_log) = both(&sharp.thresholds);

        let components: [Vec<f64>; 2] = match &eigen_frame {
            Some(frame) => {
                let c: Vec<[f64; 2]> = traj.points.iter().map(|&p| frame.components(p)).collect();
                [0, 1].map(|i| c.iter().map(|v| v[i]).collect())
            }
            None => [Vec::new(), Vec::new()],
        };
        let eigen = [0, 1].map(|i| pts(curve(&components[i], |v| v)));
        let eigen_log = [0, 1].map(|i| pts(curve(&components[i], |v| log10_positive(v.abs()))));
        let predicted: [Vec<f64>; 2] = match (&eigen_frame, rule) {
            (Some(frame), Some(rule)) => [0, 1].map(|i| {
                let lambda = frame.curvature.eigenvalues[i];
                let mut size = components[i].first().map_or(0.0, |e| e.abs());
                let mut out = Vec::with_capacity(components[i].len());
                for k in 0..components[i].len() {
                    out.push(size);
                    size *= direction_rate(
                        rule,
                        lr_preview.get(k).copied().unwrap_or(f64::NAN),
                        lambda,
                    );
                }
                out
            }),
            _ => [Vec::new(), Vec::new()],
        };
        let eigen_theory = [0, 1].map(|i| pts(curve(&predicted[i], |v| v)));
        let eigen_theory_log = [0, 1].map(|i| pts(curve(&predicted[i], log10_positive)));
        // The phase portrait keeps at most ~4000 points; the cursor picks how many are drawn.
        let phase_stride = components[0].len().div_ceil(4000).max(1);
        let phase = [0, 1].map(|i| {
            let c = &components[i];
            (0..c.len())
                .step_by(phase_stride)
                .map(|k| {
                    let velocity = if k == 0 { 0.0 } else { c[k] - c[k - 1] };
                    PlotPoint::new(c[k], velocity)
                })
                .collect()
        });

        let per_lr: [Vec<f64>; 2] = [0, 1].map(|i| {
            traj.points
                .windows(2)
                .zip(lr_preview)
                .map(|(w, &lr)| (w[1][i] - w[0][i]).abs() / lr)
                .collect()
        });
        let coordinate_step = [0, 1].map(|i| pts(curve(&per_lr[i], |v| v)));
        let coordinate_step_log = [0, 1].map(|i| pts(curve(&per_lr[i], log10_positive)));
        let n = steps.len();
        let (rectification, rule_of_thumb, warmup_rule_steps) = match beta2 {
            Some(b2) => {
                let r: Vec<f64> = (0..n)
                    .map(|k| crate::core::optimizer::rectification(k as u64 + 1, b2).unwrap_or(0.0))
                    .collect();
                let w = warmup_rule_of_thumb(b2);
                let ramp: Vec<f64> = (0..n).map(|k| ((k as f64 + 1.0) / w).min(1.0)).collect();
                (pts(curve(&r, |v| v)), pts(curve(&ramp, |v| v)), Some(w))
            }
            None => (Vec::new(), Vec::new(), None),
        };
        Self {
            lr,
            lr_log,
            negative_lr,
            ascent,
            loss,
            loss_log,
            losses_positive: losses.iter().all(|&l| l > 0.0),
            test_loss: Vec::new(),
            test_loss_log: Vec::new(),
            limit,
            limit_log,
            limit_min,
            lr_max,
            step_size,
            step_size_log,
            sharpness,
            sharpness_log,
            threshold,
            threshold_log,
            preconditioned: sharp.preconditioned,
            eigen_frame,
            eigen,
            eigen_log,
            eigen_theory,
            eigen_theory_log,
            phase,
            phase_stride,
            coordinate_step,
            coordinate_step_log,
            rectification,
            rule_of_thumb,
            warmup_rule_steps,
        }
    }
}

/// From one Hessian per point of the path: the stability limit of `run`'s optimizer there
/// (SGD family only, else empty; NaN where none applies), the sharpness λmax(H(θ_k)) (or
/// λmax(P_k⁻¹H(θ_k)) with the preconditioner of update k, for adaptive methods), and the
/// optimizer's sharpness threshold at each step's lr.
fn curvature_along(
    surface: &AnySurface,
    run: &Run,
    traj: &Trajectory,
    preconditioners: &[Option<Point>],
    lrs: &[f64],
) -> (Vec<f64>, Sharpness) {
    let sgd = crate::core::analysis::theory::MomentumRule::of(&run.optimizer).is_some();
    let test = SharpnessTest::of(&run.optimizer);
    let preconditioned = test.is_some_and(|t| t.is_preconditioned());
    let mut limits = Vec::with_capacity(if sgd { traj.points.len() } else { 0 });
    let mut values = Vec::with_capacity(traj.points.len());
    for (k, &p) in traj.points.iter().enumerate() {
        let c = Curvature::at(surface, p);
        let value = match (c, preconditioned) {
            (None, _) => f64::NAN,
            (Some(c), false) => c.lambda_max(),
            // The last row has no update of its own: it keeps the one before.
            (Some(_), true) => {
                let pre = preconditioners
                    .get(k)
                    .or(preconditioners.last())
                    .copied()
                    .flatten();
                match pre {
                    Some(pre) => preconditioned_sharpness(surface.hessian(p), Some(pre)),
                    None => f64::NAN,
                }
            }
        };
        values.push(value);
        if sgd {
            let limit = c.and_then(|c| c.limit_for(&run.optimizer));
            limits.push(limit.map_or(f64::NAN, |(lr, _)| lr));
        }
    }
    let thresholds = match test {
        Some(test) => lrs
            .iter()
            .take(traj.points.len())
            .map(|&lr| test.threshold(lr))
            .collect(),
        None => Vec::new(),
    };
    (
        limits,
        Sharpness {
            values,
            thresholds,
            preconditioned,
        },
    )
}

/// A trajectory with the preconditioner of every update, for the preconditioned sharpness.
#[derive(Default)]
struct WithPreconditioners {
    trajectory: Trajectory,
    preconditioners: Vec<Option<Point>>,
}

impl crate::core::run::simulation::Recorder for WithPreconditioners {
    fn wants_preconditioner(&self) -> bool {
        true
    }
    fn record(&mut self, row: &crate::core::run::simulation::Row) {
        self.trajectory.record(row);
    }
    fn stepped(&mut self, _step: u64, preconditioner: Option<Point>) {
        self.preconditioners.push(preconditioner);
    }
}

/// A trained run's curves for the step plots: its lr and training loss per step, the test
/// loss, and its sharpness every few steps against the stability threshold of its optimizer
/// (the SGD family's; adaptive methods' thresholds apply to a preconditioned sharpness the
/// window does not compute for networks).
pub(super) fn network_result(
    settings: &RunSettings,
    trained: &crate::app::network::NetRun,
) -> RunResult {
    use crate::picture::curves::{curve, log10_positive};
    let lrs: Vec<f64> = trained.rows.iter().map(|r| r.lr).collect();
    let losses: Vec<f64> = trained.rows.iter().map(|r| r.loss).collect();
    let tests: Vec<f64> = trained.rows.iter().map(|r| r.test_loss).collect();
    let (lr, lr_log) = both(&lrs);
    let ascent = crate::core::run::simulation::ascent_from(&lrs);
    let (loss, loss_log) = both(&losses);
    let test = SharpnessTest::of_spec(&settings.optimizer).filter(|t| !t.is_preconditioned());
    let sharp_pts = |f: &dyn Fn(f64) -> f64| -> Vec<PlotPoint> {
        trained
            .sharpness
            .iter()
            .map(|&[k, v]| PlotPoint::new(k, f(v)))
            .filter(|p| p.y.is_finite())
            .collect()
    };
    let threshold: Vec<f64> = match test {
        Some(t) => lrs.iter().map(|&lr| t.threshold(lr)).collect(),
        None => Vec::new(),
    };
    let (threshold, threshold_log) = both(&threshold);
    let schedule = crate::core::schedule::LrSchedule::from_specs(
        settings.lr,
        &settings.schedule,
        &settings.warmup,
    );
    RunResult {
        key: (settings.clone(), Spec::named("network")),
        trajectory: Trajectory::default(),
        status: trained.status.unwrap_or(Status::Completed),
        lr_preview: lrs,
        warmup_steps: schedule.map_or(0, |s| s.warmup_steps()),
        error: trained.error.clone(),
        compute_ms: 0.0,
        generation: trained.generation,
        limit_at_start: None,
        curves: Curves {
            lr,
            lr_log,
            negative_lr: ascent.is_some(),
            ascent,
            loss,
            loss_log,
            losses_positive: losses.iter().all(|&l| l > 0.0),
            test_loss: pts(curve(&tests, |v| v)),
            test_loss_log: pts(curve(&tests, log10_positive)),
            sharpness: sharp_pts(&|v| v),
            sharpness_log: sharp_pts(&log10_positive),
            threshold,
            threshold_log,
            ..Curves::default()
        },
        region: None,
    }
}

pub(super) fn compute_run(
    surface: Result<&AnySurface, String>,
    key: (RunSettings, Spec),
    previous: Option<&mut RunResult>,
) -> RunResult {
    let spec = &key.0;
    let started = Instant::now();
    let validated = surface.and_then(|s| Run::new(spec).map(|r| (s, r)).map_err(|e| e.text()));
    match validated {
        Ok((surface, run)) => {
            let test = SharpnessTest::of(&run.optimizer);
            let (mut trajectory, status, preconditioners) =
                if test.is_some_and(|t| t.is_preconditioned()) {
                    let mut rec = WithPreconditioners::default();
                    let status = run.simulate_into(surface, &mut rec);
                    (rec.trajectory, status, rec.preconditioners)
                } else {
                    let (t, s) = run.simulate(surface);
                    (t, s, Vec::new())
                };
            let lr_preview = run.lr_preview(std::mem::take(&mut trajectory.lrs));
            let (limits, sharp) =
                curvature_along(surface, &run, &trajectory, &preconditioners, &lr_preview);
            let limit_at_start = limits.first().copied().filter(|l| l.is_finite());
            let eigen_frame = EigenFrame::of_path(surface, &trajectory.points);
            let region = Region::of(&run.optimizer, run.noise, eigen_frame);
            let curves = Curves::new(
                &trajectory,
                Theory {
                    lr_preview: &lr_preview,
                    limits: &limits,
                    sharp,
                    eigen_frame,
                    rule: MomentumRule::of(&run.optimizer),
                    beta2: second_moment_decay(&run.optimizer),
                },
            );
            RunResult {
                key,
                trajectory,
                status,
                lr_preview,
                warmup_steps: run.schedule.warmup_steps(),
                error: None,
                compute_ms: started.elapsed().as_secs_f64() * 1e3,
                generation: next_generation(),
                limit_at_start,
                curves,
                region,
            }
        }
        Err(e) => {
            // Keep showing the last valid path while the user is mid-edit.
            let (trajectory, status, lr_preview, warmup_steps, generation, curves) = match previous
            {
                Some(p) => (
                    std::mem::take(&mut p.trajectory),
                    p.status,
                    std::mem::take(&mut p.lr_preview),
                    p.warmup_steps,
                    p.generation,
                    std::mem::take(&mut p.curves),
                ),
                None => (
                    Trajectory::default(),
                    Status::Completed,
                    Vec::new(),
                    0,
                    next_generation(),
                    Curves::default(),
                ),
            };
            RunResult {
                key,
                trajectory,
                status,
                lr_preview,
                warmup_steps,
                error: Some(e),
                compute_ms: 0.0,
                generation,
                limit_at_start: None,
                curves,
                region: None,
            }
        }
    }
}
