//! The training loop of the page: advances the [`Run`] in chunks of at most [`CHUNK_MS`]
//! milliseconds and yields to the browser between them, so the page never freezes. Losses and
//! reports reach the session's signals at most every [`FLUSH_MS`], so redrawing stays cheap.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use burn::tensor::Device;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orbit_labs::backend::DEFAULT_CPU;
use orbit_labs::{BackendKind, BackendPreference, Run, RunError};

use crate::backend::{self, BackendStatus};
use crate::browser::{now_ms, sleep_ms, yield_now};
use crate::session::{Classification, GALLERY, RunStatus, Session, WeightsRequest};

/// Publishes the run's test predictions (and, on the first call, its gallery images).
fn publish_classification(s: &Session, run: &Run) {
    let Some((set, predictions)) = run.classification() else {
        return;
    };
    let predictions = predictions.to_vec();
    let existing = s.classification.with_untracked(|c| c.is_some());
    if existing {
        s.classification.update(|c| {
            if let Some(c) = c {
                c.predictions = predictions;
            }
        });
    } else {
        s.classification.set(Some(Classification {
            labels: set.labels.clone(),
            predictions,
            gallery: (0..GALLERY.min(set.len()))
                .map(|i| set.image(i).to_vec())
                .collect(),
            side: set.side,
        }));
    }
}

/// Longest stretch of training between two yields to the browser.
pub const CHUNK_MS: f64 = 12.0;

/// Shortest interval between two updates of the charts while training: the page is redrawn
/// at most this often, however fast the steps are.
pub const FLUSH_MS: f64 = 100.0;

/// How often a paused runner looks for new commands.
const IDLE_POLL_MS: i32 = 50;

thread_local! {
    /// The device chosen for a backend preference, reused until the preference changes.
    static DEVICE: RefCell<Option<(BackendPreference, Device)>> = const { RefCell::new(None) };
}

thread_local! {
    /// Whether a runner holds a built run. A reset starts a new runner before the old one has
    /// noticed that it is stale; the new one waits for the old run to be dropped, so that two
    /// runs never sit in memory at once (the wasm heap, which never shrinks, would keep room
    /// for both: the training soak measured +2.4 MiB at the first reset).
    static LIVE_RUN: Cell<bool> = const { Cell::new(false) };
}

/// The page's one built run; dropping it lets the next runner build its own.
struct LiveRun;

impl LiveRun {
    /// Longest wait for the previous run to be dropped, after which the new one is built
    /// anyway (the old runner may be inside a slow WebGPU step).
    const PATIENCE_MS: f64 = 5_000.0;

    /// Waits until no other runner holds a run; `None` when this runner went stale meanwhile.
    async fn acquire(stale: impl Fn() -> bool) -> Option<Self> {
        let start = now_ms();
        while LIVE_RUN.with(Cell::get) && now_ms() - start < Self::PATIENCE_MS {
            if stale() {
                return None;
            }
            sleep_ms(10).await;
        }
        LIVE_RUN.with(|l| l.set(true));
        Some(LiveRun)
    }
}

impl Drop for LiveRun {
    fn drop(&mut self) {
        LIVE_RUN.with(|l| l.set(false));
    }
}

/// Forgets the chosen device so the next run chooses again (after a backend change).
pub fn forget_device() {
    DEVICE.with(|d| *d.borrow_mut() = None);
}

/// Starts the runner of `generation` in the background.
pub fn spawn(session: Session, generation: u64) {
    spawn_local(run(session, generation));
}

async fn device_for(session: &Session, preference: BackendPreference) -> Device {
    if let Some(device) = cached_device(preference) {
        return device;
    }
    if preference == BackendPreference::Auto {
        // Usable at once: start on the default CPU backend and let the timing of WebGPU
        // against it finish in the background (it took up to minutes on a software adapter).
        let cpu = preference.cpu_device();
        DEVICE.with(|d| *d.borrow_mut() = Some((preference, cpu.clone())));
        session.backend.set(Some(BackendStatus::provisional()));
        spawn_local(choose_in_background(*session));
        return cpu;
    }
    session.backend.set(None);
    session.status.set(RunStatus::Preparing(
        "choosing a backend: timing a warm-up step".into(),
    ));
    let choice = backend::choose(&session.experiment.get_untracked()).await;
    session.backend.set(Some(BackendStatus::from(&choice)));
    DEVICE.with(|d| *d.borrow_mut() = Some((preference, choice.device.clone())));
    choice.device
}

fn cached_device(preference: BackendPreference) -> Option<Device> {
    DEVICE.with(|d| {
        d.borrow()
            .as_ref()
            .filter(|(p, _)| *p == preference)
            .map(|(_, dev)| dev.clone())
    })
}

