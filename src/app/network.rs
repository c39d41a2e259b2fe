//! A network scene's derived state: every run trained in the background (a thread on the
//! desktop, slices of frames in the browser) with its rows, weight snapshots and sharpness
//! arriving while it trains, and the landscape slice computed after it, coarse first and then
//! finer. Only runs whose settings changed are retrained; the slice is recomputed only when
//! its plane moves.

use std::sync::mpsc::{Receiver, Sender, channel};

use super::generation::next_generation;
use super::platform::{self, Outcome, Step, Task};
use crate::core::network::landscape::Plane;
use crate::core::network::train::{SharpnessTracker, TrainRow, Trainer, Training};
use crate::core::network::{Data, Mlp};
use crate::core::run::settings::RunSettings;
use crate::core::run::simulation::Status;
use crate::core::spec::Spec;
use crate::scene::preset::{Centre, Directions, NetworkScene, Preset};
use crate::tr;

/// Weight snapshots kept per run: the decision boundary at the cursor and the paths on the
/// landscape are drawn from them, so a 10,000-step run keeps 1,000 of them, not 10,000.
pub const MAX_SNAPSHOTS: u64 = 1000;
/// Steps a run trains before the next run takes its turn, so racing runs grow together.
const CHUNK: u64 = 25;
/// The resolutions a slice refines through: a coarse picture at once, then the full one.
pub const SLICE_LEVELS: [usize; 3] = [13, 25, 51];

/// What a run's numbers depend on.
type RunKey = (Spec, Spec, RunSettings, u64);

/// One trained (or training) run.
#[derive(Default)]
pub struct NetRun {
    key: Option<RunKey>,
    pub rows: Vec<TrainRow>,
    /// How it ended; `None` while it trains.
    pub status: Option<Status>,
    /// Why it cannot train (its settings), shown under the controls.
    pub error: Option<String>,
    /// Steps between two snapshots.
    pub stride: u64,
    /// θ at steps 0, stride, 2·stride, … and at the last step reached.
    pub snapshots: Vec<(u64, Vec<f64>)>,
    /// (step, λmax) every `sharpness_every` steps.
    pub sharpness: Vec<[f64; 2]>,
    /// Changes whenever anything above does.
    pub generation: u64,
    /// Set when the run starts training: which training its rows and snapshots belong to.
    started: u64,
}

impl NetRun {
    /// The snapshot drawn at `step`: the last one taken at or before it.
    pub fn snapshot_at(&self, step: u64) -> Option<&(u64, Vec<f64>)> {
        let i = self.snapshots.partition_point(|(s, _)| *s <= step);
        self.snapshots.get(i.checked_sub(1)?)
    }

    /// Whether it still trains.
    pub fn training(&self) -> bool {
        self.status.is_none() && self.error.is_none()
    }
}

/// What the background training sends: rows, snapshots and sharpness values as they come.
enum News {
    Rows {
        run: usize,
        rows: Vec<TrainRow>,
        snapshots: Vec<(u64, Vec<f64>)>,
        sharpness: Vec<[f64; 2]>,
    },
    Ended {
        run: usize,
        status: Status,
    },
}

/// One resolution of the slice.
pub struct SliceLevel {
    pub n: usize,
    /// Row-major from the bottom (β = bounds[2]) row, left to right.
    pub values: Vec<f64>,
}

/// The landscape slice and the paths on it.
#[derive(Default)]
pub struct Landscape {
    key: Option<(Directions, Centre, usize, u64)>,
    pub plane: Option<Plane>,
    /// [α_min, α_max, β_min, β_max].
    pub bounds: [f64; 4],
    /// The finest resolution computed so far.
    pub level: Option<SliceLevel>,
    /// Changes whenever `plane` or `level` does.
    pub generation: u64,
    job: Option<(Task<()>, Receiver<SliceLevel>)>,
    /// Why there is no slice (a run that did not move, a diverged centre).
    pub error: Option<String>,
    /// Every run's snapshots on the plane, and which training of each run they are from
    /// (a retrained run is projected anew; a training one only its new snapshots).
    pub paths: Vec<Vec<egui_plot::PlotPoint>>,
    paths_key: Vec<u64>,
}

impl Drop for Landscape {
    /// A slice nobody will look at stops at its next row.
    fn drop(&mut self) {
        if let Some((task, _)) = self.job.take() {
            task.abandon();
        }
    }
}

impl Drop for NetworkCache {
    /// Training for a scene that was closed stops at its next step.
    fn drop(&mut self) {
        self.stop();
    }
}

impl Landscape {
    /// Rows of the slice done, of how many, while it is computed.
    pub fn progress(&self) -> Option<(usize, usize)> {
        self.job.as_ref().map(|(t, _)| t.progress())
    }
}

