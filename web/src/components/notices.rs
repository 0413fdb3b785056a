//! Notices: what was repaired in the link the page opened with, and what the page changed
//! about where it trains; dismissable.

use leptos::prelude::*;

use crate::session::Session;

/// Lists the session's notices, each kind under its own heading, with a button that clears
/// them.
#[component]
pub fn Notices(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let group = |heading: &'static str, notices: Vec<String>| {
        (!notices.is_empty()).then(|| {
            view! {
                <strong>{heading}</strong>
                <ul>{notices.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            }
        })
    };
    move || {
        let repaired = session.notices.get();
        let training = session.training_notices.get();
        (!repaired.is_empty() || !training.is_empty()).then(|| {
            view! {
                <section class="notices" role="status" data-testid="notices">
                    {group("This link was repaired:", repaired)}
                    {group("Training:", training)}
                    <button class="small" on:click=move |_| {
                        session.notices.set(Vec::new());
                        session.training_notices.set(Vec::new());
                    }>"Dismiss"</button>
                </section>
            }
        })
    }
}
