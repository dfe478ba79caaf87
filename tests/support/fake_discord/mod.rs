//! A loopback fake Discord (REST API v10 + gateway v10) for end-to-end tests of the bot with
//! its real serenity client.
//!
//! * REST (`http.rs`): an HTTP/1.1 server (keep-alive) on `127.0.0.1:0`; point serenity at it
//!   with `HttpBuilder::new(token).proxy(fake.base_url()).ratelimiter_disabled(true)`.
//! * Gateway (`gateway.rs`): plain `ws://`, uncompressed JSON text frames, on a second
//!   `127.0.0.1:0` listener; its URL is what `GET /api/v10/gateway` answers.
//!
//! Every REST request is recorded (and its body checked against Discord's schemas, see
//! [`crate::schema`]); interactions dispatched through the fake are tracked so that tests can wait
//! for the bot's callback and for the message it ended up showing. Everything that waits takes a
//! timeout and returns an error instead of hanging; all server tasks stop when the fake is dropped.
//! With `FAKE_DISCORD_DUMP_DIR` set, the requests are also dumped for before/after comparisons
//! (`dump.rs`, `tests/support/compare_bodies.sh`).
//!
//! ```ignore
//! let fake = FakeDiscord::start().await?;
//! let bot = start_bot(&fake, Workspace::new().config(&fake)).await; // or any serenity client
//! let id = fake.dispatch_interaction(fake.slash_command(
//!     &FakeUser::member("5002"),
//!     "ask",
//!     vec![opt("question", "what is IL-2?")],
//! ))?;
//! let shown = fake.shown_message(&id, Duration::from_secs(5)).await?;
//! assert!(schema::pings_nobody(&shown));
//! assert!(fake.schema_violations().is_empty());
//! ```

mod checks;
mod dump;
mod faults;
mod fixtures;
mod gateway;
mod http;
mod routes;
mod state;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Result};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use dump::DUMP_DIR_VAR;
pub use fixtures::*;
pub use state::{GatewayFrame, InteractionRecord, RateLimit, Recorded};

use state::{ConnCmd, Fault, Inner, State};

/// A running fake Discord. Dropping it stops every server task.
pub struct FakeDiscord {
    inner: Arc<Inner>,
}

impl FakeDiscord {
    /// Starts a fake with the default configuration.
    pub async fn start() -> Result<Self> {
        Self::start_with(FakeConfig::default()).await
    }

    /// Starts a fake on two `127.0.0.1:0` listeners (REST and gateway). With
    /// [`DUMP_DIR_VAR`] set, its REST requests are also written to a file named after the
    /// calling thread (the test), see `dump.rs`.
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
            dump: dump::Dump::from_env()?,
        });
        inner.spawn(http::serve(Arc::clone(&inner), http));
        inner.spawn(gateway::serve(Arc::clone(&inner), ws));
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
        self.inner.abort_all();
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
            rate_limit: RateLimit::default(),
        });
    }
    /// The next `count` requests whose path contains `path_part` get a 429 asking for `limit`
    /// (a global one says so in its body and headers, as Discord's does).
    pub fn rate_limit_next(&self, count: usize, path_part: &str, limit: RateLimit) {
        let part = path_part.to_string();
        self.inner.lock().faults.push(Fault {
            matches: Box::new(move |_, p| p.contains(&part)),
            status: 429,
            remaining: count,
            rate_limit: limit,
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
        let seq = gateway::dispatch_locked(&mut st, t, d)?;
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
        let id = self.new_id();
        fixtures::interaction_object(&self.inner.cfg, &id, user, kind, data)
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

    /// A button press in `user`'s DM with the bot (no guild, no member: a `user` instead, as
    /// Discord sends it) on `message`.
    pub fn dm_button(&self, user: &FakeUser, custom_id: &str, message: Value) -> Value {
        let mut i = self.button(user, custom_id, Some(message));
        let dm = dm_channel_id(user);
        if let Some(o) = i.as_object_mut() {
            for key in ["guild", "guild_id", "member", "guild_locale"] {
                o.remove(key);
            }
            o.insert("user".into(), user.user_json());
            o.insert("channel_id".into(), json!(dm));
            o.insert(
                "channel".into(),
                json!({"id": dm, "type": 1, "last_message_id": null, "flags": 0,
                       "recipients": [user.user_json()]}),
            );
            o.insert("context".into(), json!(1));
            o.insert("authorizing_integration_owners".into(), json!({"0": "0"}));
        }
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
        let body = json!({"content": content, "components": components});
        let cfg = &self.inner.cfg;
        self.inner
            .lock()
            .create_message(cfg, &cfg.channel_id, &body, false)
    }

    /// A full guild Message object written by `author` in the test channel (as in
    /// MESSAGE_CREATE). `<@id>`/`<@!id>` in the content fill `mentions` (the bot is `<@1000>`),
    /// `<@&id>` fill `mention_roles`.
    pub fn user_message(&self, author: &FakeUser, content: &str) -> Value {
        let id = self.new_id();
        fixtures::user_message_object(&self.inner.cfg, &id, author, content)
    }

    /// A MESSAGE_CREATE payload (see [`FakeDiscord::user_message`]); dispatch it with
    /// `send_dispatch("MESSAGE_CREATE", ..)`.
    pub fn message_create(&self, author: &FakeUser, content: &str) -> Value {
        self.user_message(author, content)
    }

    /// A new post by `author` in the forum channel `forum`: stores its first message (whose id
    /// is the post's, as on Discord) and returns the THREAD_CREATE payload.
    pub fn forum_post(&self, author: &FakeUser, forum: &str, title: &str, first: &str) -> Value {
        let id = self.new_id();
        let mut starter = fixtures::user_message_object(&self.inner.cfg, &id, author, first);
        starter["channel_id"] = json!(id);
        self.inner.lock().messages.insert(id.clone(), starter);
        let mut thread = fixtures::thread_object(&self.inner.cfg, &id, forum, title);
        thread["owner_id"] = json!(author.id);
        thread["newly_created"] = json!(true);
        thread["applied_tags"] = json!([]);
        thread
    }

    /// A message by `author` inside a thread (a forum post, say).
    pub fn thread_message(&self, author: &FakeUser, thread: &str, content: &str) -> Value {
        let mut msg = self.user_message(author, content);
        msg["channel_id"] = json!(thread);
        msg
    }

    /// A direct message from `author` to the bot, in their DM channel [`dm_channel_id`]: no
    /// guild, no member, as Discord sends it.
    pub fn direct_message(&self, author: &FakeUser, content: &str) -> Value {
        let mut msg = self.user_message(author, content);
        if let Some(m) = msg.as_object_mut() {
            m.remove("guild_id");
            m.remove("member");
            m.insert("channel_id".into(), json!(dm_channel_id(author)));
        }
        msg
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
