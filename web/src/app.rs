//! The page: the landing page at the bare site root, or a lab (`?lab=…`): header with the
//! backend badge, notices, controls beside the live charts.

use leptos::prelude::*;
use orbit_labs::LabId;
use orbit_labs::data::DIGITS_ATTRIBUTION;
use orbit_labs::link;

use crate::browser;
use crate::components::badge::BackendBadge;
use crate::components::bench::Benchmark;
use crate::components::classroom::{Classroom, hiding_style};
use crate::components::controls::Controls;
use crate::components::export::Export;
use crate::components::landing::{Brand, Landing};
use crate::components::notices::Notices;
use crate::components::share::ShareLink;
use crate::components::theme::ThemeToggle;
use crate::components::tour::Tour;
use crate::components::transport::Transport;
use crate::session::Session;
use crate::views::ace::AceView;
use crate::views::ace_digits::AceDigitsView;
use crate::views::baseline::BaselineView;
use crate::views::dimension::DimensionView;
use crate::views::groups::GroupsView;
use crate::views::signs::SignsView;

/// The root component: the landing page at the bare site root, else the link's lab.
#[component]
pub fn App() -> impl IntoView {
    if link::is_landing(&browser::location_search()) {
        view! { <Landing /> }.into_any()
    } else {
        view! { <LabPage /> }.into_any()
    }
}

/// One lab's page.
#[component]
fn LabPage() -> impl IntoView {
    let session = Session::from_location();
    provide_context(session);
    browser::on_shortcut(move |key| session.shortcut(&key));
    session.show_presenter_mode();
    let lab = Memo::new(move |_| session.experiment.with(|e| e.lab.id()));
    // Each lab's view; the registry (orbit_labs::registry) holds the rest of what a lab is.
    let lab_view = move || match lab.get() {
        LabId::Baseline => view! { <BaselineView session=session /> }.into_any(),
        LabId::Groups => view! { <GroupsView session=session /> }.into_any(),
        LabId::Dimension => view! { <DimensionView session=session /> }.into_any(),
        LabId::Signs => view! { <SignsView session=session /> }.into_any(),
        LabId::Ace => view! { <AceView session=session /> }.into_any(),
        LabId::AceDigits => view! { <AceDigitsView session=session /> }.into_any(),
    };
    // The lab's figures are mounted one main-thread task after the rest of the page (header,
    // controls, transport): the two were one task of 114–172 ms at start-up (Chrome trace of the
    // signs link), and Play is usable after the first.
    let figures = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        browser::yield_now().await;
        let _ = figures.try_set(true);
    });
    let intro = move || lab.get().info().intro;
    let benchmarked = move || session.experiment.with(|e| !e.benchmark_parts().is_empty());
    let present = move || session.presentation.with(|p| p.present);
    let hiding = move || session.presentation.with(hiding_style);
    view! {
        <style>{hiding}</style>
        <header class="top">
            <Brand />
            <nav class="top-actions" aria-label="Page">
                <a href="./" data-testid="all-labs">"All labs"</a>
                <button data-testid="present-toggle" aria-pressed=move || present().to_string()
                    title="Large type and the charts full width, for a projector (key p)"
                    on:click=move |_| session.toggle_present()>
                    {move || if present() { "Presenter mode: on" } else { "Presenter mode: off" }}
                </button>
                <ThemeToggle />
            </nav>
            <BackendBadge session=session />
        </header>
        <Notices session=session />
        <main class="layout">
            <aside class="panel controls" data-panel="controls">
                <h2>{move || session.experiment.get().lab.id().title()}</h2>
                <p class="lab-intro" data-panel="intro">{intro}</p>
                <Tour session=session />
                <Controls session=session />
                <ShareLink session=session />
                <Export session=session />
                <Classroom session=session />
            </aside>
            <section class="panel results">
                <Transport session=session />
                {move || figures.get().then(lab_view)}
                {move || benchmarked().then(|| view! { <Benchmark session=session /> })}
            </section>
        </main>
        <footer>
            <p>{DIGITS_ATTRIBUTION} " " <a href="data/digits.csv.gz">"Download the data"</a> "."</p>
            <p>"Orbit runs entirely in this tab: nothing is sent anywhere."</p>
        </footer>
    }
}
