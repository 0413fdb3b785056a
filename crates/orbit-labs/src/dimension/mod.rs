//! The intrinsic-dimension lab (docs/science.md §0.3, §1): TwoNN and MLE estimates as points stream
//! in, with their spread over seeds and the true dimension beside them; the representation-gap
//! scaling law `R_n ≈ C·n^(−2/d)` under no symmetry, C_k and SO(2); closed-form DDIM samples
//! collapsing onto the training set or its orbit.
//!
//! Everything here is plain Rust on the CPU (nearest neighbours, sorting, fits): the lab uses
//! no Burn device, and its steps are short chunks of that arithmetic so the page never stalls.

mod run;
mod view;

pub use run::DimensionRun;
pub use view::{DdimPanel, DimensionView, EstimateRow};

use burn::tensor::Device;
use orbit_math::dimension::{Manifold, Points};
use serde::{Deserialize, Serialize};

use crate::knob::{Choice, Kind, Knob};
use crate::lab::{Lab, LabInfo, LabRun, TourStep};

/// The point cloud a run measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cloud {
    /// S¹ in R² (d = 1).
    Circle,
    /// A closed helix in R³ (d = 1).
    Helix,
    /// S² in R³ (d = 2).
    Sphere2,
    /// The swiss roll in R³ (d = 2).
    Swiss,
    /// The flat torus T² in R⁴ (d = 2); the one with symmetry options.
    Torus,
    /// The cube [0, 1]⁵ (d = 5).
    Cube5,
    /// S⁵ in R⁶ (d = 5).
    Sphere5,
    /// Faces of the 11-cube (d = 10).
    Faces11,
    /// S¹⁰ in R¹¹ (d = 10).
    Sphere10,
    /// N(0, I₂₀) (d = 20).
    Gauss20,
    /// The 8×8 digits as points in R⁶⁴ (pixels scaled to [0, 1]); the true d is unknown.
    Digits,
    /// Points the user loaded from a CSV file (not carried by the link).
    Custom,
}

impl Cloud {
    /// The generator, for clouds with a known dimension.
    pub fn manifold(self) -> Option<Manifold> {
        Some(match self {
            Cloud::Circle => Manifold::Circle,
            Cloud::Helix => Manifold::Helix,
            Cloud::Sphere2 => Manifold::Sphere2,
            Cloud::Swiss => Manifold::Swiss,
            Cloud::Torus => Manifold::Torus,
            Cloud::Cube5 => Manifold::Cube5,
            Cloud::Sphere5 => Manifold::Sphere5,
            Cloud::Faces11 => Manifold::Faces11,
            Cloud::Sphere10 => Manifold::Sphere10,
            Cloud::Gauss20 => Manifold::Gauss20,
            Cloud::Digits | Cloud::Custom => return None,
        })
    }

    /// Whether the distribution of the first two coordinates is invariant under C_k, the
    /// rotations of that plane by multiples of 2π/k (the symmetry the DDIM panel's
    /// symmetrised denoiser assumes): the circle, the torus's first circle, the spheres and
    /// the Gaussian for every k; the helix, whose radius is `2 + cos 8t`, only when k divides
    /// 8; the swiss roll, the cube, the 11-cube's faces, the digits and unknown points not.
    pub fn plane_symmetric(self, k: usize) -> bool {
        match self {
            Cloud::Circle
            | Cloud::Torus
            | Cloud::Sphere2
            | Cloud::Sphere5
            | Cloud::Sphere10
            | Cloud::Gauss20 => true,
            Cloud::Helix => k > 0 && 8usize.is_multiple_of(k),
            Cloud::Swiss | Cloud::Cube5 | Cloud::Faces11 | Cloud::Digits | Cloud::Custom => false,
        }
    }
}

/// Choices of the `cloud` knob.
const CLOUD_CHOICES: &[Choice] = &[
    Choice {
        value: "circle",
        label: "Circle S¹ in R² (d = 1)",
    },
    Choice {
        value: "helix",
        label: "Helix in R³ (d = 1)",
    },
    Choice {
        value: "sphere2",
        label: "Sphere S² in R³ (d = 2)",
    },
    Choice {
        value: "swiss",
        label: "Swiss roll in R³ (d = 2)",
    },
    Choice {
        value: "torus",
        label: "Flat torus T² in R⁴ (d = 2)",
    },
    Choice {
        value: "cube5",
        label: "Cube [0,1]⁵ (d = 5)",
    },
    Choice {
        value: "sphere5",
        label: "Sphere S⁵ in R⁶ (d = 5)",
    },
    Choice {
        value: "faces11",
        label: "Faces of the 11-cube (d = 10)",
    },
    Choice {
        value: "sphere10",
        label: "Sphere S¹⁰ in R¹¹ (d = 10)",
    },
    Choice {
        value: "gauss20",
        label: "Gaussian in R²⁰ (d = 20)",
    },
    Choice {
        value: "digits",
        label: "Digits, raw pixels in R⁶⁴ (d unknown)",
    },
    Choice {
        value: "custom",
        label: "Your points (CSV)",
    },
];

