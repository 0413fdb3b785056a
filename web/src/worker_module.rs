//! Which WebAssembly module a training worker runs, and starting a worker with it.
//!
//! The page's own module trains on Flex, which is all a visitor needs when WebGPU is missing
//! or is a software (fallback) adapter; the page sends it to the worker already compiled, so
//! nothing is downloaded twice. WebGPU's runtime and the NdArray backend are in a second module,
//! `orbit-backends` (`web/backends`), which a worker fetches only when a run asks for one of
//! them or the in-page benchmark compares the backends.

use std::cell::Cell;

use orbit_labs::BackendPreference;
use orbit_labs::backend::AdapterKind;
use wasm_bindgen::prelude::*;

use crate::adapter::{self, Adapter};
use crate::training::events::{self, Envelope};

/// A training worker's module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrainingModule {
    /// The page's own module: Flex only.
    Page,
    /// `orbit-backends`: WebGPU, NdArray and Flex.
    EveryBackend,
}

/// The script of `orbit-backends` in `dist/` (Trunk names a worker's files after its crate).
const EVERY_BACKEND_SCRIPT: &str = "orbit-backends.js";

thread_local! {
    /// Set when the module with every backend failed to load: later runs use the page's own.
    static EVERY_BACKEND_FAILED: Cell<bool> = const { Cell::new(false) };
}

/// Stops asking for the module with every backend (it failed to load); every later run gets
/// the page's own module.
pub fn give_up_every_backend() {
    EVERY_BACKEND_FAILED.with(|f| f.set(true));
}

impl TrainingModule {
    /// The module a run with `preference` needs; asks the browser for its adapter only when
    /// the preference depends on it.
    pub async fn for_run(preference: BackendPreference) -> Self {
        let adapter = if preference.wants_webgpu() {
            match adapter::probe().await {
                Adapter::Missing(_) => AdapterKind::Missing,
                Adapter::Fallback(_) => AdapterKind::Fallback,
                Adapter::Hardware(_) => AdapterKind::Hardware,
            }
        } else {
            AdapterKind::Missing
        };
        if preference.needs_every_backend(adapter) && !EVERY_BACKEND_FAILED.with(Cell::get) {
            TrainingModule::EveryBackend
        } else {
            TrainingModule::Page
        }
    }

    /// What the worker's first message carries: the module's script, and for the page's own
    /// module the compiled module itself.
    fn init_message(self) -> Result<js_sys::Object, String> {
        let (script, module) = match self {
            TrainingModule::Page => (page_script()?, wasm_bindgen::module()),
            TrainingModule::EveryBackend => (address(EVERY_BACKEND_SCRIPT)?, JsValue::UNDEFINED),
        };
        let init = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&init, &"script".into(), &script.into());
        let _ = js_sys::Reflect::set(&init, &"module".into(), &module);
        Ok(init)
    }
}

fn document() -> Result<web_sys::Document, String> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| "no document".into())
}

/// `href` resolved against the page's address.
fn address(href: &str) -> Result<String, String> {
    web_sys::Url::new_with_base(href, &document()?.url().map_err(|_| "no page address")?)
        .map(|u| u.href())
        .map_err(|_| format!("the address {href} does not parse"))
}

/// The address of the page's own module script (the one Trunk preloads).
fn page_script() -> Result<String, String> {
    let href = document()?
        .query_selector("link[rel=modulepreload][href$='.js']")
        .ok()
        .flatten()
        .and_then(|l| l.get_attribute("href"))
        .ok_or("the page's module script is not preloaded")?;
    address(&href)
}

/// Starts a worker (`static/worker.js`) named `name` running `module`: every event it posts
/// goes, decoded, to `on_event`; a failure to load or run goes to `on_error`.
pub fn spawn(
    module: TrainingModule,
    name: &str,
    on_event: impl Fn(Envelope) + 'static,
    on_error: impl Fn(String) + 'static,
) -> Result<web_sys::Worker, String> {
    let init = module.init_message()?;
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    options.set_name(name);
    let worker = web_sys::Worker::new_with_options("worker.js", &options)
        .map_err(|e| format!("the browser refused a module worker ({e:?})"))?;
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            match events::decode::<Envelope>(&e.data()) {
                Ok(envelope) => on_event(envelope),
                Err(e) => log::warn!("a message from a worker did not decode: {e}"),
            }
        });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_failure = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
        let message = e
            .dyn_ref::<web_sys::ErrorEvent>()
            .map(|e| e.message())
            .unwrap_or_else(|| "it failed to load".into());
        on_error(message);
    });
    worker.set_onerror(Some(on_failure.as_ref().unchecked_ref()));
    on_failure.forget();
    worker
        .post_message(&init)
        .map_err(|e| format!("the worker refused its module ({e:?})"))?;
    Ok(worker)
}

/// Sends `command` to `worker`; `false` when it could not be sent.
pub fn send(worker: &web_sys::Worker, command: &events::Command) -> bool {
    match events::encode(command) {
        Ok(message) => worker.post_message(&message).is_ok(),
        Err(e) => {
            log::warn!("could not encode a command for a worker: {e}");
            false
        }
    }
}
