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
    panel.set_text_content(None);
    let reset = browser::location_base();
    let parts: [(&str, &str, Option<&str>); 4] = [
        ("h2", "Orbit stopped with an error", None),
        (
            "p",
            "Training cannot continue in this tab. The message below helps us fix it.",
            None,
        ),
        ("pre", message, None),
        (
            "a",
            "Reset: reopen Orbit with the default experiment",
            Some(reset.as_str()),
        ),
    ];
    // Built from text nodes, never from HTML: the message may quote the link the page was
    // opened with.
    for (tag, text, href) in parts {
        let Ok(element) = document.create_element(tag) else {
            return;
        };
        element.set_text_content(Some(text));
        if let Some(href) = href {
            let _ = element.set_attribute("href", href);
        }
        let _ = panel.append_child(&element);
    }
}
