//! The point groups of the square grid and their action on images and on p4/p4m feature maps.
//!
//! [`Group::C4`] is the four rotations by multiples of 90° (the group of p4), [`Group::D4`]
//! adds the mirrors (p4m). An [`Element`] is numbered by its *slot*, the orientation channel a
//! regular field keeps for it (docs/science.md §0.2, the conventions of Cohen & Welling's code):
//! slots 0–3 are `rot(·, s)` (counter-clockwise by 90°·s) and slots 4–7 are
//! `rot(·ᵀ, [3, 2, 1, 0][s − 4])`. On a regular field `f[c, s, y, x]`, rotation acts as
//! `rot(f[:, PERM[1]], 1)` and the mirror as `rot(transpose(f[:, PERM[4]]), 3)`; any other
//! element is a word in those generators ([`Element::word`]).
//!
//! Host-side (plain `f32` slices) versions live here for display and for tests; the models
//! layer applies the same actions to Burn tensors.

use std::fmt;

/// Slot permutations of p4m's group convolution: row `r` lists, for each output slot, the input
/// slot it reads (docs/science.md §0.2). The first four entries of rows 0–3 are p4's rolls.
pub const PERM: [[usize; 8]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7],
    [3, 0, 1, 2, 5, 6, 7, 4],
    [2, 3, 0, 1, 6, 7, 4, 5],
    [1, 2, 3, 0, 7, 4, 5, 6],
    [4, 5, 6, 7, 0, 1, 2, 3],
    [5, 6, 7, 4, 3, 0, 1, 2],
    [6, 7, 4, 5, 2, 3, 0, 1],
    [7, 4, 5, 6, 1, 2, 3, 0],
];

/// Rotation applied after the transpose for mirrored slots 4–7.
pub const MIRROR_ROT: [usize; 4] = [3, 2, 1, 0];

/// A point group of the square grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Group {
    /// Only the identity: a G-CNN on it is an ordinary CNN (translations only, Z²).
    Trivial,
    /// Rotations by multiples of 90° (p4).
    C4,
    /// Rotations and mirrors (p4m).
    D4,
}

impl Group {
    /// Number of elements (and of slots in a regular field).
    pub fn order(self) -> usize {
        match self {
            Group::Trivial => 1,
            Group::C4 => 4,
            Group::D4 => 8,
        }
    }

    /// Every element, by slot.
    pub fn elements(self) -> impl Iterator<Item = Element> {
        (0..self.order()).map(Element)
    }

    /// The generators: rotation by 90°, and for D4 the mirror.
    pub fn generators(self) -> Vec<Element> {
        match self {
            Group::Trivial => vec![],
            Group::C4 => vec![Element::ROT90],
            Group::D4 => vec![Element::ROT90, Element::MIRROR],
        }
    }

    /// Whether `g` belongs to this group.
    pub fn contains(self, g: Element) -> bool {
        g.0 < self.order()
    }

    /// The wallpaper-group name of the G-CNN built on it.
    pub fn name(self) -> &'static str {
        match self {
            Group::Trivial => "Z2",
            Group::C4 => "p4",
            Group::D4 => "p4m",
        }
    }
}

/// A group element, identified by its slot (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Element(pub usize);

impl Element {
    /// The identity.
    pub const IDENTITY: Element = Element(0);
    /// Counter-clockwise rotation by 90°.
    pub const ROT90: Element = Element(1);
    /// The mirror `x ↦ rot(xᵀ, 3)`.
    pub const MIRROR: Element = Element(4);

    /// Whether the element reverses orientation.
    pub fn is_mirror(self) -> bool {
        self.0 >= 4
    }

    /// The element as generators applied right to left: `(mirror first?, rotations after)`.
    /// Slot s < 4 is `rot^s`; slot s ≥ 4 is `rot^((8 − s) mod 4) ∘ mirror`.
    pub fn word(self) -> (bool, usize) {
        if self.0 < 4 {
            (false, self.0)
        } else {
            (true, (8 - self.0) % 4)
        }
    }

