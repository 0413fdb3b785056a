//! Link prediction with node embeddings: a [`LinkPredictor`] scores a pair `(i, j)` as
//! `α·⟨z_i, z_j⟩ + β`, and a [`LinkTrainer`] fits it with Adam and binary cross-entropy on
//! positive edges against freshly sampled negatives.

use burn::module::{Module, Param};
use burn::nn::loss::BinaryCrossEntropyLossConfig;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, ExecutionError, Int, Tensor, TensorData};
use orbit_math::Rng;

use super::{Gcn, GraphTensors, RowMlp, SignDss, SignNet, pair_scores};

/// A model that maps eigenvectors `[n, k]` on a graph to node embeddings `[n, d]`.
pub trait NodeEmbedder: Module + burn::module::ModuleDisplay + 'static {
    /// # Shapes
    /// - `v`: `[n, k]`; output `[n, d]`
    fn embed(&self, v: Tensor<2>, graph: &GraphTensors) -> Tensor<2>;
}

impl NodeEmbedder for SignDss {
    fn embed(&self, v: Tensor<2>, graph: &GraphTensors) -> Tensor<2> {
        self.forward(v, graph)
    }
}

impl NodeEmbedder for SignNet {
    fn embed(&self, v: Tensor<2>, graph: &GraphTensors) -> Tensor<2> {
        self.forward(v, graph)
    }
}

impl NodeEmbedder for Gcn {
    fn embed(&self, _v: Tensor<2>, graph: &GraphTensors) -> Tensor<2> {
        self.forward(graph)
    }
}

impl NodeEmbedder for RowMlp {
    fn embed(&self, v: Tensor<2>, _graph: &GraphTensors) -> Tensor<2> {
        self.forward(v)
    }
}

/// DecodeOnly: `Z = V·diag(w)`, the eigenvectors themselves with one learned weight per column
/// (sign equivariant: a diagonal map commutes with sign flips).
#[derive(Module, Debug)]
pub struct DecodeOnly {
    /// Column weights, starting at 1.
    pub weights: Param<Tensor<1>>,
}

impl DecodeOnly {
    /// Weights 1 for `k` columns.
    pub fn new(k: usize, device: &Device) -> Self {
        Self {
            weights: Param::from_data(TensorData::new(vec![1f32; k], [k]), device),
        }
    }
}

impl NodeEmbedder for DecodeOnly {
    fn embed(&self, v: Tensor<2>, _graph: &GraphTensors) -> Tensor<2> {
        v * self.weights.val().unsqueeze::<2>()
    }
}

/// An embedder with the dot-product decoder `α·⟨z_i, z_j⟩ + β`.
#[derive(Module, Debug)]
pub struct LinkPredictor<M: NodeEmbedder> {
    /// The node embedder.
    pub embedder: M,
    /// Decoder scale α (starts at 1).
    pub alpha: Param<Tensor<1>>,
    /// Decoder offset β (starts at 0).
    pub beta: Param<Tensor<1>>,
}

impl<M: NodeEmbedder> LinkPredictor<M> {
    /// Wraps `embedder` with α = 1, β = 0.
    pub fn new(embedder: M, device: &Device) -> Self {
        Self {
            embedder,
            alpha: Param::from_data(TensorData::new(vec![1f32], [1]), device),
            beta: Param::from_data(TensorData::new(vec![0f32], [1]), device),
        }
    }

    /// Logits of the pairs.
    ///
    /// # Shapes
    /// - `v`: `[n, k]`; output `[pairs]`
    pub fn logits(
        &self,
        v: Tensor<2>,
        graph: &GraphTensors,
        pairs: &[(usize, usize)],
    ) -> Tensor<1> {
        let z = self.embedder.embed(v, graph);
        pair_scores(z, pairs) * self.alpha.val() + self.beta.val()
    }
}

/// What a link trainer trains on: eigenvectors of the training graph and the graph itself, on
/// the autodiff device and on the plain device.
#[derive(Clone, Debug)]
pub struct LinkData {
    /// Eigenvectors `[n, k]` for training.
    pub v_train: Tensor<2>,
    /// The training graph for training.
    pub graph_train: GraphTensors,
    /// Eigenvectors `[n, k]` for evaluation.
    pub v_eval: Tensor<2>,
    /// The training graph for evaluation.
    pub graph_eval: GraphTensors,
}

