//! The sign-flip lab's O(d) panel: one point cloud, turned by a slider, with each model's
//! predicted vectors drawn as arrows beside the target's; the held-out errors as a table and
//! over training.

use leptos::prelude::*;
use orbit_labs::LabSettings;
use orbit_labs::signs::{CloudModelId, CloudView, KNOBS, SignsPanels};

use super::{latest, report_points};
use crate::components::controls::{DegreeSlider, KnobField};
use crate::components::figure_save::SaveFigure;
use crate::components::plot::{LinePlot, Series, YScale};
use crate::session::Session;

/// Colour of each model.
fn colour(m: CloudModelId) -> &'static str {
    match m {
        CloudModelId::Equivariant => "#4f46e5",
        CloudModelId::Invariant => "#0d9488",
        CloudModelId::Averaged => "#ea580c",
        CloudModelId::Mlp => "#db2777",
    }
}

fn describe(m: CloudModelId) -> &'static str {
    match m {
        CloudModelId::Equivariant => "h(XS) = h(X)S: f(X) = h(XR)Rᵀ is O(d)-equivariant",
        CloudModelId::Invariant => "h(XS) = h(X): cannot follow the frame's arbitrary signs",
        CloudModelId::Averaged => {
            "any h, averaged over all 2ᵈ sign choices: exact, at 2ᵈ× the cost"
        }
        CloudModelId::Mlp => "raw coordinates, trained on aligned clouds only",
    }
}

const SIZE: f64 = 250.0;

/// A normalised error: three decimals, or two significant digits below 0.01.
fn error_text(v: f64) -> String {
    if v < 0.01 {
        format!("{v:.1e}")
    } else {
        format!("{v:.3}")
    }
}

/// One card: the points (projected on the first coordinate plane), the target's arrows in
/// grey and the model's in its colour.
fn card(view: &CloudView, index: usize, span: f64, arrow_scale: f64) -> impl IntoView + use<> {
    let d = view.dim;
    let m = &view.models[index];
    let at = |x: f64, y: f64| {
        (
            SIZE / 2.0 + x / span * SIZE * 0.4,
            SIZE / 2.0 - y / span * SIZE * 0.4,
        )
    };
    let arrows = |vectors: &[f64], stroke: &'static str, dashed: bool, marker: &str| {
        let marker_end = format!("url(#{marker})");
        view.points
            .chunks(d)
            .zip(vectors.chunks(d))
            .map(|(p, v)| {
                let (x1, y1) = at(p[0], p[1]);
                let (x2, y2) = at(p[0] + arrow_scale * v[0], p[1] + arrow_scale * v[1]);
                view! {
                    <line x1=x1 y1=y1 x2=x2 y2=y2 stroke=stroke stroke-width="2"
                        stroke-dasharray=if dashed { "4 3" } else { "" } marker-end=marker_end.clone() />
                }
            })
            .collect_view()
    };
    let points = view
        .points
        .chunks(d)
        .map(|p| {
            let (cx, cy) = at(p[0], p[1]);
            view! { <circle cx=cx cy=cy r="4" fill="#111827" /> }
        })
        .collect_view();
    let head = format!("head-{index}");
    let key = m.model.key();
    view! {
        <figure class="graph-figure flip-card" data-testid=format!("cloud-{key}")>
            <figcaption><b>{m.model.label()}</b></figcaption>
            <SaveFigure title=format!("{} on the point cloud", m.model.label()) name=format!("cloud-{key}") />
            <svg viewBox=format!("0 0 {SIZE} {SIZE}") width=SIZE height=SIZE role="img" aria-label="The point cloud with each model's predicted vectors" class="cloud-svg">
                <defs>
                    <marker id=format!("head-target-{index}") viewBox="0 0 10 10" refX="8" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" fill="#9ca3af" />
                    </marker>
                    <marker id=head.clone() viewBox="0 0 10 10" refX="8" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" fill=colour(m.model) />
                    </marker>
                </defs>
                <line x1=SIZE / 2.0 y1="4" x2=SIZE / 2.0 y2=SIZE - 4.0 stroke="#e5e7eb" />
                <line x1="4" y1=SIZE / 2.0 x2=SIZE - 4.0 y2=SIZE / 2.0 stroke="#e5e7eb" />
                <text class="tick" x=SIZE - 6.0 y=SIZE / 2.0 - 4.0 text-anchor="end">"x₁"</text>
                <text class="tick" x=SIZE / 2.0 + 4.0 y="12">"x₂"</text>
                {arrows(&view.target, "#9ca3af", true, &format!("head-target-{index}"))}
                {arrows(&m.vectors, colour(m.model), false, &head)}
                {points}
            </svg>
            <p class="flip-errors">
                "error on this cloud Σ|f−y|²/Σ|y|²: " <b data-testid=format!("cloud-error-{key}")>{error_text(m.error)}</b>
                <br/>"equivariance |f(XQ) − f(X)Q| / max|f|: " <b data-testid=format!("cloud-eqv-{key}")>{format!("{:.1e}", m.equivariance_error)}</b>
            </p>
        </figure>
    }
}

