//! The baseline lab: an MLP classifier on the 8×8 digits.
//!
//! This is the model the group-action lab's equivariant networks are measured against: it sees
//! a digit as 64 unrelated numbers and knows nothing of rotations.

use std::any::Any;

use burn::tensor::Device;
use orbit_math::dimension::Points;
use orbit_models::{ClassifierTrainer, ImageSet, Mlp, MlpConfig, TrainSettings};
use serde::{Deserialize, Serialize};

use crate::data::{self, DataFraction, digits_split};
use crate::knob::{self, Kind, Knob};
use crate::lab::{Lab, LabInfo, LabRun, LabView, LocalFuture, TourStep};
use crate::metrics::Metrics;
use crate::outcome::{Due, RunError, StepOutcome, check_loss};

/// Settings of the baseline lab (share-link keys in brackets).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BaselineSettings {
    /// Width of each hidden layer (`hidden`).
    pub hidden: usize,
    /// Number of hidden layers (`depth`).
    pub depth: usize,
    /// Adam's learning rate (`lr`).
    pub lr: f64,
    /// Images per step (`batch`).
    pub batch: usize,
    /// Share of the training split used (`data`).
    pub data: DataFraction,
    /// Steps after which the run stops (`steps`).
    pub steps: usize,
    /// Evaluate on the train and test sets every this many steps (`eval`).
    pub eval: usize,
}

impl Default for BaselineSettings {
    fn default() -> Self {
        Self {
            hidden: 64,
            depth: 1,
            lr: 0.01,
            batch: 64,
            data: DataFraction::All,
            steps: 600,
            eval: 25,
        }
    }
}

/// The baseline lab's knobs.
pub const KNOBS: &[Knob] = &[
    Knob {
        view_only: false,
        key: "hidden",
        label: "Hidden width",
        help: "Units in each hidden layer.",
        kind: Kind::Int { min: 4, max: 512 },
    },
    Knob {
        view_only: false,
        key: "depth",
        label: "Hidden layers",
        help: "0 gives a linear classifier.",
        kind: Kind::Int { min: 0, max: 4 },
    },
    knob::LEARNING_RATE,
    knob::BATCH,
    data::DATA_KNOB,
    Knob {
        view_only: false,
        key: "steps",
        label: "Step budget",
        help: "The run stops after this many steps.",
        kind: Kind::Int {
            min: 1,
            max: 20_000,
        },
    },
    knob::EVAL,
];

/// The model's name in plots and reports.
pub const MODEL_NAME: &str = "MLP";

impl Lab for BaselineSettings {
    type View = ();

    const INFO: LabInfo = LabInfo {
        key: "baseline",
        title: "Baseline: an MLP on handwritten digits",
        menu: "Baseline MLP",
        summary: "A small MLP learns handwritten digits: the starting point every other lab is measured against.",
        intro: "A multilayer perceptron reads each 8×8 digit as 64 unrelated numbers. It is the baseline the equivariant networks are measured against.",
        knobs: KNOBS,
        tour: &[
            TourStep {
                link: "lab=baseline",
                say: "Press Play: a small MLP learns the digits; watch test accuracy climb and the loss fall.",
            },
            TourStep {
                link: "lab=baseline&depth=0",
                say: "No hidden layer: a linear classifier. How close does it get to the MLP?",
            },
            TourStep {
                link: "lab=baseline&hidden=8",
                say: "Only 8 hidden units: fewer parameters, and the confusion matrix shows which digits suffer.",
            },
            TourStep {
                link: "lab=baseline&lr=5",
                say: "A learning rate far too large: the run stops and says why and what to try; no broken number is drawn.",
            },
        ],
    };

    fn build(&self, seed: u64, device: &Device, _points: Option<&Points>) -> Box<dyn LabRun> {
        Box::new(BaselineRun::new(self, seed, device))
    }

    fn benchmark_parts(&self) -> Vec<(String, Self)> {
        vec![(MODEL_NAME.to_string(), self.clone())]
    }
}

/// Steps after which training accuracy still at chance earns a hint.
const STUCK_AFTER: usize = 100;

/// A hint for the page when a report shows the model stuck at chance (typically a learning
/// rate so high that every ReLU died), or `None`.
pub fn advice(report: &Metrics) -> Option<String> {
    let accuracy = report.get("train_accuracy")?;
    (report.step >= STUCK_AFTER && accuracy < 0.2).then(|| {
        format!(
            "after {} steps the training accuracy is {:.0}%, about chance (10%): the learning rate \
             is probably too high; try 0.01",
            report.step,
            accuracy * 100.0
        )
    })
}

/// A baseline run in progress.
pub struct BaselineRun {
    settings: BaselineSettings,
    trainer: ClassifierTrainer<Mlp>,
    train: ImageSet,
    test: ImageSet,
    losses: Vec<f64>,
    model_params: usize,
    test_predictions: Vec<u8>,
}

