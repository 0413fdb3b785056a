//! The confusion matrix of the latest test evaluation: rows are true classes, columns the
//! model's predictions; cells are shaded by the share of their row.

use leptos::prelude::*;
use orbit_math::stats::{confusion_matrix, per_class_accuracy};

use crate::components::figure_save::SaveFigure;
use crate::session::Session;

const CLASSES: usize = 10;
const CELL: f64 = 24.0;
const LEFT: f64 = 44.0;
const TOP: f64 = 34.0;

fn shade(fraction: f64) -> String {
    // White to indigo (#4f46e5).
    let f = fraction.clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * f).round() as u8;
    format!(
        "rgb({},{},{})",
        mix(255.0, 79.0),
        mix(255.0, 70.0),
        mix(255.0, 229.0)
    )
}

/// The confusion matrix, with per-class accuracy in the right margin.
#[component]
pub fn ConfusionMatrix(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let body = move || {
        let c = session.classification.get()?;
        let m = confusion_matrix(&c.labels, &c.predictions, CLASSES);
        let accuracy = per_class_accuracy(&m, CLASSES);
        let cells = (0..CLASSES * CLASSES)
            .map(|i| {
                let (t, p) = (i / CLASSES, i % CLASSES);
                let row: usize = m[t * CLASSES..(t + 1) * CLASSES].iter().sum();
                let fraction = if row == 0 { 0.0 } else { m[i] as f64 / row as f64 };
                let (x, y) = (LEFT + p as f64 * CELL, TOP + t as f64 * CELL);
                let ink = if fraction > 0.55 { "#fff" } else { "#1f2433" };
                view! {
                    <rect x=x y=y width=CELL height=CELL fill=shade(fraction) stroke="#e5e7ef" />
                    {(m[i] > 0).then(|| view! {
                        <text x=x + CELL / 2.0 y=y + CELL / 2.0 + 4.0 text-anchor="middle" class="cell" fill=ink>{m[i]}</text>
                    })}
                }
            })
            .collect_view();
        let axis = (0..CLASSES)
            .map(|k| {
                let mid = k as f64 * CELL + CELL / 2.0;
                let acc = accuracy[k];
                let acc_text = if acc.is_finite() { format!("{:.0}%", acc * 100.0) } else { "–".into() };
                view! {
                    <text class="tick" x=LEFT + mid y=TOP - 6.0 text-anchor="middle">{k}</text>
                    <text class="tick" x=LEFT - 8.0 y=TOP + mid + 4.0 text-anchor="end">{k}</text>
                    <text class="tick" x=LEFT + CLASSES as f64 * CELL + 6.0 y=TOP + mid + 4.0>{acc_text}</text>
                }
            })
            .collect_view();
        let size = CLASSES as f64 * CELL;
        Some(view! {
            <svg viewBox=format!("0 0 {} {}", LEFT + size + 48.0, TOP + size + 12.0) role="img" aria-label="Confusion matrix: true digit by predicted digit" data-testid="confusion-matrix">
                <text class="axis-label" x=LEFT + size / 2.0 y=12.0 text-anchor="middle">"predicted digit"</text>
                <text class="axis-label" transform=format!("translate(12 {}) rotate(-90)", TOP + size / 2.0) text-anchor="middle">"true digit"</text>
                <text class="axis-label" x=LEFT + size + 6.0 y=TOP - 6.0>"right"</text>
                {axis}
                {cells}
            </svg>
        })
    };
    view! {
        <figure class="plot matrix" data-panel="confusion">
            <figcaption><span>"Confusion matrix on the test set (last evaluation)"</span><SaveFigure title="Confusion matrix" name="confusion" /></figcaption>
            {body}
            <p class="hint">"Row t, column p counts test digits of class t predicted as p; shading is the share of the row; the right margin is each class's accuracy."</p>
        </figure>
    }
}
