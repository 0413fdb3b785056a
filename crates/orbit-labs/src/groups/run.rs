//! A run of the group-action lab: every compared model trains on the same batches; reports
//! carry each model's accuracy on upright, rotated and mirrored test digits and its live
//! equivariance error.

use burn::module::Module;
use burn::tensor::Device;
use orbit_math::group::{Element, Group};
use orbit_models::classifier::evaluate_yielding;
use orbit_models::equivariance::{Trivial, equivariance_error};
use orbit_models::gcnn::action::{GridAction, Layout};
use orbit_models::{
    ClassifierTrainer, GroupCnn, GroupCnnConfig, ImageClassifier, ImageSet, TrainSettings, Yielder,
};

use std::any::Any;
use std::sync::Arc;

use super::{Family, GroupsPanels, GroupsSettings, features};
use crate::data::digits_split;
use crate::lab::{LabRun, LabView, LocalFuture};
use crate::metrics::Metrics;
use crate::outcome::{Due, RunError, StepOutcome, check_loss};

/// Test images whose logits probe the equivariance error at every report.
const PROBE_IMAGES: usize = 16;

/// One model of the comparison.
pub(super) struct Member {
    pub(super) family: Family,
    pub(super) config: GroupCnnConfig,
    pub(super) trainer: ClassifierTrainer<GroupCnn>,
    losses: Vec<f64>,
    predictions: Vec<u8>,
}

/// A group-action lab run in progress.
pub struct GroupsRun {
    pub(super) settings: GroupsSettings,
    pub(super) members: Vec<Member>,
    pub(super) test: ImageSet,
    rotated: ImageSet,
    dihedral: ImageSet,
    pub(super) device: Device,
    yielder: Option<Yielder>,
    /// `(TwoNN, MLE)` of the raw pixels of the feature sample (computed at the first report).
    pixel_dimension: Option<(f64, f64)>,
}

impl GroupsRun {
    /// Builds the split and one model per compared family, all from `seed`.
    pub fn new(settings: &GroupsSettings, seed: u64, device: &Device) -> Self {
        let split = digits_split(seed, settings.data.value());
        let autodiff = device.clone().autodiff();
        let members = settings
            .compare
            .families()
            .into_iter()
            .map(|family| {
                let fields = family.fields_for_budget(settings.fields, settings.layers);
                let config = family.config(fields, settings.layers, settings.pool);
                let model = config.init(seed, &autodiff);
                let train = TrainSettings {
                    learning_rate: settings.lr,
                    batch_size: settings.batch,
                    augment: settings.augment.group(),
                };
                Member {
                    family,
                    config,
                    trainer: ClassifierTrainer::new(
                        model,
                        split.train.clone(),
                        train,
                        seed,
                        device,
                    ),
                    losses: Vec::new(),
                    predictions: Vec::new(),
                }
            })
            .collect();
        Self {
            settings: settings.clone(),
            members,
            rotated: split.test.orbit(Group::C4),
            dihedral: split.test.orbit(Group::D4),
            test: split.test,
            device: device.clone(),
            yielder: None,
            pixel_dimension: None,
        }
    }

    /// Awaits `yielder` between models and between evaluation chunks.
    pub fn set_yielder(&mut self, yielder: Yielder) {
        self.yielder = Some(yielder);
    }

    /// Steps taken.
    pub fn steps(&self) -> usize {
        self.members.first().map(|m| m.trainer.steps()).unwrap_or(0)
    }

    /// The compared models: family, trainable parameters, multiply–adds per 8×8 image.
    pub fn models(&self) -> Vec<(Family, usize, usize)> {
        self.members
            .iter()
            .map(|m| (m.family, m.config.num_params(), m.config.mult_adds(8)))
            .collect()
    }

    /// Trainable parameters of all compared models together.
    pub fn num_params(&self) -> usize {
        self.members.iter().map(|m| m.config.num_params()).sum()
    }

    /// The upright test predictions, at the last report, of the panel's model (or the first
    /// compared one when the panel shows a model not trained here).
    pub fn test_predictions(&self) -> &[u8] {
        self.members
            .iter()
            .find(|m| m.family == self.settings.model)
            .or(self.members.first())
            .map(|m| m.predictions.as_slice())
            .unwrap_or(&[])
    }

    /// The held-out test digits.
    pub fn test_set(&self) -> &ImageSet {
        &self.test
    }

    /// One step for every model, on the same batch.
    pub async fn step(&mut self) -> Result<StepOutcome, RunError> {
        let mut losses = Vec::with_capacity(self.members.len());
        for m in &mut self.members {
            let loss = f64::from(m.trainer.step().await?);
            let loss = check_loss(m.trainer.steps(), loss)?;
            m.losses.push(loss);
            losses.push((m.family.label().to_string(), loss));
            if let Some(y) = &self.yielder {
                y().await;
            }
        }
        let due = Due::at(self.steps(), self.settings.steps, self.settings.eval);
        due.outcome(losses, async || self.report().await).await
    }

