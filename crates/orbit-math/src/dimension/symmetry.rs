//! Symmetries of a point cloud by rotations of its first coordinate plane: on the flat torus
//! `(cos a, sin a, cos b, sin b)` they rotate the angle `a` (docs/science.md §1).

use serde::{Deserialize, Serialize};

/// A group acting on `R^D` by rotating coordinates 0 and 1 and fixing the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlaneSymmetry {
    /// The trivial group.
    None,
    /// C_k: rotations by `2πj/k`, `j = 0..k`.
    Cyclic(usize),
    /// SO(2): every rotation (orbits are circles, one dimension each).
    So2,
}

impl PlaneSymmetry {
    /// Number of elements (`None` for SO(2)).
    pub fn order(self) -> Option<usize> {
        match self {
            PlaneSymmetry::None => Some(1),
            PlaneSymmetry::Cyclic(k) => Some(k.max(1)),
            PlaneSymmetry::So2 => None,
        }
    }

    /// Dimension of the generic orbit (0 for finite groups, 1 for SO(2)).
    pub fn orbit_dimension(self) -> usize {
        usize::from(self == PlaneSymmetry::So2)
    }

    /// Name in plots.
    pub fn label(self) -> String {
        match self {
            PlaneSymmetry::None => "no symmetry".into(),
            PlaneSymmetry::Cyclic(k) => format!("C{k}"),
            PlaneSymmetry::So2 => "SO(2)".into(),
        }
    }

    /// `min_{g ∈ G} ‖x − g·y‖²`: the squared distance from `x` to the orbit of `y`. For many
    /// pairs, build an [`OrbitMetric`] once instead.
    pub fn orbit_distance2(self, x: &[f64], y: &[f64]) -> f64 {
        OrbitMetric::new(self).distance2(x, y)
    }

    /// `g·x` for the element rotating by `angle` (radians); for C_k only multiples of `2π/k`
    /// belong to the group, which callers respect.
    pub fn rotate(x: &[f64], angle: f64) -> Vec<f64> {
        let mut out = x.to_vec();
        if x.len() >= 2 {
            let (s, c) = angle.sin_cos();
            out[0] = c * x[0] - s * x[1];
            out[1] = s * x[0] + c * x[1];
        }
        out
    }
}

/// The orbit distance of a [`PlaneSymmetry`] with its rotations tabulated once.
#[derive(Clone, Debug)]
pub struct OrbitMetric {
    symmetry: PlaneSymmetry,
    /// `(cos, sin)` of every element of a finite group.
    rotations: Vec<(f64, f64)>,
}

impl OrbitMetric {
    /// The metric of `symmetry`.
    pub fn new(symmetry: PlaneSymmetry) -> Self {
        let rotations = match symmetry {
            PlaneSymmetry::Cyclic(k) => {
                let k = k.max(1);
                (0..k)
                    .map(|j| {
                        let (s, c) = (std::f64::consts::TAU * j as f64 / k as f64).sin_cos();
                        (c, s)
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        Self {
            symmetry,
            rotations,
        }
    }

    /// The symmetry this metric measures under.
    pub fn symmetry(&self) -> PlaneSymmetry {
        self.symmetry
    }

    /// `min_{g ∈ G} ‖x − g·y‖²`.
    #[inline]
    pub fn distance2(&self, x: &[f64], y: &[f64]) -> f64 {
        if x.len() < 2 || self.symmetry == PlaneSymmetry::None {
            return super::points::distance2(x, y);
        }
        let rest = super::points::distance2(&x[2..], &y[2..]);
        let (x0, x1, y0, y1) = (x[0], x[1], y[0], y[1]);
        let plane = match self.symmetry {
            PlaneSymmetry::So2 => (x0.hypot(x1) - y0.hypot(y1)).powi(2),
            _ => self
                .rotations
                .iter()
                .map(|(c, s)| {
                    let (g0, g1) = (c * y0 - s * y1, s * y0 + c * y1);
                    (x0 - g0).powi(2) + (x1 - g1).powi(2)
                })
                .fold(f64::INFINITY, f64::min),
        };
        plane + rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orbit_distance_is_the_minimum_over_the_orbit() {
        let x = [1.0, 0.0, 0.3];
        let y = PlaneSymmetry::rotate(&[1.0, 0.0, 0.5], std::f64::consts::FRAC_PI_2);
        let none = PlaneSymmetry::None.orbit_distance2(&x, &y);
        assert!((none - (2.0 + 0.04)).abs() < 1e-12);
        assert!((PlaneSymmetry::Cyclic(4).orbit_distance2(&x, &y) - 0.04).abs() < 1e-12);
        let off = PlaneSymmetry::rotate(&y, 0.3);
        assert!(PlaneSymmetry::Cyclic(4).orbit_distance2(&x, &off) > 0.05);
        assert!((PlaneSymmetry::So2.orbit_distance2(&x, &off) - 0.04).abs() < 1e-12);
    }
}
