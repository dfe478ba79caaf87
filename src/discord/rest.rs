//! Discord's REST API on the reply path, sent so that Discord's rate limits are honoured.
//!
//! serenity's own rate limiter is off behind a proxy (as in the tests) and, where it is on, it
//! lets an interaction callback's 429 through and retries other routes without bound. So every
//! request a reply makes (the interaction's response, the edit of a deferred one, a channel
//! message, a thread) goes out here: built by serenity (its routes, its auth header, the
//! proxy), sent on the same HTTP client, and retried a bounded number of times.
//! - A 429 is retried only after its `retry_after` (the body's, else the headers'), and only
//!   when that wait is short ([`Limits::longest_wait`]); a 429 that says it is global pauses
//!   every request, not just the one that met it.
//! - A first response has Discord's 3-second deadline: a wait that would pass it is not waited
//!   for ([`RestError::PastDeadline`]), so the router can defer instead.
//! - A 5xx or a time-out is retried after a short pause; any other refusal is final.

use serde::Serialize;
use serenity::all::{
    ChannelId, CreateInteractionResponse, CreateMessage, CreateThread, EditInteractionResponse,
    GuildChannel, InteractionId, Message, MessageId,
};
use serenity::http::{Http, LightMethod, Request, Route};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::time::sleep;

/// How hard the bot tries.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Attempts per request, the first included.
    pub tries: u32,
    /// The longest rate-limit wait the bot sits out; a longer one ends the request.
    pub longest_wait: Duration,
    /// The pause after a 5xx or a time-out, doubled on each further attempt.
    pub after_error: Duration,
    /// How long one attempt may take.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            tries: 4,
            longest_wait: Duration::from_secs(5),
            after_error: Duration::from_millis(250),
            timeout: Duration::from_secs(10),
        }
    }
}

/// When a request must have gone out by.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pace {
    /// An interaction's first response: Discord drops it after its deadline.
    FirstResponse(Instant),
    /// The deferral of a first response that a global pause would hold past its deadline.
    /// Discord does not count interaction callbacks against the global limit, so this one
    /// request goes out during the pause.
    Deferral(Instant),
    /// Anything else: it waits its turn.
    Patient,
}

impl Pace {
    fn deadline(self) -> Option<Instant> {
        match self {
            Pace::FirstResponse(at) | Pace::Deferral(at) => Some(at),
            Pace::Patient => None,
        }
    }
}

/// Why a request did not go through. The messages hold no URL: a URL holds the token.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RestError {
    /// Discord refused it for good (a 4xx other than 429).
    #[error("Discord refused the request ({status}): {message}")]
    Refused {
        /// The HTTP status.
        status: u16,
        /// Discord's message.
        message: String,
    },
    /// Discord asked for a wait longer than the bot sits out.
    #[error("Discord asked to wait {0:.2?} before trying again")]
    WaitTooLong(Duration),
    /// The wait Discord asked for would pass the first response's deadline.
    #[error("waiting {0:.2?} for Discord's rate limit would miss the 3-second deadline")]
    PastDeadline(Duration),
    /// Every attempt failed.
    #[error("Discord failed {tries} times (last: {last})")]
    GaveUp {
        /// Attempts made.
        tries: u32,
        /// The last failure.
        last: String,
    },
    /// The request could not be made (a serialisation or URL error, no application id yet).
    #[error("cannot make the request: {0}")]
    Unsendable(String),
}

/// One REST request: where, how, and its JSON body.
pub(crate) struct Call<'a> {
    route: Route<'a>,
    method: LightMethod,
    body: Option<Vec<u8>>,
    /// For the log: what the request is, without its route (which holds the token).
    what: &'static str,
}

impl<'a> Call<'a> {
    fn new(
        what: &'static str,
        route: Route<'a>,
        method: LightMethod,
        body: &impl Serialize,
    ) -> Result<Self, RestError> {
        let body = serde_json::to_vec(body).map_err(|e| RestError::Unsendable(e.to_string()))?;
        Ok(Call {
            route,
            method,
            body: Some(body),
            what,
        })
    }

