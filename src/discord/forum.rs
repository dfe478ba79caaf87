//! Forum posts: when a member opens a post in one of `[discord] forum_channel_ids`, the bot
//! reads its title and first message and, when the FAQ answers it (or it is urgent), posts one
//! answer in the post, replying to the first message. Otherwise it stays silent. Later messages
//! in the post are people talking and are left alone unless the bot is mentioned.
//!
//! One answer per post, ever: the posts answered are kept in a small file beside the insight
//! store, so a restart or a resumed session (which may bring the post again) never answers
//! twice.

use crate::discord::commands::ask::{self, Audience};
use crate::discord::render;
use crate::discord::state::BotState;
use crate::insight::store::Source;
use anyhow::{Context as _, Result};
use serenity::all::{ChannelType, Context, GuildChannel, MessageId, MessageReference, UserId};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The posts already answered (thread ids), and the file that keeps them.
pub(crate) struct AnsweredPosts {
    path: Option<PathBuf>,
    seen: Mutex<HashSet<u64>>,
}

/// The file's name, beside the insight store.
pub(crate) const FILE_NAME: &str = "faqbot-forum-posts.txt";

impl AnsweredPosts {
    /// The posts recorded in `path` (one thread id per line); a missing file is none yet.
    pub(crate) fn open(path: &Path) -> Result<Self> {
        let seen = match std::fs::read_to_string(path) {
            Ok(text) => text
                .lines()
                .filter_map(|l| l.trim().parse::<u64>().ok())
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => HashSet::new(),
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", path.display()));
            }
        };
        Ok(AnsweredPosts {
            path: Some(path.to_path_buf()),
            seen: Mutex::new(seen),
        })
    }

    /// Posts kept in memory only (no state file).
    pub(crate) fn in_memory() -> Self {
        AnsweredPosts {
            path: None,
            seen: Mutex::new(HashSet::new()),
        }
    }

    /// Claims `post` for answering: true the first time ever, false after. The claim is
    /// written (and synced) before the answer is posted, so a crash never answers twice.
    pub(crate) fn claim(&self, post: u64) -> bool {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !seen.insert(post) {
            return false;
        }
        if let Some(path) = &self.path {
            let written = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .and_then(|mut f| {
                    writeln!(f, "{post}")?;
                    f.sync_data()
                });
            if let Err(e) = written {
                tracing::warn!("cannot record forum post {post} in {}: {e}", path.display());
            }
        }
        true
    }
}

/// Whether a thread is a post in one of the forum channels, opened by someone else than `me`.
fn is_post(state: &BotState, thread: &GuildChannel, me: UserId) -> bool {
    thread.kind == ChannelType::PublicThread
        && thread
            .parent_id
            .is_some_and(|p| state.cfg.discord.forum_channel_ids.contains(&p.get()))
        && thread.owner_id.is_some_and(|o| o != me)
}

/// Answers a new forum post once, when the FAQ covers it or it is urgent.
pub(crate) async fn on_thread_create(ctx: &Context, state: &BotState, thread: &GuildChannel) {
    let me = ctx.cache.current_user().id;
    if !is_post(state, thread, me) || !state.forum_posts.claim(thread.id.get()) {
        return;
    }
    // The post's first message has the thread's id; without the Message Content intent its
    // text comes back empty and the title alone is the question.
    let first = MessageId::new(thread.id.get());
    let body = match ctx.http.get_message(thread.id, first).await {
        Ok(m) => m.content,
        Err(e) => {
            tracing::debug!("cannot read the forum post's first message: {e}");
            String::new()
        }
    };
    let question = format!("{}\n{}", thread.name, body.trim());
    let answer = state.engine().answer(question.trim());
    let asker = thread.owner_id.map_or(0, |o| o.get());
    let (reply, buttons) =
        ask::reply_with_buttons(state, &answer, Audience::Public { asker }, Source::Forum);
    if answer.best.is_none() && !answer.urgent {
        tracing::debug!(
            post = thread.id.get(),
            "forum post not covered: staying silent"
        );
        return;
    }
    let message = render::channel_message(&reply, buttons)
        .reference_message(MessageReference::from((thread.id, first)));
    match state.rest.post(&ctx.http, thread.id, &message).await {
        Ok(_) => tracing::info!(post = thread.id.get(), "forum post answered"),
        Err(e) => tracing::warn!("cannot answer the forum post: {e}"),
    }
}
