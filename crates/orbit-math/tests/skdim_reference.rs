//! Orbit's TwoNN and MLE against scikit-dimension 0.5.0 on identical points.
//!
//! `tests/data/skdim_reference.json` holds point sets and the values scikit-dimension computed
//! on them (`python bench/skdim_reference.py` writes it): `skdim.id.TwoNN()` (least-squares fit
//! after dropping the largest 10% of ratios) and `skdim.id.MLE()` (k = 20, harmonic mean).

use orbit_math::dimension::{Points, mle, neighbours, two_nn};
use serde_json::Value;

fn reference() -> Value {
    let text = include_str!("data/skdim_reference.json");
    serde_json::from_str(text).expect("the reference file parses")
}

fn points(set: &Value) -> Points {
    let rows = set["points"].as_array().expect("points");
    let dim = rows[0].as_array().unwrap().len();
    let coords = rows
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()))
        .collect();
    Points::new(dim, coords)
}

#[test]
fn twonn_and_mle_match_scikit_dimension_on_identical_points() {
    let reference = reference();
    let sets = reference["sets"].as_array().unwrap();
    assert_eq!(sets.len(), 4);
    for set in sets {
        let name = set["name"].as_str().unwrap();
        let cloud = points(set);
        let nb = neighbours(&cloud, 20);
        let ours_twonn = two_nn(&nb).unwrap().fit;
        let ours_mle = mle(&nb, 20).unwrap().harmonic;
        let theirs_twonn = set["twonn"].as_f64().unwrap();
        let theirs_mle = set["mle"].as_f64().unwrap();
        assert!(
            (ours_twonn - theirs_twonn).abs() < 1e-8,
            "{name}: TwoNN {ours_twonn} against scikit-dimension's {theirs_twonn}"
        );
        assert!(
            (ours_mle - theirs_mle).abs() < 1e-8,
            "{name}: MLE {ours_mle} against scikit-dimension's {theirs_mle}"
        );
    }
}
