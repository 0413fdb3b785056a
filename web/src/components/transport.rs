//! Play, pause, step and reset, with the step counter, the speed and the run's status.

use leptos::prelude::*;

use crate::session::{RunStatus, Session};

/// The transport bar.
#[component]
pub fn Transport(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let steps = move || session.steps.get();
    // Labs without a step budget (the dimension lab) run until their work is done.
    let budget = move || {
        session
            .experiment
            .get()
            .to_map()
            .get("steps")
            .and_then(|v| v.as_u64())
    };
    let status = move || match session.status.get() {
        RunStatus::Preparing(what) => format!("Preparing: {what}…"),
        RunStatus::Paused => "Paused".into(),
        RunStatus::Running if budget().is_some() => "Training".into(),
        RunStatus::Running => "Computing".into(),
        RunStatus::Finished if budget().is_some() => {
            "Finished: step budget reached (raise it under Step budget, or reset)".into()
        }
        RunStatus::Finished => "Finished: every estimate is computed".into(),
        RunStatus::Stopped(why) => format!("Stopped: {why}"),
    };
    let stopped = move || matches!(session.status.get(), RunStatus::Stopped(_));
    view! {
        <div class="transport" data-panel="transport">
            // Usable at once: pressed while the run is still being built, it starts as soon as
            // the run is ready.
            <button class="primary" data-testid="play"
                on:click=move |_| session.toggle_play()
                title="Play or pause (space)">
                // The pause sign is drawn: U+23F8 is missing from common fonts, and looking for a
                // fallback font for it held the main thread for 150 ms at the first Pause.
                {move || if session.playing.get() {
                    view! {
                        <svg class="icon" viewBox="0 0 10 10" aria-hidden="true">
                            <rect x="1.5" y="1" width="2.5" height="8"></rect>
                            <rect x="6" y="1" width="2.5" height="8"></rect>
                        </svg>
                        " Pause"
                    }.into_any()
                } else {
                    view! { "▶ Play" }.into_any()
                }}
            </button>
            <button data-testid="step" on:click=move |_| session.step_once() title="One training step (s)">"Step"</button>
            <button data-testid="reset" on:click=move |_| session.reset() title="Restart from step 0 (r)">"↺ Reset"</button>
            <span class="counter">"step " <b data-testid="step-count">{steps}</b> {move || budget().map(|b| format!(" / {b}"))}</span>
            <span class="counter" title="training steps per second, measured over the last second">
                <b data-testid="speed">{move || format!("{:.0}", session.speed.get())}</b> " steps/s"
            </span>
            <span class="status" class:stopped=stopped data-testid="status">{status}</span>
            <span class="keys">"Keys: space play/pause · s step · r reset · p presenter"</span>
        </div>
        // Why the run paused by itself (training stuck at chance), in every lab.
        {move || session.advice.get().map(|a| view! { <p class="advice" role="status" data-testid="advice">{a}</p> })}
    }
}
