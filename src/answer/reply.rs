//! What the bot says, independent of where it is said (terminal, JSON, Discord): every sentence
//! of every reply is written here.
//!
//! Every reply is a [`Reply`], and [`Reply::new`] is the only way to make one: it takes the
//! [`Referral`], so no reply kind can leave the oncologist referral out.

use super::{Answer, Hit};
use crate::faq::store::StoreError;
use crate::faq::{Entry, Faq};
use crate::problem::Problem;
use crate::text::truncate;
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

/// The heading of the referral where a front end sets it apart (Discord's embed field).
pub const REFERRAL_HEADING: &str = "Talk to your care team";

/// How a passage's sub-heading is set when the passage is quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingStyle {
    /// On its own line as written: an answer quotes one passage under the entry's question.
    Plain,
    /// In bold: a whole entry shows several passages, and bold tells the headings apart.
    Bold,
}

/// A passage as the bot quotes it: its sub-heading on a line of its own, then the paragraph.
/// The one place a passage is quoted, so every reply shows passages alike.
pub fn quote(heading: Option<&str>, text: &str, style: HeadingStyle) -> String {
    match (heading, style) {
        (Some(h), HeadingStyle::Plain) => format!("{h}\n{text}"),
        (Some(h), HeadingStyle::Bold) => format!("**{h}**\n{text}"),
        (None, _) => text.to_string(),
    }
}

/// A found passage as an answer quotes it (sub-heading plain, on a line of its own).
pub fn quote_hit(hit: &crate::search::Hit) -> String {
    quote(hit.heading.as_deref(), &hit.passage, HeadingStyle::Plain)
}

/// Lists, after a passage that ends with a colon, the sub-headings it introduces.
fn push_introduced(body: &mut String, headings: &[String]) {
    for h in headings {
        body.push_str("\n• ");
        body.push_str(h);
    }
}

