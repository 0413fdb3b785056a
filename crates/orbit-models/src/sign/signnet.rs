//! SignNet: `ρ([φ(v_i) + φ(−v_i)]_i)`, sign invariant by construction.

use burn::config::Config;
use burn::module::Module;
use burn::nn::Linear;
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};
use orbit_math::Rng;

use crate::init;

/// Configuration of a [`SignNet`].
#[derive(Config, Debug, PartialEq)]
pub struct SignNetConfig {
    /// Eigenvectors `k`.
    pub k: usize,
    /// Width of φ's output per eigenvector entry.
    #[config(default = 8)]
    pub phi: usize,
    /// Hidden width of ρ.
    #[config(default = 32)]
    pub hidden: usize,
    /// Output width (node embedding size).
    pub out: usize,
}

/// SignNet with an entry-wise φ (`1 → phi → phi`, permutation equivariant) and a row-wise ρ.
#[derive(Module, Debug)]
pub struct SignNet {
    /// φ's first layer.
    pub phi1: Linear,
    /// φ's second layer.
    pub phi2: Linear,
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
            phi2: init::linear(self.phi, self.phi, &mut rng, device),
            rho1: init::linear(self.k * self.phi, self.hidden, &mut rng, device),
            rho2: init::linear(self.hidden, self.out, &mut rng, device),
        }
    }
}

impl SignNet {
    fn phi(&self, x: Tensor<2>) -> Tensor<2> {
        self.phi2.forward(relu(self.phi1.forward(x)))
    }

    /// Node embeddings.
    ///
    /// # Shapes
    /// - `v`: `[n, k]`; output `[n, out]`
    pub fn forward(&self, v: Tensor<2>) -> Tensor<2> {
        let [n, k] = v.dims();
        let entries = v.reshape([n * k, 1]);
        let invariant = self.phi(entries.clone()) + self.phi(entries.neg());
        let width = invariant.dims()[1];
        let rows = invariant.reshape([n, k * width]);
        self.rho2.forward(relu(self.rho1.forward(rows)))
    }
}
