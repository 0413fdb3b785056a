//! The nearest-neighbour estimators of intrinsic dimension (docs/science.md §0.3): TwoNN and the
//! maximum-likelihood estimator of Levina & Bickel in its two usual forms.
//!
//! Both read only sorted neighbour distances ([`Neighbours`]). Points with a zero distance
//! (duplicates) carry no information on the ratio of distances and are skipped.

use serde::Serialize;

use super::knn::Neighbours;

/// Fraction of the largest ratios `μ = r₂/r₁` TwoNN discards before its fit (scikit-dimension's
/// default), because the tail is dominated by points at the edge of sparse regions.
pub const TWONN_DISCARD: f64 = 0.1;

/// The neighbour range `k_min..=k_max` of the classic Levina–Bickel estimate (their paper's
/// choice), fixed: it does not follow the MLE's own `k`.
pub const LEVINA_BICKEL_K: (usize, usize) = (10, 20);

/// The TwoNN estimate (Facco et al. 2017).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TwoNn {
    /// scikit-dimension's fit: least squares through the origin of `−log(1 − F)` on `log μ`
    /// after dropping the largest 10% of μ, with `F = j/N` for the j-th smallest (j from 1),
    /// as scikit-dimension 0.5.0 computes it (checked on identical points by
    /// `tests/skdim_reference.rs`).
    pub fit: f64,
    /// The maximum-likelihood closed form `(N − 1) / Σ log μᵢ` over all points.
    pub closed_form: f64,
    /// Points that entered the estimate (duplicates excluded).
    pub points: usize,
}

/// TwoNN from neighbour distances (needs `k ≥ 2`); `None` with fewer than three usable points.
pub fn two_nn(nb: &Neighbours) -> Option<TwoNn> {
    if nb.k < 2 {
        return None;
    }
    let mut mu: Vec<f64> = (0..nb.len())
        .map(|i| nb.row(i))
        .filter(|r| r[0] > 0.0)
        .map(|r| r[1] / r[0])
        .collect();
    let n = mu.len();
    if n < 3 {
        return None;
    }
    let sum_log: f64 = mu.iter().map(|m| m.ln()).sum();
    let closed_form = if sum_log > 0.0 {
        (n as f64 - 1.0) / sum_log
    } else {
        f64::INFINITY
    };
    mu.sort_unstable_by(f64::total_cmp);
    let kept = ((n as f64) * (1.0 - TWONN_DISCARD)) as usize;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    // scikit-dimension 0.5.0's empirical distribution: F = j/N for the j-th smallest kept
    // ratio, j = 1..=kept (never 1, since kept < N).
    for (j, m) in mu[..kept].iter().enumerate() {
        let x = m.ln();
        let y = -(1.0 - (j + 1) as f64 / n as f64).ln();
        sxy += x * y;
        sxx += x * x;
    }
    let fit = if sxx > 0.0 { sxy / sxx } else { f64::INFINITY };
    Some(TwoNn {
        fit,
        closed_form,
        points: n,
    })
}

/// `Σ_{j<k} log(T_k / T_j)` for one point's sorted distances, `None` when a distance is zero.
fn log_ratio_sum(row: &[f64], k: usize) -> Option<f64> {
    let tk = row[k - 1];
    if row[0] <= 0.0 || tk <= 0.0 {
        return None;
    }
    Some(row[..k - 1].iter().map(|t| (tk / t).ln()).sum())
}

/// The MLE as scikit-dimension computes it by default.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mle {
    /// Neighbours used per point.
    pub k: usize,
    /// The harmonic mean of the point-wise estimates (MacKay & Ghahramani's correction).
    pub harmonic: f64,
    /// The point-wise estimates `m_k(x)`, one per point (NaN where undefined: duplicates).
    pub pointwise: Vec<f64>,
}

/// scikit-dimension's default MLE: point-wise `m_k(x) = [(1/(k−1)) Σ_{j<k} log(T_k/T_j)]⁻¹`,
/// combined by the harmonic mean. `None` when `k < 2` neighbours are available or no point is
/// usable.
pub fn mle(nb: &Neighbours, k: usize) -> Option<Mle> {
    let k = k.min(nb.k);
    if k < 2 {
        return None;
    }
    let pointwise: Vec<f64> = (0..nb.len())
        .map(|i| match log_ratio_sum(nb.row(i), k) {
            Some(s) if s > 0.0 => (k as f64 - 1.0) / s,
            _ => f64::NAN,
        })
        .collect();
    let finite: Vec<f64> = pointwise
        .iter()
        .copied()
        .filter(|m| m.is_finite())
        .collect();
    if finite.is_empty() {
        return None;
    }
    let inverse_mean = finite.iter().map(|m| 1.0 / m).sum::<f64>() / finite.len() as f64;
    Some(Mle {
        k,
        harmonic: 1.0 / inverse_mean,
        pointwise,
    })
}

/// The classic Levina–Bickel estimate: point-wise `[(1/(k−2)) Σ_{j<k} log(T_k/T_j)]⁻¹`
/// averaged over points, then over `k ∈ k_min..=k_max`. `None` when fewer than `k_min`
/// neighbours are available.
pub fn levina_bickel(nb: &Neighbours, k_min: usize, k_max: usize) -> Option<f64> {
    let k_min = k_min.max(3);
    let k_max = k_max.min(nb.k);
    if k_min > k_max {
        return None;
    }
    let mut total = 0.0;
    for k in k_min..=k_max {
        let (mut sum, mut count) = (0.0, 0usize);
        for i in 0..nb.len() {
            if let Some(s) = log_ratio_sum(nb.row(i), k).filter(|s| *s > 0.0) {
                sum += (k as f64 - 2.0) / s;
                count += 1;
            }
        }
        if count == 0 {
            return None;
        }
        total += sum / count as f64;
    }
    Some(total / (k_max - k_min + 1) as f64)
}
