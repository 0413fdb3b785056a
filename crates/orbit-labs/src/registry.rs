//! The registry: every lab Orbit offers, one line each, in menu order.
//!
//! A lab is its module (settings implementing [`Lab`], a run implementing
//! [`crate::lab::LabRun`]), its view in the page, and one line in the [`labs!`] invocation below,
//! which defines [`LabId`], [`LabSettings`] and the `lab` knob's choices from that list.

use std::any::Any;

use burn::tensor::Device;
use orbit_math::dimension::Points;
use serde::{Deserialize, Serialize};

use crate::knob::{Choice, Knob};
use crate::lab::{Lab, LabInfo, LabRun, LabView};

macro_rules! labs {
    ($($(#[$doc:meta])* $variant:ident => $($settings:ident)::+),+ $(,)?) => {
        /// The labs Orbit offers.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum LabId {
            $($(#[$doc])* $variant),+
        }

        /// The settings of one lab, tagged by its id.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "lab", rename_all = "lowercase")]
        pub enum LabSettings {
            $($(#[$doc])* $variant(crate::$($settings)::+)),+
        }

        impl LabId {
            /// Every lab, in menu order.
            pub const ALL: [LabId; [$(stringify!($variant)),+].len()] = [$(LabId::$variant),+];

            /// The lab's words and knobs.
            pub fn info(self) -> &'static LabInfo {
                match self {
                    $(LabId::$variant => &<crate::$($settings)::+ as Lab>::INFO),+
                }
            }
        }

        /// A lab's view as data, tagged by its lab (see [`SentView`]).
        #[derive(Deserialize)]
        enum ViewData {
            $($variant(<crate::$($settings)::+ as Lab>::View)),+
        }

        /// [`ViewData`] by reference, so that serialising a view copies nothing.
        #[derive(Serialize)]
        #[serde(rename = "ViewData")]
        enum ViewDataRef<'a> {
            $($variant(&'a <crate::$($settings)::+ as Lab>::View)),+
        }

        impl Serialize for SentView {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let view: &(dyn Any + Send + Sync) = self.0.as_ref();
                $(if let Some(v) = view.downcast_ref::<<crate::$($settings)::+ as Lab>::View>() {
                    return ViewDataRef::$variant(v).serialize(serializer);
                })+
                Err(serde::ser::Error::custom("a view that belongs to no lab"))
            }
        }

        impl<'de> Deserialize<'de> for SentView {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Ok(SentView(match ViewData::deserialize(deserializer)? {
                    $(ViewData::$variant(v) => std::sync::Arc::new(v)),+
                }))
            }
        }

        /// Choices of the `lab` knob, one per lab, in menu order.
        pub const LAB_CHOICES: &[Choice] = &[
            $(Choice {
                value: <crate::$($settings)::+ as Lab>::INFO.key,
                label: <crate::$($settings)::+ as Lab>::INFO.menu,
            }),+
        ];

        impl LabSettings {
            /// The default settings of a lab.
            pub fn default_for(id: LabId) -> Self {
                match id {
                    $(LabId::$variant => LabSettings::$variant(Default::default())),+
                }
            }

            /// Which lab these settings belong to.
            pub fn id(&self) -> LabId {
                match self {
                    $(LabSettings::$variant(_) => LabId::$variant),+
                }
            }

            /// The lab's own settings struct, for its run's views.
            pub fn as_any(&self) -> &(dyn Any + Send + Sync) {
                match self {
                    $(LabSettings::$variant(s) => s),+
                }
            }

            /// Builds the lab's run.
            pub fn build(
                &self,
                seed: u64,
                device: &Device,
                points: Option<&Points>,
            ) -> Box<dyn LabRun> {
                match self {
                    $(LabSettings::$variant(s) => s.build(seed, device, points)),+
                }
            }

            /// Keeps one step's work within bounds (see [`Lab::fit_budget`]).
            pub fn fit_budget(&mut self) -> Option<String> {
                match self {
                    $(LabSettings::$variant(s) => s.fit_budget()),+
                }
            }

            /// Whether the lab's runs compute on their device (see [`Lab::uses_device`]).
            pub fn uses_device(&self) -> bool {
                match self {
                    $(LabSettings::$variant(s) => s.uses_device()),+
                }
            }

            /// What the in-page benchmark times, one model at a time.
            pub fn benchmark_parts(&self) -> Vec<(String, LabSettings)> {
                match self {
                    $(LabSettings::$variant(s) => s
                        .benchmark_parts()
                        .into_iter()
                        .map(|(name, part)| (name, LabSettings::$variant(part)))
                        .collect()),+
                }
            }
        }
    };
}

labs! {
    /// The digits MLP every other model is compared against.
    Baseline => baseline::BaselineSettings,
    /// p4/p4m G-CNNs against the Z2-CNN, with the group action on screen.
    Groups => groups::GroupsSettings,
    /// Laplacian eigenvectors, sign flips and sign-equivariant networks.
    Signs => signs::SignsSettings,
    /// Intrinsic-dimension estimators and the representation-gap scaling law.
    Dimension => dimension::DimensionSettings,
    /// Approximately equivariant networks trained by constrained optimisation.
    Ace => ace::AceSettings,
    /// ACE on digits, where a 6 is not a 9.
    #[serde(rename = "ace-digits")]
    AceDigits => ace_digits::AceDigitsSettings,
}

/// A lab's view ([`LabView`]) that serialises as data tagged by its lab, and deserialises back
/// into the lab's own view type: how a view made in the page's training worker reaches the page.
#[derive(Clone)]
pub struct SentView(pub LabView);

impl LabId {
    /// The id used in links and on the command line.
    pub fn as_str(self) -> &'static str {
        self.info().key
    }

    /// Human title.
    pub fn title(self) -> &'static str {
        self.info().title
    }

    /// The lab with this id.
    pub fn parse(id: &str) -> Option<LabId> {
        Self::ALL.into_iter().find(|l| l.as_str() == id)
    }
}

impl LabSettings {
    /// The lab's own knobs.
    pub fn knobs(&self) -> &'static [Knob] {
        self.id().info().knobs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Run, RunError, link};
    use burn::tensor::Device;

    /// Every lab's tour has 3–6 steps; each step's link opens that lab without a notice, says
    /// something, and its run builds and takes a step (or stops with a clear reason).
    #[test]
    fn every_tour_step_opens_its_lab_cleanly_and_runs() {
        for id in LabId::ALL {
            let tour = id.info().tour;
            assert!(
                (3..=6).contains(&tour.len()),
                "{id:?}: {} steps",
                tour.len()
            );
            for step in tour {
                let decoded = link::decode(step.link);
                assert!(
                    decoded.notices.is_empty(),
                    "{}: {:?}",
                    step.link,
                    decoded.notices
                );
                assert_eq!(decoded.experiment.lab.id(), id, "{}", step.link);
                assert!(
                    step.say.ends_with(['.', '?']) && step.say.len() > 20,
                    "{}",
                    step.say
                );
                let mut run = Run::new(&decoded.experiment, &Device::flex());
                match pollster::block_on(run.step()) {
                    Ok(outcome) => assert_eq!(outcome.step, 1, "{}", step.link),
                    Err(RunError::Diverged { .. }) => {}
                    Err(e) => panic!("{}: {e}", step.link),
                }
            }
        }
    }

    /// Every lab's view crosses from the page's training worker as data: serialised and read
    /// back, it is the lab's own view type again and serialises to the same text.
    #[test]
    fn every_lab_view_round_trips_as_data() {
        for id in LabId::ALL {
            let experiment = crate::Experiment {
                lab: LabSettings::default_for(id),
                ..Default::default()
            };
            let mut run = Run::new(&experiment, &Device::flex());
            pollster::block_on(run.step()).expect("a step");
            pollster::block_on(run.report()).expect("a report");
            let view = pollster::block_on(run.view(&experiment.lab)).expect("a view");
            let Some(view) = view else {
                assert_eq!(id, LabId::Baseline, "only the baseline lab draws no view");
                continue;
            };
            let text = serde_json::to_string(&SentView(view.clone())).expect("serialises");
            let back: SentView = serde_json::from_str(&text).expect("reads back");
            assert_eq!(
                (*back.0).type_id(),
                (*view).type_id(),
                "{id:?}: the lab's own view type"
            );
            let sent = serde_json::to_value(SentView(view)).unwrap();
            let again = serde_json::to_value(&back).unwrap();
            assert!(same(&sent, &again), "{id:?}: the view changed on the way");
        }
    }

    /// Equal JSON values, numbers to within text's rounding (serde_json reads a float back to
    /// within an ulp, not always exactly).
    fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
        use serde_json::Value;
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
                (x - y).abs() <= 1e-12 * x.abs().max(y.abs()).max(1e-300)
            }
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
            }
            _ => a == b,
        }
    }

    #[test]
    fn every_lab_has_one_id_one_choice_and_serde_agrees() {
        let keys: Vec<&str> = LabId::ALL.iter().map(|l| l.as_str()).collect();
        let choices: Vec<&str> = LAB_CHOICES.iter().map(|c| c.value).collect();
        assert_eq!(keys, choices);
        for id in LabId::ALL {
            assert_eq!(LabId::parse(id.as_str()), Some(id));
            assert_eq!(serde_json::to_value(id).unwrap(), id.as_str());
            assert_eq!(LabSettings::default_for(id).id(), id);
            assert!(!id.info().intro.is_empty() && !id.info().title.is_empty());
        }
    }
}
