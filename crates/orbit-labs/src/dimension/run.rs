//! [`DimensionRun`]: the dimension lab's work, cut into short steps.
//!
//! Order of work: the DDIM panel; then for each stream size `n = 64, 128, …, N` and each seed,
//! the neighbour distances of the first `n` points (in chunks of rows) and the estimates they
//! give; then the representation gap `R_n` under each symmetry (in chunks of held-out points).

use orbit_math::Rng;
use orbit_math::dimension::{
    GapAccumulator, LEVINA_BICKEL_K, Neighbours, PlaneSymmetry, Points, Scaling, default_sizes,
    denoise, levina_bickel, mle, neighbour_rows, two_nn,
};

use super::view::{DdimPanel, DimensionView, EstimateRow};
use super::{Cloud, DimensionSettings};
use crate::lab::{LabRun, LabView, LocalFuture};
use crate::metrics::Metrics;
use crate::outcome::{RunError, StepOutcome};

/// Distance–coordinate operations per step: about a millisecond of work in the page.
const WORK_PER_STEP: usize = 1_500_000;

/// Largest training set of the scaling estimator.
const MAX_GAP_SIZE: usize = 2048;

/// DDIM samples drawn per denoiser, and the number of DDIM steps.
const DDIM_SAMPLES: usize = 48;
const DDIM_STEPS: usize = 60;

/// Estimator names, in plot order.
pub const ESTIMATORS: [&str; 4] = ["TwoNN", "TwoNN closed form", "MLE", "Levina–Bickel"];

enum Phase {
    Ddim,
    Neighbours {
        stage: usize,
        seed: usize,
        row: usize,
        dist: Vec<f64>,
    },
    Gap {
        symmetry: usize,
        seed: usize,
        row: usize,
        acc: GapAccumulator,
    },
    Done,
}

/// A dimension-lab run in progress.
pub struct DimensionRun {
    settings: DimensionSettings,
    seed: u64,
    clouds: Vec<Points>,
    stages: Vec<usize>,
    /// Training sets of the scaling estimator, one per seed measured.
    gap_trains: Vec<Points>,
    /// Per-seed fits of the symmetry being measured.
    gap_fits: Vec<Scaling>,
    held_out: Points,
    symmetries: Vec<PlaneSymmetry>,
    phase: Phase,
    steps: usize,
    done: usize,
    view: DimensionView,
}

/// The first `n` points of `rows` of `source` after a seeded shuffle, with noise.
fn shuffled(source: &Points, n: usize, noise: f64, rng: &mut Rng) -> Points {
    let order = rng.permutation(source.len());
    let mut coords = Vec::with_capacity(n.min(source.len()) * source.dim);
    for &i in order.iter().take(n) {
        coords.extend(source.row(i).iter().map(|v| v + noise * rng.normal()));
    }
    Points::new(source.dim, coords)
}

/// The digits as points in R⁶⁴, pixels scaled to [0, 1].
fn digits_points() -> Points {
    let d = crate::data::digits();
    let scale = 1.0 / f64::from(orbit_math::digits::MAX_PIXEL);
    Points::new(
        orbit_math::digits::PIXELS,
        d.pixels.iter().map(|p| f64::from(*p) * scale).collect(),
    )
}

