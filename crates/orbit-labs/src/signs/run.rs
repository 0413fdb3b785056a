//! [`SignsRun`]: every link-prediction model trained side by side, one epoch per step.

use burn::tensor::{Device, Tensor, TensorData};
use orbit_math::Rng;
use orbit_math::equivariance::equivariance_error;
use orbit_math::graph::{Graph, Laplacian, Spectrum, residual};
use orbit_math::stats::auc;
use orbit_models::Yielder;
use orbit_models::sign::{
    DecodeOnly, Gcn, GcnConfig, GraphTensors, LinkData, LinkPredictor, LinkTrainer, NodeEmbedder,
    RowMlp, RowMlpConfig, SignDss, SignDssConfig, SignNet, SignNetConfig, sample_non_edges,
};
use serde::{Deserialize, Serialize};

use super::cloud::{CloudLab, CloudView};
use super::link::{LinkModel, LinkTask};
use super::shown::GraphChoice;
use super::{CLOUD_STEPS_PER_EPOCH, SignsSettings};
use std::any::Any;
use std::sync::Arc;

use super::SignsPanels;
use crate::lab::{LabRun, LabView, LocalFuture};
use crate::metrics::Metrics;
use crate::outcome::{Due, RunError, StepOutcome, check_loss};

/// A trainer of any of the compared models.
enum Trainer {
    SignDss(Box<LinkTrainer<SignDss>>),
    SignNet(Box<LinkTrainer<SignNet>>),
    DecodeOnly(Box<LinkTrainer<DecodeOnly>>),
    Gcn(Box<LinkTrainer<Gcn>>),
    Mlp(Box<LinkTrainer<RowMlp>>),
}

fn trainer<M: NodeEmbedder>(m: M, lr: f64, device: &Device) -> Box<LinkTrainer<M>> {
    Box::new(LinkTrainer::new(
        LinkPredictor::new(m, &device.clone().autodiff()),
        lr,
    ))
}

macro_rules! each {
    ($t:expr, $x:ident => $body:expr) => {
        match $t {
            Trainer::SignDss($x) => $body,
            Trainer::SignNet($x) => $body,
            Trainer::DecodeOnly($x) => $body,
            Trainer::Gcn($x) => $body,
            Trainer::Mlp($x) => $body,
        }
    };
}

struct Member {
    model: LinkModel,
    trainer: Trainer,
    best_val: f64,
    test_auc: f64,
    last_val: f64,
}

impl Member {
    fn weights_name(&self) -> String {
        self.model.label().to_lowercase()
    }
}

/// What the eigenvector panels draw: a graph and its spectrum.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignsView {
    /// Which graph this is.
    pub choice: GraphChoice,
    /// The graph (for the training graph, the split's training edges).
    pub graph: Graph,
    /// Its normalised-Laplacian spectrum.
    pub spectrum: Spectrum,
    /// Eigenvectors given to the models.
    pub k: usize,
    /// Natural drawing positions, where the graph has them (else a spectral layout).
    pub positions: Option<Vec<[f64; 2]>>,
}

impl SignsView {
    /// This view with only the eigenvectors a drawing of it uses: `v0 … vk`, and at least
    /// `v0, v1, v2` (the spectral layout's axes); every eigenvalue stays. The whole basis of the
    /// default 400-node training graph is 160,000 numbers, which the page decoded at every
    /// report (30–90 ms of its main thread in a Chrome trace); the drawing needs `k + 1` of
    /// the 400 vectors.
    pub fn for_drawing(&self) -> SignsView {
        let kept = (self.k + 1).max(3).min(self.spectrum.vectors.len());
        SignsView {
            choice: self.choice,
            graph: self.graph.clone(),
            spectrum: Spectrum {
                values: self.spectrum.values.clone(),
                vectors: self.spectrum.vectors[..kept].to_vec(),
                clusters: self.spectrum.clusters.clone(),
            },
            k: self.k,
            positions: self.positions.clone(),
        }
    }
}

/// A turn inside a repeated eigenspace, as applied to the panel's eigenvectors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TurnInfo {
    /// The pair of eigenvectors turned (1-based like `vec`).
    pub pair: (usize, usize),
    /// The angle, degrees.
    pub degrees: f64,
    /// `max|Lv' − λv'|` over the turned pair: they are eigenvectors still.
    pub residual: f64,
}

