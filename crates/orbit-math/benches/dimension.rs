//! The dimension lab's estimators at the sizes of the issue, natively:
//! `cargo bench -p orbit-math --bench dimension`. Figures in BENCHMARKS.md.
//!
//! - TwoNN and MLE (k = 20) on 2,500 points of N(0, I₂₀), neighbour search included;
//! - the scaling estimator with n = 32…2048 training points and 4,000 held-out points on the
//!   torus, without symmetry and under C4;
//! - the 20 nearest neighbours of every one of 2,500 points, brute force against a k-d tree
//!   (kiddo), in R³ (the sphere S²) and in R²⁰ (the Gaussian): which one Orbit should use.

use criterion::{Criterion, criterion_group, criterion_main};
use kiddo::{KdTree, SquaredEuclidean};
use orbit_math::Rng;
use orbit_math::dimension::{
    Manifold, PlaneSymmetry, Points, default_sizes, mle, neighbours, scaling, two_nn,
};

/// The 20 nearest-neighbour distances of every point through a k-d tree.
fn tree_neighbours<const K: usize>(cloud: &Points) -> Vec<f64> {
    let rows: Vec<[f64; K]> = cloud
        .rows()
        .map(|r| std::array::from_fn(|j| r[j]))
        .collect();
    let mut tree: KdTree<f64, K> = KdTree::new();
    for (i, r) in rows.iter().enumerate() {
        tree.add(r, i as u64);
    }
    let mut out = Vec::with_capacity(rows.len() * 20);
    for r in &rows {
        let found = tree.nearest_n::<SquaredEuclidean>(r, 21);
        out.extend(found.iter().skip(1).map(|n| n.distance.sqrt()));
    }
    out
}

fn knn(c: &mut Criterion) {
    let s2 = Manifold::Sphere2.sample(2500, 0.0, &mut Rng::new(4));
    let g20 = Manifold::Gauss20.sample(2500, 0.0, &mut Rng::new(4));
    c.bench_function("knn20/brute/S2 in R3", |b| b.iter(|| neighbours(&s2, 20)));
    c.bench_function("knn20/kiddo/S2 in R3", |b| {
        b.iter(|| tree_neighbours::<3>(&s2))
    });
    c.bench_function("knn20/brute/N(0,I20)", |b| b.iter(|| neighbours(&g20, 20)));
    c.bench_function("knn20/kiddo/N(0,I20)", |b| {
        b.iter(|| tree_neighbours::<20>(&g20))
    });
}

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
    targets = estimators, knn
    }
}
criterion_main!(group::benches);