/// Fits a [`LinkPredictor`] with Adam on positive edges against uniformly sampled non-edges.
pub struct LinkTrainer<M: NodeEmbedder> {
    predictor: LinkPredictor<M>,
    optimizer: ModuleOptimizer,
    learning_rate: f64,
    steps: usize,
}

impl<M: NodeEmbedder> LinkTrainer<M> {
    /// A trainer for `predictor` (built on the autodiff device).
    pub fn new(predictor: LinkPredictor<M>, learning_rate: f64) -> Self {
        Self {
            predictor,
            optimizer: AdamConfig::new().init(),
            learning_rate,
            steps: 0,
        }
    }

    /// One full-batch step on `positives` against `negatives`; returns the loss.
    pub async fn step(
        &mut self,
        data: &LinkData,
        positives: &[(usize, usize)],
        negatives: &[(usize, usize)],
    ) -> Result<f32, ExecutionError> {
        let device = data.v_train.device();
        let pairs: Vec<(usize, usize)> = positives.iter().chain(negatives).copied().collect();
        let labels: Vec<i64> = positives
            .iter()
            .map(|_| 1)
            .chain(negatives.iter().map(|_| 0))
            .collect();
        let targets = Tensor::<1, Int>::from_data(TensorData::new(labels, [pairs.len()]), &device);
        let logits = self
            .predictor
            .logits(data.v_train.clone(), &data.graph_train, &pairs);
        let loss = BinaryCrossEntropyLossConfig::new()
            .with_logits(true)
            .init(&device)
            .forward(logits, targets);
        let grads = GradientsParams::from_grads(loss.backward(), &self.predictor);
        let predictor = self.predictor.clone();
        self.predictor = self.optimizer.step(self.learning_rate, predictor, grads);
        self.steps += 1;
        loss.into_scalar_async::<f32>().await
    }

    /// Scores of `pairs` by the current model on the plain device.
    pub async fn scores(
        &self,
        data: &LinkData,
        pairs: &[(usize, usize)],
    ) -> Result<Vec<f32>, ExecutionError> {
        let model = self.predictor.valid();
        let logits = model.logits(data.v_eval.clone(), &data.graph_eval, pairs);
        let values = logits.into_data_async().await?;
        Ok(values.iter::<f32>().collect())
    }

    /// Node embeddings of the current model for eigenvectors `v` (plain device), row-major,
    /// with their width.
    pub async fn embeddings(
        &self,
        v: Tensor<2>,
        graph: &GraphTensors,
    ) -> Result<(Vec<f32>, usize), ExecutionError> {
        let z = self.predictor.valid().embedder.embed(v, graph);
        let width = z.dims()[1];
        let values = z.into_data_async().await?;
        Ok((values.iter::<f32>().collect(), width))
    }

    /// Steps taken.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// The predictor's parameters as bytes (see [`crate::record`]).
    pub fn weights(&self) -> Result<Vec<u8>, String> {
        crate::record::module_to_bytes(&self.predictor)
    }

    /// Whether `bytes` are weights of this very architecture (the check
    /// [`Self::load_weights`] makes, without loading).
    pub fn check_weights(&self, bytes: &[u8]) -> Result<(), String> {
        crate::record::module_from_bytes(self.predictor.clone(), bytes).map(|_| ())
    }

    /// Continues from saved weights (shapes are checked): the step count becomes `steps` and
    /// Adam's moment estimates start afresh.
    pub fn load_weights(&mut self, bytes: &[u8], steps: usize) -> Result<(), String> {
        self.predictor = crate::record::module_from_bytes(self.predictor.clone(), bytes)?;
        self.optimizer = AdamConfig::new().init();
        self.steps = steps;
        Ok(())
    }
}

/// `count` uniformly random node pairs `(i < j)` that are not in `edges` (sorted).
pub fn sample_non_edges(
    n: usize,
    edges: &[(usize, usize)],
    count: usize,
    rng: &mut Rng,
) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(count);
    let mut tries = 0;
    while out.len() < count && tries < count * 50 && n > 1 {
        tries += 1;
        let (a, b) = (rng.below(n), rng.below(n));
        if a == b {
            continue;
        }
        let pair = (a.min(b), a.max(b));
        if edges.binary_search(&pair).is_err() {
            out.push(pair);
        }
    }
    out
}
