//! The landing page at the site's root: one card per lab with a picture of what it shows, one
//! sentence, a start link and its tour's first step.

use leptos::prelude::*;
use orbit_labs::LabId;

use crate::components::theme::ThemeToggle;

/// One lab's card.
#[component]
fn LabCard(
    /// The lab.
    id: LabId,
) -> impl IntoView {
    let info = id.info();
    let start = format!("?lab={}", info.key);
    let tour = info.tour.first().map(|step| {
        let steps = info.tour.len();
        view! {
            <a class="card-tour" href=format!("?{}", step.link) data-testid=format!("card-tour-{}", info.key)>
                {format!("Guided tour, {steps} steps")}
            </a>
        }
    });
    view! {
        <li class="card" data-testid=format!("card-{}", info.key)>
            <a class="card-picture" href=start.clone() tabindex="-1" aria-hidden="true">
                <img src=format!("cards/{}.png", info.key) width="480" height="300" loading="lazy"
                    alt="" />
            </a>
            <h2><a href=start.clone() data-testid=format!("card-start-{}", info.key)>{info.menu}</a></h2>
            <p>{info.summary}</p>
            <p class="card-links">
                <a class="start" href=start>{"Open the lab"}</a>
                {tour}
            </p>
        </li>
    }
}

/// The logo, name and tagline at the top of every page.
#[component]
pub fn Brand() -> impl IntoView {
    view! {
        <div class="brand">
            <img src="favicon.svg" alt="" width="32" height="32" />
            <div>
                <h1>"Orbit"</h1>
                <p class="tagline">"Train small networks live in your browser and watch what symmetry does."</p>
            </div>
        </div>
    }
}

/// The landing page.
#[component]
pub fn Landing() -> impl IntoView {
    view! {
        <header class="top">
            <Brand />
            <ThemeToggle />
        </header>
        <main class="landing" data-testid="landing">
            <p class="landing-lead">
                "Pick a lab. Each one trains real networks in this tab (on your GPU through WebGPU \
                 when the browser offers one, on the CPU otherwise), and every setting lives in the \
                 link, so a link you share reproduces the run."
            </p>
            <ul class="cards">
                {LabId::ALL.into_iter().map(|id| view! { <LabCard id=id /> }).collect_view()}
            </ul>
        </main>
        <footer>
            <p>"Orbit runs entirely in this tab: nothing is sent anywhere."</p>
        </footer>
    }
}
