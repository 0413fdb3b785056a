//! The browser's WebGPU adapter, asked through JavaScript (`navigator.gpu.requestAdapter()`)
//! rather than through Burn's WebGPU runtime, which the page's own module does not carry: enough
//! to tell which training module a run needs ([`crate::runner`]) and, in that module, why `auto`
//! keeps the CPU ([`crate::backend`]).

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::browser;

/// Why there is no adapter when the browser has no WebGPU at all.
pub const NO_WEBGPU: &str = "this browser exposes no WebGPU (navigator.gpu is missing)";

/// What the browser's WebGPU offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Adapter {
    /// No adapter, and why.
    Missing(String),
    /// A fallback adapter (`isFallbackAdapter`): a software renderer on the CPU, such as
    /// Chromium's SwiftShader. Its description.
    Fallback(String),
    /// A hardware adapter. Its description.
    Hardware(String),
}

thread_local! {
    static ADAPTER: RefCell<Option<Adapter>> = const { RefCell::new(None) };
}

/// The adapter, asked once per page or worker.
pub async fn probe() -> Adapter {
    if let Some(a) = ADAPTER.with(|a| a.borrow().clone()) {
        return a;
    }
    let adapter = request().await;
    ADAPTER.with(|a| *a.borrow_mut() = Some(adapter.clone()));
    adapter
}

fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

async fn request() -> Adapter {
    let Some(gpu) = browser::navigator_gpu() else {
        return Adapter::Missing(NO_WEBGPU.into());
    };
    let Ok(request) = get(&gpu, "requestAdapter").dyn_into::<js_sys::Function>() else {
        return Adapter::Missing("navigator.gpu has no requestAdapter".into());
    };
    let promise = match request.call0(&gpu).map(js_sys::Promise::from) {
        Ok(p) => p,
        Err(e) => return Adapter::Missing(format!("requestAdapter failed: {e:?}")),
    };
    let adapter = match JsFuture::from(promise).await {
        Ok(a) if !a.is_null() && !a.is_undefined() => a,
        Ok(_) => return Adapter::Missing("the browser granted no WebGPU adapter".into()),
        Err(e) => return Adapter::Missing(format!("requestAdapter failed: {e:?}")),
    };
    let info = get(&adapter, "info");
    // `GPUAdapterInfo.isFallbackAdapter` (newer browsers), `GPUAdapter.isFallbackAdapter` (older).
    let fallback = [
        get(&info, "isFallbackAdapter"),
        get(&adapter, "isFallbackAdapter"),
    ]
    .iter()
    .any(|v| v.as_bool() == Some(true));
    let description = describe(&info);
    if fallback {
        Adapter::Fallback(description)
    } else {
        Adapter::Hardware(description)
    }
}

/// "vendor architecture device description" as far as the browser tells them.
fn describe(info: &JsValue) -> String {
    let parts: Vec<String> = ["vendor", "architecture", "device", "description"]
        .iter()
        .filter_map(|k| get(info, k).as_string())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if parts.is_empty() {
        "an unnamed adapter".into()
    } else {
        parts.join(" ")
    }
}