impl DimensionRun {
    /// Prepares the clouds of every seed and the held-out points. `custom` is the user's
    /// cloud, used when the settings ask for it.
    pub fn new(settings: &DimensionSettings, seed: u64, custom: Option<&Points>) -> Self {
        let root = Rng::new(seed);
        let seeds = settings.seeds.max(1);
        let mut problem = None;
        let label;
        let true_dimension;
        let clouds: Vec<Points>;
        let held_out: Points;
        let gap_trains: Vec<Points>;
        match settings.cloud.manifold() {
            Some(m) => {
                label = format!("{:?}", settings.cloud).to_lowercase();
                true_dimension = Some(m.dimension());
                clouds = (0..seeds)
                    .map(|s| {
                        let mut rng = root.fork(&format!("cloud{s}"));
                        m.sample(settings.points, settings.noise, &mut rng)
                    })
                    .collect();
                held_out = m.sample(settings.held, settings.noise, &mut root.fork("held"));
                gap_trains = clouds.iter().map(|c| c.prefix(MAX_GAP_SIZE)).collect();
            }
            None => {
                let source = match (settings.cloud, custom) {
                    (Cloud::Digits, _) => digits_points(),
                    (_, Some(points)) if points.len() >= 3 => points.clone(),
                    _ => {
                        problem = Some("no points loaded: paste or upload a CSV file".into());
                        Points::new(1, Vec::new())
                    }
                };
                label = if settings.cloud == Cloud::Digits {
                    "digits (raw pixels)".into()
                } else {
                    format!("your {} points in R^{}", source.len(), source.dim)
                };
                true_dimension = None;
                let n = if settings.cloud == Cloud::Digits {
                    settings.points.min(source.len())
                } else {
                    source.len()
                };
                clouds = (0..seeds)
                    .map(|s| {
                        let mut rng = root.fork(&format!("cloud{s}"));
                        shuffled(&source, n, settings.noise, &mut rng)
                    })
                    .collect();
                let first = &clouds[0];
                let held = settings.held.min(first.len() / 2);
                // One held-out tail of the first shuffle; the other seeds would overlap it.
                gap_trains = vec![first.slice(0, (first.len() - held).min(MAX_GAP_SIZE))];
                held_out = first.slice(first.len() - held, first.len());
            }
        }
        let n_max = clouds[0].len();
        let mut stages: Vec<usize> = std::iter::successors(Some(64usize), |n| Some(n * 2))
            .take_while(|n| *n < n_max)
            .collect();
        if n_max >= 3 {
            stages.push(n_max);
        }
        let symmetries = if settings.cloud == Cloud::Torus {
            vec![
                PlaneSymmetry::None,
                PlaneSymmetry::Cyclic(settings.order),
                PlaneSymmetry::So2,
            ]
        } else {
            vec![PlaneSymmetry::None]
        };
        let total = 1
            + stages.iter().sum::<usize>() * seeds
            + if gap_trains[0].len() >= 2 {
                held_out.len() * symmetries.len() * gap_trains.len()
            } else {
                0
            };
        let phase = if problem.is_some() {
            Phase::Done
        } else {
            Phase::Ddim
        };
        let view = DimensionView {
            label,
            true_dimension,
            cloud: clouds[0].clone(),
            progress: (0, total),
            problem,
            ..DimensionView::default()
        };
        Self {
            settings: settings.clone(),
            seed,
            clouds,
            stages,
            gap_trains,
            gap_fits: Vec::new(),
            held_out,
            symmetries,
            phase,
            steps: 0,
            done: 0,
            view,
        }
    }

    /// What the page draws.
    pub fn view(&self) -> &DimensionView {
        &self.view
    }

    /// Steps taken.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// The latest values of every estimate, as a report.
    pub fn report_now(&self) -> Metrics {
        let mut m = Metrics::new(self.steps);
        if let Some(d) = self.view.true_dimension {
            m = m.with("true_dimension", d as f64);
        }
        if let Some(last) = self.view.estimates.last() {
            m = m.with("n", last.n as f64);
            for row in self.view.estimates.iter().filter(|r| r.n == last.n) {
                let key = match row.estimator.as_str() {
                    "TwoNN" => "twonn",
                    "TwoNN closed form" => "twonn_closed_form",
                    "MLE" => "mle",
                    _ => "levina_bickel",
                };
                m = m.with(key, row.mean());
                if row.values.len() > 1 {
                    m = m.with(&format!("{key}_spread"), row.spread());
                }
            }
        }
        let several_seeds = self.gap_trains.len() > 1;
        for (s, spread) in self.view.scaling.iter().zip(&self.view.scaling_spread) {
            let suffix = metric_suffix(s.symmetry);
            m = m.with(&format!("scaling_dimension{suffix}"), s.dimension);
            m = m.with(&format!("scaling_slope{suffix}"), s.slope);
            if several_seeds {
                m = m.with(&format!("scaling_dimension{suffix}_spread"), *spread);
            }
        }
        if let (Some(none), Some(ck)) = (self.view.scaling.first(), self.view.scaling.get(1)) {
            let ratios: Vec<f64> = none
                .gaps
                .iter()
                .zip(&ck.gaps)
                .filter(|(a, _)| a.0 >= 256)
                .map(|(a, b)| a.1 / b.1)
                .collect();
            if !ratios.is_empty() {
                m = m.with(
                    &format!("gap_ratio_c{}", self.settings.order),
                    ratios.iter().sum::<f64>() / ratios.len() as f64,
                );
            }
        }
        m
    }

