//! The page: header with the backend badge, notices, controls beside the live charts.

use leptos::prelude::*;
use orbit_labs::LabId;
use orbit_labs::data::DIGITS_ATTRIBUTION;

use crate::browser;
use crate::components::badge::BackendBadge;
use crate::components::bench::Benchmark;
use crate::components::controls::Controls;
use crate::components::notices::Notices;
use crate::components::share::ShareLink;
use crate::components::transport::Transport;
use crate::session::Session;
use crate::views::ace::AceView;
use crate::views::baseline::BaselineView;
use crate::views::dimension::DimensionView;
use crate::views::groups::GroupsView;
use crate::views::signs::SignsView;

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let session = Session::from_location();
    browser::on_shortcut(move |key| session.shortcut(&key));
    let lab = Memo::new(move |_| session.experiment.with(|e| e.lab.id()));
    // Each lab's view; the registry (orbit_labs::registry) holds the rest of what a lab is.
    let lab_view = move || match lab.get() {
        LabId::Baseline => view! { <BaselineView session=session /> }.into_any(),
        LabId::Groups => view! { <GroupsView session=session /> }.into_any(),
        LabId::Dimension => view! { <DimensionView session=session /> }.into_any(),
        LabId::Signs => view! { <SignsView session=session /> }.into_any(),
        LabId::Ace => view! { <AceView session=session /> }.into_any(),
    };
    let intro = move || lab.get().info().intro;
    let benchmarked = move || session.experiment.with(|e| !e.benchmark_parts().is_empty());
    view! {
        <header class="top">
            <div class="brand">
                <img src="favicon.svg" alt="" width="32" height="32" />
                <div>
                    <h1>"Orbit"</h1>
                    <p class="tagline">"Train small networks live in your browser and watch what symmetry does."</p>
                </div>
            </div>
            <BackendBadge session=session />
        </header>
        <Notices session=session />
        <main class="layout">
            <aside class="panel controls">
                <h2>{move || session.experiment.get().lab.id().title()}</h2>
                <p class="lab-intro">{intro}</p>
                <Controls session=session />
                <ShareLink session=session />
            </aside>
            <section class="panel results">
                <Transport session=session />
                {lab_view}
                {move || benchmarked().then(|| view! { <Benchmark session=session /> })}
            </section>
        </main>
        <footer>
            <p>{DIGITS_ATTRIBUTION} " " <a href="data/digits.csv.gz">"Download the data"</a> "."</p>
            <p>"Orbit runs entirely in this tab: nothing is sent anywhere."</p>
        </footer>
    }
}
