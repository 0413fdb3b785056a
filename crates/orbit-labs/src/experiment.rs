//! The [`Experiment`]: one value that describes a run completely.
//!
//! The page's controls edit it, the share link serialises it ([`crate::link`]), a
//! [`crate::Run`] is built from it, and the CLI runs the same value headless.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::backend::BackendPreference;
use crate::baseline::{self, BaselineSettings};
use crate::dimension::{self, DimensionSettings};
use crate::groups::{self, GroupsSettings};
use crate::knob::{Choice, Kind, Knob};
use crate::signs::{self, SignsSettings};

/// The labs Orbit offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabId {
    /// The digits MLP every other model is compared against.
    Baseline,
    /// p4/p4m G-CNNs against the Z2-CNN, with the group action on screen.
    Groups,
    /// Intrinsic-dimension estimators and the representation-gap scaling law.
    Dimension,
    /// Laplacian eigenvectors, sign flips and sign-equivariant networks.
    Signs,
}

impl LabId {
    /// Every lab, in menu order.
    pub const ALL: [LabId; 4] = [
        LabId::Baseline,
        LabId::Groups,
        LabId::Signs,
        LabId::Dimension,
    ];

    /// The id used in links and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            LabId::Baseline => "baseline",
            LabId::Groups => "groups",
            LabId::Dimension => "dimension",
            LabId::Signs => "signs",
        }
    }

    /// Human title.
    pub fn title(self) -> &'static str {
        match self {
            LabId::Baseline => "Baseline: an MLP on handwritten digits",
            LabId::Groups => "Group actions: rotation-equivariant CNNs (p4, p4m)",
            LabId::Dimension => "Intrinsic dimension: TwoNN, MLE and the representation gap",
            LabId::Signs => "Sign flips: Laplacian eigenvectors and sign-equivariant networks",
        }
    }

    /// The lab with this id.
    pub fn parse(id: &str) -> Option<LabId> {
        Self::ALL.into_iter().find(|l| l.as_str() == id)
    }
}

/// The settings of one lab, tagged by its id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "lab", rename_all = "lowercase")]
pub enum LabSettings {
    /// See [`crate::baseline`].
    Baseline(BaselineSettings),
    /// See [`crate::groups`].
    Groups(GroupsSettings),
    /// See [`crate::dimension`].
    Dimension(DimensionSettings),
    /// See [`crate::signs`].
    Signs(SignsSettings),
}

impl LabSettings {
    /// The default settings of a lab.
    pub fn default_for(id: LabId) -> Self {
        match id {
            LabId::Baseline => LabSettings::Baseline(BaselineSettings::default()),
            LabId::Groups => LabSettings::Groups(GroupsSettings::default()),
            LabId::Dimension => LabSettings::Dimension(DimensionSettings::default()),
            LabId::Signs => LabSettings::Signs(SignsSettings::default()),
        }
    }

    /// Which lab these settings belong to.
    pub fn id(&self) -> LabId {
        match self {
            LabSettings::Baseline(_) => LabId::Baseline,
            LabSettings::Groups(_) => LabId::Groups,
            LabSettings::Dimension(_) => LabId::Dimension,
            LabSettings::Signs(_) => LabId::Signs,
        }
    }

    /// The lab's own knobs.
    pub fn knobs(&self) -> &'static [Knob] {
        match self {
            LabSettings::Baseline(_) => baseline::KNOBS,
            LabSettings::Groups(_) => groups::KNOBS,
            LabSettings::Dimension(_) => dimension::KNOBS,
            LabSettings::Signs(_) => signs::KNOBS,
        }
    }
}

/// A complete, reproducible description of one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Experiment {
    /// Seeds data, split, initial weights and batch order.
    pub seed: u64,
    /// Which backend to train on.
    pub backend: BackendPreference,
    /// The lab and its settings.
    #[serde(flatten)]
    pub lab: LabSettings,
}

impl Default for Experiment {
    fn default() -> Self {
        Self::for_lab(LabId::Baseline)
    }
}

/// Choices of the `lab` knob, one per [`LabId`].
const LAB_CHOICES: &[Choice] = &[
    Choice {
        value: "baseline",
        label: "Baseline MLP",
    },
    Choice {
        value: "groups",
        label: "Group actions (p4, p4m)",
    },
    Choice {
        value: "signs",
        label: "Sign flips (eigenvectors)",
    },
    Choice {
        value: "dimension",
        label: "Intrinsic dimension",
    },
];

/// Knobs every experiment has, before the lab's own.
pub const COMMON_KNOBS: &[Knob] = &[
    Knob {
        key: "lab",
        label: "Lab",
        help: "Which experiment to run.",
        kind: Kind::Choice(LAB_CHOICES),
    },
    Knob {
        key: "seed",
        label: "Seed",
        help: "Fixes the data split, the initial weights and the batch order.",
        kind: Kind::Int {
            min: 0,
            max: 4_294_967_295,
        },
    },
    Knob {
        key: "backend",
        label: "Backend",
        help: "auto picks the faster of WebGPU and the CPU by timing a warm-up step.",
        kind: Kind::Choice(crate::backend::PREFERENCE_CHOICES),
    },
];