    /// Does one short piece of work.
    pub fn step(&mut self) -> Result<StepOutcome, RunError> {
        let phase = std::mem::replace(&mut self.phase, Phase::Done);
        let (next, report) = match phase {
            Phase::Done => (Phase::Done, false),
            Phase::Ddim => {
                self.view.ddim = self.ddim_panel();
                self.done += 1;
                let first = Phase::Neighbours {
                    stage: 0,
                    seed: 0,
                    row: 0,
                    dist: Vec::new(),
                };
                (first, false)
            }
            Phase::Neighbours {
                stage,
                seed,
                row,
                dist,
            } => self.neighbours_step(stage, seed, row, dist),
            Phase::Gap {
                symmetry,
                seed,
                row,
                acc,
            } => self.gap_step(symmetry, seed, row, acc),
        };
        self.phase = next;
        self.steps += 1;
        self.view.progress.0 = self.done;
        let finished = matches!(self.phase, Phase::Done);
        Ok(StepOutcome {
            step: self.steps,
            losses: Vec::new(),
            report: (report || (finished && self.steps == 1)).then(|| self.report_now()),
            finished,
        })
    }

    /// One chunk of neighbour rows; the next phase and whether a stage was completed.
    fn neighbours_step(
        &mut self,
        mut stage: usize,
        mut seed: usize,
        row: usize,
        mut dist: Vec<f64>,
    ) -> (Phase, bool) {
        let n = self.stages[stage];
        let points = self.clouds[seed].prefix(n);
        // Enough neighbours for the MLE's k and for Levina–Bickel's fixed range.
        let k = self.settings.knn.max(LEVINA_BICKEL_K.1).min(n - 1);
        let rows = (WORK_PER_STEP / (n * points.dim).max(1)).max(1);
        let end = (row + rows).min(n);
        neighbour_rows(&points, k, row..end, &mut dist);
        self.done += end - row;
        if end < n {
            let next = Phase::Neighbours {
                stage,
                seed,
                row: end,
                dist,
            };
            return (next, false);
        }
        let nb = Neighbours { k, dist };
        self.record(n, seed, &nb, stage + 1 == self.stages.len());
        seed += 1;
        let mut report = false;
        if seed == self.clouds.len() {
            seed = 0;
            stage += 1;
            report = true;
        }
        if stage == self.stages.len() {
            return (self.gap_phase(0, 0), report);
        }
        let next = Phase::Neighbours {
            stage,
            seed,
            row: 0,
            dist: Vec::new(),
        };
        (next, report)
    }

    /// One chunk of held-out points; the next phase and whether a symmetry was completed.
    fn gap_step(
        &mut self,
        symmetry: usize,
        seed: usize,
        row: usize,
        mut acc: GapAccumulator,
    ) -> (Phase, bool) {
        let train = &self.gap_trains[seed];
        let cost = match self.symmetries[symmetry] {
            PlaneSymmetry::Cyclic(k) => k,
            _ => 1,
        };
        let rows = (WORK_PER_STEP / (train.len() * train.dim * cost).max(1)).max(1);
        let end = (row + rows).min(self.held_out.len());
        acc.add(train, &self.held_out, row..end);
        self.done += end - row;
        if end < self.held_out.len() {
            let next = Phase::Gap {
                symmetry,
                seed,
                row: end,
                acc,
            };
            return (next, false);
        }
        self.gap_fits.extend(acc.finish());
        if seed + 1 < self.gap_trains.len() {
            return (self.gap_phase(symmetry, seed + 1), false);
        }
        let fits = std::mem::take(&mut self.gap_fits);
        if let Some(mean) = mean_fit(&fits) {
            let dims: Vec<f64> = fits.iter().map(|f| f.dimension).collect();
            self.view.scaling_spread.push(spread(&dims));
            self.view.scaling.push(mean);
        }
        (self.gap_phase(symmetry + 1, 0), true)
    }

    fn gap_phase(&self, symmetry: usize, seed: usize) -> Phase {
        let train = &self.gap_trains[seed.min(self.gap_trains.len() - 1)];
        if symmetry >= self.symmetries.len() || train.len() < 2 || self.held_out.is_empty() {
            return Phase::Done;
        }
        Phase::Gap {
            symmetry,
            seed,
            row: 0,
            acc: GapAccumulator::new(default_sizes(train.len()), self.symmetries[symmetry]),
        }
    }