    /// The response to an interaction (its callback).
    pub(crate) fn interaction_response(
        id: InteractionId,
        token: &'a str,
        response: &CreateInteractionResponse,
    ) -> Result<Self, RestError> {
        Self::new(
            "an interaction response",
            Route::InteractionResponse {
                interaction_id: id,
                token,
            },
            LightMethod::Post,
            response,
        )
    }

    /// The edit of an interaction's original (deferred) response.
    pub(crate) fn edit_original(
        http: &Http,
        token: &'a str,
        edit: &EditInteractionResponse,
    ) -> Result<Self, RestError> {
        let application_id = http
            .application_id()
            .ok_or_else(|| RestError::Unsendable("no application id yet".into()))?;
        Self::new(
            "an edit of an interaction response",
            Route::WebhookOriginalInteractionResponse {
                application_id,
                token,
            },
            LightMethod::Patch,
            edit,
        )
    }

    /// A message in a channel (or thread).
    pub(crate) fn channel_message(
        channel_id: ChannelId,
        message: &CreateMessage,
    ) -> Result<Self, RestError> {
        Self::new(
            "a channel message",
            Route::ChannelMessages { channel_id },
            LightMethod::Post,
            message,
        )
    }

    /// The deletion of a message.
    pub(crate) fn delete_message(channel_id: ChannelId, message_id: MessageId) -> Self {
        Call {
            route: Route::ChannelMessage {
                channel_id,
                message_id,
            },
            method: LightMethod::Delete,
            body: None,
            what: "a message deletion",
        }
    }

    /// A thread started from a message.
    pub(crate) fn thread_from_message(
        channel_id: ChannelId,
        message_id: MessageId,
        thread: &CreateThread<'_>,
    ) -> Result<Self, RestError> {
        Self::new(
            "a thread",
            Route::ChannelMessageThreads {
                channel_id,
                message_id,
            },
            LightMethod::Post,
            thread,
        )
    }
}

/// What a 429 asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RateLimited {
    /// How long to wait before trying again.
    pub retry_after: Duration,
    /// Whether every request is limited, not just this route.
    pub global: bool,
}

/// Reads a 429: the body's `retry_after` (seconds, fractional) when it has one, else the larger
/// of the `Retry-After` and `X-RateLimit-Reset-After` headers, else one second.
pub(crate) fn read_rate_limit(headers: &reqwest::header::HeaderMap, body: &[u8]) -> RateLimited {
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let seconds = |v: f64| (v.is_finite() && v >= 0.0).then(|| Duration::from_secs_f64(v));
    let from_body = json
        .as_ref()
        .and_then(|j| j["retry_after"].as_f64())
        .and_then(seconds);
    let from_headers = ["retry-after", "x-ratelimit-reset-after"]
        .iter()
        .filter_map(|h| header(h)?.trim().parse::<f64>().ok())
        .filter_map(seconds)
        .max();
    let global = json.as_ref().and_then(|j| j["global"].as_bool()) == Some(true)
        || header("x-ratelimit-global").is_some_and(|v| v.eq_ignore_ascii_case("true"))
        || header("x-ratelimit-scope").is_some_and(|v| v.eq_ignore_ascii_case("global"));
    RateLimited {
        retry_after: from_body.or(from_headers).unwrap_or(Duration::from_secs(1)),
        global,
    }
}

/// What one attempt came to.
enum Attempt {
    Done(Vec<u8>),
    Limited(RateLimited),
    Failed(String),
    Refused(RestError),
}

/// The reply path's sender: the HTTP client serenity uses, and the global pause.
pub(crate) struct Rest {
    client: reqwest::Client,
    limits: Limits,
    /// When a global 429 ends: until then nothing is sent (but a deferral).
    paused_until: Mutex<Option<Instant>>,
}

