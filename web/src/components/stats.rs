//! Headline numbers of the latest report, each with its meaning next to it.

use leptos::prelude::*;

use crate::session::Session;

fn percent(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite())
        .map(|v| format!("{:.1}%", v * 100.0))
        .unwrap_or_else(|| "–".into())
}

/// Cards for test accuracy, train accuracy, test loss and model size.
#[component]
pub fn Stats(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let latest =
        move |name: &'static str| session.reports.with(|r| r.last().and_then(|m| m.get(name)));
    let at = move || {
        session
            .reports
            .with(|r| r.last().map(|m| m.step).unwrap_or(0))
    };
    view! {
        <div class="stats" data-panel="stats">
            <div class="stat"><span class="stat-value" data-testid="test-accuracy">{move || percent(latest("test_accuracy"))}</span>
                <span class="stat-label">"test accuracy (held-out 20%, chance 10%)"</span></div>
            <div class="stat"><span class="stat-value" data-testid="train-accuracy">{move || percent(latest("train_accuracy"))}</span>
                <span class="stat-label">"train accuracy"</span></div>
            <div class="stat"><span class="stat-value">{move || latest("test_loss").map(|l| format!("{l:.3}")).unwrap_or_else(|| "–".into())}</span>
                <span class="stat-label">"test cross-entropy (nats)"</span></div>
            <div class="stat"><span class="stat-value" data-testid="params">{move || session.params.get().to_string()}</span>
                <span class="stat-label">"trainable parameters"</span></div>
            <div class="stat"><span class="stat-value">{at}</span>
                <span class="stat-label">"step of the last evaluation"</span></div>
        </div>
    }
}
