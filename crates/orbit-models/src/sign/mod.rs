//! Networks on Laplacian eigenvectors (docs/science.md §3, "Expressive Sign Equivariant Networks").
//!
//! Input: `V ∈ R^{n×k}`, k eigenvectors of a graph Laplacian as columns, and the graph as dense
//! matrices ([`GraphTensors`]). Sign flips act as `V ↦ VS`, `S = diag(±1)`; node relabelling as
//! `V ↦ PV`. Each model maps `V` to node embeddings `Z ∈ R^{n×k}`, and a link `(i, j)` scores
//! `α·⟨z_i, z_j⟩ + β`:
//! - [`SignDss`]: sign *equivariant* (`f(VS) = f(V)S`), so link scores are sign invariant
//!   while embeddings stay positional;
//! - [`SignNet`]: sign *invariant* (`φ(v) + φ(−v)`, then ρ): structural embeddings;
//! - [`DecodeOnly`]: `Z = V` up to a learned weight per column;
//! - [`Gcn`]: a GCN on constant features (structural, no eigenvectors);
//! - [`RowMlp`]: an MLP on the raw rows of `V`, with no symmetry at all.
//!
//! The O(d) point-cloud task uses the same idea on PCA frames ([`cloud`]): a sign-equivariant
//! `h` in the frame gives an O(d)-equivariant model; [`CloudBatch`] expresses clouds in frames
//! with arbitrary signs and [`CloudTrainer`] fits any [`CloudModel`].

mod baselines;
pub mod cloud;
mod cloud_batch;
mod cloud_trainer;
mod gate;
mod link;
mod signnet;

pub use baselines::{Gcn, GcnConfig, RowMlp, RowMlpConfig, decode_only};
pub use cloud::{
    CloudMlp, CloudMlpConfig, CloudModel, FrameAveraged, FrameSignEquivariant, FrameSignInvariant,
    PairNetConfig,
};
pub use cloud_batch::CloudBatch;
pub use cloud_trainer::CloudTrainer;
pub use gate::{SignDss, SignDssConfig, SignDssLayer, SignEqGate};
pub use link::{DecodeOnly, LinkData, LinkPredictor, LinkTrainer, NodeEmbedder, sample_non_edges};
pub use signnet::{SignNet, SignNetConfig};

use burn::tensor::{Device, Tensor, TensorData};
use orbit_math::graph::Graph;

/// The graph as dense `n × n` matrices on a device.
#[derive(Clone, Debug)]
pub struct GraphTensors {
    /// `D⁻¹A`: row `i` averages `i`'s neighbours (a zero row for an isolated node).
    pub mean: Tensor<2>,
    /// `D̃^(−1/2)(A + I)D̃^(−1/2)`, the GCN propagation matrix.
    pub gcn: Tensor<2>,
}

impl GraphTensors {
    /// Both matrices of `graph`.
    pub fn new(graph: &Graph, device: &Device) -> Self {
        let n = graph.n;
        let degrees = graph.degrees();
        let mut mean = vec![0f32; n * n];
        let mut gcn = vec![0f32; n * n];
        for i in 0..n {
            gcn[i * n + i] = 1.0 / (degrees[i] + 1) as f32;
        }
        for &(i, j) in &graph.edges {
            mean[i * n + j] = 1.0 / degrees[i] as f32;
            mean[j * n + i] = 1.0 / degrees[j] as f32;
            let w = 1.0 / (((degrees[i] + 1) * (degrees[j] + 1)) as f32).sqrt();
            gcn[i * n + j] = w;
            gcn[j * n + i] = w;
        }
        Self {
            mean: Tensor::from_data(TensorData::new(mean, [n, n]), device),
            gcn: Tensor::from_data(TensorData::new(gcn, [n, n]), device),
        }
    }
}

/// `⟨z_i, z_j⟩` for every pair `(i, j)` in `pairs`.
///
/// # Shapes
/// - `z`: `[n, d]`; output: `[pairs]`
pub fn pair_scores(z: Tensor<2>, pairs: &[(usize, usize)]) -> Tensor<1> {
    let device = z.device();
    let index = |f: fn(&(usize, usize)) -> usize| {
        let ids: Vec<i64> = pairs.iter().map(|p| f(p) as i64).collect();
        Tensor::<1, burn::tensor::Int>::from_data(TensorData::new(ids, [pairs.len()]), &device)
    };
    let zi = z.clone().select(0, index(|p| p.0));
    let zj = z.select(0, index(|p| p.1));
    (zi * zj).sum_dim(1).squeeze_dim(1)
}

#[cfg(test)]
mod tests;
