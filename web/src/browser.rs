//! Thin helpers over the browser: time, yielding, the address bar and the clipboard.

use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;

/// Milliseconds since the page started (`performance.now()`).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Resolves after `ms` milliseconds via `setTimeout`, letting the browser run other tasks.
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
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
                if let Some(w) = web_sys::window() {
                    let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
                }
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

/// Whether `navigator.gpu` exists (the browser exposes WebGPU at all).
pub fn has_navigator_gpu() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &JsValue::from_str("gpu")).ok())
        .is_some_and(|gpu| !gpu.is_undefined() && !gpu.is_null())
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
