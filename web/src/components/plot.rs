//! A line chart in SVG with labelled axes, ticks and a legend. Axis arithmetic comes from
//! [`orbit_math::plot`]; this file only draws.

use leptos::prelude::*;
use orbit_math::plot::{Axis, downsample, tick_label};

use crate::components::figure_save::SaveFigure;

/// Most points drawn per curve.
const MAX_POINTS: usize = 600;
const W: f64 = 560.0;
const H: f64 = 260.0;
const LEFT: f64 = 58.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 44.0;

/// One curve of a [`LinePlot`].
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// CSS colour.
    pub color: &'static str,
    /// (x, y) points; non-finite ones are skipped.
    pub points: Vec<(f64, f64)>,
    /// Draw markers at the points (for sparse series such as evaluations).
    pub markers: bool,
    /// A shaded band `(x, low, high)` around the curve (e.g. ± one standard deviation); empty
    /// for none.
    pub band: Vec<(f64, f64, f64)>,
}

/// How the y axis is scaled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum YScale {
    /// Linear, from the data's range.
    Linear,
    /// Linear over a fixed range.
    Fixed(f64, f64),
    /// Base-10 logarithmic (positive data).
    Log,
}

const PLOT_W: f64 = W - LEFT - RIGHT;
const PLOT_H: f64 = H - TOP - BOTTOM;

/// Screen position of a data point.
fn screen(p: (f64, f64), x: &Axis, y: &Axis) -> (f64, f64) {
    let sx = LEFT + x.fraction(p.0) * PLOT_W;
    let sy = TOP + (1.0 - y.fraction(p.1)) * PLOT_H;
    ((sx * 10.0).round() / 10.0, (sy * 10.0).round() / 10.0)
}

/// One curve in screen coordinates.
#[derive(Clone, Debug, PartialEq)]
struct Curve {
    path: String,
    /// Closed outline of the series' band, or empty.
    band: String,
    markers: Vec<(f64, f64)>,
}

/// Axes and curves of a chart, computed from its series.
#[derive(Clone, Debug, PartialEq)]
struct Geometry {
    x: Axis,
    y: Axis,
    curves: Vec<Curve>,
    empty: bool,
}

impl Geometry {
    fn new(series: &[Series], y_scale: YScale, x_max: f64, x_log: bool) -> Self {
        let points: Vec<Vec<(f64, f64)>> = series
            .iter()
            .map(|s| {
                downsample(&s.points, MAX_POINTS)
                    .into_iter()
                    .filter(|p| y_scale != YScale::Log || p.1 > 0.0)
                    .filter(|p| !x_log || p.0 > 0.0)
                    .collect()
            })
            .collect();
        let band_points: Vec<(f64, f64)> = series
            .iter()
            .flat_map(|s| s.band.iter().flat_map(|&(x, lo, hi)| [(x, lo), (x, hi)]))
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .filter(|p| y_scale != YScale::Log || p.1 > 0.0)
            .collect();
        let all = || points.iter().flatten().chain(&band_points);
        let x_end = all().map(|p| p.0).fold(x_max, f64::max);
        let x_lo = all().map(|p| p.0).fold(f64::NAN, f64::min);
        let x = if x_log {
            Axis::log10(x_lo, x_end)
        } else {
            Axis::linear(
                0.0,
                if x_end.is_finite() && x_end > 0.0 {
                    x_end
                } else {
                    10.0
                },
                6,
            )
        };
        let y_lo = all().map(|p| p.1).fold(f64::NAN, f64::min);
        let y_hi = all().map(|p| p.1).fold(f64::NAN, f64::max);
        let y = match y_scale {
            YScale::Linear => Axis::linear(y_lo.min(0.0), y_hi, 5),
            YScale::Fixed(a, b) => Axis::linear(a, b, 5),
            YScale::Log => Axis::log10(y_lo, y_hi),
        };
        let curves = series
            .iter()
            .zip(&points)
            .map(|(s, pts)| {
                let screen_pts: Vec<(f64, f64)> = pts.iter().map(|&p| screen(p, &x, &y)).collect();
                let mut path = String::new();
                for (i, (sx, sy)) in screen_pts.iter().enumerate() {
                    path.push_str(&format!(
                        "{}{sx:.1},{sy:.1}",
                        if i == 0 { "M" } else { "L" }
                    ));
                }
                let mut band = String::new();
                let outline = s
                    .band
                    .iter()
                    .map(|&(x, lo, _)| (x, lo))
                    .chain(s.band.iter().rev().map(|&(x, _, hi)| (x, hi)))
                    .filter(|p| p.0.is_finite() && p.1.is_finite());
                for (i, p) in outline.enumerate() {
                    let (sx, sy) = screen(p, &x, &y);
                    band.push_str(&format!(
                        "{}{sx:.1},{sy:.1}",
                        if i == 0 { "M" } else { "L" }
                    ));
                }
                if !band.is_empty() {
                    band.push('Z');
                }
                Curve {
                    path,
                    band,
                    markers: if s.markers { screen_pts } else { Vec::new() },
                }
            })
            .collect();
        let empty = points.iter().all(|p| p.is_empty());
        Self {
            x,
            y,
            curves,
            empty,
        }
    }
}

