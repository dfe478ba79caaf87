//! `/ask question`: the FAQ's best passage, with feedback and "Other matches" buttons.

use crate::answer::{Answer, Refusal, Reply};
use crate::discord::router::{Handled, Invocation, Response};
use crate::discord::state::{BotState, Cooldown};
use crate::discord::ui::{self, names};
use serenity::all::CreateActionRow;
use serenity::futures::future::BoxFuture;

/// Handles `/ask`.
pub(crate) fn run(inv: Invocation<'_>) -> BoxFuture<'_, Handled<'_>> {
    Box::pin(async move {
        let state = inv.state;
        if let Cooldown::SlowDown { .. } = state.cooldown(inv.cmd.user.id.get()) {
            return Err(Refusal::SlowDown);
        }
        let question = inv.opts.get(names::QUESTION).unwrap_or_default();
        let (reply, buttons) = answer_with_buttons(state, question);
        Ok(Response::public(reply, buttons))
    })
}

/// The reply to a question and the buttons that go under it.
pub(crate) fn answer_with_buttons(
    state: &BotState,
    question: &str,
) -> (Reply, Vec<CreateActionRow>) {
    reply_with_buttons(state, &state.engine().answer(question))
}

/// The reply to an answer and the buttons under it; records the question (for the buttons and
/// the insight store).
pub(crate) fn reply_with_buttons(
    state: &BotState,
    answer: &Answer,
) -> (Reply, Vec<CreateActionRow>) {
    tracing::debug!(answered = answer.best.is_some(), "question answered");
    let reply = Reply::for_answer(answer, &state.referral);
    let key = state.remember_answer(answer);
    let buttons = ui::answer_buttons(
        key,
        answer.best.is_some(),
        !answer.alternatives.is_empty(),
        state.cfg.discord.helper_role_id.is_some(),
    );
    (reply, buttons)
}
