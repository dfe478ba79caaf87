//! Answers: the [`Engine`] the front ends hold, the policy that turns ranked passages into an
//! [`Answer`] ([`policy`]), finding entries by topic ([`topics`]), and every sentence the bot
//! says ([`reply`]).

use serde::Serialize;

pub mod engine;
pub mod policy;
pub mod reply;
pub mod topics;

pub use crate::search::{IndexLocation, OpenError};
pub use engine::{check_faq, AnswerSettings, Engine};
pub use reply::{Referral, Refusal, Reply, ReplyKind, DEFAULT_REFERRAL, URGENT_TITLE};

/// One passage found for a question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// The entry's id.
    pub entry_id: String,
    /// The entry's question.
    pub entry_question: String,
    /// The passage's sub-heading, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// The passage text, verbatim.
    pub passage: String,
    /// Where the entry comes from.
    #[serde(skip)]
    pub source: String,
    /// The passage's position in its entry (from 0), when the index recorded it.
    #[serde(skip)]
    pub passage_no: Option<u32>,
    /// Ranking score (higher is better).
    pub score: f32,
    /// Share (0-1) of the question's weighted terms found in this passage or its entry.
    #[serde(skip)]
    pub coverage: f32,
}

impl Hit {
    /// The passage as quoted: its sub-heading on a line of its own, then the paragraph.
    pub fn quoted(&self) -> String {
        reply::quote(
            self.heading.as_deref(),
            &self.passage,
            reply::HeadingStyle::Plain,
        )
    }
}

/// The outcome of answering one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The question as asked.
    pub question: String,
    /// The best passage, when the FAQ answers the question well enough.
    pub best: Option<Hit>,
    /// The next best distinct passages (also when `best` is `None`: the closest misses).
    pub alternatives: Vec<Hit>,
    /// Entry questions to suggest when there is no answer.
    pub closest_topics: Vec<String>,
    /// No word of the question matched the FAQ at all (the topics offered are just a sample).
    pub nothing_matched: bool,
    /// Other entries that match almost as well as the answer ("did you mean").
    pub did_you_mean: Vec<String>,
    /// The question matched a red-flag pattern.
    pub urgent: bool,
    /// The notice to show first when `urgent` (from `urgent.toml`, crisis line filled in).
    pub urgent_notice: Option<String>,
}
