//! The one equivariance measure Orbit uses everywhere (tests, live meters, panels):
//!
//! `err(f, g, x) = max|f(ρ_in(g) x) − ρ_out(g) f(x)| / max(1, max|f(x)|)`
//!
//! The denominator is at least 1, so an output near zero does not blow a rounding error up
//! into a large relative one, and the error of a large output is relative to its size. The
//! Burn-side `orbit_models::equivariance::equivariance_error` reads its two maxima from the
//! device and divides here; host-side panels (sign flips, turned point clouds) call
//! [`equivariance_error`] on their arrays.

/// `gap / max(1, output_scale)`: a largest difference `max|f(g·x) − g·f(x)|` made relative to
/// the largest output `max|f(x)|`.
pub fn relative_to_output(gap: f64, output_scale: f64) -> f64 {
    gap / output_scale.max(1.0)
}

/// The equivariance error from the three arrays: `f(g·x)`, `g·f(x)` and `f(x)`, each flat and
/// the first two of equal length.
pub fn equivariance_error(f_gx: &[f64], g_fx: &[f64], fx: &[f64]) -> f64 {
    let gap = f_gx
        .iter()
        .zip(g_fx)
        .fold(0.0f64, |a, (u, v)| a.max((u - v).abs()));
    let scale = fx.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    relative_to_output(gap, scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_outputs_are_measured_absolutely_and_large_ones_relatively() {
        // Output below 1: the gap itself.
        assert_eq!(
            equivariance_error(&[0.1, 0.2], &[0.1, 0.25], &[0.3, -0.4]),
            0.25 - 0.2
        );
        // Output of size 10: the gap over 10.
        let e = equivariance_error(&[10.0, 0.0], &[9.0, 0.0], &[-10.0, 2.0]);
        assert!((e - 0.1).abs() < 1e-12, "{e}");
        assert_eq!(equivariance_error(&[1.0], &[1.0], &[1.0]), 0.0);
        assert_eq!(equivariance_error(&[], &[], &[]), 0.0);
    }
}
