//! A loopback fake Discord (REST API v10 + gateway v10) for end-to-end tests of the bot with a
//! real serenity/poise client.
//!
//! * REST: a minimal hand-written HTTP/1.1 server (keep-alive, Content-Length or chunked bodies)
//!   on `127.0.0.1:0`; point serenity at it with
//!   `HttpBuilder::new(token).proxy(fake.base_url()).ratelimiter_disabled(true)`.
//! * Gateway: plain `ws://`, uncompressed JSON text frames, on a second `127.0.0.1:0` listener;
//!   its URL is what `GET /api/v10/gateway` answers.
//!
//! Every REST request is recorded (and its body checked against Discord's schemas, see
//! [`super::schema`]); interactions dispatched through the fake are tracked so that tests can wait
//! for the bot's callback and for the message it ended up showing. Everything that waits takes a
//! timeout and returns an error instead of hanging; all server tasks stop when the fake is dropped.
//!
//! ```ignore
//! let fake = FakeDiscord::start().await?;
//! let http = HttpBuilder::new("token").proxy(fake.base_url()).ratelimiter_disabled(true).build();
//! // ... ClientBuilder::new_with_http(http, intents).framework(..).await?, spawn client.start() ...
//! fake.wait_session(Duration::from_secs(5)).await?;
//! let id = fake.dispatch_interaction(fake.slash_command(
//!     &FakeUser::member("5002"),
//!     "faq",
//!     vec![subcommand("ask", vec![opt("question", "what is IL-2?")])],
//! ))?;
//! let shown = fake.shown_message(&id, Duration::from_secs(5)).await?;
//! assert!(schema::pings_nobody(&shown));
//! assert!(fake.schema_violations().is_empty());
//! ```

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Result};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::task::AbortHandle;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use super::schema;

/// The bot's user id, and its application id (the same, as for every modern bot).
pub const BOT_ID: &str = "1000";
pub const APP_ID: &str = "1000";
/// The application's owner (what poise puts in `owners`).
pub const OWNER_ID: &str = "1001";
pub const GUILD_ID: &str = "3000";
/// A role with moderator permissions in the default guild.
pub const MOD_ROLE_ID: &str = "3001";
pub const CHANNEL_ID: &str = "4000";

// Permission bits (https://discord.com/developers/docs/topics/permissions).
pub const ADD_REACTIONS: u64 = 1 << 6;
pub const VIEW_CHANNEL: u64 = 1 << 10;
pub const SEND_MESSAGES: u64 = 1 << 11;
pub const MANAGE_MESSAGES: u64 = 1 << 13;
pub const EMBED_LINKS: u64 = 1 << 14;
pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
pub const MANAGE_GUILD: u64 = 1 << 5;
pub const USE_APPLICATION_COMMANDS: u64 = 1 << 31;
pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
pub const MODERATE_MEMBERS: u64 = 1 << 40;
/// What an ordinary member may do in the test channel.
pub const PERMS_MEMBER: u64 = VIEW_CHANNEL
    | SEND_MESSAGES
    | READ_MESSAGE_HISTORY
    | ADD_REACTIONS
    | USE_APPLICATION_COMMANDS
    | SEND_MESSAGES_IN_THREADS;
/// A moderator: an ordinary member plus managing messages, the guild and members.
pub const PERMS_MODERATOR: u64 = PERMS_MEMBER | MANAGE_MESSAGES | MANAGE_GUILD | MODERATE_MEMBERS;
/// The bot's own permissions in the test channel (`app_permissions`).
pub const PERMS_BOT: u64 = PERMS_MEMBER | EMBED_LINKS;

/// A role of the test guild.
#[derive(Clone, Debug)]
pub struct RoleSpec {
    pub id: String,
    pub name: String,
    pub permissions: u64,
}

/// How the fake behaves; `FakeConfig::default()` fits most tests.
#[derive(Clone, Debug)]
pub struct FakeConfig {
    /// Sent in HELLO (op 10).
    pub heartbeat_interval_ms: u64,
    /// When set, an IDENTIFY/RESUME with another token (`Bot <token>`) is closed with 4004.
    pub expected_token: Option<String>,
    /// Like Discord: a first callback later than this after the dispatch is refused (400).
    pub callback_deadline: Duration,
    pub guild_id: String,
    pub guild_name: String,
    pub channel_id: String,
    pub roles: Vec<RoleSpec>,
    /// Send GUILD_CREATE for the test guild after READY.
    pub send_guild_create: bool,
}

impl Default for FakeConfig {
    fn default() -> Self {
        Self {
            heartbeat_interval_ms: 41_250,
            expected_token: None,
            callback_deadline: Duration::from_secs(3),
            guild_id: GUILD_ID.into(),
            guild_name: "FAQ test guild".into(),
            channel_id: CHANNEL_ID.into(),
            roles: vec![
                RoleSpec {
                    id: GUILD_ID.into(),
                    name: "@everyone".into(),
                    permissions: PERMS_MEMBER,
                },
                RoleSpec {
                    id: MOD_ROLE_ID.into(),
                    name: "Moderator".into(),
                    permissions: PERMS_MODERATOR,
                },
            ],
            send_guild_create: true,
        }
    }
}

/// One REST request the bot made.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// Position in the order of arrival, from 0.
    pub index: usize,
    pub method: String,
    /// The full path without the query, e.g. `/api/v10/interactions/1/tok/callback`.
    pub path: String,
    pub query: Option<String>,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    /// The parsed JSON body (for multipart bodies: the `payload_json` part), if any.
    pub body: Option<Value>,
    pub raw_body: Vec<u8>,
    /// When the request (its head) arrived.
    pub at: Instant,
    /// The status the fake answered with.
    pub status: u16,
    pub response: Option<Value>,
    /// The fake does not know this route (answered 404).
    pub unknown_route: bool,
    /// Answered by an injected fault.
    pub injected: bool,
}

impl Recorded {
    /// The path without the `/api/v10` prefix, e.g. `/interactions/1/tok/callback`.
    pub fn route(&self) -> &str {
        self.path.strip_prefix("/api/v10").unwrap_or(&self.path)
    }
    /// True for this method and a route (see [`Recorded::route`]) that starts with `prefix`.
    pub fn is(&self, method: &str, prefix: &str) -> bool {
        self.method.eq_ignore_ascii_case(method) && self.route().starts_with(prefix)
    }
    pub fn body_or_null(&self) -> Value {
        self.body.clone().unwrap_or(Value::Null)
    }
    fn summary(&self) -> String {
        format!("{} {} -> {}", self.method, self.path, self.status)
    }
}

/// A frame the bot sent over the gateway.
#[derive(Clone, Debug)]
pub struct GatewayFrame {
    pub conn: u64,
    pub at: Instant,
    pub payload: Value,
}

/// What the fake knows about an interaction it dispatched.
#[derive(Clone, Debug)]
pub struct InteractionRecord {
    pub id: String,
    pub token: String,
    /// Interaction type: 2 command, 3 component, 4 autocomplete, 5 modal submit.
    pub kind: i64,
    pub channel_id: String,
    pub dispatched_at: Instant,
    /// The accepted callback body and when it arrived.
    pub callback: Option<(Value, Instant)>,
    /// Callbacks refused (too late, or after the first one): status and reason.
    pub refused: Vec<(u16, String)>,
    /// Message bodies shown for this interaction, in order: callback data (type 4/7), edits of
    /// the original response, follow-ups.
    pub messages: Vec<Value>,
    /// The full Message object the fake holds for the original response.
    pub original: Option<Value>,
}

/// A user who acts in tests: invokes commands, clicks buttons, writes messages.
#[derive(Clone, Debug)]
pub struct FakeUser {
    pub id: String,
    pub username: String,
    pub roles: Vec<String>,
    /// The member's permissions in the channel, a string of digits (as Discord sends it).
    pub permissions: String,
}

impl FakeUser {
    /// An ordinary member: no roles, [`PERMS_MEMBER`].
    pub fn member(id: &str) -> Self {
        Self {
            id: id.into(),
            username: format!("user{id}"),
            roles: vec![],
            permissions: PERMS_MEMBER.to_string(),
        }
    }
    /// A moderator: the [`MOD_ROLE_ID`] role, [`PERMS_MODERATOR`].
    pub fn moderator(id: &str) -> Self {
        Self {
            id: id.into(),
            username: format!("mod{id}"),
            roles: vec![MOD_ROLE_ID.into()],
            permissions: PERMS_MODERATOR.to_string(),
        }
    }
    pub fn with_roles(mut self, roles: &[&str]) -> Self {
        self.roles = roles.iter().map(|r| r.to_string()).collect();
        self
    }
    pub fn with_permissions(mut self, permissions: impl ToString) -> Self {
        self.permissions = permissions.to_string();
        self
    }
    pub fn with_name(mut self, name: &str) -> Self {
        self.username = name.into();
        self
    }
    /// The Discord user object.
    pub fn user_json(&self) -> Value {
        user_object(&self.id, &self.username, false)
    }
    /// The guild member object, as in an interaction (with `user` and `permissions`).
    pub fn member_json(&self) -> Value {
        json!({
            "user": self.user_json(),
            "nick": null,
            "avatar": null,
            "roles": self.roles,
            "joined_at": "2024-01-01T00:00:00.000000+00:00",
            "premium_since": null,
            "deaf": false,
            "mute": false,
            "flags": 0,
            "pending": false,
            "permissions": self.permissions,
            "communication_disabled_until": null,
        })
    }
}

