//! What the ACE labs share about their trained numbers: stopping on a γ or λ that blew up,
//! and weights files: per model its network and, beside it, its multipliers,
//! slacks and γs (λ, u and γ per layer as exact binary numbers), so that constrained training
//! continues where it was.

use orbit_models::ace::{Branched, DualState, Duals, PrimalDual};

use crate::lab::ModelWeights;
use crate::outcome::{RunError, check_value};

/// Stops a run whose γ or multiplier λ blew up, naming which (`γ_2 of ACE resilient`).
pub(crate) fn check_duals(step: usize, label: &str, state: &DualState) -> Result<(), RunError> {
    for (name, values) in [("γ", state.gamma()), ("λ", state.lambda())] {
        for (l, v) in values.iter().enumerate() {
            check_value(step, &format!("{name}_{} of {label}", l + 1), *v)?;
        }
    }
    Ok(())
}

/// The name of a model's dual state in a weights file.
fn duals_key(key: &str) -> String {
    format!("{key}-duals")
}

/// Every model's network (under its key) and dual state (under `<key>-duals`), from
/// `(key, network bytes, duals)`.
pub(crate) fn save_members<'a>(
    members: impl Iterator<Item = (&'a str, Result<Vec<u8>, String>, Duals)>,
) -> Result<ModelWeights, String> {
    let mut out = Vec::new();
    for (key, network, duals) in members {
        out.push((key.to_string(), network?));
        out.push((duals_key(key), duals.to_bytes()));
    }
    Ok(out)
}

/// Each `(key, layers)` model's network bytes and duals as [`save_members`] wrote them; an
/// error names the model whose part is missing or damaged.
pub(crate) fn saved_members<'m, 'k>(
    models: &'m [(String, Vec<u8>)],
    keys: impl Iterator<Item = (&'k str, usize)>,
) -> Result<Vec<(&'m [u8], Duals)>, String> {
    keys.map(|(key, layers)| {
        let bytes = crate::weights::model(models, key)?;
        let duals = Duals::from_bytes(crate::weights::model(models, &duals_key(key))?, layers)
            .map_err(|e| format!("the saved duals of {key:?} are damaged: {e}"))?;
        Ok((bytes, duals))
    })
    .collect()
}

/// Loads what [`save_members`] wrote into separate trainers; checks every model before changing
/// any, so a bad file leaves the run as it was.
pub(crate) fn load_members<'a, M: Branched>(
    members: impl Iterator<Item = (&'a str, &'a mut PrimalDual<M>)>,
    models: &[(String, Vec<u8>)],
    step: usize,
) -> Result<(), String> {
    let members: Vec<_> = members.collect();
    let saved = saved_members(models, members.iter().map(|(k, t)| (*k, t.layers())))?;
    for ((_, trainer), (bytes, _)) in members.iter().zip(&saved) {
        orbit_models::record::module_from_bytes(trainer.model(), bytes)?;
    }
    for ((_, trainer), (bytes, duals)) in members.into_iter().zip(saved) {
        trainer.load_weights(bytes, duals, step)?;
    }
    Ok(())
}
