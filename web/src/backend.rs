//! Backend choice where the run trains: WebGPU is probed once per module instance (Burn's wgpu
//! runtime can be initialised only once), then [`orbit_labs::backend::choose`] times a warm-up
//! step. The page's own module has no WebGPU runtime (see [`crate::adapter`]): there the probe
//! only describes the adapter.

use std::cell::{Cell, RefCell};

use orbit_labs::Experiment;
use orbit_labs::backend::{self, BackendChoice, BackendKind, WebGpuProbe};

use serde::{Deserialize, Serialize};

use crate::browser;

thread_local! {
    static PROBE: RefCell<Option<WebGpuProbe>> = const { RefCell::new(None) };
    /// Set while the first caller initialises WebGPU.
    static PROBING: Cell<bool> = const { Cell::new(false) };
}

/// What the badge shows about the backend in use.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackendStatus {
    /// The backend in use.
    pub kind: BackendKind,
    /// The WebGPU adapter, when one was granted.
    pub adapter: Option<String>,
    /// Warm-up milliseconds per measured backend.
    pub warmup_ms: Vec<(BackendKind, f64)>,
    /// Why WebGPU is not in use (or the request was not honoured), when that matters.
    pub reason: Option<String>,
    /// Whether this is the CPU backend the page started on while `auto` still times WebGPU
    /// against it in the background.
    pub provisional: bool,
    /// Whether the lab computes without a tensor backend (plain Rust on the CPU): nothing was
    /// timed or chosen, and the badge says just "CPU".
    pub plain: bool,
}

impl BackendStatus {
    /// The status of a run started at once on the default CPU backend while `auto` decides.
    pub fn provisional() -> Self {
        Self {
            kind: orbit_labs::backend::DEFAULT_CPU,
            adapter: None,
            warmup_ms: Vec::new(),
            reason: None,
            provisional: true,
            plain: false,
        }
    }

    /// The status of a lab whose arithmetic is plain Rust (see `Lab::uses_device`).
    pub fn plain_cpu() -> Self {
        Self {
            kind: orbit_labs::backend::DEFAULT_CPU,
            adapter: None,
            warmup_ms: Vec::new(),
            reason: Some(
                "this lab's estimators are plain Rust on the CPU: no tensor backend is used, so none is timed"
                    .into(),
            ),
            provisional: false,
            plain: true,
        }
    }
}

impl From<&BackendChoice> for BackendStatus {
    fn from(c: &BackendChoice) -> Self {
        Self {
            kind: c.kind,
            adapter: c.adapter.clone(),
            warmup_ms: c.warmup_ms.clone(),
            reason: c.reason.clone(),
            provisional: false,
            plain: false,
        }
    }
}

/// The WebGPU device of this page, initialising it on first use. Burn's wgpu runtime can be
/// initialised only once, so a second caller while the first is still initialising waits for
/// its result.
pub async fn webgpu_probe() -> WebGpuProbe {
    loop {
        if let Some(p) = PROBE.with(|p| p.borrow().clone()) {
            return p;
        }
        if !PROBING.with(|p| p.replace(true)) {
            break;
        }
        browser::sleep_ms(20).await;
    }
    crate::runtime::run_constructors_once();
    let probe = probe_webgpu().await;
    PROBE.with(|p| *p.borrow_mut() = Some(probe.clone()));
    probe
}

/// Burn's WebGPU device on the browser's adapter.
#[cfg(feature = "every-backend")]
async fn probe_webgpu() -> WebGpuProbe {
    if browser::has_navigator_gpu() {
        backend::init_webgpu().await
    } else {
        WebGpuProbe::Failed(crate::adapter::NO_WEBGPU.into())
    }
}

/// The adapter described, without a device: this module has no WebGPU runtime. The page loads
/// the module with one for a hardware adapter, so here it is a fallback one or none.
#[cfg(not(feature = "every-backend"))]
async fn probe_webgpu() -> WebGpuProbe {
    use crate::adapter::Adapter;
    match crate::adapter::probe().await {
        Adapter::Missing(why) => WebGpuProbe::Failed(why),
        Adapter::Fallback(adapter) => WebGpuProbe::Fallback { adapter },
        Adapter::Hardware(adapter) => WebGpuProbe::Failed(format!(
            "the adapter {adapter} needs the worker with every backend, which did not load"
        )),
    }
}

/// Marks WebGPU as unusable for the rest of the page's life (its device was lost or failed),
/// so that every later choice falls back to the CPU backend with `why`.
pub fn give_up_webgpu(why: String) {
    PROBE.with(|p| *p.borrow_mut() = Some(WebGpuProbe::Failed(why)));
}

/// Chooses the backend for `experiment` as its preference asks.
pub async fn choose(experiment: &Experiment) -> BackendChoice {
    let probe = if experiment.backend.wants_webgpu() {
        webgpu_probe().await
    } else {
        WebGpuProbe::NotTried
    };
    backend::choose(experiment, probe).await
}

/// Rounds per backend in the in-page benchmark; the median round is reported.
const BENCH_ROUNDS: usize = 5;

/// Milliseconds per training step of each model of `experiment` (see
/// [`Experiment::benchmark_parts`]) on every backend this page has: for each,
/// [`BENCH_ROUNDS`] rounds of at least `round_ms` of consecutive steps (after one untimed step),
/// yielding to the browser between rounds; the median round is reported.
pub async fn benchmark(
    experiment: &Experiment,
    round_ms: f64,
) -> Vec<(String, BackendKind, Result<f64, String>)> {
    let mut devices: Vec<(BackendKind, Result<burn::tensor::Device, String>)> =
        [BackendKind::Flex, BackendKind::Ndarray]
            .into_iter()
            .filter_map(|k| k.cpu_device().map(|d| (k, Ok(d))))
            .collect();
    match webgpu_probe().await {
        WebGpuProbe::Ready { device, .. } => devices.push((BackendKind::Webgpu, Ok(device))),
        WebGpuProbe::Failed(why) => devices.push((BackendKind::Webgpu, Err(why))),
        WebGpuProbe::Fallback { adapter } => devices.push((
            BackendKind::Webgpu,
            Err(format!("{adapter} is not loaded in this module")),
        )),
        WebGpuProbe::NotTried => {}
    }
    let mut out = Vec::new();
    for (model, part) in experiment.benchmark_parts() {
        for (kind, device) in &devices {
            let result = median_ms(&part, device.clone(), round_ms).await;
            out.push((model.clone(), *kind, result));
        }
    }
    out
}

/// The median of [`BENCH_ROUNDS`] timed rounds of `experiment` on `device`.
async fn median_ms(
    experiment: &Experiment,
    device: Result<burn::tensor::Device, String>,
    round_ms: f64,
) -> Result<f64, String> {
    let device = device?;
    let mut rounds = Vec::with_capacity(BENCH_ROUNDS);
    for _ in 0..BENCH_ROUNDS {
        // At least one timed step a round: a step slower than the round (NdArray's P4 G-CNN,
        // seconds) is timed once per round rather than three times.
        rounds.push(backend::benchmark_ms(experiment, &device, round_ms, 1).await?);
        browser::yield_now().await;
    }
    rounds.sort_by(f64::total_cmp);
    Ok(rounds[rounds.len() / 2])
}
