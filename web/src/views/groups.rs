//! The group-action lab's results: the compared models with their sizes and latest numbers,
//! loss / accuracy / equivariance-error curves on shared axes, and the group-action panel.

use leptos::prelude::*;
use orbit_labs::LabSettings;
use orbit_labs::groups::{ActionPanel, Family, GroupsPanels};

use super::{latest, loss_points, percent, report_points};
use crate::components::confusion::ConfusionMatrix;
use crate::components::controls::KnobField;
use crate::components::heatmap::{MapGrid, scale_of};
use crate::components::plot::{LinePlot, Series, YScale};
use crate::session::Session;

/// Colour of each model family in every chart.
pub fn family_colour(f: Family) -> &'static str {
    match f {
        Family::Z2 => "#ea580c",
        Family::P4 => "#4f46e5",
        Family::P4m => "#0d9488",
        Family::P4e4 => "#db2777",
    }
}

/// Floor for errors on a log axis: exact zeros are drawn here.
const ERROR_FLOOR: f64 = 1e-9;

fn families(session: Session) -> Vec<Family> {
    session.experiment.with(|e| match &e.lab {
        LabSettings::Groups(g) => g.compare.families(),
        _ => Vec::new(),
    })
}

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{:.1}%", 100.0 * v))
        .unwrap_or_else(|| "–".into())
}

fn sci(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1e}")).unwrap_or_else(|| "–".into())
}

/// Points of a curve.
type Points = Vec<(f64, f64)>;

/// One chart with a series per compared model.
fn per_model(
    session: Session,
    metric: &'static str,
    scale: fn(Points) -> Points,
) -> Signal<Vec<Series>> {
    Signal::derive(move || {
        families(session)
            .into_iter()
            .map(|f| Series {
                name: f.label().into(),
                color: family_colour(f),
                points: scale(report_points(session, &format!("{}_{metric}", f.key()))),
                markers: true,
                band: Vec::new(),
            })
            .collect()
    })
}

/// Colours of layers 0 (pixels) to 3 in the over-training chart.
const LAYER_COLOURS: [&str; 6] = [
    "#111827", "#4f46e5", "#0d9488", "#ea580c", "#db2777", "#65a30d",
];

/// The intrinsic dimension of each layer's features: a profile across layers per model at the
/// latest report, and the panel model's layers over training.
#[component]
fn LayerDimensions(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let layers = move || {
        session.experiment.with(|e| match &e.lab {
            LabSettings::Groups(g) => g.layers,
            _ => 0,
        })
    };
    let profile = Signal::derive(move || {
        families(session)
            .into_iter()
            .map(|f| {
                let mut points: Vec<(f64, f64)> = latest(session, "input_twonn")
                    .map(|v| (0.0, v))
                    .into_iter()
                    .collect();
                points.extend((1..=layers()).filter_map(|l| {
                    latest(session, &format!("{}_layer{l}_twonn", f.key())).map(|v| (l as f64, v))
                }));
                Series {
                    name: f.label().into(),
                    color: family_colour(f),
                    points,
                    markers: true,
                    band: Vec::new(),
                }
            })
            .collect()
    });
    let panel_model = move || {
        session.experiment.with(|e| match &e.lab {
            LabSettings::Groups(g) => g.model,
            _ => Family::P4,
        })
    };
    let x_layers = Signal::derive(move || layers() as f64);
    let x_steps = Signal::derive(move || session.steps.get() as f64);
    // A chart's series are fixed when it is built: rebuild it when the depth or model changes.
    let over_training = move || {
        let (n, model) = (layers(), panel_model());
        let series = Signal::derive(move || {
            let key = model.key();
            let mut series = vec![Series {
                name: "pixels (R⁶⁴)".into(),
                color: LAYER_COLOURS[0],
                points: report_points(session, "input_twonn"),
                markers: false,
                band: Vec::new(),
            }];
            series.extend((1..=n).map(|l| Series {
                name: format!("layer {l}"),
                color: LAYER_COLOURS[l.min(LAYER_COLOURS.len() - 1)],
                points: report_points(session, &format!("{key}_layer{l}_twonn")),
                markers: true,
                band: Vec::new(),
            }));
            series
        });
        let title = format!(
            "TwoNN dimension of each layer of the {} over training",
            model.label()
        );
        view! {
            <LinePlot title=title x_label="training step" y_label="estimated intrinsic dimension"
                series=series y_scale=YScale::Linear x_max=x_steps testid="layer-training-plot" />
        }
    };
    view! {
        <section class="layer-dims" data-testid="layer-dimensions" data-panel="layer-dimensions">
            <h3>"Intrinsic dimension of the features, layer by layer"</h3>
            <div class="plots">
                <LinePlot title="TwoNN dimension per layer, latest report (layer 0 = pixels)" x_label="layer"
                    y_label="estimated intrinsic dimension" series=profile y_scale=YScale::Linear x_max=x_layers testid="layer-profile-plot" />
                {over_training}
            </div>
            <p class="hint">{format!("Each test digit's activation after a layer (every field, slot and position) is one point; TwoNN on {} test digits estimates the dimension of the cloud they form. The ambient dimension is in the thousands, the estimate stays near ten: the network maps the digits onto a thin manifold. With this few points kNN estimators read low above d ≈ 5 (see the dimension lab), so compare layers and models rather than trusting the absolute value.", orbit_labs::groups::features::FEATURE_IMAGES)}</p>
        </section>
    }
}

