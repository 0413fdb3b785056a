//! Draw your own graph: click the board to add a node, click two nodes one after the other (or
//! drag from one to the other) to join or unjoin them, double-click a node to remove it. Every
//! edit goes into the share link (`drawn`), so a drawing is shared like any other setting.

use leptos::prelude::*;
use orbit_labs::LabSettings;
use orbit_labs::signs::drawn::{Drawing, MAX_NODES};
use serde_json::Value;

use crate::session::Session;

/// Board size on screen, pixels (the drawing's coordinates run 0–99 across it).
const BOARD: f64 = 360.0;

fn drawing(session: Session) -> Drawing {
    session.experiment.with(|e| match &e.lab {
        LabSettings::Signs(s) => Drawing::parse(&s.drawn).unwrap_or_default(),
        _ => Drawing::default(),
    })
}

fn save(session: Session, d: &Drawing) {
    if let Err(e) = session.set_knob("drawn", Value::from(d.format())) {
        log::warn!("the drawing was not saved: {e}");
    }
}

/// Board coordinates (0–99) of a pointer event on the board.
fn board_point(ev: &web_sys::PointerEvent, board: &web_sys::Element) -> [u8; 2] {
    let rect = board.get_bounding_client_rect();
    let scale = |v: f64, start: f64, size: f64| {
        (((v - start) / size.max(1.0)) * 100.0)
            .round()
            .clamp(0.0, 99.0) as u8
    };
    [
        scale(f64::from(ev.client_x()), rect.left(), rect.width()),
        scale(f64::from(ev.client_y()), rect.top(), rect.height()),
    ]
}

/// The drawing board.
#[component]
pub fn GraphEditor(
    /// The page's state.
    session: Session,
) -> impl IntoView {
    let board = NodeRef::<leptos::svg::Svg>::new();
    // The node a pointer went down on: the start of a drag or the first of two clicks.
    let from = RwSignal::new(None::<usize>);
    let add_node = move |ev: web_sys::PointerEvent| {
        let Some(svg) = board.get_untracked() else {
            return;
        };
        let mut d = drawing(session);
        if from.get_untracked().is_some() {
            // A click on the board drops the half-made edge.
            from.set(None);
            return;
        }
        if d.nodes.len() >= MAX_NODES {
            return;
        }
        d.nodes.push(board_point(&ev, &svg));
        save(session, &d);
    };
    let nodes =
        move || {
            let d = drawing(session);
            let selected = from.get();
            let edges = d
                .edges
                .iter()
                .map(|&(i, j)| {
                    let ([x1, y1], [x2, y2]) = (d.nodes[i], d.nodes[j]);
                    view! { <line x1=x1 y1=y1 x2=x2 y2=y2 stroke="#374151" stroke-width="0.8" /> }
                })
                .collect_view();
            let circles = d
            .nodes
            .iter()
            .enumerate()
            .map(|(k, &[x, y])| {
                let down = move |ev: web_sys::PointerEvent| {
                    ev.stop_propagation();
                    match from.get_untracked() {
                        Some(i) if i != k => {
                            let mut d = drawing(session);
                            d.toggle_edge(i, k);
                            from.set(None);
                            save(session, &d);
                        }
                        Some(_) => from.set(None),
                        None => from.set(Some(k)),
                    }
                };
                let up = move |ev: web_sys::PointerEvent| {
                    ev.stop_propagation();
                    if let Some(i) = from.get_untracked()
                        && i != k
                    {
                        let mut d = drawing(session);
                        d.toggle_edge(i, k);
                        from.set(None);
                        save(session, &d);
                    }
                };
                let remove = move |ev: web_sys::MouseEvent| {
                    ev.stop_propagation();
                    let mut d = drawing(session);
                    d.remove_node(k);
                    from.set(None);
                    save(session, &d);
                };
                let fill = if selected == Some(k) { "#f59e0b" } else { "#4f46e5" };
                view! {
                    <circle cx=x cy=y r="2.6" fill=fill stroke="white" stroke-width="0.6"
                        class="editor-node" data-testid=format!("editor-node-{k}")
                        on:pointerdown=down on:pointerup=up on:dblclick=remove />
                    <text x=f64::from(x) + 3.0 y=f64::from(y) - 2.0 class="editor-label">{k}</text>
                }
            })
            .collect_view();
            view! { {edges}{circles} }
        };
    let clear = move |_| {
        from.set(None);
        save(session, &Drawing::default());
    };
    let example = move |_| {
        // Two triangles joined by one edge: a symmetric graph with a repeated eigenvalue.
        let d = Drawing::parse("15.25_15.75_40.50_60.50_85.25_85.75~0-1_1-2_0-2_2-3_3-4_4-5_3-5")
            .unwrap_or_default();
        from.set(None);
        save(session, &d);
    };
    let count = move || {
        let d = drawing(session);
        format!(
            "{} nodes, {} edges (at most {MAX_NODES} nodes)",
            d.nodes.len(),
            d.edges.len()
        )
    };
    view! {
        <div class="graph-editor" data-testid="graph-editor">
            <p class="hint">"Click the board to add a node. Click two nodes one after the other, or drag from one to the other, to join them (again to unjoin). Double-click a node to remove it. The drawing is part of the share link."</p>
            <svg node_ref=board viewBox="0 0 100 100" width=BOARD height=BOARD class="editor-board"
                data-testid="editor-board" role="img" aria-label="Drawing board: click to add a node, click two nodes to join them" on:pointerdown=add_node>
                <rect x="0" y="0" width="100" height="100" fill="#f9fafb" />
                {nodes}
            </svg>
            <div class="editor-buttons">
                <span class="legend-note" data-testid="editor-count">{count}</span>
                <button type="button" data-testid="editor-example" on:click=example>"Start from an example"</button>
                <button type="button" data-testid="editor-clear" on:click=clear>"Clear"</button>
            </div>
        </div>
    }
}
