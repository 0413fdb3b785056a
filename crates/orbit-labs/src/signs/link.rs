//! The link-prediction task: two copies of a random graph plus random cross edges, k
//! eigenvectors of the training graph's normalised Laplacian (after its zero eigenvalues), an
//! 80/10/10 edge split with fixed validation and test negatives. [`super::SignsRun`] trains the
//! models on it (negatives resampled every epoch, BCE, Adam; test AUC at the best validation
//! AUC).

use burn::tensor::{Device, Tensor, TensorData};
use orbit_math::Rng;
use orbit_math::graph::{Graph, Laplacian, Spectrum, spectrum};
use orbit_models::sign::{GraphTensors, LinkData, sample_non_edges};
use serde::{Deserialize, Serialize};

/// The random graph each copy is drawn from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BaseGraph {
    /// Erdős–Rényi G(n, p).
    Er,
    /// Barabási–Albert with `m = max(1, round(p·(n − 1)/2))` edges per new node, which gives
    /// the same mean degree as G(n, p).
    Ba,
}

impl BaseGraph {
    /// The base graph on `nodes` nodes for edge probability (or mean-degree proxy) `p`.
    pub fn sample(self, nodes: usize, p: f64, rng: &mut Rng) -> Graph {
        match self {
            BaseGraph::Er => Graph::erdos_renyi(nodes, p, rng),
            BaseGraph::Ba => {
                let m = (p * nodes.saturating_sub(1) as f64 / 2.0).round().max(1.0) as usize;
                Graph::barabasi_albert(nodes, m, rng)
            }
        }
    }
}

/// Settings of the link-prediction task.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkSettings {
    /// The base graph's kind.
    pub base: BaseGraph,
    /// Nodes of each copy.
    pub nodes: usize,
    /// Edge probability of the Erdős–Rényi base graph (for BA, it sets the mean degree).
    pub p: f64,
    /// Random edges joining the copies.
    pub cross: usize,
    /// Eigenvectors used.
    pub k: usize,
}

impl Default for LinkSettings {
    fn default() -> Self {
        Self {
            base: BaseGraph::Er,
            nodes: 200,
            p: 0.05,
            cross: 200,
            k: 8,
        }
    }
}

/// The models compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkModel {
    /// The sign-equivariant SignDSS network.
    SignDss,
    /// SignNet (sign invariant).
    SignNet,
    /// The eigenvectors as embeddings.
    DecodeOnly,
    /// GCN on constant features.
    Gcn,
    /// MLP on the raw eigenvector rows.
    Mlp,
}

impl LinkModel {
    /// Every model, in plot order.
    pub const ALL: [LinkModel; 5] = [
        LinkModel::SignDss,
        LinkModel::SignNet,
        LinkModel::DecodeOnly,
        LinkModel::Gcn,
        LinkModel::Mlp,
    ];

    /// Name in plots and reports.
    pub fn label(self) -> &'static str {
        match self {
            LinkModel::SignDss => "SignDSS",
            LinkModel::SignNet => "SignNet",
            LinkModel::DecodeOnly => "DecodeOnly",
            LinkModel::Gcn => "GCN",
            LinkModel::Mlp => "MLP",
        }
    }
}

/// Eigenvalues below this count as zero: one per connected component of the graph.
pub const ZERO_EIGENVALUE: f64 = 1e-8;

/// The `n × k` positional encoding (row-major) from a normalised Laplacian's spectrum: the
/// eigenvectors after every zero eigenvalue, smallest first. A zero eigenvalue's vectors only
/// say which component a node is in (and where the graph has several components, they are an
/// arbitrary basis of that eigenspace), so none is used; isolated nodes have eigenvalue 1 and
/// do not add zeros. Columns beyond the available vectors are zero.
pub fn positional_columns(s: &Spectrum, n: usize, k: usize) -> Vec<f32> {
    let first = s
        .values
        .iter()
        .position(|&l| l > ZERO_EIGENVALUE)
        .unwrap_or(s.values.len());
    let mut columns = vec![0f32; n * k];
    for (c, vector) in s.vectors[first..].iter().take(k).enumerate() {
        for (i, v) in vector.iter().enumerate() {
            columns[i * k + c] = *v as f32;
        }
    }
    columns
}

/// The graph, its split and the eigenvectors of its training graph.
pub struct LinkTask {
    /// The whole graph.
    pub graph: Graph,
    /// Training, validation and test edges.
    pub train: Vec<(usize, usize)>,
    /// Validation edges.
    pub val: Vec<(usize, usize)>,
    /// Test edges.
    pub test: Vec<(usize, usize)>,
    /// Fixed negatives for validation and test.
    pub val_negatives: Vec<(usize, usize)>,
    /// Test negatives.
    pub test_negatives: Vec<(usize, usize)>,
    /// `n × k` eigenvectors, row-major.
    pub eigenvectors: Vec<f32>,
    /// The training graph.
    pub train_graph: Graph,
    /// The training graph's normalised-Laplacian spectrum.
    pub spectrum: Spectrum,
}