/// Longest quote of a passage in "Other matches".
const OTHER_MATCH_MAX: usize = 600;
/// Longest quote of a member's question in a request for a volunteer.
const QUESTION_QUOTE_MAX: usize = 600;
/// Longest echo of a moderator's unsaved text.
const UNSAVED_ECHO_MAX: usize = 1_200;
/// Most reload problems listed in a reply (the log has them all).
const PROBLEMS_SHOWN: usize = 10;

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
                let mut body = quote(hit.heading.as_deref(), &hit.passage, HeadingStyle::Plain);
                push_introduced(&mut body, &answer.introduces);
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
                body.push_str(&quote(
                    hit.heading.as_deref(),
                    &hit.passage,
                    HeadingStyle::Plain,
                ));
                push_introduced(&mut body, &answer.introduces);
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

    /// The line that names the source ("Source: …"), when the reply has one.
    pub fn source_line(&self) -> Option<String> {
        self.source.as_ref().map(|s| format!("Source: {s}"))
    }

    /// Plain text, as printed by `faqbot ask`: title, body, source line and referral.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if let Some(t) = &self.title {
            out.push_str(t);
            out.push_str("\n\n");
        }
        out.push_str(&self.body);
        if let Some(s) = self.source_line() {
            out.push_str("\n\n");
            out.push_str(&s);
        }
        out.push_str("\n\n");
        out.push_str(self.referral.text());
        out
    }

    /// The body, then the referral, in at most `max` characters: only the body is cut, and the
    /// referral is whole whenever it fits in half of `max`. This is the chat form of a reply
    /// without a title (a titled reply is shown with its title and source set apart, as an
    /// embed), so it carries neither.
    pub fn body_and_referral(&self, max: usize) -> String {
        let tail = format!("\n\n{}", truncate(self.referral.text(), max / 2));
        let room = max.saturating_sub(tail.chars().count());
        format!("{}{tail}", truncate(&self.body, room))
    }

    /// A whole entry: every passage (sub-headings in bold) under the entry's question.
    pub fn entry(entry: &Entry, referral: &Referral) -> Self {
        let body = entry
            .passages
            .iter()
            .map(|p| quote(p.heading.as_deref(), &p.text, HeadingStyle::Bold))
            .collect::<Vec<_>>()
            .join("\n\n");
        Reply::new(
            ReplyKind::Answer,
            Some(entry.meta.question.clone()),
            body,
            Some(entry.meta.source.clone()),
            referral,
        )
    }

    /// The next best passages for a question ("Other matches"), each under its entry's question.
    pub fn other_matches(alternatives: &[Hit], referral: &Referral) -> Self {
        if alternatives.is_empty() {
            return Reply::notice("The FAQ has no other matches for this question.", referral);
        }
        let body = alternatives
            .iter()
            .map(|h| {
                let passage = quote(h.heading.as_deref(), &h.passage, HeadingStyle::Plain);
                format!(
                    "**{}**\n{}",
                    h.entry_question,
                    truncate(&passage, OTHER_MATCH_MAX)
                )
            })
            .collect::<Vec<_>>()
            .join("\n\n");
        Reply::new(
            ReplyKind::List,
            Some("Other matches in the FAQ".to_string()),
            body,
            None,
            referral,
        )
    }

    /// Thanks for a "Helpful" or "Not helpful" vote.
    pub fn thanks_for_vote(helpful: bool, referral: &Referral) -> Self {
        let text = if helpful {
            "Thank you! Glad the FAQ helped."
        } else {
            "Thank you for telling us. The moderators use this to improve the FAQ. You can also ask \
             in the server: a person may know more."
        };
        Reply::notice(text, referral)
    }

    /// The request the helpers see when a member asks for a volunteer: pings `helpers` (mention
    /// markup of the helper role), quotes the member's question when it is known, and names
    /// `member` (mention markup; the front end makes sure it pings nobody else).
    pub fn volunteer_request(
        helpers: &str,
        member: &str,
        question: Option<&str>,
        referral: &Referral,
    ) -> Self {
        let mut text = format!("{helpers} a member would like to talk to a volunteer");
        match question.map(str::trim).filter(|q| !q.is_empty()) {
            Some(q) => {
                text.push_str(" about this question:\n");
                for line in truncate(q, QUESTION_QUOTE_MAX).lines() {
                    text.push_str("> ");
                    text.push_str(line);
                    text.push('\n');
                }
            }
            None => text.push_str(" about the answer above.\n"),
        }
        text.push_str(&format!("Asked for by {member}."));
        Reply::notice(&text, referral)
    }

    /// Tells the member where a volunteer was asked to join them.
    pub fn volunteer_asked(place: VolunteerPlace, referral: &Referral) -> Self {
        let text = match place {
            VolunteerPlace::Thread => {
                "I opened a thread under the answer and asked a volunteer to join you there."
            }
            VolunteerPlace::Channel => "I asked a volunteer to join you here in the channel.",
            VolunteerPlace::HelpersChannel => {
                "I asked a volunteer to reach out to you. Only the helpers can see your question."
            }
        };
        Reply::notice(text, referral)
    }

    /// The same reply with the note that it is shown to the asker alone because answers in the
    /// channel are spaced out (the asker asked again within the cooldown).
    pub fn spaced_out(mut self) -> Self {
        self.body.push_str(
            "\n\n_Answers in the channel are spaced out, so this one is shown only to you._",
        );
        self
    }

    /// Confirms that the asker's answer was removed (the 🗑 button).
    pub fn answer_removed(referral: &Referral) -> Self {
        Reply::notice("I removed that answer.", referral)
    }

    /// Confirms that a message someone else wrote was answered ("Answer from FAQ").
    pub fn answered_that_message(referral: &Referral) -> Self {
        Reply::notice("I answered that message from the FAQ.", referral)
    }

    /// Asks a moderator to confirm removing the entry `question`.
    pub fn confirm_removal(question: &str, referral: &Referral) -> Self {
        Reply::notice(
            &format!(
                "Remove the entry **{question}**? Its file is moved to `.removed/` in the FAQ folder."
            ),
            referral,
        )
    }

    /// The moderator chose to keep the entry `question`.
    pub fn kept(question: &str, referral: &Referral) -> Self {
        Reply::notice(&format!("Kept **{question}**."), referral)
    }

    /// The entry `question` was removed; its file now lies at `kept_as`.
    pub fn removed(
        question: &str,
        kept_as: &str,
        reload: &ReloadOutcome,
        referral: &Referral,
    ) -> Self {
        Reply::notice(
            &format!(
                "Removed **{question}** (its file is kept as `{kept_as}`). {}",
                reload_line(reload)
            ),
            referral,
        )
    }

    /// A moderator's form was saved as the entry `question` in `file`.
    pub fn saved(question: &str, file: &str, reload: &ReloadOutcome, referral: &Referral) -> Self {
        Reply::notice(
            &format!("Saved **{question}** in `{file}`. {}", reload_line(reload)),
            referral,
        )
    }

    /// A moderator's form was not saved: why, and their text back so nothing they typed is lost.
    pub fn not_saved(why: &NotSaved, text: &str, referral: &Referral) -> Self {
        Reply::error(
            &format!(
                "Not saved: {why}\nYour text, so you can copy it and try again:\n```\n{}\n```",
                truncate(&text.replace("```", "'''"), UNSAVED_ECHO_MAX)
            ),
            referral,
        )
    }

    /// What a moderator's reload did (an error when the previous FAQ keeps answering).
    pub fn reloaded(outcome: &ReloadOutcome, referral: &Referral) -> Self {
        match outcome {
            ReloadOutcome::Invalid(_) | ReloadOutcome::Failed(_) => {
                Reply::error(&reload_line(outcome), referral)
            }
            _ => Reply::notice(&reload_line(outcome), referral),
        }
    }

    /// The gap report, as the insight report words it (`headline` and Markdown `report`).
    pub fn gaps(headline: String, report: String, referral: &Referral) -> Self {
        Reply::new(ReplyKind::List, Some(headline), report, None, referral)
    }

    /// The statistics, as the insight report words them (Markdown `report`).
    pub fn stats(report: String, referral: &Referral) -> Self {
        Reply::new(
            ReplyKind::List,
            Some("FAQ bot statistics".to_string()),
            report,
            None,
            referral,
        )
    }

    /// The phrasing (already escaped for Markdown) is already an alias of the entry `question`.
    pub fn alias_exists(phrasing: &str, question: &str, referral: &Referral) -> Self {
        Reply::notice(
            &format!("\"{phrasing}\" is already another way to ask **{question}**."),
            referral,
        )
    }

    /// The phrasing (already escaped for Markdown) was added as an alias of the entry `question`.
    pub fn alias_added(
        phrasing: &str,
        question: &str,
        reload: &ReloadOutcome,
        referral: &Referral,
    ) -> Self {
        Reply::notice(
            &format!(
                "Added \"{phrasing}\" as another way to ask **{question}**. {}",
                reload_line(reload)
            ),
            referral,
        )
    }

    /// A request the bot refuses or cannot carry out, in plain words.
    pub fn refusal(refusal: &Refusal, referral: &Referral) -> Self {
        let text = refusal.to_string();
        match refusal.kind() {
            ReplyKind::Notice => Reply::notice(&text, referral),
            _ => Reply::error(&text, referral),
        }
    }
}

