//! Knobs: the typed, bounded settings of an experiment.
//!
//! One table per lab lists its knobs (share-link key, label, help text, type and bounds). The
//! share-link codec reads and clamps values through it, and the page builds its controls from
//! it, so a key, its bounds and its label are written once. Defaults are not repeated here: they
//! come from the settings struct's `Default`.

use serde_json::Value;

/// One option of a [`Kind::Choice`] knob.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The value as written in links and JSON.
    pub value: &'static str,
    /// What the page shows.
    pub label: &'static str,
}

/// The type and bounds of a knob.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// An integer in `min..=max`.
    Int {
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value.
        max: i64,
    },
    /// A finite float in `min..=max`; `log` asks controls for a logarithmic scale.
    Float {
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
        /// Whether the natural scale is logarithmic (learning rates).
        log: bool,
    },
    /// One of a fixed list of options.
    Choice(&'static [Choice]),
    /// Free text of at most `max_len` characters in the given format.
    Text {
        /// Longest allowed text.
        max_len: usize,
        /// What the text holds (and how it is checked).
        format: TextFormat,
    },
}

/// What a [`Kind::Text`] knob holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextFormat {
    /// A hand-drawn graph ([`crate::signs::drawn`]).
    DrawnGraph,
}

impl TextFormat {
    /// `Err` says what is wrong with `text`.
    pub fn check(self, text: &str) -> Result<(), String> {
        match self {
            TextFormat::DrawnGraph => crate::signs::drawn::check(text),
        }
    }
}

/// One setting of an experiment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Knob {
    /// Short share-link key, also the field name in JSON.
    pub key: &'static str,
    /// Label for controls.
    pub label: &'static str,
    /// One sentence on what it does.
    pub help: &'static str,
    /// Type and bounds.
    pub kind: Kind,
    /// Whether the knob only changes what the page shows of the current run (which image a
    /// panel shows, a flip, a view angle): changing it does not restart training.
    pub view_only: bool,
}

/// A value read from a link, possibly changed on the way in.
#[derive(Clone, Debug, PartialEq)]
pub struct Read {
    /// The value to use (always within bounds).
    pub value: Value,
    /// Set when the raw text was changed to fit (e.g. clamped), saying how.
    pub note: Option<String>,
}

impl Knob {
    /// Reads the raw text of a link value. `Err` says why it cannot be used at all (the caller
    /// keeps the default); `Ok` with a note says how it was changed to fit the bounds.
    pub fn read(&self, raw: &str) -> Result<Read, String> {
        let raw = raw.trim();
        match self.kind {
            Kind::Int { min, max } => {
                let parsed = raw
                    .parse::<i64>()
                    .ok()
                    .or_else(|| {
                        raw.parse::<f64>()
                            .ok()
                            .filter(|f| f.is_finite() && f.abs() < 9.0e15)
                            .map(|f| f.round() as i64)
                    })
                    .ok_or_else(|| format!("{}={raw:?} is not a whole number", self.key))?;
                let clamped = parsed.clamp(min, max);
                let note = (clamped != parsed)
                    .then(|| format!("{}={raw} is outside {min}–{max}; using {clamped}", self.key));
                let note = note.or_else(|| {
                    (raw.parse::<i64>().is_err())
                        .then(|| format!("{}={raw} rounded to {clamped}", self.key))
                });
                Ok(Read {
                    value: Value::from(clamped),
                    note,
                })
            }
            Kind::Float { min, max, .. } => {
                let parsed = raw
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .ok_or_else(|| format!("{}={raw:?} is not a finite number", self.key))?;
                let clamped = parsed.clamp(min, max);
                let note = (clamped != parsed)
                    .then(|| format!("{}={raw} is outside {min}–{max}; using {clamped}", self.key));
                Ok(Read {
                    value: Value::from(clamped),
                    note,
                })
            }
            Kind::Text { max_len, format } => {
                if raw.len() > max_len {
                    return Err(format!("{} is longer than {max_len} characters", self.key));
                }
                format
                    .check(raw)
                    .map_err(|reason| format!("{}: {reason}", self.key))?;
                Ok(Read {
                    value: Value::from(raw),
                    note: None,
                })
            }
            Kind::Choice(options) => options
                .iter()
                .find(|c| c.value.eq_ignore_ascii_case(raw))
                .map(|c| Read {
                    value: Value::from(c.value),
                    note: None,
                })
                .ok_or_else(|| {
                    let names: Vec<&str> = options.iter().map(|c| c.value).collect();
                    format!("{}={raw:?} is not one of {}", self.key, names.join(", "))
                }),
        }
    }

