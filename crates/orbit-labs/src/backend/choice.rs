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
    match time_steps(experiment, device, timed, None).await {
        StepTiming::Timed { ms, .. } => Ok(ms),
        StepTiming::Failed(e) => Err(e),
    }
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
        /// Whether the browser calls it a fallback adapter (`GPUAdapterInfo.isFallbackAdapter`):
        /// a software renderer such as SwiftShader, which runs on the same CPU as the CPU
        /// backend and, on our models, 10–70× slower than it.
        fallback: bool,
    },
    /// A fallback (software) adapter, described but not initialised: `auto` never times one,
    /// so a build without Burn's WebGPU runtime (the page's own module) stops here.
    Fallback {
        /// Adapter name as the browser reports it.
        adapter: String,
    },
    /// Why WebGPU is not available.
    Failed(String),
}

/// Why `auto` keeps the CPU on a fallback adapter without timing it.
fn fallback_reason(adapter: &str) -> String {
    format!(
        "WebGPU here is a fallback adapter ({adapter}): a software renderer on this same CPU, slower than the CPU backend, so it is not timed (backend=webgpu uses it anyway)"
    )
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

/// How a timing of training steps ended (WebGPU's against the CPU, for `auto`).
#[derive(Clone, Debug, PartialEq)]
pub enum StepTiming {
    /// Mean milliseconds of the timed steps: all of them, or as many as it took to be sure
    /// that WebGPU is the slower (their total already exceeded the CPU's whole timing).
    Timed {
        /// Mean milliseconds per step.
        ms: f64,
        /// Steps timed.
        steps: usize,
    },
    /// A step failed.
    Failed(String),
}

/// Times `timed` steps of `experiment` on `device` after an untimed one (shader compilation,
/// allocation). Against `cpu_ms` (the CPU's mean step, when `auto` times WebGPU) timing stops as
/// soon as the steps so far took longer than `timed` CPU steps, since the mean can then only be
/// the slower: on a slow adapter that saves all but one of its steps. (A step is never abandoned
/// half-way: dropping one that waits for the GPU to map a buffer leaves the buffer mapped, and
/// the device fails at its next submit.)
pub async fn time_steps(
    experiment: &Experiment,
    device: &Device,
    timed: usize,
    cpu_ms: Option<f64>,
) -> StepTiming {
    let mut run = Run::new(experiment, device);
    if let Err(e) = run.step().await {
        return StepTiming::Failed(e.to_string());
    }
    let budget = cpu_ms.map_or(f64::INFINITY, |c| c * timed.max(1) as f64);
    let start = Instant::now();
    let mut steps = 0;
    while steps < timed.max(1) {
        if let Err(e) = run.step().await {
            return StepTiming::Failed(e.to_string());
        }
        steps += 1;
        if start.elapsed().as_secs_f64() * 1000.0 > budget {
            break;
        }
    }
    StepTiming::Timed {
        ms: start.elapsed().as_secs_f64() * 1000.0 / steps as f64,
        steps,
    }
}

/// Chooses the backend for `experiment`: measures the CPU backend and, when the probe gave a
/// device, WebGPU ([`time_steps`], cut short for `auto` once WebGPU has lost); `auto` keeps
/// the faster, `webgpu` keeps WebGPU unless it failed. `auto` does not time a fallback
/// (software) adapter: it keeps the CPU and says why.
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
    let (device, adapter) = match webgpu {
        WebGpuProbe::NotTried => return cpu(timings, None, None),
        WebGpuProbe::Failed(why) => {
            let reason = if pref == BackendPreference::Webgpu {
                format!("WebGPU was requested but is unavailable: {why}")
            } else {
                format!("WebGPU unavailable: {why}")
            };
            return cpu(timings, None, Some(reason));
        }
        WebGpuProbe::Fallback { adapter } => {
            let reason = if pref == BackendPreference::Webgpu {
                format!(
                    "WebGPU was requested but this module has no WebGPU runtime (adapter {adapter})"
                )
            } else {
                fallback_reason(&adapter)
            };
            return cpu(timings, Some(adapter), Some(reason));
        }
        WebGpuProbe::Ready {
            device,
            adapter,
            fallback,
        } => {
            if fallback && pref == BackendPreference::Auto {
                let reason = fallback_reason(&adapter);
                return cpu(timings, Some(adapter), Some(reason));
            }
            (device, adapter)
        }
    };
    let auto = pref == BackendPreference::Auto;
    // Only `auto` weighs WebGPU against the CPU; `webgpu` keeps it however slow.
    let against = if auto {
        cpu_ms.as_ref().ok().copied()
    } else {
        None
    };
    let gpu_ms = match time_steps(experiment, &device, 3, against).await {
        StepTiming::Failed(e) => {
            let reason = format!("WebGPU failed its warm-up step: {e}");
            return cpu(timings, Some(adapter), Some(reason));
        }
        StepTiming::Timed { ms, .. } => ms,
    };
    timings.insert(0, (BackendKind::Webgpu, gpu_ms));
    match cpu_ms {
        Ok(c) if auto && c < gpu_ms => {
            let reason = format!(
                "the CPU step ({c:.1} ms) was faster than WebGPU's ({gpu_ms:.1} ms on {adapter})"
            );
            cpu(timings, Some(adapter), Some(reason))
        }
        _ => BackendChoice {
            kind: BackendKind::Webgpu,
            device,
            adapter: Some(adapter),
            warmup_ms: timings,
            reason: None,
        },
    }
}