/// Settings of the dimension lab (share-link keys in brackets).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DimensionSettings {
    /// The data (`cloud`).
    pub cloud: Cloud,
    /// Points at the end of the stream (`points`).
    pub points: usize,
    /// Standard deviation of the Gaussian noise added to every coordinate (`noise`).
    pub noise: f64,
    /// Independent samples whose spread is shown (`seeds`).
    pub seeds: usize,
    /// Neighbours of the MLE (`knn`).
    pub knn: usize,
    /// Held-out points of the scaling estimator (`held`).
    pub held: usize,
    /// Order k of the cyclic group C_k (`order`).
    pub order: usize,
    /// Training points of the DDIM panel (`ddim`).
    pub ddim: usize,
    /// View: turn of the 3D projection about the vertical axis, in degrees (`yaw`).
    pub yaw: f64,
    /// View: tilt of the 3D projection, in degrees (`pitch`).
    pub pitch: f64,
}

impl Default for DimensionSettings {
    fn default() -> Self {
        Self {
            cloud: Cloud::Torus,
            points: 2500,
            noise: 0.0,
            seeds: 3,
            knn: 20,
            held: 4000,
            order: 4,
            ddim: 6,
            yaw: 30.0,
            pitch: 20.0,
        }
    }
}

impl Lab for DimensionSettings {
    type View = DimensionView;

    const INFO: LabInfo = LabInfo {
        key: "dimension",
        title: "Intrinsic dimension: TwoNN, MLE and the representation gap",
        menu: "Intrinsic dimension",
        summary: "Estimate the intrinsic dimension of data whose answer is known (TwoNN, MLE) and of real digits, and see the representation gap scale.",
        intro: "Data in a high-dimensional space often lies near a low-dimensional manifold. TwoNN and MLE read its dimension d from nearest-neighbour distances; the representation gap R_n (how far new points are from the n training points) shrinks like n^(−2/d), and a symmetry shrinks it further. Press Play to stream points in.",
        knobs: KNOBS,
        tour: &[
            TourStep {
                link: "lab=dimension&cloud=circle",
                say: "A circle in the plane: every estimator should settle near 1 as the points double.",
            },
            TourStep {
                link: "lab=dimension&cloud=swiss",
                say: "The Swiss roll lives in 3D but is a 2D sheet: the estimates find 2, not 3.",
            },
            TourStep {
                link: "lab=dimension&cloud=sphere10",
                say: "A 10-sphere: in high dimension the estimators fall below the truth for lack of points.",
            },
            TourStep {
                link: "lab=dimension&cloud=torus&noise=0.05",
                say: "Noise on a torus: at small scales the estimates inflate towards the ambient dimension.",
            },
            TourStep {
                link: "lab=dimension&cloud=digits",
                say: "Real digits: 64 pixels, but far fewer dimensions; compare TwoNN with MLE.",
            },
        ],
    };

    /// The device is unused: the lab's arithmetic is plain Rust on the CPU.
    fn build(&self, seed: u64, _device: &Device, points: Option<&Points>) -> Box<dyn LabRun> {
        Box::new(DimensionRun::new(self, seed, points))
    }

    /// The estimators are plain Rust on the CPU: no backend to choose.
    fn uses_device(&self) -> bool {
        false
    }

    /// Nothing to time per model: the lab has no training step.
    fn benchmark_parts(&self) -> Vec<(String, Self)> {
        Vec::new()
    }
}

/// The dimension lab's knobs.
pub const KNOBS: &[Knob] = &[
    Knob {
        view_only: false,
        key: "cloud",
        label: "Data",
        help: "Points with a known intrinsic dimension, the raw digits, or your own CSV.",
        kind: Kind::Choice(CLOUD_CHOICES),
    },
    Knob {
        view_only: false,
        key: "points",
        label: "Points",
        help: "The stream grows by doubling up to this many points.",
        kind: Kind::Int { min: 64, max: 5000 },
    },
    Knob {
        view_only: false,
        key: "noise",
        label: "Noise σ",
        help: "Gaussian noise on every coordinate; it inflates the estimates at small scales.",
        kind: Kind::Float {
            min: 0.0,
            max: 0.5,
            log: false,
        },
    },
    Knob {
        view_only: false,
        key: "seeds",
        label: "Seeds",
        help: "Independent samples; the spread of the estimates over them is shown.",
        kind: Kind::Int { min: 1, max: 8 },
    },
    Knob {
        view_only: false,
        key: "knn",
        label: "MLE neighbours k",
        help: "Neighbours k of the MLE (scikit-dimension uses 20); Levina–Bickel always averages k = 10–20.",
        kind: Kind::Int { min: 3, max: 50 },
    },
    Knob {
        view_only: false,
        key: "held",
        label: "Held-out points",
        help: "Points at which the representation gap R_n is measured.",
        kind: Kind::Int {
            min: 100,
            max: 8000,
        },
    },
    Knob {
        view_only: false,
        key: "order",
        label: "Order k of C_k",
        help: "The finite symmetry rotates the torus's first angle by multiples of 2π/k.",
        kind: Kind::Int { min: 2, max: 12 },
    },
    Knob {
        view_only: false,
        key: "ddim",
        label: "DDIM training points",
        help: "Points the closed-form denoiser memorises.",
        kind: Kind::Int { min: 2, max: 32 },
    },
    Knob {
        view_only: true,
        key: "yaw",
        label: "Turn (°)",
        help: "Turns the 3D view about its vertical axis (or drag the cloud).",
        kind: Kind::Float {
            min: -180.0,
            max: 180.0,
            log: false,
        },
    },
    Knob {
        view_only: true,
        key: "pitch",
        label: "Tilt (°)",
        help: "Tilts the 3D view (or drag the cloud).",
        kind: Kind::Float {
            min: -90.0,
            max: 90.0,
            log: false,
        },
    },
];
