//! Slash and context-menu commands: their definitions (for registration) and shared helpers.
//! One file per command group: `ask.rs` (/ask), `faq.rs` (/faq), `context.rs` ("Answer from
//! FAQ"), `buttons.rs` (the buttons under answers); moderator commands live in
//! [`crate::discord::moderation`].

pub mod ask;
pub mod buttons;
pub mod context;
pub mod faq;

use crate::answer::Reply;
use crate::discord::render;
use crate::discord::staff::{self, Staff};
use crate::discord::state::BotState;
use serenity::all::{
    CommandDataOption, CommandDataOptionValue, CommandOptionType, CommandType, Context,
    CreateActionRow, CreateCommand, CreateCommandOption, CreateInteractionResponse,
    InteractionContext, Member, Permissions,
};
use std::collections::HashMap;
use std::time::Duration;

/// `/ask`.
pub const ASK: &str = "ask";
/// `/faq` (members).
pub const FAQ: &str = "faq";
/// `/faq-admin` (moderators).
pub const FAQ_ADMIN: &str = "faq-admin";
/// The message context-menu command.
pub const ANSWER_FROM_FAQ: &str = "Answer from FAQ";
/// Longest question accepted by `/ask`.
pub const QUESTION_MAX: u16 = 1_000;

fn topic_option(description: &str) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::String, "topic", description)
        .required(true)
        .set_autocomplete(true)
        .max_length(100)
}

/// Every command the bot registers.
pub fn definitions() -> Vec<CreateCommand> {
    let ask = CreateCommand::new(ASK)
        .description("Ask the FAQ a question")
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::String,
                "question",
                "Your question, in your own words",
            )
            .required(true)
            .max_length(QUESTION_MAX),
        );
    let faq = CreateCommand::new(FAQ)
        .description("Browse the FAQ")
        .add_option(
            CreateCommandOption::new(CommandOptionType::SubCommand, "show", "Show one FAQ entry")
                .add_sub_option(topic_option("The FAQ topic")),
        )
        .add_option(CreateCommandOption::new(
            CommandOptionType::SubCommand,
            "list",
            "List every FAQ topic",
        ))
        .add_option(CreateCommandOption::new(
            CommandOptionType::SubCommand,
            "help",
            "How to ask the FAQ bot",
        ));
    let admin = CreateCommand::new(FAQ_ADMIN)
        .description("Edit the FAQ (moderators)")
        .default_member_permissions(Permissions::MANAGE_MESSAGES)
        .contexts(vec![InteractionContext::Guild])
        .add_option(CreateCommandOption::new(
            CommandOptionType::SubCommand,
            "add",
            "Add an FAQ entry",
        ))
        .add_option(
            CreateCommandOption::new(CommandOptionType::SubCommand, "edit", "Edit an FAQ entry")
                .add_sub_option(topic_option("The entry to edit")),
        )
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::SubCommand,
                "remove",
                "Remove an FAQ entry",
            )
            .add_sub_option(topic_option("The entry to remove")),
        )
        .add_option(CreateCommandOption::new(
            CommandOptionType::SubCommand,
            "reload",
            "Re-read the FAQ files",
        ))
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::SubCommand,
                "gaps",
                "The most frequent unanswered and \"Not helpful\" questions",
            )
            .add_sub_option(
                CreateCommandOption::new(
                    CommandOptionType::Integer,
                    "days",
                    "How many days back to look (default 30)",
                )
                .min_int_value(1)
                .max_int_value(365),
            ),
        )
        .add_option(CreateCommandOption::new(
            CommandOptionType::SubCommand,
            "stats",
            "Questions, answer rate and helpful rate over 7 and 30 days",
        ));
    let context = CreateCommand::new(ANSWER_FROM_FAQ).kind(CommandType::Message);
    vec![ask, faq, admin, context]
}

