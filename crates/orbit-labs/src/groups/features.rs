//! The intrinsic dimension of what each layer computes (docs/science.md §0.3 applied to network
//! features): at every report, TwoNN and MLE on the activations of a fixed sample of test digits,
//! layer by layer, and once on the raw pixels for reference.
//!
//! Each image's activation after a layer (all fields, slots and positions) is one point in
//! `R^(channels·H·W)`. Neighbour search runs on the CPU in chunks with a yield between them.

use burn::tensor::{Device, Tensor};
use orbit_math::dimension::{Neighbours, Points, mle, neighbour_rows, two_nn};
use orbit_models::{GroupCnn, ImageSet, Yielder};

use crate::run::RunError;

/// Test images whose features are measured.
pub const FEATURE_IMAGES: usize = 150;

/// Neighbours of the MLE.
const MLE_K: usize = 20;

/// Rows of the neighbour search between two yields.
const ROWS_PER_CHUNK: usize = 25;

/// `(TwoNN, MLE)` of a cloud, yielding between chunks of rows; NaN where undefined.
pub async fn estimate(points: &Points, yielder: Option<&Yielder>) -> (f64, f64) {
    let k = MLE_K.min(points.len().saturating_sub(1));
    let mut dist = Vec::with_capacity(points.len() * k);
    for start in (0..points.len()).step_by(ROWS_PER_CHUNK) {
        let end = (start + ROWS_PER_CHUNK).min(points.len());
        neighbour_rows(points, k, start..end, &mut dist);
        if let Some(y) = yielder {
            y().await;
        }
    }
    let nb = Neighbours { k, dist };
    (
        two_nn(&nb).map_or(f64::NAN, |t| t.fit),
        mle(&nb, MLE_K).map_or(f64::NAN, |m| m.harmonic),
    )
}

/// The sample's images as points in R⁶⁴ (pixels as the model sees them).
pub fn pixel_points(sample: &ImageSet) -> Points {
    let dim = sample.side * sample.side;
    Points::new(dim, sample.pixels.iter().map(|p| f64::from(*p)).collect())
}

/// `(TwoNN, MLE)` of every layer's features of `model` on the images `x`.
pub async fn layer_dimensions(
    model: &GroupCnn,
    x: Tensor<4>,
    yielder: Option<&Yielder>,
) -> Result<Vec<(f64, f64)>, RunError> {
    let mut out = Vec::new();
    for feature in model.features(x) {
        let [batch, c, h, w] = feature.dims();
        let data = feature.into_data_async().await?;
        let coords: Vec<f64> = data.iter::<f32>().map(f64::from).collect();
        if batch == 0 || coords.len() != batch * c * h * w {
            return Err(RunError::Backend("unexpected feature shape".into()));
        }
        out.push(estimate(&Points::new(c * h * w, coords), yielder).await);
    }
    Ok(out)
}

/// The fixed sample of test images and its tensor on `device`.
pub fn sample(test: &ImageSet, device: &Device) -> (ImageSet, Tensor<4>) {
    let sample = test.head(FEATURE_IMAGES);
    let rows: Vec<usize> = (0..sample.len()).collect();
    let (x, _) = sample.tensors(&rows, device);
    (sample, x)
}
