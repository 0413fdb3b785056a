//! Small point clouds, their PCA frames and the O(d) task of docs/science.md §3(b).
//!
//! A cloud is `n` points in `R^d`, row-major (`points[i * d + c]`). For a centred cloud `X`
//! with PCA frame `R` (the covariance's eigenvectors as columns, largest variance first), the
//! coordinates `XR` are invariant under `X ↦ XQ` for any orthogonal `Q` — up to the sign of
//! each column of `R`, which no eigensolver can fix. A model `f(X) = h(XR)Rᵀ` is therefore
//! O(d)-equivariant exactly when `h` is sign equivariant.

use nalgebra::{DMatrix, SymmetricEigen};

use crate::Rng;

/// Standard deviations along the principal axes of a sampled cloud, largest first: distinct,
/// so that the PCA frame is well defined (eigengaps of at least 1.4× in variance).
pub const SPREAD: [f64; 3] = [1.2, 0.8, 0.5];

/// The PCA frame of a cloud.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// `d × d`, row-major: column `c` is the `c`-th principal axis (unit length).
    pub axes: Vec<f64>,
    /// The variance along each axis, largest first.
    pub variances: Vec<f64>,
}

impl Frame {
    /// The frame's dimension `d`.
    pub fn dim(&self) -> usize {
        self.variances.len()
    }

    /// Flips the sign of axis `c` where `signs[c]` is negative.
    pub fn with_signs(mut self, signs: &[f64]) -> Self {
        let d = self.dim();
        for r in 0..d {
            for (c, s) in signs.iter().enumerate().take(d) {
                self.axes[r * d + c] *= s.signum();
            }
        }
        self
    }

    /// The smallest ratio between consecutive variances (`> 1` when the frame is unique up to
    /// signs).
    pub fn eigengap(&self) -> f64 {
        self.variances
            .windows(2)
            .map(|w| w[0] / w[1].max(f64::MIN_POSITIVE))
            .fold(f64::INFINITY, f64::min)
    }
}

/// `points` with their mean removed.
pub fn centred(points: &[f64], d: usize) -> Vec<f64> {
    let n = points.len() / d;
    let mut mean = vec![0.0; d];
    for row in points.chunks(d) {
        for (m, x) in mean.iter_mut().zip(row) {
            *m += x / n as f64;
        }
    }
    points
        .chunks(d)
        .flat_map(|row| row.iter().zip(&mean).map(|(x, m)| x - m))
        .collect()
}

/// The PCA frame of `points` (centred first). The axes' signs are the solver's, fixed by the
/// largest entry of each axis being positive so that the result is reproducible.
pub fn pca_frame(points: &[f64], d: usize) -> Frame {
    let x = centred(points, d);
    let n = x.len() / d;
    let data = DMatrix::from_row_slice(n, d, &x);
    let covariance = data.transpose() * &data / n.max(1) as f64;
    let eigen = SymmetricEigen::new(covariance);
    let mut order: Vec<usize> = (0..d).collect();
    order.sort_by(|&a, &b| eigen.eigenvalues[b].total_cmp(&eigen.eigenvalues[a]));
    let mut axes = vec![0.0; d * d];
    for (c, &e) in order.iter().enumerate() {
        let column = eigen.eigenvectors.column(e);
        let largest = column
            .iter()
            .copied()
            .fold(0.0f64, |a, v| if v.abs() > a.abs() { v } else { a });
        let sign = if largest < 0.0 { -1.0 } else { 1.0 };
        for r in 0..d {
            axes[r * d + c] = sign * column[r];
        }
    }
    let variances = order.iter().map(|&e| eigen.eigenvalues[e]).collect();
    Frame { axes, variances }
}

/// `points · m` for a `d × d` row-major matrix `m`.
pub fn transform(points: &[f64], m: &[f64], d: usize) -> Vec<f64> {
    points
        .chunks(d)
        .flat_map(|row| (0..d).map(move |c| (0..d).map(|r| row[r] * m[r * d + c]).sum::<f64>()))
        .collect()
}

/// The transpose of a `d × d` row-major matrix.
pub fn transpose(m: &[f64], d: usize) -> Vec<f64> {
    (0..d * d).map(|i| m[(i % d) * d + i / d]).collect()
}

/// A uniformly random orthogonal `d × d` matrix (rotation or reflection), by Gram–Schmidt on a
/// Gaussian matrix with the sign correction that makes it Haar distributed.
pub fn random_orthogonal(d: usize, rng: &mut Rng) -> Vec<f64> {
    let gaussian = DMatrix::from_fn(d, d, |_, _| rng.normal());
    let qr = gaussian.qr();
    let (mut q, r) = (qr.q(), qr.r());
    for c in 0..d {
        if r[(c, c)] < 0.0 {
            q.column_mut(c).neg_mut();
        }
    }
    (0..d * d).map(|i| q[(i / d, i % d)]).collect()
}