impl BaselineRun {
    /// Builds the split, the model and the optimiser from the settings and seed.
    pub fn new(settings: &BaselineSettings, seed: u64, device: &Device) -> Self {
        let split = digits_split(seed, settings.data.value());
        let config = MlpConfig::new(orbit_math::digits::PIXELS, orbit_math::digits::CLASSES)
            .with_hidden(settings.hidden)
            .with_depth(settings.depth);
        let model = config.init(seed, &device.clone().autodiff());
        let train_settings = TrainSettings {
            learning_rate: settings.lr,
            batch_size: settings.batch,
            augment: None,
        };
        let trainer =
            ClassifierTrainer::new(model, split.train.clone(), train_settings, seed, device);
        Self {
            settings: settings.clone(),
            trainer,
            train: split.train,
            test: split.test,
            losses: Vec::new(),
            model_params: config.num_params(),
            test_predictions: Vec::new(),
        }
    }

    /// Trainable parameters of the model.
    pub fn num_params(&self) -> usize {
        self.model_params
    }

    /// Steps taken.
    pub fn steps(&self) -> usize {
        self.trainer.steps()
    }

    /// The test images (for views such as a confusion matrix).
    pub fn test_set(&self) -> &ImageSet {
        &self.test
    }

    /// Accuracies and losses of the current model, without training.
    pub async fn report(&mut self) -> Result<Metrics, RunError> {
        let test = self.trainer.evaluate(&self.test).await?;
        let train = self.trainer.evaluate(&self.train).await?;
        self.test_predictions = test.predictions;
        let mut m = Metrics::new(self.steps())
            .with("train_accuracy", train.accuracy)
            .with("train_loss", train.loss)
            .with("test_accuracy", test.accuracy)
            .with("test_loss", test.loss);
        if !self.losses.is_empty() {
            let mean = self.losses.iter().sum::<f64>() / self.losses.len() as f64;
            m = m.with("loss", mean);
            self.losses.clear();
        }
        Ok(m)
    }

    /// The predicted class of every test image at the last report (empty before the first).
    pub fn test_predictions(&self) -> &[u8] {
        &self.test_predictions
    }

    /// One training step, with a report when an evaluation falls due or the budget ends.
    pub async fn step(&mut self) -> Result<StepOutcome, RunError> {
        let loss = f64::from(self.trainer.step().await?);
        let step = self.steps();
        let loss = check_loss(step, loss)?;
        self.losses.push(loss);
        let losses = vec![(MODEL_NAME.to_string(), loss)];
        let due = Due::at(step, self.settings.steps, self.settings.eval);
        due.outcome(losses, async || self.report().await).await
    }

    /// The lab's data attribution.
    pub fn attribution(&self) -> &'static str {
        data::DIGITS_ATTRIBUTION
    }
}

impl LabRun for BaselineRun {
    fn step(&mut self) -> LocalFuture<'_, Result<StepOutcome, RunError>> {
        Box::pin(BaselineRun::step(self))
    }

    fn report(&mut self) -> LocalFuture<'_, Result<Metrics, RunError>> {
        Box::pin(BaselineRun::report(self))
    }

    fn steps(&self) -> usize {
        BaselineRun::steps(self)
    }

    fn num_params(&self) -> usize {
        self.model_params
    }

    fn advice(&self, report: &Metrics) -> Option<String> {
        advice(report)
    }

    fn classification(&self) -> Option<(&ImageSet, &[u8])> {
        Some((&self.test, &self.test_predictions))
    }

    fn saves_weights(&self) -> bool {
        true
    }

    fn weights(&self) -> Result<crate::lab::ModelWeights, String> {
        Ok(vec![(MODEL_NAME.to_string(), self.trainer.weights()?)])
    }

    fn load_weights(&mut self, models: &[(String, Vec<u8>)], step: usize) -> Result<(), String> {
        let bytes = crate::weights::model(models, MODEL_NAME)?;
        self.trainer.load_weights(bytes, step)
    }

    fn view<'a>(
        &'a mut self,
        _settings: &'a (dyn Any + Send + Sync),
    ) -> LocalFuture<'a, Result<Option<LabView>, RunError>> {
        Box::pin(async { Ok(None) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn train(lr: f64, steps: usize) -> Result<Metrics, RunError> {
        let settings = BaselineSettings {
            lr,
            depth: 3,
            steps,
            eval: steps,
            ..Default::default()
        };
        let mut run = BaselineRun::new(&settings, 1, &Device::flex());
        loop {
            let out = pollster::block_on(run.step())?;
            if out.finished {
                return Ok(out.report.unwrap());
            }
        }
    }

    #[test]
    fn an_exploding_learning_rate_stops_the_run_with_divergence() {
        let e = train(10.0, 300).unwrap_err();
        assert!(matches!(e, RunError::Diverged { .. }), "{e}");
    }

    #[test]
    fn a_far_too_high_learning_rate_earns_advice_and_a_sane_one_does_not() {
        let stuck = train(1.0, 300).unwrap();
        let hint = advice(&stuck).expect("lr = 1 leaves the MLP at chance");
        assert!(hint.contains("learning rate"), "{hint}");
        assert!(advice(&train(0.01, 300).unwrap()).is_none());
    }
}
