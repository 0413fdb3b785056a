//! A run's reports as files a user takes away: CSV (one row per report, one named column per
//! metric) and JSON, each headed by the share link and the seed that reproduce the run.

use serde_json::{Value, json};

use crate::experiment::Experiment;
use crate::metrics::Metrics;

/// The metric names of `reports` in order of first appearance (each report's own names are
/// sorted).
fn columns(reports: &[Metrics]) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for r in reports {
        for name in r.values.keys() {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
    }
    names
}

/// A CSV value: finite numbers as written by Rust (shortest round-trip form), anything else
/// empty, so that a missing or non-finite value is never read as data.
fn cell(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => v.to_string(),
        _ => String::new(),
    }
}

/// The reports as CSV: `#` lines with the lab, link and seed, a header row (`step`, then every
/// metric), and one row per report.
pub fn metrics_csv(experiment: &Experiment, link: &str, reports: &[Metrics]) -> String {
    let names = columns(reports);
    let mut out = format!(
        "# Orbit: {}\n# link: {link}\n# seed: {}\n",
        experiment.lab.id().title(),
        experiment.seed
    );
    out.push_str("step");
    for n in &names {
        out.push(',');
        out.push_str(n);
    }
    out.push('\n');
    for r in reports {
        out.push_str(&r.step.to_string());
        for n in &names {
            out.push(',');
            out.push_str(&cell(r.get(n)));
        }
        out.push('\n');
    }
    out
}

/// The reports as one JSON document: `lab`, `link`, `seed`, `experiment` (every knob) and
/// `reports` (one object per report; a non-finite value is `null`).
pub fn metrics_json(experiment: &Experiment, link: &str, reports: &[Metrics]) -> String {
    let rows: Vec<Value> = reports
        .iter()
        .map(|r| {
            let mut row = serde_json::Map::new();
            row.insert("step".into(), json!(r.step));
            for (k, v) in &r.values {
                row.insert(k.clone(), json!(v.is_finite().then_some(*v)));
            }
            Value::Object(row)
        })
        .collect();
    let doc = json!({
        "lab": experiment.lab.id().as_str(),
        "link": link,
        "seed": experiment.seed,
        "experiment": Value::Object(experiment.to_map()),
        "reports": rows,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The file name for an export of `experiment`: `orbit-<lab>-seed<seed>-<what>.<ext>`.
pub fn file_name(experiment: &Experiment, what: &str, ext: &str) -> String {
    format!(
        "orbit-{}-seed{}-{what}.{ext}",
        experiment.lab.id().as_str(),
        experiment.seed
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::LabId;

    fn reports() -> Vec<Metrics> {
        vec![
            Metrics::new(0).with("loss", 2.3),
            Metrics::new(10)
                .with("loss", 0.5)
                .with("test_accuracy", 0.75),
            Metrics::new(20).with("loss", f64::NAN),
        ]
    }

    #[test]
    fn csv_has_the_link_and_seed_a_named_header_and_one_row_per_report() {
        let e = Experiment::for_lab(LabId::Groups);
        let csv = metrics_csv(&e, "http://x/?lab=groups", &reports());
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], format!("# Orbit: {}", LabId::Groups.title()));
        assert_eq!(lines[1], "# link: http://x/?lab=groups");
        assert_eq!(lines[2], "# seed: 1");
        assert_eq!(lines[3], "step,loss,test_accuracy");
        assert_eq!(&lines[4..], ["0,2.3,", "10,0.5,0.75", "20,,"]);
    }

    #[test]
    fn json_parses_back_with_nulls_for_non_finite_values() {
        let e = Experiment::for_lab(LabId::Ace);
        let doc: Value = serde_json::from_str(&metrics_json(&e, "L", &reports())).unwrap();
        assert_eq!(doc["lab"], "ace");
        assert_eq!(doc["seed"], 1);
        assert_eq!(doc["experiment"]["wind"], e.to_map()["wind"]);
        let rows = doc["reports"].as_array().unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1]["test_accuracy"], 0.75);
        assert!(rows[2]["loss"].is_null());
    }

    #[test]
    fn file_names_carry_the_lab_and_seed() {
        let mut e = Experiment::for_lab(LabId::Signs);
        e.seed = 7;
        assert_eq!(
            file_name(&e, "metrics", "csv"),
            "orbit-signs-seed7-metrics.csv"
        );
    }
}
