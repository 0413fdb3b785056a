//! The sign-flip lab's results: the models' link-prediction curves and AUCs, the spectrum of
//! the training graph with multiplicities, and the graph coloured by an eigenvector whose sign
//! the viewer can flip.

use leptos::prelude::*;
use orbit_labs::LabSettings;
use orbit_labs::signs::SignsView as View;
use orbit_labs::signs::link::LinkModel;
use orbit_labs::signs::{GraphChoice, SignsPanels};
use serde_json::Value;
use std::fmt::Write as _;

use super::{latest, loss_points, report_points};
use crate::components::controls::{DegreeSlider, KnobField};
use crate::components::figure_save::SaveFigure;
use crate::components::plot::{LinePlot, Series, YScale};
use crate::session::Session;

/// Colour of each model.
fn colour(m: LinkModel) -> &'static str {
    match m {
        LinkModel::SignDss => "#4f46e5",
        LinkModel::SignNet => "#0d9488",
        LinkModel::DecodeOnly => "#ea580c",
        LinkModel::Gcn => "#6b7280",
        LinkModel::Mlp => "#db2777",
    }
}

fn describe(m: LinkModel) -> &'static str {
    match m {
        LinkModel::SignDss => "sign equivariant: f(VS) = f(V)S, link scores invariant",
        LinkModel::SignNet => "sign invariant: φ(v) + φ(−v), structural",
        LinkModel::DecodeOnly => "the eigenvectors themselves, one weight per column",
        LinkModel::Gcn => "GCN on constant features, structural",
        LinkModel::Mlp => "MLP on raw eigenvector rows, no symmetry",
    }
}