/// The O(d) panel.
#[component]
pub fn CloudPanel(
    /// The page's state.
    session: Session,
    /// The lab's panels (drawn a task after the view arrives).
    panels: Signal<Option<SignsPanels>>,
) -> impl IntoView {
    let x_max = Signal::derive(move || session.steps.get() as f64);
    let turn = move || {
        session.experiment.with(|e| match &e.lab {
            LabSettings::Signs(s) => s.turn,
            _ => 0.0,
        })
    };
    let errors = Signal::derive(move || {
        CloudModelId::ALL
            .iter()
            .map(|&m| Series {
                name: m.label().into(),
                color: colour(m),
                points: report_points(session, &format!("od_{}_turned", m.key())),
                markers: true,
                band: Vec::new(),
            })
            .collect()
    });
    let rows = move || {
        CloudModelId::ALL
            .iter()
            .map(|&m| {
                let fmt = |v: Option<f64>| v.map(error_text).unwrap_or_else(|| "–".into());
                view! {
                    <tr>
                        <td><span class="swatch" style=format!("background:{}", colour(m))></span>{m.label()}</td>
                        <td>{describe(m)}</td>
                        <td class="num">{fmt(latest(session, &format!("od_{}_aligned", m.key())))}</td>
                        <td class="num" data-testid=format!("od-{}", m.key())>{fmt(latest(session, &format!("od_{}_turned", m.key())))}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let cards = move || {
        let view = panels.get()?.cloud;
        let d = view.dim;
        let span = view
            .points
            .chunks(d)
            .map(|p| p[0].hypot(p[1]))
            .fold(1e-9, f64::max);
        let longest = std::iter::once(&view.target)
            .chain(view.models.iter().map(|m| &m.vectors))
            .flat_map(|v| v.chunks(d).map(|a| a[0].hypot(a[1])))
            .filter(|x| x.is_finite())
            .fold(1e-9, f64::max);
        let arrow_scale = 0.6 * span / longest;
        let cards: Vec<_> = (0..view.models.len())
            .map(|i| card(&view, i, span, arrow_scale))
            .collect();
        let projection = if d == 3 {
            " (R³, drawn projected on the x₁x₂ plane)"
        } else {
            ""
        };
        Some(view! {
            <p class="hint">{format!("One held-out cloud of {} points{projection}. Grey dashed arrows: the target y_i = Σ_j exp(−|x_i − x_j|²)(x_j − x_i); coloured: each model's prediction. Arrows are scaled by {arrow_scale:.2} to be visible.", view.points.len() / d)}</p>
            <div class="flip-cards cloud-cards">{cards}</div>
        })
    };
    view! {
        <section class="eigen-panel" data-testid="cloud-panel" data-panel="cloud-panel">
            <h3>"O(d): point clouds in a PCA frame"</h3>
            <p class="hint">"The PCA frame R of a cloud turns with the cloud, but each axis's sign is arbitrary (drawn at random here). So f(X) = h(XR)Rᵀ is rotation equivariant exactly when h is sign equivariant."</p>
            <table class="models" data-testid="cloud-table" data-panel="cloud-table">
                <thead><tr><th>"model"</th><th>"symmetry"</th><th>"error, aligned clouds"</th><th>"error, turned clouds"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="hint">"Error: Σ|f − y|² / Σ|y|² over 256 held-out clouds (0 = perfect, 1 = predicting zero). Training clouds are aligned with the axes; turned clouds are the same clouds under random orthogonal maps."</p>
            <div class="cloud-controls">
                <DegreeSlider session=session key="turn" label="Turn the shown cloud" value=Signal::derive(turn) />
                {KNOBS.iter().filter(|k| k.key == "dim").map(|knob| view! { <KnobField session=session knob=knob /> }).collect_view()}
            </div>
            {cards}
            <div class="plots">
                <LinePlot title="O(d) error on turned clouds" x_label="epoch (10 minibatches of 32 clouds each)"
                    y_label="Σ|f − y|² / Σ|y|² (log)" series=errors y_scale=YScale::Log x_max=x_max testid="cloud-error-plot" />
            </div>
        </section>
    }
}
