//! Image classification: the model trait, host-side image sets, and the trainer.
//!
//! The trainer keeps its data on the host and uploads one batch per step, so that nothing here
//! depends on which backend runs the model, and every device read is asynchronous.

use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, ExecutionError, Int, Tensor, TensorData};
use orbit_math::Rng;
use orbit_math::group::{self, Element, Group};

/// A model that maps a batch of images to class logits.
pub trait ImageClassifier: Module + 'static {
    /// # Shapes
    /// - images: `[batch, channels, height, width]`
    /// - output: `[batch, classes]`
    fn logits(&self, images: Tensor<4>) -> Tensor<2>;
}

/// Square single-channel images with labels, on the host.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageSet {
    /// `len × side × side` intensities, image after image, row-major.
    pub pixels: Vec<f32>,
    /// `len` class labels.
    pub labels: Vec<u8>,
    /// Side of every image in pixels.
    pub side: usize,
}

impl ImageSet {
    /// A set from its parts; `pixels.len()` must be `labels.len() · side²`.
    pub fn new(pixels: Vec<f32>, labels: Vec<u8>, side: usize) -> Self {
        assert_eq!(
            pixels.len(),
            labels.len() * side * side,
            "pixels do not match labels"
        );
        Self {
            pixels,
            labels,
            side,
        }
    }

    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether the set holds no image.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The pixels of image `i`.
    pub fn image(&self, i: usize) -> &[f32] {
        let n = self.side * self.side;
        &self.pixels[i * n..(i + 1) * n]
    }

    /// The images under group elements: image `i` moved by `elements[i % elements.len()]`.
    pub fn transformed(&self, elements: &[Element]) -> ImageSet {
        let mut pixels = Vec::with_capacity(self.pixels.len());
        for i in 0..self.len() {
            let g = elements[i % elements.len().max(1)];
            pixels.extend(group::act_on_image(self.image(i), self.side, g));
        }
        ImageSet::new(pixels, self.labels.clone(), self.side)
    }

    /// The whole orbit of the set under `group`: every image under every element, element by
    /// element (`|G| · len` images).
    pub fn orbit(&self, group: Group) -> ImageSet {
        let mut pixels = Vec::with_capacity(self.pixels.len() * group.order());
        let mut labels = Vec::with_capacity(self.len() * group.order());
        for g in group.elements() {
            for i in 0..self.len() {
                pixels.extend(group::act_on_image(self.image(i), self.side, g));
                labels.push(self.labels[i]);
            }
        }
        ImageSet::new(pixels, labels, self.side)
    }

    /// The first `n` images (all when `n ≥ len`).
    pub fn head(&self, n: usize) -> ImageSet {
        let n = n.min(self.len());
        let px = self.side * self.side;
        ImageSet::new(
            self.pixels[..n * px].to_vec(),
            self.labels[..n].to_vec(),
            self.side,
        )
    }

    /// Uploads the given rows as `([rows, 1, side, side], [rows])` tensors.
    pub fn tensors(&self, rows: &[usize], device: &Device) -> (Tensor<4>, Tensor<1, Int>) {
        let n = self.side * self.side;
        let mut px = Vec::with_capacity(rows.len() * n);
        let mut lb = Vec::with_capacity(rows.len());
        for &r in rows {
            px.extend_from_slice(self.image(r));
            lb.push(i64::from(self.labels[r]));
        }
        let x = Tensor::from_data(
            TensorData::new(px, [rows.len(), 1, self.side, self.side]),
            device,
        );
        let y = Tensor::from_data(TensorData::new(lb, [rows.len()]), device);
        (x, y)
    }
}

/// Optimiser settings of a classifier run.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainSettings {
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Images per step.
    pub batch_size: usize,
    /// Augmentation: every training image is moved by a random element of this group.
    pub augment: Option<Group>,
}

impl Default for TrainSettings {
    fn default() -> Self {
        Self {
            learning_rate: 0.01,
            batch_size: 64,
            augment: None,
        }
    }
}

/// Accuracy and loss of a model on one image set.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// Fraction of images whose arg-max logit is the label.
    pub accuracy: f64,
    /// Mean cross-entropy.
    pub loss: f64,
    /// Predicted class per image, in the set's order.
    pub predictions: Vec<u8>,
}

/// Images evaluated per forward pass.
const EVAL_CHUNK: usize = 256;

/// A future that hands control back to the host between pieces of work: in a page it waits for
/// a browser task (`setTimeout(0)`), natively nothing is needed. Long evaluations and
/// multi-model steps await it so that no single piece of work freezes a page.
pub type Yielder =
    std::rc::Rc<dyn Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>>;

