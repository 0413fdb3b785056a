//! The page's side of training. The run trains in a dedicated Web Worker when the browser can
//! start one ([`start`]), running the module its backend needs ([`TrainingModule`]): the page
//! sends it [`Command`]s as the controls change and applies the [`Event`]s it posts back to the
//! session's signals, so no training step ever holds the page's main thread. When no worker
//! starts (no module workers, the module's script not found, a failed load), the page hosts the
//! [`run_loop`] itself (on Flex, the one backend of its own module) and says so in the badge.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use leptos::prelude::*;
use orbit_labs::Experiment;
use orbit_math::dimension::Points;

use crate::browser;
use crate::session::{RunStatus, Session, WeightsRequest};
use crate::training::events::{Command, Envelope, Event};
use crate::training::{Host, run_loop};
use crate::worker_module::{self, TrainingModule};

/// How long the page waits for the worker to say it is ready before training in the page.
const READY_PATIENCE_MS: i32 = 30_000;

/// The page's training worker, while it is usable.
struct TrainingWorker {
    worker: web_sys::Worker,
    module: TrainingModule,
    /// Counts the workers started, so that a late timer does not judge a newer one.
    serial: u64,
    ready: bool,
}

thread_local! {
    static WORKER: RefCell<Option<TrainingWorker>> = const { RefCell::new(None) };
    /// Set once no worker could start: every later run trains in the page.
    static IN_PAGE: Cell<bool> = const { Cell::new(false) };
    static SERIAL: Cell<u64> = const { Cell::new(0) };
    /// The worker's decoded events not yet applied, oldest first.
    static INBOX: RefCell<VecDeque<Envelope>> = const { RefCell::new(VecDeque::new()) };
}

/// Queues a decoded event; the first of a batch starts the drain.
fn post_to_inbox(session: Session, envelope: Envelope) {
    let was_empty = INBOX.with(|q| {
        let mut q = q.borrow_mut();
        q.push_back(envelope);
        q.len() == 1
    });
    if was_empty {
        leptos::task::spawn_local(drain_inbox(session));
    }
}

/// Applies the queued events in order, each in a task of its own: decoding a large event (a
/// lab's view, a batch of reports) and rendering it were one main-thread task of up to 64 ms
/// on the sign lab's page (in a Chrome trace); split, each part stays shorter.
async fn drain_inbox(session: Session) {
    loop {
        browser::yield_now().await;
        let Some(envelope) = INBOX.with(|q| q.borrow_mut().pop_front()) else {
            return;
        };
        receive(session, envelope);
        if INBOX.with(|q| q.borrow().is_empty()) {
            return;
        }
    }
}

/// Whether the run trains in the worker.
fn in_worker() -> bool {
    WORKER.with(|w| w.borrow().is_some())
}

/// Sends `command` to the worker; `false` when there is none.
fn send(command: &Command) -> bool {
    let worker = WORKER.with(|w| w.borrow().as_ref().map(|t| t.worker.clone()));
    worker.is_some_and(|w| worker_module::send(&w, command))
}

/// Keeps the training worker told of the controls; call once, before the first run. The worker
/// itself starts with the first run ([`start`]), with the module that run needs.
pub fn install(session: Session) {
    // Ask for the adapter now, so that the first run rarely waits for it.
    leptos::task::spawn_local(async move {
        TrainingModule::for_run(session.experiment.get_untracked().backend).await;
    });
    Effect::new(move |_| {
        let command = Command::Controls {
            playing: session.playing.get(),
            experiment: session.experiment.get(),
            view_version: session.view_version.get(),
        };
        send(&command);
    });
    Effect::new(move |_| {
        if let Some(request) = session.weights_request.get()
            && in_worker()
        {
            session.weights_request.set(None);
            send(&Command::Weights(request));
        }
    });
}