fn user_object(id: &str, username: &str, bot: bool) -> Value {
    json!({
        "id": id,
        "username": username,
        "discriminator": "0",
        "global_name": null,
        "avatar": null,
        "bot": bot,
        "public_flags": 0,
    })
}

fn bot_user() -> Value {
    user_object(BOT_ID, "faqbot", true)
}

fn now_timestamp() -> String {
    serenity::model::Timestamp::now().to_string()
}

// --- command option helpers --------------------------------------------------------------------

/// A command option whose type follows the JSON value: string 3, integer 4, bool 5, float 10.
pub fn opt(name: &str, value: impl Into<Value>) -> Value {
    let value = value.into();
    let ty = match &value {
        Value::String(_) => 3,
        Value::Bool(_) => 5,
        Value::Number(n) if n.is_i64() || n.is_u64() => 4,
        Value::Number(_) => 10,
        _ => 3,
    };
    json!({"name": name, "type": ty, "value": value})
}

/// A command option with an explicit type (6 user, 7 channel, 8 role, ...).
pub fn opt_typed(name: &str, ty: u8, value: impl Into<Value>) -> Value {
    json!({"name": name, "type": ty, "value": value.into()})
}

/// The option being typed in an autocomplete interaction (`focused: true`, string).
pub fn opt_focused(name: &str, partial: &str) -> Value {
    json!({"name": name, "type": 3, "value": partial, "focused": true})
}

/// A subcommand (type 1) with its options.
pub fn subcommand(name: &str, options: Vec<Value>) -> Value {
    json!({"name": name, "type": 1, "options": options})
}

/// A subcommand group (type 2) holding subcommands.
pub fn subcommand_group(name: &str, subcommands: Vec<Value>) -> Value {
    json!({"name": name, "type": 2, "options": subcommands})
}

// --- internals -----------------------------------------------------------------------------------

enum ConnCmd {
    Text(String),
    /// Close the TCP connection without a close frame.
    Drop,
    /// Send a close frame with this code, then close.
    Close(u16),
}

struct Conn {
    tx: mpsc::UnboundedSender<ConnCmd>,
}

struct Session {
    id: String,
    seq: u64,
    /// Every dispatch of this session: (seq, frame text), for replay on RESUME.
    log: Vec<(u64, String)>,
}

/// Decides from (method, path) whether a fault applies to a request.
type FaultMatcher = Box<dyn Fn(&str, &str) -> bool + Send + Sync>;

struct Fault {
    matches: FaultMatcher,
    status: u16,
    remaining: usize,
}

#[derive(Default)]
struct State {
    requests: Vec<Recorded>,
    gateway_frames: Vec<GatewayFrame>,
    gateway_uris: Vec<String>,
    faults: Vec<Fault>,
    interactions: HashMap<String, InteractionRecord>,
    token_to_interaction: HashMap<String, String>,
    /// Registered commands: (guild id or None, command object).
    commands: Vec<(Option<String>, Value)>,
    messages: HashMap<String, Value>,
    conns: HashMap<u64, Conn>,
    next_conn: u64,
    /// The connection whose session is live (identified or resumed).
    current: Option<u64>,
    session: Option<Session>,
    sessions_started: u64,
    identify_count: usize,
    resume_count: usize,
    connect_count: usize,
    identify_tokens: Vec<String>,
    violations: Vec<String>,
    next_id: u64,
    heartbeat_interval_ms: u64,
    ack_heartbeats: bool,
    shut: bool,
}

impl State {
    fn new_id(&mut self) -> String {
        self.next_id += 1;
        (900_000_000_000_000_000u64 + self.next_id).to_string()
    }
}

struct Inner {
    cfg: FakeConfig,
    state: Mutex<State>,
    changed: watch::Sender<u64>,
    http_addr: SocketAddr,
    ws_addr: SocketAddr,
    tasks: Mutex<Vec<AbortHandle>>,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
    fn notify(&self) {
        self.changed.send_modify(|v| *v += 1);
    }
    fn spawn<F>(self: &Arc<Self>, fut: F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let handle = tokio::spawn(fut);
        let mut tasks = self.tasks.lock().unwrap_or_else(|e| e.into_inner());
        tasks.retain(|t| !t.is_finished());
        tasks.push(handle.abort_handle());
    }
    fn gateway_url(&self) -> String {
        format!("ws://{}/gateway-ws", self.ws_addr)
    }

    /// Assigns the next seq, logs the frame for replay and sends it to the live connection.
    fn dispatch_locked(&self, st: &mut State, t: &str, d: Value) -> Result<u64> {
        let Some(session) = st.session.as_mut() else {
            bail!("no gateway session yet: the bot has not identified (wait_session first)");
        };
        session.seq += 1;
        let seq = session.seq;
        let frame = json!({"op": 0, "s": seq, "t": t, "d": d}).to_string();
        session.log.push((seq, frame.clone()));
        if let Some(conn) = st.current.and_then(|c| st.conns.get(&c)) {
            let _ = conn.tx.send(ConnCmd::Text(frame));
        }
        Ok(seq)
    }

