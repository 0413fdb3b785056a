//! Orbit's web app: a Leptos client-side page that trains the labs live in the browser.
//!
//! It owns no math. [`session::Session`] holds the page's signals around one
//! [`orbit_labs::Experiment`]: the controls edit it, the URL mirrors it (replace, not push), and
//! [`training`] trains the [`orbit_labs::Run`] built from it in a Web Worker
//! ([`runner`] is the page's side), or in the page in chunks that yield between them when no
//! worker starts. The crate builds two modules ([`worker_module`]): by default the page with
//! Flex as its one backend; with the `every-backend` feature the training worker alone with
//! WebGPU and NdArray too, fetched when a run needs them ([`adapter`] tells the page whether
//! WebGPU is worth it). [`backend`] probes WebGPU once per module and times a warm-up step
//! against the CPU backend. [`components`] are the views: controls, plots, the backend badge, notices.
//! [`panic`] turns a panic into an error panel instead of a dead page.
#![cfg(target_arch = "wasm32")]

pub mod adapter;
pub mod app;
pub mod backend;
pub mod browser;
pub mod components;
pub mod files;
pub mod logger;
pub mod panic;
pub mod runner;
pub mod runtime;
pub mod session;
pub mod training;
pub mod views;
pub mod worker_module;

/// Installs the panic panel and mounts [`app::App`] on `<body>`; runs when the module loads.
/// The module with every backend (`every-backend`) only ever runs in a worker, so it has no
/// start function and carries no page.
#[cfg_attr(
    not(feature = "every-backend"),
    wasm_bindgen::prelude::wasm_bindgen(start)
)]
pub fn start() {
    runtime::run_constructors_once();
    if web_sys::window().is_none() {
        // The training worker (see `training::worker`): it has no page to mount.
        return;
    }
    panic::install();
    logger::install();
    leptos::mount::mount_to_body(app::App);
}
