//! Answers: the [`Engine`] the front ends hold, the policy that turns ranked passages into an
//! [`Answer`] ([`policy`]), finding entries by topic ([`topics`]), and every sentence the bot
//! says ([`reply`]).

pub mod confidence;
pub mod engine;
pub mod experience;
pub mod explain;
pub mod measure;
pub mod policy;
pub mod reply;
pub mod topics;

pub use crate::search::{Hit, IndexLocation, OpenError};
pub use engine::{check_faq, AnswerSettings, Engine};
pub use reply::{Referral, Refusal, Reply, ReplyKind, DEFAULT_REFERRAL, URGENT_TITLE};

/// The outcome of answering one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The question as asked.
    pub question: String,
    /// The best passage, when the FAQ answers the question well enough.
    pub best: Option<Hit>,
    /// The sub-headings after the best passage in its entry, when that passage ends with a
    /// colon ("Here are some of the most common methods:"): the list it introduces, which the
    /// reply shows so that the answer does not stop where the list should begin.
    pub introduces: Vec<String>,
    /// The next best distinct passages (also when `best` is `None`: the closest misses).
    pub alternatives: Vec<Hit>,
    /// Entry questions to suggest when there is no answer.
    pub closest_topics: Vec<String>,
    /// No word of the question matched the FAQ at all (the topics offered are just a sample).
    pub nothing_matched: bool,
    /// Other entries that match almost as well as the answer ("did you mean").
    pub did_you_mean: Vec<String>,
    /// How sure the bot is (0-1) that the best candidate answers the question.
    pub confidence: f32,
    /// The signals that confidence was computed from.
    pub evidence: confidence::Evidence,
    /// The question matched a red-flag pattern.
    pub urgent: bool,
    /// The notice to show first when `urgent` (from `urgent.toml`, crisis line filled in).
    pub urgent_notice: Option<String>,
    /// The red flags it matched, in `urgent.toml`'s order, with the words that raised each.
    pub red_flags: Vec<crate::triage::UrgentMatch>,
}
