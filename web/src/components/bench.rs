//! The in-page benchmark: milliseconds per training step of the current experiment on every
//! backend this browser offers.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::backend;
use crate::session::Session;

/// Milliseconds of training per benchmark round.
const ROUND_MS: f64 = 200.0;

/// A button that measures every backend and a table of the results.
#[component]
pub fn Benchmark(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let rows = RwSignal::new(Vec::<(String, String, String)>::new());
    let running = RwSignal::new(false);
    let measure = move |_| {
        if running.get_untracked() {
            return;
        }
        running.set(true);
        session.playing.set(false);
        let experiment = session.experiment.get_untracked();
        spawn_local(async move {
            let results = backend::benchmark(&experiment, ROUND_MS).await;
            rows.set(
                results
                    .into_iter()
                    .map(|(model, k, r)| {
                        let v = match r {
                            Ok(ms) => format!("{ms:.3}"),
                            Err(e) => format!("unavailable: {e}"),
                        };
                        (model, k.label().to_string(), v)
                    })
                    .collect(),
            );
            running.set(false);
        });
    };
    view! {
        <details class="bench" data-panel="benchmark">
            <summary>"Benchmark the backends"</summary>
            <p class="hint">{format!("Times consecutive training steps of each model of this experiment, alone, on each backend: five rounds of at least {ROUND_MS:.0} ms after one untimed step; the median round is shown. Training pauses while it runs.")}</p>
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
