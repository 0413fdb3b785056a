//! Seeded parameter initialisation.
//!
//! Burn's own initialisers draw from the backend's generator, whose seeding may be global and
//! differs between backends. Orbit draws every initial weight from an [`orbit_math::Rng`]
//! instead, so one seed gives the same initial model on Flex, NdArray and WebGPU.

use burn::module::Param;
use burn::nn::Linear;
use burn::tensor::{Device, Tensor, TensorData};
use orbit_math::Rng;

/// `n` values uniform in `[-bound, bound)`.
pub fn uniform(n: usize, bound: f64, rng: &mut Rng) -> Vec<f32> {
    (0..n)
        .map(|_| rng.uniform_in(-bound, bound) as f32)
        .collect()
}

/// A float parameter of the given shape, uniform in `[-bound, bound)`.
pub fn uniform_param<const D: usize>(
    shape: [usize; D],
    bound: f64,
    rng: &mut Rng,
    device: &Device,
) -> Param<Tensor<D>> {
    let n = shape.iter().product();
    Param::from_data(TensorData::new(uniform(n, bound, rng), shape), device)
}

/// A linear layer `d_input → d_output` initialised as PyTorch does by default: weights and bias
/// uniform in `±1/√d_input` (Kaiming-uniform with a = √5).
pub fn linear(d_input: usize, d_output: usize, rng: &mut Rng, device: &Device) -> Linear {
    let bound = 1.0 / (d_input.max(1) as f64).sqrt();
    Linear {
        weight: uniform_param([d_input, d_output], bound, rng, device),
        bias: Some(uniform_param([d_output], bound, rng, device)),
    }
}

/// A linear layer without bias, weights as in [`linear`] (for a term that is added to another
/// layer's output, which carries the bias).
pub fn linear_no_bias(d_input: usize, d_output: usize, rng: &mut Rng, device: &Device) -> Linear {
    let bound = 1.0 / (d_input.max(1) as f64).sqrt();
    Linear {
        weight: uniform_param([d_input, d_output], bound, rng, device),
        bias: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_gives_the_same_layer_on_every_cpu_backend() {
        #[allow(deprecated)] // NdArray is deprecated in Burn 0.22 but is one of Orbit's backends.
        let nd = Device::ndarray();
        let a = linear(5, 3, &mut Rng::new(1), &Device::flex());
        let b = linear(5, 3, &mut Rng::new(1), &nd);
        let c = linear(5, 3, &mut Rng::new(2), &Device::flex());
        let va: Vec<f32> = a.weight.val().into_data().try_to_vec().unwrap();
        let vb: Vec<f32> = b.weight.val().into_data().try_to_vec().unwrap();
        let vc: Vec<f32> = c.weight.val().into_data().try_to_vec().unwrap();
        assert_eq!(va, vb);
        assert_ne!(va, vc);
        let bound = 1.0 / 5f32.sqrt();
        assert!(va.iter().all(|w| w.abs() <= bound));
    }
}
