//! Metrics: what a run reports, as named numbers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One report of a run: the step it was taken at and the lab's metrics under self-explaining
/// names (`loss`, `train_accuracy`, `test_accuracy`, …). Serialises to one flat JSON object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Training steps taken when the report was made.
    pub step: usize,
    /// The values, by name.
    #[serde(flatten)]
    pub values: BTreeMap<String, f64>,
}

impl Metrics {
    /// An empty report at `step`.
    pub fn new(step: usize) -> Self {
        Self {
            step,
            values: BTreeMap::new(),
        }
    }

    /// Adds a value (builder style).
    pub fn with(mut self, name: &str, value: f64) -> Self {
        self.values.insert(name.to_string(), value);
        self
    }

    /// A value by name.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.values.get(name).copied()
    }

    /// The report as one line of JSON.
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| format!("{{\"step\":{}}}", self.step))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_flat_with_step_first() {
        let m = Metrics::new(25)
            .with("test_accuracy", 0.5)
            .with("loss", 1.25);
        assert_eq!(
            m.to_json_line(),
            r#"{"step":25,"loss":1.25,"test_accuracy":0.5}"#
        );
        assert_eq!(m.get("loss"), Some(1.25));
    }
}
