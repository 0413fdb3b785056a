//! Equivariant batch normalisation: one statistic per field, shared by its slots and by space,
//! so that permuting slots and moving pixels commutes with it.

use burn::config::Config;
use burn::module::Module;
use burn::nn::{BatchNorm, BatchNormConfig};
use burn::tensor::{Device, Tensor};

/// Configuration of a [`FieldNorm`].
#[derive(Config, Debug, PartialEq)]
pub struct FieldNormConfig {
    /// Number of fields.
    pub fields: usize,
    /// Slots per field (`|G|`; 1 for ordinary channels).
    pub slots: usize,
}

/// Batch norm over fields of `slots` channels each.
#[derive(Module, Debug)]
pub struct FieldNorm {
    /// The per-field batch norm.
    pub norm: BatchNorm,
    #[module(skip)]
    slots: usize,
}

impl FieldNormConfig {
    /// Builds the layer (γ = 1, β = 0).
    pub fn init(&self, device: &Device) -> FieldNorm {
        FieldNorm {
            norm: BatchNormConfig::new(self.fields).init(device),
            slots: self.slots,
        }
    }
}

impl FieldNorm {
    /// # Shapes
    /// - input and output: `[batch, fields · slots, H, W]`
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let [b, ch, h, w] = x.dims();
        let y = self
            .norm
            .forward(x.reshape([b, ch / self.slots, self.slots * h, w]));
        y.reshape([b, ch, h, w])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gcnn::action::Layout;
    use crate::gcnn::testing::worst_error;
    use orbit_math::group::Group;

    #[test]
    fn field_norm_commutes_with_the_group_in_training_and_evaluation() {
        let device = Device::flex();
        for group in [Group::C4, Group::D4] {
            let n = group.order();
            let norm = FieldNormConfig::new(3, n).init(&device);
            let layout = Layout::Regular(group);
            let train = worst_error(
                |x| norm.forward(x),
                group,
                layout,
                layout,
                [4, 3 * n, 4, 4],
                &device,
            );
            let eval = norm.valid();
            let valid = worst_error(
                |x| eval.forward(x),
                group,
                layout,
                layout,
                [4, 3 * n, 4, 4],
                &device,
            );
            assert!(train < 1e-5 && valid < 1e-5, "{group:?}: {train} {valid}");
        }
    }
}