fn settings(session: Session) -> (usize, u64, f64) {
    session.experiment.with(|e| match &e.lab {
        LabSettings::Signs(s) => (s.vec, s.flips, s.rot),
        _ => (1, 0, 0.0),
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Blue (negative) – white – red (positive), for `t ∈ [−1, 1]`.
fn diverging(t: f64) -> String {
    let t = if t.is_finite() {
        t.clamp(-1.0, 1.0)
    } else {
        0.0
    };
    let (r, g, b) = if t >= 0.0 {
        (255.0, 255.0 - 200.0 * t, 255.0 - 220.0 * t)
    } else {
        (255.0 + 220.0 * t, 255.0 + 150.0 * t, 255.0)
    };
    format!("rgb({:.0},{:.0},{:.0})", r, g, b)
}

/// The graph at its natural positions where it has them, else in a spectral layout
/// (eigenvectors 1 and 2 of the solver, unflipped and unturned, so the drawing stays put),
/// nodes coloured by `values`.
fn graph_svg(v: &View, values: &[f64], size: f64) -> impl IntoView + use<> {
    let s = &v.spectrum;
    let n = v.graph.n;
    let coord = |c: usize, i: usize| match &v.positions {
        Some(p) => p[i][c - 1],
        None => s.vectors.get(c).map_or(0.0, |vec| vec[i]),
    };
    let range = |c: usize| {
        (0..n).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), i| {
            (lo.min(coord(c, i)), hi.max(coord(c, i)))
        })
    };
    let ((x0, x1), (y0, y1)) = (range(1), range(2));
    let (mx, my) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let half = ((x1 - x0).max(y1 - y0) / 2.0).max(1e-12);
    let at = |i: usize| {
        (
            size / 2.0 + 0.45 * size * (coord(1, i) - mx) / half,
            size / 2.0 - 0.45 * size * (coord(2, i) - my) / half,
        )
    };
    let colour_scale = values.iter().map(|x| x.abs()).fold(1e-12, f64::max);
    let radius = match (size < 300.0, n <= 60) {
        (_, true) => size / 60.0,
        (true, false) => 2.2,
        (false, false) => 3.5,
    };
    // The edges are one path: about 2,200 lines on the default graph, drawn up to four times,
    // as elements of their own made the first report a main-thread task of 340–590 ms here
    // (Chrome trace), most of it building and laying out elements. A report that leaves the
    // graph as it was leaves the path's data equal, so nothing is set again. The nodes, whose
    // colours follow training, stay elements: a report changes their fills in place.
    let mut edges = String::with_capacity(48 * v.graph.edges.len());
    for &(i, j) in &v.graph.edges {
        let ((x1, y1), (x2, y2)) = (at(i), at(j));
        let _ = write!(edges, "M{x1:.2} {y1:.2}L{x2:.2} {y2:.2}");
    }
    let nodes: Vec<_> = (0..n)
        .map(|i| {
            let (cx, cy) = at(i);
            let fill = diverging(values.get(i).copied().unwrap_or(0.0) / colour_scale);
            view! { <circle cx=cx cy=cy r=radius fill=fill stroke="#374151" stroke-width="0.4" /> }
        })
        .collect();
    view! {
        <svg viewBox=format!("0 0 {size} {size}") width=size height=size role="img" aria-label="The graph, its nodes coloured by the shown eigenvector" class="graph-svg" data-testid="graph-svg">
            <path d=edges fill="none" stroke="#d1d5db" stroke-width="0.5" />
            {nodes}
        </svg>
    }
}

/// Bars of the smallest eigenvalues, repeated ones marked.
fn spectrum_svg(v: &View) -> impl IntoView + use<> {
    let s = &v.spectrum;
    let shown = (v.k + 8).min(s.values.len());
    let (w, h, left, bottom) = (420.0, 190.0, 40.0, 40.0);
    let max = s.values[..shown].iter().fold(1e-9f64, |m, x| m.max(*x));
    let bar = (w - left - 10.0) / shown as f64;
    let bars: Vec<_> = (0..shown)
        .map(|i| {
            let hgt = (h - bottom - 10.0) * s.values[i].max(0.0) / max;
            let repeated = s.multiplicity(i) > 1;
            let fill = if i == 0 {
                "#d1d5db"
            } else if i <= v.k {
                if repeated { "#db2777" } else { "#4f46e5" }
            } else {
                "#c7d2fe"
            };
            let x = left + i as f64 * bar;
            view! {
                <rect x=x + 1.0 y=h - bottom - hgt width=(bar - 2.0).max(1.0) height=hgt fill=fill>
                    <title>{format!("λ{i} = {:.4} (multiplicity {})", s.values[i], s.multiplicity(i))}</title>
                </rect>
                <text class="tick" x=x + bar / 2.0 y=h - bottom + 14.0 text-anchor="middle">{i}</text>
            }
        })
        .collect();
    view! {
        <svg viewBox=format!("0 0 {w} {h}") width=w height=h role="img" aria-label="The spectrum: eigenvalues of the normalised Laplacian" data-testid="spectrum-svg">
            <line x1=left y1=h - bottom x2=w - 10.0 y2=h - bottom stroke="#9ca3af" />
            <text class="tick" x=left - 4.0 y=14.0 text-anchor="end">{format!("{max:.2}")}</text>
            <text class="tick" x=left - 4.0 y=h - bottom text-anchor="end">"0"</text>
            {bars}
            <text class="axis-label" x=w / 2.0 y=h - 2.0 text-anchor="middle">"index i of eigenvalue λ_i (ascending)"</text>
        </svg>
    }
}

/// The sign-flip lab's panels as the run last produced them (tracked).
pub(crate) fn signs_panels(session: Session) -> Option<SignsPanels> {
    session.view_as(|v: Option<&SignsPanels>| v.cloned())
}

/// [`signs_panels`], one main-thread task later. The panels below the eigenvector panel (the
/// models under the flip, the point clouds) draw from this, so a new view is drawn in two
/// tasks rather than one: the first report's was one task of 124–155 ms (Chrome trace).
fn panels_a_task_later(session: Session) -> Signal<Option<SignsPanels>> {
    let later = RwSignal::new(None);
    Effect::new(move |_| {
        let panels = signs_panels(session);
        leptos::task::spawn_local(async move {
            crate::browser::yield_now().await;
            let _ = later.try_set(panels);
        });
    });
    later.into()
}

/// The eigenvector panel: spectrum, graph, sign toggles.
#[component]
fn EigenPanel(session: Session) -> impl IntoView {
    // What this panel draws changes with the graph and the chosen flips and turn, not with
    // training: a report redraws it only when these change.
    let drawn = Memo::new(move |_| {
        signs_panels(session).map(|p| (p.shown, p.flip.shown, p.flip.column, p.flip.turn))
    });
    move || {
        let (v, flip_shown, flip_column, flip_turn) = drawn.get()?;
        let graph_knob = move || {
            orbit_labs::signs::KNOBS
                .iter()
                .filter(|k| k.key == "graph")
                .map(|knob| view! { <KnobField session=session knob=knob /> })
                .collect_view()
        };
        if v.k == 0 {
            return Some(view! {
                <section class="eigen-panel" data-testid="eigen-panel" data-panel="eigen-panel">
                    <h3>"The eigenvectors and their signs"</h3>
                    <p class="hint" data-testid="eigen-empty">{format!("{} has {} node(s): draw at least two nodes to see eigenvectors beyond the trivial one.", capitalise(v.choice.describe()), v.graph.n)}</p>
                    {graph_knob()}
                </section>
            }
            .into_any());
        }
        let (shown, flips, rot) = settings(session);
        let shown = shown.clamp(1, v.k);
        let sign = if flips >> (shown - 1) & 1 == 1 {
            -1.0
        } else {
            1.0
        };
        // The panel's vector carries the turn as well; until it arrives, the flip alone.
        let panel = (flip_column + 1 == shown && flip_shown.len() == v.graph.n)
            .then_some((flip_shown, flip_turn));
        let values: Vec<f64> = match &panel {
            Some((shown, _)) => shown.clone(),
            None => v.spectrum.vectors[shown].iter().map(|x| sign * x).collect(),
        };
        let repeated_here = v.spectrum.multiplicity(shown) > 1;
        let turn_note = match panel.and_then(|(_, turn)| turn) {
            Some(t) => format!(
                "Turned v{} and v{} by {:.0}° inside their eigenspace: max|Lv′ − λv′| = {:.1e}, so they are still eigenvectors of λ = {:.4}, and an equally valid basis.",
                t.pair.0, t.pair.1, t.degrees, t.residual, v.spectrum.values[t.pair.0]
            ),
            None if repeated_here => format!(
                "λ{shown} is repeated (×{}): turn v{shown} inside its eigenspace with the slider.",
                v.spectrum.multiplicity(shown)
            ),
            None => format!(
                "λ{shown} is simple: v{shown} is fixed up to its sign, there is nothing to turn."
            ),
        };
        let rot_value = Signal::derive(move || settings(session).2);
        let repeated: Vec<String> = v
            .spectrum
            .clusters
            .iter()
            .filter(|c| c.len() > 1 && c.start <= v.k)
            .map(|c| {
                format!(
                    "λ{}…λ{} ≈ {:.4} (×{})",
                    c.start,
                    c.end - 1,
                    v.spectrum.values[c.start],
                    c.len()
                )
            })
            .collect();
        let toggles: Vec<_> = (1..=v.k)
            .map(|i| {
                let flipped = flips >> (i - 1) & 1 == 1;
                let label = format!("v{i} {}", if flipped { "−" } else { "+" });
                view! {
                    <button type="button" class:flipped=flipped data-testid=format!("flip-{i}")
                        title=format!("Flip the sign of eigenvector {i}")
                        on:click=move |_| { let _ = session.set_knob("flips", Value::from(flips ^ (1 << (i - 1)))); }>
                        {label}
                    </button>
                }
            })
            .collect();
        Some(view! {
            <section class="eigen-panel" data-testid="eigen-panel" data-panel="eigen-panel">
                <h3>"The eigenvectors and their signs"</h3>
                <div class="eigen-row">
                    <figure class="graph-figure">
                        <figcaption>{format!("{}, {} nodes, coloured by eigenvector v{shown} (sign {}{}); {}", capitalise(v.choice.describe()), v.graph.n, if sign < 0.0 { "−" } else { "+" }, if rot != 0.0 && repeated_here { ", turned" } else { "" }, if v.positions.is_some() { "natural layout" } else { "spectral layout" })}</figcaption>
                        <SaveFigure title="The graph coloured by the eigenvector" name="eigen-graph" />
                        {graph_svg(&v, &values, 420.0)}
                        <div class="colour-legend"><span>"−"</span><span class="gradient" style=format!("background:linear-gradient(to right,{},{},{})", diverging(-1.0), diverging(0.0), diverging(1.0))></span><span>"+"</span><span class="legend-note">"entry of the eigenvector at each node (scaled to its largest entry)"</span></div>
                    </figure>
                    <div>
                        <figure class="graph-figure">
                            <figcaption>"Spectrum of the normalised Laplacian: grey λ0 (trivial), indigo the k eigenvectors the models see, pink where an eigenvalue repeats"</figcaption>
                            <SaveFigure title="Spectrum of the normalised Laplacian" name="eigen-spectrum" />
                            {spectrum_svg(&v)}
                        </figure>
                        <p class="hint">{if repeated.is_empty() {
                            "No repeated eigenvalue among those used: each eigenvector is fixed up to its sign.".to_string()
                        } else {
                            format!("Repeated: {}. There the basis itself is arbitrary, not only the signs.", repeated.join("; "))
                        }}</p>
                        <div class="flip-row">{toggles}</div>
                        <div class="cloud-controls">
                            {graph_knob()}
                            <DegreeSlider session=session key="rot" label="Turn inside the eigenspace" value=rot_value />
                        </div>
                        <p class="hint" data-testid="turn-note">{turn_note}</p>
                        <p class="hint">"The solver's sign for each eigenvector is arbitrary: flipping one is as valid a choice. SignDSS's embeddings flip with it and its link scores do not change; SignNet's do not change at all; the MLP's change arbitrarily."</p>
                        {orbit_labs::signs::KNOBS.iter().filter(|k| k.key == "vec").map(|knob| view! { <KnobField session=session knob=knob /> }).collect_view()}
                    </div>
                </div>
            </section>
        }
        .into_any())
    }
}

/// SignDSS, SignNet and the MLP side by side under the chosen flips.
#[component]
fn FlipOutputs(panels: Signal<Option<SignsPanels>>) -> impl IntoView {
    move || {
        let SignsPanels {
            shown: v,
            flip: panel,
            ..
        } = panels.get()?;
        let flipped: Vec<String> = panel
            .signs
            .iter()
            .enumerate()
            .filter(|(_, s)| **s < 0.0)
            .map(|(c, _)| format!("v{}", c + 1))
            .collect();
        let mut what = if flipped.is_empty() {
            "no flip yet: toggle a sign above".to_string()
        } else {
            format!("flipped: {}", flipped.join(", "))
        };
        if let Some(t) = &panel.turn {
            what = format!(
                "{what}; v{} and v{} turned by {:.0}°",
                t.pair.0, t.pair.1, t.degrees
            );
        }
        let turned = panel.turn.is_some();
        let cards: Vec<_> = panel
            .rows
            .iter()
            .map(|r| {
                let key = r.model.label().to_lowercase();
                let verdict = match (r.model, turned) {
                    (LinkModel::SignDss, false) => "column flips exactly with its eigenvector",
                    (LinkModel::SignDss, true) => "flips with signs, but a turn inside an eigenspace is not a symmetry it handles",
                    (LinkModel::SignNet, false) => "does not change",
                    (LinkModel::SignNet, true) => "sign invariant, not basis invariant",
                    _ => "changes arbitrarily",
                };
                view! {
                    <figure class="graph-figure flip-card">
                        <figcaption><b>{r.model.label()}</b>{format!(": output column {} after the flip, {verdict}", panel.column + 1)}</figcaption>
                        <SaveFigure title=format!("{} after the flip", r.model.label()) name=format!("flip-{key}") />
                        {graph_svg(&v, &r.column, 260.0)}
                        <p class="flip-errors">
                            {if turned { "change |f(VM) − f(V)|: " } else { "change |f(VS) − f(V)|: " }} <b data-testid=format!("inv-{key}")>{format!("{:.1e}", r.invariance_error)}</b>
                            <br/>{if turned { "equivariance |f(VM) − f(V)M|: " } else { "equivariance |f(VS) − f(V)S|: " }} <b data-testid=format!("eqv-{key}")>{format!("{:.1e}", r.equivariance_error)}</b>
                        </p>
                    </figure>
                }
            })
            .collect();
        Some(view! {
            <section class="eigen-panel" data-testid="flip-panel" data-panel="flip-panel">
                <h3>{format!("The models under the flip ({what})")}</h3>
                {(v.choice != GraphChoice::Train).then(|| view! { <p class="hint">{format!("On {}: the models were trained on the link task and are applied here as they are (they act on any graph's eigenvectors).", v.choice.describe())}</p> })}
                <div class="flip-cards">{cards}</div>
                <p class="hint">"Errors are the largest entry-wise difference relative to the largest output, over all nodes and columns; about 1e-7 or less is float rounding, i.e. exact. M = T·S is the turn T inside the eigenspace followed by the flips S. Colours: the shown output column at every node, on the same layout as above."</p>
            </section>
        })
    }
}

/// The sign-flip lab's results.
#[component]
pub fn SignsView(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let x_max = Signal::derive(move || session.steps.get() as f64);
    let later = panels_a_task_later(session);
    let losses = Signal::derive(move || {
        LinkModel::ALL
            .iter()
            .map(|&m| Series {
                name: m.label().into(),
                color: colour(m),
                points: loss_points(session, m.label()),
                markers: false,
                band: Vec::new(),
            })
            .collect()
    });
    let aucs = Signal::derive(move || {
        LinkModel::ALL
            .iter()
            .map(|&m| Series {
                name: m.label().into(),
                color: colour(m),
                points: report_points(session, &format!("{}_val_auc", m.label().to_lowercase())),
                markers: true,
                band: Vec::new(),
            })
            .collect()
    });
    let rows = move || {
        LinkModel::ALL
            .iter()
            .map(|&m| {
                let key = m.label().to_lowercase();
                let fmt = |v: Option<f64>| v.map(|v| format!("{v:.3}")).unwrap_or_else(|| "–".into());
                view! {
                    <tr>
                        <td><span class="swatch" style=format!("background:{}", colour(m))></span>{m.label()}</td>
                        <td>{describe(m)}</td>
                        <td class="num">{fmt(latest(session, &format!("{key}_val_auc")))}</td>
                        <td class="num" data-testid=format!("auc-{key}")>{fmt(latest(session, &format!("{key}_test_auc")))}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <table class="models" data-testid="signs-table" data-panel="signs-table">
            <thead><tr><th>"model"</th><th>"symmetry"</th><th>"validation AUC"</th><th>"test AUC at best validation"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <p class="hint">"Link prediction on two copies of a random graph joined by random edges: a structural model cannot tell node i from its twin in the other copy, so it cannot tell a link (i, j) from (i, twin of j). AUC 0.5 is chance."</p>
        <div class="plots">
            <LinePlot title="Training loss" x_label="epoch" y_label="binary cross-entropy (nats)"
                series=losses y_scale=YScale::Linear x_max=x_max testid="signs-loss-plot" />
            <LinePlot title="Validation AUC" x_label="epoch" y_label="AUC (0.5 = chance)"
                series=aucs y_scale=YScale::Fixed(0.3, 1.0) x_max=x_max testid="signs-auc-plot" />
        </div>
        <Show when=move || session.experiment.with(|e| matches!(&e.lab, LabSettings::Signs(s) if s.graph == GraphChoice::Drawn))>
            <section class="eigen-panel" data-panel="your-graph">
                <h3>"Your graph"</h3>
                <crate::components::graph_editor::GraphEditor session=session />
            </section>
        </Show>
        <EigenPanel session=session />
        <crate::components::spectrum_bench::SpectrumBench />
        <FlipOutputs panels=later />
        <super::signs_cloud::CloudPanel session=session panels=later />
    }
}
