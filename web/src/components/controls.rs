//! Controls built from the experiment's knobs: one field per knob, with its label, bounds and
//! help. A change is validated by the knob, then applied to the session (which rewrites the
//! URL and restarts the run).

use leptos::prelude::*;
use orbit_labs::knob::{Kind, Knob};
use wasm_bindgen::JsCast;

use crate::session::Session;

fn event_value(e: &web_sys::Event) -> String {
    let target = e.target();
    if let Some(i) = target
        .clone()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        return i.value();
    }
    target
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

/// One knob's field.
#[component]
pub fn KnobField(
    /// The page's state.
    session: Session,
    /// The knob this field edits.
    knob: &'static Knob,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let current = move || {
        session
            .experiment
            .get()
            .to_map()
            .get(knob.key)
            .map(|v| knob.format(v))
            .unwrap_or_default()
    };
    let on_change = move |e: web_sys::Event| {
        let raw = event_value(&e);
        match knob.read(&raw) {
            Ok(read) => {
                error.set(read.note);
                if let Err(e) = session.set_knob(knob.key, read.value) {
                    error.set(Some(e));
                }
            }
            Err(reason) => error.set(Some(format!("{reason}; kept {}", current()))),
        }
    };
    let id = format!("knob-{}", knob.key);
    let field = match knob.kind {
        Kind::Choice(options) => view! {
            <select id=id.clone() data-testid=id.clone() on:change=on_change prop:value=current>
                {options.iter().map(|c| view! {
                    <option value=c.value selected=move || current() == c.value>{c.label}</option>
                }).collect_view()}
            </select>
        }
        .into_any(),
        Kind::Int { min, max } => view! {
            <input id=id.clone() data-testid=id.clone() type="number" min=min max=max step="1"
                prop:value=current on:change=on_change />
        }
        .into_any(),
        Kind::Float {
            min,
            max,
            log: false,
        } => view! {
            <div class="slider-row">
                <input type="range" min=min max=max step=if max - min <= 10.0 { (max - min) / 100.0 } else { 1.0 } aria-label=knob.label
                    prop:value=current on:change=on_change />
                <input id=id.clone() data-testid=id.clone() type="number" min=min max=max step="any"
                    prop:value=current on:change=on_change />
            </div>
        }
        .into_any(),
        Kind::Text { max_len, .. } => view! {
            <input id=id.clone() data-testid=id.clone() type="text" maxlength=max_len
                prop:value=current on:change=on_change />
        }
        .into_any(),
        Kind::Float {
            min,
            max,
            log: true,
        } => view! {
            <input id=id.clone() data-testid=id.clone() type="number" min=min max=max step="any"
                prop:value=current on:change=on_change />
        }
        .into_any(),
    };
    let range = match knob.kind {
        Kind::Int { min, max } => format!("{min}–{max}"),
        Kind::Float { min, max, .. } => format!("{min}–{max}"),
        Kind::Choice(_) | Kind::Text { .. } => String::new(),
    };
    view! {
        <div class="knob" title=knob.help data-knob=knob.key>
            <label for=id>{knob.label}<span class="range">{range}</span></label>
            {field}
            <small class="help">{knob.help}</small>
            {move || error.get().map(|e| view! { <small class="field-error" role="alert">{e}</small> })}
        </div>
    }
}

/// A range slider for an angle knob in degrees (−180…180, steps of 5), with its value in the
/// label: for view knobs that users sweep rather than type.
#[component]
pub fn DegreeSlider(
    /// The page's state.
    session: Session,
    /// The knob's key.
    key: &'static str,
    /// What the slider turns, e.g. "Turn the shown cloud".
    label: &'static str,
    /// The knob's current value.
    #[prop(into)]
    value: Signal<f64>,
) -> impl IntoView {
    view! {
        <label class="turn-slider" data-knob=key>
            {move || format!("{label}: {:.0}°", value.get())}
            <input type="range" min="-180" max="180" step="5" data-testid=format!("{key}-slider")
                prop:value=move || value.get().to_string()
                on:input=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                        let _ = session.set_knob(key, serde_json::Value::from(v));
                    }
                } />
        </label>
    }
}

/// The knobs of the current experiment that shape the run (view knobs, which only change what
/// a panel shows, sit beside their panel).
#[component]
pub fn Controls(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    move || {
        let experiment = session.experiment.get();
        experiment
            .knobs()
            .filter(|k| experiment.restarts_run(k.key))
            .map(|knob| view! { <KnobField session=session knob=knob /> })
            .collect_view()
    }
}