/// The derived state of a network scene.
#[derive(Default)]
pub struct NetworkCache {
    scene_key: Option<(Spec, Spec)>,
    pub net: Option<Mlp>,
    pub data: Option<Data>,
    /// Why the model or data cannot be built.
    pub error: Option<String>,
    pub runs: Vec<NetRun>,
    job: Option<(Task<()>, Receiver<News>)>,
    pub landscape: Landscape,
}

impl NetworkCache {
    /// Whether nothing is left to compute for `scene`.
    pub fn is_current(&self, scene: &Preset, network: &NetworkScene) -> bool {
        let key = Some((network.model.clone(), network.data.clone()));
        // A model or data set that cannot be built has nothing to train: its error is shown,
        // and nothing is left to compute until the spec changes.
        if self.error.is_some() {
            return self.scene_key == key;
        }
        self.job.is_none()
            && self.landscape.job.is_none()
            && self.scene_key == Some((network.model.clone(), network.data.clone()))
            && self.runs.len() == scene.runs.len()
            && self
                .runs
                .iter()
                .zip(&scene.runs)
                .all(|(r, s)| r.key == Some(run_key(network, &s.settings)))
    }

    /// Whether some run is still training.
    pub fn training(&self) -> bool {
        self.job.is_some()
    }

    /// Steps the runs have reached so far (the timeline's end while they train).
    pub fn trained_steps(&self) -> u64 {
        self.runs
            .iter()
            .filter_map(|r| r.rows.last().map(|row| row.step))
            .max()
            .unwrap_or(0)
    }

    /// Brings everything up to date with `scene`: restarts training for runs whose settings
    /// changed, takes in what the background work sent, and starts or refines the slice.
    /// Whether something new arrived (the plots' curves need rebuilding).
    pub fn update(&mut self, scene: &Preset, network: &NetworkScene) -> bool {
        let mut changed = false;
        let scene_key = (network.model.clone(), network.data.clone());
        if self.scene_key.as_ref() != Some(&scene_key) {
            self.stop();
            self.runs.clear();
            self.landscape = Landscape::default();
            self.scene_key = Some(scene_key);
            let built = Data::from_spec(&network.data)
                .map_err(|e| tr!("network-data-error", error = e.text()))
                .and_then(|d| {
                    Mlp::from_spec(&network.model, d.inputs)
                        .map(|m| (m, d))
                        .map_err(|e| tr!("network-model-error", error = e.text()))
                });
            match built {
                Ok((net, data)) => {
                    self.net = Some(net);
                    self.data = Some(data);
                    self.error = None;
                }
                Err(e) => {
                    self.net = None;
                    self.data = None;
                    self.error = Some(e);
                }
            }
            changed = true;
        }
        if self.net.is_none() {
            return changed;
        }
        changed |= self.restart_changed(scene, network);
        changed |= self.receive();
        self.update_landscape(network);
        changed
    }

    /// Stops the background training without waiting for its current step (a slider
    /// dragged over a network restarts it every frame).
    fn stop(&mut self) {
        if let Some((task, _)) = self.job.take() {
            task.abandon();
        }
    }

    /// Starts training every run whose key changed (and any the stopped job left unfinished).
    fn restart_changed(&mut self, scene: &Preset, network: &NetworkScene) -> bool {
        self.runs.truncate(scene.runs.len());
        while self.runs.len() < scene.runs.len() {
            self.runs.push(NetRun::default());
        }
        let stale: Vec<usize> = (0..scene.runs.len())
            .filter(|&i| self.runs[i].key != Some(run_key(network, &scene.runs[i].settings)))
            .collect();
        if stale.is_empty() {
            return false;
        }
        self.stop();
        let mut todo = Vec::new();
        for i in 0..scene.runs.len() {
            let key = run_key(network, &scene.runs[i].settings);
            let run = &mut self.runs[i];
            if run.key == Some(key.clone()) && !run.training() {
                continue;
            }
            let generation = next_generation();
            *run = NetRun {
                key: Some(key),
                generation,
                started: generation,
                ..NetRun::default()
            };
            let settings = &scene.runs[i].settings;
            let training = Training::new(&network.train_settings(settings));
            match training {
                Ok(t) => {
                    run.stride = settings.steps.div_ceil(MAX_SNAPSHOTS).max(1);
                    todo.push((i, t, run.stride));
                }
                Err(e) => run.error = Some(e.text()),
            }
        }
        if !todo.is_empty() {
            let (tx, rx) = channel();
            let task = Task::start(train_job(todo, network.sharpness_every, tx));
            self.job = Some((task, rx));
        }
        true
    }

