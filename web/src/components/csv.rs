//! Loading your own points: paste CSV text or pick a file. A malformed file gives a message
//! naming the line, and the points already loaded stay.

use leptos::prelude::*;
use leptos::task::spawn_local;
use orbit_math::dimension::{CSV_LIMITS, parse_points};
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::session::Session;

/// Parses `text` and, on success, makes it the cloud of a new run.
fn load(session: Session, text: &str, status: RwSignal<(bool, String)>) {
    match parse_points(text, CSV_LIMITS) {
        Ok(points) => {
            status.set((
                true,
                format!("loaded {} points in R^{}", points.len(), points.dim),
            ));
            session.custom_points.set(Some(points));
            let already = session.experiment.with_untracked(|e| {
                e.to_map().get("cloud").and_then(Value::as_str) == Some("custom")
            });
            if already {
                session.reset();
            } else if let Err(e) = session.set_knob("cloud", Value::from("custom")) {
                status.set((false, e));
            }
        }
        Err(e) => {
            let kept = if session.custom_points.with_untracked(Option::is_some) {
                "; the points loaded before are kept"
            } else {
                ""
            };
            status.set((false, format!("could not read the points: {e}{kept}")));
        }
    }
}

/// The CSV loader.
#[component]
pub fn CsvLoader(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let status = RwSignal::new((true, String::new()));
    let on_file = move |e: web_sys::Event| {
        let file = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        let Some(file) = file else {
            return;
        };
        let limit = 64.0 * 1024.0 * 1024.0;
        if file.size() > limit {
            status.set((
                false,
                format!(
                    "{} is {:.0} MB; at most 64 MB",
                    file.name(),
                    file.size() / 1e6
                ),
            ));
            return;
        }
        spawn_local(async move {
            match JsFuture::from(file.text()).await {
                Ok(v) => load(session, &v.as_string().unwrap_or_default(), status),
                Err(_) => status.set((false, format!("could not read {}", file.name()))),
            }
        });
    };
    view! {
        <div class="csv-loader">
            <label for="csv-text">"Your own points"<span class="range">"CSV, one point per row"</span></label>
            <textarea id="csv-text" data-testid="csv-text" rows="4" placeholder="x,y,z\n0.12,0.80,-0.31\n…"
                prop:value=move || text.get() on:input=move |e| text.set(event_target_value(&e)) />
            <div class="csv-actions">
                <button type="button" data-testid="csv-load" on:click=move |_| load(session, &text.get_untracked(), status)>"Load pasted points"</button>
                <input type="file" accept=".csv,.txt,text/csv" aria-label="Upload a CSV file" data-testid="csv-file" on:change=on_file />
            </div>
            <small class="help">{format!("Up to {} points × {} coordinates; commas, semicolons, tabs or spaces; one header row allowed. Your points stay in this tab and are not part of the share link.", CSV_LIMITS.max_points, CSV_LIMITS.max_dim)}</small>
            {move || {
                let (ok, message) = status.get();
                (!message.is_empty()).then(|| view! {
                    <small class=if ok { "help ok" } else { "field-error" } role="status" data-testid="csv-status">{message}</small>
                })
            }}
        </div>
    }
}
