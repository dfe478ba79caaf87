//! The buttons under an answer: "Helpful", "Not helpful" (recorded once per member per answer,
//! acknowledged ephemerally), "Other matches" (the next best entries, ephemerally) and, when
//! `[discord] helper_role_id` is set, "Talk to a volunteer" (a thread pinging the helpers).

use crate::answer::reply::VolunteerPlace;
use crate::answer::{Answer, Refusal, Reply};
use crate::discord::commands::{edit_deferred, reply_to, respond};
use crate::discord::render;
use crate::discord::state::BotState;
use serenity::all::{
    AutoArchiveDuration, ButtonStyle, ComponentInteraction, Context, CreateActionRow,
    CreateAllowedMentions, CreateButton, CreateThread, Interaction, Mentionable, RoleId, UserId,
};
use std::sync::Arc;

/// Custom-id prefix of the "Helpful" button.
pub const HELPFUL: &str = "fb:y:";
/// Custom-id prefix of the "Not helpful" button.
pub const NOT_HELPFUL: &str = "fb:n:";
/// Custom-id prefix of the "Other matches" button.
pub const MORE: &str = "more:";
/// Custom-id prefix of the "Talk to a volunteer" button.
pub const VOLUNTEER: &str = "volunteer:";
/// Name of the thread opened for a volunteer.
pub const VOLUNTEER_THREAD: &str = "Talk to a volunteer";

/// Every button for an answer (or no-answer) to the question remembered under `key`: the
/// feedback and "Other matches" buttons, plus "Talk to a volunteer" when a helper role is set.
pub fn for_answer(state: &BotState, key: u64, answer: &Answer) -> Vec<CreateActionRow> {
    let mut rows = under_answer(key, answer.best.is_some(), !answer.alternatives.is_empty());
    if state.cfg.discord.helper_role_id.is_some() {
        let button = CreateButton::new(format!("{VOLUNTEER}{key}"))
            .label("Talk to a volunteer")
            .style(ButtonStyle::Secondary);
        match rows.first_mut() {
            Some(CreateActionRow::Buttons(row)) => row.push(button),
            _ => rows.push(CreateActionRow::Buttons(vec![button])),
        }
    }
    rows
}

/// The buttons for an answer to the question remembered under `key`.
pub fn under_answer(key: u64, answered: bool, has_more: bool) -> Vec<CreateActionRow> {
    let mut row = Vec::new();
    if answered {
        row.push(
            CreateButton::new(format!("{HELPFUL}{key}"))
                .label("Helpful")
                .style(ButtonStyle::Success),
        );
        row.push(
            CreateButton::new(format!("{NOT_HELPFUL}{key}"))
                .label("Not helpful")
                .style(ButtonStyle::Secondary),
        );
    }
    if has_more {
        row.push(
            CreateButton::new(format!("{MORE}{key}"))
                .label("Other matches")
                .style(ButtonStyle::Primary),
        );
    }
    if row.is_empty() {
        Vec::new()
    } else {
        vec![CreateActionRow::Buttons(row)]
    }
}

/// Handles a press of one of the answer buttons. Returns false when the id is not one of them.
pub async fn handle(ctx: &Context, state: &Arc<BotState>, press: &ComponentInteraction) -> bool {
    let id = press.data.custom_id.as_str();
    let interaction = Interaction::Component(press.clone());
    if id.starts_with(HELPFUL) || id.starts_with(NOT_HELPFUL) {
        let helpful = id.starts_with(HELPFUL);
        tracing::info!(helpful, "answer feedback");
        if let Some(key) = id
            .strip_prefix(HELPFUL)
            .or_else(|| id.strip_prefix(NOT_HELPFUL))
            .and_then(|k| k.parse::<u64>().ok())
        {
            state.vote(key, press.user.id.get(), helpful);
        }
        let reply = Reply::thanks_for_vote(helpful, &state.referral);
        reply_to(ctx, &interaction, &reply, vec![], true).await;
        return true;
    }
    if let Some(key) = id.strip_prefix(VOLUNTEER) {
        let key = key.parse::<u64>().ok();
        volunteer(ctx, state, press, key).await;
        return true;
    }
    if let Some(key) = id.strip_prefix(MORE) {
        let question = key.parse::<u64>().ok().and_then(|k| state.recall(k));
        let reply = match question {
            Some(q) => {
                Reply::other_matches(&state.engine().answer(&q).alternatives, &state.referral)
            }
            None => Reply::refusal(&Refusal::QuestionForgotten, &state.referral),
        };
        reply_to(ctx, &interaction, &reply, vec![], true).await;
        return true;
    }
    false
}