    fn record(&mut self, n: usize, seed: usize, nb: &Neighbours, last_stage: bool) {
        let t = two_nn(nb);
        let l = mle(nb, self.settings.knn);
        let lb = levina_bickel(nb, LEVINA_BICKEL_K.0, LEVINA_BICKEL_K.1);
        let values = [
            t.as_ref().map(|t| t.fit),
            t.as_ref().map(|t| t.closed_form),
            l.as_ref().map(|l| l.harmonic),
            lb,
        ];
        for (name, value) in ESTIMATORS.into_iter().zip(values) {
            let Some(v) = value.filter(|v| v.is_finite()) else {
                continue;
            };
            match self
                .view
                .estimates
                .iter_mut()
                .find(|r| r.n == n && r.estimator == name)
            {
                Some(row) => row.values.push(v),
                None => self.view.estimates.push(EstimateRow {
                    n,
                    estimator: name.to_string(),
                    values: vec![v],
                }),
            }
        }
        if seed == 0 && last_stage {
            self.view.pointwise = l.map(|l| l.pointwise).unwrap_or_default();
        }
    }

    fn ddim_panel(&self) -> Option<DdimPanel> {
        let cloud = &self.clouds[0];
        if cloud.dim < 2 || cloud.len() < 2 {
            return None;
        }
        let take = self.settings.ddim.min(cloud.len());
        let train = Points::new(
            2,
            cloud.rows().take(take).flat_map(|x| [x[0], x[1]]).collect(),
        );
        let symmetry = PlaneSymmetry::Cyclic(self.settings.order);
        let orbit = denoise::orbit(&train, symmetry);
        let rng = Rng::new(self.seed).fork("ddim");
        Some(DdimPanel {
            order: self.settings.order,
            symmetry_holds: self.settings.cloud.plane_symmetric(self.settings.order),
            plain: denoise::sample(DDIM_SAMPLES, DDIM_STEPS, &train, &mut rng.clone()),
            symmetric: denoise::sample(DDIM_SAMPLES, DDIM_STEPS, &orbit, &mut rng.clone()),
            train,
            orbit,
        })
    }
}

/// The suffix of a symmetry's metric names: none, `_c4`, `_so2`.
fn metric_suffix(symmetry: PlaneSymmetry) -> String {
    match symmetry {
        PlaneSymmetry::None => String::new(),
        PlaneSymmetry::Cyclic(k) => format!("_c{k}"),
        PlaneSymmetry::So2 => "_so2".into(),
    }
}

/// The fit of the mean curve `R_n` over per-seed curves of the same sizes.
fn mean_fit(fits: &[Scaling]) -> Option<Scaling> {
    let first = fits.first()?;
    let gaps = first
        .gaps
        .iter()
        .enumerate()
        .map(|(i, (n, _))| {
            let mean = fits.iter().map(|f| f.gaps[i].1).sum::<f64>() / fits.len() as f64;
            (*n, mean)
        })
        .collect();
    Scaling::fit(first.symmetry, gaps)
}

impl LabRun for DimensionRun {
    fn step(&mut self) -> LocalFuture<'_, Result<StepOutcome, RunError>> {
        let outcome = DimensionRun::step(self);
        Box::pin(async move { outcome })
    }

    fn report(&mut self) -> LocalFuture<'_, Result<Metrics, RunError>> {
        let report = self.report_now();
        Box::pin(async move { Ok(report) })
    }

    fn steps(&self) -> usize {
        self.steps
    }

    fn problem(&self) -> Option<String> {
        self.view.problem.clone()
    }

    fn view<'a>(
        &'a mut self,
        _settings: &'a (dyn std::any::Any + Send + Sync),
    ) -> LocalFuture<'a, Result<Option<LabView>, RunError>> {
        let view: LabView = std::sync::Arc::new(self.view.clone());
        Box::pin(async move { Ok(Some(view)) })
    }

    /// The estimates, the scaling law and the progress change with every chunk of work.
    fn view_follows_steps(&self) -> bool {
        true
    }
}

