//! The page's state around one [`Experiment`]: signals the views read and the actions the
//! controls call. The URL mirrors the experiment (replaced, never pushed).

use leptos::prelude::*;
use orbit_labs::lab::LabView;
use orbit_labs::presentation::Presentation;
use orbit_labs::{Experiment, Metrics, link};
use orbit_math::dimension::Points;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::backend::BackendStatus;
use crate::{browser, runner};

/// Where the current run stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RunStatus {
    /// Choosing the backend or building the run.
    Preparing(String),
    /// Built, waiting for play or step.
    Paused,
    /// Training.
    Running,
    /// The step budget is spent.
    Finished,
    /// Stopped by divergence or a backend failure; the message says which and what to do.
    Stopped(String),
}

/// The held-out images of a classification lab and the model's latest predictions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    /// True class of every test image.
    pub labels: Vec<u8>,
    /// Predicted class of every test image at the last report.
    pub predictions: Vec<u8>,
    /// The first [`GALLERY`] test images, `side × side` pixels each.
    pub gallery: Vec<Vec<f32>>,
    /// Side of an image in pixels.
    pub side: usize,
}

/// What the page asks the runner to do with the run's weights.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WeightsRequest {
    /// Save them as a file.
    Save,
    /// Continue from the weights file with these bytes.
    Load(Vec<u8>),
}

/// The training losses of one model: its name and `(step, loss)` points.
pub type LossCurve = (String, Vec<(f64, f64)>);

/// Test images shown in the gallery.
pub const GALLERY: usize = 30;

/// Every signal of the page, cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct Session {
    /// The experiment being run.
    pub experiment: RwSignal<Experiment>,
    /// What was repaired in the link the page was opened with.
    pub notices: RwSignal<Vec<String>>,
    /// What the page had to change about where it trains (a worker or a module that did not
    /// load), for the user to read.
    pub training_notices: RwSignal<Vec<String>>,
    /// The backend in use; `None` while it is being chosen.
    pub backend: RwSignal<Option<BackendStatus>>,
    /// Whether training runs continuously.
    pub playing: RwSignal<bool>,
    /// Single steps requested while paused.
    pub pending_steps: RwSignal<usize>,
    /// Bumped on every reset; a runner whose generation is stale stops.
    pub generation: RwSignal<u64>,
    /// Training loss per step of every model trained, by model name: (step, loss) points.
    pub losses: RwSignal<Vec<LossCurve>>,
    /// Training steps taken.
    pub steps: RwSignal<usize>,
    /// Full reports, oldest first (the first is before any training).
    pub reports: RwSignal<Vec<Metrics>>,
    /// Where the run stands.
    pub status: RwSignal<RunStatus>,
    /// Measured training speed in steps per second.
    pub speed: RwSignal<f64>,
    /// A hint when training goes wrong (e.g. stuck at chance).
    pub advice: RwSignal<Option<String>>,
    /// Parameters of the current model.
    pub params: RwSignal<usize>,
    /// Test images and predictions, for labs that classify.
    pub classification: RwSignal<Option<Classification>>,
    /// What the lab's view draws besides the reports, as the lab's run produced it (see
    /// [`Session::view_as`]); `None` until the run is built.
    pub view: RwSignal<Option<LabView>>,
    /// Bumped when the view must be recomputed (a view-only knob changed).
    pub view_version: RwSignal<u64>,
    /// Points the user loaded from CSV (used when the dimension lab's cloud is `custom`).
    pub custom_points: RwSignal<Option<Points>>,
    /// What the link hides and whether presenter mode is on (kept in the link).
    pub presentation: RwSignal<Presentation>,
    /// A weights request for the runner, taken when it next looks.
    pub weights_request: RwSignal<Option<WeightsRequest>>,
    /// What became of the last weights request, in a sentence.
    pub weights_status: RwSignal<String>,
    /// Whether the current run has trained weights to save.
    pub has_weights: RwSignal<bool>,
}

