//! `orbit`: runs Orbit's experiments natively, from the same share links as the page.
//!
//! ```text
//! orbit labs                                   each lab's id, title and default link
//! orbit run '<link or query>' [--steps N] [--backend flex|ndarray|cpu]
//! orbit run --lab <id> [--steps N] [--backend …]
//! orbit run --lab dimension --points FILE.csv
//! ```
//! `--points` measures the intrinsic dimension of exactly the points of a CSV file (one point
//! per row). For labs without a step budget, `--steps` stops the run after that many steps.
//! `run` prints one JSON object per report (`{"step":25,"loss":…,"test_accuracy":…}`), then a
//! final `{"done":…}` line; notices about a repaired link go to stderr.

use std::process::ExitCode;

use orbit_labs::{BackendKind, Experiment, LabId, Run, link};
use orbit_math::dimension::{CSV_LIMITS, Points, parse_points};
use serde_json::{Value, json};

/// mimalloc instead of the system allocator. A training step frees and allocates the same
/// megabyte-sized tensors again and again; glibc's malloc hands such blocks back to the kernel
/// and takes fresh zeroed pages at the next step: with mimalloc, which keeps them for reuse, the
/// P4M step is 11–21% and the P4-E4 step 27–29% shorter, and the sign-flip lab's minibatch nearly
/// twice as fast (BENCHMARKS.md, "The native allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage:
  orbit labs
  orbit run '<link or query>' [--steps N] [--backend flex|ndarray|cpu]
  orbit run --lab <id> [--steps N] [--backend flex|ndarray|cpu]
  orbit run --lab dimension --points FILE.csv";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("labs") => {
            labs();
            Ok(())
        }
        Some("run") => run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown command\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("orbit: {e}");
            ExitCode::FAILURE
        }
    }
}

fn labs() {
    for id in LabId::ALL {
        let query = link::encode(&Experiment::for_lab(id));
        println!("{}\t{}\t?{query}", id.as_str(), id.title());
    }
}

/// Parsed `run` arguments.
struct RunArgs {
    experiment: Experiment,
    steps: Option<usize>,
    backend: Option<BackendKind>,
    points: Option<Points>,
}

/// Reads the user's points, naming the line of a malformed row.
fn read_points(path: &str) -> Result<Points, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    parse_points(&text, CSV_LIMITS).map_err(|e| format!("{path}: {e}"))
}

fn parse_run(args: &[String]) -> Result<RunArgs, String> {
    let mut link_text = None;
    let mut lab = None;
    let mut steps = None;
    let mut backend = None;
    let mut points = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--lab" => {
                let v = value("--lab")?;
                lab = Some(LabId::parse(&v).ok_or(format!("no lab {v:?}; see `orbit labs`"))?);
            }
            "--steps" => {
                let v = value("--steps")?;
                steps = Some(
                    v.parse::<usize>()
                        .map_err(|_| format!("--steps {v:?} is not a count"))?,
                );
            }
            "--backend" => {
                backend = Some(match value("--backend")?.as_str() {
                    "flex" => BackendKind::Flex,
                    "ndarray" => BackendKind::Ndarray,
                    "cpu" => orbit_labs::backend::DEFAULT_CPU,
                    other => {
                        return Err(format!(
                            "backend {other:?}: natively orbit offers flex, ndarray, cpu"
                        ));
                    }
                });
            }
            "--points" => points = Some(read_points(&value("--points")?)?),
            other if other.starts_with("--") => {
                return Err(format!("unknown option {other}\n{USAGE}"));
            }
            other => link_text = Some(other.to_string()),
        }
    }
    let experiment = match (link_text, lab) {
        (Some(_), Some(_)) => return Err("give a link or --lab, not both".into()),
        (Some(text), None) => {
            let decoded = link::decode(&text);
            for n in &decoded.notices {
                eprintln!("orbit: link notice: {n}");
            }
            decoded.experiment
        }
        (None, Some(id)) => Experiment::for_lab(id),
        (None, None) if points.is_some() => Experiment::for_lab(LabId::Dimension),
        (None, None) => return Err(format!("run needs a link or --lab\n{USAGE}")),
    };
    let experiment = if points.is_some() {
        experiment
            .with_value("cloud", Value::from("custom"))
            .map_err(|_| "--points works with the dimension lab (--lab dimension)".to_string())?
    } else {
        experiment
    };
    Ok(RunArgs {
        experiment,
        steps,
        backend,
        points,
    })
}

fn run(args: &[String]) -> Result<(), String> {
    let RunArgs {
        mut experiment,
        steps,
        backend,
        points,
    } = parse_run(args)?;
    let has_budget = experiment.knobs().any(|k| k.key == "steps");
    if let (Some(n), true) = (steps, has_budget) {
        experiment = experiment
            .with_value("steps", Value::from(n))
            .map_err(|e| format!("--steps: {e}"))?;
    }
    let cap = steps.filter(|_| !has_budget).unwrap_or(usize::MAX);
    let kind = backend.unwrap_or_else(|| experiment.backend.cpu_kind());
    let device = kind.cpu_device().ok_or("WebGPU runs only in the page")?;
    let mut run = Run::with_points(&experiment, &device, points.as_ref());
    if let Some(problem) = run.problem() {
        return Err(problem);
    }
    let start = std::time::Instant::now();
    println!(
        "{}",
        pollster::block_on(run.report())
            .map_err(|e| e.to_string())?
            .to_json_line()
    );
    loop {
        let outcome = pollster::block_on(run.step()).map_err(|e| e.to_string())?;
        if let Some(report) = &outcome.report {
            println!("{}", report.to_json_line());
        }
        if outcome.finished || outcome.step >= cap {
            if !outcome.finished && outcome.report.is_none() {
                let report = pollster::block_on(run.report()).map_err(|e| e.to_string())?;
                println!("{}", report.to_json_line());
            }
            break;
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let done = json!({
        "done": true,
        "steps": run.steps(),
        "backend": kind,
        "seconds": seconds,
        "link": format!("?{}", link::encode(&experiment)),
    });
    println!("{done}");
    Ok(())
}
