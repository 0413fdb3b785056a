//! Batches of clouds on the host, in raw coordinates or in PCA frames with arbitrary signs.

use burn::tensor::{Device, Tensor, TensorData};
use orbit_math::Rng;
use orbit_math::frame::{pca_frame, transform, transpose};

/// Clouds and their targets, flattened `[b, n, d]`, as a model sees them.
#[derive(Clone, Debug)]
pub struct CloudBatch {
    /// Inputs, row-major `[b, n, d]`.
    pub inputs: Vec<f32>,
    /// Targets in the same coordinates as the inputs.
    pub targets: Vec<f32>,
    /// Per cloud, the frame `R` (`d × d`) the inputs are expressed in; empty for raw batches.
    pub frames: Vec<Vec<f64>>,
    /// Clouds `b`, points `n`, dimension `d`.
    pub shape: [usize; 3],
}

impl CloudBatch {
    /// The clouds as given.
    pub fn raw(clouds: &[Vec<f64>], targets: &[Vec<f64>], d: usize) -> Self {
        let n = clouds.first().map_or(0, |c| c.len() / d);
        Self {
            inputs: flatten(clouds),
            targets: flatten(targets),
            frames: Vec::new(),
            shape: [clouds.len(), n, d],
        }
    }

    /// Each cloud `X` and target `Y` as `XR`, `YR` for its PCA frame `R`, with the sign of each
    /// axis drawn from `rng`: no model may rely on a solver's sign convention.
    pub fn framed(clouds: &[Vec<f64>], targets: &[Vec<f64>], d: usize, rng: &mut Rng) -> Self {
        let frames: Vec<Vec<f64>> = clouds
            .iter()
            .map(|x| {
                let signs: Vec<f64> = (0..d)
                    .map(|_| if rng.uniform() < 0.5 { -1.0 } else { 1.0 })
                    .collect();
                pca_frame(x, d).with_signs(&signs).axes
            })
            .collect();
        let inputs: Vec<Vec<f64>> = clouds
            .iter()
            .zip(&frames)
            .map(|(x, r)| transform(x, r, d))
            .collect();
        let framed_targets: Vec<Vec<f64>> = targets
            .iter()
            .zip(&frames)
            .map(|(y, r)| transform(y, r, d))
            .collect();
        let mut batch = Self::raw(&inputs, &framed_targets, d);
        batch.frames = frames;
        batch
    }

    /// Inputs and targets as tensors on `device`.
    ///
    /// # Shapes
    /// - outputs `[b, n, d]` each
    pub fn tensors(&self, device: &Device) -> (Tensor<3>, Tensor<3>) {
        let tensor =
            |v: &Vec<f32>| Tensor::from_data(TensorData::new(v.clone(), self.shape), device);
        (tensor(&self.inputs), tensor(&self.targets))
    }

    /// `predictions` (in the batch's coordinates, `[b, n, d]`) back in the clouds' own
    /// coordinates, one vector per cloud: `h(XR)Rᵀ`.
    pub fn unframe(&self, predictions: &[f32]) -> Vec<Vec<f64>> {
        let [_, n, d] = self.shape;
        predictions
            .chunks(n * d)
            .enumerate()
            .map(|(b, p)| {
                let p: Vec<f64> = p.iter().map(|&v| v as f64).collect();
                match self.frames.get(b) {
                    Some(r) => transform(&p, &transpose(r, d), d),
                    None => p,
                }
            })
            .collect()
    }
}

fn flatten(rows: &[Vec<f64>]) -> Vec<f32> {
    rows.iter().flatten().map(|&v| v as f32).collect()
}
