//! Training a [`Branched`] network (the point-set [`VectorNet`] or the digit
//! [`super::BranchedCnn`]) in one of ACE's four modes, by primal–dual steps (docs/science.md §4).
//!
//! Each layer's γ_l carries a constraint: `γ_l = 0` (equality, Algorithm 1 of the paper) or
//! `|γ_l| ≤ u_l` with a slack `u_l` that costs `(ρ/2) u_l²` (resilient, Algorithm 2). The
//! Lagrangian adds `Σ λ_l s_l + c Σ s_l²` to the loss, with `s_l` the constraint's violation
//! (`γ_l`, or `max(0, |γ_l| − u_l)` for the augmented term and `|γ_l| − u_l` for the
//! multiplier's); the primal step (Adam) descends it in θ and γ, the dual step ascends it in λ
//! with the values before the primal step, and `λ ≥ 0` for the inequality. `c = 0` is plain
//! descent–ascent, which oscillates on an equality constraint. After every step the branches'
//! weights are put back to unit norm ([`Branched::unit_branches`]).

use burn::module::Module;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::{ExecutionError, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use super::VectorNet;

/// A network whose every layer adds a non-equivariant branch scaled by its own γ_l.
pub trait Branched: Module + 'static {
    /// γ_l of every layer, `[L]`: the parameter itself, so that a loss on it reaches it.
    fn gamma(&self) -> Tensor<1>;

    /// Layers (one γ, λ and u each).
    fn depth(&self) -> usize;

    /// The network with every branch's weights scaled to unit Frobenius norm, so that γ alone
    /// says how much of a branch is used (otherwise γ → 0 while the weights grow).
    fn unit_branches(self) -> Self;
}

impl Branched for VectorNet {
    fn gamma(&self) -> Tensor<1> {
        self.gamma.val()
    }

    fn depth(&self) -> usize {
        VectorNet::depth(self)
    }

    fn unit_branches(mut self) -> Self {
        self.layers = self.layers.into_iter().map(|l| l.unit_branch()).collect();
        self
    }
}

/// How the non-equivariant branches are treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    /// γ ≡ 0: the branches are never used (an exactly equivariant network).
    Strict,
    /// γ trained freely, no constraint (an ordinary, non-equivariant network).
    Free,
    /// ACE with the equality constraint γ_l = 0.
    Equality,
    /// ACE with the resilient constraint |γ_l| ≤ u_l, the slack u_l at cost (ρ/2)u_l².
    Resilient,
}

impl Mode {
    /// Every mode, in plot order.
    pub const ALL: [Mode; 4] = [Mode::Strict, Mode::Free, Mode::Equality, Mode::Resilient];

    /// Short key for metric names.
    pub fn key(self) -> &'static str {
        match self {
            Mode::Strict => "strict",
            Mode::Free => "free",
            Mode::Equality => "equality",
            Mode::Resilient => "resilient",
        }
    }

    /// Name in plots.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Strict => "strict (γ ≡ 0)",
            Mode::Free => "unconstrained",
            Mode::Equality => "ACE, equality",
            Mode::Resilient => "ACE, resilient",
        }
    }

    /// Whether the branches take part in training.
    pub fn uses_branch(self) -> bool {
        self != Mode::Strict
    }
}

/// Step sizes and constraint costs of a [`PrimalDual`] trainer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PrimalDualSettings {
    /// Adam's step size for θ and γ (η_p), also the slack's step size.
    pub primal_lr: f64,
    /// The multipliers' step size (η_d).
    pub dual_lr: f64,
    /// The augmented term's weight c (0: plain descent–ascent).
    pub augmented: f64,
    /// The slack's cost ρ (resilient mode).
    pub slack_cost: f64,
}

/// One mode's constraint state: its multipliers λ_l, slacks u_l and the γ_l of the last step,
/// with the Lagrangian's terms and the dual step that [`PrimalDual`] and
/// [`super::PrimalDualStack`] share.
#[derive(Clone, Debug)]
pub struct DualState {
    mode: Mode,
    duals: Duals,
}

impl DualState {
    /// λ = 0 and u = 0 for `layers` layers; γ = 1 (0 in strict mode), the networks' start.
    pub fn new(mode: Mode, layers: usize) -> Self {
        Self {
            mode,
            duals: Duals {
                lambda: vec![0.0; layers],
                slack: vec![0.0; layers],
                gamma: vec![if mode.uses_branch() { 1.0 } else { 0.0 }; layers],
            },
        }
    }

