//! A gallery of test digits with the model's latest prediction under each.

use leptos::prelude::*;

use crate::components::figure_save::SaveFigure;
use crate::files::Drawing;
use crate::session::Session;

/// The grey level of a pixel value (0 = white, 1 = black).
fn grey(v: f32) -> u8 {
    (255.0 * (1.0 - v.clamp(0.0, 1.0))).round() as u8
}

/// Tiles per row and a tile's side, in pixels, of the gallery saved as a file.
const FILE_COLUMNS: usize = 8;
const FILE_TILE: f64 = 56.0;

/// The gallery as an SVG document: each digit as grey squares in a frame (green when the
/// prediction is right, red when wrong), its prediction and true digit under it.
fn gallery_svg(
    gallery: &[Vec<f32>],
    labels: &[u8],
    side: usize,
    predictions: &[Option<u8>],
) -> Drawing {
    // Room for the caption under each digit ("→ 3 (true 5)" at 11 px).
    let cell = FILE_TILE + 36.0;
    let row_height = FILE_TILE + 26.0;
    let scale = FILE_TILE / side.max(1) as f64;
    let tiles: String = gallery
        .iter()
        .zip(labels)
        .enumerate()
        .map(|(i, (pixels, &truth))| {
            let (x0, y0) = ((i % FILE_COLUMNS) as f64 * cell + 22.0, (i / FILE_COLUMNS) as f64 * row_height + 4.0);
            let guess = predictions.get(i).copied().flatten();
            let frame = if guess == Some(truth) { "#16a34a" } else { "#dc2626" };
            let squares: String = pixels
                .iter()
                .enumerate()
                .filter(|(_, v)| **v > 0.0)
                .map(|(k, v)| {
                    let g = grey(*v);
                    format!(
                        "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"rgb({g},{g},{g})\"/>",
                        x0 + (k % side) as f64 * scale,
                        y0 + (k / side) as f64 * scale,
                        scale * 1.02,
                        scale * 1.02
                    )
                })
                .collect();
            let said = guess.map_or_else(|| "?".to_string(), |g| g.to_string());
            format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{FILE_TILE}\" height=\"{FILE_TILE}\" fill=\"#ffffff\" stroke=\"{frame}\" stroke-width=\"2\"/>{squares}\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{frame}\">→ {said} (true {truth})</text>",
                x0,
                y0,
                x0 + FILE_TILE / 2.0,
                y0 + FILE_TILE + 14.0
            )
        })
        .collect();
    let rows = gallery.len().div_ceil(FILE_COLUMNS).max(1);
    let width = FILE_COLUMNS as f64 * cell + 8.0;
    let height = rows as f64 * row_height + 8.0;
    Drawing {
        markup: format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" font-family=\"system-ui, sans-serif\">\
             <title>Test digits and the model's prediction</title><desc>green frame: predicted right; red: wrong; under each digit the prediction and the true digit</desc>\
             <rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>{tiles}</svg>"
        ),
        width,
        height,
    }
}

/// One digit as an SVG of grey squares (0 = white, 1 = black).
fn digit(pixels: &[f32], side: usize) -> impl IntoView + use<> {
    let squares = pixels
        .iter()
        .enumerate()
        .filter(|(_, v)| **v > 0.0)
        .map(|(i, v)| {
            let g = grey(*v);
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
    let vector = Callback::new(move |()| {
        let (gallery, labels, side) = images.get_untracked()?;
        let predictions: Vec<Option<u8>> = (0..gallery.len()).map(guess).collect();
        Some(gallery_svg(&gallery, &labels, side, &predictions))
    });
    view! {
        <figure class="plot gallery-box">
            <figcaption><span>"Test digits and the model's prediction"</span><SaveFigure title="Test digits and predictions" name="gallery" vector=vector /></figcaption>
            <div class="gallery" data-testid="gallery" data-panel="gallery">{tiles}</div>
            <p class="hint">"Green: predicted right, red: wrong (hover for the true digit). Updated at every evaluation."</p>
        </figure>
    }
}