    fn ready_payload(&self, st: &State, shard: Option<&Value>) -> Value {
        let session_id = st
            .session
            .as_ref()
            .map(|s| s.id.clone())
            .unwrap_or_default();
        let guilds: Vec<Value> = if self.cfg.send_guild_create {
            vec![json!({"id": self.cfg.guild_id, "unavailable": true})]
        } else {
            vec![]
        };
        json!({
            "v": 10,
            "user": {
                "id": BOT_ID, "username": "faqbot", "discriminator": "0", "global_name": null,
                "avatar": null, "bot": true, "verified": true, "mfa_enabled": false, "flags": 0,
                "email": null,
            },
            "guilds": guilds,
            "session_id": session_id,
            "resume_gateway_url": self.gateway_url(),
            "shard": shard.cloned().unwrap_or(json!([0, 1])),
            "application": {"id": APP_ID, "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
        })
    }

    fn guild_create_payload(&self) -> Value {
        let cfg = &self.cfg;
        let roles: Vec<Value> = cfg
            .roles
            .iter()
            .enumerate()
            .map(|(i, r)| {
                json!({
                    "id": r.id, "name": r.name, "color": 0,
                    "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
                    "hoist": false, "icon": null, "unicode_emoji": null, "position": i,
                    "permissions": r.permissions.to_string(), "managed": false,
                    "mentionable": false, "flags": 0,
                })
            })
            .collect();
        let mut guild = json!({
            "id": cfg.guild_id,
            "name": cfg.guild_name,
            "icon": null, "icon_hash": null, "splash": null, "discovery_splash": null,
            "owner_id": OWNER_ID,
            "afk_channel_id": null, "afk_timeout": 300,
            "widget_enabled": false, "widget_channel_id": null,
            "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": roles,
            "emojis": [], "features": [], "mfa_level": 0,
            "application_id": null,
            "system_channel_id": null, "system_channel_flags": 0,
        });
        let more = [
            json!({
                "rules_channel_id": null, "max_presences": null, "max_members": 500000,
                "vanity_url_code": null, "description": null, "banner": null,
                "premium_tier": 0, "premium_subscription_count": 0,
                "preferred_locale": "en-US", "public_updates_channel_id": null,
                "max_video_channel_users": 25, "max_stage_video_channel_users": 50,
                "nsfw_level": 0, "stickers": [], "premium_progress_bar_enabled": false,
                "safety_alerts_channel_id": null,
            }),
            json!({
                "joined_at": "2024-01-01T00:00:00.000000+00:00",
                "large": false, "unavailable": false, "member_count": 3,
                "voice_states": [],
                "members": [{
                    "user": bot_user(), "nick": null, "avatar": null, "roles": [],
                    "joined_at": "2024-01-01T00:00:00.000000+00:00", "premium_since": null,
                    "deaf": false, "mute": false, "flags": 0, "pending": false,
                    "communication_disabled_until": null,
                }],
                "channels": [self.channel_object()],
                "threads": [], "presences": [], "stage_instances": [],
                "guild_scheduled_events": [], "soundboard_sounds": [],
                "incidents_data": null,
            }),
        ];
        let obj = guild.as_object_mut().expect("object");
        for part in more {
            if let Value::Object(m) = part {
                obj.extend(m);
            }
        }
        guild
    }

    fn channel_object(&self) -> Value {
        json!({
            "id": self.cfg.channel_id, "type": 0, "guild_id": self.cfg.guild_id,
            "name": "faq", "position": 0, "permission_overwrites": [], "nsfw": false,
            "topic": null, "last_message_id": null, "rate_limit_per_user": 0,
            "parent_id": null, "flags": 0,
        })
    }

    /// A public thread (type 11) in `parent`, as Start Thread from Message answers.
    fn thread_object(&self, id: &str, parent: &str, name: &str) -> Value {
        json!({
            "id": id, "type": 11, "guild_id": self.cfg.guild_id, "parent_id": parent,
            "owner_id": BOT_ID, "name": name, "last_message_id": null, "message_count": 0,
            "member_count": 1, "rate_limit_per_user": 0, "flags": 0, "total_message_sent": 0,
            "thread_metadata": {
                "archived": false, "auto_archive_duration": 1440,
                "archive_timestamp": now_timestamp(), "locked": false,
            },
        })
    }

    /// A full Message object authored by the bot, built from a message request body.
    fn message_from_body(
        &self,
        st: &mut State,
        id: Option<String>,
        channel_id: &str,
        body: &Value,
        webhook: bool,
    ) -> Value {
        let id = id.unwrap_or_else(|| st.new_id());
        let g = |k: &str, d: Value| body.get(k).cloned().filter(|v| !v.is_null()).unwrap_or(d);
        let mut msg = json!({
            "id": id,
            "channel_id": channel_id,
            "guild_id": self.cfg.guild_id,
            "author": bot_user(),
            "content": g("content", json!("")),
            "timestamp": now_timestamp(),
            "edited_timestamp": null,
            "tts": g("tts", json!(false)),
            "mention_everyone": false,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": g("embeds", json!([])),
            "components": g("components", json!([])),
            "reactions": [],
            "pinned": false,
            "type": 0,
            "flags": g("flags", json!(0)),
        });
        if webhook {
            msg["webhook_id"] = json!(APP_ID);
            msg["application_id"] = json!(APP_ID);
        }
        msg
    }

    /// Applies an edit body to a stored message.
    fn edit_message(
        &self,
        st: &mut State,
        id: &str,
        channel_id: &str,
        body: &Value,
        webhook: bool,
    ) -> Value {
        let mut msg = st.messages.get(id).cloned().unwrap_or_else(|| {
            self.message_from_body(st, Some(id.to_string()), channel_id, &json!({}), webhook)
        });
        for k in ["content", "embeds", "components", "flags"] {
            if let Some(v) = body.get(k) {
                msg[k] = if v.is_null() {
                    match k {
                        "content" => json!(""),
                        "flags" => json!(0),
                        _ => json!([]),
                    }
                } else {
                    v.clone()
                };
            }
        }
        msg["edited_timestamp"] = json!(now_timestamp());
        st.messages.insert(id.to_string(), msg.clone());
        msg
    }
}

fn discord_error(status: u16, code: u64, message: &str) -> HttpResponse {
    HttpResponse {
        status,
        body: Some(json!({"message": message, "code": code, "errors": {}})),
        headers: vec![],
    }
}

struct HttpResponse {
    status: u16,
    body: Option<Value>,
    headers: Vec<(String, String)>,
}

impl HttpResponse {
    fn json(body: Value) -> Self {
        Self {
            status: 200,
            body: Some(body),
            headers: vec![],
        }
    }
    fn no_content() -> Self {
        Self {
            status: 204,
            body: None,
            headers: vec![],
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// The `payload_json` part of a multipart/form-data body.
fn multipart_payload_json(content_type: &str, body: &[u8]) -> Option<Value> {
    let boundary = content_type.split("boundary=").nth(1)?.trim_matches('"');
    let delim = format!("--{boundary}");
    let text = String::from_utf8_lossy(body);
    for part in text.split(delim.as_str()) {
        let (head, content) = part.split_once("\r\n\r\n")?;
        if head.contains("name=\"payload_json\"") {
            let content = content.strip_suffix("\r\n").unwrap_or(content);
            return serde_json::from_str(content).ok();
        }
    }
    None
}

async fn serve_http_conn(inner: Arc<Inner>, stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    loop {
        let mut line = String::new();
        match r.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let line = line.trim_end().to_string();
        if line.is_empty() {
            continue;
        }
        let at = Instant::now();
        let mut parts = line.split_whitespace();
        let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
            return;
        };
        let (method, target) = (method.to_string(), target.to_string());
        let mut headers: Vec<(String, String)> = Vec::new();
        loop {
            let mut h = String::new();
            match r.read_line(&mut h).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let header = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let mut body = Vec::new();
        if header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
            loop {
                let mut size_line = String::new();
                if r.read_line(&mut size_line).await.unwrap_or(0) == 0 {
                    return;
                }
                let size =
                    usize::from_str_radix(size_line.trim().split(';').next().unwrap_or("0"), 16)
                        .unwrap_or(0);
                if size == 0 {
                    // trailers until the empty line
                    loop {
                        let mut t = String::new();
                        if r.read_line(&mut t).await.unwrap_or(0) == 0 || t.trim_end().is_empty() {
                            break;
                        }
                    }
                    break;
                }
                let mut chunk = vec![0u8; size + 2];
                if r.read_exact(&mut chunk).await.is_err() {
                    return;
                }
                chunk.truncate(size);
                body.extend_from_slice(&chunk);
            }
        } else if let Some(len) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
            body = vec![0u8; len];
            if r.read_exact(&mut body).await.is_err() {
                return;
            }
        }
        let close = header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let resp = handle_request(&inner, &method, &target, &headers, body, at);
        let body_bytes = resp
            .body
            .as_ref()
            .map(|b| b.to_string().into_bytes())
            .unwrap_or_default();
        let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
        if resp.status != 204 {
            head.push_str("content-type: application/json\r\n");
            head.push_str(&format!("content-length: {}\r\n", body_bytes.len()));
        }
        for (k, v) in &resp.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(if close {
            "connection: close\r\n\r\n"
        } else {
            "connection: keep-alive\r\n\r\n"
        });
        let mut out = head.into_bytes();
        out.extend_from_slice(&body_bytes);
        if w.write_all(&out).await.is_err() || w.flush().await.is_err() || close {
            return;
        }
    }
}

fn handle_request(
    inner: &Arc<Inner>,
    method: &str,
    target: &str,
    headers: &[(String, String)],
    raw_body: Vec<u8>,
    at: Instant,
) -> HttpResponse {
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (target.to_string(), None),
    };
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let content_type = header("content-type");
    let body: Option<Value> = if raw_body.is_empty() {
        None
    } else if content_type
        .as_deref()
        .is_some_and(|c| c.starts_with("multipart/"))
    {
        multipart_payload_json(content_type.as_deref().unwrap_or(""), &raw_body)
    } else {
        serde_json::from_slice(&raw_body).ok()
    };

    let mut st = inner.lock();
    let route = path.strip_prefix("/api/v10").map(str::to_string);

    // Injected faults come first.
    let mut resp = None;
    if let Some(fault) = st
        .faults
        .iter_mut()
        .find(|f| f.remaining > 0 && (f.matches)(method, &path))
    {
        fault.remaining -= 1;
        let status = fault.status;
        resp = Some(if status == 429 {
            HttpResponse {
                status,
                body: Some(
                    json!({"message": "You are being rate limited.", "retry_after": 0.1, "global": false, "code": 0}),
                ),
                headers: vec![
                    ("retry-after".into(), "1".into()),
                    ("x-ratelimit-scope".into(), "user".into()),
                    ("x-ratelimit-remaining".into(), "0".into()),
                    ("x-ratelimit-reset-after".into(), "0.100".into()),
                ],
            }
        } else {
            discord_error(status, 0, &format!("{status}: injected fault"))
        });
    }
    st.faults.retain(|f| f.remaining > 0);