/// Where a volunteer was asked to join the member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VolunteerPlace {
    /// In a thread opened under the answer.
    Thread,
    /// In the answer's channel (the thread could not be opened or posted in).
    Channel,
    /// In the private helpers' channel (the answer was private).
    HelpersChannel,
}

/// What reloading the FAQ did; the bot logs it and tells the moderator who asked.
#[derive(Debug)]
pub enum ReloadOutcome {
    /// A new index is serving.
    Reloaded {
        /// Entries in the new FAQ.
        entries: usize,
        /// Passages in the new FAQ.
        passages: usize,
    },
    /// The files are the same as what is already served.
    Unchanged,
    /// The files have problems; the previous FAQ keeps serving.
    Invalid(Vec<Problem>),
    /// Something else failed; the previous FAQ keeps serving.
    Failed(String),
}

/// The sentence that ends every moderator change: what the bot answers from now.
fn reload_line(outcome: &ReloadOutcome) -> String {
    match outcome {
        ReloadOutcome::Reloaded { entries, passages } => {
            format!("The bot now answers from {entries} entries ({passages} passages).")
        }
        ReloadOutcome::Unchanged => "The FAQ files had not changed.".to_string(),
        ReloadOutcome::Invalid(problems) => format!(
            "The FAQ files have problems, so the previous FAQ keeps answering:\n{}",
            problems
                .iter()
                .take(PROBLEMS_SHOWN)
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        ReloadOutcome::Failed(e) => {
            format!("Reloading failed, so the previous FAQ keeps answering: {e}")
        }
    }
}

/// Why a moderator's form was not saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotSaved {
    /// The form outlived the bot's memory of it.
    #[error("this form has expired (the bot may have restarted). Please run the command again.")]
    Expired,
    /// The file changed after the form was opened; nothing was overwritten.
    #[error(
        "{0} was changed by someone else since you opened this form, and nothing was \
         overwritten. Run /faq-admin edit again to see the current text."
    )]
    Changed(String),
    /// The store refused the text (invalid, a duplicate, or a failed write).
    #[error("{0}")]
    Refused(String),
}

