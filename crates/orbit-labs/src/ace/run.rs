//! [`AceRun`]: the four modes trained side by side on the same point sets from the same initial
//! weights (one stacked network, a member per mode, stepped in one pass); reports carry each
//! mode's test errors (with and without its branches), its γ, λ and u per layer, and the
//! equivariance error of the whole network.

use serde::{Deserialize, Serialize};
use std::any::Any;
use std::sync::Arc;

use burn::tensor::{Device, Tensor, TensorData};
use orbit_math::Rng;
use orbit_math::equivariance::equivariance_error;
use orbit_math::pointset::{POINTS, PointSets, relabel, rotate, target};
use orbit_math::stats::normalised_error;
use orbit_models::Yielder;
use orbit_models::ace::{Mode, PrimalDualSettings, PrimalDualStack, VectorNetConfig};

use super::{AceSettings, TEST_SETS, check_duals};
use crate::lab::{LabRun, LabView, LocalFuture};
use crate::metrics::Metrics;
use crate::outcome::{Due, RunError, StepOutcome, check_loss};

/// Held-out sets whose predictions probe the equivariance error at every report.
const PROBE_SETS: usize = 32;

/// One mode's prediction on the shown set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AceArrows {
    /// The mode.
    pub mode: Mode,
    /// The predicted vector of every point, `n × 2`, for the turned input.
    pub vectors: Vec<f64>,
    /// `Σ|f − y|² / Σ|y|²` on this set.
    pub error: f64,
    /// The equivariance error under the shown turn: `max|f(Rx) − R f(x)| / max(1, max|f(x)|)`.
    pub equivariance_error: f64,
}

/// What the ACE lab's page draws besides the reports: the shown set, turned as chosen, its
/// true vectors and every mode's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AcePanels {
    /// The turned points, `n × 2`.
    pub points: Vec<f64>,
    /// Their true target vectors, `n × 2`.
    pub target: Vec<f64>,
    /// Each mode's arrows, in plot order.
    pub arrows: Vec<AceArrows>,
    /// The turn, degrees.
    pub turn: f64,
}

/// An ACE-lab run.
pub struct AceRun {
    settings: AceSettings,
    trainer: PrimalDualStack,
    losses: Vec<Vec<f64>>,
    train_x: Tensor<3>,
    train_y: Tensor<3>,
    test: PointSets,
    test_x: Tensor<3>,
    device: Device,
    probe_order: Vec<usize>,
    probe_angle: f64,
    steps: usize,
    yielder: Option<Yielder>,
}

fn tensor(values: &[f64], device: &Device) -> Tensor<3> {
    let v: Vec<f32> = values.iter().map(|&x| x as f32).collect();
    let sets = values.len() / (2 * POINTS);
    Tensor::from_data(TensorData::new(v, [sets, POINTS, 2]), device)
}

fn wide(values: Vec<f32>) -> Vec<f64> {
    values.into_iter().map(f64::from).collect()
}

impl AceRun {
    /// Builds the data and the four trainers from `seed` (the same initial weights for all).
    pub fn new(settings: &AceSettings, seed: u64, device: &Device) -> Self {
        let root = Rng::new(seed).fork("ace");
        let train = PointSets::sample(
            settings.train,
            POINTS,
            settings.wind,
            &mut root.fork("train"),
        );
        let test = PointSets::sample(TEST_SETS, POINTS, settings.wind, &mut root.fork("test"));
        let autodiff = device.clone().autodiff();
        let primal_dual = PrimalDualSettings {
            primal_lr: settings.lr,
            dual_lr: settings.dual,
            augmented: settings.c,
            slack_cost: settings.rho,
        };
        let trainer = PrimalDualStack::new(
            &VectorNetConfig::new(),
            seed,
            &Mode::ALL,
            primal_dual,
            device,
        );
        let mut probe = root.fork("probe");
        Self {
            settings: settings.clone(),
            losses: vec![Vec::new(); Mode::ALL.len()],
            trainer,
            train_x: tensor(&train.x, &autodiff),
            train_y: tensor(&train.y, &autodiff),
            test_x: tensor(&test.x, device),
            test,
            device: device.clone(),
            probe_order: probe.permutation(POINTS),
            probe_angle: probe.uniform_in(0.0, std::f64::consts::TAU),
            steps: 0,
            yielder: None,
        }
    }

    async fn pause(&self) {
        if let Some(y) = &self.yielder {
            y().await;
        }
    }

    /// One primal–dual step of every mode on the full training batch.
    pub async fn step(&mut self) -> Result<StepOutcome, RunError> {
        let step_losses = self
            .trainer
            .step(self.train_x.clone(), self.train_y.clone())
            .await?;
        let mut losses = Vec::with_capacity(step_losses.len());
        let states = self.trainer.states();
        for ((state, loss), history) in states.iter().zip(step_losses).zip(&mut self.losses) {
            let loss = check_loss(self.steps + 1, f64::from(loss))?;
            check_duals(self.steps + 1, state.mode().label(), state)?;
            history.push(loss);
            losses.push((state.mode().label().to_string(), loss));
        }
        self.steps += 1;
        let due = Due::at(self.steps, self.settings.steps, self.settings.eval);
        due.outcome(losses, async || self.report().await).await
    }