/// `auto`'s choice, made while the run already trains on the CPU: times a warm-up step on
/// WebGPU and on the CPU, keeps the faster for every later run, and when that is WebGPU
/// restarts the current run there with the same settings (the badge says so).
async fn choose_in_background(session: Session) {
    let experiment = session.experiment.get_untracked();
    let choice = backend::choose(&experiment).await;
    if session.experiment.get_untracked().backend != BackendPreference::Auto
        || cached_device(BackendPreference::Auto).is_none()
    {
        return; // The preference changed meanwhile; its own choice stands.
    }
    DEVICE.with(|d| *d.borrow_mut() = Some((BackendPreference::Auto, choice.device.clone())));
    let mut status = BackendStatus::from(&choice);
    if choice.kind != DEFAULT_CPU {
        status.reason = Some(format!(
            "moved from {} once the warm-up timing was in: the run restarted there with the same settings",
            DEFAULT_CPU.label()
        ));
        session.backend.set(Some(status));
        session.reset();
    } else {
        session.backend.set(Some(status));
    }
}

async fn run(s: Session, generation: u64) {
    let stale = move || s.generation.get_untracked() != generation;
    let experiment = s.experiment.get_untracked();
    let device = device_for(&s, experiment.backend).await;
    if stale() {
        return;
    }
    let Some(_live) = LiveRun::acquire(stale).await else {
        return;
    };
    s.status
        .set(RunStatus::Preparing("building the model".into()));
    let mut run = s
        .custom_points
        .with_untracked(|points| Run::with_points(&experiment, &device, points.as_ref()));
    run.set_yielder(Rc::new(|| Box::pin(yield_now())));
    s.params.set(run.num_params());
    s.has_weights.set(run.saves_weights());
    match run.report().await {
        Ok(m) if !stale() => {
            s.reports.set(vec![m]);
            publish_classification(&s, &run);
        }
        Ok(_) => return,
        Err(e) => {
            if !fall_back_to_cpu(&s, &e) {
                s.status.set(RunStatus::Stopped(e.to_string()));
            }
            return;
        }
    }
    let mut finished = false;
    let mut recent: VecDeque<(f64, usize)> = VecDeque::new();
    let mut pending = Pending::default();
    let mut last_flush = now_ms();
    let mut view_shown: Option<(u64, usize)> = None;
    loop {
        if stale() {
            return;
        }
        // The lab's view follows the view-only knobs and every new report.
        let wanted = (
            s.view_version.get_untracked(),
            s.reports.with_untracked(Vec::len),
        );
        if view_shown != Some(wanted) {
            view_shown = Some(wanted);
            let settings = s.experiment.with_untracked(|e| e.lab.clone());
            match run.view(&settings).await {
                Ok(view) if !stale() => s.view.set(view),
                Ok(_) => return,
                Err(e) => log::warn!("the lab's view failed: {e}"),
            }
        }
        if let Some(request) = s.weights_request.get_untracked() {
            s.weights_request.set(None);
            match weights(&s, &mut run, request).await {
                Ok(loaded) => finished &= !loaded,
                Err(e) => s.weights_status.set(e),
            }
            if stale() {
                return;
            }
        }
        let playing = s.playing.get_untracked();
        if finished || (!playing && s.pending_steps.get_untracked() == 0) {
            let idle = if finished {
                RunStatus::Finished
            } else {
                RunStatus::Paused
            };
            if s.status.get_untracked() != idle {
                s.status.set(idle);
                s.speed.set(0.0);
                recent.clear();
            }
            if finished && s.playing.get_untracked() {
                s.playing.set(false);
            }
            sleep_ms(IDLE_POLL_MS).await;
            continue;
        }
        if playing && s.status.get_untracked() != RunStatus::Running {
            s.status.set(RunStatus::Running);
        }
        let start = now_ms();
        let mut stop = None;
        let mut taken = 0;
        loop {
            match run.step().await {
                Ok(outcome) => {
                    pending.steps = outcome.step;
                    for (name, loss) in outcome.losses {
                        pending.losses.push((name, outcome.step as f64, loss));
                    }
                    pending.reports.extend(outcome.report);
                    finished = outcome.finished;
                    taken += 1;
                }
                Err(e) => stop = Some(e),
            }
            if stale() {
                return;
            }
            if !s.playing.get_untracked() {
                s.pending_steps.update(|p| *p = p.saturating_sub(1));
                break;
            }
            if finished || stop.is_some() || now_ms() - start > CHUNK_MS {
                break;
            }
        }
        let now = now_ms();
        recent.push_back((now, taken));
        while recent.front().is_some_and(|(t, _)| now - t > 1000.0) {
            recent.pop_front();
        }
        let due = now - last_flush >= FLUSH_MS
            || !s.playing.get_untracked()
            || finished
            || stop.is_some();
        if due {
            pending.flush(&s, &run);
            if run.view_follows_steps() {
                let settings = s.experiment.with_untracked(|e| e.lab.clone());
                if let Ok(view) = run.view(&settings).await {
                    if stale() {
                        return;
                    }
                    s.view.set(view);
                }
            }
            last_flush = now;
            if let Some((t0, _)) = recent.front() {
                let steps: usize = recent.iter().skip(1).map(|(_, n)| n).sum();
                if now > *t0 {
                    s.speed.set(steps as f64 * 1000.0 / (now - t0));
                }
            }
        }
        if let Some(error) = stop {
            if !fall_back_to_cpu(&s, &error) {
                s.playing.set(false);
                s.status.set(RunStatus::Stopped(error.to_string()));
            }
            return;
        }
        yield_now().await;
    }
}