impl Rest {
    /// A sender on `client` (give serenity the same one).
    pub(crate) fn new(client: reqwest::Client, limits: Limits) -> Self {
        Rest {
            client,
            limits,
            paused_until: Mutex::new(None),
        }
    }

    /// How long the global pause has left.
    fn pause_left(&self) -> Duration {
        let until = *self
            .paused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        until.map_or(Duration::ZERO, |u| {
            u.saturating_duration_since(Instant::now())
        })
    }

    /// Pauses every request for `wait` from now (a longer pause already set stays).
    fn pause_all(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut paused = self
            .paused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if paused.is_none_or(|p| p < until) {
            *paused = Some(until);
        }
    }

    /// Waits `wait` unless that would pass the deadline or the bot's longest wait.
    async fn sit_out(&self, wait: Duration, pace: Pace) -> Result<(), RestError> {
        if wait.is_zero() {
            return Ok(());
        }
        if wait > self.limits.longest_wait {
            return Err(RestError::WaitTooLong(wait));
        }
        if pace.deadline().is_some_and(|at| Instant::now() + wait > at) {
            return Err(RestError::PastDeadline(wait));
        }
        sleep(wait).await;
        Ok(())
    }

    /// Sends `call`, retrying as the module says; the response body on success.
    pub(crate) async fn send(
        &self,
        http: &Http,
        call: &Call<'_>,
        pace: Pace,
    ) -> Result<Vec<u8>, RestError> {
        let mut last = String::new();
        let mut made = 0;
        for attempt in 1..=self.limits.tries {
            made = attempt;
            if !matches!(pace, Pace::Deferral(_)) {
                self.sit_out(self.pause_left(), pace).await?;
            }
            match self.attempt(http, call).await {
                Attempt::Done(body) => return Ok(body),
                Attempt::Refused(e) => return Err(e),
                Attempt::Limited(limit) => {
                    if limit.global {
                        self.pause_all(limit.retry_after);
                    }
                    tracing::warn!(
                        wait_ms = limit.retry_after.as_millis() as u64,
                        global = limit.global,
                        "Discord rate-limited {}; waiting as it asks",
                        call.what
                    );
                    last = format!("429, retry after {:.2?}", limit.retry_after);
                    if attempt < self.limits.tries {
                        self.sit_out(limit.retry_after, pace).await?;
                    }
                }
                Attempt::Failed(why) => {
                    tracing::warn!("Discord failed {} ({why})", call.what);
                    last = why;
                    let pause = self.limits.after_error * 2u32.pow(attempt - 1);
                    // A pause that would miss the deadline ends the request: deferring does
                    // not help when Discord is failing.
                    if attempt < self.limits.tries && self.sit_out(pause, pace).await.is_err() {
                        break;
                    }
                }
            }
        }
        Err(RestError::GaveUp { tries: made, last })
    }

