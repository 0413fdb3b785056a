//! The ACE lab's results: each mode's errors, its γ, λ and u per layer over training, the
//! equivariance error against max|γ|, a held-out set whose input a slider turns, and a panel
//! that says what the constrained problem is, with the live numbers in it.

use leptos::prelude::*;
use orbit_labs::LabSettings;
use orbit_labs::ace::{AcePanels, KNOBS, Mode};

use super::{latest, report_points};
use crate::components::controls::{DegreeSlider, KnobField};
use crate::components::figure_save::SaveFigure;
use crate::components::plot::{LinePlot, Series, YScale};
use crate::session::Session;

/// Where the linear trend of the equivariance error in max|γ| is fitted (the bound holds for
/// small γ).
const SMALL_GAMMA: f64 = 0.5;

/// Layers of the network (one γ each).
const LAYERS: usize = 3;

/// A colour per mode and layer (darker for deeper layers).
fn colour(mode: Mode, layer: usize) -> &'static str {
    const SHADES: [[&str; LAYERS]; 4] = [
        ["#6b7280", "#4b5563", "#1f2937"],
        ["#f472b6", "#db2777", "#9d174d"],
        ["#818cf8", "#4f46e5", "#312e81"],
        ["#2dd4bf", "#0d9488", "#134e4a"],
    ];
    let m = Mode::ALL.iter().position(|&x| x == mode).unwrap_or(0);
    SHADES[m][layer.min(LAYERS - 1)]
}

/// A metric for a table: scientific notation below 0.01, a dash when missing or not finite.
pub(super) fn number(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() && v.abs() < 0.01 && v != 0.0 => format!("{v:.1e}"),
        Some(v) if v.is_finite() => format!("{v:.3}"),
        _ => "–".into(),
    }
}

/// One series per mode and layer of the reported `{mode}_{quantity}_l{layer}`.
fn per_layer(session: Session, modes: &[Mode], quantity: &str) -> Vec<Series> {
    modes
        .iter()
        .flat_map(|&m| {
            (0..LAYERS).map(move |l| Series {
                name: format!("{} · layer {}", m.label(), l + 1),
                color: colour(m, l),
                points: report_points(session, &format!("{}_{quantity}_l{}", m.key(), l + 1)),
                markers: false,
                band: Vec::new(),
            })
        })
        .collect()
}

