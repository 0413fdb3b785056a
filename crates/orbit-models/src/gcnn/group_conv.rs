//! The group convolution G → G as one ordinary conv2d over a filter bank built by rotating the
//! base filter and permuting its slot axis: `bank[(c, r), (c', s)] = g_r(W[c, c', PERM[r][s]])`
//! (docs/science.md §0.2). With a 1×1 kernel it is the 1×1 group convolution.

use burn::config::Config;
use burn::module::{Module, Param};
use burn::tensor::module::conv2d;
use burn::tensor::ops::ConvOptions;
use burn::tensor::{Device, Tensor};
use orbit_math::Rng;
use orbit_math::group::{Element, Group};

use super::action::{slot_indices, spatial};
use crate::init;

/// Configuration of a [`GroupConv`].
#[derive(Config, Debug, PartialEq)]
pub struct GroupConvConfig {
    /// The group of the input and output fields.
    pub group: Group,
    /// Input fields (`in_fields · |G|` channels).
    pub in_fields: usize,
    /// Output fields (`out_fields · |G|` channels).
    pub out_fields: usize,
    /// Odd kernel side (1 for a 1×1 group convolution).
    #[config(default = 3)]
    pub kernel: usize,
}

/// A group convolution between regular fields.
#[derive(Module, Debug)]
pub struct GroupConv {
    /// Base filters: `[out_fields, in_fields, |G|, k, k]`.
    pub weight: Param<Tensor<5>>,
    /// One bias per output field: `[out_fields]`.
    pub bias: Param<Tensor<1>>,
    #[module(skip)]
    group: Group,
}

impl GroupConvConfig {
    /// Builds the layer with filters drawn from `rng` (uniform, ±1/√fan-in).
    pub fn init(&self, rng: &mut Rng, device: &Device) -> GroupConv {
        let n = self.group.order();
        let fan_in = (self.in_fields * n * self.kernel * self.kernel) as f64;
        let bound = 1.0 / fan_in.sqrt();
        GroupConv {
            weight: init::uniform_param(
                [self.out_fields, self.in_fields, n, self.kernel, self.kernel],
                bound,
                rng,
                device,
            ),
            bias: init::uniform_param([self.out_fields], bound, rng, device),
            group: self.group,
        }
    }

    /// Multiply–adds of one forward pass on a `side × side` input.
    pub fn mult_adds(&self, side: usize) -> usize {
        let n = self.group.order();
        self.out_fields * n * self.in_fields * n * self.kernel * self.kernel * side * side
    }
}

impl GroupConv {
    /// The filter bank `[out · |G|, in · |G|, k, k]`.
    pub fn filter_bank(&self) -> Tensor<4> {
        let w = self.weight.val();
        let [out, inp, n, k, _] = w.dims();
        if n == 1 {
            // The trivial group: the bank is the filter itself (no slot to permute, no rotation).
            return w.reshape([out, inp, k, k]);
        }
        let device = w.device();
        let banks: Vec<Tensor<5>> = (0..n)
            .map(|r| {
                spatial(
                    w.clone().select(2, slot_indices(self.group, r, &device)),
                    Element(r),
                )
            })
            .collect();
        Tensor::<5>::stack::<6>(banks, 1).reshape([out * n, inp * n, k, k])
    }

    /// # Shapes
    /// - input: `[batch, in_fields · |G|, H, W]`
    /// - output: `[batch, out_fields · |G|, H, W]` ("same" zero padding)
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let bank = self.filter_bank();
        let [out_ch, _, k, _] = bank.dims();
        let n = self.group.order();
        let bias = self
            .bias
            .val()
            .unsqueeze_dim::<2>(1)
            .expand([out_ch / n, n])
            .reshape([out_ch]);
        conv2d(
            x,
            bank,
            Some(bias),
            ConvOptions::new([1, 1], [k / 2, k / 2], [1, 1], 1),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gcnn::action::Layout;
    use crate::gcnn::testing::worst_error;

    #[test]
    fn group_convolutions_are_equivariant_3x3_and_1x1() {
        let device = Device::flex();
        for group in [Group::C4, Group::D4] {
            let n = group.order();
            for kernel in [3, 1] {
                let layer = GroupConvConfig::new(group, 2, 3)
                    .with_kernel(kernel)
                    .init(&mut Rng::new(2), &device);
                let f = |x| layer.forward(x);
                let e = worst_error(
                    f,
                    group,
                    Layout::Regular(group),
                    Layout::Regular(group),
                    [2, 2 * n, 6, 6],
                    &device,
                );
                assert!(e < 1e-5, "{group:?} {kernel}×{kernel}: {e}");
            }
        }
    }

    #[test]
    fn a_p4_convolution_is_not_mirror_equivariant() {
        // Mirror-equivariance needs p4m's eight slots; on p4 fields the mirror is not even an
        // action, so check that rotating p4 filters alone does not make images mirror-safe.
        let device = Device::flex();
        let lift =
            crate::gcnn::LiftingConvConfig::new(Group::C4, 1, 2).init(&mut Rng::new(3), &device);
        let pooled = |x: Tensor<4>| {
            let y = lift.forward(x);
            let [b, c, h, w] = y.dims();
            y.reshape([b, c / 4, 4, h * w])
                .max_dim(2)
                .reshape([b, c / 4, h, w])
        };
        let e = worst_error(
            pooled,
            Group::D4,
            Layout::Image,
            Layout::Image,
            [1, 1, 8, 8],
            &device,
        );
        assert!(e > 1e-2, "{e}");
    }
}
