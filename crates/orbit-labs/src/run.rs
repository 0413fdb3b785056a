//! [`Run`]: an experiment in progress, advanced one asynchronous step at a time.

use std::fmt;

use burn::tensor::{Device, ExecutionError};
use orbit_models::{ImageSet, Yielder};

use crate::baseline::BaselineRun;
use crate::dimension::DimensionRun;
use crate::experiment::{Experiment, LabSettings};
use crate::groups::GroupsRun;
use crate::metrics::Metrics;
use crate::signs::SignsRun;

/// What one step produced.
#[derive(Clone, Debug, PartialEq)]
pub struct StepOutcome {
    /// Steps taken so far, this one included.
    pub step: usize,
    /// This step's training loss of every model trained, by model name.
    pub losses: Vec<(String, f64)>,
    /// A full report, when one fell due.
    pub report: Option<Metrics>,
    /// Whether the step budget is spent.
    pub finished: bool,
}

/// Why a run stopped early.
#[derive(Clone, Debug, PartialEq)]
pub enum RunError {
    /// The loss became NaN or infinite.
    Diverged {
        /// The step at which it happened.
        step: usize,
        /// The non-finite loss.
        loss: f64,
    },
    /// The backend failed to execute or read back.
    Backend(String),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Diverged { step, loss } => write!(
                f,
                "training diverged at step {step} (loss {loss}); lower the learning rate and reset"
            ),
            RunError::Backend(e) => write!(f, "the backend failed: {e}"),
        }
    }
}

impl std::error::Error for RunError {}

/// A training loss above this counts as divergence, like NaN and infinity.
pub const DIVERGED_LOSS: f64 = 1e6;

/// `Err(Diverged)` when a step's loss is non-finite or above [`DIVERGED_LOSS`], so that no
/// NaN ever reaches a plot.
pub fn check_loss(step: usize, loss: f64) -> Result<f64, RunError> {
    if loss.is_finite() && loss <= DIVERGED_LOSS {
        Ok(loss)
    } else {
        Err(RunError::Diverged { step, loss })
    }
}

impl From<ExecutionError> for RunError {
    fn from(e: ExecutionError) -> Self {
        RunError::Backend(e.to_string())
    }
}

/// A run of one experiment on one device.
pub enum Run {
    /// A baseline-lab run.
    Baseline(Box<BaselineRun>),
    /// A group-action-lab run.
    Groups(Box<GroupsRun>),
    /// A dimension-lab run (CPU arithmetic only; the device is unused).
    Dimension(Box<DimensionRun>),
    /// A sign-flip-lab run.
    Signs(Box<SignsRun>),
}

impl Run {
    /// Builds the run (data, model, optimiser) the experiment describes, on `device`.
    pub fn new(experiment: &Experiment, device: &Device) -> Self {
        Self::with_points(experiment, device, None)
    }

    /// Like [`Run::new`], with the user's own points for labs that read them (the dimension
    /// lab's `cloud=custom`).
    pub fn with_points(
        experiment: &Experiment,
        device: &Device,
        points: Option<&orbit_math::dimension::Points>,
    ) -> Self {
        match &experiment.lab {
            LabSettings::Dimension(s) => {
                Run::Dimension(Box::new(DimensionRun::new(s, experiment.seed, points)))
            }
            LabSettings::Signs(s) => {
                Run::Signs(Box::new(SignsRun::new(s, experiment.seed, device)))
            }
            LabSettings::Baseline(s) => {
                Run::Baseline(Box::new(BaselineRun::new(s, experiment.seed, device)))
            }
            LabSettings::Groups(s) => {
                Run::Groups(Box::new(GroupsRun::new(s, experiment.seed, device)))
            }
        }
    }

    /// Lets the run hand control back to the host between pieces of a step (see
    /// [`Yielder`]); labs whose steps are short ignore it.
    pub fn set_yielder(&mut self, yielder: Yielder) {
        match self {
            Run::Baseline(_) | Run::Dimension(_) => {}
            Run::Groups(r) => r.set_yielder(yielder),
            Run::Signs(r) => r.set_yielder(yielder),
        }
    }

    /// Advances by one training step.
    pub async fn step(&mut self) -> Result<StepOutcome, RunError> {
        match self {
            Run::Baseline(r) => r.step().await,
            Run::Groups(r) => r.step().await,
            Run::Dimension(r) => r.step(),
            Run::Signs(r) => r.step().await,
        }
    }

    /// A full report on the current state, without training (e.g. before the first step).
    pub async fn report(&mut self) -> Result<Metrics, RunError> {
        match self {
            Run::Baseline(r) => r.report().await,
            Run::Groups(r) => r.report().await,
            Run::Dimension(r) => Ok(r.report_now()),
            Run::Signs(r) => r.report().await,
        }
    }

    /// A hint for the page when a report shows training going wrong, or `None`.
    pub fn advice(&self, report: &Metrics) -> Option<String> {
        match self {
            Run::Baseline(_) => crate::baseline::advice(report),
            Run::Groups(_) | Run::Dimension(_) | Run::Signs(_) => None,
        }
    }

    /// The held-out images and the model's predictions for them at the last report, for labs
    /// that classify images (confusion matrices, galleries).
    pub fn classification(&self) -> Option<(&ImageSet, &[u8])> {
        match self {
            Run::Baseline(r) => Some((r.test_set(), r.test_predictions())),
            Run::Groups(r) => Some((r.test_set(), r.test_predictions())),
            Run::Dimension(_) | Run::Signs(_) => None,
        }
    }

