//! The FAQ as data: entries and passages, their Markdown files, the article importer,
//! validation, the moderators' synonym list and atomic writes.

pub mod check;
pub mod entry;
pub mod file;
pub mod import;
pub mod load;
pub mod questions;
pub mod stamp;
pub mod store;
pub mod synonyms;
pub mod synthetic;

pub use entry::{Entry, Faq, Passage};
pub use load::{load_faq, FaqSource};