/// Sample standard deviation (0 for fewer than two values).
pub(super) fn spread(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let m = values.iter().sum::<f64>() / values.len() as f64;
    (values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (values.len() - 1) as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finish(run: &mut DimensionRun) -> Vec<Metrics> {
        let mut reports = Vec::new();
        for _ in 0..100_000 {
            let out = run.step().unwrap();
            reports.extend(out.report);
            if out.finished {
                return reports;
            }
        }
        panic!("the run did not finish");
    }

    /// The lab's claims on its default data, the torus: every estimator near d = 2 with a small
    /// spread, the scaling estimator near 2, C4 dividing R_n by about 4, SO(2) giving d ≈ 1.
    #[test]
    fn the_default_torus_run_recovers_its_dimension_and_symmetries() {
        let settings = DimensionSettings::default();
        let mut run = DimensionRun::new(&settings, 1, None);
        let reports = finish(&mut run);
        let last = reports.last().unwrap();
        for key in ["twonn", "twonn_closed_form", "mle", "levina_bickel"] {
            let v = last.get(key).unwrap();
            assert!((v - 2.0).abs() < 0.2, "{key} = {v}");
            assert!(last.get(&format!("{key}_spread")).unwrap() < 0.15);
        }
        assert_eq!(last.get("n"), Some(2500.0));
        assert!(
            (last.get("scaling_dimension").unwrap() - 2.0).abs() < 0.15,
            "{last:?}"
        );
        assert!(
            (last.get("gap_ratio_c4").unwrap() - 4.0).abs() < 0.6,
            "{last:?}"
        );
        assert!(
            (last.get("scaling_dimension_so2").unwrap() - 1.0).abs() < 0.15,
            "{last:?}"
        );
        let view = run.view();
        assert_eq!(view.progress.0, view.progress.1);
        assert_eq!(view.pointwise.len(), 2500);
        assert_eq!(view.scaling.len(), 3);
        let ddim = view.ddim.as_ref().unwrap();
        assert_eq!(ddim.orbit.len(), 4 * ddim.train.len());
        // Same link, same numbers.
        let mut again = DimensionRun::new(&settings, 1, None);
        assert_eq!(finish(&mut again), reports);
    }

    #[test]
    fn the_ddim_panel_says_where_its_symmetry_holds() {
        let panel = |cloud, order| {
            let settings = DimensionSettings {
                cloud,
                order,
                points: 200,
                seeds: 1,
                ..DimensionSettings::default()
            };
            let mut run = DimensionRun::new(&settings, 1, None);
            run.step().unwrap(); // the first piece of work builds the DDIM panel
            run.view().ddim.clone().unwrap()
        };
        assert!(panel(Cloud::Torus, 4).symmetry_holds);
        assert!(panel(Cloud::Helix, 4).symmetry_holds);
        assert!(!panel(Cloud::Helix, 3).symmetry_holds);
        assert!(!panel(Cloud::Swiss, 4).symmetry_holds);
        assert!(!panel(Cloud::Cube5, 2).symmetry_holds);
    }

    #[test]
    fn levina_bickel_keeps_its_range_whatever_the_mle_neighbours() {
        // Levina–Bickel averages k = 10..=20 whatever `knn` is; only the MLE follows `knn`.
        let run_with = |knn| {
            let settings = DimensionSettings {
                cloud: Cloud::Sphere2,
                points: 300,
                seeds: 1,
                knn,
                ..DimensionSettings::default()
            };
            finish(&mut DimensionRun::new(&settings, 2, None))
                .pop()
                .unwrap()
        };
        let (few, many) = (run_with(3), run_with(20));
        let lb = few.get("levina_bickel").unwrap();
        assert!(lb.is_finite(), "{few:?}");
        assert!((lb - many.get("levina_bickel").unwrap()).abs() < 1e-12);
        assert!(few.get("mle").unwrap() != many.get("mle").unwrap());
    }

    #[test]
    fn custom_points_without_a_file_explain_and_finish() {
        let settings = DimensionSettings {
            cloud: Cloud::Custom,
            ..DimensionSettings::default()
        };
        let mut run = DimensionRun::new(&settings, 1, None);
        assert!(run.view().problem.as_ref().unwrap().contains("CSV"));
        assert!(run.step().unwrap().finished);
        let points = orbit_math::dimension::Manifold::Helix.sample(500, 0.0, &mut Rng::new(4));
        let mut run = DimensionRun::new(&settings, 1, Some(&points));
        let last = finish(&mut run).pop().unwrap();
        assert_eq!(last.get("n"), Some(500.0));
        assert!((last.get("twonn").unwrap() - 1.0).abs() < 0.2, "{last:?}");
    }
}
