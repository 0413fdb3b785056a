//! [`PrimalDualStack`]: one [`VectorNetStack`] whose members train in their own [`Mode`]s at
//! once, each exactly as a [`super::PrimalDual`] would train it alone.
//!
//! The objective is the sum over members of each member's task loss and constraint terms;
//! since no parameter is shared, each member's gradient is the one it would have alone, and
//! Adam, being element-wise, moves each member's slice as a trainer of its own would. Strict
//! members keep their branch at γ·0 (their branch's gradient is then exactly 0, and Adam does
//! not move a parameter whose gradient has always been 0).

use burn::module::Module;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, ExecutionError, Tensor, TensorData};

use super::{
    DualState, Duals, Mode, PrimalDualSettings, VectorNet, VectorNetConfig, VectorNetStack,
};

/// Members of one network architecture, each trained in its own mode, stepped together.
pub struct PrimalDualStack {
    settings: PrimalDualSettings,
    net: VectorNetStack,
    optimizer: ModuleOptimizer,
    states: Vec<DualState>,
}

impl PrimalDualStack {
    /// One member per mode, all from the same initial weights (`config` with `seed`), built
    /// on the plain `device` and trained on its autodiff device: λ = 0, u = 0.
    pub fn new(
        config: &VectorNetConfig,
        seed: u64,
        modes: &[Mode],
        settings: PrimalDualSettings,
        device: &Device,
    ) -> Self {
        let net = config.init(seed, device);
        let members: Vec<VectorNet> = modes.iter().map(|_| net.clone()).collect();
        Self {
            settings,
            net: VectorNetStack::new(&members, true),
            optimizer: AdamConfig::new().init(),
            states: modes
                .iter()
                .map(|&mode| DualState::new(mode, config.layers))
                .collect(),
        }
    }

    /// `[M, L]`: 1 where a member uses its branch, 0 for strict members.
    fn gamma_scale(&self, device: &Device) -> Tensor<2> {
        let layers = self.net.depth();
        let scale: Vec<f32> = self
            .states
            .iter()
            .flat_map(|s| vec![if s.mode().uses_branch() { 1.0 } else { 0.0 }; layers])
            .collect();
        Tensor::from_data(TensorData::new(scale, [self.states.len(), layers]), device)
    }

    /// One primal–dual step of every member on the same full batch; returns each member's
    /// task loss (mean squared error).
    ///
    /// # Shapes
    /// - `x`, `y`: `[b, n, 2]` on the autodiff device
    pub async fn step(&mut self, x: Tensor<3>, y: Tensor<3>) -> Result<Vec<f32>, ExecutionError> {
        let (members, layers) = (self.states.len(), self.net.depth());
        let prediction = self
            .net
            .forward(x.clone(), Some(self.gamma_scale(&x.device())));
        let [_, b, n, _] = prediction.dims();
        let task = (prediction - y.unsqueeze_dim::<4>(0))
            .powi_scalar(2)
            .reshape([members, b * n * 2])
            .mean_dim(1)
            .reshape([members]);
        let gamma = self.net.gamma.val();
        let mut objective = task.clone().sum();
        for (i, state) in self.states.iter().enumerate() {
            let own = gamma.clone().narrow(0, i, 1).reshape([layers]);
            if let Some(penalty) = state.penalty(own, self.settings.augmented) {
                objective = objective + penalty;
            }
        }
        let grads = GradientsParams::from_grads(objective.backward(), &self.net);
        let net = self.net.clone();
        self.net = self
            .optimizer
            .step(self.settings.primal_lr, net, grads)
            .unit_branches();
        let gamma = self.net.gamma.val().into_data_async().await?;
        let gamma: Vec<f64> = gamma.iter::<f32>().map(f64::from).collect();
        for (state, after) in self.states.iter_mut().zip(gamma.chunks(layers)) {
            state.dual_step(&self.settings);
            state.record_gamma(after.to_vec());
        }
        Ok(task.into_data_async().await?.iter::<f32>().collect())
    }

    /// Every member's predictions on the plain device, with its branches (`f_{θ,γ}`; a strict
    /// member's are at γ·0) or without (`f_eq`), each row-major `[b, n, 2]`.
    pub async fn predict(
        &self,
        x: Tensor<3>,
        branch: bool,
    ) -> Result<Vec<Vec<f32>>, ExecutionError> {
        let scale = branch.then(|| self.gamma_scale(&x.device()));
        let values = self.net.valid().forward(x, scale).into_data_async().await?;
        let values: Vec<f32> = values.iter::<f32>().collect();
        let each = values.len() / self.states.len();
        Ok(values.chunks(each).map(<[f32]>::to_vec).collect())
    }

