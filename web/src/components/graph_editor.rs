//! Draw your own graph: click the board to add a node, click two nodes one after the other (or
//! drag from one to the other) to join or unjoin them, double-click a node to remove it. The
//! same with the keyboard: a cursor moved by the arrow keys, Enter to add or pick, N to jump to
//! the next node, Delete to remove. Every edit goes into the share link (`drawn`), so a drawing
//! is shared like any other setting.

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

/// A node picked (by click or Enter): the first pick is remembered, a second pick of another node
/// joins or unjoins the two, picking the remembered one again forgets it.
fn pick(session: Session, from: RwSignal<Option<usize>>, k: usize) {
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
}

/// A click (or Enter) on the empty board at `point`: drops a half-made edge if there is one,
/// else adds a node there (up to [`MAX_NODES`]).
fn place(session: Session, from: RwSignal<Option<usize>>, point: [u8; 2]) {
    if from.get_untracked().is_some() {
        from.set(None);
        return;
    }
    let mut d = drawing(session);
    if d.nodes.len() < MAX_NODES {
        d.nodes.push(point);
        save(session, &d);
    }
}

/// Removes node `k` and forgets a pick.
fn remove(session: Session, from: RwSignal<Option<usize>>, k: usize) {
    let mut d = drawing(session);
    d.remove_node(k);
    from.set(None);
    save(session, &d);
}

/// The node within reach of the keyboard cursor, nearest first.
fn node_at(d: &Drawing, [x, y]: [u8; 2]) -> Option<usize> {
    let distance = |[a, b]: [u8; 2]| {
        (i32::from(a) - i32::from(x)).pow(2) + (i32::from(b) - i32::from(y)).pow(2)
    };
    (0..d.nodes.len())
        .filter(|&k| distance(d.nodes[k]) <= 16)
        .min_by_key(|&k| distance(d.nodes[k]))
}

/// The keyboard cursor moved by an arrow key: 5 units, 1 with Shift, within the board.
fn moved_cursor(key: &str, shift: bool, [x, y]: [u8; 2]) -> Option<[u8; 2]> {
    let step: i16 = if shift { 1 } else { 5 };
    let (dx, dy) = match key {
        "ArrowLeft" => (-step, 0),
        "ArrowRight" => (step, 0),
        "ArrowUp" => (0, -step),
        "ArrowDown" => (0, step),
        _ => return None,
    };
    let at = |v: u8, d: i16| (i16::from(v) + d).clamp(0, 99) as u8;
    Some([at(x, dx), at(y, dy)])
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
        place(session, from, board_point(&ev, &svg));
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
                    pick(session, from, k);
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
                let double_click = move |ev: web_sys::MouseEvent| {
                    ev.stop_propagation();
                    remove(session, from, k);
                };
                let fill = if selected == Some(k) { "#f59e0b" } else { "#4f46e5" };
                view! {
                    <circle cx=x cy=y r="2.6" fill=fill stroke="white" stroke-width="0.6"
                        class="editor-node" data-testid=format!("editor-node-{k}")
                        on:pointerdown=down on:pointerup=up on:dblclick=double_click />
                    <text x=f64::from(x) + 3.0 y=f64::from(y) - 2.0 class="editor-label">{k}</text>
                }
            })
            .collect_view();
            view! { {edges}{circles} }
        };
    // The keyboard cursor, drawn while the board has focus.
    let cursor = RwSignal::new([50u8, 50u8]);
    let focused = RwSignal::new(false);
    let keyed = move |ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        let at = cursor.get_untracked();
        let d = drawing(session);
        if let Some(next) = moved_cursor(&key, ev.shift_key(), at) {
            cursor.set(next);
        } else if key == "Enter" || key == " " {
            match node_at(&d, at) {
                Some(k) => pick(session, from, k),
                None => place(session, from, at),
            }
        } else if key == "n" || key == "N" {
            if d.nodes.is_empty() {
                return;
            }
            let next = node_at(&d, at).map_or(0, |k| (k + 1) % d.nodes.len());
            cursor.set(d.nodes[next]);
        } else if key == "Delete" || key == "Backspace" {
            if let Some(k) = node_at(&d, at) {
                remove(session, from, k);
            }
        } else if key == "Escape" {
            from.set(None);
        } else {
            return;
        }
        ev.prevent_default();
    };
    let cross = move || {
        focused.get().then(|| {
            let [x, y] = cursor.get();
            view! {
                <g class="editor-cursor" data-testid="editor-cursor" pointer-events="none">
                    <circle cx=x cy=y r="4" fill="none" stroke="#b45309" stroke-width="0.6" />
                    <line x1=f64::from(x) - 6.0 y1=y x2=f64::from(x) + 6.0 y2=y stroke="#b45309" stroke-width="0.4" />
                    <line x1=x y1=f64::from(y) - 6.0 x2=x y2=f64::from(y) + 6.0 stroke="#b45309" stroke-width="0.4" />
                </g>
            }
        })
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
            <p class="hint">"With the keyboard: focus the board, move its cursor with the arrow keys (Shift: finer), Enter adds a node or picks the one under the cursor (pick two to join them), N jumps to the next node, Delete removes the node under the cursor, Escape forgets a pick."</p>
            <svg node_ref=board viewBox="0 0 100 100" width=BOARD height=BOARD class="editor-board"
                data-testid="editor-board" role="application" tabindex="0"
                aria-label="Drawing board: click or press Enter to add a node, pick two nodes to join them; arrow keys move the cursor"
                on:pointerdown=add_node on:keydown=keyed on:focus=move |_| focused.set(true) on:blur=move |_| focused.set(false)>
                <rect x="0" y="0" width="100" height="100" fill="#f9fafb" />
                {nodes}
                {cross}
            </svg>
            <div class="editor-buttons">
                <span class="legend-note" data-testid="editor-count" aria-live="polite">{count}</span>
                <button type="button" data-testid="editor-example" on:click=example>"Start from an example"</button>
                <button type="button" data-testid="editor-clear" on:click=clear>"Clear"</button>
            </div>
        </div>
    }
}
