//! Notices: what was repaired in the link the page opened with, dismissable.

use leptos::prelude::*;

use crate::session::Session;

/// Lists the session's notices, with a button that clears them.
#[component]
pub fn Notices(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    move || {
        let notices = session.notices.get();
        (!notices.is_empty()).then(|| {
            view! {
                <section class="notices" role="status" data-testid="notices">
                    <strong>"This link was repaired:"</strong>
                    <ul>{notices.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                    <button class="small" on:click=move |_| session.notices.set(Vec::new())>"Dismiss"</button>
                </section>
            }
        })
    }
}