/// Trains an [`ImageClassifier`] with Adam and cross-entropy, one minibatch per step; batches
/// walk through a seeded shuffle of the training set, reshuffled every epoch.
pub struct ClassifierTrainer<M: ImageClassifier> {
    model: M,
    optimizer: ModuleOptimizer,
    train: ImageSet,
    settings: TrainSettings,
    order_rng: Rng,
    augment_rng: Rng,
    order: Vec<usize>,
    cursor: usize,
    device: Device,
    autodiff: Device,
    steps: usize,
}

impl<M: ImageClassifier> ClassifierTrainer<M> {
    /// A trainer for `model` (built on `device.autodiff()`) on `train`; `seed` fixes the batch
    /// order; `device` is the plain device that evaluation runs on.
    pub fn new(
        model: M,
        train: ImageSet,
        settings: TrainSettings,
        seed: u64,
        device: &Device,
    ) -> Self {
        Self {
            model,
            optimizer: AdamConfig::new().init(),
            train,
            settings,
            order_rng: Rng::new(seed).fork("batches"),
            augment_rng: Rng::new(seed).fork("augment"),
            order: Vec::new(),
            cursor: 0,
            device: device.clone(),
            autodiff: device.clone().autodiff(),
            steps: 0,
        }
    }

    /// The model as trained so far.
    pub fn model(&self) -> &M {
        &self.model
    }

    /// Steps taken.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// The model's trained parameters as bytes ([`crate::record`]).
    pub fn weights(&self) -> Result<Vec<u8>, String> {
        crate::record::module_to_bytes(&self.model)
    }

    /// Continues from saved weights: the model takes the parameters of `bytes` (shapes are
    /// checked) and the step count becomes `steps`. Adam's moment estimates are not in the
    /// file, so they start afresh.
    pub fn load_weights(&mut self, bytes: &[u8], steps: usize) -> Result<(), String> {
        self.model = crate::record::module_from_bytes(self.model.clone(), bytes)?;
        self.optimizer = AdamConfig::new().init();
        self.steps = steps;
        Ok(())
    }

    /// The plain device the trainer evaluates on.
    pub fn device(&self) -> &Device {
        &self.device
    }

    fn next_batch(&mut self) -> Vec<usize> {
        let size = self.settings.batch_size.clamp(1, self.train.len().max(1));
        if self.cursor + size > self.order.len() {
            self.order = self.order_rng.permutation(self.train.len());
            self.cursor = 0;
        }
        let rows = self.order[self.cursor..self.cursor + size].to_vec();
        self.cursor += size;
        rows
    }

    /// One Adam step on the next minibatch; returns its loss (read asynchronously).
    pub async fn step(&mut self) -> Result<f32, ExecutionError> {
        let rows = self.next_batch();
        let (x, y) = match self.settings.augment {
            None => self.train.tensors(&rows, &self.autodiff),
            Some(group) => {
                let batch = ImageSet::new(
                    rows.iter()
                        .flat_map(|&r| self.train.image(r).iter().copied())
                        .collect(),
                    rows.iter().map(|&r| self.train.labels[r]).collect(),
                    self.train.side,
                );
                let elements: Vec<Element> = (0..rows.len())
                    .map(|_| Element(self.augment_rng.below(group.order())))
                    .collect();
                let all: Vec<usize> = (0..rows.len()).collect();
                batch.transformed(&elements).tensors(&all, &self.autodiff)
            }
        };
        let loss_fn = CrossEntropyLossConfig::new().init(&self.autodiff);
        let loss = loss_fn.forward(self.model.logits(x), y);
        let grads = GradientsParams::from_grads(loss.backward(), &self.model);
        let model = self.model.clone();
        self.model = self
            .optimizer
            .step(self.settings.learning_rate, model, grads);
        self.steps += 1;
        loss.into_scalar_async::<f32>().await
    }

    /// Accuracy, loss and predictions of the current model on `set`.
    pub async fn evaluate(&self, set: &ImageSet) -> Result<Evaluation, ExecutionError> {
        evaluate(&self.model.valid(), set, &self.device).await
    }
}

/// Accuracy, loss and predictions of `model` (on the plain `device`) on `set`.
pub async fn evaluate<M: ImageClassifier>(
    model: &M,
    set: &ImageSet,
    device: &Device,
) -> Result<Evaluation, ExecutionError> {
    evaluate_yielding(model, set, device, None).await
}

