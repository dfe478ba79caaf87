//! faqbot: answers questions from a moderator-curated FAQ, always ending with a referral to an
//! oncologist.
//!
//! The layers, each importing only the ones below it: the front ends [`cli`] and [`discord`]
//! (with [`config`]); [`answer`] and [`insight`]; [`search`] and [`triage`]; [`faq`]; and the
//! leaves [`text`] and [`problem`]. Nothing outside [`discord`] knows of Discord.

#![warn(missing_docs)]

pub mod answer;
pub mod cli;
pub mod config;
pub mod discord;
pub mod faq;
pub mod insight;
pub mod logging;
pub mod problem;
pub mod search;
pub mod text;
pub mod triage;

pub use answer::Engine;
pub use answer::{Answer, Referral, Reply, ReplyKind};
pub use config::Config;