    let injected = resp.is_some();
    let mut unknown_route = false;
    let mut violations = Vec::new();
    let resp = match resp {
        Some(r) => r,
        None => match &route {
            Some(route) => {
                let segs: Vec<&str> = route.trim_start_matches('/').split('/').collect();
                violations = check_body(method, &segs, body.as_ref());
                route_request(
                    inner,
                    &mut st,
                    method,
                    &segs,
                    body.as_ref(),
                    at,
                    &mut unknown_route,
                )
            }
            None => {
                unknown_route = true;
                discord_error(404, 0, "404: Not Found")
            }
        },
    };
    let index = st.requests.len();
    for v in violations {
        st.violations.push(format!("{method} {path}: {v}"));
    }
    st.requests.push(Recorded {
        index,
        method: method.to_string(),
        path,
        query,
        authorization: header("authorization"),
        content_type,
        body,
        raw_body,
        at,
        status: resp.status,
        response: resp.body.clone(),
        unknown_route,
        injected,
    });
    drop(st);
    inner.notify();
    resp
}

/// Schema and limit checks for the request bodies the fake knows a schema for.
fn check_body(method: &str, segs: &[&str], body: Option<&Value>) -> Vec<String> {
    let schema_name: Option<&str>;
    let mut limits = true;
    let mut errors = Vec::new();
    let Some(body) = body else {
        return match (method, segs) {
            ("POST", ["interactions", _, _, "callback"]) => {
                vec!["interaction callback without a JSON body".into()]
            }
            _ => vec![],
        };
    };
    match (method, segs) {
        ("POST", ["interactions", _, _, "callback"]) => {
            if let Err(es) = schema::validate_callback(body) {
                errors.extend(es);
            }
            schema_name = None;
        }
        ("PUT", ["applications", _, "commands"])
        | ("PUT", ["applications", _, "guilds", _, "commands"]) => {
            if let Err(es) = schema::validate_bulk_commands(body) {
                errors.extend(es);
            }
            schema_name = None;
        }
        ("POST", ["applications", _, "commands"])
        | ("POST", ["applications", _, "guilds", _, "commands"]) => {
            schema_name = Some("ApplicationCommandCreateRequest");
        }
        ("POST", ["channels", _, "messages"]) => schema_name = Some("MessageCreateRequest"),
        ("POST", ["channels", _, "messages", _, "threads"]) => {
            // Start Thread from Message: no schema in the trimmed spec; Discord's stated limits.
            let name = body["name"].as_str().unwrap_or("");
            if !(1..=100).contains(&name.chars().count()) {
                errors.push(format!("thread name must be 1-100 characters: {name:?}"));
            }
            if let Some(d) = body.get("auto_archive_duration").filter(|d| !d.is_null()) {
                if ![60, 1440, 4320, 10080].contains(&d.as_u64().unwrap_or(0)) {
                    errors.push(format!(
                        "auto_archive_duration must be 60, 1440, 4320 or 10080: {d}"
                    ));
                }
            }
            schema_name = None;
            limits = false;
        }
        ("PATCH", ["channels", _, "messages", _]) => schema_name = None,
        ("POST", ["webhooks", _, _]) => schema_name = Some("IncomingWebhookRequestPartial"),
        ("PATCH", ["webhooks", _, _, "messages", _]) => {
            schema_name = Some("IncomingWebhookUpdateRequestPartial")
        }
        _ => {
            schema_name = None;
            limits = false;
        }
    }
    if let Some(name) = schema_name {
        if let Err(es) = schema::validate(name, body) {
            errors.extend(es);
        }
    }
    if limits {
        if let Err(es) = schema::check_discord_limits(body) {
            errors.extend(es);
        }
    }
    errors
}

fn route_request(
    inner: &Arc<Inner>,
    st: &mut State,
    method: &str,
    segs: &[&str],
    body: Option<&Value>,
    at: Instant,
    unknown_route: &mut bool,
) -> HttpResponse {
    let empty = json!({});
    let body_v = body.unwrap_or(&empty);
    let app_ok = |app: &str| app == APP_ID;
    match (method, segs) {
        ("GET", ["gateway"]) => HttpResponse::json(json!({"url": inner.gateway_url()})),
        ("GET", ["gateway", "bot"]) => HttpResponse::json(json!({
            "url": inner.gateway_url(),
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1},
        })),
        ("GET", ["oauth2", "applications", "@me"]) | ("GET", ["applications", "@me"]) => {
            HttpResponse::json(application_object())
        }
        ("GET", ["users", "@me"]) => HttpResponse::json(json!({
            "id": BOT_ID, "username": "faqbot", "discriminator": "0", "global_name": null,
            "avatar": null, "bot": true, "verified": true, "mfa_enabled": false, "flags": 0,
            "public_flags": 0, "email": null, "locale": "en-US",
        })),

        // --- application commands
        ("GET", ["applications", app, "commands"]) if app_ok(app) => {
            HttpResponse::json(Value::Array(
                st.commands
                    .iter()
                    .filter(|(g, _)| g.is_none())
                    .map(|(_, c)| c.clone())
                    .collect(),
            ))
        }
        ("GET", ["applications", app, "guilds", guild, "commands"]) if app_ok(app) => {
            HttpResponse::json(Value::Array(
                st.commands
                    .iter()
                    .filter(|(g, _)| g.as_deref() == Some(*guild))
                    .map(|(_, c)| c.clone())
                    .collect(),
            ))
        }
        ("PUT", ["applications", app, "commands"])
        | ("PUT", ["applications", app, "guilds", _, "commands"])
            if app_ok(app) =>
        {
            let guild = if segs.len() == 5 {
                Some(segs[3].to_string())
            } else {
                None
            };
            let Some(items) = body_v.as_array() else {
                return discord_error(400, 50035, "Invalid Form Body");
            };
            st.commands.retain(|(g, _)| *g != guild);
            let mut out = Vec::new();
            for item in items {
                let cmd = command_object(st, guild.as_deref(), item);
                st.commands.push((guild.clone(), cmd.clone()));
                out.push(cmd);
            }
            HttpResponse::json(Value::Array(out))
        }
        ("POST", ["applications", app, "commands"])
        | ("POST", ["applications", app, "guilds", _, "commands"])
            if app_ok(app) =>
        {
            let guild = if segs.len() == 5 {
                Some(segs[3].to_string())
            } else {
                None
            };
            let name = body_v.get("name").cloned();
            st.commands
                .retain(|(g, c)| !(*g == guild && c.get("name") == name.as_ref()));
            let cmd = command_object(st, guild.as_deref(), body_v);
            st.commands.push((guild, cmd.clone()));
            HttpResponse {
                status: 201,
                body: Some(cmd),
                headers: vec![],
            }
        }
        ("PATCH", ["applications", app, "commands", id])
        | ("PATCH", ["applications", app, "guilds", _, "commands", id])
            if app_ok(app) =>
        {
            match st.commands.iter_mut().find(|(_, c)| c["id"] == json!(id)) {
                Some((_, c)) => {
                    if let (Some(obj), Some(patch)) = (c.as_object_mut(), body_v.as_object()) {
                        for (k, v) in patch {
                            obj.insert(k.clone(), v.clone());
                        }
                    }
                    HttpResponse::json(c.clone())
                }
                None => discord_error(404, 10063, "Unknown application command"),
            }
        }
        ("DELETE", ["applications", app, "commands", id])
        | ("DELETE", ["applications", app, "guilds", _, "commands", id])
            if app_ok(app) =>
        {
            let before = st.commands.len();
            st.commands.retain(|(_, c)| c["id"] != json!(id));
            if st.commands.len() < before {
                HttpResponse::no_content()
            } else {
                discord_error(404, 10063, "Unknown application command")
            }
        }

        // --- interactions
        ("POST", ["interactions", id, token, "callback"]) => {
            interaction_callback(inner, st, id, token, body, at)
        }
        ("GET", ["webhooks", app, token, "messages", mid]) if app_ok(app) => {
            match webhook_message_id(st, token, mid) {
                Ok(mid) => match st.messages.get(&mid) {
                    Some(m) => HttpResponse::json(m.clone()),
                    None => discord_error(404, 10008, "Unknown Message"),
                },
                Err(r) => r,
            }
        }
        ("PATCH", ["webhooks", app, token, "messages", mid]) if app_ok(app) => {
            let mid = match webhook_message_id(st, token, mid) {
                Ok(m) => m,
                Err(r) => return r,
            };
            let iid = st
                .token_to_interaction
                .get(*token)
                .cloned()
                .unwrap_or_default();
            let channel = st
                .interactions
                .get(&iid)
                .map(|i| i.channel_id.clone())
                .unwrap_or_default();
            let msg = inner.edit_message(st, &mid, &channel, body_v, true);
            if let Some(rec) = st.interactions.get_mut(&iid) {
                rec.messages.push(body_v.clone());
                if segs[4] == "@original"
                    || rec.original.as_ref().is_some_and(|o| o["id"] == json!(mid))
                {
                    rec.original = Some(msg.clone());
                }
            }
            HttpResponse::json(msg)
        }
        ("DELETE", ["webhooks", app, token, "messages", mid]) if app_ok(app) => {
            match webhook_message_id(st, token, mid) {
                Ok(mid) => {
                    st.messages.remove(&mid);
                    HttpResponse::no_content()
                }
                Err(r) => r,
            }
        }
        ("POST", ["webhooks", app, token]) if app_ok(app) => {
            let Some(iid) = st.token_to_interaction.get(*token).cloned() else {
                return discord_error(404, 10015, "Unknown Webhook");
            };
            let rec = &st.interactions[&iid];
            if rec.callback.is_none() {
                return discord_error(404, 10015, "Unknown Webhook");
            }
            let channel = rec.channel_id.clone();
            let msg = inner.message_from_body(st, None, &channel, body_v, true);
            st.messages.insert(
                msg["id"].as_str().unwrap_or_default().to_string(),
                msg.clone(),
            );
            if let Some(rec) = st.interactions.get_mut(&iid) {
                rec.messages.push(body_v.clone());
            }
            HttpResponse::json(msg)
        }

        // --- channels
        ("POST", ["channels", channel, "messages"]) => {
            let msg = inner.message_from_body(st, None, channel, body_v, false);
            st.messages.insert(
                msg["id"].as_str().unwrap_or_default().to_string(),
                msg.clone(),
            );
            HttpResponse::json(msg)
        }
        ("GET", ["channels", _, "messages", mid]) => match st.messages.get(*mid) {
            Some(m) => HttpResponse::json(m.clone()),
            None => discord_error(404, 10008, "Unknown Message"),
        },
        ("PATCH", ["channels", channel, "messages", mid]) => {
            if !st.messages.contains_key(*mid) {
                return discord_error(404, 10008, "Unknown Message");
            }
            HttpResponse::json(inner.edit_message(st, mid, channel, body_v, false))
        }
        ("DELETE", ["channels", _, "messages", mid]) => {
            if st.messages.remove(*mid).is_some() {
                HttpResponse::no_content()
            } else {
                discord_error(404, 10008, "Unknown Message")
            }
        }
        ("POST", ["channels", channel, "messages", mid, "threads"]) => {
            if !st.messages.contains_key(*mid) {
                return discord_error(404, 10008, "Unknown Message");
            }
            let id = st.new_id();
            let name = body_v["name"].as_str().unwrap_or("thread");
            HttpResponse {
                status: 201,
                body: Some(inner.thread_object(&id, channel, name)),
                headers: vec![],
            }
        }
        ("POST", ["channels", _, "typing"]) => HttpResponse::no_content(),
        ("PUT", ["channels", _, "messages", _, "reactions", _, "@me"])
        | ("DELETE", ["channels", _, "messages", _, "reactions", ..]) => HttpResponse::no_content(),
        ("GET", ["channels", channel]) if *channel == inner.cfg.channel_id => {
            HttpResponse::json(inner.channel_object())
        }
        _ => {
            *unknown_route = true;
            discord_error(404, 0, "404: Not Found")
        }
    }
}