/// The rotation by `angle` radians in the plane of the first two coordinates of `R^d`.
pub fn plane_rotation(angle: f64, d: usize) -> Vec<f64> {
    let mut m = vec![0.0; d * d];
    for i in 0..d {
        m[i * d + i] = 1.0;
    }
    if d >= 2 {
        let (s, c) = angle.sin_cos();
        m[0] = c;
        m[1] = s;
        m[d] = -s;
        m[d + 1] = c;
    }
    m
}

/// A cloud of `n` Gaussian points in `R^d` (`d ≤ 3`), centred and rescaled along its own
/// principal axes to the standard deviations [`SPREAD`], returned in those axes: aligned with
/// the coordinate axes, each axis with a random sign.
pub fn sample_cloud(n: usize, d: usize, rng: &mut Rng) -> Vec<f64> {
    let raw: Vec<f64> = (0..n * d).map(|_| rng.normal()).collect();
    let frame = pca_frame(&raw, d);
    let aligned = transform(&centred(&raw, d), &frame.axes, d);
    let scale: Vec<f64> = (0..d)
        .map(|c| {
            let sign = if rng.uniform() < 0.5 { -1.0 } else { 1.0 };
            sign * SPREAD[c.min(SPREAD.len() - 1)] / frame.variances[c].max(1e-12).sqrt()
        })
        .collect();
    aligned
        .chunks(d)
        .flat_map(|row| row.iter().zip(&scale).map(|(x, s)| x * s))
        .collect()
}

/// The target of the O(d) task: `y_i = Σ_j exp(−|x_i − x_j|²)(x_j − x_i)`, O(d)-equivariant.
pub fn attraction(points: &[f64], d: usize) -> Vec<f64> {
    let n = points.len() / d;
    let mut y = vec![0.0; n * d];
    for i in 0..n {
        for j in 0..n {
            let xi = &points[i * d..(i + 1) * d];
            let xj = &points[j * d..(j + 1) * d];
            let dist2: f64 = xi.iter().zip(xj).map(|(a, b)| (a - b) * (a - b)).sum();
            let w = (-dist2).exp();
            for c in 0..d {
                y[i * d + c] += w * (xj[c] - xi[c]);
            }
        }
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
        a.iter().zip(b).all(|(x, y)| (x - y).abs() < tol)
    }

    #[test]
    fn sampled_clouds_are_centred_aligned_and_have_the_chosen_spread() {
        let mut rng = Rng::new(3);
        for d in [2, 3] {
            let cloud = sample_cloud(6, d, &mut rng);
            let frame = pca_frame(&cloud, d);
            for (c, spread) in SPREAD.iter().enumerate().take(d) {
                assert!((frame.variances[c] - spread * spread).abs() < 1e-9);
                // Aligned: axis c is ± the c-th unit vector.
                assert!((frame.axes[c * d + c].abs() - 1.0).abs() < 1e-9);
            }
            assert!(frame.eigengap() > 2.0);
            assert!(close(&centred(&cloud, d), &cloud, 1e-12));
        }
    }

    #[test]
    fn the_frame_coordinates_are_invariant_up_to_signs() {
        let mut rng = Rng::new(5);
        for d in [2, 3] {
            let x = sample_cloud(6, d, &mut rng);
            let q = random_orthogonal(d, &mut rng);
            let qqt = transform(&q, &transpose(&q, d), d);
            assert!(
                close(&qqt, &plane_rotation(0.0, d), 1e-12),
                "Q is orthogonal"
            );
            let xq = transform(&x, &q, d);
            let a = transform(&x, &pca_frame(&x, d).axes, d);
            let b = transform(&xq, &pca_frame(&xq, d).axes, d);
            // Column by column, equal up to one sign.
            for c in 0..d {
                let same = (0..6).all(|i| (a[i * d + c] - b[i * d + c]).abs() < 1e-9);
                let flipped = (0..6).all(|i| (a[i * d + c] + b[i * d + c]).abs() < 1e-9);
                assert!(same || flipped, "column {c}");
            }
        }
    }

    #[test]
    fn the_attraction_target_is_orthogonally_equivariant() {
        let mut rng = Rng::new(8);
        let x = sample_cloud(6, 3, &mut rng);
        let q = random_orthogonal(3, &mut rng);
        let lhs = attraction(&transform(&x, &q, 3), 3);
        let rhs = transform(&attraction(&x, 3), &q, 3);
        assert!(close(&lhs, &rhs, 1e-12));
        // And it is not zero: the task has something to learn.
        assert!(attraction(&x, 3).iter().map(|v| v * v).sum::<f64>() > 1e-2);
    }

    #[test]
    fn a_plane_rotation_turns_the_first_axis_towards_the_second() {
        let r = plane_rotation(std::f64::consts::FRAC_PI_2, 3);
        let e1 = transform(&[1.0, 0.0, 0.0], &r, 3);
        assert!(close(&e1, &[0.0, 1.0, 0.0], 1e-12));
    }
}
