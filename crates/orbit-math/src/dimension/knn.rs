//! Nearest-neighbour distances by brute force.
//!
//! Measured against a k-d tree (kiddo 5, `cargo bench -p orbit-math --bench dimension -- knn20`,
//! 20 neighbours of each of 2,500 points): the tree is about 5× faster in R³ but slower in R²⁰,
//! where its pruning fails, and it fixes the dimension at compile time while Orbit's clouds have
//! 2 to 1,000 coordinates chosen at run time. The all-pairs scan with a partial selection meets
//! the page's targets at every size the lab allows, so it is the one used. Figures in
//! BENCHMARKS.md.

use super::points::{Points, distance2};

/// The `k` nearest-neighbour distances of every point, the point itself excluded, sorted
/// ascending: `dist[i * k + j]` is `r_{j+1}(x_i)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Neighbours {
    /// Neighbours kept per point.
    pub k: usize,
    /// `n × k` distances (not squared), ascending per row.
    pub dist: Vec<f64>,
}

impl Neighbours {
    /// Number of points.
    pub fn len(&self) -> usize {
        self.dist.len().checked_div(self.k).unwrap_or(0)
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The sorted neighbour distances of point `i`.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.dist[i * self.k..(i + 1) * self.k]
    }
}

/// The `k` nearest-neighbour distances of the points `rows` (indices into `points`) among all
/// of `points`, appended to `out`. Split a long computation into row ranges to hand control
/// back between them (the page does).
pub fn neighbour_rows(points: &Points, k: usize, rows: std::ops::Range<usize>, out: &mut Vec<f64>) {
    let n = points.len();
    let k = k.min(n.saturating_sub(1));
    let mut d2 = Vec::with_capacity(n);
    for i in rows {
        let x = points.row(i);
        d2.clear();
        d2.extend(
            (0..n)
                .filter(|&j| j != i)
                .map(|j| distance2(x, points.row(j))),
        );
        if k < d2.len() {
            d2.select_nth_unstable_by(k, f64::total_cmp);
        }
        let nearest = &mut d2[..k];
        nearest.sort_unstable_by(f64::total_cmp);
        out.extend(nearest.iter().map(|v| v.sqrt()));
    }
}

/// The `k` nearest-neighbour distances of every point (`k` is capped at `n − 1`).
pub fn neighbours(points: &Points, k: usize) -> Neighbours {
    let k = k.min(points.len().saturating_sub(1));
    let mut dist = Vec::with_capacity(points.len() * k);
    neighbour_rows(points, k, 0..points.len(), &mut dist);
    Neighbours { k, dist }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_on_a_line_are_the_gaps() {
        let p = Points::new(1, vec![0.0, 1.0, 3.0, 6.0]);
        let nb = neighbours(&p, 2);
        assert_eq!(nb.k, 2);
        assert_eq!(nb.row(0), &[1.0, 3.0]);
        assert_eq!(nb.row(1), &[1.0, 2.0]);
        assert_eq!(nb.row(3), &[3.0, 5.0]);
        let all = neighbours(&p, 10);
        assert_eq!(all.k, 3);
        assert_eq!(all.row(2), &[2.0, 3.0, 3.0]);
    }
}
