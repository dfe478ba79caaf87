//! Search: text analysis (stemming, stop words, synonyms), the tantivy index, and ranking.

pub mod analyze;
pub mod directory;
pub mod engine;
pub mod index;
pub mod manifest;
pub mod rank;

pub use engine::{Engine, OpenError};
