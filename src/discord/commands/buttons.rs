//! The buttons under an answer: "Helpful", "Not helpful" (acknowledged ephemerally) and
//! "Other matches" (the next best entries, ephemerally).

use crate::answer::{Reply, ReplyKind};
use crate::discord::commands::reply_to;
use crate::discord::render::truncate;
use crate::discord::state::BotState;
use serenity::all::{
    ButtonStyle, ComponentInteraction, Context, CreateActionRow, CreateButton, Interaction,
};
use std::sync::Arc;

/// Custom-id prefix of the "Helpful" button.
pub const HELPFUL: &str = "fb:y:";
/// Custom-id prefix of the "Not helpful" button.
pub const NOT_HELPFUL: &str = "fb:n:";
/// Custom-id prefix of the "Other matches" button.
pub const MORE: &str = "more:";

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
        let text = if helpful {
            "Thank you! Glad the FAQ helped."
        } else {
            "Thank you for telling us. The moderators use this to improve the FAQ. You can also ask \
             in the server: a person may know more."
        };
        reply_to(
            ctx,
            &interaction,
            &Reply::notice(text, &state.referral),
            vec![],
            true,
        )
        .await;
        return true;
    }
    if let Some(key) = id.strip_prefix(MORE) {
        let question = key.parse::<u64>().ok().and_then(|k| state.recall(k));
        let reply = match question {
            Some(q) => other_matches(state, &q),
            None => Reply::error(
                "I no longer remember that question. Please ask it again with /ask.",
                &state.referral,
            ),
        };
        reply_to(ctx, &interaction, &reply, vec![], true).await;
        return true;
    }
    false
}

/// The next best entries for a question, as one reply.
pub fn other_matches(state: &BotState, question: &str) -> Reply {
    let answer = state.engine().answer(question);
    if answer.alternatives.is_empty() {
        return Reply::notice(
            "The FAQ has no other matches for this question.",
            &state.referral,
        );
    }
    let body = answer
        .alternatives
        .iter()
        .map(|h| format!("**{}**\n{}", h.entry_question, truncate(&h.quoted(), 600)))
        .collect::<Vec<_>>()
        .join("\n\n");
    Reply::new(
        ReplyKind::List,
        Some("Other matches in the FAQ".to_string()),
        body,
        None,
        &state.referral,
    )
}
