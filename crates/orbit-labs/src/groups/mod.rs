//! The group-action lab: p4 and p4m G-CNNs against the Z2-CNN on the digits, trained side by
//! side, with the group action on screen (docs/science.md §0.2, §2).
//!
//! Digits stay 8×8: rotations by 90° and the mirrors map the 8×8 grid onto itself (about its
//! centre, 3.5, 3.5), "same"-padded 3×3 correlations and the 2×2 max-pool commute with them
//! exactly, so equivariance holds to float precision with no padding or resampling.

pub mod features;
mod panel;
mod run;

pub use panel::{ActionPanel, PanelRequest};
pub use run::GroupsRun;

use burn::tensor::Device;
use orbit_math::dimension::Points;
use orbit_math::group::{Element, Group};
use orbit_models::GroupCnnConfig;
use orbit_models::gcnn::SlotPool;
use serde::{Deserialize, Serialize};

use crate::data::{self, DataFraction};
use crate::knob::{self, Choice, Kind, Knob};
use crate::lab::{Lab, LabInfo, LabRun, TourStep};

/// A model family of the lab.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Ordinary CNN (translations only).
    Z2,
    /// G-CNN on p4 (rotations by 90°).
    P4,
    /// G-CNN on p4m (rotations and mirrors).
    P4m,
    /// P4 network with E4 layers after the lifting layer.
    P4e4,
}

impl Family {
    /// The group of the hidden fields.
    pub fn group(self) -> Group {
        match self {
            Family::Z2 => Group::Trivial,
            Family::P4 => Group::C4,
            Family::P4m => Group::D4,
            Family::P4e4 => Group::C4,
        }
    }

    /// Whether the network uses E4 layers.
    pub fn is_e4(self) -> bool {
        self == Family::P4e4
    }

    /// The network of this family with `fields` fields per layer.
    pub fn config(self, fields: usize, layers: usize, pool: SlotPool) -> GroupCnnConfig {
        GroupCnnConfig::new(self.group(), fields)
            .with_layers(layers)
            .with_pool(pool)
            .with_e4(self.is_e4())
    }

    /// Short key for metric names: `z2`, `p4`, `p4m`.
    pub fn key(self) -> &'static str {
        match self {
            Family::Z2 => "z2",
            Family::P4 => "p4",
            Family::P4m => "p4m",
            Family::P4e4 => "p4e4",
        }
    }

    /// Name in plots.
    pub fn label(self) -> &'static str {
        match self {
            Family::Z2 => "Z2-CNN",
            Family::P4 => "P4 G-CNN",
            Family::P4m => "P4M G-CNN",
            Family::P4e4 => "P4-E4",
        }
    }

    /// Fields per layer whose network has the parameter count closest to that of the P4
    /// network with `p4_fields` fields (same depth and head).
    pub fn fields_for_budget(self, p4_fields: usize, layers: usize) -> usize {
        let target = Family::P4
            .config(p4_fields, layers, SlotPool::Max)
            .num_params() as f64;
        (1..=4 * p4_fields.max(1))
            .min_by_key(|&f| {
                let p = self.config(f, layers, SlotPool::Max).num_params() as f64;
                ((p - target).abs() * 1000.0) as u64
            })
            .unwrap_or(1)
    }
}

/// Which models train side by side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Compare {
    /// Z2-CNN and P4.
    Z2P4,
    /// Z2-CNN, P4 and P4M.
    Z2P4P4m,
    /// Z2-CNN and P4M.
    Z2P4m,
    /// P4 and P4M.
    P4P4m,
    /// Z2-CNN, P4 and P4-E4.
    Z2P4P4e4,
    /// All four.
    Z2P4P4mP4e4,
    /// The Z2-CNN alone.
    Z2,
    /// P4 alone.
    P4,
    /// P4M alone.
    P4m,
    /// P4-E4 alone.
    P4e4,
}

impl Compare {
    /// The families compared, in plot order.
    pub fn families(self) -> Vec<Family> {
        match self {
            Compare::Z2P4 => vec![Family::Z2, Family::P4],
            Compare::Z2P4P4m => vec![Family::Z2, Family::P4, Family::P4m],
            Compare::Z2P4m => vec![Family::Z2, Family::P4m],
            Compare::P4P4m => vec![Family::P4, Family::P4m],
            Compare::Z2P4P4e4 => vec![Family::Z2, Family::P4, Family::P4e4],
            Compare::Z2P4P4mP4e4 => vec![Family::Z2, Family::P4, Family::P4m, Family::P4e4],
            Compare::Z2 => vec![Family::Z2],
            Compare::P4 => vec![Family::P4],
            Compare::P4m => vec![Family::P4m],
            Compare::P4e4 => vec![Family::P4e4],
        }
    }

