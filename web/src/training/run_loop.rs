//! The training loop: builds the [`Run`] of the host's experiment and advances it in chunks of at
//! most [`CHUNK_MS`] milliseconds, yielding between them. Losses and reports reach the page at
//! most every [`FLUSH_MS`], so redrawing stays cheap. Device choice, the move to WebGPU once
//! `auto` has timed it, and the fall-back to the CPU when WebGPU fails live here too: they are
//! decided where the run lives.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use burn::tensor::Device;
use orbit_labs::backend::DEFAULT_CPU;
use orbit_labs::registry::SentView;
use orbit_labs::{BackendKind, BackendPreference, Metrics, Run, RunError};
use wasm_bindgen_futures::spawn_local;

use super::Host;
use super::events::Event;
use crate::backend::{self, BackendStatus};
use crate::browser::{now_ms, sleep_ms, yield_now};
use crate::session::{Classification, GALLERY, RunStatus, WeightsRequest};

/// Longest stretch of training between two yields.
pub const CHUNK_MS: f64 = 12.0;

/// Shortest interval between two progress events while training: the page is redrawn at most
/// this often, however fast the steps are.
pub const FLUSH_MS: f64 = 100.0;

/// How often a paused loop looks for new commands.
const IDLE_POLL_MS: i32 = 50;

thread_local! {
    /// The device chosen for a backend preference, reused until the preference changes.
    static DEVICE: RefCell<Option<(BackendPreference, Device)>> = const { RefCell::new(None) };
    /// The backend status last told to the page.
    static BACKEND: RefCell<Option<BackendStatus>> = const { RefCell::new(None) };
}

thread_local! {
    /// Whether a loop holds a built run. A reset starts a new loop before the old one has
    /// noticed that it is stale; the new one waits for the old run to be dropped, so that two
    /// runs never sit in memory at once (the wasm heap, which never shrinks, would keep room
    /// for both: the training soak measured +2.4 MiB at the first reset).
    static LIVE_RUN: Cell<bool> = const { Cell::new(false) };
}

/// The one built run; dropping it lets the next loop build its own.
struct LiveRun;

impl LiveRun {
    /// Longest wait for the previous run to be dropped, after which the new one is built
    /// anyway (the old loop may be inside a slow WebGPU step).
    const PATIENCE_MS: f64 = 5_000.0;

