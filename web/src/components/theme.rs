//! Light and dark themes: the system's setting by default, switchable with a button that the
//! browser remembers (local storage). The stylesheet's colours follow `color-scheme`.

use leptos::prelude::*;

const STORAGE_KEY: &str = "orbit-theme";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// Whether the system asks for dark colours.
fn system_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// The theme in force: the stored choice, or the system's.
fn dark_now() -> bool {
    match storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) {
        Some(t) if t == "dark" => true,
        Some(t) if t == "light" => false,
        _ => system_dark(),
    }
}

/// Writes the theme onto `<html data-theme=…>` (without a stored choice the attribute is
/// absent and the system's setting applies).
fn apply(dark: Option<bool>) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match dark {
        Some(d) => root.set_attribute("data-theme", if d { "dark" } else { "light" }),
        None => root.remove_attribute("data-theme"),
    };
}

/// The button that switches between the light and the dark theme.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let dark = RwSignal::new(dark_now());
    if let Some(t) = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) {
        apply(Some(t == "dark"));
    }
    let toggle = move |_| {
        let next = !dark.get_untracked();
        dark.set(next);
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, if next { "dark" } else { "light" });
        }
        apply(Some(next));
    };
    view! {
        <button class="theme-toggle" data-testid="theme-toggle" aria-pressed=move || dark.get().to_string()
            title="Switch between the light and the dark theme" on:click=toggle>
            {move || if dark.get() { "Dark theme: on" } else { "Dark theme: off" }}
        </button>
    }
}
