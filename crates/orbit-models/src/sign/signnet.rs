//! SignNet (Lim et al., "Sign and Basis Invariant Networks", 2022), in the form the sign
//! paper compares against: `ρ([φ(v_i) + φ(−v_i)]_i)` with φ a graph network run on each
//! eigenvector as a one-channel node signal (weights shared over eigenvectors) and ρ an MLP on
//! each node's concatenation. Sign invariant by construction (φ(v) + φ(−v) is even in v) and
//! permutation equivariant (φ aggregates over neighbours, ρ is row-wise).

use burn::config::Config;
use burn::module::Module;
use burn::nn::Linear;
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};
use orbit_math::Rng;

use super::GraphTensors;
use crate::init;

/// Configuration of a [`SignNet`].
#[derive(Config, Debug, PartialEq)]
pub struct SignNetConfig {
    /// Eigenvectors `k`.
    pub k: usize,
    /// Width of φ's output per node and eigenvector.
    #[config(default = 8)]
    pub phi: usize,
    /// Hidden width of ρ.
    #[config(default = 32)]
    pub hidden: usize,
    /// Output width (node embedding size).
    pub out: usize,
}

/// SignNet: a two-layer graph network φ (`h ↦ W_self h + W_nb mean_{neighbours} h`, ReLU
/// between) on every eigenvector, and a row-wise two-layer ρ.
#[derive(Module, Debug)]
pub struct SignNet {
    /// φ's first layer on a node's own value, `1 → phi`.
    pub phi1: Linear,
    /// φ's first layer on the mean of its neighbours' values, `1 → phi` (no bias).
    pub phi1_nb: Linear,
    /// φ's second layer on a node's own features, `phi → phi`.
    pub phi2: Linear,
    /// φ's second layer on its neighbours' mean features, `phi → phi` (no bias).
    pub phi2_nb: Linear,
    /// ρ's first layer, `k·phi → hidden`.
    pub rho1: Linear,
    /// ρ's second layer, `hidden → out`.
    pub rho2: Linear,
}

impl SignNetConfig {
    /// Builds the network from `Rng::new(seed)`.
    pub fn init(&self, seed: u64, device: &Device) -> SignNet {
        let mut rng = Rng::new(seed).fork("signnet");
        SignNet {
            phi1: init::linear(1, self.phi, &mut rng, device),
            phi1_nb: init::linear_no_bias(1, self.phi, &mut rng, device),
            phi2: init::linear(self.phi, self.phi, &mut rng, device),
            phi2_nb: init::linear_no_bias(self.phi, self.phi, &mut rng, device),
            rho1: init::linear(self.k * self.phi, self.hidden, &mut rng, device),
            rho2: init::linear(self.hidden, self.out, &mut rng, device),
        }
    }
}

impl SignNet {
    /// φ on every eigenvector at once: `x` holds one row per (node, eigenvector) pair,
    /// node-major, `[n·k, c]`; the neighbour mean mixes nodes only.
    fn phi(&self, x: Tensor<2>, n: usize, k: usize, graph: &GraphTensors) -> Tensor<2> {
        let neighbours = |h: Tensor<2>| {
            let c = h.dims()[1];
            graph
                .mean
                .clone()
                .matmul(h.reshape([n, k * c]))
                .reshape([n * k, c])
        };
        let h = relu(self.phi1.forward(x.clone()) + self.phi1_nb.forward(neighbours(x)));
        self.phi2.forward(h.clone()) + self.phi2_nb.forward(neighbours(h))
    }

    /// Node embeddings.
    ///
    /// # Shapes
    /// - `v`: `[n, k]`, `graph`: `n` nodes; output `[n, out]`
    pub fn forward(&self, v: Tensor<2>, graph: &GraphTensors) -> Tensor<2> {
        let [n, k] = v.dims();
        let entries = v.reshape([n * k, 1]);
        let invariant =
            self.phi(entries.clone(), n, k, graph) + self.phi(entries.neg(), n, k, graph);
        let width = invariant.dims()[1];
        let rows = invariant.reshape([n, k * width]);
        self.rho2.forward(relu(self.rho1.forward(rows)))
    }
}
