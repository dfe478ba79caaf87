//! A passage the search found for a question, as stored in the index.

use serde::Serialize;

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
