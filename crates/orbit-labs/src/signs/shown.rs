//! The graph the eigenvector panels show: the link task's training graph, or one of the
//! classic graphs whose spectra have repeated eigenvalues (cycle, grid, hypercube), the path,
//! Zachary's karate club, or a random geometric graph.

use orbit_math::Rng;
use orbit_math::graph::{Graph, Laplacian, Spectrum, karate_club, spectrum};
use serde::{Deserialize, Serialize};

use super::SignsView;
use super::drawn::Drawing;

/// Which graph the eigenvector panels show (`graph` in links).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GraphChoice {
    /// The link-prediction task's training graph.
    Train,
    /// The cycle on 24 nodes (every non-trivial eigenvalue but one has multiplicity 2).
    Cycle,
    /// The path on 24 nodes (all eigenvalues simple).
    Path,
    /// The 6 × 6 grid (repeated eigenvalues from its two symmetric axes).
    Grid,
    /// The hypercube Q₄ (multiplicities C(4, k)).
    Hypercube,
    /// Zachary's karate club.
    Karate,
    /// A random geometric graph on 60 points.
    Geometric,
    /// The viewer's own drawing (`drawn`).
    Drawn,
}

impl GraphChoice {
    /// A few words for captions.
    pub fn describe(self) -> &'static str {
        match self {
            GraphChoice::Train => "the link task's training graph",
            GraphChoice::Cycle => "the cycle C₂₄",
            GraphChoice::Path => "the path P₂₄",
            GraphChoice::Grid => "the 6 × 6 grid",
            GraphChoice::Hypercube => "the hypercube Q₄",
            GraphChoice::Karate => "Zachary's karate club",
            GraphChoice::Geometric => "a random geometric graph (60 points, radius 0.25)",
            GraphChoice::Drawn => "your drawing",
        }
    }

    /// The graph (not for [`GraphChoice::Train`], which the run owns) with its natural drawing
    /// positions where it has them; `drawn` is the drawing's link text (a bad one draws
    /// nothing; links are checked before they get here).
    pub fn build(self, seed: u64, drawn: &str) -> (Graph, Option<Vec<[f64; 2]>>) {
        let circle = |n: usize| -> Vec<[f64; 2]> {
            (0..n)
                .map(|i| {
                    let t = std::f64::consts::TAU * i as f64 / n as f64;
                    [t.cos(), t.sin()]
                })
                .collect()
        };
        match self {
            GraphChoice::Train | GraphChoice::Cycle => (Graph::cycle(24), Some(circle(24))),
            GraphChoice::Path => (Graph::path(24), None),
            GraphChoice::Grid => {
                let positions = (0..36)
                    .map(|i| [(i % 6) as f64, -((i / 6) as f64)])
                    .collect();
                (Graph::grid(6, 6), Some(positions))
            }
            GraphChoice::Hypercube => {
                // Bits 0 and 2 across, bits 1 and 3 down, the inner square smaller.
                let positions = (0..16)
                    .map(|i: usize| {
                        let bit = |b: usize| ((i >> b) & 1) as f64;
                        [bit(0) + 2.5 * bit(2), bit(1) + 2.5 * bit(3)]
                    })
                    .collect();
                (Graph::hypercube(4), Some(positions))
            }
            GraphChoice::Karate => (karate_club(), None),
            GraphChoice::Drawn => {
                let (g, positions) = Drawing::parse(drawn).unwrap_or_default().graph();
                (g, Some(positions))
            }
            GraphChoice::Geometric => {
                let mut rng = Rng::new(seed).fork("shown geometric graph");
                let (g, points) = Graph::random_geometric(60, 0.25, &mut rng);
                (g, Some(points))
            }
        }
    }

    /// The view of this graph: its normalised-Laplacian spectrum and drawing positions.
    pub fn view(self, seed: u64, k: usize, drawn: &str) -> SignsView {
        let (graph, positions) = self.build(seed, drawn);
        let spectrum = if graph.n >= 2 {
            spectrum(&graph, Laplacian::Normalized)
        } else {
            // Nothing to decompose: a lone node is its own trivial eigenvector.
            Spectrum {
                values: vec![0.0; graph.n],
                vectors: vec![vec![1.0]; graph.n],
                clusters: (0..graph.n).map(|i| i..i + 1).collect(),
            }
        };
        SignsView {
            spectrum,
            k: k.min(graph.n.saturating_sub(1)),
            graph,
            positions,
            choice: self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shown_graph_is_connected_enough_and_has_its_known_multiplicities() {
        let all = [
            GraphChoice::Cycle,
            GraphChoice::Path,
            GraphChoice::Grid,
            GraphChoice::Hypercube,
            GraphChoice::Karate,
            GraphChoice::Geometric,
        ];
        for c in all {
            let v = c.view(1, 8, "");
            assert_eq!(v.k, 8, "{c:?} has at least 9 nodes");
            if let Some(p) = &v.positions {
                assert_eq!(p.len(), v.graph.n);
            }
        }
        assert_eq!(
            GraphChoice::Cycle.view(1, 8, "").spectrum.multiplicity(1),
            2
        );
        assert_eq!(
            GraphChoice::Hypercube
                .view(1, 8, "")
                .spectrum
                .multiplicity(1),
            4
        );
        assert_eq!(GraphChoice::Path.view(1, 8, "").spectrum.multiplicity(1), 1);
    }

    #[test]
    fn drawings_of_any_size_give_a_view() {
        for text in ["", "5.5", "5.5_20.20", "10.10_90.10_50.80~0-1_1-2_0-2"] {
            let v = GraphChoice::Drawn.view(1, 8, text);
            assert_eq!(v.spectrum.values.len(), v.graph.n);
            assert_eq!(v.k, v.graph.n.saturating_sub(1));
        }
    }
}
