//! The sign-flip lab's training costs, natively on Flex: one O(d) minibatch (32 clouds, all
//! four point-cloud models) for d = 2 and 3, and one whole run step (a link-prediction epoch of
//! the five link models plus 10 O(d) minibatches):
//! `cargo bench -p orbit-labs --bench signs_step`. Figures in BENCHMARKS.md.

use burn::tensor::Device;
use criterion::{Criterion, criterion_group, criterion_main};
use orbit_labs::signs::cloud::CloudLab;
use orbit_labs::signs::{SignsRun, SignsSettings};

/// The allocator the `orbit` CLI trains with (see its `ALLOCATOR`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn signs_step(c: &mut Criterion) {
    let device = Device::flex();
    for dim in [2, 3] {
        let mut lab = CloudLab::new(dim, 0.01, 1, &device);
        c.bench_function(&format!("od_minibatch/d{dim}"), |b| {
            b.iter(|| pollster::block_on(lab.step(1)).unwrap())
        });
    }
    let settings = SignsSettings {
        steps: 100_000,
        eval: 100_000,
        ..SignsSettings::default()
    };
    let mut run = SignsRun::new(&settings, 1, &device);
    c.bench_function("signs_run_step", |b| {
        b.iter(|| pollster::block_on(run.step()).unwrap())
    });
}

// The macro generates an undocumented function.
#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = signs_step
    }
}
criterion_main!(group::benches);