    /// The comparison of one family alone.
    pub fn single(family: Family) -> Self {
        match family {
            Family::Z2 => Compare::Z2,
            Family::P4 => Compare::P4,
            Family::P4m => Compare::P4m,
            Family::P4e4 => Compare::P4e4,
        }
    }
}

/// How training images are presented.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Augment {
    /// Upright only.
    None,
    /// Each image under a random rotation by a multiple of 90°.
    Rotations,
    /// Each image under a random rotation or mirror.
    Dihedral,
}

impl Augment {
    /// The group sampled from, if any.
    pub fn group(self) -> Option<Group> {
        match self {
            Augment::None => None,
            Augment::Rotations => Some(Group::C4),
            Augment::Dihedral => Some(Group::D4),
        }
    }
}

/// What the action panel applies to the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Transform {
    /// Rotate by 90°.
    R90,
    /// Rotate by 180°.
    R180,
    /// Rotate by 270°.
    R270,
    /// The mirror `x ↦ rot(xᵀ, 3)`.
    M,
    /// Mirror, then rotate by 90°.
    Mr90,
    /// Mirror, then rotate by 180°.
    Mr180,
    /// Mirror, then rotate by 270°.
    Mr270,
    /// A rotation by the `angle` knob, off the grid unless a multiple of 90°.
    Angle,
}

impl Transform {
    /// The group element, or `None` for a free angle.
    pub fn element(self) -> Option<Element> {
        match self {
            Transform::R90 => Some(Element(1)),
            Transform::R180 => Some(Element(2)),
            Transform::R270 => Some(Element(3)),
            // Slots 4–7 are `rot^((8 − s) mod 4) ∘ mirror`.
            Transform::M => Some(Element(4)),
            Transform::Mr90 => Some(Element(7)),
            Transform::Mr180 => Some(Element(6)),
            Transform::Mr270 => Some(Element(5)),
            Transform::Angle => None,
        }
    }
}

/// Settings of the group-action lab (share-link keys in brackets).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupsSettings {
    /// Models trained side by side (`compare`).
    pub compare: Compare,
    /// Fields per layer of the P4 network; the others are sized to its parameter budget
    /// (`fields`).
    pub fields: usize,
    /// Convolution layers (`layers`).
    pub layers: usize,
    /// Slot pooling of the invariant head (`pool`).
    pub pool: SlotPool,
    /// Adam's learning rate (`lr`).
    pub lr: f64,
    /// Images per step (`batch`).
    pub batch: usize,
    /// Share of the training split (`data`).
    pub data: DataFraction,
    /// Training augmentation (`augment`).
    pub augment: Augment,
    /// Step budget (`steps`).
    pub steps: usize,
    /// Steps between evaluations (`eval`).
    pub eval: usize,
    /// The model shown in the action panel (`model`).
    pub model: Family,
    /// Test image of the panel (`image`).
    pub image: usize,
    /// Layer whose feature maps the panel shows, 1-based (`layer`).
    pub layer: usize,
    /// What the panel applies (`g`).
    pub g: Transform,
    /// Degrees for `g = angle` (`angle`).
    pub angle: f64,
}

impl Default for GroupsSettings {
    fn default() -> Self {
        Self {
            compare: Compare::Z2P4P4m,
            fields: 6,
            layers: 3,
            pool: SlotPool::Max,
            lr: 0.01,
            batch: 32,
            data: DataFraction::All,
            augment: Augment::None,
            steps: 300,
            eval: 25,
            model: Family::P4,
            image: 0,
            layer: 2,
            g: Transform::R90,
            angle: 45.0,
        }
    }
}

/// What the group-action lab's page draws besides the reports: the action panel for the
/// panel knobs, and the compared models with their sizes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupsPanels {
    /// The group-action panel (`None` when the panel's model is not trained in this run).
    pub panel: Option<ActionPanel>,
    /// The compared models: family, trainable parameters, multiply–adds per 8×8 image.
    pub models: Vec<(Family, usize, usize)>,
}

impl Lab for GroupsSettings {
    type View = GroupsPanels;

