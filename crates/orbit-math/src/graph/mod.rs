//! Graphs and their spectra (docs/science.md §3): seeded generators, Zachary's karate club, the
//! combinatorial and normalised Laplacians, and a symmetric eigensolver (nalgebra, f64) whose
//! eigenvalues are grouped into clusters, so that a repeated eigenvalue is reported with its
//! multiplicity rather than as distinct eigenvectors (its basis is then ambiguous, not only its
//! signs).
//!
//! ```
//! use orbit_math::graph::{Graph, Laplacian, spectrum};
//! let s = spectrum(&Graph::cycle(8), Laplacian::Combinatorial);
//! // C₈: 2 − 2cos(2πk/8), each repeated twice except k = 0 and k = 4.
//! let multiplicities: Vec<usize> = s.clusters.iter().map(|c| c.len()).collect();
//! assert_eq!(multiplicities, vec![1, 2, 2, 2, 1]);
//! ```

mod generators;
mod laplacian;
mod spectrum;

pub use generators::{Graph, karate_club};
pub use laplacian::{Laplacian, laplacian};
pub use spectrum::{CLUSTER_TOLERANCE, EigenTurn, Spectrum, clusters, residual, spectrum};
