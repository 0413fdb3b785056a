//! Whole networks: a lifting layer, group convolutions, equivariant batch norm, ReLU, one 2×2
//! max-pool, and the invariant head. With `Group::Trivial` the same code is the Z2-CNN
//! baseline (ordinary convolutions, same head), so the families differ only in their group.

use burn::config::Config;
use burn::module::Module;
use burn::nn::Relu;
use burn::tensor::module::max_pool2d;
use burn::tensor::ops::MaxPoolOptions;
use burn::tensor::{Device, Tensor};
use orbit_math::Rng;
use orbit_math::group::Group;

use super::e4::{E4Config, E4Layer};
use super::group_conv::{GroupConv, GroupConvConfig};
use super::head::{InvariantHead, SlotPool};
use super::lifting::{LiftingConv, LiftingConvConfig};
use super::norm::{FieldNorm, FieldNormConfig};
use crate::classifier::ImageClassifier;

/// Configuration of a [`GroupCnn`].
#[derive(Config, Debug, PartialEq)]
pub struct GroupCnnConfig {
    /// The group (`Trivial` for the Z2-CNN, `C4` for P4, `D4` for P4M).
    pub group: Group,
    /// Fields per hidden layer (each `|G|` channels).
    pub fields: usize,
    /// Input channels.
    #[config(default = 1)]
    pub in_channels: usize,
    /// Convolution layers (the lifting layer included), at least 1.
    #[config(default = 3)]
    pub layers: usize,
    /// Odd kernel side.
    #[config(default = 3)]
    pub kernel: usize,
    /// Output classes.
    #[config(default = 10)]
    pub classes: usize,
    /// Slot pooling of the head.
    #[config(default = "SlotPool::Max")]
    pub pool: SlotPool,
    /// Use E4 layers instead of group convolutions after the lifting layer (P4-E4).
    #[config(default = false)]
    pub e4: bool,
}

/// A G-CNN image classifier with an invariant head.
#[derive(Module, Debug)]
pub struct GroupCnn {
    /// Z² → G.
    pub lift: LiftingConv,
    /// G → G, one per further layer (empty for an E4 network).
    pub convs: Vec<GroupConv>,
    /// E4 layers, one per further layer (empty for a G-CNN).
    pub e4s: Vec<E4Layer>,
    /// One per layer, after its convolution.
    pub norms: Vec<FieldNorm>,
    /// Slot pool, spatial mean, linear.
    pub head: InvariantHead,
    activation: Relu,
    #[module(skip)]
    group: Group,
}

/// Index of the layer after which the 2×2 max-pool halves the grid.
const POOL_AFTER: usize = 1;

impl GroupCnnConfig {
    /// Builds the network with weights drawn from `Rng::new(seed)`.
    pub fn init(&self, seed: u64, device: &Device) -> GroupCnn {
        let mut rng = Rng::new(seed).fork("gcnn");
        let n = self.group.order();
        let layers = self.layers.max(1);
        let lift = LiftingConvConfig::new(self.group, self.in_channels, self.fields)
            .with_kernel(self.kernel)
            .init(&mut rng, device);
        let (convs, e4s) = if self.e4 {
            let e4s = (1..layers)
                .map(|_| self.e4_config().init(&mut rng, device))
                .collect();
            (Vec::new(), e4s)
        } else {
            let convs = (1..layers)
                .map(|_| {
                    GroupConvConfig::new(self.group, self.fields, self.fields)
                        .with_kernel(self.kernel)
                        .init(&mut rng, device)
                })
                .collect();
            (convs, Vec::new())
        };
        let norms = (0..layers)
            .map(|_| FieldNormConfig::new(self.fields, n).init(device))
            .collect();
        GroupCnn {
            lift,
            convs,
            e4s,
            norms,
            head: InvariantHead::new(self.fields, n, self.classes, self.pool, &mut rng, device),
            activation: Relu::new(),
            group: self.group,
        }
    }

    fn e4_config(&self) -> E4Config {
        E4Config::new(self.group, self.fields, self.fields).with_kernel(self.kernel)
    }

