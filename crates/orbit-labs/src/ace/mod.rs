//! The ACE lab (docs/science.md §4): one SO(2)×S_N vector-channel network trained four ways
//! side by side on point sets, strict (γ ≡ 0), unconstrained, and by constrained optimisation
//! with an equality or a resilient constraint on each layer's γ; the data's "wind" β breaks the
//! rotation symmetry by as much as the viewer asks.

mod run;
mod saved;

pub use orbit_models::ace::Mode;
pub use run::{AceArrows, AcePanels, AceRun};
pub(crate) use saved::{check_duals, load_members, save_members, saved_members};

use burn::tensor::Device;
use orbit_math::dimension::Points;
use serde::{Deserialize, Serialize};

use crate::knob::{Kind, Knob};
use crate::lab::{Lab, LabInfo, LabRun, TourStep};

/// Settings of the ACE lab (share-link keys in brackets).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AceSettings {
    /// The symmetry-breaking wind β added to every target vector as β·(1, 0) (`wind`).
    pub wind: f64,
    /// Adam's step size for the weights and γ, η_p (`lr`).
    pub lr: f64,
    /// The multipliers' step size, η_d (`dual`).
    pub dual: f64,
    /// The augmented term's weight c; 0 is plain descent–ascent (`c`).
    pub c: f64,
    /// The resilient slack's cost ρ (`rho`).
    pub rho: f64,
    /// Training sets (`train`), full batch.
    pub train: usize,
    /// Step budget (`steps`).
    pub steps: usize,
    /// Steps between reports (`eval`).
    pub eval: usize,
    /// View: the held-out set shown with its arrows (`set`).
    pub set: usize,
    /// View: turn of the shown set's input, degrees (`turn`).
    pub turn: f64,
}

impl Default for AceSettings {
    fn default() -> Self {
        Self {
            wind: 0.0,
            lr: 0.01,
            dual: 0.05,
            c: 1.0,
            rho: 1.0,
            train: 256,
            steps: 1500,
            eval: 50,
            set: 0,
            turn: 45.0,
        }
    }
}

/// Held-out sets the test errors are measured on.
pub const TEST_SETS: usize = 1000;

/// The primal step size η_p (`lr`), shared by both ACE labs.
pub const PRIMAL_LR_KNOB: Knob = Knob {
    view_only: false,
    key: "lr",
    label: "Primal step size η_p",
    help: "Adam's step size for the weights and the γs (and the slacks' step size).",
    kind: Kind::Float {
        min: 1e-4,
        max: 10.0,
        log: true,
    },
};

/// The dual step size η_d (`dual`), shared by both ACE labs.
pub const DUAL_LR_KNOB: Knob = Knob {
    view_only: false,
    key: "dual",
    label: "Dual step size η_d",
    help: "How fast the multipliers λ grow while a constraint is violated.",
    kind: Kind::Float {
        min: 1e-4,
        max: 10.0,
        log: true,
    },
};

/// The augmented term c (`c`), shared by both ACE labs.
pub const AUGMENTED_KNOB: Knob = Knob {
    view_only: false,
    key: "c",
    label: "Augmented term c",
    help: "Adds c·(violation)² to the Lagrangian; 0 is plain descent–ascent, which makes γ swing.",
    kind: Kind::Float {
        min: 0.0,
        max: 10.0,
        log: false,
    },
};

/// The resilient slack's cost ρ (`rho`), shared by both ACE labs.
pub const SLACK_COST_KNOB: Knob = Knob {
    view_only: false,
    key: "rho",
    label: "Slack cost ρ",
    help: "The resilient mode pays (ρ/2)·u² for a slack u: lower lets layers keep more of their branch.",
    kind: Kind::Float {
        min: 0.01,
        max: 100.0,
        log: true,
    },
};

/// The lab's knobs.
pub const KNOBS: &[Knob] = &[
    Knob {
        view_only: false,
        key: "wind",
        label: "Wind β (symmetry breaking)",
        help: "Adds β·(1, 0) to every target vector: 0 is exactly rotation symmetric; above 0 no rotation-equivariant network can fit it.",
        kind: Kind::Float {
            min: 0.0,
            max: 2.0,
            log: false,
        },
    },
    PRIMAL_LR_KNOB,
    DUAL_LR_KNOB,
    AUGMENTED_KNOB,
    SLACK_COST_KNOB,
    Knob {
        view_only: false,
        key: "train",
        label: "Training sets",
        help: "Sets of 6 points, all in every step (full batch).",
        kind: Kind::Int { min: 16, max: 1024 },
    },
    Knob {
        view_only: false,
        key: "steps",
        label: "Step budget",
        help: "The run stops after this many steps.",
        kind: Kind::Int { min: 1, max: 5_000 },
    },
    Knob {
        view_only: false,
        key: "eval",
        label: "Report every",
        help: "Steps between measurements of the test errors and the equivariance errors.",
        kind: Kind::Int { min: 1, max: 1_000 },
    },
    Knob {
        view_only: true,
        key: "set",
        label: "Shown test set",
        help: "Which held-out set of points the arrows panel shows.",
        kind: Kind::Int { min: 0, max: 999 },
    },
    Knob {
        view_only: true,
        key: "turn",
        label: "Turn the input (degrees)",
        help: "Rotates the shown set before the models see it: equivariant predictions turn with it.",
        kind: Kind::Float {
            min: -180.0,
            max: 180.0,
            log: false,
        },
    },
];

impl Lab for AceSettings {
    type View = AcePanels;

    const INFO: LabInfo = LabInfo {
        key: "ace",
        title: "Approximate equivariance: constrained optimisation (ACE)",
        menu: "Approximate equivariance (ACE)",
        summary: "Train approximately equivariant networks under a constraint: γ, multipliers and slacks say where the data's symmetry breaks.",
        intro: "Each layer of this network is an exactly rotation-equivariant part plus γ times an ordinary one. Strict keeps γ = 0; unconstrained trains γ freely; ACE trains it under a constraint, γ = 0 (equality) or |γ| ≤ u with a slack u that costs something (resilient), with a multiplier λ per layer that grows while the constraint is violated. Press Play, then raise the wind β to break the symmetry of the data.",
        knobs: KNOBS,
        tour: &[
            TourStep {
                link: "lab=ace",
                say: "Symmetric data: ACE drives every γ to 0 and its equivariant part f_eq does at least as well as strict.",
            },
            TourStep {
                link: "lab=ace&wind=0.5",
                say: "Wind breaks the symmetry: strict cannot fit it, resilient ACE can, and keeps most of its slack u in layer 1.",
            },
            TourStep {
                link: "lab=ace&c=0",
                say: "No augmented term (c = 0): plain descent–ascent makes γ swing and change sign again and again.",
            },
            TourStep {
                link: "lab=ace&turn=90",
                say: "Turn the test set by 90°: the strict and ACE arrows turn with it; the unconstrained ones drift.",
            },
        ],
    };

    fn build(&self, seed: u64, device: &Device, _points: Option<&Points>) -> Box<dyn LabRun> {
        Box::new(AceRun::new(self, seed, device))
    }

    fn benchmark_parts(&self) -> Vec<(String, Self)> {
        vec![("all four modes".to_string(), self.clone())]
    }
}