    /// Accuracies and equivariance errors of every model, without training.
    pub async fn report(&mut self) -> Result<Metrics, RunError> {
        let mut m = Metrics::new(self.steps());
        // One sample of test digits serves the pixels and every model's layers.
        let (sample, sample_x) = features::sample(&self.test, &self.device);
        if self.pixel_dimension.is_none() {
            let points = features::pixel_points(&sample);
            self.pixel_dimension = Some(features::estimate(&points, self.yielder.as_ref()).await);
        }
        if let Some((twonn, mle)) = self.pixel_dimension {
            m = m.with("input_twonn", twonn).with("input_mle", mle);
        }
        let probe = self.test.head(PROBE_IMAGES);
        let rows: Vec<usize> = (0..probe.len()).collect();
        let (probe_x, _) = probe.tensors(&rows, &self.device);
        for member in &mut self.members {
            let key = member.family.key();
            let model = member.trainer.model().valid();
            let y = self.yielder.as_ref();
            let dims = features::layer_dimensions(&model, sample_x.clone(), y).await?;
            for (l, (twonn, mle)) in dims.into_iter().enumerate() {
                for (name, v) in [("twonn", twonn), ("mle", mle)] {
                    if v.is_finite() {
                        m = m.with(&format!("{key}_layer{}_{name}", l + 1), v);
                    }
                }
            }
            let upright = evaluate_yielding(&model, &self.test, &self.device, y).await?;
            let rotated = evaluate_yielding(&model, &self.rotated, &self.device, y).await?;
            let dihedral = evaluate_yielding(&model, &self.dihedral, &self.device, y).await?;
            member.predictions = upright.predictions.clone();
            m = m
                .with(&format!("{key}_test_accuracy"), upright.accuracy)
                .with(&format!("{key}_test_loss"), upright.loss)
                .with(&format!("{key}_rotated_test_accuracy"), rotated.accuracy)
                .with(&format!("{key}_dihedral_test_accuracy"), dihedral.accuracy);
            for (name, g) in [("rotation", Element::ROT90), ("mirror", Element::MIRROR)] {
                let act = GridAction {
                    element: g,
                    layout: Layout::Image,
                };
                let e = equivariance_error(|x| model.logits(x), &act, &Trivial, probe_x.clone())
                    .await?;
                m = m.with(&format!("{key}_{name}_error"), e);
            }
            if let Some(y) = &self.yielder {
                y().await;
            }
            if !member.losses.is_empty() {
                let mean = member.losses.iter().sum::<f64>() / member.losses.len() as f64;
                m = m.with(&format!("{key}_loss"), mean);
                member.losses.clear();
            }
        }
        Ok(m)
    }
}

/// Steps after which models still at chance mean the step size is wrong.
const STUCK_AFTER: usize = 100;

/// A hint when, [`STUCK_AFTER`] steps in, no compared model beats chance by much on the
/// upright test digits: a far too large learning rate (such as 10) keeps the loss finite, so no
/// divergence stops the run, but nothing is learned.
pub fn advice(report: &Metrics) -> Option<String> {
    let best = report
        .values
        .iter()
        .filter(|(name, _)| {
            name.ends_with("_test_accuracy")
                && !name.ends_with("rotated_test_accuracy")
                && !name.ends_with("dihedral_test_accuracy")
        })
        .map(|(_, v)| *v)
        .fold(None, |best: Option<f64>, v| {
            Some(best.map_or(v, |b| b.max(v)))
        })?;
    (report.step >= STUCK_AFTER && best < 0.2).then(|| {
        format!(
            "after {} steps the best model's test accuracy is {:.0}%, about chance (10%): the \
             learning rate is probably too high; try 0.01",
            report.step,
            best * 100.0
        )
    })
}

