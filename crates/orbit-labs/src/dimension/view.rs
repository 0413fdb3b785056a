//! [`DimensionView`]: everything the page draws for a dimension-lab run.

use orbit_math::dimension::{Points, Scaling};
use serde::{Deserialize, Serialize};

/// The estimates of one estimator at one stream size, one value per seed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EstimateRow {
    /// Points used.
    pub n: usize,
    /// Estimator name (`TwoNN`, `TwoNN closed form`, `MLE`, `Levina–Bickel`).
    pub estimator: String,
    /// One estimate per seed (finite values only).
    pub values: Vec<f64>,
}

impl EstimateRow {
    /// Mean over seeds (NaN when empty).
    pub fn mean(&self) -> f64 {
        self.values.iter().sum::<f64>() / self.values.len() as f64
    }

    /// Standard deviation over seeds (0 with one seed).
    pub fn spread(&self) -> f64 {
        super::run::spread(&self.values)
    }
}

/// The closed-form DDIM panel: training set, its orbit, and samples of both denoisers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DdimPanel {
    /// Order of the cyclic group.
    pub order: usize,
    /// Whether the data's first two coordinates are C_k-symmetric (see
    /// [`super::Cloud::plane_symmetric`]): where they are not, the symmetrised denoiser
    /// produces points the data never has.
    pub symmetry_holds: bool,
    /// The training points D_n (2D).
    pub train: Points,
    /// The orbit C_k·D_n.
    pub orbit: Points,
    /// DDIM samples of the empirical denoiser of D_n.
    pub plain: Points,
    /// DDIM samples of the C_k-symmetrised denoiser (same noise).
    pub symmetric: Points,
}

/// What the page shows of a dimension-lab run.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct DimensionView {
    /// The data's name.
    pub label: String,
    /// Its true intrinsic dimension, when known.
    pub true_dimension: Option<usize>,
    /// The first seed's cloud (the whole stream).
    pub cloud: Points,
    /// Point-wise MLE of the cloud's first points (empty until the last stage of seed 0).
    pub pointwise: Vec<f64>,
    /// Every estimate so far.
    pub estimates: Vec<EstimateRow>,
    /// `R_n` curves (mean over seeds) and their fits, one per symmetry measured so far.
    pub scaling: Vec<Scaling>,
    /// Standard deviation over seeds of each symmetry's `d̂` (0 with one seed).
    pub scaling_spread: Vec<f64>,
    /// The DDIM panel (clouds with at least two coordinates).
    pub ddim: Option<DdimPanel>,
    /// Units of work done and in all, for a progress bar.
    pub progress: (usize, usize),
    /// Why the run has nothing to show (e.g. no CSV loaded), if so.
    pub problem: Option<String>,
}
