//! Injected REST faults: a queued fault answers the next matching requests in place of the
//! route, with Discord's error body (and, for 429, its rate-limit body and headers).

use serde_json::json;

use super::fixtures::{discord_error, Reply};
use super::state::Fault;

/// The answer of the first queued fault that matches (method, full path), if any; spends one
/// of its uses and forgets the faults that are used up.
pub(super) fn take(faults: &mut Vec<Fault>, method: &str, path: &str) -> Option<Reply> {
    let reply = faults
        .iter_mut()
        .find(|f| f.remaining > 0 && (f.matches)(method, path))
        .map(|fault| {
            fault.remaining -= 1;
            reply(fault.status)
        });
    faults.retain(|f| f.remaining > 0);
    reply
}

fn reply(status: u16) -> Reply {
    if status != 429 {
        return discord_error(status, 0, &format!("{status}: injected fault"));
    }
    Reply {
        status,
        body: Some(json!({
            "message": "You are being rate limited.",
            "retry_after": 0.1,
            "global": false,
            "code": 0,
        })),
        headers: vec![
            ("retry-after", "1".into()),
            ("x-ratelimit-scope", "user".into()),
            ("x-ratelimit-remaining", "0".into()),
            ("x-ratelimit-reset-after", "0.100".into()),
        ],
    }
}
