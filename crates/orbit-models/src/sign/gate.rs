//! The sign-equivariant gate and the SignDSS network.

use burn::config::Config;
use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::tensor::activation::{relu, sigmoid};
use burn::tensor::{Device, Tensor, TensorData};
use orbit_math::Rng;

use super::GraphTensors;
use crate::init;

/// `SignEqGate(x) = x + (a ⊙ x) ⊙ sigmoid(MLP(|x|))`, row by row: odd in each column through
/// `a ⊙ x`, times a factor that sees only `|x|` (sign invariant), so `f(xS) = f(x)S` exactly.
#[derive(Module, Debug)]
pub struct SignEqGate {
    /// Per-column scale `a ∈ R^k`, starting at 1.
    pub scale: Param<Tensor<1>>,
    /// `k → hidden`.
    pub inner: Linear,
    /// `hidden → k`.
    pub outer: Linear,
}

impl SignEqGate {
    /// A gate on `k` columns with a `hidden`-wide MLP.
    pub fn new(k: usize, hidden: usize, rng: &mut Rng, device: &Device) -> Self {
        Self {
            scale: Param::from_data(TensorData::new(vec![1f32; k], [k]), device),
            inner: init::linear(k, hidden, rng, device),
            outer: init::linear(hidden, k, rng, device),
        }
    }

    /// # Shapes
    /// - `x`: `[n, k]`; output `[n, k]`
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let gate = sigmoid(
            self.outer
                .forward(relu(self.inner.forward(x.clone().abs()))),
        );
        let scaled = x.clone() * self.scale.val().unsqueeze::<2>();
        x + scaled * gate
    }
}

/// `SignDSSLayer(x) = x + Gate₁(x) + Gate₂(m)`, `m_i` the mean of `x` over `i`'s neighbours.
#[derive(Module, Debug)]
pub struct SignDssLayer {
    /// Gate on the node's own row.
    pub own: SignEqGate,
    /// Gate on the neighbours' mean.
    pub neighbours: SignEqGate,
}

impl SignDssLayer {
    /// # Shapes
    /// - `x`: `[n, k]`; output `[n, k]`
    pub fn forward(&self, x: Tensor<2>, graph: &GraphTensors) -> Tensor<2> {
        let m = graph.mean.clone().matmul(x.clone());
        x.clone() + self.own.forward(x) + self.neighbours.forward(m)
    }
}

/// Configuration of a [`SignDss`] network.
#[derive(Config, Debug, PartialEq)]
pub struct SignDssConfig {
    /// Eigenvectors `k` (input and output columns).
    pub k: usize,
    /// Hidden width of every gate's MLP.
    #[config(default = 32)]
    pub hidden: usize,
    /// Layers.
    #[config(default = 4)]
    pub layers: usize,
}

/// The SignDSS network: a stack of [`SignDssLayer`]s, sign and permutation equivariant.
#[derive(Module, Debug)]
pub struct SignDss {
    /// The layers.
    pub layers: Vec<SignDssLayer>,
}

impl SignDssConfig {
    /// Builds the network from `Rng::new(seed)`.
    pub fn init(&self, seed: u64, device: &Device) -> SignDss {
        let mut rng = Rng::new(seed).fork("signdss");
        let layers = (0..self.layers)
            .map(|_| SignDssLayer {
                own: SignEqGate::new(self.k, self.hidden, &mut rng, device),
                neighbours: SignEqGate::new(self.k, self.hidden, &mut rng, device),
            })
            .collect();
        SignDss { layers }
    }
}

impl SignDss {
    /// Node embeddings.
    ///
    /// # Shapes
    /// - `v`: `[n, k]` eigenvectors as columns; output `[n, k]`
    pub fn forward(&self, v: Tensor<2>, graph: &GraphTensors) -> Tensor<2> {
        // Each layer adds three terms of the size of its input: rescale to keep it bounded.
        self.layers
            .iter()
            .fold(v, |x, layer| layer.forward(x, graph) / 3.0)
    }
}
