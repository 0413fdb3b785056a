//! Orbit's models and training layer: Burn modules and the training loop, no browser.
//!
//! - [`init`]: seeded parameter initialisation from [`orbit_math::Rng`], so that initial weights
//!   depend only on the experiment's seed, never on a backend's own generator.
//! - [`mlp`]: [`MlpConfig`] → [`Mlp`], the plain multilayer perceptron baseline.
//! - [`gcnn`]: group-equivariant CNNs on p4 and p4m ([`GroupCnnConfig`] → [`GroupCnn`]), and
//!   the Z2-CNN as the same network on the trivial group.
//! - [`sign`]: SignDSS, SignNet and the baselines on Laplacian eigenvectors.
//! - [`ace`]: the SO(2)×S_N vector-channel network with a γ-scaled non-equivariant branch per
//!   layer, and its primal–dual trainer in ACE's modes.
//! - [`equivariance`]: the [`Action`] abstraction and the one [`equivariance_error`].
//! - [`classifier`]: the [`ImageClassifier`] trait every image model implements, the host-side
//!   [`ImageSet`], and the [`ClassifierTrainer`] that advances one Adam step at a time and
//!   evaluates with asynchronous reads only.
//! - [`kept_slope`]: `sqrt` and `sigmoid` whose backward pass is one product (no `powf` or
//!   `exp` again, which WebAssembly computes in software).
//! - [`record`]: a module's trained parameters as bytes and back (Burn's record, shapes
//!   checked), for weights files.
//!
//! Code here never blocks on a device read: it uses `into_data_async` / `into_scalar_async`, so
//! the same code trains on WebGPU in a page, on a CPU backend in a page, and natively.
//!
//! ```
//! use burn::tensor::Device;
//! use orbit_models::{ClassifierTrainer, ImageSet, MlpConfig, TrainSettings};
//! let device = Device::flex();
//! let images = ImageSet::new(vec![0.0; 2 * 64], vec![0, 1], 8);
//! let model = MlpConfig::new(64, 10).init(7, &device.clone().autodiff());
//! let mut trainer = ClassifierTrainer::new(model, images.clone(), TrainSettings::default(), 7, &device);
//! let loss = pollster::block_on(trainer.step()).unwrap();
//! assert!(loss.is_finite());
//! ```

pub mod ace;
pub mod classifier;
pub mod equivariance;
pub mod gcnn;
pub mod init;
pub mod kept_slope;
pub mod mlp;
pub mod record;
pub mod sign;

pub use classifier::{
    ClassifierTrainer, Evaluation, ImageClassifier, ImageSet, TrainSettings, Yielder,
};
pub use equivariance::{Action, equivariance_error};
pub use gcnn::{GroupCnn, GroupCnnConfig};
pub use mlp::{Mlp, MlpConfig};
