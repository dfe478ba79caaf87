//! `/faq show topic` (with autocomplete), `/faq list` and `/faq help`.

use crate::answer::topics::{resolve_topic, suggest_entries};
use crate::answer::{Refusal, Reply, ReplyKind};
use crate::discord::commands::{reply_to, respond, Options};
use crate::discord::render::truncate;
use crate::discord::state::BotState;
use serenity::all::{
    AutocompleteChoice, CommandInteraction, Context, CreateAutocompleteResponse,
    CreateInteractionResponse, Interaction,
};
use std::sync::Arc;

/// Discord's limit on autocomplete choices.
pub const MAX_CHOICES: usize = 25;
/// Discord's limit on a choice's name.
pub const CHOICE_NAME_MAX: usize = 100;

/// Handles `/faq`.
pub async fn run(ctx: &Context, state: &Arc<BotState>, cmd: &CommandInteraction, opts: &Options) {
    let interaction = Interaction::Command(cmd.clone());
    let engine = state.engine();
    let reply = match opts.sub() {
        "show" => match resolve_topic(&engine, opts.get("topic").unwrap_or_default()) {
            Some(entry) => Reply::entry(entry, &state.referral),
            None => Reply::refusal(&Refusal::UnknownTopic, &state.referral),
        },
        "list" => Reply::topic_list(engine.faq(), &state.referral),
        _ => Reply::help(&state.referral),
    };
    let ephemeral = reply.kind == ReplyKind::Error;
    reply_to(ctx, &interaction, &reply, vec![], ephemeral).await;
}

/// Autocomplete choices for a topic: best matches first, at most 25, names 1-100 characters,
/// values the entry ids.
pub fn topic_choices(state: &BotState, input: &str) -> Vec<AutocompleteChoice> {
    let engine = state.engine();
    suggest_entries(&engine, input, MAX_CHOICES)
        .into_iter()
        .map(|e| {
            let name = truncate(e.meta.question.trim(), CHOICE_NAME_MAX);
            let name = if name.is_empty() {
                e.meta.id.clone()
            } else {
                name
            };
            AutocompleteChoice::new(name, e.meta.id.clone())
        })
        .collect()
}

/// Answers an autocomplete request for any `topic` option.
pub async fn autocomplete(ctx: &Context, state: &Arc<BotState>, ac: &CommandInteraction) {
    let opts = Options::parse(&ac.data.options);
    let input = opts.focused.as_ref().map(|(_, v)| v.as_str()).unwrap_or("");
    let choices = topic_choices(state, input);
    let response = CreateInteractionResponse::Autocomplete(
        CreateAutocompleteResponse::new().set_choices(choices),
    );
    respond("autocomplete", || {
        ac.create_response(&ctx.http, response.clone())
    })
    .await;
}