    /// Trainable parameters: filters and biases, the norms' γ and β, the head (the norms'
    /// running statistics are state, not parameters).
    pub fn num_params(&self) -> usize {
        let n = self.group.order();
        let k2 = self.kernel * self.kernel;
        let layers = self.layers.max(1);
        let lift = self.fields * self.in_channels * k2 + self.fields;
        let conv = if self.e4 {
            self.e4_config().num_params()
        } else {
            self.fields * self.fields * n * k2 + self.fields
        };
        lift + (layers - 1) * conv + layers * 2 * self.fields + (self.fields + 1) * self.classes
    }

    /// Multiply–adds of one forward pass on a `side × side` image (convolutions and head).
    pub fn mult_adds(&self, side: usize) -> usize {
        let lift = LiftingConvConfig::new(self.group, self.in_channels, self.fields)
            .with_kernel(self.kernel);
        let conv =
            GroupConvConfig::new(self.group, self.fields, self.fields).with_kernel(self.kernel);
        let mut total = lift.mult_adds(side);
        let mut s = side;
        for i in 1..self.layers.max(1) {
            if i - 1 == POOL_AFTER {
                s /= 2;
            }
            total += if self.e4 {
                self.e4_config().mult_adds(s)
            } else {
                conv.mult_adds(s)
            };
        }
        total + self.fields * self.classes
    }
}

impl GroupCnn {
    /// The group of the hidden fields.
    pub fn group(&self) -> Group {
        self.group
    }

    /// The feature map after every layer (after norm and ReLU, and the pool where it applies).
    ///
    /// # Shapes
    /// - input: `[batch, in_channels, H, W]`
    /// - each output: `[batch, fields · |G|, H', W']`
    pub fn features(&self, x: Tensor<4>) -> Vec<Tensor<4>> {
        self.features_with(x, |_, _| None)
    }

    /// [`Self::features`] with something added to every layer's convolution before its norm:
    /// `extra(l, input)` for layer `l` (0 is the lifting layer) sees that layer's input and may
    /// return a tensor of the convolution's output shape (the ACE lab's non-equivariant
    /// branches).
    pub fn features_with(
        &self,
        x: Tensor<4>,
        extra: impl Fn(usize, &Tensor<4>) -> Option<Tensor<4>>,
    ) -> Vec<Tensor<4>> {
        // `extra` sees each input before the convolution consumes it, so that without extras
        // every tensor is used once and the backend may reuse its buffer (no clone kept alive).
        let plus = |y: Tensor<4>, e: Option<Tensor<4>>| match e {
            Some(e) => y + e,
            None => y,
        };
        let e = extra(0, &x);
        let mut h = self
            .activation
            .forward(self.norms[0].forward(plus(self.lift.forward(x), e)));
        let mut out = Vec::with_capacity(self.norms.len());
        let blocks = self.convs.len().max(self.e4s.len());
        for (i, norm) in self.norms[1..=blocks].iter().enumerate() {
            if i == POOL_AFTER {
                h = max_pool2d(h, MaxPoolOptions::new([2, 2]));
            }
            out.push(h.clone());
            let e = extra(i + 1, &h);
            let y = match self.convs.get(i) {
                Some(conv) => conv.forward(h),
                None => self.e4s[i].forward(h),
            };
            h = self.activation.forward(norm.forward(plus(y, e)));
        }
        out.push(h);
        out
    }

    /// Channels into every layer (`in_channels` for the lifting layer, then `fields · |G|`),
    /// and out of each (`fields · |G|`).
    pub fn layer_channels(&self) -> Vec<(usize, usize)> {
        let n = self.group.order();
        let [fields, in_channels, _, _] = self.lift.weight.dims();
        (0..self.norms.len())
            .map(|l| {
                let input = if l == 0 { in_channels } else { fields * n };
                (input, fields * n)
            })
            .collect()
    }
}

