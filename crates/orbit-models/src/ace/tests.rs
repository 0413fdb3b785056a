//! Equivariance of the ACE network (docs/science.md §0.1 and §4): f_eq exactly, f_{θ,γ} by as
//! much as its γ allows.

use burn::module::Param;
use burn::tensor::{Device, Tensor, TensorData};
use orbit_math::Rng;
use orbit_math::pointset::{POINTS, PointSets, relabel, rotate};

use super::*;
use crate::equivariance::equivariance_error;

const SETS: usize = 4;

fn tensor(values: &[f64], device: &Device) -> Tensor<3> {
    let v: Vec<f32> = values.iter().map(|&x| x as f32).collect();
    Tensor::from_data(
        TensorData::new(v, [values.len() / (2 * POINTS), POINTS, 2]),
        device,
    )
}

/// Rotation by `angle` and relabelling by `order` of every set in a flat batch.
fn act(values: &[f64], angle: f64, order: &[usize]) -> Vec<f64> {
    values
        .chunks(2 * POINTS)
        .flat_map(|set| rotate(&relabel(set, order), angle))
        .collect()
}

fn host(t: Tensor<3>) -> Vec<f64> {
    t.into_data().iter::<f32>().map(f64::from).collect()
}

/// The worst equivariance error over a few random rotations and relabellings.
fn worst(net: &VectorNet, branch: bool, device: &Device) -> f64 {
    let sets = PointSets::sample(SETS, POINTS, 0.0, &mut Rng::new(11));
    let mut rng = Rng::new(12);
    let mut worst = 0.0f64;
    for _ in 0..4 {
        let angle = rng.uniform_in(0.0, std::f64::consts::TAU);
        let order = rng.permutation(POINTS);
        let on_input = |t: Tensor<3>| tensor(&act(&host(t), angle, &order), device);
        let e = pollster::block_on(equivariance_error(
            |x| net.forward(x, branch),
            &on_input,
            &on_input,
            tensor(&sets.x, device),
        ))
        .unwrap();
        worst = worst.max(e);
    }
    worst
}

fn with_gamma(net: VectorNet, gamma: f32, device: &Device) -> VectorNet {
    let layers = net.depth();
    VectorNet {
        gamma: Param::from_tensor(Tensor::from_data(
            TensorData::new(vec![gamma; layers], [layers]),
            device,
        )),
        ..net
    }
}

#[test]
fn f_eq_is_rotation_and_permutation_equivariant() {
    let device = Device::flex();
    let net = VectorNetConfig::new().init(3, &device);
    let e = worst(&net, false, &device);
    assert!(e < 1e-5, "f_eq equivariance error {e}");
    // With γ = 1 the branches break it.
    assert!(worst(&net, true, &device) > 1e-3);
}

#[test]
fn the_equivariance_error_shrinks_with_gamma() {
    let device = Device::flex();
    let net = VectorNetConfig::new().init(4, &device);
    let errors: Vec<f64> = [1.0, 0.1, 0.01]
        .iter()
        .map(|&g| worst(&with_gamma(net.clone(), g, &device), true, &device))
        .collect();
    assert!(errors[0] > errors[1] && errors[1] > errors[2], "{errors:?}");
    // Linear in γ for small γ: a tenth of γ, about a tenth of the error.
    let ratio = errors[1] / errors[2];
    assert!(ratio > 5.0 && ratio < 20.0, "{errors:?}");
    assert_eq!(
        worst(&with_gamma(net, 0.0, &device), true, &device),
        worst_eq(&device)
    );
}

fn worst_eq(device: &Device) -> f64 {
    worst(&VectorNetConfig::new().init(4, device), false, device)
}

#[test]
fn the_branch_is_kept_at_unit_norm() {
    let device = Device::flex();
    let net = VectorNetConfig::new().init(5, &device);
    for layer in &net.layers {
        let norm2 = branch_norm2(layer);
        assert!((norm2 - 1.0).abs() < 1e-5, "{norm2}");
    }
    assert_eq!(
        net.forward(Tensor::zeros([2, POINTS, 2], &device), true)
            .dims(),
        [2, POINTS, 2]
    );
}

/// `|W|² + |b|²` of a layer's branch.
pub(super) fn branch_norm2(layer: &VectorLayer) -> f32 {
    let dense = &layer.dense;
    let w = dense.weight.val().powi_scalar(2).sum();
    let b = dense.bias.as_ref().map(|b| b.val().powi_scalar(2).sum());
    b.map_or(w.clone(), |b| w + b).into_scalar::<f32>()
}
