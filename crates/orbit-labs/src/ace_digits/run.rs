//! [`AceDigitsRun`]: the Z2-CNN, the strict P4 network and P4 with branches trained by ACE
//! (equality, resilient), side by side on the same batches; reports carry each model's
//! accuracy on upright, slightly turned and upside-down test digits, how often a 6 is read as a
//! 9 and back, and γ, λ and u per layer.

use serde::{Deserialize, Serialize};
use std::any::Any;
use std::sync::Arc;

use burn::nn::loss::CrossEntropyLossConfig;
use burn::tensor::Device;
use orbit_math::Rng;
use orbit_math::group::{Element, Group, rotate_by_angle};
use orbit_models::ace::{BranchedCnn, BranchedCnnConfig, Mode, PrimalDual, PrimalDualSettings};
use orbit_models::classifier::evaluate_with;
use orbit_models::{ImageSet, Yielder};

use super::AceDigitsSettings;
use crate::data::digits_split;
use crate::groups::Family;
use crate::lab::{LabRun, LabView, LocalFuture, ModelWeights};
use crate::metrics::Metrics;
use crate::outcome::{Due, RunError, StepOutcome, check_loss};

/// Layers of every network (lifting layer included), one γ each.
pub const LAYERS: usize = 3;

/// The four models in table order: metric key and name.
pub const MODELS: [(&str, &str); 4] = [
    ("z2", "Z2-CNN"),
    ("strict", "P4, strict (γ ≡ 0)"),
    ("equality", "P4 + branches, ACE equality"),
    ("resilient", "P4 + branches, ACE resilient"),
];

/// The digits whose confusion the lab is about.
const SIX: u8 = 6;
const NINE: u8 = 9;

/// One of the lab's four models.
struct Member {
    key: &'static str,
    label: &'static str,
    trainer: PrimalDual<BranchedCnn>,
    losses: Vec<f64>,
}

/// One model's rows of the confusion matrix for 6 and 9, on the upright test digits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DigitsMember {
    /// Metric-name key: `z2`, `strict`, `equality`, `resilient`.
    pub key: String,
    /// Name in tables.
    pub label: String,
    /// How the test 6s were classified: count per predicted digit 0–9.
    pub six: [usize; 10],
    /// How the test 9s were classified.
    pub nine: [usize; 10],
}

/// What the page draws besides the reports: each model's rows of 6 and 9 at the last report.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct AceDigitsPanels {
    /// One entry per model, in table order.
    pub members: Vec<DigitsMember>,
    /// The step of the report they come from.
    pub step: usize,
}

/// An ACE-digits run.
pub struct AceDigitsRun {
    settings: AceDigitsSettings,
    members: Vec<Member>,
    train: ImageSet,
    upright: ImageSet,
    turned: ImageSet,
    upside_down: ImageSet,
    order: Vec<usize>,
    cursor: usize,
    order_rng: Rng,
    device: Device,
    autodiff: Device,
    panels: AceDigitsPanels,
    steps: usize,
    yielder: Option<Yielder>,
}

/// Every image of `set` turned by its own angle from `[-tilt, tilt]` degrees.
fn tilted(set: &ImageSet, tilt: f64, rng: &mut Rng) -> ImageSet {
    let pixels = (0..set.len())
        .flat_map(|i| rotate_by_angle(set.image(i), set.side, rng.uniform_in(-tilt, tilt)))
        .collect();
    ImageSet::new(pixels, set.labels.clone(), set.side)
}

/// `a` followed by `b`.
fn joined(a: &ImageSet, b: &ImageSet) -> ImageSet {
    let pixels = a.pixels.iter().chain(&b.pixels).copied().collect();
    let labels = a.labels.iter().chain(&b.labels).copied().collect();
    ImageSet::new(pixels, labels, a.side)
}

