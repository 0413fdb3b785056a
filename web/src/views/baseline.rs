//! The baseline lab's results: headline numbers, loss and accuracy curves, the confusion matrix
//! and a gallery of test digits.

use leptos::prelude::*;
use orbit_labs::baseline::MODEL_NAME;

use super::{TEST, TRAIN, loss_points, percent, report_points};
use crate::components::confusion::ConfusionMatrix;
use crate::components::gallery::DigitGallery;
use crate::components::plot::{LinePlot, Series, YScale};
use crate::components::stats::Stats;
use crate::session::Session;

/// The baseline lab's results column.
#[component]
pub fn BaselineView(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let loss_series = Signal::derive(move || {
        vec![
            Series {
                name: "training loss (each step's batch)".into(),
                color: TRAIN,
                points: loss_points(session, MODEL_NAME),
                markers: false,
                band: Vec::new(),
            },
            Series {
                name: "test loss (each evaluation)".into(),
                color: TEST,
                points: report_points(session, "test_loss"),
                markers: true,
                band: Vec::new(),
            },
        ]
    });
    let accuracy_series = Signal::derive(move || {
        vec![
            Series {
                name: "train accuracy".into(),
                color: TRAIN,
                points: percent(report_points(session, "train_accuracy")),
                markers: true,
                band: Vec::new(),
            },
            Series {
                name: "test accuracy".into(),
                color: TEST,
                points: percent(report_points(session, "test_accuracy")),
                markers: true,
                band: Vec::new(),
            },
        ]
    });
    let x_max = Signal::derive(move || session.steps.get() as f64);
    view! {
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
    }
}
