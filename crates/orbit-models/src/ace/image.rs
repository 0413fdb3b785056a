//! The ACE lab's digit network: the group-action lab's G-CNN with a non-equivariant branch
//! beside every layer, `f_l = f_l,eq + γ_l · f_l,neq`.
//!
//! The equivariant part is exactly a [`GroupCnn`] (lifting layer, group convolutions, field
//! norms, ReLU, one 2×2 pool, the invariant head). Each layer's branch is an ordinary 3×3
//! convolution from that layer's input channels to its output channels, without bias, added
//! to the group convolution's output before the norm and scaled by its own γ_l. With every
//! branch dropped the network is the P4 G-CNN, exactly rotation invariant, and so cannot tell a
//! 6 from a 9 turned by 180°; the branches can.

use burn::config::Config;
use burn::module::{Module, Param};
use burn::tensor::module::conv2d;
use burn::tensor::ops::ConvOptions;
use burn::tensor::{Device, Tensor};
use orbit_math::Rng;
use orbit_math::group::Group;

use super::trainer::Branched;
use crate::classifier::ImageClassifier;
use crate::gcnn::{GroupCnn, GroupCnnConfig};
use crate::init;

/// Configuration of a [`BranchedCnn`].
#[derive(Config, Debug, PartialEq)]
pub struct BranchedCnnConfig {
    /// The group of the equivariant part (`C4` for P4; `Trivial` gives a Z2-CNN, whose
    /// branches only add ordinary convolutions).
    pub group: Group,
    /// Fields per hidden layer (each `|G|` channels).
    pub fields: usize,
    /// Convolution layers (the lifting layer included), each with a branch and a γ.
    #[config(default = 3)]
    pub layers: usize,
    /// Output classes.
    #[config(default = 10)]
    pub classes: usize,
}

/// A G-CNN whose every layer adds `γ_l` times an ordinary convolution.
#[derive(Module, Debug)]
pub struct BranchedCnn {
    /// The equivariant part, `f_eq`.
    pub equivariant: GroupCnn,
    /// One branch filter per layer, `[out_channels, in_channels, 3, 3]`, kept at unit
    /// Frobenius norm ([`Branched::unit_branches`]).
    pub branches: Vec<Param<Tensor<4>>>,
    /// One γ per layer, `[L]`, starting at 1.
    pub gamma: Param<Tensor<1>>,
}

/// Side of the branches' filters.
const KERNEL: usize = 3;

impl BranchedCnnConfig {
    /// Builds the network from `seed`: the equivariant part is the [`GroupCnn`] that
    /// `GroupCnnConfig::new(group, fields)` builds from the same seed; the branches are drawn
    /// after it and put to unit norm; every γ starts at 1.
    pub fn init(&self, seed: u64, device: &Device) -> BranchedCnn {
        let equivariant = GroupCnnConfig::new(self.group, self.fields)
            .with_layers(self.layers.max(1))
            .with_classes(self.classes)
            .init(seed, device);
        let mut rng = Rng::new(seed).fork("ace branches");
        let branches = equivariant
            .layer_channels()
            .into_iter()
            .map(|(input, output)| {
                let bound = 1.0 / ((input * KERNEL * KERNEL) as f64).sqrt();
                init::uniform_param([output, input, KERNEL, KERNEL], bound, &mut rng, device)
            })
            .collect();
        let layers = equivariant.layer_channels().len();
        BranchedCnn {
            equivariant,
            branches,
            gamma: Param::from_tensor(Tensor::ones([layers], device)),
        }
        .unit_branches()
    }
}

impl BranchedCnn {
    /// Class logits; `branch` false drops every branch (the network `f_eq`, γ treated as 0).
    ///
    /// # Shapes
    /// - `images`: `[batch, 1, H, W]`; output `[batch, classes]`
    pub fn forward(&self, images: Tensor<4>, branch: bool) -> Tensor<2> {
        let extra = |l: usize, input: &Tensor<4>| {
            branch.then(|| {
                let filter = self.branches[l].val();
                let neq = conv2d(
                    input.clone(),
                    filter,
                    None,
                    ConvOptions::new([1, 1], [KERNEL / 2, KERNEL / 2], [1, 1], 1),
                );
                let gamma = self.gamma.val().narrow(0, l, 1).reshape([1, 1, 1, 1]);
                neq * gamma
            })
        };
        let last = self
            .equivariant
            .features_with(images, extra)
            .pop()
            .expect("at least one layer");
        self.equivariant.head.forward(last)
    }
}

