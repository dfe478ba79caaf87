//! The fake's fixed world and the JSON objects it is made of: ids, permission bits, the test
//! guild's configuration, users, command options, and builders for the Discord objects the
//! fake sends (READY, GUILD_CREATE, channels, messages, commands, interactions, errors).
//!
//! Everything here is a pure function of its arguments; the state that picks ids and stores
//! objects lives in [`super::state`].

use std::time::Duration;

use serde_json::{json, Map, Value};

/// The bot's user id, and its application id (the same, as for every modern bot).
pub const BOT_ID: &str = "1000";
pub const APP_ID: &str = "1000";
/// Owns the test guild (`owner_id` in GUILD_CREATE, which the bot treats as a moderator) and
/// the application (`owner` in `GET /oauth2/applications/@me`).
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

pub(super) fn user_object(id: &str, username: &str, bot: bool) -> Value {
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

pub(super) fn bot_user() -> Value {
    user_object(BOT_ID, "faqbot", true)
}

fn now_timestamp() -> String {
    serenity::model::Timestamp::now().to_string()
}

// --- command options ---------------------------------------------------------------------------

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

// --- Discord's answers --------------------------------------------------------------------------

/// What the fake answers a REST request with.
pub(super) struct Reply {
    pub status: u16,
    pub body: Option<Value>,
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    pub fn json(body: Value) -> Self {
        Self::with_status(200, body)
    }
    pub fn with_status(status: u16, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
            headers: vec![],
        }
    }
    pub fn no_content() -> Self {
        Self {
            status: 204,
            body: None,
            headers: vec![],
        }
    }
}

/// Discord's JSON error object with this status and error code.
pub(super) fn discord_error(status: u16, code: u64, message: &str) -> Reply {
    Reply::with_status(
        status,
        json!({"message": message, "code": code, "errors": {}}),
    )
}

// --- gateway payloads ---------------------------------------------------------------------------

/// READY for a new session; `shard` is what IDENTIFY asked for.
pub(super) fn ready_payload(
    cfg: &FakeConfig,
    session_id: &str,
    gateway_url: &str,
    shard: Option<&Value>,
) -> Value {
    let guilds: Vec<Value> = if cfg.send_guild_create {
        vec![json!({"id": cfg.guild_id, "unavailable": true})]
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
        "resume_gateway_url": gateway_url,
        "shard": shard.cloned().unwrap_or(json!([0, 1])),
        "application": {"id": APP_ID, "flags": 0},
        "private_channels": [],
        "relationships": [],
        "presences": [],
    })
}

/// GUILD_CREATE for the test guild: its roles, the bot as its only member, the test channel.
pub(super) fn guild_create_payload(cfg: &FakeConfig) -> Value {
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
    // Three objects merged into one: a single `json!` of them all exceeds the macro's
    // recursion limit.
    let parts = [
        json!({
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
        }),
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
            "channels": [channel_object(cfg)],
            "threads": [], "presences": [], "stage_instances": [],
            "guild_scheduled_events": [], "soundboard_sounds": [],
            "incidents_data": null,
        }),
    ];
    let mut guild = Map::new();
    for part in parts {
        if let Value::Object(m) = part {
            guild.extend(m);
        }
    }
    Value::Object(guild)
}

// --- REST objects -------------------------------------------------------------------------------

/// The test channel (a guild text channel).
pub(super) fn channel_object(cfg: &FakeConfig) -> Value {
    json!({
        "id": cfg.channel_id, "type": 0, "guild_id": cfg.guild_id,
        "name": "faq", "position": 0, "permission_overwrites": [], "nsfw": false,
        "topic": null, "last_message_id": null, "rate_limit_per_user": 0,
        "parent_id": null, "flags": 0,
    })
}

/// A public thread (type 11) in `parent`, as Start Thread from Message answers.
pub(super) fn thread_object(cfg: &FakeConfig, id: &str, parent: &str, name: &str) -> Value {
    json!({
        "id": id, "type": 11, "guild_id": cfg.guild_id, "parent_id": parent,
        "owner_id": BOT_ID, "name": name, "last_message_id": null, "message_count": 0,
        "member_count": 1, "rate_limit_per_user": 0, "flags": 0, "total_message_sent": 0,
        "thread_metadata": {
            "archived": false, "auto_archive_duration": 1440,
            "archive_timestamp": now_timestamp(), "locked": false,
        },
    })
}

/// A full Message object authored by the bot, built from a message request body; `webhook`
/// marks it as sent through the interaction webhook.
pub(super) fn message_object(
    cfg: &FakeConfig,
    id: &str,
    channel_id: &str,
    body: &Value,
    webhook: bool,
) -> Value {
    let g = |k: &str, d: Value| body.get(k).cloned().filter(|v| !v.is_null()).unwrap_or(d);
    let mut msg = json!({
        "id": id,
        "channel_id": channel_id,
        "guild_id": cfg.guild_id,
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

/// Applies an edit body to a Message object: a field set to null is cleared.
pub(super) fn apply_edit(msg: &mut Value, body: &Value) {
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
}

/// The application, as `GET /oauth2/applications/@me` answers it.
pub(super) fn application_object() -> Value {
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
pub(super) fn command_object(req: &Value, id: Value, version: &str, guild: Option<&str>) -> Value {
    let mut obj = match req {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
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
    Value::Object(obj)
}

// --- what users do ------------------------------------------------------------------------------

/// An INTERACTION_CREATE payload of this type by `user` in the test channel.
pub(super) fn interaction_object(
    cfg: &FakeConfig,
    id: &str,
    user: &FakeUser,
    kind: u8,
    data: Value,
) -> Value {
    let mut channel = channel_object(cfg);
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
        "token": interaction_token(id),
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

/// The DM channel between `user` and the bot (one per user, as on Discord).
pub fn dm_channel_id(user: &FakeUser) -> String {
    format!("9{}", user.id)
}

/// What Discord's interaction tokens start with (`interaction:` in base64).
pub const INTERACTION_TOKEN_PREFIX: &str = "aW50ZXJhY3Rpb246";

/// An interaction token shaped like Discord's: the base64 of `interaction:` and about 150
/// characters that look random, different for every interaction id (so a test can tell
/// whether any part of one reached a log).
pub fn interaction_token(id: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut seed = id.bytes().fold(0x9e37_79b9_7f4a_7c15_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut token = String::from(INTERACTION_TOKEN_PREFIX);
    for _ in 0..150 {
        // splitmix64
        seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        token.push(char::from(ALPHABET[(z % 64) as usize]));
    }
    token
}

/// A full guild Message object written by `author` in the test channel.
pub(super) fn user_message_object(
    cfg: &FakeConfig,
    id: &str,
    author: &FakeUser,
    content: &str,
) -> Value {
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
    if let Some(m) = member.as_object_mut() {
        m.remove("user");
        m.remove("permissions");
    }
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
