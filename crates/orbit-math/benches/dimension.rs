//! The dimension lab's estimators at the sizes of the issue, natively:
//! `cargo bench -p orbit-math --bench dimension`. Figures in BENCHMARKS.md.
//!
//! - TwoNN and MLE (k = 20) on 2,500 points of N(0, I₂₀), neighbour search included;
//! - the scaling estimator with n = 32…2048 training points and 4,000 held-out points on the
//!   torus, without symmetry and under C4.

use criterion::{Criterion, criterion_group, criterion_main};
use orbit_math::Rng;
use orbit_math::dimension::{
    Manifold, PlaneSymmetry, default_sizes, mle, neighbours, scaling, two_nn,
};

fn estimators(c: &mut Criterion) {
    let cloud = Manifold::Gauss20.sample(2500, 0.0, &mut Rng::new(1));
    c.bench_function("twonn+mle/2500xR20", |b| {
        b.iter(|| {
            let nb = neighbours(&cloud, 20);
            (two_nn(&nb), mle(&nb, 20))
        })
    });
    let train = Manifold::Torus.sample(2048, 0.0, &mut Rng::new(2));
    let held = Manifold::Torus.sample(4000, 0.0, &mut Rng::new(3));
    for sym in [PlaneSymmetry::None, PlaneSymmetry::Cyclic(4)] {
        c.bench_function(&format!("scaling/2048x4000/{}", sym.label()), |b| {
            b.iter(|| scaling(&train, &held, &default_sizes(2048), sym))
        });
    }
}

// The macro generates an undocumented function.
#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(3));
    targets = estimators
    }
}
criterion_main!(group::benches);
