//! The page's views, one concept per file.

pub mod badge;
pub mod bench;
pub mod classroom;
pub mod cloud;
pub mod confusion;
pub mod controls;
pub mod csv;
pub mod dimension_bench;
pub mod export;
pub mod figure_save;
pub mod gallery;
pub mod graph_editor;
pub mod heatmap;
pub mod landing;
pub mod notices;
pub mod plot;
pub mod share;
pub mod spectrum_bench;
pub mod stats;
pub mod theme;
pub mod tour;
pub mod transport;