/// The table of modes.
#[component]
fn ModeTable(session: Session) -> impl IntoView {
    let rows = move || {
        Mode::ALL
            .iter()
            .map(|&m| {
                let k = m.key();
                view! {
                    <tr>
                        <td><span class="swatch" style=format!("background:{}", colour(m, 1))></span>{m.label()}</td>
                        <td class="num" data-testid=format!("ace-eq-{k}")>{move || number(latest(session, &format!("{k}_eq_test_error")))}</td>
                        <td class="num" data-testid=format!("ace-full-{k}")>{move || number(latest(session, &format!("{k}_test_error")))}</td>
                        <td class="num" data-testid=format!("ace-gamma-{k}")>{move || number(latest(session, &format!("{k}_max_gamma")))}</td>
                        <td class="num" data-testid=format!("ace-eqv-{k}")>{move || number(latest(session, &format!("{k}_equivariance_error")))}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <table class="models" data-testid="ace-table" data-panel="ace-table">
            <thead><tr>
                <th>"mode"</th><th>"test error of f_eq (branches dropped)"</th><th>"test error of f_θ,γ"</th>
                <th>"max |γ_l|"</th><th>"equivariance error of f_θ,γ"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <p class="hint">"Test error: Σ|f − y|² / Σ|y|² over 1,000 held-out sets (0 = perfect, 1 = predicting zero). Equivariance error: max|f(g·x) − g·f(x)| / max(1, max|f(x)|) under a random rotation and relabelling of 32 held-out sets."</p>
    }
}

/// The constrained problem in words, with the live numbers.
#[component]
fn Explanation(session: Session) -> impl IntoView {
    let wind = move || {
        session.experiment.with(|e| match &e.lab {
            LabSettings::Ace(s) => (s.wind, s.c, s.rho),
            _ => (0.0, 0.0, 0.0),
        })
    };
    let lambdas = move |k: &str| {
        (1..=LAYERS)
            .map(|l| number(latest(session, &format!("{k}_lambda_l{l}"))))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let text = move || {
        let (beta, c, rho) = wind();
        let symmetric = if beta == 0.0 {
            "The data is exactly rotation symmetric (β = 0): the branches are not needed, and the equality constraint should drive every γ to 0.".to_string()
        } else {
            format!(
                "The wind β = {beta:.2} breaks the symmetry: an exactly equivariant network cannot fit it; the resilient mode buys slack where it pays."
            )
        };
        format!(
            "Equality: minimise the loss subject to γ_l = 0. The Lagrangian adds Σ λ_l γ_l + c·Σ γ_l² (c = {c:.2}); the weights and γ descend it, λ_l ascends by η_d·γ_l (now λ = {}). Resilient: subject to |γ_l| ≤ u_l, paying (ρ/2)·u_l² (ρ = {rho:.2}) for slack; λ_l ≥ 0 grows while |γ_l| > u_l and u_l moves toward λ_l/ρ (now λ = {}, u = {}). {symmetric}",
            lambdas("equality"),
            lambdas("resilient"),
            (1..=LAYERS)
                .map(|l| number(latest(session, &format!("resilient_slack_l{l}"))))
                .collect::<Vec<_>>()
                .join(", "),
        )
    };
    view! {
        <section class="eigen-panel" data-testid="ace-explanation" data-panel="ace-explanation">
            <h3>"The constrained problem"</h3>
            <p class="hint">{text}</p>
        </section>
    }
}

const SIZE: f64 = 230.0;

/// One card per mode: the turned points, the true vectors (grey, dashed) and the mode's.
fn card(p: &AcePanels, index: usize, span: f64, scale: f64) -> impl IntoView + use<> {
    let a = &p.arrows[index];
    let at = |x: f64, y: f64| {
        (
            SIZE / 2.0 + x / span * SIZE * 0.4,
            SIZE / 2.0 - y / span * SIZE * 0.4,
        )
    };
    let lines = |vectors: &[f64], stroke: &'static str, dashed: bool| {
        p.points
            .chunks(2)
            .zip(vectors.chunks(2))
            .map(|(x, v)| {
                let (x1, y1) = at(x[0], x[1]);
                let (x2, y2) = at(x[0] + scale * v[0], x[1] + scale * v[1]);
                view! { <line x1=x1 y1=y1 x2=x2 y2=y2 stroke=stroke stroke-width="2" stroke-dasharray=if dashed { "4 3" } else { "" } /> }
            })
            .collect_view()
    };
    let dots = p
        .points
        .chunks(2)
        .map(|x| {
            let (cx, cy) = at(x[0], x[1]);
            view! { <circle cx=cx cy=cy r="4" fill="#111827" /> }
        })
        .collect_view();
    let k = a.mode.key();
    view! {
        <figure class="graph-figure flip-card" data-testid=format!("ace-card-{k}")>
            <figcaption><b>{a.mode.label()}</b></figcaption>
            <SaveFigure title=format!("{} on the test set", a.mode.label()) name=format!("ace-card-{k}") />
            <svg viewBox=format!("0 0 {SIZE} {SIZE}") width=SIZE height=SIZE role="img" aria-label="A test set of points with the true and the predicted vector at each" class="cloud-svg">
                <line x1=SIZE / 2.0 y1="4" x2=SIZE / 2.0 y2=SIZE - 4.0 stroke="#e5e7eb" />
                <line x1="4" y1=SIZE / 2.0 x2=SIZE - 4.0 y2=SIZE / 2.0 stroke="#e5e7eb" />
                {lines(&p.target, "#9ca3af", true)}
                {lines(&a.vectors, colour(a.mode, 1), false)}
                {dots}
            </svg>
            <p class="flip-errors">
                "error on this set: " <b data-testid=format!("ace-set-error-{k}")>{number(Some(a.error))}</b>
                <br/>"equivariance under this turn: " <b data-testid=format!("ace-set-eqv-{k}")>{format!("{:.1e}", a.equivariance_error)}</b>
            </p>
        </figure>
    }
}

/// The shown set with every mode's arrows and the turn slider.
#[component]
fn Arrows(session: Session) -> impl IntoView {
    let turn = move || {
        session.experiment.with(|e| match &e.lab {
            LabSettings::Ace(s) => s.turn,
            _ => 0.0,
        })
    };
    let cards = move || {
        let p = session.view_as(|v: Option<&AcePanels>| v.cloned())?;
        let span = p
            .points
            .chunks(2)
            .map(|x| x[0].hypot(x[1]))
            .fold(1e-9, f64::max);
        let longest = std::iter::once(&p.target)
            .chain(p.arrows.iter().map(|a| &a.vectors))
            .flat_map(|v| v.chunks(2).map(|a| a[0].hypot(a[1])))
            .filter(|x| x.is_finite())
            .fold(1e-9, f64::max);
        let scale = 0.6 * span / longest;
        let cards: Vec<_> = (0..p.arrows.len())
            .map(|i| card(&p, i, span, scale))
            .collect();
        Some(view! {
            <p class="hint">{format!("A held-out set of {} points, its input turned by {:.0}°. Grey dashed: the true vectors; coloured: each mode's prediction (arrows scaled by {scale:.2}). The strict network's arrows turn with the points (equivariance error ~1e-7); the unconstrained one's do not.", p.points.len() / 2, p.turn)}</p>
            <div class="flip-cards cloud-cards">{cards}</div>
        })
    };
    view! {
        <section class="eigen-panel" data-testid="ace-arrows" data-panel="ace-arrows">
            <h3>"A test set, turned"</h3>
            <div class="cloud-controls">
                <DegreeSlider session=session key="turn" label="Turn the input" value=Signal::derive(turn) />
                {KNOBS.iter().filter(|k| k.key == "set").map(|knob| view! { <KnobField session=session knob=knob /> }).collect_view()}
            </div>
            {cards}
        </section>
    }
}

/// The ACE lab's results column.
#[component]
pub fn AceView(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let x_max = Signal::derive(move || session.steps.get() as f64);
    let constrained = [Mode::Free, Mode::Equality, Mode::Resilient];
    let gammas = Signal::derive(move || per_layer(session, &constrained, "gamma"));
    let lambdas =
        Signal::derive(move || per_layer(session, &[Mode::Equality, Mode::Resilient], "lambda"));
    let slacks = Signal::derive(move || per_layer(session, &[Mode::Resilient], "slack"));
    let errors = Signal::derive(move || {
        Mode::ALL
            .iter()
            .flat_map(|&m| {
                [
                    Series {
                        name: format!("{}: f_θ,γ", m.label()),
                        color: colour(m, 1),
                        points: report_points(session, &format!("{}_test_error", m.key())),
                        markers: true,
                        band: Vec::new(),
                    },
                    Series {
                        name: format!("{}: f_eq", m.label()),
                        color: colour(m, 2),
                        points: report_points(session, &format!("{}_eq_test_error", m.key())),
                        markers: false,
                        band: Vec::new(),
                    },
                ]
            })
            .collect()
    });
    // The equivariance error against max|γ| over training, with the line through the origin
    // fitted to it: the bound says the error is linear in max|γ| for small γ.
    let against_gamma = Signal::derive(move || {
        let mut series = Vec::new();
        let mut fit = (0.0, 0.0);
        for m in [Mode::Free, Mode::Equality, Mode::Resilient] {
            let g = report_points(session, &format!("{}_max_gamma", m.key()));
            let e = report_points(session, &format!("{}_equivariance_error", m.key()));
            let points: Vec<(f64, f64)> = g.iter().zip(&e).map(|(a, b)| (a.1, b.1)).collect();
            // The bound is for small γ: fit the line where max|γ| ≤ SMALL_GAMMA.
            for (x, y) in points.iter().filter(|p| p.0 <= SMALL_GAMMA) {
                fit.0 += x * y;
                fit.1 += x * x;
            }
            series.push(Series {
                name: m.label().into(),
                color: colour(m, 1),
                points,
                markers: true,
                band: Vec::new(),
            });
        }
        let slope = if fit.1 > 0.0 { fit.0 / fit.1 } else { 0.0 };
        let right = series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0))
            .fold(0.0, f64::max);
        series.push(Series {
            name: format!("linear trend through 0, fitted for max|γ| ≤ {SMALL_GAMMA}"),
            color: "#111827",
            points: vec![
                (0.0, 0.0),
                (right.min(SMALL_GAMMA), slope * right.min(SMALL_GAMMA)),
            ],
            markers: false,
            band: Vec::new(),
        });
        series
    });
    // The plot draws its legend once, so the fitted slope is said beside it, live.
    let slope = move || {
        against_gamma
            .get()
            .last()
            .and_then(|s| s.points.get(1).copied())
            .filter(|p| p.0 > 0.0)
            .map(|p| format!("Linear trend for max|γ| ≤ {SMALL_GAMMA}: equivariance error ≈ {:.2} × max|γ|, as the bound predicts for small γ.", p.1 / p.0))
            .unwrap_or_else(|| "The trend appears once γ has moved.".into())
    };
    let gamma_right = Signal::derive(move || {
        against_gamma
            .get()
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0))
            .fold(1e-3, f64::max)
    });
    view! {
        <ModeTable session=session />
        <div class="plots">
            <LinePlot title="γ per layer" x_label="step (full batch)" y_label="γ_l"
                series=gammas y_scale=YScale::Linear x_max=x_max testid="ace-gamma-plot" />
            <LinePlot title="Multipliers λ per layer" x_label="step (full batch)" y_label="λ_l"
                series=lambdas y_scale=YScale::Linear x_max=x_max testid="ace-lambda-plot" />
            <LinePlot title="Resilient slacks u per layer" x_label="step (full batch)" y_label="u_l"
                series=slacks y_scale=YScale::Linear x_max=x_max testid="ace-slack-plot" />
            <LinePlot title="Test error, with and without the branches" x_label="step (full batch)"
                y_label="Σ|f − y|² / Σ|y|² (log)" series=errors y_scale=YScale::Log x_max=x_max testid="ace-error-plot" />
            <LinePlot title="Equivariance error against max|γ| over training" x_label="max_l |γ_l|"
                y_label="equivariance error of f_θ,γ" series=against_gamma y_scale=YScale::Linear x_max=gamma_right testid="ace-bound-plot" />
        </div>
        <p class="hint" data-testid="ace-trend">{slope}</p>
        <Arrows session=session />
        <Explanation session=session />
    }
}
