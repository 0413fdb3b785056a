//! What the ACE labs share about their trained numbers: stopping on a γ or λ that blew up,
//! and weights files: per model its network and, beside it, its multipliers,
//! slacks and γs (λ, u and γ per layer as exact binary numbers), so that constrained training
//! continues where it was.

use orbit_models::ace::{Branched, Duals, PrimalDual};

use crate::lab::ModelWeights;
use crate::outcome::{RunError, check_value};

/// Stops a run whose γ or multiplier λ blew up, naming which (`γ_2 of ACE resilient`).
pub(crate) fn check_duals<M: Branched>(
    step: usize,
    label: &str,
    trainer: &PrimalDual<M>,
) -> Result<(), RunError> {
    for (name, values) in [("γ", trainer.gamma()), ("λ", trainer.lambda())] {
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

/// Every model's network (under its key) and dual state (under `<key>-duals`).
pub(crate) fn save_members<'a, M: Branched>(
    members: impl Iterator<Item = (&'a str, &'a PrimalDual<M>)>,
) -> Result<ModelWeights, String> {
    let mut out = Vec::new();
    for (key, trainer) in members {
        out.push((key.to_string(), trainer.weights()?));
        out.push((duals_key(key), trainer.duals().to_bytes()));
    }
    Ok(out)
}

/// Loads what [`save_members`] wrote into the same models; checks every model before changing
/// any, so a bad file leaves the run as it was.
pub(crate) fn load_members<'a, M: Branched>(
    members: impl Iterator<Item = (&'a str, &'a mut PrimalDual<M>)>,
    models: &[(String, Vec<u8>)],
    step: usize,
) -> Result<(), String> {
    let mut checked = Vec::new();
    for (key, trainer) in members {
        let bytes = crate::weights::model(models, key)?;
        orbit_models::record::module_from_bytes(trainer.model(), bytes)?;
        let duals = Duals::from_bytes(
            crate::weights::model(models, &duals_key(key))?,
            trainer.layers(),
        )
        .map_err(|e| format!("the saved duals of {key:?} are damaged: {e}"))?;
        checked.push((trainer, bytes, duals));
    }
    for (trainer, bytes, duals) in checked {
        trainer.load_weights(bytes, duals, step)?;
    }
    Ok(())
}
