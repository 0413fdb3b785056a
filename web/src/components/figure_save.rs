//! Save any figure of the page as SVG or PNG: two small buttons placed inside a `<figure>`.
//! The SVG is the drawing the figure's owner supplies (for a canvas, or a figure made of many
//! small drawings), else the figure's `<svg>` copied with its computed look
//! ([`files::figure_svg`]). The PNG is the figure's canvas when it has one, else that SVG
//! rendered at twice its size.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::files::{self, Drawing};
use crate::session::Session;

/// `orbit-<lab>-seed<seed>-<figure>.<ext>` for the current experiment.
fn file_name(figure: &str, ext: &str) -> String {
    use_context::<Session>()
        .map(|s| orbit_labs::export::file_name(&s.experiment.get_untracked(), figure, ext))
        .unwrap_or_else(|| format!("orbit-{figure}.{ext}"))
}

/// Writes the figure around `button` to the file `file`, as PNG or SVG.
async fn save(
    button: web_sys::Element,
    file: String,
    png: bool,
    vector: Option<Callback<(), Option<Drawing>>>,
) -> Result<(), String> {
    let figure = button
        .closest("figure")
        .ok()
        .flatten()
        .ok_or("the button is not inside a figure")?;
    let canvas = figure
        .query_selector("canvas")
        .ok()
        .flatten()
        .map(JsCast::unchecked_into::<web_sys::HtmlCanvasElement>);
    if png && let Some(canvas) = canvas {
        let blob = files::canvas_png(&canvas).await?;
        return files::save_blob(&file, &blob);
    }
    let drawing = match vector {
        Some(vector) => vector.run(()).ok_or("this figure has nothing drawn yet")?,
        None => files::figure_svg(&figure)?,
    };
    if png {
        let (w, h) = (2.0 * drawing.width, 2.0 * drawing.height);
        let blob = files::svg_to_png(&drawing.markup, w as u32, h as u32).await?;
        files::save_blob(&file, &blob)
    } else {
        files::save_text(&file, "image/svg+xml", &drawing.markup)
    }
}

/// "SVG" and "PNG" buttons that save the figure they sit in.
#[component]
pub fn SaveFigure(
    /// What the figure shows, for the buttons' accessible names ("Save “…” as SVG").
    #[prop(into)]
    title: String,
    /// Short name of the figure: the file is `orbit-<lab>-seed<seed>-<name>.svg|png` and the
    /// buttons' `data-testid`s are `<name>-svg` and `<name>-png`.
    #[prop(into)]
    name: String,
    /// The figure as SVG when the page's drawing is not one `<svg>` to copy (a canvas, a grid
    /// of small drawings).
    #[prop(optional)]
    vector: Option<Callback<(), Option<Drawing>>>,
) -> impl IntoView {
    let problem = RwSignal::new(String::new());
    let click = move |name: &str, png: bool| {
        let file = file_name(name, if png { "png" } else { "svg" });
        move |e: web_sys::MouseEvent| {
            let Some(button) = e
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            else {
                return;
            };
            let file = file.clone();
            spawn_local(async move {
                let outcome = save(button, file.clone(), png, vector).await;
                problem.set(match outcome {
                    Ok(()) => String::new(),
                    Err(e) => format!("Could not save {file}: {e}."),
                });
            });
        }
    };
    view! {
        <span class="plot-save">
            <button class="mini" type="button" data-testid=format!("{name}-svg")
                aria-label=format!("Save “{title}” as SVG") on:click=click(&name, false)>"SVG"</button>
            <button class="mini" type="button" data-testid=format!("{name}-png")
                aria-label=format!("Save “{title}” as PNG") on:click=click(&name, true)>"PNG"</button>
            <span class="hint" role="status">{move || problem.get()}</span>
        </span>
    }
}
