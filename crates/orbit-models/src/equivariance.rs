//! The one equivariance measure used everywhere, by the tests and by the live meter
//! (docs/science.md §0.1):
//!
//! `err(f, g, x) = max|f(ρ_in(g) x) − ρ_out(g) f(x)| / max(1, max|f(x)|)`
//!
//! [`Action`] is the group-action abstraction: anything that transforms a tensor of one rank
//! (a rotation of images, a permutation of slots, a sign flip of eigenvector columns, a
//! rotation of point sets). [`equivariance_error`] takes any model and any pair of actions.

use burn::tensor::{ExecutionError, Tensor};

/// A group element acting on tensors of rank `D`.
pub trait Action<const D: usize> {
    /// `ρ(g) x`.
    fn act(&self, x: Tensor<D>) -> Tensor<D>;
}

/// The identity action, for invariant outputs (`ρ_out(g) = id`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Trivial;

impl<const D: usize> Action<D> for Trivial {
    fn act(&self, x: Tensor<D>) -> Tensor<D> {
        x
    }
}

/// Any closure is an action.
impl<const D: usize, F: Fn(Tensor<D>) -> Tensor<D>> Action<D> for F {
    fn act(&self, x: Tensor<D>) -> Tensor<D> {
        self(x)
    }
}

/// The relative equivariance error of `f` at `x` for one group element, read asynchronously.
pub async fn equivariance_error<const I: usize, const O: usize>(
    f: impl Fn(Tensor<I>) -> Tensor<O>,
    act_in: &impl Action<I>,
    act_out: &impl Action<O>,
    x: Tensor<I>,
) -> Result<f64, ExecutionError> {
    let fx = f(x.clone());
    let f_gx = f(act_in.act(x));
    let g_fx = act_out.act(fx.clone());
    let num = (f_gx - g_fx).abs().max().into_scalar_async::<f32>().await?;
    let scale = fx.abs().max().into_scalar_async::<f32>().await?;
    Ok(orbit_math::equivariance::relative_to_output(
        f64::from(num),
        f64::from(scale),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::Device;

    #[test]
    fn an_equivariant_map_scores_zero_and_a_broken_one_does_not() {
        let device = Device::flex();
        let x = Tensor::<2>::from_floats([[1.0, -2.0, 3.0]], &device);
        let neg = |t: Tensor<2>| t.neg();
        // f(x) = 2x commutes with negation.
        let e = pollster::block_on(equivariance_error(
            |t: Tensor<2>| t * 2.0,
            &neg,
            &neg,
            x.clone(),
        ))
        .unwrap();
        assert_eq!(e, 0.0);
        // f(x) = x + 1 does not: f(−x) − (−f(x)) = 2 everywhere, over max|f(x)| = 4.
        let e =
            pollster::block_on(equivariance_error(|t: Tensor<2>| t + 1.0, &neg, &neg, x)).unwrap();
        assert!((e - 0.5).abs() < 1e-6, "{e}");
    }
}