    /// Waits until no other loop holds a run; `None` when this loop went stale meanwhile.
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

/// Tells the page the backend in use and remembers it.
fn set_backend(host: &impl Host, status: Option<BackendStatus>) {
    BACKEND.with(|b| *b.borrow_mut() = status.clone());
    host.emit(host.generation(), Event::Backend(status));
}

fn backend_in_use() -> Option<BackendStatus> {
    BACKEND.with(|b| b.borrow().clone())
}

/// Starts the loop of `generation` in the background.
pub fn spawn(host: impl Host, generation: u64) {
    spawn_local(run(host, generation));
}

/// The device for a run of a lab that computes on one: the one chosen for `preference` before,
/// or a new choice (for `auto`: the CPU at once, WebGPU timed in the background).
async fn device_for(host: &impl Host, generation: u64, preference: BackendPreference) -> Device {
    if let Some(device) = cached_device(preference) {
        // The badge may show a lab without a device (below): show the chosen backend again.
        host.emit(generation, Event::Backend(backend_in_use()));
        return device;
    }
    if preference == BackendPreference::Auto {
        // Usable at once: start on the default CPU backend and let the timing of WebGPU
        // against it finish in the background (it took up to minutes on a software adapter).
        let cpu = preference.cpu_device();
        DEVICE.with(|d| *d.borrow_mut() = Some((preference, cpu.clone())));
        set_backend(host, Some(BackendStatus::provisional()));
        spawn_local(choose_in_background(host.clone()));
        return cpu;
    }
    set_backend(host, None);
    host.emit(
        generation,
        Event::Status(RunStatus::Preparing(
            "choosing a backend: timing a warm-up step".into(),
        )),
    );
    let choice = backend::choose(&host.experiment()).await;
    set_backend(host, Some(BackendStatus::from(&choice)));
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
async fn choose_in_background(host: impl Host) {
    let experiment = host.experiment();
    let choice = backend::choose(&experiment).await;
    if host.experiment().backend != BackendPreference::Auto
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
        set_backend(&host, Some(status));
        host.emit(host.generation(), Event::Restart);
    } else {
        set_backend(&host, Some(status));
    }
}

/// Test images and predictions of a classifying run, as an event: the whole set the first
/// time, the predictions after that.
fn classification(run: &Run, first: bool) -> Option<Event> {
    let (set, predictions) = run.classification()?;
    let predictions = predictions.to_vec();
    Some(if first {
        Event::Classification(Classification {
            labels: set.labels.clone(),
            predictions,
            gallery: (0..GALLERY.min(set.len()))
                .map(|i| set.image(i).to_vec())
                .collect(),
            side: set.side,
        })
    } else {
        Event::Predictions(predictions)
    })
}

async fn run(host: impl Host, generation: u64) {
    let stale = || host.generation() != generation;
    let say = |event: Event| host.emit(generation, event);
    let experiment = host.experiment();
    let device = if experiment.lab.uses_device() {
        device_for(&host, generation, experiment.backend).await
    } else {
        // Nothing to choose (and nothing remembered): the run ignores its device.
        host.emit(generation, Event::Backend(Some(BackendStatus::plain_cpu())));
        experiment.backend.cpu_device()
    };
    if stale() {
        return;
    }
    let Some(_live) = LiveRun::acquire(stale).await else {
        return;
    };
    say(Event::Status(RunStatus::Preparing(
        "building the model".into(),
    )));
    let mut run = Run::with_points(&experiment, &device, host.points().as_ref());
    if host.yields_within_steps() {
        run.set_yielder(Rc::new(|| Box::pin(yield_now())));
    }
    say(Event::Built {
        params: run.num_params(),
        has_weights: run.saves_weights(),
    });
    match run.report().await {
        Ok(report) if !stale() => {
            say(Event::Restarted { steps: 0, report });
            say_classification(&say, &run, true);
        }
        Ok(_) => return,
        Err(e) => {
            if !fall_back_to_cpu(&host, generation, &e) {
                say(Event::Status(RunStatus::Stopped(e.to_string())));
            }
            return;
        }
    }
    let mut finished = false;
    let mut status = None;
    let mut recent: VecDeque<(f64, usize)> = VecDeque::new();
    let mut pending = Pending::default();
    let mut last_flush = now_ms();
    let mut view_shown: Option<(u64, usize)> = None;
    let mut reports = 1;
    loop {
        if stale() {
            return;
        }
        // The lab's view follows the view-only knobs and every new report.
        let wanted = (host.view_version(), reports);
        if view_shown != Some(wanted) {
            view_shown = Some(wanted);
            let settings = host.experiment().lab;
            match run.view(&settings).await {
                Ok(view) if !stale() => say(Event::View(view.map(SentView))),
                Ok(_) => return,
                Err(e) => log::warn!("the lab's view failed: {e}"),
            }
        }
        if let Some(request) = host.take_weights_request() {
            match weights(&host, &mut run, request).await {
                Ok(loaded) => {
                    if loaded {
                        finished = false;
                        pending = Pending::default();
                        reports = 1;
                    }
                }
                Err(e) => say(Event::WeightsStatus(e)),
            }
            if stale() {
                return;
            }
        }
        let playing = host.playing();
        if finished || (!playing && host.pending_steps() == 0) {
            let idle = if finished {
                RunStatus::Finished
            } else {
                RunStatus::Paused
            };
            if status.as_ref() != Some(&idle) {
                status = Some(idle.clone());
                say(Event::Status(idle));
                say(Event::Speed(0.0));
                recent.clear();
            }
            if finished && playing {
                say(Event::Playing(false));
            }
            sleep_ms(IDLE_POLL_MS).await;
            continue;
        }
        if playing && status != Some(RunStatus::Running) {
            status = Some(RunStatus::Running);
            say(Event::Status(RunStatus::Running));
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
            if !host.playing() {
                host.take_step();
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
        let due = now - last_flush >= FLUSH_MS || !host.playing() || finished || stop.is_some();
        if due {
            reports += pending.reports.len();
            pending.flush(&host, generation, &run);
            if run.view_follows_steps() {
                let settings = host.experiment().lab;
                if let Ok(view) = run.view(&settings).await {
                    if stale() {
                        return;
                    }
                    say(Event::View(view.map(SentView)));
                }
            }
            last_flush = now;
            if let Some((t0, _)) = recent.front() {
                let steps: usize = recent.iter().skip(1).map(|(_, n)| n).sum();
                if now > *t0 {
                    say(Event::Speed(steps as f64 * 1000.0 / (now - t0)));
                }
            }
        }
        if let Some(error) = stop {
            if !fall_back_to_cpu(&host, generation, &error) {
                say(Event::Playing(false));
                say(Event::Status(RunStatus::Stopped(error.to_string())));
            }
            return;
        }
        yield_now().await;
    }
}

fn say_classification(say: &impl Fn(Event), run: &Run, first: bool) {
    if let Some(event) = classification(run, first) {
        say(event);
    }
}

/// When WebGPU fails under a run (the device was lost, a read-back failed), later runs of
/// this page use the CPU backend and this run restarts there with the same settings, still
/// playing if it was; the badge says why. `false` when the error is not WebGPU's to survive
/// (a divergence, or a CPU backend's failure), so the caller stops the run with its sentence.
fn fall_back_to_cpu(host: &impl Host, generation: u64, error: &RunError) -> bool {
    let Some(previous) = backend_in_use() else {
        return false;
    };
    if previous.kind != BackendKind::Webgpu || !matches!(error, RunError::Backend(_)) {
        return false;
    }
    let experiment = host.experiment();
    let cpu_kind = experiment.backend.cpu_kind();
    let cpu = experiment.backend.cpu_device();
    log::warn!("WebGPU failed during training, moving to the CPU: {error}");
    backend::give_up_webgpu(format!("it failed during training: {error}"));
    DEVICE.with(|d| *d.borrow_mut() = Some((experiment.backend, cpu)));
    set_backend(
        host,
        Some(BackendStatus {
            kind: cpu_kind,
            reason: Some(format!(
                "WebGPU was lost during training ({}); the run restarted on {} with the same settings",
                innermost_cause(&error.to_string()),
                cpu_kind.label()
            )),
            provisional: false,
            ..previous
        }),
    );
    host.emit(generation, Event::Restart);
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
async fn weights(host: &impl Host, run: &mut Run, request: WeightsRequest) -> Result<bool, String> {
    let experiment = host.experiment();
    let generation = host.generation();
    match request {
        WeightsRequest::Save => {
            // Saving reads every parameter back at once; a page may read WebGPU buffers only
            // asynchronously, so the weights are saved from a CPU backend.
            if backend_in_use().is_some_and(|b| b.kind == BackendKind::Webgpu) {
                return Err("Not saved: saving weights needs a CPU backend here (set Backend to cpu, train, then save).".into());
            }
            let bytes = run.weights_file(&experiment)?;
            let name = orbit_labs::export::file_name(&experiment, "weights", "orbit");
            let status = format!(
                "Saved {name}: the weights after step {} ({} bytes).",
                run.steps(),
                bytes.len()
            );
            host.emit(generation, Event::WeightsFile { name, bytes });
            host.emit(generation, Event::WeightsStatus(status));
            Ok(false)
        }
        WeightsRequest::Load(bytes) => {
            run.load_weights_file(&experiment, &bytes)
                .map_err(|e| format!("Not loaded: {e}."))?;
            let report = run.report().await.map_err(|e| e.to_string())?;
            host.emit(
                generation,
                Event::Restarted {
                    steps: run.steps(),
                    report,
                },
            );
            say_classification(&|e| host.emit(generation, e), run, false);
            host.emit(
                generation,
                Event::WeightsStatus(format!(
                    "Loaded the weights of step {}; training continues from them.",
                    run.steps()
                )),
            );
            Ok(true)
        }
    }
}

/// Losses and reports not yet told to the page.
#[derive(Default)]
struct Pending {
    steps: usize,
    losses: Vec<(String, f64, f64)>,
    reports: Vec<Metrics>,
    /// Whether advice is on screen (training that went wrong pauses once, so it is read).
    advised: bool,
}

impl Pending {
    /// Tells the page everything pending in one event.
    fn flush(&mut self, host: &impl Host, generation: u64, run: &Run) {
        let reports = std::mem::take(&mut self.reports);
        let advice = reports.last().and_then(|r| run.advice(r));
        let new_reports = !reports.is_empty();
        if new_reports {
            if advice.is_some() && !self.advised {
                // Training that went wrong without overflowing (a step size so large that the
                // loss stays finite at chance) pauses, so that the advice is read.
                host.emit(generation, Event::Playing(false));
            }
            self.advised = advice.is_some();
        }
        host.emit(
            generation,
            Event::Progress {
                steps: self.steps,
                losses: std::mem::take(&mut self.losses),
                reports,
                advice,
            },
        );
        if new_reports {
            say_classification(&|e| host.emit(generation, e), run, false);
        }
    }
}
