//! The share link: the whole experiment in one URL, with a copy button.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser;
use crate::session::Session;

/// Shows the current share link and copies it on request.
#[component]
pub fn ShareLink(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let link = move || session.share_link();
    let copy = move |_| {
        let text = session.share_link();
        spawn_local(async move {
            copied.set(Some(browser::copy_text(&text).await));
        });
    };
    view! {
        <div class="share" data-panel="share">
            <label for="share-link">"Share link (reproduces this run)"</label>
            <div class="share-row">
                <input id="share-link" data-testid="share-link" readonly prop:value=link on:focus=|e| {
                    use wasm_bindgen::JsCast;
                    if let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        input.select();
                    }
                } />
                <button data-testid="copy-link" on:click=copy>"Copy link"</button>
            </div>
            <span class="hint" data-testid="copy-status">{move || match copied.get() {
                Some(true) => "Copied.",
                Some(false) => "The browser refused the clipboard: select the link and copy it.",
                None => "",
            }}</span>
        </div>
    }
}