/// Makes sure the training worker runs `module`: a worker with another module is given up
/// (with its run) and a new one started.
fn use_module(session: Session, module: TrainingModule) -> Result<(), String> {
    if WORKER.with(|w| w.borrow().as_ref().is_some_and(|t| t.module == module)) {
        return Ok(());
    }
    if let Some(old) = WORKER.with(|w| w.borrow_mut().take()) {
        old.worker.terminate();
    }
    let serial = SERIAL.with(|s| {
        s.set(s.get() + 1);
        s.get()
    });
    let worker = worker_module::spawn(
        module,
        "orbit-training",
        move |envelope| post_to_inbox(session, envelope),
        move |message| worker_failed(session, module, &format!("it failed: {message}")),
    )?;
    WORKER.with(|w| {
        *w.borrow_mut() = Some(TrainingWorker {
            worker,
            module,
            serial,
            ready: false,
        })
    });
    leptos::task::spawn_local(async move {
        browser::sleep_ms(READY_PATIENCE_MS).await;
        let late = WORKER.with(|w| {
            w.borrow()
                .as_ref()
                .is_some_and(|t| t.serial == serial && !t.ready)
        });
        if late {
            worker_failed(session, module, "it did not start in time");
        }
    });
    Ok(())
}

/// A worker that failed to load or start: without the module with every backend, runs go on
/// in a worker with the page's own module (Flex); without that one, in the page.
fn worker_failed(session: Session, module: TrainingModule, why: &str) {
    match module {
        TrainingModule::EveryBackend => {
            worker_module::give_up_every_backend();
            log::warn!("the module with every backend did not load: {why}");
            restart_without_worker(
                session,
                format!(
                    "WebGPU and NdArray are unavailable: their module did not load ({why}). Training runs on the CPU backend Flex."
                ),
            );
        }
        TrainingModule::Page => train_in_page(session, &format!("the training worker {why}")),
    }
}

/// Gives up the worker: the current run restarts in the page (the badge says why), and so does
/// every later one.
fn train_in_page(session: Session, why: &str) {
    if IN_PAGE.with(|p| p.replace(true)) {
        return;
    }
    log::warn!("training in the page: {why}");
    restart_without_worker(
        session,
        format!(
            "Training runs in the page itself ({why}); the page may respond slowly while it trains."
        ),
    );
}

/// Ends the current worker, tells the user `notice`, and starts the run again (with the page's
/// Play as it is) where [`start`] now puts it.
fn restart_without_worker(session: Session, notice: String) {
    if let Some(t) = WORKER.with(|w| w.borrow_mut().take()) {
        t.worker.terminate();
    }
    session.training_notices.update(|n| n.push(notice));
    let playing = session.playing.get_untracked();
    session.reset();
    session.playing.set(playing);
}

/// Starts the run of `generation`: in a worker with the module its backend needs, else in the
/// page.
pub fn start(session: Session, generation: u64) {
    if IN_PAGE.with(Cell::get) {
        run_loop::spawn(session, generation);
        return;
    }
    leptos::task::spawn_local(async move {
        let module = TrainingModule::for_run(session.experiment.get_untracked().backend).await;
        if generation != session.generation.get_untracked() || IN_PAGE.with(Cell::get) {
            return; // a newer run (or the page itself) took over meanwhile
        }
        if let Err(why) = use_module(session, module) {
            train_in_page(session, &why);
            return;
        }
        send(&Command::Start {
            generation,
            experiment: session.experiment.get_untracked(),
            points: session.custom_points.get_untracked(),
            playing: session.playing.get_untracked(),
        });
    });
}

/// Forgets the chosen device so that the next run chooses again (after a backend change).
pub fn forget_device() {
    if !send(&Command::ForgetDevice) {
        run_loop::forget_device();
    }
}

/// Tells the worker about one more single step (in the page, the loop reads the signal).
pub fn request_step() {
    send(&Command::Step);
}

