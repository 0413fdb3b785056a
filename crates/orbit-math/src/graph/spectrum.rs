//! Eigendecomposition of a Laplacian, with repeated eigenvalues grouped.

use nalgebra::SymmetricEigen;
use serde::{Deserialize, Serialize};

use super::{Graph, Laplacian, laplacian};

/// Eigenvalues closer than this (relative to `max(1, |λ|)`) form one cluster: the eigensolver's
/// error on these small matrices is about 1e-13, and distinct eigenvalues of the graphs Orbit
/// draws are further apart than 1e-6.
pub const CLUSTER_TOLERANCE: f64 = 1e-6;

/// Eigenvalues (ascending) and orthonormal eigenvectors of a graph Laplacian.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Spectrum {
    /// Eigenvalues, ascending.
    pub values: Vec<f64>,
    /// Eigenvectors, `vectors[k]` for `values[k]`, each of length `n` and unit norm.
    pub vectors: Vec<Vec<f64>>,
    /// Index ranges of eigenvalues equal within [`CLUSTER_TOLERANCE`]: a range longer than one
    /// is an eigenspace whose basis, not only its signs, is arbitrary.
    pub clusters: Vec<std::ops::Range<usize>>,
}

impl Spectrum {
    /// The multiplicity of eigenvalue `k`.
    pub fn multiplicity(&self, k: usize) -> usize {
        self.clusters
            .iter()
            .find(|c| c.contains(&k))
            .map_or(1, |c| c.len())
    }
}

/// Groups ascending `values` into runs equal within [`CLUSTER_TOLERANCE`].
pub fn clusters(values: &[f64]) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (k, v) in values.iter().enumerate() {
        match out.last_mut() {
            Some(last)
                if (v - values[last.start]).abs()
                    <= CLUSTER_TOLERANCE * values[last.start].abs().max(1.0) =>
            {
                last.end = k + 1
            }
            _ => out.push(k..k + 1),
        }
    }
    out
}

/// The spectrum of `graph`'s Laplacian. Each eigenvector's sign is fixed by making its largest
/// entry (in absolute value, first on ties) positive, so the same graph always gives the same
/// vectors; which sign that is remains arbitrary, as the lab shows.
pub fn spectrum(graph: &Graph, kind: Laplacian) -> Spectrum {
    let eigen = SymmetricEigen::new(laplacian(graph, kind));
    let mut order: Vec<usize> = (0..graph.n).collect();
    order.sort_by(|&a, &b| eigen.eigenvalues[a].total_cmp(&eigen.eigenvalues[b]));
    let values: Vec<f64> = order.iter().map(|&k| eigen.eigenvalues[k]).collect();
    let vectors = order
        .iter()
        .map(|&k| {
            let mut v: Vec<f64> = eigen.eigenvectors.column(k).iter().copied().collect();
            let pivot = v
                .iter()
                .enumerate()
                .fold((0, 0.0f64), |best, (i, x)| {
                    if x.abs() > best.1 + 1e-12 {
                        (i, x.abs())
                    } else {
                        best
                    }
                })
                .0;
            if v.get(pivot).is_some_and(|x| *x < 0.0) {
                v.iter_mut().for_each(|x| *x = -*x);
            }
            v
        })
        .collect();
    let clusters = clusters(&values);
    Spectrum {
        values,
        vectors,
        clusters,
    }
}

/// Eigenvectors `a < b` of one repeated eigenvalue, turned by `angle` radians inside their
/// plane of the eigenspace: `v_a' = cos θ·v_a + sin θ·v_b`, `v_b' = −sin θ·v_a + cos θ·v_b`.
/// Both are still unit eigenvectors of the same eigenvalue, and orthogonal: an equally valid
/// basis, which is the basis ambiguity of a repeated eigenvalue.
#[derive(Clone, Debug, PartialEq)]
pub struct EigenTurn {
    /// The pair of indices turned.
    pub pair: (usize, usize),
    /// The turned `v_a'` and `v_b'`.
    pub vectors: [Vec<f64>; 2],
}

impl Spectrum {
    /// The turn of eigenvector `k` with its neighbour in its eigenspace (the next one, or the
    /// previous one for the last of the cluster); `None` when eigenvalue `k` is simple.
    pub fn turn(&self, k: usize, angle: f64) -> Option<EigenTurn> {
        let cluster = self.clusters.iter().find(|c| c.contains(&k))?;
        if cluster.len() < 2 {
            return None;
        }
        let (a, b) = if k + 1 < cluster.end {
            (k, k + 1)
        } else {
            (k - 1, k)
        };
        let (s, c) = angle.sin_cos();
        let (va, vb) = (&self.vectors[a], &self.vectors[b]);
        let first = va.iter().zip(vb).map(|(x, y)| c * x + s * y).collect();
        let second = va.iter().zip(vb).map(|(x, y)| -s * x + c * y).collect();
        Some(EigenTurn {
            pair: (a, b),
            vectors: [first, second],
        })
    }
}

