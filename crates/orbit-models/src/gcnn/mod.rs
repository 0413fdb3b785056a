//! Group-equivariant CNNs on p4 and p4m (Cohen & Welling 2016), and the Z2-CNN as the same
//! network on the trivial group.
//!
//! - [`action`]: C4 and D4 acting on image tensors and on regular feature maps.
//! - [`lifting`]: [`LiftingConvConfig`] → [`LiftingConv`], Z² → G.
//! - [`group_conv`]: [`GroupConvConfig`] → [`GroupConv`], G → G, one conv2d over a filter bank.
//! - [`norm`]: [`FieldNormConfig`] → [`FieldNorm`], one batch-norm statistic per field.
//! - [`head`]: [`InvariantHead`], slot pooling, spatial mean and a linear layer.
//! - [`network`]: [`GroupCnnConfig`] → [`GroupCnn`], the whole classifier.

pub mod action;
pub mod e4;
pub mod group_conv;
pub mod head;
pub mod lifting;
pub mod network;
pub mod norm;

pub use e4::{E4Config, E4Layer};
pub use group_conv::{GroupConv, GroupConvConfig};
pub use head::{InvariantHead, SlotPool};
pub use lifting::{LiftingConv, LiftingConvConfig};
pub use network::{GroupCnn, GroupCnnConfig};
pub use norm::{FieldNorm, FieldNormConfig};

/// Helpers shared by the equivariance tests of the layers.
#[cfg(test)]
pub(crate) mod testing {
    use burn::tensor::{Device, Tensor, TensorData};
    use orbit_math::Rng;
    use orbit_math::group::Group;

    use super::action::{GridAction, Layout};
    use crate::equivariance::equivariance_error;

    /// A tensor of standard normal values.
    pub fn normal<const D: usize>(shape: [usize; D], seed: u64, device: &Device) -> Tensor<D> {
        let mut rng = Rng::new(seed);
        let n = shape.iter().product();
        let v: Vec<f32> = (0..n).map(|_| rng.normal() as f32).collect();
        Tensor::from_data(TensorData::new(v, shape), device)
    }

    /// The largest equivariance error of `f` over the group's generators and three inputs.
    pub fn worst_error(
        f: impl Fn(Tensor<4>) -> Tensor<4>,
        group: Group,
        input: Layout,
        output: Layout,
        shape: [usize; 4],
        device: &Device,
    ) -> f64 {
        let mut worst: f64 = 0.0;
        for seed in 0..3 {
            let x = normal(shape, seed, device);
            for g in group.generators() {
                let e = pollster::block_on(equivariance_error(
                    &f,
                    &GridAction {
                        element: g,
                        layout: input,
                    },
                    &GridAction {
                        element: g,
                        layout: output,
                    },
                    x.clone(),
                ))
                .unwrap();
                worst = worst.max(e);
            }
        }
        worst
    }
}