impl LabRun for GroupsRun {
    fn step(&mut self) -> LocalFuture<'_, Result<StepOutcome, RunError>> {
        Box::pin(GroupsRun::step(self))
    }

    fn advice(&self, report: &Metrics) -> Option<String> {
        advice(report)
    }

    fn report(&mut self) -> LocalFuture<'_, Result<Metrics, RunError>> {
        Box::pin(GroupsRun::report(self))
    }

    fn steps(&self) -> usize {
        GroupsRun::steps(self)
    }

    fn num_params(&self) -> usize {
        GroupsRun::num_params(self)
    }

    fn set_yielder(&mut self, yielder: Yielder) {
        GroupsRun::set_yielder(self, yielder);
    }

    fn classification(&self) -> Option<(&ImageSet, &[u8])> {
        Some((self.test_set(), self.test_predictions()))
    }

    fn saves_weights(&self) -> bool {
        true
    }

    fn weights(&self) -> Result<crate::lab::ModelWeights, String> {
        self.members
            .iter()
            .map(|m| Ok((m.family.key().to_string(), m.trainer.weights()?)))
            .collect()
    }

    fn load_weights(&mut self, models: &[(String, Vec<u8>)], step: usize) -> Result<(), String> {
        // Check every model before changing any, so a bad file leaves the run as it was.
        for m in &self.members {
            let bytes = crate::weights::model(models, m.family.key())?;
            orbit_models::record::module_from_bytes(m.trainer.model().clone(), bytes)?;
        }
        for m in &mut self.members {
            let bytes = crate::weights::model(models, m.family.key())?;
            m.trainer.load_weights(bytes, step)?;
        }
        Ok(())
    }

    fn view<'a>(
        &'a mut self,
        settings: &'a (dyn Any + Send + Sync),
    ) -> LocalFuture<'a, Result<Option<LabView>, RunError>> {
        Box::pin(async move {
            let Some(settings) = settings.downcast_ref::<GroupsSettings>() else {
                return Ok(None);
            };
            let panel = self.panel(settings.panel_request()).await?;
            let view: LabView = Arc::new(GroupsPanels {
                panel,
                models: self.models(),
            });
            Ok(Some(view))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_stuck_at_chance_get_advice_and_learning_ones_do_not() {
        let stuck = Metrics::new(200)
            .with("z2_test_accuracy", 0.11)
            .with("p4_test_accuracy", 0.09)
            .with("p4_rotated_test_accuracy", 0.5);
        let advice = advice(&stuck).expect("stuck models get advice");
        assert!(
            advice.contains("learning rate") && advice.contains("11%"),
            "{advice}"
        );
        let learning = Metrics::new(200)
            .with("z2_test_accuracy", 0.11)
            .with("p4_test_accuracy", 0.6);
        assert_eq!(super::advice(&learning), None);
        assert_eq!(
            super::advice(&Metrics::new(20).with("z2_test_accuracy", 0.1)),
            None
        );
    }
    use crate::groups::Compare;

    fn train(settings: &GroupsSettings) -> Metrics {
        let mut run = GroupsRun::new(settings, 1, &Device::flex());
        loop {
            let out = pollster::block_on(run.step()).unwrap();
            if out.finished {
                return out.report.unwrap();
            }
        }
    }

    /// The lab's claim: trained on upright digits only, with the default budget and seed, the
    /// P4 G-CNN beats the Z2-CNN on rotated test digits.
    #[test]
    fn p4_beats_z2_on_rotated_digits_when_both_train_upright() {
        let settings = GroupsSettings {
            compare: Compare::Z2P4,
            ..Default::default()
        };
        let r = train(&settings);
        let z2 = r.get("z2_rotated_test_accuracy").unwrap();
        let p4 = r.get("p4_rotated_test_accuracy").unwrap();
        eprintln!("{}", r.to_json_line());
        assert!(p4 > z2 + 0.2, "P4 {p4} vs Z2 {z2} on rotated digits");
        // P4 is invariant: its rotated accuracy is its upright accuracy.
        assert!((p4 - r.get("p4_test_accuracy").unwrap()).abs() < 1e-9);
        assert!(r.get("p4_rotation_error").unwrap() < 1e-5);
        assert!(r.get("z2_rotation_error").unwrap() > 1e-3);
        assert!(r.get("p4_mirror_error").unwrap() > 1e-3);
        // Every layer's features have a finite intrinsic dimension, far below their ambient
        // dimension, and so do the raw digits (R⁶⁴).
        let pixels = r.get("input_twonn").unwrap();
        assert!(pixels > 3.0 && pixels < 30.0, "digits: {pixels}");
        for key in ["z2", "p4"] {
            for layer in 1..=3 {
                let d = r.get(&format!("{key}_layer{layer}_twonn")).unwrap();
                assert!(d > 1.0 && d < 60.0, "{key} layer {layer}: {d}");
            }
        }
    }

    #[test]
    fn budgets_are_comparable() {
        let run = GroupsRun::new(&GroupsSettings::default(), 1, &Device::flex());
        let params: Vec<usize> = run.models().iter().map(|m| m.1).collect();
        let fields: Vec<usize> = [Family::Z2, Family::P4, Family::P4m, Family::P4e4]
            .iter()
            .map(|f| f.fields_for_budget(6, 3))
            .collect();
        // The budgets the benchmarks (bench/pytorch_step.py) reproduce.
        assert_eq!(fields, vec![12, 6, 4, 12]);
        let (lo, hi) = (
            *params.iter().min().unwrap() as f64,
            *params.iter().max().unwrap() as f64,
        );
        assert!(hi / lo < 1.25, "{params:?}");
    }
}