/// One model's response to a sign flip of its input eigenvectors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlipRow {
    /// The model.
    pub model: LinkModel,
    /// `max|f(VS) − f(V)| / max|f(V)|`: 0 for a sign-invariant model.
    pub invariance_error: f64,
    /// `max|f(VS) − f(V)S| / max|f(V)|`: 0 for a sign-equivariant model.
    pub equivariance_error: f64,
    /// Column `vec` of `f(VS)`, one value per node.
    pub column: Vec<f64>,
}

/// SignDSS, SignNet and the MLP under the flips `S` (and the eigenspace turn `T`) the viewer
/// chose, on the shown graph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlipPanel {
    /// The flips, one sign per eigenvector.
    pub signs: Vec<f32>,
    /// The turn, when the shown eigenvector's eigenvalue is repeated and the angle is not 0.
    pub turn: Option<TurnInfo>,
    /// The shown eigenvector after the turn and flip, one value per node.
    pub shown: Vec<f64>,
    /// The column shown (0-based).
    pub column: usize,
    /// One row per model.
    pub rows: Vec<FlipRow>,
}

/// A sign-flip-lab run.
pub struct SignsRun {
    settings: SignsSettings,
    task: LinkTask,
    data: LinkData,
    members: Vec<Member>,
    rng: Rng,
    steps: usize,
    view: Arc<SignsView>,
    shown: Arc<SignsView>,
    shown_tensors: GraphTensors,
    shown_key: (GraphChoice, String),
    seed: u64,
    cloud: CloudLab,
    yielder: Option<Yielder>,
}

impl SignsRun {
    /// Builds the graph, the split, the eigenvectors and every model from `seed`.
    pub fn new(settings: &SignsSettings, seed: u64, device: &Device) -> Self {
        let link = settings.link();
        let task = LinkTask::new(&link, seed);
        let k = task.eigenvectors.len() / task.graph.n.max(1);
        let data = task.data(k, device);
        let shown_tensors = data.graph_eval.clone();
        let ad = device.clone().autodiff();
        let lr = settings.lr;
        let members = LinkModel::ALL
            .iter()
            .map(|&model| {
                let trainer = match model {
                    LinkModel::SignDss => {
                        Trainer::SignDss(trainer(SignDssConfig::new(k).init(seed, &ad), lr, device))
                    }
                    LinkModel::SignNet => Trainer::SignNet(trainer(
                        SignNetConfig::new(k, k).init(seed, &ad),
                        lr,
                        device,
                    )),
                    LinkModel::DecodeOnly => {
                        Trainer::DecodeOnly(trainer(DecodeOnly::new(k, &ad), lr, device))
                    }
                    LinkModel::Gcn => {
                        Trainer::Gcn(trainer(GcnConfig::new(32).init(seed, &ad), lr, device))
                    }
                    LinkModel::Mlp => {
                        Trainer::Mlp(trainer(RowMlpConfig::new(k, k).init(seed, &ad), lr, device))
                    }
                };
                Member {
                    model,
                    trainer,
                    best_val: f64::NEG_INFINITY,
                    test_auc: 0.5,
                    last_val: 0.5,
                }
            })
            .collect();
        let view = Arc::new(SignsView {
            choice: GraphChoice::Train,
            spectrum: task.spectrum.clone(),
            graph: task.train_graph.clone(),
            k,
            positions: None,
        });
        Self {
            settings: settings.clone(),
            task,
            data,
            members,
            rng: Rng::new(seed).fork("epoch negatives"),
            steps: 0,
            shown: view.clone(),
            shown_tensors,
            shown_key: (GraphChoice::Train, String::new()),
            view,
            seed,
            cloud: CloudLab::new(settings.dim, settings.lr, seed, device),
            yielder: None,
        }
    }

    /// Awaits `yielder` after the link epoch and between the O(d) minibatches of a step.
    pub fn set_yielder(&mut self, yielder: Yielder) {
        self.yielder = Some(yielder);
    }

    async fn pause(&self) {
        if let Some(y) = &self.yielder {
            y().await;
        }
    }

    /// The O(d) task's shown cloud turned by `turn` degrees, with every model's arrows.
    pub async fn cloud_view(&self, turn: f64) -> Result<CloudView, RunError> {
        self.cloud.view(turn).await
    }

    /// The training graph and its spectrum.
    pub fn view(&self) -> &SignsView {
        &self.view
    }

