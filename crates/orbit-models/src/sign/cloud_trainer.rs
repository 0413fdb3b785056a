//! Fitting a [`CloudModel`] by mean squared error with Adam, one minibatch at a time.

use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::{ExecutionError, Tensor};

use super::cloud::CloudModel;

/// Fits a [`CloudModel`] (built on the autodiff device) to targets of the same shape.
pub struct CloudTrainer<M: CloudModel> {
    model: M,
    optimizer: ModuleOptimizer,
    learning_rate: f64,
    steps: usize,
}

impl<M: CloudModel> CloudTrainer<M> {
    /// A trainer for `model`.
    pub fn new(model: M, learning_rate: f64) -> Self {
        Self {
            model,
            optimizer: AdamConfig::new().init(),
            learning_rate,
            steps: 0,
        }
    }

    /// One Adam step on `mean |model(x) − y|²`; returns the loss.
    ///
    /// # Shapes
    /// - `x`, `y`: `[b, n, d]` on the autodiff device
    pub async fn step(&mut self, x: Tensor<3>, y: Tensor<3>) -> Result<f32, ExecutionError> {
        let loss = (self.model.predict(x) - y).powi_scalar(2).mean();
        let grads = GradientsParams::from_grads(loss.backward(), &self.model);
        let model = self.model.clone();
        self.model = self.optimizer.step(self.learning_rate, model, grads);
        self.steps += 1;
        loss.into_scalar_async::<f32>().await
    }

    /// The current model's predictions for `x` (plain device), row-major `[b, n, d]`.
    pub async fn predict(&self, x: Tensor<3>) -> Result<Vec<f32>, ExecutionError> {
        let values = self.model.valid().predict(x).into_data_async().await?;
        Ok(values.iter::<f32>().collect())
    }

    /// Steps taken.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// The model's parameters as bytes (see [`crate::record`]).
    pub fn weights(&self) -> Result<Vec<u8>, String> {
        crate::record::module_to_bytes(&self.model)
    }

    /// Whether `bytes` are weights of this very architecture (the check
    /// [`Self::load_weights`] makes, without loading).
    pub fn check_weights(&self, bytes: &[u8]) -> Result<(), String> {
        crate::record::module_from_bytes(self.model.clone(), bytes).map(|_| ())
    }

    /// Continues from saved weights (shapes are checked): the step count becomes `steps` and
    /// Adam's moment estimates start afresh.
    pub fn load_weights(&mut self, bytes: &[u8], steps: usize) -> Result<(), String> {
        self.model = crate::record::module_from_bytes(self.model.clone(), bytes)?;
        self.optimizer = AdamConfig::new().init();
        self.steps = steps;
        Ok(())
    }
}
