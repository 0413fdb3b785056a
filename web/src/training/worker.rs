//! The training worker's side: a WebAssembly module instantiated in a dedicated Web Worker runs
//! the [`super::run_loop`] there. `static/worker.js` loads the page's own module (sent compiled
//! by the page, Flex only) or the module with every backend (`orbit-backends`, fetched by name),
//! as the page's [`crate::runner`] decides. [`worker_main`] mirrors the page's controls from the
//! [`Command`]s it receives and posts every [`Event`] back.

use std::cell::RefCell;
use std::collections::VecDeque;

use orbit_labs::Experiment;
use orbit_math::dimension::Points;
use wasm_bindgen::prelude::*;

use super::events::{self, Command, Envelope, Event};
use super::{Host, run_loop};
use crate::session::WeightsRequest;

/// The page's controls as the last commands set them.
#[derive(Default)]
struct Controls {
    generation: u64,
    experiment: Experiment,
    points: Option<Points>,
    playing: bool,
    pending_steps: usize,
    view_version: u64,
    weights: VecDeque<WeightsRequest>,
}

thread_local! {
    static CONTROLS: RefCell<Controls> = RefCell::new(Controls::default());
}

fn scope() -> web_sys::DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts `event` about the run of `generation` to the page.
fn post(generation: u64, event: Event) {
    match events::encode(&Envelope { generation, event }) {
        Ok(message) => {
            if let Err(e) = scope().post_message(&message) {
                log::warn!("the training worker could not post to the page: {e:?}");
            }
        }
        Err(e) => log::warn!("the training worker could not encode an event: {e}"),
    }
}

/// The worker as the training loop's host.
#[derive(Clone, Copy)]
struct WorkerHost;

impl Host for WorkerHost {
    fn generation(&self) -> u64 {
        CONTROLS.with(|c| c.borrow().generation)
    }
    fn experiment(&self) -> Experiment {
        CONTROLS.with(|c| c.borrow().experiment.clone())
    }
    fn points(&self) -> Option<Points> {
        CONTROLS.with(|c| c.borrow().points.clone())
    }
    fn playing(&self) -> bool {
        CONTROLS.with(|c| c.borrow().playing)
    }
    fn pending_steps(&self) -> usize {
        CONTROLS.with(|c| c.borrow().pending_steps)
    }
    fn take_step(&self) {
        CONTROLS.with(|c| {
            let mut c = c.borrow_mut();
            c.pending_steps = c.pending_steps.saturating_sub(1);
        });
    }
    fn view_version(&self) -> u64 {
        CONTROLS.with(|c| c.borrow().view_version)
    }
    fn take_weights_request(&self) -> Option<WeightsRequest> {
        CONTROLS.with(|c| c.borrow_mut().weights.pop_front())
    }
    fn yields_within_steps(&self) -> bool {
        false
    }
    fn emit(&self, generation: u64, event: Event) {
        if let Event::Playing(playing) = event {
            // The loop paused itself: it must not wait for the page to say so.
            CONTROLS.with(|c| c.borrow_mut().playing = playing);
        }
        post(generation, event);
    }
}

/// Carries out one command from the page.
fn handle(message: JsValue) {
    let command = match events::decode::<Command>(&message) {
        Ok(command) => command,
        Err(e) => {
            log::warn!("the training worker got a message it cannot read: {e}");
            return;
        }
    };
    match command {
        Command::Start {
            generation,
            experiment,
            points,
            playing,
        } => {
            CONTROLS.with(|c| {
                let mut c = c.borrow_mut();
                let view_version = c.view_version;
                *c = Controls {
                    generation,
                    experiment,
                    points,
                    playing,
                    view_version,
                    ..Controls::default()
                };
            });
            run_loop::spawn(WorkerHost, generation);
        }
        Command::Controls {
            playing,
            experiment,
            view_version,
        } => CONTROLS.with(|c| {
            let mut c = c.borrow_mut();
            c.playing = playing;
            c.experiment = experiment;
            c.view_version = view_version;
        }),
        Command::Step => CONTROLS.with(|c| c.borrow_mut().pending_steps += 1),
        Command::Weights(request) => CONTROLS.with(|c| c.borrow_mut().weights.push_back(request)),
        Command::ForgetDevice => run_loop::forget_device(),
        Command::Benchmark {
            experiment,
            round_ms,
        } => wasm_bindgen_futures::spawn_local(async move {
            let results = crate::backend::benchmark(&experiment, round_ms).await;
            post(0, Event::Benchmark(results));
        }),
    }
}

/// Tells the page about a panic in the worker (the page shows its error panel), after the
/// console's usual report.
fn install_panic_report() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let generation = CONTROLS.with(|c| c.try_borrow().map(|c| c.generation).unwrap_or(0));
        post(generation, Event::Panicked(info.to_string()));
    }));
}

/// The worker's entry point, called by `static/worker.js` once the module is instantiated:
/// handles the commands that arrived meanwhile (`queue`), then every later one, and tells the
/// page it is ready.
#[wasm_bindgen]
pub fn worker_main(queue: js_sys::Array) {
    crate::runtime::run_constructors_once();
    install_panic_report();
    crate::logger::install();
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(|e: web_sys::MessageEvent| {
        handle(e.data());
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(0, Event::Ready);
    for message in queue.iter() {
        handle(message);
    }
}
