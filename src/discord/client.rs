//! Starting the serenity client: HTTP (with the optional proxy for tests), intents, sharding,
//! the FAQ watcher, and a clean shutdown on SIGINT/SIGTERM.

use crate::answer::Engine;
use crate::config::{Config, Shards};
use crate::discord::forum::AnsweredPosts;
use crate::discord::handler::Handler;
use crate::discord::render::no_pings;
use crate::discord::rest::{Limits, Rest};
use crate::discord::state::BotState;
use anyhow::{bail, Context as _, Result};
use serenity::all::{ClientBuilder, GatewayIntents, HttpBuilder, ShardManager};
use std::sync::Arc;

/// A running bot.
pub struct Bot {
    /// Shared state (engine, config).
    pub state: Arc<BotState>,
    /// Serenity's shard manager, to stop the shards.
    pub shard_manager: Arc<ShardManager>,
    /// The client task; ends when the shards stop.
    pub task: tokio::task::JoinHandle<Result<()>>,
    watcher: Option<crate::discord::reload::Watcher>,
}

/// How long a shutdown waits for the bot's last tasks to let go of its state (and with it the
/// insight store's lock), in steps of [`RELEASE_STEP`].
const RELEASE_STEPS: u32 = 250;
const RELEASE_STEP: std::time::Duration = std::time::Duration::from_millis(20);

impl Bot {
    /// Stops every shard and the FAQ watcher, waits for the client to finish, then for the
    /// last task to let go of the state, so that the insight store is flushed and its lock
    /// released when this returns: a bot started next on the same files can open it.
    pub async fn shutdown(self) -> Result<()> {
        let Bot {
            state,
            shard_manager,
            task,
            watcher,
        } = self;
        shard_manager.shutdown_all().await;
        let ended = tokio::time::timeout(std::time::Duration::from_secs(10), task).await;
        if let Some(w) = watcher {
            w.stop().await;
        }
        release(state).await;
        match ended {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => bail!("the Discord client task failed: {e}"),
            Err(_) => bail!("the Discord client did not stop within 10 s"),
        }
    }
}

/// Explains serenity errors in plain words (a rejected token above all).
fn explain(e: serenity::Error) -> anyhow::Error {
    use serenity::all::GatewayError;
    match &e {
        serenity::Error::Gateway(GatewayError::InvalidAuthentication) => {
            anyhow::anyhow!(
                "Discord rejected the bot token: check DISCORD_TOKEN or [discord] token"
            )
        }
        serenity::Error::Gateway(GatewayError::DisallowedGatewayIntents) => anyhow::anyhow!(
            "Discord refused the Message Content intent: switch it on in the Developer Portal \
             (Bot → Privileged Gateway Intents) or empty answer_channel_ids"
        ),
        serenity::Error::Http(h) if h.status_code().map(|s| s.as_u16()) == Some(401) => {
            anyhow::anyhow!("Discord rejected the bot token (401 Unauthorized): check DISCORD_TOKEN or [discord] token")
        }
        _ => anyhow::Error::new(e).context("the Discord client stopped"),
    }
}

/// Connects to Discord and starts serving; returns once the client is running.
pub async fn start(cfg: Config) -> Result<Bot> {
    let token = cfg.discord.token.clone();
    if token.is_empty() {
        bail!("no Discord token: set DISCORD_TOKEN or [discord] token in the config (see README)");
    }
    crate::logging::keep_secret(token.expose());
    let source = cfg.faq_source();
    let location = cfg.index_location(&source);
    let engine = {
        let (source, location, settings) =
            (source.clone(), location.clone(), cfg.answer_settings());
        tokio::task::spawn_blocking(move || Engine::open(&source, &location, settings))
            .await
            .context("the index task failed")??
    };
    tracing::info!(
        entries = engine.entry_count(),
        passages = engine.passage_count(),
        faq = %source,
        "FAQ loaded"
    );
    let settings = cfg.store_settings();
    let recorder = {
        let opening = settings.clone();
        tokio::task::spawn_blocking(move || crate::insight::Recorder::open(&opening))
            .await
            .context("the insight store task failed")?
            .with_context(|| {
                format!(
                    "cannot open the insight store {} (set [state] path in the config)",
                    settings.path.display()
                )
            })?
    };
    let client = reqwest::Client::builder()
        .use_rustls_tls()
        .build()
        .context("cannot start the HTTP client")?;
    let rest = Rest::new(client.clone(), Limits::default());
    let posts_file = settings
        .path
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join(crate::discord::forum::FILE_NAME);
    let forum_posts = AnsweredPosts::open(&posts_file).unwrap_or_else(|e| {
        tracing::warn!("{e:#}; forum posts answered are remembered until a restart only");
        AnsweredPosts::in_memory()
    });
    let state = Arc::new(
        BotState::new(
            cfg.clone(),
            source.clone(),
            location,
            engine,
            rest,
            forum_posts,
        )
        .with_insight(recorder),
    );

    let mut http = HttpBuilder::new(token.expose())
        .client(client)
        .default_allowed_mentions(no_pings());
    if !cfg.discord.api_base_url.trim().is_empty() {
        http = http
            .proxy(cfg.discord.api_base_url.trim().trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    let mut intents =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES;
    if !cfg.discord.answer_channel_ids.is_empty() || cfg.discord.read_forum_messages {
        intents |= GatewayIntents::MESSAGE_CONTENT;
    }
    let mut client = ClientBuilder::new_with_http(http.build(), intents)
        .event_handler(Handler {
            state: Arc::clone(&state),
        })
        .await
        .map_err(explain)?;
    let shard_manager = Arc::clone(&client.shard_manager);

    let watcher = match state.faq_dir() {
        Some(dir) => match crate::discord::reload::watch(dir, Arc::clone(&state)) {
            Ok(w) => Some(w),
            Err(e) => {
                tracing::warn!("{e:#}; use /faq-admin reload after editing files");
                None
            }
        },
        None => None,
    };

    let shards = cfg.discord.shards.clone();
    let range = cfg.discord.shard_range;
    let task = tokio::spawn(async move {
        let result = match (shards, range) {
            (Some(Shards::Count(total)), Some([first, last])) => {
                client.start_shard_range(first..last + 1, total).await
            }
            (Some(Shards::Count(total)), None) => client.start_shards(total).await,
            _ => client.start_autosharded().await,
        };
        result.map_err(explain)
    });
    Ok(Bot {
        state,
        shard_manager,
        task,
        watcher,
    })
}

/// Drops the bot's state once no task holds it any more (waiting at most
/// [`RELEASE_STEPS`] × [`RELEASE_STEP`]), which closes the insight store.
async fn release(state: Arc<BotState>) {
    for _ in 0..RELEASE_STEPS {
        if Arc::strong_count(&state) == 1 {
            return;
        }
        tokio::time::sleep(RELEASE_STEP).await;
    }
    tracing::warn!("a task still holds the bot's state; the insight store closes when it ends");
}

/// Runs the bot until SIGINT/SIGTERM or until the client stops.
pub async fn run(cfg: Config) -> Result<()> {
    let mut bot = start(cfg).await?;
    let stop = shutdown_signal();
    tokio::select! {
        _ = stop => {
            tracing::info!("shutting down");
            bot.shutdown().await
        }
        ended = &mut bot.task => match ended {
            Ok(r) => r,
            Err(e) => Err(anyhow::anyhow!("the Discord client task failed: {e}")),
        },
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
