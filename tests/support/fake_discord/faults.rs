//! Injected REST faults: a queued fault answers the next matching requests in place of the
//! route, with Discord's error body (and, for 429, its rate-limit body and headers).

use serde_json::json;

use super::fixtures::{discord_error, Reply};
use super::state::{Fault, RateLimit};

/// The answer of the first queued fault that matches (method, full path), if any; spends one
/// of its uses and forgets the faults that are used up.
pub(super) fn take(faults: &mut Vec<Fault>, method: &str, path: &str) -> Option<Reply> {
    let reply = faults
        .iter_mut()
        .find(|f| f.remaining > 0 && (f.matches)(method, path))
        .map(|fault| {
            fault.remaining -= 1;
            reply(fault.status, fault.rate_limit)
        });
    faults.retain(|f| f.remaining > 0);
    reply
}

fn reply(status: u16, limit: RateLimit) -> Reply {
    if status != 429 {
        return discord_error(status, 0, &format!("{status}: injected fault"));
    }
    let seconds = limit.retry_after.as_secs_f64();
    let mut headers = vec![
        // Discord's Retry-After header is whole seconds, rounded up; the body is exact.
        ("retry-after", format!("{}", seconds.ceil() as u64)),
        (
            "x-ratelimit-scope",
            if limit.global { "global" } else { "user" }.into(),
        ),
        ("x-ratelimit-remaining", "0".into()),
        ("x-ratelimit-reset-after", format!("{seconds:.3}")),
    ];
    if limit.global {
        headers.push(("x-ratelimit-global", "true".into()));
    }
    Reply {
        status,
        body: Some(json!({
            "message": "You are being rate limited.",
            "retry_after": seconds,
            "global": limit.global,
            "code": 0,
        })),
        headers,
    }
}