    /// Every mode's errors, γ, λ and u.
    pub async fn report(&mut self) -> Result<Metrics, RunError> {
        let mut m = Metrics::new(self.steps);
        let probe: Vec<f64> = self.test.x[..PROBE_SETS * POINTS * 2].to_vec();
        let acted: Vec<f64> = probe
            .chunks(2 * POINTS)
            .flat_map(|set| rotate(&relabel(set, &self.probe_order), self.probe_angle))
            .collect();
        let (probe_x, acted_x) = (tensor(&probe, &self.device), tensor(&acted, &self.device));
        // Every member's predictions in one pass each.
        let full = self.trainer.predict(self.test_x.clone(), true).await?;
        let eq = self.trainer.predict(self.test_x.clone(), false).await?;
        let f_x = self.trainer.predict(probe_x, true).await?;
        let f_gx = self.trainer.predict(acted_x, true).await?;
        let rows = full.into_iter().zip(eq).zip(f_x.into_iter().zip(f_gx));
        for (i, (member, ((full, eq), (f_x, f_gx)))) in
            self.trainer.states().iter().zip(rows).enumerate()
        {
            let key = member.mode().key();
            let (full, eq, f_x, f_gx) = (wide(full), wide(eq), wide(f_x), wide(f_gx));
            m = m
                .with(
                    &format!("{key}_test_error"),
                    normalised_error(&full, &self.test.y),
                )
                .with(
                    &format!("{key}_eq_test_error"),
                    normalised_error(&eq, &self.test.y),
                );
            let g_fx: Vec<f64> = f_x
                .chunks(2 * POINTS)
                .flat_map(|set| rotate(&relabel(set, &self.probe_order), self.probe_angle))
                .collect();
            m = m.with(
                &format!("{key}_equivariance_error"),
                equivariance_error(&f_gx, &g_fx, &f_x),
            );
            let max_gamma = member.gamma().iter().fold(0.0f64, |a, g| a.max(g.abs()));
            m = m.with(&format!("{key}_max_gamma"), max_gamma);
            for (l, g) in member.gamma().iter().enumerate() {
                m = m.with(&format!("{key}_gamma_l{}", l + 1), *g);
            }
            if matches!(member.mode(), Mode::Equality | Mode::Resilient) {
                for (l, lambda) in member.lambda().iter().enumerate() {
                    m = m.with(&format!("{key}_lambda_l{}", l + 1), *lambda);
                }
            }
            if member.mode() == Mode::Resilient {
                for (l, u) in member.slack().iter().enumerate() {
                    m = m.with(&format!("{key}_slack_l{}", l + 1), *u);
                }
            }
            let history = &mut self.losses[i];
            if !history.is_empty() {
                let mean = history.iter().sum::<f64>() / history.len() as f64;
                m = m.with(&format!("{key}_loss"), mean);
                history.clear();
            }
            self.pause().await;
        }
        Ok(m)
    }

    /// The shown held-out set turned by `turn` degrees, with every mode's arrows.
    pub async fn panels(&self, set: usize, turn: f64) -> Result<AcePanels, RunError> {
        let set = set.min(self.test.len().saturating_sub(1));
        let angle = turn.to_radians();
        let x = self.test.points(set);
        let turned = rotate(x, angle);
        let truth = target(&turned, self.settings.wind);
        let (x_t, turned_t) = (tensor(x, &self.device), tensor(&turned, &self.device));
        let mut arrows = Vec::new();
        let f_x = self.trainer.predict(x_t, true).await?;
        let f_rx = self.trainer.predict(turned_t, true).await?;
        for ((member, f_x), f_rx) in self.trainer.states().iter().zip(f_x).zip(f_rx) {
            let (f_x, f_rx) = (wide(f_x), wide(f_rx));
            arrows.push(AceArrows {
                mode: member.mode(),
                error: normalised_error(&f_rx, &truth),
                equivariance_error: equivariance_error(&f_rx, &rotate(&f_x, angle), &f_x),
                vectors: f_rx,
            });
        }
        Ok(AcePanels {
            points: turned,
            target: truth,
            arrows,
            turn,
        })
    }
}

