//! Small statistics over labels and predictions.

/// The `classes × classes` confusion matrix, row-major: entry `[t * classes + p]` counts the
/// items of true class `t` predicted as `p`. Labels or predictions outside `0..classes` are
/// ignored.
pub fn confusion_matrix(labels: &[u8], predictions: &[u8], classes: usize) -> Vec<usize> {
    let mut m = vec![0; classes * classes];
    for (&t, &p) in labels.iter().zip(predictions) {
        let (t, p) = (usize::from(t), usize::from(p));
        if t < classes && p < classes {
            m[t * classes + p] += 1;
        }
    }
    m
}

/// Accuracy of each class (the diagonal over the row sums); `NaN` for a class with no items.
pub fn per_class_accuracy(confusion: &[usize], classes: usize) -> Vec<f64> {
    (0..classes)
        .map(|t| {
            let row = &confusion[t * classes..(t + 1) * classes];
            let total: usize = row.iter().sum();
            if total == 0 {
                f64::NAN
            } else {
                row[t] as f64 / total as f64
            }
        })
        .collect()
}

/// `Σ|f − y|² / Σ|y|²` over paired values: 0 for a perfect fit, 1 for predicting zero.
pub fn normalised_error(prediction: &[f64], truth: &[f64]) -> f64 {
    let (mut err, mut norm) = (0.0, 0.0);
    for (p, y) in prediction.iter().zip(truth) {
        err += (p - y) * (p - y);
        norm += y * y;
    }
    err / norm.max(1e-300)
}

/// Area under the ROC curve: the probability that a random positive scores above a random
/// negative, ties counting one half (rank-sum form, O(n log n)). `None` when a class is empty.
pub fn auc(positives: &[f32], negatives: &[f32]) -> Option<f64> {
    if positives.is_empty() || negatives.is_empty() {
        return None;
    }
    let mut all: Vec<(f32, bool)> = positives
        .iter()
        .map(|s| (*s, true))
        .chain(negatives.iter().map(|s| (*s, false)))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Sum of the (tie-averaged, 1-based) ranks of the positives.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < all.len() {
        let mut j = i;
        while j < all.len() && all[j].0 == all[i].0 {
            j += 1;
        }
        let average = (i + 1 + j) as f64 / 2.0;
        rank_sum += average * all[i..j].iter().filter(|x| x.1).count() as f64;
        i = j;
    }
    let (p, n) = (positives.len() as f64, negatives.len() as f64);
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_error_is_zero_for_a_fit_and_one_for_zeros() {
        assert_eq!(normalised_error(&[1.0, -2.0], &[1.0, -2.0]), 0.0);
        assert_eq!(normalised_error(&[0.0, 0.0], &[1.0, -2.0]), 1.0);
        assert!((normalised_error(&[2.0], &[1.0]) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn auc_counts_ordered_pairs_and_half_ties() {
        assert_eq!(auc(&[3.0, 4.0], &[1.0, 2.0]), Some(1.0));
        assert_eq!(auc(&[1.0, 2.0], &[3.0, 4.0]), Some(0.0));
        assert_eq!(auc(&[1.0], &[1.0]), Some(0.5));
        // 3 of the 4 pairs ordered right.
        assert_eq!(auc(&[2.0, 4.0], &[1.0, 3.0]), Some(0.75));
        assert_eq!(auc(&[], &[1.0]), None);
    }

    #[test]
    fn confusion_counts_land_in_the_right_cells() {
        let m = confusion_matrix(&[0, 0, 1, 2, 2, 9], &[0, 1, 1, 2, 0, 3], 3);
        assert_eq!(m, vec![1, 1, 0, 0, 1, 0, 1, 0, 1]);
        let acc = per_class_accuracy(&m, 3);
        assert_eq!(acc, vec![0.5, 1.0, 0.5]);
        assert!(per_class_accuracy(&[0; 4], 2)[0].is_nan());
    }
}
