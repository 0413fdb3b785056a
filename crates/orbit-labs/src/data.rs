//! Data the labs ship with: the digits, embedded in the binary from `static/data/`.

use std::io::Read;
use std::sync::OnceLock;

use orbit_math::{Digits, Rng, split};
use orbit_models::ImageSet;
use serde::{Deserialize, Serialize};

use crate::knob::{Choice, Kind, Knob};

/// The gzipped digits CSV exactly as shipped in `static/data/digits.csv.gz`.
pub const DIGITS_CSV_GZ: &[u8] = include_bytes!("../../../static/data/digits.csv.gz");

/// Attribution that goes wherever the digits are shown.
pub const DIGITS_ATTRIBUTION: &str = "Digits: UCI \"Optical Recognition of Handwritten Digits\" \
(E. Alpaydin, C. Kaynak, 1998), CC BY 4.0, via scikit-learn (BSD-3-Clause).";

/// Share of the digits held out for testing.
pub const TEST_FRACTION: f64 = 0.2;

/// The digits table, decoded once.
pub fn digits() -> &'static Digits {
    static DIGITS: OnceLock<Digits> = OnceLock::new();
    DIGITS.get_or_init(|| {
        let mut text = String::new();
        flate2::read::GzDecoder::new(DIGITS_CSV_GZ)
            .read_to_string(&mut text)
            .expect("the shipped digits file is valid gzip (checked by a test)");
        Digits::parse_csv(&text).expect("the shipped digits file parses (checked by a test)")
    })
}

/// How much of the training split to train on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DataFraction {
    /// The whole training split (80% of the digits).
    All,
    /// One fifth of it, where inductive biases matter most.
    Fifth,
}

impl DataFraction {
    /// The share of the training split kept.
    pub fn value(self) -> f64 {
        match self {
            DataFraction::All => 1.0,
            DataFraction::Fifth => 0.2,
        }
    }
}

/// The `data` knob: all of the training split or a fifth of it.
pub const DATA_KNOB: Knob = Knob {
    view_only: false,
    key: "data",
    label: "Training data",
    help: "Train on all of the training split or on one fifth of it.",
    kind: Kind::Choice(&[
        Choice {
            value: "all",
            label: "all (1,438 images)",
        },
        Choice {
            value: "fifth",
            label: "1/5 (288 images)",
        },
    ]),
};

/// A seeded train/test split of the digits.
#[derive(Clone, Debug, PartialEq)]
pub struct DigitsSplit {
    /// Training images (all of the training part, or the first fifth of it).
    pub train: ImageSet,
    /// Held-out test images (20% of the digits, fixed by the seed alone).
    pub test: ImageSet,
}

/// Splits the digits by `seed`; `train_fraction` keeps that share of the training part. The
/// test set depends on the seed only, so runs with different data fractions compare fairly.
pub fn digits_split(seed: u64, train_fraction: f64) -> DigitsSplit {
    let d = digits();
    let (train_rows, test_rows) =
        split::train_test_split(d.len(), TEST_FRACTION, &mut Rng::new(seed).fork("split"));
    let train_rows = split::subsample(&train_rows, train_fraction);
    let set = |rows: &[usize]| {
        let (px, lb) = d.gather(rows);
        ImageSet::new(px, lb, orbit_math::digits::SIDE)
    };
    DigitsSplit {
        train: set(&train_rows),
        test: set(&test_rows),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_digits_decode_to_the_full_table() {
        let d = digits();
        assert_eq!(d.len(), 1797);
        assert_eq!(d.pixels.len(), 1797 * 64);
        let mut per_class = [0usize; 10];
        for &l in &d.labels {
            per_class[usize::from(l)] += 1;
        }
        // scikit-learn's load_digits: 178 zeros, 182 ones, … 180 nines.
        assert_eq!(
            per_class,
            [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
        );
        // First row of the file, as printed by `zcat | head -1`.
        assert_eq!(d.image(0)[2], 5.0 / 16.0);
        assert_eq!(d.labels[0], 0);
        let total: f64 = d.pixels.iter().map(|&p| f64::from(p) * 16.0).sum();
        assert_eq!(total.round() as u64, 561_718);
    }

    #[test]
    fn split_sizes_and_seed_dependence() {
        let a = digits_split(1, 1.0);
        assert_eq!((a.train.len(), a.test.len()), (1438, 359));
        let fifth = digits_split(1, 0.2);
        assert_eq!(fifth.test, a.test);
        assert_eq!(fifth.train.len(), 288);
        assert_ne!(digits_split(2, 1.0).test, a.test);
    }
}