impl LabRun for AceRun {
    fn step(&mut self) -> LocalFuture<'_, Result<StepOutcome, RunError>> {
        Box::pin(AceRun::step(self))
    }

    fn report(&mut self) -> LocalFuture<'_, Result<Metrics, RunError>> {
        Box::pin(AceRun::report(self))
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

    /// Per mode, the network (`strict`, …) and its multipliers, slacks and γs
    /// (`strict-duals`, …: λ, u and γ per layer as exact binary numbers).
    fn weights(&self) -> Result<crate::lab::ModelWeights, String> {
        let states = self.trainer.states().iter().enumerate();
        super::save_members(
            states.map(|(m, s)| (s.mode().key(), self.trainer.weights(m), s.duals())),
        )
    }

    fn load_weights(&mut self, models: &[(String, Vec<u8>)], step: usize) -> Result<(), String> {
        let keys = self.trainer.states().iter();
        let saved = super::saved_members(models, keys.map(|s| (s.mode().key(), s.layers())))?;
        self.trainer.load_weights(saved)?;
        for history in &mut self.losses {
            history.clear();
        }
        self.steps = step;
        Ok(())
    }

    fn view<'a>(
        &'a mut self,
        settings: &'a (dyn Any + Send + Sync),
    ) -> LocalFuture<'a, Result<Option<LabView>, RunError>> {
        Box::pin(async move {
            let Some(s) = settings.downcast_ref::<AceSettings>() else {
                return Ok(None);
            };
            let view: LabView = Arc::new(self.panels(s.set, s.turn).await?);
            Ok(Some(view))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finish(settings: &AceSettings, seed: u64) -> (Metrics, Vec<Metrics>) {
        let mut run = AceRun::new(settings, seed, &Device::flex());
        let mut reports = Vec::new();
        loop {
            let out = pollster::block_on(run.step()).unwrap();
            reports.extend(out.report);
            if out.finished {
                return (reports.last().unwrap().clone(), reports);
            }
        }
    }

    fn get(m: &Metrics, key: &str) -> f64 {
        m.get(key).unwrap_or_else(|| panic!("no {key} in {m:?}"))
    }

    /// Symmetric data: ACE's f_eq is at least as good as strict's, and its γs end small.
    #[test]
    fn on_symmetric_data_ace_matches_strict_and_its_gammas_vanish() {
        let (last, reports) = finish(&AceSettings::default(), 1);
        eprintln!("{}", last.to_json_line());
        // The augmented term damps the swing that plain descent–ascent shows (below): over the
        // last third of the run γ₁ stays near 0.
        let late = reports
            .iter()
            .filter(|r| r.step >= 1000)
            .map(|r| get(r, "equality_gamma_l1").abs())
            .fold(0.0, f64::max);
        assert!(late < 0.01, "|γ₁| reached {late} after step 1000");
        let strict = get(&last, "strict_eq_test_error");
        let ace = get(&last, "equality_eq_test_error");
        assert!(
            ace <= strict * 1.05,
            "ACE f_eq {ace} against strict {strict}"
        );
        assert!(get(&last, "equality_max_gamma") < 0.05, "{last:?}");
        assert!(get(&last, "strict_equivariance_error") < 1e-5);
    }

    /// Broken data: the resilient mode beats strict and keeps its slack mostly in layer 1.
    #[test]
    fn on_windy_data_resilient_ace_beats_strict_and_keeps_the_first_layer() {
        let settings = AceSettings {
            wind: 0.5,
            ..AceSettings::default()
        };
        let (last, _) = finish(&settings, 1);
        eprintln!("{}", last.to_json_line());
        let strict = get(&last, "strict_test_error");
        let resilient = get(&last, "resilient_test_error");
        assert!(
            resilient < 0.8 * strict,
            "resilient {resilient} against strict {strict}"
        );
        let gammas: Vec<f64> = (1..=3)
            .map(|l| get(&last, &format!("resilient_gamma_l{l}")).abs())
            .collect();
        assert!(
            gammas[0] >= gammas[1] && gammas[0] >= gammas[2],
            "{gammas:?}"
        );
    }

    /// Plain descent–ascent (c = 0) on the equality constraint swings: γ changes sign again and
    /// again.
    #[test]
    fn plain_descent_ascent_oscillates() {
        let settings = AceSettings {
            c: 0.0,
            eval: 10,
            steps: 900,
            ..AceSettings::default()
        };
        let (_, reports) = finish(&settings, 1);
        let changes = sign_changes(&reports, "equality_gamma_l1");
        assert!(changes >= 4, "γ₁ changed sign {changes} times");
        let late = reports
            .iter()
            .filter(|r| r.step >= 600)
            .map(|r| get(r, "equality_gamma_l1").abs())
            .fold(0.0, f64::max);
        assert!(
            late > 0.5,
            "the swing died down: |γ₁| ≤ {late} after step 600"
        );
    }

    fn sign_changes(reports: &[Metrics], key: &str) -> usize {
        let values: Vec<f64> = reports.iter().map(|r| get(r, key)).collect();
        values
            .windows(2)
            .filter(|w| w[0].signum() != w[1].signum())
            .count()
    }
}
