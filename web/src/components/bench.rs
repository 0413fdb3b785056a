//! The in-page benchmark: milliseconds per training step of the current experiment on every
//! backend this browser offers.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::backend;
use crate::session::Session;

/// Steps timed per backend.
const STEPS: usize = 20;

/// A button that measures every backend and a table of the results.
#[component]
pub fn Benchmark(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let rows = RwSignal::new(Vec::<(String, String)>::new());
    let running = RwSignal::new(false);
    let measure = move |_| {
        if running.get_untracked() {
            return;
        }
        running.set(true);
        session.playing.set(false);
        let experiment = session.experiment.get_untracked();
        spawn_local(async move {
            let results = backend::benchmark(&experiment, STEPS).await;
            rows.set(
                results
                    .into_iter()
                    .map(|(k, r)| {
                        let v = match r {
                            Ok(ms) => format!("{ms:.3}"),
                            Err(e) => format!("unavailable: {e}"),
                        };
                        (k.label().to_string(), v)
                    })
                    .collect(),
            );
            running.set(false);
        });
    };
    view! {
        <details class="bench">
            <summary>"Benchmark the backends"</summary>
            <p class="hint">{format!("Times {STEPS} training steps of this experiment on each backend after one untimed warm-up step. Training pauses while it runs.")}</p>
            <button data-testid="bench-run" on:click=measure disabled=move || running.get()>
                {move || if running.get() { "Measuring…" } else { "Measure ms/step" }}
            </button>
            <table data-testid="bench-table">
                <thead><tr><th>"backend"</th><th>"ms per step"</th></tr></thead>
                <tbody>{move || rows.get().into_iter().map(|(k, v)| view! { <tr><td>{k}</td><td>{v}</td></tr> }).collect_view()}</tbody>
            </table>
        </details>
    }
}
