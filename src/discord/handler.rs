//! The serenity event handler: registers commands when connected, routes interactions, and
//! answers messages that mention the bot (or plain questions in configured channels).

use crate::answer::{Refusal, Reply};
use crate::discord::commands::{self, ask, buttons, context, faq, reply_to, Options};
use crate::discord::moderation;
use crate::discord::render;
use crate::discord::staff;
use crate::discord::state::{BotState, Cooldown};
use crate::text::{replace_mentions, Mention};
use serenity::all::{
    ChannelId, Command, CommandType, Context, EventHandler, GuildId, Interaction, Message,
    Permissions, Ready, RoleId,
};
use serenity::async_trait;
use std::sync::Arc;

/// The bot's event handler.
pub struct Handler {
    /// Shared state.
    pub state: Arc<BotState>,
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        tracing::info!(
            user = %ready.user.name,
            shard = ?ready.shard,
            "connected to Discord"
        );
        // Register once, from the first shard.
        if ready.shard.is_some_and(|s| s.id.0 != 0) {
            return;
        }
        let defs = commands::definitions();
        let guilds = &self.state.cfg.discord.guild_ids;
        if guilds.is_empty() {
            match Command::set_global_commands(&ctx.http, defs).await {
                Ok(c) => tracing::info!(count = c.len(), "registered global commands"),
                Err(e) => tracing::error!("cannot register global commands: {e}"),
            }
        } else {
            for g in guilds {
                match GuildId::new(*g).set_commands(&ctx.http, defs.clone()).await {
                    Ok(c) => {
                        tracing::info!(guild = g, count = c.len(), "registered guild commands")
                    }
                    Err(e) => tracing::error!(guild = g, "cannot register guild commands: {e}"),
                }
            }
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let state = &self.state;
        match &interaction {
            Interaction::Command(cmd) => {
                let opts = Options::parse(&cmd.data.options);
                match (cmd.data.kind, cmd.data.name.as_str()) {
                    (CommandType::ChatInput, commands::ASK) => {
                        ask::run(&ctx, state, cmd, &opts).await
                    }
                    (CommandType::ChatInput, commands::FAQ) => {
                        faq::run(&ctx, state, cmd, &opts).await
                    }
                    (CommandType::ChatInput, commands::FAQ_ADMIN) => {
                        moderation::run(&ctx, state, cmd, &opts).await
                    }
                    (CommandType::Message, commands::ANSWER_FROM_FAQ) => {
                        context::run(&ctx, state, cmd).await
                    }
                    (_, other) => {
                        tracing::warn!(command = other, "unknown command");
                        let reply = Reply::refusal(&Refusal::UnknownCommand, &state.referral);
                        reply_to(&ctx, &interaction, &reply, vec![], true).await;
                    }
                }
            }
            Interaction::Autocomplete(ac) => faq::autocomplete(&ctx, state, ac).await,
            Interaction::Component(press) => {
                let handled = buttons::handle(&ctx, state, press).await
                    || moderation::confirm(&ctx, state, press).await
                    || moderation::alias_button(&ctx, state, press).await;
                if !handled {
                    let reply = Reply::refusal(&Refusal::ButtonExpired, &state.referral);
                    reply_to(&ctx, &interaction, &reply, vec![], true).await;
                }
            }
            Interaction::Modal(modal) => {
                let handled = moderation::submit(&ctx, state, modal).await;
                if !handled {
                    let reply = Reply::refusal(&Refusal::FormExpired, &state.referral);
                    reply_to(&ctx, &interaction, &reply, vec![], true).await;
                }
            }
            _ => {}
        }
    }

