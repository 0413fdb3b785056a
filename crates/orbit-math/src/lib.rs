//! Orbit's math layer: everything that needs neither Burn nor a browser.
//!
//! - [`Rng`]: a small seeded generator (xoshiro256++ seeded by SplitMix64), identical on every
//!   platform, so that a share link plus a seed gives the same data, split and initial weights
//!   natively and in the page.
//! - [`digits`]: the 8×8 handwritten digits (parsing and the [`Digits`] table).
//! - [`equivariance`]: the one equivariance error, `max|f(g·x) − g·f(x)| / max(1, max|f(x)|)`.
//! - [`graph`]: graphs, their Laplacians and spectra with eigenvalue multiplicities.
//! - [`frame`]: small point clouds, their PCA frames and the O(d) task's target.
//! - [`group`]: C4 and D4, their elements (slots) and their action on images and p4/p4m maps.
//! - [`split`]: seeded train/test splits of row indices.
//! - [`stats`]: confusion matrices and per-class accuracy.
//! - [`dimension`]: intrinsic-dimension estimators, manifolds with a known dimension, the
//!   representation-gap scaling law and closed-form diffusion denoisers.
//! - [`pointset`]: the ACE lab's point sets, their SO(2)×S_N-equivariant target and its wind.
//! - [`plot`]: axis ranges, tick values and curve downsampling for the page's charts.
//!
//! ```
//! use orbit_math::{Rng, split::train_test_split};
//! let mut rng = Rng::new(7);
//! let (train, test) = train_test_split(10, 0.2, &mut rng);
//! assert_eq!((train.len(), test.len()), (8, 2));
//! ```

pub mod digits;
pub mod dimension;
pub mod equivariance;
pub mod frame;
pub mod graph;
pub mod group;
pub mod plot;
pub mod pointset;
pub mod rng;
pub mod split;
pub mod stats;

pub use digits::Digits;
pub use rng::Rng;