impl From<StoreError> for NotSaved {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(file) => NotSaved::Changed(file),
            e => NotSaved::Refused(e.to_string()),
        }
    }
}

/// Which insight report could not be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// `/faq-admin gaps`.
    Gaps,
    /// `/faq-admin stats`.
    Stats,
}

impl Report {
    fn name(self) -> &'static str {
        match self {
            Report::Gaps => "the gap report",
            Report::Stats => "the statistics",
        }
    }
}

/// A request the bot refuses or cannot carry out. The front end picks the variant; the words
/// are here, and [`Reply::refusal`] makes the reply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A command the bot no longer registers (renamed, or left over from an older version).
    #[error("I don't know that command any more; it may have been renamed.")]
    UnknownCommand,
    /// A button the bot no longer knows (or not one of its own).
    #[error("That button is no longer active.")]
    ButtonExpired,
    /// A form the bot no longer knows (or not one of its own).
    #[error("That form is no longer active.")]
    FormExpired,
    /// The member asks faster than the cooldown allows.
    #[error("You're asking faster than I can keep up. Please wait a few seconds and ask again.")]
    SlowDown,
    /// "Answer from FAQ" used on something that is not a message.
    #[error("Use this on a message that asks a question.")]
    NotAMessage,
    /// "Answer from FAQ" used on a message without text.
    #[error("That message has no text I can read, so I can't look it up in the FAQ.")]
    NoText,
    /// No entry matches the topic given.
    #[error("I couldn't find that topic. Use /faq list to see every topic.")]
    UnknownTopic,
    /// "Other matches" pressed after the question was forgotten.
    #[error("I no longer remember that question. Please ask it again with /ask.")]
    QuestionForgotten,
    /// "Talk to a volunteer" pressed in a direct message.
    #[error(
        "Volunteers can only be asked for in the server, not in direct messages. Please ask \
         there, or mention a moderator."
    )]
    VolunteerInDm,
    /// A volunteer was already asked for under this answer.
    #[error(
        "A volunteer has already been asked to help with this answer; look for the thread \
         under it."
    )]
    VolunteerAlreadyAsked,
    /// Neither a thread nor the channel took the request for a volunteer.
    #[error(
        "I couldn't reach the volunteers just now. Please try again in a moment, or mention a \
         moderator."
    )]
    VolunteersUnreachable,
    /// A moderator command used by someone who is not a moderator.
    #[error("Only moderators can change the FAQ.")]
    NotModerator,
    /// 🗑 pressed by someone other than the member who asked (or a moderator).
    #[error("Only the person who asked can remove this.")]
    OnlyTheAsker,
    /// Discord did not delete the answer.
    #[error("I couldn't remove that answer just now. Please try again in a moment.")]
    AnswerNotRemoved,
    /// An edit asked of a bot that answers from its built-in FAQ.
    #[error(
        "This bot answers from the FAQ built into it; editing needs a FAQ folder (set [faq] dir \
         in the config)."
    )]
    NotEditable,
    /// A report asked of a bot that records no questions.
    #[error("This bot keeps no record of questions (its insight store is off).")]
    NoInsight,
    /// The entry's file cannot be read.
    #[error("I can't read {0} right now; try /faq-admin reload.")]
    Unreadable(String),
    /// The entry is too long for a Discord form of `max` characters.
    #[error(
        "This entry is longer than a Discord form can hold ({max} characters); please edit \
         {file} in git."
    )]
    TooLongForForm {
        /// The form's limit, in characters.
        max: usize,
        /// The entry's file.
        file: String,
    },
    /// A removal confirmed after the bot forgot it.
    #[error("This confirmation has expired. Run /faq-admin remove again.")]
    ConfirmationExpired,
    /// The entry's file could not be removed.
    #[error("Not removed: {0}")]
    NotRemoved(String),
    /// An insight report failed; `detail` is shown when there is one, else the log has it.
    #[error("I couldn't build {}{}", .report.name(), detail_or_log(.detail))]
    ReportFailed {
        /// The report.
        report: Report,
        /// What went wrong, when it is worth showing.
        detail: Option<String>,
    },
    /// The gap's question matched no entry, so it cannot become an alias.
    #[error("That question was not close to any entry.")]
    NotCloseToEntry,
    /// The gap's question passed the retention period.
    #[error(
        "That question is no longer stored (it passed the retention period). Run /faq-admin \
         gaps again."
    )]
    QuestionExpired,
    /// The insight store could not be read.
    #[error("I couldn't read the insight store: {0}")]
    InsightUnreadable(String),
    /// The entry is gone from the FAQ.
    #[error("That entry no longer exists in the FAQ.")]
    EntryGone,
    /// The alias could not be written.
    #[error("Not saved: {0}")]
    AliasNotSaved(String),
}