/// A command's options flattened: the subcommand path, string values, and the focused
/// (autocomplete) option's name and partial value.
#[derive(Debug, Default)]
pub struct Options {
    /// Subcommand names, outermost first.
    pub path: Vec<String>,
    /// String-like option values by name.
    pub values: HashMap<String, String>,
    /// The option being typed, for autocomplete.
    pub focused: Option<(String, String)>,
}

impl Options {
    /// Flattens raw options.
    pub fn parse(options: &[CommandDataOption]) -> Self {
        let mut out = Options::default();
        out.walk(options);
        out
    }

    fn walk(&mut self, options: &[CommandDataOption]) {
        for o in options {
            match &o.value {
                CommandDataOptionValue::SubCommand(inner)
                | CommandDataOptionValue::SubCommandGroup(inner) => {
                    self.path.push(o.name.clone());
                    self.walk(inner);
                }
                CommandDataOptionValue::String(s) => {
                    self.values.insert(o.name.clone(), s.clone());
                }
                CommandDataOptionValue::Autocomplete { value, .. } => {
                    self.focused = Some((o.name.clone(), value.clone()));
                }
                CommandDataOptionValue::Integer(i) => {
                    self.values.insert(o.name.clone(), i.to_string());
                }
                _ => {}
            }
        }
    }

    /// The first subcommand name, or "".
    pub fn sub(&self) -> &str {
        self.path.first().map(String::as_str).unwrap_or("")
    }

    /// A string option.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
}

/// Whether the member behind an interaction may edit the FAQ ([`staff::standing`], with the
/// permissions Discord computed for the interaction).
pub fn is_moderator(state: &BotState, member: Option<&Member>) -> bool {
    member.is_some_and(|m| {
        let permissions = m.permissions.unwrap_or_else(Permissions::empty);
        staff::standing(&state.cfg.discord, permissions, &m.roles) == Some(Staff::Moderator)
    })
}

/// Sends an interaction response, retrying once after a short pause when Discord answers with
/// an error (a 5xx, a 429 or a time-out); a second failure is logged, never a crash.
pub async fn respond<F, Fut>(what: &str, send: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = serenity::Result<()>>,
{
    if let Err(first) = send().await {
        tracing::warn!("{what}: Discord refused the response ({first}); retrying once");
        tokio::time::sleep(Duration::from_millis(250)).await;
        if let Err(second) = send().await {
            tracing::error!("{what}: response failed again: {second}");
        }
    }
}

/// Edits a deferred interaction response with a reply (allowed mentions set, since serenity's
/// `EditInteractionResponse` does not apply the defaults), retried once. `edit` sends it:
/// `|e| interaction.edit_response(&ctx.http, e)`.
pub async fn edit_deferred<F, Fut>(
    what: &str,
    reply: &Reply,
    components: Vec<CreateActionRow>,
    edit: F,
) where
    F: Fn(serenity::all::EditInteractionResponse) -> Fut,
    Fut: std::future::Future<Output = serenity::Result<serenity::all::Message>>,
{
    let body = render::interaction_edit(reply, components);
    respond(what, || {
        let sent = edit(body.clone());
        async move { sent.await.map(|_| ()) }
    })
    .await;
}

/// A message response for a reply.
pub fn message_response(
    reply: &Reply,
    components: Vec<CreateActionRow>,
    ephemeral: bool,
) -> CreateInteractionResponse {
    CreateInteractionResponse::Message(render::interaction_message(reply, components, ephemeral))
}

/// Answers an interaction with a reply (message response, retried once).
pub async fn reply_to(
    ctx: &Context,
    interaction: &serenity::all::Interaction,
    reply: &Reply,
    components: Vec<CreateActionRow>,
    ephemeral: bool,
) {
    let response = message_response(reply, components, ephemeral);
    respond("reply", || {
        let r = response.clone();
        async move {
            match interaction {
                serenity::all::Interaction::Command(c) => c.create_response(&ctx.http, r).await,
                serenity::all::Interaction::Component(c) => c.create_response(&ctx.http, r).await,
                serenity::all::Interaction::Modal(c) => c.create_response(&ctx.http, r).await,
                _ => Ok(()),
            }
        }
    })
    .await;
}
