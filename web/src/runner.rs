//! The page's side of training. The run trains in a dedicated Web Worker when the browser can
//! start one ([`install`]): the page sends it [`Command`]s as the controls change and applies
//! the [`Event`]s it posts back to the session's signals, so no training step ever holds the
//! page's main thread. When no worker starts (no module workers, the module's script not
//! found, a failed load), the page hosts the [`run_loop`] itself and says so in the badge.

use std::cell::RefCell;
use std::collections::VecDeque;

use leptos::prelude::*;
use orbit_labs::Experiment;
use orbit_math::dimension::Points;
use wasm_bindgen::prelude::*;

use crate::browser;
use crate::session::{RunStatus, Session, WeightsRequest};
use crate::training::events::{self, Command, Envelope, Event};
use crate::training::{Host, run_loop};

/// How long the page waits for the worker to say it is ready before training in the page.
const READY_PATIENCE_MS: i32 = 30_000;

/// The page's training worker, while it is usable.
struct TrainingWorker {
    worker: web_sys::Worker,
    ready: bool,
}

thread_local! {
    static WORKER: RefCell<Option<TrainingWorker>> = const { RefCell::new(None) };
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
    WORKER.with(|w| {
        let Some(w) = w.borrow().as_ref().map(|t| t.worker.clone()) else {
            return false;
        };
        match events::encode(command) {
            Ok(message) => w.post_message(&message).is_ok(),
            Err(e) => {
                log::warn!("could not encode a command for the training worker: {e}");
                false
            }
        }
    })
}

/// Starts the training worker and keeps it told of the controls; call once, before the first
/// run. Without a worker, nothing changes: [`start`] then runs the loop in the page.
pub fn install(session: Session) {
    match start_worker(session) {
        Ok(worker) => WORKER.with(|w| {
            *w.borrow_mut() = Some(TrainingWorker {
                worker,
                ready: false,
            })
        }),
        Err(why) => {
            log::warn!("training in the page: {why}");
            return;
        }
    }
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
    leptos::task::spawn_local(async move {
        browser::sleep_ms(READY_PATIENCE_MS).await;
        if WORKER.with(|w| w.borrow().as_ref().is_some_and(|t| !t.ready)) {
            train_in_page(session, "the training worker did not start in time");
        }
    });
}

/// The address of the page's own module script (the one Trunk preloads).
fn module_script() -> Result<String, String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let href = document
        .query_selector("link[rel=modulepreload][href$='.js']")
        .ok()
        .flatten()
        .and_then(|l| l.get_attribute("href"))
        .ok_or("the page's module script is not preloaded")?;
    web_sys::Url::new_with_base(&href, &document.url().map_err(|_| "no page address")?)
        .map(|u| u.href())
        .map_err(|_| "the module script's address does not parse".into())
}

fn start_worker(session: Session) -> Result<web_sys::Worker, String> {
    let script = module_script()?;
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    options.set_name("orbit-training");
    let worker = web_sys::Worker::new_with_options("worker.js", &options)
        .map_err(|e| format!("the browser refused a module worker ({e:?})"))?;
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            match events::decode::<Envelope>(&e.data()) {
                Ok(envelope) => post_to_inbox(session, envelope),
                Err(e) => log::warn!("a message from the training worker did not decode: {e}"),
            }
        });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
        let message = e
            .dyn_ref::<web_sys::ErrorEvent>()
            .map(|e| e.message())
            .unwrap_or_else(|| "it failed to load".into());
        train_in_page(session, &format!("the training worker failed: {message}"));
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    // The first message hands over the compiled module, so the worker neither downloads nor
    // compiles it again.
    let init = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&init, &"script".into(), &script.into());
    let _ = js_sys::Reflect::set(&init, &"module".into(), &wasm_bindgen::module());
    worker
        .post_message(&init)
        .map_err(|e| format!("the worker refused the module ({e:?})"))?;
    Ok(worker)
}

/// Gives up the worker: the current run restarts in the page (the badge says why).
fn train_in_page(session: Session, why: &str) {
    let Some(t) = WORKER.with(|w| w.borrow_mut().take()) else {
        return;
    };
    t.worker.terminate();
    log::warn!("training in the page: {why}");
    session.notices.update(|n| {
        n.push(format!(
            "Training runs in the page itself ({why}); the page may respond slowly while it trains."
        ))
    });
    let playing = session.playing.get_untracked();
    session.reset();
    session.playing.set(playing);
}

/// Starts the run of `generation`: in the worker when there is one, else in the page.
pub fn start(session: Session, generation: u64) {
    let experiment = session.experiment.get_untracked();
    let command = Command::Start {
        generation,
        experiment,
        points: session.custom_points.get_untracked(),
        playing: session.playing.get_untracked(),
    };
    if !send(&command) {
        run_loop::spawn(session, generation);
    }
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
        Event::Ready | Event::Panicked(_) | Event::Backend(_) => {}
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