/// The message that asks the helpers for a volunteer: pings the helper role (the only mention
/// allowed), quotes the member's question, names (without pinging) who asked for help.
fn volunteer_message(
    state: &BotState,
    role: u64,
    user: u64,
    question: Option<&str>,
) -> serenity::all::CreateMessage {
    let role = RoleId::new(role);
    let reply = Reply::volunteer_request(
        &role.mention().to_string(),
        &UserId::new(user).mention().to_string(),
        question,
        &state.referral,
    );
    render::channel_message(&reply, vec![])
        .allowed_mentions(CreateAllowedMentions::new().roles(vec![role]))
}

/// Handles "Talk to a volunteer": opens a thread on the answer and pings the helper role there,
/// or, when the thread cannot be made, asks in the channel.
async fn volunteer(
    ctx: &Context,
    state: &Arc<BotState>,
    press: &ComponentInteraction,
    key: Option<u64>,
) {
    let interaction = Interaction::Component(press.clone());
    let Some(role) = state.cfg.discord.helper_role_id.filter(|r| *r != 0) else {
        let reply = Reply::refusal(&Refusal::ButtonExpired, &state.referral);
        reply_to(ctx, &interaction, &reply, vec![], true).await;
        return;
    };
    if press.guild_id.is_none() {
        let reply = Reply::refusal(&Refusal::VolunteerInDm, &state.referral);
        reply_to(ctx, &interaction, &reply, vec![], true).await;
        return;
    }
    let message = press.message.id;
    if !state.first_volunteer_request(message.get()) {
        let reply = Reply::refusal(&Refusal::VolunteerAlreadyAsked, &state.referral);
        reply_to(ctx, &interaction, &reply, vec![], true).await;
        return;
    }
    respond("defer volunteer", || press.defer_ephemeral(&ctx.http)).await;
    let question = key.and_then(|k| state.recall(k));
    let ask = volunteer_message(state, role, press.user.id.get(), question.as_deref());
    let thread = press
        .channel_id
        .create_thread_from_message(
            &ctx.http,
            message,
            CreateThread::new(VOLUNTEER_THREAD).auto_archive_duration(AutoArchiveDuration::OneDay),
        )
        .await;
    let posted = match thread {
        Ok(thread) => match thread.id.send_message(&ctx.http, ask.clone()).await {
            Ok(_) => Ok(VolunteerPlace::Thread),
            Err(e) => {
                tracing::warn!("cannot post in the volunteer thread ({e}); asking in the channel");
                press
                    .channel_id
                    .send_message(&ctx.http, ask)
                    .await
                    .map(|_| VolunteerPlace::Channel)
            }
        },
        Err(e) => {
            tracing::warn!("cannot open a volunteer thread ({e}); asking in the channel");
            let ask = ask.reference_message((press.channel_id, message));
            press
                .channel_id
                .send_message(&ctx.http, ask)
                .await
                .map(|_| VolunteerPlace::Channel)
        }
    };
    let reply = match posted {
        Ok(place) => {
            tracing::info!("volunteer requested");
            Reply::volunteer_asked(place, &state.referral)
        }
        Err(e) => {
            tracing::warn!("cannot ask for a volunteer: {e}");
            state.forget_volunteer_request(message.get());
            Reply::refusal(&Refusal::VolunteersUnreachable, &state.referral)
        }
    };
    edit_deferred("volunteer result", &reply, vec![], |e| {
        press.edit_response(&ctx.http, e)
    })
    .await;
}
