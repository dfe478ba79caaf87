//! faqbot: answers questions from a moderator-curated FAQ, always ending with a referral to an
//! oncologist. The core (FAQ files, index and search, answers) knows nothing of Discord; the
//! Discord glue lives in [`discord`].

pub mod answer;
pub mod cli;
pub mod config;
pub mod discord;
pub mod eval;
pub mod faq;
pub mod insight;
pub mod safety;
pub mod search;

pub use answer::{Answer, Referral, Reply, ReplyKind};
pub use config::Config;
pub use search::Engine;