    /// Human description: "identity", "rotate 90°", "mirror, then rotate 180°" …
    pub fn describe(self) -> String {
        match self.word() {
            (false, 0) => "identity".into(),
            (false, r) => format!("rotate {}°", 90 * r),
            (true, 0) => "mirror".into(),
            (true, r) => format!("mirror, then rotate {}°", 90 * r),
        }
    }
}

impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// `rot(a, k)`: rotates a `side × side` row-major grid counter-clockwise by 90°·k
/// (numpy's `rot90` on the last two axes).
pub fn rot90(a: &[f32], side: usize, k: usize) -> Vec<f32> {
    let mut out = a.to_vec();
    for _ in 0..k % 4 {
        let prev = out.clone();
        for y in 0..side {
            for x in 0..side {
                // rot(A)[y][x] = A[x][side − 1 − y]
                out[y * side + x] = prev[x * side + (side - 1 - y)];
            }
        }
    }
    out
}

/// The transpose of a `side × side` grid.
pub fn transpose(a: &[f32], side: usize) -> Vec<f32> {
    let mut out = vec![0.0; a.len()];
    for y in 0..side {
        for x in 0..side {
            out[y * side + x] = a[x * side + y];
        }
    }
    out
}

/// The spatial map `g_s` of slot `s` on one grid.
pub fn spatial(a: &[f32], side: usize, g: Element) -> Vec<f32> {
    if g.0 < 4 {
        rot90(a, side, g.0)
    } else {
        rot90(&transpose(a, side), side, MIRROR_ROT[g.0 - 4])
    }
}

/// Acts on one image (or any trivial field): `x ↦ g_s(x)`.
pub fn act_on_image(image: &[f32], side: usize, g: Element) -> Vec<f32> {
    spatial(image, side, g)
}

/// Acts on a regular feature map `f[c, s, y, x]` (`fields × |G| × side × side`, row-major).
/// `g` must belong to `group`.
pub fn act_on_fields(f: &[f32], group: Group, side: usize, g: Element) -> Vec<f32> {
    assert!(
        group.contains(g),
        "{g} is not an element of {}",
        group.name()
    );
    let (mirror, rotations) = g.word();
    let mut out = f.to_vec();
    if mirror {
        out = generator_on_fields(&out, group, side, Element::MIRROR);
    }
    for _ in 0..rotations {
        out = generator_on_fields(&out, group, side, Element::ROT90);
    }
    out
}

fn generator_on_fields(f: &[f32], group: Group, side: usize, g: Element) -> Vec<f32> {
    let n = group.order();
    let plane = side * side;
    let fields = f.len() / (n * plane);
    let mut out = vec![0.0; f.len()];
    for c in 0..fields {
        for s in 0..n {
            let src = PERM[g.0][s];
            let from = &f[(c * n + src) * plane..(c * n + src + 1) * plane];
            let moved = spatial(from, side, g);
            out[(c * n + s) * plane..(c * n + s + 1) * plane].copy_from_slice(&moved);
        }
    }
    out
}