    /// Each member's mode, multipliers, slacks and γs, in member order.
    pub fn states(&self) -> &[DualState] {
        &self.states
    }

    /// Member `m`'s network on the plain device.
    pub fn member(&self, m: usize) -> VectorNet {
        self.net.valid().member(m)
    }

    /// Member `m`'s parameters (θ and γ) as the bytes a lone [`VectorNet`] would save.
    pub fn weights(&self, m: usize) -> Result<Vec<u8>, String> {
        crate::record::module_to_bytes(&self.member(m))
    }

    /// Continues from saved networks and duals, one per member in member order; every one is
    /// checked before any is applied. Adam's moment
    /// estimates start afresh.
    pub fn load_weights(&mut self, saved: Vec<(&[u8], Duals)>) -> Result<(), String> {
        if saved.len() != self.states.len() {
            return Err(format!(
                "{} saved networks for {} members",
                saved.len(),
                self.states.len()
            ));
        }
        let plain = self.net.valid();
        let mut states = self.states.clone();
        let mut nets = Vec::with_capacity(saved.len());
        for (m, (bytes, duals)) in saved.into_iter().enumerate() {
            nets.push(crate::record::module_from_bytes(plain.member(m), bytes)?);
            states[m].load(duals)?;
        }
        self.net = VectorNetStack::new(&nets, true);
        self.optimizer = AdamConfig::new().init();
        self.states = states;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ace::PrimalDual;
    use orbit_math::Rng;
    use orbit_math::pointset::{POINTS, PointSets};

    fn tensor(values: &[f64], device: &Device) -> Tensor<3> {
        let v: Vec<f32> = values.iter().map(|&x| x as f32).collect();
        Tensor::from_data(
            TensorData::new(v, [values.len() / (2 * POINTS), POINTS, 2]),
            device,
        )
    }

    fn close(a: &[f64], b: &[f64], what: &str) {
        for (x, y) in a.iter().zip(b) {
            assert!(
                (x - y).abs() <= 1e-4 * (1.0 + y.abs()),
                "{what}: {a:?} against {b:?}"
            );
        }
    }

    /// The stack trains each mode as a trainer of its own does: the same losses, γ, λ and u
    /// step by step (up to the order of floating-point sums), on windy data so that every
    /// constraint is active.
    #[test]
    fn the_stack_trains_each_mode_as_its_own_trainer_does() {
        let device = Device::flex();
        let autodiff = device.clone().autodiff();
        let data = PointSets::sample(32, POINTS, 0.5, &mut Rng::new(5));
        let (x, y) = (tensor(&data.x, &autodiff), tensor(&data.y, &autodiff));
        let settings = PrimalDualSettings {
            primal_lr: 0.01,
            dual_lr: 0.05,
            augmented: 1.0,
            slack_cost: 1.0,
        };
        let config = VectorNetConfig::new();
        let mut stack = PrimalDualStack::new(&config, 3, &Mode::ALL, settings, &device);
        let mut alone: Vec<PrimalDual<VectorNet>> = Mode::ALL
            .iter()
            .map(|&mode| PrimalDual::new(config.init(3, &autodiff), mode, settings))
            .collect();
        for step in 0..25 {
            let losses = pollster::block_on(stack.step(x.clone(), y.clone())).unwrap();
            for (m, trainer) in alone.iter_mut().enumerate() {
                let loss = pollster::block_on(trainer.step(x.clone(), y.clone())).unwrap();
                let what = format!("step {step}, {:?}", trainer.mode());
                close(
                    &[f64::from(losses[m])],
                    &[f64::from(loss)],
                    &format!("{what} loss"),
                );
                let state = &stack.states()[m];
                close(state.gamma(), trainer.gamma(), &format!("{what} γ"));
                close(state.lambda(), trainer.lambda(), &format!("{what} λ"));
                close(state.slack(), trainer.slack(), &format!("{what} u"));
            }
        }
        // The modes did move apart (the comparison above compares something).
        let gammas: Vec<f64> = stack.states().iter().map(|s| s.gamma()[0]).collect();
        assert!(
            gammas[0] == 0.0 && (gammas[1] - gammas[2]).abs() > 1e-3,
            "{gammas:?}"
        );
    }
}
