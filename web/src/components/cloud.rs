//! The point cloud of the dimension lab on a canvas: the first three coordinates, centred,
//! turned by the view's yaw and pitch (drag to turn), each point coloured by its point-wise
//! dimension estimate (MLE) on a sequential scale with its legend.

use leptos::prelude::*;
use orbit_labs::LabSettings;
use orbit_labs::dimension::DimensionView;
use serde_json::Value;
use wasm_bindgen::JsCast;

use crate::components::figure_save::SaveFigure;
use crate::files::Drawing;
use crate::session::Session;

/// Canvas side in CSS pixels.
const SIDE: f64 = 420.0;

/// Stops of the colour scale (viridis ends and middle).
const STOPS: [(f64, f64, f64); 3] = [
    (68.0, 1.0, 84.0),
    (33.0, 145.0, 140.0),
    (253.0, 231.0, 37.0),
];

/// The colour of `t ∈ [0, 1]`.
fn colour(t: f64) -> String {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let (a, b, u) = if t < 0.5 {
        (STOPS[0], STOPS[1], t * 2.0)
    } else {
        (STOPS[1], STOPS[2], t * 2.0 - 1.0)
    };
    let mix = |x: f64, y: f64| (x + (y - x) * u).round();
    format!("rgb({},{},{})", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The 5th and 95th percentiles of the finite values (the colour range).
fn colour_range(values: &[f64]) -> Option<(f64, f64)> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.len() < 2 {
        return None;
    }
    v.sort_unstable_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    let (lo, hi) = (at(0.05), at(0.95));
    Some((lo, if hi > lo { hi } else { lo + 1e-9 }))
}

/// A point drawn on the canvas: its position in CSS pixels, its depth (for drawing far points
/// first) and its colour.
struct Dot {
    x: f64,
    y: f64,
    depth: f64,
    fill: String,
}

/// The cloud's first three coordinates, centred, scaled into the canvas and turned by `yaw`
/// then `pitch` (degrees), far points first.
fn project(view: &DimensionView, yaw: f64, pitch: f64) -> Vec<Dot> {
    let cloud = &view.cloud;
    let n = cloud.len();
    if n == 0 {
        return Vec::new();
    }
    let coord = |x: &[f64], j: usize| x.get(j).copied().unwrap_or(0.0);
    let mut mean = [0.0; 3];
    for x in cloud.rows() {
        for (j, m) in mean.iter_mut().enumerate() {
            *m += coord(x, j) / n as f64;
        }
    }
    let radius = cloud
        .rows()
        .map(|x| {
            (0..3)
                .map(|j| (coord(x, j) - mean[j]).powi(2))
                .sum::<f64>()
                .sqrt()
        })
        .fold(1e-12, f64::max);
    let (sy, cy) = yaw.to_radians().sin_cos();
    let (sp, cp) = pitch.to_radians().sin_cos();
    let range = colour_range(&view.pointwise);
    let half = SIDE / 2.0;
    let mut dots: Vec<Dot> = cloud
        .rows()
        .enumerate()
        .map(|(i, x)| {
            let p = [0, 1, 2].map(|j| (coord(x, j) - mean[j]) / radius);
            let (x1, z1) = (cy * p[0] + sy * p[2], -sy * p[0] + cy * p[2]);
            let (y2, z2) = (cp * p[1] - sp * z1, sp * p[1] + cp * z1);
            let fill = match (range, view.pointwise.get(i)) {
                (Some((lo, hi)), Some(v)) => colour((v - lo) / (hi - lo)),
                _ => "#6b7280".to_string(),
            };
            Dot {
                x: half + 0.45 * SIDE * x1,
                y: half - 0.45 * SIDE * y2,
                depth: z2,
                fill,
            }
        })
        .collect();
    dots.sort_unstable_by(|a, b| a.depth.total_cmp(&b.depth));
    dots
}

fn draw(canvas: &web_sys::HtmlCanvasElement, view: &DimensionView, yaw: f64, pitch: f64) {
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, SIDE, SIDE);
    for d in project(view, yaw, pitch) {
        ctx.set_fill_style_str(&d.fill);
        ctx.fill_rect(d.x - 1.5, d.y - 1.5, 3.0, 3.0);
    }
}

/// The same picture as the canvas, as an SVG document (one square per point), with the
/// colour scale's meaning in its description.
fn cloud_svg(view: &DimensionView, yaw: f64, pitch: f64) -> Drawing {
    let dots: String = project(view, yaw, pitch)
        .iter()
        .map(|d| {
            format!(
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"3\" height=\"3\" fill=\"{}\"/>",
                d.x - 1.5,
                d.y - 1.5,
                d.fill
            )
        })
        .collect();
    let scale = colour_range(&view.pointwise)
        .map(|(lo, hi)| {
            format!(
                "colour: point-wise MLE dimension from {lo:.1} (dark purple) to {hi:.1} (yellow)"
            )
        })
        .unwrap_or_default();
    Drawing {
        markup: format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {SIDE} {SIDE}\" width=\"{SIDE}\" height=\"{SIDE}\">\
             <title>{} points, first three coordinates, yaw {yaw:.0}°, pitch {pitch:.0}°</title><desc>{scale}</desc>\
             <rect width=\"{SIDE}\" height=\"{SIDE}\" fill=\"#ffffff\"/>{dots}</svg>",
            view.cloud.len()
        ),
        width: SIDE,
        height: SIDE,
    }
}