/// Applies what the worker said, unless it is about a discarded run.
fn receive(session: Session, envelope: Envelope) {
    let Envelope { generation, event } = envelope;
    match event {
        Event::Ready => WORKER.with(|w| {
            if let Some(t) = w.borrow_mut().as_mut() {
                t.ready = true;
            }
        }),
        Event::Panicked(message) => {
            session.playing.set(false);
            session.status.set(RunStatus::Stopped(
                "the training worker stopped with an error".into(),
            ));
            crate::panic::show_panel(&message);
        }
        event => apply(&session, generation, event),
    }
}

/// Puts an event of the run of `generation` into the session's signals. The backend applies
/// whatever the run (it is the page's); everything else only for the current run.
pub fn apply(s: &Session, generation: u64, event: Event) {
    if let Event::Backend(status) = event {
        s.backend.set(status);
        return;
    }
    if generation != s.generation.get_untracked() {
        return;
    }
    match event {
        Event::Status(status) => s.status.set(status),
        Event::Built {
            params,
            has_weights,
        } => {
            s.params.set(params);
            s.has_weights.set(has_weights);
        }
        Event::Restarted { steps, report } => {
            s.losses.set(Vec::new());
            s.steps.set(steps);
            s.reports.set(vec![report]);
        }
        Event::Progress {
            steps,
            losses,
            reports,
            advice,
        } => progress(s, steps, losses, reports, advice),
        Event::Speed(speed) => s.speed.set(speed),
        Event::Classification(c) => s.classification.set(Some(c)),
        Event::Predictions(predictions) => s.classification.update(|c| {
            if let Some(c) = c {
                c.predictions = predictions;
            }
        }),
        Event::View(view) => s.view.set(view.map(|v| v.0)),
        Event::Playing(playing) => s.playing.set(playing),
        Event::WeightsStatus(status) => s.weights_status.set(status),
        Event::WeightsFile { name, bytes } => {
            if let Err(e) = crate::files::save_bytes(&name, &bytes) {
                s.weights_status.set(e);
            }
        }
        Event::Restart => s.reset(),
        Event::Ready | Event::Panicked(_) | Event::Backend(_) | Event::Benchmark(_) => {}
    }
}

/// Adds a progress event's losses and reports to the charts.
fn progress(
    s: &Session,
    steps: usize,
    losses: Vec<(String, f64, f64)>,
    reports: Vec<orbit_labs::Metrics>,
    advice: Option<String>,
) {
    if !losses.is_empty() {
        s.losses.update(|curves| {
            for (name, step, loss) in losses {
                match curves.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, points)) => points.push((step, loss)),
                    None => curves.push((name, vec![(step, loss)])),
                }
            }
        });
    }
    if s.steps.get_untracked() != steps {
        s.steps.set(steps);
    }
    if !reports.is_empty() {
        s.advice.set(advice);
        s.reports.update(|r| r.extend(reports));
    }
}

/// The page as the loop's host, when it trains in the page.
impl Host for Session {
    fn generation(&self) -> u64 {
        self.generation.get_untracked()
    }
    fn experiment(&self) -> Experiment {
        self.experiment.get_untracked()
    }
    fn points(&self) -> Option<Points> {
        self.custom_points.get_untracked()
    }
    fn playing(&self) -> bool {
        self.playing.get_untracked()
    }
    fn pending_steps(&self) -> usize {
        self.pending_steps.get_untracked()
    }
    fn take_step(&self) {
        self.pending_steps.update(|p| *p = p.saturating_sub(1));
    }
    fn view_version(&self) -> u64 {
        self.view_version.get_untracked()
    }
    fn take_weights_request(&self) -> Option<WeightsRequest> {
        let request = self.weights_request.get_untracked();
        if request.is_some() {
            self.weights_request.set(None);
        }
        request
    }
    fn yields_within_steps(&self) -> bool {
        true
    }
    fn emit(&self, generation: u64, event: Event) {
        apply(self, generation, event);
    }
}
