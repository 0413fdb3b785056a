//! Orbit's labs layer: experiments, share links, backend choice and runs.
//!
//! - [`Experiment`] describes a run completely: the lab ([`LabSettings`]), the seed and the
//!   [`BackendPreference`]. Every setting is a [`knob::Knob`] with bounds and a label.
//! - [`link`] turns an experiment into a share-link query (`v=1&lab=baseline&seed=1&…`) and
//!   back, repairing bad links and listing what it changed; [`presentation`] is what the link
//!   says about showing it (hidden controls and panels, presenter mode).
//! - [`weights`] is the weights file: a run's trained models, saved and loaded again.
//! - [`export`] writes a run's reports as CSV or JSON headed by its link and seed.
//! - [`backend`] chooses the device: WebGPU or a CPU backend, by timing a warm-up step.
//! - [`Run`] advances an experiment one asynchronous step at a time and reports [`Metrics`];
//!   it holds the lab's run behind the [`lab::LabRun`] trait and knows no lab's internals.
//! - [`registry`] lists the labs, one line each; [`lab`] says what a lab provides (its
//!   [`lab::LabInfo`], settings implementing [`lab::Lab`], a run implementing [`lab::LabRun`]);
//!   [`outcome`] is the run vocabulary every lab shares (errors, step outcomes, reports due).
//! - One module per lab: [`baseline`] (the digits MLP), [`groups`] (p4/p4m G-CNNs against
//!   the Z2-CNN), [`signs`] (Laplacian eigenvectors and sign-equivariant networks),
//!   [`dimension`] (intrinsic-dimension estimators and the representation gap), [`ace`]
//!   (approximate equivariance by constrained optimisation) and [`ace_digits`] (the same on
//!   digits, where a 6 is not a 9).
//!
//! ```
//! use burn::tensor::Device;
//! use orbit_labs::{link, Run};
//! let decoded = link::decode("?v=1&lab=baseline&seed=3&hidden=32&lr=0.02");
//! assert!(decoded.notices.is_empty());
//! let mut run = Run::new(&decoded.experiment, &Device::flex());
//! let outcome = pollster::block_on(run.step()).unwrap();
//! assert_eq!(outcome.step, 1);
//! assert!(link::encode(&decoded.experiment).contains("hidden=32"));
//! ```

pub mod ace;
pub mod ace_digits;
pub mod backend;
pub mod baseline;
pub mod data;
pub mod dimension;
pub mod experiment;
pub mod export;
pub mod groups;
pub mod knob;
pub mod lab;
pub mod link;
pub mod metrics;
pub mod outcome;
pub mod presentation;
pub mod registry;
pub mod run;
pub mod signs;
pub mod weights;

pub use backend::{BackendChoice, BackendKind, BackendPreference};
pub use experiment::{Experiment, LabId, LabSettings};
pub use metrics::Metrics;
pub use run::{Run, RunError, StepOutcome};
