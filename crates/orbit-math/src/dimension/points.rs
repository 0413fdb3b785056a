//! [`Points`]: a cloud of `n` points in `R^dim`, stored row-major.

use serde::{Deserialize, Serialize};

/// `n` points in `R^dim`, row-major (`coords[i * dim + j]` is coordinate `j` of point `i`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Points {
    /// Ambient dimension.
    pub dim: usize,
    /// The coordinates, `n × dim`.
    pub coords: Vec<f64>,
}

impl Points {
    /// A cloud from row-major coordinates; `coords.len()` must be a multiple of `dim`.
    pub fn new(dim: usize, coords: Vec<f64>) -> Self {
        debug_assert!(dim > 0 && coords.len().is_multiple_of(dim));
        Self { dim, coords }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.coords.len().checked_div(self.dim).unwrap_or(0)
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Point `i`.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.coords[i * self.dim..(i + 1) * self.dim]
    }

    /// The first `n` points (all of them when there are fewer).
    pub fn prefix(&self, n: usize) -> Points {
        let n = n.min(self.len());
        Points::new(self.dim, self.coords[..n * self.dim].to_vec())
    }

    /// The points `range` (clamped to the cloud).
    pub fn slice(&self, start: usize, end: usize) -> Points {
        let end = end.min(self.len());
        let start = start.min(end);
        Points::new(
            self.dim,
            self.coords[start * self.dim..end * self.dim].to_vec(),
        )
    }

    /// Iterates over the points.
    pub fn rows(&self) -> impl Iterator<Item = &[f64]> {
        self.coords.chunks_exact(self.dim.max(1))
    }
}

/// Squared Euclidean distance.
#[inline]
pub fn distance2(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}
