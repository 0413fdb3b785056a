//! The E4 layer of "Efficient Equivariant Network" (He et al., NeurIPS 2021) on p4 and p4m
//! (docs/science.md §2): a kernel is generated per pixel and slot from the centre feature, rotated by
//! its slot, and applied by unfold; the value path is a 1×1 group convolution.
//!
//! On a regular input `f[c, s, p]`:
//! 1. values `V = GConv1x1(f)` (`C → C_out` fields);
//! 2. `h = ReLU(GroupNorm(GConv1x1(f)))` (`C → C/r` fields; the norm's statistics and affine
//!    parameters are per field, shared by its slots, so it commutes with the group);
//! 3. kernel logits `κ[g, s, p] = W h[:, s, p]`: one linear map shared by all slots, giving
//!    `G = C_out / group_channels` kernels of `K²` taps per pixel and slot;
//! 4. each kernel is moved by its slot's spatial map, `k = g_s(reshape_{K×K}(κ))`;
//! 5. `out[c, s, p] = Σ_u k_{group(c), s, p}[u] · V[c, s, p + u]`.

use burn::config::Config;
use burn::module::{Module, Param};
use burn::nn::{Linear, Relu};
use burn::tensor::{Device, Tensor};
use orbit_math::Rng;
use orbit_math::group::{Element, Group};

use super::action::spatial;
use super::group_conv::{GroupConv, GroupConvConfig};
use crate::init;

/// Configuration of an [`E4Layer`].
#[derive(Config, Debug, PartialEq)]
pub struct E4Config {
    /// The group of the input and output fields (C4 or D4).
    pub group: Group,
    /// Input fields `C`.
    pub in_fields: usize,
    /// Output fields `C_out`.
    pub out_fields: usize,
    /// Side `K` of the generated kernels (odd).
    #[config(default = 3)]
    pub kernel: usize,
    /// Reduction `r` of the kernel-generating branch (`C/r` fields, at least 1).
    #[config(default = 2)]
    pub reduction: usize,
    /// Output fields sharing one generated kernel, at most: when it does not divide
    /// `out_fields`, the largest divisor of `out_fields` below it is used (see
    /// [`E4Config::shared_fields`]), so every field count builds.
    #[config(default = 2)]
    pub group_channels: usize,
}

/// An E4 layer between regular fields.
#[derive(Module, Debug)]
pub struct E4Layer {
    /// Value path: 1×1 group convolution `C → C_out`.
    pub value: GroupConv,
    /// Reduction: 1×1 group convolution `C → C/r`.
    pub reduce: GroupConv,
    /// Per-field scale of the reduction's norm: `[C/r]`.
    pub norm_gamma: Param<Tensor<1>>,
    /// Per-field shift of the reduction's norm: `[C/r]`.
    pub norm_beta: Param<Tensor<1>>,
    /// Kernel generator `C/r → G·K²`, shared by every slot and pixel.
    pub generator: Linear,
    activation: Relu,
    #[module(skip)]
    group: Group,
    #[module(skip)]
    kernel: usize,
    #[module(skip)]
    group_channels: usize,
}

impl E4Config {
    fn reduced(&self) -> usize {
        (self.in_fields / self.reduction.max(1)).max(1)
    }

    /// Output fields that actually share one kernel: the largest divisor of `out_fields` that is
    /// at most `group_channels` (an odd field count with `group_channels = 2` gives 1).
    pub fn shared_fields(&self) -> usize {
        let most = self.group_channels.clamp(1, self.out_fields.max(1));
        (1..=most)
            .rev()
            .find(|d| self.out_fields.is_multiple_of(*d))
            .unwrap_or(1)
    }

    fn kernel_groups(&self) -> usize {
        self.out_fields / self.shared_fields()
    }

    /// Builds the layer with weights drawn from `rng`.
    pub fn init(&self, rng: &mut Rng, device: &Device) -> E4Layer {
        let reduced = self.reduced();
        let groups = self.kernel_groups();
        E4Layer {
            value: GroupConvConfig::new(self.group, self.in_fields, self.out_fields)
                .with_kernel(1)
                .init(rng, device),
            reduce: GroupConvConfig::new(self.group, self.in_fields, reduced)
                .with_kernel(1)
                .init(rng, device),
            norm_gamma: Param::from_tensor(Tensor::ones([reduced], device)),
            norm_beta: Param::from_tensor(Tensor::zeros([reduced], device)),
            generator: init::linear(reduced, groups * self.kernel * self.kernel, rng, device),
            activation: Relu::new(),
            group: self.group,
            kernel: self.kernel,
            group_channels: self.shared_fields(),
        }
    }