/// ": what went wrong", or a pointer to the log when there is nothing worth showing.
fn detail_or_log(detail: &Option<String>) -> String {
    match detail {
        Some(d) => format!(": {d}"),
        None => "; see the bot's log.".to_string(),
    }
}

impl Refusal {
    /// The kind of reply: a notice for the gentle ones (slow down, already asked), else an error.
    pub fn kind(&self) -> ReplyKind {
        match self {
            Refusal::SlowDown | Refusal::VolunteerInDm | Refusal::VolunteerAlreadyAsked => {
                ReplyKind::Notice
            }
            _ => ReplyKind::Error,
        }
    }
}

/// The help text shown by `/faq help` and `faqbot --help`'s companion.
const HELP_TEXT: &str = "Ask a question with /ask, mention me with your question, or use \
\"Answer from FAQ\" on someone's message (right-click or long-press, then Apps). Add \
private:True to /ask and only you will see the answer. I answer only from the FAQ our \
moderators keep, and I say so when it has no answer. /faq list shows every topic and /faq \
show opens one. The 🗑 under an answer to your question removes it.";

#[cfg(test)]
mod tests {
    use super::*;

    /// Every refusal's words, as the bot has always said them (a reworded refusal is a change to
    /// what members read: make it here, on purpose).
    #[test]
    fn refusals_say_what_they_always_said() {
        let gaps = |detail: Option<&str>| Refusal::ReportFailed {
            report: Report::Gaps,
            detail: detail.map(str::to_string),
        };
        let stats = |detail: Option<&str>| Refusal::ReportFailed {
            report: Report::Stats,
            detail: detail.map(str::to_string),
        };
        let table: Vec<(Refusal, ReplyKind, &str)> = vec![
            (Refusal::UnknownCommand, ReplyKind::Error, "I don't know that command any more; it may have been renamed."),
            (Refusal::ButtonExpired, ReplyKind::Error, "That button is no longer active."),
            (Refusal::FormExpired, ReplyKind::Error, "That form is no longer active."),
            (Refusal::SlowDown, ReplyKind::Notice, "You're asking faster than I can keep up. Please wait a few seconds and ask again."),
            (Refusal::NotAMessage, ReplyKind::Error, "Use this on a message that asks a question."),
            (Refusal::NoText, ReplyKind::Error, "That message has no text I can read, so I can't look it up in the FAQ."),
            (Refusal::UnknownTopic, ReplyKind::Error, "I couldn't find that topic. Use /faq list to see every topic."),
            (Refusal::QuestionForgotten, ReplyKind::Error, "I no longer remember that question. Please ask it again with /ask."),
            (Refusal::VolunteerInDm, ReplyKind::Notice, "Volunteers can only be asked for in the server, not in direct messages. Please ask there, or mention a moderator."),
            (Refusal::VolunteerAlreadyAsked, ReplyKind::Notice, "A volunteer has already been asked to help with this answer; look for the thread under it."),
            (Refusal::VolunteersUnreachable, ReplyKind::Error, "I couldn't reach the volunteers just now. Please try again in a moment, or mention a moderator."),
            (Refusal::NotModerator, ReplyKind::Error, "Only moderators can change the FAQ."),
            (Refusal::NotEditable, ReplyKind::Error, "This bot answers from the FAQ built into it; editing needs a FAQ folder (set [faq] dir in the config)."),
            (Refusal::NoInsight, ReplyKind::Error, "This bot keeps no record of questions (its insight store is off)."),
            (Refusal::Unreadable("faq/a.md".into()), ReplyKind::Error, "I can't read faq/a.md right now; try /faq-admin reload."),
            (Refusal::TooLongForForm { max: 4000, file: "faq/a.md".into() }, ReplyKind::Error, "This entry is longer than a Discord form can hold (4000 characters); please edit faq/a.md in git."),
            (Refusal::ConfirmationExpired, ReplyKind::Error, "This confirmation has expired. Run /faq-admin remove again."),
            (Refusal::NotRemoved("gone".into()), ReplyKind::Error, "Not removed: gone"),
            (gaps(Some("disk full")), ReplyKind::Error, "I couldn't build the gap report: disk full"),
            (gaps(None), ReplyKind::Error, "I couldn't build the gap report; see the bot's log."),
            (stats(Some("disk full")), ReplyKind::Error, "I couldn't build the statistics: disk full"),
            (stats(None), ReplyKind::Error, "I couldn't build the statistics; see the bot's log."),
            (Refusal::NotCloseToEntry, ReplyKind::Error, "That question was not close to any entry."),
            (Refusal::QuestionExpired, ReplyKind::Error, "That question is no longer stored (it passed the retention period). Run /faq-admin gaps again."),
            (Refusal::InsightUnreadable("locked".into()), ReplyKind::Error, "I couldn't read the insight store: locked"),
            (Refusal::EntryGone, ReplyKind::Error, "That entry no longer exists in the FAQ."),
            (Refusal::AliasNotSaved("conflict".into()), ReplyKind::Error, "Not saved: conflict"),
        ];
        let referral = Referral::default();
        for (refusal, kind, text) in table {
            let reply = Reply::refusal(&refusal, &referral);
            assert_eq!(reply.body, text, "{refusal:?}");
            assert_eq!(reply.kind, kind, "{refusal:?}");
            assert_eq!((reply.title, reply.source), (None, None));
        }
    }

