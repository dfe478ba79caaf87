//! `/ask question`: the FAQ's best passage, with feedback and "Other matches" buttons.

use crate::answer::{Answer, Refusal, Reply};
use crate::discord::commands::{buttons, reply_to, Options};
use crate::discord::state::{BotState, Cooldown};
use serenity::all::{CommandInteraction, Context, Interaction};
use std::sync::Arc;

/// Handles `/ask`.
pub async fn run(ctx: &Context, state: &Arc<BotState>, cmd: &CommandInteraction, opts: &Options) {
    let interaction = Interaction::Command(cmd.clone());
    if let Cooldown::SlowDown { .. } = state.cooldown(cmd.user.id.get()) {
        let reply = Reply::refusal(&Refusal::SlowDown, &state.referral);
        reply_to(ctx, &interaction, &reply, vec![], true).await;
        return;
    }
    let question = opts.get("question").unwrap_or_default();
    answer_publicly(ctx, state, &interaction, question).await;
}

/// Answers `question` in a public response to `interaction`, with the answer buttons.
pub async fn answer_publicly(
    ctx: &Context,
    state: &Arc<BotState>,
    interaction: &Interaction,
    question: &str,
) {
    let (reply, components) = answer_with_buttons(state, question);
    reply_to(ctx, interaction, &reply, components, false).await;
}

/// The reply to a question and the buttons that go under it.
pub fn answer_with_buttons(
    state: &BotState,
    question: &str,
) -> (Reply, Vec<serenity::all::CreateActionRow>) {
    reply_with_buttons(state, &state.engine().answer(question))
}

/// The reply to an answer and the buttons under it; records the question (for the buttons and
/// the insight store).
pub fn reply_with_buttons(
    state: &BotState,
    answer: &Answer,
) -> (Reply, Vec<serenity::all::CreateActionRow>) {
    tracing::debug!(answered = answer.best.is_some(), "question answered");
    let reply = Reply::for_answer(answer, &state.referral);
    let key = state.remember_answer(answer);
    let components = buttons::for_answer(state, key, answer);
    (reply, components)
}
