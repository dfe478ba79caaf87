//! Discord's REST API v10 as the bot uses it: each request goes through the injected faults,
//! the body checks and the route, and is recorded with what it was answered.
//!
//! Routes keep Discord's resource behaviour that the bot can observe: registered commands,
//! messages that can be fetched, edited and deleted, the interaction callback rules (one
//! callback, within the deadline, with the right token) and the interaction webhook
//! (`@original`, follow-ups).

use std::time::Instant;

use serde_json::{json, Value};

use super::checks::check_body;
use super::faults;
use super::fixtures::{self, discord_error, Reply, APP_ID, BOT_ID};
use super::state::{Inner, Recorded, State};

/// A REST request as the HTTP server hands it over.
pub(super) struct Request {
    pub method: String,
    /// The path without the query.
    pub path: String,
    pub query: Option<String>,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    /// The JSON body (for multipart bodies: the `payload_json` part), if any.
    pub body: Option<Value>,
    pub raw_body: Vec<u8>,
    /// When its head arrived: the interaction callback deadline is measured to here.
    pub at: Instant,
}

/// Answers a request and records it (and its body's violations, and in the dump if asked).
pub(super) fn handle(inner: &Inner, req: Request) -> Reply {
    let mut st = inner.lock();
    let fault = faults::take(&mut st.faults, &req.method, &req.path);
    let injected = fault.is_some();
    let mut unknown_route = false;
    let mut violations = Vec::new();
    let route = req.path.strip_prefix("/api/v10");
    let reply = match (fault, route) {
        (Some(reply), _) => reply,
        (None, Some(route)) => {
            let segs: Vec<&str> = route.trim_start_matches('/').split('/').collect();
            violations = check_body(&req.method, &segs, req.body.as_ref());
            route_request(
                inner,
                &mut st,
                &req.method,
                &segs,
                req.body.as_ref(),
                req.at,
            )
            .unwrap_or_else(|| {
                unknown_route = true;
                discord_error(404, 0, "404: Not Found")
            })
        }
        (None, None) => {
            unknown_route = true;
            discord_error(404, 0, "404: Not Found")
        }
    };
    for v in violations {
        st.violations
            .push(format!("{} {}: {v}", req.method, req.path));
    }
    let index = st.requests.len();
    st.requests.push(Recorded {
        index,
        method: req.method,
        path: req.path,
        query: req.query,
        authorization: req.authorization,
        content_type: req.content_type,
        body: req.body,
        raw_body: req.raw_body,
        at: req.at,
        status: reply.status,
        response: reply.body.clone(),
        unknown_route,
        injected,
    });
    if let (Some(dump), Some(rec)) = (&inner.dump, st.requests.last()) {
        dump.write(rec);
    }
    drop(st);
    inner.notify();
    reply
}