/// A chart of `series` against a shared x axis, e.g. loss against training step.
#[component]
pub fn LinePlot(
    /// Chart title, shown above it.
    #[prop(into)]
    title: String,
    /// x-axis label with its unit.
    #[prop(into)]
    x_label: String,
    /// y-axis label with its unit.
    #[prop(into)]
    y_label: String,
    /// The curves.
    #[prop(into)]
    series: Signal<Vec<Series>>,
    /// y-axis scaling.
    y_scale: YScale,
    /// Right end of the x axis (at least), so that charts of one run share their x range.
    #[prop(into)]
    x_max: Signal<f64>,
    /// `data-testid` of the chart.
    #[prop(into)]
    testid: String,
    /// Base-10 logarithmic x axis (positive x only).
    #[prop(optional)]
    x_log: bool,
) -> impl IntoView {
    // Everything numeric is computed in one memo; the DOM is built once and only attributes
    // (paths) and the pieces whose values changed (ticks, markers) are updated afterwards.
    let geometry = Memo::new(move |_| Geometry::new(&series.get(), y_scale, x_max.get(), x_log));
    let axes = Memo::new(move |_| geometry.with(|g| (g.x.clone(), g.y.clone())));
    let ticks = move || {
        let (x, y) = axes.get();
        let x_ticks = x
            .ticks
            .iter()
            .map(|&t| {
                let sx = LEFT + x.fraction(t) * PLOT_W;
                view! {
                    <line class="grid" x1=sx x2=sx y1=TOP y2=TOP + PLOT_H />
                    <text class="tick" x=sx y=TOP + PLOT_H + 16.0 text-anchor="middle">{tick_label(t)}</text>
                }
            })
            .collect_view();
        let y_ticks = y
            .ticks
            .iter()
            .map(|&t| {
                let sy = TOP + (1.0 - y.fraction(t)) * PLOT_H;
                view! {
                    <line class="grid" x1=LEFT x2=LEFT + PLOT_W y1=sy y2=sy />
                    <text class="tick" x=LEFT - 6.0 y=sy + 4.0 text-anchor="end">{tick_label(t)}</text>
                }
            })
            .collect_view();
        view! { {x_ticks} {y_ticks} }
    };
    let initial = series.get_untracked();
    let lines = initial
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let color = s.color;
            let d = move || {
                geometry.with(|g| g.curves.get(i).map(|c| c.path.clone()).unwrap_or_default())
            };
            let markers = Memo::new(move |_| {
                geometry.with(|g| {
                    g.curves
                        .get(i)
                        .map(|c| c.markers.clone())
                        .unwrap_or_default()
                })
            });
            let dots = move || {
                markers
                    .get()
                    .into_iter()
                    .map(|(cx, cy)| view! { <circle cx=cx cy=cy r="2.5" fill=color /> })
                    .collect_view()
            };
            let band = move || {
                geometry.with(|g| g.curves.get(i).map(|c| c.band.clone()).unwrap_or_default())
            };
            view! {
                <path class="band" d=band fill=color fill-opacity="0.15" stroke="none" />
                <path class="curve" d=d fill="none" stroke=color stroke-width="1.8" />
                {dots}
            }
        })
        .collect_view();
    let empty = move || geometry.with(|g| g.empty);
    let legend = initial
        .iter()
        .map(|s| {
            view! {
                <span class="legend-item"><span class="swatch" style=format!("background:{}", s.color)></span>{s.name.clone()}</span>
            }
        })
        .collect_view();
    let x_label_view = x_label.clone();
    let svg_label = format!("{title}: {y_label} against {x_label}");
    view! {
        <figure class="plot" data-testid=testid.clone() data-panel=testid.clone()>
            <figcaption>
                <span class="plot-title">{title.clone()}</span>
                <SaveFigure title=title name=testid.clone() />
            </figcaption>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=svg_label>
                {ticks}
                <rect class="frame" x=LEFT y=TOP width=PLOT_W height=PLOT_H fill="none" />
                {lines}
                <text class="empty" x=LEFT + PLOT_W / 2.0 y=TOP + PLOT_H / 2.0 text-anchor="middle"
                    style:display=move || if empty() { "inline" } else { "none" }>"no data yet: press Play"</text>
                <text class="axis-label" x=LEFT + (W - LEFT - RIGHT) / 2.0 y=H - 6.0 text-anchor="middle">{x_label_view}</text>
                <text class="axis-label" transform=format!("translate(14 {}) rotate(-90)", TOP + (H - TOP - BOTTOM) / 2.0) text-anchor="middle">{y_label}</text>
            </svg>
            <div class="legend">{legend}</div>
        </figure>
    }
}