    async fn attempt(&self, http: &Http, call: &Call<'_>) -> Attempt {
        let request = Request::new(call.route, call.method).body(call.body.clone());
        let built = match request.build(&self.client, http.token(), http.proxy.as_deref()) {
            Ok(b) => b,
            Err(e) => return Attempt::Refused(RestError::Unsendable(e.to_string())),
        };
        let response = match built.timeout(self.limits.timeout).send().await {
            Ok(r) => r,
            Err(e) => return Attempt::Failed(e.without_url().to_string()),
        };
        let status = response.status();
        let headers = response.headers().clone();
        let body = match response.bytes().await {
            Ok(b) => b.to_vec(),
            Err(e) => return Attempt::Failed(e.without_url().to_string()),
        };
        if status.is_success() {
            Attempt::Done(body)
        } else if status.as_u16() == 429 {
            Attempt::Limited(read_rate_limit(&headers, &body))
        } else if status.is_server_error() {
            Attempt::Failed(format!("{status}"))
        } else {
            let message = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|j| j["message"].as_str().map(str::to_string))
                .unwrap_or_default();
            Attempt::Refused(RestError::Refused {
                status: status.as_u16(),
                message,
            })
        }
    }

    /// Posts a message in a channel; the message Discord made.
    pub(crate) async fn post(
        &self,
        http: &Http,
        channel_id: ChannelId,
        message: &CreateMessage,
    ) -> Result<Message, RestError> {
        let body = self
            .send(
                http,
                &Call::channel_message(channel_id, message)?,
                Pace::Patient,
            )
            .await?;
        serde_json::from_slice(&body).map_err(|e| RestError::Unsendable(e.to_string()))
    }

    /// Deletes a message.
    pub(crate) async fn delete(
        &self,
        http: &Http,
        channel_id: ChannelId,
        message_id: MessageId,
    ) -> Result<(), RestError> {
        let call = Call::delete_message(channel_id, message_id);
        self.send(http, &call, Pace::Patient).await.map(|_| ())
    }

    /// Starts a thread from a message; the thread Discord made.
    pub(crate) async fn start_thread(
        &self,
        http: &Http,
        channel_id: ChannelId,
        message_id: MessageId,
        thread: &CreateThread<'_>,
    ) -> Result<GuildChannel, RestError> {
        let call = Call::thread_from_message(channel_id, message_id, thread)?;
        let body = self.send(http, &call, Pace::Patient).await?;
        serde_json::from_slice(&body).map_err(|e| RestError::Unsendable(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn the_bodys_retry_after_is_the_wait_it_asks_for() {
        let limit = read_rate_limit(
            &headers(&[("retry-after", "1")]),
            br#"{"message":"You are being rate limited.","retry_after":0.75,"global":false}"#,
        );
        assert_eq!(limit.retry_after, Duration::from_millis(750));
        assert!(!limit.global);
    }

    #[test]
    fn without_a_body_the_longer_header_counts() {
        let limit = read_rate_limit(
            &headers(&[("retry-after", "2"), ("x-ratelimit-reset-after", "1.250")]),
            b"",
        );
        assert_eq!(limit.retry_after, Duration::from_secs(2));
        let limit = read_rate_limit(&headers(&[]), b"not json");
        assert_eq!(limit.retry_after, Duration::from_secs(1), "a default wait");
    }

    #[test]
    fn a_global_limit_is_read_from_the_body_or_the_headers() {
        for (h, body) in [
            (headers(&[]), &br#"{"retry_after":1.5,"global":true}"#[..]),
            (headers(&[("x-ratelimit-global", "true")]), &b"{}"[..]),
            (headers(&[("x-ratelimit-scope", "global")]), &b"{}"[..]),
        ] {
            assert!(read_rate_limit(&h, body).global);
        }
        assert!(!read_rate_limit(&headers(&[("x-ratelimit-scope", "user")]), b"{}").global);
    }

    #[test]
    fn a_negative_or_absurd_retry_after_falls_back_to_the_headers() {
        let limit = read_rate_limit(&headers(&[("retry-after", "3")]), br#"{"retry_after":-4}"#);
        assert_eq!(limit.retry_after, Duration::from_secs(3));
    }

    #[tokio::test]
    async fn a_wait_past_the_deadline_or_the_longest_wait_is_not_sat_out() {
        let rest = Rest::new(reqwest::Client::new(), Limits::default());
        let soon = Instant::now() + Duration::from_millis(100);
        assert!(matches!(
            rest.sit_out(Duration::from_secs(1), Pace::FirstResponse(soon))
                .await,
            Err(RestError::PastDeadline(_))
        ));
        assert!(matches!(
            rest.sit_out(Duration::from_secs(60), Pace::Patient).await,
            Err(RestError::WaitTooLong(_))
        ));
        assert!(rest
            .sit_out(Duration::from_millis(5), Pace::Patient)
            .await
            .is_ok());
    }

    #[test]
    fn a_global_pause_only_ever_grows() {
        let rest = Rest::new(reqwest::Client::new(), Limits::default());
        rest.pause_all(Duration::from_secs(3));
        rest.pause_all(Duration::from_secs(1));
        assert!(rest.pause_left() > Duration::from_secs(2));
    }
}
