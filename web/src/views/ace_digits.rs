//! The ACE digits lab's results: each model's accuracy on upright, turned and upside-down test
//! digits and its 6/9 confusion; per-layer bars of |γ|, λ and the resilient slack u; γ, λ and
//! u over training; each model's confusion-matrix rows for 6 and 9; and what the run shows.

use leptos::prelude::*;
use orbit_labs::ace_digits::{AceDigitsPanels, DigitsMember, LAYERS, MODELS as NAMED};

use super::ace::number;
use super::{latest, percent, report_points};
use crate::components::figure_save::SaveFigure;
use crate::components::plot::{LinePlot, Series, YScale};
use crate::session::Session;

/// A colour per model, in the lab's table order.
const COLOURS: [&str; 4] = ["#6b7280", "#db2777", "#4f46e5", "#0d9488"];

/// The four models: metric key, name, colour.
const MODELS: [(&str, &str, &str); 4] = [
    (NAMED[0].0, NAMED[0].1, COLOURS[0]),
    (NAMED[1].0, NAMED[1].1, COLOURS[1]),
    (NAMED[2].0, NAMED[2].1, COLOURS[2]),
    (NAMED[3].0, NAMED[3].1, COLOURS[3]),
];

/// The ACE models, whose γ, λ (and u) are reported.
const CONSTRAINED: [(&str, &str, &str); 2] = [MODELS[2], MODELS[3]];

fn pct(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite())
        .map(|v| format!("{:.1}%", 100.0 * v))
        .unwrap_or_else(|| "–".into())
}

