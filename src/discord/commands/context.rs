//! The message context-menu command "Answer from FAQ": answers the targeted message's text as a
//! reply to that message.

use crate::answer::{Refusal, Reply};
use crate::discord::commands::{buttons, reply_to};
use crate::discord::render;
use crate::discord::state::{BotState, Cooldown};
use serenity::all::{CommandInteraction, Context, Interaction, MessageReference, ResolvedTarget};
use std::sync::Arc;

/// Handles "Answer from FAQ".
pub async fn run(ctx: &Context, state: &Arc<BotState>, cmd: &CommandInteraction) {
    let interaction = Interaction::Command(cmd.clone());
    if let Cooldown::SlowDown { .. } = state.cooldown(cmd.user.id.get()) {
        let reply = Reply::refusal(&Refusal::SlowDown, &state.referral);
        reply_to(ctx, &interaction, &reply, vec![], true).await;
        return;
    }
    let Some(ResolvedTarget::Message(target)) = cmd.data.target() else {
        let reply = Reply::refusal(&Refusal::NotAMessage, &state.referral);
        reply_to(ctx, &interaction, &reply, vec![], true).await;
        return;
    };
    let question = target.content.trim();
    if question.is_empty() {
        let reply = Reply::refusal(&Refusal::NoText, &state.referral);
        reply_to(ctx, &interaction, &reply, vec![], true).await;
        return;
    }
    let engine = state.engine();
    let answer = engine.answer(question);
    let reply = Reply::for_answer(&answer, &state.referral);
    let key = state.remember_answer(&answer);
    let components = buttons::for_answer(state, key, &answer);
    let message = render::channel_message(&reply, components.clone())
        .reference_message(MessageReference::from(target));
    match target.channel_id.send_message(&ctx.http, message).await {
        Ok(_) => {
            let done = Reply::answered_that_message(&state.referral);
            reply_to(ctx, &interaction, &done, vec![], true).await;
        }
        Err(e) => {
            tracing::warn!(
                "cannot reply to the message ({e}); answering in the interaction instead"
            );
            reply_to(ctx, &interaction, &reply, components, false).await;
        }
    }
}
