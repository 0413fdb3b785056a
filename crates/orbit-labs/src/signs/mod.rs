//! The sign-flip lab (docs/science.md §3): Laplacian eigenvectors, their sign ambiguity (and basis
//! ambiguity where eigenvalues repeat), and link prediction on two copies of a random graph
//! with SignDSS against SignNet, DecodeOnly, a GCN and a plain MLP, trained side by side; and
//! the O(d) point-cloud task ([`cloud`]), whose models train in the same run.

pub mod cloud;
pub mod drawn;
pub mod link;
mod run;
mod shown;

pub use cloud::{CloudArrows, CloudModelId, CloudView};
pub use run::{FlipPanel, FlipRow, SignsRun, SignsView, TurnInfo};
pub use shown::GraphChoice;

/// O(d) minibatch steps of every point-cloud model per link-prediction epoch.
pub const CLOUD_STEPS_PER_EPOCH: usize = 10;

use serde::{Deserialize, Serialize};

use std::sync::Arc;

use burn::tensor::Device;
use orbit_math::dimension::Points;

use crate::knob::{self, Choice, Kind, Knob, TextFormat};
use crate::lab::{Lab, LabInfo, LabRun, TourStep};

/// Settings of the sign-flip lab (share-link keys in brackets).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignsSettings {
    /// The random graph each copy is drawn from (`base`).
    pub base: link::BaseGraph,
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
    /// View: the graph the eigenvector panels show (`graph`).
    pub graph: GraphChoice,
    /// View: the hand-drawn graph, as link text (`drawn`, see [`drawn`]).
    pub drawn: String,
    /// View: turn inside the shown eigenvector's eigenspace when its eigenvalue repeats,
    /// degrees (`rot`).
    pub rot: f64,
    /// Dimension of the O(d) task's points, 2 or 3 (`dim`).
    pub dim: usize,
    /// View: the turn of the shown point cloud, in degrees (`turn`).
    pub turn: f64,
}

impl Default for SignsSettings {
    fn default() -> Self {
        let link = link::LinkSettings::default();
        Self {
            base: link.base,
            nodes: link.nodes,
            p: link.p,
            cross: link.cross,
            k: link.k,
            lr: 0.01,
            steps: 200,
            eval: 10,
            vec: 1,
            flips: 0,
            graph: GraphChoice::Train,
            drawn: String::new(),
            rot: 0.0,
            dim: 2,
            turn: 45.0,
        }
    }
}

/// What the sign-flip lab's page draws besides the reports, for the view knobs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignsPanels {
    /// The graph the eigenvector panels show and its spectrum; the same shared value until the
    /// graph choice changes, so the page redraws the graph only then.
    pub shown: Arc<SignsView>,
    /// SignDSS, SignNet and the MLP under the chosen flips (and eigenspace turn).
    pub flip: FlipPanel,
    /// The O(d) task's shown cloud, turned as chosen, with every model's arrows.
    pub cloud: CloudView,
}

impl Lab for SignsSettings {
    type View = SignsPanels;

    const INFO: LabInfo = LabInfo {
        key: "signs",
        title: "Sign flips: Laplacian eigenvectors and sign-equivariant networks",
        menu: "Sign flips (eigenvectors)",
        summary: "Flip the signs of a graph's Laplacian eigenvectors: sign-equivariant networks follow, and predict links better than SignNet.",
        intro: "A graph's Laplacian eigenvectors give every node a position, but each eigenvector's sign is arbitrary (and where eigenvalues repeat, so is the basis). A sign-equivariant network flips its output with the input and keeps link scores unchanged; a sign-invariant one loses positions. Press Play to train five link predictors side by side, and four point-cloud models for the O(d) task, where a PCA frame's arbitrary axis signs play the same role.",
        knobs: KNOBS,
        tour: &[
            TourStep {
                link: "lab=signs",
                say: "Press Play: on link prediction the sign-equivariant SignDSS beats SignNet, whose invariance loses the nodes' positions.",
            },
            TourStep {
                link: "lab=signs&flips=1",
                say: "Flip the sign of the first eigenvector: the sign-equivariant outputs flip with it and the link scores do not change.",
            },
            TourStep {
                link: "lab=signs&graph=cycle&rot=45",
                say: "On a cycle the eigenvalues repeat: turning inside the eigenspace gives another equally valid basis.",
            },
            TourStep {
                link: "lab=signs&dim=3&turn=90",
                say: "The O(d) task in 3D: turn the cloud and the frame-averaged model's arrows turn with it; the MLP's do not.",
            },
        ],
    };

    fn build(&self, seed: u64, device: &Device, _points: Option<&Points>) -> Box<dyn LabRun> {
        Box::new(SignsRun::new(self, seed, device))
    }

    /// The five link predictors and the four O(d) models train in every step together.
    fn benchmark_parts(&self) -> Vec<(String, Self)> {
        vec![("all five models".to_string(), self.clone())]
    }
}

