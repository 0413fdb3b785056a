//! Classroom links: tick the controls and panels students should not see, then copy a link
//! that opens the same experiment with them hidden. Hidden controls keep the link's values, so
//! they still drive the run. The page draws a link's hidden list as one style rule per name.

use leptos::prelude::*;
use leptos::task::spawn_local;
use orbit_labs::presentation::Presentation;
use wasm_bindgen::JsCast;

use crate::browser;
use crate::session::Session;

/// The style that hides what the presentation names: `[data-panel=…]` panels and
/// `[data-knob=…]` controls. Names are checked to be lower-case words, so they are safe here.
pub fn hiding_style(presentation: &Presentation) -> String {
    presentation
        .hide
        .iter()
        .map(|n| format!("[data-panel=\"{n}\"],[data-knob=\"{n}\"]{{display:none!important}}"))
        .collect()
}

/// Every panel on the page now: its name and its heading.
fn panels_on_page() -> Vec<(String, String)> {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return Vec::new();
    };
    let Ok(nodes) = document.query_selector_all("[data-panel]") else {
        return Vec::new();
    };
    let mut panels = Vec::new();
    for i in 0..nodes.length() {
        let Some(el) = nodes
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let Some(name) = el.get_attribute("data-panel") else {
            continue;
        };
        let heading = el
            .query_selector("h3, .plot-title, summary, h2, label")
            .ok()
            .flatten()
            .and_then(|h| h.text_content())
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| name.clone());
        if !panels.iter().any(|(n, _)| n == &name) {
            panels.push((name, heading));
        }
    }
    panels
}

/// One tick box.
#[component]
fn HideBox(
    /// What the box hides.
    name: String,
    /// Its words.
    label: String,
    /// The ticks so far.
    ticked: RwSignal<Presentation>,
) -> impl IntoView {
    let key = name.clone();
    let checked = move || ticked.with(|t| t.hides(&key));
    view! {
        <label class="hide-box">
            <input type="checkbox" data-testid=format!("hide-{name}") prop:checked=checked
                on:change=move |e| {
                    let on = e.target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                        .is_some_and(|i| i.checked());
                    ticked.update(|t| *t = t.with_hidden(&name, on));
                } />
            {label}
        </label>
    }
}

/// The classroom panel.
#[component]
pub fn Classroom(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let ticked = RwSignal::new(session.presentation.get_untracked());
    let panels = RwSignal::new(Vec::<(String, String)>::new());
    let copied = RwSignal::new(None::<bool>);
    let link = move || session.link_shown(&ticked.get());
    let copy = move |_| {
        let text = session.link_shown(&ticked.get_untracked());
        spawn_local(async move { copied.set(Some(browser::copy_text(&text).await)) });
    };
    let controls = move || {
        session.experiment.with(|e| {
            e.knobs()
                .map(|k| view! { <HideBox name=k.key.to_string() label=k.label.to_string() ticked=ticked /> })
                .collect_view()
        })
    };
    let panel_boxes = move || {
        panels
            .get()
            .into_iter()
            .map(|(name, label)| view! { <HideBox name=name label=label ticked=ticked /> })
            .collect_view()
    };
    view! {
        <details class="classroom" data-panel="classroom" data-testid="classroom"
            on:toggle=move |_| panels.set(panels_on_page())>
            <summary>"Classroom link: hide controls and panels"</summary>
            <p class="hint">"Tick what students should not see. Hidden controls keep their values and still drive the run."</p>
            <fieldset><legend>"Controls"</legend>{controls}</fieldset>
            <fieldset><legend>"Panels"</legend>{panel_boxes}</fieldset>
            <label for="classroom-link">"Classroom link"</label>
            <div class="share-row">
                <input id="classroom-link" data-testid="classroom-link" readonly prop:value=link />
                <button data-testid="copy-classroom-link" on:click=copy>"Copy classroom link"</button>
            </div>
            <span class="hint">{move || match copied.get() {
                Some(true) => "Copied.",
                Some(false) => "The browser refused the clipboard: select the link and copy it.",
                None => "",
            }}</span>
        </details>
    }
}
