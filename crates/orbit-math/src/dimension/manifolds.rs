//! Data with a known intrinsic dimension (docs/science.md §0.3), after the benchmark manifolds of
//! scikit-dimension: each is sampled uniformly (or by its natural parametrisation) from a seed,
//! with optional isotropic Gaussian noise in the ambient space.

use std::f64::consts::PI;

use serde::{Deserialize, Serialize};

use super::points::Points;
use crate::Rng;

/// A manifold with a known intrinsic dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Manifold {
    /// The unit circle S¹ in R².
    Circle,
    /// The unit sphere S² in R³.
    Sphere2,
    /// The unit sphere S⁵ in R⁶.
    Sphere5,
    /// The unit sphere S¹⁰ in R¹¹.
    Sphere10,
    /// A closed helix wound around a torus in R³: `((2 + cos 8t) cos t, (2 + cos 8t) sin t,
    /// sin 8t)`.
    Helix,
    /// The swiss roll `(t cos t, 21u, t sin t)`, `t = 1.5π(1 + 2v)`.
    Swiss,
    /// The flat torus T² = `(cos a, sin a, cos b, sin b)` in R⁴.
    Torus,
    /// The uniform cube [0, 1]⁵.
    Cube5,
    /// The faces of the 11-cube: one coordinate 0 or 1, the other ten uniform.
    Faces11,
    /// The standard Gaussian in R²⁰.
    Gauss20,
}

impl Manifold {
    /// Every manifold, in menu order.
    pub const ALL: [Manifold; 10] = [
        Manifold::Circle,
        Manifold::Helix,
        Manifold::Sphere2,
        Manifold::Swiss,
        Manifold::Torus,
        Manifold::Cube5,
        Manifold::Sphere5,
        Manifold::Faces11,
        Manifold::Sphere10,
        Manifold::Gauss20,
    ];

    /// The true intrinsic dimension.
    pub fn dimension(self) -> usize {
        match self {
            Manifold::Circle | Manifold::Helix => 1,
            Manifold::Sphere2 | Manifold::Swiss | Manifold::Torus => 2,
            Manifold::Cube5 | Manifold::Sphere5 => 5,
            Manifold::Faces11 | Manifold::Sphere10 => 10,
            Manifold::Gauss20 => 20,
        }
    }

    /// The ambient dimension.
    pub fn ambient(self) -> usize {
        match self {
            Manifold::Circle => 2,
            Manifold::Sphere2 | Manifold::Helix | Manifold::Swiss => 3,
            Manifold::Torus => 4,
            Manifold::Cube5 => 5,
            Manifold::Sphere5 => 6,
            Manifold::Sphere10 | Manifold::Faces11 => 11,
            Manifold::Gauss20 => 20,
        }
    }

    /// `n` points drawn from `rng`, each coordinate perturbed by `N(0, noise²)`.
    pub fn sample(self, n: usize, noise: f64, rng: &mut Rng) -> Points {
        let dim = self.ambient();
        let mut coords = Vec::with_capacity(n * dim);
        for _ in 0..n {
            let start = coords.len();
            self.push_point(rng, &mut coords);
            if noise > 0.0 {
                for c in &mut coords[start..] {
                    *c += noise * rng.normal();
                }
            }
        }
        Points::new(dim, coords)
    }

    fn push_point(self, rng: &mut Rng, out: &mut Vec<f64>) {
        match self {
            Manifold::Circle => {
                let t = 2.0 * PI * rng.uniform();
                out.extend([t.cos(), t.sin()]);
            }
            Manifold::Sphere2 | Manifold::Sphere5 | Manifold::Sphere10 => {
                let v: Vec<f64> = (0..self.ambient()).map(|_| rng.normal()).collect();
                let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt().max(1e-300);
                out.extend(v.iter().map(|x| x / norm));
            }
            Manifold::Helix => {
                let t = 2.0 * PI * rng.uniform();
                let r = 2.0 + (8.0 * t).cos();
                out.extend([r * t.cos(), r * t.sin(), (8.0 * t).sin()]);
            }
            Manifold::Swiss => {
                let t = 1.5 * PI * (1.0 + 2.0 * rng.uniform());
                let h = 21.0 * rng.uniform();
                out.extend([t * t.cos(), h, t * t.sin()]);
            }
            Manifold::Torus => {
                let (a, b) = (2.0 * PI * rng.uniform(), 2.0 * PI * rng.uniform());
                out.extend([a.cos(), a.sin(), b.cos(), b.sin()]);
            }
            Manifold::Cube5 => out.extend((0..5).map(|_| rng.uniform())),
            Manifold::Faces11 => {
                let face = rng.below(11);
                let side = if rng.uniform() < 0.5 { 0.0 } else { 1.0 };
                out.extend((0..11).map(|j| if j == face { side } else { rng.uniform() }));
            }
            Manifold::Gauss20 => out.extend((0..20).map(|_| rng.normal())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_lie_on_their_manifold_and_repeat_by_seed() {
        for m in Manifold::ALL {
            let p = m.sample(50, 0.0, &mut Rng::new(3));
            assert_eq!((p.len(), p.dim), (50, m.ambient()));
            assert_eq!(p, m.sample(50, 0.0, &mut Rng::new(3)));
            assert_ne!(p, m.sample(50, 0.0, &mut Rng::new(4)));
        }
        for x in Manifold::Sphere5.sample(20, 0.0, &mut Rng::new(1)).rows() {
            assert!((x.iter().map(|v| v * v).sum::<f64>() - 1.0).abs() < 1e-12);
        }
        for x in Manifold::Torus.sample(20, 0.0, &mut Rng::new(1)).rows() {
            assert!((x[0] * x[0] + x[1] * x[1] - 1.0).abs() < 1e-12);
            assert!((x[2] * x[2] + x[3] * x[3] - 1.0).abs() < 1e-12);
        }
        for x in Manifold::Faces11.sample(20, 0.0, &mut Rng::new(1)).rows() {
            assert_eq!(x.iter().filter(|v| **v == 0.0 || **v == 1.0).count(), 1);
        }
    }
}
