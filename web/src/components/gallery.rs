//! A gallery of test digits with the model's latest prediction under each.

use leptos::prelude::*;

use crate::session::Session;

/// One digit as an SVG of grey squares (0 = white, 1 = black).
fn digit(pixels: &[f32], side: usize) -> impl IntoView {
    let squares = pixels
        .iter()
        .enumerate()
        .filter(|(_, v)| **v > 0.0)
        .map(|(i, v)| {
            let g = (255.0 * (1.0 - v.clamp(0.0, 1.0))).round() as u8;
            view! { <rect x=(i % side) as f64 y=(i / side) as f64 width="1.02" height="1.02" fill=format!("rgb({g},{g},{g})") /> }
        })
        .collect_view();
    view! { <svg viewBox=format!("0 0 {side} {side}") class="digit">{squares}</svg> }
}

/// The first test digits with their predictions (green when right, red when wrong).
#[component]
pub fn DigitGallery(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let items = move || {
        let c = session.classification.get()?;
        Some(
            c.gallery
                .iter()
                .enumerate()
                .map(|(i, px)| {
                    let truth = c.labels[i];
                    let guess = c.predictions.get(i).copied();
                    let right = guess == Some(truth);
                    let caption = guess.map(|g| format!("→ {g}")).unwrap_or_else(|| "→ ?".into());
                    view! {
                        <div class="tile" class:wrong=!right title=format!("true digit {truth}")>
                            {digit(px, c.side)}
                            <span class="guess">{caption}</span>
                        </div>
                    }
                })
                .collect_view(),
        )
    };
    view! {
        <figure class="plot gallery-box">
            <figcaption>"Test digits and the model's prediction"</figcaption>
            <div class="gallery" data-testid="gallery">{items}</div>
            <p class="hint">"Green: predicted right, red: wrong (hover for the true digit). Updated at every evaluation."</p>
        </figure>
    }
}
