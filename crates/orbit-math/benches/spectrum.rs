//! Eigendecomposition of the link-prediction graph's normalised Laplacian (two copies of a
//! 200-node Erdős–Rényi graph plus 200 cross edges: 400 nodes), natively:
//! `cargo bench -p orbit-math --bench spectrum`. Figures in BENCHMARKS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use orbit_math::Rng;
use orbit_math::graph::{Graph, Laplacian, spectrum};

fn eigen(c: &mut Criterion) {
    let mut rng = Rng::new(1);
    let base = Graph::erdos_renyi(200, 0.05, &mut rng);
    let graph = Graph::two_copies(&base, 200, &mut rng);
    c.bench_function("spectrum/normalised/400 nodes", |b| {
        b.iter(|| spectrum(&graph, Laplacian::Normalized))
    });
}

// The macro generates an undocumented function.
#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(5));
    targets = eigen
    }
}
criterion_main!(group::benches);