    async fn message(&self, ctx: Context, msg: Message) {
        if msg.author.bot || msg.webhook_id.is_some() {
            return;
        }
        let helper =
            self.state.cfg.quiet_minutes() > 0 && is_staff_message(&ctx, &self.state, &msg);
        if helper {
            self.state
                .note_helper_message(msg.channel_id.get(), std::time::Instant::now());
        }
        let me = ctx.cache.current_user().id;
        let mentioned = msg.mentions.iter().any(|u| u.id == me);
        let in_channel = self
            .state
            .cfg
            .discord
            .answer_channel_ids
            .contains(&msg.channel_id.get());
        if !mentioned && !in_channel {
            return;
        }
        // A moderator or helper is talking here: leave the conversation to people.
        if !helper && self.state.is_quiet(msg.channel_id.get()) {
            tracing::debug!(
                channel = msg.channel_id.get(),
                "quiet period after a helper's message: not answering"
            );
            return;
        }
        let question = strip_mention(&msg.content, me.get());
        let state = &self.state;
        let reply_in = |channel: ChannelId, reply: Reply, components| {
            let message = render::channel_message(&reply, components).reference_message(&msg);
            let http = ctx.http.clone();
            async move {
                if let Err(e) = channel.send_message(&http, message).await {
                    tracing::warn!("cannot reply in the channel: {e}");
                }
            }
        };
        // In an answer channel a plain message is answered when it reads as a question, or
        // when it describes a red-flag symptom (an urgent notice is never held back).
        if !mentioned && !looks_like_question(&question) && !state.engine().answer(&question).urgent
        {
            return;
        }
        match state.cooldown(msg.author.id.get()) {
            Cooldown::SlowDown { notify: true } => {
                let reply = Reply::refusal(&Refusal::SlowDown, &state.referral);
                reply_in(msg.channel_id, reply, vec![]).await;
                return;
            }
            Cooldown::SlowDown { notify: false } => return,
            Cooldown::Ready => {}
        }
        if question.trim().is_empty() {
            reply_in(msg.channel_id, Reply::help(&state.referral), vec![]).await;
            return;
        }
        let (reply, components) = ask::answer_with_buttons(state, &question);
        // In an answer channel, a plain message the FAQ does not cover gets no reply, unless
        // it is urgent.
        if !mentioned && reply.kind != crate::answer::ReplyKind::Answer && !reply.urgent {
            return;
        }
        reply_in(msg.channel_id, reply, components).await;
    }
}

/// Whether a message was written by staff ([`staff::standing`]): a plain message carries no
/// computed permissions, so they are its author's roles' (with @everyone) from the cache,
/// server-wide (channel overrides are not considered); the server owner has them all.
fn is_staff_message(ctx: &Context, state: &BotState, msg: &Message) -> bool {
    let (Some(member), Some(guild_id)) = (msg.member.as_deref(), msg.guild_id) else {
        return false;
    };
    let permissions = match ctx.cache.guild(guild_id) {
        None => Permissions::empty(),
        Some(guild) if guild.owner_id == msg.author.id => Permissions::all(),
        Some(guild) => {
            let everyone = RoleId::new(guild_id.get());
            member
                .roles
                .iter()
                .chain(std::iter::once(&everyone))
                .filter_map(|r| guild.roles.get(r))
                .fold(Permissions::empty(), |all, role| all | role.permissions)
        }
    };
    staff::standing(&state.cfg.discord, permissions, &member.roles).is_some()
}

/// The message without mentions of the bot (`<@id>`, `<@!id>`: each becomes a space), its
/// whitespace collapsed: what is left is the question.
pub fn strip_mention(content: &str, bot_id: u64) -> String {
    let me = bot_id.to_string();
    replace_mentions(content, |m| {
        matches!(m, Mention::User(id) if id == me).then_some(" ")
    })
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" ")
}

/// Whether a plain channel message reads as a question (for answer channels).
pub fn looks_like_question(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    const STARTS: &[&str] = &[
        "how ", "what", "why ", "when ", "where ", "who ", "which ", "can ", "could ", "should ",
        "is ", "are ", "does ", "do ", "will ", "would ", "has ", "have ", "any ",
    ];
    t.ends_with('?') || STARTS.iter().any(|s| t.starts_with(s))
}
