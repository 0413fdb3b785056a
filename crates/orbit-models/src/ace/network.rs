//! The SO(2)×S_N vector-channel network of the ACE lab, each layer `f_eq + γ_l · f_neq`.
//!
//! A set of `n` points `x_i ∈ R²` is carried as `C` vector channels per point,
//! `V ∈ R^{n × 2 × C}` (the plane's two coordinates before the channels, so that mixing channels
//! is a matrix product on the last axis and never touches the plane):
//! 1. messages: `V⁰_i = (1/n) Σ_j φ(|x_j − x_i|) (x_j − x_i)`, with φ: R → R^C a small MLP of
//!    the distance (radial weights);
//! 2. each layer l: `V ← gate(V W_a + mean_j(V_j) W_b + γ_l · Dense_l(flatten V_i))`, where the
//!    gate scales each channel by `σ(|V[c]| + b_c)` (its norm is rotation invariant);
//! 3. the prediction `y_i = V_i w` (a combination of the channels, a vector per point).
//!
//! Everything but `Dense_l` commutes with rotations of the plane and relabellings of the
//! points, so with every γ = 0 (the branch dropped) the network is exactly equivariant;
//! `Dense_l` is an ordinary linear map on the `2C` numbers of a point, with a bias, so it can
//! learn what the symmetry forbids (a constant wind).

use burn::config::Config;
use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::tensor::activation::relu;
use burn::tensor::{Device, Int, Tensor, TensorData};
use orbit_math::Rng;

use crate::{init, kept_slope};

/// Configuration of a [`VectorNet`].
#[derive(Config, Debug, PartialEq)]
pub struct VectorNetConfig {
    /// Vector channels `C` per point.
    #[config(default = 8)]
    pub channels: usize,
    /// Layers, each with its own γ.
    #[config(default = 3)]
    pub layers: usize,
    /// Hidden width of the radial MLP φ.
    #[config(default = 16)]
    pub radial_hidden: usize,
}

/// One layer's weights.
#[derive(Module, Debug)]
pub struct VectorLayer {
    /// `W_a`, `[C, C]`: mixes a point's own channels.
    pub own: Param<Tensor<2>>,
    /// `W_b`, `[C, C]`: mixes the set's mean channels.
    pub mean: Param<Tensor<2>>,
    /// The gate's bias per channel, `[C]`.
    pub gate_bias: Param<Tensor<1>>,
    /// `Dense_l`, `2C → 2C` on a point's flattened channels: the non-equivariant branch.
    pub dense: Linear,
}

/// The network.
#[derive(Module, Debug)]
pub struct VectorNet {
    /// φ's first layer, `1 → hidden`.
    pub radial1: Linear,
    /// φ's second layer, `hidden → C`.
    pub radial2: Linear,
    /// The layers.
    pub layers: Vec<VectorLayer>,
    /// One γ per layer, `[L]`, starting at 1.
    pub gamma: Param<Tensor<1>>,
    /// The read-out `w`, `[C, 1]`.
    pub readout: Param<Tensor<2>>,
}

impl VectorNetConfig {
    /// Builds the network from `Rng::new(seed)`; every γ starts at 1.
    pub fn init(&self, seed: u64, device: &Device) -> VectorNet {
        let mut rng = Rng::new(seed).fork("ace vector net");
        let c = self.channels;
        let square =
            |rng: &mut Rng| init::uniform_param([c, c], 1.0 / (c as f64).sqrt(), rng, device);
        let layers = (0..self.layers)
            .map(|_| VectorLayer {
                own: square(&mut rng),
                mean: square(&mut rng),
                gate_bias: Param::from_tensor(Tensor::zeros([c], device)),
                dense: init::linear(2 * c, 2 * c, &mut rng, device),
            })
            .collect();
        let mut net = VectorNet {
            radial1: init::linear(1, self.radial_hidden, &mut rng, device),
            radial2: init::linear(self.radial_hidden, c, &mut rng, device),
            layers,
            gamma: Param::from_tensor(Tensor::ones([self.layers], device)),
            readout: init::uniform_param([c, 1], 1.0 / (c as f64).sqrt(), &mut rng, device),
        };
        net.layers = net
            .layers
            .into_iter()
            .map(VectorLayer::unit_branch)
            .collect();
        net
    }
}

