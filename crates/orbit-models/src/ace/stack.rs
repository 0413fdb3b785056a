//! [`VectorNetStack`]: `M` [`VectorNet`]s of one architecture as one module, every parameter
//! with a leading member axis, so that the ACE lab's four modes train in one pass.
//!
//! The four modes of the lab are the same network with different γ treatment. Stepped one
//! after the other they cost four times every tensor operation's fixed cost (the autodiff
//! graph, allocation, dispatch), which in the page was two thirds of a step at the default
//! size. Stacked, each operation runs once over all members: channel mixing is a batched
//! product of `M` blocks, φ's first layer a broadcast product, and the pair geometry
//! (differences, distances, incidence) is computed once for all members. Member `m` of the
//! stack computes exactly what [`VectorNet`] `m` computes (a test compares them).

use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::tensor::Tensor;
use burn::tensor::activation::relu;

use super::network::PairGeometry;
use super::{VectorLayer, VectorNet};
use crate::kept_slope;

/// One layer of every member.
#[derive(Module, Debug)]
pub struct VectorLayerStack {
    /// `W_a` per member, `[M, C, C]`.
    pub own: Param<Tensor<3>>,
    /// `W_b` per member, `[M, C, C]`.
    pub mean: Param<Tensor<3>>,
    /// The gate's bias per member, `[M, C]`.
    pub gate_bias: Param<Tensor<2>>,
    /// The branch's weight per member, `[M, 2C, 2C]` (input rows, output columns).
    pub dense_weight: Param<Tensor<3>>,
    /// The branch's bias per member, `[M, 1, 2C]`.
    pub dense_bias: Param<Tensor<3>>,
}

/// `M` vector networks.
#[derive(Module, Debug)]
pub struct VectorNetStack {
    /// φ's first layer, `1 → H`: weight `[M, 1, H]`.
    pub radial1_weight: Param<Tensor<3>>,
    /// φ's first layer's bias, `[M, 1, H]`.
    pub radial1_bias: Param<Tensor<3>>,
    /// φ's second layer, `H → C`: weight `[M, H, C]`.
    pub radial2_weight: Param<Tensor<3>>,
    /// φ's second layer's bias, `[M, 1, C]`.
    pub radial2_bias: Param<Tensor<3>>,
    /// The layers.
    pub layers: Vec<VectorLayerStack>,
    /// γ per member and layer, `[M, L]`.
    pub gamma: Param<Tensor<2>>,
    /// The read-out per member, `[M, C, 1]`.
    pub readout: Param<Tensor<3>>,
}

/// A `[a, b]` matrix as `[1, a, b]`.
fn lead2(t: Tensor<2>) -> Tensor<3> {
    t.unsqueeze_dim(0)
}

/// A `[k]` vector as `[1, 1, k]` (a bias row).
fn lead1(t: Tensor<1>) -> Tensor<3> {
    let [k] = t.dims();
    t.reshape([1, 1, k])
}

/// `parts` joined along their first axis as a new parameter, lifted onto the autodiff device
/// or detached where it is.
fn stacked<const D: usize>(parts: Vec<Tensor<D>>, lift: bool) -> Param<Tensor<D>> {
    let t = Tensor::cat(parts, 0);
    Param::from_tensor(if lift {
        Tensor::from_inner(t)
    } else {
        t.detach()
    })
}

/// The bias of `linear` (the networks' `Linear`s all have one).
fn bias(linear: &Linear) -> Tensor<1> {
    let [_, out] = linear.weight.dims();
    match &linear.bias {
        Some(b) => b.val(),
        None => Tensor::zeros([out], &linear.weight.device()),
    }
}

impl VectorNetStack {
    /// The members' parameters stacked (at least one member), as new parameters; `lift` puts
    /// them on the autodiff device of the members' plain device (for training), otherwise they
    /// stay where they are.
    pub fn new(members: &[VectorNet], lift: bool) -> Self {
        let param2 = |parts: Vec<Tensor<2>>| stacked(parts, lift);
        let each3 =
            |f: &dyn Fn(&VectorNet) -> Tensor<3>| stacked(members.iter().map(f).collect(), lift);
        let layers = (0..members[0].layers.len())
            .map(|l| VectorLayerStack {
                own: each3(&|n| lead2(n.layers[l].own.val())),
                mean: each3(&|n| lead2(n.layers[l].mean.val())),
                gate_bias: param2(
                    members
                        .iter()
                        .map(|n| n.layers[l].gate_bias.val().unsqueeze_dim(0))
                        .collect(),
                ),
                dense_weight: each3(&|n| lead2(n.layers[l].dense.weight.val())),
                dense_bias: each3(&|n| lead1(bias(&n.layers[l].dense))),
            })
            .collect();
        Self {
            radial1_weight: each3(&|n| lead2(n.radial1.weight.val())),
            radial1_bias: each3(&|n| lead1(bias(&n.radial1))),
            radial2_weight: each3(&|n| lead2(n.radial2.weight.val())),
            radial2_bias: each3(&|n| lead1(bias(&n.radial2))),
            layers,
            gamma: param2(
                members
                    .iter()
                    .map(|n| n.gamma.val().unsqueeze_dim(0))
                    .collect(),
            ),
            readout: each3(&|n| lead2(n.readout.val())),
        }
    }

