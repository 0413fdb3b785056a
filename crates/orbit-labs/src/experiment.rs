//! The [`Experiment`]: one value that describes a run completely.
//!
//! The page's controls edit it, the share link serialises it ([`crate::link`]), a
//! [`crate::Run`] is built from it, and the CLI runs the same value headless.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::backend::BackendPreference;
use crate::knob::{Kind, Knob};
pub use crate::registry::{LAB_CHOICES, LabId, LabSettings};

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

/// Drawings [`Experiment::random`] picks from: none, a triangle, one node, a path with a
/// repeated edge-free pair, and two components.
const RANDOM_DRAWINGS: &[&str] = &[
    "",
    "10.10_90.10_50.80~0-1_1-2_0-2",
    "50.50",
    "10.10_30.30_50.50_70.70~0-1_1-2_2-3",
    "10.10_20.20_80.80_90.90~0-1_2-3",
];

/// Knobs every experiment has, before the lab's own.
pub const COMMON_KNOBS: &[Knob] = &[
    Knob {
        view_only: false,
        key: "lab",
        label: "Lab",
        help: "Which experiment to run.",
        kind: Kind::Choice(LAB_CHOICES),
    },
    Knob {
        view_only: false,
        key: "seed",
        label: "Seed",
        help: "Fixes the data split, the initial weights and the batch order.",
        kind: Kind::Int {
            min: 0,
            max: 4_294_967_295,
        },
    },
    Knob {
        view_only: false,
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
    /// current one (a knob marked view-only, e.g. which image the group-action panel shows).
    pub fn restarts_run(&self, key: &str) -> bool {
        self.knobs()
            .find(|k| k.key == key)
            .is_none_or(|k| !k.view_only)
    }

    /// What the in-page benchmark times, one model at a time: for the group-action lab one
    /// experiment per compared model (the same settings, that model alone); otherwise the
    /// experiment itself under its lab's name (nothing for a lab without training).
    pub fn benchmark_parts(&self) -> Vec<(String, Experiment)> {
        self.lab
            .benchmark_parts()
            .into_iter()
            .map(|(name, lab)| {
                let e = Self {
                    lab,
                    ..self.clone()
                };
                (name, e)
            })
            .collect()
    }

    /// A valid experiment of `lab` drawn knob by knob over each knob's whole range (integers
    /// uniformly, log-scaled floats log-uniformly, choices uniformly, drawings from a small
    /// set), for property tests that every valid link decodes, builds and runs.
    pub fn random(lab: LabId, rng: &mut orbit_math::Rng) -> Self {
        let mut e = Self::for_lab(lab);
        let keys: Vec<Knob> = e.knobs().filter(|k| k.key != "lab").copied().collect();
        for k in keys {
            let v = match k.kind {
                Kind::Int { min, max } => {
                    let span = (max - min + 1) as f64;
                    Value::from((min + (rng.uniform() * span) as i64).min(max))
                }
                Kind::Float { min, max, log } => Value::from(if log {
                    (min.ln() + rng.uniform() * (max.ln() - min.ln()))
                        .exp()
                        .clamp(min, max)
                } else {
                    rng.uniform_in(min, max)
                }),
                Kind::Choice(c) => Value::from(c[rng.below(c.len())].value),
                Kind::Text { .. } => Value::from(RANDOM_DRAWINGS[rng.below(RANDOM_DRAWINGS.len())]),
            };
            if let Ok(next) = e.with_value(k.key, v) {
                e = next;
            }
        }
        e
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
        let mut next = Self::from_map(map)?;
        match next.lab.fit_budget() {
            Some(reason) => Err(reason),
            None => Ok(next),
        }
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
    }

    #[test]
    fn view_only_knobs_do_not_restart_the_run() {
        let groups = Experiment::for_lab(LabId::Groups);
        assert!(!groups.restarts_run("image") && !groups.restarts_run("angle"));
        assert!(groups.restarts_run("fields") && groups.restarts_run("seed"));
        let signs = Experiment::for_lab(LabId::Signs);
        assert!(!signs.restarts_run("flips") && signs.restarts_run("nodes"));
        assert!(Experiment::default().restarts_run("hidden"));
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