    const INFO: LabInfo = LabInfo {
        key: "groups",
        title: "Group actions: rotation-equivariant CNNs (p4, p4m)",
        menu: "Group actions (p4, p4m)",
        summary: "Rotate and mirror a digit and watch group-equivariant CNNs (p4, p4m, E4) turn their features with it while an ordinary CNN does not.",
        intro: "A G-CNN keeps one copy of every feature per orientation (a regular field): rotating the input rotates each map and permutes the copies, so its invariant head answers the same for every rotation. Train on upright digits, test on rotated ones.",
        knobs: KNOBS,
        tour: &[
            TourStep {
                link: "lab=groups&g=r90",
                say: "Turn the input by 90°: P4's feature maps are the turned maps of the upright digit (error near 0); the Z2-CNN's are not.",
            },
            TourStep {
                link: "lab=groups&compare=z2-p4-p4m&g=m",
                say: "Mirror the input: only P4M, which has reflections in its group, maps it onto a mirrored copy of its features.",
            },
            TourStep {
                link: "lab=groups&g=angle&angle=45",
                say: "Turn by 45°, which is not a symmetry of the pixel grid: even P4's equivariance error is no longer zero.",
            },
            TourStep {
                link: "lab=groups&augment=rotations",
                say: "Train on randomly turned digits: augmentation teaches the Z2-CNN only approximately what P4 has built in.",
            },
            TourStep {
                link: "lab=groups&compare=z2-p4-p4e4",
                say: "Add the E4 layer (Efficient Equivariant Network): the same group, fewer multiply-adds per field.",
            },
        ],
    };

    fn build(&self, seed: u64, device: &Device, _points: Option<&Points>) -> Box<dyn LabRun> {
        Box::new(GroupsRun::new(self, seed, device))
    }

    /// Lowers the batch (and, if one image is still too much, the fields) until one step's
    /// forward pass is at most [`MAX_STEP_WORK`] times the default experiment's.
    fn fit_budget(&mut self) -> Option<String> {
        let limit = MAX_STEP_WORK * Self::default().step_work();
        if self.step_work() <= limit {
            return None;
        }
        let asked = (self.fields, self.batch);
        while self.fields > 1 && self.image_work() > limit {
            self.fields -= 1;
        }
        self.batch = self.batch.min((limit / self.image_work().max(1)).max(1));
        let mut changes = Vec::new();
        if self.fields != asked.0 {
            changes.push(format!("fields={}", self.fields));
        }
        if self.batch != asked.1 {
            changes.push(format!("batch={}", self.batch));
        }
        Some(format!(
            "fields={} with batch={} and these models is more than {MAX_STEP_WORK}× the default step's work, too much for a tab to train; using {}",
            asked.0,
            asked.1,
            changes.join(" and ")
        ))
    }

    /// One part per compared model: the same settings with that model alone.
    fn benchmark_parts(&self) -> Vec<(String, Self)> {
        self.compare
            .families()
            .into_iter()
            .map(|f| {
                let single = Self {
                    compare: Compare::single(f),
                    ..self.clone()
                };
                (f.label().to_string(), single)
            })
            .collect()
    }
}

/// How many times the default experiment's work one step of the group-action lab may take.
pub const MAX_STEP_WORK: usize = 40;

impl GroupsSettings {
    /// Multiply–adds of one forward pass of every compared model on one 8×8 image.
    pub fn image_work(&self) -> usize {
        self.compare
            .families()
            .into_iter()
            .map(|f| {
                let fields = f.fields_for_budget(self.fields, self.layers);
                f.config(fields, self.layers, self.pool).mult_adds(8)
            })
            .sum()
    }

    /// Multiply–adds of one step's forward passes (every model, the whole batch).
    pub fn step_work(&self) -> usize {
        self.image_work() * self.batch
    }

    /// The panel request these settings describe.
    pub fn panel_request(&self) -> PanelRequest {
        PanelRequest {
            family: self.model,
            image: self.image,
            layer: self.layer,
            transform: self.g,
            angle: self.angle,
        }
    }
}

const FAMILY_CHOICES: &[Choice] = &[
    Choice {
        value: "z2",
        label: "Z2-CNN (ordinary CNN)",
    },
    Choice {
        value: "p4",
        label: "P4 G-CNN (rotations)",
    },
    Choice {
        value: "p4m",
        label: "P4M G-CNN (rotations, mirrors)",
    },
    Choice {
        value: "p4e4",
        label: "P4-E4 (generated kernels)",
    },
];