impl ImageClassifier for GroupCnn {
    fn logits(&self, images: Tensor<4>) -> Tensor<2> {
        let last = self.features(images).pop().expect("at least one layer");
        self.head.forward(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::equivariance::{Trivial, equivariance_error};
    use crate::gcnn::action::{GridAction, Layout};
    use crate::gcnn::testing::normal;
    use burn::tensor::TensorData;
    use orbit_math::group::{Element, rotate_by_angle};

    fn logit_error(model: &GroupCnn, g: Element, x: Tensor<4>) -> f64 {
        let act = GridAction {
            element: g,
            layout: Layout::Image,
        };
        pollster::block_on(equivariance_error(|x| model.logits(x), &act, &Trivial, x)).unwrap()
    }

    #[test]
    fn p4_e4_and_p4m_e4_networks_are_invariant_and_counted() {
        let device = Device::flex();
        let x = normal([2, 1, 8, 8], 4, &device);
        for group in [Group::C4, Group::D4] {
            let config = GroupCnnConfig::new(group, 4).with_e4(true);
            let m = config.init(3, &device);
            assert_eq!(m.num_params(), config.num_params() + 3 * 8, "{group:?}");
            for g in group.generators() {
                let e = logit_error(&m.valid(), g, x.clone());
                assert!(e < 1e-5, "{group:?} {g}: {e}");
            }
        }
    }

    fn model(group: Group, device: &Device) -> GroupCnn {
        GroupCnnConfig::new(group, 4).init(7, device)
    }

    #[test]
    fn p4_and_p4m_logits_are_invariant_and_the_z2_cnn_is_not() {
        let device = Device::flex();
        let x = normal([3, 1, 8, 8], 1, &device);
        for group in [Group::C4, Group::D4] {
            let m = model(group, &device);
            assert_eq!(m.logits(x.clone()).dims(), [3, 10]);
            for g in group.generators() {
                let train = logit_error(&m, g, x.clone());
                let eval = logit_error(&m.valid(), g, x.clone());
                assert!(train < 1e-5 && eval < 1e-5, "{group:?} {g}: {train} {eval}");
            }
        }
        let z2 = model(Group::Trivial, &device);
        let e = logit_error(&z2.valid(), Element::ROT90, x.clone());
        assert!(e > 1e-3, "the Z2-CNN should not be invariant: {e}");
        let p4 = model(Group::C4, &device).valid();
        let e = logit_error(&p4, Element::MIRROR, x);
        assert!(e > 1e-3, "P4 should not be mirror-invariant: {e}");
    }

    #[test]
    fn every_layer_of_a_p4m_network_is_equivariant() {
        let device = Device::flex();
        let m = model(Group::D4, &device).valid();
        let x = normal([2, 1, 8, 8], 3, &device);
        for g in Group::D4.generators() {
            let gx = crate::gcnn::action::spatial(x.clone(), g);
            for (a, b) in m.features(x.clone()).into_iter().zip(m.features(gx)) {
                let moved = crate::gcnn::action::act_on_fields(a.clone(), Group::D4, g);
                let diff = (b - moved).abs().max().into_scalar::<f32>();
                let scale = a.abs().max().into_scalar::<f32>().max(1.0);
                assert!(diff / scale < 1e-5, "{g}: {diff}");
            }
        }
    }

    #[test]
    fn a_45_degree_rotation_is_never_exact() {
        let device = Device::flex();
        let img: Vec<f32> = (0..64)
            .map(|i| if (i / 8 + i % 8) % 3 == 0 { 1.0 } else { 0.0 })
            .collect();
        let turned = rotate_by_angle(&img, 8, 45.0);
        let x = Tensor::<4>::from_data(TensorData::new(img, [1, 1, 8, 8]), &device);
        let gx = Tensor::<4>::from_data(TensorData::new(turned, [1, 1, 8, 8]), &device);
        for group in [Group::Trivial, Group::C4, Group::D4] {
            let m = model(group, &device).valid();
            let diff = (m.logits(gx.clone()) - m.logits(x.clone()))
                .abs()
                .max()
                .into_scalar::<f32>();
            assert!(diff > 1e-3, "{group:?}: {diff}");
        }
    }

    #[test]
    fn parameter_and_mult_add_counts() {
        let device = Device::flex();
        for group in [Group::Trivial, Group::C4, Group::D4] {
            let config = GroupCnnConfig::new(group, 4);
            let m = config.init(1, &device);
            let n = group.order();
            // lift 4·9 + 4, two group convs 4·4·n·9 + 4, three norms 2·4 each, head 4·10 + 10.
            let expected = (4 * 9 + 4) + 2 * (16 * n * 9 + 4) + 3 * 8 + 50;
            assert_eq!(config.num_params(), expected, "{group:?}");
            // Burn also counts the norms' running mean and variance.
            assert_eq!(m.num_params(), expected + 3 * 8, "{group:?}");
            assert!(config.mult_adds(8) > 0);
        }
    }
}
