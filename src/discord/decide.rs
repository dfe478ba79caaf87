//! Whether to answer a plain message: a pure decision over facts the handler gathers, so every
//! rule (bots, mentions, answer channels, quiet periods, questions, urgency, cooldowns) is pinned
//! by a table test without Discord.
//!
//! Three facts cost something or change state: triaging the question (a search), consulting the
//! member's cooldown (which starts it) and making the answer (which records the question in the
//! insight store). The handler gathers those only when [`decide`] asks for them with
//! [`Decision::Need`], so a message the bot ignores never starts a cooldown, and a question is
//! recorded exactly when the bot gets as far as answering it.

use crate::discord::state::Cooldown;
use crate::text::{replace_mentions, Mention};

/// What the handler knows about a message.
#[derive(Debug, Clone, Default)]
pub(crate) struct MessageFacts<'a> {
    /// Written by a bot or a webhook (the bot's own messages included).
    pub from_bot: bool,
    /// Written by staff; only looked up when quiet periods are on (false otherwise).
    pub by_staff: bool,
    /// Mentions the bot.
    pub mentions_me: bool,
    /// Posted in one of `[discord] answer_channel_ids`.
    pub in_answer_channel: bool,
    /// A direct message to the bot: every message there is a question for it.
    pub in_dm: bool,
    /// Staff posted in this channel within `[discord] quiet_minutes`.
    pub channel_quiet: bool,
    /// The message without mentions of the bot ([`strip_mention`]).
    pub question: &'a str,
    /// Whether the question matches a red-flag pattern, once triaged.
    pub urgent: Option<bool>,
    /// The member's cooldown, once consulted.
    pub cooldown: Option<Cooldown>,
    /// The reply, once made.
    pub reply: Option<MadeReply>,
}

/// What matters about a reply once it is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MadeReply {
    /// It quotes the FAQ (an answer, urgent or not).
    pub answers: bool,
    /// It opens with an urgent notice.
    pub urgent: bool,
}

/// A fact [`decide`] needs before it can go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// Triage the question: [`MessageFacts::urgent`].
    Urgency,
    /// Consult (and so start) the member's cooldown: [`MessageFacts::cooldown`].
    Cooldown,
    /// Make (and so record) the reply: [`MessageFacts::reply`].
    Reply,
}

/// Why the bot stays silent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Silence {
    /// Bots and webhooks (the bot itself above all) are never answered.
    FromBot,
    /// Neither a mention of the bot nor an answer channel.
    NotForMe,
    /// Staff are talking in this channel: the conversation is left to people.
    QuietPeriod,
    /// In an answer channel, a message that neither reads as a question nor is urgent.
    NotAQuestion,
    /// The member was already told to slow down.
    CoolingDown,
    /// In an answer channel, a question the FAQ does not cover (and not urgent).
    NotCovered,
}

/// What to do with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Gather this fact, then decide again.
    Need(Need),
    /// Say nothing.
    Ignore(Silence),
    /// Tell the member to slow down (once per flood).
    SlowDown,
    /// A mention with no question: say how to ask.
    Help,
    /// Post the reply that was made.
    Post,
}

/// The decision for a message, given what is known so far.
pub(crate) fn decide(facts: &MessageFacts) -> Decision {
    if facts.from_bot {
        return Decision::Ignore(Silence::FromBot);
    }
    // A mention or a direct message is addressed to the bot; an answer channel is not.
    let addressed = facts.mentions_me || facts.in_dm;
    if !addressed && !facts.in_answer_channel {
        return Decision::Ignore(Silence::NotForMe);
    }
    if !facts.in_dm && !facts.by_staff && facts.channel_quiet {
        return Decision::Ignore(Silence::QuietPeriod);
    }
    // In an answer channel a plain message is answered when it reads as a question, or when it
    // describes a red-flag symptom (an urgent notice is never held back).
    if !addressed && !looks_like_question(facts.question) {
        match facts.urgent {
            None => return Decision::Need(Need::Urgency),
            Some(false) => return Decision::Ignore(Silence::NotAQuestion),
            Some(true) => {}
        }
    }
    // The cooldown spares a channel a flood; a direct message floods nobody's channel.
    if !facts.in_dm {
        match facts.cooldown {
            None => return Decision::Need(Need::Cooldown),
            Some(Cooldown::SlowDown { notify: true }) => return Decision::SlowDown,
            Some(Cooldown::SlowDown { notify: false }) => {
                return Decision::Ignore(Silence::CoolingDown)
            }
            Some(Cooldown::Ready) => {}
        }
    }
    if facts.question.trim().is_empty() {
        return Decision::Help;
    }
    match facts.reply {
        None => Decision::Need(Need::Reply),
        // In an answer channel, a message the FAQ does not cover gets no reply, unless urgent.
        Some(r) if !addressed && !r.answers && !r.urgent => Decision::Ignore(Silence::NotCovered),
        Some(_) => Decision::Post,
    }
}