impl SignsSettings {
    /// The link-prediction task's settings.
    pub fn link(&self) -> link::LinkSettings {
        link::LinkSettings {
            base: self.base,
            nodes: self.nodes,
            p: self.p,
            cross: self.cross,
            k: self.k,
        }
    }
}

/// The lab's knobs.
pub const KNOBS: &[Knob] = &[
    Knob {
        view_only: false,
        key: "base",
        label: "Random graph",
        help: "Each of the two copies is drawn from this model.",
        kind: Kind::Choice(&[
            Choice {
                value: "er",
                label: "Erdős–Rényi G(n, p)",
            },
            Choice {
                value: "ba",
                label: "Barabási–Albert (same mean degree)",
            },
        ]),
    },
    Knob {
        view_only: false,
        key: "nodes",
        label: "Nodes per copy",
        help: "The graph is two copies of a random graph joined by random edges.",
        kind: Kind::Int { min: 20, max: 300 },
    },
    Knob {
        view_only: false,
        key: "p",
        label: "Edge probability",
        help: "Edge probability of each copy (for Barabási–Albert, it sets the mean degree).",
        kind: Kind::Float {
            min: 0.01,
            max: 0.3,
            log: false,
        },
    },
    Knob {
        view_only: false,
        key: "cross",
        label: "Cross edges",
        help: "Random edges joining the two copies.",
        kind: Kind::Int { min: 0, max: 1000 },
    },
    Knob {
        view_only: false,
        key: "k",
        label: "Eigenvectors k",
        help: "Eigenvectors of the training graph's normalised Laplacian, without the trivial one.",
        kind: Kind::Int { min: 2, max: 16 },
    },
    knob::LEARNING_RATE,
    Knob {
        view_only: false,
        key: "steps",
        label: "Epochs",
        help: "Full-batch training steps of every model; negatives are resampled each epoch.",
        kind: Kind::Int { min: 1, max: 2000 },
    },
    Knob {
        view_only: false,
        key: "eval",
        label: "Evaluate every",
        help: "Epochs between reports of validation and test AUC.",
        kind: Kind::Int { min: 1, max: 500 },
    },
    Knob {
        view_only: true,
        key: "vec",
        label: "Eigenvector shown",
        help: "Which eigenvector colours the graph (1 = the first non-trivial one).",
        kind: Kind::Int { min: 1, max: 16 },
    },
    Knob {
        view_only: true,
        key: "flips",
        label: "Flipped signs",
        help: "One bit per eigenvector: the solver's sign is arbitrary, so any choice is as valid.",
        kind: Kind::Int {
            min: 0,
            max: 65_535,
        },
    },
    Knob {
        view_only: true,
        key: "graph",
        label: "Graph shown",
        help: "The graph whose eigenvectors the panels show; the models, trained on the link task, are applied to it.",
        kind: Kind::Choice(&[
            Choice {
                value: "train",
                label: "link task's training graph",
            },
            Choice {
                value: "cycle",
                label: "cycle C₂₄ (repeated eigenvalues)",
            },
            Choice {
                value: "path",
                label: "path P₂₄ (simple spectrum)",
            },
            Choice {
                value: "grid",
                label: "6 × 6 grid (repeated eigenvalues)",
            },
            Choice {
                value: "hypercube",
                label: "hypercube Q₄ (multiplicities 4, 6, 4)",
            },
            Choice {
                value: "karate",
                label: "Zachary's karate club",
            },
            Choice {
                value: "geometric",
                label: "random geometric graph",
            },
            Choice {
                value: "drawn",
                label: "your own drawing",
            },
        ]),
    },
    Knob {
        view_only: true,
        key: "drawn",
        label: "Your graph",
        help: "Nodes as x.y (0–99) joined by _, then ~, then edges as i-j joined by _.",
        kind: Kind::Text {
            max_len: drawn::MAX_LEN,
            format: TextFormat::DrawnGraph,
        },
    },
    Knob {
        view_only: true,
        key: "rot",
        label: "Turn inside the eigenspace (degrees)",
        help: "Where the shown eigenvector's eigenvalue repeats, turns it with its neighbour: an equally valid basis.",
        kind: Kind::Float {
            min: -180.0,
            max: 180.0,
            log: false,
        },
    },
    Knob {
        view_only: false,
        key: "dim",
        label: "O(d): dimension d",
        help: "Points of the O(d) task live in R² or R³.",
        kind: Kind::Int { min: 2, max: 3 },
    },
    Knob {
        view_only: true,
        key: "turn",
        label: "O(d): turn the cloud (degrees)",
        help: "Rotates the shown cloud in its first coordinate plane; equivariant models' arrows follow it.",
        kind: Kind::Float {
            min: -180.0,
            max: 180.0,
            log: false,
        },
    },
];
