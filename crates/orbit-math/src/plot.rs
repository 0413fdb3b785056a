//! Plot arithmetic shared by every chart in the page: axis ranges, "nice" tick values and
//! downsampling of long curves. Pure functions, tested natively; the page only draws.

/// A closed axis range with its tick values.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// Lower end of the axis.
    pub min: f64,
    /// Upper end of the axis.
    pub max: f64,
    /// Tick positions, within `min..=max`.
    pub ticks: Vec<f64>,
    /// Whether positions map logarithmically.
    pub log: bool,
}

impl Axis {
    /// A linear axis covering `lo..=hi`, widened to nice round ends, with about `target` ticks.
    pub fn linear(lo: f64, hi: f64, target: usize) -> Self {
        let (lo, hi) = sane_range(lo, hi);
        let step = nice_step((hi - lo) / target.max(1) as f64);
        let min = (lo / step).floor() * step;
        let max = (hi / step).ceil() * step;
        let n = ((max - min) / step).round() as usize;
        let ticks = (0..=n).map(|i| clean(min + i as f64 * step)).collect();
        Self {
            min,
            max,
            ticks,
            log: false,
        }
    }

    /// A base-10 log axis covering `lo..=hi` (positive values), ends at powers of ten.
    pub fn log10(lo: f64, hi: f64) -> Self {
        let lo = if lo.is_finite() && lo > 0.0 { lo } else { 1e-3 };
        let hi = if hi.is_finite() && hi > lo {
            hi
        } else {
            lo * 10.0
        };
        let a = lo.log10().floor() as i32;
        let b = (hi.log10().ceil() as i32).max(a + 1);
        let ticks = (a..=b).map(|e| 10f64.powi(e)).collect();
        Self {
            min: 10f64.powi(a),
            max: 10f64.powi(b),
            ticks,
            log: true,
        }
    }

    /// Position of `v` in `0..=1` along the axis (clamped).
    pub fn fraction(&self, v: f64) -> f64 {
        let f = if self.log {
            (v.max(f64::MIN_POSITIVE).log10() - self.min.log10())
                / (self.max.log10() - self.min.log10())
        } else {
            (v - self.min) / (self.max - self.min)
        };
        if f.is_finite() {
            f.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// Short label for a tick value: `0.001`, `0.5`, `20`, `1.5k`, `1e-5`.
pub fn tick_label(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 {
        "0".into()
    } else if !(1e-3..1e5).contains(&a) {
        format!("{v:.0e}")
    } else if a >= 1e3 {
        let k = v / 1e3;
        if (k - k.round()).abs() < 1e-9 {
            format!("{}k", k.round())
        } else {
            format!("{k:.1}k")
        }
    } else {
        let s = format!("{:.3}", v);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Keeps at most `max_points` of a curve: first and last kept, and in each bucket the points
/// with the smallest and largest y, so spikes survive. Non-finite points are dropped.
pub fn downsample(points: &[(f64, f64)], max_points: usize) -> Vec<(f64, f64)> {
    let finite: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    if finite.len() <= max_points.max(4) {
        return finite;
    }
    let buckets = (max_points / 2).max(2);
    let size = finite.len().div_ceil(buckets);
    let mut out = Vec::with_capacity(max_points + 2);
    for chunk in finite.chunks(size) {
        let lo = chunk
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.1.total_cmp(&b.1.1))
            .map(|p| p.0)
            .unwrap_or(0);
        let hi = chunk
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.1.total_cmp(&b.1.1))
            .map(|p| p.0)
            .unwrap_or(0);
        let (first, second) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        out.push(chunk[first]);
        if second != first {
            out.push(chunk[second]);
        }
    }
    if out.last() != finite.last() {
        out.extend(finite.last());
    }
    out
}

fn sane_range(lo: f64, hi: f64) -> (f64, f64) {
    match (lo.is_finite(), hi.is_finite()) {
        (true, true) if hi > lo => (lo, hi),
        (true, true) => (lo - 0.5, lo + 0.5),
        (true, false) => (lo, lo + 1.0),
        (false, true) => (hi - 1.0, hi),
        _ => (0.0, 1.0),
    }
}

fn nice_step(raw: f64) -> f64 {
    let e = raw.log10().floor();
    let base = 10f64.powf(e);
    let m = raw / base;
    let nice = if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * base
}

fn clean(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_axes_have_round_ends_and_ticks() {
        let a = Axis::linear(0.03, 0.97, 5);
        assert_eq!((a.min, a.max), (0.0, 1.0));
        assert_eq!(a.ticks, vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        let b = Axis::linear(0.0, 600.0, 6);
        assert_eq!(b.ticks.last(), Some(&600.0));
        assert!((a.fraction(0.5) - 0.5).abs() < 1e-12);
        assert_eq!(a.fraction(7.0), 1.0);
    }

    #[test]
    fn degenerate_ranges_do_not_break_axes() {
        for (lo, hi) in [
            (1.0, 1.0),
            (f64::NAN, 2.0),
            (f64::NAN, f64::NAN),
            (3.0, f64::INFINITY),
        ] {
            let a = Axis::linear(lo, hi, 5);
            assert!(a.max > a.min && a.ticks.len() >= 2, "{lo} {hi}: {a:?}");
            assert!(a.fraction(lo).is_finite());
        }
    }

    #[test]
    fn log_axes_span_powers_of_ten() {
        let a = Axis::log10(0.02, 2.3);
        assert_eq!(a.ticks, vec![0.01, 0.1, 1.0, 10.0]);
        assert!((a.fraction(0.1) - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(Axis::log10(-1.0, f64::NAN).ticks.len(), 2);
    }

    #[test]
    fn tick_labels_are_short() {
        assert_eq!(tick_label(0.0), "0");
        assert_eq!(tick_label(0.25), "0.25");
        assert_eq!(tick_label(600.0), "600");
        assert_eq!(tick_label(2000.0), "2k");
        assert_eq!(tick_label(1e-5), "1e-5");
    }

    #[test]
    fn downsampling_keeps_ends_and_spikes_and_drops_nan() {
        let mut pts: Vec<(f64, f64)> = (0..10_000).map(|i| (i as f64, 1.0)).collect();
        pts[5_000].1 = 50.0;
        pts[7].1 = f64::NAN;
        let d = downsample(&pts, 400);
        assert!(d.len() <= 402, "{}", d.len());
        assert_eq!(d[0], (0.0, 1.0));
        assert_eq!(d.last(), Some(&(9_999.0, 1.0)));
        assert!(d.contains(&(5_000.0, 50.0)));
        assert!(d.iter().all(|p| p.1.is_finite()));
        assert_eq!(downsample(&pts[..3], 400).len(), 3);
    }
}
