//! Graph Laplacians as dense symmetric matrices.

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use super::Graph;

/// Which Laplacian.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Laplacian {
    /// `L = D − A`.
    Combinatorial,
    /// `L = I − D^(−1/2) A D^(−1/2)`, with `D^(−1/2)` taken as 0 at an isolated node, so that
    /// its diagonal entry is 1 and it contributes the eigenvalue 1 (the convention of the sign
    /// paper's pipeline), not a second zero eigenvalue.
    Normalized,
}

/// The Laplacian of `graph`, `n × n`.
pub fn laplacian(graph: &Graph, kind: Laplacian) -> DMatrix<f64> {
    let n = graph.n;
    let degrees = graph.degrees();
    let mut l = DMatrix::zeros(n, n);
    match kind {
        Laplacian::Combinatorial => {
            for (i, d) in degrees.iter().enumerate() {
                l[(i, i)] = *d as f64;
            }
            for &(i, j) in &graph.edges {
                l[(i, j)] = -1.0;
                l[(j, i)] = -1.0;
            }
        }
        Laplacian::Normalized => {
            for i in 0..n {
                l[(i, i)] = 1.0;
            }
            for &(i, j) in &graph.edges {
                let w = -1.0 / ((degrees[i] * degrees[j]) as f64).sqrt();
                l[(i, j)] = w;
                l[(j, i)] = w;
            }
        }
    }
    l
}
