//! Orbit's training worker with every backend: [`orbit_web`] built with its `every-backend`
//! feature (Burn's WebGPU runtime and the NdArray backend beside Flex), as a module of its own.
//!
//! The page's module carries Flex only, which is all a visitor needs on a machine without a
//! hardware WebGPU adapter. When a run asks for WebGPU (`auto` with a hardware adapter, or
//! `backend=webgpu`) or for NdArray, or the in-page benchmark compares the backends, the page
//! starts its worker with this module instead (`static/worker.js` loads it by name). Its only
//! export is the worker's entry point.
#![cfg(target_arch = "wasm32")]

pub use orbit_web::training::worker::worker_main;