impl VectorLayer {
    /// The layer with its branch's weight and bias scaled together to unit Frobenius norm, so
    /// that γ alone says how much of the branch is used (otherwise γ → 0 while the weights
    /// grow). The scaled tensors are new leaves with the same parameter ids.
    pub fn unit_branch(self) -> Self {
        // Detached tensors keep their tracking flag in Burn: untrack them for the arithmetic.
        let plain = |t: Tensor<2>| t.detach().set_require_grad(false);
        let weight = plain(self.dense.weight.val());
        let bias = self
            .dense
            .bias
            .as_ref()
            .map(|b| b.val().detach().set_require_grad(false));
        let mut norm2 = weight.clone().powi_scalar(2).sum();
        if let Some(b) = &bias {
            norm2 = norm2 + b.clone().powi_scalar(2).sum();
        }
        let norm = norm2.sqrt().clamp_min(1e-12);
        let dense = Linear {
            weight: self.dense.weight.map(|w| {
                let tracked = w.is_require_grad();
                (plain(w) / norm.clone().unsqueeze::<2>()).set_require_grad(tracked)
            }),
            bias: self.dense.bias.map(|b| {
                b.map(|b| {
                    let tracked = b.is_require_grad();
                    (b.detach().set_require_grad(false) / norm.clone()).set_require_grad(tracked)
                })
            }),
        };
        Self { dense, ..self }
    }
}

impl VectorNet {
    /// Predictions for a batch of sets; `branch` false drops every non-equivariant branch
    /// (the network `f_eq`, γ treated as 0).
    ///
    /// # Shapes
    /// - `x`: `[b, n, 2]`; output `[b, n, 2]`
    pub fn forward(&self, x: Tensor<3>, branch: bool) -> Tensor<3> {
        let [b, n, _] = x.dims();
        let c = self.readout.dims()[0];
        let Some(pairs) = PairGeometry::of(x.clone()) else {
            return self.layers_and_readout(Tensor::zeros([b, n, 2, c], &x.device()), branch);
        };
        let p = pairs.count();
        // 1. φ on every (set, pair) row at once (a 3-D input would make each Linear a batched
        // product of tiny blocks).
        let phi = self
            .radial2
            .forward(relu(
                self.radial1.forward(pairs.dist.clone().reshape([b * p, 1])),
            ))
            .reshape([b, p, 1, c]);
        let m = pairs.rel.clone().unsqueeze_dim::<4>(3) * phi; // [b, P, 2, C]: rel_ij φ(|rel_ij|)
        self.layers_and_readout(pairs.to_points(m), branch)
    }

    /// Steps 2 and 3 from the messages `v`, `[b, n, 2, C]`; output `[b, n, 2]`.
    fn layers_and_readout(&self, mut v: Tensor<4>, branch: bool) -> Tensor<3> {
        let [b, n, _, c] = v.dims();
        // 2. Layers. Channel mixing is one matrix product over every (set, point, coordinate)
        // row: a batched product of [2, C] blocks would run thousands of tiny products.
        let rows = |t: Tensor<4>| {
            let [b, n, d, c] = t.dims();
            t.reshape([b * n * d, c])
        };
        for (l, layer) in self.layers.iter().enumerate() {
            let own = rows(v.clone())
                .matmul(layer.own.val())
                .reshape([b, n, 2, c]);
            let mean = rows(v.clone().mean_dim(1))
                .matmul(layer.mean.val())
                .reshape([b, 1, 2, c]);
            let mut h = own + mean;
            if branch {
                let flat = v.clone().reshape([b * n, 2 * c]);
                let neq = layer.dense.forward(flat).reshape([b, n, 2, c]);
                let gamma = self.gamma.val().narrow(0, l, 1).reshape([1, 1, 1, 1]);
                h = h + neq * gamma;
            }
            // The gate's square root and sigmoid keep their slopes from the forward pass (Burn
            // would compute `powf` and `exp` again in the backward pass).
            let norm = kept_slope::sqrt((h.clone() * h.clone()).sum_dim(2) + 1e-12); // [b, n, 1, C]
            let gate = kept_slope::sigmoid(norm + layer.gate_bias.val().reshape([1, 1, 1, c]));
            v = h * gate;
        }
        // 3. Read-out.
        rows(v).matmul(self.readout.val()).reshape([b, n, 2])
    }