/// The answer of the route, or None when the fake does not know it.
fn route_request(
    inner: &Inner,
    st: &mut State,
    method: &str,
    segs: &[&str],
    body: Option<&Value>,
    at: Instant,
) -> Option<Reply> {
    let cfg = &inner.cfg;
    let empty = json!({});
    let body_v = body.unwrap_or(&empty);
    let app_ok = |app: &str| app == APP_ID;
    let reply = match (method, segs) {
        ("GET", ["gateway"]) => Reply::json(json!({"url": inner.gateway_url()})),
        ("GET", ["gateway", "bot"]) => Reply::json(json!({
            "url": inner.gateway_url(),
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1},
        })),
        ("GET", ["oauth2", "applications", "@me"]) | ("GET", ["applications", "@me"]) => {
            Reply::json(fixtures::application_object())
        }
        ("GET", ["users", "@me"]) => Reply::json(json!({
            "id": BOT_ID, "username": "faqbot", "discriminator": "0", "global_name": null,
            "avatar": null, "bot": true, "verified": true, "mfa_enabled": false, "flags": 0,
            "public_flags": 0, "email": null, "locale": "en-US",
        })),

        // --- application commands
        ("GET", ["applications", app, "commands"]) if app_ok(app) => {
            Reply::json(commands_of(st, None))
        }
        ("GET", ["applications", app, "guilds", guild, "commands"]) if app_ok(app) => {
            Reply::json(commands_of(st, Some(*guild)))
        }
        ("PUT", ["applications", app, "commands"])
        | ("PUT", ["applications", app, "guilds", _, "commands"])
            if app_ok(app) =>
        {
            let guild = command_guild(segs);
            let Some(items) = body_v.as_array() else {
                return Some(discord_error(400, 50035, "Invalid Form Body"));
            };
            st.commands.retain(|(g, _)| *g != guild);
            let mut out = Vec::new();
            for item in items {
                let cmd = command_object(st, guild.as_deref(), item);
                st.commands.push((guild.clone(), cmd.clone()));
                out.push(cmd);
            }
            Reply::json(Value::Array(out))
        }
        ("POST", ["applications", app, "commands"])
        | ("POST", ["applications", app, "guilds", _, "commands"])
            if app_ok(app) =>
        {
            let guild = command_guild(segs);
            let name = body_v.get("name").cloned();
            st.commands
                .retain(|(g, c)| !(*g == guild && c.get("name") == name.as_ref()));
            let cmd = command_object(st, guild.as_deref(), body_v);
            st.commands.push((guild, cmd.clone()));
            Reply::with_status(201, cmd)
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
                    Reply::json(c.clone())
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
                Reply::no_content()
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
                    Some(m) => Reply::json(m.clone()),
                    None => discord_error(404, 10008, "Unknown Message"),
                },
                Err(r) => r,
            }
        }
        ("PATCH", ["webhooks", app, token, "messages", asked]) if app_ok(app) => {
            let mid = match webhook_message_id(st, token, asked) {
                Ok(m) => m,
                Err(r) => return Some(r),
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
            let msg = st.edit_message(cfg, &mid, &channel, body_v, true);
            if let Some(rec) = st.interactions.get_mut(&iid) {
                rec.messages.push(body_v.clone());
                if *asked == "@original"
                    || rec.original.as_ref().is_some_and(|o| o["id"] == json!(mid))
                {
                    rec.original = Some(msg.clone());
                }
            }
            Reply::json(msg)
        }
        ("DELETE", ["webhooks", app, token, "messages", mid]) if app_ok(app) => {
            match webhook_message_id(st, token, mid) {
                Ok(mid) => {
                    st.messages.remove(&mid);
                    Reply::no_content()
                }
                Err(r) => r,
            }
        }
        ("POST", ["webhooks", app, token]) if app_ok(app) => {
            let Some((iid, channel)) = st
                .token_to_interaction
                .get(*token)
                .and_then(|iid| st.interactions.get(iid))
                .filter(|rec| rec.callback.is_some())
                .map(|rec| (rec.id.clone(), rec.channel_id.clone()))
            else {
                return Some(discord_error(404, 10015, "Unknown Webhook"));
            };
            let msg = st.create_message(cfg, &channel, body_v, true);
            if let Some(rec) = st.interactions.get_mut(&iid) {
                rec.messages.push(body_v.clone());
            }
            Reply::json(msg)
        }

        // --- channels
        ("POST", ["channels", channel, "messages"]) => {
            Reply::json(st.create_message(cfg, channel, body_v, false))
        }
        ("GET", ["channels", _, "messages", mid]) => match st.messages.get(*mid) {
            Some(m) => Reply::json(m.clone()),
            None => discord_error(404, 10008, "Unknown Message"),
        },
        ("PATCH", ["channels", channel, "messages", mid]) => {
            if !st.messages.contains_key(*mid) {
                return Some(discord_error(404, 10008, "Unknown Message"));
            }
            Reply::json(st.edit_message(cfg, mid, channel, body_v, false))
        }
        ("DELETE", ["channels", _, "messages", mid]) => {
            if st.messages.remove(*mid).is_some() {
                Reply::no_content()
            } else {
                discord_error(404, 10008, "Unknown Message")
            }
        }
        ("POST", ["channels", channel, "messages", mid, "threads"]) => {
            if !st.messages.contains_key(*mid) {
                return Some(discord_error(404, 10008, "Unknown Message"));
            }
            let id = st.new_id();
            let name = body_v["name"].as_str().unwrap_or("thread");
            Reply::with_status(201, fixtures::thread_object(cfg, &id, channel, name))
        }
        ("POST", ["channels", _, "typing"]) => Reply::no_content(),
        ("PUT", ["channels", _, "messages", _, "reactions", _, "@me"])
        | ("DELETE", ["channels", _, "messages", _, "reactions", ..]) => Reply::no_content(),
        ("GET", ["channels", channel]) if *channel == cfg.channel_id => {
            Reply::json(fixtures::channel_object(cfg))
        }
        _ => return None,
    };
    Some(reply)
}

/// The guild of a guild command route (`applications/{app}/guilds/{guild}/commands`).
fn command_guild(segs: &[&str]) -> Option<String> {
    match segs {
        ["applications", _, "guilds", guild, ..] => Some(guild.to_string()),
        _ => None,
    }
}

/// The registered commands of a guild (None: the global ones).
fn commands_of(st: &State, guild: Option<&str>) -> Value {
    Value::Array(
        st.commands
            .iter()
            .filter(|(g, _)| g.as_deref() == guild)
            .map(|(_, c)| c.clone())
            .collect(),
    )
}

/// The command object for a request body; re-registering a name keeps its id, as Discord does.
fn command_object(st: &mut State, guild: Option<&str>, req: &Value) -> Value {
    let name = req.get("name").cloned().unwrap_or(json!(""));
    let existing = st
        .commands
        .iter()
        .find(|(g, c)| g.as_deref() == guild && c.get("name") == Some(&name))
        .map(|(_, c)| c["id"].clone());
    let id = existing.unwrap_or_else(|| json!(st.new_id()));
    let version = st.new_id();
    fixtures::command_object(req, id, &version, guild)
}

/// Resolves `@original` and checks that the interaction token is known and acknowledged.
fn webhook_message_id(st: &State, token: &str, mid: &str) -> Result<String, Reply> {
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

/// Discord's callback rules: a known interaction, its token, one callback only, within the
/// deadline, with a JSON body. An accepted callback shows (4), defers (5) or updates the
/// component's message (7); 6 only acknowledges.
fn interaction_callback(
    inner: &Inner,
    st: &mut State,
    id: &str,
    token: &str,
    body: Option<&Value>,
    at: Instant,
) -> Reply {
    let cfg = &inner.cfg;
    let deadline = cfg.callback_deadline;
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
    let target = rec
        .original
        .as_ref()
        .and_then(|m| m["id"].as_str())
        .map(str::to_string);
    let data = body.get("data").cloned().unwrap_or(json!({}));
    let (original, shown) = match ty {
        4 => (
            Some(st.create_message(cfg, &channel, &data, true)),
            Some(data),
        ),
        5 => {
            let thinking = json!({"content": "", "flags": 128});
            (
                Some(st.create_message(cfg, &channel, &thinking, true)),
                None,
            )
        }
        7 => {
            let edited = target.map(|t| st.edit_message(cfg, &t, &channel, &data, false));
            (edited, Some(data))
        }
        _ => (None, None),
    };
    if let Some(rec) = st.interactions.get_mut(id) {
        if let Some(msg) = original {
            rec.original = Some(msg);
        }
        if let Some(data) = shown {
            rec.messages.push(data);
        }
    }
    Reply::no_content()
}
