//! The ACE lab on digits (docs/science.md §4, on the group-action lab's data): where full
//! rotation symmetry is wrong. A P4 G-CNN is exactly rotation invariant, so it cannot tell a
//! 6 from a 9 turned by 180°. This lab gives the P4 network an ordinary convolution beside
//! every layer, scaled by that layer's γ, and trains it with ACE (equality and resilient)
//! beside the strict P4 network and the Z2-CNN, on digits shown upright and at small angles.

mod run;

pub use run::{AceDigitsPanels, AceDigitsRun, DigitsMember, LAYERS, MODELS};

use burn::tensor::Device;
use orbit_math::dimension::Points;
use serde::{Deserialize, Serialize};

use crate::ace::{AUGMENTED_KNOB, DUAL_LR_KNOB, PRIMAL_LR_KNOB, SLACK_COST_KNOB};
use crate::knob::{Kind, Knob};
use crate::lab::{Lab, LabInfo, LabRun, TourStep};

/// Settings of the ACE digits lab (share-link keys in brackets).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AceDigitsSettings {
    /// The largest angle, degrees, of the turns the digits are shown at (`tilt`): each
    /// training digit appears upright and turned by an angle drawn from `[-tilt, tilt]`.
    pub tilt: f64,
    /// Fields per layer of the P4 networks (`fields`); the Z2-CNN gets as many parameters.
    pub fields: usize,
    /// Adam's step size for the weights and γ, η_p (`lr`).
    pub lr: f64,
    /// The multipliers' step size, η_d (`dual`).
    pub dual: f64,
    /// The augmented term's weight c (`c`).
    pub c: f64,
    /// The resilient slack's cost ρ (`rho`).
    pub rho: f64,
    /// Images per step (`batch`).
    pub batch: usize,
    /// Step budget (`steps`).
    pub steps: usize,
    /// Steps between reports (`eval`).
    pub eval: usize,
}

impl Default for AceDigitsSettings {
    fn default() -> Self {
        Self {
            tilt: 30.0,
            fields: 6,
            lr: 0.01,
            dual: 0.05,
            c: 1.0,
            rho: 1.0,
            batch: 32,
            steps: 600,
            eval: 50,
        }
    }
}

/// The lab's knobs.
pub const KNOBS: &[Knob] = &[
    Knob {
        view_only: false,
        key: "tilt",
        label: "Turns up to (degrees)",
        help: "Every training digit is shown upright and turned by an angle up to this one; the turned test set too.",
        kind: Kind::Float {
            min: 0.0,
            max: 45.0,
            log: false,
        },
    },
    Knob {
        view_only: false,
        key: "fields",
        label: "Fields per layer (P4)",
        help: "Width of the P4 networks; the Z2-CNN gets about as many parameters as the strict P4 one.",
        kind: Kind::Int { min: 1, max: 12 },
    },
    PRIMAL_LR_KNOB,
    DUAL_LR_KNOB,
    AUGMENTED_KNOB,
    SLACK_COST_KNOB,
    Knob {
        view_only: false,
        key: "batch",
        label: "Batch size",
        help: "Digits per step; every model sees the same ones.",
        kind: Kind::Int { min: 1, max: 256 },
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
        help: "Steps between measurements on the test digits.",
        kind: Kind::Int { min: 1, max: 1_000 },
    },
];

/// How many times the default step's work one step may take: four networks train in every
/// step, and the default step already takes about 110 ms in the page.
pub const MAX_STEP_WORK: usize = 10;

impl Lab for AceDigitsSettings {
    type View = AceDigitsPanels;

    const INFO: LabInfo = LabInfo {
        key: "ace-digits",
        title: "Approximate equivariance on digits: a 6 is not a 9 (ACE)",
        menu: "ACE on digits (6 or 9?)",
        summary: "A rotation-invariant network cannot tell a 6 from an upside-down 9; give each layer a γ-scaled ordinary branch and let constrained training decide where the symmetry must break.",
        intro: "Digits are shown upright and at small angles. The strict P4 network is exactly rotation invariant, so a 6 and a 9 turned by 180° look the same to it. The ACE networks add an ordinary convolution beside every layer, scaled by its γ, and train under a constraint: γ = 0 (equality) or |γ| ≤ u with a slack u that costs something (resilient). Press Play and watch which layers keep their slack and what happens to the 6s and 9s.",
        knobs: KNOBS,
        tour: &[
            TourStep {
                link: "lab=ace-digits",
                say: "Press Play: strict P4 scores upside-down digits exactly as upright ones and its 6/9 boundary keeps flipping; the Z2-CNN never mixes them; see which layer resilient ACE keeps its slack in.",
            },
            TourStep {
                link: "lab=ace-digits&rho=0.1",
                say: "Cheaper slack (ρ = 0.1): the resilient network keeps more of its branches and tells 6 from 9 more often.",
            },
            TourStep {
                link: "lab=ace-digits&rho=10",
                say: "Dearer slack (ρ = 10): the resilient network is pushed towards strict P4; watch its 6/9 rows.",
            },
            TourStep {
                link: "lab=ace-digits&tilt=0",
                say: "Upright digits only (tilt 0): compare accuracy on the turned test digits, which no model saw turned.",
            },
        ],
    };

    fn build(&self, seed: u64, device: &Device, _points: Option<&Points>) -> Box<dyn LabRun> {
        Box::new(AceDigitsRun::new(self, seed, device))
    }

    /// Lowers the batch until one step is at most [`MAX_STEP_WORK`] times the default step's
    /// work (a step's convolutions grow with batch × fields²).
    fn fit_budget(&mut self) -> Option<String> {
        let work = |s: &Self| s.batch * s.fields * s.fields;
        let limit = MAX_STEP_WORK * work(&Self::default());
        if work(self) <= limit {
            return None;
        }
        let asked = self.batch;
        self.batch = (limit / (self.fields * self.fields).max(1)).max(1);
        Some(format!(
            "fields={} with batch={asked} is more than {}× the default step's work, too much for a tab to train; using batch={}",
            self.fields, MAX_STEP_WORK, self.batch
        ))
    }

    fn benchmark_parts(&self) -> Vec<(String, Self)> {
        vec![("all four models".to_string(), self.clone())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link;

    #[test]
    fn an_absurd_step_is_cut_to_a_batch_a_tab_can_train() {
        let d = link::decode("lab=ace-digits&fields=12&batch=256");
        let crate::LabSettings::AceDigits(s) = &d.experiment.lab else {
            panic!("an ace-digits experiment")
        };
        assert_eq!((s.fields, s.batch), (12, 80));
        assert!(
            d.notices.iter().any(|n| n.contains("using batch=80")),
            "{:?}",
            d.notices
        );
        let mut fine = AceDigitsSettings::default();
        assert_eq!(fine.fit_budget(), None);
    }
}