/// `max_i |(Lv − λv)_i|`: how far `v` is from being an eigenvector of `graph`'s Laplacian with
/// eigenvalue `lambda`.
pub fn residual(graph: &Graph, kind: Laplacian, lambda: f64, v: &[f64]) -> f64 {
    let l = laplacian(graph, kind);
    let v = nalgebra::DVector::from_column_slice(v);
    (l * &v - lambda * v).amax()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::karate_club;
    use std::f64::consts::PI;

    fn check_eigenpairs(g: &Graph, kind: Laplacian) -> Spectrum {
        let s = spectrum(g, kind);
        let l = laplacian(g, kind);
        for (k, (lambda, v)) in s.values.iter().zip(&s.vectors).enumerate() {
            let v = nalgebra::DVector::from_column_slice(v);
            assert!((&l * &v - *lambda * &v).norm() < 1e-9, "eigenpair {k}");
            assert!((v.norm() - 1.0).abs() < 1e-12);
        }
        for a in 0..s.vectors.len() {
            for b in 0..a {
                let dot: f64 = s.vectors[a]
                    .iter()
                    .zip(&s.vectors[b])
                    .map(|(x, y)| x * y)
                    .sum();
                assert!(dot.abs() < 1e-9);
            }
        }
        s
    }

    #[test]
    fn cycles_paths_and_hypercubes_have_their_known_spectra() {
        let n = 10;
        let s = check_eigenpairs(&Graph::cycle(n), Laplacian::Combinatorial);
        let mut expected: Vec<f64> = (0..n)
            .map(|k| 2.0 - 2.0 * (2.0 * PI * k as f64 / n as f64).cos())
            .collect();
        expected.sort_by(f64::total_cmp);
        for (a, b) in s.values.iter().zip(&expected) {
            assert!((a - b).abs() < 1e-10);
        }
        let m: Vec<usize> = s.clusters.iter().map(|c| c.len()).collect();
        assert_eq!(m, vec![1, 2, 2, 2, 2, 1]);
        let p = check_eigenpairs(&Graph::path(n), Laplacian::Combinatorial);
        assert!(p.clusters.iter().all(|c| c.len() == 1));
        for (k, v) in p.values.iter().enumerate() {
            assert!((v - (2.0 - 2.0 * (PI * k as f64 / n as f64).cos())).abs() < 1e-10);
        }
        // Q₄: eigenvalues 2k with multiplicity C(4, k).
        let q = check_eigenpairs(&Graph::hypercube(4), Laplacian::Combinatorial);
        let m: Vec<usize> = q.clusters.iter().map(|c| c.len()).collect();
        assert_eq!(m, vec![1, 4, 6, 4, 1]);
        assert!((q.values[15] - 8.0).abs() < 1e-10);
        // The grid has repeated eigenvalues too (basis ambiguity).
        let grid = check_eigenpairs(&Graph::grid(4, 4), Laplacian::Normalized);
        assert!(grid.clusters.iter().any(|c| c.len() > 1));
    }

    #[test]
    fn the_karate_club_is_connected_with_a_normalised_spectrum_in_0_2() {
        let s = check_eigenpairs(&karate_club(), Laplacian::Normalized);
        assert!(s.values[0].abs() < 1e-10);
        assert!(s.values[1] > 1e-3, "connected: one zero eigenvalue");
        assert!(s.values.iter().all(|v| *v > -1e-10 && *v < 2.0 + 1e-10));
        assert_eq!(s.multiplicity(1), 1);
        assert_eq!(s, spectrum(&karate_club(), Laplacian::Normalized));
    }

    #[test]
    fn a_turn_inside_a_repeated_eigenspace_gives_eigenvectors_again() {
        let g = Graph::cycle(12);
        let s = spectrum(&g, Laplacian::Normalized);
        assert_eq!(s.multiplicity(1), 2);
        let t = s.turn(2, 0.7).expect("λ1 = λ2 on a cycle");
        assert_eq!(t.pair, (1, 2));
        for v in &t.vectors {
            assert!(residual(&g, Laplacian::Normalized, s.values[1], v) < 1e-12);
            assert!((v.iter().map(|x| x * x).sum::<f64>() - 1.0).abs() < 1e-12);
        }
        let dot: f64 = t.vectors[0]
            .iter()
            .zip(&t.vectors[1])
            .map(|(x, y)| x * y)
            .sum();
        assert!(dot.abs() < 1e-12);
        // The turned vector is a different vector, not a sign flip of the old one.
        let overlap: f64 = t.vectors[0]
            .iter()
            .zip(&s.vectors[1])
            .map(|(x, y)| x * y)
            .sum();
        assert!((overlap - 0.7f64.cos()).abs() < 1e-12);
        // A simple eigenvalue has no turn: the path's spectrum is simple.
        let p = spectrum(&Graph::path(8), Laplacian::Normalized);
        assert!(p.turn(3, 0.7).is_none());
    }
}
