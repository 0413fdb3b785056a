//! The `orbit` binary as a user runs it: a lab by id, its reports as JSON lines.

use std::process::Command;

/// The JSON lines `orbit run <args>` prints, checked to exit 0.
fn run(args: &[&str]) -> Vec<serde_json::Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_orbit"))
        .arg("run")
        .args(args)
        .output()
        .expect("the orbit binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

/// The first printed report (a line with a step).
fn first_report(lines: &[serde_json::Value]) -> &serde_json::Value {
    lines
        .iter()
        .find(|l| l.get("step").is_some())
        .expect("a report")
}

#[test]
fn the_ace_labs_print_every_mode_and_layer() {
    let ace = run(&["?lab=ace&train=16&steps=2&eval=2"]);
    let report = first_report(&ace);
    for key in [
        "strict_test_error",
        "equality_eq_test_error",
        "equality_gamma_l1",
        "equality_lambda_l3",
        "resilient_slack_l2",
    ] {
        assert!(report[key].is_number(), "{key} in {report}");
    }
    let digits = run(&["?lab=ace-digits&fields=2&batch=8&steps=2&eval=2"]);
    let report = first_report(&digits);
    for key in [
        "z2_upright_accuracy",
        "strict_upside_down_accuracy",
        "equality_six_as_nine",
        "resilient_nine_as_six",
        "resilient_gamma_l1",
        "equality_lambda_l2",
        "resilient_slack_l3",
    ] {
        assert!(report[key].is_number(), "{key} in {report}");
    }
}