/// Resolves `@original` and checks that the interaction token is known and acknowledged.
fn webhook_message_id(
    st: &State,
    token: &str,
    mid: &str,
) -> std::result::Result<String, HttpResponse> {
    let Some(rec) = st
        .token_to_interaction
        .get(token)
        .and_then(|i| st.interactions.get(i))
    else {
        return Err(discord_error(404, 10015, "Unknown Webhook"));
    };
    if rec.callback.is_none() {
        return Err(discord_error(404, 10015, "Unknown Webhook"));
    }
    if mid == "@original" {
        return match &rec.original {
            Some(o) => Ok(o["id"].as_str().unwrap_or_default().to_string()),
            // An autocomplete or modal callback shows no message.
            None => Err(discord_error(404, 10008, "Unknown Message")),
        };
    }
    if st.messages.contains_key(mid) {
        Ok(mid.to_string())
    } else {
        Err(discord_error(404, 10008, "Unknown Message"))
    }
}

fn interaction_callback(
    inner: &Arc<Inner>,
    st: &mut State,
    id: &str,
    token: &str,
    body: Option<&Value>,
    at: Instant,
) -> HttpResponse {
    let deadline = inner.cfg.callback_deadline;
    let Some(rec) = st.interactions.get_mut(id) else {
        return discord_error(404, 10062, "Unknown interaction");
    };
    if rec.token != token {
        rec.refused.push((401, "wrong interaction token".into()));
        return discord_error(401, 50027, "Invalid Webhook Token");
    }
    if rec.callback.is_some() {
        rec.refused.push((400, "already acknowledged".into()));
        return discord_error(400, 40060, "Interaction has already been acknowledged.");
    }
    let late = at.saturating_duration_since(rec.dispatched_at);
    if late > deadline {
        rec.refused.push((
            400,
            format!("callback {late:?} after dispatch (limit {deadline:?})"),
        ));
        return discord_error(400, 10062, "Unknown interaction");
    }
    let Some(body) = body else {
        rec.refused.push((400, "no JSON body".into()));
        return discord_error(400, 50035, "Invalid Form Body");
    };
    let ty = body.get("type").and_then(Value::as_i64).unwrap_or(0);
    rec.callback = Some((body.clone(), at));
    let channel = rec.channel_id.clone();
    let data = body.get("data").cloned().unwrap_or(json!({}));
    match ty {
        4 | 5 => {
            let shown = if ty == 4 {
                data.clone()
            } else {
                json!({"content": "", "flags": 128})
            };
            let msg = inner.message_from_body(st, None, &channel, &shown, true);
            st.messages.insert(
                msg["id"].as_str().unwrap_or_default().to_string(),
                msg.clone(),
            );
            let rec = st.interactions.get_mut(id).expect("present");
            rec.original = Some(msg);
            if ty == 4 {
                rec.messages.push(data);
            }
        }
        6 | 7 => {
            // Updates the message the component was attached to.
            let rec = st.interactions.get(id).expect("present");
            let target = rec
                .original
                .as_ref()
                .and_then(|m| m["id"].as_str())
                .map(str::to_string);
            if let Some(target) = target {
                if ty == 7 {
                    let msg = inner.edit_message(st, &target, &channel, &data, false);
                    st.interactions.get_mut(id).expect("present").original = Some(msg);
                }
            }
            if ty == 7 {
                st.interactions
                    .get_mut(id)
                    .expect("present")
                    .messages
                    .push(data);
            }
        }
        _ => {}
    }
    HttpResponse::no_content()
}

fn application_object() -> Value {
    json!({
        "id": APP_ID,
        "name": "faqbot",
        "icon": null,
        "description": "FAQ bot (fake Discord)",
        "summary": "",
        "type": null,
        "rpc_origins": [],
        "bot_public": false,
        "bot_require_code_grant": false,
        "bot": bot_user(),
        "terms_of_service_url": null,
        "privacy_policy_url": null,
        "owner": user_object(OWNER_ID, "owner", false),
        "verify_key": "0000000000000000000000000000000000000000000000000000000000000000",
        "team": null,
        "guild_id": null,
        "flags": 0,
        "tags": [],
        "redirect_uris": [],
        "interactions_endpoint_url": null,
        "role_connections_verification_url": null,
        "approximate_guild_count": 1,
        "approximate_user_install_count": 0,
    })
}

/// The command object Discord answers with for a command request body.
fn command_object(st: &mut State, guild: Option<&str>, req: &Value) -> Value {
    let name = req.get("name").cloned().unwrap_or(json!(""));
    let existing = st
        .commands
        .iter()
        .find(|(g, c)| g.as_deref() == guild && c.get("name") == Some(&name))
        .map(|(_, c)| c["id"].clone());
    let id = existing.unwrap_or_else(|| json!(st.new_id()));
    let version = st.new_id();
    let mut cmd = req.clone();
    if !cmd.is_object() {
        cmd = json!({});
    }
    let obj = cmd.as_object_mut().expect("object");
    obj.insert("id".into(), id);
    obj.insert("application_id".into(), json!(APP_ID));
    obj.insert("version".into(), json!(version));
    obj.entry("type").or_insert(json!(1));
    obj.entry("description").or_insert(json!(""));
    obj.entry("options").or_insert(json!([]));
    obj.entry("nsfw").or_insert(json!(false));
    let dmp = obj
        .get("default_member_permissions")
        .cloned()
        .unwrap_or(Value::Null);
    obj.insert(
        "default_member_permissions".into(),
        match dmp {
            Value::Number(n) => json!(n.to_string()),
            other => other,
        },
    );
    if let Some(g) = guild {
        obj.insert("guild_id".into(), json!(g));
    }
    cmd
}