impl AceDigitsRun {
    /// Builds the data and the four trainers from `seed` (the three P4 networks start from
    /// the same weights).
    pub fn new(settings: &AceDigitsSettings, seed: u64, device: &Device) -> Self {
        let root = Rng::new(seed).fork("ace digits");
        let split = digits_split(seed, 1.0);
        let train = joined(
            &split.train,
            &tilted(&split.train, settings.tilt, &mut root.fork("train turns")),
        );
        let turned = tilted(&split.test, settings.tilt, &mut root.fork("test turns"));
        let upside_down = split.test.transformed(&[Element(2)]);
        let autodiff = device.clone().autodiff();
        let primal_dual = PrimalDualSettings {
            primal_lr: settings.lr,
            dual_lr: settings.dual,
            augmented: settings.c,
            slack_cost: settings.rho,
        };
        let fields = settings.fields.max(1);
        let z2_fields = Family::Z2.fields_for_budget(fields, LAYERS);
        let member = |key, label, group, fields, mode| {
            let model = BranchedCnnConfig::new(group, fields)
                .with_layers(LAYERS)
                .init(seed, &autodiff);
            Member {
                key,
                label,
                trainer: PrimalDual::new(model, mode, primal_dual),
                losses: Vec::new(),
            }
        };
        let models = [
            (Group::Trivial, z2_fields, Mode::Strict),
            (Group::C4, fields, Mode::Strict),
            (Group::C4, fields, Mode::Equality),
            (Group::C4, fields, Mode::Resilient),
        ];
        let members = MODELS
            .iter()
            .zip(models)
            .map(|(&(key, label), (group, fields, mode))| member(key, label, group, fields, mode))
            .collect();
        Self {
            settings: settings.clone(),
            members,
            train,
            upright: split.test,
            turned,
            upside_down,
            order: Vec::new(),
            cursor: 0,
            order_rng: root.fork("batches"),
            device: device.clone(),
            autodiff,
            panels: AceDigitsPanels::default(),
            steps: 0,
            yielder: None,
        }
    }

    async fn pause(&self) {
        if let Some(y) = &self.yielder {
            y().await;
        }
    }

    fn next_batch(&mut self) -> Vec<usize> {
        let size = self.settings.batch.clamp(1, self.train.len());
        if self.cursor + size > self.order.len() {
            self.order = self.order_rng.permutation(self.train.len());
            self.cursor = 0;
        }
        let rows = self.order[self.cursor..self.cursor + size].to_vec();
        self.cursor += size;
        rows
    }

    /// One primal–dual step of every model on the same minibatch.
    pub async fn step(&mut self) -> Result<StepOutcome, RunError> {
        let rows = self.next_batch();
        let (x, y) = self.train.tensors(&rows, &self.autodiff);
        let cross_entropy = CrossEntropyLossConfig::new().init(&self.autodiff);
        let step = self.steps + 1;
        let mut losses = Vec::with_capacity(self.members.len());
        for i in 0..self.members.len() {
            let member = &mut self.members[i];
            let loss = member
                .trainer
                .step_with(|model, branch| {
                    cross_entropy.forward(model.forward(x.clone(), branch), y.clone())
                })
                .await?;
            let loss = check_loss(step, f64::from(loss))?;
            crate::ace::check_duals(step, member.label, member.trainer.state())?;
            member.losses.push(loss);
            losses.push((member.label.to_string(), loss));
            self.pause().await;
        }
        self.steps = step;
        let due = Due::at(self.steps, self.settings.steps, self.settings.eval);
        due.outcome(losses, async || self.report().await).await
    }

    /// Accuracy of `model` (with or without its branches) on `set`, and its predictions.
    async fn evaluate(
        &self,
        model: &BranchedCnn,
        branch: bool,
        set: &ImageSet,
    ) -> Result<(f64, Vec<u8>), RunError> {
        let logits = |x| model.forward(x, branch);
        let e = evaluate_with(logits, set, &self.device, self.yielder.as_ref()).await?;
        Ok((e.accuracy, e.predictions))
    }

