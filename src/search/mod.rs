//! Search: text analysis (stemming, stop words, synonyms), the tantivy index and its on-disk
//! cache, and ranking passages for a question.

pub mod analyze;
pub mod cache;
pub mod directory;
pub mod engine;
mod hit;
pub mod index;
pub mod rank;
pub mod slots;
pub mod stored;

pub use engine::{IndexLocation, OpenError, Search};
pub use hit::{Hit, Signals};
