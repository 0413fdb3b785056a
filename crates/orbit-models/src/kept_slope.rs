//! Element-wise functions whose backward pass multiplies by a slope kept from the forward pass.
//!
//! Burn's autodiff differentiates `sqrt` through `powf(x, −½)` and computes `sigmoid` again in
//! its backward pass. WebAssembly has no instruction for either (its `powf` and `exp` are
//! software loops), and in the ACE network's gates they were a third of a training step in the
//! page. Here the forward pass computes the value `f(z)` and the slope `f′(z)` on a detached
//! copy of `z`, and returns `f(z) + (z − z̄)·f′(z)` with `z̄` the detached copy: the same value
//! (the second term is exactly 0), and a gradient of `f′(z)` times the incoming one, one
//! product in the backward pass.

use burn::tensor::Tensor;
use burn::tensor::activation;

/// `value + (z − z̄)·slope`, with `value` and `slope` computed from `z̄ = z.detach()`.
fn with_slope<const D: usize>(
    z: Tensor<D>,
    fixed: Tensor<D>,
    value: Tensor<D>,
    slope: Tensor<D>,
) -> Tensor<D> {
    value + (z - fixed) * slope
}

/// `√z`, with slope `1 / (2√z)`; `z` must be positive (add a small constant to a sum of
/// squares).
pub fn sqrt<const D: usize>(z: Tensor<D>) -> Tensor<D> {
    let fixed = z.clone().detach();
    let root = fixed.clone().sqrt();
    let slope = root.clone().recip() * 0.5;
    with_slope(z, fixed, root, slope)
}

/// The logistic sigmoid `σ(z)`, with slope `σ(z)(1 − σ(z))`.
pub fn sigmoid<const D: usize>(z: Tensor<D>) -> Tensor<D> {
    let fixed = z.clone().detach();
    let value = activation::sigmoid(fixed.clone());
    let slope = value.clone() - value.clone() * value.clone();
    with_slope(z, fixed, value, slope)
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::{Device, Distribution, Tensor};

    /// Value and gradient of `f` and of Burn's own function at the same random points.
    fn compare(
        ours: fn(Tensor<2>) -> Tensor<2>,
        burns: fn(Tensor<2>) -> Tensor<2>,
        low: f64,
        high: f64,
    ) -> (f32, f32) {
        let device = Device::flex().autodiff();
        let z = Tensor::<2>::random([64, 5], Distribution::Uniform(low, high), &device);
        let weights = Tensor::<2>::random([64, 5], Distribution::Normal(0.0, 1.0), &device);
        let run = |f: fn(Tensor<2>) -> Tensor<2>| {
            let z = z.clone().detach().require_grad();
            let value = f(z.clone());
            let grads = (value.clone() * weights.clone()).sum().backward();
            let grad = z.grad(&grads).expect("a gradient");
            (value.inner().into_data(), grad.into_data())
        };
        let ((v1, g1), (v2, g2)) = (run(ours), run(burns));
        let gap = |a: burn::tensor::TensorData, b: burn::tensor::TensorData| {
            a.iter::<f32>()
                .zip(b.iter::<f32>())
                .map(|(x, y)| (x - y).abs() / y.abs().max(1.0))
                .fold(0.0f32, f32::max)
        };
        (gap(v1, v2), gap(g1, g2))
    }

    #[test]
    fn sqrt_has_burns_value_and_gradient() {
        let (value, grad) = compare(sqrt, |z| z.sqrt(), 0.01, 4.0);
        assert!(
            value < 1e-6 && grad < 1e-5,
            "value {value}, gradient {grad}"
        );
    }

    #[test]
    fn sigmoid_has_burns_value_and_gradient() {
        let (value, grad) = compare(sigmoid, activation::sigmoid, -6.0, 6.0);
        assert!(
            value < 1e-6 && grad < 1e-5,
            "value {value}, gradient {grad}"
        );
    }
}