    /// What the constraint adds to the task loss, from the γ parameter (`[L]`, on the
    /// autodiff device): `Σ λ_l s_l + c Σ s_l²`; `None` in strict and unconstrained mode.
    pub fn penalty(&self, gamma: Tensor<1>, augmented: f64) -> Option<Tensor<1>> {
        let device = gamma.device();
        let layers = self.layers();
        let as_tensor = |v: &[f64]| {
            let v: Vec<f32> = v.iter().map(|&x| x as f32).collect();
            Tensor::<1>::from_data(TensorData::new(v, [layers]), &device)
        };
        let c = augmented;
        match self.mode {
            Mode::Strict | Mode::Free => None,
            Mode::Equality => Some(
                (gamma.clone() * as_tensor(&self.duals.lambda)).sum()
                    + gamma.powi_scalar(2).sum() * c,
            ),
            Mode::Resilient => {
                let excess = gamma.abs() - as_tensor(&self.duals.slack);
                Some(
                    (excess.clone() * as_tensor(&self.duals.lambda)).sum()
                        + excess.clamp_min(0.0).powi_scalar(2).sum() * c,
                )
            }
        }
    }

    /// λ and u from the γ before the primal step.
    pub fn dual_step(&mut self, s: &PrimalDualSettings) {
        let d = &mut self.duals;
        match self.mode {
            Mode::Strict | Mode::Free => {}
            Mode::Equality => {
                for (l, g) in d.lambda.iter_mut().zip(&d.gamma) {
                    *l += s.dual_lr * g;
                }
            }
            Mode::Resilient => {
                for ((l, u), g) in d.lambda.iter_mut().zip(&mut d.slack).zip(&d.gamma) {
                    let violation = g.abs() - *u;
                    *u -= s.primal_lr * (s.slack_cost * *u - *l);
                    *l = (*l + s.dual_lr * violation).max(0.0);
                }
            }
        }
    }

    /// Keeps the γs after a primal step (read from the network; ignored in strict mode, whose
    /// γs are 0 whatever the parameter holds).
    pub fn record_gamma(&mut self, gamma: Vec<f64>) {
        if self.mode.uses_branch() {
            self.duals.gamma = gamma;
        }
    }

    /// Replaces λ, u and γ after checking their lengths and that they are finite.
    pub fn load(&mut self, duals: Duals) -> Result<(), String> {
        let layers = self.layers();
        for (name, v) in [
            ("λ", &duals.lambda),
            ("u", &duals.slack),
            ("γ", &duals.gamma),
        ] {
            if v.len() != layers || v.iter().any(|x| !x.is_finite()) {
                return Err(format!(
                    "the saved {name} has {} finite values, the network {layers} layers",
                    v.iter().filter(|x| x.is_finite()).count()
                ));
            }
        }
        self.duals = duals;
        Ok(())
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// γ_l after the last step.
    pub fn gamma(&self) -> &[f64] {
        &self.duals.gamma
    }

    /// λ_l after the last step.
    pub fn lambda(&self) -> &[f64] {
        &self.duals.lambda
    }

    /// u_l after the last step.
    pub fn slack(&self) -> &[f64] {
        &self.duals.slack
    }

    /// Layers (one γ, λ and u each).
    pub fn layers(&self) -> usize {
        self.duals.lambda.len()
    }

    /// λ, u and γ as a weights file keeps them.
    pub fn duals(&self) -> Duals {
        self.duals.clone()
    }
}

/// A [`Branched`] network trained in one [`Mode`], with its multipliers and slacks.
pub struct PrimalDual<M: Branched> {
    settings: PrimalDualSettings,
    model: M,
    optimizer: ModuleOptimizer,
    state: DualState,
    steps: usize,
}

impl PrimalDual<VectorNet> {
    /// One primal–dual step on the full batch; returns the task loss (mean squared error).
    ///
    /// # Shapes
    /// - `x`, `y`: `[b, n, 2]` on the autodiff device
    pub async fn step(&mut self, x: Tensor<3>, y: Tensor<3>) -> Result<f32, ExecutionError> {
        self.step_with(|model, branch| (model.forward(x, branch) - y).powi_scalar(2).mean())
            .await
    }

    /// Predictions on the plain device, with the branches (`f_{θ,γ}`) or without (`f_eq`),
    /// row-major `[b, n, 2]`.
    pub async fn predict(&self, x: Tensor<3>, branch: bool) -> Result<Vec<f32>, ExecutionError> {
        let branch = branch && self.mode().uses_branch();
        let values = self
            .model
            .valid()
            .forward(x, branch)
            .into_data_async()
            .await?;
        Ok(values.iter::<f32>().collect())
    }
}

impl<M: Branched> PrimalDual<M> {
    /// A trainer for `model` (built on an autodiff device): λ = 0, u = 0.
    pub fn new(model: M, mode: Mode, settings: PrimalDualSettings) -> Self {
        let layers = model.depth();
        Self {
            settings,
            model,
            optimizer: AdamConfig::new().init(),
            state: DualState::new(mode, layers),
            steps: 0,
        }
    }

