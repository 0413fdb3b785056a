//! The group-action panel: `x`, `g·x`, the feature maps of one layer for both, `g·f(x)` next to
//! `f(g·x)`, and their difference, for one model and one test image.

use burn::module::Module;
use burn::tensor::{Tensor, TensorData};
use orbit_math::group::{self, Element, Group, rotate_by_angle};
use orbit_models::ImageClassifier;
use serde::{Deserialize, Serialize};

use super::{Family, GroupsRun, Transform};
use crate::run::RunError;

/// Fields shown per feature map (all slots of each).
pub const PANEL_FIELDS: usize = 4;

/// What the panel asks for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PanelRequest {
    /// The model whose features are shown (must be one of the compared ones).
    pub family: Family,
    /// Test image index.
    pub image: usize,
    /// 1-based layer.
    pub layer: usize,
    /// The transformation.
    pub transform: Transform,
    /// Degrees, for [`Transform::Angle`].
    pub angle: f64,
}

/// Everything the panel draws, on the host.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionPanel {
    /// The model shown.
    pub family: Family,
    /// What `g` is, in words.
    pub description: String,
    /// Whether `g` is an element of the model's group (else no slot permutation predicts
    /// `f(g·x)`, and the difference shows it).
    pub in_group: bool,
    /// Side of the input image.
    pub side: usize,
    /// `x` and `g·x`, `side²` each.
    pub input: Vec<f32>,
    /// `g·x`.
    pub moved_input: Vec<f32>,
    /// Side of the feature maps of the chosen layer.
    pub map_side: usize,
    /// Fields shown.
    pub fields: usize,
    /// Slots per field (`|G|`; 1 for the Z2-CNN).
    pub slots: usize,
    /// The layer shown (1-based, clamped to the model's depth).
    pub layer: usize,
    /// `f(x)`: `fields × slots × map_side²`.
    pub fx: Vec<f32>,
    /// `f(g·x)`.
    pub f_gx: Vec<f32>,
    /// `g·f(x)`: the predicted `f(g·x)`.
    pub g_fx: Vec<f32>,
    /// `|f(g·x) − g·f(x)|`.
    pub difference: Vec<f32>,
    /// The layer's relative error `max|f(g·x) − g·f(x)| / max(1, max|f(x)|)` over all fields.
    pub layer_error: f64,
    /// Class probabilities for `x` and `g·x`.
    pub probabilities: [Vec<f32>; 2],
    /// The logits' relative change `max|ℓ(g·x) − ℓ(x)| / max(1, max|ℓ(x)|)`.
    pub logit_error: f64,
    /// Lifting filters and their transformed copies: `fields × slots × k²`.
    pub filters: Vec<f32>,
    /// Side of a filter.
    pub kernel: usize,
}

fn max_abs(v: &[f32]) -> f32 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

fn softmax(logits: &[f32]) -> Vec<f32> {
    let m = logits.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
    let e: Vec<f32> = logits.iter().map(|l| (l - m).exp()).collect();
    let s: f32 = e.iter().sum();
    e.iter().map(|x| x / s).collect()
}

/// `g` acting on a whole feature map `[channels, side, side]` laid out as `fields × slots`.
fn act_on_map(
    map: &[f32],
    group: Group,
    slots: usize,
    side: usize,
    transform: Transform,
    angle: f64,
) -> Vec<f32> {
    let plane = side * side;
    let spatial_only = |m: &[f32], g: Element| -> Vec<f32> {
        m.chunks(plane)
            .flat_map(|c| group::spatial(c, side, g))
            .collect()
    };
    match transform.element() {
        Some(g) if group.contains(g) && slots > 1 => group::act_on_fields(map, group, side, g),
        Some(g) => spatial_only(map, g),
        None => {
            // The nearest grid rotation permutes the slots; the rest rotates each map.
            let quarter = (angle / 90.0).round();
            let k = (quarter as i64).rem_euclid(4) as usize;
            let rest = angle - 90.0 * quarter;
            let moved = if slots > 1 {
                group::act_on_fields(map, group, side, Element(k))
            } else {
                spatial_only(map, Element(k))
            };
            moved
                .chunks(plane)
                .flat_map(|c| rotate_by_angle(c, side, rest))
                .collect()
        }
    }
}