/// [`evaluate`], awaiting `yielder` between chunks of images.
pub async fn evaluate_yielding<M: ImageClassifier>(
    model: &M,
    set: &ImageSet,
    device: &Device,
    yielder: Option<&Yielder>,
) -> Result<Evaluation, ExecutionError> {
    evaluate_with(|x| model.logits(x), set, device, yielder).await
}

/// [`evaluate_yielding`] for any function from images to logits (e.g. a network with some of
/// its parts dropped).
pub async fn evaluate_with(
    logits: impl Fn(Tensor<4>) -> Tensor<2>,
    set: &ImageSet,
    device: &Device,
    yielder: Option<&Yielder>,
) -> Result<Evaluation, ExecutionError> {
    let loss_fn = CrossEntropyLossConfig::new().init(device);
    let rows: Vec<usize> = (0..set.len()).collect();
    let mut predictions = Vec::with_capacity(set.len());
    let mut loss_sum = 0.0;
    for chunk in rows.chunks(EVAL_CHUNK) {
        let (x, y) = set.tensors(chunk, device);
        let logits = logits(x);
        let loss = loss_fn.forward(logits.clone(), y);
        let predicted = logits.argmax(1).into_data_async().await?;
        predictions.extend(predicted.iter::<i64>().map(|p| p as u8));
        loss_sum += f64::from(loss.into_scalar_async::<f32>().await?) * chunk.len() as f64;
        if let Some(y) = yielder {
            y().await;
        }
    }
    let correct = predictions
        .iter()
        .zip(&set.labels)
        .filter(|(p, l)| p == l)
        .count();
    let n = set.len().max(1) as f64;
    Ok(Evaluation {
        accuracy: correct as f64 / n,
        loss: loss_sum / n,
        predictions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MlpConfig;

    /// Two separable classes: bright top half against bright bottom half.
    fn halves(n: usize, rng: &mut Rng) -> ImageSet {
        let mut px = Vec::new();
        let mut lb = Vec::new();
        for i in 0..n {
            let label = (i % 2) as u8;
            for p in 0..64 {
                let top = p < 32;
                let on = (label == 0) == top;
                px.push(if on { 0.8 } else { 0.1 } + 0.1 * rng.uniform() as f32);
            }
            lb.push(label);
        }
        ImageSet::new(px, lb, 8)
    }

    #[test]
    fn loss_falls_and_accuracy_rises_on_a_separable_task() {
        let device = Device::flex();
        let set = halves(128, &mut Rng::new(0));
        let model = MlpConfig::new(64, 2)
            .with_hidden(16)
            .init(1, &device.clone().autodiff());
        let mut t =
            ClassifierTrainer::new(model, set.clone(), TrainSettings::default(), 1, &device);
        let first = pollster::block_on(t.step()).unwrap();
        let mut last = first;
        for _ in 0..40 {
            last = pollster::block_on(t.step()).unwrap();
        }
        assert!(last < first * 0.5, "loss {first} → {last}");
        let eval = pollster::block_on(t.evaluate(&set)).unwrap();
        assert!(eval.accuracy > 0.95, "{eval:?}");
        assert_eq!(eval.predictions.len(), 128);
        assert_eq!(t.steps(), 41);
    }

    #[test]
    fn orbits_and_transforms_move_images_and_keep_labels() {
        let set = halves(3, &mut Rng::new(1));
        let orbit = set.orbit(Group::D4);
        assert_eq!(orbit.len(), 24);
        assert_eq!(&orbit.labels[..3], &set.labels[..]);
        assert_eq!(orbit.image(0), set.image(0));
        assert_eq!(
            orbit.image(3),
            group::act_on_image(set.image(0), 8, Element(1)).as_slice()
        );
        let moved = set.transformed(&[Element(2)]);
        assert_eq!(moved.image(1), group::rot90(set.image(1), 8, 2).as_slice());
        assert_eq!(set.head(2).len(), 2);
    }

    #[test]
    fn same_seed_same_losses_value_for_value() {
        let device = Device::flex();
        let set = halves(64, &mut Rng::new(0));
        let run = || {
            let model = MlpConfig::new(64, 2).init(5, &device.clone().autodiff());
            let mut t =
                ClassifierTrainer::new(model, set.clone(), TrainSettings::default(), 5, &device);
            (0..5)
                .map(|_| pollster::block_on(t.step()).unwrap())
                .collect::<Vec<f32>>()
        };
        assert_eq!(run(), run());
    }
}
