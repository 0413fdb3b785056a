//! Networks for the O(d) point-cloud task (docs/science.md §3(b)).
//!
//! A batch of clouds `X ∈ R^{b×n×d}`; the frame models see the coordinates `XR` in a PCA frame
//! `R` whose column signs are arbitrary, and predict in that frame (`f(X) = h(XR)Rᵀ`):
//! - [`FrameSignEquivariant`]: column `c` of the output is `Σ_j (A_ijc x_jc + B_ijc x_ic)` with
//!   `A`, `B` built from sign-invariant pair features: the `Q_i(V) v_i` form of a
//!   sign-equivariant map, so `h(XS) = h(X)S` and `f` is O(d)-equivariant;
//! - [`FrameSignInvariant`]: the same pair network summed without the factor `x_jc`:
//!   `h(XS) = h(X)`, which cannot follow the frame's arbitrary signs;
//! - [`FrameAveraged`]: an unconstrained pair network averaged over all `2^d` sign choices
//!   (`h̄(X) = 2^{−d} Σ_S h(XS)S`), equivariant at `2^d` times the cost;
//! - [`CloudMlp`]: an MLP on the flattened raw coordinates, no frame and no symmetry.

use burn::config::Config;
use burn::module::Module;
use burn::nn::Linear;
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor, TensorData};
use orbit_math::Rng;

use crate::init;

/// A model of clouds: `[b, n, d] → [b, n, d]`.
pub trait CloudModel: Module + burn::module::ModuleDisplay + 'static {
    /// # Shapes
    /// - `x`: `[b, n, d]`; output `[b, n, d]`
    fn predict(&self, x: Tensor<3>) -> Tensor<3>;
}

/// A ReLU MLP on rows, `input → hidden → hidden → output`.
#[derive(Module, Debug)]
pub struct RowNet {
    /// The three layers.
    pub layers: Vec<Linear>,
}

impl RowNet {
    fn new(input: usize, hidden: usize, output: usize, rng: &mut Rng, device: &Device) -> Self {
        let widths = [input, hidden, hidden, output];
        let layers = widths
            .windows(2)
            .map(|w| init::linear(w[0], w[1], rng, device))
            .collect();
        Self { layers }
    }

    /// # Shapes
    /// - `x`: `[rows, input]`; output `[rows, output]`
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let last = self.layers.len() - 1;
        self.layers.iter().enumerate().fold(x, |h, (l, layer)| {
            let h = layer.forward(h);
            if l < last { relu(h) } else { h }
        })
    }
}

/// `x_i` and `x_j` for every ordered pair of points of each cloud.
///
/// # Shapes
/// - `x`: `[b, n, d]`; outputs `[b, n, n, d]` each (`[.., i, j, ..]`)
fn pairs(x: Tensor<3>) -> (Tensor<4>, Tensor<4>) {
    let [b, n, d] = x.dims();
    let xi = x.clone().unsqueeze_dim::<4>(2).expand([b, n, n, d]);
    let xj = x.unsqueeze_dim::<4>(1).expand([b, n, n, d]);
    (xi, xj)
}

/// Sign-invariant features of each pair, per column: `x_ic·x_jc`, `|x_ic|`, `|x_jc|`.
///
/// # Shapes
/// - `x`: `[b, n, d]`; output `[b·n·n, 3d]`
fn invariant_pair_features(xi: Tensor<4>, xj: Tensor<4>) -> Tensor<2> {
    let [b, n, _, d] = xi.dims();
    let features = Tensor::cat(vec![xi.clone() * xj.clone(), xi.abs(), xj.abs()], 3);
    features.reshape([b * n * n, 3 * d])
}

/// Configuration of the pair networks ([`FrameSignEquivariant`], [`FrameSignInvariant`],
/// [`FrameAveraged`]).
#[derive(Config, Debug, PartialEq)]
pub struct PairNetConfig {
    /// Dimension `d` of the points.
    pub dim: usize,
    /// Hidden width of the pair MLP.
    #[config(default = 32)]
    pub hidden: usize,
}

/// `h(X)_ic = Σ_j (A_ijc x_jc + B_ijc x_ic)`, `[A, B] = MLP(x_i·x_j, |x_i|, |x_j|)`
/// (column-wise products): sign equivariant and permutation equivariant. Each column is odd in
/// itself and sees the other columns only through sign-invariant factors.
#[derive(Module, Debug)]
pub struct FrameSignEquivariant {
    /// The pair MLP, `3d → hidden → hidden → 2d`.
    pub pair: RowNet,
}

