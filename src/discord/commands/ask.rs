//! `/ask question`: the FAQ's best passage, with feedback and "Other matches" buttons.

use crate::answer::{Answer, Reply};
use crate::discord::router::{Handled, Invocation, Response};
use crate::discord::state::{BotState, Cooldown};
use crate::discord::ui::{self, names};
use crate::insight::store::Source;
use serenity::all::CreateActionRow;
use serenity::futures::future::BoxFuture;

/// Handles `/ask`: in the channel, or only for the asker with `private:True`. Within the
/// cooldown the answer still comes, seen only by the asker: the cooldown spaces out the
/// channel, it does not turn a member away.
pub(crate) fn run(inv: Invocation<'_>) -> BoxFuture<'_, Handled<'_>> {
    Box::pin(async move {
        let state = inv.state;
        let asker = inv.cmd.user.id.get();
        let question = inv.opts.get(names::QUESTION).unwrap_or_default();
        let private = inv.opts.flag(names::PRIVATE);
        // A private answer floods nobody, so it does not count against the cooldown.
        let spaced = !private && matches!(state.cooldown(asker), Cooldown::SlowDown { .. });
        let audience = if private || spaced {
            Audience::Private
        } else {
            Audience::Public { asker }
        };
        let (reply, buttons) = answer_with_buttons(state, question, audience, Source::Command);
        Ok(Response::Message {
            reply: if spaced { reply.spaced_out() } else { reply },
            buttons,
            ephemeral: audience == Audience::Private,
        })
    })
}

/// Who sees an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    /// Everyone in the channel; `asker` (a user id) may remove it.
    Public {
        /// Who asked.
        asker: u64,
    },
    /// Only the member who asked (an ephemeral answer).
    Private,
    /// A direct message to `asker`: no volunteers there (they are asked for in the server).
    Direct {
        /// Who asked.
        asker: u64,
    },
}

/// The reply to a question and the buttons that go under it.
pub(crate) fn answer_with_buttons(
    state: &BotState,
    question: &str,
    audience: Audience,
    source: Source,
) -> (Reply, Vec<CreateActionRow>) {
    reply_with_buttons(state, &state.engine().answer(question), audience, source)
}

/// The reply to an answer and the buttons under it; records the question (for the buttons and
/// the insight store). "Talk to a volunteer" needs the helper role, and under a private answer
/// also the private helpers' channel; 🗑 goes under public answers only.
pub(crate) fn reply_with_buttons(
    state: &BotState,
    answer: &Answer,
    audience: Audience,
    source: Source,
) -> (Reply, Vec<CreateActionRow>) {
    tracing::debug!(answered = answer.best.is_some(), "question answered");
    let reply = Reply::for_answer(answer, &state.referral);
    let key = state.remember_answer(answer, source);
    let discord = &state.cfg.discord;
    let (volunteer, removable_by) = match audience {
        Audience::Public { asker } => (discord.helper_role_id.is_some(), Some(asker)),
        Audience::Private => (
            discord.helper_role_id.is_some() && discord.helper_channel_id.is_some(),
            None,
        ),
        Audience::Direct { asker } => (false, Some(asker)),
    };
    let buttons = ui::answer_buttons(
        key,
        answer.best.is_some(),
        !answer.alternatives.is_empty(),
        volunteer,
        removable_by,
    );
    (reply, buttons)
}
