//! The vocabulary every lab's run shares, and nothing else: what a step produced
//! ([`StepOutcome`]), why a run stopped ([`RunError`]), the divergence check ([`check_loss`])
//! and when a report falls due ([`Due`]). A leaf module: it imports no lab, no experiment and no
//! backend, so every one of them may import it.

use std::fmt;

use burn::tensor::ExecutionError;

use crate::metrics::Metrics;

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
    /// The loss (or another trained number) became NaN, infinite or huge.
    Diverged {
        /// The step at which it happened.
        step: usize,
        /// What blew up: "loss", or a trained number such as "γ_2 of ACE resilient".
        quantity: String,
        /// Its value.
        value: f64,
    },
    /// The backend failed to execute or read back.
    Backend(String),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Diverged {
                step,
                quantity,
                value,
            } => write!(
                f,
                "training diverged at step {step} ({quantity} {value}); lower the learning rate and reset"
            ),
            RunError::Backend(e) => write!(f, "the backend failed: {e}"),
        }
    }
}

impl std::error::Error for RunError {}

impl From<ExecutionError> for RunError {
    fn from(e: ExecutionError) -> Self {
        RunError::Backend(e.to_string())
    }
}

/// A training loss above this counts as divergence, like NaN and infinity.
pub const DIVERGED_LOSS: f64 = 1e6;

/// `Err(Diverged)` when a step's loss is non-finite or above [`DIVERGED_LOSS`], so that no
/// NaN ever reaches a plot.
pub fn check_loss(step: usize, loss: f64) -> Result<f64, RunError> {
    check_value(step, "loss", loss)
}

/// [`check_loss`] for another trained number (a γ or a multiplier), named in the message.
pub fn check_value(step: usize, quantity: &str, value: f64) -> Result<f64, RunError> {
    if value.is_finite() && value.abs() <= DIVERGED_LOSS {
        Ok(value)
    } else {
        Err(RunError::Diverged {
            step,
            quantity: quantity.to_string(),
            value,
        })
    }
}

/// Where a run with a step budget stands after a step: whether the budget is spent and
/// whether a report falls due (every `eval` steps, and at the end).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Due {
    /// Steps taken, the last one included.
    pub step: usize,
    /// The budget is spent.
    pub finished: bool,
    /// A report falls due now.
    pub report: bool,
}

impl Due {
    /// After `step` steps of a budget of `budget`, evaluating every `eval` steps.
    pub fn at(step: usize, budget: usize, eval: usize) -> Self {
        let finished = step >= budget;
        Self {
            step,
            finished,
            report: finished || step.is_multiple_of(eval.max(1)),
        }
    }

    /// The step's outcome with its losses, calling `report` for a report when one is due.
    pub async fn outcome(
        self,
        losses: Vec<(String, f64)>,
        report: impl AsyncFnOnce() -> Result<Metrics, RunError>,
    ) -> Result<StepOutcome, RunError> {
        let report = if self.report {
            Some(report().await?)
        } else {
            None
        };
        Ok(StepOutcome {
            step: self.step,
            losses,
            report,
            finished: self.finished,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_finite_and_exploding_losses_are_divergence() {
        assert_eq!(check_loss(3, 0.5), Ok(0.5));
        for bad in [f64::NAN, f64::INFINITY, -f64::INFINITY, 1e9] {
            let e = check_loss(7, bad).unwrap_err();
            assert!(matches!(e, RunError::Diverged { step: 7, .. }));
            assert!(e.to_string().contains("lower the learning rate"));
        }
        let e = check_value(4, "λ_2 of ACE equality", -1e9).unwrap_err();
        assert_eq!(
            e.to_string(),
            "training diverged at step 4 (λ_2 of ACE equality -1000000000); lower the learning rate and reset"
        );
        assert_eq!(check_value(4, "γ_1", -0.5), Ok(-0.5));
    }

    #[test]
    fn reports_fall_due_every_eval_steps_and_at_the_end() {
        let due: Vec<bool> = (1..=7).map(|s| Due::at(s, 7, 3).report).collect();
        assert_eq!(due, [false, false, true, false, false, true, true]);
        assert!(Due::at(7, 7, 3).finished && !Due::at(6, 7, 3).finished);
        assert!(Due::at(5, 9, 0).report, "eval 0 reports every step");
    }
}
