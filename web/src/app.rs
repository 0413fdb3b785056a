//! The page: header with the backend badge, notices, controls beside the live charts.

use leptos::prelude::*;
use orbit_labs::data::DIGITS_ATTRIBUTION;

use crate::browser;
use crate::components::badge::BackendBadge;
use crate::components::bench::Benchmark;
use crate::components::confusion::ConfusionMatrix;
use crate::components::controls::Controls;
use crate::components::gallery::DigitGallery;
use crate::components::notices::Notices;
use crate::components::plot::{LinePlot, Series, YScale};
use crate::components::share::ShareLink;
use crate::components::stats::Stats;
use crate::components::transport::Transport;
use crate::session::Session;

/// Colours shared by all charts: train and test.
const TRAIN: &str = "#4f46e5";
const TEST: &str = "#ea580c";

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let session = Session::from_location();
    browser::on_shortcut(move |key| session.shortcut(&key));
    let report_series = move |name: &'static str| {
        session.reports.with(|r| {
            r.iter()
                .filter_map(|m| m.get(name).map(|v| (m.step as f64, v)))
                .collect::<Vec<_>>()
        })
    };
    let loss_series = Signal::derive(move || {
        vec![
            Series {
                name: "training loss (each step's batch)".into(),
                color: TRAIN,
                points: session.losses.get(),
                markers: false,
            },
            Series {
                name: "test loss (each evaluation)".into(),
                color: TEST,
                points: report_series("test_loss"),
                markers: true,
            },
        ]
    });
    let accuracy_series = Signal::derive(move || {
        let pct = |v: Vec<(f64, f64)>| {
            v.into_iter()
                .map(|(x, y)| (x, 100.0 * y))
                .collect::<Vec<_>>()
        };
        vec![
            Series {
                name: "train accuracy".into(),
                color: TRAIN,
                points: pct(report_series("train_accuracy")),
                markers: true,
            },
            Series {
                name: "test accuracy".into(),
                color: TEST,
                points: pct(report_series("test_accuracy")),
                markers: true,
            },
        ]
    });
    let x_max = Signal::derive(move || {
        session
            .losses
            .with(|l| l.last().map(|p| p.0).unwrap_or(0.0))
    });
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
                <p class="lab-intro">"A multilayer perceptron reads each 8×8 digit as 64 unrelated numbers. It is the baseline the equivariant networks are measured against."</p>
                <Controls session=session />
                <ShareLink session=session />
            </aside>
            <section class="panel results">
                <Transport session=session />
                <Stats session=session />
                <div class="plots">
                    <LinePlot title="Loss" x_label="training step" y_label="cross-entropy (nats, log scale)"
                        series=loss_series y_scale=YScale::Log x_max=x_max testid="loss-plot" />
                    <LinePlot title="Accuracy" x_label="training step" y_label="accuracy (%)"
                        series=accuracy_series y_scale=YScale::Fixed(0.0, 100.0) x_max=x_max testid="accuracy-plot" />
                </div>
                <div class="plots">
                    <ConfusionMatrix session=session />
                    <DigitGallery session=session />
                </div>
                <Benchmark session=session />
            </section>
        </main>
        <footer>
            <p>{DIGITS_ATTRIBUTION} " " <a href="data/digits.csv.gz">"Download the data"</a> "."</p>
            <p>"Orbit runs entirely in this tab: nothing is sent anywhere."</p>
        </footer>
    }
}