impl GroupsRun {
    /// Computes the panel for `request`; `None` when the model is not among the compared ones.
    pub async fn panel(&self, request: PanelRequest) -> Result<Option<ActionPanel>, RunError> {
        let Some(member) = self.members.iter().find(|m| m.family == request.family) else {
            return Ok(None);
        };
        let model = member.trainer.model().valid();
        let group = request.family.group();
        let slots = group.order();
        let side = self.test.side;
        let image = self
            .test
            .image(request.image.min(self.test.len() - 1))
            .to_vec();
        let moved = match request.transform.element() {
            Some(g) => group::act_on_image(&image, side, g),
            None => rotate_by_angle(&image, side, request.angle),
        };
        let to_tensor = |px: &[f32]| {
            Tensor::<4>::from_data(
                TensorData::new(px.to_vec(), [1, 1, side, side]),
                &self.device,
            )
        };
        let layers = model.features(to_tensor(&image));
        let layer = request.layer.clamp(1, layers.len());
        let moved_layers = model.features(to_tensor(&moved));
        let fx_t = layers[layer - 1].clone();
        let [_, channels, map_side, _] = fx_t.dims();
        let read = |t: Tensor<4>| async move {
            t.into_data_async()
                .await
                .map(|d| d.iter::<f32>().collect::<Vec<f32>>())
        };
        let fx_all = read(fx_t).await?;
        let f_gx_all = read(moved_layers[layer - 1].clone()).await?;
        let g_fx_all = act_on_map(
            &fx_all,
            group,
            slots,
            map_side,
            request.transform,
            request.angle,
        );
        let diff_all: Vec<f32> = f_gx_all
            .iter()
            .zip(&g_fx_all)
            .map(|(a, b)| (a - b).abs())
            .collect();
        let layer_error = f64::from(max_abs(&diff_all)) / f64::from(max_abs(&fx_all)).max(1.0);
        let fields = (channels / slots).min(PANEL_FIELDS);
        let shown = fields * slots * map_side * map_side;
        let logits = |px: &[f32]| model.logits(to_tensor(px));
        let lx: Vec<f32> = logits(&image)
            .into_data_async()
            .await?
            .iter::<f32>()
            .collect();
        let lgx: Vec<f32> = logits(&moved)
            .into_data_async()
            .await?
            .iter::<f32>()
            .collect();
        let logit_diff: Vec<f32> = lx.iter().zip(&lgx).map(|(a, b)| a - b).collect();
        let logit_error = f64::from(max_abs(&logit_diff)) / f64::from(max_abs(&lx)).max(1.0);
        let bank = model.lift.filter_bank();
        let [_, _, kernel, _] = bank.dims();
        let filters: Vec<f32> = bank
            .into_data_async()
            .await?
            .iter::<f32>()
            .take(fields * slots * kernel * kernel)
            .collect();
        let description = match request.transform.element() {
            Some(g) => g.describe(),
            None => format!(
                "rotate {:.0}° (off the pixel grid unless a multiple of 90°)",
                request.angle
            ),
        };
        Ok(Some(ActionPanel {
            family: request.family,
            description,
            in_group: request
                .transform
                .element()
                .is_some_and(|g| group.contains(g)),
            side,
            input: image,
            moved_input: moved,
            map_side,
            fields,
            slots,
            layer,
            fx: fx_all[..shown].to_vec(),
            f_gx: f_gx_all[..shown].to_vec(),
            g_fx: g_fx_all[..shown].to_vec(),
            difference: diff_all[..shown].to_vec(),
            layer_error,
            probabilities: [softmax(&lx), softmax(&lgx)],
            logit_error,
            filters,
            kernel,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::groups::{Compare, GroupsSettings};
    use burn::tensor::Device;

    fn panel(family: Family, transform: Transform, angle: f64) -> ActionPanel {
        let settings = GroupsSettings {
            compare: Compare::Z2P4P4m,
            ..Default::default()
        };
        let run = GroupsRun::new(&settings, 3, &Device::flex());
        let request = PanelRequest {
            family,
            image: 5,
            layer: 2,
            transform,
            angle,
        };
        pollster::block_on(run.panel(request)).unwrap().unwrap()
    }

    #[test]
    fn the_panel_shows_exact_equivariance_inside_the_group_and_mismatch_outside() {
        let p4 = panel(Family::P4, Transform::R90, 0.0);
        assert!(
            p4.in_group && p4.layer_error < 1e-5 && p4.logit_error < 1e-5,
            "{} {}",
            p4.layer_error,
            p4.logit_error
        );
        assert_eq!((p4.slots, p4.map_side, p4.fields), (4, 4, 4));
        assert_eq!(p4.fx.len(), 4 * 4 * 16);
        let p4m = panel(Family::P4m, Transform::Mr90, 0.0);
        assert!(
            p4m.in_group && p4m.layer_error < 1e-5,
            "{}",
            p4m.layer_error
        );
        let p4_mirror = panel(Family::P4, Transform::M, 0.0);
        assert!(!p4_mirror.in_group && p4_mirror.layer_error > 1e-3);
        let z2 = panel(Family::Z2, Transform::R90, 0.0);
        assert!(z2.layer_error > 1e-3 && z2.logit_error > 1e-3);
        for family in [Family::Z2, Family::P4, Family::P4m] {
            let off = panel(family, Transform::Angle, 45.0);
            // Untrained logits barely depend on the input, so the logit change is small, but
            // clearly above the float noise (~1e-7) of an exact symmetry; the maps show it plainly.
            assert!(
                off.logit_error > 1e-5,
                "{family:?} at 45°: {}",
                off.logit_error
            );
            assert!(
                off.layer_error > 1e-2,
                "{family:?} at 45°: {}",
                off.layer_error
            );
        }
        let filters = &p4.filters;
        assert_eq!(filters.len(), 4 * 4 * 9);
        // The second copy of filter 0 is the first rotated by 90°.
        assert_eq!(
            &filters[9..18],
            group::rot90(&filters[0..9], 3, 1).as_slice()
        );
    }
}