/// The table of models.
#[component]
fn ModelTable(session: Session) -> impl IntoView {
    let cell = move |k: &'static str, quantity: &'static str| {
        view! {
            <td class="num" data-testid=format!("acd-{k}-{quantity}")>
                {move || pct(latest(session, &format!("{k}_{quantity}")))}
            </td>
        }
    };
    let rows = MODELS
        .iter()
        .map(|&(k, label, colour)| {
            view! {
                <tr>
                    <td><span class="swatch" style=format!("background:{colour}")></span>{label}</td>
                    {cell(k, "upright_accuracy")}
                    {cell(k, "turned_accuracy")}
                    {cell(k, "upside_down_accuracy")}
                    {cell(k, "eq_upright_accuracy")}
                    {cell(k, "six_as_nine")}
                    {cell(k, "nine_as_six")}
                    <td class="num" data-testid=format!("acd-{k}-max-gamma")>{move || number(latest(session, &format!("{k}_max_gamma")))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="models" data-testid="acd-table" data-panel="acd-table">
            <thead><tr>
                <th>"model"</th><th>"upright test accuracy"</th><th>"turned (small angles)"</th>
                <th>"upside down (180°)"</th><th>"upright, branches dropped (f_eq)"</th>
                <th>"6s read as 9"</th><th>"9s read as 6"</th><th>"max |γ_l|"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <p class="hint">"Accuracies on the 359 held-out digits: upright, each turned by its own small angle (up to the tilt), and turned by 180°. The 6/9 columns are shares of the upright test 6s (9s) classified as 9 (6). The Z2-CNN and strict P4 have no branches, so they have no γ and no f_eq column."</p>
    }
}

const BAR_W: f64 = 560.0;
const BAR_H: f64 = 220.0;
const LEFT: f64 = 48.0;
const BOTTOM: f64 = 36.0;

/// Per layer, bars of |γ_l| and λ_l for both ACE modes and u_l for the resilient one.
#[component]
fn SlackBars(session: Session) -> impl IntoView {
    let bars = move || {
        let mut groups = Vec::new();
        for l in 1..=LAYERS {
            let mut group = Vec::new();
            for &(k, _, colour) in &CONSTRAINED {
                let g = latest(session, &format!("{k}_gamma_l{l}")).map(f64::abs);
                group.push((format!("|γ{l}| {k}"), g, colour, 1.0));
                if k == "resilient" {
                    let u = latest(session, &format!("{k}_slack_l{l}"));
                    group.push((format!("u{l} {k}"), u, "#f59e0b", 0.9));
                }
            }
            groups.push(group);
        }
        groups
    };
    let svg = move || {
        let groups = bars();
        let top = groups
            .iter()
            .flatten()
            .filter_map(|b| b.1)
            .filter(|v| v.is_finite())
            .fold(1e-3f64, f64::max);
        let plot_w = BAR_W - LEFT - 8.0;
        let plot_h = BAR_H - BOTTOM - 8.0;
        let group_w = plot_w / LAYERS as f64;
        let y = |v: f64| 8.0 + plot_h * (1.0 - (v / top).clamp(0.0, 1.0));
        let mut shapes = Vec::new();
        for (l, group) in groups.iter().enumerate() {
            let bar_w = (group_w - 24.0) / group.len() as f64;
            for (i, (name, value, colour, opacity)) in group.iter().enumerate() {
                let Some(v) = value.filter(|v| v.is_finite()) else {
                    continue;
                };
                let x = LEFT + l as f64 * group_w + 12.0 + i as f64 * bar_w;
                shapes.push(
                    view! {
                        <rect x=x y=y(v) width=bar_w - 4.0 height=(8.0 + plot_h - y(v)).max(0.0)
                            fill=*colour fill-opacity=*opacity data-bar=name.clone()>
                            <title>{format!("{name}: {v:.3}")}</title>
                        </rect>
                    }
                    .into_any(),
                );
            }
            shapes.push(view! {
                <text x=LEFT + (l as f64 + 0.5) * group_w y=BAR_H - 18.0 text-anchor="middle" font-size="12">
                    {format!("layer {}", l + 1)}
                </text>
            }.into_any());
        }
        view! {
            <svg viewBox=format!("0 0 {BAR_W} {BAR_H}") role="img" data-testid="acd-slack-bars"
                aria-label="Per layer: |γ| of the equality and resilient ACE networks and the resilient slack u">
                <line x1=LEFT y1="8" x2=LEFT y2=8.0 + plot_h stroke="currentColor" />
                <line x1=LEFT y1=8.0 + plot_h x2=BAR_W - 8.0 y2=8.0 + plot_h stroke="currentColor" />
                <text x="4" y="14" font-size="11">{format!("{top:.2}")}</text>
                <text x="4" y=8.0 + plot_h font-size="11">"0"</text>
                <text x=LEFT y=BAR_H - 2.0 font-size="11">"layer (1 = lifting layer); bar height: |γ_l| or u_l (no unit)"</text>
                {shapes}
            </svg>
        }
    };
    let legend = CONSTRAINED
        .iter()
        .map(|&(_, label, colour)| view! { <span><span class="swatch" style=format!("background:{colour}")></span>{format!("|γ_l|, {label}")}</span> })
        .collect_view();
    view! {
        <figure class="plot" data-panel="acd-slack">
            <figcaption><span>"Where the symmetry is kept: |γ_l| per layer and the resilient slack u_l (last report)"</span>
                <SaveFigure title="ACE on digits: |γ| and slack per layer" name="acd-slack-bars" /></figcaption>
            {svg}
            <p class="legend">{legend}<span><span class="swatch" style="background:#f59e0b"></span>"slack u_l, ACE resilient"</span></p>
        </figure>
    }
}

/// One model's rows of 6 and 9.
fn confusion_rows(member: &DigitsMember) -> impl IntoView + use<> {
    let row = |digit: u8, counts: [usize; 10]| {
        let total = counts.iter().sum::<usize>().max(1);
        let cells = counts
            .iter()
            .enumerate()
            .map(|(p, &n)| {
                let share = n as f64 / total as f64;
                let swap = (digit == 6 && p == 9) || (digit == 9 && p == 6);
                let class = if p == usize::from(digit) {
                    "num right"
                } else if swap && n > 0 {
                    "num swap"
                } else {
                    "num"
                };
                view! { <td class=class style=format!("--share:{share:.3}")>{n}</td> }
            })
            .collect_view();
        view! { <tr><th scope="row">{format!("true {digit}")}</th>{cells}</tr> }
    };
    let k = member.key.clone();
    view! {
        <figure class="plot matrix" data-testid=format!("acd-rows-{k}")>
            <figcaption><b>{member.label.clone()}</b></figcaption>
            <table class="confusion-rows">
                <thead><tr><th>"predicted →"</th>{(0..10).map(|d| view! { <th>{d}</th> }).collect_view()}</tr></thead>
                <tbody>{row(6, member.six)}{row(9, member.nine)}</tbody>
            </table>
        </figure>
    }
}

/// The confusion-matrix rows of 6 and 9, per model.
#[component]
fn SixNine(session: Session) -> impl IntoView {
    let cards = move || {
        session.view_as(|v: Option<&AceDigitsPanels>| {
            v.map(|p| {
                let cards = p.members.iter().map(confusion_rows).collect_view();
                view! {
                    <p class="hint">{format!("Rows 6 and 9 of each model's confusion matrix on the upright test digits (step {}): counts of test digits by predicted class; the correct cell is marked, a 6 read as 9 (or back) in red.", p.step)}</p>
                    <div class="flip-cards">{cards}</div>
                }
            })
        })
    };
    view! {
        <section class="eigen-panel" data-testid="acd-six-nine" data-panel="acd-six-nine">
            <h3>"6 or 9?"</h3>
            {cards}
        </section>
    }
}

/// `(6→9 + 9→6) / 2` of model `k` at every report.
fn six_nine(session: Session, k: &str) -> Vec<(f64, f64)> {
    let six = report_points(session, &format!("{k}_six_as_nine"));
    let nine = report_points(session, &format!("{k}_nine_as_six"));
    six.iter()
        .zip(&nine)
        .map(|(a, b)| (a.0, (a.1 + b.1) / 2.0))
        .collect()
}

/// The mean of `points` over the second half of the run so far.
fn late_mean(points: &[(f64, f64)]) -> Option<f64> {
    let last = points.last()?.0;
    let late: Vec<f64> = points
        .iter()
        .filter(|p| 2.0 * p.0 > last)
        .map(|p| p.1)
        .collect();
    Some(late.iter().sum::<f64>() / late.len().max(1) as f64)
}

/// What the run shows, in words, with its live numbers.
#[component]
fn Finding(session: Session) -> impl IntoView {
    let text = move || {
        let confusion: Vec<Option<f64>> = MODELS
            .iter()
            .map(|m| late_mean(&six_nine(session, m.0)))
            .collect();
        let [Some(z2), Some(strict), Some(equality), Some(resilient)] = confusion[..] else {
            return "Press Play: the numbers appear at the first report.".to_string();
        };
        let layer_of_most_slack = (1..=LAYERS)
            .filter_map(|l| latest(session, &format!("resilient_gamma_l{l}")).map(|g| (l, g.abs())))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(l, g)| format!("layer {l} (|γ| = {g:.2})"))
            .unwrap_or_else(|| "–".into());
        let invariant = match (
            latest(session, "strict_upright_accuracy"),
            latest(session, "strict_upside_down_accuracy"),
        ) {
            (Some(a), Some(b)) if a == b => {
                "Strict P4 reads upside-down digits exactly as well as upright ones: it cannot see the difference."
            }
            _ => "",
        };
        format!(
            "6/9 confusion ((6s read as 9 + 9s read as 6) / 2 on upright test digits), averaged over the second half of the run: strict P4 {:.0}%, ACE equality {:.0}%, ACE resilient {:.0}%, Z2-CNN {:.0}%. {invariant} An exactly rotation-invariant network gives a 6 and the same 6 turned by 180° one answer, and a 9 looks much like that, so its boundary between 6 and 9 rests on details of handwriting and keeps flipping as it trains; the branches let the ACE networks break the symmetry where the data does. The resilient network keeps most of its branch in {layer_of_most_slack}.",
            100.0 * strict,
            100.0 * equality,
            100.0 * resilient,
            100.0 * z2
        )
    };
    view! {
        <section class="eigen-panel" data-testid="acd-finding" data-panel="acd-finding">
            <h3>"What this run shows"</h3>
            <p class="hint">{text}</p>
        </section>
    }
}

fn per_layer(session: Session, quantity: &str) -> Vec<Series> {
    let shades = [
        "#a5b4fc", "#4f46e5", "#312e81", "#5eead4", "#0d9488", "#134e4a",
    ];
    CONSTRAINED
        .iter()
        .enumerate()
        .filter(|(_, m)| quantity != "slack" || m.0 == "resilient")
        .flat_map(|(i, &(k, label, _))| {
            (1..=LAYERS).map(move |l| Series {
                name: format!("{label} · layer {l}"),
                color: shades[i * LAYERS + l - 1],
                points: report_points(session, &format!("{k}_{quantity}_l{l}")),
                markers: true,
                band: Vec::new(),
            })
        })
        .collect()
}

/// The ACE digits lab's results column.
#[component]
pub fn AceDigitsView(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let x_max = Signal::derive(move || session.steps.get() as f64);
    let accuracy = Signal::derive(move || {
        MODELS
            .iter()
            .map(|&(k, label, colour)| Series {
                name: label.into(),
                color: colour,
                points: percent(report_points(session, &format!("{k}_upright_accuracy"))),
                markers: true,
                band: Vec::new(),
            })
            .collect()
    });
    let confusion = Signal::derive(move || {
        MODELS
            .iter()
            .map(|&(k, label, colour)| Series {
                name: label.into(),
                color: colour,
                points: percent(six_nine(session, k)),
                markers: true,
                band: Vec::new(),
            })
            .collect()
    });
    let gammas = Signal::derive(move || per_layer(session, "gamma"));
    let lambdas = Signal::derive(move || per_layer(session, "lambda"));
    let slacks = Signal::derive(move || per_layer(session, "slack"));
    view! {
        <ModelTable session=session />
        <SlackBars session=session />
        <SixNine session=session />
        <Finding session=session />
        <div class="plots">
            <LinePlot title="Upright test accuracy" x_label="step (minibatch)" y_label="accuracy (%)"
                series=accuracy y_scale=YScale::Linear x_max=x_max testid="acd-accuracy-plot" />
            <LinePlot title="6/9 confusion over training" x_label="step (minibatch)"
                y_label="(6→9 + 9→6) / 2 (%)" series=confusion y_scale=YScale::Linear x_max=x_max testid="acd-six-nine-plot" />
            <LinePlot title="γ per layer" x_label="step (minibatch)" y_label="γ_l"
                series=gammas y_scale=YScale::Linear x_max=x_max testid="acd-gamma-plot" />
            <LinePlot title="Multipliers λ per layer" x_label="step (minibatch)" y_label="λ_l"
                series=lambdas y_scale=YScale::Linear x_max=x_max testid="acd-lambda-plot" />
            <LinePlot title="Resilient slacks u per layer" x_label="step (minibatch)" y_label="u_l"
                series=slacks y_scale=YScale::Linear x_max=x_max testid="acd-slack-plot" />
        </div>
    }
}