    /// Layers (one γ each).
    pub fn depth(&self) -> usize {
        self.layers.len()
    }

    /// Member `m` as a [`VectorNet`] of its own (new parameters, on this stack's device).
    pub fn member(&self, m: usize) -> VectorNet {
        let matrix = |p: &Param<Tensor<3>>| {
            let [_, a, b] = p.dims();
            Param::from_tensor(p.val().narrow(0, m, 1).reshape([a, b]).detach())
        };
        let row = |p: &Param<Tensor<3>>| {
            let [_, _, k] = p.dims();
            Param::from_tensor(p.val().narrow(0, m, 1).reshape([k]).detach())
        };
        let vector = |p: &Param<Tensor<2>>| {
            let [_, k] = p.dims();
            Param::from_tensor(p.val().narrow(0, m, 1).reshape([k]).detach())
        };
        let linear = |weight, bias| Linear {
            weight: matrix(weight),
            bias: Some(row(bias)),
        };
        VectorNet {
            radial1: linear(&self.radial1_weight, &self.radial1_bias),
            radial2: linear(&self.radial2_weight, &self.radial2_bias),
            layers: self
                .layers
                .iter()
                .map(|l| VectorLayer {
                    own: matrix(&l.own),
                    mean: matrix(&l.mean),
                    gate_bias: vector(&l.gate_bias),
                    dense: linear(&l.dense_weight, &l.dense_bias),
                })
                .collect(),
            gamma: vector(&self.gamma),
            readout: matrix(&self.readout),
        }
    }

    /// Every member's predictions for the same batch of sets. `gamma_scale` (`[M, L]`)
    /// multiplies each member's γs (0 drops a branch: strict mode); `None` drops every
    /// branch (every member's `f_eq`).
    ///
    /// # Shapes
    /// - `x`: `[b, n, 2]`; output `[M, b, n, 2]`
    pub fn forward(&self, x: Tensor<3>, gamma_scale: Option<Tensor<2>>) -> Tensor<4> {
        let [b, n, _] = x.dims();
        let [m, c, _] = self.readout.dims();
        // 1. Radial messages as in `VectorNet::forward`; the pairs' geometry is the same for
        // every member.
        let Some(pairs) = PairGeometry::of(x.clone()) else {
            let zeros = Tensor::zeros([m, b, n, 2, c], &x.device());
            return self.layers_and_readout(zeros, gamma_scale);
        };
        let p = pairs.count();
        // φ's first layer takes one number: a broadcast product instead of a matrix product.
        let hidden = relu(
            pairs.dist.clone().reshape([1, b * p, 1]) * self.radial1_weight.val()
                + self.radial1_bias.val(),
        ); // [M, bP, H]
        let phi = (hidden.matmul(self.radial2_weight.val()) + self.radial2_bias.val())
            .reshape([m, b, p, 1, c]);
        let messages = pairs.rel.clone().reshape([1, b, p, 2, 1]) * phi; // [M, b, P, 2, C]
        let v = pairs
            .to_points(messages.reshape([m * b, p, 2, c]))
            .reshape([m, b, n, 2, c]);
        self.layers_and_readout(v, gamma_scale)
    }

    /// Steps 2 and 3 from the messages `v`, `[M, b, n, 2, C]`; output `[M, b, n, 2]`.
    fn layers_and_readout(&self, mut v: Tensor<5>, gamma_scale: Option<Tensor<2>>) -> Tensor<4> {
        let [m, b, n, _, c] = v.dims();
        let gamma = gamma_scale.map(|s| self.gamma.val() * s); // [M, L]
        for (l, layer) in self.layers.iter().enumerate() {
            let own = v
                .clone()
                .reshape([m, b * n * 2, c])
                .matmul(layer.own.val())
                .reshape([m, b, n, 2, c]);
            let mean = v
                .clone()
                .mean_dim(2)
                .reshape([m, b * 2, c])
                .matmul(layer.mean.val())
                .reshape([m, b, 1, 2, c]);
            let mut h = own + mean;
            if let Some(gamma) = &gamma {
                let neq = (v
                    .clone()
                    .reshape([m, b * n, 2 * c])
                    .matmul(layer.dense_weight.val())
                    + layer.dense_bias.val())
                .reshape([m, b, n, 2, c]);
                h = h + neq * gamma.clone().narrow(1, l, 1).reshape([m, 1, 1, 1, 1]);
            }
            let norm = kept_slope::sqrt((h.clone() * h.clone()).sum_dim(3) + 1e-12); // [M, b, n, 1, C]
            let gate = kept_slope::sigmoid(norm + layer.gate_bias.val().reshape([m, 1, 1, 1, c]));
            v = h * gate;
        }
        v.reshape([m, b * n * 2, c])
            .matmul(self.readout.val())
            .reshape([m, b, n, 2])
    }

