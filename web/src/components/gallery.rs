//! A gallery of test digits with the model's latest prediction under each.

use leptos::prelude::*;

use crate::session::Session;

/// One digit as an SVG of grey squares (0 = white, 1 = black).
fn digit(pixels: &[f32], side: usize) -> impl IntoView + use<> {
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

/// The first test digits with their predictions (green when right, red when wrong). The images
/// are drawn once per run; only captions and colours follow the evaluations.
#[component]
pub fn DigitGallery(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let images = Memo::new(move |_| {
        session.classification.with(|c| {
            c.as_ref().map(|c| {
                (
                    c.gallery.clone(),
                    c.labels[..c.gallery.len()].to_vec(),
                    c.side,
                )
            })
        })
    });
    let guess = move |i: usize| {
        session
            .classification
            .with(|c| c.as_ref().and_then(|c| c.predictions.get(i).copied()))
    };
    let tiles = move || {
        let (gallery, labels, side) = images.get()?;
        Some(
            gallery
                .into_iter()
                .zip(labels)
                .enumerate()
                .map(|(i, (px, truth))| {
                    let wrong = move || guess(i) != Some(truth);
                    let caption = move || {
                        guess(i)
                            .map(|g| format!("→ {g}"))
                            .unwrap_or_else(|| "→ ?".into())
                    };
                    view! {
                        <div class="tile" class:wrong=wrong title=format!("true digit {truth}")>
                            {digit(&px, side)}
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
            <div class="gallery" data-testid="gallery" data-panel="gallery">{tiles}</div>
            <p class="hint">"Green: predicted right, red: wrong (hover for the true digit). Updated at every evaluation."</p>
        </figure>
    }
}
