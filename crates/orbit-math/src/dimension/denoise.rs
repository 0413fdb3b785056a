//! Closed-form diffusion denoisers and DDIM sampling (docs/science.md §1).
//!
//! With forward process `x_t = α_t x_0 + σ_t ε` (here `α_t = cos(πt/2)`, `σ_t = sin(πt/2)`,
//! `t ∈ (0, 1]`), the optimal denoiser for the empirical distribution of a training set is
//! `x̂_0(x_t) = Σ_i w_i x_i` with `w = softmax_i(−‖x_t − α_t x_i‖² / (2σ_t²))`. Its
//! G-symmetrised version sums over the orbit `G·D_n` instead, and then `x̂_0(g·x) = g·x̂_0(x)`.
//! DDIM run to `t → 0` with either lands on the training set or on its orbit.

use super::points::{Points, distance2};
use super::symmetry::PlaneSymmetry;
use crate::Rng;

/// `(α_t, σ_t)` of the cosine schedule.
pub fn schedule(t: f64) -> (f64, f64) {
    let (s, c) = (std::f64::consts::FRAC_PI_2 * t).sin_cos();
    (c, s)
}

/// The orbit `G·D` of a point set under a finite plane symmetry (all `|G|·n` points, element by
/// element); SO(2) has no finite orbit and returns the set unchanged.
pub fn orbit(points: &Points, symmetry: PlaneSymmetry) -> Points {
    let k = match symmetry {
        PlaneSymmetry::Cyclic(k) => k.max(1),
        _ => 1,
    };
    let mut coords = Vec::with_capacity(points.coords.len() * k);
    for j in 0..k {
        let angle = std::f64::consts::TAU * j as f64 / k as f64;
        for x in points.rows() {
            coords.extend(PlaneSymmetry::rotate(x, angle));
        }
    }
    Points::new(points.dim, coords)
}

/// The empirical optimal denoiser `x̂_0(x_t)` for the training set `train` at `(α, σ)`.
pub fn denoise(x: &[f64], alpha: f64, sigma: f64, train: &Points) -> Vec<f64> {
    let scale = 1.0 / (2.0 * sigma * sigma).max(1e-300);
    let logits: Vec<f64> = train
        .rows()
        .map(|y| {
            let scaled: Vec<f64> = y.iter().map(|v| alpha * v).collect();
            -distance2(x, &scaled) * scale
        })
        .collect();
    let max = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let weights: Vec<f64> = logits.iter().map(|l| (l - max).exp()).collect();
    let total: f64 = weights.iter().sum();
    let mut out = vec![0.0; x.len()];
    for (w, y) in weights.iter().zip(train.rows()) {
        for (o, v) in out.iter_mut().zip(y) {
            *o += w / total * v;
        }
    }
    out
}

/// One DDIM trajectory from `x_1 = noise` over `steps` times `t_i = (i/steps)²` down to `t = 0`
/// (quadratic spacing puts the last step at `σ ≈ 1.6/steps²`, small enough to resolve training
/// points that are close together), using the denoiser of `train`. Returns every iterate (the first is the noise, the last the sample).
pub fn ddim(noise: &[f64], steps: usize, train: &Points) -> Vec<Vec<f64>> {
    let steps = steps.max(1);
    let mut x = noise.to_vec();
    let mut path = vec![x.clone()];
    for i in (1..=steps).rev() {
        let time = |i: usize| (i as f64 / steps as f64).powi(2);
        let (a, s) = schedule(time(i));
        let (a_next, s_next) = schedule(time(i - 1));
        let x0 = denoise(&x, a, s, train);
        x = x
            .iter()
            .zip(&x0)
            .map(|(xt, x0)| a_next * x0 + s_next * (xt - a * x0) / s)
            .collect();
        path.push(x.clone());
    }
    path
}

/// `count` DDIM samples (their final points), noise drawn from `rng`.
pub fn sample(count: usize, steps: usize, train: &Points, rng: &mut Rng) -> Points {
    let mut coords = Vec::with_capacity(count * train.dim);
    for _ in 0..count {
        let noise: Vec<f64> = (0..train.dim).map(|_| rng.normal()).collect();
        if let Some(last) = ddim(&noise, steps, train).pop() {
            coords.extend(last);
        }
    }
    Points::new(train.dim, coords)
}

/// Distance from `x` to the nearest point of `set`.
pub fn nearest_distance(x: &[f64], set: &Points) -> f64 {
    set.rows()
        .map(|y| distance2(x, y))
        .fold(f64::INFINITY, f64::min)
        .sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dimension::Manifold;

    fn small_set() -> Points {
        Manifold::Circle.sample(5, 0.05, &mut Rng::new(2)).prefix(5)
    }

    #[test]
    fn the_symmetrised_denoiser_commutes_with_the_group() {
        let train = small_set();
        let sym = PlaneSymmetry::Cyclic(4);
        let orbit_set = orbit(&train, sym);
        assert_eq!(orbit_set.len(), 20);
        let mut rng = Rng::new(9);
        let mut worst: f64 = 0.0;
        for t in [0.2, 0.5, 0.9] {
            let (a, s) = schedule(t);
            for _ in 0..20 {
                let x = [rng.normal(), rng.normal()];
                let fx = denoise(&x, a, s, &orbit_set);
                for j in 1..4 {
                    let angle = std::f64::consts::FRAC_PI_2 * j as f64;
                    let f_gx = denoise(&PlaneSymmetry::rotate(&x, angle), a, s, &orbit_set);
                    let g_fx = PlaneSymmetry::rotate(&fx, angle);
                    worst = worst.max(distance2(&f_gx, &g_fx).sqrt());
                }
            }
        }
        assert!(worst < 1e-5, "symmetrised denoiser error {worst}");
        // The plain denoiser is not equivariant.
        let (a, s) = schedule(0.3);
        let x = [0.7, 0.2];
        let f_gx = denoise(&PlaneSymmetry::rotate(&x, 1.0), a, s, &train);
        let g_fx = PlaneSymmetry::rotate(&denoise(&x, a, s, &train), 1.0);
        assert!(distance2(&f_gx, &g_fx).sqrt() > 1e-3);
    }

    #[test]
    fn ddim_samples_land_on_the_training_set_or_its_orbit() {
        let train = small_set();
        let orbit_set = orbit(&train, PlaneSymmetry::Cyclic(4));
        let plain = sample(40, 100, &train, &mut Rng::new(1));
        let sym = sample(40, 100, &orbit_set, &mut Rng::new(1));
        for x in plain.rows() {
            assert!(nearest_distance(x, &train) < 1e-3, "{x:?} {train:?}");
        }
        let off_train = sym
            .rows()
            .filter(|x| nearest_distance(x, &train) > 0.1)
            .count();
        for x in sym.rows() {
            assert!(nearest_distance(x, &orbit_set) < 1e-3);
        }
        assert!(
            off_train > 10,
            "only {off_train} of 40 off the training set"
        );
    }
}
