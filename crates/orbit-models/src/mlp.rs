//! The multilayer perceptron: the baseline every equivariant model is compared against.

use burn::config::Config;
use burn::module::Module;
use burn::nn::{Linear, Relu};
use burn::tensor::{Device, Tensor};
use orbit_math::Rng;

use crate::classifier::ImageClassifier;
use crate::init;

/// Configuration of an [`Mlp`].
#[derive(Config, Debug, PartialEq)]
pub struct MlpConfig {
    /// Size of one flattened input (64 for an 8×8 digit).
    pub input: usize,
    /// Number of output classes.
    pub classes: usize,
    /// Width of every hidden layer.
    #[config(default = 64)]
    pub hidden: usize,
    /// Number of hidden layers (0 gives a linear classifier).
    #[config(default = 1)]
    pub depth: usize,
}

/// A ReLU multilayer perceptron over flattened images.
#[derive(Module, Debug)]
pub struct Mlp {
    /// `depth + 1` linear layers; ReLU between them, none after the last.
    pub layers: Vec<Linear>,
    activation: Relu,
}

impl MlpConfig {
    /// Builds the MLP with weights drawn from `Rng::new(seed)`.
    pub fn init(&self, seed: u64, device: &Device) -> Mlp {
        let mut rng = Rng::new(seed).fork("mlp");
        let mut widths = vec![self.input];
        widths.extend(std::iter::repeat_n(self.hidden, self.depth));
        widths.push(self.classes);
        let layers = widths
            .windows(2)
            .map(|w| init::linear(w[0], w[1], &mut rng, device))
            .collect();
        Mlp {
            layers,
            activation: Relu::new(),
        }
    }

    /// Parameters: Σ (d_in + 1)·d_out over the layers.
    pub fn num_params(&self) -> usize {
        let mut widths = vec![self.input];
        widths.extend(std::iter::repeat_n(self.hidden, self.depth));
        widths.push(self.classes);
        widths.windows(2).map(|w| (w[0] + 1) * w[1]).sum()
    }
}

impl Mlp {
    /// Logits for flattened inputs.
    ///
    /// # Shapes
    /// - input: `[batch, input]`
    /// - output: `[batch, classes]`
    pub fn forward(&self, input: Tensor<2>) -> Tensor<2> {
        let last = self.layers.len() - 1;
        let mut x = input;
        for (i, layer) in self.layers.iter().enumerate() {
            x = layer.forward(x);
            if i < last {
                x = self.activation.forward(x);
            }
        }
        x
    }
}

impl ImageClassifier for Mlp {
    fn logits(&self, images: Tensor<4>) -> Tensor<2> {
        self.forward(images.flatten(1, 3))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_parameter_count() {
        let device = Device::flex();
        let config = MlpConfig::new(64, 10).with_hidden(32).with_depth(2);
        let mlp = config.init(3, &device);
        assert_eq!(mlp.num_params(), config.num_params());
        assert_eq!(config.num_params(), 65 * 32 + 33 * 32 + 33 * 10);
        let out = mlp.logits(Tensor::zeros([5, 1, 8, 8], &device));
        assert_eq!(out.dims(), [5, 10]);
    }
}