/// `h(X)_ic = Σ_j MLP(x_i·x_j, |x_i|, |x_j|)_c`: sign invariant.
#[derive(Module, Debug)]
pub struct FrameSignInvariant {
    /// The pair MLP, `3d → hidden → hidden → d`.
    pub pair: RowNet,
}

/// `h(X)_i = Σ_j MLP(x_i, x_j)`, averaged over all `2^d` sign flips of the input.
#[derive(Module, Debug)]
pub struct FrameAveraged {
    /// The pair MLP, `2d → hidden → hidden → d`.
    pub pair: RowNet,
}

impl PairNetConfig {
    /// The sign-equivariant pair network from `Rng::new(seed)`.
    pub fn init_equivariant(&self, seed: u64, device: &Device) -> FrameSignEquivariant {
        let mut rng = Rng::new(seed).fork("frame-equivariant");
        FrameSignEquivariant {
            pair: RowNet::new(3 * self.dim, self.hidden, 2 * self.dim, &mut rng, device),
        }
    }

    /// The sign-invariant pair network from `Rng::new(seed)`.
    pub fn init_invariant(&self, seed: u64, device: &Device) -> FrameSignInvariant {
        let mut rng = Rng::new(seed).fork("frame-invariant");
        FrameSignInvariant {
            pair: RowNet::new(3 * self.dim, self.hidden, self.dim, &mut rng, device),
        }
    }

    /// The frame-averaged pair network from `Rng::new(seed)`.
    pub fn init_averaged(&self, seed: u64, device: &Device) -> FrameAveraged {
        let mut rng = Rng::new(seed).fork("frame-averaged");
        FrameAveraged {
            pair: RowNet::new(2 * self.dim, self.hidden, self.dim, &mut rng, device),
        }
    }
}

impl CloudModel for FrameSignEquivariant {
    fn predict(&self, x: Tensor<3>) -> Tensor<3> {
        let [b, n, d] = x.dims();
        let (xi, xj) = pairs(x);
        let weights = self
            .pair
            .forward(invariant_pair_features(xi.clone(), xj.clone()))
            .reshape([b, n, n, 2 * d]);
        let a = weights.clone().narrow(3, 0, d);
        let own = weights.narrow(3, d, d);
        (a * xj + own * xi).sum_dim(2).reshape([b, n, d])
    }
}

impl CloudModel for FrameSignInvariant {
    fn predict(&self, x: Tensor<3>) -> Tensor<3> {
        let [b, n, d] = x.dims();
        let (xi, xj) = pairs(x);
        let messages = self
            .pair
            .forward(invariant_pair_features(xi, xj))
            .reshape([b, n, n, d]);
        messages.sum_dim(2).reshape([b, n, d]) / n as f32
    }
}

impl CloudModel for FrameAveraged {
    fn predict(&self, x: Tensor<3>) -> Tensor<3> {
        let [b, n, d] = x.dims();
        let device = x.device();
        let patterns = 1usize << d;
        let mut total: Option<Tensor<3>> = None;
        for pattern in 0..patterns {
            let signs: Vec<f32> = (0..d)
                .map(|c| if pattern >> c & 1 == 1 { -1.0 } else { 1.0 })
                .collect();
            let s = Tensor::<1>::from_data(TensorData::new(signs, [d]), &device).reshape([1, 1, d]);
            let (xi, xj) = pairs(x.clone() * s.clone());
            let features = Tensor::cat(vec![xi, xj], 3).reshape([b * n * n, 2 * d]);
            let h = self
                .pair
                .forward(features)
                .reshape([b, n, n, d])
                .sum_dim(2)
                .reshape([b, n, d])
                / n as f32;
            let term = h * s;
            total = Some(match total {
                Some(t) => t + term,
                None => term,
            });
        }
        total.expect("at least one sign pattern") / patterns as f32
    }
}

/// Configuration of a [`CloudMlp`].
#[derive(Config, Debug, PartialEq)]
pub struct CloudMlpConfig {
    /// Points per cloud `n`.
    pub points: usize,
    /// Dimension `d`.
    pub dim: usize,
    /// Hidden width.
    #[config(default = 128)]
    pub hidden: usize,
}

/// An MLP on the flattened cloud, `n·d → hidden → hidden → n·d`.
#[derive(Module, Debug)]
pub struct CloudMlp {
    /// The network.
    pub net: RowNet,
}