    /// The group-action panel of a groups-lab run for the experiment's panel settings.
    pub async fn action_panel(
        &self,
        experiment: &Experiment,
    ) -> Result<Option<crate::groups::ActionPanel>, RunError> {
        match (self, &experiment.lab) {
            (Run::Groups(r), LabSettings::Groups(s)) => r.panel(s.panel_request()).await,
            _ => Ok(None),
        }
    }

    /// The compared models of a groups-lab run: family, parameters, multiply–adds per image.
    pub fn models(&self) -> Vec<(crate::groups::Family, usize, usize)> {
        match self {
            Run::Groups(r) => r.models(),
            Run::Baseline(_) | Run::Dimension(_) | Run::Signs(_) => Vec::new(),
        }
    }

    /// Trainable parameters of the model.
    pub fn num_params(&self) -> usize {
        match self {
            Run::Baseline(r) => r.num_params(),
            Run::Groups(r) => r.num_params(),
            Run::Dimension(_) => 0,
            Run::Signs(_) => 0,
        }
    }

    /// Steps taken.
    pub fn steps(&self) -> usize {
        match self {
            Run::Baseline(r) => r.steps(),
            Run::Groups(r) => r.steps(),
            Run::Dimension(r) => r.steps(),
            Run::Signs(r) => r.steps(),
        }
    }

    /// The flip panel of a sign-flip-lab run for the experiment's view settings.
    pub async fn flip_panel(
        &self,
        experiment: &Experiment,
    ) -> Result<Option<crate::signs::FlipPanel>, RunError> {
        match (self, &experiment.lab) {
            (Run::Signs(r), LabSettings::Signs(s)) => {
                Ok(Some(r.flip_panel(s.flips, s.vec, s.rot).await?))
            }
            _ => Ok(None),
        }
    }

    /// The O(d) point-cloud view of a sign-flip-lab run for the experiment's view settings.
    pub async fn cloud_view(
        &self,
        experiment: &Experiment,
    ) -> Result<Option<crate::signs::CloudView>, RunError> {
        match (self, &experiment.lab) {
            (Run::Signs(r), LabSettings::Signs(s)) => Ok(Some(r.cloud_view(s.turn).await?)),
            _ => Ok(None),
        }
    }

    /// The shown graph and its spectrum of a sign-flip-lab run, for the experiment's `graph`.
    pub fn signs_view(&mut self, experiment: &Experiment) -> Option<&crate::signs::SignsView> {
        match (self, &experiment.lab) {
            (Run::Signs(r), LabSettings::Signs(s)) => Some(r.select_graph(s.graph, &s.drawn)),
            _ => None,
        }
    }

    /// The view of a dimension-lab run.
    pub fn dimension_view(&self) -> Option<&crate::dimension::DimensionView> {
        match self {
            Run::Dimension(r) => Some(r.view()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::LabSettings;

    fn run_losses(e: &Experiment, device: &Device, n: usize) -> Vec<f64> {
        let mut run = Run::new(e, device);
        (0..n)
            .map(|_| pollster::block_on(run.step()).unwrap().losses[0].1)
            .collect()
    }

    #[test]
    fn the_baseline_learns_digits_well_above_chance() {
        let mut e = Experiment::default();
        let LabSettings::Baseline(s) = &mut e.lab else {
            panic!("a baseline experiment")
        };
        s.steps = 150;
        s.eval = 150;
        let mut run = Run::new(&e, &Device::flex());
        let before = pollster::block_on(run.report()).unwrap();
        let mut last = None;
        for _ in 0..150 {
            let out = pollster::block_on(run.step()).unwrap();
            if out.finished {
                last = out.report;
            }
        }
        let after = last.expect("the last step reports");
        let (test, predictions) = run.classification().unwrap();
        assert_eq!(predictions.len(), test.len());
        let confusion = orbit_math::stats::confusion_matrix(&test.labels, predictions, 10);
        let correct: usize = (0..10).map(|c| confusion[c * 10 + c]).sum();
        assert!(
            (correct as f64 / test.len() as f64 - after.get("test_accuracy").unwrap()).abs()
                < 1e-12
        );
        assert!(before.get("test_accuracy").unwrap() < 0.3, "{before:?}");
        assert!(after.get("test_accuracy").unwrap() > 0.85, "{after:?}");
        assert!(after.get("loss").unwrap() < 0.7, "{after:?}");
    }

    #[test]
    fn same_link_same_curve_value_for_value_and_another_seed_differs() {
        let e = Experiment::default();
        let a = run_losses(&e, &Device::flex(), 20);
        assert_eq!(a, run_losses(&e, &Device::flex(), 20));
        let mut other = e.clone();
        other.seed = 2;
        assert_ne!(a, run_losses(&other, &Device::flex(), 20));
    }

    #[test]
    fn both_cpu_backends_start_from_the_same_loss() {
        let e = Experiment::default();
        #[allow(deprecated)] // NdArray is one of the offered CPU backends.
        let nd = run_losses(&e, &Device::ndarray(), 1);
        let fx = run_losses(&e, &Device::flex(), 1);
        assert!((nd[0] - fx[0]).abs() < 1e-5, "{nd:?} vs {fx:?}");
    }

    #[test]
    fn non_finite_and_exploding_losses_are_divergence() {
        assert_eq!(check_loss(3, 0.5), Ok(0.5));
        for bad in [f64::NAN, f64::INFINITY, -f64::INFINITY, 1e9] {
            let e = check_loss(7, bad).unwrap_err();
            assert!(matches!(e, RunError::Diverged { step: 7, .. }));
            assert!(e.to_string().contains("lower the learning rate"));
        }
    }
}
