//! One training step (batch 64, Adam) of every model Orbit trains on the digits, natively, on
//! both CPU backends: `cargo bench -p orbit-labs --bench train_step`. Figures in BENCHMARKS.md.

use burn::tensor::Device;
use criterion::{Criterion, criterion_group, criterion_main};
use orbit_labs::BackendKind;
use orbit_labs::data::digits_split;
use orbit_labs::groups::Family;
use orbit_models::gcnn::SlotPool;
use orbit_models::{ClassifierTrainer, ImageClassifier, MlpConfig, TrainSettings};

/// The allocator the `orbit` CLI trains with (see its `ALLOCATOR`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// P4 fields per layer of the group-action lab's default budget.
const P4_FIELDS: usize = 6;
/// Convolution layers of the default networks.
const LAYERS: usize = 3;

fn settings() -> TrainSettings {
    TrainSettings {
        learning_rate: 0.01,
        batch_size: 64,
        augment: None,
    }
}

fn bench_trainer<M: ImageClassifier>(c: &mut Criterion, name: &str, model: M, device: &Device) {
    let train = digits_split(1, 1.0).train;
    let mut trainer = ClassifierTrainer::new(model, train, settings(), 1, device);
    c.bench_function(name, |b| {
        b.iter(|| pollster::block_on(trainer.step()).unwrap())
    });
}

fn train_step(c: &mut Criterion) {
    // NdArray when the build has it (`--features ndarray`, or a workspace build, where the CLI
    // turns it on): deprecated in Burn 0.22 and benchmarked for comparison.
    let devices: Vec<_> = [
        ("flex", BackendKind::Flex),
        ("ndarray", BackendKind::Ndarray),
    ]
    .into_iter()
    .filter_map(|(name, kind)| kind.cpu_device().map(|device| (name, device)))
    .collect();
    for (backend, device) in &devices {
        let autodiff = device.clone().autodiff();
        let mlp = MlpConfig::new(64, 10).init(1, &autodiff);
        bench_trainer(c, &format!("mlp/{backend}"), mlp, device);
        for family in [Family::Z2, Family::P4, Family::P4m, Family::P4e4] {
            let fields = family.fields_for_budget(P4_FIELDS, LAYERS);
            let model = family
                .config(fields, LAYERS, SlotPool::Max)
                .init(1, &autodiff);
            bench_trainer(c, &format!("{}/{backend}", family.key()), model, device);
        }
    }
}

// The macro generates an undocumented function.
#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = train_step
    }
}
criterion_main!(group::benches);
