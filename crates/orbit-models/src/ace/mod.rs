//! Approximately equivariant networks trained by constrained optimisation (ACE: Manolache,
//! Chamon & Niepert, NeurIPS 2025; docs/science.md §4).
//!
//! [`VectorNetConfig`] → [`VectorNet`]: an SO(2)×S_N-equivariant network on point sets whose
//! every layer adds a non-equivariant branch scaled by its own γ. [`PrimalDual`] trains it in
//! one [`Mode`]: strict (γ ≡ 0), unconstrained, or ACE with the equality or the resilient
//! constraint, stepping the multipliers (and slacks) beside the weights. [`VectorNetStack`] and
//! [`PrimalDualStack`]: several such networks as one module, each member in its own mode,
//! stepped together (what the lab runs: one pass instead of four). [`BranchedCnnConfig`] →
//! [`BranchedCnn`]: the group-action lab's P4 G-CNN with an ordinary convolution beside every
//! layer, for digits where full rotation symmetry is wrong (a 6 is not a 9).

mod image;
mod network;
mod stack;
mod stack_trainer;
mod trainer;

pub use image::{BranchedCnn, BranchedCnnConfig};
pub use network::{VectorLayer, VectorNet, VectorNetConfig};
pub use stack::{VectorLayerStack, VectorNetStack};
pub use stack_trainer::PrimalDualStack;
pub use trainer::{Branched, DualState, Duals, Mode, PrimalDual, PrimalDualSettings};

#[cfg(test)]
mod tests;
