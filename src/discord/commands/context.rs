//! The message context-menu command "Answer from FAQ": answers the targeted message's text as a
//! reply to that message.

use crate::answer::{Refusal, Reply};
use crate::discord::commands::ask::{self, Audience};
use crate::discord::render;
use crate::discord::router::{Handled, Invocation, Response};
use crate::discord::state::Cooldown;
use crate::insight::store::Source;
use serenity::all::{MessageReference, ResolvedTarget};
use serenity::futures::future::BoxFuture;

/// Handles "Answer from FAQ": the answer goes under the targeted message, and the member who
/// asked is told so; when the bot cannot post there, the answer is the interaction's response.
pub(crate) fn run(inv: Invocation<'_>) -> BoxFuture<'_, Handled<'_>> {
    Box::pin(async move {
        let (ctx, state, cmd) = (inv.ctx, inv.state, inv.cmd);
        let Some(ResolvedTarget::Message(target)) = cmd.data.target() else {
            return Err(Refusal::NotAMessage);
        };
        let question = target.content.trim();
        if question.is_empty() {
            return Err(Refusal::NoText);
        }
        let asker = cmd.user.id.get();
        if let Cooldown::SlowDown { .. } = state.cooldown(asker) {
            // Within the cooldown the answer is the member's alone, not posted in the channel.
            let (reply, buttons) =
                ask::answer_with_buttons(state, question, Audience::Private, Source::ContextMenu);
            return Ok(Response::Message {
                reply: reply.spaced_out(),
                buttons,
                ephemeral: true,
            });
        }
        let (reply, buttons) = ask::answer_with_buttons(
            state,
            question,
            Audience::Public { asker },
            Source::ContextMenu,
        );
        let message = render::channel_message(&reply, buttons.clone())
            .reference_message(MessageReference::from(target));
        match state
            .rest
            .post(&ctx.http, target.channel_id, &message)
            .await
        {
            Ok(_) => Ok(Response::private(Reply::answered_that_message(
                &state.referral,
            ))),
            Err(e) => {
                tracing::warn!(
                    "cannot reply to the message ({e}); answering in the interaction instead"
                );
                Ok(Response::public(reply, buttons))
            }
        }
    })
}
