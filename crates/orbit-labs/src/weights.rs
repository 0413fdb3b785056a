//! Weights files: a run's trained models saved so that a page (or the CLI) loads them again
//! and continues from them.
//!
//! Layout: the line `ORBIT-WEIGHTS 1`, one line of JSON (`lab`, `link`, `step`, and per
//! model its `name` and byte count), then each model's parameters (Burn's record, burnpack
//! format) one after another. A file continues only the experiment it was trained in: the
//! same lab and every knob equal except the backend, the step budget, how often it reports and
//! what the panels show. Adam's moment estimates and the batch order are not saved: training
//! goes on from the weights with fresh ones.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::experiment::Experiment;
use crate::link;

/// First line of every weights file.
const MAGIC: &str = "ORBIT-WEIGHTS 1";

/// Longest header line read (a link is at most a few kilobytes).
const MAX_HEADER: usize = 64 * 1024;

/// Knobs a file may differ in from the experiment it continues.
const FREE_KNOBS: &[&str] = &["backend", "steps", "eval"];

/// One model's entry in the header.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Entry {
    name: String,
    bytes: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Header {
    lab: String,
    link: String,
    step: usize,
    models: Vec<Entry>,
}

/// The contents of a weights file.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightsFile {
    /// The lab's key (`groups`).
    pub lab: String,
    /// The share link's query of the experiment the weights were trained in.
    pub link: String,
    /// Training steps taken when they were saved.
    pub step: usize,
    /// Each model's name and parameters.
    pub models: Vec<(String, Vec<u8>)>,
}

impl WeightsFile {
    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let header = Header {
            lab: self.lab.clone(),
            link: self.link.clone(),
            step: self.step,
            models: self
                .models
                .iter()
                .map(|(name, b)| Entry {
                    name: name.clone(),
                    bytes: b.len(),
                })
                .collect(),
        };
        let mut out = format!(
            "{MAGIC}\n{}\n",
            serde_json::to_string(&header).unwrap_or_default()
        )
        .into_bytes();
        for (_, b) in &self.models {
            out.extend_from_slice(b);
        }
        out
    }

    /// Reads a file written by [`Self::to_bytes`]; an error says what is wrong with it.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let not_ours = || "this is not an Orbit weights file".to_string();
        let rest = bytes
            .strip_prefix(MAGIC.as_bytes())
            .and_then(|r| r.strip_prefix(b"\n"))
            .ok_or_else(not_ours)?;
        let end = rest
            .iter()
            .take(MAX_HEADER)
            .position(|&b| b == b'\n')
            .ok_or_else(not_ours)?;
        let header: Header = serde_json::from_slice(&rest[..end])
            .map_err(|e| format!("the weights file's header is damaged ({e})"))?;
        let mut payload = &rest[end + 1..];
        let mut models = Vec::with_capacity(header.models.len());
        for entry in &header.models {
            if payload.len() < entry.bytes {
                return Err(format!(
                    "the weights file is cut short inside the model {:?}",
                    entry.name
                ));
            }
            let (head, tail) = payload.split_at(entry.bytes);
            models.push((entry.name.clone(), head.to_vec()));
            payload = tail;
        }
        if !payload.is_empty() {
            return Err("the weights file has bytes after its last model".into());
        }
        Ok(Self {
            lab: header.lab,
            link: header.link,
            step: header.step,
            models,
        })
    }

    /// Whether these weights continue `experiment`; the error says why not and what to do.
    pub fn check_fits(&self, experiment: &Experiment) -> Result<(), String> {
        let here = experiment.lab.id();
        if self.lab != here.as_str() {
            let title = crate::LabId::parse(&self.lab)
                .map(|l| l.title())
                .unwrap_or("another");
            return Err(format!(
                "this weights file belongs to the {title} lab, not to {}: open its link (?{}) and import it there",
                here.title(),
                self.link
            ));
        }
        let theirs = link::decode(&self.link).experiment;
        let (a, b) = (theirs.to_map(), experiment.to_map());
        let differing: Vec<String> = experiment
            .knobs()
            .filter(|k| !k.view_only && !FREE_KNOBS.contains(&k.key))
            .filter(|k| a.get(k.key) != b.get(k.key))
            .map(|k| {
                let show = |v: Option<&Value>| v.map(|v| k.format(v)).unwrap_or_default();
                format!(
                    "{} {} (here {})",
                    k.key,
                    show(a.get(k.key)),
                    show(b.get(k.key))
                )
            })
            .collect();
        if differing.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "these weights were trained with other settings ({}): their shapes or data differ; open the file's link (?{}) and import it there",
                differing.join(", "),
                self.link
            ))
        }
    }
}

/// The parameters saved under `name`; an error when the file has no such model.
pub fn model<'a>(models: &'a [(String, Vec<u8>)], name: &str) -> Result<&'a [u8], String> {
    models
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, b)| b.as_slice())
        .ok_or_else(|| format!("the weights file has no model {name:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::LabId;

    fn file() -> WeightsFile {
        WeightsFile {
            lab: "baseline".into(),
            link: link::encode(&Experiment::for_lab(LabId::Baseline)),
            step: 40,
            models: vec![("MLP".into(), vec![1, 2, 3, 0, 10]), ("b".into(), vec![])],
        }
    }

    #[test]
    fn round_trips_and_refuses_damage() {
        let f = file();
        let bytes = f.to_bytes();
        assert_eq!(WeightsFile::from_bytes(&bytes).unwrap(), f);
        assert!(WeightsFile::from_bytes(b"PK\x03\x04 a zip file").is_err());
        let cut = WeightsFile::from_bytes(&bytes[..bytes.len() - 2]).unwrap_err();
        assert!(cut.contains("cut short"), "{cut}");
        let mut long = bytes.clone();
        long.push(7);
        assert!(WeightsFile::from_bytes(&long).is_err());
    }

    #[test]
    fn another_lab_or_other_settings_are_refused_with_the_reason() {
        let f = file();
        let same = Experiment::for_lab(LabId::Baseline);
        assert_eq!(f.check_fits(&same), Ok(()));
        let mut budget = same.clone();
        budget.backend = crate::BackendPreference::Cpu;
        assert_eq!(f.check_fits(&budget), Ok(()), "the backend is free");
        let other_lab = f
            .check_fits(&Experiment::for_lab(LabId::Groups))
            .unwrap_err();
        assert!(other_lab.contains("belongs to the"), "{other_lab}");
        let wider = same.with_value("hidden", serde_json::json!(128)).unwrap();
        let shape = f.check_fits(&wider).unwrap_err();
        assert!(shape.contains("hidden"), "{shape}");
    }
}
