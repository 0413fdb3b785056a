//! The sign-flip lab's in-page benchmark: the symmetric eigendecomposition (nalgebra, f64) of
//! the normalised Laplacian of link-task graphs with 100, 200 and 400 nodes, timed in this tab.
//! Each solve is one uninterrupted call; the page yields between solves.

use leptos::prelude::*;
use leptos::task::spawn_local;
use orbit_labs::signs::link::BaseGraph;
use orbit_math::Rng;
use orbit_math::graph::{Graph, Laplacian, spectrum};

use crate::browser::{now_ms, yield_now};

/// Median milliseconds of three solves on two copies of G(n/2, 0.05) plus n/2 cross edges.
async fn solve_ms(n: usize) -> f64 {
    let mut rng = Rng::new(1);
    let base = BaseGraph::Er.sample(n / 2, 0.05, &mut rng);
    let graph = Graph::two_copies(&base, n / 2, &mut rng);
    let mut times = Vec::new();
    for _ in 0..3 {
        yield_now().await;
        let t = now_ms();
        let s = spectrum(&graph, Laplacian::Normalized);
        times.push(now_ms() - t);
        debug_assert_eq!(s.values.len(), n);
    }
    times.sort_by(f64::total_cmp);
    times[1]
}

/// The benchmark button and its figures.
#[component]
pub fn SpectrumBench() -> impl IntoView {
    let result = RwSignal::new(None::<Vec<(usize, f64)>>);
    let busy = RwSignal::new(false);
    let start = move |_| {
        busy.set(true);
        spawn_local(async move {
            let mut rows = Vec::new();
            for n in [100, 200, 400] {
                rows.push((n, solve_ms(n).await));
            }
            result.set(Some(rows));
            busy.set(false);
        });
    };
    view! {
        <section class="bench" data-testid="spectrum-bench">
            <button type="button" data-testid="spectrum-bench-run" on:click=start disabled=move || busy.get()>
                {move || if busy.get() { "Timing…" } else { "Benchmark the eigensolver" }}
            </button>
            {move || result.get().map(|rows| view! {
                <table class="models">
                    <thead><tr><th>"full eigendecomposition of the normalised Laplacian (nalgebra, f64, this tab)"</th><th>"ms (median of 3)"</th></tr></thead>
                    <tbody>{rows.into_iter().map(|(n, ms)| view! {
                        <tr><td>{format!("{n} nodes (two copies of G({}, 0.05) + {} cross edges)", n / 2, n / 2)}</td><td class="num" data-testid="spectrum-bench-ms">{format!("{ms:.0}")}</td></tr>
                    }).collect_view()}</tbody>
                </table>
                <p class="hint">"The run solves its 400-node training graph once, when it is built, and each graph you pick once; flips and turns reuse the eigenvectors."</p>
            })}
        </section>
    }
}