/// Rotates a `side × side` image counter-clockwise by `degrees` about its centre, with bilinear
/// interpolation and zeros outside: the continuous rotation that a pixel grid can only
/// approximate. At multiples of 90° it equals [`rot90`] up to rounding.
pub fn rotate_by_angle(image: &[f32], side: usize, degrees: f64) -> Vec<f32> {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let c = (side as f64 - 1.0) / 2.0;
    let at = |y: isize, x: isize| -> f64 {
        if (0..side as isize).contains(&y) && (0..side as isize).contains(&x) {
            f64::from(image[y as usize * side + x as usize])
        } else {
            0.0
        }
    };
    let mut out = vec![0.0; side * side];
    for y in 0..side {
        for x in 0..side {
            // Output pixel (x, y) in image coordinates (y down); counter-clockwise on screen
            // means clockwise in these coordinates, so sample the source by the inverse.
            let (dx, dy) = (x as f64 - c, y as f64 - c);
            let sx = c + cos * dx - sin * dy;
            let sy = c + sin * dx + cos * dy;
            let (x0, y0) = (sx.floor(), sy.floor());
            let (fx, fy) = (sx - x0, sy - y0);
            let (x0, y0) = (x0 as isize, y0 as isize);
            let v = at(y0, x0) * (1.0 - fx) * (1.0 - fy)
                + at(y0, x0 + 1) * fx * (1.0 - fy)
                + at(y0 + 1, x0) * (1.0 - fx) * fy
                + at(y0 + 1, x0 + 1) * fx * fy;
            out[y * side + x] = v as f32;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(side: usize) -> Vec<f32> {
        (0..side * side).map(|i| i as f32).collect()
    }

    #[test]
    fn rot90_matches_numpy() {
        // np.rot90([[1, 2], [3, 4]]) == [[2, 4], [1, 3]]
        assert_eq!(rot90(&[1.0, 2.0, 3.0, 4.0], 2, 1), vec![2.0, 4.0, 1.0, 3.0]);
        let a = grid(5);
        assert_eq!(rot90(&a, 5, 4), a);
        assert_eq!(rot90(&rot90(&a, 5, 1), 5, 3), a);
    }

    #[test]
    fn slots_follow_the_generator_words() {
        let a = grid(4);
        for s in 0..8 {
            let g = Element(s);
            let (mirror, r) = g.word();
            let mut b = a.clone();
            if mirror {
                b = spatial(&b, 4, Element::MIRROR);
            }
            b = rot90(&b, 4, r);
            assert_eq!(spatial(&a, 4, g), b, "slot {s}");
        }
    }

    #[test]
    fn the_eight_slots_are_eight_distinct_maps() {
        let a = grid(3);
        let mut maps: Vec<Vec<f32>> = (0..8).map(|s| spatial(&a, 3, Element(s))).collect();
        maps.sort_by(|x, y| x.partial_cmp(y).unwrap());
        maps.dedup();
        assert_eq!(maps.len(), 8);
    }

    #[test]
    fn the_mirror_is_an_involution_and_rotation_has_order_four() {
        for group in [Group::C4, Group::D4] {
            let f: Vec<f32> = (0..2 * group.order() * 9)
                .map(|i| (i * 7 % 11) as f32)
                .collect();
            let mut r = f.clone();
            for _ in 0..4 {
                r = act_on_fields(&r, group, 3, Element::ROT90);
            }
            assert_eq!(r, f, "{group:?}: rot⁴ = id");
            assert_ne!(act_on_fields(&f, group, 3, Element::ROT90), f);
        }
        let f: Vec<f32> = (0..8 * 9).map(|i| i as f32).collect();
        let m = act_on_fields(&f, Group::D4, 3, Element::MIRROR);
        assert_ne!(m, f);
        assert_eq!(act_on_fields(&m, Group::D4, 3, Element::MIRROR), f);
    }

    #[test]
    fn angle_rotation_matches_the_grid_rotation_at_90_degrees_only() {
        let a: Vec<f32> = (0..64).map(|i| ((i * 37) % 17) as f32).collect();
        let r = rotate_by_angle(&a, 8, 90.0);
        let exact = rot90(&a, 8, 1);
        let worst = r
            .iter()
            .zip(&exact)
            .map(|(p, q)| (p - q).abs())
            .fold(0.0, f32::max);
        assert!(worst < 1e-4, "{worst}");
        assert_eq!(rotate_by_angle(&a, 8, 0.0), a);
        let r45 = rotate_by_angle(&rotate_by_angle(&a, 8, 45.0), 8, 45.0);
        let off = r45
            .iter()
            .zip(&exact)
            .map(|(p, q)| (p - q).abs())
            .fold(0.0, f32::max);
        assert!(off > 0.5, "two 45° turns lose information on a grid: {off}");
    }

    #[test]
    fn descriptions_read_well() {
        assert_eq!(Element(0).describe(), "identity");
        assert_eq!(Element(2).to_string(), "rotate 180°");
        assert_eq!(Element(4).to_string(), "mirror");
        assert_eq!(Element(7).to_string(), "mirror, then rotate 90°");
        assert_eq!(
            Group::D4.generators(),
            vec![Element::ROT90, Element::MIRROR]
        );
    }
}
