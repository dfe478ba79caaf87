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
    /// What the ranking saw in this passage, for the answer policy and `--explain`.
    #[serde(skip)]
    pub signals: Signals,
}

/// What the ranking measured for one passage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Signals {
    /// Share (0-1) of the question's weight found in the passage, its heading, or its entry's
    /// question and aliases.
    pub coverage: f32,
    /// Share found in the passage's own heading and text.
    pub own: f32,
    /// BM25 score, proximity included.
    pub bm25: f32,
    /// BM25 score relative to the best candidate's.
    pub bm25_ratio: f32,
    /// Share of the question's weight carried by words the FAQ never uses (the same for every
    /// candidate of a question).
    pub unknown: f32,
    /// Share of the question's words in its focus that the FAQ never uses, each counted once
    /// whatever its English frequency (the same for every candidate).
    pub unknown_words: f32,
    /// Share of the question's weight found in the entry's question and aliases and the
    /// passage's own questions: how closely the question was foreseen.
    pub asked: f32,
    /// The rarity (idf, relative to the rarest possible) of the question terms the passage
    /// holds, summed: near 0 when it matches only words every passage has ("IL-2").
    pub matched_rarity: f32,
    /// How many terms the part of the question that asks holds (all its terms when no part
    /// asks; the same for every candidate): a long question leaves more words unmatched by a
    /// right passage than a short one.
    pub focus_terms: f32,
    /// How closely the question matches the single closest question the passage answers (its
    /// entry's question, an alias or one of its own alternate questions): the harmonic mean of
    /// the share of the question's weight that question holds and the share of that question's
    /// terms the member used. 1 when a member asks a foreseen question again in other order.
    pub question_match: f32,
    /// Bit mask of the question terms the passage or its entry holds (bit `i`: term `i`).
    #[serde(skip)]
    pub matched: u64,
    /// Whether the passage or its entry holds a question term that says what the question is
    /// about: one of its own text or entry question, or a synonym term or uncommon word from
    /// its aliases and alternate questions. A post that shares only everyday words with the
    /// alternate questions ("is this normal?", "look at this") shows no sign of asking about
    /// the FAQ's topic, however well those words match.
    #[serde(skip)]
    pub topical: bool,
    /// Whether a topical term is more than an everyday word of the passage's text: one of its
    /// entry question or heading, a synonym term, or an uncommon word. Everyday words of the
    /// text alone ("right" in "there is no one right way") match chat as well as questions.
    #[serde(skip)]
    pub specific: bool,
}