    /// Every member's branch weights and bias scaled together to unit Frobenius norm, as
    /// [`VectorLayer::unit_branch`] does for one network (same parameter ids).
    pub fn unit_branches(mut self) -> Self {
        self.layers = self.layers.into_iter().map(unit_branch).collect();
        self
    }
}

/// One stacked layer with each member's branch at unit norm.
fn unit_branch(layer: VectorLayerStack) -> VectorLayerStack {
    // Detached tensors keep their tracking flag in Burn: untrack them for the arithmetic.
    let plain = |t: Tensor<3>| t.detach().set_require_grad(false);
    let weight = plain(layer.dense_weight.val());
    let bias = plain(layer.dense_bias.val());
    let norm2 = (weight.clone() * weight).sum_dim(2).sum_dim(1) + (bias.clone() * bias).sum_dim(2);
    let norm = norm2.sqrt().clamp_min(1e-12); // [M, 1, 1]
    let scale = |p: Param<Tensor<3>>| {
        p.map(|t| {
            let tracked = t.is_require_grad();
            (plain(t) / norm.clone()).set_require_grad(tracked)
        })
    };
    VectorLayerStack {
        dense_weight: scale(layer.dense_weight),
        dense_bias: scale(layer.dense_bias),
        ..layer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ace::VectorNetConfig;
    use burn::tensor::{Device, Distribution, TensorData};

    fn gap(a: Tensor<3>, b: Tensor<3>) -> f32 {
        (a - b).abs().max().into_scalar::<f32>()
    }

    /// Each member of a stack computes what its network computes alone, with and without its
    /// branch, and a member taken out is that network again.
    #[test]
    fn every_member_computes_its_own_network() {
        let device = Device::flex();
        let nets: Vec<VectorNet> = (1..=3)
            .map(|seed| VectorNetConfig::new().init(seed, &device))
            .collect();
        let stack = VectorNetStack::new(&nets, false);
        let x = Tensor::<3>::random([5, 6, 2], Distribution::Normal(0.0, 1.0), &device);
        // Member 1 drops its branch (a strict member); the others keep theirs.
        let scale = Tensor::<2>::from_data(
            TensorData::new(vec![1.0f32, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0], [3, 3]),
            &device,
        );
        let with = stack.forward(x.clone(), Some(scale));
        let without = stack.forward(x.clone(), None);
        for (m, net) in nets.iter().enumerate() {
            let row = |t: Tensor<4>| t.narrow(0, m, 1).reshape([5, 6, 2]);
            let branch = m != 1;
            assert!(gap(row(with.clone()), net.forward(x.clone(), branch)) < 1e-5);
            assert!(gap(row(without.clone()), net.forward(x.clone(), false)) < 1e-5);
            let alone = stack.member(m).forward(x.clone(), true);
            assert!(gap(alone, net.forward(x.clone(), true)) < 1e-6);
        }
        // A different network is told apart (the comparison can fail).
        let other = VectorNetConfig::new()
            .init(9, &device)
            .forward(x.clone(), true);
        assert!(gap(other, nets[0].forward(x, true)) > 1e-3);
    }

    #[test]
    fn every_members_branch_is_put_back_to_unit_norm() {
        let device = Device::flex();
        let nets: Vec<VectorNet> = (1..=2)
            .map(|seed| VectorNetConfig::new().init(seed, &device))
            .collect();
        let mut stack = VectorNetStack::new(&nets, false);
        stack.layers[0].dense_weight = stack.layers[0].dense_weight.clone().map(|w| w * 3.0);
        let stack = stack.unit_branches();
        for m in 0..2 {
            for layer in &stack.member(m).layers {
                let norm2 = crate::ace::tests::branch_norm2(layer);
                assert!((norm2 - 1.0).abs() < 1e-5, "member {m}: {norm2}");
            }
        }
    }
}
