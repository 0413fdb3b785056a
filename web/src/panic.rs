//! A panic shows an error panel in the page, never a dead page.
//!
//! The hook logs through `console_error_panic_hook`, then writes the panel with plain DOM calls
//! (the reactive system may be unusable after a panic): the message, and a link that reopens
//! the page with its default experiment.

use crate::browser;

/// Installs the panic hook.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panel(&info.to_string());
    }));
}

/// Writes (or rewrites) the error panel with `message`.
pub fn show_panel(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    let panel = match document.get_element_by_id("panic-panel") {
        Some(p) => p,
        None => match document.create_element("section") {
            Ok(p) => {
                p.set_id("panic-panel");
                let _ = p.set_attribute("role", "alert");
                let _ = body.prepend_with_node_1(&p);
                p
            }
            Err(_) => return,
        },
    };
    let reset = browser::location_base();
    let text = html_escape(message);
    panel.set_inner_html(&format!(
        "<h2>Orbit stopped with an error</h2><p>Training cannot continue in this tab. \
         The message below helps us fix it.</p><pre>{text}</pre>\
         <p><a href=\"{reset}\">Reset: reopen Orbit with the default experiment</a></p>"
    ));
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