    /// Whether a JSON value is of this knob's type and within its bounds.
    pub fn accepts(&self, value: &Value) -> bool {
        match self.kind {
            Kind::Int { min, max } => value.as_i64().is_some_and(|v| (min..=max).contains(&v)),
            Kind::Float { min, max, .. } => value
                .as_f64()
                .is_some_and(|v| v.is_finite() && (min..=max).contains(&v)),
            Kind::Choice(options) => value
                .as_str()
                .is_some_and(|s| options.iter().any(|c| c.value == s)),
            Kind::Text { max_len, format } => value
                .as_str()
                .is_some_and(|s| s.len() <= max_len && format.check(s).is_ok()),
        }
    }

    /// The value as written in a link.
    pub fn format(&self, value: &Value) -> String {
        match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => other.to_string(),
        }
    }
}

/// Adam's learning rate, shared by the training labs.
pub const LEARNING_RATE: Knob = Knob {
    view_only: false,
    key: "lr",
    label: "Learning rate",
    help: "Adam step size; above about 0.1 training may diverge.",
    kind: Kind::Float {
        min: 1e-4,
        max: 10.0,
        log: true,
    },
};

/// Minibatch size, shared by the training labs.
pub const BATCH: Knob = Knob {
    view_only: false,
    key: "batch",
    label: "Batch size",
    help: "Images per training step.",
    kind: Kind::Int { min: 1, max: 512 },
};

/// Steps between evaluations, shared by the training labs.
pub const EVAL: Knob = Knob {
    view_only: false,
    key: "eval",
    label: "Evaluate every",
    help: "Steps between accuracy measurements.",
    kind: Kind::Int { min: 1, max: 1_000 },
};

#[cfg(test)]
mod tests {
    use super::*;

    const LR: Knob = Knob {
        view_only: false,
        key: "lr",
        label: "Learning rate",
        help: "",
        kind: Kind::Float {
            min: 1e-4,
            max: 1.0,
            log: true,
        },
    };
    const WIDTH: Knob = Knob {
        view_only: false,
        key: "hidden",
        label: "Width",
        help: "",
        kind: Kind::Int { min: 4, max: 512 },
    };
    const DATA: Knob = Knob {
        view_only: false,
        key: "data",
        label: "Data",
        help: "",
        kind: Kind::Choice(&[
            Choice {
                value: "all",
                label: "All",
            },
            Choice {
                value: "fifth",
                label: "1/5",
            },
        ]),
    };

    #[test]
    fn in_range_values_pass_unchanged() {
        assert_eq!(
            LR.read("0.01").unwrap(),
            Read {
                value: Value::from(0.01),
                note: None
            }
        );
        assert_eq!(WIDTH.read("64").unwrap().value, Value::from(64));
        assert_eq!(DATA.read("FIFTH").unwrap().value, Value::from("fifth"));
    }

    #[test]
    fn out_of_range_values_are_clamped_with_a_note() {
        let r = LR.read("1e9").unwrap();
        assert_eq!(r.value, Value::from(1.0));
        assert!(r.note.unwrap().contains("outside"));
        let r = WIDTH.read("99999999999999999999").unwrap_err();
        assert!(r.contains("whole number"), "{r}");
        let r = WIDTH.read("-3").unwrap();
        assert_eq!(r.value, Value::from(4));
        let r = WIDTH.read("63.6").unwrap();
        assert_eq!(r.value, Value::from(64));
        assert!(r.note.unwrap().contains("rounded"));
    }

    #[test]
    fn garbage_is_refused_with_a_reason() {
        assert!(LR.read("NaN").is_err());
        assert!(LR.read("inf").is_err());
        assert!(LR.read("").is_err());
        assert!(DATA.read("half").unwrap_err().contains("all, fifth"));
    }

    #[test]
    fn accepts_checks_type_and_bounds() {
        assert!(WIDTH.accepts(&Value::from(4)));
        assert!(!WIDTH.accepts(&Value::from(3)));
        assert!(!WIDTH.accepts(&Value::from(4.5)));
        assert!(LR.accepts(&Value::from(0.5)));
        assert!(!DATA.accepts(&Value::from("half")));
    }
}
