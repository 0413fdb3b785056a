//! Choosing a backend for an experiment by timing warm-up steps, and the in-page benchmark's
//! timing.

use burn::tensor::Device;
use web_time::Instant;

use super::{BackendKind, BackendPreference};
use crate::experiment::Experiment;
use crate::run::Run;

/// Milliseconds of one training step of `experiment` on `device`: one untimed step (shader
/// compilation, allocation), then the mean of `timed` steps.
pub async fn warmup_ms(
    experiment: &Experiment,
    device: &Device,
    timed: usize,
) -> Result<f64, String> {
    let mut run = Run::new(experiment, device);
    run.step().await.map_err(|e| e.to_string())?;
    let start = Instant::now();
    for _ in 0..timed.max(1) {
        run.step().await.map_err(|e| e.to_string())?;
    }
    Ok(start.elapsed().as_secs_f64() * 1000.0 / timed.max(1) as f64)
}

/// Mean milliseconds per training step of `experiment` on `device`, timing consecutive steps
/// (after one untimed warm-up step) until `budget_ms` have passed and at least `min_steps` were
/// taken: the benchmark behind the page's "Benchmark the backends".
pub async fn benchmark_ms(
    experiment: &Experiment,
    device: &Device,
    budget_ms: f64,
    min_steps: usize,
) -> Result<f64, String> {
    let mut run = Run::new(experiment, device);
    run.step().await.map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut steps = 0;
    while steps < min_steps.max(1) || start.elapsed().as_secs_f64() * 1000.0 < budget_ms {
        run.step().await.map_err(|e| e.to_string())?;
        steps += 1;
    }
    Ok(start.elapsed().as_secs_f64() * 1000.0 / steps as f64)
}

/// What the WebGPU path produced: a device with its adapter's description, or why not.
#[derive(Clone, Debug)]
pub enum WebGpuProbe {
    /// The preference did not ask for WebGPU.
    NotTried,
    /// An adapter was granted and Burn's device initialised.
    Ready {
        /// The initialised device (kept for the whole page: it can be created only once).
        device: Device,
        /// Adapter name and type as the browser reports them.
        adapter: String,
    },
    /// Why WebGPU is not available.
    Failed(String),
}

/// The backend a run uses, with everything the badge shows.
#[derive(Clone, Debug)]
pub struct BackendChoice {
    /// The backend in use.
    pub kind: BackendKind,
    /// Its device.
    pub device: Device,
    /// The WebGPU adapter's description, when WebGPU is in use or was measured.
    pub adapter: Option<String>,
    /// Warm-up step times in milliseconds, per measured backend.
    pub warmup_ms: Vec<(BackendKind, f64)>,
    /// Why the preference was not honoured or WebGPU was not used, when that matters.
    pub reason: Option<String>,
}

/// Chooses the backend for `experiment`: measures the CPU backend and, when the probe gave a
/// device, WebGPU; `auto` keeps the faster, `webgpu` keeps WebGPU unless it failed.
pub async fn choose(experiment: &Experiment, webgpu: WebGpuProbe) -> BackendChoice {
    let pref = experiment.backend;
    let cpu_kind = pref.cpu_kind();
    let cpu_device = pref.cpu_device();
    let mut timings = Vec::new();
    let cpu_ms = warmup_ms(experiment, &cpu_device, 3).await;
    if let Ok(ms) = cpu_ms {
        timings.push((cpu_kind, ms));
    }
    let cpu = |timings: Vec<(BackendKind, f64)>,
               adapter: Option<String>,
               reason: Option<String>| BackendChoice {
        kind: cpu_kind,
        device: cpu_device.clone(),
        adapter,
        warmup_ms: timings,
        reason,
    };
    match webgpu {
        WebGpuProbe::NotTried => cpu(timings, None, None),
        WebGpuProbe::Failed(why) => {
            let reason = if pref == BackendPreference::Webgpu {
                format!("WebGPU was requested but is unavailable: {why}")
            } else {
                format!("WebGPU unavailable: {why}")
            };
            cpu(timings, None, Some(reason))
        }
        WebGpuProbe::Ready { device, adapter } => match warmup_ms(experiment, &device, 3).await {
            Err(e) => cpu(
                timings,
                Some(adapter),
                Some(format!("WebGPU failed its warm-up step: {e}")),
            ),
            Ok(gpu_ms) => {
                timings.insert(0, (BackendKind::Webgpu, gpu_ms));
                let cpu_faster = cpu_ms.as_ref().is_ok_and(|&c| c < gpu_ms);
                if pref == BackendPreference::Auto && cpu_faster {
                    let c = cpu_ms.unwrap_or(f64::NAN);
                    let reason = format!(
                        "the CPU step ({c:.1} ms) was faster than WebGPU's ({gpu_ms:.1} ms on {adapter})"
                    );
                    cpu(timings, Some(adapter), Some(reason))
                } else {
                    BackendChoice {
                        kind: BackendKind::Webgpu,
                        device,
                        adapter: Some(adapter),
                        warmup_ms: timings,
                        reason: None,
                    }
                }
            }
        },
    }
}

/// Initialises Burn's wgpu runtime on the browser's WebGPU (once per page) and describes the
/// adapter. Returns why not on any failure.
#[cfg(target_arch = "wasm32")]
pub async fn init_webgpu() -> WebGpuProbe {
    match Device::wgpu_options().init_with_setup_async().await {
        Ok((device, setup)) => {
            let info = setup.adapter.get_info();
            let name = if info.name.is_empty() {
                "unnamed adapter".to_string()
            } else {
                info.name.clone()
            };
            let adapter = format!("{name} ({:?}, {:?})", info.device_type, info.backend);
            WebGpuProbe::Ready { device, adapter }
        }
        Err(e) => WebGpuProbe::Failed(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::DEFAULT_CPU;

    #[test]
    fn without_webgpu_the_cpu_backend_is_chosen_and_timed() {
        let e = Experiment::default();
        let c = pollster::block_on(choose(&e, WebGpuProbe::NotTried));
        assert_eq!(c.kind, DEFAULT_CPU);
        assert_eq!(c.warmup_ms.len(), 1);
        assert!(c.warmup_ms[0].1 > 0.0);
        assert!(c.reason.is_none());
    }

    #[test]
    fn a_failed_webgpu_request_falls_back_with_its_reason() {
        let e = Experiment {
            backend: BackendPreference::Webgpu,
            ..Default::default()
        };
        let c = pollster::block_on(choose(&e, WebGpuProbe::Failed("no adapter".into())));
        assert_eq!(c.kind, DEFAULT_CPU);
        let reason = c.reason.unwrap();
        assert!(
            reason.contains("requested") && reason.contains("no adapter"),
            "{reason}"
        );
    }

    #[test]
    fn the_benchmark_times_at_least_the_minimum_number_of_steps() {
        let e = Experiment::default();
        let ms = pollster::block_on(benchmark_ms(&e, &Device::flex(), 0.0, 3)).unwrap();
        assert!(ms > 0.0 && ms.is_finite());
    }

    #[test]
    fn named_cpu_backends_are_honoured() {
        let e = Experiment {
            backend: BackendPreference::Ndarray,
            ..Default::default()
        };
        let c = pollster::block_on(choose(&e, WebGpuProbe::NotTried));
        assert_eq!(c.kind, BackendKind::Ndarray);
    }
}
