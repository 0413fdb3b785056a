//! The intrinsic-dimension lab's results: the estimates against the true dimension as points
//! stream in, the representation-gap log–log plot per symmetry, the rotatable point cloud
//! coloured by point-wise dimension, the DDIM panel, and loading your own CSV.

use leptos::prelude::*;
use orbit_labs::LabSettings;
use orbit_labs::dimension::{Cloud, DdimPanel, DimensionView as View};
use orbit_math::dimension::{PlaneSymmetry, Points, Scaling};

use crate::components::cloud::CloudCanvas;
use crate::components::controls::KnobField;
use crate::components::csv::CsvLoader;
use crate::components::dimension_bench::DimensionBench;
use crate::components::figure_save::SaveFigure;
use crate::components::plot::{LinePlot, Series, YScale};
use crate::session::Session;

/// Colour of each estimator.
const ESTIMATOR_COLOURS: [(&str, &str); 4] = [
    ("TwoNN", "#4f46e5"),
    ("TwoNN closed form", "#0ea5e9"),
    ("MLE", "#ea580c"),
    ("Levina–Bickel", "#16a34a"),
];

/// Colour of each symmetry's gap curve.
fn symmetry_colour(s: PlaneSymmetry) -> &'static str {
    match s {
        PlaneSymmetry::None => "#4f46e5",
        PlaneSymmetry::Cyclic(_) => "#0d9488",
        PlaneSymmetry::So2 => "#db2777",
    }
}

fn view_of(session: Session) -> Option<View> {
    session.view_as(|v: Option<&View>| v.cloned())
}

fn settings(session: Session) -> Option<orbit_labs::dimension::DimensionSettings> {
    session.experiment.with(|e| match &e.lab {
        LabSettings::Dimension(s) => Some(s.clone()),
        _ => None,
    })
}

