//! `/faq show topic` (with autocomplete), `/faq list` and `/faq help`.

use crate::answer::topics::{resolve_topic, suggest_entries};
use crate::answer::{Refusal, Reply};
use crate::discord::commands::Options;
use crate::discord::router::{Handled, Invocation, Response};
use crate::discord::state::BotState;
use crate::discord::ui::{names, CHOICE_NAME_MAX, MAX_CHOICES};
use crate::text::truncate;
use serenity::all::{AutocompleteChoice, CommandInteraction};
use serenity::futures::future::BoxFuture;

/// Handles `/faq`: an entry, the list of topics, or the help, for everyone to see.
pub(crate) fn run(inv: Invocation<'_>) -> BoxFuture<'_, Handled<'_>> {
    Box::pin(async move {
        let referral = &inv.state.referral;
        let engine = inv.state.engine();
        let reply = match inv.opts.sub() {
            names::SHOW => {
                let topic = inv.opts.get(names::TOPIC).unwrap_or_default();
                let entry = resolve_topic(&engine, topic).ok_or(Refusal::UnknownTopic)?;
                Reply::entry(entry, referral)
            }
            names::LIST => Reply::topic_list(engine.faq(), referral),
            _ => Reply::help(referral),
        };
        Ok(Response::public(reply, Vec::new()))
    })
}

/// Autocomplete choices for a topic: best matches first, at most 25, names 1-100 characters,
/// values the entry ids.
pub(crate) fn topic_choices(state: &BotState, input: &str) -> Vec<AutocompleteChoice> {
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
pub(crate) fn autocomplete<'a>(state: &BotState, ac: &CommandInteraction) -> Handled<'a> {
    let opts = Options::parse(&ac.data.options);
    let input = opts.focused.as_ref().map(|(_, v)| v.as_str()).unwrap_or("");
    Ok(Response::Choices(topic_choices(state, input)))
}