    /// Takes in what the training sent since the last frame.
    fn receive(&mut self) -> bool {
        let Some((task, rx)) = &mut self.job else {
            return false;
        };
        let outcome = task.poll();
        let mut changed = false;
        for news in rx.try_iter() {
            changed = true;
            match news {
                News::Rows {
                    run,
                    rows,
                    snapshots,
                    sharpness,
                } => {
                    let r = &mut self.runs[run];
                    r.rows.extend(rows);
                    r.snapshots.extend(snapshots);
                    r.sharpness.extend(sharpness);
                    r.generation = next_generation();
                }
                News::Ended { run, status } => {
                    self.runs[run].status = Some(status);
                    self.runs[run].generation = next_generation();
                }
            }
        }
        match outcome {
            Outcome::Running => {}
            Outcome::Done(()) | Outcome::Cancelled => self.job = None,
            Outcome::Crashed => {
                for r in self.runs.iter_mut().filter(|r| r.training()) {
                    r.error = Some(tr!("network-training-crashed"));
                }
                self.job = None;
                changed = true;
            }
        }
        changed
    }

    /// Once the reference run has finished: its plane and a slice that refines; every
    /// run's path projected onto it whenever a run changed.
    fn update_landscape(&mut self, network: &NetworkScene) {
        let reference = network.run.min(self.runs.len().saturating_sub(1));
        let Some(run) = self.runs.get(reference) else {
            return;
        };
        let (Some(net), Some(data)) = (&self.net, &self.data) else {
            return;
        };
        let land = &mut self.landscape;
        let key = (
            network.directions,
            network.centre,
            reference,
            run.generation,
        );
        if land.key != Some(key) && run.status.is_some() {
            if let Some((task, _)) = land.job.take() {
                task.abandon();
            }
            land.key = Some(key);
            land.level = None;
            land.generation = next_generation();
            land.paths.clear();
            land.paths_key.clear();
            match Plane::of_path(
                net,
                network.directions,
                network.centre,
                &run.snapshots,
                network.run,
            ) {
                Ok(plane) => {
                    land.plane = Some(plane);
                    land.error = None;
                }
                Err(e) => {
                    land.plane = None;
                    land.error = Some(e.text());
                }
            }
        }
        if land.key.is_none_or(|k| k.3 != run.generation) && run.status.is_none() {
            // The reference run retrains: its old plane no longer fits its path.
            if let Some((task, _)) = land.job.take() {
                task.abandon();
            }
            land.key = None;
            land.plane = None;
            land.level = None;
            land.error = None;
        }
        let Some(plane) = &land.plane else {
            return;
        };
        // The paths: a run's new snapshots projected as they come, a retrained run anew.
        land.paths.resize_with(self.runs.len(), Vec::new);
        land.paths_key.resize(self.runs.len(), 0);
        let mut grew = false;
        for ((run, path), from) in self
            .runs
            .iter()
            .zip(&mut land.paths)
            .zip(&mut land.paths_key)
        {
            if *from != run.started || path.len() > run.snapshots.len() {
                path.clear();
                *from = run.started;
            }
            grew |= path.len() < run.snapshots.len();
            path.extend(run.snapshots[path.len()..].iter().map(|(_, p)| {
                let [a, b] = plane.project(p);
                egui_plot::PlotPoint::new(a, b)
            }));
        }
        if grew && land.level.is_none() && land.job.is_none() {
            land.bounds = bounds_of(network.directions, &land.paths);
        }
        // The slice: started once the plane is known, then fed level by level.
        if land.level.is_none() && land.job.is_none() {
            let (tx, rx) = channel();
            land.job = Some((
                Task::start(slice_job(
                    net.clone(),
                    data.clone(),
                    plane.clone(),
                    land.bounds,
                    tx,
                )),
                rx,
            ));
        }
        if let Some((task, rx)) = &mut land.job {
            let outcome = task.poll();
            for level in rx.try_iter() {
                land.level = Some(level);
                land.generation = next_generation();
            }
            if !matches!(outcome, Outcome::Running) {
                land.job = None;
            }
        }
    }
}

/// The key of one run of a network scene.
fn run_key(network: &NetworkScene, settings: &RunSettings) -> RunKey {
    (
        network.model.clone(),
        network.data.clone(),
        settings.clone(),
        network.sharpness_every,
    )
}

