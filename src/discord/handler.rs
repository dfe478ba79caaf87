//! The serenity event handler: registers the commands when connected, hands interactions to
//! the [`router`], and for plain messages gathers the facts [`decide`] needs and does what it
//! decides.

use crate::answer::{Refusal, Reply, ReplyKind};
use crate::discord::commands::ask;
use crate::discord::decide::{
    decide, strip_mention, Decision, MadeReply, MessageFacts, Need, Silence,
};
use crate::discord::render;
use crate::discord::router;
use crate::discord::staff;
use crate::discord::state::BotState;
use crate::insight::store::Source;
use serenity::all::{
    Command, Context, EventHandler, GuildChannel, GuildId, Interaction, Message, Permissions,
    Ready, RoleId,
};
use serenity::async_trait;
use std::sync::Arc;

/// The bot's event handler.
pub(crate) struct Handler {
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
        let defs = router::definitions();
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
        router::route(&ctx, &self.state, &interaction).await;
    }

    async fn thread_create(&self, ctx: Context, thread: GuildChannel) {
        crate::discord::forum::on_thread_create(&ctx, &self.state, &thread).await;
    }

    async fn message(&self, ctx: Context, msg: Message) {
        let state = &self.state;
        // A forum post's first message (its id is the post's) is answered with the post.
        if msg.id.get() == msg.channel_id.get() && !state.cfg.discord.forum_channel_ids.is_empty() {
            return;
        }
        let from_bot = msg.author.bot || msg.webhook_id.is_some();
        let by_staff =
            !from_bot && state.cfg.quiet_minutes() > 0 && is_staff_message(&ctx, state, &msg);
        if by_staff {
            state.note_helper_message(msg.channel_id.get(), std::time::Instant::now());
        }
        let me = ctx.cache.current_user().id;
        let question = strip_mention(&msg.content, me.get());
        let mut facts = MessageFacts {
            from_bot,
            by_staff,
            mentions_me: msg.mentions.iter().any(|u| u.id == me),
            in_answer_channel: state
                .cfg
                .discord
                .answer_channel_ids
                .contains(&msg.channel_id.get()),
            in_dm: msg.guild_id.is_none(),
            channel_quiet: state.is_quiet(msg.channel_id.get()),
            question: &question,
            ..MessageFacts::default()
        };
        let reply_in = |reply: Reply, components| {
            let message = render::channel_message(&reply, components).reference_message(&msg);
            let http = ctx.http.clone();
            async move {
                if let Err(e) = state.rest.post(&http, msg.channel_id, &message).await {
                    tracing::warn!("cannot reply in the channel: {e}");
                }
            }
        };
        // The triage's answer is kept for the reply, so a question is searched once.
        let mut answer = None;
        let mut made = None;
        // `decide` asks for each of its three facts at most once, so four rounds always end.
        for _ in 0..4 {
            match decide(&facts) {
                Decision::Need(Need::Urgency) => {
                    let found = state.engine().answer(&question);
                    facts.urgent = Some(found.urgent);
                    answer = Some(found);
                }
                Decision::Need(Need::Cooldown) => {
                    facts.cooldown = Some(state.cooldown(msg.author.id.get()))
                }
                Decision::Need(Need::Reply) => {
                    let found = answer
                        .take()
                        .unwrap_or_else(|| state.engine().answer(&question));
                    let asker = msg.author.id.get();
                    let asker = if facts.in_dm {
                        ask::Audience::Direct { asker }
                    } else {
                        ask::Audience::Public { asker }
                    };
                    let source = if facts.in_dm {
                        Source::DirectMessage
                    } else if facts.mentions_me {
                        Source::Mention
                    } else {
                        Source::AnswerChannel
                    };
                    let (reply, components) = ask::reply_with_buttons(state, &found, asker, source);
                    facts.reply = Some(MadeReply {
                        answers: reply.kind == ReplyKind::Answer,
                        urgent: reply.urgent,
                    });
                    made = Some((reply, components));
                }
                Decision::Ignore(why) => {
                    if why == Silence::QuietPeriod {
                        tracing::debug!(
                            channel = msg.channel_id.get(),
                            "quiet period after a helper's message: not answering"
                        );
                    }
                    return;
                }
                Decision::SlowDown => {
                    let reply = Reply::refusal(&Refusal::SlowDown, &state.referral);
                    return reply_in(reply, vec![]).await;
                }
                Decision::Help => return reply_in(Reply::help(&state.referral), vec![]).await,
                Decision::Post => {
                    if let Some((reply, components)) = made.take() {
                        reply_in(reply, components).await;
                    }
                    return;
                }
            }
        }
        tracing::error!("no decision on a message after gathering every fact");
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
