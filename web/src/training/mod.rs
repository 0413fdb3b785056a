//! Training a run, wherever it happens: [`run_loop`] advances the [`orbit_labs::Run`] built from
//! the page's experiment in short chunks and says what happened as [`events::Event`]s; a
//! [`Host`] gives it the page's controls and takes its events.
//!
//! The page runs the loop in a dedicated Web Worker ([`worker`]), so that training never
//! holds the page's main thread: the host there mirrors the controls from
//! [`events::Command`]s and posts the events back. When no worker can start, the page hosts the
//! loop itself ([`crate::runner`]), yielding to the browser between chunks as before.

pub mod events;
pub mod run_loop;
pub mod worker;

use orbit_labs::Experiment;
use orbit_math::dimension::Points;

use crate::session::WeightsRequest;
use events::Event;

/// Where the training loop runs: the page's controls as the loop reads them, and where its
/// events go.
pub trait Host: Clone + 'static {
    /// The generation of the run the page wants; a loop of another generation stops.
    fn generation(&self) -> u64;
    /// The experiment as the page shows it now.
    fn experiment(&self) -> Experiment;
    /// The user's own points, for labs that read them.
    fn points(&self) -> Option<Points>;
    /// Whether training runs continuously.
    fn playing(&self) -> bool;
    /// Single steps requested while paused.
    fn pending_steps(&self) -> usize;
    /// Takes one of the pending single steps.
    fn take_step(&self);
    /// Bumped when the view must be recomputed (a view-only knob changed).
    fn view_version(&self) -> u64;
    /// Takes the page's weights request, if any.
    fn take_weights_request(&self) -> Option<WeightsRequest>;
    /// Whether a step should hand control back between its pieces: in the page, so that the
    /// page stays responsive; not in the worker, where nothing else waits for the thread.
    fn yields_within_steps(&self) -> bool;
    /// Tells the page what happened in the run of `generation`.
    fn emit(&self, generation: u64, event: Event);
}