impl LinkTask {
    /// Builds the graph and split from `seed`.
    pub fn new(settings: &LinkSettings, seed: u64) -> Self {
        let root = Rng::new(seed);
        let mut rng = root.fork("graph");
        let base = settings.base.sample(settings.nodes, settings.p, &mut rng);
        let graph = Graph::two_copies(&base, settings.cross, &mut rng);
        let mut edges = graph.edges.clone();
        root.fork("split").shuffle(&mut edges);
        let (n_train, n_val) = (edges.len() * 8 / 10, edges.len() / 10);
        let mut train = edges[..n_train].to_vec();
        let val = edges[n_train..n_train + n_val].to_vec();
        let test = edges[n_train + n_val..].to_vec();
        train.sort_unstable();
        let mut neg = root.fork("negatives");
        let val_negatives = sample_non_edges(graph.n, &graph.edges, val.len(), &mut neg);
        let test_negatives = sample_non_edges(graph.n, &graph.edges, test.len(), &mut neg);
        let train_graph = Graph::new(graph.n, train.iter().copied());
        let s = spectrum(&train_graph, Laplacian::Normalized);
        let k = settings.k.min(graph.n.saturating_sub(1));
        let eigenvectors = positional_columns(&s, graph.n, k);
        Self {
            graph,
            train,
            val,
            test,
            val_negatives,
            test_negatives,
            eigenvectors,
            train_graph,
            spectrum: s,
        }
    }

    /// The eigenvectors and training graph on `device` (and its autodiff twin).
    pub fn data(&self, k: usize, device: &Device) -> LinkData {
        let n = self.graph.n;
        let autodiff = device.clone().autodiff();
        let v =
            |d: &Device| Tensor::from_data(TensorData::new(self.eigenvectors.clone(), [n, k]), d);
        LinkData {
            v_train: v(&autodiff),
            graph_train: GraphTensors::new(&self.train_graph, &autodiff),
            v_eval: v(device),
            graph_eval: GraphTensors::new(&self.train_graph, device),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_isolated_node_or_a_second_component_adds_no_zero_column() {
        // A path 0–1–2–3 and an isolated node 4: one zero eigenvalue (the path), and the
        // isolated node's eigenvalue is 1. Two disjoint triangles: two zero eigenvalues.
        let path_and_lone = Graph::new(5, [(0, 1), (1, 2), (2, 3)]);
        let s = spectrum(&path_and_lone, Laplacian::Normalized);
        assert_eq!(
            s.values
                .iter()
                .filter(|l| l.abs() < ZERO_EIGENVALUE)
                .count(),
            1
        );
        assert!(
            s.values.iter().any(|l| (l - 1.0).abs() < 1e-12),
            "{:?}",
            s.values
        );
        let triangles = Graph::new(6, [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5)]);
        let t = spectrum(&triangles, Laplacian::Normalized);
        assert_eq!(
            t.values
                .iter()
                .filter(|l| l.abs() < ZERO_EIGENVALUE)
                .count(),
            2
        );
        for (s, n) in [(&s, 5), (&t, 6)] {
            let k = 3;
            let columns = positional_columns(s, n, k);
            let first = s.values.iter().position(|&l| l > ZERO_EIGENVALUE).unwrap();
            for c in 0..k.min(n - first) {
                let lambda = s.values[first + c];
                let v: Vec<f64> = (0..n).map(|i| f64::from(columns[i * k + c])).collect();
                assert!(lambda > ZERO_EIGENVALUE);
                let r = orbit_math::graph::residual(
                    if n == 5 { &path_and_lone } else { &triangles },
                    Laplacian::Normalized,
                    lambda,
                    &v,
                );
                assert!(r < 1e-6, "column {c}: residual {r}");
            }
        }
        // Two triangles leave 4 non-zero eigenvalues: a fifth column is zero.
        let wide = positional_columns(&t, 6, 5);
        assert!((0..6).all(|i| wide[i * 5 + 4] == 0.0));
    }

    #[test]
    fn the_barabasi_albert_base_matches_the_erdos_renyi_mean_degree() {
        let mean = |base: BaseGraph| {
            let g = base.sample(200, 0.05, &mut Rng::new(3));
            2.0 * g.edges.len() as f64 / g.n as f64
        };
        let (er, ba) = (mean(BaseGraph::Er), mean(BaseGraph::Ba));
        assert!((er - 10.0).abs() < 1.5, "ER mean degree {er}");
        assert!((ba - er).abs() < 1.5, "BA {ba} against ER {er}");
        // BA has hubs; ER does not.
        let max_degree = |base: BaseGraph| {
            let g = base.sample(200, 0.05, &mut Rng::new(3));
            g.degrees().into_iter().max().unwrap()
        };
        assert!(max_degree(BaseGraph::Ba) > 2 * max_degree(BaseGraph::Er));
    }
}