/// The estimates table: every estimator at the largest n so far, mean ± sd over seeds.
#[component]
fn EstimateTable(session: Session) -> impl IntoView {
    let rows = move || {
        let Some(v) = view_of(session) else {
            return Vec::new();
        };
        let n = v.estimates.last().map(|r| r.n).unwrap_or(0);
        let truth = v
            .true_dimension
            .map(|d| d.to_string())
            .unwrap_or_else(|| "unknown".into());
        let mut rows: Vec<_> = v
            .estimates
            .iter()
            .filter(|r| r.n == n)
            .map(|r| {
                let key = r.estimator.to_lowercase().replace([' ', '–'], "-");
                (
                    r.estimator.to_string(),
                    format!("{:.2} ± {:.2}", r.mean(), r.spread()),
                    format!("{} points, {} seeds", r.n, r.values.len()),
                    truth.clone(),
                    key,
                )
            })
            .collect();
        for (s, spread) in v.scaling.iter().zip(&v.scaling_spread) {
            let truth = match (v.true_dimension, s.symmetry) {
                (Some(d), PlaneSymmetry::So2) => (d - 1).to_string(),
                (Some(d), _) => d.to_string(),
                (None, _) => "unknown".into(),
            };
            let sizes = s.gaps.last().map(|g| g.0).unwrap_or(0);
            rows.push((
                format!("Scaling law, {}", s.symmetry.label()),
                format!("{:.2} ± {:.2}", s.dimension, spread),
                format!("slope {:.3} of log R_n, n = 32…{sizes}", s.slope),
                truth,
                format!(
                    "scaling-{}",
                    s.symmetry
                        .label()
                        .to_lowercase()
                        .replace(['(', ')'], "")
                        .replace(' ', "-")
                ),
            ));
        }
        rows
    };
    view! {
        <table class="models" data-testid="estimates-table" data-panel="estimates-table">
            <thead><tr><th>"estimator"</th><th>"estimated d (mean ± sd over seeds)"</th><th>"from"</th><th>"true d"</th></tr></thead>
            <tbody>
                {move || rows().into_iter().map(|(name, value, from, truth, key)| view! {
                    <tr><td>{name}</td><td class="num" data-testid=format!("est-{key}")>{value}</td><td>{from}</td><td class="num">{truth}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
        <p class="hint">"MLE uses the k you choose; Levina–Bickel always averages k = 10–20. kNN estimators (TwoNN, MLE) underestimate above d ≈ 5: neighbourhoods hold too few points and distances concentrate; boundaries (cube, swiss roll) make it worse. The scaling law is fitted on held-out points' squared distance to the nearest training point (or orbit point): R_n ≈ C·n^(−2/d). Under SO(2) the orbits are circles, so the quotient T²/SO(2) has d = 1."</p>
    }
}

fn estimate_series(session: Session) -> Vec<Series> {
    let v = view_of(session).unwrap_or_default();
    let mut series: Vec<Series> = ESTIMATOR_COLOURS
        .iter()
        .map(|(name, color)| Series {
            name: (*name).into(),
            color,
            points: v
                .estimates
                .iter()
                .filter(|r| r.estimator == *name)
                .map(|r| (r.n as f64, r.mean()))
                .collect(),
            markers: true,
            band: v
                .estimates
                .iter()
                .filter(|r| r.estimator == *name && r.values.len() > 1)
                .map(|r| (r.n as f64, r.mean() - r.spread(), r.mean() + r.spread()))
                .collect(),
        })
        .collect();
    let n_max = v.cloud.len() as f64;
    series.push(Series {
        name: "true d".into(),
        color: "#111827",
        points: v
            .true_dimension
            .map(|d| vec![(64.0, d as f64), (n_max.max(64.0), d as f64)])
            .unwrap_or_default(),
        markers: false,
        band: Vec::new(),
    });
    series
}

fn gap_series(session: Session, symmetries: &[PlaneSymmetry]) -> Vec<Series> {
    let v = view_of(session).unwrap_or_default();
    let mut series = Vec::new();
    for &sym in symmetries {
        let found: Option<&Scaling> = v.scaling.iter().find(|s| s.symmetry == sym);
        let color = symmetry_colour(sym);
        series.push(Series {
            name: format!("R_n, {}", sym.label()),
            color,
            points: found
                .map(|s| s.gaps.iter().map(|(n, r)| (*n as f64, *r)).collect())
                .unwrap_or_default(),
            markers: true,
            band: Vec::new(),
        });
        series.push(Series {
            name: found
                .map(|s| {
                    format!(
                        "fit, {}: slope {:.2}, d̂ = {:.2}",
                        sym.label(),
                        s.slope,
                        s.dimension
                    )
                })
                .unwrap_or_else(|| format!("fit, {}", sym.label())),
            color,
            points: found
                .map(|s| {
                    s.gaps
                        .iter()
                        .map(|(n, _)| (*n as f64, (s.intercept + s.slope * (*n as f64).ln()).exp()))
                        .collect()
                })
                .unwrap_or_default(),
            markers: false,
            band: Vec::new(),
        });
    }
    // Always present (empty when d is unknown): a chart's series are fixed when it is built.
    {
        let d = v.true_dimension.unwrap_or(0).max(1);
        let law = v
            .scaling
            .first()
            .filter(|_| v.true_dimension.is_some())
            .map(|s| {
                let c = s.law_intercept(d as f64);
                s.gaps
                    .iter()
                    .map(|(n, _)| (*n as f64, (c - 2.0 / d as f64 * (*n as f64).ln()).exp()))
                    .collect()
            })
            .unwrap_or_default();
        series.push(Series {
            name: "law C·n^(−2/d), true d, no symmetry".into(),
            color: "#9ca3af",
            points: law,
            markers: false,
            band: Vec::new(),
        });
    }
    series
}

/// 2D scatter of the DDIM panel.
fn ddim_plot(title: String, name: &str, p: &DdimPanel, symmetric: bool) -> impl IntoView + use<> {
    let size = 220.0;
    let all = p
        .orbit
        .coords
        .iter()
        .chain(&p.plain.coords)
        .chain(&p.symmetric.coords);
    let r = all.fold(1e-9f64, |m, v| m.max(v.abs())) * 1.1;
    let at = |x: &[f64]| (size / 2.0 * (1.0 + x[0] / r), size / 2.0 * (1.0 - x[1] / r));
    let orbit: Vec<_> = p
        .orbit
        .rows()
        .map(|x| {
            let (cx, cy) = at(x);
            view! { <circle cx=cx cy=cy r="5" fill="none" stroke="#9ca3af" stroke-width="1.2" /> }
        })
        .collect();
    let train: Vec<_> = p
        .train
        .rows()
        .map(|x| {
            let (cx, cy) = at(x);
            view! { <circle cx=cx cy=cy r="4" fill="#111827" /> }
        })
        .collect();
    let samples: &Points = if symmetric { &p.symmetric } else { &p.plain };
    let color = if symmetric { "#0d9488" } else { "#ea580c" };
    let dots: Vec<_> = samples
        .rows()
        .map(|x| {
            let (cx, cy) = at(x);
            view! { <path d=format!("M{} {}l6 6m0 -6l-6 6", cx - 3.0, cy - 3.0) stroke=color stroke-width="1.5" /> }
        })
        .collect();
    let label = title.clone();
    view! {
        <figure class="ddim">
            <figcaption>{title}</figcaption>
            <SaveFigure title=label.clone() name=name.to_string() />
            <svg viewBox=format!("0 0 {size} {size}") width=size height=size role="img" aria-label=label>
                <rect x="0.5" y="0.5" width=size - 1.0 height=size - 1.0 fill="none" stroke="#d1d5db" />
                {orbit}{train}{dots}
            </svg>
        </figure>
    }
}

/// The DDIM panel.
#[component]
fn Ddim(session: Session) -> impl IntoView {
    move || {
        let panel = view_of(session).and_then(|v| v.ddim)?;
        let k = panel.order;
        Some(view! {
            <section class="ddim-panel" data-testid="ddim-panel" data-panel="ddim-panel">
                <h3>"Diffusion: the denoiser reproduces its training set, or its orbit"</h3>
                <div class="ddim-row">
                    {ddim_plot("Empirical denoiser of D_n".into(), "ddim-empirical", &panel, false)}
                    {ddim_plot(format!("C{k}-symmetrised denoiser"), "ddim-symmetrised", &panel, true)}
                </div>
                <p class="hint">
                    <span class="legend-item"><span class="swatch" style="background:#111827"></span>"training points D_n (first two coordinates of the data)"</span>
                    <span class="legend-item"><span class="swatch ring"></span>{format!("orbit C{k}·D_n")}</span>
                    <span class="legend-item"><span class="swatch" style="background:#ea580c"></span>"DDIM samples, plain"</span>
                    <span class="legend-item"><span class="swatch" style="background:#0d9488"></span>"DDIM samples, symmetrised"</span>
                </p>
                <p class="hint" data-testid="ddim-note">{if panel.symmetry_holds {
                    format!("Closed-form optimal denoisers, DDIM from the same noise: the plain one lands every sample on a training point (memorisation), the symmetrised one on any of the {k}·{} orbit points: the architecture acts as a virtual augmentation, and R_n falls by about |G|^(2/d).", panel.train.len())
                } else {
                    format!("C{k} is not a symmetry of this data's first two coordinates, so the symmetrised denoiser lands samples on orbit points the data never has: a wrong symmetry adds error instead of removing it, and the |G|^(2/d) gain does not apply. Try the torus or the circle.")
                }}</p>
            </section>
        })
    }
}

/// The dimension lab's results.
#[component]
pub fn DimensionView(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let cloud = Memo::new(move |_| settings(session).map(|s| s.cloud));
    let n_max = Signal::derive(move || {
        session.view_as(|v: Option<&View>| v.map(|v| v.cloud.len() as f64).unwrap_or(0.0))
    });
    let estimates = Signal::derive(move || estimate_series(session));
    let progress = move || {
        session.view_as(|v: Option<&View>| {
            v.map(|v| {
                let (done, total) = v.progress;
                let pct = 100.0 * done as f64 / total.max(1) as f64;
                format!("{} · {pct:.0}% of the work done", v.label)
            })
        })
    };
    let problem = move || {
        session
            .view_as(|v: Option<&View>| v.and_then(|v| v.problem.clone()))
            .map(|p| view! { <p class="notice" role="alert" data-testid="dimension-problem">{p}</p> })
    };
    let gap_plot = move || {
        let symmetries = if cloud.get() == Some(Cloud::Torus) {
            let k = settings(session).map(|s| s.order).unwrap_or(4);
            vec![
                PlaneSymmetry::None,
                PlaneSymmetry::Cyclic(k),
                PlaneSymmetry::So2,
            ]
        } else {
            vec![PlaneSymmetry::None]
        };
        let series = Signal::derive(move || gap_series(session, &symmetries));
        view! {
            <LinePlot title="Representation gap R_n against training-set size (log–log)" x_label="n, training points (log scale)"
                y_label="R_n, mean squared distance (log scale)" series=series y_scale=YScale::Log x_max=Signal::derive(|| 1.0)
                testid="gap-plot" x_log=true />
        }
    };
    view! {
        <p class="status-line" data-testid="dimension-progress">{progress}</p>
        {problem}
        <EstimateTable session=session />
        <div class="plots">
            <LinePlot title="Estimated dimension as points stream in (mean over seeds, band ± 1 sd)" x_label="n, points used"
                y_label="estimated intrinsic dimension" series=estimates y_scale=YScale::Linear x_max=n_max testid="estimates-plot" />
            {gap_plot}
        </div>
        <section class="cloud-panel" data-panel="cloud">
            <h3>"The point cloud"</h3>
            <div class="cloud-row">
                <CloudCanvas session=session />
                <div class="cloud-knobs">
                    {orbit_labs::dimension::KNOBS.iter().filter(|k| k.view_only).map(|knob| view! { <KnobField session=session knob=knob /> }).collect_view()}
                    <CsvLoader session=session />
                </div>
            </div>
        </section>
        <Ddim session=session />
        <DimensionBench />
    }
}
