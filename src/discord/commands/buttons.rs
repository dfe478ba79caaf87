//! The buttons under an answer: "Helpful", "Not helpful" (recorded once per member per answer,
//! acknowledged ephemerally), "Other matches" (the next best entries, ephemerally) and, when
//! `[discord] helper_role_id` is set, "Talk to a volunteer" (a thread pinging the helpers).
//! The buttons themselves are made in [`crate::discord::ui`].

use crate::answer::reply::VolunteerPlace;
use crate::answer::{Refusal, Reply};
use crate::discord::render;
use crate::discord::router::{Ack, Handled, Response};
use crate::discord::staff;
use crate::discord::state::BotState;
use crate::discord::ui::VOLUNTEER_THREAD;
use serenity::all::{
    AutoArchiveDuration, ChannelId, ComponentInteraction, Context, CreateAllowedMentions,
    CreateMessage, CreateThread, Mentionable, MessageFlags, RoleId,
};
use std::sync::Arc;

/// "Helpful" / "Not helpful": records the vote (when the key reads) and thanks the member.
pub(crate) fn feedback<'a>(
    state: &BotState,
    press: &ComponentInteraction,
    helpful: bool,
    key: Option<u64>,
) -> Handled<'a> {
    tracing::info!(helpful, "answer feedback");
    if let Some(key) = key {
        state.vote(key, press.user.id.get(), helpful);
    }
    Ok(Response::private(Reply::thanks_for_vote(
        helpful,
        &state.referral,
    )))
}

/// "Other matches": the next best entries for the remembered question.
pub(crate) fn other_matches<'a>(state: &BotState, key: Option<u64>) -> Handled<'a> {
    let question = key
        .and_then(|k| state.recall(k))
        .ok_or(Refusal::QuestionForgotten)?;
    let answer = state.engine().answer(&question);
    Ok(Response::private(Reply::other_matches(
        &answer.alternatives,
        &state.referral,
    )))
}

/// The message that asks the helpers for a volunteer: pings the helper role (the only mention
/// allowed), quotes the member's question, names (without pinging) who asked for help.
fn volunteer_message(
    state: &BotState,
    role: RoleId,
    press: &ComponentInteraction,
    question: Option<&str>,
) -> CreateMessage {
    let reply = Reply::volunteer_request(
        &role.mention().to_string(),
        &press.user.id.mention().to_string(),
        question,
        &state.referral,
    );
    render::channel_message(&reply, vec![])
        .allowed_mentions(CreateAllowedMentions::new().roles(vec![role]))
}

/// "Talk to a volunteer": opens a thread on the answer and pings the helper role there, or,
/// when the thread cannot be made, asks in the channel. Once per answer.
pub(crate) fn volunteer<'a>(
    ctx: &'a Context,
    state: &'a Arc<BotState>,
    press: &'a ComponentInteraction,
    key: Option<u64>,
) -> Handled<'a> {
    let role = state
        .cfg
        .discord
        .helper_role_id
        .ok_or(Refusal::ButtonExpired)?;
    if press.guild_id.is_none() {
        return Err(Refusal::VolunteerInDm);
    }
    let message = press.message.id;
    let private = press
        .message
        .flags
        .is_some_and(|f| f.contains(MessageFlags::EPHEMERAL));
    // A private answer's question must not go to a public thread: only to the helpers' channel.
    let helpers = state.cfg.discord.helper_channel_id;
    if private && helpers.is_none() {
        return Err(Refusal::ButtonExpired);
    }
    if !state.first_volunteer_request(message.get()) {
        return Err(Refusal::VolunteerAlreadyAsked);
    }
    Ok(Response::later(Ack::Ephemeral, async move {
        let question = key.and_then(|k| state.recall(k));
        let ask = volunteer_message(state, RoleId::new(role), press, question.as_deref());
        if let (true, Some(channel)) = (private, helpers) {
            return match state
                .rest
                .post(&ctx.http, ChannelId::new(channel), &ask)
                .await
            {
                Ok(_) => {
                    tracing::info!("volunteer requested for a private answer");
                    Ok((
                        Reply::volunteer_asked(VolunteerPlace::HelpersChannel, &state.referral),
                        Vec::new(),
                    ))
                }
                Err(e) => {
                    tracing::warn!("cannot ask the helpers' channel for a volunteer: {e}");
                    state.forget_volunteer_request(message.get());
                    Err(Refusal::VolunteersUnreachable)
                }
            };
        }
        let rest = &state.rest;
        let thread = rest
            .start_thread(
                &ctx.http,
                press.channel_id,
                message,
                &CreateThread::new(VOLUNTEER_THREAD)
                    .auto_archive_duration(AutoArchiveDuration::OneDay),
            )
            .await;
        let posted = match thread {
            Ok(thread) => match rest.post(&ctx.http, thread.id, &ask).await {
                Ok(_) => Ok(VolunteerPlace::Thread),
                Err(e) => {
                    tracing::warn!(
                        "cannot post in the volunteer thread ({e}); asking in the channel"
                    );
                    rest.post(&ctx.http, press.channel_id, &ask)
                        .await
                        .map(|_| VolunteerPlace::Channel)
                }
            },
            Err(e) => {
                tracing::warn!("cannot open a volunteer thread ({e}); asking in the channel");
                let ask = ask.reference_message((press.channel_id, message));
                rest.post(&ctx.http, press.channel_id, &ask)
                    .await
                    .map(|_| VolunteerPlace::Channel)
            }
        };
        match posted {
            Ok(place) => {
                tracing::info!("volunteer requested");
                Ok((Reply::volunteer_asked(place, &state.referral), Vec::new()))
            }
            Err(e) => {
                tracing::warn!("cannot ask for a volunteer: {e}");
                state.forget_volunteer_request(message.get());
                Err(Refusal::VolunteersUnreachable)
            }
        }
    }))
}

/// 🗑: deletes a public answer, for the member who asked it (`asker`) or a moderator; anyone
/// else is told, privately, that only the asker can.
pub(crate) fn remove_answer<'a>(
    ctx: &'a Context,
    state: &'a Arc<BotState>,
    press: &'a ComponentInteraction,
    asker: Option<u64>,
) -> Handled<'a> {
    let by_asker = asker == Some(press.user.id.get());
    if !by_asker && !staff::is_moderator(&state.cfg.discord, press.member.as_ref()) {
        return Err(Refusal::OnlyTheAsker);
    }
    Ok(Response::later(Ack::Ephemeral, async move {
        match state
            .rest
            .delete(&ctx.http, press.channel_id, press.message.id)
            .await
        {
            Ok(()) => {
                tracing::info!(by_asker, "answer removed");
                Ok((Reply::answer_removed(&state.referral), Vec::new()))
            }
            Err(e) => {
                tracing::warn!("cannot remove the answer: {e}");
                Err(Refusal::AnswerNotRemoved)
            }
        }
    }))
}