/// Initialises Burn's wgpu runtime on the browser's WebGPU (once per page) and describes the
/// adapter. Returns why not on any failure.
#[cfg(all(target_arch = "wasm32", feature = "webgpu"))]
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
            // wgpu reports a browser's fallback adapter as a CPU device.
            let fallback = info.device_type == wgpu::DeviceType::Cpu;
            WebGpuProbe::Ready {
                device,
                adapter,
                fallback,
            }
        }
        Err(e) => WebGpuProbe::Failed(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LabId;
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
    fn a_fallback_adapter_without_a_device_keeps_the_cpu_and_says_why() {
        let fallback = || WebGpuProbe::Fallback {
            adapter: "google swiftshader".into(),
        };
        for (pref, said) in [
            (
                BackendPreference::Auto,
                "fallback adapter (google swiftshader)",
            ),
            (BackendPreference::Webgpu, "no WebGPU runtime"),
        ] {
            let e = Experiment {
                backend: pref,
                ..Default::default()
            };
            let c = pollster::block_on(choose(&e, fallback()));
            assert_eq!(c.kind, DEFAULT_CPU, "{pref:?}");
            assert_eq!(
                c.warmup_ms.len(),
                1,
                "only the CPU is timed: {:?}",
                c.warmup_ms
            );
            assert_eq!(c.adapter.as_deref(), Some("google swiftshader"));
            let reason = c.reason.unwrap();
            assert!(reason.contains(said), "{pref:?}: {reason}");
        }
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

    /// A probe's device, Flex standing in for WebGPU.
    fn stand_in(fallback: bool) -> WebGpuProbe {
        WebGpuProbe::Ready {
            device: Device::flex(),
            adapter: "stand-in".into(),
            fallback,
        }
    }

    #[test]
    fn auto_keeps_the_cpu_without_timing_a_fallback_adapter_and_webgpu_still_uses_it() {
        let auto = Experiment::for_lab(LabId::Baseline);
        let c = pollster::block_on(choose(&auto, stand_in(true)));
        assert_eq!(c.kind, DEFAULT_CPU);
        assert_eq!(c.warmup_ms.len(), 1, "only the CPU is timed");
        assert!(c.reason.unwrap().contains("fallback adapter (stand-in)"));
        // A real adapter is timed (the stand-in is as fast as the CPU: either may win).
        let c = pollster::block_on(choose(&auto, stand_in(false)));
        assert!(c.warmup_ms.iter().any(|(k, _)| *k == BackendKind::Webgpu));
        // Asked for by name, even a fallback adapter is used.
        let webgpu = Experiment {
            backend: BackendPreference::Webgpu,
            ..auto
        };
        let c = pollster::block_on(choose(&webgpu, stand_in(true)));
        assert_eq!(c.kind, BackendKind::Webgpu);
    }

    #[test]
    fn timing_stops_once_the_device_has_lost_to_the_cpu() {
        let e = Experiment::for_lab(LabId::Baseline);
        let device = Device::flex();
        let time = |cpu_ms| pollster::block_on(time_steps(&e, &device, 3, cpu_ms));
        // Against a CPU step of a nanosecond the first timed step already loses.
        assert!(matches!(
            time(Some(1e-6)),
            StepTiming::Timed { steps: 1, .. }
        ));
        // Against nothing (the `webgpu` preference) every step is timed.
        assert!(matches!(time(None), StepTiming::Timed { steps: 3, .. }));
    }
}
