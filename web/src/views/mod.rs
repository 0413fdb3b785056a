//! One view per lab: what the results column shows for that lab's runs.

pub mod ace;
pub mod ace_digits;
pub mod baseline;
pub mod dimension;
pub mod groups;
pub mod signs;
mod signs_cloud;

use crate::session::Session;

/// Colours of train and test curves.
pub const TRAIN: &str = "#4f46e5";
/// Colour of test curves.
pub const TEST: &str = "#ea580c";

/// Points `(step, value)` of one reported metric over the run.
pub fn report_points(session: Session, name: &str) -> Vec<(f64, f64)> {
    use leptos::prelude::*;
    session.reports.with(|r| {
        r.iter()
            .filter_map(|m| m.get(name).map(|v| (m.step as f64, v)))
            .collect()
    })
}

/// The latest reported value of one metric, or `None` before it is first reported.
pub fn latest(session: Session, name: &str) -> Option<f64> {
    use leptos::prelude::*;
    session
        .reports
        .with(|r| r.iter().rev().find_map(|m| m.get(name)))
}

/// The training-loss points of one model.
pub fn loss_points(session: Session, model: &str) -> Vec<(f64, f64)> {
    use leptos::prelude::*;
    session.losses.with(|curves| {
        curves
            .iter()
            .find(|(n, _)| n == model)
            .map(|(_, p)| p.clone())
            .unwrap_or_default()
    })
}

/// Percentages from fractions.
pub fn percent(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    points.into_iter().map(|(x, y)| (x, 100.0 * y)).collect()
}
