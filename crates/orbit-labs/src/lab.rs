//! What a lab is to the rest of Orbit: its words and knobs ([`LabInfo`]), its settings
//! ([`Lab`], implemented by the settings struct) and its run ([`LabRun`], one object-safe trait:
//! step, report, views). The registry ([`crate::registry`]) lists the labs; the generic
//! [`crate::Run`], the page's runner and the CLI know only these traits.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use burn::tensor::Device;
use orbit_math::dimension::Points;
use orbit_models::{ImageSet, Yielder};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::knob::Knob;
use crate::metrics::Metrics;
use crate::outcome::{RunError, StepOutcome};

/// A future that stays on its thread (Burn's WebGPU tensors do), boxed so that [`LabRun`] is
/// object safe.
pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// What a lab's page view draws, as the lab's run produced it: the page's runner carries it to
/// the lab's view, which downcasts it to the lab's own view type. Plain data only.
pub type LabView = Arc<dyn Any + Send + Sync>;

/// A run's trained models' parameters, by model name (see [`crate::weights`]).
pub type ModelWeights = Vec<(String, Vec<u8>)>;

/// The registry's words for a lab.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LabInfo {
    /// The id in links and on the command line (`lab=groups`).
    pub key: &'static str,
    /// The heading of the lab's page.
    pub title: &'static str,
    /// The label in the "Lab" menu.
    pub menu: &'static str,
    /// One sentence for the lab's card on the landing page.
    pub summary: &'static str,
    /// A paragraph saying what the lab shows and what to do first.
    pub intro: &'static str,
    /// The lab's own knobs (the common ones, lab, seed and backend, come first).
    pub knobs: &'static [Knob],
    /// The lab's guided tour: what to try, in order.
    pub tour: &'static [TourStep],
}

/// One step of a lab's guided tour: a share link and what to look for when it runs. Each step
/// is a plain link, so a teacher can hand one out on its own.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TourStep {
    /// The link's query, without `?` (decodes without notices; see the tour tests).
    pub link: &'static str,
    /// One sentence: what to do and what to look for.
    pub say: &'static str,
}

/// A lab's settings: the serde struct that the share link round-trips (one field per knob),
/// and what the registry needs from it.
pub trait Lab: Clone + Default + PartialEq + Serialize + DeserializeOwned + 'static {
    /// The lab's words and knobs.
    const INFO: LabInfo;

    /// What the lab's page view draws (the type inside the [`LabView`] its run returns); `()`
    /// for a lab without a view of its own. Plain data that serialises, so that a view made in
    /// the page's training worker crosses to the page (see [`crate::registry::SentView`]).
    type View: Clone + Serialize + DeserializeOwned + Send + Sync + 'static;

    /// Builds the run these settings describe (data, models, optimisers) on `device`, from
    /// `seed`; `points` are the user's own, for labs that read them.
    fn build(&self, seed: u64, device: &Device, points: Option<&Points>) -> Box<dyn LabRun>;

    /// Keeps the work of one step within what a laptop's tab trains without freezing, changing
    /// the settings if needed (each knob is in its bounds, but some combinations are too
    /// large); says what it changed. Most labs have nothing to keep.
    fn fit_budget(&mut self) -> Option<String> {
        None
    }

    /// Whether the lab's runs compute on the Burn device they are built with. A lab whose
    /// arithmetic is plain Rust says no: no backend is timed or chosen for it (timing one would
    /// only measure noise, and could "move" the run to a backend it never uses).
    fn uses_device(&self) -> bool {
        true
    }

    /// What the in-page benchmark times, one model at a time: a name and the settings that
    /// train that model alone. By default the whole lab under its title; empty for a lab with
    /// nothing to time.
    fn benchmark_parts(&self) -> Vec<(String, Self)> {
        vec![(Self::INFO.menu.to_string(), self.clone())]
    }
}

/// A run of one lab in progress, advanced one asynchronous step at a time.
pub trait LabRun {
    /// One training step (or one chunk of work), with a report when one falls due.
    fn step(&mut self) -> LocalFuture<'_, Result<StepOutcome, RunError>>;

    /// A full report on the current state, without training.
    fn report(&mut self) -> LocalFuture<'_, Result<Metrics, RunError>>;

    /// Steps taken.
    fn steps(&self) -> usize;

    /// Trainable parameters of every model together (0 for labs without a model).
    fn num_params(&self) -> usize {
        0
    }

    /// Lets the run hand control back to the host between pieces of a step; labs whose steps
    /// are short ignore it.
    fn set_yielder(&mut self, _yielder: Yielder) {}

    /// A hint for the page when a report shows training going wrong.
    fn advice(&self, _report: &Metrics) -> Option<String> {
        None
    }

    /// The held-out images and the predictions at the last report, for labs that classify.
    fn classification(&self) -> Option<(&ImageSet, &[u8])> {
        None
    }

    /// Why this run cannot do anything (e.g. custom points without a file), or `None`.
    fn problem(&self) -> Option<String> {
        None
    }

    /// The lab's view for its current settings (`settings` is the lab's own settings struct,
    /// whose view-only knobs may have changed since the run was built), or `None`.
    fn view<'a>(
        &'a mut self,
        settings: &'a (dyn Any + Send + Sync),
    ) -> LocalFuture<'a, Result<Option<LabView>, RunError>>;

    /// Whether the lab has trained weights to save and load (cheap: reads nothing).
    fn saves_weights(&self) -> bool {
        false
    }

    /// The trained models' parameters by model name, for a weights file. Reads every
    /// parameter back from the device synchronously, so a page calls it on a CPU backend only.
    fn weights(&self) -> Result<ModelWeights, String> {
        Err("this lab has no trained weights to save".into())
    }

    /// Loads parameters saved by [`Self::weights`] (same names, same shapes) and continues
    /// counting steps from `step`.
    fn load_weights(&mut self, _models: &[(String, Vec<u8>)], _step: usize) -> Result<(), String> {
        Err("this lab has no trained weights to load".into())
    }

    /// Whether the view changes with every step (the page then refreshes it at each redraw)
    /// rather than only at reports and when a view-only knob changes.
    fn view_follows_steps(&self) -> bool {
        false
    }
}
