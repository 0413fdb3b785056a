//! The in-page benchmark: milliseconds per training step of the current experiment on every
//! backend this browser offers. It runs in a worker of its own with every backend's module
//! (`orbit-backends`), so the page stays responsive however slow a backend's step is.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use orbit_labs::BackendKind;

use crate::session::Session;
use crate::training::events::{Command, Event};
use crate::worker_module::{self, TrainingModule};

/// The benchmark's rows: `(model, backend, ms per step or why not)`.
type Rows = Vec<(String, String, String)>;

/// The rows of a finished benchmark.
fn rows_of(results: Vec<(String, BackendKind, Result<f64, String>)>) -> Rows {
    results
        .into_iter()
        .map(|(model, k, r)| {
            let v = match r {
                Ok(ms) => format!("{ms:.3}"),
                Err(e) => format!("unavailable: {e}"),
            };
            (model, k.label().to_string(), v)
        })
        .collect()
}

/// Times `experiment` in a new worker with every backend; `done` gets the rows, or one row
/// saying why there are none. The worker ends with the benchmark.
fn measure_in_worker(experiment: orbit_labs::Experiment, done: impl Fn(Rows) + 'static) {
    let done = Rc::new(done);
    let slot: Rc<RefCell<Option<web_sys::Worker>>> = Rc::default();
    let finish = {
        let (done, slot) = (done.clone(), slot.clone());
        move |rows: Rows| {
            if let Some(w) = slot.borrow_mut().take() {
                w.terminate();
                done(rows);
            }
        }
    };
    let failed = |why: String| vec![("—".into(), "—".into(), format!("unavailable: {why}"))];
    let on_event = {
        let finish = finish.clone();
        move |envelope: crate::training::events::Envelope| match envelope.event {
            Event::Benchmark(results) => finish(rows_of(results)),
            Event::Panicked(message) => finish(failed(message)),
            _ => {}
        }
    };
    let on_error = move |message: String| finish(failed(message));
    match worker_module::spawn(
        TrainingModule::EveryBackend,
        "orbit-benchmark",
        on_event,
        on_error,
    ) {
        Ok(worker) => {
            let command = Command::Benchmark {
                experiment,
                round_ms: ROUND_MS,
            };
            worker_module::send(&worker, &command);
            *slot.borrow_mut() = Some(worker);
        }
        Err(why) => done(failed(why)),
    }
}

/// Milliseconds of training per benchmark round.
const ROUND_MS: f64 = 200.0;

/// A button that measures every backend and a table of the results.
#[component]
pub fn Benchmark(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let rows = RwSignal::new(Rows::new());
    let running = RwSignal::new(false);
    let measure = move |_| {
        if running.get_untracked() {
            return;
        }
        running.set(true);
        session.playing.set(false);
        measure_in_worker(session.experiment.get_untracked(), move |results| {
            rows.set(results);
            running.set(false);
        });
    };
    view! {
        <details class="bench" data-panel="benchmark">
            <summary>"Benchmark the backends"</summary>
            <p class="hint">{format!("Times consecutive training steps of each model of this experiment, alone, on each backend, in a worker of its own (it loads every backend's module first): five rounds of at least {ROUND_MS:.0} ms after one untimed step; the median round is shown. Training pauses while it runs.")}</p>
            <button data-testid="bench-run" on:click=measure disabled=move || running.get()>
                {move || if running.get() { "Measuring…" } else { "Measure ms/step" }}
            </button>
            <table data-testid="bench-table">
                <thead><tr><th>"backend"</th><th>"model"</th><th>"ms per step"</th></tr></thead>
                <tbody>{move || rows.get().into_iter().map(|(model, k, v)| view! { <tr><td>{k}</td><td>{model}</td><td>{v}</td></tr> }).collect_view()}</tbody>
            </table>
        </details>
    }
}