/// An angle in degrees brought into [-180, 180).
fn wrap_degrees(a: f64) -> f64 {
    (a + 180.0).rem_euclid(360.0) - 180.0
}

/// New (yaw, pitch) after a key press on the cloud, or `None` for keys it does not use:
/// arrows turn by 15° (Shift: 5°), Home faces the cloud front on.
fn turned_by_key(key: &str, shift: bool, yaw: f64, pitch: f64) -> Option<(f64, f64)> {
    let step = if shift { 5.0 } else { 15.0 };
    match key {
        "ArrowLeft" => Some((wrap_degrees(yaw - step), pitch)),
        "ArrowRight" => Some((wrap_degrees(yaw + step), pitch)),
        "ArrowUp" => Some((yaw, (pitch + step).clamp(-90.0, 90.0))),
        "ArrowDown" => Some((yaw, (pitch - step).clamp(-90.0, 90.0))),
        "Home" => Some((0.0, 0.0)),
        _ => None,
    }
}

/// The rotatable, coloured point cloud.
#[component]
pub fn CloudCanvas(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let angles = move || {
        session.experiment.with(|e| match &e.lab {
            LabSettings::Dimension(s) => (s.yaw, s.pitch),
            _ => (0.0, 0.0),
        })
    };
    // While dragging, the angles live here and reach the link on release.
    let live = RwSignal::new(None::<(f64, f64)>);
    let drag = RwSignal::new(None::<(f64, f64, f64, f64)>);
    Effect::new(move |_| {
        let (yaw, pitch) = live.get().unwrap_or_else(angles);
        if let Some(c) = canvas.get() {
            session.view_as(|v: Option<&DimensionView>| {
                if let Some(v) = v {
                    draw(&c, v, yaw, pitch);
                }
            });
        }
    });
    let down = move |e: web_sys::PointerEvent| {
        let (yaw, pitch) = angles();
        drag.set(Some((
            f64::from(e.client_x()),
            f64::from(e.client_y()),
            yaw,
            pitch,
        )));
    };
    let moved = move |e: web_sys::PointerEvent| {
        if let Some((x0, y0, yaw, pitch)) = drag.get_untracked() {
            let yaw = wrap_degrees(yaw + (f64::from(e.client_x()) - x0) * 0.5);
            let pitch = (pitch - (f64::from(e.client_y()) - y0) * 0.5).clamp(-90.0, 90.0);
            live.set(Some((yaw, pitch)));
        }
    };
    let keyed = move |e: web_sys::KeyboardEvent| {
        let (yaw, pitch) = angles();
        if let Some((yaw, pitch)) = turned_by_key(&e.key(), e.shift_key(), yaw, pitch) {
            e.prevent_default();
            let _ = session.set_knob("yaw", Value::from(yaw.round()));
            let _ = session.set_knob("pitch", Value::from(pitch.round()));
        }
    };
    let vector = Callback::new(move |()| {
        let (yaw, pitch) = angles();
        session.view_as(|v: Option<&DimensionView>| v.map(|v| cloud_svg(v, yaw, pitch)))
    });
    let up = move |_| {
        drag.set(None);
        if let Some((yaw, pitch)) = live.get_untracked() {
            let _ = session.set_knob("yaw", Value::from(yaw.round()));
            let _ = session.set_knob("pitch", Value::from(pitch.round()));
            live.set(None);
        }
    };
    let legend = move || {
        session.view_as(|v: Option<&DimensionView>| {
            let v = v?;
            let (lo, hi) = colour_range(&v.pointwise)?;
            Some(view! {
                <div class="colour-legend">
                    <span>{format!("{lo:.1}")}</span>
                    <span class="gradient" style=format!("background:linear-gradient(to right,{},{},{})", colour(0.0), colour(0.5), colour(1.0))></span>
                    <span>{format!("{hi:.1}")}</span>
                    <span class="legend-note">"point-wise MLE dimension (5th–95th percentile)"</span>
                </div>
            })
        })
    };
    let caption = move || {
        session.view_as(|v: Option<&DimensionView>| {
            v.map(|v| {
                let dim = v.cloud.dim;
                if dim > 3 {
                    format!(
                        "{} points in R^{dim}: its first three coordinates, centred. Drag or use the arrow keys to turn.",
                        v.cloud.len()
                    )
                } else {
                    format!(
                        "{} points in R^{dim}, centred. Drag or use the arrow keys to turn.",
                        v.cloud.len()
                    )
                }
            })
        })
    };
    view! {
        <figure class="cloud" data-testid="cloud">
            <SaveFigure title="Point cloud" name="point-cloud" vector=vector />
            <canvas node_ref=canvas width=SIDE height=SIDE style="touch-action:none;cursor:grab"
                tabindex="0" role="application" data-testid="cloud-canvas"
                aria-label=move || { let (yaw, pitch) = angles(); format!("The point cloud turned to yaw {yaw:.0}°, pitch {pitch:.0}°: drag or use the arrow keys to turn it") }
                on:pointerdown=down on:pointermove=moved on:pointerup=up on:pointerleave=up on:keydown=keyed />
            <figcaption>{caption}</figcaption>
            {legend}
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_span_the_scale_and_survive_nan() {
        assert_eq!(colour(0.0), "rgb(68,1,84)");
        assert_eq!(colour(1.0), "rgb(253,231,37)");
        assert_eq!(colour(f64::NAN), colour(0.5));
        assert_eq!(colour_range(&[f64::NAN]), None);
    }
}
