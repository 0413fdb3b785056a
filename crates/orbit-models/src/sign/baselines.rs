//! The baselines of the sign-flip lab: DecodeOnly, a GCN on constant features, and an MLP on
//! the raw eigenvector rows.

use burn::config::Config;
use burn::module::Module;
use burn::nn::Linear;
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};
use orbit_math::Rng;

use super::GraphTensors;
use crate::init;

/// DecodeOnly: the eigenvectors themselves are the embeddings (`Z = V`).
pub fn decode_only(v: Tensor<2>) -> Tensor<2> {
    v
}

/// Configuration of a [`Gcn`].
#[derive(Config, Debug, PartialEq)]
pub struct GcnConfig {
    /// Hidden and output width.
    pub width: usize,
    /// Propagation layers.
    #[config(default = 3)]
    pub layers: usize,
}

/// A GCN on constant node features: `h ← ReLU(Â h W)` from `h = 1`. It sees only structure, so
/// automorphic nodes get equal embeddings.
#[derive(Module, Debug)]
pub struct Gcn {
    /// The layers' weights (`1 → width`, then `width → width`).
    pub layers: Vec<Linear>,
}

impl GcnConfig {
    /// Builds the network from `Rng::new(seed)`.
    pub fn init(&self, seed: u64, device: &Device) -> Gcn {
        let mut rng = Rng::new(seed).fork("gcn");
        let layers = (0..self.layers.max(1))
            .map(|l| {
                init::linear(
                    if l == 0 { 1 } else { self.width },
                    self.width,
                    &mut rng,
                    device,
                )
            })
            .collect();
        Gcn { layers }
    }
}

impl Gcn {
    /// Node embeddings of an `n`-node graph.
    ///
    /// # Shapes
    /// - output `[n, width]`
    pub fn forward(&self, graph: &GraphTensors) -> Tensor<2> {
        let n = graph.gcn.dims()[0];
        let device = graph.gcn.device();
        let last = self.layers.len() - 1;
        let mut h = Tensor::<2>::ones([n, 1], &device);
        for (l, layer) in self.layers.iter().enumerate() {
            h = layer.forward(graph.gcn.clone().matmul(h));
            if l < last {
                h = relu(h);
            }
        }
        h
    }
}

/// Configuration of a [`RowMlp`].
#[derive(Config, Debug, PartialEq)]
pub struct RowMlpConfig {
    /// Eigenvectors `k`.
    pub k: usize,
    /// Hidden width.
    #[config(default = 32)]
    pub hidden: usize,
    /// Output width.
    pub out: usize,
}

/// An MLP applied to each row of `V`: no sign symmetry at all.
#[derive(Module, Debug)]
pub struct RowMlp {
    /// `k → hidden`.
    pub inner: Linear,
    /// `hidden → out`.
    pub outer: Linear,
}

impl RowMlpConfig {
    /// Builds the network from `Rng::new(seed)`.
    pub fn init(&self, seed: u64, device: &Device) -> RowMlp {
        let mut rng = Rng::new(seed).fork("rowmlp");
        RowMlp {
            inner: init::linear(self.k, self.hidden, &mut rng, device),
            outer: init::linear(self.hidden, self.out, &mut rng, device),
        }
    }
}

impl RowMlp {
    /// # Shapes
    /// - `v`: `[n, k]`; output `[n, out]`
    pub fn forward(&self, v: Tensor<2>) -> Tensor<2> {
        self.outer.forward(relu(self.inner.forward(v)))
    }
}