    /// One primal–dual step: `task(model, branch)` is the task loss of the model on the
    /// autodiff device (`branch` false in strict mode); returns its value.
    pub async fn step_with(
        &mut self,
        task: impl FnOnce(&M, bool) -> Tensor<1>,
    ) -> Result<f32, ExecutionError> {
        let task = task(&self.model, self.mode().uses_branch());
        let objective = match self
            .state
            .penalty(self.model.gamma(), self.settings.augmented)
        {
            Some(penalty) => task.clone() + penalty,
            None => task.clone(),
        };
        let grads = GradientsParams::from_grads(objective.backward(), &self.model);
        let model = self.model.clone();
        self.model = self
            .optimizer
            .step(self.settings.primal_lr, model, grads)
            .unit_branches();
        self.state.dual_step(&self.settings);
        if self.mode().uses_branch() {
            let data = self.model.gamma().into_data_async().await?;
            self.state
                .record_gamma(data.iter::<f32>().map(f64::from).collect());
        }
        self.steps += 1;
        task.into_scalar_async::<f32>().await
    }

    /// The model on the plain device.
    pub fn model(&self) -> M {
        self.model.valid()
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.state.mode()
    }

    /// The multipliers, slacks and γs.
    pub fn state(&self) -> &DualState {
        &self.state
    }

    /// γ_l after the last step.
    pub fn gamma(&self) -> &[f64] {
        self.state.gamma()
    }

    /// λ_l after the last step.
    pub fn lambda(&self) -> &[f64] {
        self.state.lambda()
    }

    /// u_l after the last step.
    pub fn slack(&self) -> &[f64] {
        self.state.slack()
    }

    /// Steps taken.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// Layers of the network (one γ, λ and u each).
    pub fn layers(&self) -> usize {
        self.state.layers()
    }

    /// The network's parameters (θ and γ) as bytes (see [`crate::record`]).
    pub fn weights(&self) -> Result<Vec<u8>, String> {
        crate::record::module_to_bytes(&self.model)
    }

    /// The dual state that goes with [`Self::weights`]: λ_l, u_l and γ_l after the last step.
    pub fn duals(&self) -> Duals {
        self.state.duals()
    }

    /// Continues from saved weights and duals (shapes and lengths are checked): the step
    /// count becomes `steps` and Adam's moment estimates start afresh.
    pub fn load_weights(&mut self, bytes: &[u8], duals: Duals, steps: usize) -> Result<(), String> {
        let mut state = self.state.clone();
        state.load(duals)?;
        self.model = crate::record::module_from_bytes(self.model.clone(), bytes)?;
        self.optimizer = AdamConfig::new().init();
        self.state = state;
        self.steps = steps;
        Ok(())
    }
}

/// A [`PrimalDual`] trainer's multipliers, slacks and γs, one per layer: what a weights file
/// keeps beside the network so that constrained training continues where it was.
#[derive(Clone, Debug, PartialEq)]
pub struct Duals {
    /// Multipliers λ_l.
    pub lambda: Vec<f64>,
    /// Slacks u_l.
    pub slack: Vec<f64>,
    /// γ_l after the last step.
    pub gamma: Vec<f64>,
}

impl Duals {
    /// λ, then u, then γ, each value as its 8 little-endian bytes: exact, unlike a decimal
    /// text that a parser may round.
    pub fn to_bytes(&self) -> Vec<u8> {
        [&self.lambda, &self.slack, &self.gamma]
            .into_iter()
            .flatten()
            .flat_map(|x| x.to_le_bytes())
            .collect()
    }

    /// Reads what [`Self::to_bytes`] wrote for a network of `layers` layers.
    pub fn from_bytes(bytes: &[u8], layers: usize) -> Result<Self, String> {
        if bytes.len() != 3 * layers * 8 {
            return Err(format!(
                "{} bytes where λ, u and γ of {layers} layers take {}",
                bytes.len(),
                3 * layers * 8
            ));
        }
        let values: Vec<f64> = bytes
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
            .collect();
        Ok(Self {
            lambda: values[..layers].to_vec(),
            slack: values[layers..2 * layers].to_vec(),
            gamma: values[2 * layers..].to_vec(),
        })
    }
}
