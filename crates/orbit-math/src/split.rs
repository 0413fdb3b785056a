//! Seeded splits of row indices.

use crate::Rng;

/// Splits `0..n` into shuffled (train, test) index lists; the test part has
/// `round(n · test_fraction)` rows, at least one and at most `n − 1` when `n ≥ 2`.
pub fn train_test_split(n: usize, test_fraction: f64, rng: &mut Rng) -> (Vec<usize>, Vec<usize>) {
    let mut idx = rng.permutation(n);
    let mut n_test = (n as f64 * test_fraction.clamp(0.0, 1.0)).round() as usize;
    if n >= 2 {
        n_test = n_test.clamp(1, n - 1);
    }
    let train = idx.split_off(n_test.min(n));
    (train, idx)
}

/// Keeps the first `round(len · fraction)` entries (at least one when the list is non-empty).
pub fn subsample(indices: &[usize], fraction: f64) -> Vec<usize> {
    let keep = (indices.len() as f64 * fraction.clamp(0.0, 1.0)).round() as usize;
    indices[..keep.clamp(indices.len().min(1), indices.len())].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_a_partition_fixed_by_the_seed() {
        let (tr, te) = train_test_split(1797, 0.2, &mut Rng::new(1));
        assert_eq!(te.len(), 359);
        assert_eq!(tr.len() + te.len(), 1797);
        let mut all: Vec<usize> = tr.iter().chain(&te).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..1797).collect::<Vec<_>>());
        assert_eq!(
            (tr.clone(), te.clone()),
            train_test_split(1797, 0.2, &mut Rng::new(1))
        );
        assert_ne!(te, train_test_split(1797, 0.2, &mut Rng::new(2)).1);
    }

    #[test]
    fn degenerate_fractions_still_leave_both_sides() {
        assert_eq!(train_test_split(10, 0.0, &mut Rng::new(1)).1.len(), 1);
        assert_eq!(train_test_split(10, 1.0, &mut Rng::new(1)).0.len(), 1);
        assert_eq!(subsample(&[1, 2, 3, 4, 5], 0.2), vec![1]);
        assert_eq!(subsample(&[1, 2, 3], 0.0), vec![1]);
    }
}
