//! A line chart in SVG with labelled axes, ticks and a legend. Axis arithmetic comes from
//! [`orbit_math::plot`]; this file only draws.

use leptos::prelude::*;
use orbit_math::plot::{Axis, downsample, tick_label};

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

fn path(points: &[(f64, f64)], x: &Axis, y: &Axis) -> String {
    let mut d = String::new();
    for (i, (px, py)) in points.iter().enumerate() {
        let sx = LEFT + x.fraction(*px) * (W - LEFT - RIGHT);
        let sy = TOP + (1.0 - y.fraction(*py)) * (H - TOP - BOTTOM);
        d.push_str(&format!(
            "{}{sx:.1},{sy:.1}",
            if i == 0 { "M" } else { "L" }
        ));
    }
    d
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
) -> impl IntoView {
    let drawing = move || {
        let series = series.get();
        let curves: Vec<(Series, Vec<(f64, f64)>)> = series
            .into_iter()
            .map(|s| {
                let pts: Vec<(f64, f64)> = downsample(&s.points, MAX_POINTS)
                    .into_iter()
                    .filter(|p| y_scale != YScale::Log || p.1 > 0.0)
                    .collect();
                (s, pts)
            })
            .collect();
        let all = || curves.iter().flat_map(|(_, p)| p.iter());
        let x_max = all().map(|p| p.0).fold(f64::NAN, f64::max);
        let x = Axis::linear(
            0.0,
            if x_max.is_finite() && x_max > 0.0 {
                x_max
            } else {
                10.0
            },
            6,
        );
        let (y_lo, y_hi) = (
            all().map(|p| p.1).fold(f64::NAN, f64::min),
            all().map(|p| p.1).fold(f64::NAN, f64::max),
        );
        let y = match y_scale {
            YScale::Linear => Axis::linear(y_lo.min(0.0), y_hi, 5),
            YScale::Fixed(a, b) => Axis::linear(a, b, 5),
            YScale::Log => Axis::log10(y_lo, y_hi),
        };
        let plot_w = W - LEFT - RIGHT;
        let plot_h = H - TOP - BOTTOM;
        let x_ticks = x
            .ticks
            .iter()
            .map(|&t| {
                let sx = LEFT + x.fraction(t) * plot_w;
                view! {
                    <line class="grid" x1=sx x2=sx y1=TOP y2=TOP + plot_h />
                    <text class="tick" x=sx y=TOP + plot_h + 16.0 text-anchor="middle">{tick_label(t)}</text>
                }
            })
            .collect_view();
        let y_ticks = y
            .ticks
            .iter()
            .map(|&t| {
                let sy = TOP + (1.0 - y.fraction(t)) * plot_h;
                view! {
                    <line class="grid" x1=LEFT x2=LEFT + plot_w y1=sy y2=sy />
                    <text class="tick" x=LEFT - 6.0 y=sy + 4.0 text-anchor="end">{tick_label(t)}</text>
                }
            })
            .collect_view();
        let lines = curves
            .iter()
            .map(|(s, pts)| {
                let d = path(pts, &x, &y);
                let markers = if s.markers {
                    pts.iter()
                        .map(|(px, py)| {
                            let cx = LEFT + x.fraction(*px) * plot_w;
                            let cy = TOP + (1.0 - y.fraction(*py)) * plot_h;
                            view! { <circle cx=cx cy=cy r="2.5" fill=s.color /> }
                        })
                        .collect_view()
                        .into_any()
                } else {
                    ().into_any()
                };
                view! {
                    <path d=d fill="none" stroke=s.color stroke-width="1.8" />
                    {markers}
                }
            })
            .collect_view();
        let empty = curves.iter().all(|(_, p)| p.is_empty());
        view! {
            {x_ticks}
            {y_ticks}
            <rect class="frame" x=LEFT y=TOP width=plot_w height=plot_h fill="none" />
            {lines}
            {empty.then(|| view! {
                <text class="empty" x=LEFT + plot_w / 2.0 y=TOP + plot_h / 2.0 text-anchor="middle">"no data yet: press Play"</text>
            })}
        }
    };
    let legend = move || {
        series
            .get()
            .into_iter()
            .map(|s| {
                view! {
                    <span class="legend-item"><span class="swatch" style=format!("background:{}", s.color)></span>{s.name}</span>
                }
            })
            .collect_view()
    };
    let x_label_view = x_label.clone();
    view! {
        <figure class="plot" data-testid=testid>
            <figcaption>{title}</figcaption>
            <svg viewBox=format!("0 0 {W} {H}") role="img">
                {drawing}
                <text class="axis-label" x=LEFT + (W - LEFT - RIGHT) / 2.0 y=H - 6.0 text-anchor="middle">{x_label_view}</text>
                <text class="axis-label" transform=format!("translate(14 {}) rotate(-90)", TOP + (H - TOP - BOTTOM) / 2.0) text-anchor="middle">{y_label}</text>
            </svg>
            <div class="legend">{legend}</div>
        </figure>
    }
}