    /// Shows `choice` in the eigenvector panels, `drawn` being the drawing's link text (a
    /// spectrum is computed once per graph, when it is first shown).
    pub fn select_graph(&mut self, choice: GraphChoice, drawn: &str) -> &Arc<SignsView> {
        let key = (
            choice,
            if choice == GraphChoice::Drawn {
                drawn.to_string()
            } else {
                String::new()
            },
        );
        if self.shown_key != key {
            self.shown = if choice == GraphChoice::Train {
                self.view.clone()
            } else {
                Arc::new(choice.view(self.seed, self.view.k, drawn))
            };
            if self.shown.graph.n > 0 {
                self.shown_tensors =
                    GraphTensors::new(&self.shown.graph, &self.data.v_eval.device());
            }
            self.shown_key = key;
        }
        &self.shown
    }

    /// Steps (epochs) taken.
    pub fn steps(&self) -> usize {
        self.steps
    }

    async fn evaluate(&mut self) -> Result<(), RunError> {
        let val: Vec<(usize, usize)> = self
            .task
            .val
            .iter()
            .chain(&self.task.val_negatives)
            .copied()
            .collect();
        let test: Vec<(usize, usize)> = self
            .task
            .test
            .iter()
            .chain(&self.task.test_negatives)
            .copied()
            .collect();
        let (nv, nt) = (self.task.val.len(), self.task.test.len());
        for m in &mut self.members {
            let s = each!(&m.trainer, t => t.scores(&self.data, &val).await?);
            let v = auc(&s[..nv], &s[nv..]).unwrap_or(0.5);
            m.last_val = v;
            if v > m.best_val {
                m.best_val = v;
                let s = each!(&m.trainer, t => t.scores(&self.data, &test).await?);
                m.test_auc = auc(&s[..nt], &s[nt..]).unwrap_or(0.5);
            }
        }
        Ok(())
    }

    /// How SignDSS, SignNet and the MLP respond on the shown graph to the sign flips `flips`
    /// (bit `c` flips eigenvector `c + 1`) and, where eigenvector `vec` (1-based, also the
    /// output column shown) has a repeated eigenvalue, to a turn by `degrees` inside its
    /// eigenspace: `V ↦ VM` with `M = T·S`.
    pub async fn flip_panel(
        &self,
        flips: u64,
        vec: usize,
        degrees: f64,
    ) -> Result<FlipPanel, RunError> {
        let shown = &self.shown;
        // The models take the training run's k columns; a small graph has fewer eigenvectors,
        // and the missing columns are zero.
        let (n, k, available) = (shown.graph.n, self.view.k, shown.k);
        let signs: Vec<f32> = (0..k)
            .map(|c| if flips >> c & 1 == 1 { -1.0 } else { 1.0 })
            .collect();
        let column = vec.clamp(1, k.max(1)) - 1;
        // M = T·S, row-major k × k; V's column c is eigenvector c + 1.
        let mut m = vec![0f64; k * k];
        for c in 0..k {
            m[c * k + c] = 1.0;
        }
        let turn = shown
            .spectrum
            .turn(column + 1, degrees.to_radians())
            .filter(|t| t.pair.0 >= 1 && t.pair.1 <= available && degrees != 0.0)
            .map(|t| {
                let (a, b) = (t.pair.0 - 1, t.pair.1 - 1);
                let (sin, cos) = degrees.to_radians().sin_cos();
                m[a * k + a] = cos;
                m[b * k + a] = sin;
                m[a * k + b] = -sin;
                m[b * k + b] = cos;
                let lambda = shown.spectrum.values[t.pair.0];
                let residual = t
                    .vectors
                    .iter()
                    .map(|v| residual(&shown.graph, Laplacian::Normalized, lambda, v))
                    .fold(0.0, f64::max);
                TurnInfo {
                    pair: t.pair,
                    degrees,
                    residual,
                }
            });
        for r in 0..k {
            for (c, s) in signs.iter().enumerate() {
                m[r * k + c] *= f64::from(*s);
            }
        }
        let v: Vec<f64> = (0..n)
            .flat_map(|i| {
                (0..k).map(move |c| {
                    if c < available {
                        shown.spectrum.vectors[c + 1][i]
                    } else {
                        0.0
                    }
                })
            })
            .collect();
        let times_m = |z: &[f32]| -> Vec<f32> {
            z.chunks(k)
                .flat_map(|row| {
                    (0..k).map(|c| {
                        (0..k)
                            .map(|r| f64::from(row[r]) * m[r * k + c])
                            .sum::<f64>() as f32
                    })
                })
                .collect()
        };
        let v32: Vec<f32> = v.iter().map(|&x| x as f32).collect();
        let vm = times_m(&v32);
        let device = self.data.v_eval.device();
        let tensor =
            |values: Vec<f32>| Tensor::<2>::from_data(TensorData::new(values, [n, k]), &device);
        let g = &self.shown_tensors;
        let mut rows = Vec::new();
        // A graph of fewer than two nodes has nothing to show.
        let members = if available == 0 {
            &[][..]
        } else {
            &self.members[..]
        };
        for member in members {
            if !matches!(
                member.model,
                LinkModel::SignDss | LinkModel::SignNet | LinkModel::Mlp
            ) {
                continue;
            }
            let (z0, width) =
                each!(&member.trainer, t => t.embeddings(tensor(v32.clone()), g).await?);
            let (z1, _) = each!(&member.trainer, t => t.embeddings(tensor(vm.clone()), g).await?);
            let expected = if width == k { times_m(&z0) } else { z0.clone() };
            let wide = |z: &[f32]| -> Vec<f64> { z.iter().map(|&x| f64::from(x)).collect() };
            let (f_x, f_mx) = (wide(&z0), wide(&z1));
            let col = column.min(width - 1);
            rows.push(FlipRow {
                model: member.model,
                // Invariance is equivariance with the output left alone.
                invariance_error: equivariance_error(&f_mx, &f_x, &f_x),
                equivariance_error: equivariance_error(&f_mx, &wide(&expected), &f_x),
                column: z1
                    .iter()
                    .skip(col)
                    .step_by(width)
                    .map(|x| f64::from(*x))
                    .collect(),
            });
        }
        Ok(FlipPanel {
            signs,
            turn,
            shown: vm
                .iter()
                .skip(column)
                .step_by(k.max(1))
                .map(|&x| f64::from(x))
                .collect(),
            column,
            rows,
        })
    }

