//! Grids of small heatmaps: feature maps arranged by field (rows) and slot (columns), input
//! images, filters. Colours come from one shared scale so that maps side by side compare.

use leptos::prelude::*;

use crate::components::figure_save::SaveFigure;

/// Colour of `v` on a scale of `±scale`: white to indigo for non-negative data, blue–white–red
/// when `diverging`.
fn colour(v: f32, scale: f32, diverging: bool) -> String {
    let t = if scale > 0.0 {
        (v / scale).clamp(-1.0, 1.0)
    } else {
        0.0
    };
    let mix = |a: f32, b: f32, f: f32| (a + (b - a) * f).round() as u8;
    if diverging {
        let f = t.abs();
        if t >= 0.0 {
            format!(
                "rgb({},{},{})",
                mix(255.0, 200.0, f),
                mix(255.0, 30.0, f),
                mix(255.0, 40.0, f)
            )
        } else {
            format!(
                "rgb({},{},{})",
                mix(255.0, 30.0, f),
                mix(255.0, 90.0, f),
                mix(255.0, 200.0, f)
            )
        }
    } else {
        let f = t.max(0.0);
        format!(
            "rgb({},{},{})",
            mix(255.0, 30.0, f),
            mix(255.0, 27.0, f),
            mix(255.0, 75.0, f)
        )
    }
}

/// The largest absolute value, at least a tiny positive number.
pub fn scale_of(values: &[&[f32]]) -> f32 {
    values
        .iter()
        .flat_map(|v| v.iter())
        .fold(1e-6, |m, x| m.max(x.abs()))
}

/// `rows × cols` maps of `side × side` values (row-major, map after map).
#[component]
pub fn MapGrid(
    /// The values: map `(r, c)` starts at `(r · cols + c) · side²`.
    data: Vec<f32>,
    /// Rows of maps (fields).
    rows: usize,
    /// Columns of maps (slots).
    cols: usize,
    /// Side of one map in pixels.
    side: usize,
    /// Value drawn at full colour.
    scale: f32,
    /// Blue–white–red around zero instead of white–indigo.
    #[prop(optional)]
    diverging: bool,
    /// Caption above the grid.
    #[prop(into)]
    caption: String,
    /// Label of the columns, e.g. "slot" (none when empty).
    #[prop(optional, into)]
    col_label: String,
    /// `data-testid`.
    #[prop(optional, into)]
    testid: String,
    /// Short name for saving the grid as SVG or PNG (no save buttons when empty).
    #[prop(optional, into)]
    name: String,
    /// Extra CSS class (e.g. to cap the width).
    #[prop(optional, into)]
    class: String,
) -> impl IntoView {
    let cell = side as f64 + 1.0;
    let (w, h) = (cols as f64 * cell, rows as f64 * cell);
    // Labels scale with the maps so that a 3×3 filter and an 8×8 image read alike.
    let font = (side as f64 * 0.3).max(0.9);
    let top = if col_label.is_empty() {
        0.0
    } else {
        font * 1.4
    };
    let plane = side * side;
    let rects = (0..rows * cols)
        .flat_map(|m| {
            let (r, c) = (m / cols, m % cols);
            let base = m * plane;
            let data = &data;
            (0..plane).map(move |i| {
                let v = data.get(base + i).copied().unwrap_or(0.0);
                let x = c as f64 * cell + (i % side) as f64;
                let y = top + r as f64 * cell + (i / side) as f64;
                (x, y, v)
            })
        })
        .map(|(x, y, v)| view! { <rect x=x y=y width="1.02" height="1.02" fill=colour(v, scale, diverging) /> })
        .collect_view();
    let labels = (!col_label.is_empty()).then(|| {
        (0..cols)
            .map(|c| {
                let x = c as f64 * cell + side as f64 / 2.0;
                view! {
                    <text class="map-label" x=x y=font text-anchor="middle" font-size=font>{format!("{col_label} {c}")}</text>
                }
            })
            .collect_view()
    });
    view! {
        <figure class=format!("map-grid {class}") data-testid=testid>
            <figcaption>{caption.clone()}{(!name.is_empty()).then(|| view! { <SaveFigure title=caption name=name /> })}</figcaption>
            <svg viewBox=format!("-0.5 -0.5 {} {}", w + 0.5, h + top + 0.5) role="img" aria-label="Feature maps, one square per channel">
                {labels}
                {rects}
            </svg>
        </figure>
    }
}