impl Session {
    /// Reads the experiment from the page's link, writes the canonical link back, and starts
    /// the first run (paused).
    pub fn from_location() -> Self {
        let decoded = link::decode(&browser::location_search());
        let auto = decoded.experiment.backend == orbit_labs::BackendPreference::Auto;
        let session = Self {
            experiment: RwSignal::new(decoded.experiment),
            notices: RwSignal::new(decoded.notices),
            training_notices: RwSignal::new(Vec::new()),
            // `auto` starts on the default CPU backend at once (see `training::run_loop`); the
            // badge says so from the first frame.
            backend: RwSignal::new(auto.then(BackendStatus::provisional)),
            playing: RwSignal::new(false),
            pending_steps: RwSignal::new(0),
            generation: RwSignal::new(0),
            losses: RwSignal::new(Vec::new()),
            steps: RwSignal::new(0),
            reports: RwSignal::new(Vec::new()),
            status: RwSignal::new(RunStatus::Preparing("starting".into())),
            speed: RwSignal::new(0.0),
            advice: RwSignal::new(None),
            params: RwSignal::new(0),
            classification: RwSignal::new(None),
            view: RwSignal::new(None),
            view_version: RwSignal::new(0),
            custom_points: RwSignal::new(None),
            presentation: RwSignal::new(decoded.presentation),
            weights_request: RwSignal::new(None),
            weights_status: RwSignal::new(String::new()),
            has_weights: RwSignal::new(false),
        };
        session.sync_url();
        runner::install(session);
        session.reset();
        session
    }

    /// Reads the lab's view as the lab's own view type `T` (tracked): `f` gets `None` while
    /// there is none, or when the view is of another lab.
    pub fn view_as<T: 'static, R>(&self, f: impl FnOnce(Option<&T>) -> R) -> R {
        self.view
            .with(|v| f(v.as_ref().and_then(|v| v.as_ref().downcast_ref::<T>())))
    }

    /// The share link of the current experiment, shown as it is now (tracked).
    pub fn share_link(&self) -> String {
        self.link_shown(&self.presentation.get())
    }

    /// The link of the current experiment shown as `presentation` says (a classroom link).
    pub fn link_shown(&self, presentation: &Presentation) -> String {
        format!(
            "{}?{}",
            browser::location_base(),
            link::encode_shown(&self.experiment.get(), presentation)
        )
    }

    fn sync_url(&self) {
        browser::replace_query(&link::encode_shown(
            &self.experiment.get_untracked(),
            &self.presentation.get_untracked(),
        ));
    }

    /// Turns presenter mode on or off; the link keeps it.
    pub fn toggle_present(&self) {
        self.presentation.update(|p| p.present = !p.present);
        self.sync_url();
        self.show_presenter_mode();
    }

    /// Puts presenter mode on `<html class="present">`, so that the whole page's type scales.
    pub fn show_presenter_mode(&self) {
        let on = self.presentation.with_untracked(|p| p.present);
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.class_list().toggle_with_force("present", on);
        }
    }

    /// Discards the current run and starts a new one from step 0 with the same experiment.
    pub fn reset(&self) {
        self.generation.update(|g| *g += 1);
        self.losses.set(Vec::new());
        self.steps.set(0);
        self.reports.set(Vec::new());
        self.advice.set(None);
        self.classification.set(None);
        self.view.set(None);
        self.speed.set(0.0);
        self.pending_steps.set(0);
        runner::start(*self, self.generation.get_untracked());
    }

    /// Sets one knob to a validated value, rewrites the URL and restarts the run.
    pub fn set_knob(&self, key: &str, value: Value) -> Result<(), String> {
        let next = self.experiment.get_untracked().with_value(key, value)?;
        if next == self.experiment.get_untracked() {
            return Ok(());
        }
        let restart = self.experiment.get_untracked().restarts_run(key);
        if key == "backend" {
            runner::forget_device();
        }
        self.experiment.set(next);
        self.sync_url();
        if restart {
            self.reset();
        } else {
            self.view_version.update(|v| *v += 1);
        }
        Ok(())
    }

    /// Play or pause.
    pub fn toggle_play(&self) {
        if matches!(
            self.status.get_untracked(),
            RunStatus::Finished | RunStatus::Stopped(_)
        ) {
            return;
        }
        self.playing.update(|p| *p = !*p);
    }

    /// One training step (pauses first).
    pub fn step_once(&self) {
        self.playing.set(false);
        self.pending_steps.update(|p| *p += 1);
        runner::request_step();
    }

    /// Handles a keyboard shortcut: space plays or pauses, `s` steps, `r` resets, `p` turns
    /// presenter mode on or off.
    pub fn shortcut(&self, key: &str) {
        match key {
            " " => self.toggle_play(),
            "s" => self.step_once(),
            "r" => self.reset(),
            "p" => self.toggle_present(),
            _ => {}
        }
    }
}
