//! What the bot says, independent of where it is said (terminal, JSON, Discord): every sentence
//! of every reply is written here.
//!
//! Every reply is a [`Reply`], and [`Reply::new`] is the only way to make one: it takes the
//! [`Referral`], so no reply kind can leave the oncologist referral out.

use super::Answer;
use crate::faq::Faq;
use serde::Serialize;

/// The default referral appended to every reply.
pub const DEFAULT_REFERRAL: &str = "This is general information from our community FAQ, not \
medical advice. Please talk to your oncologist or care team about your own situation before \
making any decision about treatment.";

/// The referral to an oncologist: never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral(String);

impl Referral {
    /// Makes a referral; `None` when the text is blank.
    pub fn new(text: &str) -> Option<Self> {
        let t = text.trim();
        (!t.is_empty()).then(|| Referral(t.to_string()))
    }

    /// The referral text.
    pub fn text(&self) -> &str {
        &self.0
    }
}

impl Default for Referral {
    fn default() -> Self {
        Referral(DEFAULT_REFERRAL.to_string())
    }
}

/// The title of a reply that carries an urgent notice.
pub const URGENT_TITLE: &str = "⚠️ This may be urgent";

/// The kind of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyKind {
    /// A passage from the FAQ.
    Answer,
    /// The FAQ does not cover the question.
    NoAnswer,
    /// A list of topics.
    List,
    /// How to use the bot.
    Help,
    /// Something went wrong, or the request was refused.
    Error,
    /// A plain notice (confirmation, status).
    Notice,
}

/// A reply ready to render: title, body, source and the referral.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// What kind of reply this is.
    pub kind: ReplyKind,
    /// The title (an entry's question), if any.
    pub title: Option<String>,
    /// The main text.
    pub body: String,
    /// Source attribution, if any.
    pub source: Option<String>,
    /// The body starts with an urgent notice (a red-flag question): say so wherever it is shown.
    pub urgent: bool,
    referral: Referral,
}

impl Reply {
    /// The one constructor: every reply carries the referral.
    pub fn new(
        kind: ReplyKind,
        title: Option<String>,
        body: String,
        source: Option<String>,
        referral: &Referral,
    ) -> Self {
        Reply {
            kind,
            title: title.filter(|t| !t.trim().is_empty()),
            body,
            source: source.filter(|s| !s.trim().is_empty()),
            urgent: false,
            referral: referral.clone(),
        }
    }

    /// The referral this reply carries.
    pub fn referral(&self) -> &str {
        self.referral.text()
    }

    /// The reply to an answered or unanswered question.
    pub fn for_answer(answer: &Answer, referral: &Referral) -> Self {
        if let Some(notice) = answer
            .urgent_notice
            .as_deref()
            .filter(|n| answer.urgent && !n.trim().is_empty())
        {
            return Reply::urgent(notice, answer, referral);
        }
        match &answer.best {
            Some(hit) => {
                let mut body = hit.quoted();
                if !answer.did_you_mean.is_empty() {
                    body.push_str("\n\nAlso close in the FAQ:");
                    for q in &answer.did_you_mean {
                        body.push_str("\n• ");
                        body.push_str(q);
                    }
                }
                Reply::new(
                    ReplyKind::Answer,
                    Some(hit.entry_question.clone()),
                    body,
                    Some(hit.source.clone()),
                    referral,
                )
            }
            None => {
                let mut body = String::from(
                    "Our FAQ does not cover this question, so I can't answer it from the FAQ.",
                );
                if !answer.closest_topics.is_empty() {
                    body.push_str(if answer.nothing_matched {
                        "\n\nTopics the FAQ covers include:"
                    } else {
                        "\n\nClosest topics in the FAQ:"
                    });
                    for t in &answer.closest_topics {
                        body.push_str("\n• ");
                        body.push_str(t);
                    }
                }
                Reply::new(ReplyKind::NoAnswer, None, body, None, referral)
            }
        }
    }

    /// The reply to a red-flag question: the urgent notice first, then the FAQ's passage when
    /// there is one (under its entry's question), then, as always, the referral.
    fn urgent(notice: &str, answer: &Answer, referral: &Referral) -> Self {
        let mut body = notice.trim().to_string();
        let (kind, source) = match &answer.best {
            Some(hit) => {
                body.push_str("\n\n**From the FAQ: ");
                body.push_str(hit.entry_question.trim());
                body.push_str("**\n");
                body.push_str(&hit.quoted());
                (ReplyKind::Answer, Some(hit.source.clone()))
            }
            None => (ReplyKind::NoAnswer, None),
        };
        let title = Some(URGENT_TITLE.to_string());
        let mut reply = Reply::new(kind, title, body, source, referral);
        reply.urgent = true;
        reply
    }

    /// The list of FAQ topics.
    pub fn topic_list(faq: &Faq, referral: &Referral) -> Self {
        let body = faq
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| format!("{}. {}", i + 1, e.meta.question))
            .collect::<Vec<_>>()
            .join("\n");
        Reply::new(
            ReplyKind::List,
            Some("FAQ topics".to_string()),
            body,
            None,
            referral,
        )
    }

    /// How to use the bot.
    pub fn help(referral: &Referral) -> Self {
        Reply::new(
            ReplyKind::Help,
            Some("How to ask the FAQ bot".to_string()),
            HELP_TEXT.to_string(),
            None,
            referral,
        )
    }

    /// An error or refusal, in plain words.
    pub fn error(message: &str, referral: &Referral) -> Self {
        Reply::new(ReplyKind::Error, None, message.to_string(), None, referral)
    }

    /// A short notice (a confirmation or status line).
    pub fn notice(message: &str, referral: &Referral) -> Self {
        Reply::new(ReplyKind::Notice, None, message.to_string(), None, referral)
    }

    /// Plain text, as printed by `faqbot ask` and posted where an embed is not used.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if let Some(t) = &self.title {
            out.push_str(t);
            out.push_str("\n\n");
        }
        out.push_str(&self.body);
        if let Some(s) = &self.source {
            out.push_str("\n\nSource: ");
            out.push_str(s);
        }
        out.push_str("\n\n");
        out.push_str(self.referral.text());
        out
    }
}

/// The help text shown by `/faq help` and `faqbot --help`'s companion.
const HELP_TEXT: &str = "Ask a question with /ask, mention me with your question, or use \
\"Answer from FAQ\" on someone's message (right-click or long-press, then Apps). I answer only \
from the FAQ our moderators keep, and I say so when it has no answer. /faq list shows every \
topic and /faq show opens one.";