    /// Every model's accuracies, 6/9 confusions, γ, λ and u.
    pub async fn report(&mut self) -> Result<Metrics, RunError> {
        let mut m = Metrics::new(self.steps);
        let mut panels = Vec::with_capacity(self.members.len());
        for member in &self.members {
            let (k, trainer) = (member.key, &member.trainer);
            let model = trainer.model();
            let branch = trainer.mode().uses_branch();
            let (upright, predicted) = self.evaluate(&model, branch, &self.upright).await?;
            let (turned, _) = self.evaluate(&model, branch, &self.turned).await?;
            let (upside_down, _) = self.evaluate(&model, branch, &self.upside_down).await?;
            m = m
                .with(&format!("{k}_upright_accuracy"), upright)
                .with(&format!("{k}_turned_accuracy"), turned)
                .with(&format!("{k}_upside_down_accuracy"), upside_down);
            if branch {
                let (eq, _) = self.evaluate(&model, false, &self.upright).await?;
                m = m.with(&format!("{k}_eq_upright_accuracy"), eq);
            }
            let row = |digit: u8| {
                let mut counts = [0usize; 10];
                for (p, _) in predicted
                    .iter()
                    .zip(&self.upright.labels)
                    .filter(|(_, l)| **l == digit)
                {
                    counts[usize::from(*p).min(9)] += 1;
                }
                counts
            };
            let (six, nine) = (row(SIX), row(NINE));
            let share = |row: &[usize; 10], as_digit: u8| {
                row[usize::from(as_digit)] as f64 / row.iter().sum::<usize>().max(1) as f64
            };
            m = m
                .with(&format!("{k}_six_as_nine"), share(&six, NINE))
                .with(&format!("{k}_nine_as_six"), share(&nine, SIX));
            panels.push(DigitsMember {
                key: member.key.to_string(),
                label: member.label.to_string(),
                six,
                nine,
            });
            if branch {
                let max_gamma = trainer.gamma().iter().fold(0.0f64, |a, g| a.max(g.abs()));
                m = m.with(&format!("{k}_max_gamma"), max_gamma);
                for (l, g) in trainer.gamma().iter().enumerate() {
                    m = m.with(&format!("{k}_gamma_l{}", l + 1), *g);
                }
                for (l, lambda) in trainer.lambda().iter().enumerate() {
                    m = m.with(&format!("{k}_lambda_l{}", l + 1), *lambda);
                }
            }
            if trainer.mode() == Mode::Resilient {
                for (l, u) in trainer.slack().iter().enumerate() {
                    m = m.with(&format!("{k}_slack_l{}", l + 1), *u);
                }
            }
            if !member.losses.is_empty() {
                let mean = member.losses.iter().sum::<f64>() / member.losses.len() as f64;
                m = m.with(&format!("{k}_loss"), mean);
            }
        }
        for member in &mut self.members {
            member.losses.clear();
        }
        self.panels = AceDigitsPanels {
            members: panels,
            step: self.steps,
        };
        Ok(m)
    }
}

