//! A graph drawn by hand in the page, as it travels in share links (`drawn`):
//! nodes as `x.y` (integers 0–99 on the drawing board) joined by `_`, then `~`, then edges as
//! `i-j` joined by `_`. For example `10.10_90.10_50.80~0-1_1-2_2-0` is a triangle. Only
//! URL-safe characters are used, so the text needs no escaping.

use orbit_math::graph::Graph;

/// Most nodes a drawing may have.
pub const MAX_NODES: usize = 40;
/// Most edges a drawing may have.
pub const MAX_EDGES: usize = 200;
/// Longest text of a drawing (every node and edge at its longest).
pub const MAX_LEN: usize = MAX_NODES * 6 + MAX_EDGES * 6 + 1;

/// A hand-drawn graph: node positions on a 100 × 100 board and edges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Drawing {
    /// Node positions, `x` rightwards and `y` downwards, each in `0..=99`.
    pub nodes: Vec<[u8; 2]>,
    /// Edges `(i, j)`, `i < j`, without repeats.
    pub edges: Vec<(usize, usize)>,
}

impl Drawing {
    /// Reads the link text; `Err` says what is wrong, naming the piece at fault.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Self::default());
        }
        if text.len() > MAX_LEN {
            return Err(format!("a drawing is at most {MAX_LEN} characters"));
        }
        let (nodes_text, edges_text) = text.split_once('~').unwrap_or((text, ""));
        let mut drawing = Self::default();
        for piece in nodes_text.split('_').filter(|p| !p.is_empty()) {
            let (x, y) = piece
                .split_once('.')
                .ok_or_else(|| format!("node {piece:?} is not x.y"))?;
            let coord = |c: &str| {
                c.parse::<u8>()
                    .ok()
                    .filter(|v| *v < 100)
                    .ok_or_else(|| format!("node {piece:?}: coordinates are whole numbers 0–99"))
            };
            drawing.nodes.push([coord(x)?, coord(y)?]);
        }
        if drawing.nodes.len() > MAX_NODES {
            return Err(format!("a drawing has at most {MAX_NODES} nodes"));
        }
        for piece in edges_text.split('_').filter(|p| !p.is_empty()) {
            let (i, j) = piece
                .split_once('-')
                .and_then(|(i, j)| Some((i.parse::<usize>().ok()?, j.parse::<usize>().ok()?)))
                .ok_or_else(|| format!("edge {piece:?} is not i-j"))?;
            let n = drawing.nodes.len();
            if i >= n || j >= n || i == j {
                return Err(format!(
                    "edge {piece:?} needs two different nodes below {n}"
                ));
            }
            drawing.toggle_edge(i, j);
        }
        if drawing.edges.len() > MAX_EDGES {
            return Err(format!("a drawing has at most {MAX_EDGES} edges"));
        }
        Ok(drawing)
    }

    /// The link text.
    pub fn format(&self) -> String {
        let nodes: Vec<String> = self.nodes.iter().map(|[x, y]| format!("{x}.{y}")).collect();
        let edges: Vec<String> = self.edges.iter().map(|(i, j)| format!("{i}-{j}")).collect();
        if edges.is_empty() {
            nodes.join("_")
        } else {
            format!("{}~{}", nodes.join("_"), edges.join("_"))
        }
    }

    /// Adds the edge `i–j`, or removes it if it is there.
    pub fn toggle_edge(&mut self, i: usize, j: usize) {
        let e = (i.min(j), i.max(j));
        match self.edges.iter().position(|x| *x == e) {
            Some(k) => {
                self.edges.remove(k);
            }
            None => self.edges.push(e),
        }
    }

    /// Removes node `k` and its edges, renumbering the nodes after it.
    pub fn remove_node(&mut self, k: usize) {
        if k >= self.nodes.len() {
            return;
        }
        self.nodes.remove(k);
        let shift = |v: usize| if v > k { v - 1 } else { v };
        self.edges = self
            .edges
            .iter()
            .filter(|(i, j)| *i != k && *j != k)
            .map(|&(i, j)| (shift(i), shift(j)))
            .collect();
    }

    /// The graph, and the node positions (`y` upwards, for drawing like the other graphs).
    pub fn graph(&self) -> (Graph, Vec<[f64; 2]>) {
        let positions = self
            .nodes
            .iter()
            .map(|[x, y]| [f64::from(*x), -f64::from(*y)])
            .collect();
        (
            Graph::new(self.nodes.len(), self.edges.iter().copied()),
            positions,
        )
    }
}

/// Checks a drawing's link text (for the knob table).
pub fn check(text: &str) -> Result<(), String> {
    Drawing::parse(text).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawing_round_trips_through_its_link_text() {
        let text = "10.10_90.10_50.80~0-1_1-2_0-2";
        let d = Drawing::parse(text).unwrap();
        assert_eq!(d.nodes.len(), 3);
        assert_eq!(d.edges, vec![(0, 1), (1, 2), (0, 2)]);
        assert_eq!(d.format(), text);
        assert_eq!(Drawing::parse("").unwrap(), Drawing::default());
        assert_eq!(Drawing::parse("5.5").unwrap().nodes, vec![[5, 5]]);
    }

    #[test]
    fn mangled_drawings_are_refused_with_the_piece_at_fault() {
        for (bad, says) in [
            ("10.10_x.3", "\"x.3\""),
            ("10.10_150.3", "0–99"),
            ("1.1_2.2~0-5", "\"0-5\""),
            ("1.1_2.2~0-0", "two different nodes"),
            ("1.1_2.2~0+1", "is not i-j"),
            ("1.1_2", "is not x.y"),
        ] {
            let e = Drawing::parse(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
        let too_many: Vec<String> = (0..41).map(|i| format!("{i}.1")).collect();
        assert!(
            Drawing::parse(&too_many.join("_"))
                .unwrap_err()
                .contains("at most 40")
        );
    }

    #[test]
    fn removing_a_node_renumbers_the_edges() {
        let mut d = Drawing::parse("0.0_1.1_2.2_3.3~0-1_1-2_2-3").unwrap();
        d.remove_node(1);
        assert_eq!(d.nodes.len(), 3);
        assert_eq!(d.edges, vec![(1, 2)]);
        d.toggle_edge(2, 1);
        assert!(d.edges.is_empty());
    }
}
