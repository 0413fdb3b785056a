//! The sign-flip lab (SCIENCE.md §3): Laplacian eigenvectors, their sign ambiguity (and basis
//! ambiguity where eigenvalues repeat), and link prediction on two copies of a random graph
//! with SignDSS against SignNet, DecodeOnly, a GCN and a plain MLP, trained side by side.
//! Still to come: the O(d) point-cloud task, drawing your own graph, and the panel that
//! compares the models' outputs under a flip.

pub mod link;
mod run;

pub use run::{FlipPanel, FlipRow, SignsRun, SignsView};

use serde::{Deserialize, Serialize};

use crate::knob::{self, Kind, Knob};

/// Settings of the sign-flip lab (share-link keys in brackets).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignsSettings {
    /// Nodes of each copy of the random graph (`nodes`).
    pub nodes: usize,
    /// Edge probability of the Erdős–Rényi base graph (`p`).
    pub p: f64,
    /// Random edges joining the two copies (`cross`).
    pub cross: usize,
    /// Eigenvectors given to the models (`k`).
    pub k: usize,
    /// Adam's learning rate (`lr`).
    pub lr: f64,
    /// Epochs, full-batch steps of every model (`steps`).
    pub steps: usize,
    /// Epochs between reports (`eval`).
    pub eval: usize,
    /// View: the eigenvector that colours the graph, 1 = the first non-trivial (`vec`).
    pub vec: usize,
    /// View: eigenvectors shown with their sign flipped, one bit each (`flips`).
    pub flips: u64,
}

impl Default for SignsSettings {
    fn default() -> Self {
        let link = link::LinkSettings::default();
        Self {
            nodes: link.nodes,
            p: link.p,
            cross: link.cross,
            k: link.k,
            lr: 0.01,
            steps: 200,
            eval: 10,
            vec: 1,
            flips: 0,
        }
    }
}

impl SignsSettings {
    /// The link-prediction task's settings.
    pub fn link(&self) -> link::LinkSettings {
        link::LinkSettings {
            nodes: self.nodes,
            p: self.p,
            cross: self.cross,
            k: self.k,
        }
    }
}

/// Knobs that only change the view.
pub const VIEW_KNOBS: &[&str] = &["vec", "flips"];

/// The lab's knobs.
pub const KNOBS: &[Knob] = &[
    Knob {
        key: "nodes",
        label: "Nodes per copy",
        help: "The graph is two copies of an Erdős–Rényi graph joined by random edges.",
        kind: Kind::Int { min: 20, max: 300 },
    },
    Knob {
        key: "p",
        label: "Edge probability",
        help: "Edge probability of each copy.",
        kind: Kind::Float {
            min: 0.01,
            max: 0.3,
            log: false,
        },
    },
    Knob {
        key: "cross",
        label: "Cross edges",
        help: "Random edges joining the two copies.",
        kind: Kind::Int { min: 0, max: 1000 },
    },
    Knob {
        key: "k",
        label: "Eigenvectors k",
        help: "Eigenvectors of the training graph's normalised Laplacian, without the trivial one.",
        kind: Kind::Int { min: 2, max: 16 },
    },
    knob::LEARNING_RATE,
    Knob {
        key: "steps",
        label: "Epochs",
        help: "Full-batch training steps of every model; negatives are resampled each epoch.",
        kind: Kind::Int { min: 1, max: 2000 },
    },
    Knob {
        key: "eval",
        label: "Evaluate every",
        help: "Epochs between reports of validation and test AUC.",
        kind: Kind::Int { min: 1, max: 500 },
    },
    Knob {
        key: "vec",
        label: "Eigenvector shown",
        help: "Which eigenvector colours the graph (1 = the first non-trivial one).",
        kind: Kind::Int { min: 1, max: 16 },
    },
    Knob {
        key: "flips",
        label: "Flipped signs",
        help: "One bit per eigenvector: the solver's sign is arbitrary, so any choice is as valid.",
        kind: Kind::Int {
            min: 0,
            max: 65_535,
        },
    },
];
