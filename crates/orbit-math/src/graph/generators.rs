//! [`Graph`] and its seeded generators.

use serde::{Deserialize, Serialize};

use crate::Rng;

/// An undirected simple graph on nodes `0..n`: no loops, no repeated edges, each edge stored
/// once as `(i, j)` with `i < j`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Graph {
    /// Number of nodes.
    pub n: usize,
    /// The edges, `i < j`, sorted.
    pub edges: Vec<(usize, usize)>,
}

impl Graph {
    /// A graph from any edge list: loops and repeats are dropped, ends ordered and sorted.
    pub fn new(n: usize, edges: impl IntoIterator<Item = (usize, usize)>) -> Self {
        let mut edges: Vec<(usize, usize)> = edges
            .into_iter()
            .filter(|(i, j)| i != j && *i < n && *j < n)
            .map(|(i, j)| (i.min(j), i.max(j)))
            .collect();
        edges.sort_unstable();
        edges.dedup();
        Self { n, edges }
    }

    /// The neighbours of every node.
    pub fn adjacency(&self) -> Vec<Vec<usize>> {
        let mut adj = vec![Vec::new(); self.n];
        for &(i, j) in &self.edges {
            adj[i].push(j);
            adj[j].push(i);
        }
        adj
    }

    /// Degrees of the nodes.
    pub fn degrees(&self) -> Vec<usize> {
        self.adjacency().iter().map(Vec::len).collect()
    }

    /// Whether `(i, j)` is an edge.
    pub fn has_edge(&self, i: usize, j: usize) -> bool {
        self.edges.binary_search(&(i.min(j), i.max(j))).is_ok()
    }

    /// The cycle C_n.
    pub fn cycle(n: usize) -> Self {
        Self::new(n, (0..n).map(|i| (i, (i + 1) % n)))
    }

    /// The path P_n.
    pub fn path(n: usize) -> Self {
        Self::new(n, (1..n).map(|i| (i - 1, i)))
    }

    /// The `rows × cols` grid (4-neighbour lattice).
    pub fn grid(rows: usize, cols: usize) -> Self {
        let id = |r: usize, c: usize| r * cols + c;
        let mut edges = Vec::new();
        for r in 0..rows {
            for c in 0..cols {
                if c + 1 < cols {
                    edges.push((id(r, c), id(r, c + 1)));
                }
                if r + 1 < rows {
                    edges.push((id(r, c), id(r + 1, c)));
                }
            }
        }
        Self::new(rows * cols, edges)
    }

    /// The hypercube Q_d on `2^d` nodes (nodes adjacent when their bits differ in one place).
    pub fn hypercube(d: usize) -> Self {
        let n = 1usize << d;
        Self::new(
            n,
            (0..n).flat_map(|i| (0..d).map(move |b| (i, i ^ (1 << b)))),
        )
    }

    /// Erdős–Rényi G(n, p).
    pub fn erdos_renyi(n: usize, p: f64, rng: &mut Rng) -> Self {
        let mut edges = Vec::new();
        for i in 0..n {
            for j in i + 1..n {
                if rng.uniform() < p {
                    edges.push((i, j));
                }
            }
        }
        Self::new(n, edges)
    }

    /// Barabási–Albert preferential attachment: start from a clique on `m + 1` nodes, then each
    /// new node joins `m` distinct existing nodes chosen with probability proportional to degree.
    pub fn barabasi_albert(n: usize, m: usize, rng: &mut Rng) -> Self {
        let m = m.max(1);
        let start = (m + 1).min(n);
        let mut edges: Vec<(usize, usize)> = (0..start)
            .flat_map(|i| (i + 1..start).map(move |j| (i, j)))
            .collect();
        // Every edge end once: sampling an entry samples a node proportionally to its degree.
        let mut ends: Vec<usize> = edges.iter().flat_map(|&(i, j)| [i, j]).collect();
        for v in start..n {
            let mut chosen: Vec<usize> = Vec::with_capacity(m);
            while chosen.len() < m.min(v) {
                let u = if ends.is_empty() {
                    rng.below(v)
                } else {
                    ends[rng.below(ends.len())]
                };
                if !chosen.contains(&u) {
                    chosen.push(u);
                }
            }
            for u in chosen {
                edges.push((u, v));
                ends.extend([u, v]);
            }
        }
        Self::new(n, edges)
    }