    /// Validation AUC now and test AUC at the best validation AUC, per model.
    pub async fn report(&mut self) -> Result<Metrics, RunError> {
        self.evaluate().await?;
        let mut m = Metrics::new(self.steps);
        for member in &self.members {
            let key = member.model.label().to_lowercase();
            m = m
                .with(&format!("{key}_val_auc"), member.last_val)
                .with(&format!("{key}_test_auc"), member.test_auc);
        }
        self.pause().await;
        for (id, aligned, turned) in self.cloud.errors().await? {
            m = m
                .with(&format!("od_{}_aligned", id.key()), aligned)
                .with(&format!("od_{}_turned", id.key()), turned);
        }
        Ok(m)
    }

    /// One epoch of every model on the same freshly sampled negatives.
    pub async fn step(&mut self) -> Result<StepOutcome, RunError> {
        let negatives = sample_non_edges(
            self.task.graph.n,
            &self.task.train,
            self.task.train.len(),
            &mut self.rng,
        );
        let mut losses = Vec::new();
        for m in &mut self.members {
            let loss =
                each!(&mut m.trainer, t => t.step(&self.data, &self.task.train, &negatives).await?);
            losses.push((
                m.model.label().to_string(),
                check_loss(self.steps + 1, f64::from(loss))?,
            ));
        }
        // The O(d) models' losses on the epoch's last minibatch.
        let mut cloud_losses = Vec::new();
        for _ in 0..CLOUD_STEPS_PER_EPOCH {
            self.pause().await;
            cloud_losses = self.cloud.step(self.steps + 1).await?;
        }
        losses.extend(cloud_losses);
        self.steps += 1;
        let due = Due::at(self.steps, self.settings.steps, self.settings.eval);
        due.outcome(losses, async || self.report().await).await
    }
}