impl Experiment {
    /// The default experiment of a lab.
    pub fn for_lab(id: LabId) -> Self {
        Self {
            seed: 1,
            backend: BackendPreference::Auto,
            lab: LabSettings::default_for(id),
        }
    }

    /// All knobs of this experiment: the common ones, then the lab's.
    pub fn knobs(&self) -> impl Iterator<Item = &'static Knob> {
        COMMON_KNOBS.iter().chain(self.lab.knobs())
    }

    /// The experiment as a flat JSON object keyed by knob keys.
    pub fn to_map(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        }
    }

    /// Rebuilds an experiment from a flat object (as produced by [`Self::to_map`]).
    pub fn from_map(map: Map<String, Value>) -> Result<Self, String> {
        serde_json::from_value(Value::Object(map)).map_err(|e| e.to_string())
    }

    /// Whether changing `key` needs a new run (most knobs), or only changes a view of the
    /// current one (e.g. which image the group-action panel shows).
    pub fn restarts_run(&self, key: &str) -> bool {
        match self.lab {
            LabSettings::Groups(_) => !groups::VIEW_KNOBS.contains(&key),
            LabSettings::Dimension(_) => !dimension::VIEW_KNOBS.contains(&key),
            LabSettings::Signs(_) => !signs::VIEW_KNOBS.contains(&key),
            LabSettings::Baseline(_) => true,
        }
    }

    /// What the in-page benchmark times, one model at a time: for the group-action lab one
    /// experiment per compared model (the same settings, that model alone); otherwise the
    /// experiment itself under its model's name.
    pub fn benchmark_parts(&self) -> Vec<(String, Experiment)> {
        match &self.lab {
            LabSettings::Groups(g) => g
                .compare
                .families()
                .into_iter()
                .map(|f| {
                    let mut single = g.clone();
                    single.compare = groups::Compare::single(f);
                    let e = Self {
                        lab: LabSettings::Groups(single),
                        ..self.clone()
                    };
                    (f.label().to_string(), e)
                })
                .collect(),
            LabSettings::Baseline(_) => vec![(baseline::MODEL_NAME.to_string(), self.clone())],
            LabSettings::Signs(_) => vec![("all five models".to_string(), self.clone())],
            LabSettings::Dimension(_) => Vec::new(),
        }
    }

    /// The same experiment with one knob set to an already-validated value.
    pub fn with_value(&self, key: &str, value: Value) -> Result<Self, String> {
        let knob = self
            .knobs()
            .find(|k| k.key == key)
            .ok_or_else(|| format!("no knob {key:?}"))?;
        if !knob.accepts(&value) {
            return Err(format!("{value} is not a valid {key}"));
        }
        if key == "lab" {
            let id = value.as_str().and_then(LabId::parse).ok_or("unknown lab")?;
            return Ok(Self {
                lab: LabSettings::default_for(id),
                ..self.clone()
            });
        }
        let mut map = self.to_map();
        map.insert(key.to_string(), value);
        Self::from_map(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_knob_has_a_valid_default_and_every_field_a_knob() {
        for id in LabId::ALL {
            let e = Experiment::for_lab(id);
            let map = e.to_map();
            let keys: Vec<&str> = e.knobs().map(|k| k.key).collect();
            for k in e.knobs() {
                let v = map
                    .get(k.key)
                    .unwrap_or_else(|| panic!("{} has no field", k.key));
                assert!(k.accepts(v), "default {}={v} outside its knob", k.key);
            }
            for field in map.keys() {
                assert!(keys.contains(&field.as_str()), "field {field} has no knob");
            }
            assert_eq!(Experiment::from_map(map).unwrap(), e);
        }
        let labs: Vec<&str> = LabId::ALL.iter().map(|l| l.as_str()).collect();
        let choices: Vec<&str> = LAB_CHOICES.iter().map(|c| c.value).collect();
        assert_eq!(labs, choices);
    }

    #[test]
    fn the_benchmark_times_each_compared_model_alone() {
        let e = Experiment::for_lab(LabId::Groups);
        let parts = e.benchmark_parts();
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Z2-CNN", "P4 G-CNN", "P4M G-CNN"]);
        for (_, part) in &parts {
            let LabSettings::Groups(g) = &part.lab else {
                panic!("a groups experiment")
            };
            assert_eq!(g.compare.families().len(), 1);
        }
        assert_eq!(Experiment::default().benchmark_parts().len(), 1);
    }

    #[test]
    fn with_value_validates() {
        let e = Experiment::default();
        let e2 = e.with_value("seed", Value::from(9)).unwrap();
        assert_eq!(e2.seed, 9);
        assert!(e.with_value("seed", Value::from(-1)).is_err());
        assert!(e.with_value("nope", Value::from(1)).is_err());
    }
}