#[allow(clippy::result_large_err)]
async fn serve_gateway_conn(inner: Arc<Inner>, stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let uri = Arc::new(Mutex::new(String::new()));
    let uri2 = Arc::clone(&uri);
    let ws =
        match tokio_tungstenite::accept_hdr_async(stream, move |req: &Request, resp: Response| {
            *uri2.lock().unwrap() = req.uri().to_string();
            Ok(resp)
        })
        .await
        {
            Ok(ws) => ws,
            Err(_) => return,
        };
    let (mut sink, mut source) = ws.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<ConnCmd>();
    let (conn_id, hello) = {
        let mut st = inner.lock();
        st.next_conn += 1;
        let id = st.next_conn;
        st.connect_count += 1;
        st.gateway_uris.push(uri.lock().unwrap().clone());
        st.conns.insert(id, Conn { tx: tx.clone() });
        (
            id,
            json!({"op": 10, "s": null, "t": null, "d": {"heartbeat_interval": st.heartbeat_interval_ms}}),
        )
    };
    inner.notify();
    if sink.send(WsMessage::Text(hello.to_string())).await.is_err() {
        forget_conn(&inner, conn_id);
        return;
    }
    loop {
        tokio::select! {
            cmd = rx.recv() => match cmd {
                Some(ConnCmd::Text(t)) => {
                    if sink.send(WsMessage::Text(t)).await.is_err() { break; }
                }
                Some(ConnCmd::Close(code)) => {
                    let _ = sink.send(WsMessage::Close(Some(CloseFrame { code: CloseCode::from(code), reason: "".into() }))).await;
                    break;
                }
                Some(ConnCmd::Drop) | None => break,
            },
            msg = source.next() => match msg {
                Some(Ok(WsMessage::Text(text))) => {
                    let Ok(payload) = serde_json::from_str::<Value>(&text) else {
                        let _ = sink.send(WsMessage::Close(Some(CloseFrame { code: CloseCode::from(4002), reason: "Error while decoding payload.".into() }))).await;
                        break;
                    };
                    handle_gateway_frame(&inner, conn_id, &tx, payload);
                }
                Some(Ok(WsMessage::Ping(p))) => { let _ = sink.send(WsMessage::Pong(p)).await; }
                Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            },
        }
    }
    forget_conn(&inner, conn_id);
}

fn forget_conn(inner: &Inner, conn_id: u64) {
    let mut st = inner.lock();
    st.conns.remove(&conn_id);
    if st.current == Some(conn_id) {
        st.current = None;
    }
    drop(st);
    inner.notify();
}

