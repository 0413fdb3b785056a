//! The point-set task of the ACE lab (docs/science.md §4): sets of points in the plane whose
//! target is SO(2)×S_N-equivariant, plus an optional constant "wind" that breaks the rotation
//! symmetry.
//!
//! A set is `n` points `x_i ∈ R²`, drawn from N(0, I). Its target is
//! `y_i = Σ_j exp(−|x_i − x_j|²)(x_j − x_i) + β·(1, 0)`: for β = 0 rotating (or relabelling) the
//! points rotates (or relabels) the target; β > 0 adds the same vector to every point whatever
//! the rotation, so only an approximately equivariant model can fit it.

use crate::Rng;
use crate::frame::{attraction, plane_rotation, transform};

/// Points per set.
pub const POINTS: usize = 6;

/// Many point sets of the same size, flat: set `s`, point `i`, coordinate `c` at
/// `(s · n + i) · 2 + c`.
#[derive(Clone, Debug, PartialEq)]
pub struct PointSets {
    /// Points per set.
    pub n: usize,
    /// The points, `sets × n × 2`.
    pub x: Vec<f64>,
    /// The targets, `sets × n × 2`.
    pub y: Vec<f64>,
}

impl PointSets {
    /// `sets` sets of `n` Gaussian points with their targets under wind `wind`.
    pub fn sample(sets: usize, n: usize, wind: f64, rng: &mut Rng) -> Self {
        let x: Vec<f64> = (0..sets * n * 2).map(|_| rng.normal()).collect();
        let y = x.chunks(n * 2).flat_map(|set| target(set, wind)).collect();
        Self { n, x, y }
    }

    /// Number of sets.
    pub fn len(&self) -> usize {
        self.x.len().checked_div(self.n * 2).unwrap_or(0)
    }

    /// Whether there are no sets.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The points of set `s`, `n × 2`.
    pub fn points(&self, s: usize) -> &[f64] {
        &self.x[s * self.n * 2..(s + 1) * self.n * 2]
    }

    /// The target of set `s`, `n × 2`.
    pub fn targets(&self, s: usize) -> &[f64] {
        &self.y[s * self.n * 2..(s + 1) * self.n * 2]
    }
}

/// The target of one set of points (`n × 2`, flat) under wind `wind`.
pub fn target(points: &[f64], wind: f64) -> Vec<f64> {
    let mut y = attraction(points, 2);
    for v in y.chunks_mut(2) {
        v[0] += wind;
    }
    y
}

/// The points (or vectors) `n × 2` rotated by `angle` radians counter-clockwise.
pub fn rotate(points: &[f64], angle: f64) -> Vec<f64> {
    // Rows times `[[cos, sin], [−sin, cos]]` on the right: (1, 0) ↦ (cos, sin).
    transform(points, &plane_rotation(angle, 2), 2)
}

/// The rows of `points` (`n × 2`) in the order `order` (row `i` of the result is row
/// `order[i]`).
pub fn relabel(points: &[f64], order: &[usize]) -> Vec<f64> {
    order
        .iter()
        .flat_map(|&i| [points[2 * i], points[2 * i + 1]])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn max_gap(a: &[f64], b: &[f64]) -> f64 {
        a.iter().zip(b).fold(0.0, |m, (x, y)| m.max((x - y).abs()))
    }

    #[test]
    fn without_wind_the_target_turns_and_relabels_with_the_points() {
        let sets = PointSets::sample(3, POINTS, 0.0, &mut Rng::new(1));
        assert_eq!(sets.len(), 3);
        let x = sets.points(1);
        let angle = 0.7;
        let turned = target(&rotate(x, angle), 0.0);
        assert!(max_gap(&turned, &rotate(sets.targets(1), angle)) < 1e-12);
        let order = Rng::new(2).permutation(POINTS);
        let relabelled = target(&relabel(x, &order), 0.0);
        assert!(max_gap(&relabelled, &relabel(sets.targets(1), &order)) < 1e-12);
        // A quarter turn maps (1, 0) to (0, 1).
        assert!(
            max_gap(
                &rotate(&[1.0, 0.0], std::f64::consts::FRAC_PI_2),
                &[0.0, 1.0]
            ) < 1e-12
        );
    }

    #[test]
    fn wind_breaks_the_rotation_symmetry_but_not_the_relabelling() {
        let sets = PointSets::sample(1, POINTS, 0.5, &mut Rng::new(3));
        let x = sets.points(0);
        let turned = target(&rotate(x, 1.0), 0.5);
        assert!(max_gap(&turned, &rotate(sets.targets(0), 1.0)) > 0.1);
        let order = Rng::new(4).permutation(POINTS);
        let relabelled = target(&relabel(x, &order), 0.5);
        assert!(max_gap(&relabelled, &relabel(sets.targets(0), &order)) < 1e-12);
    }
}