    /// Layers (and γs).
    pub fn depth(&self) -> usize {
        self.layers.len()
    }
}

/// Step 1's geometry of a batch of sets, over the unordered pairs `i < j` only: φ of a pair's
/// distance serves both directions (`rel_ji = −rel_ij`) and a point's message to itself is 0,
/// so this is 2.4× less work than all `n²` ordered pairs for `n = 6`, and the same function.
pub(super) struct PairGeometry {
    /// `x_j − x_i` per set and pair, `[b, P, 2]`.
    pub rel: Tensor<3>,
    /// `|x_j − x_i|`, `[b, P, 1]`.
    pub dist: Tensor<3>,
    /// The pairs' signed incidence matrix over `n`, `[P, n]`: each pair's message goes to `i`
    /// and, negated, to `j`, so that one product over every (set, coordinate, channel) row
    /// sums the messages.
    pub incidence: Tensor<2>,
}

impl PairGeometry {
    /// The geometry of `x`, `[b, n, 2]`; `None` for sets of fewer than two points.
    pub fn of(x: Tensor<3>) -> Option<Self> {
        let [_, n, _] = x.dims();
        let device = x.device();
        let pairs: Vec<(i64, i64)> = (0..n as i64)
            .flat_map(|i| (i + 1..n as i64).map(move |j| (i, j)))
            .collect();
        let p = pairs.len();
        if p == 0 {
            return None;
        }
        let index = |pick: fn(&(i64, i64)) -> i64| {
            let ids: Vec<i64> = pairs.iter().map(pick).collect();
            Tensor::<1, Int>::from_data(TensorData::new(ids, [p]), &device)
        };
        let rel = x.clone().select(1, index(|q| q.1)) - x.select(1, index(|q| q.0));
        let dist = kept_slope::sqrt((rel.clone() * rel.clone()).sum_dim(2) + 1e-12);
        let mut incidence = vec![0.0f32; p * n];
        for (q, &(i, j)) in pairs.iter().enumerate() {
            incidence[q * n + i as usize] = 1.0 / n as f32;
            incidence[q * n + j as usize] = -1.0 / n as f32;
        }
        let incidence = Tensor::from_data(TensorData::new(incidence, [p, n]), &device);
        Some(Self {
            rel,
            dist,
            incidence,
        })
    }

    /// Pairs `P`.
    pub fn count(&self) -> usize {
        self.incidence.dims()[0]
    }

    /// Each point's share of its pairs' messages: `[B, P, 2, C]` → `[B, n, 2, C]`, one product
    /// with the incidence matrix over every (batch row, coordinate, channel).
    pub fn to_points(&self, messages: Tensor<4>) -> Tensor<4> {
        let [rows, p, _, c] = messages.dims();
        let n = self.incidence.dims()[1];
        messages
            .reshape([rows, p, 2 * c])
            .swap_dims(1, 2)
            .reshape([rows * 2 * c, p])
            .matmul(self.incidence.clone())
            .reshape([rows, 2 * c, n])
            .swap_dims(1, 2)
            .reshape([rows, n, 2, c])
    }
}
