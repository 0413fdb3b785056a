//! Export: the run's reports as CSV or JSON, named after the lab and seed, with the link and
//! seed in the file.

use leptos::prelude::*;
use leptos::task::spawn_local;
use orbit_labs::export;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::files;
use crate::session::{Session, WeightsRequest};

/// The bytes of the file chosen in a file input, or `None` when none was chosen.
async fn chosen_file(e: &web_sys::Event) -> Option<Result<Vec<u8>, String>> {
    let input: web_sys::HtmlInputElement = e.target()?.dyn_into().ok()?;
    let file = input.files()?.get(0)?;
    input.set_value("");
    Some(
        JsFuture::from(file.array_buffer())
            .await
            .map(|buffer| js_sys::Uint8Array::new(&buffer).to_vec())
            .map_err(|_| "the browser could not read the file".to_string()),
    )
}

/// Save and import of the run's trained weights, for labs that have them.
#[component]
fn WeightsFiles(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let import = move |e: web_sys::Event| {
        spawn_local(async move {
            match chosen_file(&e).await {
                Some(Ok(bytes)) => session
                    .weights_request
                    .set(Some(WeightsRequest::Load(bytes))),
                Some(Err(reason)) => session.weights_status.set(format!("Not loaded: {reason}.")),
                None => {}
            }
        });
    };
    view! {
        <div class="share-row">
            <button data-testid="export-weights"
                on:click=move |_| session.weights_request.set(Some(WeightsRequest::Save))>"Save weights"</button>
            <label class="file-button">"Load weights"
                <input type="file" accept=".orbit" data-testid="import-weights" on:change=import />
            </label>
        </div>
        <span class="hint" data-testid="weights-status" role="status">{move || session.weights_status.get()}</span>
    }
}

/// The export buttons.
#[component]
pub fn Export(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let save = move |json: bool| {
        let experiment = session.experiment.get_untracked();
        let link = session.link_shown(&Default::default());
        let (text, mime, ext) = session.reports.with_untracked(|r| {
            if json {
                (
                    export::metrics_json(&experiment, &link, r),
                    "application/json",
                    "json",
                )
            } else {
                (
                    export::metrics_csv(&experiment, &link, r),
                    "text/csv",
                    "csv",
                )
            }
        });
        let name = export::file_name(&experiment, "metrics", ext);
        let rows = session.reports.with_untracked(Vec::len);
        status.set(match files::save_text(&name, mime, &text) {
            Ok(()) => format!("Saved {name}: {rows} reports."),
            Err(e) => format!("Could not save {name}: {e}."),
        });
    };
    view! {
        <div class="export" data-panel="export" data-testid="export">
            <span class="export-label">"Export the reports"</span>
            <div class="share-row">
                <button data-testid="export-csv" on:click=move |_| save(false)>"Metrics as CSV"</button>
                <button data-testid="export-json" on:click=move |_| save(true)>"Metrics as JSON"</button>
            </div>
            <span class="hint" data-testid="export-status" role="status">{move || status.get()}</span>
            {move || session.has_weights.get().then(|| view! { <WeightsFiles session=session /> })}
            <span class="hint">"Each chart saves itself as SVG or PNG from the buttons by its title."</span>
        </div>
    }
}