impl ImageClassifier for BranchedCnn {
    /// The whole network, `f_{θ,γ}`.
    fn logits(&self, images: Tensor<4>) -> Tensor<2> {
        self.forward(images, true)
    }
}

impl Branched for BranchedCnn {
    fn gamma(&self) -> Tensor<1> {
        self.gamma.val()
    }

    fn depth(&self) -> usize {
        self.branches.len()
    }

    /// Every branch filter scaled to unit Frobenius norm (new leaves, same parameter ids).
    fn unit_branches(self) -> Self {
        let branches = self
            .branches
            .into_iter()
            .map(|p| {
                p.map(|w| {
                    let tracked = w.is_require_grad();
                    let w = w.detach().set_require_grad(false);
                    let norm = w.clone().powi_scalar(2).sum().sqrt().clamp_min(1e-12);
                    (w / norm.unsqueeze::<4>()).set_require_grad(tracked)
                })
            })
            .collect();
        Self { branches, ..self }
    }
}

#[cfg(test)]
mod tests {
    use burn::tensor::TensorData;
    use orbit_math::group::Element;

    use super::*;
    use crate::equivariance::{Trivial, equivariance_error};
    use crate::gcnn::action::{GridAction, Layout};

    fn images(device: &Device) -> Tensor<4> {
        let mut rng = Rng::new(21);
        let v: Vec<f32> = (0..3 * 64).map(|_| rng.uniform() as f32).collect();
        Tensor::from_data(TensorData::new(v, [3, 1, 8, 8]), device)
    }

    /// The logits' change under a rotation by 90° and by 180°, the worse of the two.
    fn rotation_error(net: &BranchedCnn, branch: bool, device: &Device) -> f64 {
        [Element::ROT90, Element(2)]
            .into_iter()
            .map(|element| {
                let act = GridAction {
                    element,
                    layout: Layout::Image,
                };
                pollster::block_on(equivariance_error(
                    |x| net.forward(x, branch),
                    &act,
                    &Trivial,
                    images(device),
                ))
                .unwrap()
            })
            .fold(0.0, f64::max)
    }

    fn with_gamma(net: BranchedCnn, gamma: f32, device: &Device) -> BranchedCnn {
        let layers = net.depth();
        BranchedCnn {
            gamma: Param::from_tensor(Tensor::from_data(
                TensorData::new(vec![gamma; layers], [layers]),
                device,
            )),
            ..net
        }
    }

    #[test]
    fn f_eq_is_the_p4_network_and_exactly_invariant() {
        let device = Device::flex();
        let net = BranchedCnnConfig::new(Group::C4, 4)
            .init(3, &device)
            .valid();
        let e = rotation_error(&net, false, &device);
        assert!(e < 1e-5, "f_eq rotation error {e}");
        // f_eq is the group-action lab's P4 network from the same seed, value for value.
        let p4 = GroupCnnConfig::new(Group::C4, 4).init(3, &device).valid();
        let diff = (net.forward(images(&device), false) - p4.logits(images(&device)))
            .abs()
            .max()
            .into_scalar::<f32>();
        assert_eq!(diff, 0.0);
        // With γ = 1 the branches break the invariance.
        assert!(rotation_error(&net, true, &device) > 1e-3);
    }

    #[test]
    fn the_rotation_error_shrinks_with_gamma_and_branches_have_unit_norm() {
        let device = Device::flex();
        let net = BranchedCnnConfig::new(Group::C4, 4)
            .init(4, &device)
            .valid();
        for b in &net.branches {
            let n = b.val().powi_scalar(2).sum().into_scalar::<f32>();
            assert!((n - 1.0).abs() < 1e-5, "branch norm² {n}");
        }
        let errors: Vec<f64> = [1.0, 0.1, 0.01]
            .iter()
            .map(|&g| rotation_error(&with_gamma(net.clone(), g, &device), true, &device))
            .collect();
        assert!(errors[0] > errors[1] && errors[1] > errors[2], "{errors:?}");
        let ratio = errors[1] / errors[2];
        assert!(
            ratio > 5.0 && ratio < 20.0,
            "linear in γ for small γ: {errors:?}"
        );
    }
}
