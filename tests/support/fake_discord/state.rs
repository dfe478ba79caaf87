//! What the fake records and holds, shared by the REST server, the gateway and the handle:
//! the records tests read ([`Recorded`], [`GatewayFrame`], [`InteractionRecord`]), the Discord
//! resources (commands, messages), the gateway connections and session, and queued faults.
//!
//! One mutex guards it all, so that a request is routed, recorded and dumped as one step and
//! waiters see every change in order; `changed` wakes them.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use serde_json::{json, Value};
use tokio::sync::{mpsc, watch};
use tokio::task::AbortHandle;

use super::dump::Dump;
use super::fixtures::{self, FakeConfig};

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
    pub(super) fn summary(&self) -> String {
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

/// What the handle asks a gateway connection's task to do.
pub(super) enum ConnCmd {
    Text(String),
    /// Close the TCP connection without a close frame.
    Drop,
    /// Send a close frame with this code, then close.
    Close(u16),
}

pub(super) struct Conn {
    pub tx: mpsc::UnboundedSender<ConnCmd>,
}

/// The gateway session the bot identified for.
pub(super) struct Session {
    pub id: String,
    pub seq: u64,
    /// Every dispatch of this session: (seq, frame text), for replay on RESUME.
    pub log: Vec<(u64, String)>,
}

/// Decides from (method, path) whether a fault applies to a request.
pub(super) type FaultMatcher = Box<dyn Fn(&str, &str) -> bool + Send + Sync>;

/// A queued injected fault: the next `remaining` matching requests get `status`.
pub(super) struct Fault {
    pub matches: FaultMatcher,
    pub status: u16,
    pub remaining: usize,
    /// For a 429: the wait it asks for, and whether it is the global limit.
    pub rate_limit: RateLimit,
}

/// What an injected 429 asks for.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    /// `retry_after`, in the body (seconds) and the headers.
    pub retry_after: std::time::Duration,
    /// The global limit (every route) rather than this route's.
    pub global: bool,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            retry_after: std::time::Duration::from_millis(100),
            global: false,
        }
    }
}

#[derive(Default)]
pub(super) struct State {
    pub requests: Vec<Recorded>,
    pub gateway_frames: Vec<GatewayFrame>,
    pub gateway_uris: Vec<String>,
    pub faults: Vec<Fault>,
    pub interactions: HashMap<String, InteractionRecord>,
    pub token_to_interaction: HashMap<String, String>,
    /// Registered commands: (guild id or None, command object).
    pub commands: Vec<(Option<String>, Value)>,
    pub messages: HashMap<String, Value>,
    pub conns: HashMap<u64, Conn>,
    pub next_conn: u64,
    /// The connection whose session is live (identified or resumed).
    pub current: Option<u64>,
    pub session: Option<Session>,
    pub sessions_started: u64,
    pub identify_count: usize,
    pub resume_count: usize,
    pub connect_count: usize,
    pub identify_tokens: Vec<String>,
    pub violations: Vec<String>,
    pub next_id: u64,
    pub heartbeat_interval_ms: u64,
    pub ack_heartbeats: bool,
    pub shut: bool,
}

impl State {
    /// A fresh snowflake, far above every fixed id so the two never collide.
    pub fn new_id(&mut self) -> String {
        self.next_id += 1;
        (900_000_000_000_000_000u64 + self.next_id).to_string()
    }

    /// Creates and stores a bot message built from a message request body.
    pub fn create_message(
        &mut self,
        cfg: &FakeConfig,
        channel_id: &str,
        body: &Value,
        webhook: bool,
    ) -> Value {
        let id = self.new_id();
        let msg = fixtures::message_object(cfg, &id, channel_id, body, webhook);
        self.messages.insert(id, msg.clone());
        msg
    }

    /// Applies an edit body to a stored message (an unknown one starts empty) and stores it.
    pub fn edit_message(
        &mut self,
        cfg: &FakeConfig,
        id: &str,
        channel_id: &str,
        body: &Value,
        webhook: bool,
    ) -> Value {
        let mut msg =
            self.messages.get(id).cloned().unwrap_or_else(|| {
                fixtures::message_object(cfg, id, channel_id, &json!({}), webhook)
            });
        fixtures::apply_edit(&mut msg, body);
        self.messages.insert(id.to_string(), msg.clone());
        msg
    }
}

/// Everything the fake's tasks and its handle share.
pub(super) struct Inner {
    pub cfg: FakeConfig,
    pub state: Mutex<State>,
    pub changed: watch::Sender<u64>,
    pub http_addr: SocketAddr,
    pub ws_addr: SocketAddr,
    pub tasks: Mutex<Vec<AbortHandle>>,
    /// Where REST requests are written for before/after comparisons, when asked for.
    pub dump: Option<Dump>,
}

impl Inner {
    /// The state; a panic elsewhere while holding it must not hide what was recorded.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
    /// Wakes every waiter to look at the state again.
    pub fn notify(&self) {
        self.changed.send_modify(|v| *v += 1);
    }
    /// Spawns a server task that [`Inner::abort_all`] stops.
    pub fn spawn<F>(&self, fut: F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let handle = tokio::spawn(fut);
        let mut tasks = self.tasks.lock().unwrap_or_else(|e| e.into_inner());
        tasks.retain(|t| !t.is_finished());
        tasks.push(handle.abort_handle());
    }
    pub fn abort_all(&self) {
        for t in self
            .tasks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain(..)
        {
            t.abort();
        }
    }
    pub fn gateway_url(&self) -> String {
        format!("ws://{}/gateway-ws", self.ws_addr)
    }
}
