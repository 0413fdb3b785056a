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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confusion_counts_land_in_the_right_cells() {
        let m = confusion_matrix(&[0, 0, 1, 2, 2, 9], &[0, 1, 1, 2, 0, 3], 3);
        assert_eq!(m, vec![1, 1, 0, 0, 1, 0, 1, 0, 1]);
        let acc = per_class_accuracy(&m, 3);
        assert_eq!(acc, vec![0.5, 1.0, 0.5]);
        assert!(per_class_accuracy(&[0; 4], 2)[0].is_nan());
    }
}