impl LabRun for AceDigitsRun {
    fn step(&mut self) -> LocalFuture<'_, Result<StepOutcome, RunError>> {
        Box::pin(AceDigitsRun::step(self))
    }

    fn report(&mut self) -> LocalFuture<'_, Result<Metrics, RunError>> {
        Box::pin(AceDigitsRun::report(self))
    }

    fn steps(&self) -> usize {
        self.steps
    }

    fn set_yielder(&mut self, yielder: Yielder) {
        self.yielder = Some(yielder);
    }

    fn saves_weights(&self) -> bool {
        true
    }

    /// Per model, the network (`z2`, `strict`, …) and its multipliers, slacks and γs
    /// (`z2-duals`, …).
    fn weights(&self) -> Result<ModelWeights, String> {
        crate::ace::save_members(
            self.members
                .iter()
                .map(|m| (m.key, m.trainer.weights(), m.trainer.duals())),
        )
    }

    fn load_weights(&mut self, models: &[(String, Vec<u8>)], step: usize) -> Result<(), String> {
        let members = self.members.iter_mut().map(|m| (m.key, &mut m.trainer));
        crate::ace::load_members(members, models, step)?;
        for member in &mut self.members {
            member.losses.clear();
        }
        self.steps = step;
        Ok(())
    }

    fn view<'a>(
        &'a mut self,
        _settings: &'a (dyn Any + Send + Sync),
    ) -> LocalFuture<'a, Result<Option<LabView>, RunError>> {
        Box::pin(async move {
            if self.panels.members.is_empty() {
                return Ok(None);
            }
            let view: LabView = Arc::new(self.panels.clone());
            Ok(Some(view))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(m: &Metrics, key: &str) -> f64 {
        m.get(key).unwrap_or_else(|| panic!("no {key} in {m:?}"))
    }

    /// The mean of `(6→9 + 9→6) / 2` of model `k` over the reports of the second half.
    fn late_confusion(reports: &[Metrics], k: &str) -> f64 {
        let last = reports.last().map_or(0, |r| r.step);
        let late: Vec<f64> = reports
            .iter()
            .filter(|r| 2 * r.step > last)
            .map(|r| {
                (get(r, &format!("{k}_six_as_nine")) + get(r, &format!("{k}_nine_as_six"))) / 2.0
            })
            .collect();
        late.iter().sum::<f64>() / late.len().max(1) as f64
    }

    /// The default run at `seed`, trained to its end, with every report.
    fn run_to_end(seed: u64) -> (AceDigitsRun, Vec<Metrics>) {
        let mut run = AceDigitsRun::new(&AceDigitsSettings::default(), seed, &Device::flex());
        let mut reports = Vec::new();
        loop {
            let out = pollster::block_on(run.step()).unwrap();
            reports.extend(out.report);
            if out.finished {
                return (run, reports);
            }
        }
    }

    /// [`late_confusion`] of the four networks (z2, strict, equality, resilient).
    fn late_confusions(reports: &[Metrics]) -> [f64; 4] {
        ["z2", "strict", "equality", "resilient"].map(|k| late_confusion(reports, k))
    }

    /// The lab's claims at the default budget: strict P4 reads upside-down digits exactly as
    /// upright ones (the Z2-CNN does not), and over the second half of training it confuses 6
    /// and 9 several times as often as the Z2-CNN and both ACE networks; the resilient network
    /// keeps the most of its branch in the first layer. The 6/9 confusion counts a few dozen
    /// test digits and swings from one report to the next (0 to 0.27 for strict P4 at seed 1),
    /// and the path of the floats depends on the machine's matrix kernels (AVX-512 or not), so
    /// that claim is checked on the mean over four seeds; the rest at the default seed.
    #[test]
    fn strict_p4_confuses_six_and_nine_and_resilient_ace_keeps_the_first_layer() {
        let (run, reports) = run_to_end(1);
        let last = reports.last().unwrap().clone();
        let up = |k: &str| get(&last, &format!("{k}_upright_accuracy"));
        let down = |k: &str| get(&last, &format!("{k}_upside_down_accuracy"));
        assert_eq!(
            up("strict"),
            down("strict"),
            "strict P4 is rotation invariant"
        );
        assert!(
            down("z2") < up("z2") - 0.3,
            "the Z2-CNN reads upside-down digits worse"
        );
        let mut confusion = late_confusions(&reports);
        for seed in 2..=4 {
            let more = late_confusions(&run_to_end(seed).1);
            eprintln!("6/9 confusion at seed {seed}: {more:?}");
            for (c, m) in confusion.iter_mut().zip(more) {
                *c += m;
            }
        }
        let confusion = confusion.map(|c| c / 4.0);
        eprintln!(
            "6/9 confusion over the second half, mean of 4 seeds (z2, strict, equality, resilient): {confusion:?}"
        );
        assert!(confusion[1] > 0.06, "{confusion:?}");
        for other in [0, 2, 3] {
            assert!(confusion[other] < confusion[1] / 3.0, "{confusion:?}");
        }
        let gammas: Vec<f64> = (1..=3)
            .map(|l| get(&last, &format!("resilient_gamma_l{l}")).abs())
            .collect();
        assert!(
            gammas[0] > 2.0 * gammas[1] && gammas[0] > 2.0 * gammas[2],
            "{gammas:?}"
        );
        let panels = run.panels.clone();
        assert_eq!(panels.members.len(), 4);
        let sixes = run.upright.labels.iter().filter(|l| **l == SIX).count();
        assert_eq!(panels.members[1].six.iter().sum::<usize>(), sixes);
    }
}