/// The lab's knobs.
pub const KNOBS: &[Knob] = &[
    Knob {
        view_only: false,
        key: "compare",
        label: "Models",
        help: "Trained side by side from the same seed, on the same batches.",
        kind: Kind::Choice(&[
            Choice {
                value: "z2-p4",
                label: "Z2-CNN vs P4",
            },
            Choice {
                value: "z2-p4-p4m",
                label: "Z2-CNN vs P4 vs P4M",
            },
            Choice {
                value: "z2-p4m",
                label: "Z2-CNN vs P4M",
            },
            Choice {
                value: "p4-p4m",
                label: "P4 vs P4M",
            },
            Choice {
                value: "z2-p4-p4e4",
                label: "Z2-CNN vs P4 vs P4-E4",
            },
            Choice {
                value: "z2-p4-p4m-p4e4",
                label: "all four",
            },
            Choice {
                value: "z2",
                label: "Z2-CNN alone",
            },
            Choice {
                value: "p4",
                label: "P4 alone",
            },
            Choice {
                value: "p4m",
                label: "P4M alone",
            },
            Choice {
                value: "p4e4",
                label: "P4-E4 alone",
            },
        ]),
    },
    Knob {
        view_only: false,
        key: "fields",
        label: "P4 fields per layer",
        help: "Each field is 4 channels on p4 (8 on p4m); the Z2-CNN and P4M get the same parameter budget.",
        kind: Kind::Int { min: 1, max: 32 },
    },
    Knob {
        view_only: false,
        key: "layers",
        label: "Convolution layers",
        help: "A lifting layer, then group convolutions; a 2×2 max-pool after the second.",
        kind: Kind::Int { min: 1, max: 5 },
    },
    Knob {
        view_only: false,
        key: "pool",
        label: "Head pooling over slots",
        help: "Max or mean over each field's orientations: either makes the logits invariant.",
        kind: Kind::Choice(&[
            Choice {
                value: "max",
                label: "max",
            },
            Choice {
                value: "mean",
                label: "mean",
            },
        ]),
    },
    knob::LEARNING_RATE,
    knob::BATCH,
    data::DATA_KNOB,
    Knob {
        view_only: false,
        key: "augment",
        label: "Training images",
        help: "Upright only, or each under a random group element (augmentation).",
        kind: Kind::Choice(&[
            Choice {
                value: "none",
                label: "upright only",
            },
            Choice {
                value: "rotations",
                label: "random 90° rotations",
            },
            Choice {
                value: "dihedral",
                label: "random rotations and mirrors",
            },
        ]),
    },
    Knob {
        view_only: false,
        key: "steps",
        label: "Step budget",
        help: "The run stops after this many steps.",
        kind: Kind::Int { min: 1, max: 5_000 },
    },
    knob::EVAL,
    Knob {
        view_only: true,
        key: "model",
        label: "Panel: model",
        help: "Whose feature maps the group-action panel shows.",
        kind: Kind::Choice(FAMILY_CHOICES),
    },
    Knob {
        view_only: true,
        key: "image",
        label: "Panel: test image",
        help: "Index into the held-out digits.",
        kind: Kind::Int { min: 0, max: 358 },
    },
    Knob {
        view_only: true,
        key: "layer",
        label: "Panel: layer",
        help: "Which layer's feature maps to show.",
        kind: Kind::Int { min: 1, max: 5 },
    },
    Knob {
        view_only: true,
        key: "g",
        label: "Panel: group element g",
        help: "The transformation applied to the input.",
        kind: Kind::Choice(&[
            Choice {
                value: "r90",
                label: "rotate 90°",
            },
            Choice {
                value: "r180",
                label: "rotate 180°",
            },
            Choice {
                value: "r270",
                label: "rotate 270°",
            },
            Choice {
                value: "m",
                label: "mirror",
            },
            Choice {
                value: "mr90",
                label: "mirror, then rotate 90°",
            },
            Choice {
                value: "mr180",
                label: "mirror, then rotate 180°",
            },
            Choice {
                value: "mr270",
                label: "mirror, then rotate 270°",
            },
            Choice {
                value: "angle",
                label: "rotate by the angle below",
            },
        ]),
    },
    Knob {
        view_only: true,
        key: "angle",
        label: "Panel: angle (degrees)",
        help: "Used when g is an angle: only multiples of 90° map the pixel grid onto itself.",
        kind: Kind::Float {
            min: -180.0,
            max: 180.0,
            log: false,
        },
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link;
    use serde_json::Value;

    #[test]
    fn a_link_too_large_to_train_is_cut_down_with_a_notice() {
        let d = link::decode("?lab=groups&compare=z2-p4-p4m-p4e4&fields=32&layers=5&batch=512");
        let crate::LabSettings::Groups(g) = &d.experiment.lab else {
            panic!("a groups experiment")
        };
        let limit = MAX_STEP_WORK * GroupsSettings::default().step_work();
        assert!(g.step_work() <= limit);
        assert!(g.batch < 512 && g.fields == 32, "{g:?}");
        assert!(
            d.notices.iter().any(|n| n.contains("too much")),
            "{:?}",
            d.notices
        );
        // The defaults and moderate links pass untouched.
        assert!(
            link::decode("?lab=groups&fields=12&batch=64")
                .notices
                .is_empty()
        );
        // A control asking for too much is refused with the reason.
        let e = crate::Experiment::for_lab(crate::LabId::Groups)
            .with_value("batch", Value::from(4))
            .unwrap()
            .with_value("fields", Value::from(32))
            .unwrap()
            .with_value("layers", Value::from(5))
            .unwrap();
        assert!(e.with_value("batch", Value::from(512)).is_err());
    }
}
