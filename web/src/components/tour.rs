//! The lab's guided tour ("what to try"): each step is a plain share link with a sentence on
//! what to look for; the step that matches the running experiment is marked.

use leptos::prelude::*;
use orbit_labs::link;

use crate::session::Session;

/// The current lab's tour.
#[component]
pub fn Tour(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let steps = move || {
        let experiment = session.experiment.get();
        // A tour step keeps the presentation (presenter mode, hidden panels) of the page.
        let shown = session.presentation.get().query_parts();
        let tour = experiment.lab.id().info().tour;
        tour.iter()
            .enumerate()
            .map(|(i, step)| {
                let here = link::decode(step.link).experiment == experiment;
                let href = std::iter::once(format!("?{}", step.link))
                    .chain(shown.iter().cloned())
                    .collect::<Vec<_>>()
                    .join("&");
                view! {
                    <li class:here=here>
                        <a href=href data-testid=format!("tour-step-{}", i + 1)
                            aria-current=here.then_some("step")>{step.say}</a>
                        {here.then(|| view! { <span class="tour-here">" (this run)"</span> })}
                    </li>
                }
            })
            .collect_view()
    };
    let count = move || session.experiment.with(|e| e.lab.id().info().tour.len());
    view! {
        <details class="tour" open data-panel="tour" data-testid="tour">
            <summary>{move || format!("What to try ({} steps)", count())}</summary>
            <ol>{steps}</ol>
        </details>
    }
}