    /// Trainable parameters: `|H|·C·C_out + |H|·C·C/r + (C/r)·K²·G` plus biases and the norm.
    pub fn num_params(&self) -> usize {
        let n = self.group.order();
        let (c, co, cr) = (self.in_fields, self.out_fields, self.reduced());
        let k2 = self.kernel * self.kernel;
        n * c * co
            + co
            + n * c * cr
            + cr
            + 2 * cr
            + cr * k2 * self.kernel_groups()
            + k2 * self.kernel_groups()
    }

    /// Multiply–adds of one forward pass on a `side × side` input.
    pub fn mult_adds(&self, side: usize) -> usize {
        let n = self.group.order();
        let value =
            GroupConvConfig::new(self.group, self.in_fields, self.out_fields).with_kernel(1);
        let reduce =
            GroupConvConfig::new(self.group, self.in_fields, self.reduced()).with_kernel(1);
        let slot_pixels = n * side * side;
        let k2 = self.kernel * self.kernel;
        value.mult_adds(side)
            + reduce.mult_adds(side)
            + slot_pixels * self.reduced() * k2 * self.kernel_groups()
            + slot_pixels * self.out_fields * k2
    }
}

/// The `k × k` neighbourhoods of every pixel ("same" zero padding), tap-major in row-major
/// order: `[batch, channels, k², H·W]`. Built from `k²` shifted views of the padded input,
/// which is far cheaper than an unfold by convolution with one-hot filters.
fn unfold(x: Tensor<4>, k: usize) -> Tensor<4> {
    let [b, c, h, w] = x.dims();
    let r = k / 2;
    let device = x.device();
    let padded = Tensor::cat(
        vec![
            Tensor::zeros([b, c, r, w], &device),
            x,
            Tensor::zeros([b, c, r, w], &device),
        ],
        2,
    );
    let padded = Tensor::cat(
        vec![
            Tensor::zeros([b, c, h + 2 * r, r], &device),
            padded,
            Tensor::zeros([b, c, h + 2 * r, r], &device),
        ],
        3,
    );
    let shifts: Vec<Tensor<4>> = (0..k * k)
        .map(|t| {
            padded
                .clone()
                .narrow(2, t / k, h)
                .narrow(3, t % k, w)
                .reshape([b, c, 1, h * w])
        })
        .collect();
    Tensor::cat(shifts, 2)
}

impl E4Layer {
    /// Per-sample group norm of `[batch, fields · |G|, H, W]`: one statistic per field over its
    /// slots and pixels, then a per-field affine map.
    fn field_norm(&self, x: Tensor<4>) -> Tensor<4> {
        let [b, ch, h, w] = x.dims();
        let n = self.group.order();
        let fields = ch / n;
        let flat = x.reshape([b, fields, n * h * w]);
        let mean = flat.clone().mean_dim(2);
        let centred = flat - mean;
        let var = centred.clone().powf_scalar(2.0).mean_dim(2);
        let normed = centred / (var + 1e-5).sqrt();
        let gamma = self.norm_gamma.val().reshape([1, fields, 1]);
        let beta = self.norm_beta.val().reshape([1, fields, 1]);
        (normed * gamma + beta).reshape([b, ch, h, w])
    }

    /// # Shapes
    /// - input: `[batch, in_fields · |G|, H, W]`
    /// - output: `[batch, out_fields · |G|, H, W]`
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let [b, _, h, w] = x.dims();
        let n = self.group.order();
        let k = self.kernel;
        let k2 = k * k;
        let hw = h * w;
        let values = self.value.forward(x.clone());
        let out_ch = values.dims()[1];
        let out_fields = out_ch / n;
        let per_group = self.group_channels;
        let groups = out_fields / per_group;

        // 2–3: kernel logits per slot and pixel from the reduced centre feature.
        let hidden = self
            .activation
            .forward(self.field_norm(self.reduce.forward(x)));
        let reduced = hidden.dims()[1] / n;
        let per_slot = hidden.reshape([b, reduced, n, hw]).permute([0, 2, 3, 1]); // [b, n, hw, C/r]