    /// The notices moderators and members read, as the bot has always worded them.
    #[test]
    fn notices_say_what_they_always_said() {
        let r = Referral::default();
        let reloaded = ReloadOutcome::Reloaded {
            entries: 7,
            passages: 18,
        };
        let now = "The bot now answers from 7 entries (18 passages).";
        let table: Vec<(Reply, ReplyKind, String)> = vec![
            (Reply::thanks_for_vote(true, &r), ReplyKind::Notice, "Thank you! Glad the FAQ helped.".into()),
            (Reply::thanks_for_vote(false, &r), ReplyKind::Notice, "Thank you for telling us. The moderators use this to improve the FAQ. You can also ask in the server: a person may know more.".into()),
            (Reply::volunteer_asked(VolunteerPlace::Thread, &r), ReplyKind::Notice, "I opened a thread under the answer and asked a volunteer to join you there.".into()),
            (Reply::volunteer_asked(VolunteerPlace::Channel, &r), ReplyKind::Notice, "I asked a volunteer to join you here in the channel.".into()),
            (Reply::answered_that_message(&r), ReplyKind::Notice, "I answered that message from the FAQ.".into()),
            (Reply::confirm_removal("Q?", &r), ReplyKind::Notice, "Remove the entry **Q?**? Its file is moved to `.removed/` in the FAQ folder.".into()),
            (Reply::kept("Q?", &r), ReplyKind::Notice, "Kept **Q?**.".into()),
            (Reply::removed("Q?", "faq/.removed/a.md.1", &reloaded, &r), ReplyKind::Notice, format!("Removed **Q?** (its file is kept as `faq/.removed/a.md.1`). {now}")),
            (Reply::saved("Q?", "faq/a.md", &ReloadOutcome::Unchanged, &r), ReplyKind::Notice, "Saved **Q?** in `faq/a.md`. The FAQ files had not changed.".into()),
            (Reply::reloaded(&ReloadOutcome::Failed("boom".into()), &r), ReplyKind::Error, "Reloading failed, so the previous FAQ keeps answering: boom".into()),
            (Reply::reloaded(&reloaded, &r), ReplyKind::Notice, now.into()),
            (Reply::alias_exists("how \\- x", "Q?", &r), ReplyKind::Notice, "\"how \\- x\" is already another way to ask **Q?**.".into()),
            (Reply::alias_added("p", "Q?", &reloaded, &r), ReplyKind::Notice, format!("Added \"p\" as another way to ask **Q?**. {now}")),
            (Reply::not_saved(&NotSaved::Expired, "a ``` b", &r), ReplyKind::Error, "Not saved: this form has expired (the bot may have restarted). Please run the command again.\nYour text, so you can copy it and try again:\n```\na ''' b\n```".into()),
            (Reply::not_saved(&NotSaved::Changed("faq/a.md".into()), "t", &r), ReplyKind::Error, "Not saved: faq/a.md was changed by someone else since you opened this form, and nothing was overwritten. Run /faq-admin edit again to see the current text.\nYour text, so you can copy it and try again:\n```\nt\n```".into()),
            (Reply::volunteer_request("<@&9>", "<@5>", Some(" two\nlines "), &r), ReplyKind::Notice, "<@&9> a member would like to talk to a volunteer about this question:\n> two\n> lines\nAsked for by <@5>.".into()),
            (Reply::volunteer_request("<@&9>", "<@5>", Some("  "), &r), ReplyKind::Notice, "<@&9> a member would like to talk to a volunteer about the answer above.\nAsked for by <@5>.".into()),
            (Reply::other_matches(&[], &r), ReplyKind::Notice, "The FAQ has no other matches for this question.".into()),
        ];
        for (reply, kind, text) in table {
            assert_eq!(reply.body, text);
            assert_eq!(reply.kind, kind, "{text}");
        }
        let invalid = ReloadOutcome::Invalid(vec![Problem::new("a.md", 3, "bad key")]);
        let reply = Reply::reloaded(&invalid, &r);
        assert_eq!(reply.kind, ReplyKind::Error);
        assert_eq!(
            reply.body,
            "The FAQ files have problems, so the previous FAQ keeps answering:\n`a.md:3: bad key`"
        );
    }

    /// A passage is quoted one way; only the heading's weight differs between an answer and a
    /// whole entry.
    #[test]
    fn passages_are_quoted_alike() {
        assert_eq!(quote(Some("H"), "t", HeadingStyle::Plain), "H\nt");
        assert_eq!(quote(Some("H"), "t", HeadingStyle::Bold), "**H**\nt");
        assert_eq!(quote(None, "t", HeadingStyle::Bold), "t");
    }

    /// A chat message without a title: the body gives way, the referral stays whole.
    #[test]
    fn the_chat_form_cuts_the_body_only() {
        let r = Referral::default();
        let reply = Reply::notice(&"x".repeat(5_000), &r);
        let text = reply.body_and_referral(2_000);
        assert_eq!(text.chars().count(), 2_000);
        assert!(text.ends_with(&format!("…\n\n{}", r.text())));
        assert_eq!(
            Reply::notice("hi", &r).body_and_referral(2_000),
            format!("hi\n\n{}", r.text())
        );
    }
}
