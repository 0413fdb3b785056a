//! The training loop of the page: advances the [`Run`] in chunks of at most [`CHUNK_MS`]
//! milliseconds and yields to the browser between them, so the page never freezes. Losses and
//! reports reach the session's signals at most every [`FLUSH_MS`], so redrawing stays cheap.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use burn::tensor::Device;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orbit_labs::{BackendPreference, Run};

use crate::backend::{self, BackendStatus};
use crate::browser::{now_ms, sleep_ms, yield_now};
use crate::session::{Classification, GALLERY, RunStatus, Session};

/// Publishes the run's test predictions (and, on the first call, its gallery images).
fn publish_classification(s: &Session, run: &Run) {
    let Some((set, predictions)) = run.classification() else {
        return;
    };
    let predictions = predictions.to_vec();
    let existing = s.classification.with_untracked(|c| c.is_some());
    if existing {
        s.classification.update(|c| {
            if let Some(c) = c {
                c.predictions = predictions;
            }
        });
    } else {
        s.classification.set(Some(Classification {
            labels: set.labels.clone(),
            predictions,
            gallery: (0..GALLERY.min(set.len()))
                .map(|i| set.image(i).to_vec())
                .collect(),
            side: set.side,
        }));
    }
}

/// Longest stretch of training between two yields to the browser.
pub const CHUNK_MS: f64 = 12.0;

/// Shortest interval between two updates of the charts while training: the page is redrawn
/// at most this often, however fast the steps are.
pub const FLUSH_MS: f64 = 100.0;

/// How often a paused runner looks for new commands.
const IDLE_POLL_MS: i32 = 50;

thread_local! {
    /// The device chosen for a backend preference, reused until the preference changes.
    static DEVICE: RefCell<Option<(BackendPreference, Device)>> = const { RefCell::new(None) };
}

/// Forgets the chosen device so the next run chooses again (after a backend change).
pub fn forget_device() {
    DEVICE.with(|d| *d.borrow_mut() = None);
}

/// Starts the runner of `generation` in the background.
pub fn spawn(session: Session, generation: u64) {
    spawn_local(run(session, generation));
}

async fn device_for(session: &Session, preference: BackendPreference) -> Device {
    if let Some(device) = DEVICE.with(|d| {
        d.borrow()
            .as_ref()
            .filter(|(p, _)| *p == preference)
            .map(|(_, dev)| dev.clone())
    }) {
        return device;
    }
    session.backend.set(None);
    session.status.set(RunStatus::Preparing(
        "choosing a backend: timing a warm-up step".into(),
    ));
    let choice = backend::choose(&session.experiment.get_untracked()).await;
    session.backend.set(Some(BackendStatus::from(&choice)));
    DEVICE.with(|d| *d.borrow_mut() = Some((preference, choice.device.clone())));
    choice.device
}