/// When WebGPU fails under a run (the device was lost, a read-back failed), later runs of
/// this page use the CPU backend and this run restarts there with the same settings, still
/// playing if it was; the badge says why. `false` when the error is not WebGPU's to survive
/// (a divergence, or a CPU backend's failure), so the caller stops the run with its sentence.
fn fall_back_to_cpu(s: &Session, error: &RunError) -> bool {
    let Some(previous) = s.backend.get_untracked() else {
        return false;
    };
    if previous.kind != BackendKind::Webgpu || !matches!(error, RunError::Backend(_)) {
        return false;
    }
    let experiment = s.experiment.get_untracked();
    let cpu_kind = experiment.backend.cpu_kind();
    let cpu = experiment.backend.cpu_device();
    log::warn!("WebGPU failed during training, moving to the CPU: {error}");
    backend::give_up_webgpu(format!("it failed during training: {error}"));
    DEVICE.with(|d| *d.borrow_mut() = Some((experiment.backend, cpu)));
    s.backend.set(Some(BackendStatus {
        kind: cpu_kind,
        reason: Some(format!(
            "WebGPU was lost during training ({}); the run restarted on {} with the same settings",
            innermost_cause(&error.to_string()),
            cpu_kind.label()
        )),
        provisional: false,
        ..previous
    }));
    let playing = s.playing.get_untracked();
    s.reset();
    s.playing.set(playing);
    true
}

/// The last "Caused by:" of a backend error's chain, without its backtrace: the sentence a
/// reader can act on.
fn innermost_cause(error: &str) -> &str {
    let cause = error.rsplit("Caused by:").next().unwrap_or(error);
    cause.split("Backtrace").next().unwrap_or(cause).trim()
}

/// Saves the run's weights as a file, or continues from a file's; `Ok(true)` when weights
/// were loaded (the charts then start again from the loaded step).
async fn weights(s: &Session, run: &mut Run, request: WeightsRequest) -> Result<bool, String> {
    let experiment = s.experiment.get_untracked();
    match request {
        WeightsRequest::Save => {
            // Saving reads every parameter back at once; a page may read WebGPU buffers only
            // asynchronously, so the weights are saved from a CPU backend.
            if s.backend
                .with_untracked(|b| b.as_ref().is_some_and(|b| b.kind == BackendKind::Webgpu))
            {
                return Err("Not saved: saving weights needs a CPU backend here (set Backend to cpu, train, then save).".into());
            }
            let bytes = run.weights_file(&experiment)?;
            let name = orbit_labs::export::file_name(&experiment, "weights", "orbit");
            let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
            let blob = web_sys::Blob::new_with_u8_array_sequence(&parts)
                .map_err(|_| "the browser could not make the file".to_string())?;
            crate::files::save_blob(&name, &blob)?;
            s.weights_status.set(format!(
                "Saved {name}: the weights after step {} ({} bytes).",
                run.steps(),
                bytes.len()
            ));
            Ok(false)
        }
        WeightsRequest::Load(bytes) => {
            run.load_weights_file(&experiment, &bytes)
                .map_err(|e| format!("Not loaded: {e}."))?;
            let report = run.report().await.map_err(|e| e.to_string())?;
            s.losses.set(Vec::new());
            s.steps.set(run.steps());
            s.reports.set(vec![report]);
            publish_classification(s, run);
            s.weights_status.set(format!(
                "Loaded the weights of step {}; training continues from them.",
                run.steps()
            ));
            Ok(true)
        }
    }
}

/// Losses and reports not yet shown.
#[derive(Default)]
struct Pending {
    steps: usize,
    losses: Vec<(String, f64, f64)>,
    reports: Vec<orbit_labs::Metrics>,
}

impl Pending {
    /// Publishes everything pending to the session's signals in one go.
    fn flush(&mut self, s: &Session, run: &Run) {
        if !self.losses.is_empty() {
            let losses = std::mem::take(&mut self.losses);
            s.losses.update(|curves| {
                for (name, step, loss) in losses {
                    match curves.iter_mut().find(|(n, _)| *n == name) {
                        Some((_, points)) => points.push((step, loss)),
                        None => curves.push((name, vec![(step, loss)])),
                    }
                }
            });
        }
        if s.steps.get_untracked() != self.steps {
            s.steps.set(self.steps);
        }
        if !self.reports.is_empty() {
            let reports = std::mem::take(&mut self.reports);
            let advice = reports.last().and_then(|r| run.advice(r));
            if advice.is_some() && s.advice.with_untracked(Option::is_none) {
                // Training that went wrong without overflowing (a step size so large that the
                // loss stays finite at chance) pauses, so that the advice is read.
                s.playing.set(false);
            }
            s.advice.set(advice);
            s.reports.update(|r| r.extend(reports));
            publish_classification(s, run);
        }
    }
}