/// The message without mentions of the bot (`<@id>`, `<@!id>`: each becomes a space), its
/// whitespace collapsed: what is left is the question.
pub(crate) fn strip_mention(content: &str, bot_id: u64) -> String {
    let me = bot_id.to_string();
    replace_mentions(content, |m| {
        matches!(m, Mention::User(id) if id == me).then_some(" ")
    })
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" ")
}

/// Whether a plain channel message reads as a question (for answer channels).
pub(crate) fn looks_like_question(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    const STARTS: &[&str] = &[
        "how ", "what", "why ", "when ", "where ", "who ", "which ", "can ", "could ", "should ",
        "is ", "are ", "does ", "do ", "will ", "would ", "has ", "have ", "any ",
    ];
    t.ends_with('?') || STARTS.iter().any(|s| t.starts_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    const READY: Option<Cooldown> = Some(Cooldown::Ready);
    const ANSWERS: Option<MadeReply> = Some(MadeReply {
        answers: true,
        urgent: false,
    });
    const NOT_COVERED: Option<MadeReply> = Some(MadeReply {
        answers: false,
        urgent: false,
    });
    const URGENT_ONLY: Option<MadeReply> = Some(MadeReply {
        answers: false,
        urgent: true,
    });

    fn mention(question: &str) -> MessageFacts<'_> {
        MessageFacts {
            mentions_me: true,
            question,
            ..MessageFacts::default()
        }
    }

    fn channel(question: &str) -> MessageFacts<'_> {
        MessageFacts {
            in_answer_channel: true,
            question,
            ..MessageFacts::default()
        }
    }

    /// One row per rule, named for the behaviour it pins.
    #[test]
    fn every_rule_of_answering_a_message() {
        use Decision::*;
        let q = "how is il2 given?";
        let table: Vec<(&str, MessageFacts, Decision)> = vec![
            (
                "a bot's message is never answered, mention or not",
                MessageFacts {
                    from_bot: true,
                    ..mention(q)
                },
                Ignore(Silence::FromBot),
            ),
            (
                "a message outside answer channels that does not mention the bot is not for it",
                MessageFacts {
                    question: q,
                    ..MessageFacts::default()
                },
                Ignore(Silence::NotForMe),
            ),
            (
                "a mention in a quiet channel waits for the people talking there",
                MessageFacts {
                    channel_quiet: true,
                    ..mention(q)
                },
                Ignore(Silence::QuietPeriod),
            ),
            (
                "staff asking in a quiet channel (their own quiet period) are answered",
                MessageFacts {
                    channel_quiet: true,
                    by_staff: true,
                    ..mention(q)
                },
                Need(super::Need::Cooldown),
            ),
            (
                "a mention consults the cooldown without triage, question or not",
                mention("thanks"),
                Need(super::Need::Cooldown),
            ),
            (
                "in an answer channel a question skips triage and consults the cooldown",
                channel(q),
                Need(super::Need::Cooldown),
            ),
            (
                "in an answer channel a remark is triaged before anything else",
                channel("my arm hurts"),
                Need(super::Need::Urgency),
            ),
            (
                "in an answer channel a remark that is not urgent is left alone",
                MessageFacts {
                    urgent: Some(false),
                    ..channel("my arm hurts")
                },
                Ignore(Silence::NotAQuestion),
            ),
            (
                "in an answer channel an urgent remark goes on to the cooldown",
                MessageFacts {
                    urgent: Some(true),
                    ..channel("I can't breathe")
                },
                Need(super::Need::Cooldown),
            ),
            (
                "the first question too soon is told to slow down",
                MessageFacts {
                    cooldown: Some(Cooldown::SlowDown { notify: true }),
                    ..mention(q)
                },
                SlowDown,
            ),
            (
                "later questions in the same flood get nothing",
                MessageFacts {
                    cooldown: Some(Cooldown::SlowDown { notify: false }),
                    ..mention(q)
                },
                Ignore(Silence::CoolingDown),
            ),
            (
                "a bare mention gets the help",
                MessageFacts {
                    cooldown: READY,
                    ..mention("  ")
                },
                Help,
            ),
            (
                "a mention with a question has its reply made",
                MessageFacts {
                    cooldown: READY,
                    ..mention(q)
                },
                Need(super::Need::Reply),
            ),
            (
                "a mention is answered even when the FAQ does not cover it",
                MessageFacts {
                    cooldown: READY,
                    reply: NOT_COVERED,
                    ..mention(q)
                },
                Post,
            ),
            (
                "in an answer channel an answered question is posted",
                MessageFacts {
                    cooldown: READY,
                    reply: ANSWERS,
                    ..channel(q)
                },
                Post,
            ),
            (
                "in an answer channel a question the FAQ does not cover gets no reply",
                MessageFacts {
                    cooldown: READY,
                    reply: NOT_COVERED,
                    ..channel(q)
                },
                Ignore(Silence::NotCovered),
            ),
            (
                "in an answer channel an urgent notice is posted even without an answer",
                MessageFacts {
                    urgent: Some(true),
                    cooldown: READY,
                    reply: URGENT_ONLY,
                    ..channel("I can't breathe")
                },
                Post,
            ),
        ];
        for (name, facts, expected) in table {
            assert_eq!(decide(&facts), expected, "{name}");
        }
    }

    /// Gathering what `decide` asks for always ends in a decision: it never asks twice.
    #[test]
    fn every_fact_is_asked_for_once() {
        for mut facts in [mention("q?"), channel("q?"), channel("remark"), mention("")] {
            let mut asked = Vec::new();
            while let Decision::Need(need) = decide(&facts) {
                assert!(!asked.contains(&need), "{need:?} asked twice");
                asked.push(need);
                match need {
                    super::Need::Urgency => facts.urgent = Some(true),
                    super::Need::Cooldown => facts.cooldown = READY,
                    super::Need::Reply => facts.reply = ANSWERS,
                }
            }
        }
    }

    #[test]
    fn only_the_bots_own_mentions_are_stripped() {
        for (content, stripped) in [
            ("<@42> how is il2 given?", "how is il2 given?"),
            ("<@!42>how\n\tis   it <@42>", "how is it"),
            ("<@42>", ""),
            ("ask <@7> or <@&42> or <#42>", "ask <@7> or <@&42> or <#42>"),
            ("<@420> <@4> @everyone", "<@420> <@4> @everyone"),
            ("<@<@42>> <@!!42>", "<@ > <@!!42>"),
        ] {
            assert_eq!(strip_mention(content, 42), stripped, "{content:?}");
        }
    }

    #[test]
    fn questions_end_in_a_question_mark_or_start_like_one() {
        for text in [
            "What is IL-2",
            "  how is it given ",
            "so, IL-2?",
            "any side effects",
        ] {
            assert!(looks_like_question(text), "{text}");
        }
        for text in ["thanks all", "however it went", ""] {
            assert!(!looks_like_question(text), "{text}");
        }
    }

    fn dm(question: &str) -> MessageFacts<'_> {
        MessageFacts {
            in_dm: true,
            question,
            ..MessageFacts::default()
        }
    }

    #[test]
    fn a_direct_message_is_a_question_without_a_mention_cooldown_or_quiet_period() {
        let mut f = dm("my dad has a fever");
        f.channel_quiet = true;
        assert_eq!(
            decide(&f),
            Decision::Need(Need::Reply),
            "no cooldown, no quiet"
        );
        f.reply = NOT_COVERED;
        assert_eq!(decide(&f), Decision::Post, "a DM always gets its reply");
        f.cooldown = Some(Cooldown::SlowDown { notify: false });
        f.reply = ANSWERS;
        assert_eq!(decide(&f), Decision::Post, "never turned away");
        assert_eq!(decide(&dm("  ")), Decision::Help);
        let mut bot = dm("hello");
        bot.from_bot = true;
        assert_eq!(decide(&bot), Decision::Ignore(Silence::FromBot));
    }
}