impl CloudMlpConfig {
    /// Builds the MLP from `Rng::new(seed)`.
    pub fn init(&self, seed: u64, device: &Device) -> CloudMlp {
        let mut rng = Rng::new(seed).fork("cloud-mlp");
        let width = self.points * self.dim;
        CloudMlp {
            net: RowNet::new(width, self.hidden, width, &mut rng, device),
        }
    }
}

impl CloudModel for CloudMlp {
    fn predict(&self, x: Tensor<3>) -> Tensor<3> {
        let [b, n, d] = x.dims();
        self.net.forward(x.reshape([b, n * d])).reshape([b, n, d])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::CloudBatch;
    use orbit_math::frame::{attraction, random_orthogonal, sample_cloud, transform};

    fn clouds(count: usize, d: usize, rng: &mut Rng) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
        let x: Vec<Vec<f64>> = (0..count).map(|_| sample_cloud(6, d, rng)).collect();
        let y = x.iter().map(|c| attraction(c, d)).collect();
        (x, y)
    }

    /// `f(X)` in the clouds' own coordinates, through frames with random signs (frame models)
    /// or directly (raw models).
    fn outputs<M: CloudModel>(
        model: &M,
        x: &[Vec<f64>],
        d: usize,
        framed: bool,
        rng: &mut Rng,
    ) -> Vec<Vec<f64>> {
        let device = Device::flex();
        let batch = if framed {
            CloudBatch::framed(x, x, d, rng)
        } else {
            CloudBatch::raw(x, x, d)
        };
        let (inputs, _) = batch.tensors(&device);
        let values: Vec<f32> = model.predict(inputs).into_data().iter::<f32>().collect();
        batch.unframe(&values)
    }

    /// `max |f(XQ) − f(X)Q|` over clouds and random orthogonal `Q`.
    fn orthogonal_error<M: CloudModel>(model: &M, d: usize, framed: bool) -> f64 {
        let mut rng = Rng::new(11);
        let (x, _) = clouds(8, d, &mut rng);
        let q: Vec<Vec<f64>> = x.iter().map(|_| random_orthogonal(d, &mut rng)).collect();
        let xq: Vec<Vec<f64>> = x.iter().zip(&q).map(|(c, q)| transform(c, q, d)).collect();
        let fx = outputs(model, &x, d, framed, &mut rng);
        let fxq = outputs(model, &xq, d, framed, &mut rng);
        fx.iter()
            .zip(&fxq)
            .zip(&q)
            .flat_map(|((a, b), q)| {
                let aq = transform(a, q, d);
                aq.into_iter().zip(b.clone()).map(|(u, v)| (u - v).abs())
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn the_sign_equivariant_frame_model_is_orthogonally_equivariant() {
        let device = Device::flex();
        for d in [2, 3] {
            let model = PairNetConfig::new(d).init_equivariant(1, &device);
            let error = orthogonal_error(&model, d, true);
            assert!(error < 1e-4, "d = {d}: {error}");
        }
    }

    #[test]
    fn frame_averaging_is_orthogonally_equivariant() {
        let device = Device::flex();
        for d in [2, 3] {
            let model = PairNetConfig::new(d).init_averaged(2, &device);
            let error = orthogonal_error(&model, d, true);
            assert!(error < 1e-4, "d = {d}: {error}");
        }
    }

    #[test]
    fn the_sign_invariant_model_ignores_flips_and_so_breaks_equivariance() {
        let device = Device::flex();
        let model = PairNetConfig::new(3).init_invariant(3, &device);
        let mut rng = Rng::new(4);
        let (x, _) = clouds(4, 3, &mut rng);
        let batch = CloudBatch::raw(&x, &x, 3);
        let (inputs, _) = batch.tensors(&device);
        let s = Tensor::<1>::from_data(TensorData::new(vec![-1f32, 1.0, -1.0], [3]), &device)
            .reshape([1, 1, 3]);
        let plain = model.predict(inputs.clone());
        let flipped = model.predict(inputs * s);
        let change: f32 = (plain - flipped).abs().max().into_scalar();
        assert!(change < 1e-7, "sign invariant: {change}");
        assert!(orthogonal_error(&model, 3, true) > 1e-3);
    }

    #[test]
    fn the_mlp_on_raw_coordinates_is_not_equivariant() {
        let device = Device::flex();
        let model = CloudMlpConfig::new(6, 2).init(5, &device);
        assert!(orthogonal_error(&model, 2, false) > 1e-3);
    }
}
