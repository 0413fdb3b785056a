//! What the training loop and the page say to each other: [`Event`]s from the loop (wherever it
//! runs) to the page, [`Command`]s from the page to the training worker. Both are plain data that
//! serialise; across the worker boundary they travel as CBOR bytes ([`encode`], [`decode`]):
//! written and read inside WebAssembly, a view of 160,000 numbers costs milliseconds, where
//! building it as JavaScript objects number by number held the page for half a second.

use orbit_labs::registry::SentView;
use orbit_labs::{BackendKind, Experiment, Metrics};
use orbit_math::dimension::Points;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

use crate::backend::BackendStatus;
use crate::session::{Classification, RunStatus, WeightsRequest};

/// What the training loop tells the page.
#[derive(Clone, Serialize, Deserialize)]
pub enum Event {
    /// The training worker is up and handles commands.
    Ready,
    /// Where the run stands.
    Status(RunStatus),
    /// The backend in use (`None` while it is being chosen). Applies whatever the run.
    Backend(Option<BackendStatus>),
    /// The run was built: its parameters and whether it has weights to save.
    Built {
        /// Trainable parameters of every model together.
        params: usize,
        /// Whether the run saves and loads weights.
        has_weights: bool,
    },
    /// A report that replaces every earlier one (the run was built, or weights were loaded at
    /// `steps`): the charts start again from it.
    Restarted {
        /// Steps taken.
        steps: usize,
        /// The report.
        report: Metrics,
    },
    /// What training added since the last progress event.
    Progress {
        /// Steps taken.
        steps: usize,
        /// New `(model, step, loss)` points.
        losses: Vec<(String, f64, f64)>,
        /// New reports, oldest first.
        reports: Vec<Metrics>,
        /// The hint for the newest report (only when `reports` is not empty).
        advice: Option<String>,
    },
    /// Measured training speed, steps per second.
    Speed(f64),
    /// Test images and predictions, the first time (with the gallery).
    Classification(Classification),
    /// New predictions for the test images already sent.
    Predictions(Vec<u8>),
    /// The lab's view for the current settings.
    View(Option<SentView>),
    /// Play (`true`) or pause: the loop paused (finished, or advice to read).
    Playing(bool),
    /// What became of the last weights request.
    WeightsStatus(String),
    /// A weights file for the page to offer as a download.
    WeightsFile {
        /// File name.
        name: String,
        /// Contents.
        bytes: Vec<u8>,
    },
    /// Discard this run and start again with the same experiment: the backend changed under
    /// it. The new run plays if the page's Play is on: the page's own state, not the loop's
    /// copy of it, which may not have caught up with a press yet.
    Restart,
    /// The training worker panicked; the page shows the message and stops.
    Panicked(String),
    /// The in-page benchmark's results: `(model, backend, ms per step or why not)`.
    Benchmark(Vec<(String, BackendKind, Result<f64, String>)>),
}

/// An [`Event`] with the generation of the run it is about, so that the page drops what a
/// discarded run said after a reset.
#[derive(Clone, Serialize, Deserialize)]
pub struct Envelope {
    /// The run's generation (see [`crate::session::Session::generation`]).
    pub generation: u64,
    /// What it says.
    pub event: Event,
}

/// What the page tells the training worker.
#[derive(Clone, Serialize, Deserialize)]
pub enum Command {
    /// Discard the current run and build a new one.
    Start {
        /// The new run's generation.
        generation: u64,
        /// Its experiment.
        experiment: Experiment,
        /// The user's own points, for labs that read them.
        points: Option<Points>,
        /// Whether it plays at once.
        playing: bool,
    },
    /// The controls changed: play or pause, the experiment (view-only knobs), its view's version.
    Controls {
        /// Play or pause.
        playing: bool,
        /// The experiment as the page shows it.
        experiment: Experiment,
        /// Bumped when the view must be recomputed.
        view_version: u64,
    },
    /// One more single step while paused.
    Step,
    /// Save or load weights.
    Weights(WeightsRequest),
    /// The backend preference changed: choose the device again at the next run.
    ForgetDevice,
    /// Time training steps of every model of `experiment` on every backend of this module (the
    /// in-page benchmark); the answer is [`Event::Benchmark`].
    Benchmark {
        /// The experiment whose models are timed.
        experiment: Experiment,
        /// Milliseconds of training per round.
        round_ms: f64,
    },
}

/// `value` as a message: its CBOR bytes in a `Uint8Array`.
pub fn encode<T: Serialize>(value: &T) -> Result<js_sys::Uint8Array, String> {
    let mut bytes = Vec::new();
    ciborium::into_writer(value, &mut bytes).map_err(|e| e.to_string())?;
    Ok(js_sys::Uint8Array::from(bytes.as_slice()))
}

/// A message written by [`encode`], read back.
pub fn decode<T: DeserializeOwned>(message: &JsValue) -> Result<T, String> {
    let bytes = message
        .dyn_ref::<js_sys::Uint8Array>()
        .ok_or("the message is not bytes")?
        .to_vec();
    ciborium::from_reader(bytes.as_slice()).map_err(|e| e.to_string())
}