async fn run(s: Session, generation: u64) {
    let stale = move || s.generation.get_untracked() != generation;
    let experiment = s.experiment.get_untracked();
    let device = device_for(&s, experiment.backend).await;
    if stale() {
        return;
    }
    s.status
        .set(RunStatus::Preparing("building the model".into()));
    let mut run = s
        .custom_points
        .with_untracked(|points| Run::with_points(&experiment, &device, points.as_ref()));
    s.dimension.set(run.dimension_view().cloned());
    s.signs.set(run.signs_view(&experiment).cloned());
    run.set_yielder(Rc::new(|| Box::pin(yield_now())));
    s.params.set(run.num_params());
    s.models.set(run.models());
    match run.report().await {
        Ok(m) if !stale() => {
            s.reports.set(vec![m]);
            publish_classification(&s, &run);
        }
        Ok(_) => return,
        Err(e) => {
            s.status.set(RunStatus::Stopped(e.to_string()));
            return;
        }
    }
    let mut finished = false;
    let mut recent: VecDeque<(f64, usize)> = VecDeque::new();
    let mut pending = Pending::default();
    let mut last_flush = now_ms();
    let mut panel_shown: Option<(u64, usize)> = None;
    loop {
        if stale() {
            return;
        }
        // The action panel follows the panel knobs and every new report.
        let wanted = (
            s.panel_version.get_untracked(),
            s.reports.with_untracked(Vec::len),
        );
        if panel_shown != Some(wanted) {
            panel_shown = Some(wanted);
            let experiment = s.experiment.get_untracked();
            if let Some(view) = run.signs_view(&experiment)
                && s.signs.with_untracked(|v| {
                    // The spectrum follows from the graph: no need to compare it.
                    v.as_ref().is_none_or(|v| {
                        v.choice != view.choice
                            || v.graph != view.graph
                            || v.positions != view.positions
                    })
                })
            {
                s.signs.set(Some(view.clone()));
            }
            match run.action_panel(&experiment).await {
                Ok(panel) if !stale() => s.panel.set(panel),
                Ok(_) => return,
                Err(e) => log::warn!("the action panel failed: {e}"),
            }
            match run.flip_panel(&experiment).await {
                Ok(panel) if !stale() => s.flip.set(panel),
                Ok(_) => return,
                Err(e) => log::warn!("the flip panel failed: {e}"),
            }
            match run.cloud_view(&experiment).await {
                Ok(view) if !stale() => s.cloud.set(view),
                Ok(_) => return,
                Err(e) => log::warn!("the O(d) view failed: {e}"),
            }
        }
        let playing = s.playing.get_untracked();
        if finished || (!playing && s.pending_steps.get_untracked() == 0) {
            let idle = if finished {
                RunStatus::Finished
            } else {
                RunStatus::Paused
            };
            if s.status.get_untracked() != idle {
                s.status.set(idle);
                s.speed.set(0.0);
                recent.clear();
            }
            if finished && s.playing.get_untracked() {
                s.playing.set(false);
            }
            sleep_ms(IDLE_POLL_MS).await;
            continue;
        }
        if playing && s.status.get_untracked() != RunStatus::Running {
            s.status.set(RunStatus::Running);
        }
        let start = now_ms();
        let mut stop = None;
        let mut taken = 0;
        loop {
            match run.step().await {
                Ok(outcome) => {
                    pending.steps = outcome.step;
                    for (name, loss) in outcome.losses {
                        pending.losses.push((name, outcome.step as f64, loss));
                    }
                    pending.reports.extend(outcome.report);
                    finished = outcome.finished;
                    taken += 1;
                }
                Err(e) => stop = Some(e.to_string()),
            }
            if stale() {
                return;
            }
            if !s.playing.get_untracked() {
                s.pending_steps.update(|p| *p = p.saturating_sub(1));
                break;
            }
            if finished || stop.is_some() || now_ms() - start > CHUNK_MS {
                break;
            }
        }
        let now = now_ms();
        recent.push_back((now, taken));
        while recent.front().is_some_and(|(t, _)| now - t > 1000.0) {
            recent.pop_front();
        }
        let due = now - last_flush >= FLUSH_MS
            || !s.playing.get_untracked()
            || finished
            || stop.is_some();
        if due {
            pending.flush(&s, &run);
            last_flush = now;
            if let Some((t0, _)) = recent.front() {
                let steps: usize = recent.iter().skip(1).map(|(_, n)| n).sum();
                if now > *t0 {
                    s.speed.set(steps as f64 * 1000.0 / (now - t0));
                }
            }
        }
        if let Some(message) = stop {
            s.playing.set(false);
            s.status.set(RunStatus::Stopped(message));
            return;
        }
        yield_now().await;
    }
}

/// Losses and reports not yet shown.
#[derive(Default)]
struct Pending {
    steps: usize,
    losses: Vec<(String, f64, f64)>,
    reports: Vec<orbit_labs::Metrics>,
}

impl Pending {
    /// Publishes everything pending to the session's signals in one go.
    fn flush(&mut self, s: &Session, run: &Run) {
        if !self.losses.is_empty() {
            let losses = std::mem::take(&mut self.losses);
            s.losses.update(|curves| {
                for (name, step, loss) in losses {
                    match curves.iter_mut().find(|(n, _)| *n == name) {
                        Some((_, points)) => points.push((step, loss)),
                        None => curves.push((name, vec![(step, loss)])),
                    }
                }
            });
        }
        if s.steps.get_untracked() != self.steps {
            s.steps.set(self.steps);
        }
        if !self.reports.is_empty() {
            let reports = std::mem::take(&mut self.reports);
            s.advice.set(reports.last().and_then(|r| run.advice(r)));
            s.reports.update(|r| r.extend(reports));
            publish_classification(s, run);
        }
        if let Some(view) = run.dimension_view() {
            s.dimension.set(Some(view.clone()));
        }
    }
}
