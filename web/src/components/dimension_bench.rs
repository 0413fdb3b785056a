//! The dimension lab's in-page benchmark: TwoNN + MLE on 2,500 points of N(0, I₂₀) and the
//! scaling estimator with n up to 2,048 and 4,000 held-out points, timed in this tab. The
//! work is cut into chunks with a yield between them, so the page stays responsive; the
//! figures add up the chunks' times only.

use leptos::prelude::*;
use leptos::task::spawn_local;
use orbit_math::Rng;
use orbit_math::dimension::{
    GapAccumulator, Manifold, Neighbours, PlaneSymmetry, default_sizes, mle, neighbour_rows, two_nn,
};

use crate::browser::{now_ms, yield_now};

/// Rows per timed chunk.
const CHUNK: usize = 100;

async fn estimators_ms() -> f64 {
    let cloud = Manifold::Gauss20.sample(2500, 0.0, &mut Rng::new(1));
    let mut dist = Vec::new();
    let mut ms = 0.0;
    for start in (0..cloud.len()).step_by(CHUNK) {
        let t = now_ms();
        neighbour_rows(
            &cloud,
            20,
            start..(start + CHUNK).min(cloud.len()),
            &mut dist,
        );
        ms += now_ms() - t;
        yield_now().await;
    }
    let t = now_ms();
    let nb = Neighbours { k: 20, dist };
    let _ = (two_nn(&nb), mle(&nb, 20));
    ms + now_ms() - t
}

async fn scaling_ms(symmetry: PlaneSymmetry) -> f64 {
    let train = Manifold::Torus.sample(2048, 0.0, &mut Rng::new(2));
    let held = Manifold::Torus.sample(4000, 0.0, &mut Rng::new(3));
    let mut acc = GapAccumulator::new(default_sizes(2048), symmetry);
    let mut ms = 0.0;
    for start in (0..held.len()).step_by(CHUNK) {
        let t = now_ms();
        acc.add(&train, &held, start..(start + CHUNK).min(held.len()));
        ms += now_ms() - t;
        yield_now().await;
    }
    let t = now_ms();
    let _ = acc.finish();
    ms + now_ms() - t
}

/// The benchmark button and its figures.
#[component]
pub fn DimensionBench() -> impl IntoView {
    let result = RwSignal::new(None::<Vec<(&'static str, f64)>>);
    let busy = RwSignal::new(false);
    let start = move |_| {
        busy.set(true);
        spawn_local(async move {
            let rows = vec![
                (
                    "TwoNN + MLE, 2,500 points in R²⁰ (k = 20)",
                    estimators_ms().await,
                ),
                (
                    "Scaling law, n = 32…2,048, 4,000 held-out points, T²",
                    scaling_ms(PlaneSymmetry::None).await,
                ),
                (
                    "the same under C4 (4 orbit points per training point)",
                    scaling_ms(PlaneSymmetry::Cyclic(4)).await,
                ),
            ];
            result.set(Some(rows));
            busy.set(false);
        });
    };
    view! {
        <section class="bench" data-testid="dimension-bench">
            <button type="button" data-testid="dimension-bench-run" on:click=start disabled=move || busy.get()>
                {move || if busy.get() { "Timing…" } else { "Benchmark the estimators" }}
            </button>
            {move || result.get().map(|rows| view! {
                <table class="models">
                    <thead><tr><th>"computation (plain Rust on the CPU, this tab)"</th><th>"ms"</th></tr></thead>
                    <tbody>{rows.into_iter().map(|(name, ms)| view! {
                        <tr><td>{name}</td><td class="num" data-testid="dimension-bench-ms">{format!("{ms:.0}")}</td></tr>
                    }).collect_view()}</tbody>
                </table>
            })}
        </section>
    }
}