/// The table of compared models.
#[component]
fn ModelTable(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    // The models do not change during a run: the memo redraws the table only for a new run.
    let models = Memo::new(move |_| {
        session.view_as(|v: Option<&GroupsPanels>| v.map(|v| v.models.clone()).unwrap_or_default())
    });
    let rows = move || {
        models
            .get()
            .into_iter()
            .map(|(f, params, madds)| {
                let k = f.key();
                let n = f.group().order();
                view! {
                    <tr>
                        <td><span class="swatch" style=format!("background:{}", family_colour(f))></span>{f.label()}</td>
                        <td>{f.group().name()} " (" {n} {if n == 1 { " slot" } else { " slots" }} ")"</td>
                        <td class="num">{params}</td>
                        <td class="num">{format!("{:.2}M", madds as f64 / 1e6)}</td>
                        <td class="num">{move || pct(latest(session, &format!("{k}_test_accuracy")))}</td>
                        <td class="num" data-testid=format!("{k}-rotated")>{move || pct(latest(session, &format!("{k}_rotated_test_accuracy")))}</td>
                        <td class="num">{move || pct(latest(session, &format!("{k}_dihedral_test_accuracy")))}</td>
                        <td class="num" data-testid=format!("{k}-rotation-error")>{move || sci(latest(session, &format!("{k}_rotation_error")))}</td>
                        <td class="num">{move || sci(latest(session, &format!("{k}_mirror_error")))}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <table class="models" data-testid="models-table" data-panel="models-table">
            <thead>
                <tr>
                    <th>"model"</th><th>"group"</th><th>"parameters"</th><th>"mult–adds / image"</th>
                    <th>"test acc., upright"</th><th>"rotated (all 4)"</th><th>"rotated + mirrored (all 8)"</th>
                    <th>"logit error, 90° rotation"</th><th>"logit error, mirror"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <p class="hint">"Test accuracies are on the held-out 20% of the digits, upright and under every rotation (and mirror). The logit error is max|f(g·x) − f(x)| / max(1, max|f(x)|) over 16 test digits: about 1e-7 is float rounding, i.e. exact invariance."</p>
    }
}

/// Draws the panel's images and maps.
fn panel_body(p: ActionPanel) -> impl IntoView {
    let io_scale = scale_of(&[&p.input, &p.moved_input]);
    let map_scale = scale_of(&[&p.fx, &p.f_gx, &p.g_fx]);
    let diff_scale = map_scale;
    let col = if p.slots > 1 { "slot" } else { "" };
    let argmax = |v: &[f32]| {
        v.iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(i, q)| (i, *q))
            .unwrap_or((0, 0.0))
    };
    let (cx, px) = argmax(&p.probabilities[0]);
    let (cg, pg) = argmax(&p.probabilities[1]);
    let fields_note = if p.slots > 1 {
        format!(
            "{} regular fields (rows) × {} slots (columns), of {} in layer {}",
            p.fields, p.slots, p.fields, p.layer
        )
    } else {
        format!(
            "{} channels (trivial fields) of layer {}",
            p.fields, p.layer
        )
    };
    let off_grid =
        p.description.starts_with("rotate") && p.description.contains("off the pixel grid");
    let membership = if off_grid {
        "A rotation off the pixel grid has no exact action on pixels: g·f(x) turns each map by the angle (and permutes slots by the nearest quarter turn), and f(g·x) differs from it. Only multiples of 90° are exact.".to_string()
    } else if p.in_group {
        "g is in the model's group: permuting slots and moving pixels predicts f(g·x) exactly."
            .to_string()
    } else if p.slots > 1 {
        "g is not in the model's group: no slot permutation predicts f(g·x), so g·f(x) only moves pixels.".to_string()
    } else {
        "The Z2-CNN has no slots: g·f(x) only moves each channel's pixels.".to_string()
    };
    let error_class = if p.layer_error < 1e-5 {
        "exact"
    } else {
        "broken"
    };
    view! {
        <div class="panel-row">
            <MapGrid data=p.input.clone() rows=1 cols=1 side=p.side scale=io_scale caption="x (test digit)" name="maps-input" />
            <MapGrid data=p.moved_input.clone() rows=1 cols=1 side=p.side scale=io_scale caption=format!("g·x ({})", p.description) testid="panel-moved" name="maps-moved-input" />
            <div class="panel-facts">
                <p>{format!("{} predicts {cx} ({:.0}%) for x and {cg} ({:.0}%) for g·x.", p.family.label(), 100.0 * px, 100.0 * pg)}</p>
                <p>"logit change: " <b data-testid="panel-logit-error">{format!("{:.1e}", p.logit_error)}</b></p>
                <p class="hint">{membership}</p>
            </div>
        </div>
        <p class="hint">{fields_note}</p>
        <div class="panel-maps">
            <MapGrid data=p.fx.clone() rows=p.fields cols=p.slots side=p.map_side scale=map_scale caption="f(x)" col_label=col name="maps-fx" />
            <MapGrid data=p.f_gx.clone() rows=p.fields cols=p.slots side=p.map_side scale=map_scale caption="f(g·x)" col_label=col name="maps-fgx" />
            <MapGrid data=p.g_fx.clone() rows=p.fields cols=p.slots side=p.map_side scale=map_scale caption="g·f(x): predicted" col_label=col name="maps-gfx" />
            <MapGrid data=p.difference.clone() rows=p.fields cols=p.slots side=p.map_side scale=diff_scale diverging=true
                caption="|f(g·x) − g·f(x)| (white: zero), same scale" col_label=col testid="panel-difference" name="maps-difference" />
        </div>
        <p class=format!("layer-error {error_class}")>
            "layer equivariance error max|f(g·x) − g·f(x)| / max(1, max|f(x)|) = "
            <b data-testid="panel-layer-error">{format!("{:.2e}", p.layer_error)}</b>
        </p>
        <MapGrid data=p.filters.clone() rows=p.fields cols=p.slots side=p.kernel scale=scale_of(&[&p.filters]) diverging=true
            caption="Lifting-layer filters (rows) and their transformed copies g_s ψ (columns): one learned filter, every orientation" col_label=col class="filters" name="maps-filters" />
    }
}

/// The group-action panel with its own controls.
#[component]
fn ActionPanelView(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let knobs = move || {
        session.experiment.with(|e| {
            e.knobs()
                .filter(|k| !e.restarts_run(k.key))
                .map(|knob| view! { <KnobField session=session knob=knob /> })
                .collect_view()
        })
    };
    let body = move || match session
        .view_as(|v: Option<&GroupsPanels>| v.and_then(|v| v.panel.clone()))
    {
        Some(p) => panel_body(p).into_any(),
        None => view! { <p class="hint">"The panel appears once the run is built."</p> }.into_any(),
    };
    view! {
        <section class="action-panel" data-testid="action-panel" data-panel="action-panel">
            <h3>"The group action, live"</h3>
            <p class="hint">"Apply g to a test digit and compare the layer's response f(g·x) with the response moved by g, g·f(x). Equivariance means they are equal."</p>
            <div class="panel-knobs">{knobs}</div>
            {body}
        </section>
    }
}

/// The group-action lab's results column.
#[component]
pub fn GroupsView(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let x_max = Signal::derive(move || session.steps.get() as f64);
    let losses = Signal::derive(move || {
        families(session)
            .into_iter()
            .map(|f| Series {
                name: f.label().into(),
                color: family_colour(f),
                points: loss_points(session, f.label()),
                markers: false,
                band: Vec::new(),
            })
            .collect()
    });
    let upright = per_model(session, "test_accuracy", percent);
    let rotated = per_model(session, "rotated_test_accuracy", percent);
    let errors = per_model(session, "rotation_error", |v| {
        v.into_iter()
            .map(|(x, y)| (x, y.max(ERROR_FLOOR)))
            .collect()
    });
    view! {
        <ModelTable session=session />
        <div class="plots">
            <LinePlot title="Training loss" x_label="training step" y_label="cross-entropy (nats, log scale)"
                series=losses y_scale=YScale::Log x_max=x_max testid="loss-plot" />
            <LinePlot title="Equivariance error under 90° rotation" x_label="training step" y_label="relative logit error (log scale)"
                series=errors y_scale=YScale::Log x_max=x_max testid="error-plot" />
            <LinePlot title="Test accuracy, upright digits" x_label="training step" y_label="accuracy (%)"
                series=upright y_scale=YScale::Fixed(0.0, 100.0) x_max=x_max testid="upright-plot" />
            <LinePlot title="Test accuracy, rotated digits (all four rotations)" x_label="training step" y_label="accuracy (%)"
                series=rotated y_scale=YScale::Fixed(0.0, 100.0) x_max=x_max testid="rotated-plot" />
        </div>
        <LayerDimensions session=session />
        <ActionPanelView session=session />
        <div class="plots">
            <ConfusionMatrix session=session />
        </div>
        <p class="hint">"The confusion matrix is that of the panel's model on upright test digits."</p>
    }
}