    /// A random geometric graph: `n` uniform points in the unit square, joined when closer than
    /// `radius`. Returns the graph and the points.
    pub fn random_geometric(n: usize, radius: f64, rng: &mut Rng) -> (Self, Vec<[f64; 2]>) {
        let points: Vec<[f64; 2]> = (0..n).map(|_| [rng.uniform(), rng.uniform()]).collect();
        let r2 = radius * radius;
        let mut edges = Vec::new();
        for i in 0..n {
            for j in i + 1..n {
                let d2 =
                    (points[i][0] - points[j][0]).powi(2) + (points[i][1] - points[j][1]).powi(2);
                if d2 < r2 {
                    edges.push((i, j));
                }
            }
        }
        (Self::new(n, edges), points)
    }

    /// Two copies of `base` (nodes `0..n` and `n..2n`) plus `cross` random edges joining them:
    /// the link-prediction graph of docs/science.md §3.
    pub fn two_copies(base: &Graph, cross: usize, rng: &mut Rng) -> Self {
        let n = base.n;
        let mut edges = base.edges.clone();
        edges.extend(base.edges.iter().map(|&(i, j)| (i + n, j + n)));
        // Cross edges join the halves, so they never repeat an edge of a copy.
        let mut cross_edges = std::collections::BTreeSet::new();
        let mut tries = 0;
        while cross_edges.len() < cross && tries < cross * 100 && n > 0 {
            tries += 1;
            cross_edges.insert((rng.below(n), n + rng.below(n)));
        }
        edges.extend(cross_edges);
        Graph::new(2 * n, edges)
    }
}

/// Zachary's karate club (34 members, 78 friendships), shipped in `static/data/karate.txt` with
/// its attribution.
pub fn karate_club() -> Graph {
    const TEXT: &str = include_str!("../../../../static/data/karate.txt");
    let edges = TEXT
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut it = l.split_whitespace().map(|v| v.parse::<usize>().ok());
            Some((it.next()??, it.next()??))
        });
    Graph::new(34, edges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generators_have_their_textbook_sizes() {
        assert_eq!(Graph::cycle(10).edges.len(), 10);
        assert_eq!(Graph::path(10).edges.len(), 9);
        assert_eq!(Graph::grid(3, 4).edges.len(), 3 * 3 + 2 * 4);
        let q4 = Graph::hypercube(4);
        assert_eq!((q4.n, q4.edges.len()), (16, 32));
        assert!(q4.degrees().iter().all(|d| *d == 4));
        let k = karate_club();
        assert_eq!((k.n, k.edges.len()), (34, 78));
        assert_eq!(k.degrees()[33], 17);
        let mut rng = Rng::new(1);
        let ba = Graph::barabasi_albert(200, 3, &mut rng);
        assert_eq!(ba.edges.len(), 6 + 3 * (200 - 4));
        let er = Graph::erdos_renyi(200, 0.05, &mut rng);
        let expected = 0.05 * 200.0 * 199.0 / 2.0;
        assert!((er.edges.len() as f64 - expected).abs() < 0.15 * expected);
        let (rgg, points) = Graph::random_geometric(100, 0.2, &mut rng);
        assert_eq!(points.len(), 100);
        for &(i, j) in &rgg.edges {
            let d = ((points[i][0] - points[j][0]).powi(2) + (points[i][1] - points[j][1]).powi(2))
                .sqrt();
            assert!(d < 0.2);
        }
        let two = Graph::two_copies(&er, 200, &mut rng);
        assert_eq!(two.n, 400);
        assert_eq!(two.edges.len(), 2 * er.edges.len() + 200);
        assert_eq!(
            Graph::two_copies(&er, 200, &mut Rng::new(5)),
            Graph::two_copies(&er, 200, &mut Rng::new(5))
        );
    }
}
