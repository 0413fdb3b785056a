//! The lifting convolution Z² → G: `out[c, r] = corr(x, g_r ψ_c)` (docs/science.md §0.2).

use burn::config::Config;
use burn::module::{Module, Param};
use burn::tensor::module::conv2d;
use burn::tensor::ops::ConvOptions;
use burn::tensor::{Device, Tensor};
use orbit_math::Rng;
use orbit_math::group::{Element, Group};

use super::action::spatial;
use crate::init;

/// Configuration of a [`LiftingConv`].
#[derive(Config, Debug, PartialEq)]
pub struct LiftingConvConfig {
    /// The group the output fields are regular for (`Trivial` gives an ordinary convolution).
    pub group: Group,
    /// Input channels (trivial fields: 1 for a grey image).
    pub in_channels: usize,
    /// Output fields; the output has `out_fields · |G|` channels.
    pub out_fields: usize,
    /// Odd kernel side.
    #[config(default = 3)]
    pub kernel: usize,
}

/// Correlates the input with every transformed copy `g_r ψ` of each filter.
#[derive(Module, Debug)]
pub struct LiftingConv {
    /// Base filters `ψ`: `[out_fields, in_channels, k, k]`.
    pub weight: Param<Tensor<4>>,
    /// One bias per field, shared by its slots: `[out_fields]`.
    pub bias: Param<Tensor<1>>,
    #[module(skip)]
    group: Group,
}

impl LiftingConvConfig {
    /// Builds the layer with filters drawn from `rng` (uniform, ±1/√fan-in).
    pub fn init(&self, rng: &mut Rng, device: &Device) -> LiftingConv {
        let fan_in = (self.in_channels * self.kernel * self.kernel) as f64;
        let bound = 1.0 / fan_in.sqrt();
        LiftingConv {
            weight: init::uniform_param(
                [self.out_fields, self.in_channels, self.kernel, self.kernel],
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
        self.out_fields
            * self.group.order()
            * self.in_channels
            * self.kernel
            * self.kernel
            * side
            * side
    }
}

impl LiftingConv {
    /// The filter bank `[out_fields · |G|, in, k, k]`: row `c · |G| + r` is `g_r ψ_c`.
    pub fn filter_bank(&self) -> Tensor<4> {
        let w = self.weight.val();
        let [out, inp, k, _] = w.dims();
        let n = self.group.order();
        if n == 1 {
            // The trivial group: the bank is the filter itself.
            return w;
        }
        let rotated: Vec<Tensor<4>> = (0..n).map(|r| spatial(w.clone(), Element(r))).collect();
        Tensor::<4>::stack::<5>(rotated, 1).reshape([out * n, inp, k, k])
    }

    /// The group of the output fields.
    pub fn group(&self) -> Group {
        self.group
    }

    /// # Shapes
    /// - input: `[batch, in_channels, H, W]`
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
    fn lifting_is_equivariant_for_p4_and_p4m() {
        let device = Device::flex();
        for group in [Group::C4, Group::D4] {
            let layer = LiftingConvConfig::new(group, 2, 3).init(&mut Rng::new(1), &device);
            let out = layer.forward(Tensor::zeros([1, 2, 8, 8], &device));
            assert_eq!(out.dims(), [1, 3 * group.order(), 8, 8]);
            let e = worst_error(
                |x| layer.forward(x),
                group,
                Layout::Image,
                Layout::Regular(group),
                [2, 2, 8, 8],
                &device,
            );
            assert!(e < 1e-5, "{group:?}: {e}");
        }
    }

    #[test]
    fn a_trivial_group_lifting_is_a_plain_convolution_and_not_equivariant() {
        let device = Device::flex();
        let layer = LiftingConvConfig::new(Group::Trivial, 1, 4).init(&mut Rng::new(1), &device);
        let e = worst_error(
            |x| layer.forward(x),
            Group::C4,
            Layout::Image,
            Layout::Image,
            [2, 1, 8, 8],
            &device,
        );
        assert!(
            e > 1e-2,
            "a generic 3×3 filter should not commute with rotation: {e}"
        );
    }
}
