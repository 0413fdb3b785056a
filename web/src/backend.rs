//! Backend choice in the page: WebGPU is probed once per page (Burn's wgpu runtime can be
//! initialised only once), then [`orbit_labs::backend::choose`] times a warm-up step.

use std::cell::RefCell;

use orbit_labs::Experiment;
use orbit_labs::backend::{self, BackendChoice, BackendKind, WebGpuProbe};

use crate::browser;

thread_local! {
    static PROBE: RefCell<Option<WebGpuProbe>> = const { RefCell::new(None) };
}

/// What the badge shows about the backend in use.
#[derive(Clone, Debug, PartialEq)]
pub struct BackendStatus {
    /// The backend in use.
    pub kind: BackendKind,
    /// The WebGPU adapter, when one was granted.
    pub adapter: Option<String>,
    /// Warm-up milliseconds per measured backend.
    pub warmup_ms: Vec<(BackendKind, f64)>,
    /// Why WebGPU is not in use (or the request was not honoured), when that matters.
    pub reason: Option<String>,
}

impl From<&BackendChoice> for BackendStatus {
    fn from(c: &BackendChoice) -> Self {
        Self {
            kind: c.kind,
            adapter: c.adapter.clone(),
            warmup_ms: c.warmup_ms.clone(),
            reason: c.reason.clone(),
        }
    }
}

/// The WebGPU device of this page, initialising it on first use.
pub async fn webgpu_probe() -> WebGpuProbe {
    if let Some(p) = PROBE.with(|p| p.borrow().clone()) {
        return p;
    }
    crate::runtime::run_constructors_once();
    let probe = if browser::has_navigator_gpu() {
        backend::init_webgpu().await
    } else {
        WebGpuProbe::Failed("this browser exposes no WebGPU (navigator.gpu is missing)".into())
    };
    PROBE.with(|p| *p.borrow_mut() = Some(probe.clone()));
    probe
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

/// Milliseconds per training step of `experiment` on every backend this page has, measured
/// over `steps` steps each after one untimed step: the in-page benchmark.
pub async fn benchmark(
    experiment: &Experiment,
    steps: usize,
) -> Vec<(BackendKind, Result<f64, String>)> {
    let mut out = Vec::new();
    for kind in [BackendKind::Flex, BackendKind::Ndarray] {
        if let Some(device) = kind.cpu_device() {
            out.push((kind, backend::warmup_ms(experiment, &device, steps).await));
        }
    }
    match webgpu_probe().await {
        WebGpuProbe::Ready { device, .. } => {
            out.push((
                BackendKind::Webgpu,
                backend::warmup_ms(experiment, &device, steps).await,
            ));
        }
        WebGpuProbe::Failed(why) => out.push((BackendKind::Webgpu, Err(why))),
        WebGpuProbe::NotTried => {}
    }
    out
}
