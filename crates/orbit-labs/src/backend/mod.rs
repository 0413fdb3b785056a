//! Backends: which device a run trains on, and how that is chosen.
//!
//! In the page, `auto` times one warm-up training step on WebGPU (when the browser grants an
//! adapter) and on the CPU backend, and keeps the faster: a software adapter such as
//! Chromium's SwiftShader is far slower than the CPU on small models, so the presence of an
//! adapter decides nothing. Every failure on the WebGPU path falls back to the CPU backend
//! and keeps the reason for the page to show. This module holds the backends and the
//! preference (a leaf: the experiment imports it); [`choose`] and the timings live in `choice`.

use std::fmt;

use burn::tensor::Device;
use serde::{Deserialize, Serialize};

use crate::knob::Choice;

mod choice;

#[cfg(all(target_arch = "wasm32", feature = "webgpu"))]
pub use choice::init_webgpu;
pub use choice::{
    BackendChoice, StepTiming, WebGpuProbe, benchmark_ms, choose, time_steps, warmup_ms,
};

/// What a link or the CLI asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendPreference {
    /// The faster of WebGPU and the default CPU backend, by a timed warm-up step.
    Auto,
    /// WebGPU when an adapter is granted, else the CPU backend with a notice.
    Webgpu,
    /// The default CPU backend ([`DEFAULT_CPU`]).
    Cpu,
    /// Burn's Flex backend (pure Rust).
    Flex,
    /// Burn's NdArray backend (deprecated upstream, kept for comparison).
    Ndarray,
}

/// Choices of the `backend` knob.
pub const PREFERENCE_CHOICES: &[Choice] = &[
    Choice {
        value: "auto",
        label: "auto (fastest measured)",
    },
    Choice {
        value: "webgpu",
        label: "WebGPU",
    },
    Choice {
        value: "cpu",
        label: "CPU (default CPU backend)",
    },
    Choice {
        value: "flex",
        label: "CPU: Flex",
    },
    Choice {
        value: "ndarray",
        label: "CPU: NdArray",
    },
];

/// A backend Orbit can train on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    /// Burn's wgpu backend on the browser's WebGPU.
    Webgpu,
    /// Burn's Flex CPU backend.
    Flex,
    /// Burn's NdArray CPU backend.
    Ndarray,
}

/// The CPU backend used when none is named: Flex, the faster of the two in our measurements
/// (README, "Backends").
pub const DEFAULT_CPU: BackendKind = BackendKind::Flex;

impl BackendKind {
    /// Short name for badges.
    pub fn label(self) -> &'static str {
        match self {
            BackendKind::Webgpu => "WebGPU",
            BackendKind::Flex => "CPU (Flex)",
            BackendKind::Ndarray => "CPU (NdArray)",
        }
    }

    /// The device of a CPU backend; `None` for WebGPU, whose device is created asynchronously,
    /// and for NdArray in a build without it (the page's own module).
    pub fn cpu_device(self) -> Option<Device> {
        match self {
            BackendKind::Webgpu => None,
            BackendKind::Flex => Some(Device::flex()),
            #[cfg(feature = "ndarray")]
            #[allow(deprecated)]
            // NdArray is deprecated in Burn 0.22; offered for comparison.
            BackendKind::Ndarray => Some(Device::ndarray()),
            #[cfg(not(feature = "ndarray"))]
            BackendKind::Ndarray => None,
        }
    }
}

impl fmt::Display for BackendKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl BackendPreference {
    /// The CPU backend this preference names, or the default one (also when the named one is
    /// not in this build).
    pub fn cpu_kind(self) -> BackendKind {
        match self {
            BackendPreference::Ndarray if BackendKind::Ndarray.cpu_device().is_some() => {
                BackendKind::Ndarray
            }
            BackendPreference::Flex => BackendKind::Flex,
            _ => DEFAULT_CPU,
        }
    }

    /// The device of [`Self::cpu_kind`] (never WebGPU, so always a device at once).
    pub fn cpu_device(self) -> Device {
        self.cpu_kind().cpu_device().unwrap_or_else(Device::flex)
    }

    /// Whether this preference wants WebGPU tried at all.
    pub fn wants_webgpu(self) -> bool {
        matches!(self, BackendPreference::Auto | BackendPreference::Webgpu)
    }

    /// Whether a run with this preference, on a browser whose WebGPU offers `adapter`, needs a
    /// build with every backend rather than one with Flex alone (the page's own module): NdArray
    /// always; `webgpu` whenever there is an adapter to use; `auto` only on a hardware adapter,
    /// since it never times a fallback one.
    pub fn needs_every_backend(self, adapter: AdapterKind) -> bool {
        match self {
            BackendPreference::Ndarray => true,
            BackendPreference::Webgpu => adapter != AdapterKind::Missing,
            BackendPreference::Auto => adapter == AdapterKind::Hardware,
            BackendPreference::Cpu | BackendPreference::Flex => false,
        }
    }
}

/// What the browser's WebGPU offers, as far as choosing a build goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdapterKind {
    /// No WebGPU, or no adapter granted.
    Missing,
    /// A fallback adapter: a software renderer on the CPU (Chromium's SwiftShader).
    Fallback,
    /// A hardware adapter.
    Hardware,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ndarray_webgpu_and_a_hardware_adapter_for_auto_need_every_backend() {
        use AdapterKind::*;
        use BackendPreference as P;
        for adapter in [Missing, Fallback, Hardware] {
            assert!(P::Ndarray.needs_every_backend(adapter));
            assert!(!P::Cpu.needs_every_backend(adapter));
            assert!(!P::Flex.needs_every_backend(adapter));
            assert_eq!(P::Auto.needs_every_backend(adapter), adapter == Hardware);
            assert_eq!(P::Webgpu.needs_every_backend(adapter), adapter != Missing);
        }
    }

    #[test]
    fn a_build_without_ndarray_says_flex_rather_than_a_backend_it_lacks() {
        let kind = BackendPreference::Ndarray.cpu_kind();
        assert_eq!(kind == BackendKind::Ndarray, cfg!(feature = "ndarray"));
        assert_eq!(
            BackendKind::Ndarray.cpu_device().is_some(),
            cfg!(feature = "ndarray")
        );
    }
}