fn handle_gateway_frame(
    inner: &Arc<Inner>,
    conn_id: u64,
    tx: &mpsc::UnboundedSender<ConnCmd>,
    payload: Value,
) {
    let mut st = inner.lock();
    st.gateway_frames.push(GatewayFrame {
        conn: conn_id,
        at: Instant::now(),
        payload: payload.clone(),
    });
    let op = payload.get("op").and_then(Value::as_i64).unwrap_or(-1);
    let d = payload.get("d").cloned().unwrap_or(Value::Null);
    let token_ok = |token: &str| match &inner.cfg.expected_token {
        Some(t) => token == format!("Bot {t}") || token == t.as_str(),
        None => true,
    };
    match op {
        1 if st.ack_heartbeats => {
            let _ = tx.send(ConnCmd::Text(
                json!({"op": 11, "s": null, "t": null, "d": null}).to_string(),
            ));
        }
        1 => {}
        2 => {
            st.identify_count += 1;
            let token = d
                .get("token")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            st.identify_tokens.push(token.clone());
            if !token_ok(&token) {
                let _ = tx.send(ConnCmd::Close(4004));
            } else {
                st.sessions_started += 1;
                st.session = Some(Session {
                    id: format!("fake-session-{}", st.sessions_started),
                    seq: 0,
                    log: vec![],
                });
                st.current = Some(conn_id);
                let ready = inner.ready_payload(&st, d.get("shard"));
                let _ = inner.dispatch_locked(&mut st, "READY", ready);
                if inner.cfg.send_guild_create {
                    let guild = inner.guild_create_payload();
                    let _ = inner.dispatch_locked(&mut st, "GUILD_CREATE", guild);
                }
            }
        }
        6 => {
            st.resume_count += 1;
            let token = d
                .get("token")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let sid = d.get("session_id").and_then(Value::as_str).unwrap_or("");
            let seq = d.get("seq").and_then(Value::as_u64).unwrap_or(0);
            let resumable = token_ok(&token)
                && st
                    .session
                    .as_ref()
                    .is_some_and(|s| s.id == sid && seq <= s.seq);
            if resumable {
                st.current = Some(conn_id);
                let missed: Vec<String> = st
                    .session
                    .as_ref()
                    .map(|s| {
                        s.log
                            .iter()
                            .filter(|(n, _)| *n > seq)
                            .map(|(_, f)| f.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                for frame in missed {
                    let _ = tx.send(ConnCmd::Text(frame));
                }
                let _ = inner.dispatch_locked(&mut st, "RESUMED", json!({}));
            } else {
                let _ = tx.send(ConnCmd::Text(
                    json!({"op": 9, "s": null, "t": null, "d": false}).to_string(),
                ));
            }
        }
        _ => {}
    }
    drop(st);
    inner.notify();
}

// --- the public handle ---------------------------------------------------------------------------

/// A running fake Discord. Dropping it stops every server task.
pub struct FakeDiscord {
    inner: Arc<Inner>,
}

impl FakeDiscord {
    /// Starts a fake with the default configuration.
    pub async fn start() -> Result<Self> {
        Self::start_with(FakeConfig::default()).await
    }

    /// Starts a fake on two `127.0.0.1:0` listeners (REST and gateway).
    pub async fn start_with(cfg: FakeConfig) -> Result<Self> {
        let http = TcpListener::bind("127.0.0.1:0").await?;
        let ws = TcpListener::bind("127.0.0.1:0").await?;
        let (changed, _) = watch::channel(0u64);
        let state = State {
            heartbeat_interval_ms: cfg.heartbeat_interval_ms,
            ack_heartbeats: true,
            ..State::default()
        };
        let inner = Arc::new(Inner {
            cfg,
            state: Mutex::new(state),
            changed,
            http_addr: http.local_addr()?,
            ws_addr: ws.local_addr()?,
            tasks: Mutex::new(Vec::new()),
        });
        let i = Arc::clone(&inner);
        inner.spawn(async move {
            while let Ok((stream, _)) = http.accept().await {
                let i2 = Arc::clone(&i);
                i.spawn(serve_http_conn(i2, stream));
            }
        });
        let i = Arc::clone(&inner);
        inner.spawn(async move {
            while let Ok((stream, _)) = ws.accept().await {
                let i2 = Arc::clone(&i);
                i.spawn(serve_gateway_conn(i2, stream));
            }
        });
        Ok(Self { inner })
    }

    /// `http://127.0.0.1:PORT`: give it to `HttpBuilder::proxy` (serenity replaces
    /// `https://discord.com` with it; the paths keep their `/api/v10`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.inner.http_addr)
    }
    /// The gateway URL that `GET /gateway` answers (`ws://127.0.0.1:PORT/gateway-ws`).
    pub fn gateway_url(&self) -> String {
        self.inner.gateway_url()
    }
    pub fn config(&self) -> &FakeConfig {
        &self.inner.cfg
    }

    /// Stops every server task and closes every connection (also done on drop).
    pub fn shutdown(&self) {
        {
            let mut st = self.inner.lock();
            st.shut = true;
            for conn in st.conns.values() {
                let _ = conn.tx.send(ConnCmd::Drop);
            }
        }
        for t in self
            .inner
            .tasks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain(..)
        {
            t.abort();
        }
        self.inner.notify();
    }

    // --- recorded requests

    /// Every REST request so far, in order of arrival.
    pub fn requests(&self) -> Vec<Recorded> {
        self.inner.lock().requests.clone()
    }
    /// Requests with this method whose route (path without `/api/v10`) starts with `prefix`.
    pub fn requests_to(&self, method: &str, prefix: &str) -> Vec<Recorded> {
        self.inner
            .lock()
            .requests
            .iter()
            .filter(|r| r.is(method, prefix))
            .cloned()
            .collect()
    }
    /// Waits for the first request (from the beginning) that satisfies `pred`.
    pub async fn wait_for_request(
        &self,
        pred: impl Fn(&Recorded) -> bool,
        timeout: Duration,
    ) -> Result<Recorded> {
        self.wait_for_request_from(0, pred, timeout).await
    }
    /// Waits for a request at position `from_index` or later that satisfies `pred` (use
    /// `fake.requests().len()` before acting, to wait only for new requests).
    pub async fn wait_for_request_from(
        &self,
        from_index: usize,
        pred: impl Fn(&Recorded) -> bool,
        timeout: Duration,
    ) -> Result<Recorded> {
        self.wait_until(timeout, "a matching request", |st| {
            st.requests
                .iter()
                .skip(from_index)
                .find(|r| pred(r))
                .cloned()
        })
        .await
    }
    /// Requests to routes the fake does not know (answered 404): usually a sign that the bot
    /// calls an endpoint the fake should learn, or a wrong path.
    pub fn unknown_requests(&self) -> Vec<Recorded> {
        self.inner
            .lock()
            .requests
            .iter()
            .filter(|r| r.unknown_route)
            .cloned()
            .collect()
    }
    /// Schema and limit violations found in the bot's request bodies so far.
    pub fn schema_violations(&self) -> Vec<String> {
        self.inner.lock().violations.clone()
    }

    /// Makes the next `count` requests whose (method, full path) satisfy `matches` fail with
    /// `status` (429 comes with a rate-limit body and headers). Faults queue in order.
    pub fn inject_fault(
        &self,
        count: usize,
        status: u16,
        matches: impl Fn(&str, &str) -> bool + Send + Sync + 'static,
    ) {
        self.inner.lock().faults.push(Fault {
            matches: Box::new(matches),
            status,
            remaining: count,
        });
    }
    /// Shorthand: the next `count` requests whose path contains `path_part` fail with `status`.
    pub fn fail_next(&self, count: usize, status: u16, path_part: &str) {
        let part = path_part.to_string();
        self.inject_fault(count, status, move |_, p| p.contains(&part));
    }

    /// Registered commands: (guild id or None for global, command object).
    pub fn registered_commands(&self) -> Vec<(Option<String>, Value)> {
        self.inner.lock().commands.clone()
    }
    /// A message the fake holds (created, edited, or an interaction's original response).
    pub fn message(&self, id: &str) -> Option<Value> {
        self.inner.lock().messages.get(id).cloned()
    }

    // --- gateway

    /// Waits until a gateway session is live (READY or RESUMED sent on the current socket).
    pub async fn wait_session(&self, timeout: Duration) -> Result<()> {
        self.wait_until(timeout, "a live gateway session", |st| {
            st.current.map(|_| ())
        })
        .await
    }
    pub fn identify_count(&self) -> usize {
        self.inner.lock().identify_count
    }
    pub fn resume_count(&self) -> usize {
        self.inner.lock().resume_count
    }
    pub fn connect_count(&self) -> usize {
        self.inner.lock().connect_count
    }
    /// Tokens sent in IDENTIFY (serenity prefixes them with `Bot `).
    pub fn identify_tokens(&self) -> Vec<String> {
        self.inner.lock().identify_tokens.clone()
    }
    /// Request URIs of the gateway connections (path and query, e.g. `/gateway-ws?v=10`).
    pub fn gateway_uris(&self) -> Vec<String> {
        self.inner.lock().gateway_uris.clone()
    }
    /// Every frame the bot sent over the gateway.
    pub fn gateway_frames(&self) -> Vec<GatewayFrame> {
        self.inner.lock().gateway_frames.clone()
    }
    /// Waits until `count` IDENTIFY + RESUME in total have been received.
    pub async fn wait_for_handshakes(&self, count: usize, timeout: Duration) -> Result<()> {
        self.wait_until(timeout, &format!("{count} identify/resume"), |st| {
            (st.identify_count + st.resume_count >= count).then_some(())
        })
        .await
    }
    /// The heartbeat interval sent in later HELLOs.
    pub fn set_heartbeat_interval(&self, ms: u64) {
        self.inner.lock().heartbeat_interval_ms = ms;
    }
    /// Whether heartbeats are acknowledged (op 11); off makes the connection look zombied.
    pub fn set_heartbeat_acks(&self, on: bool) {
        self.inner.lock().ack_heartbeats = on;
    }
    /// Closes the live gateway socket(s) abruptly (no close frame); the session stays resumable.
    /// Returns whether a connection was open.
    pub fn drop_gateway(&self) -> bool {
        let mut st = self.inner.lock();
        let had = !st.conns.is_empty();
        for conn in st.conns.values() {
            let _ = conn.tx.send(ConnCmd::Drop);
        }
        st.current = None;
        drop(st);
        self.inner.notify();
        had
    }
    /// Closes the live gateway socket(s) with a close frame of this code.
    pub fn close_gateway(&self, code: u16) {
        let mut st = self.inner.lock();
        for conn in st.conns.values() {
            let _ = conn.tx.send(ConnCmd::Close(code));
        }
        st.current = None;
        drop(st);
        self.inner.notify();
    }
    /// Forgets the session: a later RESUME gets op 9 (false) and the bot must IDENTIFY again.
    pub fn invalidate_session(&self) {
        self.inner.lock().session = None;
    }
    /// Sends a raw non-dispatch payload (e.g. op 7 RECONNECT) on the live connection.
    pub fn send_op(&self, op: u8, d: Value) -> Result<()> {
        let st = self.inner.lock();
        let conn = st
            .current
            .and_then(|c| st.conns.get(&c))
            .ok_or_else(|| anyhow!("no live gateway connection"))?;
        conn.tx
            .send(ConnCmd::Text(
                json!({"op": op, "s": null, "t": null, "d": d}).to_string(),
            ))
            .map_err(|_| anyhow!("gateway connection closed"))
    }

    /// Sends a dispatch (op 0) with the next seq; returns the seq. While the bot is
    /// disconnected the dispatch is kept and replayed when it resumes (as Discord does).
    /// An INTERACTION_CREATE starts the interaction's 3-second callback clock.
    pub fn send_dispatch(&self, t: &str, d: Value) -> Result<u64> {
        let mut st = self.inner.lock();
        if t == "INTERACTION_CREATE" {
            let id = d
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| anyhow!("interaction without id"))?
                .to_string();
            let token = d
                .get("token")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let channel_id = d
                .get("channel_id")
                .and_then(Value::as_str)
                .unwrap_or(&self.inner.cfg.channel_id)
                .to_string();
            let kind = d.get("type").and_then(Value::as_i64).unwrap_or(0);
            // A component interaction acts on the message it came with.
            let original = d.get("message").cloned().filter(|m| m.is_object());
            if let Some(m) = &original {
                if let Some(mid) = m["id"].as_str() {
                    st.messages
                        .entry(mid.to_string())
                        .or_insert_with(|| m.clone());
                }
            }
            st.token_to_interaction.insert(token.clone(), id.clone());
            st.interactions.insert(
                id.clone(),
                InteractionRecord {
                    id,
                    token,
                    kind,
                    channel_id,
                    dispatched_at: Instant::now(),
                    callback: None,
                    refused: vec![],
                    messages: vec![],
                    original,
                },
            );
        }
        let seq = self.inner.dispatch_locked(&mut st, t, d)?;
        drop(st);
        self.inner.notify();
        Ok(seq)
    }

    /// Dispatches an INTERACTION_CREATE built by one of the builders; returns the interaction id.
    pub fn dispatch_interaction(&self, interaction: Value) -> Result<String> {
        let id = interaction["id"]
            .as_str()
            .ok_or_else(|| anyhow!("interaction without id"))?
            .to_string();
        self.send_dispatch("INTERACTION_CREATE", interaction)?;
        Ok(id)
    }

    // --- interactions

    /// What the fake knows about a dispatched interaction.
    pub fn interaction(&self, id: &str) -> Option<InteractionRecord> {
        self.inner.lock().interactions.get(id).cloned()
    }
    /// Waits for the accepted callback of this interaction and returns its body.
    pub async fn wait_callback(&self, interaction_id: &str, timeout: Duration) -> Result<Value> {
        let id = interaction_id.to_string();
        self.wait_until(
            timeout,
            &format!("the callback of interaction {id}"),
            |st| {
                st.interactions
                    .get(&id)
                    .and_then(|r| r.callback.as_ref().map(|(b, _)| b.clone()))
            },
        )
        .await
    }
    /// Waits for the first message the bot showed for this interaction: the data of a type 4 (or
    /// 7) callback, or, after a deferral (5/6), the first edit of `@original` or follow-up body.
    pub async fn shown_message(&self, interaction_id: &str, timeout: Duration) -> Result<Value> {
        let id = interaction_id.to_string();
        self.wait_until(
            timeout,
            &format!("a message shown for interaction {id}"),
            |st| {
                st.interactions
                    .get(&id)
                    .and_then(|r| r.messages.first().cloned())
            },
        )
        .await
    }
    /// Waits until at least `count` message bodies were shown for this interaction; returns all.
    pub async fn wait_messages(
        &self,
        interaction_id: &str,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<Value>> {
        let id = interaction_id.to_string();
        self.wait_until(
            timeout,
            &format!("{count} messages for interaction {id}"),
            |st| {
                st.interactions
                    .get(&id)
                    .filter(|r| r.messages.len() >= count)
                    .map(|r| r.messages.clone())
            },
        )
        .await
    }
    /// Message bodies shown for this interaction so far (callback data, edits, follow-ups).
    pub fn interaction_messages(&self, interaction_id: &str) -> Vec<Value> {
        self.inner
            .lock()
            .interactions
            .get(interaction_id)
            .map(|r| r.messages.clone())
            .unwrap_or_default()
    }
    /// The full Message object of the interaction's original response (to attach to a button
    /// click built with [`FakeDiscord::button`]).
    pub fn original_message(&self, interaction_id: &str) -> Option<Value> {
        self.inner
            .lock()
            .interactions
            .get(interaction_id)
            .and_then(|r| r.original.clone())
    }

    // --- payload builders

    fn new_id(&self) -> String {
        self.inner.lock().new_id()
    }

    fn command_id(&self, name: &str) -> String {
        let st = self.inner.lock();
        let found = st
            .commands
            .iter()
            .find(|(_, c)| c["name"] == json!(name))
            .and_then(|(_, c)| c["id"].as_str().map(str::to_string));
        drop(st);
        found.unwrap_or_else(|| self.new_id())
    }

    fn interaction_base(&self, user: &FakeUser, kind: u8, data: Value) -> Value {
        let cfg = &self.inner.cfg;
        let id = self.new_id();
        let token = format!("tok-{id}");
        let mut channel = self.inner.channel_object();
        channel["permissions"] = json!(user.permissions);
        json!({
            "id": id,
            "application_id": APP_ID,
            "type": kind,
            "data": data,
            "guild": {"id": cfg.guild_id, "locale": "en-US", "features": []},
            "guild_id": cfg.guild_id,
            "channel": channel,
            "channel_id": cfg.channel_id,
            "member": user.member_json(),
            "token": token,
            "version": 1,
            "app_permissions": PERMS_BOT.to_string(),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": cfg.guild_id},
            "context": 0,
            "attachment_size_limit": 26_214_400,
        })
    }

    /// A guild slash command (interaction type 2, command type 1). `options` from [`opt`],
    /// [`subcommand`], [`subcommand_group`]. The command id is the registered one if known.
    pub fn slash_command(&self, user: &FakeUser, name: &str, options: Vec<Value>) -> Value {
        let data = json!({
            "id": self.command_id(name),
            "name": name,
            "type": 1,
            "guild_id": self.inner.cfg.guild_id,
            "options": options,
        });
        self.interaction_base(user, 2, data)
    }

    /// An autocomplete interaction (type 4); one option should come from [`opt_focused`].
    pub fn autocomplete(&self, user: &FakeUser, name: &str, options: Vec<Value>) -> Value {
        let data = json!({
            "id": self.command_id(name),
            "name": name,
            "type": 1,
            "guild_id": self.inner.cfg.guild_id,
            "options": options,
        });
        self.interaction_base(user, 4, data)
    }

    /// A button click (type 3, component_type 2) on `message` (a full Message object, e.g.
    /// [`FakeDiscord::original_message`]; when None, an empty bot message).
    pub fn button(&self, user: &FakeUser, custom_id: &str, message: Option<Value>) -> Value {
        let message = message.unwrap_or_else(|| self.bot_message("", json!([])));
        let data = json!({"custom_id": custom_id, "component_type": 2});
        let mut i = self.interaction_base(user, 3, data);
        i["message"] = message;
        i
    }

    /// A modal submit (type 5): one action row per `(custom_id, value)` text input.
    pub fn modal_submit(&self, user: &FakeUser, custom_id: &str, fields: &[(&str, &str)]) -> Value {
        let rows: Vec<Value> = fields
            .iter()
            .map(|(cid, value)| json!({"type": 1, "components": [{"type": 4, "custom_id": cid, "value": value}]}))
            .collect();
        let data = json!({"custom_id": custom_id, "components": rows});
        self.interaction_base(user, 5, data)
    }

    /// A message context-menu command (type 2, data.type 3) on `target` (a full Message object,
    /// e.g. from [`FakeDiscord::user_message`]).
    pub fn message_command(&self, user: &FakeUser, name: &str, target: Value) -> Value {
        let target_id = target["id"].clone();
        let mut messages = serde_json::Map::new();
        messages.insert(target_id.as_str().unwrap_or_default().to_string(), target);
        let data = json!({
            "id": self.command_id(name),
            "name": name,
            "type": 3,
            "guild_id": self.inner.cfg.guild_id,
            "target_id": target_id,
            "resolved": {"messages": messages},
        });
        self.interaction_base(user, 2, data)
    }

    /// A full Message object authored by the bot in the test channel.
    pub fn bot_message(&self, content: &str, components: Value) -> Value {
        let mut st = self.inner.lock();
        let body = json!({"content": content, "components": components});
        let ch = self.inner.cfg.channel_id.clone();
        let msg = self
            .inner
            .message_from_body(&mut st, None, &ch, &body, false);
        st.messages.insert(
            msg["id"].as_str().unwrap_or_default().to_string(),
            msg.clone(),
        );
        msg
    }

    /// A full guild Message object written by `author` in the test channel (as in
    /// MESSAGE_CREATE). `<@id>`/`<@!id>` in the content fill `mentions` (the bot is `<@1000>`),
    /// `<@&id>` fill `mention_roles`.
    pub fn user_message(&self, author: &FakeUser, content: &str) -> Value {
        let cfg = &self.inner.cfg;
        let id = self.new_id();
        let (users, roles) = parse_mentions(content);
        let mentions: Vec<Value> = users
            .iter()
            .map(|u| {
                if u == BOT_ID {
                    bot_user()
                } else {
                    user_object(u, &format!("user{u}"), false)
                }
            })
            .collect();
        let mut member = author.member_json();
        member.as_object_mut().expect("object").remove("user");
        member
            .as_object_mut()
            .expect("object")
            .remove("permissions");
        json!({
            "id": id,
            "channel_id": cfg.channel_id,
            "guild_id": cfg.guild_id,
            "author": author.user_json(),
            "member": member,
            "content": content,
            "timestamp": now_timestamp(),
            "edited_timestamp": null,
            "tts": false,
            "mention_everyone": false,
            "mentions": mentions,
            "mention_roles": roles,
            "attachments": [],
            "embeds": [],
            "components": [],
            "reactions": [],
            "pinned": false,
            "type": 0,
            "flags": 0,
            "nonce": null,
        })
    }

    /// A MESSAGE_CREATE payload (see [`FakeDiscord::user_message`]); dispatch it with
    /// `send_dispatch("MESSAGE_CREATE", ..)`.
    pub fn message_create(&self, author: &FakeUser, content: &str) -> Value {
        self.user_message(author, content)
    }

    // --- waiting

    async fn wait_until<T>(
        &self,
        timeout: Duration,
        what: &str,
        mut f: impl FnMut(&State) -> Option<T>,
    ) -> Result<T> {
        let mut rx = self.inner.changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            rx.borrow_and_update();
            {
                let st = self.inner.lock();
                if let Some(t) = f(&st) {
                    return Ok(t);
                }
                if st.shut {
                    bail!("fake Discord shut down while waiting for {what}");
                }
            }
            match tokio::time::timeout_at(deadline, rx.changed()).await {
                Ok(Ok(())) => continue,
                Ok(Err(_)) => bail!("fake Discord gone while waiting for {what}"),
                Err(_) => {
                    let st = self.inner.lock();
                    if let Some(t) = f(&st) {
                        return Ok(t);
                    }
                    let recent: Vec<String> = st
                        .requests
                        .iter()
                        .rev()
                        .take(8)
                        .rev()
                        .map(Recorded::summary)
                        .collect();
                    let refusals: Vec<String> = st
                        .interactions
                        .values()
                        .flat_map(|r| {
                            r.refused
                                .iter()
                                .map(move |(s, why)| format!("{}: {s} {why}", r.id))
                        })
                        .collect();
                    bail!(
                        "timed out after {timeout:?} waiting for {what}; identify={} resume={} live={}; recent requests: {recent:?}; refused callbacks: {refusals:?}",
                        st.identify_count,
                        st.resume_count,
                        st.current.is_some(),
                    );
                }
            }
        }
    }
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// User ids and role ids mentioned in a message content.
fn parse_mentions(content: &str) -> (Vec<String>, Vec<String>) {
    let mut users = Vec::new();
    let mut roles = Vec::new();
    let mut rest = content;
    while let Some(start) = rest.find("<@") {
        rest = &rest[start + 2..];
        let (is_role, body) = match rest.chars().next() {
            Some('&') => (true, &rest[1..]),
            Some('!') => (false, &rest[1..]),
            _ => (false, rest),
        };
        let digits: String = body.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && body[digits.len()..].starts_with('>') {
            let list = if is_role { &mut roles } else { &mut users };
            if !list.contains(&digits) {
                list.push(digits);
            }
        }
    }
    (users, roles)
}
