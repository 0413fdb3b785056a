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
    let lab_view = move || match lab.get() {
        LabId::Baseline => view! { <BaselineView session=session /> }.into_any(),
        LabId::Groups => view! { <GroupsView session=session /> }.into_any(),
        LabId::Dimension => view! { <DimensionView session=session /> }.into_any(),
        LabId::Signs => view! { <SignsView session=session /> }.into_any(),
    };
    let intro = move || match lab.get() {
        LabId::Baseline => {
            "A multilayer perceptron reads each 8×8 digit as 64 unrelated numbers. It is the baseline the equivariant networks are measured against."
        }
        LabId::Groups => {
            "A G-CNN keeps one copy of every feature per orientation (a regular field): rotating the input rotates each map and permutes the copies, so its invariant head answers the same for every rotation. Train on upright digits, test on rotated ones."
        }
        LabId::Signs => {
            "A graph's Laplacian eigenvectors give every node a position, but each eigenvector's sign is arbitrary (and where eigenvalues repeat, so is the basis). A sign-equivariant network flips its output with the input and keeps link scores unchanged; a sign-invariant one loses positions. Press Play to train five link predictors side by side, and four point-cloud models for the O(d) task, where a PCA frame's arbitrary axis signs play the same role."
        }
        LabId::Dimension => {
            "Data in a high-dimensional space often lies near a low-dimensional manifold. TwoNN and MLE read its dimension d from nearest-neighbour distances; the representation gap R_n (how far new points are from the n training points) shrinks like n^(−2/d), and a symmetry shrinks it further. Press Play to stream points in."
        }
    };
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
                {move || (lab.get() != LabId::Dimension).then(|| view! { <Benchmark session=session /> })}
            </section>
        </main>
        <footer>
            <p>{DIGITS_ATTRIBUTION} " " <a href="data/digits.csv.gz">"Download the data"</a> "."</p>
            <p>"Orbit runs entirely in this tab: nothing is sent anywhere."</p>
        </footer>
    }
}