/// The rectangle of the slice: [−1, 1]² for random directions (their natural scale, as in Li
/// et al.), widened to hold every path; the paths with a margin for principal directions.
fn bounds_of(directions: Directions, paths: &[Vec<egui_plot::PlotPoint>]) -> [f64; 4] {
    let (mut a0, mut a1, mut b0, mut b1) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for &egui_plot::PlotPoint { x: a, y: b } in paths.iter().flatten() {
        if a.is_finite() && b.is_finite() {
            (a0, a1, b0, b1) = (a0.min(a), a1.max(a), b0.min(b), b1.max(b));
        }
    }
    if let Directions::Random { .. } = directions {
        (a0, a1, b0, b1) = (a0.min(-1.0), a1.max(1.0), b0.min(-1.0), b1.max(1.0));
    }
    if !(a0.is_finite() && b0.is_finite()) {
        return [-1.0, 1.0, -1.0, 1.0];
    }
    // A margin, and never thinner than a fifth of the other side.
    let span = (a1 - a0).max(b1 - b0).max(1e-6);
    let pad = |lo: f64, hi: f64| {
        let half = ((hi - lo) / 2.0).max(span / 10.0) * 1.15;
        let mid = (lo + hi) / 2.0;
        (mid - half, mid + half)
    };
    let ((a0, a1), (b0, b1)) = (pad(a0, a1), pad(b0, b1));
    [a0, a1, b0, b1]
}

/// The background training of `todo` (run index, training, snapshot stride): a chunk of
/// steps per run in turn, sending rows, snapshots and sharpness values as they come.
fn train_job(
    todo: Vec<(usize, Training, u64)>,
    sharpness_every: u64,
    tx: Sender<News>,
) -> impl FnMut(&platform::Budget) -> Step<()> + Send + 'static {
    struct Job {
        run: usize,
        training: Training,
        trainer: Trainer,
        stride: u64,
        sharpness: SharpnessTracker,
        done: bool,
    }
    let total: u64 = todo.iter().map(|(_, t, _)| t.steps + 1).sum();
    let mut jobs: Vec<Job> = todo
        .into_iter()
        .map(|(run, t, stride)| Job {
            run,
            trainer: Trainer::new(&t),
            training: t,
            stride,
            sharpness: SharpnessTracker::default(),
            done: false,
        })
        .collect();
    move |budget| {
        while budget.has_time() {
            let mut any = false;
            for job in jobs.iter_mut().filter(|j| !j.done) {
                any = true;
                let (mut rows, mut snapshots, mut sharpness) = (Vec::new(), Vec::new(), Vec::new());
                let last_step = job.training.steps;
                let training = &job.training;
                let stride = job.stride;
                let tracker = &mut job.sharpness;
                for _ in 0..CHUNK {
                    if budget.cancelled() {
                        return Step::Pending;
                    }
                    let going = job.trainer.advance(|row, params| {
                        rows.push(*row);
                        if row.step % stride == 0 || row.step == last_step {
                            snapshots.push((row.step, params.to_vec()));
                        }
                        if sharpness_every > 0 && row.step % sharpness_every == 0 {
                            let lambda = tracker.at(training, params);
                            sharpness.push([row.step as f64, lambda]);
                        }
                    });
                    if !going {
                        break;
                    }
                }
                let ended = job.trainer.status();
                let sent = tx.send(News::Rows {
                    run: job.run,
                    rows,
                    snapshots,
                    sharpness,
                });
                if let Some(status) = ended {
                    job.done = true;
                    let _ = tx.send(News::Ended {
                        run: job.run,
                        status,
                    });
                }
                if sent.is_err() {
                    return Step::Ready(());
                }
            }
            let done: u64 = jobs.iter().map(|j| j.trainer.step()).sum();
            budget.report(done as usize, total as usize);
            if !any {
                return Step::Ready(());
            }
        }
        Step::Pending
    }
}

/// The background slice: every level of [`SLICE_LEVELS`] row by row, each sent when done.
fn slice_job(
    net: Mlp,
    data: Data,
    plane: Plane,
    bounds: [f64; 4],
    tx: Sender<SliceLevel>,
) -> impl FnMut(&platform::Budget) -> Step<()> + Send + 'static {
    let total: usize = SLICE_LEVELS.iter().sum();
    let (mut level, mut row, mut values) = (0, 0, Vec::new());
    let mut done = 0;
    move |budget| {
        while budget.has_time() {
            let Some(&n) = SLICE_LEVELS.get(level) else {
                return Step::Ready(());
            };
            let at = |lo: f64, hi: f64, i: usize| lo + (hi - lo) * i as f64 / (n - 1) as f64;
            let beta = at(bounds[2], bounds[3], row);
            let alphas: Vec<f64> = (0..n).map(|i| at(bounds[0], bounds[1], i)).collect();
            values.extend(crate::core::network::landscape::slice_row(
                &net, &plane, data.task, &data.x, &data.y, &alphas, beta,
            ));
            row += 1;
            done += 1;
            budget.report(done, total);
            if row == n {
                let finished = SliceLevel {
                    n,
                    values: std::mem::take(&mut values),
                };
                if tx.send(finished).is_err() {
                    return Step::Ready(());
                }
                level += 1;
                row = 0;
            }
        }
        Step::Pending
    }
}
