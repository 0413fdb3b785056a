//! [`Run`]: an experiment in progress, advanced one asynchronous step at a time. It holds the
//! lab's run behind [`LabRun`] and knows no lab's internals.

use burn::tensor::Device;
use orbit_math::dimension::Points;
use orbit_models::{ImageSet, Yielder};

use crate::experiment::{Experiment, LabSettings};
use crate::lab::{LabRun, LabView};
use crate::metrics::Metrics;
pub use crate::outcome::{DIVERGED_LOSS, RunError, StepOutcome, check_loss};
use crate::weights::WeightsFile;

/// A run of one experiment on one device.
pub struct Run {
    lab: Box<dyn LabRun>,
}

impl Run {
    /// Builds the run (data, model, optimiser) the experiment describes, on `device`.
    pub fn new(experiment: &Experiment, device: &Device) -> Self {
        Self::with_points(experiment, device, None)
    }

    /// Like [`Run::new`], with the user's own points for labs that read them (the dimension
    /// lab's `cloud=custom`).
    pub fn with_points(experiment: &Experiment, device: &Device, points: Option<&Points>) -> Self {
        Self {
            lab: experiment.lab.build(experiment.seed, device, points),
        }
    }

    /// Lets the run hand control back to the host between pieces of a step (see
    /// [`Yielder`]); labs whose steps are short ignore it.
    pub fn set_yielder(&mut self, yielder: Yielder) {
        self.lab.set_yielder(yielder);
    }

    /// Advances by one training step.
    pub async fn step(&mut self) -> Result<StepOutcome, RunError> {
        self.lab.step().await
    }

    /// A full report on the current state, without training (e.g. before the first step).
    pub async fn report(&mut self) -> Result<Metrics, RunError> {
        self.lab.report().await
    }

    /// A hint for the page when a report shows training going wrong, or `None`.
    pub fn advice(&self, report: &Metrics) -> Option<String> {
        self.lab.advice(report)
    }

    /// The held-out images and the model's predictions for them at the last report, for labs
    /// that classify images (confusion matrices, galleries).
    pub fn classification(&self) -> Option<(&ImageSet, &[u8])> {
        self.lab.classification()
    }

    /// Why this run cannot do anything (e.g. custom points without a file), or `None`.
    pub fn problem(&self) -> Option<String> {
        self.lab.problem()
    }

    /// The lab's view for `settings` (the experiment's current lab settings: view-only knobs
    /// may have changed since the run was built), for the lab's page view to draw.
    pub async fn view(&mut self, settings: &LabSettings) -> Result<Option<LabView>, RunError> {
        self.lab.view(settings.as_any()).await
    }

    /// Whether the view changes with every step rather than only at reports and view-knob
    /// changes.
    pub fn view_follows_steps(&self) -> bool {
        self.lab.view_follows_steps()
    }

    /// Trainable parameters of the model.
    pub fn num_params(&self) -> usize {
        self.lab.num_params()
    }

    /// Steps taken.
    pub fn steps(&self) -> usize {
        self.lab.steps()
    }

    /// Whether the run has trained weights to save and load (reads nothing).
    pub fn saves_weights(&self) -> bool {
        self.lab.saves_weights()
    }

    /// The run's trained models as a weights file for `experiment` (the one it was built
    /// from). Reads the parameters back synchronously: in a page, on a CPU backend only.
    pub fn weights_file(&self, experiment: &Experiment) -> Result<Vec<u8>, String> {
        let file = WeightsFile {
            lab: experiment.lab.id().as_str().to_string(),
            link: crate::link::encode(experiment),
            step: self.steps(),
            models: self.lab.weights()?,
        };
        Ok(file.to_bytes())
    }

