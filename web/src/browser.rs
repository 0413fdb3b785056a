//! Thin helpers over the browser: time, yielding, the address bar and the clipboard. Time,
//! timers, yielding and `navigator.gpu` work in the training worker too.

use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// The global `setTimeout`, in a page or a worker.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> JsValue;
}

/// A property of the global object (`window` in the page, `self` in a worker).
fn global(name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// Milliseconds since the page (or worker) started (`performance.now()`).
pub fn now_ms() -> f64 {
    global("performance")
        .map(|p| p.unchecked_into::<web_sys::Performance>().now())
        .unwrap_or(0.0)
}

/// Resolves after `ms` milliseconds via `setTimeout`, letting the browser run other tasks.
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        set_timeout(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

/// Lets the browser run its pending tasks (input, rendering) and resumes right after, via a
/// `MessageChannel` message: unlike `setTimeout(0)`, it is not clamped to 4 ms when nested.
pub async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        match web_sys::MessageChannel::new() {
            Ok(channel) => {
                channel.port1().set_onmessage(Some(resolve.unchecked_ref()));
                let _ = channel.port2().post_message(&JsValue::UNDEFINED);
                // Keep port1 alive until the message arrives: it owns the handler.
                let keep = channel.port1();
                let _ = js_sys::Reflect::set(&resolve, &JsValue::from_str("port"), &keep);
            }
            Err(_) => {
                set_timeout(&resolve, 0);
            }
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// The page's query string (with its `?`), or empty.
pub fn location_search() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// The page's address without query or fragment.
pub fn location_base() -> String {
    web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default()
}

/// Rewrites the query in the address bar without adding a history entry.
pub fn replace_query(query: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let url = format!("{}?{query}", location_base());
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// Copies text to the clipboard; `false` when the browser refuses.
pub async fn copy_text(text: &str) -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let promise = w.navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.is_ok()
}

/// `navigator.gpu`, when the browser exposes WebGPU at all, in a page or a worker.
pub fn navigator_gpu() -> Option<JsValue> {
    global("navigator")
        .and_then(|n| js_sys::Reflect::get(&n, &JsValue::from_str("gpu")).ok())
        .filter(|gpu| !gpu.is_undefined() && !gpu.is_null())
}

/// Whether `navigator.gpu` exists (the browser exposes WebGPU at all), in a page or a worker.
pub fn has_navigator_gpu() -> bool {
    navigator_gpu().is_some()
}

/// Calls `f` with the key of every press of space, `s`, `r` or `p` outside form fields (the page's
/// shortcuts), preventing the browser's own action for it (scrolling, pressing a button).
pub fn on_shortcut(f: impl Fn(String) + 'static) {
    let handler =
        Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() || e.repeat() {
                return;
            }
            let in_field = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
                });
            let key = e.key();
            // Space on a focused button or link presses it, as keyboard users expect.
            let on_control = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| matches!(el.tag_name().as_str(), "BUTTON" | "A" | "SUMMARY"));
            if key == " " && on_control {
                return;
            }
            if in_field || !matches!(key.as_str(), " " | "s" | "r" | "p") {
                return;
            }
            e.prevent_default();
            f(key);
        });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("keydown", handler.as_ref().unchecked_ref());
    }
    handler.forget();
}