impl LabRun for SignsRun {
    fn step(&mut self) -> LocalFuture<'_, Result<StepOutcome, RunError>> {
        Box::pin(SignsRun::step(self))
    }

    fn report(&mut self) -> LocalFuture<'_, Result<Metrics, RunError>> {
        Box::pin(SignsRun::report(self))
    }

    fn steps(&self) -> usize {
        self.steps
    }

    fn set_yielder(&mut self, yielder: Yielder) {
        SignsRun::set_yielder(self, yielder);
    }

    fn saves_weights(&self) -> bool {
        true
    }

    /// The five link predictors by their metric key (`signdss`, …) and the O(d) models
    /// (`od-equivariant`, …).
    fn weights(&self) -> Result<crate::lab::ModelWeights, String> {
        let mut out = self
            .members
            .iter()
            .map(|m| Ok((m.weights_name(), each!(&m.trainer, t => t.weights()?))))
            .collect::<Result<crate::lab::ModelWeights, String>>()?;
        out.extend(self.cloud.weights()?);
        Ok(out)
    }

    fn load_weights(&mut self, models: &[(String, Vec<u8>)], step: usize) -> Result<(), String> {
        // Check every model before changing any, so a bad file leaves the run as it was.
        for m in &self.members {
            let bytes = crate::weights::model(models, &m.weights_name())?;
            each!(&m.trainer, t => t.check_weights(bytes)?);
        }
        self.cloud.check_weights(models)?;
        for m in &mut self.members {
            let bytes = crate::weights::model(models, &m.weights_name())?;
            each!(&mut m.trainer, t => t.load_weights(bytes, step)?);
            // The test AUC is again the one at the best validation AUC from here on.
            m.best_val = f64::NEG_INFINITY;
        }
        self.cloud.load_weights(models, step)?;
        self.steps = step;
        Ok(())
    }

    /// The shown graph (the same shared value until the graph choice changes), the flip panel
    /// and the O(d) cloud for the view knobs.
    fn view<'a>(
        &'a mut self,
        settings: &'a (dyn Any + Send + Sync),
    ) -> LocalFuture<'a, Result<Option<LabView>, RunError>> {
        Box::pin(async move {
            let Some(s) = settings.downcast_ref::<SignsSettings>() else {
                return Ok(None);
            };
            let shown = Arc::new(self.select_graph(s.graph, &s.drawn).for_drawing());
            let flip = self.flip_panel(s.flips, s.vec, s.rot).await?;
            let cloud = self.cloud_view(s.turn).await?;
            let view: LabView = Arc::new(SignsPanels { shown, flip, cloud });
            Ok(Some(view))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_for_drawing_keeps_every_eigenvalue_and_the_eigenvectors_a_drawing_uses() {
        for (choice, k) in [
            (GraphChoice::Cycle, 8),
            (GraphChoice::Grid, 1),
            (GraphChoice::Path, 5),
        ] {
            let whole = choice.view(1, k, "");
            let drawn = whole.for_drawing();
            assert_eq!(drawn.spectrum.values, whole.spectrum.values);
            assert_eq!(drawn.spectrum.clusters, whole.spectrum.clusters);
            assert_eq!(
                (drawn.k, &drawn.graph, &drawn.positions),
                (whole.k, &whole.graph, &whole.positions)
            );
            let kept = (whole.k + 1).max(3).min(whole.graph.n);
            assert_eq!(drawn.spectrum.vectors.len(), kept, "{choice:?}");
            assert!(
                kept < whole.spectrum.vectors.len(),
                "{choice:?}: something is left out"
            );
            assert_eq!(drawn.spectrum.vectors[..], whole.spectrum.vectors[..kept]);
        }
    }

    #[test]
    fn a_short_run_reports_every_model_and_repeats_by_seed() {
        let settings = SignsSettings {
            steps: 20,
            ..SignsSettings::default()
        };
        let run = |seed| {
            let mut r = SignsRun::new(&settings, seed, &Device::flex());
            loop {
                let out = pollster::block_on(r.step()).unwrap();
                assert_eq!(out.losses.len(), 5 + 4);
                if out.finished {
                    break out.report.unwrap();
                }
            }
        };
        let a = run(1);
        for key in ["signdss", "signnet", "decodeonly", "gcn", "mlp"] {
            let v = a.get(&format!("{key}_test_auc")).unwrap();
            assert!((0.0..=1.0).contains(&v), "{key}: {v}");
        }
        assert_eq!(a, run(1));
    }

    /// Under a flip, SignDSS's output flips with it exactly, SignNet's does not change, and the
    /// MLP's does neither.
    #[test]
    fn the_flip_panel_measures_each_models_symmetry() {
        let settings = SignsSettings {
            steps: 5,
            ..SignsSettings::default()
        };
        let mut run = SignsRun::new(&settings, 1, &Device::flex());
        for _ in 0..5 {
            pollster::block_on(run.step()).unwrap();
        }
        let panel = pollster::block_on(run.flip_panel(0b101, 1, 0.0)).unwrap();
        assert_eq!(panel.signs[..3], [-1.0, 1.0, -1.0]);
        let row = |m| panel.rows.iter().find(|r| r.model == m).unwrap();
        assert!(row(LinkModel::SignDss).equivariance_error < 1e-7);
        assert!(row(LinkModel::SignDss).invariance_error > 1e-3);
        assert!(row(LinkModel::SignNet).invariance_error < 1e-7);
        let mlp = row(LinkModel::Mlp);
        assert!(mlp.invariance_error > 1e-3 && mlp.equivariance_error > 1e-3);
        assert_eq!(row(LinkModel::SignDss).column.len(), 400);
    }

    /// On other graphs too: sign flips are handled exactly, while a turn inside a repeated
    /// eigenspace (the cycle's λ1 = λ2) is a symmetry none of the three models has.
    #[test]
    fn a_turn_inside_an_eigenspace_is_not_a_sign_flip() {
        let settings = SignsSettings {
            steps: 3,
            ..SignsSettings::default()
        };
        let mut run = SignsRun::new(&settings, 1, &Device::flex());
        for _ in 0..3 {
            pollster::block_on(run.step()).unwrap();
        }
        let row = |p: &FlipPanel, m| p.rows.iter().find(|r| r.model == m).unwrap().clone();
        assert_eq!(run.select_graph(GraphChoice::Karate, "").graph.n, 34);
        let flipped = pollster::block_on(run.flip_panel(0b110, 2, 0.0)).unwrap();
        assert!(
            flipped.turn.is_none(),
            "the karate club's spectrum is simple here"
        );
        assert!(row(&flipped, LinkModel::SignDss).equivariance_error < 1e-6);
        assert!(row(&flipped, LinkModel::SignNet).invariance_error < 1e-6);

        assert_eq!(run.select_graph(GraphChoice::Cycle, "").graph.n, 24);
        let turned = pollster::block_on(run.flip_panel(0, 1, 40.0)).unwrap();
        let turn = turned.turn.clone().expect("λ1 = λ2 on the cycle");
        assert_eq!(turn.pair, (1, 2));
        assert!(
            turn.residual < 1e-12,
            "turned vectors are eigenvectors: {}",
            turn.residual
        );
        assert!(row(&turned, LinkModel::SignDss).equivariance_error > 1e-3);
        assert!(row(&turned, LinkModel::SignNet).invariance_error > 1e-3);
        // The shown vector is v1' = cos 40°·v1 + sin 40°·v2.
        let s = &run.select_graph(GraphChoice::Cycle, "").spectrum;
        let (sin, cos) = 40f64.to_radians().sin_cos();
        for (i, x) in turned.shown.iter().enumerate() {
            assert!((x - (cos * s.vectors[1][i] + sin * s.vectors[2][i])).abs() < 1e-6);
        }

        // A drawing smaller than k + 1 nodes: the missing eigenvectors are zero columns.
        let square = "10.10_90.10_90.90_10.90~0-1_1-2_2-3_0-3_0-2";
        assert_eq!(run.select_graph(GraphChoice::Drawn, square).k, 3);
        let drawn = pollster::block_on(run.flip_panel(0b1, 1, 0.0)).unwrap();
        assert_eq!(drawn.shown.len(), 4);
        assert!(row(&drawn, LinkModel::SignDss).equivariance_error < 1e-6);
        // An empty drawing shows nothing and breaks nothing.
        assert_eq!(run.select_graph(GraphChoice::Drawn, "").graph.n, 0);
        let empty = pollster::block_on(run.flip_panel(0b1, 1, 30.0)).unwrap();
        assert!(empty.rows.is_empty() && empty.shown.is_empty());
    }

    /// The lab's claim (docs/science.md §3): on two copies of a random graph, SignDSS beats
    /// DecodeOnly, which beats the GCN, in test AUC at the best validation AUC (checked on
    /// seeds 1–4 when written; the test pins seed 1).
    #[test]
    fn sign_dss_beats_decode_only_which_beats_the_gcn() {
        let settings = SignsSettings {
            eval: 1,
            ..SignsSettings::default()
        };
        let mut run = SignsRun::new(&settings, 1, &Device::flex());
        assert_eq!(run.view().graph.n, 400);
        let last = loop {
            let out = pollster::block_on(run.step()).unwrap();
            if out.finished {
                break out.report.unwrap();
            }
        };
        eprintln!("{}", last.to_json_line());
        let auc = |key: &str| last.get(&format!("{key}_test_auc")).unwrap();
        assert!(auc("signdss") > auc("decodeonly"), "{last:?}");
        assert!(auc("decodeonly") > auc("gcn"), "{last:?}");
    }
}
