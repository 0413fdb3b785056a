//! Approximately equivariant networks trained by constrained optimisation (ACE: Manolache,
//! Chamon & Niepert, NeurIPS 2025; docs/science.md §4).
//!
//! [`VectorNetConfig`] → [`VectorNet`]: an SO(2)×S_N-equivariant network on point sets whose
//! every layer adds a non-equivariant branch scaled by its own γ. [`PrimalDual`] trains it in
//! one [`Mode`]: strict (γ ≡ 0), unconstrained, or ACE with the equality or the resilient
//! constraint, stepping the multipliers (and slacks) beside the weights.

mod network;
mod trainer;

pub use network::{VectorLayer, VectorNet, VectorNetConfig};
pub use trainer::{Duals, Mode, PrimalDual, PrimalDualSettings};

#[cfg(test)]
mod tests;