        // 4: moving slot s's generated kernels by g_s permutes the generator's outputs, so move
        // the (small) generator weights instead of the (large) per-pixel kernels.
        let weight = self.generator.weight.val().reshape([reduced, groups, k, k]);
        let bias = self
            .generator
            .bias
            .as_ref()
            .map(|b| b.val().reshape([1, groups, k, k]));
        let (weights, biases): (Vec<Tensor<2>>, Vec<Tensor<2>>) = (0..n)
            .map(|s| {
                let g = Element(s);
                let w_s = spatial(weight.clone(), g).reshape([reduced, groups * k2]);
                let b_s = bias
                    .clone()
                    .map(|b| spatial(b, g).reshape([1, groups * k2]))
                    .unwrap_or_else(|| Tensor::zeros([1, groups * k2], &w_s.device()));
                (w_s, b_s)
            })
            .unzip();
        let weights = Tensor::stack::<3>(weights, 0).unsqueeze_dim::<4>(0); // [1, n, C/r, G·K²]
        let biases = Tensor::stack::<3>(biases, 0).unsqueeze_dim::<4>(0); // [1, n, 1, G·K²]
        let logits = per_slot.matmul(weights) + biases; // [b, n, hw, G·K²]
        let kernels = logits
            .reshape([b, n, hw, groups, k2])
            .permute([0, 3, 1, 4, 2]) // [b, G, n, K², hw]
            .unsqueeze_dim::<6>(2); // [b, G, 1, n, K², hw]

        // 5: unfold the values and take each pixel's weighted sum.
        let patches = unfold(values, k).reshape([b, groups, per_group, n, k2, hw]);
        let out = (patches * kernels).sum_dim(4); // [b, G, per_group, n, 1, hw]
        out.reshape([b, out_ch, h, w])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gcnn::action::Layout;
    use crate::gcnn::testing::worst_error;

    #[test]
    fn e4_is_equivariant_for_p4_and_p4m() {
        let device = Device::flex();
        for group in [Group::C4, Group::D4] {
            let n = group.order();
            let config = E4Config::new(group, 4, 4);
            let layer = config.init(&mut Rng::new(5), &device);
            let out = layer.forward(Tensor::zeros([1, 4 * n, 6, 6], &device));
            assert_eq!(out.dims(), [1, 4 * n, 6, 6]);
            let layout = Layout::Regular(group);
            let e = worst_error(
                |x| layer.forward(x),
                group,
                layout,
                layout,
                [2, 4 * n, 6, 6],
                &device,
            );
            assert!(e < 1e-5, "{group:?}: {e}");
            assert_eq!(layer.num_params(), config.num_params(), "{group:?}");
        }
    }

    #[test]
    fn every_field_count_builds_and_stays_equivariant() {
        // Odd field counts used to leave a kernel group short and panic in a reshape.
        let device = Device::flex();
        for fields in [1, 3, 5, 7] {
            let config = E4Config::new(Group::C4, fields, fields);
            assert_eq!(fields % config.shared_fields(), 0);
            let layer = config.init(&mut Rng::new(fields as u64), &device);
            let layout = Layout::Regular(Group::C4);
            let shape = [1, 4 * fields, 5, 5];
            let e = worst_error(
                |x| layer.forward(x),
                Group::C4,
                layout,
                layout,
                shape,
                &device,
            );
            assert!(e < 1e-5, "{fields} fields: {e}");
            assert_eq!(layer.num_params(), config.num_params(), "{fields} fields");
        }
        assert_eq!(E4Config::new(Group::C4, 6, 6).shared_fields(), 2);
        assert_eq!(
            E4Config::new(Group::C4, 6, 6)
                .with_group_channels(4)
                .shared_fields(),
            3
        );
    }

    #[test]
    fn unfold_matches_burns_unfold() {
        use burn::tensor::module::unfold4d;
        use burn::tensor::ops::UnfoldOptions;
        let device = Device::flex();
        let x = crate::gcnn::testing::normal([2, 3, 5, 4], 2, &device);
        let ours = unfold(x.clone(), 3);
        let theirs =
            unfold4d(x, [3, 3], UnfoldOptions::new([1, 1], [1, 1], [1, 1])).reshape([2, 3, 9, 20]);
        let diff = (ours - theirs).abs().max().into_scalar::<f32>();
        assert!(diff < 1e-6, "{diff}");
    }

    #[test]
    fn the_kernels_depend_on_the_input() {
        // A G-CNN's kernel is static, so the layer is linear; E4's is generated from the centre
        // feature, so scaling the input does not scale the output.
        let device = Device::flex();
        let layer = E4Config::new(Group::C4, 2, 2).init(&mut Rng::new(6), &device);
        let x = crate::gcnn::testing::normal([1, 8, 5, 5], 1, &device);
        let y = layer.forward(x.clone());
        let y2 = layer.forward(x * 3.0);
        let gap = (y2 - y.clone() * 3.0).abs().max().into_scalar::<f32>();
        assert!(gap > 1e-2 * y.abs().max().into_scalar::<f32>(), "{gap}");
    }
}
