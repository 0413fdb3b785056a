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
use crate::lab::{Lab, LabInfo, LabRun};

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
