//! The backend badge: which backend trains, on which adapter, how fast its warm-up step was,
//! and why WebGPU is not in use when it is not.

use leptos::prelude::*;
use orbit_labs::BackendKind;

use crate::session::Session;

/// Shows the session's backend.
#[component]
pub fn BackendBadge(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let body = move || match session.backend.get() {
        None => view! { <span class="badge-kind">"choosing a backend…"</span> }.into_any(),
        Some(b) => {
            let timings = b
                .warmup_ms
                .iter()
                .map(|(k, ms)| format!("{}: {ms:.2} ms/step", k.label()))
                .collect::<Vec<_>>()
                .join(" · ");
            let adapter = (b.kind == BackendKind::Webgpu)
                .then(|| b.adapter.clone())
                .flatten()
                .map(|a| format!(" on {a}"))
                .unwrap_or_default();
            view! {
                <span class="badge-kind" data-testid="backend-kind">{if b.plain { "CPU" } else { b.kind.label() }}</span>
                <span class="badge-adapter">{adapter}</span>
                {(!timings.is_empty()).then(|| view! {
                    <span class="badge-timings" title="one training step of this experiment, timed at start-up">
                        "warm-up " {timings}
                    </span>
                })}
                {b.provisional.then(|| view! {
                    <span class="badge-reason" data-testid="backend-pending">
                        "started at once; choosing the backend in the background (the run moves if WebGPU is faster)"
                    </span>
                })}
                {b.reason.map(|r| view! { <span class="badge-reason" data-testid="backend-reason">{r}</span> })}
            }
            .into_any()
        }
    };
    view! { <div class="badge" data-testid="backend-badge">{body}</div> }
}