    /// Continues from a weights file, if it fits `experiment` (the one this run was built
    /// from); the error says why not.
    pub fn load_weights_file(
        &mut self,
        experiment: &Experiment,
        bytes: &[u8],
    ) -> Result<(), String> {
        let file = WeightsFile::from_bytes(bytes)?;
        file.check_fits(experiment)?;
        self.lab.load_weights(&file.models, file.step)
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

    /// Trains `e` for `n` steps, saves the weights, loads them into a fresh run of the same
    /// link and compares the reports: every metric whose name ends in one of `same` is equal,
    /// and the step count is carried.
    fn weights_continue(e: &Experiment, n: usize, same: &[&str]) {
        let device = Device::flex();
        let mut run = Run::new(e, &device);
        for _ in 0..n {
            pollster::block_on(run.step()).unwrap();
        }
        let trained = pollster::block_on(run.report()).unwrap();
        assert!(run.saves_weights());
        let file = run.weights_file(e).unwrap();
        let mut fresh = Run::new(e, &device);
        let untrained = pollster::block_on(fresh.report()).unwrap();
        fresh.load_weights_file(e, &file).unwrap();
        let loaded = pollster::block_on(fresh.report()).unwrap();
        assert_eq!(loaded.step, n);
        let mut compared = 0;
        for (name, value) in &trained.values {
            if same.iter().any(|s| name.ends_with(s)) {
                assert_eq!(loaded.get(name), Some(*value), "{name}");
                compared += 1;
            }
        }
        assert!(compared > 0, "no metric ends in {same:?}: {trained:?}");
        assert_ne!(untrained.values, trained.values);
        assert!(pollster::block_on(fresh.step()).unwrap().step == n + 1);
        let other = if e.lab.id() == crate::LabId::Ace {
            Experiment::default()
        } else {
            Experiment::for_lab(crate::LabId::Ace)
        };
        let refused = Run::new(&other, &device).load_weights_file(&other, &file);
        assert!(refused.unwrap_err().contains("belongs to the"));
    }

    #[test]
    fn saved_weights_give_the_same_accuracy_in_a_fresh_run() {
        weights_continue(&Experiment::default(), 30, &["accuracy"]);
        let groups = crate::link::decode("lab=groups&compare=z2-p4&fields=2&layers=2&batch=16");
        assert!(groups.notices.is_empty(), "{:?}", groups.notices);
        weights_continue(&groups.experiment, 5, &["accuracy"]);
    }

    #[test]
    fn saved_weights_continue_the_sign_flip_lab() {
        let signs = crate::link::decode("lab=signs&nodes=40&k=4");
        assert!(signs.notices.is_empty(), "{:?}", signs.notices);
        // The validation AUC of every link model and both O(d) errors of every cloud model.
        weights_continue(&signs.experiment, 3, &["_val_auc", "_aligned", "_turned"]);
    }

    #[test]
    fn saved_weights_and_duals_continue_the_ace_lab() {
        let ace = crate::link::decode("lab=ace&train=32&wind=0.5");
        assert!(ace.notices.is_empty(), "{:?}", ace.notices);
        // Errors with and without the branches, and γ, λ and u of every layer.
        let same = [
            "_test_error",
            "_gamma_l1",
            "_lambda_l1",
            "_slack_l1",
            "_slack_l3",
        ];
        weights_continue(&ace.experiment, 20, &same);
    }

    #[test]
    fn saved_weights_and_duals_continue_the_ace_digits_lab() {
        let digits = crate::link::decode("lab=ace-digits&fields=2&batch=8");
        assert!(digits.notices.is_empty(), "{:?}", digits.notices);
        let same = [
            "_accuracy",
            "_six_as_nine",
            "_gamma_l1",
            "_lambda_l2",
            "_slack_l3",
        ];
        weights_continue(&digits.experiment, 5, &same);
    }

    #[test]
    fn a_damaged_weights_file_leaves_the_run_as_it_was() {
        let e = crate::link::decode("lab=groups&compare=z2-p4&fields=2&layers=2").experiment;
        let device = Device::flex();
        let run = Run::new(&e, &device);
        let mut file = WeightsFile::from_bytes(&run.weights_file(&e).unwrap()).unwrap();
        file.models[1].1.truncate(10);
        let mut target = Run::new(&e, &device);
        let before = pollster::block_on(target.report()).unwrap();
        assert!(target.load_weights_file(&e, &file.to_bytes()).is_err());
        assert_eq!(pollster::block_on(target.report()).unwrap(), before);
    }

    #[test]
    #[cfg(feature = "ndarray")] // on in workspace runs (the CLI turns it on)
    fn both_cpu_backends_start_from_the_same_loss() {
        let e = Experiment::default();
        #[allow(deprecated)] // NdArray is one of the offered CPU backends.
        let nd = run_losses(&e, &Device::ndarray(), 1);
        let fx = run_losses(&e, &Device::flex(), 1);
        assert!((nd[0] - fx[0]).abs() < 1e-5, "{nd:?} vs {fx:?}");
    }
}
