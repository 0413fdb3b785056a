//! The scaling estimator of the Representation Gap paper (docs/science.md §1).
//!
//! For nested training subsets `D_n` (the first `n` points) and held-out points `x`,
//! `R_n = mean_x min_{y ∈ G·D_n} ‖x − y‖²` falls like `C · n^(−2/d)`; the least-squares slope of
//! `log R_n` on `log n` gives `d̂ = −2 / slope`. One pass over the training points per held-out
//! point serves every `n` at once (the running minimum is read off at each checkpoint).

use serde::Serialize;

use super::points::Points;
use super::symmetry::{OrbitMetric, PlaneSymmetry};

/// The default nested sizes `32, 64, …` up to `max` (at least one size).
pub fn default_sizes(max: usize) -> Vec<usize> {
    let mut ns: Vec<usize> = std::iter::successors(Some(32usize), |n| Some(n * 2))
        .take_while(|n| *n <= max)
        .collect();
    if ns.is_empty() {
        ns.push(max.max(1));
    }
    ns
}

/// Running sums of `min ‖x − g·y‖²` over held-out points, per nested size.
#[derive(Clone, Debug)]
pub struct GapAccumulator {
    sizes: Vec<usize>,
    metric: OrbitMetric,
    sums: Vec<f64>,
    count: usize,
}

impl GapAccumulator {
    /// An empty accumulator for the (ascending) `sizes` under `symmetry`.
    pub fn new(sizes: Vec<usize>, symmetry: PlaneSymmetry) -> Self {
        let sums = vec![0.0; sizes.len()];
        Self {
            sizes,
            metric: OrbitMetric::new(symmetry),
            sums,
            count: 0,
        }
    }

    /// Adds the held-out points `rows` of `held_out` against the training points `train`.
    pub fn add(&mut self, train: &Points, held_out: &Points, rows: std::ops::Range<usize>) {
        let last = self.sizes.last().copied().unwrap_or(0).min(train.len());
        for i in rows {
            let x = held_out.row(i);
            let mut best = f64::INFINITY;
            let mut next = 0;
            for j in 0..last {
                best = best.min(self.metric.distance2(x, train.row(j)));
                while next < self.sizes.len() && self.sizes[next] == j + 1 {
                    self.sums[next] += best;
                    next += 1;
                }
            }
            self.count += 1;
        }
    }

    /// Held-out points added so far.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The curve and its fit so far (`None` before any point, or with fewer than two sizes).
    pub fn finish(&self) -> Option<Scaling> {
        if self.count == 0 {
            return None;
        }
        let points: Vec<(usize, f64)> = self
            .sizes
            .iter()
            .zip(&self.sums)
            .map(|(n, s)| (*n, s / self.count as f64))
            .collect();
        Scaling::fit(self.metric.symmetry(), points)
    }
}

/// `R_n` against `n` and its log–log fit.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Scaling {
    /// The symmetry the gap was measured under.
    pub symmetry: PlaneSymmetry,
    /// `(n, R_n)`, ascending in `n`.
    pub gaps: Vec<(usize, f64)>,
    /// Least-squares slope of `log R_n` on `log n`.
    pub slope: f64,
    /// Its intercept (`log C`).
    pub intercept: f64,
    /// `−2 / slope`.
    pub dimension: f64,
}

impl Scaling {
    /// Fits the curve; `None` with fewer than two sizes with a positive gap.
    pub fn fit(symmetry: PlaneSymmetry, gaps: Vec<(usize, f64)>) -> Option<Self> {
        let logs: Vec<(f64, f64)> = gaps
            .iter()
            .filter(|(_, r)| *r > 0.0 && r.is_finite())
            .map(|(n, r)| ((*n as f64).ln(), r.ln()))
            .collect();
        let (slope, intercept) = least_squares(&logs)?;
        Some(Self {
            symmetry,
            gaps,
            slope,
            intercept,
            dimension: -2.0 / slope,
        })
    }

    /// `log C` of the law `C · n^(−2/d)` for a given `d`, fitted with the slope held at `−2/d`.
    pub fn law_intercept(&self, d: f64) -> f64 {
        let logs: Vec<(f64, f64)> = self
            .gaps
            .iter()
            .filter(|(_, r)| *r > 0.0)
            .map(|(n, r)| ((*n as f64).ln(), r.ln()))
            .collect();
        logs.iter().map(|(x, y)| y + 2.0 / d * x).sum::<f64>() / logs.len().max(1) as f64
    }
}

/// Slope and intercept of the least-squares line through `(x, y)`; `None` when the `x` do not
/// vary.
pub fn least_squares(xy: &[(f64, f64)]) -> Option<(f64, f64)> {
    if xy.len() < 2 {
        return None;
    }
    let n = xy.len() as f64;
    let mx = xy.iter().map(|p| p.0).sum::<f64>() / n;
    let my = xy.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = xy.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = xy.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| (sxy / sxx, my - sxy / sxx * mx))
}

/// The whole estimate at once: `R_n` for `sizes` of `train` against every held-out point.
pub fn scaling(
    train: &Points,
    held_out: &Points,
    sizes: &[usize],
    symmetry: PlaneSymmetry,
) -> Option<Scaling> {
    let mut acc = GapAccumulator::new(sizes.to_vec(), symmetry);
    acc.add(train, held_out, 0..held_out.len());
    acc.finish()
}
