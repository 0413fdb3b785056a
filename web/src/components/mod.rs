//! The page's views, one concept per file.

pub mod badge;
pub mod bench;
pub mod cloud;
pub mod confusion;
pub mod controls;
pub mod csv;
pub mod dimension_bench;
pub mod gallery;
pub mod graph_editor;
pub mod heatmap;
pub mod notices;
pub mod plot;
pub mod share;
pub mod spectrum_bench;
pub mod stats;
pub mod transport;
