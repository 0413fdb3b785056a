//! The actions of C4 and D4 on Burn tensors: on images `[batch, channels, H, W]` and on regular
//! feature maps `[batch, fields · |G|, H, W]` (field-major: channel `c · |G| + s`). They are the
//! tensor counterparts of [`orbit_math::group`], and tests check the two agree.

use burn::tensor::{Device, Int, Tensor, TensorData};
use orbit_math::group::{Element, Group, MIRROR_ROT, PERM};

use crate::equivariance::Action;

/// `rot(x, k)` on the last two dimensions (counter-clockwise by 90°·k).
pub fn rot90<const D: usize>(x: Tensor<D>, k: usize) -> Tensor<D> {
    let mut x = x;
    for _ in 0..k % 4 {
        x = x.swap_dims(D - 2, D - 1).flip([D - 2]);
    }
    x
}

/// The spatial map `g_s` of slot `s` on the last two dimensions.
pub fn spatial<const D: usize>(x: Tensor<D>, g: Element) -> Tensor<D> {
    if g.0 < 4 {
        rot90(x, g.0)
    } else {
        rot90(x.swap_dims(D - 2, D - 1), MIRROR_ROT[g.0 - 4])
    }
}

/// Index tensor of a slot permutation row, for `select`.
pub fn slot_indices(group: Group, row: usize, device: &Device) -> Tensor<1, Int> {
    let n = group.order();
    let idx: Vec<i64> = PERM[row][..n].iter().map(|&s| s as i64).collect();
    Tensor::from_data(TensorData::new(idx, [n]), device)
}

fn generator_on_fields(x: Tensor<4>, group: Group, g: Element) -> Tensor<4> {
    let [b, ch, h, w] = x.dims();
    let n = group.order();
    let device = x.device();
    let fields = x.reshape([b, ch / n, n, h, w]);
    let permuted = fields.select(2, slot_indices(group, g.0, &device));
    spatial(permuted, g).reshape([b, ch, h, w])
}

/// Acts with `g` on a regular feature map `[batch, fields · |G|, H, W]`.
pub fn act_on_fields(x: Tensor<4>, group: Group, g: Element) -> Tensor<4> {
    let (mirror, rotations) = g.word();
    let mut x = x;
    if mirror {
        x = generator_on_fields(x, group, Element::MIRROR);
    }
    for _ in 0..rotations {
        x = generator_on_fields(x, group, Element::ROT90);
    }
    x
}

/// How a tensor transforms: as images (trivial fields) or as regular fields of a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Every channel is moved by the spatial map alone (input images, Z2-CNN features).
    Image,
    /// Channels are regular fields of the group: slots are permuted too.
    Regular(Group),
    /// Invariant outputs (logits): nothing moves.
    Invariant,
}

/// One group element acting on rank-4 tensors of a given [`Layout`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GridAction {
    /// The element.
    pub element: Element,
    /// How the tensor transforms.
    pub layout: Layout,
}

impl Action<4> for GridAction {
    fn act(&self, x: Tensor<4>) -> Tensor<4> {
        match self.layout {
            Layout::Image => spatial(x, self.element),
            Layout::Regular(group) => act_on_fields(x, group, self.element),
            Layout::Invariant => x,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use orbit_math::group;

    fn host(t: Tensor<4>) -> Vec<f32> {
        t.into_data().try_to_vec().unwrap()
    }

    #[test]
    fn tensor_actions_agree_with_the_host_reference() {
        let device = Device::flex();
        for group in [Group::C4, Group::D4] {
            let n = group.order();
            let (fields, side) = (2, 3);
            let data: Vec<f32> = (0..fields * n * side * side)
                .map(|i| (i * 13 % 17) as f32)
                .collect();
            let x = Tensor::<4>::from_data(
                TensorData::new(data.clone(), [1, fields * n, side, side]),
                &device,
            );
            for g in group.elements() {
                let expected = group::act_on_fields(&data, group, side, g);
                assert_eq!(
                    host(act_on_fields(x.clone(), group, g)),
                    expected,
                    "{group:?} {g}"
                );
            }
        }
        let img: Vec<f32> = (0..16).map(|i| i as f32).collect();
        let x = Tensor::<4>::from_data(TensorData::new(img.clone(), [1, 1, 4, 4]), &device);
        for s in 0..8 {
            let g = Element(s);
            assert_eq!(
                host(spatial(x.clone(), g)),
                group::act_on_image(&img, 4, g),
                "slot {s}"
            );
        }
    }
}
